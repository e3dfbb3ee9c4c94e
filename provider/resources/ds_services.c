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

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int by_created(const void *x, const void *y)
{
    const vpcep_service *a = *(const vpcep_service *const *)x;
    const vpcep_service *b = *(const vpcep_service *const *)y;
    int c = str_cmp(a->created_at, b->created_at);
    return c != 0 ? c : str_cmp(a->id, b->id);
}

int tfpv_ds_services_state(tfp_value **out,
                           const tfp_type *type,
                           const tfp_value *cfg,
                           const vpcep_service_list *list,
                           const vpcep_tagged_resource_list *tagged)
{
    const char *vpc = tfpv_str(cfg, "vpc_id");
    const vpcep_service **found = NULL;
    const char **ids = NULL;
    size_t n = 0, total = list != NULL ? list->count : 0;
    tfp_value *st = NULL, *coll = NULL, *e = NULL;
    const tfp_type *lt, *et;
    char id[96];
    int rc = tfp_value_new_object(&st, type);
    if (rc != 0) {
        return rc;
    }
    found = calloc(total + 1, sizeof *found);
    ids = calloc(total + 1, sizeof *ids);
    if (found == NULL || ids == NULL) {
        rc = TFP_ENOMEM;
    }
    for (size_t i = 0; rc == 0 && i < total; i++) {
        const vpcep_service *svc = list->items[i];
        if ((vpc != NULL && vpc[0] != '\0' && str_cmp(svc->vpc_id, vpc) != 0) ||
            (tagged != NULL && !tfpv_tagged_has(tagged, svc->id))) {
            continue;
        }
        found[n++] = svc;
    }
    if (rc == 0) {
        qsort(found, n, sizeof *found, by_created);
        rc = tfpv_ds_filter_id(id, sizeof id, "vpcep-services", cfg, filter_attrs);
    }
    for (size_t i = 0; rc == 0 && filter_attrs[i] != NULL; i++) {
        rc = tfpv_copy_attr(st, cfg, filter_attrs[i]);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", id);
    }
    lt = tfpv_attr_type(st, "services");
    et = lt != NULL ? tfp_type_element(lt) : NULL;
    if (rc == 0 && et == NULL) {
        rc = TFP_EINVALID;
    }
    if (rc == 0) {
        rc = tfp_value_new_collection(&coll, lt);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        ids[i] = found[i]->id != NULL ? found[i]->id : "";
        rc = tfp_value_new_object(&e, et);
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "id", found[i]->id);
        }
        if (rc == 0) {
            rc = tfpv_ds_service_fill(e, found[i]);
        }
        if (rc == 0) {
            rc = tfp_value_append(coll, e);
        } else {
            tfp_value_free(e);
        }
        e = NULL;
    }
    if (rc == 0) {
        rc = tfp_value_set_attr(st, "services", coll);
        coll = NULL;
    }
    if (rc == 0) {
        rc = tfpv_set_string_collection(st, "ids", ids, n);
    }
    tfp_value_free(coll);
    free(found);
    free(ids);
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
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
