/*
 * tests/unit/resources/rpc_test.c - the assembled provider driven through the core's
 * protocol-neutral boundary (tfp__rpc_*), as the server drives it: schemas, provider
 * validation/configuration, resource validation with attribute paths, plans with an
 * unconfigured (deferred) provider, requires_replace, upgrade and import. No sockets.
 */
#include "helpers.h"
#include "rpc.h"

static tfp_provider *prov;

static int setup(void **state)
{
    static const char *const vars[] = {
        "OS_REGION_NAME", "OS_PROJECT_ID", "OS_ACCESS_KEY",  "OS_SECRET_KEY", "OS_TOKEN",
        "OS_USERNAME",    "OS_PASSWORD",   "OS_DOMAIN_NAME", "OS_AUTH_URL",   "VPCEP_ENDPOINT"};
    (void)state;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        unsetenv(vars[i]);
    }
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

/* msgpack of @p v in a dynamic view; the buffer is returned for freeing. */
static void *encode(tfp__rpc_dynamic *dyn, const tfp_value *v)
{
    void *buf = NULL;
    size_t len = 0;
    memset(dyn, 0, sizeof *dyn);
    if (v == NULL) {
        return NULL;
    }
    assert_int_equal(tfp_value_to_msgpack(&buf, &len, v), 0);
    dyn->msgpack = buf;
    dyn->msgpack_len = len;
    return buf;
}

static tfp_value *decode(const tfp_schema *s, const tfp__rpc_result *r)
{
    tfp_value *v = NULL;
    assert_true(r->has_value);
    assert_int_equal(tfp_value_from_msgpack(&v, tfp_schema_type(s), r->value, r->value_len, NULL),
                     0);
    return v;
}

static int result_has_error_at(const tfp__rpc_result *r, const char *attr, const char *text)
{
    for (size_t i = 0; i < r->ndiags; i++) {
        const tfp__rpc_diag *d = &r->diags[i];
        int path_ok, text_ok;
        if (d->severity != 1) {
            continue;
        }
        path_ok = attr == NULL ? (!d->has_path || d->path.nsteps == 0)
                               : (d->has_path && d->path.nsteps >= 1 &&
                                  d->path.steps[0].kind == TFP__RPC_STEP_ATTR &&
                                  strcmp(d->path.steps[0].name, attr) == 0);
        text_ok = text == NULL || strstr(d->summary, text) != NULL ||
                  (d->detail != NULL && strstr(d->detail, text) != NULL);
        if (path_ok && text_ok) {
            return 1;
        }
    }
    return 0;
}

static int has_errors(const tfp__rpc_result *r)
{
    for (size_t i = 0; i < r->ndiags; i++) {
        if (r->diags[i].severity == 1) {
            fprintf(stderr, "error: %s: %s\n", r->diags[i].summary,
                    r->diags[i].detail != NULL ? r->diags[i].detail : "");
            return 1;
        }
    }
    return 0;
}

static void test_schemas(void **state)
{
    const char *name = NULL;
    const tfp_schema *s = NULL;
    (void)state;
    assert_int_equal(tfp__rpc_resource_count(prov), 3);
    assert_int_equal(tfp__rpc_data_source_count(prov), 5);
    assert_int_equal(tfp__rpc_data_source_at(prov, 0, &name, &s), 0);
    assert_string_equal(name, "vpcep_endpoint");
    assert_int_equal(tfp__rpc_data_source_at(prov, 1, &name, &s), 0);
    assert_string_equal(name, "vpcep_endpoints");
    assert_int_equal(tfp__rpc_data_source_at(prov, 2, &name, &s), 0);
    assert_string_equal(name, "vpcep_public_services");
    assert_int_equal(tfp__rpc_data_source_at(prov, 3, &name, &s), 0);
    assert_string_equal(name, "vpcep_service");
    assert_int_equal(tfp__rpc_data_source_at(prov, 4, &name, &s), 0);
    assert_string_equal(name, "vpcep_services");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(tfp__rpc_resource_at(prov, i, &name, &s), 0);
        assert_int_equal(tfp_schema_version(s), 0);
        assert_non_null(tfp_schema_type(s));
    }
    assert_int_equal(
        tfp_block_attribute_count(tfp_schema_root_const(tfp__rpc_provider_schema(prov))), 25);
}

static void test_provider_validate_and_configure(void **state)
{
    const tfp_schema *ps = tfp__rpc_provider_schema(prov);
    tfp__rpc_result r;
    tfp__rpc_dynamic dyn;
    tfp_value *cfg = json_value(ps, "{\"region\":\"eu-de\",\"token\":\"t\",\"access_key\":\"a\","
                                    "\"secret_key\":\"s\",\"project_id\":\"p\"}");
    void *buf = encode(&dyn, cfg);
    (void)state;
    assert_int_equal(tfp__rpc_validate_provider_config(prov, &dyn, &r), 0);
    assert_true(result_has_error_at(&r, "token", "Conflicting credentials"));
    tfp__rpc_result_dispose(&r);
    tfp_free(buf);
    tfp_value_free(cfg);

    cfg = json_value(ps, "{\"region\":\"eu-de\"}");
    buf = encode(&dyn, cfg);
    assert_int_equal(tfp__rpc_configure(prov, "1.11.4", &dyn, &r), 0);
    assert_true(result_has_error_at(&r, NULL, "No credentials"));
    tfp__rpc_result_dispose(&r);
    tfp_free(buf);

    /* Unknown credentials during plan: accepted, client creation deferred. */
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "token"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "project_id"), 0);
    buf = encode(&dyn, cfg);
    assert_int_equal(tfp__rpc_configure(prov, "1.11.4", &dyn, &r), 0);
    assert_false(has_errors(&r));
    tfp__rpc_result_dispose(&r);
    tfp_free(buf);
    tfp_value_free(cfg);
}

static void test_validate_resource_paths(void **state)
{
    const tfp_schema *s = schema_of("vpcep_service");
    tfp__rpc_result r;
    tfp__rpc_dynamic dyn;
    tfp_value *cfg = json_value(s, "{\"vpc_id\":\"v\",\"port_id\":\"p\",\"server_type\":\"VM\","
                                   "\"name\":\"bad name!\",\"tags\":{\"a@b\":\"v\"},"
                                   "\"port\":[{\"client_port\":80,\"server_port\":70000}]}");
    void *buf = encode(&dyn, cfg);
    (void)state;
    assert_int_equal(tfp__rpc_validate_resource(prov, "vpcep_service", &dyn, &r), 0);
    assert_true(result_has_error_at(&r, "name", NULL));
    assert_true(result_has_error_at(&r, "tags", NULL));
    assert_true(result_has_error_at(&r, "port", NULL));
    tfp__rpc_result_dispose(&r);
    tfp_free(buf);
    tfp_value_free(cfg);
}

/* The provider was last configured with unknown values (test order): plans must not need the
 * API and must say nothing about it. */
static void test_plan_endpoint_deferred_provider(void **state)
{
    const tfp_schema *s = schema_of("vpcep_endpoint");
    tfp__rpc_result r;
    tfp__rpc_dynamic prior = {0}, proposed, config;
    tfp_value *cfg = json_value(s, "{\"service_name\":\"eu-de.x.sid\",\"vpc_id\":\"v\","
                                   "\"subnet_id\":\"s\"}");
    tfp_value *planned;
    void *b1 = encode(&proposed, cfg), *b2 = encode(&config, cfg);
    int b = 1;
    (void)state;
    assert_int_equal(tfp__rpc_plan(prov, "vpcep_endpoint", &prior, &proposed, &config, NULL, 0, &r),
                     0);
    assert_false(has_errors(&r));
    planned = decode(s, &r);
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "id")));
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "service_type")));
    assert_true(tfpv_bool(planned, "wait_for_acceptance", &b));
    assert_int_equal(b, 0);
    tfp_value_free(planned);
    tfp__rpc_result_dispose(&r);
    tfp_free(b1);
    tfp_free(b2);
    tfp_value_free(cfg);
}

static void test_plan_service_update_requires_replace(void **state)
{
    const tfp_schema *s = schema_of("vpcep_service");
    tfp__rpc_result r;
    tfp__rpc_dynamic prior, proposed, config;
    tfp_value *pv = json_value(
        s, "{\"id\":\"sid\",\"name\":\"svc\",\"vpc_id\":\"v\",\"port_id\":\"p\","
           "\"server_type\":\"VM\",\"service_type\":\"interface\",\"approval_enabled\":true,"
           "\"tcp_proxy\":\"close\",\"service_name\":\"eu-de.svc.sid\",\"status\":\"available\","
           "\"connections\":[],\"port\":[{\"client_port\":80,\"server_port\":81,"
           "\"protocol\":\"TCP\"}]}");
    tfp_value *nv = NULL;
    void *b1, *b2, *b3;
    int saw_vpc = 0;
    (void)state;
    assert_int_equal(tfp_value_copy(&nv, pv), 0);
    assert_int_equal(tfp_value_set_attr_string(nv, "vpc_id", "v2"), 0);
    b1 = encode(&prior, pv);
    b2 = encode(&proposed, nv);
    b3 = encode(&config, nv);
    assert_int_equal(tfp__rpc_plan(prov, "vpcep_service", &prior, &proposed, &config, NULL, 0, &r),
                     0);
    assert_false(has_errors(&r));
    for (size_t i = 0; i < r.nrequires_replace; i++) {
        const tfp__rpc_path *p = &r.requires_replace[i];
        if (p->nsteps == 1 && strcmp(p->steps[0].name, "vpc_id") == 0) {
            saw_vpc = 1;
        }
        /* only attributes the API cannot update */
        assert_true(strcmp(p->steps[0].name, "vpc_id") == 0 ||
                    strcmp(p->steps[0].name, "server_type") == 0 ||
                    strcmp(p->steps[0].name, "service_type") == 0);
    }
    assert_true(saw_vpc);
    tfp__rpc_result_dispose(&r);
    tfp_free(b1);
    tfp_free(b2);
    tfp_free(b3);
    tfp_value_free(pv);
    tfp_value_free(nv);
}

/* An imported endpoint's generated configuration has both service_id and service_name: that
 * plans clean when they are the service's, and is refused when the name is another's. */
static void test_plan_endpoint_with_id_and_name(void **state)
{
    const tfp_schema *s = schema_of("vpcep_endpoint");
    tfp__rpc_result r;
    tfp__rpc_dynamic prior, proposed, config;
    tfp_value *pv =
        json_value(s, "{\"id\":\"eid\",\"service_id\":\"sid\",\"service_name\":\"eu-de.svc.sid\","
                      "\"vpc_id\":\"v\",\"subnet_id\":\"n\",\"enable_dns\":true,\"ip_address\":"
                      "\"10.0.0.5\",\"enable_whitelist\":false,\"route_tables\":[],"
                      "\"wait_for_acceptance\":false,\"auto_accept\":false,\"status\":\"accepted\","
                      "\"dns_names\":[],\"service_type\":\"interface\",\"marker_id\":1}");
    tfp_value *nv = NULL;
    void *b1, *b2, *b3;
    (void)state;
    b1 = encode(&prior, pv);
    b2 = encode(&proposed, pv);
    b3 = encode(&config, pv);
    assert_int_equal(tfp__rpc_plan(prov, "vpcep_endpoint", &prior, &proposed, &config, NULL, 0, &r),
                     0);
    assert_false(has_errors(&r));
    assert_int_equal(r.nrequires_replace, 0);
    tfp__rpc_result_dispose(&r);
    tfp_free(b2);
    tfp_free(b3);
    /* the same ID with another service's name */
    assert_int_equal(tfp_value_copy(&nv, pv), 0);
    assert_int_equal(tfp_value_set_attr_string(nv, "service_name", "eu-de.other.x"), 0);
    b2 = encode(&proposed, nv);
    b3 = encode(&config, nv);
    assert_int_equal(tfp__rpc_plan(prov, "vpcep_endpoint", &prior, &proposed, &config, NULL, 0, &r),
                     0);
    assert_true(result_has_error_at(&r, "service_name", "different services"));
    tfp__rpc_result_dispose(&r);
    tfp_free(b1);
    tfp_free(b2);
    tfp_free(b3);
    tfp_value_free(pv);
    tfp_value_free(nv);
}

static void test_read_while_deferred_keeps_state(void **state)
{
    const tfp_schema *s = schema_of("vpcep_endpoint");
    tfp__rpc_result r;
    tfp__rpc_dynamic cur;
    tfp_value *st = json_value(s, "{\"id\":\"eid\",\"service_id\":\"sid\",\"vpc_id\":\"v\"}");
    tfp_value *got;
    void *buf = encode(&cur, st);
    (void)state;
    assert_int_equal(tfp__rpc_read_resource(prov, "vpcep_endpoint", &cur, NULL, 0, &r), 0);
    assert_false(has_errors(&r));
    got = decode(s, &r);
    assert_true(tfp_value_equal(got, st));
    tfp_value_free(got);
    tfp__rpc_result_dispose(&r);
    tfp_free(buf);
    tfp_value_free(st);
}

static void test_apply_while_deferred_is_an_error(void **state)
{
    const tfp_schema *s = schema_of("vpcep_approval");
    tfp__rpc_result r;
    tfp__rpc_dynamic prior = {0}, planned, config;
    tfp_value *v = json_value(s, "{\"id\":\"sid\",\"service_id\":\"sid\",\"endpoints\":[\"e\"],"
                                 "\"connections\":[]}");
    void *b1 = encode(&planned, v), *b2 = encode(&config, v);
    (void)state;
    assert_int_equal(tfp__rpc_apply(prov, "vpcep_approval", &prior, &planned, &config, NULL, 0, &r),
                     0);
    assert_true(result_has_error_at(&r, NULL, "not configured"));
    tfp__rpc_result_dispose(&r);
    tfp_free(b1);
    tfp_free(b2);
    tfp_value_free(v);
}

static void test_upgrade_and_import(void **state)
{
    static const char raw[] = "{\"id\":\"sid\",\"service_id\":\"sid\",\"endpoints\":[\"e1\"],"
                              "\"connections\":[]}";
    const tfp_schema *s = schema_of("vpcep_approval");
    tfp__rpc_result r;
    tfp_value *v;
    (void)state;
    assert_int_equal(
        tfp__rpc_upgrade_state(prov, "vpcep_approval", 0, (const uint8_t *)raw, strlen(raw), &r),
        0);
    assert_false(has_errors(&r));
    v = decode(s, &r);
    assert_true(tfpv_set_has_string(tfp_value_attr(v, "endpoints"), "e1"));
    tfp_value_free(v);
    tfp__rpc_result_dispose(&r);

    assert_int_equal(
        tfp__rpc_upgrade_state(prov, "vpcep_approval", 7, (const uint8_t *)raw, strlen(raw), &r),
        0);
    assert_true(result_has_error_at(&r, NULL, "version"));
    tfp__rpc_result_dispose(&r);

    assert_int_equal(tfp__rpc_import(prov, "vpcep_approval", "sid", &r), 0);
    assert_false(has_errors(&r));
    assert_string_equal(r.type_name, "vpcep_approval");
    v = decode(s, &r);
    assert_string_equal(tfpv_str(v, "id"), "sid");
    assert_string_equal(tfpv_str(v, "service_id"), "sid");
    assert_true(tfp_value_is_null(tfp_value_attr(v, "endpoints"))); /* Read fills all accepted */
    tfp_value_free(v);
    tfp__rpc_result_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schemas),
        cmocka_unit_test(test_provider_validate_and_configure),
        cmocka_unit_test(test_validate_resource_paths),
        cmocka_unit_test(test_plan_endpoint_deferred_provider),
        cmocka_unit_test(test_plan_service_update_requires_replace),
        cmocka_unit_test(test_plan_endpoint_with_id_and_name),
        cmocka_unit_test(test_read_while_deferred_keeps_state),
        cmocka_unit_test(test_apply_while_deferred_is_an_error),
        cmocka_unit_test(test_upgrade_and_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
