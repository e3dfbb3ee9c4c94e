/* Client options: validation and defaults. */
#include "fake.h"

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static int new_client(vpcep_client_options *o, vpcep_error *err)
{
    vpcep_client *c = NULL;
    int rc = vpcep_client_new(&c, o, err);
    if (rc == 0)
        assert_non_null(c);
    else
        assert_null(c);
    vpcep_client_free(c);
    return rc;
}

static void test_option_validation(void **state)
{
    vpcep_client_options o;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client *c = NULL;
    fake f;

    (void)state;
    fake_init(&f);
    assert_int_equal(vpcep_client_new(&c, NULL, &err), VPCEP_EINVALID);
    assert_int_equal(vpcep_client_options_init(&o, 0), VPCEP_EINVALID);
    assert_int_equal(vpcep_client_options_init(&o, VPCEP_CLIENT_OPTIONS_VERSION + 1),
                     VPCEP_EINVALID);
    fake_options(&f, &o);
    assert_int_equal(new_client(&o, &err), 0);
    o.version = 99;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "version"));

    fake_options(&f, &o);
    o.region = NULL;
    o.endpoint = NULL;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "region"));

    fake_options(&f, &o);
    o.secret_key = NULL;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "together"));

    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "no credentials"));

    fake_options(&f, &o);
    o.project_id = NULL;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "project_id"));

    fake_options(&f, &o);
    o.project_id = "../etc";
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);

    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.user_name = "u";
    o.password = "pw";
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "domain_name"));
    assert_null(strstr(err.error_msg, "pw"));

    fake_options(&f, &o);
    o.endpoint = "ftp://x";
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    o.endpoint = "http://x/ y";
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);

    fake_options(&f, &o);
    o.timeout_ms = -1;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    fake_options(&f, &o);
    o.max_retries = -2;
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    fake_options(&f, &o);
    o.user_agent = "a\r\nX-Evil: 1";
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
    fake_options(&f, &o);
    o.region = "eu de";
    assert_int_equal(new_client(&o, &err), VPCEP_EINVALID);
}

static void test_defaults(void **state)
{
    vpcep_client_options o = VPCEP_CLIENT_OPTIONS_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client *c = NULL;
    const char *pid = NULL;

    (void)state;
    o.region = "eu-nl";
    o.project_id = "abc";
    o.token = "TOKEN";
    assert_int_equal(vpcep_client_new(&c, &o, &err), 0);
    assert_string_equal(vpcep_client_endpoint(c), "https://vpcep.eu-nl.otc.t-systems.com");
    assert_string_equal(c->auth_url, "https://iam.eu-nl.otc.t-systems.com/v3");
    assert_int_equal(c->max_retries, VPCEP_DEFAULT_MAX_RETRIES);
    assert_int_equal(c->timeout_ms, VPCEP_DEFAULT_TIMEOUT_MS);
    assert_true(c->max_body_bytes == VPCEP_DEFAULT_MAX_BODY_BYTES);
    assert_false(c->insecure);
    assert_int_equal(vpcep_client_project_id(&pid, c, &err), 0);
    assert_string_equal(pid, "abc");
    vpcep_client_free(c);
    /* the Swiss cloud: its own domain, IAM at iam-pub */
    o.region = "eu-ch2";
    assert_int_equal(vpcep_client_new(&c, &o, &err), 0);
    assert_string_equal(vpcep_client_endpoint(c), "https://vpcep.eu-ch2.sc.otc.t-systems.com");
    assert_string_equal(c->auth_url, "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3");
    vpcep_client_free(c);
    /* a project by name instead of ID: fine for AK/SK and token auth */
    o.region = "eu-nl";
    o.project_id = NULL;
    assert_int_equal(vpcep_client_new(&c, &o, &err), VPCEP_EINVALID);
    o.project_name = "eu-nl_x";
    assert_int_equal(vpcep_client_new(&c, &o, &err), 0);
    vpcep_client_free(c);
    o.project_name = "bad/name";
    assert_int_equal(vpcep_client_new(&c, &o, &err), VPCEP_EINVALID);
    o.project_name = NULL;
    o.project_id = "abc";
    o.endpoint = "http://127.0.0.1:9/";
    o.max_retries = VPCEP_RETRIES_NONE;
    assert_int_equal(vpcep_client_new(&c, &o, &err), 0);
    assert_string_equal(vpcep_client_endpoint(c), "http://127.0.0.1:9");
    assert_int_equal(c->max_retries, 0);
    vpcep_client_free(c);
    vpcep_client_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_validation),
        cmocka_unit_test(test_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
