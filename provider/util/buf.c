/* Bounded growable buffer (curl dynbuf semantics: a failure releases and poisons the buffer). */
#include "util.h"

#include <stdio.h>
#include <string.h>

void util_buf_init(util_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap;
    b->error = 0;
}

void util_buf_dispose(util_buf *b)
{
    if (b == NULL) {
        return;
    }
    util_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
}

void util_buf_reset(util_buf *b)
{
    b->len = 0;
    b->error = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

static int buf_fail(util_buf *b, int error)
{
    util_buf_dispose(b);
    b->error = error;
    return error;
}

/* Makes room for @p extra more bytes plus the terminator. */
static int buf_reserve(util_buf *b, size_t extra)
{
    size_t need;
    size_t nalloc;
    char *p;

    if (b->error) {
        return b->error;
    }
    if (extra > b->cap || b->len > b->cap - extra) {
        return buf_fail(b, UTIL_ETOOLARGE);
    }
    need = b->len + extra + 1;
    if (need <= b->alloc) {
        return 0;
    }
    nalloc = b->alloc ? b->alloc : 64;
    while (nalloc < need) {
        if (nalloc > SIZE_MAX / 2) {
            nalloc = need;
            break;
        }
        nalloc *= 2;
    }
    if (nalloc > b->cap + 1) {
        nalloc = b->cap + 1;
    }
    p = util_realloc(b->data, nalloc);
    if (p == NULL) {
        return buf_fail(b, UTIL_ENOMEM);
    }
    b->data = p;
    b->alloc = nalloc;
    return 0;
}

int util_buf_append(util_buf *b, const void *data, size_t len)
{
    int error = buf_reserve(b, len);
    if (error) {
        return error;
    }
    if (len > 0) {
        memcpy(b->data + b->len, data, len);
    }
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int util_buf_puts(util_buf *b, const char *s)
{
    return util_buf_append(b, s, strlen(s));
}

int util_buf_putc(util_buf *b, char c)
{
    return util_buf_append(b, &c, 1);
}

int util_buf_vprintf(util_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    int error;

    if (b->error) {
        return b->error;
    }
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return buf_fail(b, UTIL_EINVALID);
    }
    error = buf_reserve(b, (size_t)n);
    if (error) {
        return error;
    }
    va_copy(ap2, ap);
    (void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

int util_buf_printf(util_buf *b, const char *fmt, ...)
{
    va_list ap;
    int error;
    va_start(ap, fmt);
    error = util_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return error;
}

int util_buf_append_pct(util_buf *b, const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;
    int error = 0;

    for (p = (const unsigned char *)s; error == 0 && *p != '\0'; p++) {
        unsigned char ch = *p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~' || (keep_slash && ch == '/')) {
            error = util_buf_append(b, p, 1);
        } else {
            char enc[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            error = util_buf_append(b, enc, 3);
        }
    }
    return error;
}

const char *util_buf_cstr(const util_buf *b)
{
    return (b->data != NULL) ? b->data : "";
}

char *util_buf_detach(util_buf *b, size_t *len_out)
{
    char *out = NULL;

    if (b->error) {
        goto done;
    }
    if (b->data == NULL) {
        out = util_strdup("");
        if (len_out != NULL && out != NULL) {
            *len_out = 0;
        }
        goto done;
    }
    out = b->data;
    if (len_out != NULL) {
        *len_out = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
done:
    util_buf_dispose(b);
    b->error = 0;
    return out;
}
