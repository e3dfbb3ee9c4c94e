/*
 * Transport test of the plugin server through tfp-test-provider, with our own C gRPC client
 * (probe_client.c): handshake, protocol choice, Unix and TCP, AutoMTLS (and refusing a client
 * without the certificate), health, UNIMPLEMENTED for everything unserved, malformed
 * protobuf, parallel calls, StopProvider during a wait, Shutdown, the cookie and --version.
 *   plugin_transport_test <tfp-test-provider>
 */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include "probe_client.h"

#include <grpc/grpc.h>
#include <grpc/status.h>

#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *g_bin;
static char g_dir[256];

/* Empty protobuf messages (GetProviderSchema.Request, plugin.Empty, ...). */
static const uint8_t k_empty[1] = {0};

static int matches(const char *re, const char *s)
{
    regex_t r;
    int ok;

    assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
    ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

static void shutdown_and_check(probe_plugin *pp, grpc_channel *ch)
{
    double t0 = probe_now_ms();
    int status;
    struct stat sb;

    assert_int_equal(
        probe_call(ch, "/plugin.GRPCController/Shutdown", k_empty, 0, NULL, NULL, 5000),
        GRPC_STATUS_OK);
    status = probe_wait(pp, 2000);
    assert_true(status != -1);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(probe_now_ms() - t0 < 1500); /* go-plugin waits 2 s, then SIGKILLs */
    if (strcmp(pp->network, "unix") == 0)
        assert_int_not_equal(stat(pp->addr, &sb), 0); /* socket removed */
    grpc_channel_destroy(ch);
    probe_kill(pp);
}

static void test_cookie_and_version(void **state)
{
    probe_plugin pp;
    int status;
    (void)state;

    /* without the cookie: a message on stderr, nothing on stdout, exit 1 */
    assert_int_equal(probe_launch(&pp, g_bin, 0, "6", 0, NULL), -1);
    assert_string_equal(pp.line, "");
    status = probe_wait(&pp, 3000);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    probe_kill(&pp);

    {
        char cmd[600];
        FILE *f;
        char out[128] = "";
        snprintf(cmd, sizeof(cmd), "'%s' --version", g_bin);
        f = popen(cmd, "r");
        assert_non_null(f);
        assert_non_null(fgets(out, sizeof(out), f));
        assert_int_equal(pclose(f), 0);
        assert_string_equal(out, "tfptest 0.0.1\n");
    }
}

static void test_protocols(void **state)
{
    static const struct {
        const char *versions;
        const char *forced;
        int want;
    } cases[] = {
        {"5", NULL, 5},
        {"6", NULL, 6},
        {"5,6", NULL, 6},
        {"6,5", NULL, 6},
        {"6,5", "TFP_PROTOCOLS=5", 5},
        {"5,6", "TFP_PROTOCOLS=6", 6},
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *extra[] = {cases[i].forced, NULL};
        probe_plugin pp;
        grpc_channel *ch;
        char method[96];
        uint8_t *resp = NULL;
        size_t resp_len = 0;

        assert_int_equal(probe_launch(&pp, g_bin, 1, cases[i].versions, 0, extra), 0);
        assert_int_equal(pp.proto, cases[i].want);
        assert_true(matches("^1\\|[56]\\|unix\\|/[^|]+\\|grpc\\|$", pp.line));
        ch = probe_connect(&pp, PROBE_AUTO);
        assert_non_null(ch);
        snprintf(method, sizeof(method), "/tfplugin%d.Provider/%s", pp.proto,
                 pp.proto == 6 ? "GetProviderSchema" : "GetSchema");
        assert_int_equal(probe_call(ch, method, k_empty, 0, &resp, &resp_len, 5000),
                         GRPC_STATUS_OK);
        assert_true(resp_len > 0);
        free(resp);
        /* the other package is not served */
        snprintf(method, sizeof(method), "/tfplugin%d.Provider/%s", pp.proto == 6 ? 5 : 6,
                 pp.proto == 6 ? "GetSchema" : "GetProviderSchema");
        assert_int_equal(probe_call(ch, method, k_empty, 0, NULL, NULL, 5000),
                         GRPC_STATUS_UNIMPLEMENTED);
        shutdown_and_check(&pp, ch);
    }
}

static void test_tcp_and_socket_dir(void **state)
{
    const char *tcp[] = {"TFP_PLUGIN_NETWORK=tcp", "PLUGIN_MIN_PORT=20000", "PLUGIN_MAX_PORT=20999",
                         NULL};
    char dirvar[300];
    const char *unixdir[] = {dirvar, NULL};
    probe_plugin pp;
    grpc_channel *ch;
    int port;
    (void)state;

    assert_int_equal(probe_launch(&pp, g_bin, 1, "5,6", 0, tcp), 0);
    assert_string_equal(pp.network, "tcp");
    assert_true(matches("^1\\|6\\|tcp\\|127\\.0\\.0\\.1:[0-9]+\\|grpc\\|$", pp.line));
    port = atoi(strchr(pp.addr, ':') + 1);
    assert_true(port >= 20000 && port <= 20999);
    ch = probe_connect(&pp, PROBE_AUTO);
    assert_int_equal(probe_call(ch, "/grpc.health.v1.Health/Check", k_empty, 0, NULL, NULL, 5000),
                     GRPC_STATUS_OK);
    shutdown_and_check(&pp, ch);

    snprintf(dirvar, sizeof(dirvar), "PLUGIN_UNIX_SOCKET_DIR=%s", g_dir);
    assert_int_equal(probe_launch(&pp, g_bin, 1, "6", 0, unixdir), 0);
    assert_int_equal(strncmp(pp.addr, g_dir, strlen(g_dir)), 0);
    ch = probe_connect(&pp, PROBE_AUTO);
    shutdown_and_check(&pp, ch);
}

static void test_mtls(void **state)
{
    probe_plugin pp;
    grpc_channel *ch, *bad;
    uint8_t *resp = NULL;
    size_t resp_len = 0;
    (void)state;

    assert_int_equal(probe_launch(&pp, g_bin, 1, "5,6", 1, NULL), 0);
    assert_true(matches("^1\\|6\\|unix\\|/[^|]+\\|grpc\\|[A-Za-z0-9+/]{51,}$", pp.line));
    /* a client without a certificate is refused */
    bad = probe_connect(&pp, PROBE_TLS_NO_CLIENT_CERT);
    assert_non_null(bad);
    assert_int_not_equal(
        probe_call(bad, "/grpc.health.v1.Health/Check", k_empty, 0, NULL, NULL, 3000),
        GRPC_STATUS_OK);
    grpc_channel_destroy(bad);
    /* and so is a plaintext client */
    bad = probe_connect(&pp, PROBE_INSECURE);
    assert_int_not_equal(
        probe_call(bad, "/grpc.health.v1.Health/Check", k_empty, 0, NULL, NULL, 3000),
        GRPC_STATUS_OK);
    grpc_channel_destroy(bad);
    /* with it: served */
    ch = probe_connect(&pp, PROBE_AUTO);
    assert_non_null(ch);
    assert_int_equal(
        probe_call(ch, "/tfplugin6.Provider/GetProviderSchema", k_empty, 0, &resp, &resp_len, 5000),
        GRPC_STATUS_OK);
    assert_true(resp_len > 0);
    free(resp);
    shutdown_and_check(&pp, ch);
}

static void test_unimplemented_and_malformed(void **state)
{
    static const char *const unimplemented[] = {
        "/grpc.health.v1.Health/Watch",
        "/tfplugin6.Provider/GetMetadata",
        "/tfplugin6.Provider/GetFunctions",
        "/tfplugin6.Provider/GetResourceIdentitySchemas",
        "/tfplugin6.Provider/OpenEphemeralResource",
        "/tfplugin6.Provider/ListResource",
        "/some.Other/Method",
    };
    static const uint8_t garbage[] = {0x0a, 0x64, 0x01, 0x02, 0xff};
    probe_plugin pp;
    grpc_channel *ch;
    uint8_t *resp = NULL;
    size_t resp_len = 0, i;
    (void)state;

    assert_int_equal(probe_launch(&pp, g_bin, 1, "6", 0, NULL), 0);
    ch = probe_connect(&pp, PROBE_AUTO);
    for (i = 0; i < sizeof(unimplemented) / sizeof(unimplemented[0]); i++)
        assert_int_equal(probe_call(ch, unimplemented[i], k_empty, 0, NULL, NULL, 5000),
                         GRPC_STATUS_UNIMPLEMENTED);
    assert_int_equal(probe_call(ch, "/tfplugin6.Provider/PlanResourceChange", garbage,
                                sizeof(garbage), NULL, NULL, 5000),
                     GRPC_STATUS_INVALID_ARGUMENT);
    /* still up: health answers SERVING for "plugin" (0a 06 "plugin") */
    assert_int_equal(probe_call(ch, "/grpc.health.v1.Health/Check",
                                (const uint8_t *)"\x0a\x06plugin", 8, &resp, &resp_len, 5000),
                     GRPC_STATUS_OK);
    assert_int_equal(resp_len, 2);
    assert_memory_equal(resp, "\x08\x01", 2);
    free(resp);
    shutdown_and_check(&pp, ch);
}

/* ApplyResourceChange (create) of tfptest_thing "slow", hand-encoded msgpack. */
static size_t apply_request(uint8_t *buf, size_t cap)
{
    /* planned: {id: unknown, name: "slow", note: nil, rule: [], size: unknown, tags: nil} */
    static const uint8_t planned[] = {0x86, 0xa2, 'i',  'd',  0xd4, 0x00, 0x00, 0xa4, 'n', 'a', 'm',
                                      'e',  0xa4, 's',  'l',  'o',  'w',  0xa4, 'n',  'o', 't', 'e',
                                      0xc0, 0xa4, 'r',  'u',  'l',  'e',  0x90, 0xa4, 's', 'i', 'z',
                                      'e',  0xd4, 0x00, 0x00, 0xa4, 't',  'a',  'g',  's', 0xc0};
    static const uint8_t config[] = {0x86, 0xa2, 'i',  'd',  0xc0, 0xa4, 'n',  'a',  'm', 'e',
                                     0xa4, 's',  'l',  'o',  'w',  0xa4, 'n',  'o',  't', 'e',
                                     0xc0, 0xa4, 'r',  'u',  'l',  'e',  0x90, 0xa4, 's', 'i',
                                     'z',  'e',  0xc0, 0xa4, 't',  'a',  'g',  's',  0xc0};
    size_t n = 0;

    assert_true(cap > 200);
    /* 1: type_name */
    buf[n++] = 0x0a;
    buf[n++] = 13;
    memcpy(buf + n, "tfptest_thing", 13);
    n += 13;
    /* 2: prior_state = DynamicValue{msgpack: c0} */
    buf[n++] = 0x12;
    buf[n++] = 3;
    buf[n++] = 0x0a;
    buf[n++] = 1;
    buf[n++] = 0xc0;
    /* 3: planned_state */
    buf[n++] = 0x1a;
    buf[n++] = (uint8_t)(sizeof(planned) + 2);
    buf[n++] = 0x0a;
    buf[n++] = (uint8_t)sizeof(planned);
    memcpy(buf + n, planned, sizeof(planned));
    n += sizeof(planned);
    /* 4: config */
    buf[n++] = 0x22;
    buf[n++] = (uint8_t)(sizeof(config) + 2);
    buf[n++] = 0x0a;
    buf[n++] = (uint8_t)sizeof(config);
    memcpy(buf + n, config, sizeof(config));
    n += sizeof(config);
    return n;
}

typedef struct apply_job {
    grpc_channel *ch;
    int status;
    double ms;
    uint8_t *resp;
    size_t resp_len;
} apply_job;

static void *apply_thread(void *arg)
{
    apply_job *j = arg;
    uint8_t req[256];
    size_t n = apply_request(req, sizeof(req));
    double t0 = probe_now_ms();

    j->status = probe_call(j->ch, "/tfplugin6.Provider/ApplyResourceChange", req, n, &j->resp,
                           &j->resp_len, 60000);
    j->ms = probe_now_ms() - t0;
    return NULL;
}

static void test_parallel_calls(void **state)
{
    char dirvar[300];
    const char *extra[] = {"TFPTEST_APPLY_DELAY_MS=1000", dirvar, NULL};
    apply_job jobs[4];
    pthread_t th[4];
    probe_plugin pp;
    grpc_channel *ch;
    double t0, total;
    size_t i;
    (void)state;

    snprintf(dirvar, sizeof(dirvar), "TFPTEST_DIR=%s", g_dir);
    assert_int_equal(probe_launch(&pp, g_bin, 1, "6", 0, extra), 0);
    ch = probe_connect(&pp, PROBE_AUTO);
    t0 = probe_now_ms();
    for (i = 0; i < 4; i++) {
        memset(&jobs[i], 0, sizeof(jobs[i]));
        jobs[i].ch = ch;
        assert_int_equal(pthread_create(&th[i], NULL, apply_thread, &jobs[i]), 0);
    }
    /* while four 1 s applies are in flight, schema calls are answered at once */
    usleep(100 * 1000);
    for (i = 0; i < 10; i++) {
        double c0 = probe_now_ms();
        assert_int_equal(
            probe_call(ch, "/tfplugin6.Provider/GetProviderSchema", k_empty, 0, NULL, NULL, 5000),
            GRPC_STATUS_OK);
        assert_true(probe_now_ms() - c0 < 1000);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].status, GRPC_STATUS_OK);
        assert_null(memmem(jobs[i].resp, jobs[i].resp_len, "Apply cancelled", 15));
        free(jobs[i].resp);
    }
    total = probe_now_ms() - t0;
    assert_true(total < 3500); /* served in parallel: in a row it would take 4 s */
    shutdown_and_check(&pp, ch);
}

static void test_stop_during_wait(void **state)
{
    char dirvar[300];
    const char *extra[] = {"TFPTEST_APPLY_DELAY_MS=30000", dirvar, NULL};
    apply_job job;
    pthread_t th;
    probe_plugin pp;
    grpc_channel *ch;
    double t0;
    (void)state;

    snprintf(dirvar, sizeof(dirvar), "TFPTEST_DIR=%s", g_dir);
    assert_int_equal(probe_launch(&pp, g_bin, 1, "6", 0, extra), 0);
    ch = probe_connect(&pp, PROBE_AUTO);
    memset(&job, 0, sizeof(job));
    job.ch = ch;
    assert_int_equal(pthread_create(&th, NULL, apply_thread, &job), 0);
    usleep(300 * 1000);
    t0 = probe_now_ms();
    assert_int_equal(
        probe_call(ch, "/tfplugin6.Provider/StopProvider", k_empty, 0, NULL, NULL, 5000),
        GRPC_STATUS_OK);
    assert_true(probe_now_ms() - t0 < 1500); /* answered while the apply waits */
    pthread_join(th, NULL);
    assert_int_equal(job.status, GRPC_STATUS_OK);
    assert_true(job.ms < 5000);
    assert_non_null(memmem(job.resp, job.resp_len, "Apply cancelled", 15));
    free(job.resp);
    shutdown_and_check(&pp, ch);
}

/* 1 while @p pid exists and is not a zombie. */
static int alive(pid_t pid)
{
    char path[64], buf[512];
    FILE *f;
    char *rp;
    int ok = 0;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return 0;
    if (fgets(buf, sizeof(buf), f) != NULL && (rp = strrchr(buf, ')')) != NULL)
        ok = rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
    fclose(f);
    return ok;
}

/* Terraform killed (no Shutdown): the orphaned plugin notices within about a second and
 * exits, removing its socket. */
static void test_parent_death(void **state)
{
    int pfd[2];
    pid_t mid, plugin = -1;
    char addr[512] = "";
    double t0;
    struct stat sb;
    (void)state;

    assert_int_equal(pipe(pfd), 0);
    mid = fork();
    assert_true(mid >= 0);
    if (mid == 0) {
        probe_plugin pp;
        close(pfd[0]);
        if (probe_launch(&pp, g_bin, 1, "6", 0, NULL) == 0) {
            if (write(pfd[1], &pp.pid, sizeof(pp.pid)) != (ssize_t)sizeof(pp.pid) ||
                write(pfd[1], pp.addr, sizeof(pp.addr)) != (ssize_t)sizeof(pp.addr))
                _exit(2);
        }
        _exit(0); /* leaves the plugin running, without its parent */
    }
    close(pfd[1]);
    assert_int_equal(read(pfd[0], &plugin, sizeof(plugin)), (ssize_t)sizeof(plugin));
    assert_int_equal(read(pfd[0], addr, sizeof(addr)), (ssize_t)sizeof(addr));
    close(pfd[0]);
    assert_int_equal(waitpid(mid, NULL, 0), mid);
    assert_int_equal(stat(addr, &sb), 0);
    t0 = probe_now_ms();
    while (alive(plugin) && probe_now_ms() - t0 < 5000)
        usleep(20 * 1000);
    assert_false(alive(plugin));
    assert_int_not_equal(stat(addr, &sb), 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cookie_and_version),
        cmocka_unit_test(test_protocols),
        cmocka_unit_test(test_tcp_and_socket_dir),
        cmocka_unit_test(test_mtls),
        cmocka_unit_test(test_unimplemented_and_malformed),
        cmocka_unit_test(test_parallel_calls),
        cmocka_unit_test(test_stop_during_wait),
        cmocka_unit_test(test_parent_death),
    };
    int rc;

    if (argc < 2) {
        fprintf(stderr, "usage: %s <tfp-test-provider>\n", argv[0]);
        return 2;
    }
    g_bin = argv[1];
    snprintf(g_dir, sizeof(g_dir), "%s/tfp-transport.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(g_dir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    grpc_init();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    grpc_shutdown();
    {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", g_dir);
    }
    return rc;
}
