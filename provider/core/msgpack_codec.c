/*
 * The cty msgpack codec (DynamicValue wire form), as go-cty encodes it.
 *
 * Encoding uses msgpack-c's packer. Decoding uses a small bounded pull reader over the input
 * bytes instead of msgpack-c's unpacker, for two reasons measured against msgpack-c 4.0:
 * its unpacker caps nesting at 32 levels (MSGPACK_EMBED_STACK_SIZE, reported as "no memory"),
 * and it allocates count * 24 bytes for a container header before checking that the input
 * holds that many elements, so a 5-byte message can request ~100 GB. The reader below checks
 * every length against the bytes that remain and bounds the depth to TFP__MAX_DEPTH.
 */
#include "core.h"

#include <tfp/value.h>

#include <msgpack.h>

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* ----- reader ----- */

enum mp_kind {
    MP_NIL,
    MP_BOOL,
    MP_INT,
    MP_UINT,
    MP_FLOAT,
    MP_STR,
    MP_BIN,
    MP_ARRAY,
    MP_MAP,
    MP_EXT
};

typedef struct mp_token {
    enum mp_kind kind;
    int b;
    int64_t i;
    uint64_t u;
    double f;
    const uint8_t *data; /* STR, BIN, EXT payload */
    uint32_t len;        /* STR/BIN/EXT bytes, ARRAY/MAP element count */
    int8_t ext_type;
} mp_token;

typedef struct mp_reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
} mp_reader;

static int mp_need(const mp_reader *r, size_t n)
{
    return r->len - r->pos >= n;
}

static uint64_t mp_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Reads @p n bytes as a big-endian length. */
static int mp_read_len(mp_reader *r, size_t n, uint32_t *out)
{
    if (!mp_need(r, n)) {
        return TFP_EINVALID;
    }
    *out = (uint32_t)mp_be(r->p + r->pos, n);
    r->pos += n;
    return 0;
}

static int mp_read_payload(mp_reader *r, mp_token *t)
{
    if (!mp_need(r, t->len)) {
        return TFP_EINVALID;
    }
    t->data = r->p + r->pos;
    r->pos += t->len;
    return 0;
}

static int mp_next(mp_reader *r, mp_token *t)
{
    uint8_t c;
    size_t n;
    memset(t, 0, sizeof(*t));
    if (!mp_need(r, 1)) {
        return TFP_EINVALID;
    }
    c = r->p[r->pos++];
    if (c <= 0x7f) {
        t->kind = MP_INT;
        t->i = c;
        return 0;
    }
    if (c >= 0xe0) {
        t->kind = MP_INT;
        t->i = (int8_t)c;
        return 0;
    }
    if (c >= 0x80 && c <= 0x8f) {
        t->kind = MP_MAP;
        t->len = c & 0x0f;
        return 0;
    }
    if (c >= 0x90 && c <= 0x9f) {
        t->kind = MP_ARRAY;
        t->len = c & 0x0f;
        return 0;
    }
    if (c >= 0xa0 && c <= 0xbf) {
        t->kind = MP_STR;
        t->len = c & 0x1f;
        return mp_read_payload(r, t);
    }
    switch (c) {
    case 0xc0:
        t->kind = MP_NIL;
        return 0;
    case 0xc2:
    case 0xc3:
        t->kind = MP_BOOL;
        t->b = c == 0xc3;
        return 0;
    case 0xc4:
    case 0xc5:
    case 0xc6:
        t->kind = MP_BIN;
        if (mp_read_len(r, (size_t)1 << (c - 0xc4), &t->len) != 0) {
            return TFP_EINVALID;
        }
        return mp_read_payload(r, t);
    case 0xc7:
    case 0xc8:
    case 0xc9:
        t->kind = MP_EXT;
        if (mp_read_len(r, (size_t)1 << (c - 0xc7), &t->len) != 0 || !mp_need(r, 1)) {
            return TFP_EINVALID;
        }
        t->ext_type = (int8_t)r->p[r->pos++];
        return mp_read_payload(r, t);
    case 0xca:
    case 0xcb: {
        n = c == 0xca ? 4 : 8;
        if (!mp_need(r, n)) {
            return TFP_EINVALID;
        }
        t->kind = MP_FLOAT;
        if (n == 4) {
            uint32_t bits = (uint32_t)mp_be(r->p + r->pos, 4);
            float f;
            memcpy(&f, &bits, sizeof(f));
            t->f = f;
        } else {
            uint64_t bits = mp_be(r->p + r->pos, 8);
            memcpy(&t->f, &bits, sizeof(t->f));
        }
        r->pos += n;
        return 0;
    }
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf:
        n = (size_t)1 << (c - 0xcc);
        if (!mp_need(r, n)) {
            return TFP_EINVALID;
        }
        t->kind = MP_UINT;
        t->u = mp_be(r->p + r->pos, n);
        r->pos += n;
        return 0;
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
        uint64_t u;
        n = (size_t)1 << (c - 0xd0);
        if (!mp_need(r, n)) {
            return TFP_EINVALID;
        }
        u = mp_be(r->p + r->pos, n);
        r->pos += n;
        t->kind = MP_INT;
        if (n == 1) {
            t->i = (int8_t)u;
        } else if (n == 2) {
            t->i = (int16_t)u;
        } else if (n == 4) {
            t->i = (int32_t)u;
        } else {
            memcpy(&t->i, &u, sizeof(t->i));
        }
        return 0;
    }
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
        t->kind = MP_EXT;
        t->len = (uint32_t)1 << (c - 0xd4);
        if (!mp_need(r, 1)) {
            return TFP_EINVALID;
        }
        t->ext_type = (int8_t)r->p[r->pos++];
        return mp_read_payload(r, t);
    case 0xd9:
    case 0xda:
    case 0xdb:
        t->kind = MP_STR;
        if (mp_read_len(r, (size_t)1 << (c - 0xd9), &t->len) != 0) {
            return TFP_EINVALID;
        }
        return mp_read_payload(r, t);
    case 0xdc:
    case 0xdd:
        t->kind = MP_ARRAY;
        return mp_read_len(r, c == 0xdc ? 2 : 4, &t->len);
    case 0xde:
    case 0xdf:
        t->kind = MP_MAP;
        return mp_read_len(r, c == 0xde ? 2 : 4, &t->len);
    default: /* 0xc1 is never used */
        return TFP_EINVALID;
    }
}

static const char *mp_kind_name(enum mp_kind k)
{
    static const char *const names[] = {"nil",    "bool",   "integer", "integer", "float",
                                        "string", "binary", "array",   "map",     "extension"};
    return names[k];
}

/* ----- decoder ----- */

typedef struct dec {
    mp_reader r;
    tfp_path *path;
    char *err;     /* first error message */
    size_t values; /* values decoded so far */
} dec;

static int dec_fail(dec *d, int code, const char *fmt, ...) UTIL_PRINTF(3, 4);

static int dec_fail(dec *d, int code, const char *fmt, ...)
{
    char *where = NULL;
    char *what;
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
        if (where != NULL) {
            d->err = util_asprintf("%s (at %s, byte %zu)", what, where, d->r.pos);
        } else {
            d->err = util_asprintf("%s (at byte %zu)", what, d->r.pos);
        }
    }
    util_free(what);
    util_free(where);
    return code;
}

static int dec_value(dec *d, const tfp_type *t, tfp_value **out, int depth);

static int dec_number(dec *d, const mp_token *tok, tfp_value **out)
{
    char buf[64];
    tfp__decimal dec_num;
    int error;
    switch (tok->kind) {
    case MP_INT:
        (void)util_snprintf(buf, sizeof(buf), "%lld", (long long)tok->i);
        return tfp__value_new_number_text(out, buf, strlen(buf));
    case MP_UINT:
        (void)util_snprintf(buf, sizeof(buf), "%llu", (unsigned long long)tok->u);
        return tfp__value_new_number_text(out, buf, strlen(buf));
    case MP_FLOAT:
        if (isnan(tok->f)) {
            return dec_fail(d, TFP_EINVALID, "NaN is not a valid number%s", "");
        }
        {
            /* keep the float's exact value (as cty does), so it goes back out as the same
             * float64 */
            char *exact = tfp__double_exact_text(tok->f);
            if (exact == NULL) {
                return TFP_ENOMEM;
            }
            error = tfp__value_new_number_text(out, exact, strlen(exact));
            util_free(exact);
            return error;
        }
    case MP_STR:
    case MP_BIN:
        error = tfp__decimal_parse(&dec_num, (const char *)tok->data, tok->len);
        if (error == TFP_ENOMEM) {
            return error;
        }
        if (error) {
            return dec_fail(d, TFP_EINVALID, "a number is required, got a string%s", "");
        }
        tfp__decimal_dispose(&dec_num);
        return tfp__value_new_number_text(out, (const char *)tok->data, tok->len);
    default:
        return dec_fail(d, TFP_EINVALID, "a number is required, got %s", mp_kind_name(tok->kind));
    }
}

static int dec_dynamic(dec *d, const mp_token *tok, tfp_value **out, int depth)
{
    mp_token tt;
    tfp_type *t = NULL;
    int error;
    if (tok->kind != MP_ARRAY || tok->len != 2) {
        return dec_fail(d, TFP_EINVALID, "a dynamic value must be a [type, value] pair, got %s",
                        mp_kind_name(tok->kind));
    }
    error = mp_next(&d->r, &tt);
    if (error) {
        return dec_fail(d, TFP_EINVALID, "truncated input%s", "");
    }
    if (tt.kind != MP_BIN && tt.kind != MP_STR) {
        return dec_fail(d, TFP_EINVALID, "a dynamic value's type must be JSON bytes, got %s",
                        mp_kind_name(tt.kind));
    }
    error = tfp_type_from_json(&t, (const char *)tt.data, tt.len);
    if (error == TFP_ENOMEM) {
        return error;
    }
    if (error) {
        return dec_fail(d, TFP_EINVALID, "invalid type specification in a dynamic value%s", "");
    }
    error = dec_value(d, t, out, depth + 1);
    tfp_type_free(t);
    return error;
}

static int
dec_collection(dec *d, const tfp_type *t, const mp_token *tok, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    tfp_value *elem = NULL;
    int error = 0;
    uint32_t i;

    if (tok->kind != MP_ARRAY) {
        return dec_fail(d, TFP_EINVALID, "a %s is required, got %s",
                        t->kind == TFP_KIND_LIST ? "list" : "set", mp_kind_name(tok->kind));
    }
    if (tok->len > d->r.len - d->r.pos) {
        return dec_fail(d, TFP_EINVALID, "truncated input%s", "");
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < tok->len; i++) {
        if (t->kind == TFP_KIND_LIST) {
            tfp_path_push_index(d->path, i);
        }
        error = dec_value(d, t->elem, &elem, depth + 1);
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

static int dec_key(dec *d, char **key_out)
{
    mp_token kt;
    const char *problem;
    if (mp_next(&d->r, &kt) != 0) {
        return dec_fail(d, TFP_EINVALID, "truncated input%s", "");
    }
    if (kt.kind != MP_STR && kt.kind != MP_BIN) {
        return dec_fail(d, TFP_EINVALID, "map keys must be strings, got %s", mp_kind_name(kt.kind));
    }
    problem = tfp__key_problem((const char *)kt.data, kt.len);
    if (problem != NULL) {
        return dec_fail(d, TFP_EINVALID, "a map key or attribute name %s", problem);
    }
    *key_out = util_memdup(kt.data, kt.len);
    return *key_out != NULL ? 0 : TFP_ENOMEM;
}

static int dec_map(dec *d, const tfp_type *t, const mp_token *tok, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    char *key = NULL;
    tfp_value *elem = NULL;
    int error = 0;
    uint32_t i;

    if (tok->kind != MP_MAP) {
        return dec_fail(d, TFP_EINVALID, "a map is required, got %s", mp_kind_name(tok->kind));
    }
    if (tok->len > (d->r.len - d->r.pos) / 2) {
        return dec_fail(d, TFP_EINVALID, "truncated input%s", "");
    }
    v = tfp__value_alloc(t, TFP__KNOWN);
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < tok->len; i++) {
        error = dec_key(d, &key);
        if (error) {
            goto done;
        }
        tfp_path_push_key(d->path, key);
        error = dec_value(d, t->elem, &elem, depth + 1);
        if (error) {
            goto done;
        }
        tfp_path_pop(d->path);
        error = tfp__value_grow(v, 1);
        if (error) {
            goto done;
        }
        v->keys[v->n] = key;
        v->items[v->n] = elem;
        v->n++;
        key = NULL;
        elem = NULL;
    }
    error = tfp__value_map_finish(v);
    if (error == TFP_EINVALID) {
        error = dec_fail(d, TFP_EINVALID, "duplicate map key%s", "");
        goto done;
    }
    if (error) {
        goto done;
    }
    *out = v;
    v = NULL;
done:
    util_free(key);
    tfp_value_free(elem);
    tfp_value_free(v);
    return error;
}

static int dec_object(dec *d, const tfp_type *t, const mp_token *tok, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    char *key = NULL;
    int error = 0;
    uint32_t i;

    if (tok->kind != MP_MAP) {
        return dec_fail(d, TFP_EINVALID, "an object is required, got %s", mp_kind_name(tok->kind));
    }
    if (tok->len != t->n) {
        char count[64];
        (void)util_snprintf(count, sizeof(count), "%zu attributes is required (%u given)", t->n,
                            (unsigned)tok->len);
        return dec_fail(d, TFP_EINVALID, "an object with %s", count);
    }
    v = util_calloc(1, sizeof(*v));
    if (v == NULL) {
        return TFP_ENOMEM;
    }
    v->type = tfp_type_ref(t);
    v->state = TFP__KNOWN;
    v->items = util_calloc(t->n, sizeof(*v->items));
    if (v->items == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    v->n = t->n;
    v->alloc = t->n;
    for (i = 0; i < tok->len; i++) {
        long at;
        error = dec_key(d, &key);
        if (error) {
            goto done;
        }
        at = tfp__type_attr_index(t, key);
        if (at < 0) {
            error = dec_fail(d, TFP_EINVALID, "unsupported attribute \"%s\"", key);
            goto done;
        }
        if (v->items[at] != NULL) {
            error = dec_fail(d, TFP_EINVALID, "duplicate attribute \"%s\"", key);
            goto done;
        }
        tfp_path_push_attr(d->path, key);
        error = dec_value(d, t->types[at], &v->items[at], depth + 1);
        if (error) {
            goto done;
        }
        tfp_path_pop(d->path);
        util_free(key);
        key = NULL;
    }
    *out = v;
    v = NULL;
done:
    util_free(key);
    tfp_value_free(v);
    return error;
}

static int dec_tuple(dec *d, const tfp_type *t, const mp_token *tok, tfp_value **out, int depth)
{
    tfp_value *v = NULL;
    int error = 0;
    uint32_t i;

    if (tok->kind != MP_ARRAY) {
        return dec_fail(d, TFP_EINVALID, "a tuple is required, got %s", mp_kind_name(tok->kind));
    }
    if (tok->len != t->n) {
        return dec_fail(d, TFP_EINVALID, "a tuple of a different length is required%s", "");
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
    for (i = 0; i < t->n; i++) {
        tfp_path_push_index(d->path, i);
        error = dec_value(d, t->types[i], &v->items[i], depth + 1);
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

static int dec_value(dec *d, const tfp_type *t, tfp_value **out, int depth)
{
    mp_token tok;
    int error;

    *out = NULL;
    if (depth > TFP__MAX_DEPTH) {
        return dec_fail(d, TFP_ETOOLARGE, "value nested deeper than 64 levels%s", "");
    }
    d->values++;
    if (mp_next(&d->r, &tok) != 0) {
        return dec_fail(d, TFP_EINVALID, "malformed or truncated msgpack%s", "");
    }
    if (tok.kind == MP_NIL) {
        return tfp_value_new_null(out, t);
    }
    if (tok.kind == MP_EXT) {
        /* any extension is an unknown value; refinements (ext 12) are accepted and dropped */
        return tfp_value_new_unknown(out, t);
    }
    switch (t->kind) {
    case TFP_KIND_DYNAMIC:
        return dec_dynamic(d, &tok, out, depth);
    case TFP_KIND_STRING:
        if (tok.kind != MP_STR && tok.kind != MP_BIN) {
            return dec_fail(d, TFP_EINVALID, "a string is required, got %s",
                            mp_kind_name(tok.kind));
        }
        error = tfp_value_new_stringn(out, (const char *)tok.data, tok.len);
        if (error == TFP_EINVALID) {
            return dec_fail(d, error, "invalid UTF-8 in a string%s", "");
        }
        return error;
    case TFP_KIND_NUMBER:
        return dec_number(d, &tok, out);
    case TFP_KIND_BOOL:
        if (tok.kind != MP_BOOL) {
            return dec_fail(d, TFP_EINVALID, "a bool is required, got %s", mp_kind_name(tok.kind));
        }
        return tfp_value_new_bool(out, tok.b);
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
        return dec_collection(d, t, &tok, out, depth);
    case TFP_KIND_MAP:
        return dec_map(d, t, &tok, out, depth);
    case TFP_KIND_OBJECT:
        return dec_object(d, t, &tok, out, depth);
    case TFP_KIND_TUPLE:
        return dec_tuple(d, t, &tok, out, depth);
    }
    return dec_fail(d, TFP_EINVALID, "unsupported type%s", "");
}

int tfp_value_from_msgpack(
    tfp_value **out, const tfp_type *t, const void *data, size_t len, char **err_out)
{
    dec d;
    util_meter meter;
    tfp_value *v = NULL;
    int error;

    if (err_out != NULL) {
        *err_out = NULL;
    }
    if (out == NULL || t == NULL || (data == NULL && len > 0)) {
        return TFP_EINVALID;
    }
    memset(&d, 0, sizeof(d));
    d.r.p = data;
    d.r.len = len;
    util_meter_begin(&meter, tfp__decode_budget(len, TFP__DECODE_PERCENT_MSGPACK));
    error = tfp_path_new(&d.path);
    if (error == 0) {
        error = dec_value(&d, t, &v, 0);
    }
    if (error == 0 && d.r.pos != d.r.len) {
        error = dec_fail(&d, TFP_EINVALID, "unexpected bytes after the value%s", "");
    }
    if (error) {
        tfp_value_free(v);
        v = NULL;
    }
    tfp_path_free(d.path);
    d.path = NULL;
    error = tfp__decode_end(&meter, error, &d.err, "msgpack", TFP__DECODE_PERCENT_MSGPACK, len,
                            d.values);
    if (error) {
        if (err_out != NULL) {
            *err_out = d.err;
            d.err = NULL;
        }
        goto done;
    }
    *out = v;
done:
    util_free(d.err);
    return error;
}

/* ----- encoder ----- */

static int enc_value(msgpack_packer *pk, const tfp_value *v, const tfp_type *t, int depth);

static int enc_number(msgpack_packer *pk, const tfp_value *v)
{
    tfp__decimal d;
    int64_t i;
    double f;
    int error;
    char *plain;

    error = tfp__decimal_parse(&d, v->str, v->slen);
    if (error) {
        return error;
    }
    if (d.inf) {
        error = msgpack_pack_double(pk, d.neg ? -HUGE_VAL : HUGE_VAL);
        goto done;
    }
    if (tfp__decimal_to_int64(&d, &i) == 0) {
        error = msgpack_pack_int64(pk, i);
        goto done;
    }
    if (!tfp__decimal_is_integer(&d) && tfp__decimal_exact_double(&d, v->str, &f)) {
        error = msgpack_pack_double(pk, f);
        goto done;
    }
    plain = tfp__decimal_to_plain(&d);
    if (plain == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    error = msgpack_pack_str_with_body(pk, plain, strlen(plain));
    util_free(plain);
done:
    tfp__decimal_dispose(&d);
    return error ? (error < 0 && error != -1 ? error : TFP_ENOMEM) : 0;
}

static int enc_value(msgpack_packer *pk, const tfp_value *v, const tfp_type *t, int depth)
{
    size_t i;
    int error = 0;

    if (depth > TFP__MAX_DEPTH + 2) {
        return TFP_ETOOLARGE;
    }
    if (t->kind == TFP_KIND_DYNAMIC && v->type->kind != TFP_KIND_DYNAMIC) {
        util_buf b = UTIL_BUF_INIT(1u << 24);
        error = tfp__type_to_buf(&b, v->type);
        if (error == 0 && b.error) {
            error = b.error;
        }
        if (error == 0) {
            error = msgpack_pack_array(pk, 2) || msgpack_pack_bin_with_body(pk, b.data, b.len)
                        ? TFP_ENOMEM
                        : 0;
        }
        util_buf_dispose(&b);
        if (error) {
            return error;
        }
        return enc_value(pk, v, v->type, depth + 1);
    }
    if (v->state == TFP__NULL) {
        return msgpack_pack_nil(pk) ? TFP_ENOMEM : 0;
    }
    if (v->state == TFP__UNKNOWN) {
        return (msgpack_pack_ext(pk, 1, 0) || msgpack_pack_ext_body(pk, "\0", 1)) ? TFP_ENOMEM : 0;
    }
    switch (v->type->kind) {
    case TFP_KIND_STRING:
        return msgpack_pack_str_with_body(pk, v->str, v->slen) ? TFP_ENOMEM : 0;
    case TFP_KIND_NUMBER:
        return enc_number(pk, v);
    case TFP_KIND_BOOL:
        return (v->b ? msgpack_pack_true(pk) : msgpack_pack_false(pk)) ? TFP_ENOMEM : 0;
    case TFP_KIND_LIST:
    case TFP_KIND_SET:
    case TFP_KIND_TUPLE:
        if (msgpack_pack_array(pk, v->n)) {
            return TFP_ENOMEM;
        }
        for (i = 0; i < v->n && error == 0; i++) {
            const tfp_type *et = t->kind == TFP_KIND_TUPLE ? t->types[i] : t->elem;
            error = enc_value(pk, v->items[i], et, depth + 1);
        }
        return error;
    case TFP_KIND_MAP:
        if (msgpack_pack_map(pk, v->n)) {
            return TFP_ENOMEM;
        }
        for (i = 0; i < v->n && error == 0; i++) {
            if (msgpack_pack_str_with_body(pk, v->keys[i], strlen(v->keys[i]))) {
                return TFP_ENOMEM;
            }
            error = enc_value(pk, v->items[i], t->elem, depth + 1);
        }
        return error;
    case TFP_KIND_OBJECT:
        if (msgpack_pack_map(pk, v->n)) {
            return TFP_ENOMEM;
        }
        for (i = 0; i < v->n && error == 0; i++) {
            const char *name = v->type->names[i];
            if (msgpack_pack_str_with_body(pk, name, strlen(name))) {
                return TFP_ENOMEM;
            }
            error = enc_value(pk, v->items[i], t->types[i], depth + 1);
        }
        return error;
    case TFP_KIND_DYNAMIC:
        break;
    }
    return TFP_EINVALID;
}

/* The encoder's output buffer. msgpack-c's sbuffer doubles, which leaves up to half of a large
 * value's buffer unused (a 20 MiB string in a 32 MiB buffer) while the value itself is still
 * held; this one grows by what the write needs plus half of what it has, at most 1 MiB more
 * (large blocks are mmapped: growing them moves no bytes). */
#define ENC_MAX_SLACK ((size_t)1 << 20)

typedef struct enc_out {
    char *data;
    size_t len;
    size_t alloc;
} enc_out;

static int enc_write(void *data, const char *buf, size_t len)
{
    enc_out *o = data;
    if (o->alloc - o->len < len) {
        size_t want = o->len + len;
        size_t extra = o->alloc / 2 < ENC_MAX_SLACK ? o->alloc / 2 : ENC_MAX_SLACK;
        size_t nalloc;
        char *p;
        if (want < o->len || want > SIZE_MAX - 256 - extra) {
            return -1;
        }
        nalloc = want + (extra > 256 ? extra : 256);
        p = util_realloc(o->data, nalloc);
        if (p == NULL) {
            return -1;
        }
        o->data = p;
        o->alloc = nalloc;
    }
    memcpy(o->data + o->len, buf, len);
    o->len += len;
    return 0;
}

int tfp__value_to_msgpack_as(void **out, size_t *len_out, const tfp_value *v, const tfp_type *t)
{
    enc_out o = {NULL, 0, 0};
    msgpack_packer pk;
    int error;

    if (out == NULL || len_out == NULL || v == NULL || t == NULL) {
        return TFP_EINVALID;
    }
    if (tfp__value_conforms(v, t, NULL) != 0) {
        return TFP_EINVALID;
    }
    msgpack_packer_init(&pk, &o, enc_write);
    error = enc_value(&pk, v, t, 0);
    if (error == 0 && o.data == NULL) {
        o.data = util_malloc(1); /* nothing written: cannot happen for a value */
        error = o.data != NULL ? 0 : TFP_ENOMEM;
    }
    if (error) {
        util_free(o.data);
        return error;
    }
    *out = o.data;
    *len_out = o.len;
    return 0;
}

int tfp_value_to_msgpack(void **out, size_t *len_out, const tfp_value *v)
{
    if (v == NULL) {
        return TFP_EINVALID;
    }
    return tfp__value_to_msgpack_as(out, len_out, v, v->type);
}
