/*
 * Fuzz target of the emulator's request handling (tests/emulator: emu_handle, the router, every
 * API handler, request validation, paging, tags, the IAM token call and both authentication
 * schemes), below the HTTP server. Each input is a sequence of requests against one fresh
 * emulator (built-in seed, no delays, no faults), so that a create can be followed by reads,
 * updates, actions and deletes of the object it made:
 *
 *   <who> <METHOD> <path>[?<query>]
 *   <Header>: <value>          (any number of lines)
 *                              (an empty line)
 *   <body>                     (up to a line "----" or the end)
 *
 * <who> is "owner" or "consumer" (an IAM token of that account, unless the input sends its own
 * X-Auth-Token), "aksk-owner" or "aksk-consumer" (an AK/SK signature computed over the request
 * as it is, so the signature checks pass and the handlers behind them are reached), or anything
 * else (no credentials). In the path, query, headers and body, "$S" and "$E" stand for the IDs
 * of the service and the endpoint the emulator created last. Every answer must be a status
 * with a body that renders. The emulator must never crash, leak or report undefined behaviour.
 */
#include "emu.h"

#include <cjson/cJSON.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_REQUESTS 24
#define FZ_MAX_HEADERS 16
#define FZ_MAX_QUERY 16
#define FZ_MAX_TEXT (64 * 1024)

typedef struct fz_headers {
    const char *name[FZ_MAX_HEADERS + 4];
    const char *value[FZ_MAX_HEADERS + 4];
    int n;
} fz_headers;

static const char *fz_header(void *ctx, const char *name)
{
    const fz_headers *h = ctx;
    for (int i = 0; i < h->n; i++) {
        if (strcasecmp(h->name[i], name) == 0) {
            return h->value[i];
        }
    }
    return NULL;
}

/* The fuzzing state of one input. */
typedef struct fz {
    emu_server srv;
    char token[2][96]; /* owner, consumer */
    char service[64];
    char endpoint[64];
} fz;

static const char *const fz_accounts[2] = {"owner", "consumer"};

/* Copies @p s (@p n bytes) into @p out with "$S" / "$E" replaced. @return 0, or -1 if it does
 * not fit. */
static int fz_expand(const fz *z, const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        if (s[i] == '$' && i + 1 < n && (s[i + 1] == 'S' || s[i + 1] == 'E')) {
            rep = s[i + 1] == 'S' ? z->service : z->endpoint;
            i++;
        }
        if (rep != NULL) {
            size_t rl = strlen(rep);
            if (o + rl >= cap) {
                return -1;
            }
            memcpy(out + o, rep, rl);
            o += rl;
        } else {
            if (o + 1 >= cap) {
                return -1;
            }
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return 0;
}

/* Runs one request; remembers the ID of an object it created. With EMULATOR_FUZZ_TRACE set,
 * each request and its status go to stderr (for writing seed inputs). */
static void fz_request(fz *z, const emu_request *req)
{
    static int trace = -1;
    emu_response resp;
    if (trace < 0) {
        trace = getenv("EMULATOR_FUZZ_TRACE") != NULL;
    }
    memset(&resp, 0, sizeof(resp));
    emu_handle(&z->srv, req, &resp);
    if (trace) {
        char *t = resp.body != NULL ? cJSON_PrintUnformatted(resp.body) : NULL;
        fprintf(stderr, "%s %s -> %d %.200s\n", req->method, req->path, resp.status,
                t != NULL ? t : "");
        free(t);
    }
    if (resp.status < 100 || resp.status > 599) {
        abort(); /* every answer has an HTTP status */
    }
    if (resp.body != NULL) {
        char *text = cJSON_PrintUnformatted(resp.body);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(resp.body, "id");
        if (text == NULL) {
            abort(); /* every answer renders */
        }
        free(text);
        if (strcmp(req->method, "POST") == 0 && resp.status == 200 && cJSON_IsString(id) &&
            strlen(id->valuestring) < sizeof(z->service)) {
            if (strstr(req->path, "/vpc-endpoint-services") != NULL) {
                snprintf(z->service, sizeof(z->service), "%s", id->valuestring);
            } else if (strstr(req->path, "/vpc-endpoints") != NULL) {
                snprintf(z->endpoint, sizeof(z->endpoint), "%s", id->valuestring);
            }
        }
        cJSON_Delete(resp.body);
    }
}

/* An IAM token of each seed account, through the emulator's own token call. */
static void fz_tokens(fz *z)
{
    for (int a = 0; a < 2; a++) {
        const cJSON *acct = emu_seed_account_by_name(z->srv.seed, fz_accounts[a]);
        char body[512];
        fz_headers h = {{0}, {0}, 0};
        emu_request req;
        emu_response resp;
        if (acct == NULL) {
            continue;
        }
        snprintf(body, sizeof(body),
                 "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
                 "\"name\":\"%s\",\"password\":\"%s\",\"domain\":{\"name\":\"%s\"}}}},"
                 "\"scope\":{\"project\":{\"id\":\"%s\"}}}}",
                 emu_jstr(acct, "user_name"), emu_jstr(acct, "password"),
                 emu_jstr(acct, "domain_name"), emu_jstr(acct, "project_id"));
        memset(&req, 0, sizeof(req));
        memset(&resp, 0, sizeof(resp));
        req.method = "POST";
        req.path = "/v3/auth/tokens";
        req.body = body;
        req.body_len = strlen(body);
        req.header = fz_header;
        req.header_ctx = &h;
        req.loopback = 1;
        emu_handle(&z->srv, &req, &resp);
        snprintf(z->token[a], sizeof(z->token[a]), "%s", resp.subject_token);
        cJSON_Delete(resp.body);
    }
}

/* Signs @p req for @p acct (AK/SK, SDK-HMAC-SHA256) over host and x-sdk-date. */
static void fz_sign(fz *z,
                    const char *who,
                    emu_request *req,
                    fz_headers *h,
                    char *date,
                    char *authz,
                    size_t authz_cap)
{
    const cJSON *acct = emu_seed_account_by_name(z->srv.seed, who);
    char body_hash[65], sig[65];
    time_t now = time(NULL);
    struct tm tm;
    emu_buf canon;
    if (acct == NULL || h->n + 3 > FZ_MAX_HEADERS + 4) {
        return;
    }
    gmtime_r(&now, &tm);
    strftime(date, 17, "%Y%m%dT%H%M%SZ", &tm);
    h->name[h->n] = "Host";
    h->value[h->n++] = "localhost";
    h->name[h->n] = "X-Sdk-Date";
    h->value[h->n++] = date;
    emu_sha256_hex(req->body, req->body_len, body_hash);
    emu_buf_init(&canon);
    if (emu_canonical_request(req->method, req->path, req->query, req->nquery, "host;x-sdk-date",
                              fz_header, h, body_hash, &canon) == EMU_OK &&
        canon.p != NULL && !canon.oom &&
        emu_sign(emu_jstr(acct, "secret_key"), date, canon.p, sig) == EMU_OK) {
        snprintf(authz, authz_cap,
                 "SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-sdk-date, Signature=%s",
                 emu_jstr(acct, "access_key"), sig);
        h->name[h->n] = "Authorization";
        h->value[h->n++] = authz;
    }
    emu_buf_free(&canon);
}

/* Parses and runs the request in data[0..n). */
static void fz_one(fz *z, const char *data, size_t n)
{
    static char line[FZ_MAX_TEXT], path[FZ_MAX_TEXT], query_text[FZ_MAX_TEXT],
        hdr_text[FZ_MAX_TEXT], body[FZ_MAX_TEXT];
    char who[32], method[16];
    char date[17] = "", authz[512] = "";
    const char *end = data + n;
    const char *nl = memchr(data, '\n', n);
    size_t ll = nl != NULL ? (size_t)(nl - data) : n;
    const char *p;
    emu_kv query[FZ_MAX_QUERY];
    size_t nquery = 0;
    fz_headers h = {{0}, {0}, 0};
    emu_request req;
    char *target, *q, *hp;
    size_t ho = 0;

    if (fz_expand(z, data, ll, line, sizeof(line)) != 0) {
        return;
    }
    /* "<who> <METHOD> <target>" */
    target = strchr(line, ' ');
    if (target == NULL || (size_t)(target - line) >= sizeof(who)) {
        return;
    }
    memcpy(who, line, (size_t)(target - line));
    who[target - line] = '\0';
    target++;
    q = strchr(target, ' ');
    if (q == NULL || (size_t)(q - target) >= sizeof(method)) {
        return;
    }
    memcpy(method, target, (size_t)(q - target));
    method[q - target] = '\0';
    target = q + 1;
    q = strchr(target, '?');
    if (q != NULL) {
        *q++ = '\0';
        snprintf(query_text, sizeof(query_text), "%s", q);
        for (char *save = NULL, *kv = strtok_r(query_text, "&", &save);
             kv != NULL && nquery < FZ_MAX_QUERY; kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            if (eq != NULL) {
                *eq++ = '\0';
            }
            query[nquery].key = kv;
            query[nquery].value = eq != NULL ? eq : kv + strlen(kv); /* "" */
            nquery++;
        }
    }
    snprintf(path, sizeof(path), "%s", target);

    /* headers up to an empty line, then the body */
    p = nl != NULL ? nl + 1 : end;
    hp = hdr_text;
    while (p < end && *p != '\n' && h.n < FZ_MAX_HEADERS) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t hl = e != NULL ? (size_t)(e - p) : (size_t)(end - p);
        char *colon;
        size_t used;
        if (fz_expand(z, p, hl, hp, sizeof(hdr_text) - ho) != 0) {
            return;
        }
        used = strlen(hp) + 1;
        colon = strchr(hp, ':');
        if (colon != NULL) {
            *colon++ = '\0';
            while (*colon == ' ') {
                colon++;
            }
            h.name[h.n] = hp;
            h.value[h.n++] = colon;
        }
        ho += used;
        hp = hdr_text + ho;
        p = e != NULL ? e + 1 : end;
    }
    if (p < end && *p == '\n') {
        p++;
    }
    if (fz_expand(z, p, (size_t)(end - p), body, sizeof(body)) != 0) {
        return;
    }

    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = path;
    req.query = query;
    req.nquery = nquery;
    req.body = body;
    req.body_len = strlen(body);
    req.body_too_large = req.body_len > z->srv.opt.max_body;
    req.header = fz_header;
    req.header_ctx = &h;
    req.loopback = 1;
    if (strcmp(who, "owner") == 0 || strcmp(who, "consumer") == 0) {
        int a = who[0] == 'c';
        if (fz_header(&h, "x-auth-token") == NULL && z->token[a][0] != '\0') {
            h.name[h.n] = "X-Auth-Token";
            h.value[h.n++] = z->token[a];
        }
    } else if (strcmp(who, "aksk-owner") == 0 || strcmp(who, "aksk-consumer") == 0) {
        fz_sign(z, who + 5, &req, &h, date, authz, sizeof(authz));
    }
    fz_request(z, &req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n----\n";
    static fz z;
    emu_options opt;
    cJSON *seed;
    char err[256];
    const char *p = (const char *)data;
    const char *end = p + size;
    int requests = 0;

    memset(&opt, 0, sizeof(opt));
    opt.delay_ms = 0;
    opt.slow_ms = 1;
    opt.token_ttl_s = 3600;
    opt.max_skew_s = 900;
    opt.max_body = 1 << 20;
    opt.fault_seed = 1;
    seed = emu_seed_parse(emu_builtin_seed(), err, sizeof(err));
    if (seed == NULL || emu_server_init(&z.srv, &opt, seed) != EMU_OK) {
        abort();
    }
    z.service[0] = '\0';
    z.endpoint[0] = '\0';
    fz_tokens(&z);
    while (p < end && requests++ < FZ_MAX_REQUESTS) {
        const char *next = NULL;
        for (const char *s = p; s + sizeof(sep) - 1 <= end; s++) {
            if (memcmp(s, sep, sizeof(sep) - 1) == 0) {
                next = s;
                break;
            }
        }
        fz_one(&z, p, (size_t)((next != NULL ? next : end) - p));
        p = next != NULL ? next + sizeof(sep) - 1 : end;
    }
    emu_server_free(&z.srv);
    return 0;
}
