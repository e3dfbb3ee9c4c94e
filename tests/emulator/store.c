/* vpcep-emulator: The emulator's state: server lifetime, persistence to the state file, the PRNG,
 * lookups, rendering and the small JSON helpers every handler uses, and the state dump for tests.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- small JSON helpers ---------------------------------------------------------------------- */

void emu_set_item(cJSON *obj, const char *key, cJSON *item)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    } else {
        cJSON_AddItemToObject(obj, key, item);
    }
}

void emu_set_str(cJSON *obj, const char *key, const char *v)
{
    emu_set_item(obj, key, cJSON_CreateString(v ? v : ""));
}

void emu_set_num(cJSON *obj, const char *key, double v)
{
    emu_set_item(obj, key, cJSON_CreateNumber(v));
}

void emu_set_bool(cJSON *obj, const char *key, int v)
{
    emu_set_item(obj, key, cJSON_CreateBool(v));
}

double emu_jnum(const cJSON *obj, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

int emu_jtrue(const cJSON *obj, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

int emu_streq(const char *a, const char *b)
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

const char *emu_query(const emu_ctx *c, const char *key)
{
    for (size_t i = 0; i < c->req->nquery; i++) {
        if (strcmp(c->req->query[i].key, key) == 0) {
            return c->req->query[i].value ? c->req->query[i].value : "";
        }
    }
    return NULL;
}

/* Renders an internal object: a copy without the fields whose names start with '_'. */
cJSON *emu_render(const cJSON *obj)
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
double emu_random_locked(emu_server *srv)
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
    double r = emu_random_locked(srv);
    pthread_mutex_unlock(&srv->mu);
    return r;
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
    srv->next_marker = emu_jnum(doc, "next_marker", srv->next_marker);
    srv->seq = emu_jnum(doc, "seq", srv->seq);
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

cJSON *emu_find_by_id(cJSON *arr, const char *id)
{
    cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        if (emu_streq(emu_jstr(it, "id"), id)) {
            return it;
        }
    }
    return NULL;
}

const cJSON *emu_find_public(const emu_server *srv, const char *id, const char *name)
{
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(srv->seed, "public_services"))
    {
        if ((id && emu_streq(emu_jstr(p, "id"), id)) ||
            (name && emu_streq(emu_jstr(p, "service_name"), name))) {
            return p;
        }
    }
    return NULL;
}

int emu_quota_of(const emu_server *srv, const char *type, int dflt)
{
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(srv->seed, "quotas");
    double v = emu_jnum(q, type, dflt);
    return v >= 0 && v < 1e6 ? (int)v : dflt;
}

int emu_count_in_project(cJSON *arr, const char *pid)
{
    int n = 0;
    cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        if (emu_streq(emu_jstr(it, "project_id"), pid)) {
            n++;
        }
    }
    return n;
}

int emu_connection_count(const emu_server *srv, const char *svc_id)
{
    int n = 0;
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, srv->endpoints)
    {
        const char *st = emu_jstr(e, "status");
        if (emu_streq(emu_jstr(e, "endpoint_service_id"), svc_id) &&
            (emu_streq(st, "creating") || emu_streq(st, "accepted"))) {
            n++;
        }
    }
    return n;
}

cJSON *emu_render_service(const emu_server *srv, const cJSON *svc, int with_domain)
{
    cJSON *out = emu_render(svc);
    if (!out) {
        return NULL;
    }
    emu_set_num(out, "connection_count", emu_connection_count(srv, emu_jstr(svc, "id")));
    if (with_domain) {
        emu_set_str(out, "domain_id", emu_jstr(svc, "_domain_id"));
    }
    return out;
}

void emu_objects_dump(emu_ctx *c)
{
    cJSON *out = cJSON_CreateObject();
    cJSON *svcs = cJSON_AddArrayToObject(out, "services");
    cJSON *eps = cJSON_AddArrayToObject(out, "endpoints");
    cJSON *s = NULL;
    cJSON_ArrayForEach(s, c->srv->services)
    {
        cJSON *r = emu_render_service(c->srv, s, 1);
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
        cJSON *r = emu_render(s);
        emu_set_str(r, "domain_id", emu_jstr(s, "_domain_id"));
        cJSON_AddItemToArray(eps, r);
    }
    cJSON *counts = cJSON_AddObjectToObject(out, "counts");
    cJSON_AddNumberToObject(counts, "services", cJSON_GetArraySize(svcs));
    cJSON_AddNumberToObject(counts, "endpoints", cJSON_GetArraySize(eps));
    c->resp->status = 200;
    c->resp->body = out;
}
