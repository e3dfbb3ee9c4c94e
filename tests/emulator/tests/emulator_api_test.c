/* Black-box tests of vpcep-emulator: starts the binary, drives it over HTTP with libcurl and an
 * independent AK/SK signer (OpenSSL), checks bodies with cJSON.
 *
 * usage: emulator_api_test PATH-TO-EMULATOR SCENARIO
 * scenarios: seed, auth, api, lifecycle, faults, state, fuzz, concurrency
 */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- tiny check framework ---------------------------------------------------------------------
 */

static int g_failures;
static int g_checks;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        g_checks++;                                                                                \
        if (!(cond)) {                                                                             \
            g_failures++;                                                                          \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

/* ---- seed constants (README.md) ---------------------------------------------------------------
 */

#define OWNER_PID "6e9dfd51d1124e8d8498dce894923a01"
#define CONSUMER_PID "6e9dfd51d1124e8d8498dce894923a02"
#define CONSUMER_DOMAIN "5fc973eea581490997e82ea11a1d0202"
#define OWNER_VPC "4189d3c2-8882-4871-a3c2-d380272e0a01"
#define OWNER_PORT1 "4189d3c2-8882-4871-a3c2-d380272e0c01"
#define OWNER_PORT2 "4189d3c2-8882-4871-a3c2-d380272e0c02"
#define OWNER_SUBNET "4189d3c2-8882-4871-a3c2-d380272e0b01"
#define CONSUMER_VPC "4189d3c2-8882-4871-a3c2-d380272e1a01"
#define CONSUMER_SUBNET "4189d3c2-8882-4871-a3c2-d380272e1b01"
#define CONSUMER_RT "4189d3c2-8882-4871-a3c2-d380272e1d01"
#define OBS_ID "b0e22f6f-26f4-461c-b140-d873464d0001"
#define DNS_ID "b0e22f6f-26f4-461c-b140-d873464d0002"

typedef struct account {
    const char *ak;
    const char *sk;
    const char *pid;
    char token[256];
    long skew_s;        /* shift of X-Sdk-Date */
    int sign_only_host; /* sign "host" only (x-sdk-date left out) */
    int corrupt;        /* flip the signature */
} account;

static account OWNER = {"OWNERAK", "OWNERSK", OWNER_PID, "", 0, 0, 0};
static account CONSUMER = {"CONSUMERAK", "CONSUMERSK", CONSUMER_PID, "", 0, 0, 0};

/* ---- emulator process -------------------------------------------------------------------------
 */

typedef struct emu {
    pid_t pid;
    char base[128];
    char host[128];
} emu;

static const char *g_emulator;

static int emu_start(emu *e, const char *const *extra)
{
    int fds[2];
    const char *argv[32];
    int n = 0;
    argv[n++] = g_emulator;
    for (int i = 0; extra && extra[i] && n < 30; i++) {
        argv[n++] = extra[i];
    }
    argv[n] = NULL;
    if (pipe(fds) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (!getenv("EMU_TEST_VERBOSE")) {
            int dn = open("/dev/null", O_WRONLY);
            if (dn >= 0) {
                dup2(dn, 2);
            }
        }
        execv(g_emulator, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    memset(e, 0, sizeof(*e));
    e->pid = pid;
    size_t len = 0;
    while (len + 1 < sizeof(e->base)) {
        struct pollfd p = {fds[0], POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0) {
            break;
        }
        ssize_t r = read(fds[0], e->base + len, 1);
        if (r <= 0 || e->base[len] == '\n') {
            break;
        }
        len++;
    }
    e->base[len] = '\0';
    close(fds[0]);
    if (strncmp(e->base, "http://", 7) != 0) {
        fprintf(stderr, "emulator did not print its URL (got '%s')\n", e->base);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    snprintf(e->host, sizeof(e->host), "%s", e->base + 7);
    return 0;
}

/* SIGTERM and wait; returns the exit status (or -1 on a crash). An emulator that does not stop
 * hangs the test, and ctest's TIMEOUT fails it: no wall-clock bound here. */
static int emu_stop(emu *e)
{
    int status = 0;
    kill(e->pid, SIGTERM);
    if (waitpid(e->pid, &status, 0) != e->pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int emu_alive(const emu *e)
{
    return waitpid(e->pid, NULL, WNOHANG) == 0;
}

/* ---- HTTP with an independent signer ----------------------------------------------------------
 */

typedef struct resp {
    long status;
    int curl_rc;
    char *body;
    size_t len;
    cJSON *json;
    char subject_token[256];
    char retry_after[16];
    char fault[16]; /* X-Emulator-Fault: the fault injected into this answer */
    double seconds;
} resp;

static void resp_free(resp *r)
{
    free(r->body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof(*r));
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    resp *r = ud;
    size_t add = sz * n;
    char *nb = realloc(r->body, r->len + add + 1);
    if (!nb) {
        return 0;
    }
    memcpy(nb + r->len, p, add);
    r->body = nb;
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    resp *r = ud;
    size_t len = sz * n;
    char line[512];
    if (len >= sizeof(line)) {
        return len;
    }
    memcpy(line, p, len);
    line[len] = '\0';
    char *end = line + strlen(line);
    while (end > line && (end[-1] == '\r' || end[-1] == '\n')) {
        *--end = '\0';
    }
    size_t vl = 0;
    if (strncasecmp(line, "X-Subject-Token: ", 17) == 0 &&
        (vl = strlen(line + 17)) < sizeof(r->subject_token)) {
        memcpy(r->subject_token, line + 17, vl + 1);
    } else if (strncasecmp(line, "Retry-After: ", 13) == 0 &&
               (vl = strlen(line + 13)) < sizeof(r->retry_after)) {
        memcpy(r->retry_after, line + 13, vl + 1);
    } else if (strncasecmp(line, "X-Emulator-Fault: ", 18) == 0 &&
               (vl = strlen(line + 18)) < sizeof(r->fault)) {
        memcpy(r->fault, line + 18, vl + 1);
    }
    return len;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", in[i]);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Canonical query: split on '&', sort (test queries use only unreserved characters). */
static void canonical_query(const char *q, char *out, size_t cap)
{
    char buf[1024];
    char *parts[64];
    int n = 0;
    out[0] = '\0';
    if (!q || !*q) {
        return;
    }
    snprintf(buf, sizeof(buf), "%s", q);
    char *save = NULL;
    for (char *t = strtok_r(buf, "&", &save); t && n < 64; t = strtok_r(NULL, "&", &save)) {
        parts[n++] = t;
    }
    qsort(parts, (size_t)n, sizeof(parts[0]), cmp_str);
    size_t len = 0;
    for (int i = 0; i < n && len < cap; i++) {
        int w = snprintf(out + len, cap - len, "%s%s%s", i ? "&" : "", parts[i],
                         strchr(parts[i], '=') ? "" : "=");
        len += w > 0 ? (size_t)w : 0;
    }
}

static void sign(const account *a,
                 const emu *e,
                 const char *method,
                 const char *path,
                 const char *q,
                 const char *body,
                 size_t body_len,
                 char date_hdr[64],
                 char authz[512])
{
    char date[32];
    time_t now = time(NULL) + a->skew_s;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", &tm);
    unsigned char md[32];
    char body_hash[65], cr_hash[65], sig[65];
    SHA256((const unsigned char *)(body ? body : ""), body_len, md);
    hex(md, 32, body_hash);
    char cq[1024];
    canonical_query(q, cq, sizeof(cq));
    char cr[4096];
    const char *slash = path[strlen(path) - 1] == '/' ? "" : "/";
    if (a->sign_only_host) {
        snprintf(cr, sizeof(cr), "%s\n%s%s\n%s\nhost:%s\n\nhost\n%s", method, path, slash, cq,
                 e->host, body_hash);
    } else {
        snprintf(cr, sizeof(cr),
                 "%s\n%s%s\n%s\ncontent-type:application/json\nhost:%s\nx-sdk-date:%s\n\n"
                 "content-type;host;x-sdk-date\n%s",
                 method, path, slash, cq, e->host, date, body_hash);
    }
    SHA256((const unsigned char *)cr, strlen(cr), md);
    hex(md, 32, cr_hash);
    char sts[256];
    snprintf(sts, sizeof(sts), "SDK-HMAC-SHA256\n%s\n%s", date, cr_hash);
    unsigned int mdlen = 0;
    HMAC(EVP_sha256(), a->sk, (int)strlen(a->sk), (const unsigned char *)sts, strlen(sts), md,
         &mdlen);
    hex(md, 32, sig);
    if (a->corrupt) {
        sig[0] = sig[0] == 'a' ? 'b' : 'a';
    }
    snprintf(date_hdr, 64, "X-Sdk-Date: %s", date);
    snprintf(authz, 512, "Authorization: SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s",
             a->ak, a->sign_only_host ? "host" : "content-type;host;x-sdk-date", sig);
}

/* path is "/v1/..." without query; q is the query string or NULL; a NULL account = anonymous */
static resp http_raw(const emu *e,
                     const account *a,
                     const char *method,
                     const char *path,
                     const char *q,
                     const char *body,
                     size_t body_len)
{
    resp r;
    memset(&r, 0, sizeof(r));
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[2048], date_hdr[64], authz[512], tok[300];
    snprintf(url, sizeof(url), "%s%s%s%s", e->base, path, q && *q ? "?" : "", q ? q : "");
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    if (a && a->token[0]) {
        snprintf(tok, sizeof(tok), "X-Auth-Token: %s", a->token);
        h = curl_slist_append(h, tok);
    } else if (a) {
        sign(a, e, method, path, q, body, body_len, date_hdr, authz);
        h = curl_slist_append(h, date_hdr);
        h = curl_slist_append(h, authz);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r.curl_rc = (int)curl_easy_perform(c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    if (r.body) {
        r.json = cJSON_Parse(r.body);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return r;
}

static resp http(const emu *e,
                 const account *a,
                 const char *method,
                 const char *path,
                 const char *q,
                 const char *body)
{
    return http_raw(e, a, method, path, q, body, body ? strlen(body) : 0);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static int streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* checks status + error code of an error answer */
#define EXPECT_ERR(r, st, code)                                                                    \
    CHECK((r).status == (st) && streq(jstr((r).json, "error_code"), (code)) &&                     \
              jstr((r).json, "error_msg") != NULL,                                                 \
          "expected %d %s, got %ld %s", (st), (code), (r).status, (r).body ? (r).body : "(none)")

#define EXPECT_STATUS(r, st)                                                                       \
    CHECK((r).status == (st), "expected %d, got %ld (curl %d) %s", (st), (r).status, (r).curl_rc,  \
          (r).body ? (r).body : "(none)")

static void path_of(char *out, size_t cap, const account *a, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void path_of(char *out, size_t cap, const account *a, const char *fmt, ...)
{
    char rest[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof(rest), fmt, ap);
    va_end(ap);
    if (snprintf(out, cap, "/v1/%s%s", a->pid, rest) >= (int)cap) {
        out[0] = '\0'; /* never happens with the test's paths; an empty path fails loudly */
    }
}

/* ---- common operations ------------------------------------------------------------------------
 */

static char *create_service(const emu *e, const char *extra_json, const char *port_id)
{
    char body[2048], path[256];
    snprintf(body, sizeof(body),
             "{\"port_id\":\"%s\",\"vpc_id\":\"" OWNER_VPC "\",\"server_type\":\"VM\","
             "\"ports\":[{\"client_port\":80,\"server_port\":%d,\"protocol\":\"TCP\"}]%s%s}",
             port_id ? port_id : OWNER_PORT1, 1000 + rand() % 60000, extra_json ? "," : "",
             extra_json ? extra_json : "");
    path_of(path, sizeof(path), &OWNER, "/vpc-endpoint-services");
    resp r = http(e, &OWNER, "POST", path, NULL, body);
    char *id = NULL;
    if (r.status == 200 && jstr(r.json, "id")) {
        id = strdup(jstr(r.json, "id"));
    } else {
        fprintf(stderr, "create_service failed: %ld %s\n", r.status, r.body ? r.body : "");
    }
    resp_free(&r);
    return id;
}

static char *
get_status(const emu *e, const account *a, const char *kind, const char *id, long *http_status)
{
    char path[256];
    path_of(path, sizeof(path), a, "/%s/%s", kind, id);
    resp r = http(e, a, "GET", path, NULL, NULL);
    *http_status = r.status;
    char *st = jstr(r.json, "status") ? strdup(jstr(r.json, "status")) : NULL;
    resp_free(&r);
    return st;
}

static void expect_status(
    const emu *e, const account *a, const char *kind, const char *id, const char *want, int line)
{
    long hs = 0;
    char *st = get_status(e, a, kind, id, &hs);
    CHECK(hs == 200 && streq(st, want), "line %d: %s %s: want %s, got %ld %s", line, kind, id, want,
          hs, st ? st : "(none)");
    free(st);
}

static void expect_gone(const emu *e, const account *a, const char *kind, const char *id, int line)
{
    char path[256];
    path_of(path, sizeof(path), a, "/%s/%s", kind, id);
    resp r = http(e, a, "GET", path, NULL, NULL);
    CHECK(r.status == 404 && streq(jstr(r.json, "error_code"), "EndPoint.0005"),
          "line %d: %s %s should be gone, got %ld %s", line, kind, id, r.status,
          r.body ? r.body : "");
    resp_free(&r);
}

static int objects_count(const emu *e, const char *which)
{
    resp r = http(e, NULL, "GET", "/__emulator/objects", NULL, NULL);
    int n = (int)jnum(cJSON_GetObjectItemCaseSensitive(r.json, "counts"), which);
    resp_free(&r);
    return n;
}

static resp post_json(const emu *e, const account *a, const char *path, const char *body)
{
    return http(e, a, "POST", path, NULL, body);
}

/* Moves the emulator's clock (--manual-clock) @p ms ahead: time passes without waiting. */
static void emu_clock(const emu *e, long ms)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_ms\":%ld}", ms);
    resp r = post_json(e, NULL, "/__emulator/clock", body);
    CHECK(r.status == 200, "clock advance: %ld %s", r.status, r.body ? r.body : "");
    resp_free(&r);
}

static char *create_endpoint(const emu *e, const char *svc, const char *extra)
{
    char body[1024], path[256];
    snprintf(body, sizeof(body),
             "{\"endpoint_service_id\":\"%s\",\"vpc_id\":\"" CONSUMER_VPC
             "\",\"subnet_id\":\"" CONSUMER_SUBNET "\"%s%s}",
             svc, extra ? "," : "", extra ? extra : "");
    path_of(path, sizeof(path), &CONSUMER, "/vpc-endpoints");
    resp r = post_json(e, &CONSUMER, path, body);
    char *id = NULL;
    if (r.status == 200 && jstr(r.json, "id")) {
        id = strdup(jstr(r.json, "id"));
        CHECK(streq(jstr(r.json, "status"), "creating"), "new endpoint not creating: %s", r.body);
    } else {
        fprintf(stderr, "create_endpoint failed: %ld %s\n", r.status, r.body ? r.body : "");
    }
    resp_free(&r);
    return id;
}

static void whitelist_consumer(const emu *e, const char *svc)
{
    char path[256];
    path_of(path, sizeof(path), &OWNER, "/vpc-endpoint-services/%s/permissions/action", svc);
    resp r =
        post_json(e, &OWNER, path,
                  "{\"action\":\"add\",\"permissions\":[\"iam:domain::" CONSUMER_DOMAIN "\"]}");
    EXPECT_STATUS(r, 200);
    resp_free(&r);
}

static resp connection_action(const emu *e, const char *svc, const char *action, const char *ep)
{
    char path[256], body[256];
    path_of(path, sizeof(path), &OWNER, "/vpc-endpoint-services/%s/connections/action", svc);
    snprintf(body, sizeof(body), "{\"action\":\"%s\",\"endpoints\":[\"%s\"]}", action, ep);
    return post_json(e, &OWNER, path, body);
}

static void delete_obj(const emu *e, const account *a, const char *kind, const char *id)
{
    char path[256];
    path_of(path, sizeof(path), a, "/%s/%s", kind, id);
    resp r = http(e, a, "DELETE", path, NULL, NULL);
    CHECK(r.status == 204 && r.len == 0, "DELETE %s %s: %ld %s", kind, id, r.status,
          r.body ? r.body : "");
    resp_free(&r);
}

static int get_token(const emu *e,
                     const char *user,
                     const char *pw,
                     const char *domain,
                     const char *scope_json,
                     char *out,
                     size_t cap)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
             "\"name\":\"%s\",\"password\":\"%s\",\"domain\":{\"name\":\"%s\"}}}}%s%s}}",
             user, pw, domain, scope_json ? ",\"scope\":" : "", scope_json ? scope_json : "");
    resp r = post_json(e, NULL, "/v3/auth/tokens", body);
    int st = (int)r.status;
    if (st == 201) {
        snprintf(out, cap, "%s", r.subject_token);
    }
    resp_free(&r);
    return st;
}

/* ---- scenarios --------------------------------------------------------------------------------
 */

static void scenario_seed(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "'%s' --print-seed", g_emulator);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL, "popen");
    if (!p) {
        return;
    }
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, p);
    int st = pclose(p);
    CHECK(st == 0 && n > 0, "--print-seed exit %d", st);
    cJSON *seed = cJSON_Parse(text);
    CHECK(streq(jstr(seed, "region"), "eu-de"), "region");
    cJSON *accts = cJSON_GetObjectItemCaseSensitive(seed, "accounts");
    CHECK(cJSON_GetArraySize(accts) == 2, "two accounts");
    static const char *const fields[] = {"name",       "domain_id",  "domain_name",
                                         "project_id", "access_key", "secret_key",
                                         "user_name",  "password",   NULL};
    const cJSON *a = NULL;
    cJSON_ArrayForEach(a, accts)
    {
        for (int i = 0; fields[i]; i++) {
            CHECK(jstr(a, fields[i]) != NULL, "account field %s", fields[i]);
        }
        const cJSON *vpc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "vpcs"), 0);
        CHECK(jstr(vpc, "id") != NULL, "vpc id");
        const cJSON *sn = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vpc, "subnets"), 0);
        CHECK(jstr(sn, "id") && jstr(sn, "cidr"), "subnet id/cidr");
        CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(vpc, "ports")) == 2, "two ports");
    }
    const cJSON *owner = cJSON_GetArrayItem(accts, 0);
    CHECK(streq(jstr(owner, "name"), "owner") && streq(jstr(owner, "access_key"), "OWNERAK") &&
              streq(jstr(owner, "secret_key"), "OWNERSK") &&
              streq(jstr(owner, "password"), "owner-password") &&
              streq(jstr(owner, "domain_name"), "owner-domain") &&
              streq(jstr(owner, "project_id"), OWNER_PID),
          "owner account");
    const cJSON *cons = cJSON_GetArrayItem(accts, 1);
    CHECK(streq(jstr(cons, "name"), "consumer") && streq(jstr(cons, "access_key"), "CONSUMERAK") &&
              streq(jstr(cons, "domain_name"), "consumer-domain") &&
              streq(jstr(cons, "domain_id"), CONSUMER_DOMAIN),
          "consumer account");
    cJSON *pubs = cJSON_GetObjectItemCaseSensitive(seed, "public_services");
    int obs = 0, dns = 0;
    cJSON_ArrayForEach(a, pubs)
    {
        obs |= streq(jstr(a, "service_name"), "com.t-systems.otc.eu-de.obs") &&
               streq(jstr(a, "service_type"), "gateway") && streq(jstr(a, "owner"), "OTC");
        dns |= streq(jstr(a, "service_name"), "com.t-systems.otc.eu-de.dns") &&
               streq(jstr(a, "service_type"), "interface");
    }
    CHECK(obs && dns, "public services obs+dns");

    /* a custom seed round-trips through --seed / --print-seed */
    char tmpl[] = "/tmp/emu-seed-XXXXXX";
    int fd = mkstemp(tmpl);
    const char *custom = "{\"region\":\"eu-nl\",\"accounts\":[{\"name\":\"a\",\"domain_id\":\"d1\","
                         "\"domain_name\":\"dn\",\"project_id\":\"p1\",\"access_key\":\"AK1\","
                         "\"secret_key\":\"SK1\",\"user_name\":\"u\",\"password\":\"pw\","
                         "\"vpcs\":[]}],\"public_services\":[]}";
    CHECK(fd >= 0 && write(fd, custom, strlen(custom)) == (ssize_t)strlen(custom), "write seed");
    close(fd);
    snprintf(cmd, sizeof(cmd), "'%s' --seed %s --print-seed", g_emulator, tmpl);
    p = popen(cmd, "r");
    n = fread(text, 1, (1 << 20) - 1, p);
    text[n] = '\0';
    st = pclose(p);
    cJSON *s2 = cJSON_Parse(text);
    CHECK(st == 0 && streq(jstr(s2, "region"), "eu-nl"), "custom seed printed");
    cJSON_Delete(s2);
    /* an invalid seed is refused */
    fd = open(tmpl, O_WRONLY | O_TRUNC);
    CHECK(write(fd, "{\"region\":1}", 12) == 12, "write");
    close(fd);
    snprintf(cmd, sizeof(cmd), "'%s' --seed %s --print-seed 2>/dev/null", g_emulator, tmpl);
    p = popen(cmd, "r");
    n = fread(text, 1, (1 << 20) - 1, p);
    st = pclose(p);
    CHECK(st != 0, "invalid seed must fail");
    unlink(tmpl);
    /* --help works, unknown options fail */
    snprintf(cmd, sizeof(cmd), "'%s' --help >/dev/null", g_emulator);
    CHECK(system(cmd) == 0, "--help");
    snprintf(cmd, sizeof(cmd), "'%s' --bogus 2>/dev/null", g_emulator);
    CHECK(system(cmd) != 0, "--bogus");
    cJSON_Delete(seed);
    free(text);
}

static void scenario_auth(void)
{
    emu e;
    const char *args[] = {"--delay-ms", "0", "--token-ttl-s", "4", "--manual-clock", NULL};
    CHECK(emu_start(&e, args) == 0, "start");
    char path[256];
    path_of(path, sizeof(path), &OWNER, "/vpc-endpoint-services");

    resp r = http(&e, &OWNER, "GET", path, "limit=5&offset=0", NULL);
    EXPECT_STATUS(r, 200);
    CHECK(jnum(r.json, "total_count") == 0, "empty list");
    resp_free(&r);

    account bad = OWNER;
    bad.corrupt = 1;
    r = http(&e, &bad, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    account wrong_sk = OWNER;
    wrong_sk.sk = "CONSUMERSK";
    r = http(&e, &wrong_sk, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    account unknown = OWNER;
    unknown.ak = "NOSUCHAK";
    r = http(&e, &unknown, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    account skew = OWNER;
    skew.skew_s = -20 * 60;
    r = http(&e, &skew, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);
    skew.skew_s = 20 * 60;
    r = http(&e, &skew, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);
    skew.skew_s = 5 * 60; /* within the limit */
    r = http(&e, &skew, "GET", path, NULL, NULL);
    EXPECT_STATUS(r, 200);
    resp_free(&r);

    account host_only = OWNER;
    host_only.sign_only_host = 1;
    r = http(&e, &host_only, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    /* the signature covers the body: same signature, different body */
    {
        char date_hdr[64], authz[512];
        const char *b1 = "{\"a\":1}";
        sign(&OWNER, &e, "POST", path, NULL, b1, strlen(b1), date_hdr, authz);
        CURL *c = curl_easy_init();
        struct curl_slist *h = NULL;
        char url[512];
        snprintf(url, sizeof(url), "%s%s", e.base, path);
        h = curl_slist_append(h, "Content-Type: application/json");
        h = curl_slist_append(h, date_hdr);
        h = curl_slist_append(h, authz);
        resp rr;
        memset(&rr, 0, sizeof(rr));
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"a\":2}");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &rr);
        curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rr.status);
        rr.json = rr.body ? cJSON_Parse(rr.body) : NULL;
        EXPECT_ERR(rr, 401, "APIG.0301");
        resp_free(&rr);
        curl_slist_free_all(h);
        curl_easy_cleanup(c);
    }

    r = http(&e, NULL, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    /* owner's keys on the consumer's project */
    char cpath[256];
    path_of(cpath, sizeof(cpath), &CONSUMER, "/vpc-endpoint-services");
    r = http(&e, &OWNER, "GET", cpath, NULL, NULL);
    EXPECT_ERR(r, 403, "EndPoint.0004");
    resp_free(&r);

    /* IAM tokens */
    account tok = OWNER;
    CHECK(get_token(&e, "owner", "owner-password", "owner-domain",
                    "{\"project\":{\"id\":\"" OWNER_PID "\"}}", tok.token,
                    sizeof(tok.token)) == 201,
          "project-scoped token");
    CHECK(tok.token[0] != '\0', "X-Subject-Token present");
    r = http(&e, &tok, "GET", path, NULL, NULL);
    EXPECT_STATUS(r, 200);
    resp_free(&r);
    r = http(&e, &tok, "GET", cpath, NULL, NULL);
    EXPECT_ERR(r, 403, "EndPoint.0004");
    resp_free(&r);

    /* token body per the fixtures */
    r = post_json(&e, NULL, "/v3/auth/tokens",
                  "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
                  "\"name\":\"consumer\",\"password\":\"consumer-password\",\"domain\":{\"name\":"
                  "\"consumer-domain\"}}}},\"scope\":{\"project\":{\"name\":\"eu-de\"}}}}");
    EXPECT_STATUS(r, 201);
    cJSON *t = cJSON_GetObjectItemCaseSensitive(r.json, "token");
    CHECK(streq(jstr(cJSON_GetObjectItemCaseSensitive(t, "project"), "id"), CONSUMER_PID),
          "token project id");
    CHECK(jstr(t, "expires_at") && jstr(t, "issued_at"), "token times");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(t, "catalog")) >= 2, "catalog");
    CHECK(r.subject_token[0], "subject token header");
    CHECK(!strstr(r.body, "consumer-password"), "password echoed");
    resp_free(&r);

    char dtok[256];
    CHECK(get_token(&e, "owner", "owner-password", "owner-domain",
                    "{\"domain\":{\"name\":\"owner-domain\"}}", dtok, sizeof(dtok)) == 201,
          "domain-scoped token");
    account dacc = OWNER;
    snprintf(dacc.token, sizeof(dacc.token), "%s", dtok);
    r = http(&e, &dacc, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 403, "EndPoint.0004");
    resp_free(&r);

    /* a project's ID by its name (GET /v3/projects?name=): with any token of the account,
     * scoped or not, and with AK/SK; only the caller's own projects */
    r = http(&e, &dacc, "GET", "/v3/projects", "name=eu-de", NULL);
    EXPECT_STATUS(r, 200);
    {
        cJSON *p0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "projects"), 0);
        CHECK(streq(jstr(p0, "id"), OWNER_PID) && streq(jstr(p0, "name"), "eu-de"),
              "project by name (token)");
    }
    resp_free(&r);
    {
        account ak = CONSUMER;
        ak.token[0] = '\0';
        r = http(&e, &ak, "GET", "/v3/projects", "name=eu-de", NULL);
        EXPECT_STATUS(r, 200);
        cJSON *p0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "projects"), 0);
        CHECK(streq(jstr(p0, "id"), CONSUMER_PID), "project by name (AK/SK)");
        resp_free(&r);
    }
    r = http(&e, &dacc, "GET", "/v3/projects", "name=eu-de_other", NULL);
    EXPECT_STATUS(r, 200);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "projects")) == 0,
          "no project of another name");
    resp_free(&r);
    r = http(&e, NULL, "GET", "/v3/projects", "name=eu-de", NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    char junk[256];
    CHECK(get_token(&e, "owner", "wrong", "owner-domain", NULL, junk, sizeof(junk)) == 401,
          "bad password");
    CHECK(get_token(&e, "owner", "owner-password", "consumer-domain", NULL, junk, sizeof(junk)) ==
              401,
          "wrong domain");
    CHECK(get_token(&e, "owner", "owner-password", "owner-domain",
                    "{\"project\":{\"id\":\"" CONSUMER_PID "\"}}", junk, sizeof(junk)) == 401,
          "foreign project scope");
    r = post_json(&e, NULL, "/v3/auth/tokens", "{not json");
    CHECK(r.status == 400, "malformed token request: %ld", r.status);
    resp_free(&r);

    account fake = OWNER;
    snprintf(fake.token, sizeof(fake.token), "MIIbogus");
    r = http(&e, &fake, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    /* expiry (--token-ttl-s 4): a fresh token works, then stops working */
    CHECK(get_token(&e, "owner", "owner-password", "owner-domain",
                    "{\"project\":{\"id\":\"" OWNER_PID "\"}}", tok.token,
                    sizeof(tok.token)) == 201,
          "fresh token");
    emu_clock(&e, 3999); /* still valid one millisecond before the end of its life */
    r = http(&e, &tok, "GET", path, NULL, NULL);
    EXPECT_STATUS(r, 200);
    resp_free(&r);
    emu_clock(&e, 1);
    r = http(&e, &tok, "GET", path, NULL, NULL);
    EXPECT_ERR(r, 401, "APIG.0301");
    resp_free(&r);

    /* versions need no authentication */
    r = http(&e, NULL, "GET", "/", NULL, NULL);
    EXPECT_STATUS(r, 200);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "versions")) == 2,
          "versions");
    resp_free(&r);
    r = http(&e, NULL, "GET", "/v1", NULL, NULL);
    EXPECT_STATUS(r, 200);
    CHECK(streq(jstr(cJSON_GetObjectItemCaseSensitive(r.json, "version"), "id"), "v1"), "v1");
    resp_free(&r);
    CHECK(emu_stop(&e) == 0, "clean stop");
}

/* one validation case: POST body to path, expect 400 + code */
static void expect_invalid(
    const emu *e, const account *a, const char *path, const char *body, const char *code, int line)
{
    resp r = post_json(e, a, path, body);
    CHECK(r.status == 400 && streq(jstr(r.json, "error_code"), code),
          "line %d: expected 400 %s, got %ld %s", line, code, r.status, r.body ? r.body : "");
    resp_free(&r);
}

#define SVC_BASE "\"vpc_id\":\"" OWNER_VPC "\",\"port_id\":\"" OWNER_PORT2 "\""
#define PORTS_OK "\"ports\":[{\"client_port\":80,\"server_port\":80}]"

static void validation_services(const emu *e)
{
    char p[256];
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services");
    struct {
        const char *body;
        const char *code;
    } cases[] = {
        {"{" SVC_BASE "," PORTS_OK "}", "EndPoint.0002"}, /* no server_type */
        {"{\"port_id\":\"" OWNER_PORT2 "\",\"server_type\":\"VM\"," PORTS_OK "}", "EndPoint.0002"},
        {"{\"vpc_id\":\"" OWNER_VPC "\",\"server_type\":\"VM\"," PORTS_OK "}", "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\"}", "EndPoint.0002"}, /* no ports */
        {"{" SVC_BASE ",\"server_type\":\"XX\"," PORTS_OK "}", "EndPoint.3021"},
        {"{" SVC_BASE ",\"server_type\":\"BMS\"," PORTS_OK "}", "EndPoint.3021"},
        {"{" SVC_BASE ",\"server_type\":7," PORTS_OK "}", "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"service_name\":\"has space\"," PORTS_OK "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"service_name\":\"abcdefghijklmnopq\"," PORTS_OK
         "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"service_name\":\"\"," PORTS_OK "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"description\":\"a<b\"," PORTS_OK "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"tcp_proxy\":\"maybe\"," PORTS_OK "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"service_type\":\"gateway\"," PORTS_OK "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"approval_enabled\":\"yes\"," PORTS_OK "}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[]}", "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":0,\"server_port\":80}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE
         ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":80,\"server_port\":65536}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE
         ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":80.5,\"server_port\":80}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE
         ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":\"80\",\"server_port\":80}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":80,\"server_port\":80},"
         "{\"client_port\":80,\"server_port\":81}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":80,\"server_port\":80,"
         "\"protocol\":\"ICMP\"}]}",
         "EndPoint.0002"},
        {"{\"vpc_id\":\"4189d3c2-8882-4871-a3c2-d380272e1a01\",\"port_id\":\"" OWNER_PORT2
         "\",\"server_type\":\"VM\"," PORTS_OK "}",
         "EndPoint.0002"}, /* consumer's VPC */
        {"{\"vpc_id\":\"" OWNER_VPC "\",\"port_id\":\"4189d3c2-8882-4871-a3c2-d380272e1c01\","
         "\"server_type\":\"VM\"," PORTS_OK "}",
         "EndPoint.0002"}, /* port of another VPC */
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[{\"key\":\"a\",\"value\":"
         "\"1\"},{\"key\":\"a\",\"value\":\"2\"}]}",
         "EndPoint.3067"},
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[{\"key\":\"\",\"value\":"
         "\"1\"}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[{\"key\":\"a@b\",\"value\":"
         "\"1\"}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[{\"key\":\"k\",\"value\":"
         "\"v w\"}]}",
         "EndPoint.0002"},
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[{\"key\":"
         "\"abcdefghijabcdefghijabcdefghijabcdefg\",\"value\":\"\"}]}",
         "EndPoint.0002"}, /* key 37 */
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[{\"key\":\"k\",\"value\":"
         "\"abcdefghijabcdefghijabcdefghijabcdefghijabcd\"}]}",
         "EndPoint.0002"}, /* value 44 */
        {"{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":{\"k\":\"v\"}}",
         "EndPoint.0002"},
        {"[]", "EndPoint.0002"},
        {"{\"port_id\":", "EndPoint.0002"},
        {"", "EndPoint.0002"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int before = g_failures;
        expect_invalid(e, &OWNER, p, cases[i].body, cases[i].code, __LINE__);
        if (g_failures > before) {
            fprintf(stderr, "  (service validation case %zu)\n", i);
        }
    }

    /* 11 tags */
    char body[4096];
    int n = snprintf(body, sizeof(body),
                     "{" SVC_BASE ",\"server_type\":\"VM\"," PORTS_OK ",\"tags\":[");
    for (int i = 0; i < 11; i++) {
        n += snprintf(body + n, sizeof(body) - (size_t)n, "%s{\"key\":\"k%d\",\"value\":\"v\"}",
                      i ? "," : "", i);
    }
    snprintf(body + n, sizeof(body) - (size_t)n, "]}");
    expect_invalid(e, &OWNER, p, body, "EndPoint.0002", __LINE__);
    /* 201 port mappings */
    n = snprintf(body, sizeof(body), "{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[");
    char *big = malloc(65536);
    memcpy(big, body, (size_t)n);
    for (int i = 0; i < 201; i++) {
        n += snprintf(big + n, 65536 - (size_t)n, "%s{\"client_port\":%d,\"server_port\":%d}",
                      i ? "," : "", 1000 + i, 2000 + i);
    }
    snprintf(big + n, 65536 - (size_t)n, "]}");
    expect_invalid(e, &OWNER, p, big, "EndPoint.0002", __LINE__);
    /* 200 mappings and 10 tags with edge lengths are fine */
    n = snprintf(big, 65536, "{" SVC_BASE ",\"server_type\":\"LB\",\"ports\":[");
    for (int i = 0; i < 200; i++) {
        n += snprintf(big + n, 65536 - (size_t)n, "%s{\"client_port\":%d,\"server_port\":%d}",
                      i ? "," : "", i + 1, 65535 - i);
    }
    n += snprintf(big + n, 65536 - (size_t)n,
                  "],\"service_name\":\"abcdefghij-_1234\",\"tcp_proxy\":\"proxy_open\","
                  "\"description\":\"%0128d\",\"tags\":[",
                  0);
    for (int i = 0; i < 10; i++) {
        n += snprintf(big + n, 65536 - (size_t)n,
                      "%s{\"key\":\"k%d_abcdefghijabcdefghijabcdefghij"
                      "\",\"value\":\"%s\"}",
                      i ? "," : "", i, i ? "v" : "abcdefghijabcdefghijabcdefghijabcdefghijabc");
    }
    snprintf(big + n, 65536 - (size_t)n, "]}");
    resp r = post_json(e, &OWNER, p, big);
    EXPECT_STATUS(r, 200);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "ports")) == 200,
          "200 ports");
    char *edge = jstr(r.json, "id") ? strdup(jstr(r.json, "id")) : NULL;
    resp_free(&r);
    /* another service on the same backend port with an overlapping server_port: 3044 */
    expect_invalid(e, &OWNER, p,
                   "{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":9,"
                   "\"server_port\":65535}]}",
                   "EndPoint.3044", __LINE__);
    if (edge) {
        delete_obj(e, &OWNER, "vpc-endpoint-services", edge);
    }
    free(edge);
    free(big);
}

static void validation_endpoints(const emu *e, const char *svc)
{
    char p[256], body[1024];
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
#define EP(extra) extra
    struct {
        const char *fmt;
        const char *code;
    } cases[] = {
        {EP(""), "EndPoint.0002"}, /* interface without subnet */
        {EP(",\"subnet_id\":\"4189d3c2-8882-4871-a3c2-d380272e0b01\""), "EndPoint.0002"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"routetables\":[\"" CONSUMER_RT "\"]"),
         "EndPoint.0002"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"port_ip\":\"10.9.0.5\""), "EndPoint.2042"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"port_ip\":\"not-an-ip\""), "EndPoint.2041"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"enable_dns\":\"true\""), "EndPoint.0002"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"description\":\"<script>\""),
         "EndPoint.0002"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"whitelist\":[\"300.1.1.1\"]"),
         "EndPoint.0002"},
        {EP(",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"tags\":[{\"key\":\"x\"},{\"key\":\"x\"}]"),
         "EndPoint.3067"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"endpoint_service_id\":\"%s\",\"vpc_id\":\"" CONSUMER_VPC "\"%s}", svc,
                 cases[i].fmt);
        int before = g_failures;
        expect_invalid(e, &CONSUMER, p, body, cases[i].code, __LINE__);
        if (g_failures > before) {
            fprintf(stderr, "  (endpoint validation case %zu)\n", i);
        }
    }
    snprintf(body, sizeof(body),
             "{\"endpoint_service_id\":\"%s\",\"vpc_id\":\"4189d3c2-0000-0000-0000-000000000000\","
             "\"subnet_id\":\"" CONSUMER_SUBNET "\"}",
             svc);
    expect_invalid(e, &CONSUMER, p, body, "EndPoint.0002", __LINE__);
    expect_invalid(e, &CONSUMER, p,
                   "{\"endpoint_service_id\":\"00000000-0000-0000-0000-000000000000\",\"vpc_id\":"
                   "\"" CONSUMER_VPC "\",\"subnet_id\":\"" CONSUMER_SUBNET "\"}",
                   "EndPoint.2003", __LINE__);
    /* gateway (public OBS): enable_dns, port_ip and whitelist are interface-only; bad route table
     */
    expect_invalid(e, &CONSUMER, p,
                   "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC
                   "\",\"enable_dns\":true}",
                   "EndPoint.0002", __LINE__);
    expect_invalid(e, &CONSUMER, p,
                   "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC
                   "\",\"port_ip\":\"10.1.0.9\"}",
                   "EndPoint.0002", __LINE__);
    expect_invalid(e, &CONSUMER, p,
                   "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC
                   "\",\"routetables\":[\"4189d3c2-8882-4871-a3c2-d380272e0d01\"]}",
                   "EndPoint.0002", __LINE__);
#undef EP
}

static void scenario_api(void)
{
    emu e;
    const char *args[] = {"--delay-ms", "0", NULL};
    CHECK(emu_start(&e, args) == 0, "start");
    char p[512];

    validation_services(&e);

    /* create + lifecycle with delay 0: creating in the answer, available on the next read */
    char *svc = create_service(&e,
                               "\"service_name\":\"web\",\"tags\":[{\"key\":\"env\",\"value\":"
                               "\"dev\"}]",
                               NULL);
    CHECK(svc != NULL, "create service");
    if (!svc) {
        emu_stop(&e);
        return;
    }
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "available", __LINE__);
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
    resp r = http(&e, &OWNER, "GET", p, NULL, NULL);
    char want_name[128];
    snprintf(want_name, sizeof(want_name), "eu-de.web.%s", svc);
    CHECK(streq(jstr(r.json, "service_name"), want_name), "full service name %s",
          jstr(r.json, "service_name"));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "approval_enabled")),
          "approval default true");
    CHECK(jnum(r.json, "connection_count") == 0, "connection_count 0");
    resp_free(&r);

    /* PUT */
    r = http(&e, &OWNER, "PUT", p, NULL,
             "{\"service_name\":\"web2\",\"description\":\"d\",\"approval_enabled\":true,"
             "\"ports\":[{\"client_port\":443,\"server_port\":8443}]}");
    EXPECT_STATUS(r, 200);
    snprintf(want_name, sizeof(want_name), "eu-de.web2.%s", svc);
    CHECK(streq(jstr(r.json, "service_name"), want_name), "renamed");
    CHECK(jnum(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "ports"), 0),
               "client_port") == 443,
          "ports replaced");
    resp_free(&r);
    r = http(&e, &OWNER, "PUT", p, NULL, "{\"service_name\":\"bad name\"}");
    EXPECT_ERR(r, 400, "EndPoint.0002");
    resp_free(&r);
    r = http(&e, &OWNER, "PUT", p, NULL, "{\"port_id\":\"4189d3c2-0000-0000-0000-00000000dead\"}");
    EXPECT_ERR(r, 400, "EndPoint.0002");
    resp_free(&r);

    /* other tenants cannot see it, but describe works across tenants */
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoint-services/%s", svc);
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    EXPECT_ERR(r, 404, "EndPoint.0005");
    resp_free(&r);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoint-services/describe");
    char q[256];
    snprintf(q, sizeof(q), "id=%s", svc);
    r = http(&e, &CONSUMER, "GET", p, q, NULL);
    EXPECT_STATUS(r, 200);
    CHECK(streq(jstr(r.json, "service_type"), "interface") &&
              cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(r.json, "is_charge")),
          "describe body %s", r.body);
    resp_free(&r);
    snprintf(q, sizeof(q), "endpoint_service_name=com.t-systems.otc.eu-de.obs");
    r = http(&e, &CONSUMER, "GET", p, q, NULL);
    CHECK(r.status == 200 && streq(jstr(r.json, "id"), OBS_ID), "describe public by name");
    resp_free(&r);
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    EXPECT_ERR(r, 400, "EndPoint.0002");
    resp_free(&r);
    snprintf(q, sizeof(q), "endpoint_service_name=nope");
    r = http(&e, &CONSUMER, "GET", p, q, NULL);
    EXPECT_ERR(r, 404, "EndPoint.0005");
    resp_free(&r);

    /* public services */
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoint-services/public");
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    EXPECT_STATUS(r, 200);
    CHECK(jnum(r.json, "total_count") == 2, "two public services");
    const cJSON *ps =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "endpoint_services"), 0);
    CHECK(streq(jstr(ps, "owner"), "OTC") &&
              cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(ps, "is_charge")),
          "public service shape");
    resp_free(&r);
    r = http(&e, &CONSUMER, "GET", p, "endpoint_service_name=DNS", NULL);
    CHECK(jnum(r.json, "total_count") == 1, "public fuzzy case-insensitive filter");
    resp_free(&r);

    /* whitelist: consumer not whitelisted -> EndPoint.2012 */
    char body[512];
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
    snprintf(body, sizeof(body),
             "{\"endpoint_service_id\":\"%s\",\"vpc_id\":\"" CONSUMER_VPC
             "\",\"subnet_id\":\"" CONSUMER_SUBNET "\"}",
             svc);
    expect_invalid(&e, &CONSUMER, p, body, "EndPoint.2012", __LINE__);

    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s/permissions/action", svc);
    expect_invalid(&e, &OWNER, p, "{\"action\":\"add\",\"permissions\":[]}", "EndPoint.3036",
                   __LINE__);
    expect_invalid(&e, &OWNER, p, "{\"action\":\"add\",\"permissions\":[\"domain::x\"]}",
                   "EndPoint.0002", __LINE__);
    expect_invalid(&e, &OWNER, p, "{\"action\":\"grant\",\"permissions\":[\"*\"]}", "EndPoint.0002",
                   __LINE__);
    whitelist_consumer(&e, svc);
    validation_endpoints(&e, svc);
    r = post_json(&e, &OWNER, p,
                  "{\"action\":\"add\",\"permissions\":[\"iam:domain::abc123\","
                  "\"iam:domain::" CONSUMER_DOMAIN "\"]}");
    EXPECT_STATUS(r, 200);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "permissions")) == 2,
          "whitelist has 2 records (idempotent add): %s", r.body);
    resp_free(&r);
    r = post_json(&e, &OWNER, p,
                  "{\"action\":\"remove\",\"permissions\":[\"iam:domain::abc123\"]}");
    CHECK(r.status == 200 &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "permissions")) == 1,
          "remove");
    resp_free(&r);
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s/permissions", svc);
    r = http(&e, &OWNER, "GET", p, NULL, NULL);
    const cJSON *perm =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "permissions"), 0);
    CHECK(r.status == 200 && jnum(r.json, "total_count") == 1 &&
              streq(jstr(perm, "permission"), "iam:domain::" CONSUMER_DOMAIN) &&
              streq(jstr(perm, "permission_type"), "domainId") && jstr(perm, "id"),
          "permissions list %s", r.body);
    resp_free(&r);
    r = http(&e, &OWNER, "GET", p, "limit=501", NULL);
    EXPECT_ERR(r, 400, "EndPoint.0006");
    resp_free(&r);

    /* endpoint: creating -> pendingAcceptance (approval) -> accepted via receive */
    char *ep = create_endpoint(&e, svc, "\"enable_dns\":true");
    CHECK(ep != NULL, "create endpoint");
    expect_status(&e, &CONSUMER, "vpc-endpoints", ep, "pendingAcceptance", __LINE__);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints/%s", ep);
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    CHECK(!cJSON_GetObjectItemCaseSensitive(r.json, "ip"), "no ip before acceptance");
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(r.json, "marker_id")) &&
              jnum(r.json, "marker_id") > 4294967295.0,
          "marker_id int64");
    resp_free(&r);

    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s/connections", svc);
    r = http(&e, &OWNER, "GET", p, NULL, NULL);
    const cJSON *conn =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "connections"), 0);
    CHECK(r.status == 200 && streq(jstr(conn, "id"), ep) &&
              streq(jstr(conn, "status"), "pendingAcceptance") &&
              streq(jstr(conn, "domain_id"), CONSUMER_DOMAIN),
          "connections list %s", r.body);
    resp_free(&r);
    r = http(&e, &OWNER, "GET", p, "status=bogus", NULL);
    EXPECT_ERR(r, 400, "EndPoint.0019");
    resp_free(&r);

    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s/connections/action", svc);
    snprintf(body, sizeof(body), "{\"action\":\"receive\",\"endpoints\":[\"%s\",\"%s\"]}", ep, ep);
    expect_invalid(&e, &OWNER, p, body, "EndPoint.2031", __LINE__);
    snprintf(body, sizeof(body), "{\"action\":\"approve\",\"endpoints\":[\"%s\"]}", ep);
    expect_invalid(&e, &OWNER, p, body, "EndPoint.2027", __LINE__);
    expect_invalid(&e, &OWNER, p,
                   "{\"action\":\"receive\",\"endpoints\":[\"00000000-0000-0000-0000-0000000000aa"
                   "\"]}",
                   "EndPoint.2013", __LINE__);
    /* the consumer cannot act on the owner's service */
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoint-services/%s/connections/action", svc);
    snprintf(body, sizeof(body), "{\"action\":\"receive\",\"endpoints\":[\"%s\"]}", ep);
    r = post_json(&e, &CONSUMER, p, body);
    EXPECT_ERR(r, 404, "EndPoint.0005");
    resp_free(&r);

    r = connection_action(&e, svc, "receive", ep);
    conn = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "connections"), 0);
    CHECK(r.status == 200 && streq(jstr(conn, "status"), "accepted"), "receive -> accepted %s",
          r.body);
    resp_free(&r);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints/%s", ep);
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    CHECK(streq(jstr(r.json, "status"), "accepted") && jstr(r.json, "ip") &&
              strncmp(jstr(r.json, "ip"), "10.1.0.", 7) == 0 &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "dns_names")) == 1,
          "accepted endpoint has ip + dns %s", r.body);
    resp_free(&r);
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
    r = http(&e, &OWNER, "GET", p, NULL, NULL);
    CHECK(jnum(r.json, "connection_count") == 1, "connection_count 1");
    resp_free(&r);

    /* service in use */
    r = http(&e, &OWNER, "DELETE", p, NULL, NULL);
    EXPECT_ERR(r, 400, "EndPoint.3006");
    resp_free(&r);

    /* reject keeps the ip; rejected endpoints do not block deletion */
    r = connection_action(&e, svc, "reject", ep);
    conn = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "connections"), 0);
    CHECK(r.status == 200 && streq(jstr(conn, "status"), "rejected"), "reject %s", r.body);
    resp_free(&r);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints/%s", ep);
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    CHECK(streq(jstr(r.json, "status"), "rejected") && jstr(r.json, "ip"), "rejected keeps ip");
    resp_free(&r);
    r = connection_action(&e, svc, "receive", ep);
    EXPECT_STATUS(r, 200);
    resp_free(&r);

    /* approval disabled -> accepted directly; fixed port_ip */
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
    r = http(&e, &OWNER, "PUT", p, NULL, "{\"approval_enabled\":false}");
    EXPECT_STATUS(r, 200);
    resp_free(&r);
    char *ep2 = create_endpoint(&e, svc, "\"port_ip\":\"10.1.0.77\"");
    CHECK(ep2 != NULL, "endpoint 2");
    expect_status(&e, &CONSUMER, "vpc-endpoints", ep2, "accepted", __LINE__);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints/%s", ep2);
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    CHECK(streq(jstr(r.json, "ip"), "10.1.0.77"), "port_ip honoured");
    resp_free(&r);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
    snprintf(body, sizeof(body),
             "{\"endpoint_service_id\":\"%s\",\"vpc_id\":\"" CONSUMER_VPC
             "\",\"subnet_id\":\"" CONSUMER_SUBNET "\",\"port_ip\":\"10.1.0.77\"}",
             svc);
    expect_invalid(&e, &CONSUMER, p, body, "EndPoint.2043", __LINE__);

    /* gateway endpoint to public OBS: accepted, default route table, policy */
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
    r = post_json(&e, &CONSUMER, p,
                  "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC "\"}");
    EXPECT_STATUS(r, 200);
    char *gw = jstr(r.json, "id") ? strdup(jstr(r.json, "id")) : NULL;
    CHECK(streq(jstr(r.json, "service_type"), "gateway") &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "routetables")) == 1 &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "policy_statement")) == 1,
          "gateway endpoint %s", r.body);
    resp_free(&r);
    if (gw) {
        expect_status(&e, &CONSUMER, "vpc-endpoints", gw, "accepted", __LINE__);
    }

    /* endpoint list: filters and paging */
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
    r = http(&e, &CONSUMER, "GET", p, "limit=2&offset=0", NULL);
    CHECK(r.status == 200 && jnum(r.json, "total_count") == 3 &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "endpoints")) == 2,
          "endpoint page 1 %s", r.body);
    resp_free(&r);
    r = http(&e, &CONSUMER, "GET", p, "limit=2&offset=2", NULL);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "endpoints")) == 1,
          "endpoint page 2");
    resp_free(&r);
    r = http(&e, &CONSUMER, "GET", p, "endpoint_service_name=OBS", NULL);
    CHECK(jnum(r.json, "total_count") == 1, "endpoint name filter");
    resp_free(&r);
    snprintf(q, sizeof(q), "id=%s", ep2);
    r = http(&e, &CONSUMER, "GET", p, q, NULL);
    CHECK(jnum(r.json, "total_count") == 1, "endpoint id filter");
    resp_free(&r);

    /* tags API */
    path_of(p, sizeof(p), &OWNER, "/endpoint_service/%s/tags/action", svc);
    r = post_json(&e, &OWNER, p,
                  "{\"action\":\"create\",\"tags\":[{\"key\":\"team\",\"value\":\"a\"},{\"key\":"
                  "\"env\",\"value\":\"prod\"}]}");
    CHECK(r.status == 204 && r.len == 0, "tags create %ld", r.status);
    resp_free(&r);
    expect_invalid(&e, &OWNER, p,
                   "{\"action\":\"create\",\"tags\":[{\"key\":\"x\",\"value\":\"1\"},{\"key\":"
                   "\"x\",\"value\":\"2\"}]}",
                   "EndPoint.3067", __LINE__);
    expect_invalid(&e, &OWNER, p, "{\"action\":\"create\",\"tags\":[{\"key\":\"bad key\"}]}",
                   "EndPoint.0002", __LINE__);
    {
        char tb[2048];
        int n = snprintf(tb, sizeof(tb), "{\"action\":\"create\",\"tags\":[");
        for (int i = 0; i < 9; i++) {
            n += snprintf(tb + n, sizeof(tb) - (size_t)n, "%s{\"key\":\"n%d\",\"value\":\"v\"}",
                          i ? "," : "", i);
        }
        snprintf(tb + n, sizeof(tb) - (size_t)n, "]}");
        expect_invalid(&e, &OWNER, p, tb, "EndPoint.0002", __LINE__); /* 2 + 9 > 10 */
    }
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
    r = http(&e, &OWNER, "GET", p, NULL, NULL);
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(r.json, "tags");
    int env_prod = 0;
    const cJSON *t = NULL;
    cJSON_ArrayForEach(t, tags)
    {
        env_prod |= streq(jstr(t, "key"), "env") && streq(jstr(t, "value"), "prod");
    }
    CHECK(cJSON_GetArraySize(tags) == 2 && env_prod, "tags merged %s", r.body);
    resp_free(&r);
    path_of(p, sizeof(p), &OWNER, "/endpoint_service/tags");
    r = http(&e, &OWNER, "GET", p, NULL, NULL);
    CHECK(r.status == 200 &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "tags")) == 2,
          "project tags %s", r.body);
    resp_free(&r);
    path_of(p, sizeof(p), &OWNER, "/endpoint_service/resource_instances/action");
    r = post_json(&e, &OWNER, p,
                  "{\"action\":\"count\",\"tags\":[{\"key\":\"env\",\"values\":[\"prod\"]}]}");
    CHECK(r.status == 200 && jnum(r.json, "total_count") == 1, "resource_instances count %s",
          r.body);
    resp_free(&r);
    path_of(p, sizeof(p), &OWNER, "/endpoint_service/%s/tags/action", svc);
    r = post_json(&e, &OWNER, p, "{\"action\":\"delete\",\"tags\":[{\"key\":\"team\"}]}");
    EXPECT_STATUS(r, 204);
    resp_free(&r);
    path_of(p, sizeof(p), &CONSUMER, "/endpoint/%s/tags/action", ep2);
    r = post_json(&e, &CONSUMER, p, "{\"action\":\"create\",\"tags\":[{\"key\":\"k\"}]}");
    EXPECT_STATUS(r, 204);
    resp_free(&r);

    /* quotas */
    path_of(p, sizeof(p), &CONSUMER, "/quotas");
    r = http(&e, &CONSUMER, "GET", p, NULL, NULL);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r.json, "quotas"), "resources");
    int ok = 0;
    cJSON_ArrayForEach(t, res)
    {
        ok += streq(jstr(t, "type"), "endpoint") && jnum(t, "used") == 3 && jnum(t, "quota") == 50;
        ok += streq(jstr(t, "type"), "endpoint_service") && jnum(t, "used") == 0 &&
              jnum(t, "quota") == 20;
    }
    CHECK(ok == 2, "quotas %s", r.body);
    resp_free(&r);
    r = http(&e, &CONSUMER, "GET", p, "type=endpoint", NULL);
    CHECK(cJSON_GetArraySize(
              res = cJSON_GetObjectItemCaseSensitive(
                  cJSON_GetObjectItemCaseSensitive(r.json, "quotas"), "resources")) == 1,
          "quota type filter");
    resp_free(&r);

    /* service quota: 20 per project */
    char *many[20];
    int made = 0;
    for (int i = 0; i < 19; i++) {
        many[made] = create_service(&e, NULL, OWNER_PORT2);
        made += many[made] != NULL;
    }
    CHECK(made == 19, "19 more services");
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services");
    expect_invalid(&e, &OWNER, p,
                   "{" SVC_BASE ",\"server_type\":\"VM\",\"ports\":[{\"client_port\":1,"
                   "\"server_port\":1}]}",
                   "Endpoint.1018", __LINE__);
    /* service list paging, sorting, filters and their errors */
    r = http(&e, &OWNER, "GET", p, "limit=7&offset=14&sort_dir=asc&sort_key=created_at", NULL);
    CHECK(r.status == 200 && jnum(r.json, "total_count") == 20 &&
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "endpoint_services")) ==
                  6,
          "service page");
    const cJSON *first =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "endpoint_services"), 0);
    CHECK(jstr(first, "domain_id") != NULL, "list has domain_id");
    resp_free(&r);
    {
        /* walk all pages: 20 distinct ids */
        int seen = 0;
        char ids[20][40];
        for (int off = 0; off < 20; off += 3) {
            char qq[64];
            snprintf(qq, sizeof(qq), "limit=3&offset=%d", off);
            r = http(&e, &OWNER, "GET", p, qq, NULL);
            const cJSON *it = NULL;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "endpoint_services"))
            {
                int dup = 0;
                for (int k = 0; k < seen; k++) {
                    dup |= streq(ids[k], jstr(it, "id"));
                }
                if (!dup && seen < 20) {
                    snprintf(ids[seen++], 40, "%s", jstr(it, "id"));
                }
            }
            resp_free(&r);
        }
        CHECK(seen == 20, "paging yields all 20 services exactly (%d)", seen);
    }
    r = http(&e, &OWNER, "GET", p, "endpoint_service_name=WEB2", NULL);
    CHECK(jnum(r.json, "total_count") == 1, "service name filter");
    resp_free(&r);
    r = http(&e, &OWNER, "GET", p, "status=available", NULL);
    CHECK(jnum(r.json, "total_count") == 20, "status filter");
    resp_free(&r);
    const char *bad_q[][2] = {{"limit=1001", "EndPoint.0006"},  {"limit=x", "EndPoint.0006"},
                              {"offset=-1", "EndPoint.0010"},   {"sort_key=name", "EndPoint.0017"},
                              {"sort_dir=up", "EndPoint.0018"}, {"status=gone", "EndPoint.0019"}};
    for (size_t i = 0; i < sizeof(bad_q) / sizeof(bad_q[0]); i++) {
        r = http(&e, &OWNER, "GET", p, bad_q[i][0], NULL);
        EXPECT_ERR(r, 400, bad_q[i][1]);
        resp_free(&r);
    }
    path_of(p, sizeof(p), &OWNER, "/quotas");
    r = http(&e, &OWNER, "GET", p, "type=endpoint_service", NULL);
    CHECK(jnum(cJSON_GetArrayItem(
                   cJSON_GetObjectItemCaseSensitive(
                       cJSON_GetObjectItemCaseSensitive(r.json, "quotas"), "resources"),
                   0),
               "used") == 20,
          "service quota used 20");
    resp_free(&r);
    for (int i = 0; i < made; i++) {
        delete_obj(&e, &OWNER, "vpc-endpoint-services", many[i]);
        free(many[i]);
    }

    /* endpoint quota: 50 per project (3 exist) */
    {
        char *eps[50];
        int k = 0;
        path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
        for (int i = 0; i < 47; i++) {
            r = post_json(&e, &CONSUMER, p,
                          "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC
                          "\"}");
            if (r.status == 200 && jstr(r.json, "id")) {
                eps[k++] = strdup(jstr(r.json, "id"));
            }
            resp_free(&r);
        }
        CHECK(k == 47, "47 more endpoints (%d)", k);
        expect_invalid(&e, &CONSUMER, p,
                       "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC "\"}",
                       "Endpoint.1018", __LINE__);
        for (int i = 0; i < k; i++) {
            delete_obj(&e, &CONSUMER, "vpc-endpoints", eps[i]);
            free(eps[i]);
        }
    }
    /* whitelist: more than 50 records in one request */
    {
        char big_perm[4096];
        int n = snprintf(big_perm, sizeof(big_perm), "{\"action\":\"add\",\"permissions\":[");
        for (int i = 0; i < 51; i++) {
            n += snprintf(big_perm + n, sizeof(big_perm) - (size_t)n, "%s\"iam:domain::d%d\"",
                          i ? "," : "", i);
        }
        snprintf(big_perm + n, sizeof(big_perm) - (size_t)n, "]}");
        path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s/permissions/action", svc);
        expect_invalid(&e, &OWNER, p, big_perm, "EndPoint.3049", __LINE__);
    }

    /* deletes: endpoint -> 404, then the service can go */
    delete_obj(&e, &CONSUMER, "vpc-endpoints", ep);
    delete_obj(&e, &CONSUMER, "vpc-endpoints", ep2);
    if (gw) {
        delete_obj(&e, &CONSUMER, "vpc-endpoints", gw);
        expect_gone(&e, &CONSUMER, "vpc-endpoints", gw, __LINE__);
    }
    expect_gone(&e, &CONSUMER, "vpc-endpoints", ep, __LINE__);
    delete_obj(&e, &OWNER, "vpc-endpoint-services", svc);
    expect_gone(&e, &OWNER, "vpc-endpoint-services", svc, __LINE__);
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
    r = http(&e, &OWNER, "DELETE", p, NULL, NULL);
    EXPECT_ERR(r, 404, "EndPoint.0005");
    resp_free(&r);
    CHECK(objects_count(&e, "services") == 0 && objects_count(&e, "endpoints") == 0,
          "emulator empty after deletes");

    /* malformed requests */
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services");
    size_t huge = 2u * 1024u * 1024u;
    char *hb = malloc(huge);
    memset(hb, 'x', huge);
    r = http_raw(&e, &OWNER, "POST", p, NULL, hb, huge);
    EXPECT_ERR(r, 400, "EndPoint.0002");
    resp_free(&r);
    free(hb);
    r = http(&e, &OWNER, "GET", "/v1/" OWNER_PID "/no-such-thing", NULL, NULL);
    EXPECT_ERR(r, 404, "APIG.0101");
    resp_free(&r);
    r = http(&e, &OWNER, "PATCH", p, NULL, "{}");
    EXPECT_ERR(r, 404, "APIG.0101");
    resp_free(&r);
    r = http(&e, NULL, "GET", "/__emulator/objects", NULL, NULL);
    CHECK(r.status == 200 && cJSON_GetObjectItemCaseSensitive(r.json, "services"), "objects");
    resp_free(&r);
    CHECK(emu_alive(&e), "still alive");
    CHECK(emu_stop(&e) == 0, "clean stop");
    free(svc);
    free(ep);
    free(ep2);
    free(gw);
}

/* Polls until the object reaches want (or 404 when want is NULL), moving the emulator's clock
 * (--manual-clock) 250 ms ahead between polls; returns the emulator time that took (ms) or -1
 * after 100 s of it. Never sleeps. */
static long wait_for(
    const emu *e, const account *a, const char *kind, const char *id, const char *want, int line)
{
    long hs = 0;
    char *st = NULL;
    for (long waited = 0; waited <= 100000; waited += 250) {
        free(st);
        st = get_status(e, a, kind, id, &hs);
        if ((want && hs == 200 && streq(st, want)) || (!want && hs == 404)) {
            free(st);
            return waited;
        }
        emu_clock(e, 250);
    }
    CHECK(0, "line %d: %s %s never reached %s (last %ld %s)", line, kind, id, want ? want : "404",
          hs, st ? st : "(none)");
    free(st);
    return -1;
}

static void scenario_lifecycle(void)
{
    emu e;
    const char *args[] = {"--delay-ms", "2000", "--manual-clock", NULL};
    CHECK(emu_start(&e, args) == 0, "start");
    char *svc = create_service(&e, NULL, NULL);
    CHECK(svc != NULL, "create");
    if (!svc) {
        emu_stop(&e);
        return;
    }
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "creating", __LINE__);
    char p[256], body[512];
    /* an endpoint to a creating service is refused */
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoints");
    snprintf(body, sizeof(body),
             "{\"endpoint_service_id\":\"%s\",\"vpc_id\":\"" OWNER_VPC
             "\",\"subnet_id\":\"" OWNER_SUBNET "\"}",
             svc);
    expect_invalid(&e, &OWNER, p, body, "EndPoint.2019", __LINE__);
    /* PUT while creating: 3045 */
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
    resp r = http(&e, &OWNER, "PUT", p, NULL, "{\"description\":\"x\"}");
    EXPECT_ERR(r, 400, "EndPoint.3045");
    resp_free(&r);
    /* available exactly when the delay has passed on the emulator's clock */
    emu_clock(&e, 1999);
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "creating", __LINE__);
    emu_clock(&e, 1);
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "available", __LINE__);

    /* same-account endpoint, approval required (default) */
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoints");
    r = post_json(&e, &OWNER, p, body);
    EXPECT_STATUS(r, 200);
    char *ep = jstr(r.json, "id") ? strdup(jstr(r.json, "id")) : NULL;
    resp_free(&r);
    CHECK(ep != NULL, "endpoint");
    if (ep) {
        expect_status(&e, &OWNER, "vpc-endpoints", ep, "creating", __LINE__);
        /* receive while creating: 2019 */
        r = connection_action(&e, svc, "receive", ep);
        EXPECT_ERR(r, 400, "EndPoint.2019");
        resp_free(&r);
        /* creating endpoints block service deletion */
        path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
        r = http(&e, &OWNER, "DELETE", p, NULL, NULL);
        EXPECT_ERR(r, 400, "EndPoint.3006");
        resp_free(&r);
        wait_for(&e, &OWNER, "vpc-endpoints", ep, "pendingAcceptance", __LINE__);
        /* pending endpoints do not block */
        delete_obj(&e, &OWNER, "vpc-endpoints", ep);
        expect_status(&e, &OWNER, "vpc-endpoints", ep, "deleting", __LINE__);
        r = connection_action(&e, svc, "receive", ep);
        EXPECT_ERR(r, 400, "EndPoint.2018");
        resp_free(&r);
        wait_for(&e, &OWNER, "vpc-endpoints", ep, NULL, __LINE__);
        expect_gone(&e, &OWNER, "vpc-endpoints", ep, __LINE__);
    }
    delete_obj(&e, &OWNER, "vpc-endpoint-services", svc);
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "deleting", __LINE__);
    delete_obj(&e, &OWNER, "vpc-endpoint-services", svc); /* repeated delete while deleting */
    wait_for(&e, &OWNER, "vpc-endpoint-services", svc, NULL, __LINE__);
    expect_gone(&e, &OWNER, "vpc-endpoint-services", svc, __LINE__);
    CHECK(objects_count(&e, "services") == 0, "no services left");
    CHECK(emu_stop(&e) == 0, "clean stop");
    free(svc);
    free(ep);

    /* --fail-rate 1: creates end in "failed" with error[] (error_code + error_message) */
    const char *fargs[] = {"--delay-ms", "0", "--fail-rate", "1", NULL};
    CHECK(emu_start(&e, fargs) == 0, "start failing emulator");
    svc = create_service(&e, NULL, NULL);
    CHECK(svc != NULL, "create (fails later)");
    if (svc) {
        path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s", svc);
        r = http(&e, &OWNER, "GET", p, NULL, NULL);
        const cJSON *err0 =
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "error"), 0);
        CHECK(streq(jstr(r.json, "status"), "failed") && jstr(err0, "error_code") &&
                  jstr(err0, "error_message"),
              "failed service %s", r.body);
        resp_free(&r);
        path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
        r = post_json(&e, &CONSUMER, p,
                      "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC "\"}");
        char *gw = jstr(r.json, "id") ? strdup(jstr(r.json, "id")) : NULL;
        resp_free(&r);
        CHECK(gw != NULL, "endpoint create answered");
        if (gw) {
            expect_status(&e, &CONSUMER, "vpc-endpoints", gw, "failed", __LINE__);
            delete_obj(&e, &CONSUMER, "vpc-endpoints", gw);
            expect_gone(&e, &CONSUMER, "vpc-endpoints", gw, __LINE__);
        }
        free(gw);
        delete_obj(&e, &OWNER, "vpc-endpoint-services", svc);
        expect_gone(&e, &OWNER, "vpc-endpoint-services", svc, __LINE__);
    }
    CHECK(emu_stop(&e) == 0, "clean stop (fail-rate)");
    free(svc);
}

static void scenario_faults(void)
{
    char p[256];
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services");
    {
        emu e;
        const char *args[] = {"--fault-rate", "1", "--fault-kinds", "429", NULL};
        CHECK(emu_start(&e, args) == 0, "start");
        resp r = http(&e, &OWNER, "GET", p, NULL, NULL);
        EXPECT_ERR(r, 429, "APIG.0308");
        CHECK(streq(r.retry_after, "1"), "Retry-After header '%s'", r.retry_after);
        resp_free(&r);
        r = http(&e, NULL, "GET", "/__emulator/objects", NULL, NULL);
        EXPECT_STATUS(r, 200); /* test support is never faulted */
        resp_free(&r);
        CHECK(emu_stop(&e) == 0, "stop");
    }
    {
        emu e;
        const char *args[] = {"--fault-rate", "1", "--fault-kinds", "500,0022", NULL};
        CHECK(emu_start(&e, args) == 0, "start");
        int s500 = 0, s0022 = 0;
        for (int i = 0; i < 30; i++) {
            resp r = http(&e, &OWNER, "GET", p, NULL, NULL);
            s500 += r.status == 500 && streq(jstr(r.json, "error_code"), "EndPoint.0001");
            s0022 += r.status == 400 && streq(jstr(r.json, "error_code"), "EndPoint.0022");
            resp_free(&r);
        }
        CHECK(s500 > 0 && s0022 > 0 && s500 + s0022 == 30, "500=%d 0022=%d", s500, s0022);
        CHECK(emu_stop(&e) == 0, "stop");
    }
    {
        emu e;
        const char *args[] = {"--fault-rate", "1", "--fault-kinds", "slow", "--slow-ms",
                              "400",          NULL};
        CHECK(emu_start(&e, args) == 0, "start");
        resp r = http(&e, &OWNER, "GET", p, NULL, NULL);
        EXPECT_STATUS(r, 200);
        CHECK(streq(r.fault, "slow"), "the answer says it was slowed (%s)", r.fault);
        /* a lower bound: load can only make it later */
        CHECK(r.seconds >= 0.399, "slow answer took %.3f s", r.seconds);
        resp_free(&r);
        CHECK(emu_stop(&e) == 0, "stop");
    }
    {
        /* drops: before and after the mutation; the objects endpoint shows which were applied */
        emu e;
        const char *args[] = {"--fault-rate", "1",          "--fault-kinds",
                              "drop",         "--delay-ms", "0",
                              "--fault-seed", "12345",      NULL};
        CHECK(emu_start(&e, args) == 0, "start");
        int dropped = 0;
        for (int i = 0; i < 16; i++) {
            char body[512];
            snprintf(body, sizeof(body),
                     "{\"port_id\":\"" OWNER_PORT1 "\",\"vpc_id\":\"" OWNER_VPC
                     "\",\"server_type\":\"VM\",\"ports\":[{\"client_port\":80,\"server_port\":"
                     "%d}]}",
                     100 + i);
            resp r = post_json(&e, &OWNER, p, body);
            dropped += r.curl_rc != 0 && r.status == 0;
            resp_free(&r);
        }
        int applied = objects_count(&e, "services");
        CHECK(dropped == 16, "all 16 answers dropped (%d)", dropped);
        CHECK(applied > 0 && applied < 16, "some drops after the mutation, some before (%d)",
              applied);
        CHECK(emu_alive(&e), "alive after drops");
        CHECK(emu_stop(&e) == 0, "stop");
    }
    {
        /* a mixed 50% rate produces every default kind and never crashes */
        emu e;
        const char *args[] = {"--fault-rate", "0.5", "--slow-ms", "50", "--fault-seed", "7", NULL};
        CHECK(emu_start(&e, args) == 0, "start");
        int ok = 0, s429 = 0, s500 = 0, drop = 0, slow = 0;
        for (int i = 0; i < 120; i++) {
            resp r = http(&e, &OWNER, "GET", p, NULL, NULL);
            ok += r.status == 200;
            s429 += r.status == 429;
            s500 += r.status == 500;
            drop += r.status == 0;
            slow += r.status == 200 && streq(r.fault, "slow");
            CHECK(r.fault[0] == '\0' || r.status != 200 || streq(r.fault, "slow"), "fault %s",
                  r.fault);
            resp_free(&r);
        }
        CHECK(ok > 0 && s429 > 0 && s500 > 0 && drop > 0 && slow > 0,
              "kinds ok=%d 429=%d 500=%d drop=%d slow=%d", ok, s429, s500, drop, slow);
        CHECK(emu_stop(&e) == 0, "stop");
    }
}

static void scenario_state(void)
{
    char dir[] = "/tmp/emu-state-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char file[128];
    snprintf(file, sizeof(file), "%s/state.json", dir);
    const char *args[] = {"--delay-ms", "0", "--state", file, NULL};
    emu e;
    CHECK(emu_start(&e, args) == 0, "start");
    char *svc = create_service(&e, "\"service_name\":\"keep\"", NULL);
    CHECK(svc != NULL, "service");
    if (!svc) {
        emu_stop(&e);
        return;
    }
    whitelist_consumer(&e, svc);
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "available", __LINE__);
    char *ep = create_endpoint(&e, svc, NULL);
    expect_status(&e, &CONSUMER, "vpc-endpoints", ep, "pendingAcceptance", __LINE__);
    account tok = OWNER;
    CHECK(get_token(&e, "owner", "owner-password", "owner-domain",
                    "{\"project\":{\"id\":\"" OWNER_PID "\"}}", tok.token,
                    sizeof(tok.token)) == 201,
          "token");
    CHECK(emu_stop(&e) == 0, "clean stop");

    struct stat st;
    CHECK(stat(file, &st) == 0 && st.st_size > 0, "state file written");
    char tmp[160];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)e.pid);
    CHECK(stat(tmp, &st) != 0, "no temp file left");

    CHECK(emu_start(&e, args) == 0, "restart");
    expect_status(&e, &OWNER, "vpc-endpoint-services", svc, "available", __LINE__);
    expect_status(&e, &CONSUMER, "vpc-endpoints", ep, "pendingAcceptance", __LINE__);
    char p[256];
    path_of(p, sizeof(p), &OWNER, "/vpc-endpoint-services/%s/permissions", svc);
    resp r = http(&e, &tok, "GET", p, NULL, NULL); /* token survives the restart */
    CHECK(r.status == 200 && jnum(r.json, "total_count") == 1, "whitelist + token persisted %ld",
          r.status);
    resp_free(&r);
    r = connection_action(&e, svc, "receive", ep);
    EXPECT_STATUS(r, 200);
    resp_free(&r);
    char *ep2 = create_endpoint(&e, svc, NULL);
    path_of(p, sizeof(p), &CONSUMER, "/vpc-endpoints");
    r = http(&e, &CONSUMER, "GET", p, "sort_dir=asc", NULL);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(r.json, "endpoints");
    CHECK(cJSON_GetArraySize(arr) == 2 && jnum(cJSON_GetArrayItem(arr, 1), "marker_id") >
                                              jnum(cJSON_GetArrayItem(arr, 0), "marker_id"),
          "marker ids continue after restart");
    resp_free(&r);
    CHECK(emu_stop(&e) == 0, "clean stop 2");

    /* a corrupt state file is refused, not silently dropped */
    FILE *f = fopen(file, "w");
    fputs("{\"services\": 3}", f);
    fclose(f);
    const char *bad_args[] = {"--state", file, NULL};
    emu e2;
    CHECK(emu_start(&e2, bad_args) != 0, "corrupt state refused");
    unlink(file);
    rmdir(dir);
    free(svc);
    free(ep);
    free(ep2);
}

static unsigned g_rng = 12345;

static unsigned rnd(void)
{
    g_rng = g_rng * 1103515245u + 12345u;
    return (g_rng >> 8) & 0xffffff;
}

/* Connects to the emulator, writes raw bytes, half-closes, drains the answer (2 s at most). */
static void raw_send(const emu *e, const char *data, size_t len)
{
    const char *colon = strrchr(e->host, ':');
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(colon ? colon + 1 : "0"));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        ssize_t w = write(fd, data, len);
        (void)w;
        shutdown(fd, SHUT_WR);
        char sink[4096];
        struct pollfd p = {fd, POLLIN, 0};
        while (poll(&p, 1, 2000) > 0 && read(fd, sink, sizeof(sink)) > 0) {
        }
    }
    close(fd);
}

static void scenario_fuzz(void)
{
    emu e;
    const char *args[] = {"--delay-ms", "0", NULL};
    CHECK(emu_start(&e, args) == 0, "start");
    char *svc = create_service(&e, NULL, NULL);
    static const char *const seeds[] = {
        "{\"port_id\":\"" OWNER_PORT1 "\",\"vpc_id\":\"" OWNER_VPC "\",\"server_type\":\"VM\","
        "\"ports\":[{\"client_port\":80,\"server_port\":80}],\"tags\":[{\"key\":\"a\",\"value\":"
        "\"b\"}]}",
        "{\"endpoint_service_id\":\"" OBS_ID "\",\"vpc_id\":\"" CONSUMER_VPC "\"}",
        "{\"action\":\"receive\",\"endpoints\":[\"x\"]}",
        "{\"action\":\"add\",\"permissions\":[\"iam:domain::abc\"]}",
        "{\"action\":\"create\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}",
        "{\"approval_enabled\":false,\"ports\":[{\"client_port\":1,\"server_port\":2}]}",
        ("{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":"
         "\"owner\",\"password\":\"x\",\"domain\":{\"name\":\"owner-domain\"}}}}}}"),
    };
    char paths[8][256];
    path_of(paths[0], 256, &OWNER, "/vpc-endpoint-services");
    path_of(paths[1], 256, &CONSUMER, "/vpc-endpoints");
    path_of(paths[2], 256, &OWNER, "/vpc-endpoint-services/%s/connections/action", svc);
    path_of(paths[3], 256, &OWNER, "/vpc-endpoint-services/%s/permissions/action", svc);
    path_of(paths[4], 256, &OWNER, "/endpoint_service/%s/tags/action", svc);
    path_of(paths[5], 256, &OWNER, "/vpc-endpoint-services/%s", svc);
    snprintf(paths[6], 256, "/v3/auth/tokens");
    path_of(paths[7], 256, &OWNER, "/endpoint_service/resource_instances/action");
    static const char *const junk[] = {"null",
                                       "true",
                                       "1e309",
                                       "-0",
                                       "[]",
                                       "{}",
                                       "\"\"",
                                       "[[[[[[[[",
                                       "{\"a\":",
                                       "\xff\xfe",
                                       "99999999999999999999999",
                                       "{\"ports\":{}}",
                                       "\"\\u0000\""};
    int server_errors = 0, drops = 0;
    for (int i = 0; i < 400; i++) {
        unsigned which = rnd() % 7;
        const char *seed = seeds[which];
        size_t len = strlen(seed);
        char *b = malloc(len + 64);
        memcpy(b, seed, len + 1);
        unsigned mode = rnd() % 4;
        if (mode == 0) { /* byte flips */
            for (int k = 0; k < 1 + (int)(rnd() % 6); k++) {
                b[rnd() % len] = (char)(rnd() & 0xff);
            }
        } else if (mode == 1) { /* truncate */
            len = rnd() % len;
            b[len] = '\0';
        } else if (mode == 2) { /* replace a value with junk */
            const char *j = junk[rnd() % (sizeof(junk) / sizeof(junk[0]))];
            char *colon = strchr(b + (rnd() % len), ':');
            if (colon) {
                size_t jl = strlen(j);
                memcpy(colon + 1, j, jl < 40 ? jl : 40);
                colon[1 + (jl < 40 ? jl : 40)] = '\0';
                len = strlen(b);
            }
        } else { /* random bytes */
            len = rnd() % 60;
            for (size_t k = 0; k < len; k++) {
                b[k] = (char)(rnd() & 0xff);
            }
            b[len] = '\0';
        }
        const char *path = paths[which == 6 ? 6 : (rnd() % 8)];
        const account *a = strstr(path, CONSUMER_PID) ? &CONSUMER : &OWNER;
        const char *method = strstr(path, svc) && !strstr(path, "action") ? "PUT" : "POST";
        resp r = http_raw(&e, a, method, path, NULL, b, len);
        server_errors += r.status >= 500;
        drops += r.status == 0;
        if (r.status >= 500 || r.status == 0) {
            fprintf(stderr, "fuzz %d: %s %s -> %ld\n", i, method, path, r.status);
        }
        CHECK(r.status == 0 || r.status >= 500 || (r.json && cJSON_IsObject(r.json)) ||
                  r.status == 204,
              "answer is JSON: %ld %s", r.status, r.body ? r.body : "");
        resp_free(&r);
        free(b);
    }
    CHECK(server_errors == 0 && drops == 0, "no 5xx (%d) or dropped connections (%d)",
          server_errors, drops);
    /* garbage paths and queries */
    for (int i = 0; i < 100; i++) {
        char path[128], q[128];
        int n = snprintf(path, sizeof(path), "/v1/" OWNER_PID "/");
        for (int k = 0; k < 20; k++) {
            static const char cs[] = "abc/-_.~%0123xyz/";
            path[n++] = cs[rnd() % (sizeof(cs) - 1)];
        }
        path[n] = '\0';
        snprintf(q, sizeof(q), "limit=%u&offset=%u&sort_key=%c", rnd(), rnd(),
                 'a' + (char)(rnd() % 26));
        resp r = http(&e, &OWNER, i % 2 ? "GET" : "DELETE", path, q, NULL);
        CHECK(r.status >= 200 && r.status < 500, "garbage path %s -> %ld", path, r.status);
        resp_free(&r);
    }
    /* raw protocol garbage straight onto the socket: random bytes, broken request lines,
     * lying Content-Length, oversized headers */
    for (int i = 0; i < 40; i++) {
        char buf[9000];
        size_t len = 0;
        switch (i % 4) {
        case 0:
            len = 1 + rnd() % 4000;
            for (size_t k = 0; k < len; k++) {
                buf[k] = (char)(rnd() & 0xff);
            }
            break;
        case 1:
            len = (size_t)snprintf(buf, sizeof(buf),
                                   "POST /v1/%s/vpc-endpoints HTTP/1.1\r\nHost: x\r\n"
                                   "Content-Length: 99999\r\n\r\n{\"a\":",
                                   OWNER_PID);
            break;
        case 2:
            len = (size_t)snprintf(buf, sizeof(buf), "GET /%08x HTTP/9.%u\r\n\r\n", rnd(), rnd());
            break;
        default:
            len = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
            while (len < sizeof(buf) - 5) {
                buf[len++] = 'a';
            }
            memcpy(buf + len, "\r\n\r\n", 4);
            len += 4;
            break;
        }
        raw_send(&e, buf, len);
    }
    resp r = http(&e, NULL, "GET", "/", NULL, NULL);
    EXPECT_STATUS(r, 200);
    resp_free(&r);
    CHECK(emu_alive(&e), "alive after fuzzing");
    CHECK(emu_stop(&e) == 0, "clean stop");
    free(svc);
}

typedef struct worker_arg {
    const emu *e;
    int id;
    int ok;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    char path[256], body[512];
    path_of(path, sizeof(path), &OWNER, "/vpc-endpoint-services");
    for (int i = 0; i < 4; i++) {
        snprintf(body, sizeof(body),
                 "{\"port_id\":\"" OWNER_PORT1 "\",\"vpc_id\":\"" OWNER_VPC
                 "\",\"server_type\":\"VM\",\"ports\":[{\"client_port\":80,\"server_port\":%d}]}",
                 20000 + w->id * 10 + i);
        resp r = post_json(w->e, &OWNER, path, body);
        w->ok += r.status == 200;
        resp_free(&r);
        r = http(w->e, &OWNER, "GET", path, "limit=100", NULL);
        w->ok += r.status == 200;
        resp_free(&r);
    }
    return NULL;
}

static void scenario_concurrency(void)
{
    emu e;
    const char *args[] = {"--delay-ms", "0", NULL};
    CHECK(emu_start(&e, args) == 0, "start");
    pthread_t th[4];
    worker_arg wa[4];
    for (int i = 0; i < 4; i++) {
        wa[i] = (worker_arg){&e, i, 0};
        pthread_create(&th[i], NULL, worker, &wa[i]);
    }
    int ok = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ok += wa[i].ok;
    }
    CHECK(ok == 32, "all concurrent requests succeeded (%d/32)", ok);
    CHECK(objects_count(&e, "services") == 16, "16 services, no duplicates or losses");
    CHECK(emu_stop(&e) == 0, "clean stop");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s EMULATOR SCENARIO\n", argv[0]);
        return 2;
    }
    g_emulator = argv[1];
    if (access(g_emulator, X_OK) != 0) {
        fprintf(stderr, "emulator %s not found\n", g_emulator);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    srand(42);
    const char *s = argv[2];
    if (strcmp(s, "seed") == 0) {
        scenario_seed();
    } else if (strcmp(s, "auth") == 0) {
        scenario_auth();
    } else if (strcmp(s, "api") == 0) {
        scenario_api();
    } else if (strcmp(s, "lifecycle") == 0) {
        scenario_lifecycle();
    } else if (strcmp(s, "faults") == 0) {
        scenario_faults();
    } else if (strcmp(s, "state") == 0) {
        scenario_state();
    } else if (strcmp(s, "fuzz") == 0) {
        scenario_fuzz();
    } else if (strcmp(s, "concurrency") == 0) {
        scenario_concurrency();
    } else {
        fprintf(stderr, "unknown scenario %s\n", s);
        return 2;
    }
    curl_global_cleanup();
    fprintf(stderr, "%s: %d checks, %d failures\n", s, g_checks, g_failures);
    return g_failures ? 1 : 0;
}
