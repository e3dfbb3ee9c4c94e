#include "harness.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *emu_bin;

void it_set_binary(const char *path)
{
    if (path == NULL || path[0] == '\0' || access(path, X_OK) != 0) {
        fprintf(stderr, "vpcep-emulator not built (%s): skipped\n", path ? path : "(none)");
        exit(77);
    }
    emu_bin = path;
}

long it_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static char *run_capture(const char *const *argv)
{
    int fd[2];
    pid_t pid;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ssize_t n;

    if (pipe(fd) != 0)
        return NULL;
    pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
        }
        n = read(fd[0], buf + len, 4096);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd[0]);
    waitpid(pid, NULL, 0);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static void copy_str(char *dst, size_t n, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    snprintf(dst, n, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

static void fill_account(it_account *a, const cJSON *acct)
{
    const cJSON *vpc = cJSON_GetArrayItem(cJSON_GetObjectItem(acct, "vpcs"), 0);
    const cJSON *ports = cJSON_GetObjectItem(vpc, "ports");

    copy_str(a->domain_id, sizeof(a->domain_id), acct, "domain_id");
    copy_str(a->project_id, sizeof(a->project_id), acct, "project_id");
    copy_str(a->vpc_id, sizeof(a->vpc_id), vpc, "id");
    copy_str(a->subnet_id, sizeof(a->subnet_id),
             cJSON_GetArrayItem(cJSON_GetObjectItem(vpc, "subnets"), 0), "id");
    copy_str(a->port_id[0], sizeof(a->port_id[0]), cJSON_GetArrayItem(ports, 0), "id");
    copy_str(a->port_id[1], sizeof(a->port_id[1]), cJSON_GetArrayItem(ports, 1), "id");
    copy_str(a->route_table, sizeof(a->route_table),
             cJSON_GetArrayItem(cJSON_GetObjectItem(vpc, "route_tables"), 0), "id");
}

int it_start(it_emu *e, const char *const *args)
{
    const char *argv[32];
    const char *seed_argv[] = {emu_bin, "--print-seed", NULL};
    char *seed;
    cJSON *root, *acct;
    int fd[2], i, n = 0;
    size_t len = 0;
    char ch;

    memset(e, 0, sizeof(*e));
    seed = run_capture(seed_argv);
    if (seed == NULL)
        return -1;
    root = cJSON_Parse(seed);
    free(seed);
    if (root == NULL)
        return -1;
    cJSON_ArrayForEach(acct, cJSON_GetObjectItem(root, "accounts"))
    {
        const cJSON *name = cJSON_GetObjectItem(acct, "name");
        if (cJSON_IsString(name) && strcmp(name->valuestring, "owner") == 0)
            fill_account(&e->owner, acct);
        if (cJSON_IsString(name) && strcmp(name->valuestring, "consumer") == 0)
            fill_account(&e->consumer, acct);
    }
    cJSON_Delete(root);
    argv[n++] = emu_bin;
    for (i = 0; args != NULL && args[i] != NULL && n < 30; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (pipe(fd) != 0)
        return -1;
    e->pid = fork();
    if (e->pid == 0) {
        int devnull = open("/dev/null", 1);
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a crashed test */
        dup2(fd[1], 1);
        if (getenv("IT_EMU_LOG") == NULL && devnull >= 0)
            dup2(devnull, 2);
        close(fd[0]);
        close(fd[1]);
        execv(emu_bin, (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    while (len + 1 < sizeof(e->url) && read(fd[0], &ch, 1) == 1 && ch != '\n')
        e->url[len++] = ch;
    e->url[len] = '\0';
    close(fd[0]);
    if (strncmp(e->url, "http", 4) != 0) {
        it_stop(e);
        return -1;
    }
    return 0;
}

void it_stop(it_emu *e)
{
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
        e->pid = 0;
    }
}

static void log_to_stderr(void *ud, int level, const char *msg)
{
    (void)ud;
    if (getenv("IT_CLIENT_LOG") != NULL || level >= VPCEP_LOG_WARN + 10)
        fprintf(stderr, "[%d] %s\n", level, msg);
}

void it_options(const it_emu *e, const char *who, const char *mode, vpcep_client_options *o)
{
    static char auth_url[300];
    const it_account *a = strcmp(who, "owner") == 0 ? &e->owner : &e->consumer;
    int owner = strcmp(who, "owner") == 0;

    vpcep_client_options_init(o, VPCEP_CLIENT_OPTIONS_VERSION);
    o->region = "eu-de";
    o->endpoint = e->url;
    snprintf(auth_url, sizeof(auth_url), "%s/v3", e->url);
    o->auth_url = auth_url;
    o->timeout_ms = 10000;
    o->retry_base_ms = 20;
    o->retry_cap_ms = 200;
    o->log = log_to_stderr;
    if (strcmp(mode, "aksk") == 0) {
        o->project_id = a->project_id;
        o->access_key = owner ? "OWNERAK" : "CONSUMERAK";
        o->secret_key = owner ? "OWNERSK" : "CONSUMERSK";
    } else if (strcmp(mode, "password") == 0) {
        o->user_name = owner ? "owner" : "consumer";
        o->password = owner ? "owner-password" : "consumer-password";
        o->domain_name = owner ? "owner-domain" : "consumer-domain";
    }
}

vpcep_client *it_client(const it_emu *e, const char *who, const char *mode)
{
    vpcep_client_options o;
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *tok = NULL;

    it_options(e, who, mode, &o);
    if (strcmp(mode, "token") == 0) {
        tok = it_token(e, who);
        o.token = tok;
        o.project_id = strcmp(who, "owner") == 0 ? e->owner.project_id : e->consumer.project_id;
    }
    if (vpcep_client_new(&c, &o, &err) != 0)
        fprintf(stderr, "client_new: %s\n", err.error_msg);
    free(tok);
    return c;
}

typedef struct cap {
    char *data;
    size_t len;
} cap;

static size_t cap_write(char *p, size_t s, size_t n, void *ud)
{
    cap *c = ud;
    char *g = realloc(c->data, c->len + s * n + 1);
    if (g == NULL)
        return 0;
    c->data = g;
    memcpy(c->data + c->len, p, s * n);
    c->len += s * n;
    c->data[c->len] = '\0';
    return s * n;
}

static size_t hdr_token(char *p, size_t s, size_t n, void *ud)
{
    char **tok = ud;
    size_t len = s * n;
    if (len > 17 && strncasecmp(p, "X-Subject-Token:", 16) == 0) {
        const char *v = p + 16;
        while (*v == ' ')
            v++;
        free(*tok);
        *tok = strndup(v, strcspn(v, "\r\n"));
    }
    return len;
}

char *it_token(const it_emu *e, const char *who)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
    char url[300], body[600];
    char *tok = NULL;
    cap c = {NULL, 0};
    int owner = strcmp(who, "owner") == 0;

    snprintf(url, sizeof(url), "%s/v3/auth/tokens", e->url);
    snprintf(body, sizeof(body),
             "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":"
             "{\"name\":\"%s\",\"password\":\"%s\",\"domain\":{\"name\":\"%s\"}}}},"
             "\"scope\":{\"project\":{\"id\":\"%s\"}}}}",
             owner ? "owner" : "consumer", owner ? "owner-password" : "consumer-password",
             owner ? "owner-domain" : "consumer-domain",
             owner ? e->owner.project_id : e->consumer.project_id);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cap_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, hdr_token);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &tok);
    curl_easy_perform(h);
    curl_easy_cleanup(h);
    curl_slist_free_all(hl);
    free(c.data);
    return tok;
}

int it_clock(const it_emu *e, long ms)
{
    CURL *h = curl_easy_init();
    char url[300], body[64];
    cap c = {NULL, 0};
    long status = 0;
    int rc = -1;

    snprintf(url, sizeof(url), "%s/__emulator/clock", e->url);
    snprintf(body, sizeof(body), "{\"advance_ms\":%ld}", ms);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cap_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
    if (curl_easy_perform(h) == CURLE_OK &&
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200)
        rc = 0;
    curl_easy_cleanup(h);
    free(c.data);
    return rc;
}

int it_counts(const it_emu *e, int *services, int *endpoints)
{
    CURL *h = curl_easy_init();
    char url[300];
    cap c = {NULL, 0};
    cJSON *root, *counts;
    int rc = -1;

    snprintf(url, sizeof(url), "%s/__emulator/objects", e->url);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cap_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
    if (curl_easy_perform(h) == CURLE_OK && c.data != NULL) {
        root = cJSON_Parse(c.data);
        counts = cJSON_GetObjectItem(root, "counts");
        if (cJSON_IsObject(counts)) {
            *services = cJSON_GetObjectItem(counts, "services")->valueint;
            *endpoints = cJSON_GetObjectItem(counts, "endpoints")->valueint;
            rc = 0;
        }
        cJSON_Delete(root);
    }
    curl_easy_cleanup(h);
    free(c.data);
    return rc;
}
