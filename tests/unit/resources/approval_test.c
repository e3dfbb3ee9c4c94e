/*
 * tests/unit/resources/approval_test.c - vpcep_approval: plan, and the state mapping that
 * turns revoked approvals into drift and fills an import with every accepted connection.
 */
#include "helpers.h"

static tfp_schema *schema;
static vpcep_connection_list *conns;

static const char conns_json[] =
    "{\"connections\":[{\"id\":\"ep-1\",\"status\":\"accepted\",\"marker_id\":1,"
    "\"domain_id\":\"d\"},{\"id\":\"ep-2\",\"status\":\"rejected\",\"marker_id\":2,"
    "\"domain_id\":\"d\"},{\"id\":\"ep-3\",\"status\":\"accepted\",\"marker_id\":3,"
    "\"domain_id\":\"d2\"},{\"id\":\"ep-4\",\"status\":\"pendingAcceptance\",\"marker_id\":4,"
    "\"domain_id\":\"d2\"}],\"total_count\":4}";

static int setup(void **state)
{
    (void)state;
    if (vpcep_decode_connection_list(&conns, conns_json, strlen(conns_json)) != 0) {
        return -1;
    }
    return tfpv_approval_schema(&schema);
}

static int teardown(void **state)
{
    (void)state;
    vpcep_connection_list_free(conns);
    tfp_schema_free(schema);
    return 0;
}

static void test_read_drops_revoked(void **state)
{
    tfp_value *prior = json_value(schema, "{\"id\":\"sid\",\"service_id\":\"sid\","
                                          "\"endpoints\":[\"ep-1\",\"ep-2\"],\"connections\":[]}");
    tfp_value *st = NULL;
    const tfp_value *eps;
    (void)state;
    assert_int_equal(tfpv_approval_state(&st, tfp_schema_type(schema), prior, "sid", conns), 0);
    eps = tfp_value_attr(st, "endpoints");
    assert_int_equal(tfp_value_length(eps), 1); /* ep-2 was rejected out of band */
    assert_true(tfpv_set_has_string(eps, "ep-1"));
    assert_false(tfpv_set_has_string(eps, "ep-3")); /* not ours to manage */
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "connections")), 4);
    assert_string_equal(tfpv_str(st, "id"), "sid");
    tfp_value_free(st);
    tfp_value_free(prior);
}

static void test_import_takes_all_accepted(void **state)
{
    tfp_value *prior = json_value(schema, "{\"id\":\"sid\",\"service_id\":\"sid\"}");
    tfp_value *st = NULL;
    const tfp_value *eps;
    (void)state;
    assert_int_equal(tfpv_approval_state(&st, tfp_schema_type(schema), prior, "sid", conns), 0);
    eps = tfp_value_attr(st, "endpoints");
    assert_int_equal(tfp_value_length(eps), 2);
    assert_true(tfpv_set_has_string(eps, "ep-1"));
    assert_true(tfpv_set_has_string(eps, "ep-3"));
    assert_true(tfp_value_is_wholly_known(st));
    tfp_value_free(st);
    tfp_value_free(prior);
}

static void test_plan(void **state)
{
    tfp_value *cfg = json_value(schema, "{\"service_id\":\"sid\",\"endpoints\":[\"ep-1\"]}");
    tfp_value *prior = json_value(schema, "{\"id\":\"sid\",\"service_id\":\"sid\","
                                          "\"endpoints\":[\"ep-1\"],\"connections\":[]}");
    tfp_value *planned = NULL, *proposed = NULL;
    tfp_diags *d;
    (void)state;
    assert_int_equal(tfpv_approval_plan_value(&planned, NULL, cfg), 0);
    assert_string_equal(tfpv_str(planned, "id"), "sid"); /* ID = service ID, known at plan */
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "connections")));
    tfp_value_free(planned);
    assert_int_equal(tfpv_approval_plan_value(&planned, prior, prior), 0);
    assert_true(tfp_value_equal(planned, prior)); /* no change, no unknowns */
    tfp_value_free(planned);
    assert_int_equal(tfp_value_copy(&proposed, prior), 0);
    assert_int_equal(
        tfpv_set_string_collection(proposed, "endpoints", (const char *const[]){"ep-1", "ep-9"}, 2),
        0);
    assert_int_equal(tfpv_approval_plan_value(&planned, prior, proposed), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "connections")));
    tfp_value_free(planned);
    tfp_value_free(proposed);
    /* validation */
    tfp_value_free(cfg);
    cfg = json_value(schema, "{\"service_id\":\"\",\"endpoints\":[\"\"]}");
    d = run_check(tfpv_approval_check, cfg);
    assert_true(has_error_at(d, "service_id"));
    assert_true(has_error_at(d, "endpoints"));
    tfp_diags_free(d);
    tfp_value_free(cfg);
    tfp_value_free(prior);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_drops_revoked),
        cmocka_unit_test(test_import_takes_all_accepted),
        cmocka_unit_test(test_plan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
