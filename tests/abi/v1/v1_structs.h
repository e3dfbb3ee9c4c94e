/*
 * The caller-allocated public structs of libvpcep and libtfp as version 1 defined them: what a
 * program built against the 0.1.0 headers compiles in. The old-caller test hands these to the
 * current library. Never edit a definition here: a new version of a struct changes the header
 * in include/, not this copy. Type names carry _v1 so that they live beside the current ones.
 */
#ifndef TFPV_ABI_V1_STRUCTS_H
#define TFPV_ABI_V1_STRUCTS_H

#include <stddef.h>
#include <stdint.h>

/* vpcep/common.h: frozen, no version (the same in every release) */
typedef struct vpcep_error_v1 {
    int kind;
    int http_status;
    int retries;
    char error_code[64];
    char error_msg[512];
    char request_id[128];
    char state[32];
} vpcep_error_v1;

/* vpcep/client.h, VPCEP_CLIENT_OPTIONS_VERSION 1 */
typedef struct vpcep_client_options_v1 {
    unsigned int version;
    const char *region;
    const char *endpoint;
    const char *project_id;
    const char *access_key;
    const char *secret_key;
    const char *token;
    const char *user_name;
    const char *password;
    const char *domain_name;
    const char *auth_url;
    int insecure;
    const char *cacert_file;
    long timeout_ms;
    int max_retries;
    const char *user_agent;
    size_t max_body_bytes;
    long retry_base_ms;
    long retry_cap_ms;
    void (*log)(void *ud, int level, const char *msg);
    void *log_ud;
    int (*cancelled)(void *ud);
    void *cancel_ud;
} vpcep_client_options_v1;

/* vpcep/client.h, VPCEP_CLIENT_STATS_VERSION 1 */
typedef struct vpcep_client_stats_v1 {
    unsigned int version;
    uint64_t requests;
    uint64_t retries;
    uint64_t token_requests;
} vpcep_client_stats_v1;

/* vpcep/wait.h, VPCEP_WAIT_SPEC_VERSION 1 */
typedef struct vpcep_wait_spec_v1 {
    unsigned int version;
    const char *pending[8];
    const char *target[8];
    const char *failure[8];
    int missing; /* vpcep_wait_missing */
    long timeout_ms;
    long initial_delay_ms;
    long poll_min_ms;
    long poll_max_ms;
} vpcep_wait_spec_v1;

/* vpcep/wait.h, VPCEP_WAIT_STATS_VERSION 1 */
typedef struct vpcep_wait_stats_v1 {
    unsigned int version;
    unsigned int polls;
    unsigned int api_calls;
    int64_t elapsed_ms;
} vpcep_wait_stats_v1;

/* vpcep/api.h, version 1 of each request struct */
typedef struct vpcep_service_create_opts_v1 {
    unsigned int version;
    const char *port_id;
    const char *vpc_id;
    const char *server_type;
    const void *ports; /* const vpcep_port_param * */
    size_t n_ports;
    const char *service_name;
    const char *service_type;
    int approval_enabled;
    int approval_enabled_set;
    const char *pool_id;
    const char *vip_port_id;
    const char *tcp_proxy;
    const char *description;
    const void *tags; /* const vpcep_tag_param * */
    size_t n_tags;
} vpcep_service_create_opts_v1;

typedef struct vpcep_service_list_opts_v1 {
    unsigned int version;
    const char *name;
    const char *id;
    const char *status;
    const char *sort_key;
    const char *sort_dir;
    int page_size;
} vpcep_service_list_opts_v1;

typedef struct vpcep_service_update_opts_v1 {
    unsigned int version;
    int approval_enabled;
    int approval_enabled_set;
    const char *service_name;
    const void *ports;
    size_t n_ports;
    int ports_set;
    const char *port_id;
    const char *vip_port_id;
    const char *tcp_proxy;
    const char *description;
} vpcep_service_update_opts_v1;

typedef struct vpcep_public_service_list_opts_v1 {
    unsigned int version;
    const char *name;
    const char *id;
    const char *sort_key;
    const char *sort_dir;
    int page_size;
} vpcep_public_service_list_opts_v1;

typedef struct vpcep_connection_list_opts_v1 {
    unsigned int version;
    const char *endpoint_id;
    int64_t marker_id;
    int marker_id_set;
    const char *status;
    const char *sort_key;
    const char *sort_dir;
    int page_size;
} vpcep_connection_list_opts_v1;

typedef struct vpcep_permission_list_opts_v1 {
    unsigned int version;
    const char *permission;
    const char *sort_key;
    const char *sort_dir;
    int page_size;
} vpcep_permission_list_opts_v1;

typedef struct vpcep_endpoint_create_opts_v1 {
    unsigned int version;
    const char *endpoint_service_id;
    const char *vpc_id;
    const char *subnet_id;
    const char *port_ip;
    int enable_dns;
    int enable_dns_set;
    const void *tags;
    size_t n_tags;
    const char *const *routetables;
    size_t n_routetables;
    int routetables_set;
    const char *const *whitelist;
    size_t n_whitelist;
    int whitelist_set;
    int enable_whitelist;
    int enable_whitelist_set;
    const char *specification_name;
    const void *policy_statements;
    size_t n_policy_statements;
    const char *description;
} vpcep_endpoint_create_opts_v1;

typedef struct vpcep_endpoint_list_opts_v1 {
    unsigned int version;
    const char *service_name;
    const char *vpc_id;
    const char *id;
    const char *sort_key;
    const char *sort_dir;
    int page_size;
} vpcep_endpoint_list_opts_v1;

typedef struct vpcep_resource_query_opts_v1 {
    unsigned int version;
    const void *tags;
    size_t n_tags;
    const void *tags_any;
    size_t n_tags_any;
    const void *not_tags;
    size_t n_not_tags;
    const void *not_tags_any;
    size_t n_not_tags_any;
    const char *resource_name;
    int page_size;
} vpcep_resource_query_opts_v1;

/* tfp/provider.h, TFP_SERVE_OPTIONS_VERSION 1 */
typedef struct tfp_serve_options_v1 {
    unsigned int version;
    const char *network;
    unsigned int protocols;
} tfp_serve_options_v1;

#endif
