/* Types: immutable, reference counted; primitives are static singletons. */
#include "core.h"

#include <tfp/value.h>

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

static struct tfp_type type_string = {TFP_KIND_STRING, 1, 0, NULL, 0, NULL, NULL};
static struct tfp_type type_number = {TFP_KIND_NUMBER, 1, 0, NULL, 0, NULL, NULL};
static struct tfp_type type_bool = {TFP_KIND_BOOL, 1, 0, NULL, 0, NULL, NULL};
static struct tfp_type type_dynamic = {TFP_KIND_DYNAMIC, 1, 0, NULL, 0, NULL, NULL};

const tfp_type *tfp_type_string(void)
{
    return &type_string;
}

const tfp_type *tfp_type_number(void)
{
    return &type_number;
}

const tfp_type *tfp_type_bool(void)
{
    return &type_bool;
}

const tfp_type *tfp_type_dynamic(void)
{
    return &type_dynamic;
}

tfp_type *tfp_type_ref(const tfp_type *t)
{
    tfp_type *mt = (tfp_type *)(uintptr_t)t;
    if (mt != NULL && !mt->is_static) {
        atomic_fetch_add(&mt->refs, 1);
    }
    return mt;
}

void tfp_type_free(tfp_type *t)
{
    size_t i;
    if (t == NULL || t->is_static) {
        return;
    }
    if (atomic_fetch_sub(&t->refs, 1) != 1) {
        return;
    }
    tfp_type_free(t->elem);
    for (i = 0; i < t->n; i++) {
        if (t->names != NULL) {
            util_free(t->names[i]);
        }
        if (t->types != NULL) {
            tfp_type_free(t->types[i]);
        }
    }
    util_free(t->names);
    util_free(t->types);
    util_free(t);
}

static tfp_type *type_alloc(tfp_kind kind)
{
    tfp_type *t = util_calloc(1, sizeof(*t));
    if (t == NULL) {
        return NULL;
    }
    t->kind = kind;
    atomic_init(&t->refs, 1);
    return t;
}

static int collection_new(tfp_type **out, tfp_kind kind, const tfp_type *elem)
{
    tfp_type *t;
    if (out == NULL || elem == NULL) {
        return TFP_EINVALID;
    }
    t = type_alloc(kind);
    if (t == NULL) {
        return TFP_ENOMEM;
    }
    t->elem = tfp_type_ref(elem);
    *out = t;
    return 0;
}

int tfp_type_list_new(tfp_type **out, const tfp_type *elem)
{
    return collection_new(out, TFP_KIND_LIST, elem);
}

int tfp_type_set_new(tfp_type **out, const tfp_type *elem)
{
    return collection_new(out, TFP_KIND_SET, elem);
}

int tfp_type_map_new(tfp_type **out, const tfp_type *elem)
{
    return collection_new(out, TFP_KIND_MAP, elem);
}

struct name_type {
    const char *name;
    const tfp_type *type;
};

static int name_type_cmp(const void *a, const void *b)
{
    return strcmp(((const struct name_type *)a)->name, ((const struct name_type *)b)->name);
}

int tfp_type_object_new(tfp_type **out,
                        size_t n,
                        const char *const *names,
                        const tfp_type *const *types)
{
    int error = 0;
    struct name_type *pairs = NULL;
    tfp_type *t = NULL;
    size_t i;

    if (out == NULL || (n > 0 && (names == NULL || types == NULL))) {
        return TFP_EINVALID;
    }
    pairs = util_calloc(n, sizeof(*pairs));
    t = type_alloc(TFP_KIND_OBJECT);
    if (pairs == NULL || t == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (names[i] == NULL || names[i][0] == '\0' || types[i] == NULL) {
            error = TFP_EINVALID;
            goto done;
        }
        pairs[i].name = names[i];
        pairs[i].type = types[i];
    }
    if (n > 1) {
        qsort(pairs, n, sizeof(*pairs), name_type_cmp);
    }
    for (i = 1; i < n; i++) {
        if (strcmp(pairs[i - 1].name, pairs[i].name) == 0) {
            error = TFP_EINVALID;
            goto done;
        }
    }
    t->names = util_calloc(n, sizeof(char *));
    t->types = util_calloc(n, sizeof(tfp_type *));
    if (t->names == NULL || t->types == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        t->names[i] = util_strdup(pairs[i].name);
        t->types[i] = tfp_type_ref(pairs[i].type);
        t->n = i + 1;
        if (t->names[i] == NULL) {
            error = TFP_ENOMEM;
            goto done;
        }
    }
    *out = t;
    t = NULL;
done:
    util_free(pairs);
    tfp_type_free(t);
    return error;
}

int tfp_type_tuple_new(tfp_type **out, size_t n, const tfp_type *const *types)
{
    int error = 0;
    tfp_type *t = NULL;
    size_t i;

    if (out == NULL || (n > 0 && types == NULL)) {
        return TFP_EINVALID;
    }
    for (i = 0; i < n; i++) {
        if (types[i] == NULL) {
            return TFP_EINVALID;
        }
    }
    t = type_alloc(TFP_KIND_TUPLE);
    if (t == NULL) {
        return TFP_ENOMEM;
    }
    t->types = util_calloc(n, sizeof(tfp_type *));
    if (t->types == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        t->types[i] = tfp_type_ref(types[i]);
    }
    t->n = n;
    *out = t;
    t = NULL;
done:
    tfp_type_free(t);
    return error;
}

tfp_kind tfp_type_kind(const tfp_type *t)
{
    return t != NULL ? t->kind : (tfp_kind)0;
}

const tfp_type *tfp_type_element(const tfp_type *t)
{
    return t != NULL ? t->elem : NULL;
}

size_t tfp_type_length(const tfp_type *t)
{
    if (t == NULL || (t->kind != TFP_KIND_OBJECT && t->kind != TFP_KIND_TUPLE)) {
        return 0;
    }
    return t->n;
}

const char *tfp_type_attr_name(const tfp_type *t, size_t i)
{
    if (t == NULL || t->kind != TFP_KIND_OBJECT || i >= t->n) {
        return NULL;
    }
    return t->names[i];
}

const tfp_type *tfp_type_at(const tfp_type *t, size_t i)
{
    if (t == NULL || (t->kind != TFP_KIND_OBJECT && t->kind != TFP_KIND_TUPLE) || i >= t->n) {
        return NULL;
    }
    return t->types[i];
}

long tfp__type_attr_index(const tfp_type *t, const char *name)
{
    size_t lo = 0;
    size_t hi;
    if (t == NULL || t->kind != TFP_KIND_OBJECT || name == NULL) {
        return -1;
    }
    hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->names[mid], name);
        if (c == 0) {
            return (long)mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

const tfp_type *tfp_type_attr(const tfp_type *t, const char *name)
{
    long i = tfp__type_attr_index(t, name);
    return i < 0 ? NULL : t->types[i];
}

int tfp_type_equal(const tfp_type *a, const tfp_type *b)
{
    size_t i;
    if (a == b) {
        return 1;
    }
    if (a == NULL || b == NULL || a->kind != b->kind) {
        return 0;
    }
    switch (a->kind) {
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
        return tfp_type_equal(a->elem, b->elem);
    case TFP_KIND_OBJECT:
    case TFP_KIND_TUPLE:
        if (a->n != b->n) {
            return 0;
        }
        for (i = 0; i < a->n; i++) {
            if (a->kind == TFP_KIND_OBJECT && strcmp(a->names[i], b->names[i]) != 0) {
                return 0;
            }
            if (!tfp_type_equal(a->types[i], b->types[i])) {
                return 0;
            }
        }
        return 1;
    default:
        return 1;
    }
}

int tfp__type_conforms(const tfp_type *have, const tfp_type *want)
{
    size_t i;
    if (have == NULL || want == NULL) {
        return 0;
    }
    if (want->kind == TFP_KIND_DYNAMIC || have == want) {
        return 1;
    }
    if (have->kind != want->kind) {
        return 0;
    }
    switch (want->kind) {
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
        return tfp__type_conforms(have->elem, want->elem);
    case TFP_KIND_OBJECT:
    case TFP_KIND_TUPLE:
        if (have->n != want->n) {
            return 0;
        }
        for (i = 0; i < want->n; i++) {
            if (want->kind == TFP_KIND_OBJECT && strcmp(have->names[i], want->names[i]) != 0) {
                return 0;
            }
            if (!tfp__type_conforms(have->types[i], want->types[i])) {
                return 0;
            }
        }
        return 1;
    default:
        return 1;
    }
}

int tfp__type_has_dynamic(const tfp_type *t)
{
    size_t i;
    if (t == NULL) {
        return 0;
    }
    if (t->kind == TFP_KIND_DYNAMIC) {
        return 1;
    }
    if (t->elem != NULL && tfp__type_has_dynamic(t->elem)) {
        return 1;
    }
    for (i = 0; i < t->n; i++) {
        if (tfp__type_has_dynamic(t->types[i])) {
            return 1;
        }
    }
    return 0;
}

/* ----- JSON type specifications ----- */

int tfp__type_from_cjson(tfp_type **out, const void *vnode, int depth)
{
    const cJSON *node = vnode;
    const cJSON *kind;
    const cJSON *arg;
    int error = 0;
    tfp_type *elem = NULL;
    const char **names = NULL;
    tfp_type **types = NULL;
    size_t n = 0;
    size_t i;

    if (depth > TFP__MAX_DEPTH) {
        return TFP_ETOOLARGE;
    }
    if (cJSON_IsString(node)) {
        const char *s = node->valuestring;
        if (strcmp(s, "string") == 0) {
            *out = (tfp_type *)(uintptr_t)tfp_type_string();
        } else if (strcmp(s, "number") == 0) {
            *out = (tfp_type *)(uintptr_t)tfp_type_number();
        } else if (strcmp(s, "bool") == 0) {
            *out = (tfp_type *)(uintptr_t)tfp_type_bool();
        } else if (strcmp(s, "dynamic") == 0) {
            *out = (tfp_type *)(uintptr_t)tfp_type_dynamic();
        } else {
            return TFP_EINVALID;
        }
        return 0;
    }
    if (!cJSON_IsArray(node)) {
        return TFP_EINVALID;
    }
    kind = node->child;
    if (!cJSON_IsString(kind) || kind->next == NULL) {
        return TFP_EINVALID;
    }
    arg = kind->next;
    if (strcmp(kind->valuestring, "list") == 0 || strcmp(kind->valuestring, "set") == 0 ||
        strcmp(kind->valuestring, "map") == 0) {
        if (arg->next != NULL) {
            return TFP_EINVALID;
        }
        error = tfp__type_from_cjson(&elem, arg, depth + 1);
        if (error) {
            goto done;
        }
        if (kind->valuestring[0] == 'l') {
            error = tfp_type_list_new(out, elem);
        } else if (kind->valuestring[0] == 's') {
            error = tfp_type_set_new(out, elem);
        } else {
            error = tfp_type_map_new(out, elem);
        }
        goto done;
    }
    if (strcmp(kind->valuestring, "object") == 0 || strcmp(kind->valuestring, "tuple") == 0) {
        int is_object = kind->valuestring[0] == 'o';
        const cJSON *c;
        if (is_object ? !cJSON_IsObject(arg) : !cJSON_IsArray(arg)) {
            return TFP_EINVALID;
        }
        /* object: an optional third element lists optional attributes; accepted, ignored */
        if (arg->next != NULL && (!is_object || !cJSON_IsArray(arg->next) || arg->next->next)) {
            return TFP_EINVALID;
        }
        for (c = arg->child; c != NULL; c = c->next) {
            n++;
        }
        names = util_calloc(n, sizeof(*names));
        types = util_calloc(n, sizeof(*types));
        if (names == NULL || types == NULL) {
            error = TFP_ENOMEM;
            goto done;
        }
        i = 0;
        for (c = arg->child; c != NULL; c = c->next, i++) {
            names[i] = c->string;
            error = tfp__type_from_cjson(&types[i], c, depth + 1);
            if (error) {
                goto done;
            }
        }
        if (is_object) {
            error = tfp_type_object_new(out, n, names, (const tfp_type *const *)types);
        } else {
            error = tfp_type_tuple_new(out, n, (const tfp_type *const *)types);
        }
        goto done;
    }
    error = TFP_EINVALID;
done:
    tfp_type_free(elem);
    if (types != NULL) {
        for (i = 0; i < n; i++) {
            tfp_type_free(types[i]);
        }
    }
    util_free(types);
    util_free(names);
    return error;
}

int tfp_type_from_json(tfp_type **out, const char *json, size_t len)
{
    cJSON *root = NULL;
    const char *end = NULL;
    int error = 0;
    size_t rest;
    size_t cost;

    if (out == NULL || json == NULL) {
        return TFP_EINVALID;
    }
    /* inside a value decoder (a dynamic value's type), cJSON's share counts against its meter */
    cost = tfp__cjson_cost(json, len, NULL);
    if (util_meter_charge(cost) != 0) {
        return TFP_ENOMEM;
    }
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        error = TFP_EINVALID;
        goto done;
    }
    for (rest = (size_t)(end - json); rest < len; rest++) {
        if (json[rest] != ' ' && json[rest] != '\t' && json[rest] != '\n' && json[rest] != '\r' &&
            json[rest] != '\0') {
            error = TFP_EINVALID;
            goto done;
        }
    }
    error = tfp__type_from_cjson(out, root, 0);
done:
    cJSON_Delete(root);
    util_meter_release(cost);
    return error;
}

static int buf_json_string(util_buf *b, const char *s)
{
    cJSON *str = cJSON_CreateString(s);
    char *text;
    int error;
    if (str == NULL) {
        return TFP_ENOMEM;
    }
    text = cJSON_PrintUnformatted(str);
    cJSON_Delete(str);
    if (text == NULL) {
        return TFP_ENOMEM;
    }
    error = util_buf_puts(b, text);
    cJSON_free(text);
    return error;
}

int tfp__type_to_buf(util_buf *b, const tfp_type *t)
{
    size_t i;
    int error = 0;

    if (t == NULL) {
        return TFP_EINVALID;
    }
    switch (t->kind) {
    case TFP_KIND_STRING:
        return util_buf_puts(b, "\"string\"");
    case TFP_KIND_NUMBER:
        return util_buf_puts(b, "\"number\"");
    case TFP_KIND_BOOL:
        return util_buf_puts(b, "\"bool\"");
    case TFP_KIND_DYNAMIC:
        return util_buf_puts(b, "\"dynamic\"");
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_MAP:
        util_buf_puts(b, t->kind == TFP_KIND_LIST  ? "[\"list\","
                         : t->kind == TFP_KIND_SET ? "[\"set\","
                                                   : "[\"map\",");
        error = tfp__type_to_buf(b, t->elem);
        if (error) {
            return error;
        }
        return util_buf_putc(b, ']');
    case TFP_KIND_OBJECT:
        util_buf_puts(b, "[\"object\",{");
        for (i = 0; i < t->n; i++) {
            if (i > 0) {
                util_buf_putc(b, ',');
            }
            error = buf_json_string(b, t->names[i]);
            if (error) {
                return error;
            }
            util_buf_putc(b, ':');
            error = tfp__type_to_buf(b, t->types[i]);
            if (error) {
                return error;
            }
        }
        return util_buf_puts(b, "}]");
    case TFP_KIND_TUPLE:
        util_buf_puts(b, "[\"tuple\",[");
        for (i = 0; i < t->n; i++) {
            if (i > 0) {
                util_buf_putc(b, ',');
            }
            error = tfp__type_to_buf(b, t->types[i]);
            if (error) {
                return error;
            }
        }
        return util_buf_puts(b, "]]");
    }
    return TFP_EINVALID;
}

int tfp_type_to_json(char **out, const tfp_type *t)
{
    util_buf b = UTIL_BUF_INIT(16u << 20);
    int error;
    if (out == NULL || t == NULL) {
        return TFP_EINVALID;
    }
    error = tfp__type_to_buf(&b, t);
    if (error == 0 && b.error) {
        error = b.error;
    }
    if (error) {
        util_buf_dispose(&b);
        return error;
    }
    *out = util_buf_detach(&b, NULL);
    return *out != NULL ? 0 : TFP_ENOMEM;
}
