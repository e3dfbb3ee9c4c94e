/*
 * provider/resources/ds_service.c - data source "vpcep_service": looks up any endpoint
 * service (also another account's) by full name or ID through the describe API.
 */
#include "types.h"

#include <string.h>

#define TYPE_NAME "vpcep_service"

int tfpv_ds_service_schema(tfp_schema **out)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    const unsigned oc = TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    rc = tfpv_add_attr(b, "id", tfp_type_string(), oc,
                       "Service ID to look up (exactly one of id and name).");
    if (rc == 0) {
        rc = tfpv_add_attr(b, "name", tfp_type_string(), oc,
                           "Full service name to look up, e.g. eu-de.name.uuid (exactly one "
                           "of id and name).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "service_type", tfp_type_string(), TFP_ATTR_COMPUTED,
                           "interface or gateway.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "server_type", tfp_type_string(), TFP_ATTR_COMPUTED,
                           "Backend type, when the API returns it.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "is_charge", tfp_type_bool(), TFP_ATTR_COMPUTED,
                           "Whether connections are charged.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "created_at", tfp_type_string(), TFP_ATTR_COMPUTED, "Creation time.");
    }
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void tfpv_ds_service_check(tfp_diags *d, const tfp_value *cfg)
{
    const tfp_value *id = tfpv_get(cfg, "id"), *name = tfpv_get(cfg, "name");
    int has_id = tfpv_is_unknown(id) || !tfpv_is_empty(id);
    int has_name = tfpv_is_unknown(name) || !tfpv_is_empty(name);
    if (has_id && has_name) {
        tfp_diags_error(d, "name", "Conflicting arguments", "Set exactly one of id and name.");
    } else if (!has_id && !has_name) {
        tfp_diags_error(d, "name", "Missing argument", "Set exactly one of id and name.");
    }
}

static int ds_validate(tfp_call *call)
{
    tfpv_ds_service_check(tfp_call_diags(call), tfp_call_config(call));
    return 0;
}

int tfpv_ds_service_state(tfp_value **out, const tfp_type *type, const vpcep_service_info *info)
{
    tfp_value *st = NULL;
    int rc = tfp_value_new_object(&st, type);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", info->id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "name", info->service_name);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_type", info->service_type);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "server_type", info->server_type);
    }
    if (rc == 0) {
        rc = info->is_charge_set ? tfp_value_set_attr_bool(st, "is_charge", info->is_charge)
                                 : tfp_value_set_attr_null(st, "is_charge");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "created_at", info->created_at);
    }
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
    const char *id = tfpv_str(cfg, "id"), *name = tfpv_str(cfg, "name");
    vpcep_client *client;
    vpcep_service_info *info = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    tfp_value *st = NULL;
    int rc;

    tfpv_ds_service_check(d, cfg);
    if (tfp_diags_has_errors(d)) {
        return 0;
    }
    client = tfpv_client(call);
    if (client == NULL) {
        return 0;
    }
    if (id != NULL && id[0] == '\0') {
        id = NULL;
    }
    rc = vpcep_service_describe(&info, client, id, id != NULL ? NULL : name, &err);
    if (rc == VPCEP_ENOTFOUND) {
        tfp_diags_error(d, id != NULL ? "id" : "name",
                        id != NULL ? "service not found"
                                   : "service name not found: check the region and the name",
                        "No endpoint service %s \"%s\": check that the region (%s) and the %s "
                        "are correct.",
                        id != NULL ? "has the ID" : "is named", id != NULL ? id : name,
                        tfpv_region(call), id != NULL ? "ID" : "name");
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(d, id != NULL ? "id" : "name", "Cannot look up the endpoint service", rc,
                       &err);
        return 0;
    }
    rc = tfpv_ds_service_state(&st, tfp_schema_type(tfp_call_schema(call)), info);
    vpcep_service_info_free(info);
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, st);
}

static const tfpv_handlers ds_handlers = {
    .validate = ds_validate,
    .read_data = ds_read,
};

int tfpv_ds_service_register(tfp_provider *p)
{
    tfp_schema *s = NULL;
    int rc = tfpv_ds_service_schema(&s);
    if (rc != 0) {
        return rc;
    }
    return tfpv_register_type(p, TYPE_NAME, s, &ds_handlers, 1);
}
