/* The libcurl transport (provider/rest/transport.c) against a tiny local HTTP responder
 * (libmicrohttpd): body cap, Retry-After, request ids, X-Subject-Token, timeouts, cancellation
 * during a transfer, refused connections. */
#include "fake.h"

#include <microhttpd.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct MHD_Daemon *D;
static unsigned short PORT;
static int hits_retry;

static enum MHD_Result answer(void *cls,
                              struct MHD_Connection *conn,
                              const char *url,
                              const char *method,
                              const char *version,
                              const char *upload,
                              size_t *upload_size,
                              void **con_cls)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    unsigned int status = 200;
    char *body = NULL;
    size_t len = 0;
    static int marker;

    (void)cls;
    (void)method;
    (void)version;
    (void)upload;
    if (*con_cls == NULL) {
        *con_cls = &marker;
        return MHD_YES;
    }
    if (*upload_size != 0) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (strncmp(url, "/big", 4) == 0) {
        len = 2u << 20;
        body = malloc(len);
        memset(body, ' ', len);
        body[0] = '{';
        body[len - 1] = '}';
    } else if (strncmp(url, "/slow", 5) == 0) {
        struct timespec ts = {2, 0};
        nanosleep(&ts, NULL);
        body = strdup("{}");
    } else if (strncmp(url, "/retry", 6) == 0 && hits_retry++ == 0) {
        status = 429;
        body = strdup("{\"error_code\":\"APIG.0308\",\"error_msg\":\"slow down\"}");
    } else if (strncmp(url, "/missing", 8) == 0) {
        status = 404;
        body = strdup("{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"not here\"}");
    } else if (strstr(url, "/auth/tokens") != NULL) {
        status = 201;
        body = strdup("{\"token\":{\"project\":{\"id\":\"fromtoken\"}}}");
    } else {
        body = strdup("{\"quotas\":{\"resources\":[{\"type\":\"endpoint\",\"used\":1,"
                      "\"quota\":50}]}}");
    }
    if (len == 0)
        len = strlen(body);
    r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "X-Request-Id", "rid-42");
    if (status == 429)
        MHD_add_response_header(r, "Retry-After", "2");
    if (status == 201)
        MHD_add_response_header(r, "X-Subject-Token", "SUBJECT-TOKEN");
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* TCP connections the responder has accepted. */
static atomic_int connections;

static void on_connection(void *cls,
                          struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)conn;
    (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&connections, 1);
}

static int start(void **state)
{
    const union MHD_DaemonInfo *info;

    (void)state;
    D = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, answer, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                         MHD_OPTION_END);
    if (D == NULL)
        return -1;
    info = MHD_get_daemon_info(D, MHD_DAEMON_INFO_BIND_PORT);
    PORT = info->port;
    return 0;
}

static int stop(void **state)
{
    (void)state;
    MHD_stop_daemon(D);
    return 0;
}

static vpcep_client *client_for(const char *prefix, fake *f, vpcep_client_options *o)
{
    static char url[128];
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", PORT, prefix);
    o->endpoint = url;
    assert_int_equal(vpcep_client_new(&c, o, &err), 0);
    if (f != NULL)
        fake_clock(f, c); /* NULL: the real clock and sleep */
    return c;
}

static void test_ok_and_request_id(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = client_for("", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(q->count, 1);
    assert_non_null(strstr(f.log, "request id rid-42"));
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
    c = client_for("/missing", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ENOTFOUND);
    assert_string_equal(err.request_id, "rid-42");
    assert_string_equal(err.error_msg, "not here");
    vpcep_client_free(c);
}

static void test_body_cap(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.max_body_bytes = 1u << 20;
    c = client_for("/big", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETOOLARGE);
    assert_null(q);
    assert_int_equal(f.n_sleeps, 0); /* not retried */
    vpcep_client_free(c);
    /* the default cap (8 MiB) lets the 2 MiB body through */
    o.max_body_bytes = 0;
    c = client_for("/big", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
}

static void test_retry_after_header(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    hits_retry = 0;
    c = client_for("/retry", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(f.n_sleeps, 1);
    assert_int_equal(f.sleeps[0], 2000);
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
}

static void test_subject_token(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char auth[128];
    const char *pid = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.user_name = "u";
    o.password = "p";
    o.domain_name = "d";
    snprintf(auth, sizeof(auth), "http://127.0.0.1:%u/v3", PORT);
    o.auth_url = auth;
    c = client_for("", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(vpcep_client_project_id(&pid, c, &err), 0);
    assert_string_equal(pid, "fromtoken");
    assert_null(strstr(f.log, "SUBJECT-TOKEN"));
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
}

static void test_timeout(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.timeout_ms = 200;
    o.max_retries = VPCEP_RETRIES_NONE;
    c = client_for("/slow", &f, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETIMEOUT);
    assert_non_null(strstr(err.error_msg, "/v1/p123/quotas: no answer ("));
    assert_non_null(strstr(err.error_msg, "1 attempt in "));
    assert_non_null(strstr(err.error_msg, "connect_timeout 200 ms, request_timeout 200 ms"));
    assert_non_null(strstr(err.error_msg, "request_timeout and retry_budget"));
    vpcep_client_free(c);
}

static int64_t cancel_deadline;

static int cancel_later(void *ud)
{
    struct timespec ts;

    (void)ud;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 >= cancel_deadline;
}

static void test_cancel_during_transfer(void **state)
{
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    fake f;
    struct timespec ts;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.cancelled = cancel_later;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    cancel_deadline = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 300;
    c = client_for("/slow", NULL, &o);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ECANCELED);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* well before the 2 s answer */
    assert_true((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - cancel_deadline < 1500);
    vpcep_client_free(c);
}

static void test_refused(void **state)
{
    vpcep_client_options o;
    vpcep_client *c = NULL;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    fake f;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.endpoint = "http://127.0.0.1:1";
    o.max_retries = 2;
    assert_int_equal(vpcep_client_new(&c, &o, &err), 0);
    fake_clock(&f, c);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_ETRANSPORT);
    /* nothing listens there: retried once only, whatever max_retries says (fail fast) */
    assert_int_equal(err.retries, 1);
    assert_int_equal(f.n_sleeps, 1);
    assert_int_equal(err.http_status, 0);
    /* the message names the URL, what was tried and the setting to check */
    assert_non_null(strstr(err.error_msg, "GET http://127.0.0.1:1/v1/p123/quotas: cannot connect"));
    assert_non_null(strstr(err.error_msg, "2 attempts in "));
    assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
    vpcep_client_free(c);
}

/* One client's requests share one kept-alive connection; a create gets a connection of its
 * own (never silently re-sent on a dead one) and the requests after it reuse again. */
static void test_connection_reuse(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    rest_request rq;
    rest_result res;
    int i, before;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = client_for("", &f, &o);
    before = atomic_load(&connections);
    for (i = 0; i < 5; i++) {
        assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
        vpcep_quota_list_free(q);
        q = NULL;
    }
    assert_int_equal(atomic_load(&connections) - before, 1);
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = "/vpc-endpoint-services";
    rq.body = "{}";
    rq.create = 1;
    assert_int_equal(rest_call(c, &rq, &res, &err), 0);
    rest_result_dispose(&res);
    assert_int_equal(atomic_load(&connections) - before, 2);
    for (i = 0; i < 3; i++) {
        assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
        vpcep_quota_list_free(q);
        q = NULL;
    }
    assert_int_equal(atomic_load(&connections) - before, 2);
    vpcep_client_free(c);
}

#define THREADS 4
#define PER_THREAD 25

static void *hammer(void *ud)
{
    vpcep_client *c = ud;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    intptr_t failures = 0;
    int i;

    for (i = 0; i < PER_THREAD; i++) {
        if (vpcep_quota_get(&q, c, NULL, &err) != 0 || q == NULL || q->count != 1)
            failures++;
        vpcep_quota_list_free(q);
        q = NULL;
    }
    return (void *)failures;
}

/* Threads share one client: its idle handles and connections go to one transfer at a time, so
 * every request succeeds and no more connections open than transfers ran at once. */
static void test_concurrent_transfers(void **state)
{
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;
    pthread_t t[THREADS];
    void *failures;
    fake f;
    int i, before;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = client_for("", NULL, &o);
    before = atomic_load(&connections);
    for (i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer, c), 0);
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], &failures), 0);
        assert_null(failures);
    }
    assert_true(atomic_load(&connections) - before <= THREADS);
    assert_int_equal(vpcep_client_get_stats(&st, c), 0);
    assert_int_equal(st.requests, THREADS * PER_THREAD);
    vpcep_client_free(c);
}

/* The CA lookup: the user's file, SSL_CERT_FILE, SSL_CERT_DIR, then the first system bundle that
 * is a readable file, then the first directory; nothing found leaves both unset. */
static void test_ca_locate(void **state)
{
    char tmp[] = "/tmp/rest_ca_XXXXXX";
    char bundle[64], missing[64], subdir[64];
    const char *file, *dir;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(tmp));
    snprintf(bundle, sizeof bundle, "%s/bundle.pem", tmp);
    snprintf(missing, sizeof missing, "%s/missing.pem", tmp);
    snprintf(subdir, sizeof subdir, "%s/certs", tmp);
    f = fopen(bundle, "w");
    assert_non_null(f);
    fputs("-----BEGIN CERTIFICATE-----\n", f);
    fclose(f);
    assert_int_equal(mkdir(subdir, 0700), 0);
    {
        /* A directory named like a bundle is not a bundle. */
        const char *const bundles[] = {missing, subdir, bundle, NULL};
        const char *const dirs[] = {missing, bundle, subdir, NULL};
        const char *const none[] = {missing, NULL};

        rest_ca_locate("/user/ca.pem", "/env/file.pem", "/env/dir", bundles, dirs, &file, &dir);
        assert_string_equal(file, "/user/ca.pem");
        assert_null(dir);
        rest_ca_locate(NULL, "/env/file.pem", "/env/dir", bundles, dirs, &file, &dir);
        assert_string_equal(file, "/env/file.pem");
        assert_null(dir);
        rest_ca_locate("", "", "/env/dir", bundles, dirs, &file, &dir);
        assert_null(file);
        assert_string_equal(dir, "/env/dir");
        rest_ca_locate(NULL, NULL, "", bundles, dirs, &file, &dir);
        assert_string_equal(file, bundle);
        assert_null(dir);
        rest_ca_locate(NULL, NULL, NULL, none, dirs, &file, &dir);
        assert_null(file);
        assert_string_equal(dir, subdir);
        rest_ca_locate(NULL, NULL, NULL, none, none, &file, &dir);
        assert_null(file);
        assert_null(dir);
    }
    /* The lists the transport uses start with Debian's bundle and directory. */
    assert_string_equal(rest_ca_bundles[0], "/etc/ssl/certs/ca-certificates.crt");
    assert_string_equal(rest_ca_dirs[0], "/etc/ssl/certs");
    unlink(bundle);
    rmdir(subdir);
    rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_and_request_id),
        cmocka_unit_test(test_body_cap),
        cmocka_unit_test(test_retry_after_header),
        cmocka_unit_test(test_subject_token),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_cancel_during_transfer),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_connection_reuse),
        cmocka_unit_test(test_concurrent_transfers),
        cmocka_unit_test(test_ca_locate),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
