/*
 * tests/unit/resources/data_sources_test.c - data sources vpcep_service (exactly one of id
 * and name; describe mapping) and vpcep_public_services (deterministic ID, list mapping).
 */
#include "helpers.h"

static void test_ds_service(void **state)
{
    static const char info_json[] =
        "{\"id\":\"9d4c\",\"service_name\":\"test123\",\"service_type\":\"interface\","
        "\"created_at\":\"2018-09-17T07:28:31Z\",\"is_charge\":\"true\"}";
    tfp_schema *s = NULL;
    tfp_value *cfg, *st = NULL;
    tfp_diags *d;
    vpcep_service_info *info = NULL;
    int b = 0;
    (void)state;
    assert_int_equal(tfpv_ds_service_schema(&s), 0);
    cfg = json_value(s, "{\"id\":\"a\",\"name\":\"b\"}");
    d = run_check(tfpv_ds_service_check, cfg);
    assert_true(has_error_at(d, "name"));
    tfp_diags_free(d);
    tfp_value_free(cfg);
    cfg = json_value(s, "{}");
    d = run_check(tfpv_ds_service_check, cfg);
    assert_true(tfp_diags_has_errors(d));
    tfp_diags_free(d);
    tfp_value_free(cfg);
    cfg = json_value(s, "{\"name\":\"eu-de.x.id\"}");
    d = run_check(tfpv_ds_service_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    tfp_value_free(cfg);

    assert_int_equal(vpcep_decode_service_info(&info, info_json, strlen(info_json)), 0);
    assert_int_equal(tfpv_ds_service_state(&st, tfp_schema_type(s), info, NULL, NULL, NULL), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "id"), "9d4c");
    assert_string_equal(tfpv_str(st, "name"), "test123");
    assert_true(tfpv_bool(st, "is_charge", &b)); /* the doc's string form */
    assert_int_equal(b, 1);
    /* Another account's service: only what the describe API tells. */
    assert_true(tfp_value_is_null(tfp_value_attr(st, "vpc_id")));
    assert_true(tfp_value_is_null(tfp_value_attr(st, "port")));
    assert_true(tfp_value_is_null(tfp_value_attr(st, "connections")));
    assert_string_equal(tfpv_str(st, "service_name"), "test123");
    tfp_value_free(st);
    vpcep_service_info_free(info);
    tfp_schema_free(s);
}

/* A service of the configured project: everything the resource exports. */
static void test_ds_service_own(void **state)
{
    static const char info_json[] =
        "{\"id\":\"4189d3c2\",\"service_name\":\"eu-de.my-svc.4189d3c2\",\"service_type\":"
        "\"interface\",\"created_at\":\"2018-09-17T07:28:31Z\",\"is_charge\":false}";
    static const char svc_json[] =
        "{\"id\":\"4189d3c2\",\"port_id\":\"port-9\",\"vpc_id\":\"vpc-9\",\"status\":"
        "\"available\",\"approval_enabled\":false,\"service_name\":\"eu-de.my-svc.4189d3c2\","
        "\"service_type\":\"interface\",\"server_type\":\"VM\",\"description\":\"d\","
        "\"tcp_proxy\":\"toa_open\",\"connection_count\":1,\"project_id\":\"pr-1\","
        "\"tags\":[{\"key\":\"env\",\"value\":\"e2e\"}],"
        "\"ports\":[{\"client_port\":8080,\"server_port\":90,\"protocol\":\"TCP\"},"
        "{\"client_port\":8081,\"server_port\":80}]}";
    static const char perms_json[] =
        "{\"permissions\":[{\"id\":\"p1\",\"permission\":\"iam:domain::abc123\"}],"
        "\"total_count\":1}";
    static const char conns_json[] =
        "{\"connections\":[{\"id\":\"ep-1\",\"status\":\"accepted\",\"marker_id\":7,"
        "\"domain_id\":\"dom-1\"}],\"total_count\":1}";
    tfp_schema *s = NULL;
    tfp_value *st = NULL;
    vpcep_service_info *info = NULL;
    vpcep_service *svc = NULL;
    vpcep_permission_list *perms = NULL;
    vpcep_connection_list *conns = NULL;
    const tfp_value *port;
    int64_t n = 0;
    int b = 1;
    (void)state;
    assert_int_equal(tfpv_ds_service_schema(&s), 0);
    assert_int_equal(vpcep_decode_service_info(&info, info_json, strlen(info_json)), 0);
    assert_int_equal(vpcep_decode_service(&svc, svc_json, strlen(svc_json)), 0);
    assert_int_equal(vpcep_decode_permission_list(&perms, perms_json, strlen(perms_json)), 0);
    assert_int_equal(vpcep_decode_connection_list(&conns, conns_json, strlen(conns_json)), 0);
    assert_int_equal(tfpv_ds_service_state(&st, tfp_schema_type(s), info, svc, perms, conns), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "name"), "eu-de.my-svc.4189d3c2");
    assert_string_equal(tfpv_str(st, "vpc_id"), "vpc-9");
    assert_string_equal(tfpv_str(st, "port_id"), "port-9");
    assert_string_equal(tfpv_str(st, "server_type"), "VM");
    assert_string_equal(tfpv_str(st, "tcp_proxy"), "toa_open");
    assert_string_equal(tfpv_str(st, "status"), "available");
    assert_string_equal(tfpv_str(st, "project_id"), "pr-1");
    assert_true(tfpv_bool(st, "approval_enabled", &b));
    assert_int_equal(b, 0);
    assert_true(tfpv_int(st, "connection_count", &n));
    assert_int_equal(n, 1);
    port = tfp_value_attr(st, "port");
    assert_int_equal(tfp_value_length(port), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(tfpv_str(tfp_value_at(port, i), "protocol"), "TCP"); /* default */
    }
    assert_string_equal(tfp_value_string(tfp_value_map_get(tfp_value_attr(st, "tags"), "env")),
                        "e2e");
    assert_true(tfpv_set_has_string(tfp_value_attr(st, "whitelist"), "abc123"));
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "connections")), 1);
    assert_true(tfpv_bool(st, "is_charge", &b));
    assert_int_equal(b, 0);
    tfp_value_free(st);
    /* No whitelist, no tags: empty, not null (a data source has no prior to follow). */
    assert_int_equal(tfpv_ds_service_state(&st, tfp_schema_type(s), info, svc, NULL, NULL), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "whitelist")), 0);
    assert_false(tfp_value_is_null(tfp_value_attr(st, "whitelist")));
    assert_false(tfp_value_is_null(tfp_value_attr(st, "connections")));
    tfp_value_free(st);
    vpcep_service_info_free(info);
    vpcep_service_free(svc);
    vpcep_permission_list_free(perms);
    vpcep_connection_list_free(conns);
    tfp_schema_free(s);
}

static void test_ds_public_services(void **state)
{
    static const char list_json[] =
        "{\"endpoint_services\":[{\"id\":\"b1\",\"owner\":\"OTC\",\"service_name\":"
        "\"com.t-systems.otc.eu-de.obs\",\"service_type\":\"gateway\",\"is_charge\":false},"
        "{\"id\":\"b2\",\"owner\":\"OTC\",\"service_name\":\"com.t-systems.otc.eu-de.dns\","
        "\"service_type\":\"interface\"}],\"total_count\":2}";
    tfp_schema *s = NULL;
    vpcep_service_info_list *list = NULL;
    tfp_value *st = NULL, *st2 = NULL;
    const tfp_value *first;
    (void)state;
    assert_int_equal(tfpv_ds_public_services_schema(&s), 0);
    assert_int_equal(vpcep_decode_service_info_list(&list, list_json, strlen(list_json)), 0);
    assert_int_equal(tfpv_ds_public_services_state(&st, tfp_schema_type(s), "obs", list), 0);
    assert_int_equal(tfpv_ds_public_services_state(&st2, tfp_schema_type(s), "obs", list), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "id"), tfpv_str(st2, "id")); /* deterministic */
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "services")), 2);
    first = tfp_value_at(tfp_value_attr(st, "services"), 0);
    assert_string_equal(tfpv_str(first, "owner"), "OTC");
    assert_string_equal(tfpv_str(first, "service_type"), "gateway");
    assert_true(tfp_value_is_null(
        tfp_value_attr(tfp_value_at(tfp_value_attr(st, "services"), 1), "is_charge")));
    tfp_value_free(st2);
    assert_int_equal(tfpv_ds_public_services_state(&st2, tfp_schema_type(s), NULL, list), 0);
    assert_string_not_equal(tfpv_str(st, "id"), tfpv_str(st2, "id"));
    tfp_value_free(st);
    tfp_value_free(st2);
    vpcep_service_info_list_free(list);
    tfp_schema_free(s);
}

/* vpcep_endpoint by ID: every attribute known, addresses once accepted, empty not null. */
static void test_ds_endpoint(void **state)
{
    static const char accepted_json[] =
        "{\"id\":\"eid\",\"status\":\"accepted\",\"ip\":\"10.0.0.7\",\"dns_names\":"
        "[\"eid.vpcep.eu-de.internal\"],\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],"
        "\"whitelist\":[\"10.1.0.0/16\"],\"enable_whitelist\":true,\"marker_id\":201515772,"
        "\"vpc_id\":\"v\",\"service_type\":\"interface\",\"subnet_id\":\"s\","
        "\"enable_dns\":true,\"endpoint_service_id\":\"sid\",\"endpoint_service_name\":"
        "\"eu-de.x.sid\",\"description\":\"d\",\"project_id\":\"p\"}";
    static const char pending_json[] =
        "{\"id\":\"eid\",\"status\":\"pendingAcceptance\",\"marker_id\":1,\"vpc_id\":\"v\","
        "\"service_type\":\"gateway\",\"endpoint_service_id\":\"sid\"}";
    tfp_schema *s = NULL;
    vpcep_endpoint *ep = NULL;
    tfp_value *st = NULL;
    int64_t n = 0;
    int b = 0;
    (void)state;
    assert_int_equal(tfpv_ds_endpoint_schema(&s), 0);
    assert_int_equal(vpcep_decode_endpoint(&ep, accepted_json, strlen(accepted_json)), 0);
    assert_int_equal(tfpv_ds_endpoint_state(&st, tfp_schema_type(s), ep), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "id"), "eid");
    assert_string_equal(tfpv_str(st, "ip_address"), "10.0.0.7");
    assert_string_equal(tfp_value_string(tfp_value_at(tfp_value_attr(st, "dns_names"), 0)),
                        "eid.vpcep.eu-de.internal");
    assert_string_equal(tfpv_str(st, "service_name"), "eu-de.x.sid");
    assert_string_equal(tfpv_str(st, "subnet_id"), "s");
    assert_true(tfpv_bool(st, "enable_dns", &b));
    assert_int_equal(b, 1);
    assert_true(tfpv_bool(st, "enable_whitelist", &b));
    assert_int_equal(b, 1);
    assert_true(tfpv_set_has_string(tfp_value_attr(st, "whitelist"), "10.1.0.0/16"));
    assert_true(tfpv_int(st, "marker_id", &n));
    assert_int_equal(n, 201515772);
    assert_string_equal(tfp_value_string(tfp_value_map_get(tfp_value_attr(st, "tags"), "k")), "v");
    tfp_value_free(st);
    vpcep_endpoint_free(ep);
    ep = NULL;

    assert_int_equal(vpcep_decode_endpoint(&ep, pending_json, strlen(pending_json)), 0);
    assert_int_equal(tfpv_ds_endpoint_state(&st, tfp_schema_type(s), ep), 0);
    assert_true(tfp_value_is_null(tfp_value_attr(st, "ip_address"))); /* not yet accepted */
    assert_true(tfp_value_is_null(tfp_value_attr(st, "subnet_id")));
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "dns_names")), 0);
    assert_false(tfp_value_is_null(tfp_value_attr(st, "dns_names")));
    assert_false(tfp_value_is_null(tfp_value_attr(st, "tags")));
    assert_false(tfp_value_is_null(tfp_value_attr(st, "route_tables")));
    assert_true(tfpv_bool(st, "enable_dns", &b));
    assert_int_equal(b, 0);
    tfp_value_free(st);
    vpcep_endpoint_free(ep);
    tfp_schema_free(s);
}

/* vpcep_services: client-side VPC filter, tag filter intersection, order, deterministic ID. */
static void test_ds_services(void **state)
{
    static const char list_json[] =
        "{\"endpoint_services\":[{\"id\":\"s3\",\"vpc_id\":\"vpc-a\",\"created_at\":"
        "\"2024-01-03T00:00:00Z\",\"service_name\":\"eu-de.c.s3\",\"status\":\"available\"},"
        "{\"id\":\"s1\",\"vpc_id\":\"vpc-a\",\"created_at\":\"2024-01-01T00:00:00Z\","
        "\"service_name\":\"eu-de.a.s1\",\"status\":\"available\",\"tags\":[{\"key\":\"t\","
        "\"value\":\"x\"}],\"ports\":[{\"client_port\":80,\"server_port\":8080}]},"
        "{\"id\":\"s2\",\"vpc_id\":\"vpc-b\",\"created_at\":\"2024-01-02T00:00:00Z\","
        "\"service_name\":\"eu-de.b.s2\",\"status\":\"available\"}],\"total_count\":3}";
    static const char tagged_json[] =
        "{\"resources\":[{\"resource_id\":\"s1\",\"resource_name\":\"a\",\"tags\":[]},"
        "{\"resource_id\":\"s2\",\"resource_name\":\"b\",\"tags\":[]}],\"total_count\":2}";
    tfp_schema *s = NULL;
    vpcep_service_list *list = NULL;
    vpcep_tagged_resource_list *tagged = NULL;
    tfp_value *cfg, *cfg2, *st = NULL, *st2 = NULL;
    const tfp_value *svcs, *ids;
    tfp_diags *d;
    (void)state;
    assert_int_equal(tfpv_ds_services_schema(&s), 0);
    assert_int_equal(vpcep_decode_service_list(&list, list_json, strlen(list_json)), 0);
    assert_int_equal(vpcep_decode_tagged_resource_list(&tagged, tagged_json, strlen(tagged_json)),
                     0);

    cfg = json_value(s, "{\"vpc_id\":\"vpc-a\"}");
    assert_int_equal(tfpv_ds_services_state(&st, tfp_schema_type(s), cfg, list, NULL), 0);
    assert_true(tfp_value_is_wholly_known(st));
    ids = tfp_value_attr(st, "ids");
    assert_int_equal(tfp_value_length(ids), 2);
    assert_string_equal(tfp_value_string(tfp_value_at(ids, 0)), "s1"); /* oldest first */
    assert_string_equal(tfp_value_string(tfp_value_at(ids, 1)), "s3");
    svcs = tfp_value_attr(st, "services");
    assert_string_equal(tfpv_str(tfp_value_at(svcs, 0), "service_name"), "eu-de.a.s1");
    assert_int_equal(tfp_value_length(tfp_value_attr(tfp_value_at(svcs, 0), "port")), 1);
    assert_string_equal(tfpv_str(st, "vpc_id"), "vpc-a");
    assert_non_null(strstr(tfpv_str(st, "id"), "vpcep-services-"));

    /* The tag filter's answer intersects: only s1 is in vpc-a and tagged. */
    assert_int_equal(tfpv_ds_services_state(&st2, tfp_schema_type(s), cfg, list, tagged), 0);
    assert_int_equal(tfp_value_length(tfp_value_attr(st2, "ids")), 1);
    assert_string_equal(tfp_value_string(tfp_value_at(tfp_value_attr(st2, "ids"), 0)), "s1");
    tfp_value_free(st2);

    /* Same filters, same ID; other filters, another ID; an empty filter is no filter. */
    cfg2 = json_value(s, "{\"vpc_id\":\"vpc-a\",\"tags\":{}}");
    assert_int_equal(tfpv_ds_services_state(&st2, tfp_schema_type(s), cfg2, list, NULL), 0);
    assert_string_equal(tfpv_str(st, "id"), tfpv_str(st2, "id"));
    tfp_value_free(st2);
    tfp_value_free(cfg2);
    cfg2 = json_value(s, "{\"vpc_id\":\"vpc-b\"}");
    assert_int_equal(tfpv_ds_services_state(&st2, tfp_schema_type(s), cfg2, list, NULL), 0);
    assert_string_not_equal(tfpv_str(st, "id"), tfpv_str(st2, "id"));
    assert_int_equal(tfp_value_length(tfp_value_attr(st2, "services")), 1);
    tfp_value_free(st2);
    tfp_value_free(cfg2);

    /* Nothing found: known empty lists. */
    assert_int_equal(tfpv_ds_services_state(&st2, tfp_schema_type(s), cfg, NULL, NULL), 0);
    assert_true(tfp_value_is_wholly_known(st2));
    assert_int_equal(tfp_value_length(tfp_value_attr(st2, "services")), 0);
    assert_false(tfp_value_is_null(tfp_value_attr(st2, "ids")));
    tfp_value_free(st2);

    cfg2 = json_value(s, "{\"status\":\"sleeping\"}");
    d = run_check(tfpv_ds_services_check, cfg2);
    assert_true(has_error_at(d, "status"));
    tfp_diags_free(d);
    tfp_value_free(cfg2);

    tfp_value_free(st);
    tfp_value_free(cfg);
    vpcep_service_list_free(list);
    vpcep_tagged_resource_list_free(tagged);
    tfp_schema_free(s);
}

/* vpcep_endpoints: service ID and status compared here (status ignoring case). */
static void test_ds_endpoints(void **state)
{
    static const char list_json[] =
        "{\"endpoints\":[{\"id\":\"e2\",\"status\":\"pendingAcceptance\",\"endpoint_service_id\":"
        "\"s1\",\"created_at\":\"2024-01-02T00:00:00Z\",\"vpc_id\":\"v\"},{\"id\":\"e1\","
        "\"status\":\"accepted\",\"ip\":\"10.0.0.5\",\"endpoint_service_id\":\"s1\","
        "\"created_at\":\"2024-01-01T00:00:00Z\",\"vpc_id\":\"v\"},{\"id\":\"e3\",\"status\":"
        "\"accepted\",\"endpoint_service_id\":\"s2\",\"created_at\":\"2024-01-03T00:00:00Z\","
        "\"vpc_id\":\"v\"}],\"total_count\":3}";
    tfp_schema *s = NULL;
    vpcep_endpoint_list *list = NULL;
    tfp_value *cfg, *st = NULL;
    const tfp_value *eps;
    tfp_diags *d;
    (void)state;
    assert_int_equal(tfpv_ds_endpoints_schema(&s), 0);
    assert_int_equal(vpcep_decode_endpoint_list(&list, list_json, strlen(list_json)), 0);
    cfg = json_value(s, "{\"service_id\":\"s1\"}");
    assert_int_equal(tfpv_ds_endpoints_state(&st, tfp_schema_type(s), cfg, list, NULL), 0);
    assert_true(tfp_value_is_wholly_known(st));
    eps = tfp_value_attr(st, "endpoints");
    assert_int_equal(tfp_value_length(eps), 2);
    assert_string_equal(tfpv_str(tfp_value_at(eps, 0), "id"), "e1");
    assert_string_equal(tfpv_str(tfp_value_at(eps, 0), "ip_address"), "10.0.0.5");
    assert_true(tfp_value_is_null(tfp_value_attr(tfp_value_at(eps, 1), "ip_address")));
    tfp_value_free(st);
    tfp_value_free(cfg);
    cfg = json_value(s, "{\"status\":\"ACCEPTED\"}");
    assert_int_equal(tfpv_ds_endpoints_state(&st, tfp_schema_type(s), cfg, list, NULL), 0);
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "ids")), 2);
    assert_string_equal(tfp_value_string(tfp_value_at(tfp_value_attr(st, "ids"), 1)), "e3");
    assert_non_null(strstr(tfpv_str(st, "id"), "vpcep-endpoints-"));
    d = run_check(tfpv_ds_endpoints_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0); /* case-insensitive */
    tfp_diags_free(d);
    tfp_value_free(st);
    tfp_value_free(cfg);
    vpcep_endpoint_list_free(list);
    tfp_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ds_service),   cmocka_unit_test(test_ds_service_own),
        cmocka_unit_test(test_ds_endpoint),  cmocka_unit_test(test_ds_services),
        cmocka_unit_test(test_ds_endpoints), cmocka_unit_test(test_ds_public_services),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
