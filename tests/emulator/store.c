/* vpcep-emulator: state, lifecycles, validation and the VPCEP API handlers (vpcep-api.md 1-3). */
#include "emu.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SEGS 8
#define MAX_TAGS 10
#define MAX_PORTS 200
#define MAX_PERMISSIONS 50
#define MAX_WHITELIST 20
#define DEFAULT_SERVICE_QUOTA 20
#define DEFAULT_ENDPOINT_QUOTA 50
#define MARKER_BASE 4294967296.0 /* markers above 2^32 so clients must use int64 */

typedef struct ctx {
    emu_server *srv;
    const emu_request *req;
    emu_response *resp;
    const cJSON *acct;
    const char *pid;
    double now;
} ctx;

/* ---- small JSON helpers ---------------------------------------------------------------------- */

static void set_item(cJSON *obj, const char *key, cJSON *item)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    } else {
        cJSON_AddItemToObject(obj, key, item);
    }
}

static void set_str(cJSON *obj, const char *key, const char *v)
{
    set_item(obj, key, cJSON_CreateString(v ? v : ""));
}

static void set_num(cJSON *obj, const char *key, double v)
{
    set_item(obj, key, cJSON_CreateNumber(v));
}

static void set_bool(cJSON *obj, const char *key, int v)
{
    set_item(obj, key, cJSON_CreateBool(v));
}

static double jnum(const cJSON *obj, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int jtrue(const cJSON *obj, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static int streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

void emu_set_error(emu_response *resp, int status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cJSON_Delete(resp->body);
    resp->status = status;
    resp->body = cJSON_CreateObject();
    if (resp->body) {
        cJSON_AddStringToObject(resp->body, "error_code", code);
        cJSON_AddStringToObject(resp->body, "error_msg", msg);
    }
}

static const char *query(const ctx *c, const char *key)
{
    for (size_t i = 0; i < c->req->nquery; i++) {
        if (strcmp(c->req->query[i].key, key) == 0) {
            return c->req->query[i].value ? c->req->query[i].value : "";
        }
    }
    return NULL;
}

/* Renders an internal object: a copy without the fields whose names start with '_'. */
static cJSON *render(const cJSON *obj)
{
    cJSON *out = cJSON_Duplicate(obj, 1);
    for (cJSON *it = out ? out->child : NULL; it;) {
        cJSON *next = it->next;
        if (it->string && it->string[0] == '_') {
            cJSON_Delete(cJSON_DetachItemViaPointer(out, it));
        }
        it = next;
    }
    return out;
}

/* xorshift64*; caller holds mu */
static double random_locked(emu_server *srv)
{
    uint64_t x = srv->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    srv->rng = x;
    uint64_t r = x * 2685821657736338717ULL;
    return (double)(r >> 11) / 9007199254740992.0;
}

double emu_random(emu_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    double r = random_locked(srv);
    pthread_mutex_unlock(&srv->mu);
    return r;
}

static int draw_failure(emu_server *srv)
{
    return srv->opt.fail_rate > 0 && random_locked(srv) < srv->opt.fail_rate;
}

static void fail_object(cJSON *o, const char *what, const char *ts)
{
    char msg[128];
    snprintf(msg, sizeof(msg), "Injected failure: the %s could not be provisioned.", what);
    cJSON *errs = cJSON_CreateArray();
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "error_code", "EndPoint.0001");
    cJSON_AddStringToObject(e, "error_message", msg);
    cJSON_AddItemToArray(errs, e);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "error");
    cJSON_AddItemToObject(o, "error", errs);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "status");
    cJSON_AddStringToObject(o, "status", "failed");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "updated_at");
    cJSON_AddStringToObject(o, "updated_at", ts);
}

/* ---- server lifetime, persistence ------------------------------------------------------------ */

int emu_server_init(emu_server *srv, const emu_options *opt, cJSON *seed)
{
    memset(srv, 0, sizeof(*srv));
    srv->opt = *opt;
    srv->seed = seed;
    srv->services = cJSON_CreateArray();
    srv->endpoints = cJSON_CreateArray();
    srv->tokens = cJSON_CreateArray();
    srv->next_marker = MARKER_BASE + 201414431.0;
    srv->seq = 1;
    srv->rng = opt->fault_seed ? opt->fault_seed : (uint64_t)emu_now_ms() ^ (uint64_t)getpid();
    if (!srv->rng) {
        srv->rng = 88172645463325252ULL;
    }
    if (pthread_mutex_init(&srv->mu, NULL) != 0 || !srv->services || !srv->endpoints ||
        !srv->tokens) {
        return EMU_ENOMEM;
    }
    return EMU_OK;
}

void emu_server_free(emu_server *srv)
{
    cJSON_Delete(srv->services);
    cJSON_Delete(srv->endpoints);
    cJSON_Delete(srv->tokens);
    cJSON_Delete(srv->seed);
    pthread_mutex_destroy(&srv->mu);
    srv->services = srv->endpoints = srv->tokens = srv->seed = NULL;
}

#define MAX_STATE_FILE (64u * 1024u * 1024u)

int emu_state_load(emu_server *srv, char *err, size_t errlen)
{
    int rc = EMU_EIO;
    char *text = NULL;
    cJSON *doc = NULL;
    FILE *f = fopen(srv->opt.state_file, "rb");
    if (!f) {
        if (errno == ENOENT) {
            return EMU_OK; /* first start */
        }
        snprintf(err, errlen, "cannot open state file: %s", strerror(errno));
        return EMU_EIO;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        goto done;
    }
    long size = ftell(f);
    if (size < 0 || (unsigned long)size > MAX_STATE_FILE || fseek(f, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "state file unreadable or too large");
        goto done;
    }
    text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
        snprintf(err, errlen, "cannot read state file");
        goto done;
    }
    text[size] = '\0';
    doc = cJSON_Parse(text);
    cJSON *svcs = cJSON_GetObjectItemCaseSensitive(doc, "services");
    cJSON *eps = cJSON_GetObjectItemCaseSensitive(doc, "endpoints");
    cJSON *toks = cJSON_GetObjectItemCaseSensitive(doc, "tokens");
    if (!cJSON_IsArray(svcs) || !cJSON_IsArray(eps) || !cJSON_IsArray(toks)) {
        snprintf(err, errlen, "state file is not an emulator state document");
        rc = EMU_EINVAL;
        goto done;
    }
    cJSON_Delete(srv->services);
    cJSON_Delete(srv->endpoints);
    cJSON_Delete(srv->tokens);
    srv->services = cJSON_DetachItemViaPointer(doc, svcs);
    srv->endpoints = cJSON_DetachItemViaPointer(doc, eps);
    srv->tokens = cJSON_DetachItemViaPointer(doc, toks);
    srv->next_marker = jnum(doc, "next_marker", srv->next_marker);
    srv->seq = jnum(doc, "seq", srv->seq);
    rc = EMU_OK;
done:
    fclose(f);
    free(text);
    cJSON_Delete(doc);
    return rc;
}

/* Writes the state atomically: temp file in the same directory, fsync, rename. Caller holds mu. */
int emu_state_save(emu_server *srv)
{
    int rc = EMU_EIO;
    char *text = NULL;
    char tmp[4096];
    int fd = -1;
    cJSON *doc = cJSON_CreateObject();
    if (!srv->opt.state_file) {
        rc = EMU_OK;
        goto done;
    }
    if (!doc) {
        rc = EMU_ENOMEM;
        goto done;
    }
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON_AddItemReferenceToObject(doc, "services", srv->services);
    cJSON_AddItemReferenceToObject(doc, "endpoints", srv->endpoints);
    cJSON_AddItemReferenceToObject(doc, "tokens", srv->tokens);
    cJSON_AddNumberToObject(doc, "next_marker", srv->next_marker);
    cJSON_AddNumberToObject(doc, "seq", srv->seq);
    text = cJSON_Print(doc);
    if (!text) {
        rc = EMU_ENOMEM;
        goto done;
    }
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", srv->opt.state_file, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        goto done;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        goto done;
    }
    size_t len = strlen(text);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            goto done;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        goto done;
    }
    fd = -1;
    if (rename(tmp, srv->opt.state_file) != 0) {
        goto done;
    }
    srv->dirty = 0;
    rc = EMU_OK;
done:
    if (fd >= 0) {
        close(fd);
    }
    if (rc != EMU_OK && srv->opt.state_file) {
        unlink(tmp);
        fprintf(stderr, "vpcep-emulator: could not write state file\n");
    }
    free(text);
    cJSON_Delete(doc);
    return rc;
}

/* ---- lookups ----------------------------------------------------------------------------------
 */

static cJSON *find_by_id(cJSON *arr, const char *id)
{
    cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        if (streq(emu_jstr(it, "id"), id)) {
            return it;
        }
    }
    return NULL;
}

static const cJSON *find_public(const emu_server *srv, const char *id, const char *name)
{
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(srv->seed, "public_services"))
    {
        if ((id && streq(emu_jstr(p, "id"), id)) ||
            (name && streq(emu_jstr(p, "service_name"), name))) {
            return p;
        }
    }
    return NULL;
}

static int quota_of(const emu_server *srv, const char *type, int dflt)
{
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(srv->seed, "quotas");
    double v = jnum(q, type, dflt);
    return v >= 0 && v < 1e6 ? (int)v : dflt;
}

static int count_in_project(cJSON *arr, const char *pid)
{
    int n = 0;
    cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        if (streq(emu_jstr(it, "project_id"), pid)) {
            n++;
        }
    }
    return n;
}

static int connection_count(const emu_server *srv, const char *svc_id)
{
    int n = 0;
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, srv->endpoints)
    {
        const char *st = emu_jstr(e, "status");
        if (streq(emu_jstr(e, "endpoint_service_id"), svc_id) &&
            (streq(st, "creating") || streq(st, "accepted"))) {
            n++;
        }
    }
    return n;
}

static cJSON *render_service(const emu_server *srv, const cJSON *svc, int with_domain)
{
    cJSON *out = render(svc);
    if (!out) {
        return NULL;
    }
    set_num(out, "connection_count", connection_count(srv, emu_jstr(svc, "id")));
    if (with_domain) {
        set_str(out, "domain_id", emu_jstr(svc, "_domain_id"));
    }
    return out;
}

/* ---- lifecycles -------------------------------------------------------------------------------
 */

static void accept_endpoint(emu_server *srv, cJSON *ep, double now)
{
    char ts[32];
    emu_iso8601(now, ts);
    set_str(ep, "status", "accepted");
    set_str(ep, "updated_at", ts);
    if (streq(emu_jstr(ep, "service_type"), "interface")) {
        const char *ip = emu_jstr(ep, "_ip");
        if (ip && !emu_jstr(ep, "ip")) {
            set_str(ep, "ip", ip);
        }
        if (jtrue(ep, "enable_dns") && ip) {
            char name[256];
            const char *id = emu_jstr(ep, "id");
            snprintf(name, sizeof(name), "%.8s.vpcep.%s.otc.t-systems.internal", id ? id : "",
                     emu_jstr(srv->seed, "region") ? emu_jstr(srv->seed, "region") : "");
            cJSON *names = cJSON_CreateArray();
            cJSON_AddItemToArray(names, cJSON_CreateString(name));
            set_item(ep, "dns_names", names);
        }
    }
}

static void advance(emu_server *srv, double now)
{
    char ts[32];
    emu_iso8601(now, ts);
    for (cJSON *s = srv->services->child; s;) {
        cJSON *next = s->next;
        const char *st = emu_jstr(s, "status");
        if (jnum(s, "_at", 0) <= now) {
            if (streq(st, "creating") && jtrue(s, "_fail")) {
                fail_object(s, "endpoint service", ts);
                srv->dirty = 1;
            } else if (streq(st, "creating")) {
                set_str(s, "status", "available");
                set_str(s, "updated_at", ts);
                srv->dirty = 1;
            } else if (streq(st, "deleting")) {
                cJSON_Delete(cJSON_DetachItemViaPointer(srv->services, s));
                srv->dirty = 1;
            }
        }
        s = next;
    }
    for (cJSON *e = srv->endpoints->child; e;) {
        cJSON *next = e->next;
        const char *st = emu_jstr(e, "status");
        if (jnum(e, "_at", 0) <= now) {
            if (streq(st, "creating") && jtrue(e, "_fail")) {
                fail_object(e, "endpoint", ts);
                srv->dirty = 1;
            } else if (streq(st, "creating")) {
                if (jtrue(e, "_needs_approval")) {
                    set_str(e, "status", "pendingAcceptance");
                    set_str(e, "updated_at", ts);
                } else {
                    accept_endpoint(srv, e, now);
                }
                srv->dirty = 1;
            } else if (streq(st, "deleting")) {
                cJSON_Delete(cJSON_DetachItemViaPointer(srv->endpoints, e));
                srv->dirty = 1;
            }
        }
        e = next;
    }
}

/* ---- validation -------------------------------------------------------------------------------
 */

static int charset_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (!isalnum(*p) && *p != '-' && *p != '_') {
            return 0;
        }
    }
    return 1;
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

static int bad(ctx *c, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(ctx *c, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    emu_set_error(c->resp, 400, code, "%s", msg);
    return EMU_EINVAL;
}

/* Optional string field: absent -> *out NULL; wrong type -> error. */
static int opt_string(ctx *c, const cJSON *body, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) {
        return EMU_OK;
    }
    if (!cJSON_IsString(v)) {
        return bad(c, "EndPoint.0002", "Parameter error: %s must be a string.", key);
    }
    *out = v->valuestring;
    return EMU_OK;
}

static int req_string(ctx *c, const cJSON *body, const char *key, const char **out)
{
    if (opt_string(c, body, key, out) != EMU_OK) {
        return EMU_EINVAL;
    }
    if (!*out || !**out) {
        return bad(c, "EndPoint.0002", "Parameter error: %s is required.", key);
    }
    return EMU_OK;
}

/* Optional bool: returns -1 absent, 0/1 value; -2 on error. */
static int opt_bool(ctx *c, const cJSON *body, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!v || cJSON_IsNull(v)) {
        return -1;
    }
    if (!cJSON_IsBool(v)) {
        bad(c, "EndPoint.0002", "Parameter error: %s must be a boolean.", key);
        return -2;
    }
    return cJSON_IsTrue(v) ? 1 : 0;
}

static int check_description(ctx *c, const char *d)
{
    if (d && (utf8_len(d) > 128 || strpbrk(d, "<>"))) {
        return bad(c, "EndPoint.0002",
                   "Parameter error: description must be at most 128 characters without < and "
                   ">.%s",
                   "");
    }
    return EMU_OK;
}

static int check_service_name(ctx *c, const char *n)
{
    if (n && (strlen(n) < 1 || strlen(n) > 16 || !charset_ok(n))) {
        return bad(c, "EndPoint.0002",
                   "Parameter error: service_name must match ^[A-Za-z0-9_-]{1,16}$ (got '%s').",
                   strlen(n) > 64 ? "..." : n);
    }
    return EMU_OK;
}

/* Validates a tag list (design.md section 4 "Tags"); returns a normalised copy or NULL. */
static cJSON *check_tags(ctx *c, const cJSON *tags, int allow_missing_value, int max)
{
    if (!cJSON_IsArray(tags)) {
        bad(c, "EndPoint.0002", "Parameter error: tags must be an array.%s", "");
        return NULL;
    }
    if (cJSON_GetArraySize(tags) > max) {
        bad(c, "EndPoint.0002", "Parameter error: at most 10 tags per resource.%s", "");
        return NULL;
    }
    cJSON *result = NULL;
    cJSON *out = cJSON_CreateArray();
    const cJSON *t = NULL;
    cJSON_ArrayForEach(t, tags)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "key");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "value");
        if (!cJSON_IsObject(t) || !cJSON_IsString(k)) {
            bad(c, "EndPoint.0002", "Parameter error: every tag needs a string key.%s", "");
            goto done;
        }
        size_t kl = utf8_len(k->valuestring);
        if (kl < 1 || kl > 36 || !charset_ok(k->valuestring)) {
            bad(c, "EndPoint.0002",
                "Parameter error: tag key must be 1-36 letters, digits, '-' or '_' (got '%s').",
                kl > 64 ? "..." : k->valuestring);
            goto done;
        }
        if (v && !cJSON_IsNull(v) && !cJSON_IsString(v)) {
            bad(c, "EndPoint.0002", "Parameter error: tag value must be a string.%s", "");
            goto done;
        }
        const char *val = cJSON_IsString(v) ? v->valuestring : NULL;
        if (val && (utf8_len(val) > 43 || !charset_ok(val))) {
            bad(c, "EndPoint.0002",
                "Parameter error: tag value must be 0-43 letters, digits, '-' or '_' (key '%s').",
                k->valuestring);
            goto done;
        }
        const cJSON *o = NULL;
        cJSON_ArrayForEach(o, out)
        {
            if (streq(emu_jstr(o, "key"), k->valuestring)) {
                bad(c, "EndPoint.3067", "Duplicate tag key '%s'.", k->valuestring);
                goto done;
            }
        }
        cJSON *n = cJSON_CreateObject();
        cJSON_AddStringToObject(n, "key", k->valuestring);
        if (val || !allow_missing_value) {
            cJSON_AddStringToObject(n, "value", val ? val : "");
        }
        cJSON_AddItemToArray(out, n);
    }
    result = out;
    out = NULL;
done:
    cJSON_Delete(out);
    return result;
}

static int port_value(const cJSON *p, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
    if (!emu_json_is_int(v) || v->valuedouble < 1 || v->valuedouble > 65535) {
        return EMU_EINVAL;
    }
    *out = (int)v->valuedouble;
    return EMU_OK;
}

static cJSON *check_ports(ctx *c, const cJSON *ports)
{
    if (!cJSON_IsArray(ports) || cJSON_GetArraySize(ports) < 1) {
        bad(c, "EndPoint.0002", "Parameter error: ports must be a non-empty array.%s", "");
        return NULL;
    }
    if (cJSON_GetArraySize(ports) > MAX_PORTS) {
        bad(c, "EndPoint.0002", "Parameter error: at most 200 port mappings are allowed.%s", "");
        return NULL;
    }
    cJSON *result = NULL;
    cJSON *out = cJSON_CreateArray();
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, ports)
    {
        int cp = 0;
        int sp = 0;
        if (!cJSON_IsObject(p) || port_value(p, "client_port", &cp) ||
            port_value(p, "server_port", &sp)) {
            bad(c, "EndPoint.0002",
                "Parameter error: client_port and server_port must be integers 1-65535.%s", "");
            goto done;
        }
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(p, "protocol");
        const char *proto = "TCP";
        if (pr && !cJSON_IsNull(pr)) {
            if (!cJSON_IsString(pr) ||
                (strcmp(pr->valuestring, "TCP") != 0 && strcmp(pr->valuestring, "UDP") != 0)) {
                bad(c, "EndPoint.0002", "Parameter error: protocol must be TCP.%s", "");
                goto done;
            }
            proto = pr->valuestring;
        }
        const cJSON *o = NULL;
        cJSON_ArrayForEach(o, out)
        {
            if ((int)jnum(o, "client_port", 0) == cp && streq(emu_jstr(o, "protocol"), proto)) {
                bad(c, "EndPoint.0002", "Parameter error: duplicate port mapping (client_port %d).",
                    cp);
                goto done;
            }
        }
        cJSON *n = cJSON_CreateObject();
        cJSON_AddNumberToObject(n, "client_port", cp);
        cJSON_AddNumberToObject(n, "server_port", sp);
        cJSON_AddStringToObject(n, "protocol", proto);
        cJSON_AddItemToArray(out, n);
    }
    result = out;
    out = NULL;
done:
    cJSON_Delete(out);
    return result;
}

static int has_id(const cJSON *vpc, const char *list, const char *id)
{
    const cJSON *e = NULL;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(vpc, list))
    {
        if (streq(emu_jstr(e, "id"), id)) {
            return 1;
        }
    }
    return 0;
}

/* services sharing a port_id must differ in server_port and/or protocol (EndPoint.3044) */
static int check_port_conflict(ctx *c, const char *skip_id, const char *port_id, const cJSON *ports)
{
    cJSON *s = NULL;
    cJSON_ArrayForEach(s, c->srv->services)
    {
        if (streq(emu_jstr(s, "id"), skip_id) || !streq(emu_jstr(s, "port_id"), port_id) ||
            streq(emu_jstr(s, "status"), "deleting")) {
            continue;
        }
        const cJSON *a = NULL;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(s, "ports"))
        {
            const cJSON *b = NULL;
            cJSON_ArrayForEach(b, ports)
            {
                if (jnum(a, "server_port", -1) == jnum(b, "server_port", -2) &&
                    streq(emu_jstr(a, "protocol"), emu_jstr(b, "protocol"))) {
                    return bad(c, "EndPoint.3044",
                               "The backend port is already used by endpoint service %s with "
                               "the same server_port and protocol.",
                               emu_jstr(s, "id"));
                }
            }
        }
    }
    return EMU_OK;
}

static const char *const TCP_PROXY[] = {"close", "toa_open",  "proxy_open",
                                        "open",  "proxy_vni", NULL};

static int in_list(const char *v, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        if (streq(v, list[i])) {
            return 1;
        }
    }
    return 0;
}

/* ---- body parsing -----------------------------------------------------------------------------
 */

static cJSON *parse_body(ctx *c)
{
    if (c->req->body_too_large) {
        bad(c, "EndPoint.0002", "Parameter error: request body too large.%s", "");
        return NULL;
    }
    if (!c->req->body || c->req->body_len == 0) {
        bad(c, "EndPoint.0002", "Parameter error: request body is empty.%s", "");
        return NULL;
    }
    cJSON *b = cJSON_ParseWithLength(c->req->body, c->req->body_len);
    if (!cJSON_IsObject(b)) {
        cJSON_Delete(b);
        bad(c, "EndPoint.0002", "Parameter error: request body is not a JSON object.%s", "");
        return NULL;
    }
    return b;
}

/* ---- list parameters, sorting, paging -------------------------------------------------------- */

typedef struct list_params {
    long long limit;
    long long offset;
    int by_updated;
    int asc;
} list_params;

static int parse_list_params(ctx *c, list_params *lp, long long max_limit)
{
    const char *v;
    lp->limit = 10;
    lp->offset = 0;
    lp->by_updated = 0;
    lp->asc = 0;
    if ((v = query(c, "limit")) && emu_parse_int(v, 0, max_limit, &lp->limit) != EMU_OK) {
        return bad(c, "EndPoint.0006", "Invalid limit '%s'.", strlen(v) > 32 ? "..." : v);
    }
    if ((v = query(c, "offset")) && emu_parse_int(v, 0, 1000000000LL, &lp->offset) != EMU_OK) {
        return bad(c, "EndPoint.0010", "Invalid offset '%s'.", strlen(v) > 32 ? "..." : v);
    }
    if ((v = query(c, "sort_key"))) {
        if (strcmp(v, "created_at") == 0) {
            lp->by_updated = 0;
        } else if (strcmp(v, "updated_at") == 0) {
            lp->by_updated = 1;
        } else {
            return bad(c, "EndPoint.0017", "Invalid sort_key '%s'.", strlen(v) > 32 ? "..." : v);
        }
    }
    if ((v = query(c, "sort_dir"))) {
        if (strcmp(v, "asc") == 0) {
            lp->asc = 1;
        } else if (strcmp(v, "desc") == 0) {
            lp->asc = 0;
        } else {
            return bad(c, "EndPoint.0018", "Invalid sort_dir '%s'.", strlen(v) > 32 ? "..." : v);
        }
    }
    return EMU_OK;
}

static int cmp_items(const void *a, const void *b, void *arg)
{
    const list_params *lp = arg;
    const cJSON *x = *(const cJSON *const *)a;
    const cJSON *y = *(const cJSON *const *)b;
    const char *key = lp->by_updated ? "updated_at" : "created_at";
    const char *xs = emu_jstr(x, key);
    const char *ys = emu_jstr(y, key);
    int r = strcmp(xs ? xs : "", ys ? ys : "");
    if (r == 0) {
        double dx = jnum(x, "_seq", 0);
        double dy = jnum(y, "_seq", 0);
        r = dx < dy ? -1 : dx > dy ? 1 : 0;
    }
    return lp->asc ? r : -r;
}

typedef cJSON *(*render_fn)(const emu_server *srv, const cJSON *item);

/* Sorts the selected items, applies offset/limit and builds {list_key: [...], total_count}. */
static void respond_page(ctx *c,
                         const cJSON **items,
                         size_t n,
                         const list_params *lp,
                         const char *list_key,
                         render_fn fn)
{
    qsort_r(items, n, sizeof(*items), cmp_items, (void *)lp);
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, list_key);
    for (size_t i = (size_t)lp->offset; i < n && i < (size_t)(lp->offset + lp->limit); i++) {
        cJSON_AddItemToArray(arr, fn(c->srv, items[i]));
    }
    cJSON_AddNumberToObject(out, "total_count", (double)n);
    c->resp->status = 200;
    c->resp->body = out;
}

static const cJSON **collect(cJSON *arr, size_t *n)
{
    size_t cap = (size_t)cJSON_GetArraySize(arr) + 1;
    const cJSON **items = calloc(cap, sizeof(*items));
    *n = 0;
    return items;
}

/* ---- endpoint services ------------------------------------------------------------------------
 */

static cJSON *render_service_list(const emu_server *srv, const cJSON *svc)
{
    return render_service(srv, svc, 1);
}

static void full_service_name(const ctx *c, const char *name, const char *id, char out[128])
{
    const char *region = emu_jstr(c->srv->seed, "region");
    if (name && *name) {
        snprintf(out, 128, "%s.%s.%s", region, name, id);
    } else {
        snprintf(out, 128, "%s.%s", region, id);
    }
}

static cJSON *own_service(ctx *c, const char *id)
{
    cJSON *s = find_by_id(c->srv->services, id);
    if (!s || !streq(emu_jstr(s, "project_id"), c->pid)) {
        emu_set_error(c->resp, 404, "EndPoint.0005", "The endpoint service %s does not exist.",
                      strlen(id) > 64 ? "..." : id);
        return NULL;
    }
    return s;
}

static void create_service(ctx *c)
{
    cJSON *body = parse_body(c);
    cJSON *ports = NULL;
    cJSON *tags = NULL;
    const char *port_id, *vpc_id, *server_type, *name, *desc, *stype, *tcp_proxy, *pool_id;
    if (!body || req_string(c, body, "port_id", &port_id) ||
        req_string(c, body, "vpc_id", &vpc_id) ||
        req_string(c, body, "server_type", &server_type) ||
        opt_string(c, body, "service_name", &name) || opt_string(c, body, "description", &desc) ||
        opt_string(c, body, "service_type", &stype) ||
        opt_string(c, body, "tcp_proxy", &tcp_proxy) || opt_string(c, body, "pool_id", &pool_id) ||
        check_service_name(c, name) || check_description(c, desc)) {
        goto done;
    }
    if (streq(server_type, "BMS")) {
        bad(c, "EndPoint.3021", "server_type BMS is deprecated and no longer supported.%s", "");
        goto done;
    }
    if (!streq(server_type, "VM") && !streq(server_type, "VIP") && !streq(server_type, "LB")) {
        bad(c, "EndPoint.3021", "Invalid server_type '%s' (VM, VIP or LB).",
            strlen(server_type) > 32 ? "..." : server_type);
        goto done;
    }
    if (stype && !streq(stype, "interface")) {
        bad(c, "EndPoint.0002",
            "Parameter error: service_type '%s' cannot be created by tenants (only interface).",
            strlen(stype) > 32 ? "..." : stype);
        goto done;
    }
    if (tcp_proxy && !in_list(tcp_proxy, TCP_PROXY)) {
        bad(c, "EndPoint.0002",
            "Parameter error: tcp_proxy must be close, toa_open, proxy_open or open (got '%s').",
            strlen(tcp_proxy) > 32 ? "..." : tcp_proxy);
        goto done;
    }
    int approval = opt_bool(c, body, "approval_enabled");
    if (approval == -2) {
        goto done;
    }
    if (!(ports = check_ports(c, cJSON_GetObjectItemCaseSensitive(body, "ports")))) {
        goto done;
    }
    const cJSON *tj = cJSON_GetObjectItemCaseSensitive(body, "tags");
    if (tj && !cJSON_IsNull(tj) && !(tags = check_tags(c, tj, 0, MAX_TAGS))) {
        goto done;
    }
    const cJSON *vpc = emu_seed_vpc(c->acct, vpc_id);
    if (!vpc) {
        bad(c, "EndPoint.0002", "Parameter error: the VPC %s does not exist in this project.",
            strlen(vpc_id) > 64 ? "..." : vpc_id);
        goto done;
    }
    if (!has_id(vpc, "ports", port_id)) {
        bad(c, "EndPoint.0002", "Parameter error: the port %s does not exist in the VPC.",
            strlen(port_id) > 64 ? "..." : port_id);
        goto done;
    }
    if (check_port_conflict(c, NULL, port_id, ports) != EMU_OK) {
        goto done;
    }
    if (count_in_project(c->srv->services, c->pid) >=
        quota_of(c->srv, "endpoint_service", DEFAULT_SERVICE_QUOTA)) {
        bad(c, "Endpoint.1018", "Quota exceeded: endpoint services per project.%s", "");
        goto done;
    }

    char id[37], pool[37], ts[32], full[128];
    emu_uuid(id);
    emu_uuid(pool);
    emu_iso8601(c->now, ts);
    full_service_name(c, name, id, full);
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "id", id);
    cJSON_AddStringToObject(s, "port_id", port_id);
    cJSON_AddStringToObject(s, "vpc_id", vpc_id);
    cJSON_AddStringToObject(s, "pool_id", pool_id ? pool_id : pool);
    cJSON_AddStringToObject(s, "status", "creating");
    cJSON_AddBoolToObject(s, "approval_enabled", approval != 0);
    cJSON_AddStringToObject(s, "service_name", full);
    cJSON_AddStringToObject(s, "service_type", "interface");
    cJSON_AddStringToObject(s, "server_type", server_type);
    cJSON_AddStringToObject(s, "project_id", c->pid);
    cJSON_AddStringToObject(s, "description", desc ? desc : "");
    cJSON_AddStringToObject(s, "tcp_proxy", tcp_proxy ? tcp_proxy : "close");
    cJSON_AddStringToObject(s, "created_at", ts);
    cJSON_AddStringToObject(s, "updated_at", ts);
    cJSON_AddItemToObject(s, "ports", ports);
    ports = NULL;
    cJSON_AddItemToObject(s, "tags", tags ? tags : cJSON_CreateArray());
    tags = NULL;
    cJSON_AddStringToObject(s, "_name", name ? name : "");
    cJSON_AddStringToObject(s, "_domain_id", emu_jstr(c->acct, "domain_id"));
    cJSON_AddNumberToObject(s, "_seq", c->srv->seq++);
    cJSON_AddNumberToObject(s, "_at", c->now + (double)c->srv->opt.delay_ms);
    cJSON_AddItemToObject(s, "_permissions", cJSON_CreateArray());
    cJSON_AddBoolToObject(s, "_fail", draw_failure(c->srv));
    cJSON_AddItemToArray(c->srv->services, s);
    c->srv->dirty = 1;
    c->resp->status = 200;
    c->resp->body = render_service(c->srv, s, 0);
done:
    cJSON_Delete(body);
    cJSON_Delete(ports);
    cJSON_Delete(tags);
}

static const char *const SERVICE_STATES[] = {"creating", "available", "failed", "deleting", NULL};

static void list_services(ctx *c)
{
    list_params lp;
    const char *name = query(c, "endpoint_service_name");
    const char *id = query(c, "id");
    const char *status = query(c, "status");
    if (parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    if (status && !in_list(status, SERVICE_STATES)) {
        bad(c, "EndPoint.0019", "Invalid status '%s'.", strlen(status) > 32 ? "..." : status);
        return;
    }
    size_t n = 0;
    const cJSON **items = collect(c->srv->services, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    cJSON *s = NULL;
    cJSON_ArrayForEach(s, c->srv->services)
    {
        if (!streq(emu_jstr(s, "project_id"), c->pid) ||
            (name && *name && !emu_strcasestr_contains(emu_jstr(s, "service_name"), name)) ||
            (id && *id && !streq(emu_jstr(s, "id"), id)) ||
            (status && !streq(emu_jstr(s, "status"), status))) {
            continue;
        }
        items[n++] = s;
    }
    respond_page(c, items, n, &lp, "endpoint_services", render_service_list);
    free(items);
}

static void get_service(ctx *c, const char *id)
{
    cJSON *s = own_service(c, id);
    if (s) {
        c->resp->status = 200;
        c->resp->body = render_service(c->srv, s, 0);
    }
}

static void update_service(ctx *c, const char *id)
{
    cJSON *body = NULL;
    cJSON *ports = NULL;
    cJSON *s = own_service(c, id);
    const char *name, *desc, *tcp_proxy, *port_id;
    if (!s || !(body = parse_body(c))) {
        goto done;
    }
    if (!streq(emu_jstr(s, "status"), "available")) {
        bad(c, "EndPoint.3045", "The endpoint service cannot be modified in status %s.",
            emu_jstr(s, "status"));
        goto done;
    }
    if (opt_string(c, body, "service_name", &name) || opt_string(c, body, "description", &desc) ||
        opt_string(c, body, "tcp_proxy", &tcp_proxy) || opt_string(c, body, "port_id", &port_id) ||
        check_description(c, desc)) {
        goto done;
    }
    if (name && *name && check_service_name(c, name)) {
        goto done;
    }
    if (tcp_proxy && !in_list(tcp_proxy, TCP_PROXY)) {
        bad(c, "EndPoint.0002", "Parameter error: invalid tcp_proxy '%s'.",
            strlen(tcp_proxy) > 32 ? "..." : tcp_proxy);
        goto done;
    }
    int approval = opt_bool(c, body, "approval_enabled");
    if (approval == -2) {
        goto done;
    }
    const cJSON *pj = cJSON_GetObjectItemCaseSensitive(body, "ports");
    if (pj && !cJSON_IsNull(pj) && !(ports = check_ports(c, pj))) {
        goto done;
    }
    if (port_id) {
        const cJSON *vpc = emu_seed_vpc(c->acct, emu_jstr(s, "vpc_id"));
        if (!has_id(vpc, "ports", port_id)) {
            bad(c, "EndPoint.0002", "Parameter error: the port %s does not exist in the VPC.",
                strlen(port_id) > 64 ? "..." : port_id);
            goto done;
        }
    }
    if (check_port_conflict(c, id, port_id ? port_id : emu_jstr(s, "port_id"),
                            ports ? ports : cJSON_GetObjectItemCaseSensitive(s, "ports")) !=
        EMU_OK) {
        goto done;
    }
    char ts[32], full[128];
    emu_iso8601(c->now, ts);
    if (name) {
        set_str(s, "_name", name);
        full_service_name(c, name, id, full);
        set_str(s, "service_name", full);
    }
    if (desc) {
        set_str(s, "description", desc);
    }
    if (tcp_proxy) {
        set_str(s, "tcp_proxy", tcp_proxy);
    }
    if (port_id) {
        set_str(s, "port_id", port_id);
    }
    if (approval >= 0) {
        set_bool(s, "approval_enabled", approval);
    }
    if (ports) {
        set_item(s, "ports", ports);
        ports = NULL;
    }
    set_str(s, "updated_at", ts);
    c->srv->dirty = 1;
    c->resp->status = 200;
    c->resp->body = render_service(c->srv, s, 0);
done:
    cJSON_Delete(body);
    cJSON_Delete(ports);
}

static void delete_service(ctx *c, const char *id)
{
    cJSON *s = own_service(c, id);
    if (!s) {
        return;
    }
    if (!streq(emu_jstr(s, "status"), "deleting")) {
        if (connection_count(c->srv, id) > 0) {
            bad(c, "EndPoint.3006",
                "The endpoint service %s is being used: it has endpoints in accepted or creating "
                "status.",
                id);
            return;
        }
        char ts[32];
        emu_iso8601(c->now, ts);
        set_str(s, "status", "deleting");
        set_str(s, "updated_at", ts);
        set_num(s, "_at", c->now + (double)c->srv->opt.delay_ms);
        c->srv->dirty = 1;
    }
    c->resp->status = 204;
}

static cJSON *render_public(const emu_server *srv, const cJSON *p)
{
    (void)srv;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", emu_jstr(p, "id"));
    cJSON_AddStringToObject(o, "owner", emu_jstr(p, "owner") ? emu_jstr(p, "owner") : "OTC");
    cJSON_AddStringToObject(o, "service_name", emu_jstr(p, "service_name"));
    cJSON_AddStringToObject(o, "service_type", emu_jstr(p, "service_type"));
    cJSON_AddStringToObject(o, "created_at",
                            emu_jstr(p, "created_at") ? emu_jstr(p, "created_at")
                                                      : "2019-03-28T09:30:27Z");
    cJSON_AddBoolToObject(o, "is_charge", jtrue(p, "is_charge"));
    return o;
}

static void list_public(ctx *c)
{
    list_params lp;
    if (parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    const char *name = query(c, "endpoint_service_name");
    const char *id = query(c, "id");
    cJSON *pubs = cJSON_GetObjectItemCaseSensitive(c->srv->seed, "public_services");
    size_t n = 0;
    const cJSON **items = collect(pubs, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, pubs)
    {
        if ((name && *name && !emu_strcasestr_contains(emu_jstr(p, "service_name"), name)) ||
            (id && *id && !streq(emu_jstr(p, "id"), id))) {
            continue;
        }
        items[n++] = p;
    }
    respond_page(c, items, n, &lp, "endpoint_services", render_public);
    free(items);
}

static void describe_service(ctx *c)
{
    const char *id = query(c, "id");
    const char *name = query(c, "endpoint_service_name");
    if ((!id || !*id) == (!name || !*name)) {
        bad(c, "EndPoint.0002",
            "Parameter error: exactly one of id and endpoint_service_name is required.%s", "");
        return;
    }
    const cJSON *p = find_public(c->srv, id, name);
    cJSON *o = cJSON_CreateObject();
    if (p) {
        cJSON_AddStringToObject(o, "id", emu_jstr(p, "id"));
        cJSON_AddStringToObject(o, "service_name", emu_jstr(p, "service_name"));
        cJSON_AddStringToObject(o, "service_type", emu_jstr(p, "service_type"));
        cJSON_AddStringToObject(o, "server_type",
                                emu_jstr(p, "server_type") ? emu_jstr(p, "server_type") : "VM");
        cJSON_AddStringToObject(o, "created_at",
                                emu_jstr(p, "created_at") ? emu_jstr(p, "created_at")
                                                          : "2019-03-28T09:30:27Z");
        cJSON_AddBoolToObject(o, "is_charge", jtrue(p, "is_charge"));
    } else {
        cJSON *s = NULL;
        cJSON_ArrayForEach(s, c->srv->services)
        {
            if ((id && streq(emu_jstr(s, "id"), id)) ||
                (name && streq(emu_jstr(s, "service_name"), name))) {
                break;
            }
        }
        if (!s || streq(emu_jstr(s, "status"), "deleting")) {
            cJSON_Delete(o);
            emu_set_error(c->resp, 404, "EndPoint.0005", "The endpoint service does not exist.");
            return;
        }
        cJSON_AddStringToObject(o, "id", emu_jstr(s, "id"));
        cJSON_AddStringToObject(o, "service_name", emu_jstr(s, "service_name"));
        cJSON_AddStringToObject(o, "service_type", emu_jstr(s, "service_type"));
        cJSON_AddStringToObject(o, "server_type", emu_jstr(s, "server_type"));
        cJSON_AddStringToObject(o, "created_at", emu_jstr(s, "created_at"));
        cJSON_AddBoolToObject(o, "is_charge", 0);
    }
    c->resp->status = 200;
    c->resp->body = o;
}

/* ---- connections ------------------------------------------------------------------------------
 */

static cJSON *render_connection(const emu_server *srv, const cJSON *e)
{
    (void)srv;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", emu_jstr(e, "id"));
    cJSON_AddStringToObject(o, "status", emu_jstr(e, "status"));
    cJSON_AddNumberToObject(o, "marker_id", jnum(e, "marker_id", 0));
    cJSON_AddStringToObject(o, "domain_id", emu_jstr(e, "_domain_id"));
    cJSON_AddStringToObject(o, "created_at", emu_jstr(e, "created_at"));
    cJSON_AddStringToObject(o, "updated_at", emu_jstr(e, "updated_at"));
    cJSON_AddStringToObject(o, "description", emu_jstr(e, "description"));
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(e, "error");
    if (err) {
        cJSON_AddItemToObject(o, "error", cJSON_Duplicate(err, 1));
    }
    return o;
}

static const char *const ENDPOINT_STATES[] = {
    "pendingAcceptance", "creating", "accepted", "rejected", "failed", "deleting", NULL};

static void list_connections(ctx *c, const char *svc_id)
{
    list_params lp;
    if (!own_service(c, svc_id) || parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    const char *id = query(c, "id");
    const char *marker = query(c, "marker_id");
    const char *status = query(c, "status");
    long long mk = 0;
    if (marker && emu_parse_int(marker, 0, 9007199254740991LL, &mk) != EMU_OK) {
        bad(c, "EndPoint.0002", "Parameter error: invalid marker_id.%s", "");
        return;
    }
    if (status && !in_list(status, ENDPOINT_STATES)) {
        bad(c, "EndPoint.0019", "Invalid status '%s'.", strlen(status) > 32 ? "..." : status);
        return;
    }
    size_t n = 0;
    const cJSON **items = collect(c->srv->endpoints, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, c->srv->endpoints)
    {
        if (!streq(emu_jstr(e, "endpoint_service_id"), svc_id) ||
            (id && *id && !streq(emu_jstr(e, "id"), id)) ||
            (marker && jnum(e, "marker_id", -1) != (double)mk) ||
            (status && !streq(emu_jstr(e, "status"), status))) {
            continue;
        }
        items[n++] = e;
    }
    respond_page(c, items, n, &lp, "connections", render_connection);
    free(items);
}

static void connection_action(ctx *c, const char *svc_id)
{
    cJSON *body = NULL;
    if (!own_service(c, svc_id) || !(body = parse_body(c))) {
        goto done;
    }
    const char *action;
    if (req_string(c, body, "action", &action)) {
        goto done;
    }
    if (!streq(action, "receive") && !streq(action, "reject")) {
        bad(c, "EndPoint.2027", "Invalid action '%s' (receive or reject).",
            strlen(action) > 32 ? "..." : action);
        goto done;
    }
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(body, "endpoints");
    if (!cJSON_IsArray(eps) || cJSON_GetArraySize(eps) < 1) {
        bad(c, "EndPoint.0002", "Parameter error: endpoints must be a non-empty array.%s", "");
        goto done;
    }
    if (cJSON_GetArraySize(eps) != 1) {
        bad(c, "EndPoint.2031", "Only one endpoint can be accepted or rejected per request.%s", "");
        goto done;
    }
    const cJSON *eid = cJSON_GetArrayItem(eps, 0);
    if (!cJSON_IsString(eid)) {
        bad(c, "EndPoint.0002", "Parameter error: endpoint IDs must be strings.%s", "");
        goto done;
    }
    cJSON *e = find_by_id(c->srv->endpoints, eid->valuestring);
    if (!e || !streq(emu_jstr(e, "endpoint_service_id"), svc_id)) {
        bad(c, "EndPoint.2013", "The endpoint does not belong to the endpoint service.%s", "");
        goto done;
    }
    const char *st = emu_jstr(e, "status");
    if (streq(st, "creating")) {
        bad(c, "EndPoint.2019", "The endpoint %s is being created.", emu_jstr(e, "id"));
        goto done;
    }
    if (streq(st, "deleting")) {
        bad(c, "EndPoint.2018", "The endpoint %s is being deleted.", emu_jstr(e, "id"));
        goto done;
    }
    if (streq(st, "failed")) {
        bad(c, "EndPoint.3045", "The endpoint %s is in failed status.", emu_jstr(e, "id"));
        goto done;
    }
    if (streq(action, "receive")) {
        if (!streq(st, "accepted")) {
            accept_endpoint(c->srv, e, c->now);
        }
    } else if (!streq(st, "rejected")) {
        char ts[32];
        emu_iso8601(c->now, ts);
        set_str(e, "status", "rejected");
        set_str(e, "updated_at", ts);
    }
    c->srv->dirty = 1;
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, "connections");
    cJSON_AddItemToArray(arr, render_connection(c->srv, e));
    c->resp->status = 200;
    c->resp->body = out;
done:
    cJSON_Delete(body);
}

/* ---- permissions (whitelist) ------------------------------------------------------------------
 */

static cJSON *render_permission(const emu_server *srv, const cJSON *p)
{
    (void)srv;
    return render(p);
}

static void list_permissions(ctx *c, const char *svc_id)
{
    list_params lp;
    cJSON *s = own_service(c, svc_id);
    if (!s || parse_list_params(c, &lp, 500) != EMU_OK) {
        return;
    }
    const char *filter = query(c, "permission");
    if (query(c, "sort_key") && lp.by_updated) {
        bad(c, "EndPoint.0017", "Invalid sort_key '%s'.", "updated_at");
        return;
    }
    cJSON *perms = cJSON_GetObjectItemCaseSensitive(s, "_permissions");
    size_t n = 0;
    const cJSON **items = collect(perms, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, perms)
    {
        if (filter && *filter && !emu_strcasestr_contains(emu_jstr(p, "permission"), filter)) {
            continue;
        }
        items[n++] = p;
    }
    respond_page(c, items, n, &lp, "permissions", render_permission);
    free(items);
}

static int valid_permission(const char *p)
{
    static const char prefix[] = "iam:domain::";
    if (streq(p, "*")) {
        return 1;
    }
    if (strncmp(p, prefix, sizeof(prefix) - 1) != 0) {
        return 0;
    }
    const char *id = p + sizeof(prefix) - 1;
    size_t n = strlen(id);
    if (n < 1 || n > 64) {
        return 0;
    }
    for (const char *q = id; *q; q++) {
        if (!isalnum((unsigned char)*q) && *q != '*') {
            return 0;
        }
    }
    return 1;
}

static void permission_action(ctx *c, const char *svc_id)
{
    cJSON *body = NULL;
    cJSON *s = own_service(c, svc_id);
    if (!s || !(body = parse_body(c))) {
        goto done;
    }
    const char *action;
    if (req_string(c, body, "action", &action)) {
        goto done;
    }
    if (!streq(action, "add") && !streq(action, "remove")) {
        bad(c, "EndPoint.0002", "Parameter error: action must be add or remove (got '%s').",
            strlen(action) > 32 ? "..." : action);
        goto done;
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "permissions");
    if (!cJSON_IsArray(list)) {
        bad(c, "EndPoint.0002", "Parameter error: permissions must be an array.%s", "");
        goto done;
    }
    if (cJSON_GetArraySize(list) == 0) {
        bad(c, "EndPoint.3036", "The permission list is empty.%s", "");
        goto done;
    }
    if (cJSON_GetArraySize(list) > MAX_PERMISSIONS) {
        bad(c, "EndPoint.3049", "Too many permissions in one request.%s", "");
        goto done;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, list)
    {
        if (!cJSON_IsString(p) || !valid_permission(p->valuestring)) {
            bad(c, "EndPoint.0002",
                "Parameter error: permission '%s' must be iam:domain::<domain_id> or *.",
                cJSON_IsString(p) && strlen(p->valuestring) <= 80 ? p->valuestring : "...");
            goto done;
        }
    }
    cJSON *perms = cJSON_GetObjectItemCaseSensitive(s, "_permissions");
    int adding = streq(action, "add");
    int existing = cJSON_GetArraySize(perms);
    cJSON_ArrayForEach(p, list)
    {
        cJSON *found = NULL;
        cJSON *q = NULL;
        cJSON_ArrayForEach(q, perms)
        {
            if (streq(emu_jstr(q, "permission"), p->valuestring)) {
                found = q;
                break;
            }
        }
        if (adding && !found) {
            if (existing >= MAX_PERMISSIONS) {
                bad(c, "EndPoint.3049", "The whitelist of the service is full.%s", "");
                break;
            }
            char id[37], ts[32];
            emu_uuid(id);
            emu_iso8601(c->now, ts);
            cJSON *n = cJSON_CreateObject();
            cJSON_AddStringToObject(n, "id", id);
            cJSON_AddStringToObject(n, "permission", p->valuestring);
            cJSON_AddStringToObject(n, "permission_type", "domainId");
            cJSON_AddStringToObject(n, "description", "");
            cJSON_AddStringToObject(n, "created_at", ts);
            cJSON_AddNumberToObject(n, "_seq", c->srv->seq++);
            cJSON_AddItemToArray(perms, n);
            existing++;
        } else if (!adding && found) {
            cJSON_Delete(cJSON_DetachItemViaPointer(perms, found));
            existing--;
        }
    }
    c->srv->dirty = 1;
    if (c->resp->body) {
        goto done; /* partial add hit the limit: error already set */
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, "permissions");
    cJSON_ArrayForEach(p, perms)
    {
        cJSON_AddItemToArray(arr, cJSON_CreateString(emu_jstr(p, "permission")));
    }
    c->resp->status = 200;
    c->resp->body = out;
done:
    cJSON_Delete(body);
}

/* ---- endpoints --------------------------------------------------------------------------------
 */

static int whitelisted(const cJSON *svc, const char *domain_id)
{
    if (streq(emu_jstr(svc, "_domain_id"), domain_id)) {
        return 1;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(svc, "_permissions"))
    {
        const char *perm = emu_jstr(p, "permission");
        if (streq(perm, "*") || (perm && strncmp(perm, "iam:domain::", 12) == 0 &&
                                 (streq(perm + 12, domain_id) || streq(perm + 12, "*")))) {
            return 1;
        }
    }
    return 0;
}

static int parse_cidr(const char *cidr, uint32_t *net, int *bits)
{
    char buf[64];
    const char *slash = cidr ? strchr(cidr, '/') : NULL;
    if (!slash || (size_t)(slash - cidr) >= sizeof(buf)) {
        return EMU_EINVAL;
    }
    memcpy(buf, cidr, (size_t)(slash - cidr));
    buf[slash - cidr] = '\0';
    struct in_addr a;
    long long b = 0;
    if (inet_pton(AF_INET, buf, &a) != 1 || emu_parse_int(slash + 1, 8, 30, &b) != EMU_OK) {
        return EMU_EINVAL;
    }
    *bits = (int)b;
    *net = ntohl(a.s_addr) & (0xFFFFFFFFu << (32 - b));
    return EMU_OK;
}

static int ip_in_use(const emu_server *srv, const char *subnet_id, const char *ip)
{
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, srv->endpoints)
    {
        if (streq(emu_jstr(e, "subnet_id"), subnet_id) && streq(emu_jstr(e, "_ip"), ip)) {
            return 1;
        }
    }
    return 0;
}

/* Picks (or checks) the endpoint's private IP inside the subnet. */
static int
assign_ip(ctx *c, const cJSON *vpc, const char *subnet_id, const char *wanted, char out[16])
{
    const cJSON *sn = NULL;
    cJSON_ArrayForEach(sn, cJSON_GetObjectItemCaseSensitive(vpc, "subnets"))
    {
        if (streq(emu_jstr(sn, "id"), subnet_id)) {
            break;
        }
    }
    uint32_t net = 0;
    int bits = 24;
    if (parse_cidr(sn ? emu_jstr(sn, "cidr") : NULL, &net, &bits) != EMU_OK) {
        net = 0xC0A80000u; /* 192.168.0.0/24 when the seed gives no usable CIDR */
        bits = 24;
    }
    uint32_t size = 1u << (32 - bits);
    struct in_addr a;
    if (wanted) {
        if (inet_pton(AF_INET, wanted, &a) != 1) {
            return bad(c, "EndPoint.2041", "Invalid port_ip '%s'.",
                       strlen(wanted) > 32 ? "..." : wanted);
        }
        uint32_t ip = ntohl(a.s_addr);
        if ((ip & (0xFFFFFFFFu << (32 - bits))) != net || ip - net < 2 || ip - net >= size - 1) {
            return bad(c, "EndPoint.2042", "The port_ip %s is not a usable address of the subnet.",
                       wanted);
        }
        if (ip_in_use(c->srv, subnet_id, wanted)) {
            return bad(c, "EndPoint.2043", "The port_ip %s is already in use.", wanted);
        }
        snprintf(out, 16, "%s", wanted);
        return EMU_OK;
    }
    for (uint32_t off = 100; off < size - 1; off++) {
        a.s_addr = htonl(net + off);
        if (!inet_ntop(AF_INET, &a, out, 16)) {
            break;
        }
        if (!ip_in_use(c->srv, subnet_id, out)) {
            return EMU_OK;
        }
    }
    return bad(c, "EndPoint.2042", "No free IP address left in subnet %s.", subnet_id);
}

static int check_ip_whitelist(ctx *c, const cJSON *wl)
{
    if (!cJSON_IsArray(wl) || cJSON_GetArraySize(wl) > MAX_WHITELIST) {
        return bad(c, "EndPoint.0002",
                   "Parameter error: whitelist must be an array of at most 20 IPv4 addresses or "
                   "CIDRs.%s",
                   "");
    }
    const cJSON *w = NULL;
    cJSON_ArrayForEach(w, wl)
    {
        uint32_t net;
        int bits;
        struct in_addr a;
        if (!cJSON_IsString(w) || (inet_pton(AF_INET, w->valuestring, &a) != 1 &&
                                   parse_cidr(w->valuestring, &net, &bits) != EMU_OK)) {
            return bad(c, "EndPoint.0002", "Parameter error: invalid whitelist entry.%s", "");
        }
    }
    return EMU_OK;
}

static void create_endpoint(ctx *c)
{
    cJSON *body = parse_body(c);
    cJSON *tags = NULL;
    const char *svc_id, *vpc_id, *subnet_id, *port_ip, *desc, *spec;
    if (!body || req_string(c, body, "endpoint_service_id", &svc_id) ||
        req_string(c, body, "vpc_id", &vpc_id) || opt_string(c, body, "subnet_id", &subnet_id) ||
        opt_string(c, body, "port_ip", &port_ip) || opt_string(c, body, "description", &desc) ||
        opt_string(c, body, "specification_name", &spec) || check_description(c, desc)) {
        goto done;
    }
    int enable_dns = opt_bool(c, body, "enable_dns");
    int enable_wl = opt_bool(c, body, "enable_whitelist");
    if (enable_dns == -2 || enable_wl == -2) {
        goto done;
    }
    const cJSON *tj = cJSON_GetObjectItemCaseSensitive(body, "tags");
    if (tj && !cJSON_IsNull(tj) && !(tags = check_tags(c, tj, 0, MAX_TAGS))) {
        goto done;
    }
    const cJSON *pub = find_public(c->srv, svc_id, NULL);
    cJSON *svc = pub ? NULL : find_by_id(c->srv->services, svc_id);
    if (!pub && (!svc || streq(emu_jstr(svc, "status"), "deleting"))) {
        bad(c, "EndPoint.2003", "The endpoint service %s does not exist.",
            strlen(svc_id) > 64 ? "..." : svc_id);
        goto done;
    }
    if (svc && !streq(emu_jstr(svc, "status"), "available")) {
        bad(c, "EndPoint.2019", "The endpoint service %s is not available yet (status %s).", svc_id,
            emu_jstr(svc, "status"));
        goto done;
    }
    const char *domain = emu_jstr(c->acct, "domain_id");
    if (svc && !whitelisted(svc, domain)) {
        bad(c, "EndPoint.2012",
            "The account is not in the whitelist of endpoint service %s: the service owner must "
            "add iam:domain::<your domain id> to its permissions.",
            svc_id);
        goto done;
    }
    const char *stype = emu_jstr(pub ? pub : svc, "service_type");
    int iface = streq(stype, "interface");
    const cJSON *vpc = emu_seed_vpc(c->acct, vpc_id);
    if (!vpc) {
        bad(c, "EndPoint.0002", "Parameter error: the VPC %s does not exist in this project.",
            strlen(vpc_id) > 64 ? "..." : vpc_id);
        goto done;
    }
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(body, "routetables");
    const cJSON *wl = cJSON_GetObjectItemCaseSensitive(body, "whitelist");
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(body, "policy_statement");
    char ip[16] = "";
    if (iface) {
        if (!subnet_id || !*subnet_id) {
            bad(c, "EndPoint.0002",
                "Parameter error: subnet_id is required for an interface endpoint.%s", "");
            goto done;
        }
        if (!has_id(vpc, "subnets", subnet_id)) {
            bad(c, "EndPoint.0002", "Parameter error: the subnet %s does not exist in the VPC.",
                strlen(subnet_id) > 64 ? "..." : subnet_id);
            goto done;
        }
        if (rt && !cJSON_IsNull(rt)) {
            bad(c, "EndPoint.0002",
                "Parameter error: routetables is only allowed for gateway endpoints.%s", "");
            goto done;
        }
        if (ps && !cJSON_IsNull(ps)) {
            bad(c, "EndPoint.0002",
                "Parameter error: policy_statement is only allowed for gateway endpoints.%s", "");
            goto done;
        }
        if (wl && !cJSON_IsNull(wl) && check_ip_whitelist(c, wl) != EMU_OK) {
            goto done;
        }
    } else {
        if (enable_dns == 1) {
            bad(c, "EndPoint.0002",
                "Parameter error: enable_dns is only allowed for interface endpoints.%s", "");
            goto done;
        }
        if (port_ip) {
            bad(c, "EndPoint.0002",
                "Parameter error: port_ip is only allowed for interface endpoints.%s", "");
            goto done;
        }
        if ((wl && !cJSON_IsNull(wl)) || enable_wl == 1) {
            bad(c, "EndPoint.0002",
                "Parameter error: whitelist is only allowed for interface endpoints.%s", "");
            goto done;
        }
        if (rt && !cJSON_IsNull(rt)) {
            const cJSON *r = NULL;
            if (!cJSON_IsArray(rt)) {
                bad(c, "EndPoint.0002", "Parameter error: routetables must be an array.%s", "");
                goto done;
            }
            cJSON_ArrayForEach(r, rt)
            {
                if (!cJSON_IsString(r) || !has_id(vpc, "route_tables", r->valuestring)) {
                    bad(c, "EndPoint.0002",
                        "Parameter error: route table %s does not exist in the VPC.",
                        cJSON_IsString(r) && strlen(r->valuestring) <= 64 ? r->valuestring : "...");
                    goto done;
                }
            }
        }
        if (ps && !cJSON_IsNull(ps) && (!cJSON_IsArray(ps) || cJSON_GetArraySize(ps) > 10)) {
            bad(c, "EndPoint.0002",
                "Parameter error: policy_statement must be an array of at most 10 statements.%s",
                "");
            goto done;
        }
    }
    if (count_in_project(c->srv->endpoints, c->pid) >=
        quota_of(c->srv, "endpoint", DEFAULT_ENDPOINT_QUOTA)) {
        bad(c, "Endpoint.1018", "Quota exceeded: endpoints per project.%s", "");
        goto done;
    }
    if (iface && assign_ip(c, vpc, subnet_id, port_ip, ip) != EMU_OK) {
        goto done;
    }

    char id[37], pool[37], ts[32];
    emu_uuid(id);
    emu_uuid(pool);
    emu_iso8601(c->now, ts);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "id", id);
    cJSON_AddStringToObject(e, "status", "creating");
    cJSON_AddItemToObject(e, "tags", tags ? tags : cJSON_CreateArray());
    tags = NULL;
    cJSON_AddNumberToObject(e, "marker_id", c->srv->next_marker++);
    cJSON *as = cJSON_AddArrayToObject(e, "active_status");
    cJSON_AddItemToArray(as, cJSON_CreateString("active"));
    cJSON_AddStringToObject(e, "vpc_id", vpc_id);
    cJSON_AddStringToObject(e, "service_type", stype);
    cJSON_AddStringToObject(e, "project_id", c->pid);
    if (iface) {
        cJSON_AddStringToObject(e, "subnet_id", subnet_id);
        cJSON_AddBoolToObject(e, "enable_dns", enable_dns == 1);
        cJSON_AddItemToObject(
            e, "whitelist", wl && !cJSON_IsNull(wl) ? cJSON_Duplicate(wl, 1) : cJSON_CreateArray());
        cJSON_AddBoolToObject(e, "enable_whitelist", enable_wl == 1);
        cJSON_AddStringToObject(e, "_ip", ip);
    } else {
        cJSON *rts = NULL;
        if (rt && !cJSON_IsNull(rt)) {
            rts = cJSON_Duplicate(rt, 1);
        } else {
            rts = cJSON_CreateArray();
            const cJSON *first =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vpc, "route_tables"), 0);
            if (first) {
                cJSON_AddItemToArray(rts, cJSON_CreateString(emu_jstr(first, "id")));
            }
        }
        cJSON_AddItemToObject(e, "routetables", rts);
        if (ps && !cJSON_IsNull(ps)) {
            cJSON_AddItemToObject(e, "policy_statement", cJSON_Duplicate(ps, 1));
        } else {
            cJSON *def = cJSON_Parse("[{\"Action\":[\"obs:*:*\"],\"Resource\":[\"obs:*:*:*:*/*\","
                                     "\"obs:*:*:*:*\"],\"Effect\":\"Allow\"}]");
            cJSON_AddItemToObject(e, "policy_statement", def);
        }
    }
    cJSON_AddStringToObject(e, "created_at", ts);
    cJSON_AddStringToObject(e, "updated_at", ts);
    cJSON_AddStringToObject(e, "endpoint_service_id", svc_id);
    cJSON_AddStringToObject(e, "endpoint_service_name", emu_jstr(pub ? pub : svc, "service_name"));
    cJSON_AddStringToObject(e, "specification_name", spec ? spec : "default");
    cJSON_AddStringToObject(e, "enable_status", "enable");
    cJSON_AddStringToObject(e, "description", desc ? desc : "");
    cJSON_AddStringToObject(e, "endpoint_pool_id", pool);
    cJSON_AddStringToObject(e, "_domain_id", domain);
    cJSON_AddNumberToObject(e, "_seq", c->srv->seq++);
    cJSON_AddNumberToObject(e, "_at", c->now + (double)c->srv->opt.delay_ms);
    cJSON_AddBoolToObject(e, "_needs_approval", svc ? jtrue(svc, "approval_enabled") : 0);
    cJSON_AddBoolToObject(e, "_fail", draw_failure(c->srv));
    cJSON_AddItemToArray(c->srv->endpoints, e);
    c->srv->dirty = 1;
    c->resp->status = 200;
    c->resp->body = render(e);
done:
    cJSON_Delete(body);
    cJSON_Delete(tags);
}

static cJSON *render_endpoint(const emu_server *srv, const cJSON *e)
{
    (void)srv;
    return render(e);
}

static cJSON *own_endpoint(ctx *c, const char *id)
{
    cJSON *e = find_by_id(c->srv->endpoints, id);
    if (!e || !streq(emu_jstr(e, "project_id"), c->pid)) {
        emu_set_error(c->resp, 404, "EndPoint.0005", "The endpoint %s does not exist.",
                      strlen(id) > 64 ? "..." : id);
        return NULL;
    }
    return e;
}

static void list_endpoints(ctx *c)
{
    list_params lp;
    if (parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    const char *name = query(c, "endpoint_service_name");
    const char *vpc = query(c, "vpc_id");
    const char *id = query(c, "id");
    size_t n = 0;
    const cJSON **items = collect(c->srv->endpoints, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, c->srv->endpoints)
    {
        if (!streq(emu_jstr(e, "project_id"), c->pid) ||
            (name && *name &&
             !emu_strcasestr_contains(emu_jstr(e, "endpoint_service_name"), name)) ||
            (vpc && *vpc && !streq(emu_jstr(e, "vpc_id"), vpc)) ||
            (id && *id && !streq(emu_jstr(e, "id"), id))) {
            continue;
        }
        items[n++] = e;
    }
    respond_page(c, items, n, &lp, "endpoints", render_endpoint);
    free(items);
}

static void delete_endpoint(ctx *c, const char *id)
{
    cJSON *e = own_endpoint(c, id);
    if (!e) {
        return;
    }
    if (!streq(emu_jstr(e, "status"), "deleting")) {
        char ts[32];
        emu_iso8601(c->now, ts);
        set_str(e, "status", "deleting");
        set_str(e, "updated_at", ts);
        set_num(e, "_at", c->now + (double)c->srv->opt.delay_ms);
        c->srv->dirty = 1;
    }
    c->resp->status = 204;
}

/* ---- quotas, tags, versions -------------------------------------------------------------------
 */

static void get_quotas(ctx *c)
{
    const char *type = query(c, "type");
    if (type && !streq(type, "endpoint_service") && !streq(type, "endpoint")) {
        bad(c, "EndPoint.0002", "Parameter error: type must be endpoint_service or endpoint.%s",
            "");
        return;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *res = cJSON_AddArrayToObject(cJSON_AddObjectToObject(out, "quotas"), "resources");
    if (!type || streq(type, "endpoint_service")) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "type", "endpoint_service");
        cJSON_AddNumberToObject(q, "used", count_in_project(c->srv->services, c->pid));
        cJSON_AddNumberToObject(q, "quota",
                                quota_of(c->srv, "endpoint_service", DEFAULT_SERVICE_QUOTA));
        cJSON_AddItemToArray(res, q);
    }
    if (!type || streq(type, "endpoint")) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "type", "endpoint");
        cJSON_AddNumberToObject(q, "used", count_in_project(c->srv->endpoints, c->pid));
        cJSON_AddNumberToObject(q, "quota", quota_of(c->srv, "endpoint", DEFAULT_ENDPOINT_QUOTA));
        cJSON_AddItemToArray(res, q);
    }
    c->resp->status = 200;
    c->resp->body = out;
}

static cJSON *tag_target(ctx *c, const char *rtype, const char *id)
{
    cJSON *o = streq(rtype, "endpoint_service") ? own_service(c, id) : own_endpoint(c, id);
    if (o && streq(emu_jstr(o, "status"), "deleting")) {
        emu_set_error(c->resp, 404, "EndPoint.0005", "The resource %s is being deleted.", id);
        return NULL;
    }
    return o;
}

static void tags_action(ctx *c, const char *rtype, const char *id)
{
    cJSON *body = NULL;
    cJSON *tags = NULL;
    cJSON *o = tag_target(c, rtype, id);
    if (!o || !(body = parse_body(c))) {
        goto done;
    }
    const char *action;
    if (req_string(c, body, "action", &action)) {
        goto done;
    }
    int create = streq(action, "create");
    if (!create && !streq(action, "delete")) {
        bad(c, "EndPoint.0002", "Parameter error: action must be create or delete (got '%s').",
            strlen(action) > 32 ? "..." : action);
        goto done;
    }
    tags = check_tags(c, cJSON_GetObjectItemCaseSensitive(body, "tags"), !create, 1000);
    if (!tags) {
        goto done;
    }
    if (cJSON_GetArraySize(tags) == 0) {
        bad(c, "EndPoint.0002", "Parameter error: tags must not be empty.%s", "");
        goto done;
    }
    cJSON *cur = cJSON_GetObjectItemCaseSensitive(o, "tags");
    if (!cJSON_IsArray(cur)) {
        cur = cJSON_CreateArray();
        set_item(o, "tags", cur);
    }
    cJSON *t = NULL;
    if (create) {
        int total = cJSON_GetArraySize(cur);
        cJSON_ArrayForEach(t, tags)
        {
            cJSON *q = NULL;
            int found = 0;
            cJSON_ArrayForEach(q, cur)
            {
                found |= streq(emu_jstr(q, "key"), emu_jstr(t, "key"));
            }
            total += !found;
        }
        if (total > MAX_TAGS) {
            bad(c, "EndPoint.0002", "Parameter error: at most 10 tags per resource.%s", "");
            goto done;
        }
        cJSON_ArrayForEach(t, tags)
        {
            cJSON *q = NULL;
            cJSON *found = NULL;
            cJSON_ArrayForEach(q, cur)
            {
                if (streq(emu_jstr(q, "key"), emu_jstr(t, "key"))) {
                    found = q;
                }
            }
            if (found) {
                set_str(found, "value", emu_jstr(t, "value"));
            } else {
                cJSON_AddItemToArray(cur, cJSON_Duplicate(t, 1));
            }
        }
    } else {
        cJSON_ArrayForEach(t, tags)
        {
            for (cJSON *q = cur->child; q;) {
                cJSON *next = q->next;
                if (streq(emu_jstr(q, "key"), emu_jstr(t, "key")) &&
                    (!emu_jstr(t, "value") || streq(emu_jstr(q, "value"), emu_jstr(t, "value")))) {
                    cJSON_Delete(cJSON_DetachItemViaPointer(cur, q));
                }
                q = next;
            }
        }
    }
    char ts[32];
    emu_iso8601(c->now, ts);
    set_str(o, "updated_at", ts);
    c->srv->dirty = 1;
    c->resp->status = 204;
done:
    cJSON_Delete(body);
    cJSON_Delete(tags);
}

static void list_project_tags(ctx *c, const char *rtype)
{
    cJSON *arr = streq(rtype, "endpoint_service") ? c->srv->services : c->srv->endpoints;
    cJSON *out = cJSON_CreateObject();
    cJSON *tags = cJSON_AddArrayToObject(out, "tags");
    cJSON *o = NULL;
    cJSON_ArrayForEach(o, arr)
    {
        if (!streq(emu_jstr(o, "project_id"), c->pid)) {
            continue;
        }
        cJSON *t = NULL;
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(o, "tags"))
        {
            cJSON *entry = NULL;
            cJSON *q = NULL;
            cJSON_ArrayForEach(q, tags)
            {
                if (streq(emu_jstr(q, "key"), emu_jstr(t, "key"))) {
                    entry = q;
                }
            }
            if (!entry) {
                entry = cJSON_CreateObject();
                cJSON_AddStringToObject(entry, "key", emu_jstr(t, "key"));
                cJSON_AddArrayToObject(entry, "values");
                cJSON_AddItemToArray(tags, entry);
            }
            cJSON *values = cJSON_GetObjectItemCaseSensitive(entry, "values");
            const char *v = emu_jstr(t, "value") ? emu_jstr(t, "value") : "";
            int seen = 0;
            cJSON_ArrayForEach(q, values)
            {
                seen |= streq(q->valuestring, v);
            }
            if (!seen) {
                cJSON_AddItemToArray(values, cJSON_CreateString(v));
            }
        }
    }
    c->resp->status = 200;
    c->resp->body = out;
}

/* tags / tags_any / not_tags / not_tags_any filters of resource_instances/action */
static int tag_match(const cJSON *res_tags, const cJSON *filter)
{
    const char *key = emu_jstr(filter, "key");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(filter, "values");
    const cJSON *t = NULL;
    cJSON_ArrayForEach(t, res_tags)
    {
        if (!streq(emu_jstr(t, "key"), key)) {
            continue;
        }
        if (!cJSON_IsArray(vals) || cJSON_GetArraySize(vals) == 0) {
            return 1;
        }
        const cJSON *v = NULL;
        cJSON_ArrayForEach(v, vals)
        {
            const char *tv = emu_jstr(t, "value") ? emu_jstr(t, "value") : "";
            if (cJSON_IsString(v) &&
                (streq(v->valuestring, tv) ||
                 (v->valuestring[0] == '*' && strstr(tv, v->valuestring + 1)))) {
                return 1;
            }
        }
    }
    return 0;
}

static int tag_filters_ok(const cJSON *res_tags, const cJSON *body)
{
    const cJSON *f = NULL;
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(body, "tags");
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(body, "tags_any");
    const cJSON *not_all = cJSON_GetObjectItemCaseSensitive(body, "not_tags");
    const cJSON *not_any = cJSON_GetObjectItemCaseSensitive(body, "not_tags_any");
    cJSON_ArrayForEach(f, all)
    {
        if (!tag_match(res_tags, f)) {
            return 0;
        }
    }
    if (cJSON_GetArraySize(any) > 0) {
        int hit = 0;
        cJSON_ArrayForEach(f, any)
        {
            hit |= tag_match(res_tags, f);
        }
        if (!hit) {
            return 0;
        }
    }
    if (cJSON_GetArraySize(not_all) > 0) {
        int every = 1;
        cJSON_ArrayForEach(f, not_all)
        {
            every &= tag_match(res_tags, f);
        }
        if (every) {
            return 0;
        }
    }
    cJSON_ArrayForEach(f, not_any)
    {
        if (tag_match(res_tags, f)) {
            return 0;
        }
    }
    return 1;
}

static void resource_instances(ctx *c, const char *rtype)
{
    cJSON *body = parse_body(c);
    if (!body) {
        return;
    }
    const char *action = emu_jstr(body, "action");
    long long limit = 1000;
    long long offset = 0;
    const char *ls = emu_jstr(body, "limit");
    const char *os = emu_jstr(body, "offset");
    if (!streq(action, "filter") && !streq(action, "count")) {
        bad(c, "EndPoint.0002", "Parameter error: action must be filter or count.%s", "");
        goto done;
    }
    if ((ls && emu_parse_int(ls, 1, 1000, &limit)) ||
        (os && emu_parse_int(os, 0, 1000000, &offset))) {
        bad(c, "EndPoint.0002", "Parameter error: invalid limit or offset.%s", "");
        goto done;
    }
    const char *match_name = NULL;
    const cJSON *m = NULL;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(body, "matches"))
    {
        if (streq(emu_jstr(m, "key"), "resource_name")) {
            match_name = emu_jstr(m, "value");
        }
    }
    int svc = streq(rtype, "endpoint_service");
    cJSON *arr = svc ? c->srv->services : c->srv->endpoints;
    cJSON *out = cJSON_CreateObject();
    cJSON *res = streq(action, "filter") ? cJSON_AddArrayToObject(out, "resources") : NULL;
    long long total = 0;
    cJSON *o = NULL;
    cJSON_ArrayForEach(o, arr)
    {
        const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
        const char *rname =
            svc ? emu_jstr(o, "service_name") : emu_jstr(o, "endpoint_service_name");
        if (!streq(emu_jstr(o, "project_id"), c->pid) || !tag_filters_ok(tags, body) ||
            (match_name && !emu_strcasestr_contains(rname, match_name))) {
            continue;
        }
        if (res && total >= offset && total < offset + limit) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "resource_id", emu_jstr(o, "id"));
            cJSON_AddStringToObject(r, "resource_name", rname ? rname : "");
            cJSON_AddItemToObject(r, "tags", cJSON_Duplicate(tags, 1));
            cJSON_AddNullToObject(r, "resource_detail");
            cJSON_AddItemToArray(res, r);
        }
        total++;
    }
    cJSON_AddNumberToObject(out, "total_count", (double)total);
    c->resp->status = 200;
    c->resp->body = out;
done:
    cJSON_Delete(body);
}

static cJSON *version_obj(const emu_server *srv, const char *id, const char *updated)
{
    cJSON *v = cJSON_CreateObject();
    char href[200];
    snprintf(href, sizeof(href), "%s/%s", srv->base_url, id);
    cJSON_AddStringToObject(v, "status", "CURRENT");
    cJSON_AddStringToObject(v, "id", id);
    cJSON_AddStringToObject(v, "updated", updated);
    cJSON_AddStringToObject(v, "version", id + 1);
    cJSON *links = cJSON_AddArrayToObject(v, "links");
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "rel", "self");
    cJSON_AddStringToObject(l, "href", href);
    cJSON_AddStringToObject(l, "type", "application/json");
    cJSON_AddItemToArray(links, l);
    cJSON_AddStringToObject(v, "min_version", "");
    return v;
}

static void objects_dump(ctx *c)
{
    cJSON *out = cJSON_CreateObject();
    cJSON *svcs = cJSON_AddArrayToObject(out, "services");
    cJSON *eps = cJSON_AddArrayToObject(out, "endpoints");
    cJSON *s = NULL;
    cJSON_ArrayForEach(s, c->srv->services)
    {
        cJSON *r = render_service(c->srv, s, 1);
        cJSON *perms = cJSON_AddArrayToObject(r, "permissions");
        cJSON *p = NULL;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(s, "_permissions"))
        {
            cJSON_AddItemToArray(perms, cJSON_CreateString(emu_jstr(p, "permission")));
        }
        cJSON_AddItemToArray(svcs, r);
    }
    cJSON_ArrayForEach(s, c->srv->endpoints)
    {
        cJSON *r = render(s);
        set_str(r, "domain_id", emu_jstr(s, "_domain_id"));
        cJSON_AddItemToArray(eps, r);
    }
    cJSON *counts = cJSON_AddObjectToObject(out, "counts");
    cJSON_AddNumberToObject(counts, "services", cJSON_GetArraySize(svcs));
    cJSON_AddNumberToObject(counts, "endpoints", cJSON_GetArraySize(eps));
    c->resp->status = 200;
    c->resp->body = out;
}

/* ---- routing ----------------------------------------------------------------------------------
 */

static int split_path(char *path, char **segs)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (n == MAX_SEGS) {
            return -1;
        }
        segs[n++] = tok;
    }
    return n;
}

static void no_route(ctx *c)
{
    emu_set_error(c->resp, 404, "APIG.0101", "The API does not exist or has not been published.");
}

#define IS(m) (strcmp(c->req->method, (m)) == 0)

static void route_project(ctx *c, char **seg, int n)
{
    /* seg[0] is the first segment after /v1/{project_id} */
    if (n == 1 && streq(seg[0], "vpc-endpoint-services")) {
        if (IS("GET")) {
            list_services(c);
        } else if (IS("POST")) {
            create_service(c);
        } else {
            no_route(c);
        }
    } else if (n == 2 && streq(seg[0], "vpc-endpoint-services") && streq(seg[1], "public")) {
        IS("GET") ? list_public(c) : no_route(c);
    } else if (n == 2 && streq(seg[0], "vpc-endpoint-services") && streq(seg[1], "describe")) {
        IS("GET") ? describe_service(c) : no_route(c);
    } else if (n == 2 && streq(seg[0], "vpc-endpoint-services")) {
        if (IS("GET")) {
            get_service(c, seg[1]);
        } else if (IS("PUT")) {
            update_service(c, seg[1]);
        } else if (IS("DELETE")) {
            delete_service(c, seg[1]);
        } else {
            no_route(c);
        }
    } else if (n == 3 && streq(seg[0], "vpc-endpoint-services") && streq(seg[2], "connections")) {
        IS("GET") ? list_connections(c, seg[1]) : no_route(c);
    } else if (n == 4 && streq(seg[0], "vpc-endpoint-services") && streq(seg[2], "connections") &&
               streq(seg[3], "action")) {
        IS("POST") ? connection_action(c, seg[1]) : no_route(c);
    } else if (n == 3 && streq(seg[0], "vpc-endpoint-services") && streq(seg[2], "permissions")) {
        IS("GET") ? list_permissions(c, seg[1]) : no_route(c);
    } else if (n == 4 && streq(seg[0], "vpc-endpoint-services") && streq(seg[2], "permissions") &&
               streq(seg[3], "action")) {
        IS("POST") ? permission_action(c, seg[1]) : no_route(c);
    } else if (n == 1 && streq(seg[0], "vpc-endpoints")) {
        if (IS("GET")) {
            list_endpoints(c);
        } else if (IS("POST")) {
            create_endpoint(c);
        } else {
            no_route(c);
        }
    } else if (n == 2 && streq(seg[0], "vpc-endpoints")) {
        cJSON *e = NULL;
        if (IS("GET")) {
            if ((e = own_endpoint(c, seg[1]))) {
                c->resp->status = 200;
                c->resp->body = render(e);
            }
        } else if (IS("DELETE")) {
            delete_endpoint(c, seg[1]);
        } else {
            no_route(c);
        }
    } else if (n == 1 && streq(seg[0], "quotas")) {
        IS("GET") ? get_quotas(c) : no_route(c);
    } else if (n >= 2 && (streq(seg[0], "endpoint_service") || streq(seg[0], "endpoint"))) {
        if (n == 4 && streq(seg[2], "tags") && streq(seg[3], "action") && IS("POST")) {
            tags_action(c, seg[0], seg[1]);
        } else if (n == 2 && streq(seg[1], "tags") && IS("GET")) {
            list_project_tags(c, seg[0]);
        } else if (n == 3 && streq(seg[1], "resource_instances") && streq(seg[2], "action") &&
                   IS("POST")) {
            resource_instances(c, seg[0]);
        } else {
            no_route(c);
        }
    } else {
        no_route(c);
    }
}

void emu_handle(emu_server *srv, const emu_request *req, emu_response *resp)
{
    char path[2048];
    char *seg[MAX_SEGS];
    ctx cx = {.srv = srv, .req = req, .resp = resp};
    ctx *c = &cx;
    resp->status = 500;
    resp->body = NULL;
    if (strlen(req->path) >= sizeof(path)) {
        emu_set_error(resp, 400, "EndPoint.0002", "Parameter error: request path too long.");
        return;
    }
    strcpy(path, req->path);
    int n = split_path(path, seg);

    pthread_mutex_lock(&srv->mu);
    c->now = emu_now_ms();
    advance(srv, c->now);
    if (req->body_too_large) {
        emu_set_error(resp, 400, "EndPoint.0002", "Parameter error: request body too large.");
    } else if (n < 0) {
        no_route(c);
    } else if (n == 0) {
        if (IS("GET")) {
            cJSON *out = cJSON_CreateObject();
            cJSON *vs = cJSON_AddArrayToObject(out, "versions");
            cJSON_AddItemToArray(vs, version_obj(srv, "v1", "2018-09-30T00:00:00Z"));
            cJSON_AddItemToArray(vs, version_obj(srv, "v2", "2020-03-30T00:00:00Z"));
            resp->status = 200;
            resp->body = out;
        } else {
            no_route(c);
        }
    } else if (n == 1 && (streq(seg[0], "v1") || streq(seg[0], "v2"))) {
        if (IS("GET")) {
            cJSON *out = cJSON_CreateObject();
            cJSON_AddItemToObject(
                out, "version",
                version_obj(srv, seg[0],
                            streq(seg[0], "v1") ? "2018-09-30T00:00:00Z" : "2020-03-30T00:00:00Z"));
            resp->status = 200;
            resp->body = out;
        } else {
            no_route(c);
        }
    } else if (n == 3 && streq(seg[0], "v3") && streq(seg[1], "auth") && streq(seg[2], "tokens")) {
        IS("POST") ? emu_handle_iam_tokens(srv, req, resp) : no_route(c);
    } else if (n == 2 && streq(seg[0], "__emulator") && streq(seg[1], "objects")) {
        if (!req->loopback) {
            emu_set_error(resp, 403, "EndPoint.0004", "Only available on loopback.");
        } else if (IS("GET")) {
            objects_dump(c);
        } else {
            no_route(c);
        }
    } else if (n >= 3 && streq(seg[0], "v1")) {
        c->pid = seg[1];
        c->acct = emu_authenticate(srv, req, c->pid, resp);
        if (c->acct) {
            route_project(c, seg + 2, n - 2);
        }
    } else {
        no_route(c);
    }
    if (srv->dirty && srv->opt.state_file) {
        emu_state_save(srv);
    }
    pthread_mutex_unlock(&srv->mu);
}
