/* hclog JSON lines: format, levels from TF_LOG_PROVIDER / TF_LOG, escaping. */
#include "core.h"
#include "test_helpers.h"

#include <cjson/cJSON.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];

static int setup(void **state)
{
    (void)state;
    if (pipe(fds) != 0) {
        return -1;
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    tfp__log_set_fd(fds[1]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tfp__log_set_fd(-1);
    close(fds[0]);
    close(fds[1]);
    unsetenv("TF_LOG");
    unsetenv("TF_LOG_PROVIDER");
    tfp__log_reload();
    return 0;
}

static size_t drain(char *buf, size_t size)
{
    ssize_t n = read(fds[0], buf, size - 1);
    if (n < 0) {
        n = 0;
    }
    buf[n] = '\0';
    return (size_t)n;
}

static void set_env(const char *tf_log, const char *tf_log_provider)
{
    unsetenv("TF_LOG");
    unsetenv("TF_LOG_PROVIDER");
    if (tf_log != NULL) {
        setenv("TF_LOG", tf_log, 1);
    }
    if (tf_log_provider != NULL) {
        setenv("TF_LOG_PROVIDER", tf_log_provider, 1);
    }
    tfp__log_reload();
}

static void test_line_format(void **state)
{
    char buf[4096];
    size_t n;
    cJSON *line;
    const cJSON *ts;
    (void)state;
    set_env(NULL, "debug");
    tfp_log(TFP_LOG_INFO, "vpcep", "created %s \"quoted\"\nsecond line\t%d", "svc", 7);
    n = drain(buf, sizeof(buf));
    assert_true(n > 0);
    assert_int_equal(buf[n - 1], '\n');
    assert_null(memchr(buf, '\n', n - 1)); /* one line */
    assert_int_equal(buf[0], '{');
    line = cJSON_Parse(buf);
    assert_non_null(line);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(line, "@level")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(line, "@level")->valuestring, "info");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(line, "@message")->valuestring,
                        "created svc \"quoted\"\nsecond line\t7");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(line, "@module")->valuestring, "vpcep");
    ts = cJSON_GetObjectItemCaseSensitive(line, "@timestamp");
    assert_true(cJSON_IsString(ts));
    /* 2026-11-26T03:01:42.951000Z: exactly 6 fractional digits, then Z */
    assert_int_equal(strlen(ts->valuestring), 27);
    assert_int_equal(ts->valuestring[10], 'T');
    assert_int_equal(ts->valuestring[19], '.');
    assert_int_equal(ts->valuestring[26], 'Z');
    cJSON_Delete(line);

    tfp_log(TFP_LOG_WARN, NULL, "panic: not really");
    n = drain(buf, sizeof(buf));
    assert_true(n > 0);
    assert_int_equal(buf[0], '{');
    line = cJSON_Parse(buf);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(line, "@level")->valuestring, "warn");
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(line, "@module")));
    cJSON_Delete(line);
}

static void test_levels(void **state)
{
    char buf[256];
    (void)state;
    set_env(NULL, NULL);
    assert_false(tfp_log_enabled(TFP_LOG_ERROR));
    tfp_log(TFP_LOG_ERROR, "m", "hidden");
    assert_int_equal(drain(buf, sizeof(buf)), 0);

    set_env("JSON", NULL);
    assert_true(tfp_log_enabled(TFP_LOG_TRACE));

    set_env("trace", "off");
    assert_false(tfp_log_enabled(TFP_LOG_ERROR));

    set_env("off", "WARN");
    assert_false(tfp_log_enabled(TFP_LOG_INFO));
    assert_true(tfp_log_enabled(TFP_LOG_WARN));
    assert_true(tfp_log_enabled(TFP_LOG_ERROR));
    assert_false(tfp_log_enabled(TFP_LOG_OFF));

    set_env("ERROR", NULL);
    assert_false(tfp_log_enabled(TFP_LOG_WARN));
    tfp_log(TFP_LOG_DEBUG, "m", "hidden");
    assert_int_equal(drain(buf, sizeof(buf)), 0);
}

static void test_long_message_truncated(void **state)
{
    char big[20000];
    char buf[65536];
    size_t n;
    cJSON *line;
    (void)state;
    set_env("trace", NULL);
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    tfp_log(TFP_LOG_TRACE, "m", "%s", big);
    n = drain(buf, sizeof(buf));
    assert_true(n > 8000 && n < 9000);
    line = cJSON_Parse(buf);
    assert_non_null(line);
    cJSON_Delete(line);
}

static void *log_thread(void *arg)
{
    char msg[6001];
    int i;
    memset(msg, 'a' + (int)(intptr_t)arg, sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    for (i = 0; i < 50; i++) {
        tfp_log(TFP_LOG_INFO, "t", "%d %s", i, msg);
    }
    return NULL;
}

/* Long lines from several threads never interleave. */
static void test_concurrent_lines(void **state)
{
    FILE *f = tmpfile();
    pthread_t th[4];
    char *line = NULL;
    size_t cap = 0;
    int lines = 0;
    intptr_t i;
    (void)state;
    assert_non_null(f);
    set_env("info", NULL);
    tfp__log_set_fd(fileno(f));
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, log_thread, (void *)i), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
    }
    rewind(f);
    while (getline(&line, &cap, f) > 0) {
        cJSON *j = cJSON_Parse(line);
        assert_non_null(j);
        cJSON_Delete(j);
        lines++;
    }
    assert_int_equal(lines, 200);
    free(line);
    fclose(f);
}

static const char *str_of(const cJSON *line, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(line, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The fields Terraform's Go SDKs put on every line of an RPC, and the caller's own fields. */
static void test_rpc_context_and_fields(void **state)
{
    char buf[4096];
    char first_id[64];
    cJSON *line;
    const cJSON *num;
    tfp_log_field f[5] = {{"tf_http_req_method", "GET", 0},
                          {"tf_http_res_status_code", NULL, 200},
                          {"tf_rpc", "Forged", 0}, /* a context field is never replaced */
                          {"@level", "error", 0},  /* nor an hclog one */
                          {NULL, "skipped", 0}};
    (void)state;
    set_env("trace", NULL);
    tfp__log_set_provider_addr("registry.terraform.io/otc/vpcep");

    /* outside an RPC: the provider address only */
    tfp_log(TFP_LOG_INFO, "m", "idle");
    assert_true(drain(buf, sizeof(buf)) > 0);
    line = cJSON_Parse(buf);
    assert_string_equal(str_of(line, "tf_provider_addr"), "registry.terraform.io/otc/vpcep");
    assert_null(str_of(line, "tf_rpc"));
    assert_null(str_of(line, "tf_req_id"));
    cJSON_Delete(line);

    tfp__log_rpc_begin("ApplyResourceChange", 6);
    tfp__log_rpc_type("vpcep_service", 0);
    tfp_log_fields(TFP_LOG_DEBUG, "vpcep", f, 5, "GET %s", "/x");
    assert_true(drain(buf, sizeof(buf)) > 0);
    line = cJSON_Parse(buf);
    assert_non_null(line);
    assert_string_equal(str_of(line, "@message"), "GET /x");
    assert_string_equal(str_of(line, "@level"), "debug");
    assert_string_equal(str_of(line, "tf_rpc"), "ApplyResourceChange");
    assert_string_equal(str_of(line, "tf_proto_version"), "6");
    assert_string_equal(str_of(line, "tf_resource_type"), "vpcep_service");
    assert_null(str_of(line, "tf_data_source_type"));
    assert_string_equal(str_of(line, "tf_http_req_method"), "GET");
    num = cJSON_GetObjectItemCaseSensitive(line, "tf_http_res_status_code");
    assert_true(cJSON_IsNumber(num));
    assert_int_equal(num->valueint, 200);
    /* a version 4 UUID, the same on every line of the RPC */
    assert_non_null(str_of(line, "tf_req_id"));
    assert_int_equal(strlen(str_of(line, "tf_req_id")), 36);
    assert_int_equal(str_of(line, "tf_req_id")[14], '4');
    assert_string_equal(str_of(line, "tf_req_id"), tfp__log_req_id());
    snprintf(first_id, sizeof(first_id), "%s", tfp__log_req_id());
    cJSON_Delete(line);
    tfp_log(TFP_LOG_INFO, "vpcep", "again");
    assert_true(drain(buf, sizeof(buf)) > 0);
    line = cJSON_Parse(buf);
    assert_string_equal(str_of(line, "tf_req_id"), first_id);
    cJSON_Delete(line);
    tfp__log_rpc_end();

    /* the next RPC has its own ID; a data source is named as one */
    tfp__log_rpc_begin("ReadDataSource", 5);
    tfp__log_rpc_type("vpcep_public_services", 1);
    assert_string_not_equal(tfp__log_req_id(), first_id);
    tfp_log(TFP_LOG_INFO, "vpcep", "read");
    assert_true(drain(buf, sizeof(buf)) > 0);
    line = cJSON_Parse(buf);
    assert_string_equal(str_of(line, "tf_data_source_type"), "vpcep_public_services");
    assert_null(str_of(line, "tf_resource_type"));
    assert_string_equal(str_of(line, "tf_rpc"), "ReadDataSource");
    cJSON_Delete(line);
    tfp__log_rpc_end();
    assert_string_equal(tfp__log_req_id(), "");
    tfp__log_set_provider_addr(NULL);

    /* levels apply to tfp_log_fields too */
    set_env("warn", NULL);
    tfp_log_fields(TFP_LOG_INFO, "m", f, 2, "hidden");
    assert_int_equal(drain(buf, sizeof(buf)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_line_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_message_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rpc_context_and_fields, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
