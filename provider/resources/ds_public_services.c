/*
 * provider/resources/ds_public_services.c - data source "vpcep_public_services": the public
 * (cloud operator) services, optionally filtered by name. The ID is derived from the filter
 * only, so it is deterministic.
 */
#include "types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_NAME "vpcep_public_services"

int tfpv_ds_public_services_schema(tfp_schema **out)
{
    static const char *const names[] = {"id",    "service_name", "service_type",
                                        "owner", "is_charge",    "created_at"};
    const tfp_type *types[6];
    tfp_type *obj = NULL, *list = NULL;
    tfp_schema *s = NULL;
    tfp_block *b;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    types[0] = tfp_type_string();
    types[1] = tfp_type_string();
    types[2] = tfp_type_string();
    types[3] = tfp_type_string();
    types[4] = tfp_type_bool();
    types[5] = tfp_type_string();
    rc = tfp_type_object_new(&obj, 6, names, types);
    if (rc == 0) {
        rc = tfp_type_list_new(&list, obj);
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "id", tfp_type_string(), TFP_ATTR_COMPUTED,
                           "Deterministic ID derived from the filter.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "name", tfp_type_string(), TFP_ATTR_OPTIONAL,
                           "Filter: services whose name contains this text (case-insensitive).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "services", list, TFP_ATTR_COMPUTED,
                           "The public services: id, service_name, service_type, owner, "
                           "is_charge, created_at.");
    }
    tfp_type_free(list);
    tfp_type_free(obj);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int tfpv_ds_public_services_state(tfp_value **out,
                                  const tfp_type *type,
                                  const char *name,
                                  const vpcep_service_info_list *list)
{
    tfp_value *st = NULL, *coll = NULL, *e = NULL;
    const tfp_type *lt, *et;
    char id[320];
    int rc = tfp_value_new_object(&st, type);
    if (rc != 0) {
        return rc;
    }
    lt = tfpv_attr_type(st, "services");
    et = tfp_type_element(lt);
    snprintf(id, sizeof id, "vpcep-public-services%s%s", name != NULL ? "/" : "",
             name != NULL ? name : "");
    rc = tfp_value_set_attr_string(st, "id", id);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "name", name);
    }
    if (rc == 0) {
        rc = tfp_value_new_collection(&coll, lt);
    }
    for (size_t i = 0; rc == 0 && list != NULL && i < list->count; i++) {
        const vpcep_service_info *si = list->items[i];
        rc = tfp_value_new_object(&e, et);
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "id", si->id);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "service_name", si->service_name);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "service_type", si->service_type);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "owner", si->owner);
        }
        if (rc == 0) {
            rc = si->is_charge_set ? tfp_value_set_attr_bool(e, "is_charge", si->is_charge)
                                   : tfp_value_set_attr_null(e, "is_charge");
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "created_at", si->created_at);
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
    tfp_value_free(coll);
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
    const char *name = tfpv_str(tfp_call_config(call), "name");
    vpcep_public_service_list_opts opts;
    vpcep_service_info_list *list = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client *client = tfpv_client(call);
    tfp_value *st = NULL;
    int rc;
    if (client == NULL) {
        return 0;
    }
    memset(&opts, 0, sizeof opts);
    opts.version = VPCEP_PUBLIC_SERVICE_LIST_OPTS_VERSION;
    opts.name = (name != NULL && name[0] != '\0') ? name : NULL;
    rc = vpcep_public_services_list(&list, client, &opts, &err);
    if (rc != 0) {
        tfpv_api_error(d, NULL, "Cannot list the public endpoint services", rc, &err);
        return 0;
    }
    rc = tfpv_ds_public_services_state(&st, tfp_schema_type(tfp_call_schema(call)), name, list);
    vpcep_service_info_list_free(list);
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, st);
}

static const tfpv_handlers ds_handlers = {
    .read_data = ds_read,
};

int tfpv_ds_public_services_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_ds_public_services_schema, &ds_handlers, 1);
}
