/*
 * Internal interfaces of the VPCEP client (provider/rest). Not installed; the unit tests
 * include it to reach the transport seam and the helpers.
 */
#ifndef VPCEP_REST_INTERNAL_H
#define VPCEP_REST_INTERNAL_H

#include "util.h"

#include <vpcep/sys/clock.h>
#include <vpcep/sys/decode.h>
#include <vpcep/sys/policy.h>
#include <vpcep/sys/sign.h>
#include <vpcep/vpcep.h>

#include <cjson/cJSON.h>

#include <pthread.h>
#include <stdarg.h>

#define REST_HIDDEN __attribute__((visibility("hidden")))

/* Bound of the texts the client builds itself (URLs, queries, canonical requests, headers). */
#define REST_MAX_TEXT_BYTES (1024u * 1024u)

/* ---- errors ----------------------------------------------------------------------------- */
REST_HIDDEN int rest_fail(vpcep_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
REST_HIDDEN void rest_error_clear(vpcep_error *err);
/* The VPCEP_E* code of a provider/util code (UTIL_ENOMEM, UTIL_ETOOLARGE, ...); 0 stays 0. */
REST_HIDDEN int rest_util_error(int util_rc);
/* Fills err from an HTTP answer (status + body with error_code/error_msg); returns the code. */
REST_HIDDEN int rest_error_from_response(
    vpcep_error *err, long status, const char *body, size_t len, const char *request_id);
/* 1 if the answer should be retried (429, 5xx, EndPoint.0022). */
REST_HIDDEN int rest_status_retryable(long status, const char *api_code);

/* ---- versioned public structs (version.c, the policy of util.h) ------------------------ */
REST_HIDDEN extern const util_versions rest_v_client_options, rest_v_client_stats, rest_v_wait_spec,
    rest_v_wait_stats, rest_v_service_create_opts, rest_v_service_list_opts,
    rest_v_service_update_opts, rest_v_public_service_list_opts, rest_v_connection_list_opts,
    rest_v_permission_list_opts, rest_v_endpoint_create_opts, rest_v_endpoint_list_opts,
    rest_v_resource_query_opts;
/* Every table above, NULL-terminated (the unit test checks each against its struct). */
REST_HIDDEN extern const util_versions *const rest_versions[];
/* util_version_read()/_write() that explain a refused version in @p err (VPCEP_EINVALID). */
REST_HIDDEN int rest_version_read(
    void *dst, size_t dst_size, const void *caller, const util_versions *v, vpcep_error *err);
REST_HIDDEN int
rest_version_write(void *caller, const void *src, const util_versions *v, vpcep_error *err);

/* ---- create markers and claims (create.c) ---------------------------------------------- */
/* Bytes of a marker with its NUL: "<8 hex time>-<32 hex random>". */
#define REST_MARKER_SIZE 42
/* The API's cap on tags per resource (10: the VPCEP user guide's rule, which the provider
 * validates): a create with fewer user tags carries a marker. */
#define REST_MAX_TAGS 10
/* A new marker for one create call into out, remembered as this process's own: 0, VPCEP_ENOMEM,
 * VPCEP_ERROR (no randomness). */
REST_HIDDEN int rest_marker_new(char out[REST_MARKER_SIZE]);
/* 1 if this process issued the marker @p value. */
REST_HIDDEN int rest_marker_is_own(const char *value);
/* Seconds since the marker was issued (by any process), -1 if it is not a marker. */
REST_HIDDEN long long rest_marker_age_s(const char *value);
/* Claims an object ID for this process: 0 newly claimed, 1 already claimed (by another create
 * of this process), VPCEP_ENOMEM. */
REST_HIDDEN int rest_claim(const char *id);
/* 1 if a create of this process returned or adopted @p id. */
REST_HIDDEN int rest_is_claimed(const char *id);
/* The value of tag @p key (borrowed), NULL when absent. */
REST_HIDDEN const char *rest_tag_value(vpcep_tag *const *tags, size_t n, const char *key);

/* ---- HTTP seam -------------------------------------------------------------------------- */
typedef struct rest_http_request {
    const char *method;
    const char *url;
    const char *const *headers; /* "Name: value" */
    size_t n_headers;
    const char *body;
    size_t body_len;
    /* A new connection: libcurl silently re-sends a request whose reused connection died
     * before an answer, which must never happen to a create (it could apply twice). */
    int fresh_connection;
    int attempt;             /* 1 for the first sending, for the logs */
    long timeout_ms;         /* this attempt's timeout (0: the client's timeout_ms) */
    long connect_timeout_ms; /* this attempt's connect timeout (0: the client's) */
} rest_http_request;

/* Where an exchange without an answer failed; what the retry policy and the messages use. */
typedef enum rest_net_failure {
    REST_NET_OTHER = 0,       /* after connecting (reset, closed, protocol, TLS...) */
    REST_NET_RESOLVE,         /* the host name did not resolve */
    REST_NET_REFUSED,         /* connection refused, host or network unreachable */
    REST_NET_CONNECT_TIMEOUT, /* no connection within the connect timeout */
    REST_NET_TIMEOUT          /* connected, but no (complete) answer within the timeout */
} rest_net_failure;

typedef struct rest_http_response {
    long status;
    char *body; /* NUL-terminated, owned */
    size_t body_len;
    char request_id[128];
    long retry_after_s;           /* -1 when absent */
    char *subject_token;          /* X-Subject-Token, owned, or NULL */
    rest_net_failure net_failure; /* set by the transport when it returns no answer */
} rest_http_response;

REST_HIDDEN void rest_http_response_dispose(rest_http_response *rs);

/* Performs one HTTP exchange. 0 when an answer (any status) arrived; else ETRANSPORT,
 * ETIMEOUT, ECANCELED, ETOOLARGE, ENOMEM with err filled. */
typedef int (*rest_transport_fn)(void *ud,
                                 vpcep_client *client,
                                 const rest_http_request *rq,
                                 rest_http_response *rs,
                                 vpcep_error *err);

/* Replaces the transport (tests). NULL restores libcurl. */
REST_HIDDEN void rest_client_set_transport(vpcep_client *client, rest_transport_fn fn, void *ud);

/* ---- the libcurl transport (transport.c) ------------------------------------------------ */
/* curl_global_init, once per process: 0, or -1 when libcurl cannot be initialised. */
REST_HIDDEN int rest_transport_global_init(void);
/* The CA certificates a transfer verifies the peer with. The plugin carries its own libcurl,
 * built without a compiled-in CA file (it runs on any distribution), so this finds the
 * system's: cacert_file (the user's option) if set, else env_file (SSL_CERT_FILE), else
 * env_dir (SSL_CERT_DIR) as a directory, else the first of bundles (NULL-terminated) that is
 * a readable file, else the first of dirs that is a directory. Sets *file or *dir (the other
 * NULL); both NULL when nothing is found (then OpenSSL's default paths apply). Empty strings
 * count as unset. */
REST_HIDDEN void rest_ca_locate(const char *cacert_file,
                                const char *env_file,
                                const char *env_dir,
                                const char *const *bundles,
                                const char *const *dirs,
                                const char **file,
                                const char **dir);
/* The system bundles rest_ca_locate looks for, in order (NULL-terminated): Debian/Ubuntu,
 * Fedora/RHEL, openSUSE, Alpine/macOS-style; and the directories. */
extern REST_HIDDEN const char *const rest_ca_bundles[];
extern REST_HIDDEN const char *const rest_ca_dirs[];
/* The default transport (libcurl). */
REST_HIDDEN int rest_curl_transport(void *ud,
                                    vpcep_client *c,
                                    const rest_http_request *rq,
                                    rest_http_response *rs,
                                    vpcep_error *err);
/* The connection, DNS and TLS-session cache shared by one client's transfers (NULL on ENOMEM);
 * rest_share_free(NULL) is a no-op. */
REST_HIDDEN void *rest_share_new(void);
REST_HIDDEN void rest_share_free(void *share);

typedef struct rest_signer rest_signer; /* sign.c */

typedef enum rest_auth_mode {
    REST_AUTH_AKSK = 1,
    REST_AUTH_TOKEN,
    REST_AUTH_PASSWORD
} rest_auth_mode;

struct vpcep_client {
    char *region;
    char *endpoint; /* no trailing slash */
    char *project_id;
    char *project_name;   /* scope / lookup by name (project_id NULL) */
    char *domain_id;      /* the user's domain by ID (password auth) */
    char *security_token; /* temporary AK/SK: sent as X-Security-Token, signed */
    char *agency_name;    /* assume role: requests use the agency's token (iam_token) */
    char *agency_domain_name;
    char *delegated_project; /* the agency token's project (default: the region's name) */
    char *user_token;        /* agency with password auth: the user's own token */
    char *access_key;
    char *secret_key;
    char *token;
    char *user_name;
    char *password;
    char *domain_name;
    char *auth_url; /* no trailing slash */
    char *cacert_file;
    char *user_agent;
    int insecure;
    long timeout_ms;         /* one attempt, connect included */
    long connect_timeout_ms; /* <= timeout_ms */
    long retry_budget_ms;    /* all attempts of one request and the waits between them */
    int max_retries;
    size_t max_body_bytes;
    long retry_base_ms;
    long retry_cap_ms;
    void (*log)(void *ud, int level, const char *msg);
    void (*log_fields)(
        void *ud, int level, const char *msg, const vpcep_log_field *fields, size_t n);
    int (*log_enabled)(void *ud, int level);
    void *log_ud;
    int (*cancelled)(void *ud);
    void *cancel_ud;
    void (*sleep)(void *ud, long ms);
    int64_t (*now_ms)(void *ud);
    void *clock_ud;
    rest_auth_mode auth;
    rest_signer *signer; /* AK/SK auth */
    /* "Host: ..." of the endpoint (NULL with host_rc: EINVALID when curl cannot parse the
     * endpoint, which every request then reports) and where the endpoint's path starts in it
     * (path_fast: the offset splits requests' URLs exactly as curl does). */
    char *host_header;
    int host_rc;
    size_t endpoint_path_off;
    int path_fast;

    pthread_mutex_t lock; /* guards everything below */
    char *iam_token;      /* password auth: current token */
    unsigned int token_gen;
    uint64_t rng;
    vpcep_client_stats stats;

    rest_transport_fn transport;
    void *transport_ud;
    void *curl_share;           /* rest_share_new() (transport.c) */
    pthread_mutex_t token_lock; /* serialises IAM token requests */
};

/* ---- request layer ---------------------------------------------------------------------- */
typedef struct rest_request {
    const char *method;
    const char *path; /* below /v1/{project_id}, e.g. "/vpc-endpoint-services"; or absolute
                         from the endpoint root when raw_path is set */
    int raw_path;
    const char *base;    /* with raw_path: the base URL instead of the endpoint (IAM calls) */
    const char *query;   /* encoded, without '?', or NULL */
    const char *body;    /* JSON or NULL */
    int create;          /* outcome-unknown failures are not retried (caller looks up first) */
    unsigned int *calls; /* optional counter of HTTP requests */
    int own_credentials; /* with an agency: authenticate as the caller itself (AK/SK, its
                            token or the user's password token), not with the agency token */
} rest_request;

typedef struct rest_result {
    long status;
    char *body;
    size_t body_len;
    int outcome_unknown; /* create: transport failure or 5xx, the object may exist */
    char *subject_token; /* X-Subject-Token of the answer (a secret), or NULL */
} rest_result;

REST_HIDDEN void rest_result_dispose(rest_result *r);
/* Sends the request with authentication, retries and error mapping. 0 on a 2xx answer. */
REST_HIDDEN int
rest_call(vpcep_client *c, const rest_request *rq, rest_result *res, vpcep_error *err);
REST_HIDDEN void rest_log(vpcep_client *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A log line with structured fields (the plain log sink gets the message only). */
REST_HIDDEN void rest_log_fields(
    vpcep_client *c, int level, const vpcep_log_field *fields, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* 1 if a line at level would reach a sink (TRACE only reaches log_fields). */
REST_HIDDEN int rest_log_enabled(vpcep_client *c, int level);
/* A copy of an HTTP body fit for a log (new, util_free): a JSON text with the values of
 * members named like credentials replaced by "[REDACTED]"; a placeholder for a body that is
 * not JSON; NULL on ENOMEM. */
REST_HIDDEN char *rest_redact_body(const char *body, size_t len);
/* 1 if an HTTP header "Name: value" carries a credential (its value is never logged). */
REST_HIDDEN int rest_secret_header(const char *line);
REST_HIDDEN int rest_cancelled(vpcep_client *c);
/* Sleeps ms (honouring cancellation): 0 or VPCEP_ECANCELED. */
REST_HIDDEN int rest_sleep(vpcep_client *c, long ms, vpcep_error *err);
REST_HIDDEN int64_t rest_now_ms(vpcep_client *c);
/* Backoff with jitter in [d/2, d] where d = vpcep_backoff_delay_ms(attempt). */
REST_HIDDEN long rest_backoff_jittered(vpcep_client *c, int attempt);

/* ---- retry policy (request.c) ----------------------------------------------------------- */
/* A request that never reached a server (REST_NET_RESOLVE, _REFUSED, _CONNECT_TIMEOUT) is
 * retried at most this often: fail fast when nothing listens there. */
#define REST_UNREACHABLE_RETRIES 1
/* No retry starts with less than this much of the retry budget left. */
#define REST_MIN_ATTEMPT_MS 1000L

/* The attempts of one request: when they started, how many, and why retrying stopped. */
typedef struct rest_attempts {
    int64_t start_ms;
    int sent;            /* attempts made */
    int unreachable;     /* of which never reached a server */
    const char *stopped; /* NULL, "max_retries", "retry_budget" or "unreachable" */
    const char *setting; /* the URL option to check: "endpoint (VPCEP_ENDPOINT)", ... */
} rest_attempts;

REST_HIDDEN void rest_attempts_start(vpcep_client *c, rest_attempts *a, const char *setting);
/* Counts the attempt and sets its timeouts from the client's and what is left of the budget. */
REST_HIDDEN void rest_attempt_begin(vpcep_client *c, rest_attempts *a, rest_http_request *hrq);
/* After a retryable failure (an answer when answered, else a transport failure of kind nf):
 * 1 and *delay_ms when another attempt may be made, 0 when not (a->stopped says why). */
REST_HIDDEN int rest_retry_next(vpcep_client *c,
                                rest_attempts *a,
                                int answered,
                                rest_net_failure nf,
                                long retry_after_s,
                                long *delay_ms);
/* Rewrites err->error_msg of a failed request to name method and URL (query left out), what
 * failed, the attempts and their time, and the setting to check. answered: the failure is an
 * HTTP answer (its message is kept and the attempts are appended); else a transport failure
 * of kind nf. */
REST_HIDDEN void rest_explain_failure(vpcep_client *c,
                                      vpcep_error *err,
                                      const rest_attempts *a,
                                      const char *method,
                                      const char *url,
                                      int answered,
                                      rest_net_failure nf);

/* Counts one HTTP request (and a retry) in the client's stats and in *calls, then performs
 * it through the client's transport (rs is disposed first). */
REST_HIDDEN int rest_send_counted(vpcep_client *c,
                                  const rest_http_request *rq,
                                  rest_http_response *rs,
                                  unsigned int *calls,
                                  int retry,
                                  vpcep_error *err);

/* ---- client (client.c) ------------------------------------------------------------------ */
/* 1 when s is 1..64 characters of letters, digits, '-' and '_' (region, project IDs). */
REST_HIDDEN int rest_valid_id(const char *s);
/* Wipes and frees a secret (NULL is a no-op). */
REST_HIDDEN void rest_free_secret(char *s);

/* ---- IAM token (token.c) ---------------------------------------------------------------- */
/* Fetches a new token when the current one is missing or (force) is generation stale_gen. */
REST_HIDDEN int rest_fetch_token(
    vpcep_client *c, unsigned int stale_gen, int force, unsigned int *calls, vpcep_error *err);
/* The default API and IAM base URLs of a region (new, util_free; NULL on ENOMEM): the Swiss
 * cloud eu-ch2 lives under *.eu-ch2.sc.otc.t-systems.com, its IAM at iam-pub. */
REST_HIDDEN char *rest_default_endpoint(const char *region);
REST_HIDDEN char *rest_default_auth_url(const char *region);
/* Makes sure the client knows its project ID (from the token with password auth, looked up
 * by project_name otherwise). */
REST_HIDDEN int rest_ensure_project(vpcep_client *c, unsigned int *calls, vpcep_error *err);

/* ---- signing ---------------------------------------------------------------------------- */
REST_HIDDEN int rest_sdk_date(char out[17], time_t t);
/* Canonical request text for tests (caller frees). */
REST_HIDDEN int rest_canonical_request(const char *method,
                                       const char *url,
                                       const char *const *headers,
                                       size_t n_headers,
                                       const void *body,
                                       size_t body_len,
                                       char **canonical,
                                       char **signed_headers);
REST_HIDDEN void rest_sha256_hex(const void *data, size_t len, char out[65]);
/* A client's signer: HMAC-SHA256 keyed with the secret key and SHA-256, set up once and used
 * by any number of threads at once. 0, VPCEP_ENOMEM or VPCEP_ERROR (OpenSSL). */
REST_HIDDEN int rest_signer_new(rest_signer **out, const char *secret_key);
REST_HIDDEN void rest_signer_free(rest_signer *s);
/* The "Authorization: ..." header (util_free) of a request whose URL has the given path and
 * query (encoded, without '?'; query_len 0 when none), exactly as curl would parse them (no
 * dot segments). 0, VPCEP_EINVALID (no X-Sdk-Date, a header without ':'), VPCEP_ENOMEM,
 * VPCEP_ETOOLARGE or VPCEP_ERROR. */
REST_HIDDEN int rest_signer_sign(const rest_signer *s,
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
                                 size_t body_len);
/* The same for an absolute URL, parsed by curl (also VPCEP_EINVALID for a bad URL). */
REST_HIDDEN int rest_signer_sign_url(const rest_signer *s,
                                     char **header,
                                     const char *access_key,
                                     const char *method,
                                     const char *url,
                                     const char *const *headers,
                                     size_t n_headers,
                                     const void *body,
                                     size_t body_len);

/* ---- JSON helpers ----------------------------------------------------------------------- */
REST_HIDDEN cJSON *rest_json_parse(const char *json, size_t len);
/* Parses a JSON object into *out (cJSON_Delete): 0, VPCEP_ENOMEM, or VPCEP_EINVALID when the
 * text is not JSON or not an object (*out NULL). */
REST_HIDDEN int rest_json_parse_object(cJSON **out, const char *json, size_t len);
REST_HIDDEN char *rest_json_str(const cJSON *obj, const char *key);
REST_HIDDEN int rest_json_bool(const cJSON *obj, const char *key, int *value);
REST_HIDDEN int rest_json_int64(const cJSON *obj, const char *key, int64_t *value);
REST_HIDDEN int rest_decode_service_obj(const cJSON *o, vpcep_service *s);
REST_HIDDEN int rest_decode_endpoint_obj(const cJSON *o, vpcep_endpoint *e);
REST_HIDDEN int rest_decode_connection_obj(const cJSON *o, vpcep_connection *c);
REST_HIDDEN void rest_service_dispose(vpcep_service *s);
REST_HIDDEN void rest_endpoint_dispose(vpcep_endpoint *e);
REST_HIDDEN void rest_connection_dispose(vpcep_connection *c);

/* How to decode and free one element of an API array (one vpcep_* model struct). */
typedef struct rest_item_kind {
    const char *key; /* the array's key in a list answer (NULL for nested arrays) */
    size_t size;     /* sizeof the model struct */
    int (*decode)(const cJSON *o, void *item);
    void (*dispose)(void *item); /* frees the members, not the item */
} rest_item_kind;

/* What every vpcep_*_list holds: the items (an array of pointers to separately allocated model
 * structs), their count and the API's total_count (the count when the answer has none). */
typedef struct rest_items {
    void **items;
    size_t count;
    int64_t total;
} rest_items;

REST_HIDDEN extern const rest_item_kind rest_service_kind;
REST_HIDDEN extern const rest_item_kind rest_service_info_kind;
REST_HIDDEN extern const rest_item_kind rest_connection_kind;
REST_HIDDEN extern const rest_item_kind rest_permission_kind;
REST_HIDDEN extern const rest_item_kind rest_endpoint_kind;
REST_HIDDEN extern const rest_item_kind rest_tagged_resource_kind;

/* Decodes the array under k->key of a JSON object answer (ENOMEM, EINVALID if not an object). */
REST_HIDDEN int
rest_decode_items(const char *json, size_t len, const rest_item_kind *k, rest_items *out);
/* Disposes and frees count items of kind k (NULL elements skipped) and frees the array. */
REST_HIDDEN void rest_dispose_items(const rest_item_kind *k, void **items, size_t count);

/* Internal getters that count HTTP calls (waiters). */
REST_HIDDEN int rest_service_get(
    vpcep_client *c, vpcep_service **out, const char *id, unsigned int *calls, vpcep_error *err);
REST_HIDDEN int rest_endpoint_get(
    vpcep_client *c, vpcep_endpoint **out, const char *id, unsigned int *calls, vpcep_error *err);
REST_HIDDEN int rest_connection_find(vpcep_client *c,
                                     vpcep_connection **out,
                                     const char *service_id,
                                     const char *endpoint_id,
                                     unsigned int *calls,
                                     vpcep_error *err);

#endif
