/* Lenient JSON decoding of API answers into the typed model (cJSON). */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * cJSON keeps numbers as doubles, which loses integers above 2^53 (marker_id can be
 * 422321321312321321). Before parsing, integer literals of more than 15 digits are turned into
 * strings, which the int64 reader accepts.
 */
static char *quote_big_integers(const char *json, size_t len, size_t *out_len)
{
    util_buf b;
    size_t i = 0, start = 0;
    int in_str = 0;

    /* Each rewrite adds 2 quotes to at least 16 characters: the result fits in len + len / 8 + 16.
     */
    util_buf_init(&b, len < SIZE_MAX / 2 ? len + len / 8 + 16 : SIZE_MAX - 1);
    while (i < len) {
        char ch = json[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
            i++;
            continue;
        }
        if (ch == '"') {
            in_str = 1;
            i++;
            continue;
        }
        if (ch == '-' || (ch >= '0' && ch <= '9')) {
            size_t j = i + (ch == '-'), digits = 0;
            while (j < len && json[j] >= '0' && json[j] <= '9') {
                j++;
                digits++;
            }
            if (digits > 15 && digits <= 19 &&
                (j >= len || (json[j] != '.' && json[j] != 'e' && json[j] != 'E'))) {
                util_buf_append(&b, json + start, i - start);
                util_buf_append(&b, "\"", 1);
                util_buf_append(&b, json + i, j - i);
                util_buf_append(&b, "\"", 1);
                start = j;
            }
            i = j > i ? j : i + 1;
            continue;
        }
        i++;
    }
    if (start == 0) {
        util_buf_dispose(&b);
        *out_len = len;
        return NULL; /* unchanged */
    }
    util_buf_append(&b, json + start, len - start);
    if (b.error) {
        util_buf_dispose(&b);
        *out_len = 0;
        return NULL;
    }
    *out_len = b.len;
    return util_buf_detach(&b, NULL);
}

cJSON *rest_json_parse(const char *json, size_t len)
{
    char *rewritten;
    size_t nlen = 0;
    cJSON *root;

    if (json == NULL)
        return NULL;
    rewritten = quote_big_integers(json, len, &nlen);
    if (rewritten == NULL && nlen == 0 && len != 0)
        return NULL;
    root = cJSON_ParseWithLength(rewritten ? rewritten : json, rewritten ? nlen : len);
    util_free(rewritten);
    return root;
}

int rest_json_parse_object(cJSON **out, const char *json, size_t len)
{
    long failures = util_alloc_failures();
    int saved = errno;
    int rc = 0;

    /* cJSON reports a failed allocation like a syntax error; the allocator's errno (the C
     * allocator's, or util's when cJSON allocates through it) tells them apart. */
    errno = 0;
    *out = rest_json_parse(json, len);
    if (*out == NULL)
        rc = errno == ENOMEM || util_alloc_failures() != failures ? VPCEP_ENOMEM : VPCEP_EINVALID;
    errno = saved;
    if (rc == 0 && !cJSON_IsObject(*out)) {
        cJSON_Delete(*out);
        *out = NULL;
        rc = VPCEP_EINVALID;
    }
    return rc;
}

char *rest_json_str(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (cJSON_IsString(it) && it->valuestring != NULL)
        return util_strdup(it->valuestring);
    return NULL;
}

int rest_json_bool(const cJSON *obj, const char *key, int *value)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (cJSON_IsBool(it)) {
        *value = cJSON_IsTrue(it) ? 1 : 0;
        return 1;
    }
    if (cJSON_IsString(it) && it->valuestring != NULL) {
        if (util_strcasecmp(it->valuestring, "true") == 0 || strcmp(it->valuestring, "1") == 0) {
            *value = 1;
            return 1;
        }
        if (util_strcasecmp(it->valuestring, "false") == 0 || strcmp(it->valuestring, "0") == 0) {
            *value = 0;
            return 1;
        }
        return 0;
    }
    if (cJSON_IsNumber(it)) {
        *value = it->valuedouble != 0;
        return 1;
    }
    return 0;
}

int rest_json_int64(const cJSON *obj, const char *key, int64_t *value)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        if (!isfinite(d) || d < -9.2e18 || d > 9.2e18)
            return 0;
        *value = (int64_t)d;
        return 1;
    }
    if (cJSON_IsString(it) && it->valuestring != NULL && it->valuestring[0] != '\0') {
        char *end = NULL;
        long long v;
        errno = 0;
        v = strtoll(it->valuestring, &end, 10);
        if (errno != 0 || end == NULL || *end != '\0')
            return 0;
        *value = (int64_t)v;
        return 1;
    }
    return 0;
}

static int json_int(const cJSON *obj, const char *key, int *value)
{
    int64_t v = 0;

    if (!rest_json_int64(obj, key, &v) || v < INT_MIN || v > INT_MAX)
        return 0;
    *value = (int)v;
    return 1;
}

/* ---- time -------------------------------------------------------------------------------- */
static int scan_datetime(const char *text, char sep, struct tm *tmv, int *n)
{
    int got;

    memset(tmv, 0, sizeof(*tmv));
    *n = 0;
    if (sep == 'T')
        got = sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tmv->tm_year, &tmv->tm_mon, &tmv->tm_mday,
                     &tmv->tm_hour, &tmv->tm_min, &tmv->tm_sec, n);
    else
        got = sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d%n", &tmv->tm_year, &tmv->tm_mon, &tmv->tm_mday,
                     &tmv->tm_hour, &tmv->tm_min, &tmv->tm_sec, n);
    return got == 6 && *n >= 19;
}

int vpcep_parse_time(int64_t *out, const char *text)
{
    struct tm tmv;
    const char *p;
    int n = 0, off = 0;
    time_t t;

    if (text == NULL || out == NULL)
        return VPCEP_EINVALID;
    if (!scan_datetime(text, 'T', &tmv, &n) && !scan_datetime(text, ' ', &tmv, &n))
        return VPCEP_EINVALID;
    if (tmv.tm_mon < 1 || tmv.tm_mon > 12 || tmv.tm_mday < 1 || tmv.tm_mday > 31 ||
        tmv.tm_hour > 23 || tmv.tm_min > 59 || tmv.tm_sec > 60 || tmv.tm_hour < 0 ||
        tmv.tm_min < 0 || tmv.tm_sec < 0)
        return VPCEP_EINVALID;
    p = text + n;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return VPCEP_EINVALID;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int hh = 0, mm = 0, m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &m) == 2 && m == 5) {
            /* ok */
        } else if (sscanf(p + 1, "%2d%2d%n", &hh, &mm, &m) == 2 && m == 4) {
            /* ok */
        } else {
            return VPCEP_EINVALID;
        }
        off = (hh * 60 + mm) * 60 * (*p == '-' ? -1 : 1);
        p += 1 + m;
    }
    if (*p != '\0')
        return VPCEP_EINVALID;
    tmv.tm_year -= 1900;
    tmv.tm_mon -= 1;
    t = timegm(&tmv);
    if (t == (time_t)-1 && !(tmv.tm_year == 69 && tmv.tm_mday == 31))
        return VPCEP_EINVALID;
    *out = (int64_t)t - off;
    return 0;
}

static void time_field(const cJSON *o, const char *key, char **str, int64_t *epoch)
{
    *str = rest_json_str(o, key);
    *epoch = 0;
    if (*str != NULL && vpcep_parse_time(epoch, *str) != 0)
        *epoch = 0;
}

/* ---- arrays ------------------------------------------------------------------------------ */
static int str_array(const cJSON *o, const char *key, char ***out, size_t *n)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key), *it;
    size_t cnt = 0;

    *out = NULL;
    *n = 0;
    if (!cJSON_IsArray(arr))
        return 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsString(it))
            cnt++;
    }
    if (cnt == 0)
        return 0;
    *out = util_calloc(cnt, sizeof(char *));
    if (*out == NULL)
        return VPCEP_ENOMEM;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it))
            continue;
        (*out)[*n] = util_strdup(it->valuestring);
        if ((*out)[*n] == NULL)
            return VPCEP_ENOMEM;
        (*n)++;
    }
    return 0;
}

static void str_array_free(char **a, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        util_free(a[i]);
    util_free(a);
}

/* Decodes one item with k. The decoders copy many optional fields, and a copy that fails would
 * read as an absent field: an item during whose decoding any allocation failed is an ENOMEM,
 * never an item with a field missing. */
static int decode_item(const rest_item_kind *k, const cJSON *o, void *item)
{
    long failures = util_alloc_failures();
    int rc = k->decode(o, item);

    if (rc == 0 && util_alloc_failures() != failures)
        rc = VPCEP_ENOMEM;
    return rc;
}

/*
 * Arrays of model structs are arrays of pointers, each element allocated on its own
 * (vpcep/model.h), so that a struct can grow without changing what callers index. One pair of
 * functions decodes and frees every such array, driven by a rest_item_kind.
 */
static int decode_array(const cJSON *arr, const rest_item_kind *k, void ***out, size_t *n)
{
    const cJSON *it;
    void **items;
    int cnt, rc;

    *out = NULL;
    *n = 0;
    if (!cJSON_IsArray(arr) || (cnt = cJSON_GetArraySize(arr)) <= 0)
        return 0;
    items = util_calloc((size_t)cnt, sizeof(*items));
    if (items == NULL)
        return VPCEP_ENOMEM;
    *out = items;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsObject(it))
            continue;
        items[*n] = util_calloc(1, k->size);
        if (items[*n] == NULL)
            return VPCEP_ENOMEM;
        /* Counted before decoding, so a half-decoded element is disposed with the array. */
        rc = decode_item(k, it, items[(*n)++]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void rest_dispose_items(const rest_item_kind *k, void **items, size_t count)
{
    size_t i;

    for (i = 0; items != NULL && i < count; i++) {
        if (items[i] != NULL) {
            k->dispose(items[i]);
            util_free(items[i]);
        }
    }
    util_free(items);
}

static int dec_tag(const cJSON *o, void *item)
{
    vpcep_tag *t = item;

    t->key = rest_json_str(o, "key");
    t->value = rest_json_str(o, "value");
    return 0;
}

static void disp_tag(void *item)
{
    vpcep_tag *t = item;

    util_free(t->key);
    util_free(t->value);
}

static const rest_item_kind tag_kind = {NULL, sizeof(vpcep_tag), dec_tag, disp_tag};

static int tags_decode(const cJSON *o, vpcep_tag ***out, size_t *n)
{
    return decode_array(cJSON_GetObjectItemCaseSensitive(o, "tags"), &tag_kind, (void ***)out, n);
}

static void tags_free(vpcep_tag **t, size_t n)
{
    rest_dispose_items(&tag_kind, (void **)t, n);
}

static int dec_error_item(const cJSON *o, void *item)
{
    vpcep_error_item *e = item;

    e->error_code = rest_json_str(o, "error_code");
    e->error_message = rest_json_str(o, "error_message");
    if (e->error_message == NULL)
        e->error_message = rest_json_str(o, "error_msg");
    return 0;
}

static void disp_error_item(void *item)
{
    vpcep_error_item *e = item;

    util_free(e->error_code);
    util_free(e->error_message);
}

static const rest_item_kind error_item_kind = {NULL, sizeof(vpcep_error_item), dec_error_item,
                                               disp_error_item};

/* `error` is an array of {error_code, error_message}, or a single such object. */
static int errors_decode(const cJSON *o, vpcep_error_item ***out, size_t *n)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    vpcep_error_item **one;

    if (!cJSON_IsObject(e))
        return decode_array(e, &error_item_kind, (void ***)out, n);
    *out = NULL;
    *n = 0;
    one = util_calloc(1, sizeof(*one));
    if (one == NULL)
        return VPCEP_ENOMEM;
    *out = one;
    one[0] = util_calloc(1, sizeof(**one));
    if (one[0] == NULL)
        return VPCEP_ENOMEM;
    *n = 1;
    return dec_error_item(e, one[0]);
}

static void errors_free(vpcep_error_item **e, size_t n)
{
    rest_dispose_items(&error_item_kind, (void **)e, n);
}

static int dec_port(const cJSON *o, void *item)
{
    vpcep_port_mapping *pm = item;

    json_int(o, "client_port", &pm->client_port);
    json_int(o, "server_port", &pm->server_port);
    pm->protocol = rest_json_str(o, "protocol");
    return 0;
}

static void disp_port(void *item)
{
    util_free(((vpcep_port_mapping *)item)->protocol);
}

static const rest_item_kind port_kind = {NULL, sizeof(vpcep_port_mapping), dec_port, disp_port};

/* ---- services ---------------------------------------------------------------------------- */
int rest_decode_service_obj(const cJSON *o, vpcep_service *s)
{
    int rc;

    memset(s, 0, sizeof(*s));
    s->id = rest_json_str(o, "id");
    s->port_id = rest_json_str(o, "port_id");
    s->vip_port_id = rest_json_str(o, "vip_port_id");
    s->pool_id = rest_json_str(o, "pool_id");
    s->service_name = rest_json_str(o, "service_name");
    s->service_type = rest_json_str(o, "service_type");
    s->server_type = rest_json_str(o, "server_type");
    s->vpc_id = rest_json_str(o, "vpc_id");
    s->approval_enabled_set = rest_json_bool(o, "approval_enabled", &s->approval_enabled);
    s->status = rest_json_str(o, "status");
    time_field(o, "created_at", &s->created_at, &s->created_at_epoch);
    time_field(o, "updated_at", &s->updated_at, &s->updated_at_epoch);
    s->project_id = rest_json_str(o, "project_id");
    s->domain_id = rest_json_str(o, "domain_id");
    s->tcp_proxy = rest_json_str(o, "tcp_proxy");
    s->description = rest_json_str(o, "description");
    s->cidr_type = rest_json_str(o, "cidr_type");
    rest_json_int64(o, "connection_count", &s->connection_count);
    rc = decode_array(cJSON_GetObjectItemCaseSensitive(o, "ports"), &port_kind, (void ***)&s->ports,
                      &s->n_ports);
    if (rc != 0)
        return rc;
    if ((rc = tags_decode(o, &s->tags, &s->n_tags)) != 0)
        return rc;
    return errors_decode(o, &s->errors, &s->n_errors);
}

void rest_service_dispose(vpcep_service *s)
{
    util_free(s->id);
    util_free(s->port_id);
    util_free(s->vip_port_id);
    util_free(s->pool_id);
    util_free(s->service_name);
    util_free(s->service_type);
    util_free(s->server_type);
    util_free(s->vpc_id);
    util_free(s->status);
    util_free(s->created_at);
    util_free(s->updated_at);
    util_free(s->project_id);
    util_free(s->domain_id);
    util_free(s->tcp_proxy);
    util_free(s->description);
    util_free(s->cidr_type);
    rest_dispose_items(&port_kind, (void **)s->ports, s->n_ports);
    tags_free(s->tags, s->n_tags);
    errors_free(s->errors, s->n_errors);
    memset(s, 0, sizeof(*s));
}

void vpcep_service_free(vpcep_service *svc)
{
    if (svc == NULL)
        return;
    rest_service_dispose(svc);
    util_free(svc);
}

void vpcep_service_list_free(vpcep_service_list *list)
{
    if (list != NULL)
        rest_dispose_items(&rest_service_kind, (void **)list->items, list->count);
    util_free(list);
}

/*
 * Generic list decoding, driven by a rest_item_kind: every vpcep_*_list is an array of one
 * model struct plus a count (and mostly the API's total_count).
 */
static int decode_items_in(const cJSON *root, const rest_item_kind *k, rest_items *out)
{
    int rc;

    if (!rest_json_int64(root, "total_count", &out->total))
        out->total = -1;
    rc = decode_array(cJSON_GetObjectItemCaseSensitive(root, k->key), k, &out->items, &out->count);
    if (rc != 0) {
        rest_dispose_items(k, out->items, out->count);
        out->items = NULL;
        out->count = 0;
    }
    if (out->total < 0)
        out->total = (int64_t)out->count;
    return rc;
}

int rest_decode_items(const char *json, size_t len, const rest_item_kind *k, rest_items *out)
{
    cJSON *root = NULL;
    int rc;

    out->items = NULL;
    out->count = 0;
    out->total = 0;
    rc = rest_json_parse_object(&root, json, len);
    if (rc == 0)
        rc = decode_items_in(root, k, out);
    cJSON_Delete(root);
    return rc;
}

/* Decodes the items and allocates the zeroed list struct (list_size bytes) into *list; the
 * caller moves the parts into its typed list. */
/* Allocates the zeroed list struct (list_size bytes) into *list for the caller to move parts
 * into; on failure the parts are disposed. */
static int list_new(const rest_item_kind *k, void **list, size_t list_size, rest_items *parts)
{
    *list = util_calloc(1, list_size);
    if (*list == NULL) {
        rest_dispose_items(k, parts->items, parts->count);
        parts->items = NULL;
        parts->count = 0;
        return VPCEP_ENOMEM;
    }
    return 0;
}

/* Decodes a list answer (the array under k->key) into parts and a new list struct. */
static int decode_list_new(const char *json,
                           size_t len,
                           const rest_item_kind *k,
                           void **list,
                           size_t list_size,
                           rest_items *parts)
{
    int rc;

    if (list == NULL)
        return VPCEP_EINVALID;
    *list = NULL;
    rc = rest_decode_items(json, len, k, parts);
    if (rc != 0)
        return rc;
    return list_new(k, list, list_size, parts);
}

/* Parses a root object and decodes one item of kind k from it into *out (allocated). */
static int decode_one(const char *json, size_t len, const rest_item_kind *k, void **out)
{
    cJSON *root = NULL;
    void *item = NULL;
    int rc = 0;

    if (out == NULL)
        return VPCEP_EINVALID;
    *out = NULL;
    rc = rest_json_parse_object(&root, json, len);
    if (rc != 0)
        goto done;
    item = util_calloc(1, k->size);
    if (item == NULL) {
        rc = VPCEP_ENOMEM;
        goto done;
    }
    rc = decode_item(k, root, item);
    if (rc != 0) {
        k->dispose(item);
        util_free(item);
        goto done;
    }
    *out = item;
done:
    cJSON_Delete(root);
    return rc;
}

static int dec_service(const cJSON *o, void *item)
{
    return rest_decode_service_obj(o, item);
}
static void disp_service(void *item)
{
    rest_service_dispose(item);
}

const rest_item_kind rest_service_kind = {"endpoint_services", sizeof(vpcep_service), dec_service,
                                          disp_service};

int vpcep_decode_service(vpcep_service **out, const char *json, size_t len)
{
    return decode_one(json, len, &rest_service_kind, (void **)out);
}

int vpcep_decode_service_list(vpcep_service_list **out, const char *json, size_t len)
{
    rest_items parts;
    int rc = decode_list_new(json, len, &rest_service_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

/* ---- service info (public list, describe) ------------------------------------------------ */
static int dec_info(const cJSON *o, void *item)
{
    vpcep_service_info *s = item;

    s->id = rest_json_str(o, "id");
    s->owner = rest_json_str(o, "owner");
    s->service_name = rest_json_str(o, "service_name");
    s->service_type = rest_json_str(o, "service_type");
    s->server_type = rest_json_str(o, "server_type");
    time_field(o, "created_at", &s->created_at, &s->created_at_epoch);
    s->is_charge_set = rest_json_bool(o, "is_charge", &s->is_charge);
    return 0;
}

static void disp_info(void *item)
{
    vpcep_service_info *s = item;

    util_free(s->id);
    util_free(s->owner);
    util_free(s->service_name);
    util_free(s->service_type);
    util_free(s->server_type);
    util_free(s->created_at);
    memset(s, 0, sizeof(*s));
}

const rest_item_kind rest_service_info_kind = {"endpoint_services", sizeof(vpcep_service_info),
                                               dec_info, disp_info};

void vpcep_service_info_free(vpcep_service_info *info)
{
    if (info == NULL)
        return;
    disp_info(info);
    util_free(info);
}

void vpcep_service_info_list_free(vpcep_service_info_list *list)
{
    if (list != NULL)
        rest_dispose_items(&rest_service_info_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_service_info(vpcep_service_info **out, const char *json, size_t len)
{
    return decode_one(json, len, &rest_service_info_kind, (void **)out);
}

int vpcep_decode_service_info_list(vpcep_service_info_list **out, const char *json, size_t len)
{
    rest_items parts;
    int rc =
        decode_list_new(json, len, &rest_service_info_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

/* ---- connections ------------------------------------------------------------------------- */
int rest_decode_connection_obj(const cJSON *o, vpcep_connection *c)
{
    memset(c, 0, sizeof(*c));
    c->id = rest_json_str(o, "id");
    rest_json_int64(o, "marker_id", &c->marker_id);
    c->domain_id = rest_json_str(o, "domain_id");
    c->status = rest_json_str(o, "status");
    c->description = rest_json_str(o, "description");
    time_field(o, "created_at", &c->created_at, &c->created_at_epoch);
    time_field(o, "updated_at", &c->updated_at, &c->updated_at_epoch);
    return errors_decode(o, &c->errors, &c->n_errors);
}

void rest_connection_dispose(vpcep_connection *c)
{
    util_free(c->id);
    util_free(c->domain_id);
    util_free(c->status);
    util_free(c->description);
    util_free(c->created_at);
    util_free(c->updated_at);
    errors_free(c->errors, c->n_errors);
    memset(c, 0, sizeof(*c));
}

static int dec_conn(const cJSON *o, void *item)
{
    return rest_decode_connection_obj(o, item);
}
static void disp_conn(void *item)
{
    rest_connection_dispose(item);
}

const rest_item_kind rest_connection_kind = {"connections", sizeof(vpcep_connection), dec_conn,
                                             disp_conn};

void vpcep_connection_free(vpcep_connection *conn)
{
    if (conn == NULL)
        return;
    rest_connection_dispose(conn);
    util_free(conn);
}

void vpcep_connection_list_free(vpcep_connection_list *list)
{
    if (list != NULL)
        rest_dispose_items(&rest_connection_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_connection_list(vpcep_connection_list **out, const char *json, size_t len)
{
    rest_items parts;
    int rc = decode_list_new(json, len, &rest_connection_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

/* ---- permissions ------------------------------------------------------------------------- */
static int dec_perm(const cJSON *o, void *item)
{
    vpcep_permission *p = item;
    static const char prefix[] = "iam:domain::";

    p->id = rest_json_str(o, "id");
    p->permission = rest_json_str(o, "permission");
    p->permission_type = rest_json_str(o, "permission_type");
    p->description = rest_json_str(o, "description");
    time_field(o, "created_at", &p->created_at, &p->created_at_epoch);
    if (p->permission != NULL) {
        const char *d = p->permission;
        if (util_strncasecmp(d, prefix, sizeof(prefix) - 1) == 0)
            d += sizeof(prefix) - 1;
        p->domain_id = util_strdup(d);
        if (p->domain_id == NULL)
            return VPCEP_ENOMEM;
    }
    return 0;
}

static void disp_perm(void *item)
{
    vpcep_permission *p = item;

    util_free(p->id);
    util_free(p->permission);
    util_free(p->domain_id);
    util_free(p->permission_type);
    util_free(p->description);
    util_free(p->created_at);
    memset(p, 0, sizeof(*p));
}

const rest_item_kind rest_permission_kind = {"permissions", sizeof(vpcep_permission), dec_perm,
                                             disp_perm};

void vpcep_permission_list_free(vpcep_permission_list *list)
{
    if (list != NULL)
        rest_dispose_items(&rest_permission_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_permission_list(vpcep_permission_list **out, const char *json, size_t len)
{
    rest_items parts;
    int rc = decode_list_new(json, len, &rest_permission_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

/* ---- endpoints --------------------------------------------------------------------------- */
static const cJSON *get_ci(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return it != NULL ? it : cJSON_GetObjectItem(o, key); /* case-insensitive fallback */
}

static int dec_policy(const cJSON *o, void *item)
{
    vpcep_policy_statement *ps = item;
    const cJSON *eff = get_ci(o, "Effect");
    int rc;

    if (cJSON_IsString(eff)) {
        ps->effect = util_strdup(eff->valuestring);
        if (ps->effect == NULL)
            return VPCEP_ENOMEM;
    }
    /* str_array looks the key up case-sensitively: try both spellings. */
    if ((rc = str_array(o, "Action", &ps->actions, &ps->n_actions)) != 0)
        return rc;
    if (ps->n_actions == 0 && (rc = str_array(o, "action", &ps->actions, &ps->n_actions)) != 0)
        return rc;
    if ((rc = str_array(o, "Resource", &ps->resources, &ps->n_resources)) != 0)
        return rc;
    if (ps->n_resources == 0 &&
        (rc = str_array(o, "resource", &ps->resources, &ps->n_resources)) != 0)
        return rc;
    return 0;
}

static void disp_policy(void *item)
{
    vpcep_policy_statement *ps = item;

    util_free(ps->effect);
    str_array_free(ps->actions, ps->n_actions);
    str_array_free(ps->resources, ps->n_resources);
}

static const rest_item_kind policy_kind = {NULL, sizeof(vpcep_policy_statement), dec_policy,
                                           disp_policy};

static int policy_decode(const cJSON *o, vpcep_endpoint *e)
{
    return decode_array(cJSON_GetObjectItemCaseSensitive(o, "policy_statement"), &policy_kind,
                        (void ***)&e->policy_statements, &e->n_policy_statements);
}

int rest_decode_endpoint_obj(const cJSON *o, vpcep_endpoint *e)
{
    int rc;

    memset(e, 0, sizeof(*e));
    e->id = rest_json_str(o, "id");
    e->service_type = rest_json_str(o, "service_type");
    e->status = rest_json_str(o, "status");
    e->endpoint_service_name = rest_json_str(o, "endpoint_service_name");
    e->endpoint_service_id = rest_json_str(o, "endpoint_service_id");
    rest_json_int64(o, "marker_id", &e->marker_id);
    e->enable_dns_set = rest_json_bool(o, "enable_dns", &e->enable_dns);
    e->ip = rest_json_str(o, "ip");
    e->vpc_id = rest_json_str(o, "vpc_id");
    e->subnet_id = rest_json_str(o, "subnet_id");
    time_field(o, "created_at", &e->created_at, &e->created_at_epoch);
    time_field(o, "updated_at", &e->updated_at, &e->updated_at_epoch);
    e->project_id = rest_json_str(o, "project_id");
    e->enable_whitelist_set = rest_json_bool(o, "enable_whitelist", &e->enable_whitelist);
    e->description = rest_json_str(o, "description");
    e->specification_name = rest_json_str(o, "specification_name");
    e->endpoint_pool_id = rest_json_str(o, "endpoint_pool_id");
    e->enable_status = rest_json_str(o, "enable_status");
    if ((rc = str_array(o, "active_status", &e->active_status, &e->n_active_status)) != 0 ||
        (rc = str_array(o, "dns_names", &e->dns_names, &e->n_dns_names)) != 0 ||
        (rc = str_array(o, "whitelist", &e->whitelist, &e->n_whitelist)) != 0 ||
        (rc = str_array(o, "routetables", &e->routetables, &e->n_routetables)) != 0 ||
        (rc = tags_decode(o, &e->tags, &e->n_tags)) != 0 ||
        (rc = errors_decode(o, &e->errors, &e->n_errors)) != 0 || (rc = policy_decode(o, e)) != 0)
        return rc;
    return 0;
}

void rest_endpoint_dispose(vpcep_endpoint *e)
{
    util_free(e->id);
    util_free(e->service_type);
    util_free(e->status);
    str_array_free(e->active_status, e->n_active_status);
    util_free(e->endpoint_service_name);
    util_free(e->endpoint_service_id);
    str_array_free(e->dns_names, e->n_dns_names);
    util_free(e->ip);
    util_free(e->vpc_id);
    util_free(e->subnet_id);
    util_free(e->created_at);
    util_free(e->updated_at);
    util_free(e->project_id);
    tags_free(e->tags, e->n_tags);
    errors_free(e->errors, e->n_errors);
    str_array_free(e->whitelist, e->n_whitelist);
    str_array_free(e->routetables, e->n_routetables);
    rest_dispose_items(&policy_kind, (void **)e->policy_statements, e->n_policy_statements);
    util_free(e->description);
    util_free(e->specification_name);
    util_free(e->endpoint_pool_id);
    util_free(e->enable_status);
    memset(e, 0, sizeof(*e));
}

static int dec_ep(const cJSON *o, void *item)
{
    return rest_decode_endpoint_obj(o, item);
}
static void disp_ep(void *item)
{
    rest_endpoint_dispose(item);
}

const rest_item_kind rest_endpoint_kind = {"endpoints", sizeof(vpcep_endpoint), dec_ep, disp_ep};

void vpcep_endpoint_free(vpcep_endpoint *ep)
{
    if (ep == NULL)
        return;
    rest_endpoint_dispose(ep);
    util_free(ep);
}

void vpcep_endpoint_list_free(vpcep_endpoint_list *list)
{
    if (list != NULL)
        rest_dispose_items(&rest_endpoint_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_endpoint(vpcep_endpoint **out, const char *json, size_t len)
{
    return decode_one(json, len, &rest_endpoint_kind, (void **)out);
}

int vpcep_decode_endpoint_list(vpcep_endpoint_list **out, const char *json, size_t len)
{
    rest_items parts;
    int rc = decode_list_new(json, len, &rest_endpoint_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}

/* ---- quotas, versions, project tags ------------------------------------------------------ */
static int dec_quota(const cJSON *o, void *item)
{
    vpcep_quota *q = item;

    q->type = rest_json_str(o, "type");
    rest_json_int64(o, "used", &q->used);
    rest_json_int64(o, "quota", &q->quota);
    return 0;
}

static void disp_quota(void *item)
{
    vpcep_quota *q = item;
    util_free(q->type);
    q->type = NULL;
}

static const rest_item_kind quota_kind = {"resources", sizeof(vpcep_quota), dec_quota, disp_quota};

void vpcep_quota_list_free(vpcep_quota_list *list)
{
    if (list != NULL)
        rest_dispose_items(&quota_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_quota_list(vpcep_quota_list **out, const char *json, size_t len)
{
    cJSON *root = NULL;
    const cJSON *q;
    rest_items parts = {NULL, 0, 0};
    int rc;

    if (out != NULL)
        *out = NULL;
    rc = out == NULL ? VPCEP_EINVALID : rest_json_parse_object(&root, json, len);
    q = cJSON_GetObjectItemCaseSensitive(root, "quotas");
    if (rc == 0 && cJSON_IsObject(q))
        rc = decode_items_in(q, &quota_kind, &parts);
    if (rc == 0)
        rc = list_new(&quota_kind, (void **)out, sizeof(**out), &parts);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
    }
    cJSON_Delete(root);
    return rc;
}

static int dec_version(const cJSON *o, void *item)
{
    vpcep_api_version *v = item;

    v->id = rest_json_str(o, "id");
    v->status = rest_json_str(o, "status");
    v->version = rest_json_str(o, "version");
    v->min_version = rest_json_str(o, "min_version");
    v->updated = rest_json_str(o, "updated");
    return 0;
}

static void disp_version(void *item)
{
    vpcep_api_version *v = item;

    util_free(v->id);
    util_free(v->status);
    util_free(v->version);
    util_free(v->min_version);
    util_free(v->updated);
    memset(v, 0, sizeof(*v));
}

static const rest_item_kind version_kind = {"versions", sizeof(vpcep_api_version), dec_version,
                                            disp_version};

void vpcep_api_version_list_free(vpcep_api_version_list *list)
{
    if (list != NULL)
        rest_dispose_items(&version_kind, (void **)list->items, list->count);
    util_free(list);
}

/* The answer lists "versions", or holds a single "version" object. */
int vpcep_decode_api_version_list(vpcep_api_version_list **out, const char *json, size_t len)
{
    cJSON *root = NULL;
    const cJSON *one;
    rest_items parts = {NULL, 0, 0};
    int rc;

    if (out != NULL)
        *out = NULL;
    rc = out == NULL ? VPCEP_EINVALID : rest_json_parse_object(&root, json, len);
    one = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (rc == 0 && cJSON_IsObject(one)) {
        parts.items = util_calloc(1, sizeof(*parts.items));
        if (parts.items != NULL)
            parts.items[0] = util_calloc(1, version_kind.size);
        if (parts.items == NULL || parts.items[0] == NULL) {
            rc = VPCEP_ENOMEM;
        } else {
            parts.count = 1;
            rc = decode_item(&version_kind, one, parts.items[0]);
        }
    } else if (rc == 0) {
        rc = decode_items_in(root, &version_kind, &parts);
    }
    if (rc == 0)
        rc = list_new(&version_kind, (void **)out, sizeof(**out), &parts);
    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
    } else {
        rest_dispose_items(&version_kind, parts.items, parts.count);
    }
    cJSON_Delete(root);
    return rc;
}

static int dec_ptag(const cJSON *o, void *item)
{
    vpcep_project_tag *t = item;

    t->key = rest_json_str(o, "key");
    return str_array(o, "values", &t->values, &t->n_values);
}

static void disp_ptag(void *item)
{
    vpcep_project_tag *t = item;

    util_free(t->key);
    str_array_free(t->values, t->n_values);
    memset(t, 0, sizeof(*t));
}

static const rest_item_kind project_tag_kind = {"tags", sizeof(vpcep_project_tag), dec_ptag,
                                                disp_ptag};

void vpcep_project_tag_list_free(vpcep_project_tag_list *list)
{
    if (list != NULL)
        rest_dispose_items(&project_tag_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_project_tag_list(vpcep_project_tag_list **out, const char *json, size_t len)
{
    rest_items parts;
    int rc = decode_list_new(json, len, &project_tag_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
    }
    return rc;
}

/* ---- tagged resources (resource_instances) ------------------------------------------------ */
static int dec_tres(const cJSON *o, void *item)
{
    vpcep_tagged_resource *r = item;
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(o, "resource_detail");

    r->resource_id = rest_json_str(o, "resource_id");
    r->resource_name = rest_json_str(o, "resource_name");
    if (detail != NULL) {
        char *printed = cJSON_PrintUnformatted(detail);
        if (printed == NULL)
            return VPCEP_ENOMEM;
        r->resource_detail_json = util_strdup(printed);
        cJSON_free(printed);
        if (r->resource_detail_json == NULL)
            return VPCEP_ENOMEM;
    }
    return tags_decode(o, &r->tags, &r->n_tags);
}

static void disp_tres(void *item)
{
    vpcep_tagged_resource *r = item;

    util_free(r->resource_id);
    util_free(r->resource_name);
    util_free(r->resource_detail_json);
    tags_free(r->tags, r->n_tags);
    memset(r, 0, sizeof(*r));
}

const rest_item_kind rest_tagged_resource_kind = {"resources", sizeof(vpcep_tagged_resource),
                                                  dec_tres, disp_tres};

void vpcep_tagged_resource_list_free(vpcep_tagged_resource_list *list)
{
    if (list != NULL)
        rest_dispose_items(&rest_tagged_resource_kind, (void **)list->items, list->count);
    util_free(list);
}

int vpcep_decode_tagged_resource_list(vpcep_tagged_resource_list **out,
                                      const char *json,
                                      size_t len)
{
    rest_items parts;
    int rc =
        decode_list_new(json, len, &rest_tagged_resource_kind, (void **)out, sizeof(**out), &parts);

    if (rc == 0) {
        (*out)->items = (void *)parts.items;
        (*out)->count = parts.count;
        (*out)->total_count = parts.total;
    }
    return rc;
}
