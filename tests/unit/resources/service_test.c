/*
 * tests/unit/resources/service_test.c - vpcep_service: schema, validation with attribute
 * paths, plan logic (defaults, unknowns, normalisation) and the API-to-state mapping.
 */
#include "helpers.h"

static tfp_schema *schema;

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

#define BASE "\"vpc_id\":\"vpc-1\",\"port_id\":\"port-1\",\"server_type\":\"VM\""
#define PORT80 "\"port\":[{\"client_port\":80,\"server_port\":8080}]"

static tfp_diags *check_json(const char *json)
{
    tfp_value *cfg = json_value(schema, json);
    tfp_diags *d = run_check(tfpv_service_check, cfg);
    tfp_value_free(cfg);
    return d;
}

static void test_valid_config(void **state)
{
    tfp_diags *d = check_json("{" BASE "," PORT80 ",\"name\":\"ok-name_1\","
                              "\"description\":\"fine\",\"tcp_proxy\":\"toa_open\","
                              "\"service_type\":\"Interface\",\"whitelist\":[\"abc123\",\"*\"],"
                              "\"tags\":{\"k1\":\"v\",\"key-2\":\"\"},"
                              "\"timeouts\":{\"create\":\"30s\",\"update\":null,"
                              "\"delete\":\"1h\"}}");
    (void)state;
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    tfp_diags_free(d);
}

/* One diagnostic per bad tag, at tags["key"], naming the key or the value. */
static void test_tag_diagnostics_name_the_tag(void **state)
{
    tfp_diags *d = check_json("{" BASE "," PORT80 ",\"tags\":{\"ok\":\"v\",\"a b\":\"v\","
                              "\"c\":\"x@y\",\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":"
                              "\"\"}}");
    (void)state;
    assert_int_equal(tfp_diags_count(d), 3);
    assert_true(has_error_at(d, "tags[\"a b\"]"));
    assert_true(has_error_at(d, "tags[\"c\"]"));
    assert_false(has_error_at(d, "tags[\"ok\"]"));
    assert_true(diag_mentions(d, "The tag key \"a b\" is not valid: it contains a space"));
    assert_true(
        diag_mentions(d, "The value \"x@y\" of tag \"c\" is not valid: '@' is not allowed"));
    /* a long key is cut in the message (the path keeps it whole) */
    assert_true(diag_mentions(d, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is not valid: it "
                                 "has 48 characters"));
    tfp_diags_free(d);
}

static void test_invalid_attributes_have_paths(void **state)
{
    struct {
        const char *json;
        const char *path;
    } cases[] = {
        {"{" BASE "," PORT80 ",\"name\":\"bad name!\"}", "name"},
        {"{" BASE "," PORT80 ",\"name\":\"abcdefghijklmnopq\"}", "name"},
        {"{" BASE "," PORT80 ",\"description\":\"a <b> c\"}", "description"},
        {"{\"vpc_id\":\"v\",\"port_id\":\"p\",\"server_type\":\"XX\"," PORT80 "}", "server_type"},
        {"{" BASE "," PORT80 ",\"service_type\":\"bogus\"}", "service_type"},
        {"{" BASE "," PORT80 ",\"tcp_proxy\":\"bogus\"}", "tcp_proxy"},
        {"{" BASE "," PORT80 ",\"whitelist\":[\"iam:domain::x\"]}", "whitelist"},
        {"{" BASE "," PORT80 ",\"tags\":{\"bad key\":\"v\"}}", "tags[\"bad key\"]"},
        {"{" BASE "," PORT80 ",\"tags\":{\"k\":\"bad value!\"}}", "tags[\"k\"]"},
        {"{" BASE "," PORT80 ",\"tags\":{\"a@b\":\"v\"}}", "tags"},
        /* the create marker's key is the provider's own */
        {"{" BASE "," PORT80 ",\"tags\":{\"vpcep-create-marker\":\"v\"}}",
         "tags[\"vpcep-create-marker\"]"},
        {"{" BASE "," PORT80 ",\"tags\":{\"k1\":\"v\",\"k2\":\"v\",\"k3\":\"v\",\"k4\":\"v\","
         "\"k5\":\"v\",\"k6\":\"v\",\"k7\":\"v\",\"k8\":\"v\",\"k9\":\"v\",\"k10\":\"v\","
         "\"k11\":\"v\"}}",
         "tags"},
        {"{" BASE ",\"port\":[{\"client_port\":0,\"server_port\":8080}]}", "port.client_port"},
        {"{" BASE ",\"port\":[{\"client_port\":80,\"server_port\":65536}]}", "port.server_port"},
        {"{" BASE ",\"port\":[{\"client_port\":80,\"server_port\":80,\"protocol\":\"SCTP\"}]}",
         "port.protocol"},
        {"{" BASE ",\"port\":[{\"client_port\":80,\"server_port\":8080},"
         "{\"client_port\":80,\"server_port\":8081,\"protocol\":\"tcp\"}]}",
         "port.client_port"},
        {"{" BASE ",\"port\":[]}", "port"},
        {"{" BASE "," PORT80 ",\"timeouts\":{\"create\":\"10x\",\"update\":null,"
         "\"delete\":null}}",
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

static void test_same_port_other_protocol_is_fine(void **state)
{
    tfp_diags *d = check_json("{" BASE ",\"port\":[{\"client_port\":80,\"server_port\":8080},"
                              "{\"client_port\":80,\"server_port\":8080,\"protocol\":\"UDP\"}]}");
    (void)state;
    assert_false(tfp_diags_has_errors(d));
    tfp_diags_free(d);
}

static void test_unknown_values_skip_validation(void **state)
{
    tfp_value *cfg = json_value(schema, "{" BASE "," PORT80 "}");
    tfp_diags *d;
    (void)state;
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "name"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "tags"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "description"), 0);
    d = run_check(tfpv_service_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    tfp_value_free(cfg);
}

static void test_plan_create_defaults_and_unknowns(void **state)
{
    tfp_value *cfg = json_value(schema, "{" BASE "," PORT80 "}");
    tfp_value *planned = NULL;
    const tfp_value *port;
    (void)state;
    assert_int_equal(tfpv_service_plan_value(&planned, NULL, cfg, cfg), 0);
    assert_string_equal(tfpv_str(planned, "service_type"), "interface");
    assert_true(tfp_value_is_known(tfp_value_attr(planned, "approval_enabled")));
    {
        int b = 0;
        assert_true(tfpv_bool(planned, "approval_enabled", &b));
        assert_int_equal(b, 1);
    }
    port = tfp_value_at(tfp_value_attr(planned, "port"), 0);
    assert_string_equal(tfpv_str(port, "protocol"), "TCP");
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "id")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "service_name")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "status")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "connections")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "name")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "tcp_proxy")));
    /* non-computed attributes stay as configured (null) */
    assert_true(tfp_value_is_null(tfp_value_attr(planned, "whitelist")));
    assert_true(tfp_value_is_null(tfp_value_attr(planned, "tags")));
    assert_true(tfp_value_is_null(tfp_value_attr(planned, "timeouts")));
    tfp_value_free(planned);
    tfp_value_free(cfg);
}

static void test_plan_create_keeps_false(void **state)
{
    tfp_value *cfg = json_value(schema, "{" BASE "," PORT80 ",\"approval_enabled\":false}");
    tfp_value *planned = NULL;
    int b = 1;
    (void)state;
    assert_int_equal(tfpv_service_plan_value(&planned, NULL, cfg, cfg), 0);
    assert_true(tfpv_bool(planned, "approval_enabled", &b));
    assert_int_equal(b, 0);
    tfp_value_free(planned);
    tfp_value_free(cfg);
}

#define PRIOR                                                                                      \
    "{\"id\":\"sid\",\"name\":\"svc\",\"description\":null,\"vpc_id\":\"vpc-1\","                  \
    "\"port_id\":\"port-1\",\"server_type\":\"VM\",\"service_type\":\"interface\","                \
    "\"approval_enabled\":true,\"tcp_proxy\":\"close\",\"whitelist\":null,\"tags\":null,"          \
    "\"service_name\":\"eu-de.svc.sid\",\"status\":\"available\",\"connections\":[],"              \
    "\"port\":[{\"client_port\":80,\"server_port\":8080,\"protocol\":\"TCP\"}],"                   \
    "\"timeouts\":null}"

static void test_plan_update_noop_keeps_prior(void **state)
{
    tfp_value *prior = json_value(schema, PRIOR);
    tfp_value *planned = NULL;
    (void)state;
    assert_int_equal(tfpv_service_plan_value(&planned, prior, prior, prior), 0);
    assert_true(tfp_value_equal(planned, prior));
    tfp_value_free(planned);
    tfp_value_free(prior);
}

static void test_plan_update_normalises_case(void **state)
{
    tfp_value *prior = json_value(schema, PRIOR);
    tfp_value *proposed = json_value(
        schema, "{\"id\":\"sid\",\"name\":\"svc\",\"description\":null,\"vpc_id\":\"vpc-1\","
                "\"port_id\":\"port-1\",\"server_type\":\"vm\",\"service_type\":\"INTERFACE\","
                "\"approval_enabled\":true,\"tcp_proxy\":\"Close\",\"whitelist\":[],\"tags\":{},"
                "\"service_name\":\"eu-de.svc.sid\",\"status\":\"available\",\"connections\":[],"
                "\"port\":[{\"client_port\":80,\"server_port\":8080,\"protocol\":\"tcp\"}],"
                "\"timeouts\":null}");
    tfp_value *planned = NULL;
    (void)state;
    assert_int_equal(tfpv_service_plan_value(&planned, prior, proposed, proposed), 0);
    assert_string_equal(tfpv_str(planned, "server_type"), "VM");
    assert_string_equal(tfpv_str(planned, "service_type"), "interface");
    assert_string_equal(tfpv_str(planned, "tcp_proxy"), "close");
    assert_true(tfp_value_equal(tfp_value_attr(planned, "port"), tfp_value_attr(prior, "port")));
    /* [] against null must stay as configured (Terraform's rule for non-computed values) */
    assert_int_equal(tfp_value_length(tfp_value_attr(planned, "whitelist")), 0);
    assert_false(tfp_value_is_null(tfp_value_attr(planned, "whitelist")));
    tfp_value_free(planned);
    tfp_value_free(proposed);
    tfp_value_free(prior);
}

static void test_plan_update_name_change(void **state)
{
    tfp_value *prior = json_value(schema, PRIOR);
    tfp_value *proposed = NULL, *planned = NULL;
    (void)state;
    assert_int_equal(tfp_value_copy(&proposed, prior), 0);
    assert_int_equal(tfp_value_set_attr_string(proposed, "name", "other"), 0);
    assert_int_equal(tfp_value_set_attr_string(proposed, "description", "new"), 0);
    assert_int_equal(tfpv_service_plan_value(&planned, prior, proposed, proposed), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "service_name")));
    /* unchanged computed values keep their prior value */
    assert_string_equal(tfpv_str(planned, "status"), "available");
    assert_string_equal(tfpv_str(planned, "id"), "sid");
    assert_true(tfp_value_is_known(tfp_value_attr(planned, "connections")));
    tfp_value_free(planned);
    tfp_value_free(proposed);
    tfp_value_free(prior);
}

static void test_plan_update_description_keeps_service_name(void **state)
{
    tfp_value *prior = json_value(schema, PRIOR);
    tfp_value *proposed = NULL, *planned = NULL;
    (void)state;
    assert_int_equal(tfp_value_copy(&proposed, prior), 0);
    assert_int_equal(tfp_value_set_attr_string(proposed, "description", "new"), 0);
    assert_int_equal(tfpv_service_plan_value(&planned, prior, proposed, proposed), 0);
    assert_string_equal(tfpv_str(planned, "service_name"), "eu-de.svc.sid");
    tfp_value_free(planned);
    tfp_value_free(proposed);
    tfp_value_free(prior);
}

static const char svc_json[] =
    "{\"id\":\"4189d3c2\",\"port_id\":\"port-9\",\"vpc_id\":\"vpc-9\",\"status\":\"available\","
    "\"approval_enabled\":false,\"service_name\":\"eu-de.my-svc.4189d3c2\","
    "\"service_type\":\"interface\",\"server_type\":\"VM\",\"description\":\"\","
    "\"tcp_proxy\":\"close\",\"tags\":[{\"key\":\"env\",\"value\":\"e2e\"}],"
    "\"ports\":[{\"client_port\":8080,\"server_port\":90,\"protocol\":\"TCP\"},"
    "{\"client_port\":8081,\"server_port\":80}]}";
static const char perms_json[] =
    "{\"permissions\":[{\"id\":\"p1\",\"permission\":\"iam:domain::abc123\","
    "\"permission_type\":\"domainId\"},{\"id\":\"p2\",\"permission\":\"*\"}],\"total_count\":2}";
static const char conns_json[] =
    "{\"connections\":[{\"id\":\"ep-1\",\"status\":\"accepted\",\"marker_id\":16777510,"
    "\"domain_id\":\"dom-1\"}],\"total_count\":1}";

static void test_state_from_api(void **state)
{
    vpcep_service *svc = NULL;
    vpcep_permission_list *perms = NULL;
    vpcep_connection_list *conns = NULL;
    tfp_value *st = NULL;
    const tfp_value *wl, *c0, *ports;
    int b = 1;
    int64_t marker = 0;
    (void)state;
    assert_int_equal(vpcep_decode_service(&svc, svc_json, strlen(svc_json)), 0);
    assert_int_equal(vpcep_decode_permission_list(&perms, perms_json, strlen(perms_json)), 0);
    assert_int_equal(vpcep_decode_connection_list(&conns, conns_json, strlen(conns_json)), 0);
    assert_int_equal(tfpv_service_state(&st, tfp_schema_type(schema), NULL, svc, perms, conns), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "id"), "4189d3c2");
    assert_string_equal(tfpv_str(st, "name"), "my-svc");
    assert_string_equal(tfpv_str(st, "service_name"), "eu-de.my-svc.4189d3c2");
    assert_true(tfp_value_is_null(tfp_value_attr(st, "description"))); /* "" with null prior */
    assert_true(tfpv_bool(st, "approval_enabled", &b));
    assert_int_equal(b, 0);
    wl = tfp_value_attr(st, "whitelist");
    assert_int_equal(tfp_value_length(wl), 2);
    assert_true(tfpv_set_has_string(wl, "abc123")); /* iam:domain:: stripped */
    assert_true(tfpv_set_has_string(wl, "*"));
    assert_string_equal(tfp_value_string(tfp_value_map_get(tfp_value_attr(st, "tags"), "env")),
                        "e2e");
    ports = tfp_value_attr(st, "port");
    assert_int_equal(tfp_value_length(ports), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(tfpv_str(tfp_value_at(ports, i), "protocol"), "TCP");
    }
    c0 = tfp_value_at(tfp_value_attr(st, "connections"), 0);
    assert_string_equal(tfpv_str(c0, "endpoint_id"), "ep-1");
    assert_true(tfpv_int(c0, "marker_id", &marker));
    assert_int_equal(marker, 16777510);
    assert_string_equal(tfpv_str(c0, "status"), "accepted");
    tfp_value_free(st);
    vpcep_service_free(svc);
    vpcep_permission_list_free(perms);
    vpcep_connection_list_free(conns);
}

static void test_state_keeps_user_spelling_and_empty_forms(void **state)
{
    vpcep_service *svc = NULL;
    tfp_value *prior = json_value(
        schema, "{\"id\":\"4189d3c2\",\"server_type\":\"vm\",\"tcp_proxy\":\"CLOSE\","
                "\"description\":\"\",\"whitelist\":[],\"tags\":{},\"timeouts\":{\"create\":"
                "\"5m\",\"update\":null,\"delete\":null},"
                "\"port\":[{\"client_port\":8081,\"server_port\":80,\"protocol\":\"tcp\"}]}");
    static const char bare[] = "{\"id\":\"4189d3c2\",\"server_type\":\"VM\","
                               "\"service_name\":\"eu-de.4189d3c2\",\"tcp_proxy\":\"close\","
                               "\"ports\":[{\"client_port\":8081,\"server_port\":80,"
                               "\"protocol\":\"TCP\"}]}";
    tfp_value *st = NULL;
    const tfp_value *p0;
    (void)state;
    assert_int_equal(vpcep_decode_service(&svc, bare, strlen(bare)), 0);
    assert_int_equal(tfpv_service_state(&st, tfp_schema_type(schema), prior, svc, NULL, NULL), 0);
    assert_string_equal(tfpv_str(st, "server_type"), "vm");
    assert_string_equal(tfpv_str(st, "tcp_proxy"), "CLOSE");
    assert_true(tfp_value_is_null(tfp_value_attr(st, "name"))); /* region.id: no short name */
    assert_string_equal(tfpv_str(st, "description"), "");
    assert_false(tfp_value_is_null(tfp_value_attr(st, "whitelist")));
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "whitelist")), 0);
    assert_false(tfp_value_is_null(tfp_value_attr(st, "tags")));
    assert_string_equal(tfpv_str(tfp_value_attr(st, "timeouts"), "create"), "5m");
    p0 = tfp_value_at(tfp_value_attr(st, "port"), 0);
    assert_string_equal(tfpv_str(p0, "protocol"), "tcp");
    {
        int b = 0;
        assert_true(tfpv_bool(st, "approval_enabled", &b)); /* absent in the answer: default */
        assert_int_equal(b, 1);
    }
    tfp_value_free(st);
    tfp_value_free(prior);
    vpcep_service_free(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_config),
        cmocka_unit_test(test_tag_diagnostics_name_the_tag),
        cmocka_unit_test(test_invalid_attributes_have_paths),
        cmocka_unit_test(test_same_port_other_protocol_is_fine),
        cmocka_unit_test(test_unknown_values_skip_validation),
        cmocka_unit_test(test_plan_create_defaults_and_unknowns),
        cmocka_unit_test(test_plan_create_keeps_false),
        cmocka_unit_test(test_plan_update_noop_keeps_prior),
        cmocka_unit_test(test_plan_update_normalises_case),
        cmocka_unit_test(test_plan_update_name_change),
        cmocka_unit_test(test_plan_update_description_keeps_service_name),
        cmocka_unit_test(test_state_from_api),
        cmocka_unit_test(test_state_keeps_user_spelling_and_empty_forms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
