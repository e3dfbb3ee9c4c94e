/**
 * @file vpcep/client.h
 * @brief The client handle: configuration, authentication, transport, retries.
 *
 * A ::vpcep_client is opaque and thread-safe: several threads may issue calls on the same
 * client at once (each call uses its own transfer; connections, DNS and TLS sessions are
 * shared and reused). The client copies everything it is given; the options struct and its
 * strings may be freed as soon as vpcep_client_new() returns.
 *
 * Authentication (the first that applies):
 *  1. access_key + secret_key: every request is signed (SDK-HMAC-SHA256, `Access=` form);
 *     temporary keys add their security_token (X-Security-Token, signed too).
 *  2. token: sent as X-Auth-Token.
 *  3. user_name + password + domain_name (or domain_id): exchanged for a token with
 *     `POST {auth_url}/auth/tokens` (project scope by project_id, else by project_name, else by
 *     the region's name) on the first call; the project ID is taken from the token body when
 *     not given; on a 401 the token is renewed once and the request repeated.
 * With an agency (agency_name + agency_domain_name), those credentials only obtain the agency's
 * token (`assume_role`), renewed like a password token; every API call uses it.
 * With AK/SK or a token and no project_id, the ID of project_name is looked up once with
 * `GET {auth_url}/projects?name=...` (signed or with the token) before the first call.
 *
 * Retries: HTTP 429, 5xx, `EndPoint.0022` and transport failures are retried up to
 * max_retries times with capped, jittered exponential backoff (base retry_base_ms, doubled
 * each attempt, capped at retry_cap_ms, full jitter in [delay/2, delay]); a `Retry-After`
 * header (seconds) is honoured (capped at 60 s). Creates (POST of a new service or endpoint)
 * whose outcome is unknown (transport failure, 5xx) are never re-sent blindly: the library
 * first looks the object up (see vpcep/api.h) and adopts it if it was created. A 401 with
 * password auth renews the token once and repeats the request; other errors are returned.
 *
 * Failing fast: a request that never reached a server (the host name does not resolve, the
 * connection is refused or unreachable, or no connection within connect_timeout_ms) is
 * retried at most once, as nothing listening there now is unlikely to listen a second later;
 * such a create was never sent, so it is retried like any request. Every attempt is bounded by
 * timeout_ms (connect included), and all attempts of one request together, with the waits
 * between them, by retry_budget_ms: no retry starts when less than a second of it would be
 * left, and the last attempt's timeout is cut to what remains. The error message of a request
 * that failed without an answer, or after retries, names the method and URL, the number of
 * attempts and the time they took, and the option to check (endpoint or auth_url, timeout,
 * budget or max_retries).
 *
 * Logging: the log callback receives one line per request at VPCEP_LOG_DEBUG (method, path,
 * status, duration, request ID, attempt) and retry notices at VPCEP_LOG_WARN. Secrets (keys,
 * passwords, tokens, signatures) are never passed to it. The structured log_fields callback
 * (options version 2) receives the same lines with their data as fields named like
 * terraform-plugin-sdk's HTTP transport (`tf_http_op_type` "request"/"response",
 * `tf_http_trans_id`, `tf_http_req_method`, `tf_http_req_uri`, `tf_http_res_status_code`,
 * `tf_http_duration_ms`, `tf_http_attempt`, `X-Request-Id`), and, at VPCEP_LOG_TRACE, a request
 * line with the request headers and `tf_http_req_body` and the response body as
 * `tf_http_res_body`: credentials headers (Authorization, X-Auth-Token, X-Security-Token) and
 * JSON members whose names say password, secret, token, signature or access key are replaced by
 * "[REDACTED]"; a body that is not JSON is not shown.
 */
#ifndef VPCEP_CLIENT_H
#define VPCEP_CLIENT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque client handle. */
typedef struct vpcep_client vpcep_client;

/** Log levels; the same values as tfp_log_level (tfp/log.h). */
typedef enum vpcep_log_level {
    VPCEP_LOG_TRACE = 1,
    VPCEP_LOG_DEBUG = 2,
    VPCEP_LOG_INFO = 3,
    VPCEP_LOG_WARN = 4,
    VPCEP_LOG_ERROR = 5
} vpcep_log_level;

/** Default number of retries when max_retries is 0. */
#define VPCEP_DEFAULT_MAX_RETRIES 5
/** Value of max_retries that disables retries. */
#define VPCEP_RETRIES_NONE (-1)
/** Default timeout of one attempt (connect included) in milliseconds (timeout_ms == 0). */
#define VPCEP_DEFAULT_TIMEOUT_MS 30000L
/** Default connect timeout (DNS and TCP/TLS connect) in milliseconds (connect_timeout_ms == 0). */
#define VPCEP_DEFAULT_CONNECT_TIMEOUT_MS 10000L
/** Default total time of one request, all attempts and backoff included (retry_budget_ms == 0). */
#define VPCEP_DEFAULT_RETRY_BUDGET_MS 90000L
/** Default cap of a response body (max_body_bytes == 0): 8 MiB. */
#define VPCEP_DEFAULT_MAX_BODY_BYTES ((size_t)8 * 1024 * 1024)
/** Default backoff base and cap (retry_base_ms / retry_cap_ms == 0). */
#define VPCEP_DEFAULT_RETRY_BASE_MS 500L
#define VPCEP_DEFAULT_RETRY_CAP_MS 10000L

#define VPCEP_CLIENT_OPTIONS_VERSION 3

/**
 * One field of a structured log line (the log_fields callback). Frozen: passed in arrays, so it
 * never gains a member. `value` is the string value, or NULL when the field is the integer
 * `number`.
 */
typedef struct vpcep_log_field {
    const char *key;
    const char *value;
    long long number;
} vpcep_log_field;

/**
 * Client configuration. Versioned: set `version` with VPCEP_CLIENT_OPTIONS_INIT or
 * vpcep_client_options_init(); fields are only ever appended. Zero / NULL means "default".
 */
typedef struct vpcep_client_options {
    unsigned int version; /**< VPCEP_CLIENT_OPTIONS_VERSION */

    const char *region;      /**< e.g. "eu-de"; required unless both endpoint and project_id
                                  (and auth_url for password auth) are given */
    const char *endpoint;    /**< default "https://vpcep.{region}.otc.t-systems.com" */
    const char *project_id;  /**< required for AK/SK and token auth unless project_name (v2)
                                  is given; resolved from the token for password auth */
    const char *access_key;  /**< AK/SK auth (both or neither) */
    const char *secret_key;  /**< secret */
    const char *token;       /**< secret; a ready IAM token */
    const char *user_name;   /**< password auth (with password and domain_name) */
    const char *password;    /**< secret */
    const char *domain_name; /**< the user's domain (account) name */
    const char *auth_url;    /**< default "https://iam.{region}.otc.t-systems.com/v3" */

    int insecure;            /**< nonzero: do not verify TLS peers (default: verify) */
    const char *cacert_file; /**< PEM bundle to verify peers with (default: system store) */
    long timeout_ms;         /**< timeout of one attempt (default VPCEP_DEFAULT_TIMEOUT_MS) */
    int max_retries;         /**< 0 = VPCEP_DEFAULT_MAX_RETRIES, VPCEP_RETRIES_NONE = none */
    const char *user_agent;  /**< default "vpcep-c/<version>" */
    size_t max_body_bytes;   /**< response body cap (default VPCEP_DEFAULT_MAX_BODY_BYTES) */
    long retry_base_ms;      /**< first backoff delay (default VPCEP_DEFAULT_RETRY_BASE_MS) */
    long retry_cap_ms;       /**< largest backoff delay (default VPCEP_DEFAULT_RETRY_CAP_MS) */

    /** Log sink (NULL = no logging). Called from the calling thread; @p msg is one line. */
    void (*log)(void *ud, int level, const char *msg);
    void *log_ud;

    /** Cancellation hook (NULL = never): nonzero means stop. Polled before every request,
     *  during transfers and while sleeping; the call then returns VPCEP_ECANCELED. */
    int (*cancelled)(void *ud);
    void *cancel_ud;

    /* ---- version 2 ---- */
    /** Structured log sink (NULL = the log callback only). When set, it receives every line
     *  instead of log: @p msg and @p n @p fields, all borrowed for the call; called with
     *  log_ud from the calling thread. */
    void (*log_fields)(
        void *ud, int level, const char *msg, const vpcep_log_field *fields, size_t n);
    /** Whether a line at @p level would be kept (NULL = every level): lines that are not
     *  wanted (request and response bodies at VPCEP_LOG_TRACE) are then not even built. */
    int (*log_enabled)(void *ud, int level);
    /** The project by name, e.g. "eu-de_myproject": password auth scopes its token to it (when
     *  project_id is not given); AK/SK and token auth look its ID up in IAM. */
    const char *project_name;
    /** The user's domain (account) by ID, for password auth instead of domain_name. */
    const char *domain_id;

    /* ---- version 3 ---- */
    /** Connect timeout of one attempt: name resolution and TCP/TLS connect (default
     *  VPCEP_DEFAULT_CONNECT_TIMEOUT_MS; never more than timeout_ms). */
    long connect_timeout_ms;
    /** Total time of one request: every attempt and every wait between them (default
     *  VPCEP_DEFAULT_RETRY_BUDGET_MS). Waiters (vpcep/wait.h) apply it per poll. */
    long retry_budget_ms;
    /** Secret: the security token of temporary AK/SK credentials (with access_key and
     *  secret_key); sent as X-Security-Token with every request and signed with it. */
    const char *security_token;
    /** Agency (assume role): with agency_name and agency_domain_name (the domain that
     *  delegates), every API call uses the agency's token, requested from IAM
     *  (`assume_role`) with the credentials above; the project is delegated_project (a project
     *  name of the delegating domain; default the region's name), its ID taken from the
     *  agency token unless project_id is given. */
    const char *agency_name;
    const char *agency_domain_name;
    const char *delegated_project;
} vpcep_client_options;

#define VPCEP_CLIENT_OPTIONS_INIT VPCEP_INIT_VERSIONED(VPCEP_CLIENT_OPTIONS_VERSION)

/** Initialises @p opts to the defaults of @p version (1..VPCEP_CLIENT_OPTIONS_VERSION),
 *  writing only the fields that version has. Returns 0 or VPCEP_EINVALID (bad version or
 *  NULL; nothing written). */
VPCEP_EXTERN int vpcep_client_options_init(vpcep_client_options *opts, unsigned int version);

/**
 * Creates a client. Validates and copies @p opts (no network I/O happens here; the IAM token
 * is fetched lazily by the first call).
 *
 * @param[out] out  the new client, owned by the caller, freed with vpcep_client_free()
 * @return 0; VPCEP_EINVALID for a bad option (message names it: unknown version, missing
 *         region, half AK/SK pair, no credentials, project_id missing for AK/SK or token,
 *         malformed URL); VPCEP_ENOMEM.
 */
VPCEP_EXTERN int
vpcep_client_new(vpcep_client **out, const vpcep_client_options *opts, vpcep_error *err);

/** Frees a client (NULL ok). No call may be in progress on it. */
VPCEP_EXTERN void vpcep_client_free(vpcep_client *client);

/**
 * The project ID in use (resolving it through IAM first for password auth if needed).
 * @param[out] out  borrowed pointer, valid until vpcep_client_free()
 * @return 0, or the error of the token request.
 */
VPCEP_EXTERN int vpcep_client_project_id(const char **out, vpcep_client *client, vpcep_error *err);

/** The resolved endpoint base URL (borrowed, never NULL for a valid client). */
VPCEP_EXTERN const char *vpcep_client_endpoint(const vpcep_client *client);

#define VPCEP_CLIENT_STATS_VERSION 1

/**
 * Statistics of a client since creation (all requests including retries and IAM calls).
 * Versioned, caller-allocated, library-written: set `version` (VPCEP_CLIENT_STATS_INIT); the
 * library fills the counters that version has and nothing beyond them.
 */
typedef struct vpcep_client_stats {
    unsigned int version;    /**< VPCEP_CLIENT_STATS_VERSION, kept as the caller set it */
    uint64_t requests;       /**< HTTP requests sent */
    uint64_t retries;        /**< of which retries */
    uint64_t token_requests; /**< IAM token requests */
} vpcep_client_stats;

#define VPCEP_CLIENT_STATS_INIT VPCEP_INIT_VERSIONED(VPCEP_CLIENT_STATS_VERSION)

/**
 * Copies the client's counters into @p out, as many as `out->version` has.
 * @return 0; VPCEP_EINVALID (NULL, or a version the library does not know; nothing written).
 */
VPCEP_EXTERN int vpcep_client_get_stats(vpcep_client_stats *out, const vpcep_client *client);

#ifdef __cplusplus
}
#endif

#endif
