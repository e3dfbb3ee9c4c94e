/*
 * provider/resources/ds_endpoints.c - data source "vpcep_endpoints": the endpoints of the
 * configured project, filtered by service name, service ID, endpoint ID, VPC, status and tags.
 * Service name, endpoint ID and VPC go to the list API; service ID and status are compared
 * here; tags go through the tag filter API (every given tag with its value). The result is
 * sorted by creation time and ID; the data source's ID is derived from the filters only.
 */
#include "types.h"

#include <stdlib.h>
#include <string.h>

#define TYPE_NAME "vpcep_endpoints"

static const char *const endpoint_states[] = {
    "creating", "pendingAcceptance", "accepted", "rejected", "failed", "deleting", NULL};
static const char *const filter_attrs[] = {"service_name", "service_id", "endpoint_id", "vpc_id",
                                           "status",       "tags",       NULL};

static const tfpv_ds_attr id_attr[] = {
    {"id", "\"string\"", "ID of the endpoint."},
    {NULL, NULL, NULL},
};

int tfpv_ds_endpoints_schema(tfp_schema **out)
{
    static const tfpv_ds_attr *const tables[] = {id_attr, tfpv_ds_endpoint_attrs, NULL};
    tfp_schema *s = NULL;
    tfp_block *b;
    tfp_type *elem = NULL, *list = NULL, *list_str = NULL, *map_str = NULL;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    rc = tfpv_ds_object_type(&elem, tables);
    if (rc == 0) {
        rc = tfp_type_list_new(&list, elem);
    }
    if (rc == 0) {
        rc = tfp_type_list_new(&list_str, tfp_type_string());
    }
    if (rc == 0) {
        rc = tfp_type_map_new(&map_str, tfp_type_string());
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "id", tfp_type_string(), TFP_ATTR_COMPUTED,
                           "Deterministic ID derived from the filters.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "service_name", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: endpoints to services whose full name contains this text "
                           "(case-insensitive).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "service_id", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: endpoints to the service with this ID.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "endpoint_id", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: the endpoint with this ID.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "vpc_id", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: endpoints in this VPC.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "status", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: creating, pendingAcceptance, accepted, rejected, failed or "
                           "deleting.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "tags", map_str, TFP_ATTR_OPTIONAL,
                           "Filter: endpoints that carry every one of these tags with its value.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "ids", list_str, TFP_ATTR_COMPUTED, "IDs of the endpoints found.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "endpoints", list, TFP_ATTR_COMPUTED,
                           "The endpoints found, with the attributes of the vpcep_endpoint data "
                           "source.");
    }
    tfp_type_free(elem);
    tfp_type_free(list);
    tfp_type_free(list_str);
    tfp_type_free(map_str);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void tfpv_ds_endpoints_check(tfp_diags *d, const tfp_value *cfg)
{
    tfpv_check_enum(d, cfg, "status", endpoint_states);
}

static int ds_validate(tfp_call *call)
{
    tfpv_ds_endpoints_check(tfp_call_diags(call), tfp_call_config(call));
    return 0;
}

static int keep_endpoint(const void *item, const tfp_value *cfg)
{
    const vpcep_endpoint *ep = item;
    const char *sid = tfpv_str(cfg, "service_id"), *status = tfpv_str(cfg, "status");
    return (sid == NULL || sid[0] == '\0' ||
            strcmp(ep->endpoint_service_id != NULL ? ep->endpoint_service_id : "", sid) == 0) &&
           (status == NULL || tfpv_streq_nocase(ep->status != NULL ? ep->status : "", status));
}

static const char *endpoint_id_of(const void *item)
{
    return ((const vpcep_endpoint *)item)->id;
}

static const char *endpoint_created(const void *item)
{
    return ((const vpcep_endpoint *)item)->created_at;
}

static int endpoint_fill(tfp_value *e, const void *item)
{
    return tfpv_ds_endpoint_fill(e, item);
}

static int tagged_has(const void *tagged, const char *id)
{
    return tfpv_tagged_has(tagged, id);
}

int tfpv_ds_endpoints_state(tfp_value **out,
                            const tfp_type *type,
                            const tfp_value *cfg,
                            const vpcep_endpoint_list *list,
                            const vpcep_tagged_resource_list *tagged)
{
    static const tfpv_ds_list k = {"vpcep-endpoints", "endpoints",      filter_attrs, keep_endpoint,
                                   endpoint_id_of,    endpoint_created, endpoint_fill};
    return tfpv_ds_list_state(out, type, cfg,
                              list != NULL ? (const void *const *)list->items : NULL,
                              list != NULL ? list->count : 0, tagged_has, tagged, &k);
}

static int ds_read(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    const tfp_value *cfg = tfp_call_config(call);
    vpcep_endpoint_list_opts opts = VPCEP_ENDPOINT_LIST_OPTS_INIT;
    vpcep_endpoint_list *list = NULL;
    vpcep_tagged_resource_list *tagged = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client *client;
    tfp_value *st = NULL;
    int rc;

    tfpv_ds_endpoints_check(d, cfg);
    if (tfp_diags_has_errors(d)) {
        return 0;
    }
    client = tfpv_client(call);
    if (client == NULL) {
        return 0;
    }
    opts.service_name = tfpv_str(cfg, "service_name");
    opts.id = tfpv_str(cfg, "endpoint_id");
    opts.vpc_id = tfpv_str(cfg, "vpc_id");
    if (opts.service_name != NULL && opts.service_name[0] == '\0') {
        opts.service_name = NULL;
    }
    if (opts.id != NULL && opts.id[0] == '\0') {
        opts.id = NULL;
    }
    if (opts.vpc_id != NULL && opts.vpc_id[0] == '\0') {
        opts.vpc_id = NULL;
    }
    rc = tfpv_tagged_ids(&tagged, client, d, VPCEP_RESOURCE_ENDPOINT, tfpv_get(cfg, "tags"));
    if (rc != 0) {
        return rc == TFP_ENOMEM ? rc : 0;
    }
    if (tagged == NULL || tagged->count > 0) {
        rc = vpcep_endpoints_list(&list, client, &opts, &err);
        if (rc != 0) {
            tfpv_api_error(d, NULL, "Cannot list the endpoints", rc, &err);
            vpcep_tagged_resource_list_free(tagged);
            return rc == VPCEP_ENOMEM ? TFP_ENOMEM : 0;
        }
    }
    rc = tfpv_ds_endpoints_state(&st, tfp_schema_type(tfp_call_schema(call)), cfg, list, tagged);
    vpcep_endpoint_list_free(list);
    vpcep_tagged_resource_list_free(tagged);
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, st);
}

static const tfpv_handlers ds_handlers = {
    .validate = ds_validate,
    .read_data = ds_read,
};

int tfpv_ds_endpoints_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_ds_endpoints_schema, &ds_handlers, 1);
}
