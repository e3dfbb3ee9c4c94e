/*
 * tests/unit/resources/move_test.c - `moved` from the OTC and Huawei Cloud providers: the
 * assembled provider driven through tfp__rpc_move_state with state JSON as those providers
 * write it (attribute renames, port_mapping, permissions, timeouts, region in private), and
 * what is refused. No sockets, no API.
 */
#include "helpers.h"
#include "rpc.h"

static tfp_provider *prov;

#define OTC "registry.terraform.io/opentelekomcloud/opentelekomcloud"
#define HW "registry.terraform.io/huaweicloud/huaweicloud"

static int setup(void **state)
{
    (void)state;
    if (tfp_provider_new(&prov, "vpcep", "0.0.0-test") != 0) {
        return -1;
    }
    return tfpv_resources_register(prov);
}

static int teardown(void **state)
{
    (void)state;
    tfp_provider_free(prov);
    return 0;
}

static const tfp_schema *schema_of(const char *type)
{
    for (size_t i = 0; i < tfp__rpc_resource_count(prov); i++) {
        const char *name = NULL;
        const tfp_schema *s = NULL;
        assert_int_equal(tfp__rpc_resource_at(prov, i, &name, &s), 0);
        if (strcmp(name, type) == 0) {
            return s;
        }
    }
    fail_msg("no resource type %s", type);
    return NULL;
}

/* Moves @p json of @p source (provider @p provider) into @p target; returns the decoded state
 * (NULL when the result has none) and leaves the result in @p res. */
static tfp_value *move(const char *provider,
                       const char *source,
                       int64_t version,
                       const char *json,
                       const char *target,
                       tfp__rpc_result *res)
{
    tfp_value *v = NULL;
    assert_int_equal(tfp__rpc_move_state(prov, provider, source, version, (const uint8_t *)json,
                                         strlen(json), NULL, 0, target, res),
                     0);
    if (res->has_value) {
        assert_int_equal(tfp_value_from_msgpack(&v, tfp_schema_type(schema_of(target)), res->value,
                                                res->value_len, NULL),
                         0);
    }
    return v;
}

static int rpc_error_mentions(const tfp__rpc_result *r, const char *text)
{
    for (size_t i = 0; i < r->ndiags; i++) {
        if (r->diags[i].severity == 1 &&
            (strstr(r->diags[i].summary, text) != NULL ||
             (r->diags[i].detail != NULL && strstr(r->diags[i].detail, text) != NULL))) {
            return 1;
        }
    }
    return 0;
}

static char *json_of(const tfp_value *v, const char *attr)
{
    char *s = NULL;
    assert_int_equal(tfp_value_to_json(&s, tfp_value_attr(v, attr)), 0);
    return s;
}

static void assert_attr_json(const tfp_value *v, const char *attr, const char *want)
{
    char *s = json_of(v, attr);
    if (strcmp(s, want) != 0) {
        fail_msg("%s is %s, expected %s", attr, s, want);
    }
    tfp_free(s);
}

/* As the OTC provider (SDKv2) stores a service: every attribute, "" for unset strings,
 * timeouts { default }, plus attributes this provider does not have (pool_id, vip_port_id) and
 * one a later version added (enterprise_project_id). */
static const char otc_service[] =
    "{\"approval_enabled\":true,\"connections\":[{\"created_at\":\"2025-01-01T00:00:00Z\","
    "\"description\":\"\",\"domain_id\":\"dom2\",\"endpoint_id\":\"ep-1\",\"packet_id\":"
    "16777510,\"status\":\"accepted\",\"updated_at\":\"2025-01-01T00:00:01Z\"}],"
    "\"description\":\"\",\"enterprise_project_id\":\"0\",\"id\":\"svc-1\",\"name\":\"web\","
    "\"pool_id\":\"pool\",\"port\":[{\"client_port\":80,\"protocol\":\"TCP\",\"server_port\":"
    "8080}],\"port_id\":\"port-1\",\"server_type\":\"VM\",\"service_type\":\"interface\","
    "\"status\":\"available\",\"tags\":{\"env\":\"prod\"},\"tcp_proxy\":\"close\","
    "\"timeouts\":{\"default\":\"5m\"},\"vip_port_id\":\"\",\"vpc_id\":\"vpc-1\","
    "\"whitelist\":[\"dom2\"]}";

static void test_otc_service(void **state)
{
    tfp__rpc_result res;
    tfp_value *v =
        move(OTC, "opentelekomcloud_vpcep_service_v1", 0, otc_service, "vpcep_service", &res);
    (void)state;
    assert_int_equal(res.ndiags, 0);
    assert_non_null(v);
    assert_string_equal(tfp_value_attr_string(v, "id"), "svc-1");
    assert_string_equal(tfp_value_attr_string(v, "name"), "web");
    assert_string_equal(tfp_value_attr_string(v, "port_id"), "port-1");
    assert_true(tfp_value_is_null(tfp_value_attr(v, "description")));  /* "" = never set */
    assert_true(tfp_value_is_null(tfp_value_attr(v, "service_name"))); /* Read fills it */
    assert_attr_json(v, "whitelist", "[\"dom2\"]");
    assert_attr_json(v, "tags", "{\"env\":\"prod\"}");
    assert_attr_json(v, "port", "[{\"client_port\":80,\"protocol\":\"TCP\",\"server_port\":8080}]");
    assert_attr_json(v, "approval_enabled", "true");
    assert_attr_json(v, "connections",
                     "[{\"domain_id\":\"dom2\",\"endpoint_id\":\"ep-1\","
                     "\"marker_id\":16777510,\"status\":\"accepted\"}]");
    /* OTC's single default covers each operation */
    assert_attr_json(v, "timeouts", "{\"create\":\"5m\",\"delete\":\"5m\",\"update\":\"5m\"}");
    assert_false(res.has_priv); /* OTC services carry no region */
    tfp_value_free(v);
    tfp__rpc_result_dispose(&res);
}

static const char hw_service[] =
    "{\"approval\":false,\"connections\":[],\"description\":\"d\",\"enable_policy\":false,"
    "\"id\":\"svc-2\",\"ip_address\":\"\",\"ip_version\":\"ipv4\",\"name\":\"api\","
    "\"organization_permissions\":[],\"permissions\":[\"iam:domain::dom3\",\"*\"],"
    "\"pool_id\":\"\",\"port_id\":\"port-2\",\"port_mapping\":[{\"protocol\":\"UDP\","
    "\"service_port\":443,\"terminal_port\":8443},{\"protocol\":\"\",\"service_port\":80,"
    "\"terminal_port\":8080}],\"region\":\"eu-de\",\"server_type\":\"LB\",\"service_name\":"
    "\"eu-de.api.1234\",\"service_type\":\"interface\",\"snat_network_id\":\"\",\"status\":"
    "\"available\",\"tags\":{},\"tcp_proxy\":\"\",\"timeouts\":null,\"vpc_id\":\"vpc-2\"}";

static void test_huawei_service(void **state)
{
    tfp__rpc_result res;
    tfp_value *v = move(HW, "huaweicloud_vpcep_service", 0, hw_service, "vpcep_service", &res);
    (void)state;
    assert_int_equal(res.ndiags, 0);
    assert_non_null(v);
    assert_string_equal(tfp_value_attr_string(v, "service_name"), "eu-de.api.1234");
    assert_string_equal(tfp_value_attr_string(v, "description"), "d");
    assert_attr_json(v, "approval_enabled", "false"); /* HW calls it approval */
    /* raw permission strings become domain IDs ("*" stays) */
    assert_attr_json(v, "whitelist", "[\"dom3\",\"*\"]");
    /* service_port is the backend port, terminal_port the one endpoints use */
    assert_attr_json(v, "port",
                     "[{\"client_port\":8443,\"protocol\":\"UDP\",\"server_port\":443},"
                     "{\"client_port\":8080,\"protocol\":\"TCP\",\"server_port\":80}]");
    assert_true(tfp_value_is_null(tfp_value_attr(v, "tags")));      /* {} = never set */
    assert_true(tfp_value_is_null(tfp_value_attr(v, "tcp_proxy"))); /* Read fills it */
    assert_true(tfp_value_is_null(tfp_value_attr(v, "timeouts")));
    assert_attr_json(v, "connections", "[]");
    /* the region travels in the private state, for Read to check */
    assert_true(res.has_priv);
    assert_int_equal(res.priv_len, strlen("region=eu-de"));
    assert_memory_equal(res.priv, "region=eu-de", res.priv_len);
    tfp_value_free(v);
    tfp__rpc_result_dispose(&res);
}

static void test_endpoints(void **state)
{
    static const char otc[] =
        "{\"description\":\"\",\"dns_names\":[\"b.example\",\"a.example\"],\"enable_dns\":true,"
        "\"enable_whitelist\":false,\"id\":\"ep-1\",\"marker_id\":201515772,"
        "\"policy_statement\":\"null\",\"port_ip\":\"192.168.0.5\",\"project_id\":\"p\","
        "\"route_tables\":[],\"service_id\":\"svc-1\",\"service_name\":\"web\","
        "\"service_type\":\"interface\",\"status\":\"accepted\",\"subnet_id\":\"net-1\","
        "\"tags\":{\"k\":\"v\"},\"timeouts\":null,\"vpc_id\":\"vpc-1\",\"whitelist\":[]}";
    static const char hw[] =
        "{\"description\":\"x\",\"enable_dns\":true,\"enable_whitelist\":true,\"id\":\"ep-2\","
        "\"ip_address\":\"10.0.0.9\",\"ip_version\":\"\",\"ipv6_address\":\"\",\"network_id\":"
        "\"net-2\",\"packet_id\":42,\"policy_document\":\"\",\"policy_statement\":\"\","
        "\"private_domain_name\":\"ep.example\",\"region\":\"eu-nl\",\"routetables\":null,"
        "\"service_id\":\"svc-2\",\"service_name\":\"eu-nl.api.1\",\"service_type\":"
        "\"interface\",\"status\":\"accepted\",\"tags\":{},\"timeouts\":{\"create\":\"10m\","
        "\"delete\":\"20m\"},\"vpc_id\":\"vpc-2\",\"whitelist\":[\"10.0.0.0/8\"]}";
    tfp__rpc_result res;
    tfp_value *v = move(OTC, "opentelekomcloud_vpcep_endpoint_v1", 0, otc, "vpcep_endpoint", &res);
    (void)state;
    assert_int_equal(res.ndiags, 0);
    assert_non_null(v);
    assert_string_equal(tfp_value_attr_string(v, "ip_address"), "192.168.0.5"); /* port_ip */
    assert_string_equal(tfp_value_attr_string(v, "subnet_id"), "net-1");
    /* OTC keeps only the middle part of the service name: not a full name, so left to Read */
    assert_true(tfp_value_is_null(tfp_value_attr(v, "service_name")));
    assert_true(tfp_value_is_null(tfp_value_attr(v, "whitelist")));
    assert_attr_json(v, "dns_names", "[\"b.example\",\"a.example\"]");
    assert_attr_json(v, "marker_id", "201515772");
    assert_attr_json(v, "route_tables", "[]");
    assert_attr_json(v, "wait_for_acceptance", "false");
    assert_attr_json(v, "auto_accept", "false");
    tfp_value_free(v);
    tfp__rpc_result_dispose(&res);

    v = move(HW, "huaweicloud_vpcep_endpoint", 0, hw, "vpcep_endpoint", &res);
    assert_int_equal(res.ndiags, 0);
    assert_non_null(v);
    assert_string_equal(tfp_value_attr_string(v, "subnet_id"), "net-2"); /* network_id */
    assert_string_equal(tfp_value_attr_string(v, "service_name"), "eu-nl.api.1");
    assert_attr_json(v, "dns_names", "[\"ep.example\"]");
    assert_attr_json(v, "marker_id", "42"); /* packet_id */
    assert_attr_json(v, "whitelist", "[\"10.0.0.0/8\"]");
    assert_attr_json(v, "enable_whitelist", "true");
    assert_true(tfp_value_is_null(tfp_value_attr(v, "route_tables")));
    assert_attr_json(v, "timeouts", "{\"create\":\"10m\",\"delete\":\"20m\",\"update\":null}");
    assert_memory_equal(res.priv, "region=eu-nl", res.priv_len);
    tfp_value_free(v);
    tfp__rpc_result_dispose(&res);
}

static void test_approvals(void **state)
{
    static const char otc[] =
        "{\"connections\":[{\"created_at\":\"\",\"description\":\"\",\"domain_id\":\"d\","
        "\"endpoint_id\":\"ep-1\",\"packet_id\":7,\"status\":\"accepted\",\"updated_at\":\"\"}],"
        "\"endpoints\":[\"ep-1\"],\"id\":\"svc-1\",\"region\":\"eu-de\",\"service_id\":"
        "\"svc-1\",\"timeouts\":{\"create\":\"10m\",\"delete\":\"3m\"}}";
    static const char hw[] = "{\"connections\":null,\"endpoints\":[\"ep-2\",\"ep-3\"],\"id\":"
                             "\"svc-2\",\"region\":\"\",\"service_id\":\"svc-2\",\"timeouts\":"
                             "null}";
    tfp__rpc_result res;
    tfp_value *v = move(OTC, "opentelekomcloud_vpcep_approval_v1", 0, otc, "vpcep_approval", &res);
    (void)state;
    assert_int_equal(res.ndiags, 0);
    assert_string_equal(tfp_value_attr_string(v, "id"), "svc-1");
    assert_string_equal(tfp_value_attr_string(v, "service_id"), "svc-1");
    assert_attr_json(v, "endpoints", "[\"ep-1\"]");
    assert_attr_json(v, "timeouts", "{\"create\":\"10m\",\"delete\":\"3m\",\"update\":null}");
    assert_memory_equal(res.priv, "region=eu-de", res.priv_len);
    tfp_value_free(v);
    tfp__rpc_result_dispose(&res);

    v = move(HW, "huaweicloud_vpcep_approval", 0, hw, "vpcep_approval", &res);
    assert_int_equal(res.ndiags, 0);
    assert_attr_json(v, "endpoints", "[\"ep-2\",\"ep-3\"]");
    assert_attr_json(v, "connections", "[]");
    assert_false(res.has_priv); /* an empty region is no region */
    tfp_value_free(v);
    tfp__rpc_result_dispose(&res);
}

static void test_refused(void **state)
{
    tfp__rpc_result res;
    tfp_value *v;
    (void)state;

    /* another type of the same provider, named with its provider */
    v = move(OTC, "opentelekomcloud_vpc_v1", 0, "{\"id\":\"x\"}", "vpcep_service", &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "Unsupported `moved` source"));
    assert_true(rpc_error_mentions(&res, "\"opentelekomcloud_vpc_v1\""));
    assert_true(rpc_error_mentions(&res, "\"" OTC "\""));
    tfp__rpc_result_dispose(&res);

    /* the right type name under another provider */
    v = move("registry.terraform.io/example/fork", "huaweicloud_vpcep_service", 0, hw_service,
             "vpcep_service", &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "registry.terraform.io/example/fork"));
    tfp__rpc_result_dispose(&res);

    /* a service's state into an endpoint */
    v = move(OTC, "opentelekomcloud_vpcep_service_v1", 0, otc_service, "vpcep_endpoint", &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "vpcep_endpoint cannot take over"));
    tfp__rpc_result_dispose(&res);

    /* a schema version the Go providers never wrote */
    v = move(OTC, "opentelekomcloud_vpcep_service_v1", 1, otc_service, "vpcep_service", &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "schema version 1"));
    tfp__rpc_result_dispose(&res);

    /* state that is not what the provider writes */
    v = move(OTC, "opentelekomcloud_vpcep_service_v1", 0, "{\"id\":[1]}", "vpcep_service", &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "Cannot read the source state"));
    tfp__rpc_result_dispose(&res);
    v = move(OTC, "opentelekomcloud_vpcep_service_v1", 0, "{\"name\":\"x\"}", "vpcep_service",
             &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "holds no id"));
    tfp__rpc_result_dispose(&res);
    v = move(HW, "huaweicloud_vpcep_approval", 0, "not json", "vpcep_approval", &res);
    assert_null(v);
    assert_true(rpc_error_mentions(&res, "Cannot read the source state"));
    tfp__rpc_result_dispose(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_otc_service), cmocka_unit_test(test_huawei_service),
        cmocka_unit_test(test_endpoints),   cmocka_unit_test(test_approvals),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
