/* String helpers: bounded formatting, ASCII case folding, UTF-8 validation. */
#include "util.h"

#include <stdio.h>
#include <string.h>

int util_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap)
{
    int n;
    if (dst == NULL || size == 0) {
        return UTIL_EINVALID;
    }
    n = vsnprintf(dst, size, fmt, ap);
    if (n < 0) {
        dst[0] = '\0';
        return UTIL_EINVALID;
    }
    if ((size_t)n >= size) {
        return UTIL_ETOOLARGE;
    }
    return 0;
}

int util_snprintf(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    int error;
    va_start(ap, fmt);
    error = util_vsnprintf(dst, size, fmt, ap);
    va_end(ap);
    return error;
}

int util_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n;

    if (dst == NULL || size == 0) {
        return UTIL_EINVALID;
    }
    if (src == NULL) {
        dst[0] = '\0';
        return 0;
    }
    n = strlen(src);
    if (n >= size) {
        memcpy(dst, src, size - 1);
        dst[size - 1] = '\0';
        return UTIL_ETOOLARGE;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

char *util_vasprintf(const char *fmt, va_list ap)
{
    util_buf b = UTIL_BUF_INIT(SIZE_MAX - 1);
    if (util_buf_vprintf(&b, fmt, ap) != 0) {
        return NULL;
    }
    return util_buf_detach(&b, NULL);
}

char *util_asprintf(const char *fmt, ...)
{
    va_list ap;
    char *out;
    va_start(ap, fmt);
    out = util_vasprintf(fmt, ap);
    va_end(ap);
    return out;
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int util_strncasecmp(const char *a, const char *b, size_t n)
{
    size_t i;
    if (a == NULL || b == NULL) {
        return (a == b) ? 0 : (a == NULL ? -1 : 1);
    }
    for (i = 0; i < n; i++) {
        int ca = ascii_lower((unsigned char)a[i]);
        int cb = ascii_lower((unsigned char)b[i]);
        if (ca != cb) {
            return ca - cb;
        }
        if (ca == 0) {
            return 0;
        }
    }
    return 0;
}

int util_strcasecmp(const char *a, const char *b)
{
    return util_strncasecmp(a, b, SIZE_MAX);
}

int util_str_has_prefix(const char *s, const char *prefix)
{
    if (s == NULL || prefix == NULL) {
        return 0;
    }
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int util_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t cp;
        size_t k;

        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i - 1 < n) {
            return 0;
        }
        for (k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}
