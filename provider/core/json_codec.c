/*
 * The cty JSON codec (stored state, DynamicValue.json), plugin-protocol.md 3.5.
 *
 * cJSON keeps numbers as doubles, which would turn 100000000000000000000 or 0.1 into
 * something else. After cJSON has validated and parsed the text, a small scan collects the
 * text of every number token in document order and attaches it to the matching cJSON number
 * node (as its valuestring, which cJSON_Delete frees); the decoder then uses that text.
 */
#include "core.h"

#include <tfp/value.h>

#include <cjson/cJSON.h>

#include <stdarg.h>
#include <string.h>

typedef struct jdec {
    tfp_path *path;
    char *err;
} jdec;

static int jfail(jdec *d, int code, const char *fmt, ...) UTIL_PRINTF(3, 4);

static int jfail(jdec *d, int code, const char *fmt, ...)
{
    char *what;
    char *where = NULL;
    va_list ap;
    if (d->err != NULL) {
        return code;
    }
    va_start(ap, fmt);
    what = util_vasprintf(fmt, ap);
    va_end(ap);
    if (d->path != NULL && d->path->n > 0) {
        (void)tfp_path_to_string(&where, d->path);
    }
    if (what != NULL) {
        d->err = where != NULL ? util_asprintf("%s (at %s)", what, where) : util_strdup(what);
    }
    util_free(what);
    util_free(where);
    return code;
}

/* ----- number text recovery ----- */

typedef struct numtok {
    size_t off;
    size_t len;
} numtok;

/* Collects number tokens of (valid) JSON text in document order. */
static int scan_numbers(const char *s, size_t len, numtok **out, size_t *n_out)
{
    numtok *toks = NULL;
    size_t n = 0;
    size_t alloc = 0;
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i++;
            while (i < len && s[i] != '"') {
                if (s[i] == '\\' && len - i >= 6 && memcmp(s + i, "\\u0000", 6) == 0) {
                    /* cJSON ends strings at NUL: refuse rather than truncate silently */
                    util_free(toks);
                    return TFP_EUNSUPPORTED;
                }
                i += (s[i] == '\\') ? 2 : 1;
            }
            i++;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i < len && (strchr("0123456789+-.eE", s[i]) != NULL) && s[i] != '\0') {
                i++;
            }
            if (n == alloc) {
                size_t nalloc = alloc ? alloc * 2 : 16;
                numtok *grown = util_reallocarray(toks, nalloc, sizeof(*grown));
                if (grown == NULL) {
                    util_free(toks);
                    return TFP_ENOMEM;
                }
                toks = grown;
                alloc = nalloc;
            }
            toks[n].off = start;
            toks[n].len = i - start;
            n++;
            continue;
        }
        i++;
    }
    *out = toks;
    *n_out = n;
    return 0;
}

/* Attaches number texts to cJSON number nodes (pre-order = document order). */
static int attach_numbers(cJSON *node, const char *s, const numtok *toks, size_t n, size_t *next)
{
    cJSON *c;
    int error;
    for (; node != NULL; node = node->next) {
        if (cJSON_IsNumber(node)) {
            char *text;
            if (*next >= n) {
                return TFP_EINVALID;
            }
            text = cJSON_malloc(toks[*next].len + 1);
            if (text == NULL) {
                return TFP_ENOMEM;
            }
            memcpy(text, s + toks[*next].off, toks[*next].len);
            text[toks[*next].len] = '\0';
            node->valuestring = text;
            (*next)++;
        }
        c = node->child;
        if (c != NULL) {
            error = attach_numbers(c, s, toks, n, next);
            if (error) {
                return error;
            }
        }
    }
    return 0;
}

/* ----- decoder ----- */

static int jdec_value(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth);

static int jdec_string_like(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out)
{
    const char *text = NULL;
    if (cJSON_IsString(node)) {
        text = node->valuestring;
    } else if (cJSON_IsNumber(node)) {
        text = node->valuestring;
    } else if (cJSON_IsBool(node)) {
        text = cJSON_IsTrue(node) ? "true" : "false";
    }
    if (text == NULL) {
        return jfail(d, TFP_EINVALID, "a %s is required",
                     t->kind == TFP_KIND_STRING   ? "string"
                     : t->kind == TFP_KIND_NUMBER ? "number"
                                                  : "bool");
    }
    if (t->kind == TFP_KIND_STRING) {
        int error = tfp_value_new_string(out, text);
        return error == TFP_EINVALID ? jfail(d, error, "invalid UTF-8 in a string") : error;
    }
    if (t->kind == TFP_KIND_NUMBER) {
        tfp__decimal dn;
        int error;
        if (cJSON_IsBool(node)) {
            return jfail(d, TFP_EINVALID, "a number is required");
        }
        error = tfp__decimal_parse(&dn, text, strlen(text));
        if (error) {
            return error == TFP_ENOMEM ? error : jfail(d, error, "a number is required");
        }
        tfp__decimal_dispose(&dn);
        if (dn.inf) {
            return jfail(d, TFP_EINVALID, "infinity cannot be represented in JSON");
        }
        return tfp__value_new_number_text(out, text, strlen(text));
    }
    if (strcmp(text, "true") == 0 && !cJSON_IsNumber(node)) {
        return tfp_value_new_bool(out, 1);
    }
    if (strcmp(text, "false") == 0 && !cJSON_IsNumber(node)) {
        return tfp_value_new_bool(out, 0);
    }
    return jfail(d, TFP_EINVALID, "a bool is required");
}

static int
jdec_collection(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    tfp_value *elem = NULL;
    const cJSON *c;
    int error = 0;
    int64_t i = 0;

    if (!cJSON_IsArray(node)) {
        return jfail(d, TFP_EINVALID, "a %s is required",
                     t->kind == TFP_KIND_LIST ? "list" : "set");
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    for (c = node->child; c != NULL; c = c->next, i++) {
        if (t->kind == TFP_KIND_LIST) {
            tfp_path_push_index(d->path, i);
        }
        error = jdec_value(d, c, t->elem, &elem, depth + 1);
        if (error) {
            goto done;
        }
        if (t->kind == TFP_KIND_LIST) {
            tfp_path_pop(d->path);
        }
        error = tfp__value_push(v, elem);
        elem = NULL;
        if (error) {
            goto done;
        }
    }
    if (t->kind == TFP_KIND_SET) {
        error = tfp__value_set_dedup(v);
        if (error) {
            goto done;
        }
    }
    *out = v;
    v = NULL;
done:
    tfp_value_free(v);
    return error;
}

static int jdec_map(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    const cJSON *c;
    int error = 0;

    if (!cJSON_IsObject(node)) {
        return jfail(d, TFP_EINVALID, "a map is required");
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    for (c = node->child; c != NULL; c = c->next) {
        char *key;
        tfp_value *elem = NULL;
        if (c->string == NULL || !util_utf8_valid(c->string, strlen(c->string))) {
            error = jfail(d, TFP_EINVALID, "invalid map key");
            goto done;
        }
        tfp_path_push_key(d->path, c->string);
        error = jdec_value(d, c, t->elem, &elem, depth + 1);
        if (error) {
            goto done;
        }
        tfp_path_pop(d->path);
        key = util_strdup(c->string);
        if (key == NULL || tfp__value_grow(v, 1) != 0) {
            util_free(key);
            tfp_value_free(elem);
            error = TFP_ENOMEM;
            goto done;
        }
        v->keys[v->n] = key;
        v->items[v->n] = elem;
        v->n++;
    }
    error = tfp__value_map_finish(v);
    if (error == TFP_EINVALID) {
        error = jfail(d, error, "duplicate map key");
    }
    if (error) {
        goto done;
    }
    *out = v;
    v = NULL;
done:
    tfp_value_free(v);
    return error;
}

static int jdec_object(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    const cJSON *c;
    int error = 0;
    size_t i;

    if (!cJSON_IsObject(node)) {
        return jfail(d, TFP_EINVALID, "an object is required");
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->items = util_calloc(t->n, sizeof(*v->items));
    if (v->items == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    v->n = t->n;
    v->alloc = t->n;
    for (c = node->child; c != NULL; c = c->next) {
        long at = tfp__type_attr_index(t, c->string);
        if (at < 0) {
            error = jfail(d, TFP_EINVALID, "unsupported attribute \"%s\"",
                          c->string != NULL ? c->string : "");
            goto done;
        }
        if (v->items[at] != NULL) {
            error = jfail(d, TFP_EINVALID, "duplicate attribute \"%s\"", c->string);
            goto done;
        }
        tfp_path_push_attr(d->path, c->string);
        error = jdec_value(d, c, t->types[at], &v->items[at], depth + 1);
        if (error) {
            goto done;
        }
        tfp_path_pop(d->path);
    }
    /* missing attributes are null */
    for (i = 0; i < t->n; i++) {
        if (v->items[i] == NULL) {
            error = tfp_value_new_null(&v->items[i], t->types[i]);
            if (error) {
                goto done;
            }
        }
    }
    *out = v;
    v = NULL;
done:
    tfp_value_free(v);
    return error;
}

static int jdec_tuple(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    const cJSON *c;
    int error = 0;
    size_t i = 0;

    if (!cJSON_IsArray(node) || (size_t)cJSON_GetArraySize(node) != t->n) {
        return jfail(d, TFP_EINVALID, "a tuple of %zu elements is required", t->n);
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->items = util_calloc(t->n, sizeof(*v->items));
    if (v->items == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    v->alloc = t->n;
    for (c = node->child; c != NULL && i < t->n; c = c->next, i++) {
        tfp_path_push_index(d->path, (int64_t)i);
        error = jdec_value(d, c, t->types[i], &v->items[i], depth + 1);
        v->n = i + 1;
        if (error) {
            goto done;
        }
        tfp_path_pop(d->path);
    }
    *out = v;
    v = NULL;
done:
    tfp_value_free(v);
    return error;
}

static int jdec_dynamic(jdec *d, const cJSON *node, tfp_value **out, int depth)
{
    const cJSON *tv;
    const cJSON *vv;
    tfp_type *t = NULL;
    int error;
    if (!cJSON_IsObject(node)) {
        return jfail(d, TFP_EINVALID, "a dynamic value must be an object with value and type");
    }
    tv = cJSON_GetObjectItemCaseSensitive(node, "type");
    vv = cJSON_GetObjectItemCaseSensitive(node, "value");
    if (tv == NULL || vv == NULL || cJSON_GetArraySize(node) != 2) {
        return jfail(d, TFP_EINVALID, "a dynamic value must be an object with value and type");
    }
    error = tfp__type_from_cjson(&t, tv, depth + 1);
    if (error) {
        return error == TFP_ENOMEM ? error : jfail(d, error, "invalid type in a dynamic value");
    }
    error = jdec_value(d, vv, t, out, depth + 1);
    tfp_type_free(t);
    return error;
}

static int jdec_value(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth)
{
    *out = NULL;
    if (depth > TFP__MAX_DEPTH) {
        return jfail(d, TFP_ETOOLARGE, "value nested deeper than 64 levels");
    }
    if (cJSON_IsNull(node)) {
        return tfp_value_new_null(out, t);
    }
    switch (t->kind) {
    case TFP_KIND_STRING:
    case TFP_KIND_NUMBER:
    case TFP_KIND_BOOL:
        return jdec_string_like(d, node, t, out);
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
        return jdec_collection(d, node, t, out, depth);
    case TFP_KIND_MAP:
        return jdec_map(d, node, t, out, depth);
    case TFP_KIND_OBJECT:
        return jdec_object(d, node, t, out, depth);
    case TFP_KIND_TUPLE:
        return jdec_tuple(d, node, t, out, depth);
    case TFP_KIND_DYNAMIC:
        return jdec_dynamic(d, node, out, depth);
    }
    return jfail(d, TFP_EINVALID, "unsupported type");
}

static int is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int tfp_value_from_json(
    tfp_value **out, const tfp_type *t, const char *json, size_t len, char **err_out)
{
    jdec d = {NULL, NULL};
    cJSON *root = NULL;
    const char *end = NULL;
    numtok *toks = NULL;
    size_t ntoks = 0;
    size_t next = 0;
    tfp_value *v = NULL;
    int error = 0;
    size_t i;

    if (err_out != NULL) {
        *err_out = NULL;
    }
    if (out == NULL || t == NULL || (json == NULL && len > 0)) {
        return TFP_EINVALID;
    }
    if (len == 0) {
        error = jfail(&d, TFP_EINVALID, "empty JSON input");
        goto done;
    }
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        size_t off = (end != NULL && end >= json) ? (size_t)(end - json) : 0;
        error = jfail(&d, TFP_EINVALID, "malformed JSON near byte %zu", off);
        goto done;
    }
    for (i = (size_t)(end - json); i < len; i++) {
        if (!is_json_space(json[i])) {
            error = jfail(&d, TFP_EINVALID, "unexpected data after the JSON value at byte %zu", i);
            goto done;
        }
    }
    error = scan_numbers(json, (size_t)(end - json), &toks, &ntoks);
    if (error == TFP_EUNSUPPORTED) {
        error = jfail(&d, TFP_EINVALID, "NUL characters in JSON strings are not supported");
    }
    if (error) {
        goto done;
    }
    error = attach_numbers(root, json, toks, ntoks, &next);
    if (error == 0 && next != ntoks) {
        error = TFP_EINVALID;
    }
    if (error) {
        if (error == TFP_EINVALID) {
            jfail(&d, error, "could not recover number text");
        }
        goto done;
    }
    error = tfp_path_new(&d.path);
    if (error) {
        goto done;
    }
    error = jdec_value(&d, root, t, &v, 0);
    if (error) {
        goto done;
    }
    *out = v;
    v = NULL;
done:
    if (error && err_out != NULL) {
        *err_out = d.err;
        d.err = NULL;
    }
    tfp_value_free(v);
    util_free(toks);
    util_free(d.err);
    tfp_path_free(d.path);
    cJSON_Delete(root);
    return error;
}

/* ----- encoder ----- */

/* 1 if @p s is a JSON number literal. */
static int json_number_syntax(const char *s)
{
    size_t i = 0;
    if (s[i] == '-') {
        i++;
    }
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (s[i] >= '0' && s[i] <= '9') {
            i++;
        }
    } else {
        return 0;
    }
    if (s[i] == '.') {
        i++;
        if (!(s[i] >= '0' && s[i] <= '9')) {
            return 0;
        }
        while (s[i] >= '0' && s[i] <= '9') {
            i++;
        }
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-') {
            i++;
        }
        if (!(s[i] >= '0' && s[i] <= '9')) {
            return 0;
        }
        while (s[i] >= '0' && s[i] <= '9') {
            i++;
        }
    }
    return s[i] == '\0';
}

/* A JSON string literal for @p len bytes (embedded NULs escaped), as a cJSON raw node. */
static cJSON *json_string_raw(const char *s, size_t len)
{
    util_buf b = UTIL_BUF_INIT(SIZE_MAX / 2);
    cJSON *node;
    size_t i;
    util_buf_putc(&b, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            util_buf_putc(&b, '\\');
            util_buf_putc(&b, (char)c);
        } else if (c == '\n') {
            util_buf_puts(&b, "\\n");
        } else if (c == '\r') {
            util_buf_puts(&b, "\\r");
        } else if (c == '\t') {
            util_buf_puts(&b, "\\t");
        } else if (c < 0x20) {
            util_buf_printf(&b, "\\u%04x", c);
        } else {
            util_buf_putc(&b, (char)c);
        }
    }
    util_buf_putc(&b, '"');
    if (b.error) {
        return NULL;
    }
    node = cJSON_CreateRaw(util_buf_cstr(&b));
    util_buf_dispose(&b);
    return node;
}

static int jenc_value(const tfp_value *v, const tfp_type *t, cJSON **out, int depth);

static int jenc_number(const tfp_value *v, cJSON **out)
{
    tfp__decimal dn;
    char *plain;
    int error = tfp__decimal_parse(&dn, v->str, v->slen);
    if (error) {
        return error;
    }
    if (dn.inf) {
        tfp__decimal_dispose(&dn);
        return TFP_EINVALID;
    }
    if (json_number_syntax(v->str)) {
        tfp__decimal_dispose(&dn);
        *out = cJSON_CreateRaw(v->str);
        return *out != NULL ? 0 : TFP_ENOMEM;
    }
    plain = tfp__decimal_to_plain(&dn);
    tfp__decimal_dispose(&dn);
    if (plain == NULL) {
        return TFP_ENOMEM;
    }
    *out = cJSON_CreateRaw(plain);
    util_free(plain);
    return *out != NULL ? 0 : TFP_ENOMEM;
}

/* {"type": <type of v>, "value": <v>} for a concrete value in a dynamic slot. */
static int jenc_dynamic(const tfp_value *v, cJSON **out, int depth)
{
    cJSON *node = NULL;
    cJSON *child = NULL;
    char *tj = NULL;
    int error = tfp_type_to_json(&tj, v->type);
    if (error) {
        goto done;
    }
    node = cJSON_CreateObject();
    child = cJSON_CreateRaw(tj);
    if (node == NULL || child == NULL || !cJSON_AddItemToObject(node, "type", child)) {
        error = TFP_ENOMEM;
        goto done;
    }
    child = NULL;
    error = jenc_value(v, v->type, &child, depth + 1);
    if (error) {
        goto done;
    }
    if (!cJSON_AddItemToObject(node, "value", child)) {
        error = TFP_ENOMEM;
        goto done;
    }
    child = NULL;
    *out = node;
    node = NULL;
done:
    util_free(tj);
    cJSON_Delete(child);
    cJSON_Delete(node);
    return error;
}

/* Lists, sets, tuples (arrays); maps and objects (JSON objects). */
static int jenc_container(const tfp_value *v, const tfp_type *t, cJSON **out, int depth)
{
    int is_array = v->type->kind == TFP_KIND_LIST || v->type->kind == TFP_KIND_SET ||
                   v->type->kind == TFP_KIND_TUPLE;
    cJSON *node = is_array ? cJSON_CreateArray() : cJSON_CreateObject();
    cJSON *child = NULL;
    int error = 0;
    size_t i;

    if (node == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < v->n; i++) {
        const tfp_type *et =
            (t->kind == TFP_KIND_TUPLE || t->kind == TFP_KIND_OBJECT) ? t->types[i] : t->elem;
        error = jenc_value(v->items[i], et, &child, depth + 1);
        if (error) {
            goto done;
        }
        if (is_array) {
            if (!cJSON_AddItemToArray(node, child)) {
                error = TFP_ENOMEM;
                goto done;
            }
        } else {
            const char *key = v->type->kind == TFP_KIND_MAP ? v->keys[i] : v->type->names[i];
            if (!cJSON_AddItemToObject(node, key, child)) {
                error = TFP_ENOMEM;
                goto done;
            }
        }
        child = NULL;
    }
    *out = node;
    node = NULL;
done:
    cJSON_Delete(child);
    cJSON_Delete(node);
    return error;
}

static int jenc_value(const tfp_value *v, const tfp_type *t, cJSON **out, int depth)
{
    *out = NULL;
    if (depth > TFP__MAX_DEPTH + 2) {
        return TFP_ETOOLARGE;
    }
    if (v->state == TFP__UNKNOWN) {
        return TFP_EINVALID;
    }
    if (t->kind == TFP_KIND_DYNAMIC && v->type->kind != TFP_KIND_DYNAMIC) {
        return jenc_dynamic(v, out, depth);
    }
    if (v->state == TFP__NULL) {
        *out = cJSON_CreateNull();
        return *out != NULL ? 0 : TFP_ENOMEM;
    }
    switch (v->type->kind) {
    case TFP_KIND_STRING:
        *out = json_string_raw(v->str, v->slen);
        return *out != NULL ? 0 : TFP_ENOMEM;
    case TFP_KIND_NUMBER:
        return jenc_number(v, out);
    case TFP_KIND_BOOL:
        *out = cJSON_CreateBool(v->b);
        return *out != NULL ? 0 : TFP_ENOMEM;
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_TUPLE:
    case TFP_KIND_MAP:
    case TFP_KIND_OBJECT:
        return jenc_container(v, t, out, depth);
    case TFP_KIND_DYNAMIC:
        break;
    }
    return TFP_EINVALID;
}

int tfp__value_to_json_as(char **out, const tfp_value *v, const tfp_type *t)
{
    cJSON *root = NULL;
    char *text = NULL;
    int error;

    if (out == NULL || v == NULL || t == NULL) {
        return TFP_EINVALID;
    }
    if (tfp__value_conforms(v, t, NULL) != 0) {
        return TFP_EINVALID;
    }
    error = jenc_value(v, t, &root, 0);
    if (error) {
        goto done;
    }
    text = cJSON_PrintUnformatted(root);
    if (text == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    *out = util_strdup(text);
    if (*out == NULL) {
        error = TFP_ENOMEM;
    }
done:
    cJSON_free(text);
    cJSON_Delete(root);
    return error;
}

int tfp_value_to_json(char **out, const tfp_value *v)
{
    if (v == NULL) {
        return TFP_EINVALID;
    }
    return tfp__value_to_json_as(out, v, v->type);
}
