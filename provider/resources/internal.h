/*
 * provider/resources/internal.h - shared declarations of the VPCEP resources.
 *
 * Layout: one file per resource or data source (service.c, endpoint.c, approval.c,
 * ds_service.c, ds_public_services.c, ds_endpoint.c, ds_services.c, ds_endpoints.c), the provider
 * configuration (provider_config.c), and shared helpers (validate.c: pure validators; values.c:
 * tfp_value helpers; dispatch.c: registration and the handler trampoline; current_call.c: the
 * per-call thread-local used by the client's cancellation hook; upgrade.c: state upgrade; schema.c:
 * schema builders; import.c: import stubs).
 *
 * Everything here is internal to the plugin (hidden visibility); the only entry point used by
 * provider/main.c is tfpv_resources_register().
 */
#ifndef TFPV_RESOURCES_INTERNAL_H
#define TFPV_RESOURCES_INTERNAL_H

#include "resources.h"

#include <tfp/tfp.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----- Limits of the documented arguments (docs/resources/) --------------------------------- */

#define TFPV_MAX_TAGS 10
#define TFPV_TAG_KEY_MAX 36
#define TFPV_TAG_VALUE_MAX 43
#define TFPV_NAME_MAX 16
#define TFPV_DESCRIPTION_MAX 128
#define TFPV_MAX_PORTS 200
#define TFPV_MAX_ENDPOINT_WHITELIST 20
#define TFPV_DEFAULT_TIMEOUT_MS (10LL * 60 * 1000)
#define TFPV_DOMAIN_PREFIX "iam:domain::"

/* ----- Validators (validate.c): pure functions, 1 = valid ------------------------------- */

/** ^[A-Za-z0-9_-]{1,16}$ */
int tfpv_valid_service_name(const char *s);
/** at most 128 characters (UTF-8 code points), no '<' or '>' */
int tfpv_valid_description(const char *s);
/** 1..36 characters of letters, digits, '-', '_' */
int tfpv_valid_tag_key(const char *s);
/** 0..43 characters of the same set */
int tfpv_valid_tag_value(const char *s);
/** an IPv4 address or IPv4 CIDR (a.b.c.d or a.b.c.d/n, n in 0..32) */
int tfpv_valid_ipv4_or_cidr(const char *s);
/** an IPv4 address */
int tfpv_valid_ipv4(const char *s);
/** an IAM domain ID as the permissions API accepts it: 1..64 of [A-Za-z0-9], or "*" */
int tfpv_valid_domain_id(const char *s);
/** an absolute http(s) URL with a host */
int tfpv_valid_url(const char *s);
/** Index of @p s in the NULL-terminated @p allowed (case-insensitive), or -1. */
int tfpv_enum_index(const char *s, const char *const *allowed);
/**
 * Parses a duration like "10m", "30s", "1h", "1h30m", "90s", "500ms" into milliseconds.
 * @return 0, TFP_EINVALID (malformed, zero, or above 24 h).
 */
int tfpv_parse_duration(const char *s, int64_t *ms_out);

extern const char *const tfpv_server_types[];    /* VM VIP LB */
extern const char *const tfpv_service_types[];   /* interface gateway */
extern const char *const tfpv_tcp_proxy_modes[]; /* close toa_open proxy_open open */
extern const char *const tfpv_protocols[];       /* TCP UDP */

/* Validators that report with attribute paths. Unknown values are skipped. */
void tfpv_check_tags(tfp_diags *d, const tfp_value *obj, const char *attr);
void tfpv_check_timeouts(tfp_diags *d, const tfp_value *obj);
void tfpv_check_enum(tfp_diags *d,
                     const tfp_value *obj,
                     const char *attr,
                     const char *const *allowed);
/** @p what describes the attribute in the error summary. */
void tfpv_check_string_set(tfp_diags *d,
                           const tfp_value *obj,
                           const char *attr,
                           int (*valid)(const char *),
                           size_t max_items,
                           const char *what);

/* ----- tfp_value helpers (values.c) ---------------------------------------------------- */

/** obj[name] or NULL (also when obj is NULL, null or unknown). */
const tfp_value *tfpv_get(const tfp_value *obj, const char *name);
/** 1 if v is present, known and not null. */
int tfpv_is_set(const tfp_value *v);
/** 1 if v is present and unknown. */
int tfpv_is_unknown(const tfp_value *v);
/** 1 if v is NULL, null, or a known empty collection / empty string. */
int tfpv_is_empty(const tfp_value *v);
/** A known string attribute or NULL. */
const char *tfpv_str(const tfp_value *obj, const char *name);
/** A known bool attribute: 1 and *out set, or 0 (null/unknown/absent). */
int tfpv_bool(const tfp_value *obj, const char *name, int *out);
/** A known integral number attribute: 1 and *out set, or 0. */
int tfpv_int(const tfp_value *obj, const char *name, int64_t *out);
/** Equal ignoring case (both non-NULL). */
int tfpv_streq_nocase(const char *a, const char *b);
/** Semantic equality where null and empty collections / strings are the same. */
int tfpv_equal_empty_null(const tfp_value *a, const tfp_value *b);
/** 1 if set @p s (of strings) contains @p str. */
int tfpv_set_has_string(const tfp_value *s, const char *str);

/** The type of attribute @p name of object @p obj (borrowed) or NULL. */
const tfp_type *tfpv_attr_type(const tfp_value *obj, const char *name);
/** Sets obj[name] to an empty known collection of its type. */
int tfpv_set_empty_collection(tfp_value *obj, const char *name);
/** Sets obj[name] to a known set/list of the given strings (n may be 0). */
int tfpv_set_string_collection(tfp_value *obj,
                               const char *name,
                               const char *const *items,
                               size_t n);
/** Sets obj[name] to a known map(string) from parallel arrays. */
int tfpv_set_string_map(
    tfp_value *obj, const char *name, const char *const *keys, const char *const *values, size_t n);
/** Copies src[name] into dst[name]; absent or unknown becomes null. */
int tfpv_copy_attr(tfp_value *dst, const tfp_value *src, const char *name);
/** Plans planned[name] as prior[name] when the two differ only as null against empty (the
 *  API does not tell them apart), so such a difference never shows as a change. */
int tfpv_keep_prior_empty(tfp_value *planned, const tfp_value *prior, const char *name);
/** Copies every wholly known top-level attribute of @p planned into @p st (the API answer
 *  fills only what the plan left unknown, so apply results always match the plan). */
int tfpv_overlay_known(tfp_value *st, const tfp_value *planned);
/** Replaces every unknown value inside @p v (recursively, in place) by null. */
int tfpv_unknowns_to_null(tfp_value **v);

/** A list of strings collected from a set/list value (borrowed strings). */
typedef struct tfpv_strs {
    const char **items;
    size_t n;
} tfpv_strs;
/** Collects the known strings of @p coll (null / unknown = empty). @return 0, TFP_ENOMEM. */
int tfpv_strs_from(tfpv_strs *out, const tfp_value *coll);
void tfpv_strs_dispose(tfpv_strs *s);
int tfpv_strs_has(const tfpv_strs *s, const char *str);

/** Error at a nested path attr[key] (map key) or attr.sub. */
int tfpv_diag_key(tfp_diags *d,
                  const char *attr,
                  const char *key,
                  const char *summary,
                  const char *detail_fmt,
                  ...) TFP_PRINTF(5, 6);
int tfpv_diag_nested(tfp_diags *d,
                     const char *attr,
                     const char *sub,
                     const char *summary,
                     const char *detail_fmt,
                     ...) TFP_PRINTF(5, 6);

/** How many characters of a user's value a message quotes before cutting it. */
#define TFPV_SHOWN_MAX 40
/**
 * Writes @p s into @p buf as a quoted, printable string for a message: at most @p max_chars
 * characters (then "..."), control characters, quotes and backslashes escaped, never cutting
 * a UTF-8 sequence; invalid UTF-8 bytes are shown as \xNN. Always NUL-terminated.
 */
void tfpv_quote_cut(char *buf, size_t cap, const char *s, size_t max_chars);

/**
 * A deterministic data-source ID from its filters: "<prefix>-" and 16 hex digits of a hash of
 * the attributes @p attrs (NULL-terminated) of @p cfg; null and empty filters count alike.
 * @return 0, TFP_EINVALID (an unknown value), TFP_ENOMEM.
 */
int tfpv_ds_filter_id(
    char *buf, size_t cap, const char *prefix, const tfp_value *cfg, const char *const *attrs);

/** How a list data source (vpcep_services, vpcep_endpoints) turns API objects into its state. */
typedef struct tfpv_ds_list {
    const char *id_prefix;           /* of the data source's ID: "vpcep-services" */
    const char *list_attr;           /* the list of objects found: "services" */
    const char *const *filter_attrs; /* copied from the configuration, hashed into the ID */
    /* 1 when @p item passes the filters of @p cfg that the list API does not apply */
    int (*keep)(const void *item, const tfp_value *cfg);
    const char *(*id_of)(const void *item);
    const char *(*created_of)(const void *item);
    /* fills element @p e of the list (its "id" is set already) */
    int (*fill)(tfp_value *e, const void *item);
} tfpv_ds_list;

/**
 * The state of list data source @p k of @p type: the @p count objects @p items that @p k keeps
 * and, when @p tagged is not NULL, that it holds (the tag filter's answer), sorted by creation
 * time and ID, as `<list_attr>` and `ids`; the filters copied from @p cfg; a deterministic ID.
 * @return 0, TFP_EINVALID, TFP_ENOMEM.
 */
int tfpv_ds_list_state(tfp_value **out,
                       const tfp_type *type,
                       const tfp_value *cfg,
                       const void *const *items,
                       size_t count,
                       int (*tagged_has)(const void *tagged, const char *id),
                       const void *tagged,
                       const tfpv_ds_list *k);

/** Timeout of operation @p op ("create", "update", "delete") from obj.timeouts, else the
 *  default (10 minutes). */
int64_t tfpv_timeout_ms(const tfp_value *obj, const char *op);

/** Monotonic clock in milliseconds. */
int64_t tfpv_now_ms(void);
/** Milliseconds left until @p deadline_ms (tfpv_now_ms() based), at least 1: one operation's
 *  timeout covers all the waits it runs. */
int64_t tfpv_remaining_ms(int64_t deadline_ms);

/** A copy of @p s (NULL stays NULL) or NULL on ENOMEM; free with free(). */
char *tfpv_strdup(const char *s);

/* ----- Dispatch (dispatch.c) ----------------------------------------------------------- */

/** Handlers of one resource or data-source type, called through one trampoline that records
 *  the current call for the client's cancellation hook. */
typedef struct tfpv_handlers {
    tfp_handler_fn validate;
    tfp_handler_fn upgrade;
    tfp_handler_fn read;
    tfp_handler_fn plan;
    tfp_handler_fn apply;
    tfp_handler_fn import;
    tfp_handler_fn read_data;
    tfp_handler_fn move;
    /** Sources whose `moved` state @c move converts: NULL-terminated (provider, type) pairs. */
    const char *const *move_sources;
} tfpv_handlers;

/** Creates a resource (is_data 0) or data source (1) with @p schema (stolen) and registers it
 *  on @p p with the non-NULL handlers of @p h (static storage). */
int tfpv_register_type(
    tfp_provider *p, const char *name, tfp_schema *schema, const tfpv_handlers *h, int is_data);
/** tfpv_register_type() with the schema that @p schema_fn builds: every resource and data source
 *  registers through this. */
int tfpv_register(tfp_provider *p,
                  const char *name,
                  int (*schema_fn)(tfp_schema **out),
                  const tfpv_handlers *h,
                  int is_data);

/* ----- The current call (current_call.c) ------------------------------------------------ */

/** The call being handled on this thread (NULL outside a handler). */
const tfp_call *tfpv_current_call(void);
/** Records @p call as the current call of this thread (NULL clears). For tests and
 *  provider handlers. */
void tfpv_set_current_call(const tfp_call *call);
/** The client cancellation hook: 1 when the current call was stopped. */
int tfpv_cancelled_hook(void *ud);

/* ----- Moves from the Go providers (move.c) ------------------------------------------- */

/** The (provider, type) pairs each resource accepts `moved` blocks from. */
extern const char *const tfpv_service_move_sources[];
extern const char *const tfpv_endpoint_move_sources[];
extern const char *const tfpv_approval_move_sources[];
/** The MOVE handler of the three resources: converts the OTC or Huawei Cloud state. */
int tfpv_move_from_go(tfp_call *call);
/** READ: 1 (with an error diagnostic) when the object was moved from another region than the
 *  configured one, so that Read must not look for it; else 0. */
int tfpv_moved_region_mismatch(tfp_call *call);

/* ----- State upgrade (upgrade.c) --------------------------------------------------------- */

/** Decodes the stored state JSON with the current schema (UPGRADE of version 0). */
int tfpv_upgrade_v0(tfp_call *call);

/* ----- Import (import.c) ----------------------------------------------------------------- */

/**
 * Starts an imported state: an object of the resource's type with `id` = the import ID, for
 * Read to fill. An empty ID gets an "Invalid import ID" error that says @p usage; then *out
 * stays NULL and 0 is returned. @return 0 or a TFP_E* code.
 */
int tfpv_import_stub(tfp_call *call, const char *usage, tfp_value **out);
/** Hands @p stub to Terraform when @p rc is 0, else frees it; returns the call's code. */
int tfpv_import_finish(tfp_call *call, tfp_value *stub, int rc);

/* ----- Schema building helpers (schema.c): abort-on-first-error chains. ------------------ */

int tfpv_add_attr(
    tfp_block *b, const char *name, const tfp_type *t, unsigned flags, const char *desc);
/** Adds the `timeouts` block with the given operations (NULL-terminated list). */
int tfpv_add_timeouts(tfp_block *b, const char *const *ops);
/** Adds a computed `connections` list(object{endpoint_id, marker_id, domain_id, status}). */
int tfpv_add_connections_attr(tfp_block *b);

/* ----- Provider configuration (provider_config.c) --------------------------------------- */

struct vpcep_client;

/** What ConfigureProvider stores as provider data. */
typedef struct tfpv_ctx {
    int configured;              /**< 0 while the configuration held unknown values */
    struct vpcep_client *client; /**< NULL when not configured */
    char *region;
} tfpv_ctx;

/** Builds the provider configuration schema. */
int tfpv_provider_schema(tfp_schema **out);
/** ValidateProviderConfig handler. */
int tfpv_provider_validate(tfp_call *call);
/** ConfigureProvider handler. */
int tfpv_provider_configure(tfp_call *call);
void tfpv_ctx_free(void *ctx);

/**
 * Resolved provider settings: config values, else environment, else defaults. Strings are
 * borrowed from the config or the environment; defaults are written into the buffers.
 */
/** One clouds.yaml entry (secure.yaml laid over it); every string new or NULL. */
typedef struct tfpv_cloud {
    char *region, *auth_url, *user_name, *password, *token, *project_id, *project_name;
    char *user_domain_name, *user_domain_id, *domain_name, *domain_id, *access_key, *secret_key;
    char *security_token, *agency_name, *agency_domain_name, *delegated_project;
    char file[1024]; /**< the clouds.yaml read */
} tfpv_cloud;

/**
 * Loads entry @p name of clouds.yaml and secure.yaml (OS_CLIENT_CONFIG_FILE /
 * OS_CLIENT_SECURE_FILE, else ./, ~/.config/openstack/, /etc/openstack/; environment through
 * @p getenv_fn, not NULL). @return 0, or TFP_EINVALID with @p err saying why (no file, no such
 * entry, not YAML); @p c is then empty. Free with tfpv_cloud_dispose().
 */
int tfpv_cloud_load(tfpv_cloud *c,
                    const char *name,
                    const char *(*getenv_fn)(const char *),
                    char *err,
                    size_t errlen);
void tfpv_cloud_dispose(tfpv_cloud *c);

typedef struct tfpv_settings {
    const char *region, *project_id, *access_key, *secret_key, *token;
    const char *user_name, *password, *domain_name, *auth_url, *endpoint, *cacert_file;
    const char *project_name;   /**< scope / lookup by name */
    const char *domain_id;      /**< the user's domain by ID (domain_name NULL) */
    const char *security_token; /**< temporary AK/SK */
    const char *agency_name, *agency_domain_name, *delegated_project; /**< assume role */
    int insecure;
    int64_t max_retries; /**< -1 = not set */
    /** connect_timeout, request_timeout, retry_budget in ms; 0 = not set (library default) */
    int64_t connect_timeout_ms, request_timeout_ms, retry_budget_ms;
    int has_unknown; /**< some configured value is unknown */
    char auth_url_buf[256];
    char endpoint_buf[256];
    const char *cloud_name; /**< cloud / OS_CLOUD */
    tfpv_cloud cloud;       /**< its entry: owns the strings taken from it */
} tfpv_settings;

/** Releases what tfpv_settings_resolve() loaded (the cloud entry). */
void tfpv_settings_dispose(tfpv_settings *s);

/**
 * Resolves and checks @p config (env lookups through @p getenv_fn, NULL = getenv). Errors go to
 * @p d with attribute paths. @p final: 1 at configure time (credentials required), 0 at
 * validate time (only conflicts within the configuration). @return 0 or TFP_EINVALID.
 */
int tfpv_settings_resolve(tfpv_settings *s,
                          const tfp_value *config,
                          tfp_diags *d,
                          int final,
                          const char *(*getenv_fn)(const char *));

/** The client for a handler that needs the API: NULL with an error diagnostic when the
 *  provider is not configured (yet). */
struct vpcep_client *tfpv_client(tfp_call *call);
/** The client when configured, else NULL without a diagnostic (plan-time checks). */
struct vpcep_client *tfpv_client_opt(tfp_call *call);
/** 1 when ConfigureProvider saw unknown values (client creation deferred to apply). */
int tfpv_deferred(tfp_call *call);
/** READ while deferred: returns the stored state unchanged (nothing can be refreshed). */
int tfpv_keep_prior(tfp_call *call);
/** The configured region (for messages) or "?". */
const char *tfpv_region(tfp_call *call);

/* ----- Registration of the types ----------------------------------------------------- */

int tfpv_service_register(tfp_provider *p);
int tfpv_endpoint_register(tfp_provider *p);
int tfpv_approval_register(tfp_provider *p);
int tfpv_ds_service_register(tfp_provider *p);
int tfpv_ds_public_services_register(tfp_provider *p);
int tfpv_ds_endpoint_register(tfp_provider *p);
int tfpv_ds_services_register(tfp_provider *p);
int tfpv_ds_endpoints_register(tfp_provider *p);

#ifdef __cplusplus
}
#endif

#endif
