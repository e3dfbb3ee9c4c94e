/*
 * tests/unit/resources/provider_config_test.c - provider configuration: environment
 * fallbacks, defaults derived from the region, and every configuration error with its path.
 */
#include "helpers.h"

static tfp_schema *schema;
/* The settings borrow strings from the configuration: keep the last one alive. */
static tfp_value *last_cfg;

static const char *const *fake_env;

static const char *fake_getenv(const char *name)
{
    for (size_t i = 0; fake_env != NULL && fake_env[i] != NULL; i += 2) {
        if (strcmp(fake_env[i], name) == 0) {
            return fake_env[i + 1];
        }
    }
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    return tfpv_provider_schema(&schema);
}

static int teardown(void **state)
{
    (void)state;
    tfp_value_free(last_cfg);
    tfp_schema_free(schema);
    return 0;
}

/* Resolves @p json with @p env; returns the diagnostics (caller frees). */
static tfp_diags *resolve(tfpv_settings *s, const char *json, const char *const *env, int final)
{
    tfp_diags *d = NULL;
    tfp_value_free(last_cfg);
    last_cfg = json_value(schema, json);
    assert_int_equal(tfp_diags_new(&d), 0);
    fake_env = env;
    (void)tfpv_settings_resolve(s, last_cfg, d, final, fake_getenv);
    return d;
}

static void test_schema_flags(void **state)
{
    const tfp_block *b = tfp_schema_root_const(schema);
    static const char *const sensitive[] = {"access_key", "secret_key", "token", "password",
                                            "security_token"};
    (void)state;
    for (size_t i = 0; i < tfp_block_attribute_count(b); i++) {
        const char *name = NULL;
        unsigned flags = 0;
        int want = 0;
        assert_int_equal(tfp_block_attribute_at(&name, NULL, &flags, NULL, b, i), 0);
        for (size_t j = 0; j < 5; j++) {
            want |= strcmp(name, sensitive[j]) == 0;
        }
        assert_int_equal((flags & TFP_ATTR_SENSITIVE) != 0, want);
        assert_true(flags & TFP_ATTR_OPTIONAL);
    }
    assert_int_equal(tfp_block_attribute_count(b), 25);
}

static void test_env_and_defaults(void **state)
{
    static const char *const env[] = {"OS_REGION_NAME",
                                      "eu-nl",
                                      "OS_ACCESS_KEY",
                                      "AK",
                                      "OS_SECRET_KEY",
                                      "SK",
                                      "OS_PROJECT_ID",
                                      "pid",
                                      NULL};
    tfpv_settings s;
    tfp_diags *d = resolve(&s, "{}", env, 1);
    (void)state;
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.region, "eu-nl");
    assert_string_equal(s.access_key, "AK");
    assert_string_equal(s.endpoint, "https://vpcep.eu-nl.otc.t-systems.com");
    assert_string_equal(s.auth_url, "https://iam.eu-nl.otc.t-systems.com/v3");
    assert_int_equal(s.max_retries, -1);
    tfp_diags_free(d);
}

static void test_config_wins_over_env(void **state)
{
    static const char *const env[] = {
        "OS_REGION_NAME",     "eu-nl", "OS_TOKEN", "env-token", "VPCEP_ENDPOINT",
        "http://env.example", NULL};
    tfpv_settings s;
    tfp_diags *d = resolve(&s,
                           "{\"region\":\"eu-de\",\"access_key\":\"AK\",\"secret_key\":\"SK\","
                           "\"project_id\":\"p\",\"max_retries\":3,\"insecure\":true}",
                           env, 1);
    (void)state;
    dump_diags(d);
    /* credentials of the configuration are not mixed with OS_TOKEN from the environment */
    assert_false(tfp_diags_has_errors(d));
    assert_null(s.token);
    assert_string_equal(s.region, "eu-de");
    assert_string_equal(s.endpoint, "http://env.example");
    assert_int_equal(s.max_retries, 3);
    assert_int_equal(s.insecure, 1);
    tfp_diags_free(d);
}

/* The Swiss cloud's hosts, and the OpenStack variable names pipelines use. */
static void test_swiss_cloud_and_env_aliases(void **state)
{
    static const char *const env[] = {
        "OS_REGION_NAME", "eu-ch2", "OS_AUTH_TOKEN", "tok", "OS_PROJECT_NAME", "eu-ch2_app", NULL};
    static const char *const tenant_env[] = {"OS_REGION_NAME",
                                             "eu-de",
                                             "OS_ACCESS_KEY",
                                             "AK",
                                             "OS_SECRET_KEY",
                                             "SK",
                                             "OS_TENANT_ID",
                                             "tenant",
                                             "OS_TOKEN",
                                             "",
                                             NULL};
    static const char *const pw_env[] = {
        "OS_REGION_NAME",      "eu-de",    "OS_USERNAME",    "u",         "OS_PASSWORD", "p",
        "OS_USER_DOMAIN_NAME", "user-dom", "OS_DOMAIN_NAME", "other-dom", NULL};
    static const char *const pw_id_env[] = {
        "OS_REGION_NAME",    "eu-de", "OS_USERNAME", "u", "OS_PASSWORD", "p",
        "OS_USER_DOMAIN_ID", "did",   NULL};
    tfpv_settings s;
    tfp_diags *d = resolve(&s, "{}", env, 1);
    (void)state;
    /* a token from OS_AUTH_TOKEN, and a project by name: no project_id needed */
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.token, "tok");
    assert_null(s.project_id);
    assert_string_equal(s.project_name, "eu-ch2_app");
    assert_string_equal(s.endpoint, "https://vpcep.eu-ch2.sc.otc.t-systems.com");
    assert_string_equal(s.auth_url, "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3");
    tfp_diags_free(d);

    d = resolve(&s, "{}", tenant_env, 1);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.project_id, "tenant");
    assert_null(s.token); /* empty counts as unset */
    tfp_diags_free(d);

    /* the user's domain: OS_USER_DOMAIN_NAME wins over OS_DOMAIN_NAME ... */
    d = resolve(&s, "{}", pw_env, 1);
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.domain_name, "user-dom");
    tfp_diags_free(d);
    /* ... the configuration wins over both */
    d = resolve(&s, "{\"domain_name\":\"cfg-dom\"}", pw_env, 1);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.domain_name, "cfg-dom");
    assert_null(s.domain_id);
    tfp_diags_free(d);
    /* ... and an ID is enough */
    d = resolve(&s, "{}", pw_id_env, 1);
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_null(s.domain_name);
    assert_string_equal(s.domain_id, "did");
    tfp_diags_free(d);
    d = resolve(&s, "{\"user_domain_id\":\"cfg-id\",\"domain_name\":\"n\"}", pw_id_env, 1);
    assert_false(tfp_diags_has_errors(d));
    assert_null(s.domain_name);
    assert_string_equal(s.domain_id, "cfg-id");
    tfp_diags_free(d);
}

/* Temporary AK/SK: the security token with its keys, from the environment or the block. */
static void test_security_token(void **state)
{
    static const char *const env[] = {"OS_REGION_NAME",
                                      "eu-de",
                                      "OS_ACCESS_KEY",
                                      "TMPAK",
                                      "OS_SECRET_KEY",
                                      "TMPSK",
                                      "OS_SECURITY_TOKEN",
                                      "st",
                                      "OS_PROJECT_ID",
                                      "p",
                                      NULL};
    static const char *const alone[] = {
        "OS_REGION_NAME", "eu-de", "OS_SECURITY_TOKEN", "st", "OS_PROJECT_ID", "p", NULL};
    tfpv_settings s;
    tfp_diags *d = resolve(&s, "{}", env, 1);
    (void)state;
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.security_token, "st");
    assert_string_equal(s.access_key, "TMPAK");
    tfp_diags_free(d);
    /* keys in the block: the environment's security token is not mixed in */
    d = resolve(&s, "{\"access_key\":\"AK\",\"secret_key\":\"SK\"}", env, 1);
    assert_false(tfp_diags_has_errors(d));
    assert_null(s.security_token);
    tfp_diags_free(d);
    d = resolve(&s, "{}", alone, 1);
    assert_true(has_error_at(d, "security_token"));
    tfp_diags_free(d);
}

static void test_errors_with_paths(void **state)
{
    struct {
        const char *json;
        int final;
        const char *path; /* NULL: no attribute */
        const char *text;
    } cases[] = {
        {"{\"region\":\"eu-de\"}", 1, NULL, "No credentials"},
        {"{\"region\":\"eu-de\",\"token\":\"t\",\"access_key\":\"a\",\"secret_key\":\"s\","
         "\"project_id\":\"p\"}",
         0, "token", "Conflicting credentials"},
        {"{\"region\":\"eu-de\",\"access_key\":\"a\",\"project_id\":\"p\"}", 0, "secret_key",
         "secret_key"},
        {"{\"region\":\"eu-de\",\"secret_key\":\"s\",\"project_id\":\"p\"}", 0, "access_key",
         "access_key"},
        {"{\"access_key\":\"a\",\"secret_key\":\"s\",\"project_id\":\"p\"}", 1, "region", "region"},
        {"{\"region\":\"eu-de\",\"access_key\":\"a\",\"secret_key\":\"s\",\"project_id\":\"p\","
         "\"endpoint\":\"not a url\"}",
         0, "endpoint", "Malformed URL"},
        {"{\"region\":\"eu-de\",\"token\":\"t\",\"project_id\":\"p\","
         "\"auth_url\":\"iam.example/v3\"}",
         0, "auth_url", "Malformed URL"},
        {"{\"region\":\"eu-de\",\"access_key\":\"a\",\"secret_key\":\"s\"}", 1, "project_id",
         "project_id"},
        {"{\"region\":\"eu-de\",\"user_name\":\"u\",\"domain_name\":\"d\"}", 1, "password",
         "password"},
        {"{\"region\":\"eu-de\",\"user_name\":\"u\",\"password\":\"pw\"}", 1, "domain_name",
         "domain_name"},
        {"{\"region\":\"eu-de\",\"token\":\"t\",\"project_id\":\"p\",\"max_retries\":-1}", 0,
         "max_retries", "max_retries"},
        {"{\"region\":\"eu-de\",\"token\":\"t\",\"project_id\":\"p\","
         "\"cacert_file\":\"/nonexistent/ca.pem\"}",
         1, "cacert_file", "cacert_file"},
        {"{\"connect_timeout\":\"10\"}", 0, "connect_timeout", "VPCEP_CONNECT_TIMEOUT"},
        {"{\"request_timeout\":\"0s\"}", 0, "request_timeout", "more than 0"},
        {"{\"retry_budget\":\"2h\"}", 0, "retry_budget", "at most 1h"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tfpv_settings s;
        tfp_diags *d = resolve(&s, cases[i].json, NULL, cases[i].final);
        if (!has_error_at(d, cases[i].path) || !diag_mentions(d, cases[i].text)) {
            fprintf(stderr, "case %zu (%s)\n", i, cases[i].json);
            dump_diags(d);
        }
        assert_true(has_error_at(d, cases[i].path));
        assert_true(diag_mentions(d, cases[i].text));
        tfp_diags_free(d);
    }
}

static void test_timeouts_and_budget(void **state)
{
    static const char *const env[] = {"VPCEP_CONNECT_TIMEOUT",
                                      "2s",
                                      "VPCEP_RETRY_BUDGET",
                                      "1m30s",
                                      "VPCEP_MAX_RETRIES",
                                      "7",
                                      NULL};
    static const char *const bad_env[] = {"VPCEP_MAX_RETRIES", "many", "VPCEP_REQUEST_TIMEOUT",
                                          "soon", NULL};
    tfpv_settings s;
    tfp_diags *d =
        resolve(&s, "{\"request_timeout\":\"500ms\",\"connect_timeout\":\"1s\"}", env, 0);
    (void)state;
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_int_equal(s.connect_timeout_ms, 1000); /* the configuration wins */
    assert_int_equal(s.request_timeout_ms, 500);
    assert_int_equal(s.retry_budget_ms, 90000); /* from the environment */
    assert_int_equal(s.max_retries, 7);
    tfp_diags_free(d);
    d = resolve(&s, "{}", NULL, 0);
    assert_int_equal(s.connect_timeout_ms, 0); /* unset: the library's defaults */
    assert_int_equal(s.request_timeout_ms, 0);
    assert_int_equal(s.retry_budget_ms, 0);
    tfp_diags_free(d);
    d = resolve(&s, "{}", bad_env, 0);
    assert_true(has_error_at(d, "max_retries"));
    assert_true(diag_mentions(d, "VPCEP_MAX_RETRIES"));
    assert_true(has_error_at(d, "request_timeout"));
    assert_true(diag_mentions(d, "\"soon\""));
    tfp_diags_free(d);
}

static void test_validate_time_needs_no_credentials(void **state)
{
    tfpv_settings s;
    tfp_diags *d = resolve(&s, "{}", NULL, 0);
    (void)state;
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
}

static void test_unknown_values_defer(void **state)
{
    tfp_value *cfg = json_value(schema, "{\"region\":\"eu-de\"}");
    tfpv_settings s;
    tfp_diags *d = NULL;
    (void)state;
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "token"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(cfg, "project_id"), 0);
    assert_int_equal(tfp_diags_new(&d), 0);
    fake_env = NULL;
    assert_int_equal(tfpv_settings_resolve(&s, cfg, d, 1, fake_getenv), 0);
    assert_true(s.has_unknown);
    assert_int_equal(tfp_diags_count(d), 0); /* no "No credentials" while unknown */
    tfp_diags_free(d);
    tfp_value_free(cfg);
}

static void test_no_secret_in_diagnostics(void **state)
{
    tfpv_settings s;
    tfp_diags *d = resolve(&s,
                           "{\"region\":\"eu-de\",\"token\":\"SECRET-TOKEN\","
                           "\"access_key\":\"AKX\",\"secret_key\":\"SECRET-SK\","
                           "\"password\":\"SECRET-PW\",\"endpoint\":\"bad\"}",
                           NULL, 1);
    (void)state;
    assert_true(tfp_diags_has_errors(d));
    assert_false(diag_mentions(d, "SECRET"));
    tfp_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_flags),
        cmocka_unit_test(test_env_and_defaults),
        cmocka_unit_test(test_config_wins_over_env),
        cmocka_unit_test(test_swiss_cloud_and_env_aliases),
        cmocka_unit_test(test_security_token),
        cmocka_unit_test(test_errors_with_paths),
        cmocka_unit_test(test_timeouts_and_budget),
        cmocka_unit_test(test_validate_time_needs_no_credentials),
        cmocka_unit_test(test_unknown_values_defer),
        cmocka_unit_test(test_no_secret_in_diagnostics),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
