/*
 * tests/unit/resources/clouds_test.c - `cloud` / OS_CLOUD: clouds.yaml and secure.yaml found
 * where OpenStack clients look, secure.yaml laid over clouds.yaml, and the precedence of the
 * configuration and the environment over the cloud entry.
 */
#include "helpers.h"

#include <sys/stat.h>
#include <unistd.h>

static char g_dir[256];
static char g_home[512];
static char g_clouds[700];
static char g_secure[700];
static const char *const *fake_env;
static tfp_schema *schema;
static tfp_value *last_cfg;

static const char *fake_getenv(const char *name)
{
    for (size_t i = 0; fake_env != NULL && fake_env[i] != NULL; i += 2) {
        if (strcmp(fake_env[i], name) == 0) {
            return fake_env[i + 1];
        }
    }
    return NULL;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char CLOUDS[] = "# comment\n"
                             "clouds:\n"
                             "  otc:\n"
                             "    region_name: eu-nl\n"
                             "    auth:\n"
                             "      auth_url: https://iam.example/v3\n"
                             "      username: 'alice'\n"
                             "      project_name: eu-nl_app\n"
                             "      user_domain_name: OTC-ALICE\n"
                             "      password: from-clouds\n"
                             "  keys:\n"
                             "    region_name: eu-de\n"
                             "    auth:\n"
                             "      ak: AKCLOUD\n"
                             "      project_id: pid-keys\n";
static const char SECURE[] = "clouds:\n"
                             "  otc:\n"
                             "    auth:\n"
                             "      password: \"from-secure\"\n"
                             "  keys:\n"
                             "    auth:\n"
                             "      sk: SKSECURE\n";

static int setup(void **state)
{
    char path[600];
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/clouds-test-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(g_dir));
    snprintf(g_home, sizeof g_home, "%s/home", g_dir);
    assert_int_equal(mkdir(g_home, 0700), 0);
    snprintf(path, sizeof path, "%s/.config", g_home);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/.config/openstack", g_home);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(g_clouds, sizeof g_clouds, "%s/.config/openstack/clouds.yaml", g_home);
    snprintf(g_secure, sizeof g_secure, "%s/.config/openstack/secure.yaml", g_home);
    write_file(g_clouds, CLOUDS);
    write_file(g_secure, SECURE);
    return tfpv_provider_schema(&schema);
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    assert_int_equal(system(cmd), 0);
    tfp_value_free(last_cfg);
    tfp_schema_free(schema);
    return 0;
}

/* ~/.config/openstack: secure.yaml's password wins over clouds.yaml's. */
static void test_home_files_and_secure_overlay(void **state)
{
    const char *env[] = {"HOME", g_home, NULL};
    tfpv_cloud c;
    char err[512] = "";
    (void)state;
    fake_env = env;
    assert_int_equal(tfpv_cloud_load(&c, "otc", fake_getenv, err, sizeof err), 0);
    assert_string_equal(c.region, "eu-nl");
    assert_string_equal(c.auth_url, "https://iam.example/v3");
    assert_string_equal(c.user_name, "alice");
    assert_string_equal(c.project_name, "eu-nl_app");
    assert_string_equal(c.user_domain_name, "OTC-ALICE");
    assert_string_equal(c.password, "from-secure");
    assert_null(c.token);
    assert_string_equal(c.file, g_clouds);
    tfpv_cloud_dispose(&c);

    assert_int_equal(tfpv_cloud_load(&c, "keys", fake_getenv, err, sizeof err), 0);
    assert_string_equal(c.access_key, "AKCLOUD");
    assert_string_equal(c.secret_key, "SKSECURE");
    assert_string_equal(c.project_id, "pid-keys");
    tfpv_cloud_dispose(&c);
}

static void test_errors(void **state)
{
    char bad[600], other[600];
    const char *env[] = {"HOME", g_home, NULL};
    const char *no_home[] = {"HOME", "/nonexistent-home", NULL};
    const char *explicit_bad[] = {"OS_CLIENT_CONFIG_FILE", bad, NULL};
    const char *explicit_missing[] = {"OS_CLIENT_CONFIG_FILE", other, "HOME", g_home, NULL};
    tfpv_cloud c;
    char err[1200] = "";
    (void)state;

    fake_env = env;
    assert_int_equal(tfpv_cloud_load(&c, "nope", fake_getenv, err, sizeof err), TFP_EINVALID);
    assert_non_null(strstr(err, "no entry clouds.nope"));
    assert_null(c.region);

    fake_env = no_home;
    if (access("clouds.yaml", F_OK) != 0 && access("/etc/openstack/clouds.yaml", F_OK) != 0) {
        assert_int_equal(tfpv_cloud_load(&c, "otc", fake_getenv, err, sizeof err), TFP_EINVALID);
        assert_non_null(strstr(err, "no clouds.yaml was found"));
    }

    snprintf(bad, sizeof bad, "%s/bad.yaml", g_dir);
    write_file(bad, "clouds:\n  otc: [unclosed\n");
    fake_env = explicit_bad;
    assert_int_equal(tfpv_cloud_load(&c, "otc", fake_getenv, err, sizeof err), TFP_EINVALID);
    assert_non_null(strstr(err, "is not valid YAML"));

    /* a file named explicitly must exist */
    snprintf(other, sizeof other, "%s/missing.yaml", g_dir);
    fake_env = explicit_missing;
    assert_int_equal(tfpv_cloud_load(&c, "otc", fake_getenv, err, sizeof err), TFP_EINVALID);
    assert_non_null(strstr(err, "does not exist"));
}

static tfp_diags *resolve(tfpv_settings *s, const char *json, const char *const *env)
{
    tfp_diags *d = NULL;
    tfp_value_free(last_cfg);
    last_cfg = json_value(schema, json);
    assert_int_equal(tfp_diags_new(&d), 0);
    fake_env = env;
    (void)tfpv_settings_resolve(s, last_cfg, d, 1, fake_getenv);
    return d;
}

/* The configuration, then the environment, then the cloud entry. */
static void test_precedence(void **state)
{
    const char *env[] = {"HOME", g_home, "OS_CLOUD", "otc", NULL};
    const char *env_creds[] = {"HOME", g_home,          "OS_CLOUD", "otc", "OS_TOKEN",
                               "tok",  "OS_PROJECT_ID", "pid-env",  NULL};
    tfpv_settings s;
    tfp_diags *d;
    (void)state;

    /* everything from the cloud */
    d = resolve(&s, "{}", env);
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.region, "eu-nl");
    assert_string_equal(s.auth_url, "https://iam.example/v3");
    assert_string_equal(s.user_name, "alice");
    assert_string_equal(s.password, "from-secure");
    assert_string_equal(s.domain_name, "OTC-ALICE");
    assert_string_equal(s.project_name, "eu-nl_app");
    assert_string_equal(s.endpoint, "https://vpcep.eu-nl.otc.t-systems.com");
    tfp_diags_free(d);
    tfpv_settings_dispose(&s);

    /* the configuration wins field by field; `cloud` in the configuration wins over OS_CLOUD */
    d = resolve(&s, "{\"region\":\"eu-de\",\"cloud\":\"keys\"}", env);
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.region, "eu-de");
    assert_string_equal(s.access_key, "AKCLOUD");
    assert_string_equal(s.secret_key, "SKSECURE");
    assert_string_equal(s.project_id, "pid-keys");
    assert_null(s.user_name);
    tfp_diags_free(d);
    tfpv_settings_dispose(&s);

    /* credentials from the environment: none of the cloud's are mixed in */
    d = resolve(&s, "{}", env_creds);
    dump_diags(d);
    assert_false(tfp_diags_has_errors(d));
    assert_string_equal(s.token, "tok");
    assert_null(s.user_name);
    assert_null(s.password);
    assert_string_equal(s.project_id, "pid-env");
    assert_string_equal(s.region, "eu-nl"); /* still from the cloud */
    tfp_diags_free(d);
    tfpv_settings_dispose(&s);

    /* an unknown entry is an error at the cloud attribute */
    d = resolve(&s, "{\"cloud\":\"nope\"}", env);
    assert_true(has_error_at(d, "cloud"));
    tfp_diags_free(d);
    tfpv_settings_dispose(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_files_and_secure_overlay),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_precedence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
