/*
 * tests/unit/resources/values_test.c - the tfp_value helpers shared by the resources: empty vs
 * null, unknown scrubbing, overlay of planned values, timeouts, and the cancellation hook.
 */
#include "helpers.h"

static tfp_schema *schema; /* vpcep_service: has sets, maps, blocks and timeouts */

static int setup(void **state)
{
    (void)state;
    return tfpv_service_schema(&schema);
}

static int teardown(void **state)
{
    (void)state;
    tfp_schema_free(schema);
    return 0;
}

static void test_empty_equals_null(void **state)
{
    tfp_value *a = json_value(schema, "{\"whitelist\":[],\"tags\":{},\"description\":\"\"}");
    tfp_value *b = json_value(schema, "{}");
    tfp_value *c = json_value(schema, "{\"whitelist\":[\"x\"],\"tags\":{\"k\":\"v\"}}");
    (void)state;
    assert_true(
        tfpv_equal_empty_null(tfp_value_attr(a, "whitelist"), tfp_value_attr(b, "whitelist")));
    assert_true(tfpv_equal_empty_null(tfp_value_attr(a, "tags"), tfp_value_attr(b, "tags")));
    assert_true(
        tfpv_equal_empty_null(tfp_value_attr(a, "description"), tfp_value_attr(b, "description")));
    assert_false(
        tfpv_equal_empty_null(tfp_value_attr(c, "whitelist"), tfp_value_attr(b, "whitelist")));
    assert_true(tfpv_equal_empty_null(tfp_value_attr(c, "tags"), tfp_value_attr(c, "tags")));
    assert_true(tfpv_equal_empty_null(NULL, NULL));
    tfp_value_free(a);
    tfp_value_free(b);
    tfp_value_free(c);
}

static void test_unknowns_to_null_and_overlay(void **state)
{
    tfp_value *v = json_value(schema, "{\"id\":\"x\",\"vpc_id\":\"v\","
                                      "\"port\":[{\"client_port\":1,\"server_port\":2}]}");
    tfp_value *planned = NULL;
    (void)state;
    assert_int_equal(tfp_value_set_attr_unknown(v, "status"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(v, "connections"), 0);
    assert_false(tfp_value_is_wholly_known(v));
    assert_int_equal(tfp_value_copy(&planned, v), 0);
    assert_int_equal(tfpv_unknowns_to_null(&v), 0);
    assert_true(tfp_value_is_wholly_known(v));
    assert_true(tfp_value_is_null(tfp_value_attr(v, "status")));
    assert_string_equal(tfpv_str(v, "id"), "x");
    assert_int_equal(tfp_value_length(tfp_value_attr(v, "port")), 1);
    /* overlay: known planned values win, unknown ones leave the API's value */
    assert_int_equal(tfp_value_set_attr_string(v, "status", "available"), 0);
    assert_int_equal(tfp_value_set_attr_string(v, "vpc_id", "from-api"), 0);
    assert_int_equal(tfpv_overlay_known(v, planned), 0);
    assert_string_equal(tfpv_str(v, "status"), "available");
    assert_string_equal(tfpv_str(v, "vpc_id"), "v");
    tfp_value_free(planned);
    tfp_value_free(v);
}

static void test_timeouts(void **state)
{
    tfp_value *v = json_value(schema, "{\"timeouts\":{\"create\":\"30s\",\"update\":null,"
                                      "\"delete\":\"bogus\"}}");
    tfp_value *none = json_value(schema, "{}");
    (void)state;
    assert_int_equal(tfpv_timeout_ms(v, "create"), 30000);
    assert_int_equal(tfpv_timeout_ms(v, "update"), TFPV_DEFAULT_TIMEOUT_MS);
    assert_int_equal(tfpv_timeout_ms(v, "delete"), TFPV_DEFAULT_TIMEOUT_MS);
    assert_int_equal(tfpv_timeout_ms(none, "create"), 10 * 60 * 1000);
    assert_int_equal(tfpv_timeout_ms(NULL, "create"), 10 * 60 * 1000);
    tfp_value_free(v);
    tfp_value_free(none);
}

static void test_deadline(void **state)
{
    int64_t now = tfpv_now_ms();
    (void)state;
    assert_true(now > 0);
    assert_true(tfpv_remaining_ms(now + 60000) > 59000);
    assert_true(tfpv_remaining_ms(now + 60000) <= 60000);
    assert_int_equal(tfpv_remaining_ms(now - 5000), 1); /* expired: never "no deadline" (0) */
}

static void test_strs_and_sets(void **state)
{
    tfp_value *v = json_value(schema, "{\"whitelist\":[\"a\",\"b\"]}");
    tfpv_strs s = {0};
    (void)state;
    assert_int_equal(tfpv_strs_from(&s, tfp_value_attr(v, "whitelist")), 0);
    assert_int_equal(s.n, 2);
    assert_true(tfpv_strs_has(&s, "a"));
    assert_false(tfpv_strs_has(&s, "c"));
    assert_true(tfpv_set_has_string(tfp_value_attr(v, "whitelist"), "b"));
    tfpv_strs_dispose(&s);
    assert_int_equal(tfpv_strs_from(&s, NULL), 0);
    assert_int_equal(s.n, 0);
    tfpv_strs_dispose(&s);
    tfp_value_free(v);
}

/* Quoting users' values for messages: escaped, cut after N characters, never inside a UTF-8
 * sequence, always terminated within the buffer. */
static void test_quote_cut(void **state)
{
    char b[64];
    char small[12];
    (void)state;
    tfpv_quote_cut(b, sizeof b, "env", 40);
    assert_string_equal(b, "\"env\"");
    tfpv_quote_cut(b, sizeof b, "", 40);
    assert_string_equal(b, "\"\"");
    tfpv_quote_cut(b, sizeof b, NULL, 40);
    assert_string_equal(b, "\"\"");
    tfpv_quote_cut(b, sizeof b, "abcdefgh", 5);
    assert_string_equal(b, "\"abcde...\"");
    tfpv_quote_cut(b, sizeof b, "a\"b\\c\nd", 40);
    assert_string_equal(b, "\"a\\\"b\\\\c\\x0ad\"");
    /* 3 characters of two bytes each, cut after 2: whole characters only */
    tfpv_quote_cut(b, sizeof b, "\xc3\xa4\xc3\xb6\xc3\xbc", 2);
    assert_string_equal(b, "\"\xc3\xa4\xc3\xb6...\"");
    /* invalid UTF-8 is shown as bytes */
    tfpv_quote_cut(b, sizeof b, "x\xff\xc3", 40);
    assert_string_equal(b, "\"x\\xff\\xc3\"");
    /* a small buffer cuts early and stays terminated */
    tfpv_quote_cut(small, sizeof small, "abcdefghijklmnop", 40);
    assert_string_equal(small, "\"abcdef...\"");
    assert_true(strlen(small) < sizeof small);
}

static void test_cancel_hook_outside_a_call(void **state)
{
    (void)state;
    tfpv_set_current_call(NULL);
    assert_null(tfpv_current_call());
    assert_int_equal(tfpv_cancelled_hook(NULL), 0);
}

/* A create error that names candidates (an unfinished create's leftover) carries one
 * import block per candidate; one without candidates is the plain API error. */
static void test_create_error_import_blocks(void **state)
{
    vpcep_error err = VPCEP_ERROR_INIT;
    tfp_diags *d = NULL;
    (void)state;
    snprintf(err.error_code, sizeof err.error_code, "%s", VPCEP_ECODE_UNFINISHED_CREATE);
    snprintf(err.error_msg, sizeof err.error_msg,
             "left over. " VPCEP_CANDIDATES_LABEL " id-1 id-2");
    assert_int_equal(tfp_diags_new(&d), 0);
    tfpv_create_error(d, "Cannot create the endpoint", "vpcep_endpoint", VPCEP_ECONFLICT, &err);
    assert_true(diag_mentions(d, "vpcep.unfinished-create: left over.\n\nTo adopt one of them"));
    assert_true(diag_mentions(d, "import {\n  to = vpcep_endpoint.<name>\n  id = \"id-1\"\n}"));
    assert_true(diag_mentions(d, "id = \"id-2\""));
    assert_false(diag_mentions(d, VPCEP_CANDIDATES_LABEL));
    tfp_diags_free(d);

    snprintf(err.error_code, sizeof err.error_code, "EndPoint.2012");
    snprintf(err.error_msg, sizeof err.error_msg, "not whitelisted");
    assert_int_equal(tfp_diags_new(&d), 0);
    tfpv_create_error(d, "Cannot create the endpoint", "vpcep_endpoint", VPCEP_EAUTH, &err);
    assert_true(diag_mentions(d, "EndPoint.2012: not whitelisted"));
    assert_false(diag_mentions(d, "import {"));
    tfp_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_equals_null),
        cmocka_unit_test(test_unknowns_to_null_and_overlay),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_strs_and_sets),
        cmocka_unit_test(test_quote_cut),
        cmocka_unit_test(test_cancel_hook_outside_a_call),
        cmocka_unit_test(test_create_error_import_blocks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
