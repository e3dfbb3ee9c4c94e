/* SDK-HMAC-SHA256 request signing (the cloud's API Gateway scheme), `Access=` form.
 *
 * A client signs with its rest_signer, made once: the HMAC-SHA256 context keyed with the
 * secret key (its key schedule, the hashed inner and outer pads, is copied for each signature
 * instead of being recomputed) and SHA-256, both fetched from OpenSSL once. The canonical
 * request is written into one buffer from the path and query the client built itself: no URL
 * parser, no copies of headers or path segments, no formatted output. */
#include "internal.h"

#include <curl/curl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rest_signer {
    EVP_MAC_CTX *hmac; /* keyed with the secret; only ever duplicated (a read: thread-safe) */
    EVP_MD *sha256;
};

static const char hexdigits[] = "0123456789abcdef";

static void hex32(const unsigned char md[32], char out[65])
{
    size_t i;

    for (i = 0; i < 32; i++) {
        out[2 * i] = hexdigits[md[i] >> 4];
        out[2 * i + 1] = hexdigits[md[i] & 15];
    }
    out[64] = '\0';
}

void rest_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];

    SHA256(data == NULL ? (const unsigned char *)"" : data, len, md);
    hex32(md, out);
}

/* SHA-256 with the signer's fetched digest (md NULL: OpenSSL's one-shot). */
static int sha256_hex(const EVP_MD *md, const void *data, size_t len, char out[65])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    static const char empty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    if (len == 0) { /* every GET and DELETE */
        memcpy(out, empty, sizeof(empty));
        return 0;
    }
    if (md == NULL) {
        rest_sha256_hex(data, len, out);
        return 0;
    }
    if (!EVP_Digest(data == NULL ? "" : data, len, d, &n, md, NULL) || n != 32)
        return VPCEP_ERROR;
    hex32(d, out);
    return 0;
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

int rest_signer_new(rest_signer **out, const char *secret_key)
{
    rest_signer *s;
    EVP_MAC *mac = NULL;
    OSSL_PARAM params[2];
    int rc = VPCEP_ERROR;

    *out = NULL;
    if (secret_key == NULL)
        return VPCEP_EINVALID;
    s = util_calloc(1, sizeof(*s));
    if (s == NULL)
        return VPCEP_ENOMEM;
    s->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (s->sha256 == NULL || mac == NULL)
        goto done;
    s->hmac = EVP_MAC_CTX_new(mac);
    if (s->hmac == NULL)
        goto done;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(s->hmac, (const unsigned char *)secret_key, strlen(secret_key), params))
        goto done;
    *out = s;
    s = NULL;
    rc = 0;
done:
    EVP_MAC_free(mac); /* the context holds its own reference */
    rest_signer_free(s);
    return rc;
}

void rest_signer_free(rest_signer *s)
{
    if (s == NULL)
        return;
    EVP_MAC_CTX_free(s->hmac); /* cleanses the key material */
    EVP_MD_free(s->sha256);
    util_free(s);
}

/* ---- canonical request ------------------------------------------------------------------ */

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

/* URL-decodes [s, s+n) ('+' as space when plus_space) into dst (room for n + 1 bytes),
 * NUL-terminated: the decoded text ends at its first NUL, as a C string would. */
static void url_decode_into(char *dst, const char *s, size_t n, int plus_space)
{
    size_t i, j = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            dst[j++] =
                (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else if (plus_space && s[i] == '+') {
            dst[j++] = ' ';
        } else {
            dst[j++] = s[i];
        }
    }
    dst[j] = '\0';
}

/* Appends the C string s percent-encoded (everything but the RFC 3986 unreserved set, upper
 * case hex), a chunk at a time. */
static void append_pct(util_buf *b, const char *s)
{
    static const char HEX[] = "0123456789ABCDEF";
    char chunk[192];
    size_t n = 0;

    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (n > sizeof(chunk) - 3) {
            util_buf_append(b, chunk, n);
            n = 0;
        }
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            chunk[n++] = (char)ch;
        } else {
            chunk[n++] = '%';
            chunk[n++] = HEX[ch >> 4];
            chunk[n++] = HEX[ch & 15];
        }
    }
    if (n > 0)
        util_buf_append(b, chunk, n);
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

/* A header as spans of the caller's "Name: value" string: the name (compared lower-cased)
 * and the value without surrounding blanks. */
typedef struct hdr {
    const char *k;
    size_t kn;
    const char *v;
    size_t vn;
} hdr;

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int hdr_cmp(const void *a, const void *b)
{
    const hdr *x = a, *y = b;
    size_t i, n = x->kn < y->kn ? x->kn : y->kn;
    int c;

    for (i = 0; i < n; i++) {
        c = lower((unsigned char)x->k[i]) - lower((unsigned char)y->k[i]);
        if (c != 0)
            return c;
    }
    if (x->kn != y->kn)
        return x->kn < y->kn ? -1 : 1;
    n = x->vn < y->vn ? x->vn : y->vn;
    c = n > 0 ? memcmp(x->v, y->v, n) : 0;
    if (c != 0)
        return c;
    return x->vn < y->vn ? -1 : x->vn > y->vn ? 1 : 0;
}

#define SMALL_HEADERS 16
#define SMALL_PARAMS 32
#define SMALL_TEXT 1024

/*
 * Writes the canonical request of method, path (as in the URL) and query (encoded, without
 * '?') into cr, and where its SignedHeaders part starts and how long it is into *sh_off and
 * *sh_len. Body hash with md (NULL: OpenSSL's one-shot SHA-256). 0, VPCEP_EINVALID (a header
 * without ':'), VPCEP_ENOMEM, VPCEP_ETOOLARGE or VPCEP_ERROR.
 */
static int canonical(util_buf *cr,
                     size_t *sh_off,
                     size_t *sh_len,
                     const EVP_MD *md,
                     const char *method,
                     const char *path,
                     size_t path_len,
                     const char *query,
                     size_t query_len,
                     const char *const *headers,
                     size_t n_headers,
                     const void *body,
                     size_t body_len)
{
    hdr small_hdrs[SMALL_HEADERS], *hdrs = small_hdrs;
    kv small_params[SMALL_PARAMS], *params = small_params;
    char small_text[SMALL_TEXT], *text = small_text;
    size_t n_params = 0, cap = 1, text_cap, i;
    char hash[65];
    int rc = 0;

    /* Headers: spans, sorted by lower-cased name then value. */
    if (n_headers > SMALL_HEADERS) {
        hdrs = util_calloc(n_headers, sizeof(*hdrs));
        if (hdrs == NULL)
            return VPCEP_ENOMEM;
    }
    for (i = 0; i < n_headers; i++) {
        const char *h = headers[i], *colon = h ? strchr(h, ':') : NULL, *v, *end;
        size_t nlen;
        if (colon == NULL) {
            rc = VPCEP_EINVALID;
            goto done;
        }
        nlen = (size_t)(colon - h);
        while (nlen > 0 && h[nlen - 1] == ' ')
            nlen--;
        v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        end = v + strlen(v);
        while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
            end--;
        hdrs[i].k = h;
        hdrs[i].kn = nlen;
        hdrs[i].v = v;
        hdrs[i].vn = (size_t)(end - v);
    }
    if (n_headers > 1)
        qsort(hdrs, n_headers, sizeof(*hdrs), hdr_cmp);

    /* Query parameters: decoded into one text buffer, sorted by key then value. */
    for (i = 0; i < query_len; i++)
        cap += query[i] == '&';
    text_cap = query_len + 2 * cap + 1;
    if (query_len > 0 && cap > SMALL_PARAMS) {
        params = util_calloc(cap, sizeof(*params));
        if (params == NULL) {
            rc = VPCEP_ENOMEM;
            goto done;
        }
    }
    if (query_len > 0 && text_cap > SMALL_TEXT) {
        text = util_malloc(text_cap);
        if (text == NULL) {
            rc = VPCEP_ENOMEM;
            goto done;
        }
    }
    if (query_len > 0) {
        const char *p = query, *qend = query + query_len;
        char *w = text;
        while (p < qend) {
            const char *amp = memchr(p, '&', (size_t)(qend - p));
            size_t len = amp ? (size_t)(amp - p) : (size_t)(qend - p);
            const char *eq = memchr(p, '=', len);
            if (len > 0) {
                size_t klen = eq ? (size_t)(eq - p) : len;
                params[n_params].k = w;
                url_decode_into(w, p, klen, 1);
                w += klen + 1;
                params[n_params].v = w;
                if (eq != NULL) {
                    url_decode_into(w, eq + 1, len - klen - 1, 1);
                    w += len - klen;
                } else {
                    *w++ = '\0';
                }
                n_params++;
            }
            p += len;
            if (p < qend && *p == '&')
                p++;
        }
        if (n_params > 1)
            qsort(params, n_params, sizeof(*params), kv_cmp);
    }

    util_buf_puts(cr, method);
    util_buf_putc(cr, '\n');
    /* Canonical URI: each decoded segment re-encoded, trailing '/' added. */
    {
        const char *p = path, *pend = path + path_len;
        char seg_small[256];
        if (p < pend && *p == '/')
            p++;
        util_buf_putc(cr, '/');
        while (p < pend) {
            const char *slash = memchr(p, '/', (size_t)(pend - p));
            size_t len = slash ? (size_t)(slash - p) : (size_t)(pend - p);
            char *seg = len < sizeof(seg_small) ? seg_small : util_malloc(len + 1);
            if (seg == NULL) {
                rc = VPCEP_ENOMEM;
                goto done;
            }
            url_decode_into(seg, p, len, 0);
            append_pct(cr, seg);
            if (seg != seg_small)
                util_free(seg);
            util_buf_putc(cr, '/');
            p += len;
            if (p < pend && *p == '/')
                p++;
        }
        util_buf_putc(cr, '\n');
    }
    for (i = 0; i < n_params; i++) {
        if (i > 0)
            util_buf_putc(cr, '&');
        append_pct(cr, params[i].k);
        util_buf_putc(cr, '=');
        append_pct(cr, params[i].v);
    }
    util_buf_putc(cr, '\n');
    for (i = 0; i < n_headers; i++) {
        size_t at = cr->len, j;
        util_buf_append(cr, hdrs[i].k, hdrs[i].kn);
        for (j = at; cr->error == 0 && j < cr->len; j++)
            cr->data[j] = (char)lower((unsigned char)cr->data[j]);
        util_buf_putc(cr, ':');
        util_buf_append(cr, hdrs[i].v, hdrs[i].vn);
        util_buf_putc(cr, '\n');
    }
    util_buf_putc(cr, '\n');
    *sh_off = cr->len;
    for (i = 0; i < n_headers; i++) {
        size_t at = cr->len, j;
        if (i > 0)
            util_buf_putc(cr, ';');
        at = cr->len;
        util_buf_append(cr, hdrs[i].k, hdrs[i].kn);
        for (j = at; cr->error == 0 && j < cr->len; j++)
            cr->data[j] = (char)lower((unsigned char)cr->data[j]);
    }
    *sh_len = cr->len - *sh_off;
    util_buf_putc(cr, '\n');
    if ((rc = sha256_hex(md, body, body_len, hash)) != 0)
        goto done;
    util_buf_append(cr, hash, 64);
    if (cr->error)
        rc = rest_util_error(cr->error);
done:
    if (hdrs != small_hdrs)
        util_free(hdrs);
    if (params != small_params)
        util_free(params);
    if (text != small_text)
        util_free(text);
    return rc;
}

/* The path and query of url as curl parses it (curl_free both): 0, EINVALID, ENOMEM. */
static int url_parts(const char *url, char **path, char **query)
{
    CURLU *u;
    CURLUcode uc;
    int rc = 0;

    *path = *query = NULL;
    if (url == NULL)
        return VPCEP_EINVALID;
    u = curl_url();
    if (u == NULL)
        return VPCEP_ENOMEM;
    uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_PATH, path, 0);
    if (uc != CURLUE_OK) {
        rc = uc == CURLUE_OUT_OF_MEMORY ? VPCEP_ENOMEM : VPCEP_EINVALID;
    } else if (curl_url_get(u, CURLUPART_QUERY, query, 0) != CURLUE_OK) {
        *query = NULL;
    }
    curl_url_cleanup(u);
    return rc;
}

int rest_canonical_request(const char *method,
                           const char *url,
                           const char *const *headers,
                           size_t n_headers,
                           const void *body,
                           size_t body_len,
                           char **canonical_out,
                           char **signed_headers)
{
    util_buf cr;
    char *path = NULL, *query = NULL;
    size_t sh_off = 0, sh_len = 0;
    int rc;

    util_buf_init(&cr, REST_MAX_TEXT_BYTES);
    *canonical_out = NULL;
    if (signed_headers != NULL)
        *signed_headers = NULL;
    if (method == NULL || url == NULL || (headers == NULL && n_headers > 0))
        return VPCEP_EINVALID;
    if ((rc = url_parts(url, &path, &query)) != 0)
        goto done;
    rc = canonical(&cr, &sh_off, &sh_len, NULL, method, path, strlen(path), query,
                   query ? strlen(query) : 0, headers, n_headers, body, body_len);
    if (rc != 0)
        goto done;
    if (signed_headers != NULL) {
        *signed_headers = util_strndup(cr.data + sh_off, sh_len);
        if (*signed_headers == NULL) {
            rc = VPCEP_ENOMEM;
            goto done;
        }
    }
    *canonical_out = util_buf_detach(&cr, NULL);
    if (*canonical_out == NULL) {
        if (signed_headers != NULL) {
            util_free(*signed_headers);
            *signed_headers = NULL;
        }
        rc = VPCEP_ENOMEM;
    }
done:
    util_buf_dispose(&cr);
    curl_free(path);
    curl_free(query);
    return rc;
}

/* The X-Sdk-Date value among the headers, or NULL. */
static const char *sdk_date(const char *const *headers, size_t n_headers)
{
    const char *date = NULL;
    size_t i;

    for (i = 0; i < n_headers; i++) {
        if (headers[i] != NULL && util_strncasecmp(headers[i], "X-Sdk-Date:", 11) == 0) {
            date = headers[i] + 11;
            while (*date == ' ')
                date++;
        }
    }
    return date;
}

/* Signs with s and writes prefix + the Authorization value into *out (util_free). */
static int sign_parts(const rest_signer *s,
                      char **out,
                      const char *prefix,
                      const char *access_key,
                      const char *method,
                      const char *path,
                      size_t path_len,
                      const char *query,
                      size_t query_len,
                      const char *const *headers,
                      size_t n_headers,
                      const void *body,
                      size_t body_len)
{
    static const char algo[] = "SDK-HMAC-SHA256";
    util_buf cr, auth;
    const char *date;
    char sts[sizeof(algo) + 16 + 1 + 64 + 1], cr_hash[65], sig[65];
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t sh_off = 0, sh_len = 0, mac_len = 0, n, dlen;
    EVP_MAC_CTX *h = NULL;
    int rc;

    *out = NULL;
    util_buf_init(&cr, REST_MAX_TEXT_BYTES);
    util_buf_init(&auth, REST_MAX_TEXT_BYTES);
    if ((date = sdk_date(headers, n_headers)) == NULL)
        return VPCEP_EINVALID;
    rc = canonical(&cr, &sh_off, &sh_len, s->sha256, method, path, path_len, query, query_len,
                   headers, n_headers, body, body_len);
    if (rc != 0)
        goto done;
    if ((rc = sha256_hex(s->sha256, cr.data, cr.len, cr_hash)) != 0)
        goto done;
    /* String to sign: "SDK-HMAC-SHA256\n" date (at most 16 characters) "\n" hash. */
    n = sizeof(algo) - 1;
    memcpy(sts, algo, n);
    sts[n++] = '\n';
    for (dlen = 0; dlen < 16 && date[dlen] != '\0'; dlen++)
        ;
    memcpy(sts + n, date, dlen);
    n += dlen;
    sts[n++] = '\n';
    memcpy(sts + n, cr_hash, 64);
    n += 64;
    h = EVP_MAC_CTX_dup(s->hmac);
    if (h == NULL || !EVP_MAC_update(h, (const unsigned char *)sts, n) ||
        !EVP_MAC_final(h, mac, &mac_len, sizeof(mac)) || mac_len != 32) {
        rc = VPCEP_ERROR;
        goto done;
    }
    hex32(mac, sig);
    util_buf_puts(&auth, prefix);
    util_buf_puts(&auth, algo);
    util_buf_puts(&auth, " Access=");
    util_buf_puts(&auth, access_key);
    util_buf_puts(&auth, ", SignedHeaders=");
    if (cr.error == 0)
        util_buf_append(&auth, cr.data + sh_off, sh_len);
    util_buf_puts(&auth, ", Signature=");
    util_buf_append(&auth, sig, 64);
    if (auth.error) {
        rc = rest_util_error(auth.error);
        goto done;
    }
    *out = util_buf_detach(&auth, NULL);
    rc = *out != NULL ? 0 : VPCEP_ENOMEM;
done:
    EVP_MAC_CTX_free(h);
    util_buf_dispose(&cr);
    util_buf_dispose(&auth);
    return rc;
}

int rest_signer_sign(const rest_signer *s,
                     char **header,
                     const char *access_key,
                     const char *method,
                     const char *path,
                     size_t path_len,
                     const char *query,
                     size_t query_len,
                     const char *const *headers,
                     size_t n_headers,
                     const void *body,
                     size_t body_len)
{
    return sign_parts(s, header, "Authorization: ", access_key, method, path, path_len, query,
                      query_len, headers, n_headers, body, body_len);
}

/* Signs url as curl parses it; prefix goes before the Authorization value. */
static int sign_url(const rest_signer *s,
                    char **out,
                    const char *prefix,
                    const char *access_key,
                    const char *method,
                    const char *url,
                    const char *const *headers,
                    size_t n_headers,
                    const void *body,
                    size_t body_len)
{
    char *path = NULL, *query = NULL;
    int rc;

    *out = NULL;
    if (sdk_date(headers, n_headers) == NULL)
        return VPCEP_EINVALID;
    if (method == NULL)
        return VPCEP_EINVALID;
    if ((rc = url_parts(url, &path, &query)) != 0)
        return rc;
    rc = sign_parts(s, out, prefix, access_key, method, path, strlen(path), query,
                    query ? strlen(query) : 0, headers, n_headers, body, body_len);
    curl_free(path);
    curl_free(query);
    return rc;
}

int rest_signer_sign_url(const rest_signer *s,
                         char **header,
                         const char *access_key,
                         const char *method,
                         const char *url,
                         const char *const *headers,
                         size_t n_headers,
                         const void *body,
                         size_t body_len)
{
    return sign_url(s, header, "Authorization: ", access_key, method, url, headers, n_headers, body,
                    body_len);
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
    rest_signer *s = NULL;
    int rc;

    if (authorization == NULL)
        return VPCEP_EINVALID;
    *authorization = NULL;
    if (access_key == NULL || secret_key == NULL || (headers == NULL && n_headers > 0))
        return VPCEP_EINVALID;
    if (sdk_date(headers, n_headers) == NULL)
        return VPCEP_EINVALID;
    if ((rc = rest_signer_new(&s, secret_key)) != 0)
        return rc;
    rc =
        sign_url(s, authorization, "", access_key, method, url, headers, n_headers, body, body_len);
    rest_signer_free(s);
    return rc;
}
