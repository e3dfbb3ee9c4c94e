/* The client: options, libcurl transport, authentication (AK/SK, token, IAM password), retries. */
#include "internal.h"

#include <curl/curl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define REST_MAX_TOKEN_BYTES (64 * 1024)
#define REST_RETRY_AFTER_CAP_S 60L

struct rest_share {
    CURLSH *sh;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- time, sleep, cancellation, logging ------------------------------------------------ */
int64_t rest_now_ms(vpcep_client *c)
{
    struct timespec ts;

    if (c->now_ms != NULL)
        return c->now_ms(c->clock_ud);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rest_cancelled(vpcep_client *c)
{
    return c->cancelled != NULL && c->cancelled(c->cancel_ud) != 0;
}

int rest_sleep(vpcep_client *c, long ms, vpcep_error *err)
{
    if (rest_cancelled(c))
        return rest_fail(err, VPCEP_ECANCELED, "cancelled");
    if (ms <= 0)
        return 0;
    if (c->sleep != NULL) {
        c->sleep(c->clock_ud, ms);
    } else {
        while (ms > 0) {
            long slice = ms > 50 ? 50 : ms;
            struct timespec ts = {slice / 1000, (slice % 1000) * 1000000L};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
            }
            ms -= slice;
            if (rest_cancelled(c))
                break;
        }
    }
    if (rest_cancelled(c))
        return rest_fail(err, VPCEP_ECANCELED, "cancelled");
    return 0;
}

void rest_log(vpcep_client *c, int level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (c->log == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->log(c->log_ud, level, msg);
}

long vpcep_backoff_delay_ms(int attempt, long base_ms, long cap_ms)
{
    long d;
    int i;

    if (base_ms <= 0)
        base_ms = VPCEP_DEFAULT_RETRY_BASE_MS;
    if (cap_ms <= 0)
        cap_ms = VPCEP_DEFAULT_RETRY_CAP_MS;
    if (attempt < 1)
        attempt = 1;
    d = base_ms;
    for (i = 1; i < attempt && d < cap_ms; i++)
        d *= 2;
    return d < cap_ms ? d : cap_ms;
}

long rest_backoff_jittered(vpcep_client *c, int attempt)
{
    long d = vpcep_backoff_delay_ms(attempt, c->retry_base_ms, c->retry_cap_ms);
    uint64_t x;

    pthread_mutex_lock(&c->lock);
    x = c->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->rng = x;
    pthread_mutex_unlock(&c->lock);
    return d / 2 + (long)(x % (uint64_t)(d / 2 + 1));
}

/* ---- libcurl transport ------------------------------------------------------------------- */
typedef struct xfer {
    vpcep_client *c;
    rest_buf body;
    rest_http_response *rs;
} xfer;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;

    if (rest_buf_append(&x->body, ptr, n) != 0)
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    return n;
}

static int
header_is(const char *line, size_t len, const char *name, const char **value, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *v, *end;

    if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
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
            free(x->rs->subject_token);
            x->rs->subject_token = rest_strndup(v, vlen);
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
    free(rs->body);
    free(rs->subject_token);
    memset(rs, 0, sizeof(*rs));
    rs->retry_after_s = -1;
}

static int curl_transport(void *ud,
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
    long status = 0;
    size_t i;
    int rc = 0;

    (void)ud;
    memset(&x, 0, sizeof(x));
    x.c = c;
    x.rs = rs;
    rest_buf_init(&x.body, c->max_body_bytes);
    h = curl_easy_init();
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
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms < 15000 ? c->timeout_ms : 15000L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->insecure ? 0L : 2L);
    if (c->cacert_file != NULL)
        curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert_file);
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
        else if (cc == CURLE_WRITE_ERROR && x.body.toolarge)
            rc = rest_fail(err, VPCEP_ETOOLARGE, "response body larger than %zu bytes",
                           c->max_body_bytes);
        else if (cc == CURLE_WRITE_ERROR && x.body.oom)
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        else if (cc == CURLE_OPERATION_TIMEDOUT)
            rc = rest_fail(err, VPCEP_ETIMEOUT, "request timed out: %s", detail);
        else
            rc = rest_fail(err, VPCEP_ETRANSPORT, "%s", detail);
        goto done;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    rs->status = status;
    rs->body_len = x.body.len;
    rs->body = rest_buf_detach(&x.body);
    if (rs->body == NULL)
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
done:
    rest_buf_dispose(&x.body);
    curl_slist_free_all(hl);
    if (h != NULL)
        curl_easy_cleanup(h);
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

static struct rest_share *share_new(void)
{
    struct rest_share *s = calloc(1, sizeof(*s));
    int i;

    if (s == NULL)
        return NULL;
    s->sh = curl_share_init();
    if (s->sh == NULL) {
        free(s);
        return NULL;
    }
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&s->locks[i], NULL);
    curl_share_setopt(s->sh, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(s->sh, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(s->sh, CURLSHOPT_USERDATA, s);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    return s;
}

static void share_free(struct rest_share *s)
{
    int i;

    if (s == NULL)
        return;
    curl_share_cleanup(s->sh);
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&s->locks[i]);
    free(s);
}

void rest_client_set_transport(vpcep_client *client, rest_transport_fn fn, void *ud)
{
    client->transport = fn != NULL ? fn : curl_transport;
    client->transport_ud = ud;
}

/* ---- options and client lifetime ---------------------------------------------------------- */
int vpcep_client_options_init(vpcep_client_options *opts, unsigned int version)
{
    if (opts == NULL || version == 0 || version > VPCEP_CLIENT_OPTIONS_VERSION)
        return VPCEP_EINVALID;
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    return 0;
}

static int empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static int valid_id(const char *s)
{
    size_t i;

    if (empty(s) || strlen(s) > 64)
        return 0;
    for (i = 0; s[i] != '\0'; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return 0;
    }
    return 1;
}

static char *url_dup(const char *s)
{
    size_t n;

    if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
        return NULL;
    if (strpbrk(s, " \t\r\n?#") != NULL)
        return NULL;
    n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        n--;
    return rest_strndup(s, n);
}

static int dup_opt(char **dst, const char *src)
{
    if (empty(src)) {
        *dst = NULL;
        return 0;
    }
    *dst = rest_strdup(src);
    return *dst == NULL ? -1 : 0;
}

int vpcep_client_new(vpcep_client **out, const vpcep_client_options *opts, vpcep_error *err)
{
    vpcep_client *c = NULL;
    char tmp[512];
    int rc = 0;

    rest_error_clear(err);
    if (out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "out must not be NULL");
    *out = NULL;
    if (opts == NULL || opts->version == 0 || opts->version > VPCEP_CLIENT_OPTIONS_VERSION)
        return rest_fail(err, VPCEP_EINVALID, "unsupported vpcep_client_options version %u",
                         opts ? opts->version : 0);
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK)
        return rest_fail(err, VPCEP_ERROR, "libcurl initialisation failed");

    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return rest_fail(err, VPCEP_ENOMEM, "out of memory");
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->token_lock, NULL);
    c->transport = curl_transport;

    if (!empty(opts->region) && !valid_id(opts->region)) {
        rc = rest_fail(err, VPCEP_EINVALID, "region: invalid value");
        goto done;
    }
    if (dup_opt(&c->region, opts->region) || dup_opt(&c->project_id, opts->project_id) ||
        dup_opt(&c->access_key, opts->access_key) || dup_opt(&c->secret_key, opts->secret_key) ||
        dup_opt(&c->token, opts->token) || dup_opt(&c->user_name, opts->user_name) ||
        dup_opt(&c->password, opts->password) || dup_opt(&c->domain_name, opts->domain_name) ||
        dup_opt(&c->cacert_file, opts->cacert_file)) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    if (c->project_id != NULL && !valid_id(c->project_id)) {
        rc = rest_fail(err, VPCEP_EINVALID, "project_id: invalid value");
        goto done;
    }
    /* Endpoint */
    if (!empty(opts->endpoint)) {
        c->endpoint = url_dup(opts->endpoint);
    } else if (c->region != NULL) {
        snprintf(tmp, sizeof(tmp), "https://vpcep.%s.otc.t-systems.com", c->region);
        c->endpoint = rest_strdup(tmp);
    } else {
        rc = rest_fail(err, VPCEP_EINVALID, "region or endpoint is required");
        goto done;
    }
    if (c->endpoint == NULL) {
        rc = rest_fail(err, VPCEP_EINVALID, "endpoint: not an http(s) URL");
        goto done;
    }
    /* Credentials */
    if (c->access_key != NULL || c->secret_key != NULL) {
        if (c->access_key == NULL || c->secret_key == NULL) {
            rc = rest_fail(err, VPCEP_EINVALID, "access_key and secret_key must be given together");
            goto done;
        }
        c->auth = REST_AUTH_AKSK;
    } else if (c->token != NULL) {
        c->auth = REST_AUTH_TOKEN;
    } else if (c->user_name != NULL || c->password != NULL) {
        if (c->user_name == NULL || c->password == NULL || c->domain_name == NULL) {
            rc = rest_fail(err, VPCEP_EINVALID,
                           "password authentication needs user_name, password and domain_name");
            goto done;
        }
        c->auth = REST_AUTH_PASSWORD;
        if (c->project_id == NULL && c->region == NULL) {
            rc = rest_fail(err, VPCEP_EINVALID,
                           "password authentication needs project_id or region for the scope");
            goto done;
        }
    } else {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "no credentials: set access_key/secret_key, token, or "
                       "user_name/password/domain_name");
        goto done;
    }
    if (c->auth != REST_AUTH_PASSWORD && c->project_id == NULL) {
        rc = rest_fail(err, VPCEP_EINVALID, "project_id is required with AK/SK or token auth");
        goto done;
    }
    if (!empty(opts->auth_url)) {
        c->auth_url = url_dup(opts->auth_url);
        if (c->auth_url == NULL) {
            rc = rest_fail(err, VPCEP_EINVALID, "auth_url: not an http(s) URL");
            goto done;
        }
    } else if (c->region != NULL) {
        snprintf(tmp, sizeof(tmp), "https://iam.%s.otc.t-systems.com/v3", c->region);
        c->auth_url = rest_strdup(tmp);
        if (c->auth_url == NULL) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
    } else if (c->auth == REST_AUTH_PASSWORD) {
        rc = rest_fail(err, VPCEP_EINVALID, "auth_url or region is required for password auth");
        goto done;
    }
    if (opts->timeout_ms < 0 || opts->max_retries < VPCEP_RETRIES_NONE || opts->max_retries > 100 ||
        opts->retry_base_ms < 0 || opts->retry_cap_ms < 0) {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "timeout_ms, max_retries (-1..100) and retry delays must not be negative");
        goto done;
    }
    c->timeout_ms = opts->timeout_ms ? opts->timeout_ms : VPCEP_DEFAULT_TIMEOUT_MS;
    c->max_retries = opts->max_retries == 0  ? VPCEP_DEFAULT_MAX_RETRIES
                     : opts->max_retries < 0 ? 0
                                             : opts->max_retries;
    c->max_body_bytes = opts->max_body_bytes ? opts->max_body_bytes : VPCEP_DEFAULT_MAX_BODY_BYTES;
    c->retry_base_ms = opts->retry_base_ms ? opts->retry_base_ms : VPCEP_DEFAULT_RETRY_BASE_MS;
    c->retry_cap_ms = opts->retry_cap_ms ? opts->retry_cap_ms : VPCEP_DEFAULT_RETRY_CAP_MS;
    if (c->retry_cap_ms < c->retry_base_ms)
        c->retry_cap_ms = c->retry_base_ms;
    c->insecure = opts->insecure != 0;
    if (!empty(opts->user_agent)) {
        if (strpbrk(opts->user_agent, "\r\n") != NULL) {
            rc = rest_fail(err, VPCEP_EINVALID, "user_agent: must be one line");
            goto done;
        }
        c->user_agent = rest_strdup(opts->user_agent);
    } else {
        snprintf(tmp, sizeof(tmp), "vpcep-c/%d.%d.%d", VPCEP_VERSION_MAJOR, VPCEP_VERSION_MINOR,
                 VPCEP_VERSION_PATCH);
        c->user_agent = rest_strdup(tmp);
    }
    if (c->user_agent == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    c->log = opts->log;
    c->log_ud = opts->log_ud;
    c->cancelled = opts->cancelled;
    c->cancel_ud = opts->cancel_ud;
    c->sleep = opts->sleep;
    c->now_ms = opts->now_ms;
    c->clock_ud = opts->clock_ud;
    c->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)(uintptr_t)c ^ 0x9e3779b97f4a7c15ULL;
    if (c->rng == 0)
        c->rng = 1;
    c->curl_share = share_new();
    if (c->curl_share == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "cannot create the connection cache");
        goto done;
    }
    *out = c;
    c = NULL;
done:
    vpcep_client_free(c);
    return rc;
}

static void free_secret(char *s)
{
    if (s == NULL)
        return;
    memset(s, 0, strlen(s));
    free(s);
}

void vpcep_client_free(vpcep_client *c)
{
    if (c == NULL)
        return;
    free(c->region);
    free(c->endpoint);
    free(c->project_id);
    free(c->access_key);
    free_secret(c->secret_key);
    free_secret(c->token);
    free(c->user_name);
    free_secret(c->password);
    free(c->domain_name);
    free(c->auth_url);
    free(c->cacert_file);
    free(c->user_agent);
    free_secret(c->iam_token);
    share_free(c->curl_share);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->token_lock);
    free(c);
}

const char *vpcep_client_endpoint(const vpcep_client *client)
{
    return client != NULL ? client->endpoint : NULL;
}

void vpcep_client_get_stats(const vpcep_client *client, vpcep_client_stats *out)
{
    if (client == NULL || out == NULL)
        return;
    pthread_mutex_lock((pthread_mutex_t *)&client->lock);
    *out = client->stats;
    pthread_mutex_unlock((pthread_mutex_t *)&client->lock);
}

/* ---- IAM token --------------------------------------------------------------------------- */
static int send_counted(vpcep_client *c,
                        const rest_http_request *rq,
                        rest_http_response *rs,
                        unsigned int *calls,
                        int retry,
                        vpcep_error *err)
{
    int rc;

    pthread_mutex_lock(&c->lock);
    c->stats.requests++;
    if (retry)
        c->stats.retries++;
    pthread_mutex_unlock(&c->lock);
    if (calls != NULL)
        (*calls)++;
    rest_http_response_dispose(rs);
    rc = c->transport(c->transport_ud, c, rq, rs, err);
    return rc;
}

static char *token_body(vpcep_client *c)
{
    cJSON *root = cJSON_CreateObject(), *auth, *ident, *methods, *pw, *user, *dom, *scope, *proj;
    char *out = NULL;

    if (root == NULL)
        return NULL;
    auth = cJSON_AddObjectToObject(root, "auth");
    ident = auth ? cJSON_AddObjectToObject(auth, "identity") : NULL;
    methods = ident ? cJSON_AddArrayToObject(ident, "methods") : NULL;
    if (methods == NULL)
        goto done;
    cJSON_AddItemToArray(methods, cJSON_CreateString("password"));
    pw = cJSON_AddObjectToObject(ident, "password");
    user = pw ? cJSON_AddObjectToObject(pw, "user") : NULL;
    if (user == NULL)
        goto done;
    cJSON_AddStringToObject(user, "name", c->user_name);
    cJSON_AddStringToObject(user, "password", c->password);
    dom = cJSON_AddObjectToObject(user, "domain");
    if (dom == NULL)
        goto done;
    cJSON_AddStringToObject(dom, "name", c->domain_name);
    scope = cJSON_AddObjectToObject(auth, "scope");
    proj = scope ? cJSON_AddObjectToObject(scope, "project") : NULL;
    if (proj == NULL)
        goto done;
    if (c->project_id != NULL)
        cJSON_AddStringToObject(proj, "id", c->project_id);
    else
        cJSON_AddStringToObject(proj, "name", c->region);
    out = cJSON_PrintUnformatted(root);
done:
    cJSON_Delete(root);
    return out;
}

/* Fetches a new token when the current one is missing or is generation stale_gen. */
static int fetch_token(
    vpcep_client *c, unsigned int stale_gen, int force, unsigned int *calls, vpcep_error *err)
{
    rest_http_request rq;
    rest_http_response rs;
    const char *headers[1] = {"Content-Type: application/json;charset=utf8"};
    char *body = NULL, *url = NULL, *pid = NULL;
    size_t url_len;
    int rc = 0, attempt, have;
    int64_t t0;

    memset(&rs, 0, sizeof(rs));
    rs.retry_after_s = -1;
    pthread_mutex_lock(&c->token_lock);
    pthread_mutex_lock(&c->lock);
    have = c->iam_token != NULL && !(force && c->token_gen == stale_gen);
    pthread_mutex_unlock(&c->lock);
    if (have)
        goto done;
    body = token_body(c);
    url_len = strlen(c->auth_url) + 32;
    url = malloc(url_len);
    if (body == NULL || url == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(url, url_len, "%s/auth/tokens?nocatalog=true", c->auth_url);
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.url = url;
    rq.headers = headers;
    rq.n_headers = 1;
    rq.body = body;
    rq.body_len = strlen(body);
    for (attempt = 0;; attempt++) {
        if (rest_cancelled(c)) {
            rc = rest_fail(err, VPCEP_ECANCELED, "cancelled");
            goto done;
        }
        t0 = rest_now_ms(c);
        pthread_mutex_lock(&c->lock);
        c->stats.token_requests++;
        pthread_mutex_unlock(&c->lock);
        rc = send_counted(c, &rq, &rs, calls, attempt > 0, err);
        rest_log(c, VPCEP_LOG_DEBUG, "vpcep: POST %s/auth/tokens -> %ld (%lld ms, attempt %d)",
                 c->auth_url, rc == 0 ? rs.status : 0L, (long long)(rest_now_ms(c) - t0),
                 attempt + 1);
        if (rc == 0 && rs.status >= 200 && rs.status < 300)
            break;
        if (rc == VPCEP_ECANCELED || rc == VPCEP_ENOMEM || rc == VPCEP_ETOOLARGE)
            goto done;
        if (rc == 0 && !rest_status_retryable(rs.status, NULL)) {
            rc = rest_error_from_response(err, rs.status, rs.body, rs.body_len, rs.request_id);
            if (rc == VPCEP_EAUTH || rs.status == 401 || rs.status == 403) {
                rc = VPCEP_EAUTH;
                if (err != NULL) {
                    char m[sizeof(err->error_msg)];
                    rest_strlcpy(m, err->error_msg, sizeof(m));
                    snprintf(err->error_msg, sizeof(err->error_msg),
                             "IAM token request for user %.64s in domain %.64s failed: %.300s",
                             c->user_name, c->domain_name, m);
                    err->kind = rc;
                }
            }
            goto done;
        }
        if (attempt >= c->max_retries) {
            if (rc == 0)
                rc = rest_error_from_response(err, rs.status, rs.body, rs.body_len, rs.request_id);
            goto done;
        }
        rc = rest_sleep(c, rest_backoff_jittered(c, attempt + 1), err);
        if (rc != 0)
            goto done;
    }
    if (rs.subject_token == NULL) {
        rc = rest_fail(err, VPCEP_EAUTH, "IAM answered without an X-Subject-Token header");
        goto done;
    }
    {
        cJSON *root = rest_json_parse(rs.body, rs.body_len);
        const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "token");
        const cJSON *proj = cJSON_GetObjectItemCaseSensitive(tok, "project");
        pid = rest_json_str(proj, "id");
        cJSON_Delete(root);
    }
    pthread_mutex_lock(&c->lock);
    free_secret(c->iam_token);
    c->iam_token = rs.subject_token;
    rs.subject_token = NULL;
    c->token_gen++;
    if (c->project_id == NULL && pid != NULL && valid_id(pid)) {
        c->project_id = pid;
        pid = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    rc = 0;
done:
    pthread_mutex_unlock(&c->token_lock);
    rest_http_response_dispose(&rs);
    if (body != NULL) {
        memset(body, 0, strlen(body));
        cJSON_free(body);
    }
    free(url);
    free(pid);
    return rc;
}

int rest_ensure_project(vpcep_client *c, unsigned int *calls, vpcep_error *err)
{
    int have, rc;

    pthread_mutex_lock(&c->lock);
    have = c->project_id != NULL;
    pthread_mutex_unlock(&c->lock);
    if (have)
        return 0;
    rc = fetch_token(c, 0, 0, calls, err);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&c->lock);
    have = c->project_id != NULL;
    pthread_mutex_unlock(&c->lock);
    if (!have)
        return rest_fail(err, VPCEP_EAUTH, "the IAM token names no project: set project_id");
    return 0;
}

int vpcep_client_project_id(vpcep_client *client, const char **out, vpcep_error *err)
{
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    rc = rest_ensure_project(client, NULL, err);
    if (rc == 0)
        *out = client->project_id; /* set once, never changed afterwards */
    return rc;
}

/* ---- the request layer ------------------------------------------------------------------- */
void rest_result_dispose(rest_result *r)
{
    free(r->body);
    memset(r, 0, sizeof(*r));
}

static char *host_header(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *out = NULL;
    size_t n;

    if (u == NULL)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
            port = NULL;
        n = strlen(host) + (port ? strlen(port) : 0) + 16;
        out = malloc(n);
        if (out != NULL)
            snprintf(out, n, "Host: %s%s%s", host, port ? ":" : "", port ? port : "");
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return out;
}

int rest_call(vpcep_client *c, const rest_request *rq, rest_result *res, vpcep_error *err)
{
    rest_http_request hrq;
    rest_http_response rs;
    rest_buf url;
    char *host = NULL, *authz = NULL, *token_hdr = NULL;
    const char *headers[6];
    char date_hdr[32];
    unsigned int gen = 0;
    int rc = 0, attempt, renewed = 0, retry_count = 0, n;
    int64_t t0;
    vpcep_error local = VPCEP_ERROR_INIT;

    if (err == NULL)
        err = &local; /* the API error code drives the retry decision */
    memset(res, 0, sizeof(*res));
    memset(&rs, 0, sizeof(rs));
    rs.retry_after_s = -1;
    rest_buf_init(&url, 0);
    if (!rq->raw_path && (rc = rest_ensure_project(c, rq->calls, err)) != 0)
        goto done;
    rest_buf_append(&url, c->endpoint, strlen(c->endpoint));
    if (!rq->raw_path)
        rest_buf_appendf(&url, "/v1/%s", c->project_id);
    rest_buf_append(&url, rq->path, strlen(rq->path));
    if (rq->query != NULL && rq->query[0] != '\0')
        rest_buf_appendf(&url, "?%s", rq->query);
    if (url.oom) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    host = host_header(url.data);
    if (host == NULL) {
        rc = rest_fail(err, VPCEP_EINVALID, "cannot parse the request URL");
        goto done;
    }
    for (attempt = 0;; attempt++) {
        if (rest_cancelled(c)) {
            rc = rest_fail(err, VPCEP_ECANCELED, "cancelled");
            goto done;
        }
        n = 0;
        headers[n++] = host;
        if (rq->body != NULL)
            headers[n++] = "Content-Type: application/json";
        free(authz);
        authz = NULL;
        if (c->auth == REST_AUTH_AKSK) {
            char date[17];
            size_t alen;
            if (rest_sdk_date(date, time(NULL)) != 0) {
                rc = rest_fail(err, VPCEP_ERROR, "clock error");
                goto done;
            }
            snprintf(date_hdr, sizeof(date_hdr), "X-Sdk-Date: %s", date);
            headers[n++] = date_hdr;
            rc = vpcep_sign_request(c->access_key, c->secret_key, rq->method, url.data, headers,
                                    (size_t)n, rq->body, rq->body ? strlen(rq->body) : 0, &authz);
            if (rc != 0) {
                rc = rest_fail(err, rc, "cannot sign the request");
                goto done;
            }
            alen = strlen(authz) + 32;
            free(token_hdr);
            token_hdr = malloc(alen);
            if (token_hdr == NULL) {
                rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                goto done;
            }
            snprintf(token_hdr, alen, "Authorization: %s", authz);
            headers[n++] = token_hdr;
        } else {
            const char *tok = c->token;
            size_t tlen;
            if (c->auth == REST_AUTH_PASSWORD) {
                if ((rc = fetch_token(c, 0, 0, rq->calls, err)) != 0)
                    goto done;
                pthread_mutex_lock(&c->lock);
                free_secret(authz);
                authz = rest_strdup(c->iam_token);
                gen = c->token_gen;
                pthread_mutex_unlock(&c->lock);
                if (authz == NULL) {
                    rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                    goto done;
                }
                tok = authz;
            }
            tlen = strlen(tok) + 32;
            free_secret(token_hdr);
            token_hdr = malloc(tlen);
            if (token_hdr == NULL) {
                rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                goto done;
            }
            snprintf(token_hdr, tlen, "X-Auth-Token: %s", tok);
            headers[n++] = token_hdr;
        }
        memset(&hrq, 0, sizeof(hrq));
        hrq.method = rq->method;
        hrq.url = url.data;
        hrq.headers = headers;
        hrq.n_headers = (size_t)n;
        hrq.body = rq->body;
        hrq.body_len = rq->body ? strlen(rq->body) : 0;
        hrq.fresh_connection = rq->create;
        t0 = rest_now_ms(c);
        rest_error_clear(err);
        rc = send_counted(c, &hrq, &rs, rq->calls, attempt > 0, err);
        rest_log(c, VPCEP_LOG_DEBUG, "vpcep: %s %s%s%s -> %ld (%lld ms, request id %s, attempt %d)",
                 rq->method, rq->raw_path ? "" : "/v1/{project}", rq->path,
                 rq->query && rq->query[0] ? "?..." : "", rc == 0 ? rs.status : 0L,
                 (long long)(rest_now_ms(c) - t0), rs.request_id[0] ? rs.request_id : "-",
                 attempt + 1);
        if (rc == 0 && rs.status >= 200 && rs.status < 300) {
            res->status = rs.status;
            res->body = rs.body;
            res->body_len = rs.body_len;
            rs.body = NULL;
            goto done;
        }
        if (rc == VPCEP_ECANCELED || rc == VPCEP_ENOMEM || rc == VPCEP_ETOOLARGE)
            goto done;
        if (rc == 0) {
            long delay;
            rc = rest_error_from_response(err, rs.status, rs.body, rs.body_len, rs.request_id);
            if (rs.status == 401 && c->auth == REST_AUTH_PASSWORD && !renewed) {
                renewed = 1;
                rest_log(c, VPCEP_LOG_INFO, "vpcep: token rejected (401), renewing it once");
                if ((rc = fetch_token(c, gen, 1, rq->calls, err)) != 0)
                    goto done;
                continue;
            }
            if (!rest_status_retryable(rs.status, err->error_code))
                goto done;
            if (rq->create && rs.status >= 500) {
                res->outcome_unknown = 1;
                goto done;
            }
            if (attempt >= c->max_retries)
                goto done;
            delay = rs.retry_after_s >= 0
                        ? (rs.retry_after_s > REST_RETRY_AFTER_CAP_S ? REST_RETRY_AFTER_CAP_S
                                                                     : rs.retry_after_s) *
                              1000L
                        : rest_backoff_jittered(c, attempt + 1);
            rest_log(c, VPCEP_LOG_WARN, "vpcep: %s %s: HTTP %ld, retry %d/%d in %ld ms", rq->method,
                     rq->path, rs.status, attempt + 1, c->max_retries, delay);
            retry_count++;
            if ((rc = rest_sleep(c, delay, err)) != 0)
                goto done;
            continue;
        }
        /* Transport failure: no answer. */
        if (rq->create) {
            res->outcome_unknown = 1;
            goto done;
        }
        if (attempt >= c->max_retries)
            goto done;
        {
            long delay = rest_backoff_jittered(c, attempt + 1);
            rest_log(c, VPCEP_LOG_WARN, "vpcep: %s %s: %s, retry %d/%d in %ld ms", rq->method,
                     rq->path, vpcep_strerror(rc), attempt + 1, c->max_retries, delay);
            retry_count++;
            if ((rc = rest_sleep(c, delay, err)) != 0)
                goto done;
        }
    }
done:
    if (rc != 0)
        err->retries = retry_count;
    rest_http_response_dispose(&rs);
    rest_buf_dispose(&url);
    free(host);
    free_secret(authz);
    free_secret(token_hdr);
    return rc;
}
