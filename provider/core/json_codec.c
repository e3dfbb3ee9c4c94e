/*
 * The cty JSON codec (stored state, DynamicValue.json), as go-cty encodes it.
 *
 * cJSON validates and parses the text, but it keeps numbers as doubles (which would turn
 * 100000000000000000000 or 0.1 into something else) and ends strings at a NUL, which cty
 * allows ("a\u0000b") and which a state written by an older version may hold. So one scan of
 * the text collects, in document order, the text of every number token and where every string
 * token that holds a NUL is; a walk of the cJSON tree in the same order then attaches each
 * number's text to its node (as its valuestring, which cJSON_Delete frees) and marks each such
 * string node with the index of its token (in valueint, which cJSON leaves 0 for strings), and
 * the decoder reads those strings from the text itself. Map keys and attribute names with a NUL
 * are refused, as by the msgpack decoder (tfp__key_problem). The scan also refuses raw control
 * characters inside strings, which JSON forbids and cJSON would let through.
 */
#include "core.h"

#include <tfp/value.h>

#include <cjson/cJSON.h>

#include <limits.h>
#include <stdarg.h>
#include <string.h>

typedef struct jtok {
    size_t off;     /* byte offset in the text */
    size_t len;     /* bytes; for strings the quotes included */
    size_t ordinal; /* strings: index among all string tokens (keys and values) */
} jtok;

/* What the scan found. */
typedef struct jscan {
    jtok *nums; /* every number token */
    size_t nnums;
    size_t nums_alloc;
    jtok *nuls; /* the string tokens that hold a NUL */
    size_t nnuls;
    size_t nuls_alloc;
    size_t bad_at; /* offset of a raw control character in a string (when bad) */
    int bad;
} jscan;

typedef struct jdec {
    tfp_path *path;
    char *err;
    const char *text;
    const jscan *scan;
    size_t values;      /* values decoded so far */
    unsigned int flags; /* TFP_JSON_* */
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

/* ----- token recovery ----- */

static int jtok_push(jtok **list, size_t *n, size_t *alloc, size_t off, size_t len, size_t ord)
{
    if (*n == *alloc) {
        size_t nalloc = *alloc ? *alloc * 2 : 16;
        jtok *grown = util_reallocarray(*list, nalloc, sizeof(*grown));
        if (grown == NULL) {
            return TFP_ENOMEM;
        }
        *list = grown;
        *alloc = nalloc;
    }
    (*list)[*n].off = off;
    (*list)[*n].len = len;
    (*list)[*n].ordinal = ord;
    (*n)++;
    return 0;
}

static void jscan_dispose(jscan *sc)
{
    util_free(sc->nums);
    util_free(sc->nuls);
    memset(sc, 0, sizeof(*sc));
}

/* Scans JSON text that cJSON accepted. @return 0 or TFP_ENOMEM (a raw control character in a
 * string sets sc->bad). */
static int jscan_text(jscan *sc, const char *s, size_t len)
{
    size_t i = 0;
    size_t strings = 0;
    memset(sc, 0, sizeof(*sc));
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            size_t start = i;
            int nul = 0;
            i++;
            while (i < len && s[i] != '"') {
                if (s[i] == '\\') {
                    nul |= len - i >= 6 && memcmp(s + i, "\\u0000", 6) == 0;
                    i += 2;
                    continue;
                }
                if ((unsigned char)s[i] < 0x20 && !sc->bad) {
                    sc->bad = 1;
                    sc->bad_at = i;
                }
                i++;
            }
            i++;
            if (nul && jtok_push(&sc->nuls, &sc->nnuls, &sc->nuls_alloc, start,
                                 (i <= len ? i : len) - start, strings) != 0) {
                return TFP_ENOMEM;
            }
            strings++;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i < len && s[i] != '\0' && strchr("0123456789+-.eE", s[i]) != NULL) {
                i++;
            }
            if (jtok_push(&sc->nums, &sc->nnums, &sc->nums_alloc, start, i - start, 0) != 0) {
                return TFP_ENOMEM;
            }
            continue;
        }
        i++;
    }
    return 0;
}

/* Walk positions: the next number token, the ordinal of the next string token, the next NUL
 * string token. */
typedef struct jwalk {
    size_t num;
    size_t str;
    size_t nul;
} jwalk;

/* 1 if the next string token is one with a NUL (and moves past it in the NUL list). */
static int jwalk_string(const jscan *sc, jwalk *w, size_t *nul_index)
{
    int has_nul = w->nul < sc->nnuls && sc->nuls[w->nul].ordinal == w->str;
    if (has_nul) {
        *nul_index = w->nul++;
    }
    w->str++;
    return has_nul;
}

/* Attaches number texts and marks NUL strings (pre-order = document order). @return 0,
 * TFP_ENOMEM, or TFP_EINVALID (message in @p d). */
static int attach_tokens(jdec *d, cJSON *node, const jscan *sc, jwalk *w)
{
    int error;
    for (; node != NULL; node = node->next) {
        size_t nul_index = 0;
        if (node->string != NULL && jwalk_string(sc, w, &nul_index)) {
            /* an object member: its key comes first in the text */
            return jfail(d, TFP_EINVALID,
                         "a map key or attribute name contains a NUL character (U+0000)");
        }
        if (cJSON_IsNumber(node)) {
            char *text;
            if (w->num >= sc->nnums) {
                return jfail(d, TFP_EINVALID, "could not recover number text");
            }
            text = cJSON_malloc(sc->nums[w->num].len + 1);
            if (text == NULL) {
                return TFP_ENOMEM;
            }
            memcpy(text, d->text + sc->nums[w->num].off, sc->nums[w->num].len);
            text[sc->nums[w->num].len] = '\0';
            node->valuestring = text;
            w->num++;
        } else if (cJSON_IsString(node) && jwalk_string(sc, w, &nul_index)) {
            if (nul_index >= (size_t)INT_MAX) {
                return jfail(d, TFP_ETOOLARGE, "too many strings with NUL characters");
            }
            node->valueint = (int)nul_index + 1;
        }
        if (node->child != NULL) {
            error = attach_tokens(d, node->child, sc, w);
            if (error) {
                return error;
            }
        }
    }
    return 0;
}

static int hex4(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= (uint32_t)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= (uint32_t)(c - 'A' + 10);
        } else {
            return -1;
        }
    }
    *out = v;
    return 0;
}

/* Decodes the JSON string token @p tok (quotes included) into new bytes (util_free); the
 * decoded string is never longer than the token. @return 0, TFP_EINVALID, TFP_ENOMEM. */
static int json_unescape(const char *tok, size_t len, char **out, size_t *out_len)
{
    char *b;
    size_t i = 1, n = 0;
    if (len < 2 || tok[0] != '"' || tok[len - 1] != '"') {
        return TFP_EINVALID;
    }
    b = util_malloc(len);
    if (b == NULL) {
        return TFP_ENOMEM;
    }
    while (i < len - 1) {
        uint32_t cp, lo;
        if (tok[i] != '\\') {
            b[n++] = tok[i++];
            continue;
        }
        if (i + 1 >= len - 1) {
            goto bad;
        }
        switch (tok[i + 1]) {
        case '"':
        case '\\':
        case '/':
            b[n++] = tok[i + 1];
            i += 2;
            continue;
        case 'b':
            b[n++] = '\b';
            i += 2;
            continue;
        case 'f':
            b[n++] = '\f';
            i += 2;
            continue;
        case 'n':
            b[n++] = '\n';
            i += 2;
            continue;
        case 'r':
            b[n++] = '\r';
            i += 2;
            continue;
        case 't':
            b[n++] = '\t';
            i += 2;
            continue;
        case 'u':
            break;
        default:
            goto bad;
        }
        if (len - 1 - i < 6 || hex4(tok + i + 2, &cp) != 0) {
            goto bad;
        }
        i += 6;
        if (cp >= 0xdc00 && cp <= 0xdfff) {
            goto bad;
        }
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (len - 1 - i < 6 || tok[i] != '\\' || tok[i + 1] != 'u' ||
                hex4(tok + i + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
                goto bad;
            }
            i += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (cp < 0x80) {
            b[n++] = (char)cp;
        } else if (cp < 0x800) {
            b[n++] = (char)(0xc0 | (cp >> 6));
            b[n++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            b[n++] = (char)(0xe0 | (cp >> 12));
            b[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            b[n++] = (char)(0x80 | (cp & 0x3f));
        } else {
            b[n++] = (char)(0xf0 | (cp >> 18));
            b[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
            b[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            b[n++] = (char)(0x80 | (cp & 0x3f));
        }
    }
    *out = b;
    *out_len = n;
    return 0;
bad:
    util_free(b);
    return TFP_EINVALID;
}

/* ----- memory ----- */

/* An allocator block of @p n bytes with its bookkeeping (glibc: 16-byte granules, 8 of header). */
static size_t block_cost(size_t n)
{
    size_t b = (n + 8 + 15) & ~(size_t)15;
    return b < 32 ? 32 : b;
}

size_t tfp__cjson_cost(const char *s, size_t len, size_t *tokens)
{
    size_t cost = 0, n = 0, i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            size_t start = i++;
            while (i < len && s[i] != '"') {
                i += s[i] == '\\' ? 2 : 1;
            }
            i++;
            /* a node (or the member it names) and the decoded copy, never longer than this */
            cost += block_cost(sizeof(cJSON)) + block_cost((i <= len ? i : len) - start);
            n++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i < len && s[i] != '\0' && strchr("0123456789+-.eE", s[i]) != NULL) {
                i++;
            }
            cost += block_cost(sizeof(cJSON)) + block_cost(i - start + 1); /* + its text */
            n++;
        } else if (c == '[' || c == '{' || c == 't' || c == 'f' || c == 'n') {
            cost += block_cost(sizeof(cJSON));
            n++;
            i++;
            while (c != '[' && c != '{' && i < len && s[i] >= 'a' && s[i] <= 'z') {
                i++; /* the rest of true / false / null */
            }
        } else {
            i++;
        }
    }
    if (tokens != NULL) {
        *tokens = n;
    }
    return cost;
}

/* ----- decoder ----- */

static int jdec_value(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out, int depth);

/* A string (or number text) of a node: a NUL string's bytes come from the text (new, in
 * @p owned), every other one is the node's own (borrowed). @return 0, TFP_EINVALID (not a
 * string, number or bool), TFP_ENOMEM. */
static int jnode_text(jdec *d, const cJSON *node, const char **text, size_t *len, char **owned)
{
    *owned = NULL;
    if (cJSON_IsString(node) && node->valueint > 0) {
        const jtok *tok = &d->scan->nuls[node->valueint - 1];
        int error = json_unescape(d->text + tok->off, tok->len, owned, len);
        *text = *owned;
        return error;
    }
    if (cJSON_IsString(node) || cJSON_IsNumber(node)) {
        *text = node->valuestring;
    } else if (cJSON_IsBool(node)) {
        *text = cJSON_IsTrue(node) ? "true" : "false";
    } else {
        *text = NULL;
    }
    if (*text == NULL) {
        return TFP_EINVALID;
    }
    *len = strlen(*text);
    return 0;
}

static int jdec_string_like(jdec *d, const cJSON *node, const tfp_type *t, tfp_value **out)
{
    const char *text = NULL;
    char *owned = NULL;
    size_t len = 0;
    tfp__decimal dn;
    int error = jnode_text(d, node, &text, &len, &owned);
    if (error == TFP_ENOMEM) {
        return error;
    }
    if (error) {
        return jfail(d, TFP_EINVALID, "a %s is required",
                     t->kind == TFP_KIND_STRING   ? "string"
                     : t->kind == TFP_KIND_NUMBER ? "number"
                                                  : "bool");
    }
    if (t->kind == TFP_KIND_STRING) {
        error = tfp_value_new_stringn(out, text, len);
        if (error == TFP_EINVALID) {
            error = jfail(d, error, "invalid UTF-8 in a string");
        }
    } else if (t->kind == TFP_KIND_NUMBER) {
        if (cJSON_IsBool(node)) {
            error = jfail(d, TFP_EINVALID, "a number is required");
            goto done;
        }
        error = tfp__decimal_parse(&dn, text, len);
        if (error) {
            error = error == TFP_ENOMEM ? error : jfail(d, error, "a number is required");
            goto done;
        }
        tfp__decimal_dispose(&dn);
        if (dn.inf) {
            error = jfail(d, TFP_EINVALID, "infinity cannot be represented in JSON");
            goto done;
        }
        error = tfp__value_new_number_text(out, text, len);
    } else if (!cJSON_IsNumber(node) && len == 4 && memcmp(text, "true", 4) == 0) {
        error = tfp_value_new_bool(out, 1);
    } else if (!cJSON_IsNumber(node) && len == 5 && memcmp(text, "false", 5) == 0) {
        error = tfp_value_new_bool(out, 0);
    } else {
        error = jfail(d, TFP_EINVALID, "a bool is required");
    }
done:
    util_free(owned);
    return error;
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
        const char *problem =
            c->string != NULL ? tfp__key_problem(c->string, strlen(c->string)) : "is missing";
        if (problem != NULL) {
            error = jfail(d, TFP_EINVALID, "a map key %s", problem);
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
        if (at < 0 && (d->flags & TFP_JSON_IGNORE_UNKNOWN)) {
            continue;
        }
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
    d->values++;
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
    return tfp_value_from_json_flags(out, t, json, len, 0, err_out);
}

int tfp_value_from_json_flags(tfp_value **out,
                              const tfp_type *t,
                              const char *json,
                              size_t len,
                              unsigned int flags,
                              char **err_out)
{
    jdec d = {NULL, NULL, json, NULL, 0, flags};
    jscan sc;
    jwalk w = {0, 0, 0};
    util_meter meter;
    cJSON *root = NULL;
    const char *end = NULL;
    tfp_value *v = NULL;
    size_t cjson_cost = 0;
    size_t tokens = 0;
    int charged = 0;
    int error = 0;
    size_t i;

    memset(&sc, 0, sizeof(sc));
    if (err_out != NULL) {
        *err_out = NULL;
    }
    if (out == NULL || t == NULL || (json == NULL && len > 0) ||
        (flags & ~TFP_JSON_IGNORE_UNKNOWN) != 0) {
        return TFP_EINVALID;
    }
    if (len == 0) {
        error = jfail(&d, TFP_EINVALID, "empty JSON input");
        goto done;
    }
    util_meter_begin(&meter, tfp__decode_budget(len, TFP__DECODE_PERCENT_JSON));
    /* cJSON allocates with its own allocator: its share is charged up front */
    cjson_cost = tfp__cjson_cost(json, len, &tokens);
    if (util_meter_charge(cjson_cost) != 0) {
        error = TFP_ENOMEM;
        goto decoded;
    }
    charged = 1;
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        size_t off = (end != NULL && end >= json) ? (size_t)(end - json) : 0;
        error = jfail(&d, TFP_EINVALID, "malformed JSON near byte %zu", off);
        goto decoded;
    }
    for (i = (size_t)(end - json); i < len; i++) {
        if (!is_json_space(json[i])) {
            error = jfail(&d, TFP_EINVALID, "unexpected data after the JSON value at byte %zu", i);
            goto decoded;
        }
    }
    error = jscan_text(&sc, json, (size_t)(end - json));
    if (error) {
        goto decoded;
    }
    if (sc.bad) {
        error = jfail(&d, TFP_EINVALID,
                      "malformed JSON: a control character must be escaped in a string (byte %zu)",
                      sc.bad_at);
        goto decoded;
    }
    d.scan = &sc;
    error = attach_tokens(&d, root, &sc, &w);
    if (error == 0 && w.num != sc.nnums) {
        error = jfail(&d, TFP_EINVALID, "could not recover number text");
    }
    if (error) {
        goto decoded;
    }
    error = tfp_path_new(&d.path);
    if (error) {
        goto decoded;
    }
    error = jdec_value(&d, root, t, &v, 0);
decoded:
    if (error) {
        tfp_value_free(v);
        v = NULL;
    }
    cJSON_Delete(root);
    root = NULL;
    if (charged) {
        util_meter_release(cjson_cost);
    }
    jscan_dispose(&sc);
    tfp_path_free(d.path);
    d.path = NULL;
    error = tfp__decode_end(&meter, error, &d.err, "JSON", TFP__DECODE_PERCENT_JSON, len,
                            d.values > tokens ? d.values : tokens);
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
    util_free(d.err);
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
