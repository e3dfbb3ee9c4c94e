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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_line_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_message_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
