/*
 * tests/unit/resources/endpoint_test.c - vpcep_endpoint: validation (at least one of
 * service_id/service_name, interface-only and gateway-only arguments), plan (defaults,
 * unknowns, what replaces), and the API-to-state mapping.
 */
#include "helpers.h"

static tfp_schema *schema;

static int setup(void **state)
{
    (void)state;
    return tfpv_endpoint_schema(&schema);
}

static int teardown(void **state)
{
    (void)state;
    tfp_schema_free(schema);
    return 0;
}

static tfp_diags *check_json(const char *json)
{
    tfp_value *cfg = json_value(schema, json);
    tfp_diags *d = run_check(tfpv_endpoint_check, cfg);
    tfp_value_free(cfg);
    return d;
}

static void test_valid(void **state)
{
    tfp_diags *d = check_json("{\"service_id\":\"sid\",\"vpc_id\":\"v\",\"subnet_id\":\"s\","
                              "\"ip_address\":\"10.0.0.5\",\"whitelist\":[\"10.0.0.0/8\","
                              "\"192.168.1.1\"],\"tags\":{\"k\":\"v\"},\"description\":\"d\"}");
    (void)state;
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    tfp_diags_free(d);
}

static void test_invalid_with_paths(void **state)
{
    struct {
        const char *json;
        const char *path;
    } cases[] = {
        {"{\"vpc_id\":\"v\"}", "service_id"},
        {"{\"service_id\":\"a\",\"vpc_id\":\"v\",\"ip_address\":\"10.0.0.300\"}", "ip_address"},
        {"{\"service_id\":\"a\",\"vpc_id\":\"v\",\"whitelist\":[\"10.0.0.0/40\"]}", "whitelist"},
        {"{\"service_id\":\"a\",\"vpc_id\":\"v\",\"tags\":{\"bad key\":\"v\"}}", "tags"},
        {"{\"service_id\":\"a\",\"vpc_id\":\"v\",\"description\":\"<script>\"}", "description"},
        {"{\"service_id\":\"a\",\"vpc_id\":\"v\",\"timeouts\":{\"create\":\"soon\","
         "\"update\":null,\"delete\":null}}",
         "timeouts.create"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tfp_diags *d = check_json(cases[i].json);
        if (!has_error_at(d, cases[i].path)) {
            fprintf(stderr, "case %zu: expected an error at %s\n", i, cases[i].path);
            dump_diags(d);
        }
        assert_true(has_error_at(d, cases[i].path));
        tfp_diags_free(d);
    }
}

static void test_unknown_service_reference_counts_as_set(void **state)
{
    tfp_value *cfg = json_value(schema, "{\"vpc_id\":\"v\"}");
    tfp_diags *d;
    (void)state;
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "service_id"), 0);
    d = run_check(tfpv_endpoint_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    tfp_value_free(cfg);
}

static void test_unknown_references_are_undecided(void **state)
{
    tfp_value *cfg = json_value(schema, "{\"vpc_id\":\"v\"}");
    tfp_diags *d;
    (void)state;
    /* both unknown: either may resolve to null, so no conflict before they are known */
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "service_id"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "service_name"), 0);
    d = run_check(tfpv_endpoint_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    /* one known, one unknown: still undecided */
    assert_int_equal(tfp_value_set_attr_string(cfg, "service_id", "abc"), 0);
    d = run_check(tfpv_endpoint_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    /* both known: allowed (generated configuration has both); plan checks they agree */
    assert_int_equal(tfp_value_set_attr_string(cfg, "service_name", "eu-de.x.y"), 0);
    d = run_check(tfpv_endpoint_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    tfp_value_free(cfg);
}

static void test_type_rules(void **state)
{
    tfp_value *cfg;
    tfp_diags *d = NULL;
    (void)state;
    /* interface: subnet_id required, route_tables refused */
    cfg = json_value(schema, "{\"service_id\":\"a\",\"vpc_id\":\"v\",\"route_tables\":[\"rt\"]}");
    assert_int_equal(tfp_diags_new(&d), 0);
    tfpv_endpoint_check_type(d, cfg, "interface");
    assert_true(has_error_at(d, "subnet_id"));
    assert_true(has_error_at(d, "route_tables"));
    assert_true(diag_mentions(d, "only valid for gateway services"));
    tfp_diags_free(d);
    tfp_value_free(cfg);
    /* gateway: interface-only arguments refused */
    cfg = json_value(schema, "{\"service_id\":\"a\",\"vpc_id\":\"v\",\"enable_dns\":true,"
                             "\"ip_address\":\"10.0.0.1\",\"whitelist\":[\"10.0.0.1\"]}");
    assert_int_equal(tfp_diags_new(&d), 0);
    tfpv_endpoint_check_type(d, cfg, "gateway");
    assert_true(has_error_at(d, "enable_dns"));
    assert_true(has_error_at(d, "ip_address"));
    assert_true(has_error_at(d, "whitelist"));
    assert_true(diag_mentions(d, "only valid for interface services"));
    assert_false(has_error_at(d, "subnet_id"));
    tfp_diags_free(d);
    /* unknown service type: nothing to say yet */
    assert_int_equal(tfp_diags_new(&d), 0);
    tfpv_endpoint_check_type(d, cfg, NULL);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    tfp_value_free(cfg);
}

static void test_plan_create(void **state)
{
    tfp_value *cfg = json_value(schema, "{\"service_name\":\"eu-de.x.sid\",\"vpc_id\":\"v\","
                                        "\"subnet_id\":\"s\",\"enable_dns\":false}");
    static const char info_json[] =
        "{\"id\":\"sid\",\"service_name\":\"eu-de.x.sid\",\"service_type\":\"interface\"}";
    vpcep_service_info *info = NULL;
    tfp_value *planned = NULL;
    int b = 1;
    (void)state;
    /* Model objects are only ever made by the library (vpcep/model.h): decode an answer. */
    assert_int_equal(vpcep_decode_service_info(&info, info_json, strlen(info_json)), 0);
    assert_int_equal(tfpv_endpoint_plan_value(&planned, NULL, cfg, info), 0);
    assert_string_equal(tfpv_str(planned, "service_id"), "sid");
    assert_string_equal(tfpv_str(planned, "service_type"), "interface");
    assert_true(tfpv_bool(planned, "wait_for_acceptance", &b));
    assert_int_equal(b, 0);
    assert_true(tfpv_bool(planned, "auto_accept", &b));
    assert_int_equal(b, 0);
    assert_true(tfpv_bool(planned, "enable_dns", &b)); /* configured false stays false */
    assert_int_equal(b, 0);
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "id")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "status")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "ip_address")));
    assert_true(tfp_value_is_null(tfp_value_attr(planned, "whitelist")));
    tfp_value_free(planned);
    /* not verified (provider not configured yet): service_type unknown */
    assert_int_equal(tfpv_endpoint_plan_value(&planned, NULL, cfg, NULL), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "service_type")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "service_id")));
    tfp_value_free(planned);
    tfp_value_free(cfg);
    vpcep_service_info_free(info);
}

#define PRIOR                                                                                      \
    "{\"id\":\"eid\",\"service_id\":\"sid\",\"service_name\":\"eu-de.x.sid\",\"vpc_id\":\"v\","    \
    "\"subnet_id\":\"s\",\"enable_dns\":true,\"ip_address\":\"10.0.0.9\",\"whitelist\":null,"      \
    "\"enable_whitelist\":false,\"route_tables\":[],\"description\":null,"                         \
    "\"tags\":{\"env\":\"a\"},\"wait_for_acceptance\":false,\"auto_accept\":false,"                \
    "\"status\":\"accepted\",\"dns_names\":[\"x.example\"],\"service_type\":\"interface\","        \
    "\"marker_id\":42,\"timeouts\":null}"

static void test_plan_update_in_place_and_replace(void **state)
{
    tfp_value *prior = json_value(schema, PRIOR);
    tfp_value *proposed = NULL, *planned = NULL;
    const char *paths[16];
    int n;
    (void)state;
    /* tags, wait_for_acceptance, auto_accept, timeouts: in place */
    assert_int_equal(tfp_value_copy(&proposed, prior), 0);
    assert_int_equal(tfp_value_set_attr_bool(proposed, "wait_for_acceptance", 1), 0);
    assert_int_equal(tfp_value_set_attr_bool(proposed, "auto_accept", 1), 0);
    assert_int_equal(tfpv_set_string_map(proposed, "tags", (const char *const[]){"env"},
                                         (const char *const[]){"b"}, 1),
                     0);
    assert_int_equal(tfpv_set_empty_collection(proposed, "whitelist"), 0); /* [] vs null */
    assert_int_equal(tfpv_endpoint_plan_value(&planned, prior, proposed, NULL), 0);
    n = tfpv_endpoint_replace_paths(prior, planned, paths, 16);
    assert_int_equal(n, 0);
    assert_string_equal(tfpv_str(planned, "status"), "accepted"); /* computed kept */
    tfp_value_free(planned);
    /* description replaces (the OTC API has no endpoint update), as do vpc and subnet */
    assert_int_equal(tfp_value_set_attr_string(proposed, "description", "new"), 0);
    assert_int_equal(tfp_value_set_attr_string(proposed, "vpc_id", "v2"), 0);
    assert_int_equal(tfpv_endpoint_plan_value(&planned, prior, proposed, NULL), 0);
    n = tfpv_endpoint_replace_paths(prior, planned, paths, 16);
    assert_int_equal(n, 2);
    assert_string_equal(paths[0], "vpc_id");
    assert_string_equal(paths[1], "description");
    tfp_value_free(planned);
    tfp_value_free(proposed);
    tfp_value_free(prior);
}

static void test_state_from_api(void **state)
{
    static const char ep_json[] =
        "{\"id\":\"eid\",\"status\":\"pendingAcceptance\",\"tags\":[],\"whitelist\":[],"
        "\"marker_id\":201515772,\"vpc_id\":\"v\",\"service_type\":\"interface\","
        "\"subnet_id\":\"s\",\"enable_dns\":false,\"routetables\":[],"
        "\"endpoint_service_id\":\"sid\",\"endpoint_service_name\":\"EU-DE.x.sid\","
        "\"enable_whitelist\":false,\"description\":\"\"}";
    tfp_value *prior = json_value(schema, PRIOR);
    vpcep_endpoint *ep = NULL;
    tfp_value *st = NULL;
    int64_t marker = 0;
    (void)state;
    assert_int_equal(vpcep_decode_endpoint(&ep, ep_json, strlen(ep_json)), 0);
    assert_int_equal(tfpv_endpoint_state(&st, tfp_schema_type(schema), prior, ep), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "service_id"), "sid");
    assert_string_equal(tfpv_str(st, "service_name"), "eu-de.x.sid"); /* user's spelling */
    assert_string_equal(tfpv_str(st, "status"), "pendingAcceptance");
    /* no IP in the answer yet: the known one is kept (no replacement on refresh) */
    assert_string_equal(tfpv_str(st, "ip_address"), "10.0.0.9");
    assert_true(tfp_value_is_null(tfp_value_attr(st, "whitelist"))); /* [] with null prior */
    assert_true(tfp_value_is_null(tfp_value_attr(st, "description")));
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "tags")), 0); /* {} kept as {} */
    assert_false(tfp_value_is_null(tfp_value_attr(st, "tags")));
    assert_true(tfpv_int(st, "marker_id", &marker));
    assert_int_equal(marker, 201515772);
    tfp_value_free(st);
    /* import: no prior, provider-side booleans get their defaults */
    assert_int_equal(tfpv_endpoint_state(&st, tfp_schema_type(schema), NULL, ep), 0);
    {
        int b = 1;
        assert_true(tfpv_bool(st, "wait_for_acceptance", &b));
        assert_int_equal(b, 0);
        assert_true(tfpv_bool(st, "auto_accept", &b));
        assert_int_equal(b, 0);
    }
    assert_true(tfp_value_is_null(tfp_value_attr(st, "ip_address")));
    tfp_value_free(st);
    vpcep_endpoint_free(ep);
    tfp_value_free(prior);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid_with_paths),
        cmocka_unit_test(test_unknown_service_reference_counts_as_set),
        cmocka_unit_test(test_unknown_references_are_undecided),
        cmocka_unit_test(test_type_rules),
        cmocka_unit_test(test_plan_create),
        cmocka_unit_test(test_plan_update_in_place_and_replace),
        cmocka_unit_test(test_state_from_api),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
