/* Bounded byte buffer and string helpers (plain libc). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rest_buf_init(rest_buf *b, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->limit = limit;
}

int rest_buf_append(rest_buf *b, const void *data, size_t len)
{
    size_t need;

    if (b->oom)
        return -1;
    if (b->limit != 0 && (len > b->limit || b->len > b->limit - len)) {
        b->oom = 1;
        b->toolarge = 1;
        return -1;
    }
    need = b->len + len + 1;
    if (need > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        char *nd;
        while (ncap < need)
            ncap *= 2;
        nd = realloc(b->data, ncap);
        if (nd == NULL) {
            b->oom = 1;
            return -1;
        }
        b->data = nd;
        b->cap = ncap;
    }
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int rest_buf_appendf(rest_buf *b, const char *fmt, ...)
{
    char small[256];
    char *big = NULL;
    va_list ap;
    int n, rc = -1;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        goto done;
    if ((size_t)n < sizeof(small)) {
        rc = rest_buf_append(b, small, (size_t)n);
        goto done;
    }
    big = malloc((size_t)n + 1);
    if (big == NULL) {
        b->oom = 1;
        goto done;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rc = rest_buf_append(b, big, (size_t)n);
done:
    free(big);
    return rc;
}

/* Percent-encodes everything but the unreserved set (and '/' when keep_slash). */
int rest_buf_append_escaped(rest_buf *b, const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        unsigned char ch = *p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~' || (keep_slash && ch == '/')) {
            if (rest_buf_append(b, p, 1) != 0)
                return -1;
        } else {
            char enc[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            if (rest_buf_append(b, enc, 3) != 0)
                return -1;
        }
    }
    return 0;
}

void rest_buf_dispose(rest_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *rest_buf_detach(rest_buf *b)
{
    char *out;

    if (b->oom) {
        rest_buf_dispose(b);
        return NULL;
    }
    if (b->data == NULL)
        return rest_strdup("");
    out = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return out;
}

char *rest_strdup(const char *s)
{
    return s == NULL ? NULL : strdup(s);
}

char *rest_strndup(const char *s, size_t n)
{
    return s == NULL ? NULL : strndup(s, n);
}

void rest_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n;

    if (size == 0)
        return;
    if (src == NULL) {
        dst[0] = '\0';
        return;
    }
    n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}
