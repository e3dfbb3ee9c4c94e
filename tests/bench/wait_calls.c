/*
 * wait_calls: how many API calls and how much time the VPCEP waiters (include/vpcep/wait.h)
 * spend against vpcep-emulator for a few lifecycle transition delays.
 *
 * For each delay the benchmark starts its own emulator (--listen 127.0.0.1:0 --delay-ms D),
 * creates a service and waits until it is available, creates an endpoint to it and waits until
 * it is connected (endpoint_created), then deletes both and waits until each is gone. Each wait
 * prints the status reads (polls), the HTTP requests spent (api_calls, retries included), the
 * wall time, the overshoot past the transition delay (how late the schedule detects the
 * transition) and the calls per second. From a delay of 10 s on, only the service create wait
 * runs (the call rate of a long wait).
 *
 * Usage: wait_calls EMULATOR [DELAY_MS,DELAY_MS,...]   (default 0,500,1500)
 * Exit: 0 (numbers printed; never fails on time), 1 when an API call or a wait fails, 77 when
 * the emulator binary is missing.
 */
#include <vpcep/vpcep.h>

#include <cjson/cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_DELAYS 8
#define WAIT_TIMEOUT_MS 60000L
/* From this transition delay on, only the service create wait runs (its calls per second). */
#define LONG_WAIT_MS 10000L

typedef struct bench_seed {
    char access_key[128];
    char secret_key[128];
    char project_id[80];
    char vpc_id[80];
    char subnet_id[80];
    char port_id[80];
} bench_seed;

typedef struct bench_emu {
    pid_t pid;
    char url[256];
} bench_emu;

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs @p argv and returns its stdout (NUL-terminated, at most @p cap - 1 bytes), or NULL. */
static char *run_capture(char *const *argv, size_t cap)
{
    int fd[2];
    pid_t pid;
    char *buf = NULL;
    size_t len = 0;
    ssize_t n;
    int status = 0;

    if (pipe(fd) != 0)
        return NULL;
    pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return NULL;
    }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    buf = malloc(cap);
    if (buf != NULL) {
        while (len + 1 < cap && (n = read(fd[0], buf + len, cap - 1 - len)) > 0)
            len += (size_t)n;
        buf[len] = '\0';
    }
    close(fd[0]);
    waitpid(pid, &status, 0);
    if (buf != NULL && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

static int copy_str(char *dst, size_t n, const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!cJSON_IsString(v) || strlen(v->valuestring) >= n)
        return -1;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

/* Reads the owner account of the emulator's built-in seed (--print-seed). */
static int load_seed(const char *emu, bench_seed *seed)
{
    char *argv[] = {(char *)emu, "--print-seed", NULL};
    char *text = run_capture(argv, 1 << 20);
    cJSON *root = NULL;
    const cJSON *acct, *owner = NULL, *vpc;
    int rc = -1;

    if (text == NULL)
        goto done;
    root = cJSON_Parse(text);
    if (root == NULL)
        goto done;
    cJSON_ArrayForEach(acct, cJSON_GetObjectItemCaseSensitive(root, "accounts"))
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(acct, "name");
        if (cJSON_IsString(name) && strcmp(name->valuestring, "owner") == 0)
            owner = acct;
    }
    if (owner == NULL)
        goto done;
    vpc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(owner, "vpcs"), 0);
    if (copy_str(seed->access_key, sizeof(seed->access_key), owner, "access_key") != 0 ||
        copy_str(seed->secret_key, sizeof(seed->secret_key), owner, "secret_key") != 0 ||
        copy_str(seed->project_id, sizeof(seed->project_id), owner, "project_id") != 0 ||
        copy_str(seed->vpc_id, sizeof(seed->vpc_id), vpc, "id") != 0 ||
        copy_str(seed->subnet_id, sizeof(seed->subnet_id),
                 cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vpc, "subnets"), 0),
                 "id") != 0 ||
        copy_str(seed->port_id, sizeof(seed->port_id),
                 cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vpc, "ports"), 0), "id") != 0)
        goto done;
    rc = 0;
done:
    cJSON_Delete(root);
    free(text);
    return rc;
}

static void emu_stop(bench_emu *e)
{
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
        e->pid = 0;
    }
}

/* Starts the emulator with --delay-ms @p delay; its request log goes to /dev/null. */
static int emu_start(bench_emu *e, const char *emu, long delay)
{
    char delay_s[32];
    char *argv[] = {(char *)emu, "--listen", "127.0.0.1:0", "--delay-ms", delay_s, NULL};
    int fd[2];
    size_t len = 0;
    char ch;
    int rc = -1;

    memset(e, 0, sizeof(*e));
    snprintf(delay_s, sizeof(delay_s), "%ld", delay);
    if (pipe(fd) != 0)
        return -1;
    e->pid = fork();
    if (e->pid < 0) {
        close(fd[0]);
        close(fd[1]);
        e->pid = 0;
        return -1;
    }
    if (e->pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the benchmark */
        dup2(fd[1], STDOUT_FILENO);
        if (devnull >= 0)
            dup2(devnull, STDERR_FILENO);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    while (len + 1 < sizeof(e->url) && read(fd[0], &ch, 1) == 1 && ch != '\n')
        e->url[len++] = ch;
    e->url[len] = '\0';
    close(fd[0]);
    if (strncmp(e->url, "http://", 7) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        emu_stop(e);
    return rc;
}

static void report(long delay, const char *what, int rc, const vpcep_wait_stats *st)
{
    printf("%8ld  %-20s %5u %9u %10lld %12lld %9.2f  %s\n", delay, what, st->polls, st->api_calls,
           (long long)st->elapsed_ms, (long long)(st->elapsed_ms - delay),
           st->elapsed_ms > 0 ? st->api_calls * 1000.0 / (double)st->elapsed_ms : 0.0,
           rc == 0 ? "ok" : vpcep_strerror(rc));
}

static int fail(const char *what, int rc, const vpcep_error *err)
{
    fprintf(stderr, "wait_calls: %s failed: %s (http %d, %s %s, state '%s')\n", what,
            vpcep_strerror(rc), err->http_status, err->error_code, err->error_msg, err->state);
    return 1;
}

/* One round at @p delay: create + wait, delete + wait, for a service and an endpoint. */
static int bench_delay(const char *emu, const bench_seed *seed, long delay)
{
    bench_emu e = {0};
    vpcep_client_options o;
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_service_create_opts so = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_endpoint_create_opts eo = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 80, "TCP"}};
    vpcep_service *svc = NULL;
    vpcep_endpoint *ep = NULL;
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    vpcep_client_stats cs = VPCEP_CLIENT_STATS_INIT;
    char auth_url[300];
    int64_t t0;
    int rc, ret = 1;

    if (emu_start(&e, emu, delay) != 0) {
        fprintf(stderr, "wait_calls: cannot start %s\n", emu);
        goto done;
    }
    vpcep_client_options_init(&o, VPCEP_CLIENT_OPTIONS_VERSION);
    snprintf(auth_url, sizeof(auth_url), "%s/v3", e.url);
    o.region = "eu-de";
    o.endpoint = e.url;
    o.auth_url = auth_url;
    o.project_id = seed->project_id;
    o.access_key = seed->access_key;
    o.secret_key = seed->secret_key;
    o.timeout_ms = 10000;
    rc = vpcep_client_new(&c, &o, &err);
    if (rc != 0) {
        ret = fail("client", rc, &err);
        goto done;
    }

    so.port_id = seed->port_id;
    so.vpc_id = seed->vpc_id;
    so.server_type = "VM";
    so.ports = ports;
    so.n_ports = 1;
    so.service_name = "bench";
    so.approval_enabled_set = 1; /* false: the endpoint is accepted without approval */
    t0 = now_ms();
    rc = vpcep_service_create(&svc, c, &so, &err);
    if (rc != 0) {
        ret = fail("service create", rc, &err);
        goto done;
    }
    vpcep_wait_spec_service_available(&spec, WAIT_TIMEOUT_MS);
    rc = vpcep_wait_service(NULL, &st, c, svc->id, &spec, &err);
    report(delay, "service_available", rc, &st);
    if (rc != 0) {
        ret = fail("wait service_available", rc, &err);
        goto done;
    }
    printf("%8ld  %-20s %31lld\n", delay, "  create+wait total", (long long)(now_ms() - t0));
    if (delay >= LONG_WAIT_MS) {
        /* A long transition: the service wait alone shows the poll rate; the emulator goes. */
        ret = 0;
        goto done;
    }

    eo.endpoint_service_id = svc->id;
    eo.vpc_id = seed->vpc_id;
    eo.subnet_id = seed->subnet_id;
    t0 = now_ms();
    rc = vpcep_endpoint_create(&ep, c, &eo, &err);
    if (rc != 0) {
        ret = fail("endpoint create", rc, &err);
        goto done;
    }
    vpcep_wait_spec_endpoint_created(&spec, WAIT_TIMEOUT_MS);
    rc = vpcep_wait_endpoint(NULL, &st, c, ep->id, &spec, &err);
    report(delay, "endpoint_created", rc, &st);
    if (rc != 0) {
        ret = fail("wait endpoint_created", rc, &err);
        goto done;
    }
    printf("%8ld  %-20s %31lld\n", delay, "  create+wait total", (long long)(now_ms() - t0));

    rc = vpcep_endpoint_delete(c, ep->id, &err);
    if (rc != 0) {
        ret = fail("endpoint delete", rc, &err);
        goto done;
    }
    vpcep_wait_spec_endpoint_deleted(&spec, WAIT_TIMEOUT_MS);
    rc = vpcep_wait_endpoint(NULL, &st, c, ep->id, &spec, &err);
    report(delay, "endpoint_deleted", rc, &st);
    if (rc != 0) {
        ret = fail("wait endpoint_deleted", rc, &err);
        goto done;
    }

    rc = vpcep_service_delete(c, svc->id, &err);
    if (rc != 0) {
        ret = fail("service delete", rc, &err);
        goto done;
    }
    vpcep_wait_spec_service_deleted(&spec, WAIT_TIMEOUT_MS);
    rc = vpcep_wait_service(NULL, &st, c, svc->id, &spec, &err);
    report(delay, "service_deleted", rc, &st);
    if (rc != 0) {
        ret = fail("wait service_deleted", rc, &err);
        goto done;
    }

    vpcep_client_get_stats(&cs, c);
    printf("%8ld  %-20s %15llu (retries %llu)\n", delay, "  client requests",
           (unsigned long long)cs.requests, (unsigned long long)cs.retries);
    ret = 0;
done:
    vpcep_endpoint_free(ep);
    vpcep_service_free(svc);
    vpcep_client_free(c);
    emu_stop(&e);
    return ret;
}

/* Parses "0,500,1500" into @p out (at most MAX_DELAYS values, each 0..600000). */
static int parse_delays(const char *s, long *out, int *n)
{
    char *end;
    long v;

    *n = 0;
    while (*s != '\0') {
        errno = 0;
        v = strtol(s, &end, 10);
        if (end == s || errno != 0 || v < 0 || v > 600000 || *n >= MAX_DELAYS)
            return -1;
        out[(*n)++] = v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s != '\0')
            return -1;
    }
    return *n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    bench_seed seed;
    long delays[MAX_DELAYS];
    int n = 0, i;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s EMULATOR [DELAY_MS,...]\n", argv[0]);
        return 2;
    }
    if (argv[1][0] == '\0' || access(argv[1], X_OK) != 0) {
        printf("wait_calls: vpcep-emulator not available (%s): skipped\n", argv[1]);
        return 77;
    }
    if (parse_delays(argc == 3 ? argv[2] : "0,500,1500", delays, &n) != 0) {
        fprintf(stderr, "wait_calls: bad delay list\n");
        return 2;
    }
    memset(&seed, 0, sizeof(seed));
    if (load_seed(argv[1], &seed) != 0) {
        fprintf(stderr, "wait_calls: cannot read the emulator's seed (--print-seed)\n");
        return 1;
    }
    printf("waiter API calls against vpcep-emulator (poll schedule of include/vpcep/wait.h)\n");
    printf("%8s  %-20s %5s %9s %10s %12s %9s  %s\n", "delay_ms", "waiter", "polls", "api_calls",
           "elapsed_ms", "overshoot_ms", "calls_per_s", "result");
    for (i = 0; i < n; i++) {
        if (bench_delay(argv[1], &seed, delays[i]) != 0)
            return 1;
    }
    return 0;
}
