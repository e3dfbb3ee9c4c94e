/* Exact decimal numbers: parsing, comparison and the int64 / float64 / text encodings that cty
 * uses on the wire. Numbers are carried as their decimal text and never rounded unless a
 * caller asks for a double. */
#include "core.h"

#include <tfp/value.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tfp__decimal_dispose(tfp__decimal *d)
{
    if (d != NULL) {
        util_free(d->digits);
        d->digits = NULL;
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int tfp__decimal_parse(tfp__decimal *d, const char *text, size_t len)
{
    size_t i = 0;
    size_t ndig = 0;
    size_t last_nz;
    long frac = 0;
    long e = 0;
    int any = 0;
    int seen_nz = 0;
    int error = TFP_EINVALID;
    char *digits = NULL;

    memset(d, 0, sizeof(*d));
    if (text == NULL || len == 0 || len > TFP__MAX_NUMBER_TEXT) {
        return TFP_EINVALID;
    }
    if (text[0] == '-' || text[0] == '+') {
        d->neg = text[0] == '-';
        i++;
    }
    if ((len - i == 3 && memcmp(text + i, "Inf", 3) == 0) ||
        (len - i == 8 && memcmp(text + i, "Infinity", 8) == 0)) {
        d->inf = 1;
        d->digits = util_strdup("");
        return d->digits ? 0 : TFP_ENOMEM;
    }
    digits = util_malloc(len + 1);
    if (digits == NULL) {
        return TFP_ENOMEM;
    }
    /* mantissa: digits [. digits] */
    for (; i < len && is_digit(text[i]); i++) {
        any = 1;
        if (text[i] != '0' || seen_nz) {
            seen_nz = 1;
            digits[ndig++] = text[i];
        }
    }
    if (i < len && text[i] == '.') {
        i++;
        for (; i < len && is_digit(text[i]); i++) {
            any = 1;
            frac++;
            if (text[i] != '0' || seen_nz) {
                seen_nz = 1;
                digits[ndig++] = text[i];
            }
        }
    }
    if (!any) {
        goto done;
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        int eneg = 0;
        int edig = 0;
        i++;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            eneg = text[i] == '-';
            i++;
        }
        for (; i < len && is_digit(text[i]); i++) {
            edig = 1;
            if (e > TFP__MAX_EXPONENT * 10L) {
                goto done;
            }
            e = e * 10 + (text[i] - '0');
        }
        if (!edig) {
            goto done;
        }
        if (eneg) {
            e = -e;
        }
    }
    if (i != len) {
        goto done;
    }
    /* strip trailing zeros of the significant digits */
    last_nz = ndig;
    while (last_nz > 0 && digits[last_nz - 1] == '0') {
        last_nz--;
    }
    e = e - frac + (long)(ndig - last_nz);
    digits[last_nz] = '\0';
    if (last_nz == 0) {
        d->neg = 0;
        e = 0;
    }
    /* bound the magnitude: the decimal point position must stay reasonable */
    if (e + (long)last_nz > TFP__MAX_EXPONENT || e < -TFP__MAX_EXPONENT) {
        goto done;
    }
    d->digits = digits;
    d->exp = e;
    digits = NULL;
    error = 0;
done:
    if (error) {
        util_free(digits);
        memset(d, 0, sizeof(*d));
    }
    return error;
}

int tfp__decimal_cmp_equal(const tfp__decimal *a, const tfp__decimal *b)
{
    if (a->inf || b->inf) {
        return a->inf == b->inf && a->neg == b->neg;
    }
    return a->neg == b->neg && a->exp == b->exp && strcmp(a->digits, b->digits) == 0;
}

int tfp__decimal_is_integer(const tfp__decimal *d)
{
    return !d->inf && d->exp >= 0;
}

int tfp__decimal_to_int64(const tfp__decimal *d, int64_t *out)
{
    size_t nd = strlen(d->digits);
    uint64_t mag = 0;
    size_t i;
    long k;

    if (!tfp__decimal_is_integer(d)) {
        return d->inf ? TFP_ETOOLARGE : TFP_EINVALID;
    }
    if (nd == 0) {
        *out = 0;
        return 0;
    }
    if ((long)nd + d->exp > 19) {
        return TFP_ETOOLARGE;
    }
    for (i = 0; i < nd; i++) {
        mag = mag * 10 + (uint64_t)(d->digits[i] - '0');
    }
    for (k = 0; k < d->exp; k++) {
        if (mag > UINT64_MAX / 10) {
            return TFP_ETOOLARGE;
        }
        mag *= 10;
    }
    if (d->neg) {
        if (mag > (uint64_t)INT64_MAX + 1) {
            return TFP_ETOOLARGE;
        }
        *out = (mag == (uint64_t)INT64_MAX + 1) ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX) {
            return TFP_ETOOLARGE;
        }
        *out = (int64_t)mag;
    }
    return 0;
}

char *tfp__decimal_to_plain(const tfp__decimal *d)
{
    util_buf b = UTIL_BUF_INIT(TFP__MAX_EXPONENT * 3 + TFP__MAX_NUMBER_TEXT);
    size_t nd = strlen(d->digits);
    long point; /* position of the decimal point counted from the first digit */
    long i;

    if (d->inf) {
        return util_strdup(d->neg ? "-Inf" : "+Inf");
    }
    if (nd == 0) {
        return util_strdup("0");
    }
    if (d->neg) {
        util_buf_putc(&b, '-');
    }
    point = (long)nd + d->exp;
    if (point <= 0) {
        util_buf_puts(&b, "0.");
        for (i = 0; i < -point; i++) {
            util_buf_putc(&b, '0');
        }
        util_buf_puts(&b, d->digits);
    } else if (point >= (long)nd) {
        util_buf_puts(&b, d->digits);
        for (i = 0; i < d->exp; i++) {
            util_buf_putc(&b, '0');
        }
    } else {
        util_buf_append(&b, d->digits, (size_t)point);
        util_buf_putc(&b, '.');
        util_buf_puts(&b, d->digits + point);
    }
    return util_buf_detach(&b, NULL);
}

/* Exact decimal expansion of a finite double, normalised like tfp__decimal. */
static int double_exact_decimal(tfp__decimal *out, double x)
{
    /* Any double has at most 1074 fractional digits and 309 integral digits. */
    char *buf;
    int n;
    int error;
    buf = util_malloc(1500);
    if (buf == NULL) {
        return TFP_ENOMEM;
    }
    n = snprintf(buf, 1500, "%.1074f", x);
    if (n < 0 || n >= 1500) {
        util_free(buf);
        return TFP_EINVALID;
    }
    error = tfp__decimal_parse(out, buf, (size_t)n);
    util_free(buf);
    return error;
}

int tfp__decimal_exact_double(const tfp__decimal *d, const char *text, double *out)
{
    double x;
    tfp__decimal back;
    char *end = NULL;
    char *plain = NULL;
    int exact = 0;

    (void)text;
    if (d->inf) {
        return 0;
    }
    /* Quick reject: a double has at most 17 significant digits in its shortest form, but its
     * exact expansion may be long; more than 767 significant digits is never exact. */
    if (strlen(d->digits) > 767) {
        return 0;
    }
    plain = tfp__decimal_to_plain(d);
    if (plain == NULL) {
        return 0;
    }
    x = strtod(plain, &end);
    if (end == plain || *end != '\0' || !isfinite(x)) {
        goto done;
    }
    if (double_exact_decimal(&back, x) != 0) {
        goto done;
    }
    exact = tfp__decimal_cmp_equal(&back, d);
    tfp__decimal_dispose(&back);
    if (exact) {
        *out = x;
    }
done:
    util_free(plain);
    return exact;
}

void tfp__double_text(char *buf, size_t size, double d)
{
    int prec;
    if (isinf(d)) {
        (void)util_snprintf(buf, size, "%s", d < 0 ? "-Inf" : "+Inf");
        return;
    }
    for (prec = 1; prec <= 17; prec++) {
        char *end = NULL;
        (void)util_snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, &end) == d) {
            return;
        }
    }
    (void)util_snprintf(buf, size, "%.17g", d);
}

char *tfp__double_exact_text(double d)
{
    char *buf;
    int n;
    if (isinf(d)) {
        return util_strdup(d < 0 ? "-Inf" : "+Inf");
    }
    /* A finite double has at most 1074 fractional and 309 integral digits; glibc prints the
     * exact binary value. */
    buf = util_malloc(1500);
    if (buf == NULL) {
        return NULL;
    }
    n = snprintf(buf, 1500, "%.1074f", d);
    if (n <= 0 || n >= 1500) {
        util_free(buf);
        return NULL;
    }
    while (n > 1 && buf[n - 1] == '0') {
        n--;
    }
    if (buf[n - 1] == '.') {
        n--;
    }
    buf[n] = '\0';
    if (strcmp(buf, "-0") == 0) {
        buf[0] = '0';
        buf[1] = '\0';
    }
    return buf;
}
