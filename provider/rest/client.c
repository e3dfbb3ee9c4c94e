/* The client: option validation, defaults, lifetime, accessors and the log hook. */
#include "internal.h"

#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int vpcep_client_options_init(vpcep_client_options *opts, unsigned int version)
{
    return util_version_init(opts, version, NULL, &rest_v_client_options) != 0 ? VPCEP_EINVALID : 0;
}

static int empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

int rest_valid_id(const char *s)
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

/* Copies the http(s) URL s without its trailing slashes into *out: 0, EINVALID (not such a
 * URL: @p what names the option) or ENOMEM. */
static int url_dup(char **out, const char *s, const char *what, vpcep_error *err)
{
    size_t n;

    if ((strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) ||
        strpbrk(s, " \t\r\n?#") != NULL)
        return rest_fail(err, VPCEP_EINVALID, "%s: not an http(s) URL", what);
    n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        n--;
    *out = util_strndup(s, n);
    return *out == NULL ? rest_fail(err, VPCEP_ENOMEM, "out of memory") : 0;
}

static int dup_opt(char **dst, const char *src)
{
    if (empty(src)) {
        *dst = NULL;
        return 0;
    }
    *dst = util_strdup(src);
    return *dst == NULL ? -1 : 0;
}

/* The Host header of the endpoint (host, and port when the URL has one), and whether the
 * endpoint's path as curl parses it is the text after the authority (then request URLs can be
 * split without a parser). Sets c->host_header or c->host_rc (EINVALID: not a URL curl takes);
 * returns VPCEP_ENOMEM or 0. */
static int endpoint_parts(vpcep_client *c)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *path = NULL;
    const char *auth = strstr(c->endpoint, "://"), *slash;
    CURLUcode uc;
    int rc = 0;

    if (u == NULL)
        return VPCEP_ENOMEM;
    uc = curl_url_set(u, CURLUPART_URL, c->endpoint, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (uc == CURLUE_OK) {
        uc = curl_url_get(u, CURLUPART_PORT, &port, 0);
        if (uc != CURLUE_OUT_OF_MEMORY)
            uc = CURLUE_OK; /* no port in the URL */
    }
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_PATH, &path, 0);
    if (uc != CURLUE_OK) {
        if (uc == CURLUE_OUT_OF_MEMORY)
            rc = VPCEP_ENOMEM;
        else
            c->host_rc = VPCEP_EINVALID;
        goto done;
    }
    c->host_header = util_asprintf("Host: %s%s%s", host, port ? ":" : "", port ? port : "");
    if (c->host_header == NULL) {
        rc = VPCEP_ENOMEM;
        goto done;
    }
    if (auth != NULL) {
        slash = strchr(auth + 3, '/');
        c->endpoint_path_off = slash ? (size_t)(slash - c->endpoint) : strlen(c->endpoint);
        /* curl says "/" for no path; anything it rewrites (dot segments) takes the slow way */
        c->path_fast = strcmp(path, slash ? slash : "/") == 0 && strstr(path, "/.") == NULL;
    }
done:
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
    return rc;
}

int vpcep_client_new(vpcep_client **out, const vpcep_client_options *caller_opts, vpcep_error *err)
{
    vpcep_client_options opts_v;
    const vpcep_client_options *opts = &opts_v;
    vpcep_client *c = NULL;
    long connect_timeout_ms = 0, retry_budget_ms = 0;
    int rc = 0;

    rest_error_clear(err);
    if (out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "out must not be NULL");
    *out = NULL;
    if ((rc = rest_version_read(&opts_v, sizeof(opts_v), caller_opts, &rest_v_client_options,
                                err)) != 0)
        return rc;
    if (rest_transport_global_init() != 0)
        return rest_fail(err, VPCEP_ERROR, "libcurl initialisation failed");

    c = util_calloc(1, sizeof(*c));
    if (c == NULL)
        return rest_fail(err, VPCEP_ENOMEM, "out of memory");
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->token_lock, NULL);
    c->transport = rest_curl_transport;

    if (!empty(opts->region) && !rest_valid_id(opts->region)) {
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
    if (opts->version >= 2 &&
        (dup_opt(&c->project_name, opts->project_name) || dup_opt(&c->domain_id, opts->domain_id) ||
         dup_opt(&c->security_token, opts->security_token) ||
         dup_opt(&c->agency_name, opts->agency_name) ||
         dup_opt(&c->agency_domain_name, opts->agency_domain_name) ||
         dup_opt(&c->delegated_project, opts->delegated_project))) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    if (c->project_name != NULL &&
        (strlen(c->project_name) > 64 || strpbrk(c->project_name, "/?#&= \t\r\n") != NULL)) {
        rc = rest_fail(err, VPCEP_EINVALID, "project_name: invalid value");
        goto done;
    }
    if (c->domain_id != NULL && !rest_valid_id(c->domain_id)) {
        rc = rest_fail(err, VPCEP_EINVALID, "domain_id: invalid value");
        goto done;
    }
    if (c->project_id != NULL && !rest_valid_id(c->project_id)) {
        rc = rest_fail(err, VPCEP_EINVALID, "project_id: invalid value");
        goto done;
    }
    /* Endpoint */
    if (!empty(opts->endpoint)) {
        if ((rc = url_dup(&c->endpoint, opts->endpoint, "endpoint", err)) != 0)
            goto done;
    } else if (c->region != NULL) {
        c->endpoint = rest_default_endpoint(c->region);
        if (c->endpoint == NULL) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
    } else {
        rc = rest_fail(err, VPCEP_EINVALID, "region or endpoint is required");
        goto done;
    }
    /* Credentials */
    if (c->access_key != NULL || c->secret_key != NULL) {
        if (c->access_key == NULL || c->secret_key == NULL) {
            rc = rest_fail(err, VPCEP_EINVALID, "access_key and secret_key must be given together");
            goto done;
        }
        c->auth = REST_AUTH_AKSK;
        if (c->security_token != NULL && strpbrk(c->security_token, "\r\n") != NULL) {
            rc = rest_fail(err, VPCEP_EINVALID, "security_token: must be one line");
            goto done;
        }
        rc = rest_signer_new(&c->signer, c->secret_key);
        if (rc != 0) {
            rc = rest_fail(err, rc,
                           rc == VPCEP_ENOMEM ? "out of memory" : "cannot set up request signing");
            goto done;
        }
    } else if (c->token != NULL) {
        c->auth = REST_AUTH_TOKEN;
    } else if (c->user_name != NULL || c->password != NULL) {
        if (c->user_name == NULL || c->password == NULL ||
            (c->domain_name == NULL && c->domain_id == NULL)) {
            rc = rest_fail(err, VPCEP_EINVALID,
                           "password authentication needs user_name, password and domain_name "
                           "(or domain_id)");
            goto done;
        }
        c->auth = REST_AUTH_PASSWORD;
        if (c->project_id == NULL && c->project_name == NULL && c->region == NULL) {
            rc = rest_fail(err, VPCEP_EINVALID,
                           "password authentication needs project_id, "
                           "project_name or region for the scope");
            goto done;
        }
    } else {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "no credentials: set access_key/secret_key, token, or "
                       "user_name/password/domain_name");
        goto done;
    }
    if (c->security_token != NULL && c->auth != REST_AUTH_AKSK) {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "security_token belongs to temporary access_key and secret_key");
        goto done;
    }
    if ((c->agency_name == NULL) != (c->agency_domain_name == NULL)) {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "agency_name and agency_domain_name must be given together");
        goto done;
    }
    if (c->agency_name != NULL && c->delegated_project == NULL && c->region == NULL &&
        c->project_id == NULL) {
        rc = rest_fail(err, VPCEP_EINVALID, "an agency needs delegated_project or region");
        goto done;
    }
    if (c->auth != REST_AUTH_PASSWORD && c->agency_name == NULL && c->project_id == NULL &&
        c->project_name == NULL) {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "project_id (or project_name) is required with AK/SK or token auth");
        goto done;
    }
    if (!empty(opts->auth_url)) {
        if ((rc = url_dup(&c->auth_url, opts->auth_url, "auth_url", err)) != 0)
            goto done;
    } else if (c->region != NULL) {
        c->auth_url = rest_default_auth_url(c->region);
        if (c->auth_url == NULL) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
    } else if (c->auth == REST_AUTH_PASSWORD || c->project_id == NULL || c->agency_name != NULL) {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "auth_url or region is required for password auth and project lookups");
        goto done;
    }
    connect_timeout_ms = opts->connect_timeout_ms; /* version 3; 0 in an older caller's copy */
    retry_budget_ms = opts->retry_budget_ms;
    if (opts->timeout_ms < 0 || opts->max_retries < VPCEP_RETRIES_NONE || opts->max_retries > 100 ||
        opts->retry_base_ms < 0 || opts->retry_cap_ms < 0 || connect_timeout_ms < 0 ||
        retry_budget_ms < 0) {
        rc = rest_fail(err, VPCEP_EINVALID,
                       "timeout_ms, connect_timeout_ms, retry_budget_ms, max_retries (-1..100) "
                       "and retry delays must not be negative");
        goto done;
    }
    c->timeout_ms = opts->timeout_ms ? opts->timeout_ms : VPCEP_DEFAULT_TIMEOUT_MS;
    c->connect_timeout_ms =
        connect_timeout_ms ? connect_timeout_ms : VPCEP_DEFAULT_CONNECT_TIMEOUT_MS;
    if (c->connect_timeout_ms > c->timeout_ms)
        c->connect_timeout_ms = c->timeout_ms;
    c->retry_budget_ms = retry_budget_ms ? retry_budget_ms : VPCEP_DEFAULT_RETRY_BUDGET_MS;
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
        c->user_agent = util_strdup(opts->user_agent);
    } else {
        c->user_agent = util_asprintf("vpcep-c/%d.%d.%d", VPCEP_VERSION_MAJOR, VPCEP_VERSION_MINOR,
                                      VPCEP_VERSION_PATCH);
    }
    if (c->user_agent == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    c->log = opts->log;
    c->log_ud = opts->log_ud;
    c->log_fields = opts->log_fields; /* version 2; NULL in the copy of a version 1 caller's */
    c->log_enabled = opts->log_enabled;
    c->cancelled = opts->cancelled;
    c->cancel_ud = opts->cancel_ud;
    c->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)(uintptr_t)c ^ 0x9e3779b97f4a7c15ULL;
    if (c->rng == 0)
        c->rng = 1;
    if (endpoint_parts(c) != 0) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    c->curl_share = rest_share_new();
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

/* The Swiss cloud (eu-ch2) has its own domain, and its IAM is "iam-pub". */
static int swiss(const char *region)
{
    return strcmp(region, "eu-ch2") == 0;
}

char *rest_default_endpoint(const char *region)
{
    return swiss(region) ? util_asprintf("https://vpcep.%s.sc.otc.t-systems.com", region)
                         : util_asprintf("https://vpcep.%s.otc.t-systems.com", region);
}

char *rest_default_auth_url(const char *region)
{
    return swiss(region) ? util_asprintf("https://iam-pub.%s.sc.otc.t-systems.com/v3", region)
                         : util_asprintf("https://iam.%s.otc.t-systems.com/v3", region);
}

void rest_free_secret(char *s)
{
    if (s == NULL)
        return;
    memset(s, 0, strlen(s));
    util_free(s);
}

void vpcep_client_free(vpcep_client *c)
{
    if (c == NULL)
        return;
    util_free(c->region);
    util_free(c->endpoint);
    util_free(c->project_id);
    util_free(c->project_name);
    util_free(c->domain_id);
    rest_free_secret(c->security_token);
    util_free(c->agency_name);
    util_free(c->agency_domain_name);
    util_free(c->delegated_project);
    rest_free_secret(c->user_token);
    util_free(c->access_key);
    rest_free_secret(c->secret_key);
    rest_free_secret(c->token);
    util_free(c->user_name);
    rest_free_secret(c->password);
    util_free(c->domain_name);
    util_free(c->auth_url);
    util_free(c->cacert_file);
    util_free(c->user_agent);
    rest_free_secret(c->iam_token);
    rest_signer_free(c->signer);
    util_free(c->host_header);
    rest_share_free(c->curl_share);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->token_lock);
    util_free(c);
}

const char *vpcep_client_endpoint(const vpcep_client *client)
{
    return client != NULL ? client->endpoint : NULL;
}

int vpcep_client_get_stats(vpcep_client_stats *out, const vpcep_client *client)
{
    vpcep_client_stats now;

    if (client == NULL || out == NULL)
        return VPCEP_EINVALID;
    pthread_mutex_lock((pthread_mutex_t *)&client->lock);
    now = client->stats;
    pthread_mutex_unlock((pthread_mutex_t *)&client->lock);
    return util_version_write(out, &now, &rest_v_client_stats) != 0 ? VPCEP_EINVALID : 0;
}

int rest_log_enabled(vpcep_client *c, int level)
{
    if (c->log_fields != NULL)
        return c->log_enabled == NULL || c->log_enabled(c->log_ud, level);
    return c->log != NULL && level > VPCEP_LOG_TRACE; /* the plain sink gets no TRACE lines */
}

static void rest_vlog_fields(
    vpcep_client *c, int level, const vpcep_log_field *f, size_t n, const char *fmt, va_list ap)
    UTIL_PRINTF(5, 0);

static void rest_vlog_fields(
    vpcep_client *c, int level, const vpcep_log_field *f, size_t n, const char *fmt, va_list ap)
{
    char msg[1024];

    if (!rest_log_enabled(c, level))
        return;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (c->log_fields != NULL)
        c->log_fields(c->log_ud, level, msg, f, n);
    else
        c->log(c->log_ud, level, msg);
}

void rest_log(vpcep_client *c, int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rest_vlog_fields(c, level, NULL, 0, fmt, ap);
    va_end(ap);
}

void rest_log_fields(
    vpcep_client *c, int level, const vpcep_log_field *f, size_t n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rest_vlog_fields(c, level, f, n, fmt, ap);
    va_end(ap);
}
