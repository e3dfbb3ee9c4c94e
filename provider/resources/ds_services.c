/*
 * provider/resources/ds_services.c - data source "vpcep_services": the endpoint services of the
 * configured project, filtered by name, ID, VPC, status and tags. Name, ID and status go to the
 * list API; the VPC is compared here; tags go through the tag filter API (every given tag with
 * its value). The result is sorted by creation time and ID; the data source's ID is derived
 * from the filters only, so it is deterministic.
 */
#include "types.h"

#include <stdlib.h>
#include <string.h>

#define TYPE_NAME "vpcep_services"

static const char *const service_states[] = {"creating", "available", "failed", "deleting", NULL};
static const char *const filter_attrs[] = {"name", "service_id", "vpc_id", "status", "tags", NULL};

static const tfpv_ds_attr id_attr[] = {
    {"id", "\"string\"", "ID of the service."},
    {NULL, NULL, NULL},
};

int tfpv_ds_services_schema(tfp_schema **out)
{
    static const tfpv_ds_attr *const tables[] = {id_attr, tfpv_ds_service_attrs, NULL};
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
        rc = tfpv_add_attr(b, "name", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: services whose full name contains this text "
                           "(case-insensitive).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "service_id", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: the service with this ID.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "vpc_id", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: services whose backend is in this VPC.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "status", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: creating, available, failed or deleting.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "tags", map_str, TFP_ATTR_OPTIONAL,
                           "Filter: services that carry every one of these tags with its value.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "ids", list_str, TFP_ATTR_COMPUTED, "IDs of the services found.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "services", list, TFP_ATTR_COMPUTED,
                           "The services found, with the attributes of the vpcep_service data "
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

void tfpv_ds_services_check(tfp_diags *d, const tfp_value *cfg)
{
    tfpv_check_enum(d, cfg, "status", service_states);
}

static int ds_validate(tfp_call *call)
{
    tfpv_ds_services_check(tfp_call_diags(call), tfp_call_config(call));
    return 0;
}

static int keep_service(const void *item, const tfp_value *cfg)
{
    const vpcep_service *svc = item;
    const char *vpc = tfpv_str(cfg, "vpc_id");
    return vpc == NULL || vpc[0] == '\0' ||
           strcmp(svc->vpc_id != NULL ? svc->vpc_id : "", vpc) == 0;
}

static const char *service_id_of(const void *item)
{
    return ((const vpcep_service *)item)->id;
}

static const char *service_created(const void *item)
{
    return ((const vpcep_service *)item)->created_at;
}

static int service_fill(tfp_value *e, const void *item)
{
    return tfpv_ds_service_fill(e, item);
}

static int tagged_has(const void *tagged, const char *id)
{
    return tfpv_tagged_has(tagged, id);
}

int tfpv_ds_services_state(tfp_value **out,
                           const tfp_type *type,
                           const tfp_value *cfg,
                           const vpcep_service_list *list,
                           const vpcep_tagged_resource_list *tagged)
{
    static const tfpv_ds_list k = {"vpcep-services", "services",      filter_attrs, keep_service,
                                   service_id_of,    service_created, service_fill};
    return tfpv_ds_list_state(out, type, cfg,
                              list != NULL ? (const void *const *)list->items : NULL,
                              list != NULL ? list->count : 0, tagged_has, tagged, &k);
}

static int ds_read(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    const tfp_value *cfg = tfp_call_config(call);
    vpcep_service_list_opts opts = VPCEP_SERVICE_LIST_OPTS_INIT;
    vpcep_service_list *list = NULL;
    vpcep_tagged_resource_list *tagged = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client *client;
    tfp_value *st = NULL;
    int rc;

    tfpv_ds_services_check(d, cfg);
    if (tfp_diags_has_errors(d)) {
        return 0;
    }
    client = tfpv_client(call);
    if (client == NULL) {
        return 0;
    }
    opts.name = tfpv_str(cfg, "name");
    opts.id = tfpv_str(cfg, "service_id");
    opts.status = tfpv_str(cfg, "status");
    if (opts.name != NULL && opts.name[0] == '\0') {
        opts.name = NULL;
    }
    if (opts.id != NULL && opts.id[0] == '\0') {
        opts.id = NULL;
    }
    if (opts.status != NULL) {
        int i = tfpv_enum_index(opts.status, service_states);
        opts.status = i >= 0 ? service_states[i] : NULL;
    }
    rc = tfpv_tagged_ids(&tagged, client, d, VPCEP_RESOURCE_SERVICE, tfpv_get(cfg, "tags"));
    if (rc != 0) {
        return rc == TFP_ENOMEM ? rc : 0;
    }
    if (tagged == NULL || tagged->count > 0) {
        rc = vpcep_services_list(&list, client, &opts, &err);
        if (rc != 0) {
            tfpv_api_error(d, NULL, "Cannot list the endpoint services", rc, &err);
            vpcep_tagged_resource_list_free(tagged);
            return rc == VPCEP_ENOMEM ? TFP_ENOMEM : 0;
        }
    }
    rc = tfpv_ds_services_state(&st, tfp_schema_type(tfp_call_schema(call)), cfg, list, tagged);
    vpcep_service_list_free(list);
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

int tfpv_ds_services_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_ds_services_schema, &ds_handlers, 1);
}
