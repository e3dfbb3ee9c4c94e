/* The request layer: retries, Retry-After, backoff, what is not retried, cancellation, static
 * token authentication. */
#include "fake.h"

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char QUOTAS[] = "{\"quotas\":{\"resources\":[{\"type\":\"endpoint\",\"used\":1,"
                             "\"quota\":50}]}}";

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
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;

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
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(q->count, 1);
    assert_int_equal(f.n_requests, 5);
    assert_int_equal(f.n_sleeps, 4);
    assert_true(f.sleeps[0] >= 50 && f.sleeps[0] <= 100);
    assert_int_equal(f.sleeps[1], 3000); /* Retry-After honoured */
    assert_true(f.sleeps[2] >= 200 && f.sleeps[2] <= 400);
    assert_true(f.sleeps[3] >= 400 && f.sleeps[3] <= 800);
    vpcep_client_get_stats(&st, c);
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
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAPI);
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
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETHROTTLED);
    assert_int_equal(f.n_requests, 1);
    vpcep_client_free(c);

    /* Retry-After larger than the cap is clamped to 60 s */
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    fake_push_retry_after(&f, 429, "", 3600);
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
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
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EINVALID);
    assert_string_equal(err.error_msg, "Parameter error.");
    fake_push(&f, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"not found\"}");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ENOTFOUND);
    fake_push(&f, 403, "");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    fake_push_transport(&f, VPCEP_ETOOLARGE);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETOOLARGE);
    assert_int_equal(f.n_requests, 4);
    assert_int_equal(f.n_sleeps, 0);
    /* a 2xx body that is not JSON is an API error, not a crash */
    fake_push(&f, 200, "<html>");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAPI);
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
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ECANCELED);
    assert_int_equal(f.n_requests, 0);
    /* cancelled during backoff */
    f.cancel_now = 0;
    f.cancel_after_sleeps = 1;
    fake_push(&f, 503, "");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ECANCELED);
    assert_int_equal(f.n_requests, 1);
    vpcep_client_free(c);
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
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_int_equal(f.n_requests, 1); /* a static token cannot be renewed */
    assert_non_null(strstr(f.requests[0].headers, "X-Auth-Token: STATIC-TOKEN\n"));
    assert_null(strstr(f.requests[0].headers, "Authorization"));
    assert_null(strstr(f.log, "STATIC-TOKEN"));
    vpcep_client_free(c);
}

/* The structured log sink: every line with its fields, as "key=value" pairs. */
static char g_lines[32768];

static void
capture_fields(void *ud, int level, const char *msg, const vpcep_log_field *fields, size_t n)
{
    size_t used = strlen(g_lines), i;
    (void)ud;
    used += (size_t)snprintf(g_lines + used, sizeof(g_lines) - used, "%d %s |", level, msg);
    for (i = 0; i < n && used < sizeof(g_lines); i++) {
        if (fields[i].value != NULL)
            used += (size_t)snprintf(g_lines + used, sizeof(g_lines) - used, " %s=%s",
                                     fields[i].key, fields[i].value);
        else
            used += (size_t)snprintf(g_lines + used, sizeof(g_lines) - used, " %s=%lld",
                                     fields[i].key, fields[i].number);
    }
    if (used < sizeof(g_lines) - 1)
        snprintf(g_lines + used, sizeof(g_lines) - used, "\n");
}

static int g_trace;
static int enabled(void *ud, int level)
{
    (void)ud;
    return g_trace || level > VPCEP_LOG_TRACE;
}

static void test_structured_logs(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.log_fields = capture_fields;
    o.log_enabled = enabled;
    c = fake_client(&f, &o);

    /* DEBUG only: the response line with its fields, no body, no request line */
    g_lines[0] = '\0';
    g_trace = 0;
    fake_push(&f, 503, "{\"error_code\":\"EndPoint.0001\",\"error_msg\":\"busy\"}");
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    q = NULL;
    assert_non_null(strstr(g_lines, "2 vpcep: GET http://vpcep.test:8080/v1/p123/quotas -> 503"));
    assert_non_null(strstr(g_lines, " tf_http_op_type=response tf_http_trans_id=1 "
                                    "tf_http_req_method=GET tf_http_req_uri=/v1/p123/quotas "
                                    "tf_http_res_status_code=503 tf_http_duration_ms=0 "
                                    "tf_http_attempt=1"));
    assert_non_null(strstr(g_lines, "tf_http_res_status_code=200 tf_http_duration_ms=0 "
                                    "tf_http_attempt=2"));
    assert_null(strstr(g_lines, "tf_http_op_type=request"));
    assert_null(strstr(g_lines, "_body="));
    assert_null(f.log[0] != '\0' ? f.log : NULL); /* the plain sink is not used as well */

    /* TRACE: the request line with headers and bodies, credentials redacted */
    g_lines[0] = '\0';
    g_trace = 1;
    fake_push(&f, 200,
              "{\"quotas\":{\"resources\":[]},\"credential\":{\"secret\":\"S3\"},"
              "\"user\":{\"name\":\"u\",\"password\":\"PW-IN-BODY\"}}");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    assert_non_null(
        strstr(g_lines, "1 vpcep: HTTP request GET http://vpcep.test:8080/v1/p123/quotas"));
    assert_non_null(strstr(g_lines, "tf_http_op_type=request"));
    assert_non_null(strstr(g_lines, " Host=vpcep.test:8080"));
    assert_non_null(strstr(g_lines, " Authorization=[REDACTED]"));
    assert_non_null(strstr(g_lines, "X-Sdk-Date="));
    assert_non_null(strstr(g_lines, "tf_http_res_body={\"quotas\":{\"resources\":[]},"
                                    "\"credential\":\"[REDACTED]\",\"user\":{\"name\":\"u\","
                                    "\"password\":\"[REDACTED]\"}}"));
    assert_null(strstr(g_lines, "SDK-HMAC"));
    assert_null(strstr(g_lines, "Signature="));
    assert_null(strstr(g_lines, "PW-IN-BODY"));
    assert_null(strstr(g_lines, "S3"));
    assert_null(strstr(g_lines, "SKSECRET"));
    vpcep_client_free(c);
}

/* Temporary AK/SK: X-Security-Token on every request, signed, never in the logs. */
static void test_security_token(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.security_token = "SECTOK-123";
    o.log_fields = capture_fields;
    o.log_enabled = enabled;
    g_trace = 1;
    g_lines[0] = '\0';
    c = fake_client(&f, &o);
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    assert_non_null(strstr(f.requests[0].headers, "X-Security-Token: SECTOK-123\n"));
    assert_non_null(
        strstr(f.requests[0].headers, "SignedHeaders=host;x-sdk-date;x-security-token,"));
    assert_non_null(strstr(g_lines, " X-Security-Token=[REDACTED]"));
    assert_null(strstr(g_lines, "SECTOK-123"));
    vpcep_client_free(c);

    /* only with AK/SK */
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.token = "T";
    o.security_token = "SECTOK-123";
    assert_int_equal(vpcep_client_new(&c, &o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "security_token"));
}

static void test_redact(void **state)
{
    char *r;
    (void)state;
    r = rest_redact_body("{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":"
                         "{\"user\":{\"name\":\"n\",\"password\":\"pw\"}}}},\"tags\":[{"
                         "\"key\":\"k\",\"value\":\"v\"}],\"X-Auth-Token\":\"t\",\"Access\":\"AK\","
                         "\"securitytoken\":\"st\"}",
                         182);
    assert_non_null(r);
    assert_string_equal(r, "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":"
                           "\"[REDACTED]\"}},\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],"
                           "\"X-Auth-Token\":\"[REDACTED]\",\"Access\":\"[REDACTED]\","
                           "\"securitytoken\":\"[REDACTED]\"}");
    util_free(r);
    r = rest_redact_body("password=hunter2", 16);
    assert_string_equal(r, "[16 bytes, not JSON: not shown]");
    util_free(r);
    r = rest_redact_body(NULL, 0);
    assert_string_equal(r, "");
    util_free(r);
    assert_true(rest_secret_header("Authorization: SDK-HMAC-SHA256 Access=x"));
    assert_true(rest_secret_header("x-auth-token: t"));
    assert_true(rest_secret_header("X-Security-Token: t"));
    assert_false(rest_secret_header("X-Sdk-Date: 20260101T000000Z"));
    assert_false(rest_secret_header("Authorizationx: y"));
}

/* Nothing listens (refused, no such host, no connection): one retry, whatever max_retries
 * says, and a message with the URL, the attempts and the setting to check. */
static void test_unreachable_fails_fast(void **state)
{
    static const rest_net_failure kinds[] = {REST_NET_REFUSED, REST_NET_RESOLVE,
                                             REST_NET_CONNECT_TIMEOUT};
    static const char *const says[] = {"cannot connect (refused or unreachable)",
                                       "the host name does not resolve", "no connection"};
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    size_t k;
    int i;

    (void)state;
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        fake_init(&f);
        fake_options(&f, &o);
        o.max_retries = 10;
        c = fake_client(&f, &o);
        for (i = 0; i < 4; i++)
            fake_push_net(&f, VPCEP_ETRANSPORT, kinds[k], 0);
        assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETRANSPORT);
        assert_int_equal(f.n_requests, 2);
        assert_int_equal(f.n_sleeps, 1);
        assert_int_equal(err.retries, 1);
        assert_non_null(strstr(err.error_msg, "GET http://vpcep.test:8080/v1/p123/quotas: "));
        assert_non_null(strstr(err.error_msg, says[k]));
        assert_non_null(strstr(err.error_msg, "(fake transport failure); 2 attempts in 0."));
        assert_non_null(strstr(err.error_msg, "retried only once"));
        assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
        vpcep_client_free(c);
    }

    /* A create that never reached a server was not applied: it is retried like any request
     * instead of being reported as an unknown outcome. */
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    fake_push_net(&f, VPCEP_ETRANSPORT, REST_NET_REFUSED, 0);
    fake_push(&f, 200, "{}");
    {
        rest_request rq;
        rest_result res;
        memset(&rq, 0, sizeof(rq));
        rq.method = "POST";
        rq.path = "/vpc-endpoint-services";
        rq.body = "{}";
        rq.create = 1;
        assert_int_equal(rest_call(c, &rq, &res, &err), 0);
        assert_int_equal(f.n_requests, 2);
        rest_result_dispose(&res);
        /* one that did reach a server (the answer was lost) is not re-sent */
        fake_push_net(&f, VPCEP_ETRANSPORT, REST_NET_OTHER, 0);
        assert_int_equal(rest_call(c, &rq, &res, &err), VPCEP_ETRANSPORT);
        assert_int_equal(res.outcome_unknown, 1);
        assert_int_equal(f.n_requests, 3);
        rest_result_dispose(&res);
    }
    vpcep_client_free(c);
}

/* A server that accepts and never answers: every attempt ends at its timeout, all of them
 * together at the retry budget (90 s by default), the last one cut to what is left. */
static void test_retry_budget_bounds_silent_server(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;
    int64_t t0;
    int i;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    for (i = 0; i < 6; i++)
        fake_push_net(&f, VPCEP_ETIMEOUT, REST_NET_TIMEOUT, -1);
    t0 = f.now;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETIMEOUT);
    vpcep_client_get_stats(&st, c);
    assert_int_equal(st.requests, 3);
    assert_int_equal(f.requests[0].timeout_ms, VPCEP_DEFAULT_TIMEOUT_MS);
    assert_int_equal(f.requests[0].connect_timeout_ms, VPCEP_DEFAULT_CONNECT_TIMEOUT_MS);
    assert_int_equal(f.requests[1].timeout_ms, VPCEP_DEFAULT_TIMEOUT_MS);
    assert_true(f.requests[2].timeout_ms < VPCEP_DEFAULT_TIMEOUT_MS);
    assert_int_equal(f.now - t0, VPCEP_DEFAULT_RETRY_BUDGET_MS);
    assert_non_null(strstr(err.error_msg, "/v1/p123/quotas: no answer (fake transport failure)"));
    assert_non_null(strstr(err.error_msg, "3 attempts in 90.0 s, retry_budget (90 s) used up"));
    assert_non_null(strstr(err.error_msg, "request_timeout 30000 ms"));
    assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
    vpcep_client_free(c);

    /* configured: 2 s attempts, 1 s connect, 5 s in all, at most 2 retries */
    fake_init(&f);
    fake_options(&f, &o);
    o.timeout_ms = 2000;
    o.connect_timeout_ms = 1000;
    o.retry_budget_ms = 60000;
    o.max_retries = 2;
    o.retry_base_ms = 10;
    c = fake_client(&f, &o);
    for (i = 0; i < 6; i++)
        fake_push_net(&f, VPCEP_ETIMEOUT, REST_NET_TIMEOUT, -1);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETIMEOUT);
    assert_int_equal(f.n_requests, 3);
    assert_int_equal(f.requests[2].timeout_ms, 2000);
    assert_int_equal(f.requests[2].connect_timeout_ms, 1000);
    assert_non_null(strstr(err.error_msg, "3 attempts in 6.0 s, max_retries = 2"));
    vpcep_client_free(c);

    /* a throttling storm stops at the budget too, and says so after the API's message */
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    for (i = 0; i < 6; i++)
        fake_push_retry_after(&f, 429, "{\"error_code\":\"APIG.0308\",\"error_msg\":\"slow\"}", 40);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETHROTTLED);
    assert_int_equal(f.n_requests, 3); /* at 0, 40 and 80 s: a fourth would end after 90 s */
    assert_string_equal(err.error_code, "APIG.0308");
    assert_non_null(strstr(err.error_msg, "slow (GET http://vpcep.test:8080/v1/p123/quotas: 3 "
                                          "attempts in 80.0 s, retry_budget (90 s) used up)"));
    vpcep_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_schedule),
        cmocka_unit_test(test_retries_and_retry_after),
        cmocka_unit_test(test_retry_budget_and_cap),
        cmocka_unit_test(test_not_retried),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_static_token),
        cmocka_unit_test(test_structured_logs),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_unreachable_fails_fast),
        cmocka_unit_test(test_retry_budget_bounds_silent_server),
        cmocka_unit_test(test_security_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
