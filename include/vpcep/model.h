/**
 * @file vpcep/model.h
 * @brief Typed objects of the VPCEP API (responses) and their _free functions.
 *
 * How these structs may grow (the one rule for every struct in this file):
 *  - they are written only by the library, which allocates every one of them itself;
 *    callers only ever hold pointers to them: objects come back through `**out` parameters,
 *    and every array of them is an array of pointers (`vpcep_service **items`,
 *    `vpcep_tag **tags`), so no caller indexes an array of structs;
 *  - new fields are only ever appended at the end; none is removed, moved or retyped;
 *  - so a program compiled against an older header keeps working with a newer library: it
 *    reads the fields it knows at the offsets it knows, and never depends on the size.
 * In return a caller must not allocate, copy by value, embed, or take the size of these structs
 * (`vpcep_service s;`, `*svc`, `sizeof(vpcep_service)` are all wrong), and must treat them as
 * read-only.
 *
 * Ownership: an object returned through an out-parameter belongs to the caller and is released
 * with the matching _free function (NULL ok), which frees everything it holds; every member
 * pointer (strings, nested objects, arrays) is owned by its object, is borrowed by whoever reads
 * it, and is NULL when the field was absent (arrays: NULL with a count of 0).
 *
 * Decoding is lenient: unknown fields are ignored, `is_charge` may be a boolean or a string,
 * timestamps may have or lack the trailing `Z` and fractions (`*_at_epoch` is 0 when
 * unparseable), `marker_id` is int64, booleans that were absent are reported through the
 * matching `*_set` member.
 */
#ifndef VPCEP_MODEL_H
#define VPCEP_MODEL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A resource tag {key, value}; value may be "" (or NULL in a delete request). */
typedef struct vpcep_tag {
    char *key;
    char *value;
} vpcep_tag;

/** A port mapping of a service. Ports are 0 when absent. */
typedef struct vpcep_port_mapping {
    int client_port;
    int server_port;
    char *protocol; /**< "TCP" (or "UDP" on older APIs); NULL when absent */
} vpcep_port_mapping;

/** An entry of an object's `error[]` array (present when status is `failed`). */
typedef struct vpcep_error_item {
    char *error_code;
    char *error_message;
} vpcep_error_item;

/** An endpoint service (create, get, list, update responses). */
typedef struct vpcep_service {
    char *id;
    char *port_id;
    char *vip_port_id;
    char *pool_id;
    char *service_name; /**< full name, e.g. "eu-de.name.uuid" */
    char *service_type; /**< "interface" | "gateway" */
    char *server_type;  /**< "VM" | "VIP" | "LB" | "BMS" */
    char *vpc_id;
    int approval_enabled;
    int approval_enabled_set; /**< 1 if approval_enabled was in the answer */
    char *status;             /**< "creating" | "available" | "failed" | "deleting" */
    char *created_at;
    int64_t created_at_epoch;
    char *updated_at;
    int64_t updated_at_epoch;
    char *project_id;
    char *domain_id;
    char *tcp_proxy;
    char *description;
    char *cidr_type;
    int64_t connection_count;
    vpcep_port_mapping **ports;
    size_t n_ports;
    vpcep_tag **tags;
    size_t n_tags;
    vpcep_error_item **errors;
    size_t n_errors;
} vpcep_service;

/** A list of services; total_count is the API's (ignores paging). */
typedef struct vpcep_service_list {
    vpcep_service **items;
    size_t count;
    int64_t total_count;
} vpcep_service_list;

/** Basic information of any service: the public-services list and the describe call. */
typedef struct vpcep_service_info {
    char *id;
    char *owner; /**< public services only (e.g. "OTC") */
    char *service_name;
    char *service_type;
    char *server_type; /**< describe only, when returned */
    char *created_at;
    int64_t created_at_epoch;
    int is_charge; /**< boolean or "true"/"false" string in the answer */
    int is_charge_set;
} vpcep_service_info;

typedef struct vpcep_service_info_list {
    vpcep_service_info **items;
    size_t count;
    int64_t total_count;
} vpcep_service_info_list;

/** A connection of a service (an endpoint as the service owner sees it). */
typedef struct vpcep_connection {
    char *id; /**< endpoint ID */
    int64_t marker_id;
    char *domain_id; /**< consumer account */
    char *status;    /**< pendingAcceptance|creating|accepted|rejected|failed|deleting */
    char *description;
    char *created_at;
    int64_t created_at_epoch;
    char *updated_at;
    int64_t updated_at_epoch;
    vpcep_error_item **errors;
    size_t n_errors;
} vpcep_connection;

typedef struct vpcep_connection_list {
    vpcep_connection **items;
    size_t count;
    int64_t total_count;
} vpcep_connection_list;

/** A whitelist record of a service. */
typedef struct vpcep_permission {
    char *id;
    char *permission;      /**< API form, "iam:domain::<id>" or "*" */
    char *domain_id;       /**< the part after "iam:domain::" ("*" for everyone) */
    char *permission_type; /**< "domainId" */
    char *description;
    char *created_at;
    int64_t created_at_epoch;
} vpcep_permission;

typedef struct vpcep_permission_list {
    vpcep_permission **items;
    size_t count;
    int64_t total_count;
} vpcep_permission_list;

/** A gateway endpoint policy statement (keys accepted capitalised or lower case). */
typedef struct vpcep_policy_statement {
    char *effect; /**< "Allow" | "Deny" */
    char **actions;
    size_t n_actions;
    char **resources;
    size_t n_resources;
} vpcep_policy_statement;

/** A VPC endpoint (create, get, list responses). */
typedef struct vpcep_endpoint {
    char *id;
    char *service_type; /**< "interface" | "gateway" */
    char *status;       /**< creating|pendingAcceptance|accepted|rejected|failed|deleting */
    char **active_status;
    size_t n_active_status;
    char *endpoint_service_name;
    char *endpoint_service_id;
    int64_t marker_id;
    int enable_dns;
    int enable_dns_set;
    char **dns_names;
    size_t n_dns_names;
    char *ip;
    char *vpc_id;
    char *subnet_id;
    char *created_at;
    int64_t created_at_epoch;
    char *updated_at;
    int64_t updated_at_epoch;
    char *project_id;
    vpcep_tag **tags;
    size_t n_tags;
    vpcep_error_item **errors;
    size_t n_errors;
    char **whitelist;
    size_t n_whitelist;
    int enable_whitelist;
    int enable_whitelist_set;
    char **routetables;
    size_t n_routetables;
    vpcep_policy_statement **policy_statements;
    size_t n_policy_statements;
    char *description;
    char *specification_name;
    char *endpoint_pool_id;
    char *enable_status; /**< "enable" | "disable" */
} vpcep_endpoint;

typedef struct vpcep_endpoint_list {
    vpcep_endpoint **items;
    size_t count;
    int64_t total_count;
} vpcep_endpoint_list;

/** Quota and usage of one resource type. */
typedef struct vpcep_quota {
    char *type; /**< "endpoint_service" | "endpoint" */
    int64_t used;
    int64_t quota;
} vpcep_quota;

typedef struct vpcep_quota_list {
    vpcep_quota **items;
    size_t count;
} vpcep_quota_list;

/** An API version entry. */
typedef struct vpcep_api_version {
    char *id; /**< "v1" */
    char *status;
    char *version;
    char *min_version;
    char *updated;
} vpcep_api_version;

typedef struct vpcep_api_version_list {
    vpcep_api_version **items;
    size_t count;
} vpcep_api_version_list;

/** A tag key with all values used in a project (tags listing, API #20). */
typedef struct vpcep_project_tag {
    char *key;
    char **values;
    size_t n_values;
} vpcep_project_tag;

typedef struct vpcep_project_tag_list {
    vpcep_project_tag **items;
    size_t count;
} vpcep_project_tag_list;

/** A resource found by tag (resource_instances filter, API #21). */
typedef struct vpcep_tagged_resource {
    char *resource_id;
    char *resource_name;
    vpcep_tag **tags;
    size_t n_tags;
    char *resource_detail_json; /**< the `resource_detail` value as compact JSON ("null" if so) */
} vpcep_tagged_resource;

typedef struct vpcep_tagged_resource_list {
    vpcep_tagged_resource **items;
    size_t count;
    int64_t total_count;
} vpcep_tagged_resource_list;

VPCEP_EXTERN void vpcep_service_free(vpcep_service *svc);
VPCEP_EXTERN void vpcep_service_list_free(vpcep_service_list *list);
VPCEP_EXTERN void vpcep_service_info_free(vpcep_service_info *info);
VPCEP_EXTERN void vpcep_service_info_list_free(vpcep_service_info_list *list);
VPCEP_EXTERN void vpcep_connection_free(vpcep_connection *conn);
VPCEP_EXTERN void vpcep_connection_list_free(vpcep_connection_list *list);
VPCEP_EXTERN void vpcep_permission_list_free(vpcep_permission_list *list);
VPCEP_EXTERN void vpcep_endpoint_free(vpcep_endpoint *ep);
VPCEP_EXTERN void vpcep_endpoint_list_free(vpcep_endpoint_list *list);
VPCEP_EXTERN void vpcep_quota_list_free(vpcep_quota_list *list);
VPCEP_EXTERN void vpcep_api_version_list_free(vpcep_api_version_list *list);
VPCEP_EXTERN void vpcep_project_tag_list_free(vpcep_project_tag_list *list);
VPCEP_EXTERN void vpcep_tagged_resource_list_free(vpcep_tagged_resource_list *list);

#ifdef __cplusplus
}
#endif

#endif
