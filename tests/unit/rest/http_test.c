/* Client options, authentication (AK/SK, token, IAM password + renewal), retries and backoff. */
#include "fake.h"

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static const char QUOTAS[] = "{\"quotas\":{\"resources\":[{\"type\":\"endpoint\",\"used\":1,"
                             "\"quota\":50}]}}";

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
    assert_int_equal(vpcep_client_project_id(c, &pid, &err), 0);
    assert_string_equal(pid, "abc");
    vpcep_client_free(c);
    o.endpoint = "http://127.0.0.1:9/";
    o.max_retries = VPCEP_RETRIES_NONE;
    assert_int_equal(vpcep_client_new(&c, &o, &err), 0);
    assert_string_equal(vpcep_client_endpoint(c), "http://127.0.0.1:9");
    assert_int_equal(c->max_retries, 0);
    vpcep_client_free(c);
    vpcep_client_free(NULL);
}

static void test_backoff_schedule(void **state)
{
    (void)state;
    assert_int_equal(vpcep_backoff_delay_ms(1, 500, 10000), 500);
    assert_int_equal(vpcep_backoff_delay_ms(2, 500, 10000), 1000);
    assert_int_equal(vpcep_backoff_delay_ms(3, 500, 10000), 2000);
    assert_int_equal(vpcep_backoff_delay_ms(5, 500, 10000), 8000);
    assert_int_equal(vpcep_backoff_delay_ms(6, 500, 10000), 10000);
    assert_int_equal(vpcep_backoff_delay_ms(60, 500, 10000), 10000);
    assert_int_equal(vpcep_backoff_delay_ms(0, 0, 0), VPCEP_DEFAULT_RETRY_BASE_MS);
    assert_int_equal(vpcep_backoff_delay_ms(100, 0, 0), VPCEP_DEFAULT_RETRY_CAP_MS);
}

static void test_retries_and_retry_after(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    vpcep_client_stats st;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.retry_base_ms = 100;
    o.retry_cap_ms = 1000;
    c = fake_client(&f, &o);
    fake_push(&f, 503, "{\"error_code\":\"EndPoint.0001\",\"error_msg\":\"busy\"}");
    fake_push_retry_after(&f, 429, "{\"error_code\":\"APIG.0308\",\"error_msg\":\"slow\"}", 3);
    fake_push(&f, 400, "{\"error_code\":\"EndPoint.0022\",\"error_msg\":\"limit\"}");
    fake_push_transport(&f, VPCEP_ETRANSPORT);
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), 0);
    assert_int_equal(q->count, 1);
    assert_int_equal(f.n_requests, 5);
    assert_int_equal(f.n_sleeps, 4);
    assert_true(f.sleeps[0] >= 50 && f.sleeps[0] <= 100);
    assert_int_equal(f.sleeps[1], 3000); /* Retry-After honoured */
    assert_true(f.sleeps[2] >= 200 && f.sleeps[2] <= 400);
    assert_true(f.sleeps[3] >= 400 && f.sleeps[3] <= 800);
    vpcep_client_get_stats(c, &st);
    assert_int_equal(st.requests, 5);
    assert_int_equal(st.retries, 4);
    assert_non_null(strstr(f.log, "retry 1/5"));
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
}

static void test_retry_budget_and_cap(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    int i;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.max_retries = 6;
    o.retry_base_ms = 100;
    o.retry_cap_ms = 400;
    c = fake_client(&f, &o);
    for (i = 0; i < 6; i++)
        fake_push(&f, 500, "{\"error_code\":\"EndPoint.0001\",\"error_msg\":\"internal\"}");
    fake_push_retry_after(&f, 500, "{\"error_code\":\"EndPoint.0001\",\"error_msg\":\"internal\"}",
                          3600);
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAPI);
    assert_null(q);
    assert_int_equal(f.n_requests, 7);
    assert_int_equal(err.retries, 6);
    assert_int_equal(err.http_status, 500);
    assert_string_equal(err.error_code, "EndPoint.0001");
    assert_string_equal(err.request_id, "req-7");
    for (i = 0; i < 6; i++)
        assert_true(f.sleeps[i] <= 400); /* capped */
    vpcep_client_free(c);

    /* no retries at all */
    fake_init(&f);
    fake_options(&f, &o);
    o.max_retries = VPCEP_RETRIES_NONE;
    c = fake_client(&f, &o);
    fake_push(&f, 429, "");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_ETHROTTLED);
    assert_int_equal(f.n_requests, 1);
    vpcep_client_free(c);

    /* Retry-After larger than the cap is clamped to 60 s */
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    fake_push_retry_after(&f, 429, "", 3600);
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), 0);
    assert_int_equal(f.sleeps[0], 60000);
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
}

static void test_not_retried(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    fake_push(&f, 400, "{\"error_code\":\"EndPoint.0002\",\"error_msg\":\"Parameter error.\"}");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EINVALID);
    assert_string_equal(err.error_msg, "Parameter error.");
    fake_push(&f, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"not found\"}");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_ENOTFOUND);
    fake_push(&f, 403, "");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAUTH);
    fake_push_transport(&f, VPCEP_ETOOLARGE);
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_ETOOLARGE);
    assert_int_equal(f.n_requests, 4);
    assert_int_equal(f.n_sleeps, 0);
    /* a 2xx body that is not JSON is an API error, not a crash */
    fake_push(&f, 200, "<html>");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAPI);
    vpcep_client_free(c);
}

static void test_cancel(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    f.cancel_now = 1;
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_ECANCELED);
    assert_int_equal(f.n_requests, 0);
    /* cancelled during backoff */
    f.cancel_now = 0;
    f.cancel_after_sleeps = 1;
    fake_push(&f, 503, "");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_ECANCELED);
    assert_int_equal(f.n_requests, 1);
    vpcep_client_free(c);
}

static fake_answer token_or_quota(fake *f, const rest_http_request *rq)
{
    fake_answer a;

    (void)f;
    memset(&a, 0, sizeof(a));
    a.status = 200;
    if (strstr(rq->url, "/auth/tokens") != NULL) {
        a.status = 201;
        a.body = "{\"token\":{\"project\":{\"id\":\"resolvedpid\",\"name\":\"eu-de\"}}}";
        a.subject_token = "TOKEN-ONE";
    } else {
        a.body = QUOTAS;
    }
    return a;
}

static void test_password_auth_and_project_resolution(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    size_t len;
    char *want = fixture("iam_token_password_project_scope_request.json", &len);
    cJSON *want_j = rest_json_parse(want, len), *got_j, *scope;
    const char *pid = NULL;
    vpcep_client_stats st;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.user_name = "username";
    o.password = "password";
    o.domain_name = "domainname";
    o.auth_url = "http://iam.test/v3/";
    c = fake_client(&f, &o);
    f.dynamic = token_or_quota;
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), 0);
    assert_int_equal(f.n_requests, 2);
    assert_string_equal(f.requests[0].method, "POST");
    assert_string_equal(f.requests[0].url, "http://iam.test/v3/auth/tokens?nocatalog=true");
    /* same shape as the documented request, scoped by project name (region) */
    got_j = rest_json_parse(f.requests[0].body, strlen(f.requests[0].body));
    assert_non_null(got_j);
    scope = cJSON_GetObjectItem(cJSON_GetObjectItem(want_j, "auth"), "scope");
    cJSON_ReplaceItemInObject(scope, "project", cJSON_Parse("{\"name\":\"eu-de\"}"));
    assert_true(cJSON_Compare(want_j, got_j, 1));
    assert_string_equal(f.requests[1].url, "http://vpcep.test:8080/v1/resolvedpid/quotas");
    assert_non_null(strstr(f.requests[1].headers, "X-Auth-Token: TOKEN-ONE\n"));
    assert_int_equal(vpcep_client_project_id(c, &pid, &err), 0);
    assert_string_equal(pid, "resolvedpid");
    /* token reused */
    vpcep_quota_list_free(q);
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), 0);
    assert_int_equal(f.n_requests, 3);
    vpcep_client_get_stats(c, &st);
    assert_int_equal(st.token_requests, 1);
    assert_null(strstr(f.log, "password"));
    assert_null(strstr(f.log, "TOKEN-ONE"));
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
    cJSON_Delete(want_j);
    cJSON_Delete(got_j);
    free(want);
}

static void test_token_renewed_once_on_401(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.user_name = "u";
    o.password = "secret-pw";
    o.domain_name = "d";
    c = fake_client(&f, &o);
    fake_push(&f, 201, "{}");
    f.answers[f.n_answers - 1].subject_token = "T1";
    fake_push(&f, 401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"expired\"}");
    fake_push(&f, 201, "{}");
    f.answers[f.n_answers - 1].subject_token = "T2";
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), 0);
    assert_int_equal(f.n_requests, 4);
    assert_string_equal(f.requests[0].url, "https://iam.eu-de.otc.t-systems.com/v3/auth/tokens"
                                           "?nocatalog=true");
    assert_non_null(strstr(f.requests[1].headers, "X-Auth-Token: T1\n"));
    assert_non_null(strstr(f.requests[3].headers, "X-Auth-Token: T2\n"));
    vpcep_quota_list_free(q);

    /* a second 401 after renewal is final: only one renewal per call */
    fake_push(&f, 401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"no\"}");
    fake_push(&f, 201, "{}");
    f.answers[f.n_answers - 1].subject_token = "T3";
    fake_push(&f, 401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"still no\"}");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAUTH);
    assert_int_equal(f.n_requests, 7);
    assert_string_equal(err.error_msg, "still no");

    /* IAM refusing the password: EAUTH naming the user, never the password */
    vpcep_client_free(c);
    fake_init(&f);
    c = fake_client(&f, &o);
    fake_push(&f, 401, "{\"error\":{\"code\":\"401\",\"message\":\"bad credentials\"}}");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAUTH);
    assert_non_null(strstr(err.error_msg, "user u"));
    assert_null(strstr(err.error_msg, "secret-pw"));
    /* IAM answer without X-Subject-Token */
    fake_push(&f, 201, "{}");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAUTH);
    vpcep_client_free(c);
}

static void test_token_without_project(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    size_t len;
    char *body = fixture("iam_token_response.json", &len);

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.user_name = "u";
    o.password = "p";
    o.domain_name = "d";
    c = fake_client(&f, &o);
    fake_push(&f, 201, body);
    f.answers[0].subject_token = "T";
    /* the documented token answer is domain-scoped: no project to take */
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAUTH);
    assert_non_null(strstr(err.error_msg, "project"));
    vpcep_client_free(c);
    free(body);
}

static void test_static_token(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.token = "STATIC-TOKEN";
    c = fake_client(&f, &o);
    fake_push(&f, 401, "");
    assert_int_equal(vpcep_quota_get(c, &q, NULL, &err), VPCEP_EAUTH);
    assert_int_equal(f.n_requests, 1); /* a static token cannot be renewed */
    assert_non_null(strstr(f.requests[0].headers, "X-Auth-Token: STATIC-TOKEN\n"));
    assert_null(strstr(f.requests[0].headers, "Authorization"));
    assert_null(strstr(f.log, "STATIC-TOKEN"));
    vpcep_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_validation),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_backoff_schedule),
        cmocka_unit_test(test_retries_and_retry_after),
        cmocka_unit_test(test_retry_budget_and_cap),
        cmocka_unit_test(test_not_retried),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_password_auth_and_project_resolution),
        cmocka_unit_test(test_token_renewed_once_on_401),
        cmocka_unit_test(test_token_without_project),
        cmocka_unit_test(test_static_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
