/* The value model: construction, access, equality and conformance (cty semantics). */
#include "core.h"

#include <tfp/value.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

tfp_value *tfp__value_alloc(const tfp_type *t, int state)
{
    tfp_value *v = util_calloc(1, sizeof(*v));
    if (v == NULL) {
        return NULL;
    }
    v->type = tfp_type_ref(t);
    v->state = state;
    return v;
}

void tfp_value_free(tfp_value *v)
{
    size_t i;
    if (v == NULL) {
        return;
    }
    for (i = 0; i < v->n; i++) {
        if (v->items != NULL) {
            tfp_value_free(v->items[i]);
        }
        if (v->keys != NULL) {
            util_free(v->keys[i]);
        }
    }
    util_free(v->items);
    util_free(v->keys);
    util_free(v->str);
    tfp_type_free(v->type);
    util_free(v);
}

int tfp__value_grow(tfp_value *v, int with_keys)
{
    size_t nalloc;
    tfp_value **items;
    if (v->n < v->alloc) {
        return 0;
    }
    nalloc = v->alloc ? v->alloc * 2 : 4;
    items = util_reallocarray(v->items, nalloc, sizeof(*items));
    if (items == NULL) {
        return TFP_ENOMEM;
    }
    v->items = items;
    if (with_keys) {
        char **keys = util_reallocarray(v->keys, nalloc, sizeof(*keys));
        if (keys == NULL) {
            return TFP_ENOMEM;
        }
        v->keys = keys;
    }
    v->alloc = nalloc;
    return 0;
}

/* A new value of type @p t in @p state (null or unknown). */
static int value_new_in_state(tfp_value **out, const tfp_type *t, int state)
{
    tfp_value *v;
    if (out == NULL || t == NULL) {
        return TFP_EINVALID;
    }
    v = tfp__value_alloc(t, state);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    *out = v;
    return 0;
}

int tfp_value_new_null(tfp_value **out, const tfp_type *t)
{
    return value_new_in_state(out, t, TFP__NULL);
}

int tfp_value_new_unknown(tfp_value **out, const tfp_type *t)
{
    return value_new_in_state(out, t, TFP__UNKNOWN);
}

int tfp_value_new_stringn(tfp_value **out, const char *s, size_t len)
{
    tfp_value *v;
    if (out == NULL || s == NULL || !util_utf8_valid(s, len)) {
        return TFP_EINVALID;
    }
    v = tfp__value_alloc(tfp_type_string(), TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->str = util_memdup(s, len);
    if (v->str == NULL) {
        tfp_value_free(v);
        return TFP_ENOMEM;
    }
    v->slen = len;
    *out = v;
    return 0;
}

int tfp_value_new_string(tfp_value **out, const char *s)
{
    if (s == NULL) {
        return TFP_EINVALID;
    }
    return tfp_value_new_stringn(out, s, strlen(s));
}

int tfp_value_new_bool(tfp_value **out, int b)
{
    tfp_value *v;
    if (out == NULL) {
        return TFP_EINVALID;
    }
    v = tfp__value_alloc(tfp_type_bool(), TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->b = b ? 1 : 0;
    *out = v;
    return 0;
}

int tfp__value_new_number_text(tfp_value **out, const char *text, size_t len)
{
    tfp_value *v = tfp__value_alloc(tfp_type_number(), TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->str = util_memdup(text, len);
    if (v->str == NULL) {
        tfp_value_free(v);
        return TFP_ENOMEM;
    }
    v->slen = len;
    *out = v;
    return 0;
}

int tfp_value_new_int64(tfp_value **out, int64_t i)
{
    char buf[32];
    if (out == NULL) {
        return TFP_EINVALID;
    }
    (void)util_snprintf(buf, sizeof(buf), "%lld", (long long)i);
    return tfp__value_new_number_text(out, buf, strlen(buf));
}

int tfp_value_new_double(tfp_value **out, double d)
{
    char buf[64];
    if (out == NULL || isnan(d)) {
        return TFP_EINVALID;
    }
    tfp__double_text(buf, sizeof(buf), d);
    return tfp__value_new_number_text(out, buf, strlen(buf));
}

int tfp_value_new_number(tfp_value **out, const char *decimal)
{
    tfp__decimal d;
    int error;
    if (out == NULL || decimal == NULL) {
        return TFP_EINVALID;
    }
    error = tfp__decimal_parse(&d, decimal, strlen(decimal));
    if (error) {
        return error;
    }
    tfp__decimal_dispose(&d);
    return tfp__value_new_number_text(out, decimal, strlen(decimal));
}

int tfp_value_new_collection(tfp_value **out, const tfp_type *t)
{
    tfp_value *v;
    if (out == NULL || t == NULL ||
        (t->kind != TFP_KIND_LIST && t->kind != TFP_KIND_SET && t->kind != TFP_KIND_MAP)) {
        return TFP_EINVALID;
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    *out = v;
    return 0;
}

int tfp_value_new_object(tfp_value **out, const tfp_type *t)
{
    tfp_value *v;
    size_t i;
    if (out == NULL || t == NULL || (t->kind != TFP_KIND_OBJECT && t->kind != TFP_KIND_TUPLE)) {
        return TFP_EINVALID;
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->items = util_calloc(t->n, sizeof(*v->items));
    if (v->items == NULL) {
        tfp_value_free(v);
        return TFP_ENOMEM;
    }
    v->alloc = t->n;
    for (i = 0; i < t->n; i++) {
        v->items[i] = tfp__value_alloc(t->types[i], TFP__NULL);
        if (v->items[i] == NULL) {
            tfp_value_free(v);
            return TFP_ENOMEM;
        }
        v->n = i + 1;
    }
    v->n = t->n;
    *out = v;
    return 0;
}

/* Makes @p v acceptable where type @p want is expected: a null or unknown "any" value takes
 * the wanted type. @return 0 or TFP_EINVALID. */
static int value_adapt(tfp_value *v, const tfp_type *want)
{
    if (v->type->kind == TFP_KIND_DYNAMIC && v->state != TFP__KNOWN) {
        tfp_type *old = v->type;
        v->type = tfp_type_ref(want);
        tfp_type_free(old);
        return 0;
    }
    return tfp__type_conforms(v->type, want) ? 0 : TFP_EINVALID;
}

int tfp__value_push(tfp_value *coll, tfp_value *elem)
{
    if (tfp__value_grow(coll, 0) != 0) {
        tfp_value_free(elem);
        return TFP_ENOMEM;
    }
    coll->items[coll->n++] = elem;
    return 0;
}

int tfp_value_append(tfp_value *collection, tfp_value *elem)
{
    size_t i;
    if (collection == NULL || elem == NULL || collection->state != TFP__KNOWN ||
        (collection->type->kind != TFP_KIND_LIST && collection->type->kind != TFP_KIND_SET) ||
        value_adapt(elem, collection->type->elem) != 0) {
        tfp_value_free(elem);
        return TFP_EINVALID;
    }
    if (collection->type->kind == TFP_KIND_SET && tfp_value_is_wholly_known(elem)) {
        for (i = 0; i < collection->n; i++) {
            if (tfp_value_is_wholly_known(collection->items[i]) &&
                tfp_value_equal(collection->items[i], elem)) {
                tfp_value_free(elem);
                return 0;
            }
        }
    }
    return tfp__value_push(collection, elem);
}

static long map_find(const tfp_value *map, const char *key, size_t *ins)
{
    size_t lo = 0;
    size_t hi = map->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(map->keys[mid], key);
        if (c == 0) {
            return (long)mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (ins != NULL) {
        *ins = lo;
    }
    return -1;
}

int tfp_value_map_put(tfp_value *map, const char *key, tfp_value *elem)
{
    long at;
    size_t ins = 0;
    char *k;
    if (map == NULL || key == NULL || elem == NULL || map->state != TFP__KNOWN ||
        map->type->kind != TFP_KIND_MAP || !util_utf8_valid(key, strlen(key)) ||
        value_adapt(elem, map->type->elem) != 0) {
        tfp_value_free(elem);
        return TFP_EINVALID;
    }
    at = map_find(map, key, &ins);
    if (at >= 0) {
        tfp_value_free(map->items[at]);
        map->items[at] = elem;
        return 0;
    }
    k = util_strdup(key);
    if (k == NULL || tfp__value_grow(map, 1) != 0) {
        util_free(k);
        tfp_value_free(elem);
        return TFP_ENOMEM;
    }
    memmove(map->items + ins + 1, map->items + ins, (map->n - ins) * sizeof(*map->items));
    memmove(map->keys + ins + 1, map->keys + ins, (map->n - ins) * sizeof(*map->keys));
    map->items[ins] = elem;
    map->keys[ins] = k;
    map->n++;
    return 0;
}

struct kv {
    char *key;
    tfp_value *v;
};

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

int tfp__value_map_finish(tfp_value *map)
{
    struct kv *pairs;
    size_t i;
    if (map->n < 2) {
        return 0;
    }
    pairs = util_calloc(map->n, sizeof(*pairs));
    if (pairs == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < map->n; i++) {
        pairs[i].key = map->keys[i];
        pairs[i].v = map->items[i];
    }
    qsort(pairs, map->n, sizeof(*pairs), kv_cmp);
    for (i = 0; i < map->n; i++) {
        map->keys[i] = pairs[i].key;
        map->items[i] = pairs[i].v;
    }
    util_free(pairs);
    for (i = 1; i < map->n; i++) {
        if (strcmp(map->keys[i - 1], map->keys[i]) == 0) {
            return TFP_EINVALID;
        }
    }
    return 0;
}

int tfp_value_set_attr(tfp_value *obj, const char *name, tfp_value *v)
{
    long i;
    if (obj == NULL || name == NULL || v == NULL || obj->state != TFP__KNOWN ||
        obj->type->kind != TFP_KIND_OBJECT) {
        tfp_value_free(v);
        return TFP_EINVALID;
    }
    i = tfp__type_attr_index(obj->type, name);
    if (i < 0) {
        tfp_value_free(v);
        return TFP_ENOTFOUND;
    }
    if (value_adapt(v, obj->type->types[i]) != 0) {
        tfp_value_free(v);
        return TFP_EINVALID;
    }
    tfp_value_free(obj->items[i]);
    obj->items[i] = v;
    return 0;
}

int tfp_value_set_index(tfp_value *tuple, size_t i, tfp_value *v)
{
    if (tuple == NULL || v == NULL || tuple->state != TFP__KNOWN ||
        tuple->type->kind != TFP_KIND_TUPLE || i >= tuple->n ||
        value_adapt(v, tuple->type->types[i]) != 0) {
        tfp_value_free(v);
        return TFP_EINVALID;
    }
    tfp_value_free(tuple->items[i]);
    tuple->items[i] = v;
    return 0;
}

/* Builds the value with @p rc, then hands it to set_attr. */
static int set_attr_built(tfp_value *obj, const char *name, int rc, tfp_value *v)
{
    if (rc != 0) {
        return rc;
    }
    return tfp_value_set_attr(obj, name, v);
}

static const tfp_type *attr_type_or_dynamic(const tfp_value *obj, const char *name)
{
    const tfp_type *t = NULL;
    if (obj != NULL && obj->state == TFP__KNOWN) {
        t = tfp_type_attr(obj->type, name);
    }
    return t != NULL ? t : tfp_type_dynamic();
}

int tfp_value_set_attr_string(tfp_value *obj, const char *name, const char *s)
{
    tfp_value *v = NULL;
    int rc;
    if (s == NULL) {
        return tfp_value_set_attr_null(obj, name);
    }
    rc = tfp_value_new_string(&v, s);
    return set_attr_built(obj, name, rc, v);
}

int tfp_value_set_attr_bool(tfp_value *obj, const char *name, int b)
{
    tfp_value *v = NULL;
    int rc = tfp_value_new_bool(&v, b);
    return set_attr_built(obj, name, rc, v);
}

int tfp_value_set_attr_int64(tfp_value *obj, const char *name, int64_t i)
{
    tfp_value *v = NULL;
    int rc = tfp_value_new_int64(&v, i);
    return set_attr_built(obj, name, rc, v);
}

int tfp_value_set_attr_null(tfp_value *obj, const char *name)
{
    tfp_value *v = NULL;
    int rc = tfp_value_new_null(&v, attr_type_or_dynamic(obj, name));
    return set_attr_built(obj, name, rc, v);
}

int tfp_value_set_attr_unknown(tfp_value *obj, const char *name)
{
    tfp_value *v = NULL;
    int rc = tfp_value_new_unknown(&v, attr_type_or_dynamic(obj, name));
    return set_attr_built(obj, name, rc, v);
}

int tfp_value_set_attr_copy(tfp_value *obj, const char *name, const tfp_value *src)
{
    tfp_value *v = NULL;
    int rc;
    if (src == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_copy(&v, src);
    return set_attr_built(obj, name, rc, v);
}

int tfp_value_copy(tfp_value **out, const tfp_value *v)
{
    tfp_value *c = NULL;
    int error = 0;
    size_t i;

    if (out == NULL || v == NULL) {
        return TFP_EINVALID;
    }
    c = tfp__value_alloc(v->type, v->state);
    if (c == NULL) {
        return TFP_ENOMEM;
    }
    c->b = v->b;
    if (v->str != NULL) {
        c->str = util_memdup(v->str, v->slen);
        if (c->str == NULL) {
            error = TFP_ENOMEM;
            goto done;
        }
        c->slen = v->slen;
    }
    if (v->n > 0) {
        c->items = util_calloc(v->n, sizeof(*c->items));
        if (c->items == NULL) {
            error = TFP_ENOMEM;
            goto done;
        }
        if (v->keys != NULL) {
            c->keys = util_calloc(v->n, sizeof(*c->keys));
            if (c->keys == NULL) {
                error = TFP_ENOMEM;
                goto done;
            }
        }
        c->alloc = v->n;
        for (i = 0; i < v->n; i++) {
            c->n = i + 1;
            error = tfp_value_copy(&c->items[i], v->items[i]);
            if (error) {
                goto done;
            }
            if (v->keys != NULL) {
                c->keys[i] = util_strdup(v->keys[i]);
                if (c->keys[i] == NULL) {
                    error = TFP_ENOMEM;
                    goto done;
                }
            }
        }
    }
    *out = c;
    c = NULL;
done:
    tfp_value_free(c);
    return error;
}

/* ----- reading ----- */

const tfp_type *tfp_value_type(const tfp_value *v)
{
    return v != NULL ? v->type : NULL;
}

int tfp_value_is_null(const tfp_value *v)
{
    return v == NULL || v->state == TFP__NULL;
}

int tfp_value_is_known(const tfp_value *v)
{
    return v != NULL && v->state != TFP__UNKNOWN;
}

int tfp_value_is_wholly_known(const tfp_value *v)
{
    size_t i;
    if (v == NULL) {
        return 1;
    }
    if (v->state == TFP__UNKNOWN) {
        return 0;
    }
    for (i = 0; i < v->n; i++) {
        if (!tfp_value_is_wholly_known(v->items[i])) {
            return 0;
        }
    }
    return 1;
}

const char *tfp_value_string(const tfp_value *v)
{
    if (v == NULL || v->state != TFP__KNOWN || v->type->kind != TFP_KIND_STRING) {
        return NULL;
    }
    return v->str;
}

int tfp_value_bool(int *out, const tfp_value *v)
{
    if (v == NULL || out == NULL || v->state != TFP__KNOWN || v->type->kind != TFP_KIND_BOOL) {
        return TFP_EINVALID;
    }
    *out = v->b;
    return 0;
}

int tfp_value_int64(int64_t *out, const tfp_value *v)
{
    tfp__decimal d;
    int error;
    if (v == NULL || out == NULL || v->state != TFP__KNOWN || v->type->kind != TFP_KIND_NUMBER) {
        return TFP_EINVALID;
    }
    error = tfp__decimal_parse(&d, v->str, v->slen);
    if (error) {
        return error;
    }
    error = tfp__decimal_to_int64(&d, out);
    tfp__decimal_dispose(&d);
    return error;
}

int tfp_value_double(double *out, const tfp_value *v)
{
    tfp__decimal d;
    char *plain;
    int error;
    if (v == NULL || out == NULL || v->state != TFP__KNOWN || v->type->kind != TFP_KIND_NUMBER) {
        return TFP_EINVALID;
    }
    error = tfp__decimal_parse(&d, v->str, v->slen);
    if (error) {
        return error;
    }
    if (d.inf) {
        *out = d.neg ? -HUGE_VAL : HUGE_VAL;
        tfp__decimal_dispose(&d);
        return 0;
    }
    plain = tfp__decimal_to_plain(&d);
    tfp__decimal_dispose(&d);
    if (plain == NULL) {
        return TFP_ENOMEM;
    }
    *out = strtod(plain, NULL);
    util_free(plain);
    return 0;
}

const char *tfp_value_number_text(const tfp_value *v)
{
    if (v == NULL || v->state != TFP__KNOWN || v->type->kind != TFP_KIND_NUMBER) {
        return NULL;
    }
    return v->str;
}

size_t tfp_value_length(const tfp_value *v)
{
    if (v == NULL || v->state != TFP__KNOWN) {
        return 0;
    }
    switch (v->type->kind) {
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
    case TFP_KIND_OBJECT:
    case TFP_KIND_TUPLE:
        return v->n;
    default:
        return 0;
    }
}

const tfp_value *tfp_value_at(const tfp_value *v, size_t i)
{
    if (v == NULL || v->state != TFP__KNOWN || i >= tfp_value_length(v)) {
        return NULL;
    }
    return v->items[i];
}

const char *tfp_value_key_at(const tfp_value *v, size_t i)
{
    if (v == NULL || v->state != TFP__KNOWN || i >= v->n) {
        return NULL;
    }
    if (v->type->kind == TFP_KIND_MAP) {
        return v->keys[i];
    }
    if (v->type->kind == TFP_KIND_OBJECT) {
        return v->type->names[i];
    }
    return NULL;
}

const tfp_value *tfp_value_map_get(const tfp_value *v, const char *key)
{
    long i;
    if (v == NULL || key == NULL || v->state != TFP__KNOWN || v->type->kind != TFP_KIND_MAP) {
        return NULL;
    }
    i = map_find(v, key, NULL);
    return i < 0 ? NULL : v->items[i];
}

const tfp_value *tfp_value_attr(const tfp_value *obj, const char *name)
{
    long i;
    if (obj == NULL || obj->state != TFP__KNOWN || obj->type->kind != TFP_KIND_OBJECT) {
        return NULL;
    }
    i = tfp__type_attr_index(obj->type, name);
    return i < 0 ? NULL : obj->items[i];
}

const char *tfp_value_attr_string(const tfp_value *obj, const char *name)
{
    return tfp_value_string(tfp_value_attr(obj, name));
}

static int number_equal(const tfp_value *a, const tfp_value *b)
{
    tfp__decimal da;
    tfp__decimal db;
    int eq = 0;
    if (a->slen == b->slen && memcmp(a->str, b->str, a->slen) == 0) {
        return 1;
    }
    if (tfp__decimal_parse(&da, a->str, a->slen) != 0) {
        return 0;
    }
    if (tfp__decimal_parse(&db, b->str, b->slen) == 0) {
        eq = tfp__decimal_cmp_equal(&da, &db);
        tfp__decimal_dispose(&db);
    }
    tfp__decimal_dispose(&da);
    return eq;
}

static int set_equal(const tfp_value *a, const tfp_value *b)
{
    size_t i;
    size_t j;
    if (a->n != b->n) {
        return 0;
    }
    for (i = 0; i < a->n; i++) {
        int found = 0;
        for (j = 0; j < b->n && !found; j++) {
            found = tfp_value_equal(a->items[i], b->items[j]);
        }
        if (!found) {
            return 0;
        }
    }
    return 1;
}

int tfp_value_equal(const tfp_value *a, const tfp_value *b)
{
    size_t i;
    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (a->state != b->state) {
        return 0;
    }
    if (a->state != TFP__KNOWN) {
        return a->type->kind == TFP_KIND_DYNAMIC || b->type->kind == TFP_KIND_DYNAMIC ||
               tfp_type_equal(a->type, b->type);
    }
    if (!tfp_type_equal(a->type, b->type)) {
        return 0;
    }
    switch (a->type->kind) {
    case TFP_KIND_STRING:
        return a->slen == b->slen && memcmp(a->str, b->str, a->slen) == 0;
    case TFP_KIND_NUMBER:
        return number_equal(a, b);
    case TFP_KIND_BOOL:
        return a->b == b->b;
    case TFP_KIND_SET:
        return set_equal(a, b);
    case TFP_KIND_MAP:
    case TFP_KIND_LIST:
    case TFP_KIND_OBJECT:
    case TFP_KIND_TUPLE:
        if (a->n != b->n) {
            return 0;
        }
        for (i = 0; i < a->n; i++) {
            if (a->keys != NULL && strcmp(a->keys[i], b->keys[i]) != 0) {
                return 0;
            }
            if (!tfp_value_equal(a->items[i], b->items[i])) {
                return 0;
            }
        }
        return 1;
    case TFP_KIND_DYNAMIC:
        return 0;
    }
    return 0;
}

/* ----- conformance ----- */

static int conforms_at(const tfp_value *v, const tfp_type *t, tfp_path *path, int depth)
{
    size_t i;
    int error;
    if (v == NULL || t == NULL) {
        return TFP_EINVALID;
    }
    if (depth > TFP__MAX_DEPTH + 2) {
        return TFP_ETOOLARGE;
    }
    if (t->kind == TFP_KIND_DYNAMIC) {
        return 0;
    }
    if (v->state != TFP__KNOWN) {
        if (v->type->kind == TFP_KIND_DYNAMIC) {
            return 0;
        }
        return tfp__type_conforms(v->type, t) ? 0 : TFP_EINVALID;
    }
    if (v->type->kind != t->kind) {
        return TFP_EINVALID;
    }
    switch (t->kind) {
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
        for (i = 0; i < v->n; i++) {
            if (path != NULL && t->kind == TFP_KIND_LIST) {
                tfp_path_push_index(path, (int64_t)i);
            } else if (path != NULL && t->kind == TFP_KIND_MAP) {
                tfp_path_push_key(path, v->keys[i]);
            }
            error = conforms_at(v->items[i], t->elem, path, depth + 1);
            if (error) {
                return error;
            }
            if (path != NULL && t->kind != TFP_KIND_SET) {
                tfp_path_pop(path);
            }
        }
        return 0;
    case TFP_KIND_OBJECT:
    case TFP_KIND_TUPLE:
        if (v->type->n != t->n || v->n != t->n) {
            return TFP_EINVALID;
        }
        for (i = 0; i < t->n; i++) {
            if (t->kind == TFP_KIND_OBJECT && strcmp(v->type->names[i], t->names[i]) != 0) {
                return TFP_EINVALID;
            }
            if (path != NULL) {
                if (t->kind == TFP_KIND_OBJECT) {
                    tfp_path_push_attr(path, t->names[i]);
                } else {
                    tfp_path_push_index(path, (int64_t)i);
                }
            }
            error = conforms_at(v->items[i], t->types[i], path, depth + 1);
            if (error) {
                return error;
            }
            if (path != NULL) {
                tfp_path_pop(path);
            }
        }
        return 0;
    default:
        return 0;
    }
}

int tfp__value_conforms(const tfp_value *v, const tfp_type *t, tfp_path *path)
{
    return conforms_at(v, t, path, 0);
}

/* First value inside @p v (pre-order) for which @p hit is 1: returns 1 and leaves its path in
 * @p path (when non-NULL), or 0. Elements of sets have no path step of their own. */
static int value_find(const tfp_value *v, tfp_path *path, int (*hit)(const tfp_value *))
{
    size_t i;
    if (v == NULL || v->state == TFP__NULL) {
        return 0;
    }
    if (hit(v)) {
        return 1;
    }
    if (v->state == TFP__UNKNOWN) {
        return 0;
    }
    for (i = 0; i < v->n; i++) {
        int pushed = 1;
        if (path == NULL) {
            pushed = 0;
        } else if (v->type->kind == TFP_KIND_OBJECT) {
            tfp_path_push_attr(path, v->type->names[i]);
        } else if (v->type->kind == TFP_KIND_MAP) {
            tfp_path_push_key(path, v->keys[i]);
        } else if (v->type->kind == TFP_KIND_LIST || v->type->kind == TFP_KIND_TUPLE) {
            tfp_path_push_index(path, (int64_t)i);
        } else {
            pushed = 0;
        }
        if (value_find(v->items[i], path, hit)) {
            return 1;
        }
        if (pushed) {
            tfp_path_pop(path);
        }
    }
    return 0;
}

static int is_unknown(const tfp_value *v)
{
    return v->state == TFP__UNKNOWN;
}

static int is_string_with_nul(const tfp_value *v)
{
    return v->state == TFP__KNOWN && v->type->kind == TFP_KIND_STRING &&
           memchr(v->str, '\0', v->slen) != NULL;
}

int tfp__value_find_unknown(const tfp_value *v, tfp_path *path)
{
    return value_find(v, path, is_unknown);
}

int tfp__value_find_nul(const tfp_value *v, tfp_path *path)
{
    return value_find(v, path, is_string_with_nul);
}

const char *tfp__key_problem(const char *s, size_t len)
{
    if (!util_utf8_valid(s, len)) {
        return "is not valid UTF-8";
    }
    if (memchr(s, '\0', len) != NULL) {
        return "contains a NUL character (U+0000)";
    }
    return NULL;
}

size_t tfp__decode_budget(size_t len, unsigned int percent)
{
    size_t units = len / 100 + (len % 100 != 0);
    size_t b = units > SIZE_MAX / percent ? SIZE_MAX : units * percent;
    return b < TFP__DECODE_FLOOR ? TFP__DECODE_FLOOR : b;
}

int tfp__decode_end(util_meter *m,
                    int error,
                    char **err,
                    const char *codec,
                    unsigned int percent,
                    size_t len,
                    size_t values)
{
    util_meter_end(m);
    if (error != TFP_ENOMEM || !m->exceeded) {
        return error;
    }
    util_free(*err);
    *err = util_asprintf("value too large: decoding these %zu bytes of %s needs more than %zu MiB "
                         "of memory (%u.%02u times the input size, at least %zu MiB), because it "
                         "has too many elements for its size (%zu values so far)",
                         len, codec, tfp__decode_budget(len, percent) >> 20, percent / 100,
                         percent % 100, TFP__DECODE_FLOOR >> 20, values);
    return TFP_ETOOLARGE;
}
