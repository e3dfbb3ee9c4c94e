/**
 * @file vpcep/api.h
 * @brief Every operation of the VPCEP API v1 (paths under /v1/{project_id}/).
 *
 * Conventions of every function below:
 *  - out-parameters come first, then the client; objects returned through them are owned by
 *    the caller (free with the _free function of vpcep/model.h); on failure *out is NULL;
 *  - the last argument is an optional ::vpcep_error filled on failure;
 *  - return 0 or a negative ::vpcep_error_code: VPCEP_EINVALID (bad argument, checked before any
 *    request; or an HTTP 400 validation error), VPCEP_ENOTFOUND (404), VPCEP_EAUTH,
 *    VPCEP_ECONFLICT, VPCEP_EQUOTA, VPCEP_ETHROTTLED, VPCEP_ETRANSPORT, VPCEP_ETIMEOUT,
 *    VPCEP_ECANCELED, VPCEP_EAPI, VPCEP_ETOOLARGE, VPCEP_ENOMEM;
 *  - list calls page through ALL pages (offset/limit, page_size per request) and return the
 *    concatenation;
 *  - request structs are versioned (`version` first, *_INIT macros); NULL strings are not sent;
 *    optional booleans are sent only when their `*_set` member is nonzero (so false is sent).
 */
#ifndef VPCEP_API_H
#define VPCEP_API_H

#include "client.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A tag in a request (value may be NULL: "" on create, delete-by-key on delete). */
typedef struct vpcep_tag_param {
    const char *key;
    const char *value;
} vpcep_tag_param;

/** A port mapping in a request (protocol NULL = "TCP"). */
typedef struct vpcep_port_param {
    int client_port;
    int server_port;
    const char *protocol;
} vpcep_port_param;

/**
 * Duplicate-safe creates (the client's README, "Creates that cannot adopt a stranger"). The API
 * has no client token, so every create that leaves room for one more tag (fewer than 10) adds
 * the tag VPCEP_CREATE_MARKER_KEY with a value unique to the call ("<8 hex time>-<32 hex
 * random>"). When the answer of the POST is lost, the object carrying that very value is looked
 * up and adopted; nothing else ever is. The caller removes the tag (vpcep_tags_action(), delete
 * by key) once it has recorded the new ID: an object that still carries a marker is the
 * leftover of a create that did not finish. The key is reserved: a create whose own tags use it
 * is refused (VPCEP_EINVALID).
 */
#define VPCEP_CREATE_MARKER_KEY "vpcep-create-marker"
/**
 * vpcep_error::error_code of a create refused with VPCEP_ECONFLICT because it cannot be proven
 * which object a create with a lost answer made (no marker: the resource already has 10 tags).
 * vpcep_error::error_msg ends with VPCEP_CANDIDATES_LABEL and the space-separated IDs.
 */
#define VPCEP_ECODE_CREATE_UNPROVEN "vpcep.create-unproven"
/**
 * vpcep_error::error_code of an endpoint create refused with VPCEP_ECONFLICT because matching
 * endpoints (same service, VPC and subnet) carry the marker of another create that has not
 * finished: an interrupted create, or one still running in another process. Its
 * vpcep_error::error_msg ends with VPCEP_CANDIDATES_LABEL and the IDs.
 */
#define VPCEP_ECODE_UNFINISHED_CREATE "vpcep.unfinished-create"
/** What precedes the candidate IDs at the end of vpcep_error::error_msg (see above; also on
 * EndPoint.3044 from vpcep_service_create()). */
#define VPCEP_CANDIDATES_LABEL "candidates:"

/* ------------------------------------------------------------------------------------------ */
/* Versions                                                                                    */

/** GET / : the API versions. */
VPCEP_EXTERN int
vpcep_versions_list(vpcep_api_version_list **out, vpcep_client *client, vpcep_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Endpoint services                                                                           */

#define VPCEP_SERVICE_CREATE_OPTS_VERSION 1
typedef struct vpcep_service_create_opts {
    unsigned int version;
    const char *port_id;           /**< required */
    const char *vpc_id;            /**< required */
    const char *server_type;       /**< required: VM | VIP | LB | BMS */
    const vpcep_port_param *ports; /**< required, 1..200 */
    size_t n_ports;
    const char *service_name; /**< optional short name (<= 16 of [A-Za-z0-9_-]) */
    const char *service_type; /**< optional, "interface" */
    int approval_enabled;
    int approval_enabled_set; /**< nonzero: send approval_enabled (also when false) */
    const char *pool_id;
    const char *vip_port_id;
    const char *tcp_proxy; /**< close | toa_open | proxy_open | open */
    const char *description;
    const vpcep_tag_param *tags;
    size_t n_tags;
} vpcep_service_create_opts;
#define VPCEP_SERVICE_CREATE_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_SERVICE_CREATE_OPTS_VERSION)

/**
 * POST /vpc-endpoint-services. The answer is usually `creating`; wait with
 * vpcep_wait_service() and vpcep_wait_spec_service_available().
 *
 * Duplicate safety (VPCEP_CREATE_MARKER_KEY): if the outcome of the POST is unknown (transport
 * failure or 5xx), the library lists the project's services and adopts the one that carries
 * this call's marker, before it would re-send the POST (also once when max_retries is 0). A
 * re-sent POST answered EndPoint.3044 (port in use) by the service this call created adopts it
 * too. Otherwise EndPoint.3044 comes back with the ID of the service that holds the port after
 * VPCEP_CANDIDATES_LABEL, saying whether it carries another create's marker (an interrupted
 * create). Without a marker (10 tags) a lost answer with a matching service that no create of
 * this process claimed is VPCEP_ECONFLICT (VPCEP_ECODE_CREATE_UNPROVEN).
 * Required fields missing, n_ports == 0, or the reserved tag key: VPCEP_EINVALID before any
 * request.
 */
VPCEP_EXTERN int vpcep_service_create(vpcep_service **out,
                                      vpcep_client *client,
                                      const vpcep_service_create_opts *opts,
                                      vpcep_error *err);

/** GET /vpc-endpoint-services/{id}. 404 -> VPCEP_ENOTFOUND. */
VPCEP_EXTERN int
vpcep_service_get(vpcep_service **out, vpcep_client *client, const char *id, vpcep_error *err);

#define VPCEP_SERVICE_LIST_OPTS_VERSION 1
typedef struct vpcep_service_list_opts {
    unsigned int version;
    const char *name; /**< endpoint_service_name filter (API: case-insensitive, fuzzy) */
    const char *id;
    const char *status;
    const char *sort_key; /**< created_at | updated_at */
    const char *sort_dir; /**< asc | desc */
    int page_size;        /**< limit per request, 0 = 100 (1..1000) */
} vpcep_service_list_opts;
#define VPCEP_SERVICE_LIST_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_SERVICE_LIST_OPTS_VERSION)

/** GET /vpc-endpoint-services (all pages). @p opts may be NULL (no filter). */
VPCEP_EXTERN int vpcep_services_list(vpcep_service_list **out,
                                     vpcep_client *client,
                                     const vpcep_service_list_opts *opts,
                                     vpcep_error *err);

#define VPCEP_SERVICE_UPDATE_OPTS_VERSION 1
typedef struct vpcep_service_update_opts {
    unsigned int version;
    int approval_enabled;
    int approval_enabled_set; /**< nonzero: send approval_enabled */
    const char *service_name;
    const vpcep_port_param *ports; /**< replaces the whole list when ports_set */
    size_t n_ports;
    int ports_set;
    const char *port_id;
    const char *vip_port_id;
    const char *tcp_proxy;
    const char *description; /**< "" clears the description */
} vpcep_service_update_opts;
#define VPCEP_SERVICE_UPDATE_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_SERVICE_UPDATE_OPTS_VERSION)

/**
 * PUT /vpc-endpoint-services/{id}. An update without any field is VPCEP_EINVALID before any
 * request. @p out may be NULL when the answer is not needed.
 */
VPCEP_EXTERN int vpcep_service_update(vpcep_service **out,
                                      vpcep_client *client,
                                      const char *id,
                                      const vpcep_service_update_opts *opts,
                                      vpcep_error *err);

/**
 * DELETE /vpc-endpoint-services/{id} (asynchronous: wait with vpcep_wait_service() and
 * vpcep_wait_spec_service_deleted()). 404 -> VPCEP_ENOTFOUND (callers treat it as done); a
 * service with accepted or creating endpoints -> VPCEP_ECONFLICT (EndPoint.3006). A conflict
 * answer is checked with a GET: an object already `deleting` (a repeated delete whose first
 * answer was lost) returns 0, a gone one VPCEP_ENOTFOUND.
 */
VPCEP_EXTERN int vpcep_service_delete(vpcep_client *client, const char *id, vpcep_error *err);

#define VPCEP_PUBLIC_SERVICE_LIST_OPTS_VERSION 1
typedef struct vpcep_public_service_list_opts {
    unsigned int version;
    const char *name; /**< endpoint_service_name filter (fuzzy) */
    const char *id;
    const char *sort_key;
    const char *sort_dir;
    int page_size; /**< 0 = 100 */
} vpcep_public_service_list_opts;
#define VPCEP_PUBLIC_SERVICE_LIST_OPTS_INIT                                                        \
    VPCEP_INIT_VERSIONED(VPCEP_PUBLIC_SERVICE_LIST_OPTS_VERSION)

/** GET /vpc-endpoint-services/public (all pages). @p opts may be NULL. */
VPCEP_EXTERN int vpcep_public_services_list(vpcep_service_info_list **out,
                                            vpcep_client *client,
                                            const vpcep_public_service_list_opts *opts,
                                            vpcep_error *err);

/**
 * GET /vpc-endpoint-services/describe by ID or by full service name (exactly one of @p id and
 * @p name non-NULL, else VPCEP_EINVALID). Works for services of other accounts. Unknown ->
 * VPCEP_ENOTFOUND (also when the API answers 200 with an empty body or without an id).
 */
VPCEP_EXTERN int vpcep_service_describe(vpcep_service_info **out,
                                        vpcep_client *client,
                                        const char *id,
                                        const char *name,
                                        vpcep_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Connections (service owner)                                                                 */

#define VPCEP_CONNECTION_LIST_OPTS_VERSION 1
typedef struct vpcep_connection_list_opts {
    unsigned int version;
    const char *endpoint_id; /**< `id` filter */
    int64_t marker_id;       /**< sent when marker_id_set */
    int marker_id_set;
    const char *status;
    const char *sort_key;
    const char *sort_dir;
    int page_size; /**< 0 = 100 */
} vpcep_connection_list_opts;
#define VPCEP_CONNECTION_LIST_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_CONNECTION_LIST_OPTS_VERSION)

/** GET /vpc-endpoint-services/{id}/connections (all pages). @p opts may be NULL. */
VPCEP_EXTERN int vpcep_connections_list(vpcep_connection_list **out,
                                        vpcep_client *client,
                                        const char *service_id,
                                        const vpcep_connection_list_opts *opts,
                                        vpcep_error *err);

typedef enum vpcep_connection_action_kind {
    VPCEP_CONNECTION_ACCEPT = 1, /**< API action "receive" */
    VPCEP_CONNECTION_REJECT = 2  /**< API action "reject" */
} vpcep_connection_action_kind;

/**
 * POST /vpc-endpoint-services/{id}/connections/action for each endpoint in turn (the API
 * takes exactly one endpoint per call). Stops at the first failure (err names the API error,
 * e.g. EndPoint.2013 -> VPCEP_EINVALID). @p out (may be NULL) receives the connections the API
 * returned, already carrying the new status. @p n_endpoints must be >= 1.
 */
VPCEP_EXTERN int vpcep_connection_action(vpcep_connection_list **out,
                                         vpcep_client *client,
                                         const char *service_id,
                                         vpcep_connection_action_kind action,
                                         const char *const *endpoint_ids,
                                         size_t n_endpoints,
                                         vpcep_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Whitelist (permissions)                                                                     */

#define VPCEP_PERMISSION_LIST_OPTS_VERSION 1
typedef struct vpcep_permission_list_opts {
    unsigned int version;
    const char *permission; /**< fuzzy filter (API form) */
    const char *sort_key;
    const char *sort_dir;
    int page_size; /**< 0 = 100, at most 500 */
} vpcep_permission_list_opts;
#define VPCEP_PERMISSION_LIST_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_PERMISSION_LIST_OPTS_VERSION)

/** GET /vpc-endpoint-services/{id}/permissions (all pages). @p opts may be NULL. */
VPCEP_EXTERN int vpcep_permissions_list(vpcep_permission_list **out,
                                        vpcep_client *client,
                                        const char *service_id,
                                        const vpcep_permission_list_opts *opts,
                                        vpcep_error *err);

typedef enum vpcep_permission_action_kind {
    VPCEP_PERMISSION_ADD = 1,
    VPCEP_PERMISSION_REMOVE = 2
} vpcep_permission_action_kind;

/** The most whitelist records the API takes in one permissions/action request (EndPoint.3049
 * beyond: vpcep-emulator's rule, and the documented array length of the sibling APIG call). */
#define VPCEP_MAX_PERMISSIONS_PER_REQUEST 50

/**
 * POST /vpc-endpoint-services/{id}/permissions/action. @p domain_ids are bare account
 * (domain) IDs; the library sends them as "iam:domain::<id>" ("*" and values that already
 * carry the prefix are sent unchanged). Any @p n_domain_ids >= 1: a list longer than
 * VPCEP_MAX_PERMISSIONS_PER_REQUEST goes out in consecutive requests of at most that many, so
 * a large whitelist is applied whole; when one of them fails the earlier ones stay applied and
 * the error is returned.
 */
VPCEP_EXTERN int vpcep_permission_action(vpcep_client *client,
                                         const char *service_id,
                                         vpcep_permission_action_kind action,
                                         const char *const *domain_ids,
                                         size_t n_domain_ids,
                                         vpcep_error *err);

/**
 * Builds the API form of a whitelist record: "iam:domain::<domain_id>" ("*" stays "*", an
 * already prefixed value is copied).
 * @param[out] out  a new string, caller frees with vpcep_free(); untouched on failure
 * @return 0, VPCEP_EINVALID (NULL @p out, NULL or empty @p domain_id), VPCEP_ENOMEM.
 */
VPCEP_EXTERN int vpcep_permission_from_domain_id(char **out, const char *domain_id);

/* ------------------------------------------------------------------------------------------ */
/* Endpoints                                                                                   */

/** A gateway policy statement in a request (sent with capitalised keys). */
typedef struct vpcep_policy_param {
    const char *effect;
    const char *const *actions;
    size_t n_actions;
    const char *const *resources;
    size_t n_resources;
} vpcep_policy_param;

#define VPCEP_ENDPOINT_CREATE_OPTS_VERSION 1
typedef struct vpcep_endpoint_create_opts {
    unsigned int version;
    const char *endpoint_service_id; /**< required */
    const char *vpc_id;              /**< required */
    const char *subnet_id;           /**< required for interface services */
    const char *port_ip;             /**< fixed IP; NULL = automatic */
    int enable_dns;
    int enable_dns_set;
    const vpcep_tag_param *tags;
    size_t n_tags;
    const char *const *routetables; /**< gateway only */
    size_t n_routetables;
    int routetables_set;
    const char *const *whitelist; /**< IPs or CIDRs, interface only */
    size_t n_whitelist;
    int whitelist_set;
    int enable_whitelist;
    int enable_whitelist_set;
    const char *specification_name;
    const vpcep_policy_param *policy_statements; /**< gateway only */
    size_t n_policy_statements;
    const char *description;
} vpcep_endpoint_create_opts;
#define VPCEP_ENDPOINT_CREATE_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_ENDPOINT_CREATE_OPTS_VERSION)

/**
 * POST /vpc-endpoints. The answer is `creating`; wait with vpcep_wait_endpoint().
 *
 * Duplicate safety (VPCEP_CREATE_MARKER_KEY): the library first lists the endpoints of vpc_id
 * (one extra GET). Endpoints of the same service, VPC and subnet that carry a marker which
 * this process did not issue are left over by a create that did not finish: the create is
 * refused with VPCEP_ECONFLICT (VPCEP_ECODE_UNFINISHED_CREATE, their IDs in the message)
 * rather than make a silent duplicate. If the POST's outcome is unknown (transport failure or
 * 5xx; creates always use a fresh connection so that libcurl never re-sends them by itself) it
 * lists again and adopts the endpoint that carries this call's marker, instead of re-sending
 * the POST. Without a marker (10 tags), a new matching endpoint that no create of this process
 * claimed cannot be told from a sibling's: VPCEP_ECONFLICT (VPCEP_ECODE_CREATE_UNPROVEN).
 * Missing required fields: VPCEP_EINVALID before any request. Consumer account not whitelisted
 * by the service owner: VPCEP_EAUTH with the API's EndPoint.2012 in err.
 */
VPCEP_EXTERN int vpcep_endpoint_create(vpcep_endpoint **out,
                                       vpcep_client *client,
                                       const vpcep_endpoint_create_opts *opts,
                                       vpcep_error *err);

/** GET /vpc-endpoints/{id}. 404 -> VPCEP_ENOTFOUND. */
VPCEP_EXTERN int
vpcep_endpoint_get(vpcep_endpoint **out, vpcep_client *client, const char *id, vpcep_error *err);

#define VPCEP_ENDPOINT_LIST_OPTS_VERSION 1
typedef struct vpcep_endpoint_list_opts {
    unsigned int version;
    const char *service_name; /**< endpoint_service_name filter (fuzzy) */
    const char *vpc_id;
    const char *id;
    const char *sort_key;
    const char *sort_dir;
    int page_size; /**< 0 = 100 */
} vpcep_endpoint_list_opts;
#define VPCEP_ENDPOINT_LIST_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_ENDPOINT_LIST_OPTS_VERSION)

/** GET /vpc-endpoints (all pages). @p opts may be NULL. */
VPCEP_EXTERN int vpcep_endpoints_list(vpcep_endpoint_list **out,
                                      vpcep_client *client,
                                      const vpcep_endpoint_list_opts *opts,
                                      vpcep_error *err);

/** DELETE /vpc-endpoints/{id} (asynchronous). 404 -> VPCEP_ENOTFOUND (treat as done); an
 *  endpoint already `deleting` counts as deleted (0), as for vpcep_service_delete(). */
VPCEP_EXTERN int vpcep_endpoint_delete(vpcep_client *client, const char *id, vpcep_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Quotas and tags                                                                             */

/** GET /quotas[?type=...]. @p type: NULL (all), "endpoint_service" or "endpoint". */
VPCEP_EXTERN int
vpcep_quota_get(vpcep_quota_list **out, vpcep_client *client, const char *type, vpcep_error *err);

typedef enum vpcep_resource_type {
    VPCEP_RESOURCE_SERVICE = 1, /**< "endpoint_service" */
    VPCEP_RESOURCE_ENDPOINT = 2 /**< "endpoint" */
} vpcep_resource_type;

typedef enum vpcep_tags_action_kind {
    VPCEP_TAGS_CREATE = 1, /**< add or overwrite */
    VPCEP_TAGS_DELETE = 2  /**< by key (value NULL) or by key and value */
} vpcep_tags_action_kind;

/**
 * POST /{resource_type}/{resource_id}/tags/action. @p n_tags must be >= 1 (VPCEP_EINVALID
 * otherwise, before any request).
 */
VPCEP_EXTERN int vpcep_tags_action(vpcep_client *client,
                                   vpcep_resource_type type,
                                   const char *resource_id,
                                   vpcep_tags_action_kind action,
                                   const vpcep_tag_param *tags,
                                   size_t n_tags,
                                   vpcep_error *err);

/** GET /{resource_type}/tags: every tag key and its values used in the project. */
VPCEP_EXTERN int vpcep_project_tags_list(vpcep_project_tag_list **out,
                                         vpcep_client *client,
                                         vpcep_resource_type type,
                                         vpcep_error *err);

/** A tag condition of a resource query: the key and any of the values ("*value" = prefix). */
typedef struct vpcep_tag_filter {
    const char *key;
    const char *const *values;
    size_t n_values;
} vpcep_tag_filter;

#define VPCEP_RESOURCE_QUERY_OPTS_VERSION 1
/** Conditions of a resource query; empty arrays are not sent. */
typedef struct vpcep_resource_query_opts {
    unsigned int version;
    const vpcep_tag_filter *tags; /**< all of these */
    size_t n_tags;
    const vpcep_tag_filter *tags_any; /**< any of these */
    size_t n_tags_any;
    const vpcep_tag_filter *not_tags; /**< none of these (all) */
    size_t n_not_tags;
    const vpcep_tag_filter *not_tags_any; /**< not any of these */
    size_t n_not_tags_any;
    const char *resource_name; /**< `matches` on resource_name */
    int page_size;             /**< filter: limit per request, 0 = 1000 (1..1000) */
} vpcep_resource_query_opts;
#define VPCEP_RESOURCE_QUERY_OPTS_INIT VPCEP_INIT_VERSIONED(VPCEP_RESOURCE_QUERY_OPTS_VERSION)

/**
 * POST /{resource_type}/resource_instances/action with action "filter", through all pages
 * (string `limit`/`offset` in the body). @p opts may be NULL (every resource of the type).
 */
VPCEP_EXTERN int vpcep_resources_filter(vpcep_tagged_resource_list **out,
                                        vpcep_client *client,
                                        vpcep_resource_type type,
                                        const vpcep_resource_query_opts *opts,
                                        vpcep_error *err);

/** The same query with action "count": the number of matching resources in @p count_out. */
VPCEP_EXTERN int vpcep_resources_count(int64_t *count_out,
                                       vpcep_client *client,
                                       vpcep_resource_type type,
                                       const vpcep_resource_query_opts *opts,
                                       vpcep_error *err);

#ifdef __cplusplus
}
#endif

#endif
