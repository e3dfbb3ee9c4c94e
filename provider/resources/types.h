/*
 * provider/resources/types.h - the testable pieces of each resource and data source: schema
 * builders, validators, pure plan functions and API-to-state mappings.
 */
#ifndef TFPV_RESOURCES_TYPES_H
#define TFPV_RESOURCES_TYPES_H

#include "api_util.h"
#include "internal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* vpcep_service */
int tfpv_service_schema(tfp_schema **out);
/** Validates a (possibly partly unknown) configuration; errors carry attribute paths. */
void tfpv_service_check(tfp_diags *d, const tfp_value *cfg);
/** The planned state from prior (NULL/null on create), proposed and config. */
int tfpv_service_plan_value(tfp_value **out,
                            const tfp_value *prior,
                            const tfp_value *proposed,
                            const tfp_value *config);
/** The state of a service read from the API; @p prior keeps the user's spellings. */
int tfpv_service_state(tfp_value **out,
                       const tfp_type *type,
                       const tfp_value *prior,
                       const vpcep_service *svc,
                       const vpcep_permission_list *perms,
                       const vpcep_connection_list *conns);
/** Sets st.port (a set of {client_port, server_port, protocol}) from the service's ports;
 *  @p prior (may be NULL) keeps the user's spelling of the protocol. */
int tfpv_service_set_ports(tfp_value *st, const tfp_value *prior, const vpcep_service *svc);
/** Sets st.whitelist (set of domain IDs) from the permissions (NULL = none); empty stays null
 *  unless @p prior is a known set. */
int tfpv_service_set_whitelist(tfp_value *st,
                               const vpcep_permission_list *perms,
                               const tfp_value *prior);

/* vpcep_endpoint */
int tfpv_endpoint_schema(tfp_schema **out);
void tfpv_endpoint_check(tfp_diags *d, const tfp_value *cfg);
/** Checks the interface-only and gateway-only arguments once the service type is known. */
void tfpv_endpoint_check_type(tfp_diags *d, const tfp_value *cfg, const char *service_type);
/** @p info: the service looked up at plan time (NULL when not verified). */
int tfpv_endpoint_plan_value(tfp_value **out,
                             const tfp_value *prior,
                             const tfp_value *proposed,
                             const vpcep_service_info *info);
/** The attribute names whose change replaces the endpoint; returns how many (<= max). */
int tfpv_endpoint_replace_paths(const tfp_value *prior,
                                const tfp_value *planned,
                                const char **out,
                                size_t max);
int tfpv_endpoint_state(tfp_value **out,
                        const tfp_type *type,
                        const tfp_value *prior,
                        const vpcep_endpoint *ep);

/* vpcep_approval */
int tfpv_approval_schema(tfp_schema **out);
void tfpv_approval_check(tfp_diags *d, const tfp_value *cfg);
int tfpv_approval_plan_value(tfp_value **out, const tfp_value *prior, const tfp_value *proposed);
/** endpoints = the accepted connections among prior.endpoints (all accepted when null). */
int tfpv_approval_state(tfp_value **out,
                        const tfp_type *type,
                        const tfp_value *prior,
                        const char *service_id,
                        const vpcep_connection_list *conns);

/* moves from the OTC (huawei 0) and Huawei Cloud (huawei 1) providers: @p src is the source
 * state decoded with move.c's source shape */
int tfpv_service_from_go(tfp_value **out, const tfp_type *type, const tfp_value *src, int huawei);
int tfpv_endpoint_from_go(tfp_value **out, const tfp_type *type, const tfp_value *src, int huawei);
int tfpv_approval_from_go(tfp_value **out, const tfp_type *type, const tfp_value *src);

/* data sources */

/** A computed data-source attribute: name, cty JSON type, description. */
typedef struct tfpv_ds_attr {
    const char *name;
    const char *type_json;
    const char *desc;
} tfpv_ds_attr;
/** Adds the attributes of @p attrs (terminated by a NULL name) as computed attributes. */
int tfpv_ds_add_attrs(tfp_block *b, const tfpv_ds_attr *attrs);
/** The object type of the attributes of every table in @p tables (NULL-terminated). */
int tfpv_ds_object_type(tfp_type **out, const tfpv_ds_attr *const *tables);

/** What a service read with the owner's GET fills (vpcep_service and vpcep_services). */
extern const tfpv_ds_attr tfpv_ds_service_attrs[];
/** Sets the attributes of tfpv_ds_service_attrs on @p obj from @p svc. */
int tfpv_ds_service_fill(tfp_value *obj, const vpcep_service *svc);
int tfpv_ds_service_schema(tfp_schema **out);
void tfpv_ds_service_check(tfp_diags *d, const tfp_value *cfg);
/** @p info: the describe answer; @p svc, @p perms, @p conns: the owner's view, NULL for a
 *  service of another project (those attributes stay null). */
int tfpv_ds_service_state(tfp_value **out,
                          const tfp_type *type,
                          const vpcep_service_info *info,
                          const vpcep_service *svc,
                          const vpcep_permission_list *perms,
                          const vpcep_connection_list *conns);
/** What an endpoint read from the API fills (vpcep_endpoint and vpcep_endpoints). */
extern const tfpv_ds_attr tfpv_ds_endpoint_attrs[];
/** Sets the attributes of tfpv_ds_endpoint_attrs on @p obj from @p ep. */
int tfpv_ds_endpoint_fill(tfp_value *obj, const vpcep_endpoint *ep);
int tfpv_ds_endpoint_schema(tfp_schema **out);
int tfpv_ds_endpoint_state(tfp_value **out, const tfp_type *type, const vpcep_endpoint *ep);
/* vpcep_services and vpcep_endpoints: @p cfg is the configuration (filters), @p list the
 * list API's answer (NULL = nothing), @p tagged the tag filter's answer (NULL = no tag filter) */
int tfpv_ds_services_schema(tfp_schema **out);
void tfpv_ds_services_check(tfp_diags *d, const tfp_value *cfg);
int tfpv_ds_services_state(tfp_value **out,
                           const tfp_type *type,
                           const tfp_value *cfg,
                           const vpcep_service_list *list,
                           const vpcep_tagged_resource_list *tagged);
int tfpv_ds_endpoints_schema(tfp_schema **out);
void tfpv_ds_endpoints_check(tfp_diags *d, const tfp_value *cfg);
int tfpv_ds_endpoints_state(tfp_value **out,
                            const tfp_type *type,
                            const tfp_value *cfg,
                            const vpcep_endpoint_list *list,
                            const vpcep_tagged_resource_list *tagged);
int tfpv_ds_public_services_schema(tfp_schema **out);
int tfpv_ds_public_services_state(tfp_value **out,
                                  const tfp_type *type,
                                  const char *name,
                                  const vpcep_service_info_list *list);

#ifdef __cplusplus
}
#endif

#endif
