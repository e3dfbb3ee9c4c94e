/* Every operation of the VPCEP API v1 (include/vpcep/api.h): request encoding, paging,
 * duplicate-safe creates. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_PAGE 100
#define MAX_PAGES 10000

/* ---- helpers ----------------------------------------------------------------------------- */
static int id_ok(const char *s)
{
    size_t i;

    if (s == NULL || s[0] == '\0' || strlen(s) > 128)
        return 0;
    for (i = 0; s[i] != '\0'; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            return 0;
    }
    return 1;
}

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static void qadd(util_buf *q, const char *key, const char *value)
{
    if (value == NULL)
        return;
    if (q->len > 0)
        util_buf_append(q, "&", 1);
    util_buf_append_pct(q, key, 0);
    util_buf_append(q, "=", 1);
    util_buf_append_pct(q, value, 0);
}

static void qaddi(util_buf *q, const char *key, long long value)
{
    char tmp[32];

    snprintf(tmp, sizeof(tmp), "%lld", value);
    qadd(q, key, tmp);
}

static int json_oom(vpcep_error *err)
{
    return rest_fail(err, VPCEP_ENOMEM, "out of memory");
}

/* Moves an element out of a list: the caller owns it, the list's _free skips the empty slot. */
static void *take_item(void **slot)
{
    void *item = *slot;

    *slot = NULL;
    return item;
}

/* A public vpcep_decode_* function: JSON text to a new object in *out. */
typedef int (*body_decoder)(const char *json, size_t len, void **out);

/* Decodes a 2xx body with @p dec; a body that does not decode is an API error. */
static int decode_result(
    const rest_result *res, body_decoder dec, void **out, const char *what, vpcep_error *err)
{
    int rc = dec(res->body ? res->body : "", res->body_len, out);

    if (rc == VPCEP_ENOMEM)
        return json_oom(err);
    if (rc != 0) {
        rest_fail(err, VPCEP_EAPI, "malformed %s in the API answer", what);
        if (err != NULL)
            err->http_status = (int)res->status;
        return VPCEP_EAPI;
    }
    return 0;
}

static int dec_service_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_service((vpcep_service **)o, j, n);
}
static int dec_endpoint_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_endpoint((vpcep_endpoint **)o, j, n);
}
static int dec_info_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_service_info((vpcep_service_info **)o, j, n);
}
static int dec_quota_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_quota_list((vpcep_quota_list **)o, j, n);
}
static int dec_versions_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_api_version_list((vpcep_api_version_list **)o, j, n);
}
static int dec_ptags_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_project_tag_list((vpcep_project_tag_list **)o, j, n);
}
static int dec_conns_v(const char *j, size_t n, void **o)
{
    return vpcep_decode_connection_list((vpcep_connection_list **)o, j, n);
}

/* ---- GET helpers ------------------------------------------------------------------------- */
/* GETs path?query and decodes the 2xx answer with dec into *out; @p what names it in errors. */
static int rest_get_object(vpcep_client *c,
                           const char *path,
                           const char *query,
                           body_decoder dec,
                           void **out,
                           const char *what,
                           unsigned int *calls,
                           vpcep_error *err)
{
    rest_request rq;
    rest_result res;
    int rc;

    memset(&rq, 0, sizeof(rq));
    rq.method = "GET";
    rq.path = path;
    rq.query = query;
    rq.calls = calls;
    rc = rest_call(c, &rq, &res, err);
    if (rc == 0)
        rc = decode_result(&res, dec, out, what, err);
    rest_result_dispose(&res);
    return rc;
}

/* GETs prefix/id, one object named @p what ("service", "endpoint"). */
static int get_by_id(vpcep_client *c,
                     const char *prefix,
                     const char *id,
                     body_decoder dec,
                     void **out,
                     const char *what,
                     unsigned int *calls,
                     vpcep_error *err)
{
    char path[200];

    rest_error_clear(err);
    if (c == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (!id_ok(id))
        return rest_fail(err, VPCEP_EINVALID, "invalid %s id", what);
    snprintf(path, sizeof(path), "%s/%s", prefix, id);
    return rest_get_object(c, path, NULL, dec, out, what, calls, err);
}

/* ---- paging ------------------------------------------------------------------------------ */
static char *
resource_query_body(const vpcep_resource_query_opts *o, long long limit, long long offset);

/* How a listing asks for one page: GET path?filters&limit=&offset=, or (resource filters) a
 * POST to path whose body carries the query with limit and offset. */
typedef struct page_source {
    const char *path;
    const util_buf *filters;                 /* GET: the encoded query filters */
    const vpcep_resource_query_opts *filter; /* POST: the resource query, NULL for GET */
} page_source;

/*
 * Reads every page of @p src and collects the items of kind k into parts (the one paging loop:
 * limit @p page_size, default DEFAULT_PAGE, at most @p max_page; the offset advances by what a
 * page held until a page is empty or the total is reached). On success *list is a new zeroed
 * list struct of list_size bytes into which the caller moves parts.
 */
static int page_loop(vpcep_client *c,
                     const page_source *src,
                     int page_size,
                     int max_page,
                     const rest_item_kind *k,
                     void **list,
                     size_t list_size,
                     rest_items *parts,
                     unsigned int *calls,
                     vpcep_error *err)
{
    void **items = NULL;
    size_t count = 0;
    int64_t total = 0;
    long long offset = 0;
    int pages, rc = 0;

    *list = NULL;
    memset(parts, 0, sizeof(*parts));
    if (page_size <= 0)
        page_size = DEFAULT_PAGE;
    if (page_size > max_page)
        page_size = max_page;
    for (pages = 0; pages < MAX_PAGES; pages++) {
        util_buf q;
        char *body = NULL;
        rest_request rq;
        rest_result res;
        rest_items page;

        memset(&rq, 0, sizeof(rq));
        util_buf_init(&q, REST_MAX_TEXT_BYTES);
        if (src->filter != NULL) {
            body = resource_query_body(src->filter, page_size, offset);
            rq.method = "POST";
            rq.body = body;
        } else {
            if (src->filters->len > 0)
                util_buf_append(&q, src->filters->data, src->filters->len);
            qaddi(&q, "limit", page_size);
            if (offset > 0)
                qaddi(&q, "offset", offset);
            rq.method = "GET";
            rq.query = q.data;
        }
        if (q.error || (src->filter != NULL && body == NULL)) {
            util_buf_dispose(&q);
            rc = json_oom(err);
            goto done;
        }
        rq.path = src->path;
        rq.calls = calls;
        rc = rest_call(c, &rq, &res, err);
        util_buf_dispose(&q);
        cJSON_free(body);
        if (rc != 0)
            goto done;
        rc = rest_decode_items(res.body ? res.body : "", res.body_len, k, &page);
        rest_result_dispose(&res);
        if (rc != 0) {
            rc = rc == VPCEP_ENOMEM
                     ? json_oom(err)
                     : rest_fail(err, VPCEP_EAPI, "malformed list in the API answer");
            goto done;
        }
        if (page.count > 0) {
            void **grown = util_reallocarray(items, count + page.count, sizeof(*items));
            if (grown == NULL) {
                rest_dispose_items(k, page.items, page.count);
                rc = json_oom(err);
                goto done;
            }
            items = grown;
            memcpy(items + count, page.items, page.count * sizeof(*items));
            count += page.count;
        }
        util_free(page.items);
        total = page.total;
        if (page.count == 0 || (int64_t)count >= page.total)
            break;
        offset += (long long)page.count;
    }
    *list = util_calloc(1, list_size);
    if (*list == NULL)
        rc = json_oom(err);
done:
    if (rc != 0) {
        rest_dispose_items(k, items, count);
        return rc;
    }
    parts->items = items;
    parts->count = count;
    parts->total = total > (int64_t)count ? total : (int64_t)count;
    return 0;
}

/* page_loop() over GET path?filters (the encoded query filters, disposed here). */
static int list_pages(vpcep_client *c,
                      const char *path,
                      util_buf *filters,
                      int page_size,
                      int max_page,
                      const rest_item_kind *k,
                      void **list,
                      size_t list_size,
                      rest_items *parts,
                      unsigned int *calls,
                      vpcep_error *err)
{
    const page_source src = {path, filters, NULL};
    int rc;

    if (filters->error) {
        *list = NULL;
        memset(parts, 0, sizeof(*parts));
        rc = json_oom(err);
    } else {
        rc = page_loop(c, &src, page_size, max_page, k, list, list_size, parts, calls, err);
    }
    util_buf_dispose(filters);
    return rc;
}

/* ---- request encoding -------------------------------------------------------------------- */
static int add_str(cJSON *o, const char *key, const char *v)
{
    if (v == NULL)
        return 0;
    return cJSON_AddStringToObject(o, key, v) == NULL ? -1 : 0;
}

static int add_ports(cJSON *o, const vpcep_port_param *ports, size_t n)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "ports");
    size_t i;

    if (arr == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        cJSON *p = cJSON_CreateObject();
        if (p == NULL)
            return -1;
        cJSON_AddItemToArray(arr, p);
        if (cJSON_AddNumberToObject(p, "client_port", ports[i].client_port) == NULL ||
            cJSON_AddNumberToObject(p, "server_port", ports[i].server_port) == NULL ||
            cJSON_AddStringToObject(p, "protocol", ports[i].protocol ? ports[i].protocol : "TCP") ==
                NULL)
            return -1;
    }
    return 0;
}

static int add_tags(cJSON *o, const vpcep_tag_param *tags, size_t n, int keep_null_value)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "tags");
    size_t i;

    if (arr == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        cJSON *t = cJSON_CreateObject();
        if (t == NULL)
            return -1;
        cJSON_AddItemToArray(arr, t);
        if (cJSON_AddStringToObject(t, "key", tags[i].key) == NULL)
            return -1;
        if (tags[i].value != NULL || !keep_null_value) {
            if (cJSON_AddStringToObject(t, "value", tags[i].value ? tags[i].value : "") == NULL)
                return -1;
        }
    }
    return 0;
}

static int add_str_array(cJSON *o, const char *key, const char *const *v, size_t n)
{
    cJSON *arr = cJSON_AddArrayToObject(o, key);
    size_t i;

    if (arr == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateString(v[i] ? v[i] : "");
        if (s == NULL)
            return -1;
        cJSON_AddItemToArray(arr, s);
    }
    return 0;
}

static int check_ports(const vpcep_port_param *ports, size_t n, vpcep_error *err)
{
    size_t i;

    if (n == 0 || n > 200 || ports == NULL)
        return rest_fail(err, VPCEP_EINVALID, "ports: between 1 and 200 port mappings required");
    for (i = 0; i < n; i++) {
        if (ports[i].client_port < 1 || ports[i].client_port > 65535 || ports[i].server_port < 1 ||
            ports[i].server_port > 65535)
            return rest_fail(err, VPCEP_EINVALID, "ports[%zu]: ports must be 1..65535", i);
    }
    return 0;
}

static int check_tags(const vpcep_tag_param *tags, size_t n, vpcep_error *err)
{
    size_t i;

    if (n > 0 && tags == NULL)
        return rest_fail(err, VPCEP_EINVALID, "tags: NULL array");
    for (i = 0; i < n; i++) {
        if (!nonempty(tags[i].key))
            return rest_fail(err, VPCEP_EINVALID, "tags[%zu]: key must not be empty", i);
    }
    return 0;
}

static char *print_json(cJSON *root)
{
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

/* ---- duplicate-safe creates ------------------------------------------------------------- */
/*
 * Creates that cannot adopt a stranger (README.md). A create whose answer was lost may take
 * over only the object that carries its own call's marker tag (create.c): random, so no other
 * call - a sibling in this process or another process - can have made an object with it.
 * Without a marker nothing is adopted: the candidates are named in an error instead.
 */
typedef struct create_op {
    const char *path; /* POST target */
    const char *what; /* "service", "endpoint": logs and errors */
    body_decoder dec;
    /* After a lost answer: with a marker, finds the object that carries it (*found, NULL when
     * there is none); without one, appends to cands the IDs of the objects the lost call may
     * have made. */
    int (*lookup)(vpcep_client *c,
                  const void *ctx,
                  const char *marker,
                  void **found,
                  util_buf *cands,
                  vpcep_error *err);
    const void *ctx;
    const char *(*id_of)(const void *obj);
    void (*free_obj)(void *obj);
    const char *marker; /* this call's marker, NULL when the object has no room for it */
} create_op;

static void set_error_code(vpcep_error *err, const char *code)
{
    if (err != NULL)
        util_strlcpy(err->error_code, code, sizeof(err->error_code));
}

/* Adds @p tags and, when @p marker is not NULL, the marker tag to o's "tags". */
static int add_tags_marked(cJSON *o, const vpcep_tag_param *tags, size_t n, const char *marker)
{
    cJSON *arr, *t;

    if (n > 0 && add_tags(o, tags, n, 0))
        return -1;
    if (marker == NULL)
        return 0;
    arr = cJSON_GetObjectItemCaseSensitive(o, "tags");
    if (arr == NULL && (arr = cJSON_AddArrayToObject(o, "tags")) == NULL)
        return -1;
    if ((t = cJSON_CreateObject()) == NULL)
        return -1;
    cJSON_AddItemToArray(arr, t);
    if (cJSON_AddStringToObject(t, "key", VPCEP_CREATE_MARKER_KEY) == NULL ||
        cJSON_AddStringToObject(t, "value", marker) == NULL)
        return -1;
    return 0;
}

/* A marker for a create with @p n_tags user tags into buf; *marker NULL when there is no
 * room for one more tag. */
static int
make_marker(size_t n_tags, char buf[REST_MARKER_SIZE], const char **marker, vpcep_error *err)
{
    int rc;

    *marker = NULL;
    if (n_tags >= REST_MAX_TAGS)
        return 0;
    rc = rest_marker_new(buf);
    if (rc == VPCEP_ENOMEM)
        return json_oom(err);
    if (rc != 0)
        return rest_fail(err, VPCEP_ERROR, "no random bytes for the create marker");
    *marker = buf;
    return 0;
}

/*
 * POSTs a create. A create whose outcome is unknown (answer lost, the object may exist) is not
 * simply re-sent: before each retry (and once when no retry is left) the object is looked up;
 * the one carrying this call's marker is adopted. Every object a create returns or adopts is
 * claimed for this process.
 */
static int
create_object(vpcep_client *c, const create_op *op, const char *body, void **out, vpcep_error *err)
{
    rest_request rq;
    rest_result res;
    int rc, lrc, attempt;

    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = op->path;
    rq.body = body;
    rq.create = 1;
    for (attempt = 0;; attempt++) {
        vpcep_error lerr = VPCEP_ERROR_INIT;
        util_buf cands;

        rc = rest_call(c, &rq, &res, err);
        if (rc == 0) {
            rc = decode_result(&res, op->dec, out, op->what, err);
            if (rc == 0 && rest_claim(op->id_of(*out)) == VPCEP_ENOMEM)
                rc = json_oom(err);
            break;
        }
        if (!res.outcome_unknown)
            break;
        rest_result_dispose(&res);
        rest_log(c, VPCEP_LOG_WARN, "vpcep: %s create outcome unknown (%s); looking it up %s",
                 op->what, vpcep_strerror(rc),
                 op->marker ? "by its create marker" : "(no create marker: no room for the tag)");
        if (attempt < c->max_retries &&
            (lrc = rest_sleep(c, rest_backoff_jittered(c, attempt + 1), err)) != 0) {
            rc = lrc;
            break;
        }
        util_buf_init(&cands, REST_MAX_TEXT_BYTES);
        lrc = op->lookup(c, op->ctx, op->marker, out, &cands, &lerr);
        if (lrc == 0 && cands.error)
            lrc = VPCEP_ENOMEM;
        if (lrc != 0) {
            /* Not known whether the object exists: never re-send; the create's error stays. */
            util_buf_dispose(&cands);
            if (lrc == VPCEP_ENOMEM || lrc == VPCEP_ECANCELED) {
                rc = lrc == VPCEP_ENOMEM ? json_oom(err) : lrc;
                if (lrc == VPCEP_ECANCELED && err != NULL)
                    *err = lerr;
            }
            rest_log(c, VPCEP_LOG_WARN, "vpcep: %s lookup after the lost create failed (%s)",
                     op->what, vpcep_strerror(lrc));
            break;
        }
        if (*out != NULL) {
            lrc = rest_claim(op->id_of(*out));
            if (lrc == 0) {
                rest_log(c, VPCEP_LOG_INFO,
                         "vpcep: adopted %s %s, which carries the marker of the lost call",
                         op->what, op->id_of(*out));
                rest_error_clear(err);
                rc = 0;
                util_buf_dispose(&cands);
                break;
            }
            /* Claimed already (cannot happen with a random marker): never shared. */
            op->free_obj(*out);
            *out = NULL;
        }
        if (cands.len > 0) {
            char what[16];
            util_strlcpy(what, op->what, sizeof(what));
            rest_error_clear(err);
            rc = rest_fail(
                err, VPCEP_ECONFLICT,
                "the answer to the %s create was lost and it cannot be proven which %s "
                "it created (the create carried no marker tag: the %s already has %d "
                "tags), and matching %ss exist that no create of this run claimed. %s %s",
                what, what, what, REST_MAX_TAGS, what, VPCEP_CANDIDATES_LABEL, cands.data);
            set_error_code(err, VPCEP_ECODE_CREATE_UNPROVEN);
            util_buf_dispose(&cands);
            break;
        }
        util_buf_dispose(&cands);
        if (attempt >= c->max_retries)
            break; /* the create's own error (outcome unknown) */
    }
    rest_result_dispose(&res);
    return rc;
}

/* Appends " id" to a candidate list. */
static void cand_add(util_buf *cands, const char *id)
{
    if (cands->len > 0)
        util_buf_append(cands, " ", 1);
    util_buf_append(cands, id, strlen(id));
}

/* ---- versions ---------------------------------------------------------------------------- */
int vpcep_versions_list(vpcep_api_version_list **out, vpcep_client *client, vpcep_error *err)
{
    rest_request rq;
    rest_result res;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    memset(&rq, 0, sizeof(rq));
    rq.method = "GET";
    rq.path = "/";
    rq.raw_path = 1;
    rc = rest_call(client, &rq, &res, err);
    if (rc == 0)
        rc = decode_result(&res, dec_versions_v, (void **)out, "version list", err);
    rest_result_dispose(&res);
    return rc;
}

/* ---- services ---------------------------------------------------------------------------- */
static int service_matches(const vpcep_service *s, const vpcep_service_create_opts *o)
{
    const char *want_proto = o->ports[0].protocol ? o->ports[0].protocol : "TCP";
    size_t i;

    if (s->vpc_id == NULL || s->port_id == NULL || strcmp(s->vpc_id, o->vpc_id) != 0 ||
        strcmp(s->port_id, o->port_id) != 0)
        return 0;
    if (s->status != NULL && strcmp(s->status, "deleting") == 0)
        return 0;
    for (i = 0; i < s->n_ports; i++) {
        const char *proto = s->ports[i]->protocol ? s->ports[i]->protocol : "TCP";
        if (s->ports[i]->server_port == o->ports[0].server_port &&
            strcasecmp(proto, want_proto) == 0)
            return 1;
    }
    return 0;
}

/* The create's own tags must leave the marker's key alone. */
static int check_marker_key_free(const vpcep_tag_param *tags, size_t n, vpcep_error *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (tags[i].key != NULL && strcmp(tags[i].key, VPCEP_CREATE_MARKER_KEY) == 0)
            return rest_fail(err, VPCEP_EINVALID,
                             "tags[%zu]: the key " VPCEP_CREATE_MARKER_KEY " is reserved", i);
    }
    return 0;
}

static int service_live(const vpcep_service *s)
{
    return s->id != NULL && (s->status == NULL || strcmp(s->status, "deleting") != 0);
}

/* The project's services (a create's lookups; the quota is 20, one page holds them all). */
static int service_candidates(vpcep_client *c, vpcep_service_list **l, vpcep_error *err)
{
    vpcep_service_list_opts lo = VPCEP_SERVICE_LIST_OPTS_INIT;

    lo.page_size = 1000;
    return vpcep_services_list(l, c, &lo, err);
}

/* After a create whose outcome is unknown: the service with this call's marker; without a
 * marker, the unclaimed services the call may have made (same VPC, port and first mapping). */
static int service_lookup(vpcep_client *c,
                          const vpcep_service_create_opts *o,
                          const char *marker,
                          vpcep_service **found,
                          util_buf *cands,
                          vpcep_error *err)
{
    vpcep_service_list *l = NULL;
    size_t i;
    int rc;

    *found = NULL;
    rc = service_candidates(c, &l, err);
    if (rc != 0)
        return rc;
    for (i = 0; i < l->count; i++) {
        const vpcep_service *s = l->items[i];
        const char *v;
        if (!service_live(s))
            continue;
        v = rest_tag_value(s->tags, s->n_tags, VPCEP_CREATE_MARKER_KEY);
        if (marker != NULL) {
            if (v != NULL && strcmp(v, marker) == 0) {
                *found = take_item((void **)&l->items[i]);
                break;
            }
        } else if (service_matches(s, o) && !rest_is_claimed(s->id)) {
            cand_add(cands, s->id);
        }
    }
    vpcep_service_list_free(l);
    return rc;
}

static int service_lookup_op(vpcep_client *c,
                             const void *ctx,
                             const char *marker,
                             void **found,
                             util_buf *cands,
                             vpcep_error *err)
{
    return service_lookup(c, ctx, marker, (vpcep_service **)found, cands, err);
}

static const char *service_id_of(const void *obj)
{
    const vpcep_service *s = obj;

    return s->id != NULL ? s->id : "?";
}

static void service_free_obj(void *obj)
{
    vpcep_service_free(obj);
}

/*
 * EndPoint.3044 (the port is in use) from a create: the service that holds it is either the
 * one this very call created (a re-sent POST after a lost answer: it carries our marker, and
 * it is adopted), or another one, named in the error with what its marker says about it.
 */
static int service_port_conflict(vpcep_client *c,
                                 const vpcep_service_create_opts *o,
                                 const char *marker,
                                 vpcep_service **out,
                                 int rc,
                                 vpcep_error *err)
{
    vpcep_error lerr = VPCEP_ERROR_INIT;
    vpcep_service_list *l = NULL;
    char note[400];
    size_t i;

    if (err == NULL || !vpcep_error_code_equal(err->error_code, "EndPoint.3044"))
        return rc;
    if (service_candidates(c, &l, &lerr) != 0)
        return rc;
    for (i = 0; i < l->count; i++) {
        vpcep_service *s = l->items[i];
        const char *v;
        long long age;
        size_t used;
        if (!service_live(s) || !service_matches(s, o))
            continue;
        v = rest_tag_value(s->tags, s->n_tags, VPCEP_CREATE_MARKER_KEY);
        if (marker != NULL && v != NULL && strcmp(v, marker) == 0 && rest_claim(s->id) == 0) {
            rest_log(c, VPCEP_LOG_INFO,
                     "vpcep: adopted service %s, which carries the marker of this create", s->id);
            *out = take_item((void **)&l->items[i]);
            rest_error_clear(err);
            rc = 0;
            break;
        }
        age = v != NULL ? rest_marker_age_s(v) : -1;
        if (v != NULL && age >= 0)
            snprintf(note, sizeof(note),
                     " The port is held by service %s, left by a create that did not finish "
                     "(it carries the " VPCEP_CREATE_MARKER_KEY " tag of a create started %lld "
                     "s ago: an interrupted apply, or one still running). " VPCEP_CANDIDATES_LABEL
                     " %s",
                     s->id, age, s->id);
        else
            snprintf(note, sizeof(note),
                     " The port is held by service %s (not a leftover of an unfinished "
                     "create: it may belong to another configuration). " VPCEP_CANDIDATES_LABEL
                     " %s",
                     s->id, s->id);
        used = strlen(err->error_msg);
        if (used + strlen(note) + 1 > sizeof(err->error_msg))
            used = sizeof(err->error_msg) > strlen(note) + 1
                       ? sizeof(err->error_msg) - strlen(note) - 1
                       : 0;
        util_strlcpy(err->error_msg + used, note, sizeof(err->error_msg) - used);
        break;
    }
    vpcep_service_list_free(l);
    return rc;
}

int vpcep_service_create(vpcep_service **out,
                         vpcep_client *client,
                         const vpcep_service_create_opts *caller_opts,
                         vpcep_error *err)
{
    char marker_buf[REST_MARKER_SIZE];
    vpcep_service_create_opts opts_v;
    const vpcep_service_create_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    create_op op = {"/vpc-endpoint-services", "service", dec_service_v,
                    service_lookup_op,        opts,      service_id_of,
                    service_free_obj,         NULL};
    cJSON *root = NULL;
    char *body = NULL;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL || opts == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client, out and opts must not be NULL");
    *out = NULL;
    if ((rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts, &rest_v_service_create_opts,
                                err)) != 0)
        return rc;
    if (!nonempty(opts->port_id) || !nonempty(opts->vpc_id) || !nonempty(opts->server_type))
        return rest_fail(err, VPCEP_EINVALID, "port_id, vpc_id and server_type are required");
    if ((rc = check_ports(opts->ports, opts->n_ports, err)) != 0 ||
        (rc = check_tags(opts->tags, opts->n_tags, err)) != 0 ||
        (rc = check_marker_key_free(opts->tags, opts->n_tags, err)) != 0)
        return rc;
    if ((rc = make_marker(opts->n_tags, marker_buf, &op.marker, err)) != 0)
        return rc;
    root = cJSON_CreateObject();
    if (root == NULL || add_str(root, "port_id", opts->port_id) ||
        add_str(root, "vpc_id", opts->vpc_id) || add_str(root, "server_type", opts->server_type) ||
        add_ports(root, opts->ports, opts->n_ports) ||
        add_str(root, "service_name", opts->service_name) ||
        add_str(root, "service_type", opts->service_type) ||
        add_str(root, "pool_id", opts->pool_id) ||
        add_str(root, "vip_port_id", opts->vip_port_id) ||
        add_str(root, "tcp_proxy", opts->tcp_proxy) ||
        add_str(root, "description", opts->description) ||
        (opts->approval_enabled_set &&
         cJSON_AddBoolToObject(root, "approval_enabled", opts->approval_enabled != 0) == NULL) ||
        add_tags_marked(root, opts->tags, opts->n_tags, op.marker)) {
        cJSON_Delete(root);
        return json_oom(err);
    }
    body = print_json(root);
    if (body == NULL)
        return json_oom(err);
    rc = create_object(client, &op, body, (void **)out, err);
    if (rc == VPCEP_EINVALID || rc == VPCEP_ECONFLICT)
        rc = service_port_conflict(client, opts, op.marker, out, rc, err);
    cJSON_free(body);
    return rc;
}

int rest_service_get(
    vpcep_client *c, vpcep_service **out, const char *id, unsigned int *calls, vpcep_error *err)
{
    return get_by_id(c, "/vpc-endpoint-services", id, dec_service_v, (void **)out, "service", calls,
                     err);
}

int vpcep_service_get(vpcep_service **out, vpcep_client *client, const char *id, vpcep_error *err)
{
    return rest_service_get(client, out, id, NULL, err);
}

int vpcep_services_list(vpcep_service_list **out,
                        vpcep_client *client,
                        const vpcep_service_list_opts *caller_opts,
                        vpcep_error *err)
{
    vpcep_service_list_opts opts_v;
    const vpcep_service_list_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    util_buf f;
    rest_items parts;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (opts != NULL && (rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts,
                                                &rest_v_service_list_opts, err)) != 0)
        return rc;
    util_buf_init(&f, REST_MAX_TEXT_BYTES);
    if (opts != NULL) {
        qadd(&f, "endpoint_service_name", opts->name);
        qadd(&f, "id", opts->id);
        qadd(&f, "status", opts->status);
        qadd(&f, "sort_key", opts->sort_key);
        qadd(&f, "sort_dir", opts->sort_dir);
    }
    rc = list_pages(client, "/vpc-endpoint-services", &f, opts ? opts->page_size : 0, 1000,
                    &rest_service_kind, (void **)out, sizeof(**out), &parts, NULL, err);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

int vpcep_service_update(vpcep_service **out,
                         vpcep_client *client,
                         const char *id,
                         const vpcep_service_update_opts *caller_opts,
                         vpcep_error *err)
{
    vpcep_service_update_opts opts_v;
    const vpcep_service_update_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    char path[200];
    cJSON *root = NULL;
    char *body = NULL;
    rest_request rq;
    rest_result res;
    int rc;

    rest_error_clear(err);
    memset(&res, 0, sizeof(res));
    if (out != NULL)
        *out = NULL;
    if (client == NULL || opts == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and opts must not be NULL");
    if ((rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts, &rest_v_service_update_opts,
                                err)) != 0)
        return rc;
    if (!id_ok(id))
        return rest_fail(err, VPCEP_EINVALID, "invalid service id");
    if (!opts->approval_enabled_set && opts->service_name == NULL && !opts->ports_set &&
        opts->port_id == NULL && opts->vip_port_id == NULL && opts->tcp_proxy == NULL &&
        opts->description == NULL)
        return rest_fail(err, VPCEP_EINVALID, "empty update: no field to change");
    if (opts->ports_set && (rc = check_ports(opts->ports, opts->n_ports, err)) != 0)
        return rc;
    root = cJSON_CreateObject();
    if (root == NULL || add_str(root, "service_name", opts->service_name) ||
        add_str(root, "port_id", opts->port_id) ||
        add_str(root, "vip_port_id", opts->vip_port_id) ||
        add_str(root, "tcp_proxy", opts->tcp_proxy) ||
        add_str(root, "description", opts->description) ||
        (opts->ports_set && add_ports(root, opts->ports, opts->n_ports)) ||
        (opts->approval_enabled_set &&
         cJSON_AddBoolToObject(root, "approval_enabled", opts->approval_enabled != 0) == NULL)) {
        cJSON_Delete(root);
        return json_oom(err);
    }
    body = print_json(root);
    if (body == NULL)
        return json_oom(err);
    snprintf(path, sizeof(path), "/vpc-endpoint-services/%s", id);
    memset(&rq, 0, sizeof(rq));
    rq.method = "PUT";
    rq.path = path;
    rq.body = body;
    rc = rest_call(client, &rq, &res, err);
    if (rc == 0 && out != NULL)
        rc = decode_result(&res, dec_service_v, (void **)out, "service", err);
    rest_result_dispose(&res);
    cJSON_free(body);
    return rc;
}

/*
 * DELETE. A delete whose first answer was lost may be repeated (by the retry loop); the API can
 * then refuse it as "being deleted" (EndPoint.2018 and the like). A conflict is therefore
 * checked with a GET: an object already in `deleting` counts as deleted (0), a gone one as
 * VPCEP_ENOTFOUND; anything else keeps the API's conflict (e.g. EndPoint.3006, in use).
 */
static int simple_delete(vpcep_client *c, const char *prefix, const char *id, vpcep_error *err)
{
    char path[200];
    rest_request rq;
    rest_result res;
    vpcep_error gerr = VPCEP_ERROR_INIT;
    int rc, grc;

    rest_error_clear(err);
    if (c == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client must not be NULL");
    if (!id_ok(id))
        return rest_fail(err, VPCEP_EINVALID, "invalid id");
    snprintf(path, sizeof(path), "%s/%s", prefix, id);
    memset(&rq, 0, sizeof(rq));
    rq.method = "DELETE";
    rq.path = path;
    rc = rest_call(c, &rq, &res, err);
    rest_result_dispose(&res);
    if (rc != VPCEP_ECONFLICT)
        goto done;
    rq.method = "GET";
    grc = rest_call(c, &rq, &res, &gerr);
    if (grc == VPCEP_ENOTFOUND) {
        rc = VPCEP_ENOTFOUND;
        if (err != NULL)
            *err = gerr;
    } else if (grc == 0) {
        cJSON *root = rest_json_parse(res.body ? res.body : "", res.body_len);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
        if (cJSON_IsString(st) && strcmp(st->valuestring, "deleting") == 0) {
            rc = 0;
            rest_error_clear(err);
        }
        cJSON_Delete(root);
    }
    rest_result_dispose(&res);
done:
    return rc;
}

int vpcep_service_delete(vpcep_client *client, const char *id, vpcep_error *err)
{
    return simple_delete(client, "/vpc-endpoint-services", id, err);
}

int vpcep_public_services_list(vpcep_service_info_list **out,
                               vpcep_client *client,
                               const vpcep_public_service_list_opts *caller_opts,
                               vpcep_error *err)
{
    vpcep_public_service_list_opts opts_v;
    const vpcep_public_service_list_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    util_buf f;
    rest_items parts;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (opts != NULL && (rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts,
                                                &rest_v_public_service_list_opts, err)) != 0)
        return rc;
    util_buf_init(&f, REST_MAX_TEXT_BYTES);
    if (opts != NULL) {
        qadd(&f, "endpoint_service_name", opts->name);
        qadd(&f, "id", opts->id);
        qadd(&f, "sort_key", opts->sort_key);
        qadd(&f, "sort_dir", opts->sort_dir);
    }
    rc = list_pages(client, "/vpc-endpoint-services/public", &f, opts ? opts->page_size : 0, 1000,
                    &rest_service_info_kind, (void **)out, sizeof(**out), &parts, NULL, err);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

int vpcep_service_describe(vpcep_service_info **out,
                           vpcep_client *client,
                           const char *id,
                           const char *name,
                           vpcep_error *err)
{
    util_buf q;
    rest_request rq;
    rest_result res;
    int rc;

    rest_error_clear(err);
    memset(&res, 0, sizeof(res));
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if ((id == NULL) == (name == NULL) || (id != NULL && !nonempty(id)) ||
        (name != NULL && !nonempty(name)))
        return rest_fail(err, VPCEP_EINVALID, "exactly one of id and name is required");
    util_buf_init(&q, REST_MAX_TEXT_BYTES);
    qadd(&q, id ? "id" : "endpoint_service_name", id ? id : name);
    if (q.error) {
        util_buf_dispose(&q);
        return json_oom(err);
    }
    memset(&rq, 0, sizeof(rq));
    rq.method = "GET";
    rq.path = "/vpc-endpoint-services/describe";
    rq.query = q.data;
    rc = rest_call(client, &rq, &res, err);
    if (rc == 0 && (res.body == NULL || res.body_len == 0))
        rc = rest_fail(err, VPCEP_ENOTFOUND, "service %s not found", id ? id : name);
    else if (rc == 0)
        rc = decode_result(&res, dec_info_v, (void **)out, "service", err);
    if (rc == 0 && (*out)->id == NULL) {
        vpcep_service_info_free(*out);
        *out = NULL;
        rc = rest_fail(err, VPCEP_ENOTFOUND, "service %s not found", id ? id : name);
    }
    rest_result_dispose(&res);
    util_buf_dispose(&q);
    return rc;
}

/* ---- connections ------------------------------------------------------------------------- */
static int connections_list(vpcep_client *client,
                            vpcep_connection_list **out,
                            const char *service_id,
                            const vpcep_connection_list_opts *caller_opts,
                            unsigned int *calls,
                            vpcep_error *err)
{
    vpcep_connection_list_opts opts_v;
    const vpcep_connection_list_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    char path[220];
    util_buf f;
    rest_items parts;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (!id_ok(service_id))
        return rest_fail(err, VPCEP_EINVALID, "invalid service id");
    if (opts != NULL && (rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts,
                                                &rest_v_connection_list_opts, err)) != 0)
        return rc;
    snprintf(path, sizeof(path), "/vpc-endpoint-services/%s/connections", service_id);
    util_buf_init(&f, REST_MAX_TEXT_BYTES);
    if (opts != NULL) {
        qadd(&f, "id", opts->endpoint_id);
        if (opts->marker_id_set)
            qaddi(&f, "marker_id", (long long)opts->marker_id);
        qadd(&f, "status", opts->status);
        qadd(&f, "sort_key", opts->sort_key);
        qadd(&f, "sort_dir", opts->sort_dir);
    }
    rc = list_pages(client, path, &f, opts ? opts->page_size : 0, 1000, &rest_connection_kind,
                    (void **)out, sizeof(**out), &parts, calls, err);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

int vpcep_connections_list(vpcep_connection_list **out,
                           vpcep_client *client,
                           const char *service_id,
                           const vpcep_connection_list_opts *opts,
                           vpcep_error *err)
{
    return connections_list(client, out, service_id, opts, NULL, err);
}

int rest_connection_find(vpcep_client *c,
                         vpcep_connection **out,
                         const char *service_id,
                         const char *endpoint_id,
                         unsigned int *calls,
                         vpcep_error *err)
{
    vpcep_connection_list_opts lo = VPCEP_CONNECTION_LIST_OPTS_INIT;
    vpcep_connection_list *l = NULL;
    size_t i;
    int rc;

    *out = NULL;
    if (!id_ok(endpoint_id))
        return rest_fail(err, VPCEP_EINVALID, "invalid endpoint id");
    lo.endpoint_id = endpoint_id;
    rc = connections_list(c, &l, service_id, &lo, calls, err);
    if (rc != 0)
        return rc;
    for (i = 0; i < l->count; i++) {
        if (l->items[i]->id != NULL && strcmp(l->items[i]->id, endpoint_id) == 0) {
            *out = take_item((void **)&l->items[i]);
            break;
        }
    }
    vpcep_connection_list_free(l);
    if (rc == 0 && *out == NULL)
        rc = rest_fail(err, VPCEP_ENOTFOUND, "endpoint %s is not connected to service %s",
                       endpoint_id, service_id);
    return rc;
}

int vpcep_connection_action(vpcep_connection_list **out,
                            vpcep_client *client,
                            const char *service_id,
                            vpcep_connection_action_kind action,
                            const char *const *endpoint_ids,
                            size_t n_endpoints,
                            vpcep_error *err)
{
    char path[220];
    vpcep_connection_list *acc = NULL;
    size_t i, j;
    int rc = 0;

    rest_error_clear(err);
    if (out != NULL)
        *out = NULL;
    if (client == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client must not be NULL");
    if (!id_ok(service_id))
        return rest_fail(err, VPCEP_EINVALID, "invalid service id");
    if (action != VPCEP_CONNECTION_ACCEPT && action != VPCEP_CONNECTION_REJECT)
        return rest_fail(err, VPCEP_EINVALID, "action must be accept or reject");
    if (n_endpoints == 0 || endpoint_ids == NULL)
        return rest_fail(err, VPCEP_EINVALID, "at least one endpoint id is required");
    for (i = 0; i < n_endpoints; i++) {
        if (!id_ok(endpoint_ids[i]))
            return rest_fail(err, VPCEP_EINVALID, "endpoint_ids[%zu]: invalid id", i);
    }
    acc = util_calloc(1, sizeof(*acc));
    if (acc == NULL)
        return json_oom(err);
    snprintf(path, sizeof(path), "/vpc-endpoint-services/%s/connections/action", service_id);
    for (i = 0; i < n_endpoints; i++) {
        cJSON *root = cJSON_CreateObject();
        char *body;
        rest_request rq;
        rest_result res;
        vpcep_connection_list *one = NULL;

        if (root == NULL ||
            add_str(root, "action", action == VPCEP_CONNECTION_ACCEPT ? "receive" : "reject") ||
            add_str_array(root, "endpoints", &endpoint_ids[i], 1)) {
            cJSON_Delete(root);
            rc = json_oom(err);
            goto done;
        }
        body = print_json(root);
        if (body == NULL) {
            rc = json_oom(err);
            goto done;
        }
        memset(&rq, 0, sizeof(rq));
        rq.method = "POST";
        rq.path = path;
        rq.body = body;
        rc = rest_call(client, &rq, &res, err);
        cJSON_free(body);
        if (rc == 0 && res.body_len > 0)
            rc = decode_result(&res, dec_conns_v, (void **)&one, "connections", err);
        rest_result_dispose(&res);
        if (rc != 0)
            goto done;
        if (one != NULL && one->count > 0) {
            vpcep_connection **grown =
                util_reallocarray(acc->items, acc->count + one->count, sizeof(*acc->items));
            if (grown == NULL) {
                vpcep_connection_list_free(one);
                rc = json_oom(err);
                goto done;
            }
            acc->items = grown;
            for (j = 0; j < one->count; j++)
                acc->items[acc->count++] = one->items[j];
            one->count = 0;
        }
        vpcep_connection_list_free(one);
    }
    acc->total_count = (int64_t)acc->count;
    if (out != NULL) {
        *out = acc;
        acc = NULL;
    }
done:
    vpcep_connection_list_free(acc);
    return rc;
}

/* ---- permissions ------------------------------------------------------------------------- */
int vpcep_permission_from_domain_id(char **out, const char *domain_id)
{
    static const char prefix[] = "iam:domain::";
    char *s;

    if (out == NULL || domain_id == NULL || domain_id[0] == '\0')
        return VPCEP_EINVALID;
    if (strcmp(domain_id, "*") == 0 ||
        util_strncasecmp(domain_id, prefix, sizeof(prefix) - 1) == 0) {
        s = util_strdup(domain_id);
    } else {
        s = util_asprintf("%s%s", prefix, domain_id);
    }
    if (s == NULL)
        return VPCEP_ENOMEM;
    *out = s;
    return 0;
}

int vpcep_permissions_list(vpcep_permission_list **out,
                           vpcep_client *client,
                           const char *service_id,
                           const vpcep_permission_list_opts *caller_opts,
                           vpcep_error *err)
{
    vpcep_permission_list_opts opts_v;
    const vpcep_permission_list_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    char path[220];
    util_buf f;
    rest_items parts;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (!id_ok(service_id))
        return rest_fail(err, VPCEP_EINVALID, "invalid service id");
    if (opts != NULL && (rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts,
                                                &rest_v_permission_list_opts, err)) != 0)
        return rc;
    snprintf(path, sizeof(path), "/vpc-endpoint-services/%s/permissions", service_id);
    util_buf_init(&f, REST_MAX_TEXT_BYTES);
    if (opts != NULL) {
        qadd(&f, "permission", opts->permission);
        qadd(&f, "sort_key", opts->sort_key);
        qadd(&f, "sort_dir", opts->sort_dir);
    }
    rc = list_pages(client, path, &f, opts ? opts->page_size : 0, 500, &rest_permission_kind,
                    (void **)out, sizeof(**out), &parts, NULL, err);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

/* One permissions/action request with domain_ids[0..n). */
static int permission_request(vpcep_client *client,
                              const char *path,
                              vpcep_permission_action_kind action,
                              const char *const *domain_ids,
                              size_t n,
                              vpcep_error *err)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    char *body = NULL;
    rest_request rq;
    rest_result res;
    size_t i;
    int rc;

    memset(&res, 0, sizeof(res));
    if (root == NULL ||
        add_str(root, "action", action == VPCEP_PERMISSION_ADD ? "add" : "remove") ||
        (arr = cJSON_AddArrayToObject(root, "permissions")) == NULL) {
        rc = json_oom(err);
        goto done;
    }
    for (i = 0; i < n; i++) {
        char *p = NULL;
        cJSON *s =
            vpcep_permission_from_domain_id(&p, domain_ids[i]) == 0 ? cJSON_CreateString(p) : NULL;
        util_free(p);
        if (s == NULL) {
            rc = json_oom(err);
            goto done;
        }
        cJSON_AddItemToArray(arr, s);
    }
    body = cJSON_PrintUnformatted(root);
    if (body == NULL) {
        rc = json_oom(err);
        goto done;
    }
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = path;
    rq.body = body;
    rc = rest_call(client, &rq, &res, err);
done:
    rest_result_dispose(&res);
    cJSON_Delete(root);
    cJSON_free(body);
    return rc;
}

int vpcep_permission_action(vpcep_client *client,
                            const char *service_id,
                            vpcep_permission_action_kind action,
                            const char *const *domain_ids,
                            size_t n_domain_ids,
                            vpcep_error *err)
{
    char path[220];
    size_t i;
    int rc = 0;

    rest_error_clear(err);
    if (client == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client must not be NULL");
    if (!id_ok(service_id))
        return rest_fail(err, VPCEP_EINVALID, "invalid service id");
    if (action != VPCEP_PERMISSION_ADD && action != VPCEP_PERMISSION_REMOVE)
        return rest_fail(err, VPCEP_EINVALID, "action must be add or remove");
    if (n_domain_ids == 0 || domain_ids == NULL)
        return rest_fail(err, VPCEP_EINVALID, "at least one domain id is required");
    for (i = 0; i < n_domain_ids; i++) {
        if (!nonempty(domain_ids[i]) || strlen(domain_ids[i]) > 80)
            return rest_fail(err, VPCEP_EINVALID, "domain_ids[%zu]: invalid", i);
    }
    snprintf(path, sizeof(path), "/vpc-endpoint-services/%s/permissions/action", service_id);
    /* The API takes at most VPCEP_MAX_PERMISSIONS_PER_REQUEST records a request (EndPoint.3049
     * beyond): a longer list goes out in chunks, in order. */
    for (i = 0; rc == 0 && i < n_domain_ids; i += VPCEP_MAX_PERMISSIONS_PER_REQUEST) {
        size_t n = n_domain_ids - i;
        if (n > VPCEP_MAX_PERMISSIONS_PER_REQUEST)
            n = VPCEP_MAX_PERMISSIONS_PER_REQUEST;
        rc = permission_request(client, path, action, domain_ids + i, n, err);
    }
    return rc;
}

/* ---- endpoints --------------------------------------------------------------------------- */
typedef struct id_set {
    char **ids;
    size_t n;
} id_set;

static void id_set_free(id_set *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        util_free(s->ids[i]);
    util_free(s->ids);
    s->ids = NULL;
    s->n = 0;
}

static int id_set_has(const id_set *s, const char *id)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (strcmp(s->ids[i], id) == 0)
            return 1;
    }
    return 0;
}

static int endpoint_candidates(vpcep_client *c,
                               const vpcep_endpoint_create_opts *o,
                               vpcep_endpoint_list **out,
                               vpcep_error *err)
{
    vpcep_endpoint_list_opts lo = VPCEP_ENDPOINT_LIST_OPTS_INIT;

    lo.vpc_id = o->vpc_id;
    lo.page_size = 1000;
    return vpcep_endpoints_list(out, c, &lo, err);
}

static int endpoint_matches(const vpcep_endpoint *e, const vpcep_endpoint_create_opts *o)
{
    if (e->id == NULL || e->endpoint_service_id == NULL ||
        strcmp(e->endpoint_service_id, o->endpoint_service_id) != 0)
        return 0;
    if (e->vpc_id != NULL && strcmp(e->vpc_id, o->vpc_id) != 0)
        return 0;
    if (o->subnet_id != NULL && e->subnet_id != NULL && strcmp(e->subnet_id, o->subnet_id) != 0)
        return 0;
    if (e->status != NULL && strcmp(e->status, "deleting") == 0)
        return 0;
    return 1;
}

/*
 * Before an endpoint create: the matching endpoints (same service, VPC, subnet) that exist, into
 * @p s; those that carry a marker this process did not issue are the leftovers of a create that
 * did not finish - the create is refused (VPCEP_ECODE_UNFINISHED_CREATE) rather than make a
 * silent duplicate next to them.
 */
static int
endpoint_snapshot(vpcep_client *c, const vpcep_endpoint_create_opts *o, id_set *s, vpcep_error *err)
{
    vpcep_endpoint_list *l = NULL;
    util_buf orphans;
    long long oldest = -1;
    size_t i;
    int rc = endpoint_candidates(c, o, &l, err);

    if (rc != 0)
        return rc;
    util_buf_init(&orphans, REST_MAX_TEXT_BYTES);
    s->ids = util_calloc(l->count ? l->count : 1, sizeof(char *));
    if (s->ids == NULL) {
        rc = json_oom(err);
        goto done;
    }
    for (i = 0; i < l->count; i++) {
        const char *v;
        if (!endpoint_matches(l->items[i], o))
            continue;
        v = rest_tag_value(l->items[i]->tags, l->items[i]->n_tags, VPCEP_CREATE_MARKER_KEY);
        if (v != NULL && !rest_marker_is_own(v) && !rest_is_claimed(l->items[i]->id)) {
            long long age = rest_marker_age_s(v);
            cand_add(&orphans, l->items[i]->id);
            if (age > oldest)
                oldest = age;
        }
        s->ids[s->n] = l->items[i]->id;
        l->items[i]->id = NULL;
        s->n++;
    }
    if (orphans.error) {
        rc = json_oom(err);
    } else if (orphans.len > 0) {
        rest_error_clear(err);
        rc = rest_fail(
            err, VPCEP_ECONFLICT,
            "endpoints of this service, VPC and subnet were left by a create that did "
            "not finish: they carry the " VPCEP_CREATE_MARKER_KEY " tag of a create "
            "started up to %lld s ago (an interrupted apply, or one still running "
            "elsewhere); a new endpoint would duplicate one of them. " VPCEP_CANDIDATES_LABEL " %s",
            oldest, orphans.data);
        set_error_code(err, VPCEP_ECODE_UNFINISHED_CREATE);
    }
done:
    util_buf_dispose(&orphans);
    vpcep_endpoint_list_free(l);
    return rc;
}

/* After a create whose outcome is unknown: the endpoint with this call's marker; without a
 * marker, the matching endpoints that were not there before and no create of this process
 * claimed. */
static int endpoint_lookup(vpcep_client *c,
                           const vpcep_endpoint_create_opts *o,
                           const id_set *before,
                           const char *marker,
                           vpcep_endpoint **found,
                           util_buf *cands,
                           vpcep_error *err)
{
    vpcep_endpoint_list *l = NULL;
    size_t i;
    int rc = endpoint_candidates(c, o, &l, err);

    *found = NULL;
    if (rc != 0)
        return rc;
    for (i = 0; i < l->count; i++) {
        vpcep_endpoint *e = l->items[i];
        const char *v;
        if (!endpoint_matches(e, o))
            continue;
        v = rest_tag_value(e->tags, e->n_tags, VPCEP_CREATE_MARKER_KEY);
        if (marker != NULL) {
            if (v != NULL && strcmp(v, marker) == 0) {
                *found = take_item((void **)&l->items[i]);
                break;
            }
        } else if (!id_set_has(before, e->id) && !rest_is_claimed(e->id)) {
            cand_add(cands, e->id);
        }
    }
    vpcep_endpoint_list_free(l);
    return rc;
}

typedef struct endpoint_lookup_ctx {
    const vpcep_endpoint_create_opts *opts;
    const id_set *before; /* matching endpoints that existed before the create */
} endpoint_lookup_ctx;

static int endpoint_lookup_op(vpcep_client *c,
                              const void *ctx,
                              const char *marker,
                              void **found,
                              util_buf *cands,
                              vpcep_error *err)
{
    const endpoint_lookup_ctx *lc = ctx;

    return endpoint_lookup(c, lc->opts, lc->before, marker, (vpcep_endpoint **)found, cands, err);
}

static const char *endpoint_id_of(const void *obj)
{
    const vpcep_endpoint *e = obj;

    return e->id != NULL ? e->id : "?";
}

static void endpoint_free_obj(void *obj)
{
    vpcep_endpoint_free(obj);
}

static int add_policies(cJSON *o, const vpcep_policy_param *p, size_t n)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "policy_statement");
    size_t i;

    if (arr == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateObject();
        if (s == NULL)
            return -1;
        cJSON_AddItemToArray(arr, s);
        if (add_str(s, "Effect", p[i].effect ? p[i].effect : "Allow") ||
            add_str_array(s, "Action", p[i].actions, p[i].n_actions) ||
            add_str_array(s, "Resource", p[i].resources, p[i].n_resources))
            return -1;
    }
    return 0;
}

int vpcep_endpoint_create(vpcep_endpoint **out,
                          vpcep_client *client,
                          const vpcep_endpoint_create_opts *caller_opts,
                          vpcep_error *err)
{
    char marker_buf[REST_MARKER_SIZE];
    vpcep_endpoint_create_opts opts_v;
    const vpcep_endpoint_create_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    id_set before = {NULL, 0};
    const endpoint_lookup_ctx lc = {opts, &before};
    create_op op = {"/vpc-endpoints",   "endpoint", dec_endpoint_v,
                    endpoint_lookup_op, &lc,        endpoint_id_of,
                    endpoint_free_obj,  NULL};
    cJSON *root = NULL;
    char *body = NULL;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL || opts == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client, out and opts must not be NULL");
    *out = NULL;
    if ((rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts, &rest_v_endpoint_create_opts,
                                err)) != 0)
        return rc;
    if (!id_ok(opts->endpoint_service_id) || !id_ok(opts->vpc_id))
        return rest_fail(err, VPCEP_EINVALID, "endpoint_service_id and vpc_id are required");
    if ((rc = check_tags(opts->tags, opts->n_tags, err)) != 0 ||
        (rc = check_marker_key_free(opts->tags, opts->n_tags, err)) != 0)
        return rc;
    if ((opts->n_routetables > 0 && opts->routetables == NULL) ||
        (opts->n_whitelist > 0 && opts->whitelist == NULL) ||
        (opts->n_policy_statements > 0 && opts->policy_statements == NULL))
        return rest_fail(err, VPCEP_EINVALID, "NULL array with a nonzero count");
    if ((rc = endpoint_snapshot(client, opts, &before, err)) != 0 ||
        (rc = make_marker(opts->n_tags, marker_buf, &op.marker, err)) != 0)
        goto done;
    root = cJSON_CreateObject();
    if (root == NULL || add_str(root, "endpoint_service_id", opts->endpoint_service_id) ||
        add_str(root, "vpc_id", opts->vpc_id) || add_str(root, "subnet_id", opts->subnet_id) ||
        add_str(root, "port_ip", opts->port_ip) ||
        add_str(root, "specification_name", opts->specification_name) ||
        add_str(root, "description", opts->description) ||
        (opts->enable_dns_set &&
         cJSON_AddBoolToObject(root, "enable_dns", opts->enable_dns != 0) == NULL) ||
        (opts->enable_whitelist_set &&
         cJSON_AddBoolToObject(root, "enable_whitelist", opts->enable_whitelist != 0) == NULL) ||
        add_tags_marked(root, opts->tags, opts->n_tags, op.marker) ||
        ((opts->routetables_set || opts->n_routetables > 0) &&
         add_str_array(root, "routetables", opts->routetables, opts->n_routetables)) ||
        ((opts->whitelist_set || opts->n_whitelist > 0) &&
         add_str_array(root, "whitelist", opts->whitelist, opts->n_whitelist)) ||
        (opts->n_policy_statements > 0 &&
         add_policies(root, opts->policy_statements, opts->n_policy_statements))) {
        cJSON_Delete(root);
        rc = json_oom(err);
        goto done;
    }
    body = print_json(root);
    if (body == NULL) {
        rc = json_oom(err);
        goto done;
    }
    rc = create_object(client, &op, body, (void **)out, err);
done:
    id_set_free(&before);
    cJSON_free(body);
    return rc;
}

int rest_endpoint_get(
    vpcep_client *c, vpcep_endpoint **out, const char *id, unsigned int *calls, vpcep_error *err)
{
    return get_by_id(c, "/vpc-endpoints", id, dec_endpoint_v, (void **)out, "endpoint", calls, err);
}

int vpcep_endpoint_get(vpcep_endpoint **out, vpcep_client *client, const char *id, vpcep_error *err)
{
    return rest_endpoint_get(client, out, id, NULL, err);
}

int vpcep_endpoints_list(vpcep_endpoint_list **out,
                         vpcep_client *client,
                         const vpcep_endpoint_list_opts *caller_opts,
                         vpcep_error *err)
{
    vpcep_endpoint_list_opts opts_v;
    const vpcep_endpoint_list_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    util_buf f;
    rest_items parts;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (opts != NULL && (rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts,
                                                &rest_v_endpoint_list_opts, err)) != 0)
        return rc;
    util_buf_init(&f, REST_MAX_TEXT_BYTES);
    if (opts != NULL) {
        qadd(&f, "endpoint_service_name", opts->service_name);
        qadd(&f, "vpc_id", opts->vpc_id);
        qadd(&f, "id", opts->id);
        qadd(&f, "sort_key", opts->sort_key);
        qadd(&f, "sort_dir", opts->sort_dir);
    }
    rc = list_pages(client, "/vpc-endpoints", &f, opts ? opts->page_size : 0, 1000,
                    &rest_endpoint_kind, (void **)out, sizeof(**out), &parts, NULL, err);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

int vpcep_endpoint_delete(vpcep_client *client, const char *id, vpcep_error *err)
{
    return simple_delete(client, "/vpc-endpoints", id, err);
}

/* ---- quotas and tags --------------------------------------------------------------------- */
int vpcep_quota_get(vpcep_quota_list **out,
                    vpcep_client *client,
                    const char *type,
                    vpcep_error *err)
{
    util_buf q;
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    if (type != NULL && strcmp(type, "endpoint_service") != 0 && strcmp(type, "endpoint") != 0)
        return rest_fail(err, VPCEP_EINVALID, "type must be endpoint_service or endpoint");
    util_buf_init(&q, REST_MAX_TEXT_BYTES);
    qadd(&q, "type", type);
    rc = q.error ? json_oom(err)
                 : rest_get_object(client, "/quotas", q.data, dec_quota_v, (void **)out, "quotas",
                                   NULL, err);
    util_buf_dispose(&q);
    return rc;
}

static const char *resource_type_name(vpcep_resource_type t)
{
    return t == VPCEP_RESOURCE_SERVICE    ? "endpoint_service"
           : t == VPCEP_RESOURCE_ENDPOINT ? "endpoint"
                                          : NULL;
}

int vpcep_tags_action(vpcep_client *client,
                      vpcep_resource_type type,
                      const char *resource_id,
                      vpcep_tags_action_kind action,
                      const vpcep_tag_param *tags,
                      size_t n_tags,
                      vpcep_error *err)
{
    char path[240];
    const char *tname = resource_type_name(type);
    cJSON *root = NULL;
    char *body = NULL;
    rest_request rq;
    rest_result res;
    int rc;

    rest_error_clear(err);
    memset(&res, 0, sizeof(res));
    if (client == NULL || tname == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and a valid resource type are required");
    if (!id_ok(resource_id))
        return rest_fail(err, VPCEP_EINVALID, "invalid resource id");
    if (action != VPCEP_TAGS_CREATE && action != VPCEP_TAGS_DELETE)
        return rest_fail(err, VPCEP_EINVALID, "action must be create or delete");
    if (n_tags == 0)
        return rest_fail(err, VPCEP_EINVALID, "at least one tag is required");
    if ((rc = check_tags(tags, n_tags, err)) != 0)
        return rc;
    root = cJSON_CreateObject();
    if (root == NULL ||
        add_str(root, "action", action == VPCEP_TAGS_CREATE ? "create" : "delete") ||
        add_tags(root, tags, n_tags, action == VPCEP_TAGS_DELETE)) {
        rc = json_oom(err);
        goto done;
    }
    body = cJSON_PrintUnformatted(root);
    if (body == NULL) {
        rc = json_oom(err);
        goto done;
    }
    snprintf(path, sizeof(path), "/%s/%s/tags/action", tname, resource_id);
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = path;
    rq.body = body;
    rc = rest_call(client, &rq, &res, err);
done:
    rest_result_dispose(&res);
    cJSON_Delete(root);
    cJSON_free(body);
    return rc;
}

int vpcep_project_tags_list(vpcep_project_tag_list **out,
                            vpcep_client *client,
                            vpcep_resource_type type,
                            vpcep_error *err)
{
    char path[64];
    const char *tname = resource_type_name(type);

    rest_error_clear(err);
    if (client == NULL || out == NULL || tname == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client, out and a valid resource type are required");
    *out = NULL;
    snprintf(path, sizeof(path), "/%s/tags", tname);
    return rest_get_object(client, path, NULL, dec_ptags_v, (void **)out, "tags", NULL, err);
}

/* ---- resources by tag (resource_instances) ------------------------------------------------ */
static int add_tag_filters(cJSON *o, const char *key, const vpcep_tag_filter *f, size_t n)
{
    cJSON *arr;
    size_t i;

    if (n == 0)
        return 0;
    arr = cJSON_AddArrayToObject(o, key);
    if (arr == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        cJSON *t = cJSON_CreateObject();
        if (t == NULL)
            return -1;
        cJSON_AddItemToArray(arr, t);
        if (add_str(t, "key", f[i].key ? f[i].key : "") ||
            add_str_array(t, "values", f[i].values, f[i].n_values))
            return -1;
    }
    return 0;
}

static int
check_tag_filters(const vpcep_tag_filter *f, size_t n, const char *what, vpcep_error *err)
{
    size_t i;

    if (n > 0 && f == NULL)
        return rest_fail(err, VPCEP_EINVALID, "%s: NULL array", what);
    for (i = 0; i < n; i++) {
        if (!nonempty(f[i].key) || (f[i].n_values > 0 && f[i].values == NULL))
            return rest_fail(err, VPCEP_EINVALID, "%s[%zu]: key and values required", what, i);
    }
    return 0;
}

/* Builds the query body; offset < 0 = count (no paging fields). */
static char *
resource_query_body(const vpcep_resource_query_opts *o, long long limit, long long offset)
{
    cJSON *root = cJSON_CreateObject();
    char num[32];

    if (root == NULL)
        return NULL;
    if (add_str(root, "action", offset < 0 ? "count" : "filter"))
        goto fail;
    if (offset >= 0) {
        snprintf(num, sizeof(num), "%lld", limit);
        if (add_str(root, "limit", num))
            goto fail;
        snprintf(num, sizeof(num), "%lld", offset);
        if (add_str(root, "offset", num))
            goto fail;
    }
    if (o != NULL) {
        if (add_tag_filters(root, "tags", o->tags, o->n_tags) ||
            add_tag_filters(root, "tags_any", o->tags_any, o->n_tags_any) ||
            add_tag_filters(root, "not_tags", o->not_tags, o->n_not_tags) ||
            add_tag_filters(root, "not_tags_any", o->not_tags_any, o->n_not_tags_any))
            goto fail;
        if (o->resource_name != NULL) {
            cJSON *arr = cJSON_AddArrayToObject(root, "matches"), *m;
            if (arr == NULL || (m = cJSON_CreateObject()) == NULL)
                goto fail;
            cJSON_AddItemToArray(arr, m);
            if (add_str(m, "key", "resource_name") || add_str(m, "value", o->resource_name))
                goto fail;
        }
    }
    return print_json(root);
fail:
    cJSON_Delete(root);
    return NULL;
}

/* Checks the arguments of a resource query and reads the caller's options into @p opts_v. */
static int resource_query_check(vpcep_resource_query_opts *opts_v,
                                vpcep_client *client,
                                vpcep_resource_type type,
                                const vpcep_resource_query_opts *caller_opts,
                                vpcep_error *err)
{
    const vpcep_resource_query_opts *opts = opts_v;
    int rc;

    if (client == NULL || resource_type_name(type) == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and a valid resource type are required");
    if (caller_opts == NULL)
        return 0;
    if ((rc = rest_version_read(opts_v, sizeof(*opts_v), caller_opts, &rest_v_resource_query_opts,
                                err)) != 0 ||
        (rc = check_tag_filters(opts->tags, opts->n_tags, "tags", err)) != 0 ||
        (rc = check_tag_filters(opts->tags_any, opts->n_tags_any, "tags_any", err)) != 0 ||
        (rc = check_tag_filters(opts->not_tags, opts->n_not_tags, "not_tags", err)) != 0 ||
        (rc = check_tag_filters(opts->not_tags_any, opts->n_not_tags_any, "not_tags_any", err)) !=
            0)
        return rc;
    return 0;
}

int vpcep_resources_filter(vpcep_tagged_resource_list **out,
                           vpcep_client *client,
                           vpcep_resource_type type,
                           const vpcep_resource_query_opts *caller_opts,
                           vpcep_error *err)
{
    vpcep_resource_query_opts opts_v;
    const vpcep_resource_query_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    const vpcep_resource_query_opts none = VPCEP_RESOURCE_QUERY_OPTS_INIT;
    char path[64];
    page_source src;
    rest_items parts;
    int rc;

    rest_error_clear(err);
    if (out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "out must not be NULL");
    *out = NULL;
    if ((rc = resource_query_check(&opts_v, client, type, caller_opts, err)) != 0)
        return rc;
    snprintf(path, sizeof(path), "/%s/resource_instances/action", resource_type_name(type));
    src.path = path;
    src.filters = NULL;
    src.filter = opts != NULL ? opts : &none;
    rc = page_loop(client, &src, opts != NULL && opts->page_size > 0 ? opts->page_size : 1000, 1000,
                   &rest_tagged_resource_kind, (void **)out, sizeof(**out), &parts, NULL, err);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

int vpcep_resources_count(int64_t *count,
                          vpcep_client *client,
                          vpcep_resource_type type,
                          const vpcep_resource_query_opts *caller_opts,
                          vpcep_error *err)
{
    vpcep_resource_query_opts opts_v;
    const vpcep_resource_query_opts *opts = caller_opts != NULL ? &opts_v : NULL;
    char path[64];
    char *body = NULL;
    rest_request rq;
    rest_result res;
    cJSON *root = NULL;
    int rc;

    rest_error_clear(err);
    memset(&res, 0, sizeof(res));
    if (count == NULL)
        return rest_fail(err, VPCEP_EINVALID, "count_out must not be NULL");
    *count = 0;
    if ((rc = resource_query_check(&opts_v, client, type, caller_opts, err)) != 0)
        return rc;
    body = resource_query_body(opts, 0, -1);
    if (body == NULL)
        return json_oom(err);
    snprintf(path, sizeof(path), "/%s/resource_instances/action", resource_type_name(type));
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = path;
    rq.body = body;
    rc = rest_call(client, &rq, &res, err);
    if (rc != 0)
        goto done;
    rc = rest_json_parse_object(&root, res.body ? res.body : "", res.body_len);
    if (rc == VPCEP_ENOMEM) {
        rc = json_oom(err);
        goto done;
    }
    if (rc != 0 || !rest_json_int64(root, "total_count", count)) {
        rc = rest_fail(err, VPCEP_EAPI, "no total_count in the API answer");
        goto done;
    }
done:
    cJSON_Delete(root);
    rest_result_dispose(&res);
    cJSON_free(body);
    return rc;
}
