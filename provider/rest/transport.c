/* The libcurl transport: one HTTP exchange per call, bounded body, the headers the client
 * reads (request ID, Retry-After, X-Subject-Token), cancellation during transfers, and the
 * connection/DNS/TLS-session cache shared by a client's transfers. */
#include "internal.h"

#include <curl/curl.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REST_MAX_TOKEN_BYTES (64 * 1024)

/* Idle easy handles a client keeps: one per concurrent transfer it has seen, up to this many
 * (terraform's default parallelism is 10). */
#define REST_IDLE_HANDLES 16

struct rest_share {
    CURLSH *sh;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
    /* Easy handles between transfers (reset, attached to sh): a handle keeps the multi
     * handle curl_easy_perform makes for it and its buffers, which would otherwise be built
     * and torn down for every request. */
    pthread_mutex_t idle_lock;
    CURL *idle[REST_IDLE_HANDLES];
    size_t n_idle;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

const char *const rest_ca_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu, Arch, Gentoo */
    "/etc/pki/tls/certs/ca-bundle.crt",   /* Fedora, RHEL, CentOS */
    "/etc/ssl/ca-bundle.pem",             /* openSUSE, SLES */
    "/etc/ssl/cert.pem",                  /* Alpine, macOS-style */
    NULL,
};
const char *const rest_ca_dirs[] = {"/etc/ssl/certs", "/etc/pki/tls/certs", NULL};

static int is_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static int is_kind(const char *path, mode_t kind)
{
    struct stat st;
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == kind && access(path, R_OK) == 0;
}

void rest_ca_locate(const char *cacert_file,
                    const char *env_file,
                    const char *env_dir,
                    const char *const *bundles,
                    const char *const *dirs,
                    const char **file,
                    const char **dir)
{
    size_t i;

    *file = NULL;
    *dir = NULL;
    if (is_set(cacert_file)) {
        *file = cacert_file;
        return;
    }
    if (is_set(env_file)) {
        *file = env_file;
        return;
    }
    if (is_set(env_dir)) {
        *dir = env_dir;
        return;
    }
    for (i = 0; bundles != NULL && bundles[i] != NULL; i++) {
        if (is_kind(bundles[i], S_IFREG)) {
            *file = bundles[i];
            return;
        }
    }
    for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
        if (is_kind(dirs[i], S_IFDIR)) {
            *dir = dirs[i];
            return;
        }
    }
}

int rest_transport_global_init(void)
{
    pthread_once(&curl_once, curl_init_once);
    return curl_init_rc == CURLE_OK ? 0 : -1;
}

typedef struct xfer {
    vpcep_client *c;
    util_buf body;
    rest_http_response *rs;
    int oom; /* a header could not be kept */
} xfer;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;

    if (util_buf_append(&x->body, ptr, n) != 0)
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    return n;
}

static int
header_is(const char *line, size_t len, const char *name, const char **value, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *v, *end;

    if (len <= nlen || util_strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
        return 0;
    v = line + nlen + 1;
    end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *value = v;
    *vlen = (size_t)(end - v);
    return 1;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;
    const char *v;
    size_t vlen;

    if (header_is(ptr, n, "X-Request-Id", &v, &vlen) ||
        header_is(ptr, n, "X-Openstack-Request-Id", &v, &vlen)) {
        if (vlen >= sizeof(x->rs->request_id))
            vlen = sizeof(x->rs->request_id) - 1;
        memcpy(x->rs->request_id, v, vlen);
        x->rs->request_id[vlen] = '\0';
    } else if (header_is(ptr, n, "Retry-After", &v, &vlen)) {
        char tmp[32];
        char *end = NULL;
        long s;
        if (vlen < sizeof(tmp)) {
            memcpy(tmp, v, vlen);
            tmp[vlen] = '\0';
            s = strtol(tmp, &end, 10);
            if (end != tmp && *end == '\0' && s >= 0)
                x->rs->retry_after_s = s;
        }
    } else if (header_is(ptr, n, "X-Subject-Token", &v, &vlen)) {
        if (vlen > 0 && vlen <= REST_MAX_TOKEN_BYTES) {
            util_free(x->rs->subject_token);
            x->rs->subject_token = util_strndup(v, vlen);
            if (x->rs->subject_token == NULL) {
                x->oom = 1;
                return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
            }
        }
    }
    return n;
}

static int
on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    xfer *x = ud;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return rest_cancelled(x->c) ? 1 : 0;
}

void rest_http_response_dispose(rest_http_response *rs)
{
    util_free(rs->body);
    util_free(rs->subject_token);
    memset(rs, 0, sizeof(*rs));
    rs->retry_after_s = -1;
}

/* An easy handle for one transfer: an idle one of the client's, or a new one. */
static CURL *handle_take(struct rest_share *share)
{
    CURL *h = NULL;

    if (share != NULL) {
        pthread_mutex_lock(&share->idle_lock);
        if (share->n_idle > 0)
            h = share->idle[--share->n_idle];
        pthread_mutex_unlock(&share->idle_lock);
    }
    return h != NULL ? h : curl_easy_init();
}

/* Gives a handle back after its transfer: reset (no option of that transfer survives, the
 * share and curl's caches do), kept idle, or cleaned up when enough are idle. */
static void handle_give(struct rest_share *share, CURL *h)
{
    if (h == NULL)
        return;
    if (share != NULL) {
        curl_easy_reset(h);
        pthread_mutex_lock(&share->idle_lock);
        if (share->n_idle < REST_IDLE_HANDLES) {
            share->idle[share->n_idle++] = h;
            h = NULL;
        }
        pthread_mutex_unlock(&share->idle_lock);
    }
    if (h != NULL)
        curl_easy_cleanup(h);
}

/* Where a failed transfer stopped: before a connection (nothing was sent) or after. */
static rest_net_failure net_failure(CURL *h, CURLcode cc)
{
    curl_off_t connected = 0, sent = 0;

    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return REST_NET_RESOLVE;
    case CURLE_COULDNT_CONNECT:
        return REST_NET_REFUSED;
    case CURLE_OPERATION_TIMEDOUT:
        /* A connection (new or reused) was made when the transfer got to sending. */
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
        curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &sent);
        return connected > 0 || sent > 0 ? REST_NET_TIMEOUT : REST_NET_CONNECT_TIMEOUT;
    default:
        return REST_NET_OTHER;
    }
}

int rest_curl_transport(void *ud,
                        vpcep_client *c,
                        const rest_http_request *rq,
                        rest_http_response *rs,
                        vpcep_error *err)
{
    struct rest_share *share = c->curl_share;
    CURL *h = NULL;
    struct curl_slist *hl = NULL, *tmp;
    char errbuf[CURL_ERROR_SIZE] = "";
    xfer x;
    CURLcode cc;
    long status = 0, timeout_ms, connect_ms;
    size_t i;
    int rc = 0;

    (void)ud;
    memset(&x, 0, sizeof(x));
    x.c = c;
    x.rs = rs;
    util_buf_init(&x.body, c->max_body_bytes);
    h = handle_take(share);
    if (h == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "cannot create a transfer");
        goto done;
    }
    for (i = 0; i < rq->n_headers; i++) {
        tmp = curl_slist_append(hl, rq->headers[i]);
        if (tmp == NULL) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
        hl = tmp;
    }
    tmp = curl_slist_append(hl, "Expect:");
    if (tmp == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    hl = tmp;
    curl_easy_setopt(h, CURLOPT_URL, rq->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    timeout_ms = rq->timeout_ms > 0 ? rq->timeout_ms : c->timeout_ms;
    connect_ms = rq->connect_timeout_ms > 0 ? rq->connect_timeout_ms : c->connect_timeout_ms;
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     connect_ms < timeout_ms ? connect_ms : timeout_ms);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->insecure ? 0L : 2L);
    {
        const char *ca_file, *ca_dir;
        rest_ca_locate(c->cacert_file, getenv("SSL_CERT_FILE"), getenv("SSL_CERT_DIR"),
                       rest_ca_bundles, rest_ca_dirs, &ca_file, &ca_dir);
        if (ca_file != NULL)
            curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
        else if (ca_dir != NULL)
            curl_easy_setopt(h, CURLOPT_CAPATH, ca_dir);
    }
    if (share != NULL)
        curl_easy_setopt(h, CURLOPT_SHARE, share->sh);
    if (rq->fresh_connection)
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    if (strcmp(rq->method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
        if (rq->body != NULL || strcmp(rq->method, "POST") == 0 || strcmp(rq->method, "PUT") == 0) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
        }
    }
    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        if (cc == CURLE_ABORTED_BY_CALLBACK)
            rc = rest_fail(err, VPCEP_ECANCELED, "cancelled");
        else if (cc == CURLE_WRITE_ERROR && x.body.error == UTIL_ETOOLARGE)
            rc = rest_fail(err, VPCEP_ETOOLARGE, "response body larger than %zu bytes",
                           c->max_body_bytes);
        else if (cc == CURLE_WRITE_ERROR && (x.oom || x.body.error == UTIL_ENOMEM))
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        else if (cc == CURLE_OPERATION_TIMEDOUT)
            rc = rest_fail(err, VPCEP_ETIMEOUT, "request timed out: %s", detail);
        else
            rc = rest_fail(err, VPCEP_ETRANSPORT, "%s", detail);
        rs->net_failure = net_failure(h, cc);
        goto done;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    rs->status = status;
    rs->body_len = x.body.len;
    rs->body = util_buf_detach(&x.body, NULL);
    if (rs->body == NULL)
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
done:
    util_buf_dispose(&x.body);
    handle_give(share, h);
    curl_slist_free_all(hl);
    return rc;
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *ud)
{
    struct rest_share *s = ud;

    (void)h;
    (void)access;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&s->locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
    struct rest_share *s = ud;

    (void)h;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&s->locks[data]);
}

void *rest_share_new(void)
{
    struct rest_share *s = util_calloc(1, sizeof(*s));
    int i;

    if (s == NULL)
        return NULL;
    s->sh = curl_share_init();
    if (s->sh == NULL) {
        util_free(s);
        return NULL;
    }
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&s->locks[i], NULL);
    pthread_mutex_init(&s->idle_lock, NULL);
    curl_share_setopt(s->sh, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(s->sh, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(s->sh, CURLSHOPT_USERDATA, s);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    return s;
}

void rest_share_free(void *p)
{
    struct rest_share *s = p;
    int i;

    if (s == NULL)
        return;
    while (s->n_idle > 0)
        curl_easy_cleanup(s->idle[--s->n_idle]); /* before the share they are attached to */
    curl_share_cleanup(s->sh);
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&s->locks[i]);
    pthread_mutex_destroy(&s->idle_lock);
    util_free(s);
}

void rest_client_set_transport(vpcep_client *client, rest_transport_fn fn, void *ud)
{
    client->transport = fn != NULL ? fn : rest_curl_transport;
    client->transport_ud = ud;
}
