/*
 * provider/resources/values.c - small helpers over tfp_value shared by the resources.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int64_t tfpv_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t tfpv_remaining_ms(int64_t deadline_ms)
{
    int64_t left = deadline_ms - tfpv_now_ms();
    return left > 0 ? left : 1;
}

char *tfpv_strdup(const char *s)
{
    size_t n;
    char *out;
    if (s == NULL) {
        return NULL;
    }
    n = strlen(s) + 1;
    out = malloc(n);
    if (out != NULL) {
        memcpy(out, s, n);
    }
    return out;
}

const tfp_value *tfpv_get(const tfp_value *obj, const char *name)
{
    if (obj == NULL || name == NULL || tfp_value_is_null(obj) || !tfp_value_is_known(obj)) {
        return NULL;
    }
    return tfp_value_attr(obj, name);
}

int tfpv_is_set(const tfp_value *v)
{
    return v != NULL && tfp_value_is_known(v) && !tfp_value_is_null(v);
}

int tfpv_is_unknown(const tfp_value *v)
{
    return v != NULL && !tfp_value_is_known(v);
}

int tfpv_is_empty(const tfp_value *v)
{
    const char *s;
    if (v == NULL || tfp_value_is_null(v)) {
        return 1;
    }
    if (!tfp_value_is_known(v)) {
        return 0;
    }
    switch (tfp_type_kind(tfp_value_type(v))) {
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
        return tfp_value_length(v) == 0;
    case TFP_KIND_STRING:
        s = tfp_value_string(v);
        return s == NULL || s[0] == '\0';
    default:
        return 0;
    }
}

const char *tfpv_str(const tfp_value *obj, const char *name)
{
    return tfp_value_string(tfpv_get(obj, name));
}

int tfpv_bool(const tfp_value *obj, const char *name, int *out)
{
    const tfp_value *v = tfpv_get(obj, name);
    int b = 0;
    if (!tfpv_is_set(v) || tfp_value_bool(&b, v) != 0) {
        return 0;
    }
    *out = b;
    return 1;
}

int tfpv_int(const tfp_value *obj, const char *name, int64_t *out)
{
    const tfp_value *v = tfpv_get(obj, name);
    int64_t i = 0;
    if (!tfpv_is_set(v) || tfp_value_int64(&i, v) != 0) {
        return 0;
    }
    *out = i;
    return 1;
}

int tfpv_streq_nocase(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

int tfpv_equal_empty_null(const tfp_value *a, const tfp_value *b)
{
    int ea = tfpv_is_empty(a), eb = tfpv_is_empty(b);
    if (ea || eb) {
        return ea && eb;
    }
    return a != NULL && b != NULL && tfp_value_equal(a, b);
}

int tfpv_set_has_string(const tfp_value *s, const char *str)
{
    size_t n = tfp_value_length(s);
    if (!tfpv_is_set(s) || str == NULL) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const char *e = tfp_value_string(tfp_value_at(s, i));
        if (e != NULL && strcmp(e, str) == 0) {
            return 1;
        }
    }
    return 0;
}

const tfp_type *tfpv_attr_type(const tfp_value *obj, const char *name)
{
    if (obj == NULL) {
        return NULL;
    }
    return tfp_type_attr(tfp_value_type(obj), name);
}

int tfpv_set_empty_collection(tfp_value *obj, const char *name)
{
    const tfp_type *t = tfpv_attr_type(obj, name);
    tfp_value *v = NULL;
    int rc;
    if (t == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_new_collection(&v, t);
    if (rc != 0) {
        return rc;
    }
    return tfp_value_set_attr(obj, name, v);
}

/* Sets obj[name] to a known collection of strings: a map of keys[i] = items[i] when @p keys is
 * not NULL, else a list or set of items (NULL items count as ""). */
static int set_strings(
    tfp_value *obj, const char *name, const char *const *keys, const char *const *items, size_t n)
{
    const tfp_type *t = tfpv_attr_type(obj, name);
    tfp_value *coll = NULL, *e = NULL;
    int rc;
    if (t == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_new_collection(&coll, t);
    if (rc != 0) {
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        rc = tfp_value_new_string(&e, items[i] != NULL ? items[i] : "");
        if (rc != 0) {
            goto done;
        }
        rc = keys != NULL ? tfp_value_map_put(coll, keys[i], e) : tfp_value_append(coll, e);
        e = NULL;
        if (rc != 0) {
            goto done;
        }
    }
    rc = tfp_value_set_attr(obj, name, coll);
    coll = NULL;
done:
    tfp_value_free(coll);
    return rc;
}

int tfpv_set_string_collection(tfp_value *obj, const char *name, const char *const *items, size_t n)
{
    return set_strings(obj, name, NULL, items, n);
}

int tfpv_set_string_map(
    tfp_value *obj, const char *name, const char *const *keys, const char *const *values, size_t n)
{
    return set_strings(obj, name, keys, values, n);
}

int tfpv_copy_attr(tfp_value *dst, const tfp_value *src, const char *name)
{
    const tfp_value *v = tfpv_get(src, name);
    if (v == NULL || !tfp_value_is_known(v)) {
        return tfp_value_set_attr_null(dst, name);
    }
    return tfp_value_set_attr_copy(dst, name, v);
}

int tfpv_keep_prior_empty(tfp_value *planned, const tfp_value *prior, const char *name)
{
    const tfp_value *a = tfpv_get(planned, name), *b = tfpv_get(prior, name);
    if (tfpv_is_set(a) && tfpv_is_set(b) && tfpv_equal_empty_null(a, b) && !tfp_value_equal(a, b)) {
        return tfpv_copy_attr(planned, prior, name);
    }
    return 0;
}

int tfpv_overlay_known(tfp_value *st, const tfp_value *planned)
{
    size_t n;
    int rc = 0;
    if (!tfpv_is_set(planned)) {
        return 0;
    }
    n = tfp_value_length(planned);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const tfp_value *v = tfp_value_at(planned, i);
        if (tfp_value_is_wholly_known(v)) {
            rc = tfp_value_set_attr_copy(st, tfp_value_key_at(planned, i), v);
        }
    }
    return rc;
}

static int clean_copy(tfp_value **out, const tfp_value *v)
{
    const tfp_type *t = tfp_value_type(v);
    tfp_value *res = NULL, *child = NULL;
    size_t n;
    int rc = 0;
    *out = NULL;
    if (!tfp_value_is_known(v)) {
        return tfp_value_new_null(out, t);
    }
    if (tfp_value_is_null(v)) {
        return tfp_value_copy(out, v);
    }
    n = tfp_value_length(v);
    switch (tfp_type_kind(t)) {
    case TFP_KIND_OBJECT:
        rc = tfp_value_new_object(&res, t);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            rc = clean_copy(&child, tfp_value_at(v, i));
            if (rc == 0) {
                rc = tfp_value_set_attr(res, tfp_value_key_at(v, i), child);
            }
            child = NULL;
        }
        break;
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
        rc = tfp_value_new_collection(&res, t);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            rc = clean_copy(&child, tfp_value_at(v, i));
            if (rc == 0) {
                rc = tfp_type_kind(t) == TFP_KIND_MAP
                         ? tfp_value_map_put(res, tfp_value_key_at(v, i), child)
                         : tfp_value_append(res, child);
            }
            child = NULL;
        }
        break;
    default:
        rc = tfp_value_copy(&res, v);
        break;
    }
    if (rc != 0) {
        tfp_value_free(res);
        return rc;
    }
    *out = res;
    return 0;
}

int tfpv_unknowns_to_null(tfp_value **v)
{
    tfp_value *clean = NULL;
    int rc;
    if (v == NULL || *v == NULL || tfp_value_is_wholly_known(*v)) {
        return 0;
    }
    rc = clean_copy(&clean, *v);
    if (rc != 0) {
        return rc;
    }
    tfp_value_free(*v);
    *v = clean;
    return 0;
}

int tfpv_strs_from(tfpv_strs *out, const tfp_value *coll)
{
    size_t n = tfpv_is_set(coll) ? tfp_value_length(coll) : 0;
    out->items = NULL;
    out->n = 0;
    if (n == 0) {
        return 0;
    }
    out->items = calloc(n, sizeof *out->items);
    if (out->items == NULL) {
        return TFP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = tfp_value_string(tfp_value_at(coll, i));
        if (s != NULL) {
            out->items[out->n++] = s;
        }
    }
    return 0;
}

void tfpv_strs_dispose(tfpv_strs *s)
{
    if (s != NULL) {
        free(s->items);
        s->items = NULL;
        s->n = 0;
    }
}

int tfpv_strs_has(const tfpv_strs *s, const char *str)
{
    for (size_t i = 0; str != NULL && i < s->n; i++) {
        if (strcmp(s->items[i], str) == 0) {
            return 1;
        }
    }
    return 0;
}

static int diag_path(tfp_diags *d,
                     const char *attr,
                     const char *key,
                     const char *sub,
                     const char *summary,
                     const char *detail_fmt,
                     va_list ap) TFP_PRINTF(6, 0);

static int diag_path(tfp_diags *d,
                     const char *attr,
                     const char *key,
                     const char *sub,
                     const char *summary,
                     const char *detail_fmt,
                     va_list ap)
{
    tfp_path *path = NULL;
    char detail[1024];
    int rc = tfp_path_new_attr(&path, attr);
    if (rc == 0 && key != NULL) {
        rc = tfp_path_push_key(path, key);
    }
    if (rc == 0 && sub != NULL) {
        rc = tfp_path_push_attr(path, sub);
    }
    if (rc == 0) {
        vsnprintf(detail, sizeof detail, detail_fmt, ap);
        rc = tfp_diags_add(d, TFP_SEVERITY_ERROR, path, summary, "%s", detail);
    }
    tfp_path_free(path);
    return rc;
}

/* Length of the valid UTF-8 sequence at @p p (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n;
    if (p[0] < 0x80) {
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

void tfpv_quote_cut(char *buf, size_t cap, const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t used = 0, chars = 0;
    if (cap < 8) {
        if (cap > 0) {
            buf[0] = '\0';
        }
        return;
    }
    buf[used++] = '"';
    while (*p != '\0') {
        char piece[8];
        size_t n = utf8_len(p), len;
        if (chars == max_chars) {
            break;
        }
        if (n == 0) {
            len = (size_t)snprintf(piece, sizeof piece, "\\x%02x", *p);
            n = 1;
        } else if (*p == '"' || *p == '\\') {
            piece[0] = '\\';
            piece[1] = (char)*p;
            len = 2;
        } else if (*p < 0x20 || *p == 0x7f) {
            len = (size_t)snprintf(piece, sizeof piece, "\\x%02x", *p);
        } else {
            memcpy(piece, p, n);
            len = n;
        }
        if (used + len + 5 > cap) { /* room for '..."' and the NUL */
            break;
        }
        memcpy(buf + used, piece, len);
        used += len;
        p += n;
        chars++;
    }
    if (*p != '\0') {
        memcpy(buf + used, "...", 3);
        used += 3;
    }
    buf[used++] = '"';
    buf[used] = '\0';
}

int tfpv_diag_key(tfp_diags *d,
                  const char *attr,
                  const char *key,
                  const char *summary,
                  const char *detail_fmt,
                  ...)
{
    va_list ap;
    int rc;
    va_start(ap, detail_fmt);
    rc = diag_path(d, attr, key != NULL ? key : "", NULL, summary, detail_fmt, ap);
    va_end(ap);
    return rc;
}

int tfpv_diag_nested(tfp_diags *d,
                     const char *attr,
                     const char *sub,
                     const char *summary,
                     const char *detail_fmt,
                     ...)
{
    va_list ap;
    int rc;
    va_start(ap, detail_fmt);
    rc = diag_path(d, attr, NULL, sub, summary, detail_fmt, ap);
    va_end(ap);
    return rc;
}

int64_t tfpv_timeout_ms(const tfp_value *obj, const char *op)
{
    const char *s = tfpv_str(tfpv_get(obj, "timeouts"), op);
    int64_t ms = 0;
    if (s != NULL && tfpv_parse_duration(s, &ms) == 0) {
        return ms;
    }
    return TFPV_DEFAULT_TIMEOUT_MS;
}

int tfpv_ds_filter_id(
    char *buf, size_t cap, const char *prefix, const tfp_value *cfg, const char *const *attrs)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 */
    for (size_t i = 0; attrs[i] != NULL; i++) {
        const tfp_value *v = tfpv_get(cfg, attrs[i]);
        char *json = NULL;
        const char *p;
        int rc;
        if (v == NULL || tfp_value_is_null(v) || tfpv_is_empty(v)) {
            continue; /* null and empty filter alike */
        }
        rc = tfp_value_to_json(&json, v);
        if (rc != 0) {
            return rc;
        }
        for (p = attrs[i]; *p != '\0'; p++) {
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        }
        h = (h ^ (unsigned char)'=') * 1099511628211ULL;
        for (p = json; *p != '\0'; p++) {
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        }
        h = (h ^ (unsigned char)';') * 1099511628211ULL;
        tfp_free(json);
    }
    snprintf(buf, cap, "%s-%016llx", prefix, (unsigned long long)h);
    return 0;
}

/* One object of a list data source with its sort keys. */
typedef struct ds_found {
    const void *item;
    const char *id;
    const char *created;
} ds_found;

static int str_or_empty_cmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int ds_found_cmp(const void *x, const void *y)
{
    const ds_found *a = x, *b = y;
    int c = str_or_empty_cmp(a->created, b->created);
    return c != 0 ? c : str_or_empty_cmp(a->id, b->id);
}

int tfpv_ds_list_state(tfp_value **out,
                       const tfp_type *type,
                       const tfp_value *cfg,
                       const void *const *items,
                       size_t count,
                       int (*tagged_has)(const void *tagged, const char *id),
                       const void *tagged,
                       const tfpv_ds_list *k)
{
    ds_found *found = NULL;
    const char **ids = NULL;
    size_t n = 0;
    tfp_value *st = NULL, *coll = NULL, *e = NULL;
    const tfp_type *lt, *et;
    char id[96];
    int rc = tfp_value_new_object(&st, type);
    if (rc != 0) {
        return rc;
    }
    found = calloc(count + 1, sizeof *found);
    ids = calloc(count + 1, sizeof *ids);
    if (found == NULL || ids == NULL) {
        rc = TFP_ENOMEM;
    }
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const char *item_id = k->id_of(items[i]);
        if (!k->keep(items[i], cfg) || (tagged != NULL && !tagged_has(tagged, item_id))) {
            continue;
        }
        found[n].item = items[i];
        found[n].id = item_id;
        found[n].created = k->created_of(items[i]);
        n++;
    }
    if (rc == 0) {
        qsort(found, n, sizeof *found, ds_found_cmp);
        rc = tfpv_ds_filter_id(id, sizeof id, k->id_prefix, cfg, k->filter_attrs);
    }
    for (size_t i = 0; rc == 0 && k->filter_attrs[i] != NULL; i++) {
        rc = tfpv_copy_attr(st, cfg, k->filter_attrs[i]);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", id);
    }
    lt = tfpv_attr_type(st, k->list_attr);
    et = lt != NULL ? tfp_type_element(lt) : NULL;
    if (rc == 0 && et == NULL) {
        rc = TFP_EINVALID;
    }
    if (rc == 0) {
        rc = tfp_value_new_collection(&coll, lt);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        ids[i] = found[i].id != NULL ? found[i].id : "";
        rc = tfp_value_new_object(&e, et);
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "id", found[i].id);
        }
        if (rc == 0) {
            rc = k->fill(e, found[i].item);
        }
        if (rc == 0) {
            rc = tfp_value_append(coll, e);
        } else {
            tfp_value_free(e);
        }
        e = NULL;
    }
    if (rc == 0) {
        rc = tfp_value_set_attr(st, k->list_attr, coll);
        coll = NULL;
    }
    if (rc == 0) {
        rc = tfpv_set_string_collection(st, "ids", ids, n);
    }
    tfp_value_free(coll);
    free(found);
    free(ids);
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}
