/*
 * vpcep-emulator: internal interfaces of the store modules (state, lifecycles, validation,
 * paging, the per-resource handlers and the router). Every function here runs with
 * emu_server.mu held.
 */
#ifndef VPCEP_EMU_STORE_H
#define VPCEP_EMU_STORE_H

#include "emu.h"

#include <stddef.h>

#define MAX_SEGS 8
#define MAX_TAGS 10
#define MAX_PORTS 200
#define MAX_PERMISSIONS 50 /* records in one permissions/action request (EndPoint.3049) */
/* Records in one service's whitelist: the API documents no total; the emulator bounds its
 * memory here (EndPoint.3049 "The whitelist of the service is full"). */
#define MAX_WHITELIST_RECORDS 10000
#define MAX_WHITELIST 20
#define DEFAULT_SERVICE_QUOTA 20
#define DEFAULT_ENDPOINT_QUOTA 50
#define MARKER_BASE 4294967296.0 /* markers above 2^32 so clients must use int64 */

/* One request being handled: the server, the request and its answer, the authenticated
 * account and project, and the time the lifecycles were advanced to. */
typedef struct emu_ctx {
    emu_server *srv;
    const emu_request *req;
    emu_response *resp;
    const cJSON *acct;
    const char *pid;
    double now;
} emu_ctx;

/* paging.c: the list query parameters. */
typedef struct emu_list_params {
    long long limit;
    long long offset;
    int by_updated;
    int asc;
} emu_list_params;

/* Renders one stored item for a list answer. */
typedef cJSON *(*emu_render_fn)(const emu_server *srv, const cJSON *item);

/* ---- store.c -----------------------------------------------------------------------------------
 */
int emu_connection_count(const emu_server *srv, const char *svc_id);
int emu_count_in_project(cJSON *arr, const char *pid);
cJSON *emu_find_by_id(cJSON *arr, const char *id);
const cJSON *emu_find_public(const emu_server *srv, const char *id, const char *name);
double emu_jnum(const cJSON *obj, const char *key, double dflt);
int emu_jtrue(const cJSON *obj, const char *key);
void emu_objects_dump(emu_ctx *c);
const char *emu_query(const emu_ctx *c, const char *key);
int emu_quota_of(const emu_server *srv, const char *type, int dflt);
double emu_random_locked(emu_server *srv);
cJSON *emu_render(const cJSON *obj);
cJSON *emu_render_service(const emu_server *srv, const cJSON *svc, int with_domain);
void emu_set_bool(cJSON *obj, const char *key, int v);
void emu_set_item(cJSON *obj, const char *key, cJSON *item);
void emu_set_num(cJSON *obj, const char *key, double v);
void emu_set_str(cJSON *obj, const char *key, const char *v);
int emu_streq(const char *a, const char *b);

/* ---- lifecycle.c -------------------------------------------------------------------------------
 */
void emu_accept_endpoint(emu_server *srv, cJSON *ep, double now);
void emu_advance(emu_server *srv, double now);
int emu_draw_failure(emu_server *srv);

/* ---- validate.c --------------------------------------------------------------------------------
 */
extern const char *const EMU_TCP_PROXY[];
int emu_bad(emu_ctx *c, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int emu_check_description(emu_ctx *c, const char *d);
int emu_check_port_conflict(emu_ctx *c,
                            const char *skip_id,
                            const char *port_id,
                            const cJSON *ports);
cJSON *emu_check_ports(emu_ctx *c, const cJSON *ports);
int emu_check_service_name(emu_ctx *c, const char *n);
cJSON *emu_check_tags(emu_ctx *c, const cJSON *tags, int allow_missing_value, int max);
int emu_has_id(const cJSON *vpc, const char *list, const char *id);
int emu_in_list(const char *v, const char *const *list);
int emu_opt_bool(emu_ctx *c, const cJSON *body, const char *key);
int emu_opt_string(emu_ctx *c, const cJSON *body, const char *key, const char **out);
cJSON *emu_parse_body(emu_ctx *c);
int emu_req_string(emu_ctx *c, const cJSON *body, const char *key, const char **out);

/* ---- paging.c ----------------------------------------------------------------------------------
 */
const cJSON **emu_collect(cJSON *arr, size_t *n);
int emu_parse_list_params(emu_ctx *c, emu_list_params *lp, long long max_limit);
void emu_respond_page(emu_ctx *c,
                      const cJSON **items,
                      size_t n,
                      const emu_list_params *lp,
                      const char *list_key,
                      emu_render_fn fn);

/* ---- services.c --------------------------------------------------------------------------------
 */
void emu_create_service(emu_ctx *c);
void emu_delete_service(emu_ctx *c, const char *id);
void emu_describe_service(emu_ctx *c);
void emu_get_service(emu_ctx *c, const char *id);
void emu_list_public(emu_ctx *c);
void emu_list_services(emu_ctx *c);
cJSON *emu_own_service(emu_ctx *c, const char *id);
void emu_update_service(emu_ctx *c, const char *id);

/* ---- connections.c -----------------------------------------------------------------------------
 */
void emu_connection_action(emu_ctx *c, const char *svc_id);
void emu_list_connections(emu_ctx *c, const char *svc_id);

/* ---- permissions.c -----------------------------------------------------------------------------
 */
void emu_list_permissions(emu_ctx *c, const char *svc_id);
void emu_permission_action(emu_ctx *c, const char *svc_id);

/* ---- endpoints.c -------------------------------------------------------------------------------
 */
void emu_create_endpoint(emu_ctx *c);
void emu_delete_endpoint(emu_ctx *c, const char *id);
void emu_list_endpoints(emu_ctx *c);
cJSON *emu_own_endpoint(emu_ctx *c, const char *id);

/* ---- quotas.c ----------------------------------------------------------------------------------
 */
void emu_get_quotas(emu_ctx *c);

/* ---- tags.c ------------------------------------------------------------------------------------
 */
void emu_list_project_tags(emu_ctx *c, const char *rtype);
void emu_resource_instances(emu_ctx *c, const char *rtype);
void emu_tags_action(emu_ctx *c, const char *rtype, const char *id);

/* ---- versions.c --------------------------------------------------------------------------------
 */
cJSON *emu_version_obj(const emu_server *srv, const char *id, const char *updated);

#endif
