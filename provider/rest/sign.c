/* SDK-HMAC-SHA256 request signing (vpcep-api.md 5.2), `Access=` form. */
#include "internal.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void rest_sha256_hex(const void *data, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[SHA256_DIGEST_LENGTH];
    size_t i;

    SHA256(data == NULL ? (const unsigned char *)"" : data, len, md);
    for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

int rest_sdk_date(char out[17], time_t t)
{
    struct tm tmv;

    if (gmtime_r(&t, &tmv) == NULL)
        return VPCEP_ERROR;
    if (strftime(out, 17, "%Y%m%dT%H%M%SZ", &tmv) != 16)
        return VPCEP_ERROR;
    return 0;
}

typedef struct kv {
    char *k;
    char *v;
} kv;

static int kv_cmp(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c != 0 ? c : strcmp(x->v, y->v);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* URL-decodes [s, s+n) ('+' as space when plus_space) into a new string. */
static char *url_decode(const char *s, size_t n, int plus_space)
{
    char *out = util_malloc(n + 1);
    size_t i, j = 0;

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            out[j++] =
                (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else if (plus_space && s[i] == '+') {
            out[j++] = ' ';
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

static char *trim_dup(const char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return util_strndup(s, n);
}

int rest_canonical_request(const char *method,
                           const char *url,
                           const char *const *headers,
                           size_t n_headers,
                           const void *body,
                           size_t body_len,
                           char **canonical,
                           char **signed_headers)
{
    CURLU *u = NULL;
    char *path = NULL, *query = NULL;
    kv *params = NULL, *hdrs = NULL;
    size_t n_params = 0, n_hdrs = 0, i;
    util_buf cr, sh;
    char hash[65];
    int rc = VPCEP_EINVALID;

    util_buf_init(&cr, REST_MAX_TEXT_BYTES);
    util_buf_init(&sh, REST_MAX_TEXT_BYTES);
    *canonical = NULL;
    if (signed_headers != NULL)
        *signed_headers = NULL;
    if (method == NULL || url == NULL)
        goto done;
    u = curl_url();
    if (u == NULL) {
        rc = VPCEP_ENOMEM;
        goto done;
    }
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
        query = NULL;

    /* Query parameters: decoded, sorted by key then value, re-encoded. */
    if (query != NULL && query[0] != '\0') {
        const char *p = query;
        size_t cap = 1;
        for (i = 0; query[i] != '\0'; i++)
            cap += query[i] == '&';
        params = util_calloc(cap, sizeof(*params));
        if (params == NULL) {
            rc = VPCEP_ENOMEM;
            goto done;
        }
        while (*p != '\0') {
            const char *amp = strchr(p, '&');
            size_t len = amp ? (size_t)(amp - p) : strlen(p);
            const char *eq = memchr(p, '=', len);
            if (len > 0) {
                size_t klen = eq ? (size_t)(eq - p) : len;
                params[n_params].k = url_decode(p, klen, 1);
                params[n_params].v = eq ? url_decode(eq + 1, len - klen - 1, 1) : util_strdup("");
                n_params++;
                if (params[n_params - 1].k == NULL || params[n_params - 1].v == NULL) {
                    rc = VPCEP_ENOMEM;
                    goto done;
                }
            }
            p += len;
            if (*p == '&')
                p++;
        }
        qsort(params, n_params, sizeof(*params), kv_cmp);
    }

    /* Headers: lower-case names, trimmed values, sorted by name. */
    hdrs = util_calloc(n_headers ? n_headers : 1, sizeof(*hdrs));
    if (hdrs == NULL) {
        rc = VPCEP_ENOMEM;
        goto done;
    }
    for (i = 0; i < n_headers; i++) {
        const char *colon = headers[i] ? strchr(headers[i], ':') : NULL;
        size_t j, nlen;
        if (colon == NULL)
            goto done;
        nlen = (size_t)(colon - headers[i]);
        while (nlen > 0 && headers[i][nlen - 1] == ' ')
            nlen--;
        hdrs[n_hdrs].k = util_strndup(headers[i], nlen);
        hdrs[n_hdrs].v = trim_dup(colon + 1);
        n_hdrs++;
        if (hdrs[n_hdrs - 1].k == NULL || hdrs[n_hdrs - 1].v == NULL) {
            rc = VPCEP_ENOMEM;
            goto done;
        }
        for (j = 0; j < nlen; j++)
            hdrs[n_hdrs - 1].k[j] = (char)tolower((unsigned char)hdrs[n_hdrs - 1].k[j]);
    }
    qsort(hdrs, n_hdrs, sizeof(*hdrs), kv_cmp);

    util_buf_printf(&cr, "%s\n", method);
    /* Canonical URI: each decoded segment re-encoded, trailing '/' added. */
    {
        const char *p = path;
        if (*p == '/')
            p++;
        util_buf_append(&cr, "/", 1);
        while (*p != '\0') {
            const char *slash = strchr(p, '/');
            size_t len = slash ? (size_t)(slash - p) : strlen(p);
            char *seg = url_decode(p, len, 0);
            if (seg == NULL) {
                rc = VPCEP_ENOMEM;
                goto done;
            }
            util_buf_append_pct(&cr, seg, 0);
            util_free(seg);
            util_buf_append(&cr, "/", 1);
            p += len;
            if (*p == '/')
                p++;
        }
        util_buf_append(&cr, "\n", 1);
    }
    for (i = 0; i < n_params; i++) {
        if (i > 0)
            util_buf_append(&cr, "&", 1);
        util_buf_append_pct(&cr, params[i].k, 0);
        util_buf_append(&cr, "=", 1);
        util_buf_append_pct(&cr, params[i].v, 0);
    }
    util_buf_append(&cr, "\n", 1);
    for (i = 0; i < n_hdrs; i++) {
        util_buf_printf(&cr, "%s:%s\n", hdrs[i].k, hdrs[i].v);
        if (i > 0)
            util_buf_append(&sh, ";", 1);
        util_buf_printf(&sh, "%s", hdrs[i].k);
    }
    util_buf_append(&cr, "\n", 1);
    if (sh.data != NULL)
        util_buf_append(&cr, sh.data, sh.len);
    util_buf_append(&cr, "\n", 1);
    rest_sha256_hex(body, body_len, hash);
    util_buf_append(&cr, hash, 64);
    if (cr.error || sh.error) {
        rc = rest_util_error(cr.error ? cr.error : sh.error);
        goto done;
    }
    *canonical = util_buf_detach(&cr, NULL);
    if (signed_headers != NULL)
        *signed_headers = util_buf_detach(&sh, NULL);
    if (*canonical == NULL || (signed_headers != NULL && *signed_headers == NULL)) {
        util_free(*canonical);
        *canonical = NULL;
        if (signed_headers != NULL) {
            util_free(*signed_headers);
            *signed_headers = NULL;
        }
        rc = VPCEP_ENOMEM;
        goto done;
    }
    rc = 0;
done:
    for (i = 0; i < n_params; i++) {
        util_free(params[i].k);
        util_free(params[i].v);
    }
    for (i = 0; i < n_hdrs; i++) {
        util_free(hdrs[i].k);
        util_free(hdrs[i].v);
    }
    util_free(params);
    util_free(hdrs);
    util_buf_dispose(&cr);
    util_buf_dispose(&sh);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    return rc;
}

int vpcep_sign_request(char **authorization,
                       const char *access_key,
                       const char *secret_key,
                       const char *method,
                       const char *url,
                       const char *const *headers,
                       size_t n_headers,
                       const void *body,
                       size_t body_len)
{
    char *canonical = NULL, *signed_headers = NULL;
    const char *date = NULL;
    char cr_hash[65], sig[65];
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    util_buf sts, auth;
    size_t i;
    int rc;

    util_buf_init(&sts, REST_MAX_TEXT_BYTES);
    util_buf_init(&auth, REST_MAX_TEXT_BYTES);
    if (authorization == NULL) {
        rc = VPCEP_EINVALID;
        goto done;
    }
    *authorization = NULL;
    if (access_key == NULL || secret_key == NULL || (headers == NULL && n_headers > 0)) {
        rc = VPCEP_EINVALID;
        goto done;
    }
    for (i = 0; i < n_headers; i++) {
        if (headers[i] != NULL && util_strncasecmp(headers[i], "X-Sdk-Date:", 11) == 0) {
            date = headers[i] + 11;
            while (*date == ' ')
                date++;
        }
    }
    if (date == NULL) {
        rc = VPCEP_EINVALID;
        goto done;
    }
    rc = rest_canonical_request(method, url, headers, n_headers, body, body_len, &canonical,
                                &signed_headers);
    if (rc != 0)
        goto done;
    rest_sha256_hex(canonical, strlen(canonical), cr_hash);
    util_buf_printf(&sts, "SDK-HMAC-SHA256\n%.16s\n%s", date, cr_hash);
    if (sts.error) {
        rc = rest_util_error(sts.error);
        goto done;
    }
    if (HMAC(EVP_sha256(), secret_key, (int)strlen(secret_key), (const unsigned char *)sts.data,
             sts.len, mac, &mac_len) == NULL) {
        rc = VPCEP_ERROR;
        goto done;
    }
    for (i = 0; i < mac_len && i < 32; i++) {
        static const char hex[] = "0123456789abcdef";
        sig[2 * i] = hex[mac[i] >> 4];
        sig[2 * i + 1] = hex[mac[i] & 15];
    }
    sig[64] = '\0';
    util_buf_printf(&auth, "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", access_key,
                    signed_headers, sig);
    *authorization = util_buf_detach(&auth, NULL);
    rc = *authorization ? 0 : VPCEP_ENOMEM;
done:
    util_free(canonical);
    util_free(signed_headers);
    util_buf_dispose(&sts);
    util_buf_dispose(&auth);
    return rc;
}
