/* vpcep-emulator: buffers, time, ids, hashing. */
#include "emu.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void emu_buf_init(emu_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void emu_buf_free(emu_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

void emu_buf_add(emu_buf *b, const char *s, size_t n)
{
    if (b->oom) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void emu_buf_adds(emu_buf *b, const char *s)
{
    emu_buf_add(b, s, strlen(s));
}

void emu_buf_addc(emu_buf *b, char c)
{
    emu_buf_add(b, &c, 1);
}

void emu_buf_add_pct(emu_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            emu_buf_addc(b, (char)*p);
        } else {
            char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            emu_buf_add(b, enc, 3);
        }
    }
}

/* How far POST /__emulator/clock has moved the emulator's clock ahead of the real one, and,
 * with --manual-clock, the real time at which the clock stopped (0: it runs). */
static atomic_llong clock_offset_ms;
static atomic_llong clock_frozen_at_ms;

static double real_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return floor((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

double emu_now_ms(void)
{
    long long frozen = atomic_load(&clock_frozen_at_ms);
    return (frozen != 0 ? (double)frozen : real_now_ms()) + (double)atomic_load(&clock_offset_ms);
}

void emu_clock_manual(void)
{
    atomic_store(&clock_frozen_at_ms, (long long)real_now_ms());
}

long long emu_clock_advance(long long ms)
{
    return atomic_fetch_add(&clock_offset_ms, ms) + ms;
}

void emu_iso8601(double ms, char out[32])
{
    time_t t = (time_t)(ms / 1000.0);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void emu_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int emu_uuid(char out[37])
{
    unsigned char r[16];
    if (RAND_bytes(r, sizeof(r)) != 1) {
        return EMU_EIO;
    }
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    char h[33];
    emu_hex(r, 16, h);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    return EMU_OK;
}

void emu_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(data ? data : (const void *)"", n, md);
    emu_hex(md, sizeof(md), out);
}

int emu_hmac_sha256_hex(const char *key, const char *msg, size_t msg_len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg, msg_len, md,
              &mdlen) ||
        mdlen != 32) {
        return EMU_EIO;
    }
    emu_hex(md, 32, out);
    return EMU_OK;
}

int emu_parse_int(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s || strlen(s) > 20) {
        return EMU_EINVAL;
    }
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) && !(p == s && *p == '-')) {
            return EMU_EINVAL;
        }
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || !end || *end || v < min || v > max) {
        return EMU_EINVAL;
    }
    *out = v;
    return EMU_OK;
}

int emu_strcasestr_contains(const char *hay, const char *needle)
{
    return hay && needle && strcasestr(hay, needle) != NULL;
}

int emu_json_is_int(const cJSON *n)
{
    return cJSON_IsNumber(n) && isfinite(n->valuedouble) && floor(n->valuedouble) == n->valuedouble;
}
