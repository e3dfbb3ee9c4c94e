/* The request layer: URL, authentication headers, one exchange through the transport, error
 * mapping, retries with backoff (honouring Retry-After) within max_retries and the retry
 * budget, failing fast when no server is reached, messages that say what was tried and what to
 * check, and the token renewal on a 401. */
#include "internal.h"

#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REST_RETRY_AFTER_CAP_S 60L

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

/* ---- logs: the exchange as terraform-plugin-sdk's logging HTTP transport names it ---------- */

#define REST_REDACTED "[REDACTED]"
#define REST_LOG_HEADERS 8

/* Member names whose values are credentials (compared without case, as substrings). */
static int secret_name(const char *k)
{
    static const char *const words[] = {"password",  "secret",     "token",
                                        "signature", "credential", "private_key"};
    static const char *const exact[] = {"access", "access_key", "ak", "sk"};
    size_t i;

    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (util_strcasecmp(k, exact[i]) == 0)
            return 1;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t n = strlen(words[i]), j;
        for (j = 0; k[j] != '\0'; j++)
            if (util_strncasecmp(k + j, words[i], n) == 0)
                return 1;
    }
    return 0;
}

/* Replaces the values of credential members anywhere below @p node. 0 or -1 (ENOMEM). */
static int redact_json(cJSON *node)
{
    cJSON *it;

    for (it = node != NULL ? node->child : NULL; it != NULL; it = it->next) {
        if (it->string != NULL && secret_name(it->string)) {
            cJSON *r = cJSON_CreateString(REST_REDACTED);
            if (r == NULL)
                return -1;
            /* the member keeps its name: moved over, not copied */
            r->string = it->string;
            r->type |= it->type & cJSON_StringIsConst;
            it->string = NULL;
            (void)cJSON_ReplaceItemViaPointer(node, it, r); /* cannot fail: it is a child */
            it = r;
            continue;
        }
        if ((cJSON_IsObject(it) || cJSON_IsArray(it)) && redact_json(it) != 0)
            return -1;
    }
    return 0;
}

char *rest_redact_body(const char *body, size_t len)
{
    cJSON *root;
    char *text, *out;

    if (body == NULL || len == 0)
        return util_strdup("");
    root = rest_json_parse(body, len);
    if (root == NULL)
        return util_asprintf("[%zu bytes, not JSON: not shown]", len);
    if (redact_json(root) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (text == NULL)
        return NULL;
    out = util_strdup(text);
    cJSON_free(text);
    return out;
}

int rest_secret_header(const char *line)
{
    static const char *const names[] = {"Authorization",   "X-Auth-Token", "X-Security-Token",
                                        "X-Subject-Token", "Cookie",       "Proxy-Authorization"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t n = strlen(names[i]);
        if (util_strncasecmp(line, names[i], n) == 0 && line[n] == ':')
            return 1;
    }
    return 0;
}

/* The path and query of an absolute URL (borrowed from it; "/" when it has none). */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");

    p = p != NULL ? strpbrk(p + 3, "/?") : NULL;
    return p != NULL ? p : "/";
}

/* The TRACE line of a request: its headers (credentials redacted) and its body. */
static void log_request(vpcep_client *c, const rest_http_request *rq, const char *trans_id)
{
    vpcep_log_field f[6 + REST_LOG_HEADERS];
    char names[REST_LOG_HEADERS][64], values[REST_LOG_HEADERS][256];
    char *body = NULL;
    size_t n = 0, i;

    if (!rest_log_enabled(c, VPCEP_LOG_TRACE))
        return;
    f[n++] = (vpcep_log_field){"tf_http_op_type", "request", 0};
    f[n++] = (vpcep_log_field){"tf_http_trans_id", trans_id, 0};
    f[n++] = (vpcep_log_field){"tf_http_req_method", rq->method, 0};
    f[n++] = (vpcep_log_field){"tf_http_req_uri", url_path(rq->url), 0};
    f[n++] = (vpcep_log_field){"tf_http_attempt", NULL, rq->attempt};
    for (i = 0; i < rq->n_headers && i < REST_LOG_HEADERS; i++) {
        const char *h = rq->headers[i], *colon = strchr(h, ':');
        size_t len = colon != NULL ? (size_t)(colon - h) : 0;
        if (len == 0 || len >= sizeof(names[i]))
            continue;
        memcpy(names[i], h, len);
        names[i][len] = '\0';
        colon++;
        while (*colon == ' ')
            colon++;
        snprintf(values[i], sizeof(values[i]), "%s", rest_secret_header(h) ? REST_REDACTED : colon);
        f[n++] = (vpcep_log_field){names[i], values[i], 0};
    }
    if (rq->body != NULL) {
        body = rest_redact_body(rq->body, rq->body_len);
        if (body != NULL)
            f[n++] = (vpcep_log_field){"tf_http_req_body", body, 0};
    }
    rest_log_fields(c, VPCEP_LOG_TRACE, f, n, "vpcep: HTTP request %s %s (attempt %d)", rq->method,
                    rq->url, rq->attempt);
    util_free(body);
}

/* The DEBUG line of an answer (or of a failed exchange, @p rc != 0); the body at TRACE. */
static void log_response(vpcep_client *c,
                         const rest_http_request *rq,
                         const rest_http_response *rs,
                         int rc,
                         long long ms,
                         const char *trans_id)
{
    vpcep_log_field f[10];
    char *body = NULL;
    char shown[512];
    size_t n = 0;
    const char *q;

    if (!rest_log_enabled(c, VPCEP_LOG_DEBUG))
        return;
    /* the message names the URL without its query */
    q = strchr(rq->url, '?');
    snprintf(shown, sizeof(shown), "%.*s", q != NULL ? (int)(q - rq->url) : (int)strlen(rq->url),
             rq->url);
    f[n++] = (vpcep_log_field){"tf_http_op_type", "response", 0};
    f[n++] = (vpcep_log_field){"tf_http_trans_id", trans_id, 0};
    f[n++] = (vpcep_log_field){"tf_http_req_method", rq->method, 0};
    f[n++] = (vpcep_log_field){"tf_http_req_uri", url_path(rq->url), 0};
    f[n++] = (vpcep_log_field){"tf_http_res_status_code", NULL, rc == 0 ? rs->status : 0};
    f[n++] = (vpcep_log_field){"tf_http_duration_ms", NULL, ms};
    f[n++] = (vpcep_log_field){"tf_http_attempt", NULL, rq->attempt};
    if (rs->request_id[0] != '\0')
        f[n++] = (vpcep_log_field){"X-Request-Id", rs->request_id, 0};
    if (rc != 0)
        f[n++] = (vpcep_log_field){"tf_http_error", vpcep_strerror(rc), 0};
    if (rc == 0 && rest_log_enabled(c, VPCEP_LOG_TRACE)) {
        body = rest_redact_body(rs->body, rs->body_len);
        if (body != NULL)
            f[n++] = (vpcep_log_field){"tf_http_res_body", body, 0};
    }
    rest_log_fields(c, VPCEP_LOG_DEBUG, f, n,
                    "vpcep: %s %s -> %ld (%lld ms, request id %s, attempt %d)", rq->method, shown,
                    rc == 0 ? rs->status : 0L, ms, rs->request_id[0] ? rs->request_id : "-",
                    rq->attempt);
    util_free(body);
}

void rest_attempts_start(vpcep_client *c, rest_attempts *a, const char *setting)
{
    memset(a, 0, sizeof(*a));
    a->start_ms = rest_now_ms(c);
    a->setting = setting;
}

/* The least time an attempt is given: a second, or the whole timeout when it is shorter. */
static long min_attempt_ms(const vpcep_client *c)
{
    return c->timeout_ms < REST_MIN_ATTEMPT_MS ? c->timeout_ms : REST_MIN_ATTEMPT_MS;
}

void rest_attempt_begin(vpcep_client *c, rest_attempts *a, rest_http_request *hrq)
{
    int64_t left = c->retry_budget_ms - (rest_now_ms(c) - a->start_ms);
    long t = c->timeout_ms;

    a->sent++;
    if (left < t)
        t = left < min_attempt_ms(c) ? min_attempt_ms(c) : (long)left;
    hrq->timeout_ms = t;
    hrq->connect_timeout_ms = c->connect_timeout_ms < t ? c->connect_timeout_ms : t;
}

static int unreachable(rest_net_failure nf)
{
    return nf == REST_NET_RESOLVE || nf == REST_NET_REFUSED || nf == REST_NET_CONNECT_TIMEOUT;
}

int rest_retry_next(vpcep_client *c,
                    rest_attempts *a,
                    int answered,
                    rest_net_failure nf,
                    long retry_after_s,
                    long *delay_ms)
{
    long delay;

    if (!answered && unreachable(nf) && ++a->unreachable > REST_UNREACHABLE_RETRIES) {
        a->stopped = "unreachable";
        return 0;
    }
    if (a->sent > c->max_retries) {
        a->stopped = "max_retries";
        return 0;
    }
    if (answered && retry_after_s >= 0)
        delay = (retry_after_s > REST_RETRY_AFTER_CAP_S ? REST_RETRY_AFTER_CAP_S : retry_after_s) *
                1000L;
    else
        delay = rest_backoff_jittered(c, a->sent);
    if (rest_now_ms(c) - a->start_ms + delay + min_attempt_ms(c) > c->retry_budget_ms) {
        a->stopped = "retry_budget";
        return 0;
    }
    *delay_ms = delay;
    return 1;
}

void rest_explain_failure(vpcep_client *c,
                          vpcep_error *err,
                          const rest_attempts *a,
                          const char *method,
                          const char *url,
                          int answered,
                          rest_net_failure nf)
{
    char detail[sizeof(err->error_msg)], msg[2048];
    char tried[160], why[96] = "";
    const char *what = "no usable answer", *hint;
    int64_t elapsed = rest_now_ms(c) - a->start_ms;
    int urllen = (int)strcspn(url, "?");

    if (err == NULL)
        return;
    util_strlcpy(detail, err->error_msg, sizeof(detail));
    if (a->stopped != NULL && strcmp(a->stopped, "max_retries") == 0)
        snprintf(why, sizeof(why), ", max_retries = %d", c->max_retries);
    else if (a->stopped != NULL && strcmp(a->stopped, "retry_budget") == 0)
        snprintf(why, sizeof(why), ", retry_budget (%ld s) used up", c->retry_budget_ms / 1000);
    else if (a->stopped != NULL)
        snprintf(why, sizeof(why), "; a server that cannot be reached is retried only %s",
                 REST_UNREACHABLE_RETRIES == 1 ? "once" : "a few times");
    snprintf(tried, sizeof(tried), "%d attempt%s in %lld.%01lld s%s", a->sent,
             a->sent == 1 ? "" : "s", (long long)(elapsed / 1000),
             (long long)(elapsed % 1000 / 100), why);
    if (answered) {
        snprintf(msg, sizeof(msg), "%.300s (%.10s %.*s: %s)", detail, method,
                 urllen > 160 ? 160 : urllen, url, tried);
        util_strlcpy(err->error_msg, msg, sizeof(err->error_msg));
        return;
    }
    switch (nf) {
    case REST_NET_RESOLVE:
        what = "the host name does not resolve";
        hint = "is the URL right?";
        break;
    case REST_NET_REFUSED:
        what = "cannot connect (refused or unreachable)";
        hint = "is the URL right and the API reachable from here?";
        break;
    case REST_NET_CONNECT_TIMEOUT:
        what = "no connection";
        hint = "is the API reachable from here (firewall, proxy)? connect_timeout sets the wait";
        break;
    case REST_NET_TIMEOUT:
        what = "no answer";
        hint = "request_timeout and retry_budget set the waits";
        break;
    default:
        hint = "max_retries sets how often it is retried; for TLS errors see cacert_file";
        break;
    }
    snprintf(msg, sizeof(msg),
             "%.10s %.*s: %.60s (%.200s); %s (connect_timeout %ld ms, request_timeout %ld ms). "
             "Check %.40s: %.100s",
             method, urllen > 160 ? 160 : urllen, url, what, detail, tried, c->connect_timeout_ms,
             c->timeout_ms, a->setting, hint);
    util_strlcpy(err->error_msg, msg, sizeof(err->error_msg));
}

int rest_send_counted(vpcep_client *c,
                      const rest_http_request *rq,
                      rest_http_response *rs,
                      unsigned int *calls,
                      int retry,
                      vpcep_error *err)
{
    char trans_id[24];
    uint64_t seq;
    int64_t t0;
    int rc;

    pthread_mutex_lock(&c->lock);
    seq = ++c->stats.requests;
    if (retry)
        c->stats.retries++;
    pthread_mutex_unlock(&c->lock);
    if (calls != NULL)
        (*calls)++;
    rest_http_response_dispose(rs);
    snprintf(trans_id, sizeof(trans_id), "%llu", (unsigned long long)seq);
    log_request(c, rq, trans_id);
    t0 = rest_now_ms(c);
    rc = c->transport(c->transport_ud, c, rq, rs, err);
    log_response(c, rq, rs, rc, (long long)(rest_now_ms(c) - t0), trans_id);
    return rc;
}

void rest_result_dispose(rest_result *r)
{
    util_free(r->body);
    rest_free_secret(r->subject_token);
    memset(r, 0, sizeof(*r));
}

/* The Authorization header of a request to url (which starts with the client's endpoint):
 * its path and query are the text after the endpoint's authority, split at '?', unless
 * curl would rewrite them (dot segments, a fragment); then curl parses the URL. */
static int sign(vpcep_client *c,
                char **header,
                const char *method,
                const char *url,
                int other_base,
                const char *const *headers,
                size_t n_headers,
                const char *body)
{
    const char *path = url + c->endpoint_path_off, *q;
    size_t body_len = body ? strlen(body) : 0, path_len;

    /* a URL below another base (IAM) is not split at the endpoint's offset */
    if (other_base || !c->path_fast || strstr(path, "/.") != NULL || strchr(path, '#') != NULL)
        return rest_signer_sign_url(c->signer, header, c->access_key, method, url, headers,
                                    n_headers, body, body_len);
    q = strchr(path, '?');
    path_len = q ? (size_t)(q - path) : strlen(path);
    return rest_signer_sign(c->signer, header, c->access_key, method, path, path_len,
                            q ? q + 1 : NULL, q ? strlen(q + 1) : 0, headers, n_headers, body,
                            body_len);
}

/* The Host header of an absolute URL into *out (new): 0, VPCEP_EINVALID or VPCEP_ENOMEM. */
static int host_of(char **out, const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    CURLUcode uc;
    int rc = 0;

    *out = NULL;
    if (u == NULL)
        return VPCEP_ENOMEM;
    uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (uc == CURLUE_OK && curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OUT_OF_MEMORY)
        uc = CURLUE_OUT_OF_MEMORY;
    if (uc != CURLUE_OK) {
        rc = uc == CURLUE_OUT_OF_MEMORY ? VPCEP_ENOMEM : VPCEP_EINVALID;
        goto done;
    }
    *out = util_asprintf("Host: %s%s%s", host, port ? ":" : "", port ? port : "");
    if (*out == NULL)
        rc = VPCEP_ENOMEM;
done:
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

int rest_call(vpcep_client *c, const rest_request *rq, rest_result *res, vpcep_error *err)
{
    rest_http_request hrq;
    rest_http_response rs;
    util_buf url;
    char *authz = NULL, *token_hdr = NULL, *other_host = NULL, *sec_hdr = NULL;
    const char *headers[6];
    int other_base = rq->raw_path && rq->base != NULL;
    char date_hdr[32];
    unsigned int gen = 0;
    int rc = 0, attempt, renewed = 0, retry_count = 0, n;
    vpcep_error local = VPCEP_ERROR_INIT;
    rest_attempts tries;
    rest_net_failure nf;

    if (err == NULL)
        err = &local; /* the API error code drives the retry decision */
    memset(res, 0, sizeof(*res));
    memset(&rs, 0, sizeof(rs));
    rs.retry_after_s = -1;
    util_buf_init(&url, REST_MAX_TEXT_BYTES);
    if (!rq->raw_path && (rc = rest_ensure_project(c, rq->calls, err)) != 0)
        goto done;
    {
        const char *base = rq->raw_path && rq->base != NULL ? rq->base : c->endpoint;
        util_buf_append(&url, base, strlen(base));
    }
    if (!rq->raw_path)
        util_buf_printf(&url, "/v1/%s", c->project_id);
    util_buf_append(&url, rq->path, strlen(rq->path));
    if (rq->query != NULL && rq->query[0] != '\0')
        util_buf_printf(&url, "?%s", rq->query);
    if (url.error) {
        rc = rest_fail(err, rest_util_error(url.error), "cannot build the request URL");
        goto done;
    }
    if (other_base && (rc = host_of(&other_host, url.data)) != 0) {
        rc = rest_fail(err, rc,
                       rc == VPCEP_ENOMEM ? "out of memory" : "cannot parse the request URL");
        goto done;
    }
    if (!other_base && c->host_header == NULL) {
        rc = rest_fail(err, c->host_rc ? c->host_rc : VPCEP_EINVALID,
                       "cannot parse the request URL");
        goto done;
    }
    rest_attempts_start(c, &tries,
                        rq->raw_path && rq->base != NULL ? "auth_url (OS_AUTH_URL)"
                                                         : "endpoint (VPCEP_ENDPOINT)");
    if (c->auth == REST_AUTH_AKSK && c->security_token != NULL) {
        /* temporary AK/SK: the security token travels with every request, signed */
        sec_hdr = util_asprintf("X-Security-Token: %s", c->security_token);
        if (sec_hdr == NULL) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (attempt = 0;; attempt++) {
        if (rest_cancelled(c)) {
            rc = rest_fail(err, VPCEP_ECANCELED, "cancelled");
            goto done;
        }
        n = 0;
        headers[n++] = other_base ? other_host : c->host_header;
        if (rq->body != NULL)
            headers[n++] = "Content-Type: application/json";
        util_free(authz);
        authz = NULL;
        if (c->auth == REST_AUTH_AKSK && (c->agency_name == NULL || rq->own_credentials)) {
            char date[17];
            if (rest_sdk_date(date, time(NULL)) != 0) {
                rc = rest_fail(err, VPCEP_ERROR, "clock error");
                goto done;
            }
            snprintf(date_hdr, sizeof(date_hdr), "X-Sdk-Date: %s", date);
            headers[n++] = date_hdr;
            if (sec_hdr != NULL)
                headers[n++] = sec_hdr;
            util_free(token_hdr);
            token_hdr = NULL;
            rc =
                sign(c, &token_hdr, rq->method, url.data, other_base, headers, (size_t)n, rq->body);
            if (rc != 0) {
                rc = rest_fail(err, rc,
                               rc == VPCEP_ENOMEM ? "out of memory" : "cannot sign the request");
                goto done;
            }
            headers[n++] = token_hdr;
        } else {
            const char *tok = c->token;
            if (c->agency_name != NULL && rq->own_credentials && c->auth == REST_AUTH_PASSWORD) {
                /* the assume_role call with the user's own token (fetched just before) */
                pthread_mutex_lock(&c->lock);
                rest_free_secret(authz);
                authz = c->user_token != NULL ? util_strdup(c->user_token) : NULL;
                pthread_mutex_unlock(&c->lock);
                if (authz == NULL) {
                    rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                    goto done;
                }
                tok = authz;
            } else if (c->auth == REST_AUTH_PASSWORD ||
                       (c->agency_name != NULL && !rq->own_credentials)) {
                if ((rc = rest_fetch_token(c, 0, 0, rq->calls, err)) != 0)
                    goto done;
                pthread_mutex_lock(&c->lock);
                rest_free_secret(authz);
                authz = util_strdup(c->iam_token);
                gen = c->token_gen;
                pthread_mutex_unlock(&c->lock);
                if (authz == NULL) {
                    rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                    goto done;
                }
                tok = authz;
            }
            rest_free_secret(token_hdr);
            token_hdr = util_asprintf("X-Auth-Token: %s", tok);
            if (token_hdr == NULL) {
                rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                goto done;
            }
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
        hrq.attempt = attempt + 1;
        rest_attempt_begin(c, &tries, &hrq);
        rest_error_clear(err);
        rc = rest_send_counted(c, &hrq, &rs, rq->calls, attempt > 0, err);
        if (rc == 0 && rs.status >= 200 && rs.status < 300) {
            res->status = rs.status;
            res->body = rs.body;
            res->body_len = rs.body_len;
            res->subject_token = rs.subject_token;
            rs.body = NULL;
            rs.subject_token = NULL;
            goto done;
        }
        if (rc == VPCEP_ECANCELED || rc == VPCEP_ENOMEM || rc == VPCEP_ETOOLARGE)
            goto done;
        if (rc == 0) {
            long delay;
            rc = rest_error_from_response(err, rs.status, rs.body, rs.body_len, rs.request_id);
            if (rs.status == 401 && !renewed && !rq->own_credentials &&
                (c->auth == REST_AUTH_PASSWORD || c->agency_name != NULL)) {
                renewed = 1;
                rest_log(c, VPCEP_LOG_INFO, "vpcep: token rejected (401), renewing it once");
                if ((rc = rest_fetch_token(c, gen, 1, rq->calls, err)) != 0)
                    goto done;
                continue;
            }
            if (!rest_status_retryable(rs.status, err->error_code))
                goto done;
            if (rq->create && rs.status >= 500) {
                res->outcome_unknown = 1;
                goto done;
            }
            if (!rest_retry_next(c, &tries, 1, REST_NET_OTHER, rs.retry_after_s, &delay)) {
                rest_explain_failure(c, err, &tries, rq->method, url.data, 1, REST_NET_OTHER);
                goto done;
            }
            rest_log(c, VPCEP_LOG_WARN, "vpcep: %s %s: HTTP %ld, retry %d/%d in %ld ms", rq->method,
                     rq->path, rs.status, attempt + 1, c->max_retries, delay);
            retry_count++;
            if ((rc = rest_sleep(c, delay, err)) != 0)
                goto done;
            continue;
        }
        /* Transport failure: no answer. A create that reached a server may have been applied;
         * one that never did (no name, no connection) was not sent and is retried as any. */
        nf = rs.net_failure;
        if (rq->create && nf != REST_NET_RESOLVE && nf != REST_NET_REFUSED &&
            nf != REST_NET_CONNECT_TIMEOUT) {
            res->outcome_unknown = 1;
            rest_explain_failure(c, err, &tries, rq->method, url.data, 0, nf);
            goto done;
        }
        {
            long delay;
            if (!rest_retry_next(c, &tries, 0, nf, -1, &delay)) {
                rest_explain_failure(c, err, &tries, rq->method, url.data, 0, nf);
                goto done;
            }
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
    util_buf_dispose(&url);
    rest_free_secret(authz);
    rest_free_secret(token_hdr);
    rest_free_secret(sec_hdr);
    util_free(other_host);
    return rc;
}
