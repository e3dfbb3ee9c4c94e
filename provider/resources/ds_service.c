/*
 * provider/resources/ds_service.c - data source "vpcep_service": looks up any endpoint
 * service (also another account's) by full name or ID through the describe API. For a
 * service of the configured project it also exports what the vpcep_service resource exports
 * (VPC, port, ports, approval, TCP proxy, whitelist, tags, status, connections); those are
 * null for another account's service, which only the describe API can see.
 *
 * The attributes a service read from the API fills (tfpv_ds_service_attrs) are shared with
 * the elements of the plural "vpcep_services" data source.
 */
#include "types.h"

#include <string.h>

#define TYPE_NAME "vpcep_service"

#define PORTS_TYPE                                                                                 \
    "[\"set\",[\"object\",{\"client_port\":\"number\",\"server_port\":\"number\","                 \
    "\"protocol\":\"string\"}]]"

const tfpv_ds_attr tfpv_ds_service_attrs[] = {
    {"service_name", "\"string\"",
     "Full service name, e.g. eu-de.name.uuid: what consumers use to find the service."},
    {"service_type", "\"string\"", "interface or gateway."},
    {"server_type", "\"string\"", "Backend type: VM, VIP or LB."},
    {"description", "\"string\"", "Description of the service."},
    {"vpc_id", "\"string\"", "VPC of the backend."},
    {"port_id", "\"string\"", "Port of the backend."},
    {"approval_enabled", "\"bool\"", "Whether connections need the owner's approval."},
    {"tcp_proxy", "\"string\"", "Client information passed to the backend."},
    {"port", PORTS_TYPE, "Port mappings: client_port, server_port, protocol."},
    {"tags", "[\"map\",\"string\"]", "Tags of the service."},
    {"status", "\"string\"", "Service status."},
    {"connection_count", "\"number\"", "Endpoints connected (creating or accepted)."},
    {"project_id", "\"string\"", "Project that owns the service."},
    {"created_at", "\"string\"", "Creation time."},
    {"updated_at", "\"string\"", "Time of the last change."},
    {NULL, NULL, NULL},
};

int tfpv_ds_add_attrs(tfp_block *b, const tfpv_ds_attr *attrs)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && attrs[i].name != NULL; i++) {
        tfp_type *t = NULL;
        rc = tfp_type_from_json(&t, attrs[i].type_json, strlen(attrs[i].type_json));
        if (rc == 0) {
            rc = tfpv_add_attr(b, attrs[i].name, t, TFP_ATTR_COMPUTED, attrs[i].desc);
        }
        tfp_type_free(t);
    }
    return rc;
}

int tfpv_ds_object_type(tfp_type **out, const tfpv_ds_attr *const *tables)
{
    const char *names[64];
    tfp_type *types[64];
    size_t n = 0;
    int rc = 0;
    for (size_t k = 0; rc == 0 && tables[k] != NULL; k++) {
        for (size_t i = 0; rc == 0 && tables[k][i].name != NULL; i++) {
            const tfpv_ds_attr *a = &tables[k][i];
            if (n == sizeof names / sizeof names[0]) {
                rc = TFP_EINVALID;
                break;
            }
            types[n] = NULL;
            rc = tfp_type_from_json(&types[n], a->type_json, strlen(a->type_json));
            if (rc == 0) {
                names[n++] = a->name;
            }
        }
    }
    if (rc == 0) {
        rc = tfp_type_object_new(out, n, names, (const tfp_type *const *)types);
    }
    for (size_t i = 0; i < n; i++) {
        tfp_type_free(types[i]);
    }
    return rc;
}

int tfpv_ds_service_fill(tfp_value *obj, const vpcep_service *svc)
{
    int rc = tfp_value_set_attr_string(obj, "service_name", svc->service_name);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "service_type",
                                       svc->service_type != NULL ? svc->service_type : "interface");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "server_type", svc->server_type);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "description",
                                       svc->description != NULL ? svc->description : "");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "vpc_id", svc->vpc_id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "port_id", svc->port_id);
    }
    if (rc == 0) {
        rc = svc->approval_enabled_set
                 ? tfp_value_set_attr_bool(obj, "approval_enabled", svc->approval_enabled)
                 : tfp_value_set_attr_null(obj, "approval_enabled");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "tcp_proxy",
                                       svc->tcp_proxy != NULL ? svc->tcp_proxy : "close");
    }
    if (rc == 0) {
        rc = tfpv_service_set_ports(obj, NULL, svc);
    }
    if (rc == 0) {
        rc = svc->n_tags > 0 ? tfpv_set_tags_from_api(obj, "tags", svc->tags, svc->n_tags, NULL)
                             : tfpv_set_empty_collection(obj, "tags");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "status", svc->status);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_int64(obj, "connection_count", svc->connection_count);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "project_id", svc->project_id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "created_at", svc->created_at);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "updated_at", svc->updated_at);
    }
    return rc;
}

int tfpv_ds_service_schema(tfp_schema **out)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    tfp_type *set_str = NULL;
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
        rc = tfpv_ds_add_attrs(b, tfpv_ds_service_attrs);
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "is_charge", tfp_type_bool(), TFP_ATTR_COMPUTED,
                           "Whether connections are charged.");
    }
    if (rc == 0) {
        rc = tfp_type_set_new(&set_str, tfp_type_string());
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "whitelist", set_str, TFP_ATTR_COMPUTED,
                           "Account (domain) IDs allowed to connect; \"*\" allows everyone.");
    }
    if (rc == 0) {
        rc = tfpv_add_connections_attr(b);
    }
    tfp_type_free(set_str);
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

int tfpv_ds_service_state(tfp_value **out,
                          const tfp_type *type,
                          const vpcep_service_info *info,
                          const vpcep_service *svc,
                          const vpcep_permission_list *perms,
                          const vpcep_connection_list *conns)
{
    tfp_value *st = NULL;
    int rc = tfp_value_new_object(&st, type);
    if (rc == 0 && svc != NULL) {
        rc = tfpv_ds_service_fill(st, svc);
    }
    if (rc == 0 && svc != NULL) {
        rc = tfpv_service_set_whitelist(st, perms, NULL);
    }
    if (rc == 0 && svc != NULL && tfp_value_is_null(tfp_value_attr(st, "whitelist"))) {
        rc = tfpv_set_empty_collection(st, "whitelist");
    }
    if (rc == 0 && svc != NULL) {
        rc = tfpv_set_connections(st, conns);
    }
    /* The describe answer: what any account can see (and is_charge, which only it has). */
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", info->id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "name", info->service_name);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_name", info->service_name);
    }
    if (rc == 0 && info->service_type != NULL) {
        rc = tfp_value_set_attr_string(st, "service_type", info->service_type);
    }
    if (rc == 0 && info->server_type != NULL) {
        rc = tfp_value_set_attr_string(st, "server_type", info->server_type);
    }
    if (rc == 0) {
        rc = info->is_charge_set ? tfp_value_set_attr_bool(st, "is_charge", info->is_charge)
                                 : tfp_value_set_attr_null(st, "is_charge");
    }
    if (rc == 0 && info->created_at != NULL) {
        rc = tfp_value_set_attr_string(st, "created_at", info->created_at);
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* The project's own view of service @p id: *svc NULL when the service belongs to another
 * project (the API answers 404 for those). Errors become diagnostics; returns 0 or 1 (an
 * error was reported). */
static int read_own(tfp_diags *d,
                    vpcep_client *client,
                    const char *id,
                    vpcep_service **svc,
                    vpcep_permission_list **perms,
                    vpcep_connection_list **conns)
{
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_service_get(svc, client, id, &err);
    if (rc == VPCEP_ENOTFOUND) {
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(d, NULL, "Cannot read the endpoint service", rc, &err);
        return 1;
    }
    rc = vpcep_permissions_list(perms, client, id, NULL, &err);
    if (rc != 0) {
        tfpv_api_error(d, NULL, "Cannot read the whitelist of the endpoint service", rc, &err);
        return 1;
    }
    rc = vpcep_connections_list(conns, client, id, NULL, &err);
    if (rc != 0) {
        tfpv_api_error(d, NULL, "Cannot read the connections of the endpoint service", rc, &err);
        return 1;
    }
    return 0;
}

static int ds_read(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    const tfp_value *cfg = tfp_call_config(call);
    const char *id = tfpv_str(cfg, "id"), *name = tfpv_str(cfg, "name");
    vpcep_client *client;
    vpcep_service_info *info = NULL;
    vpcep_service *svc = NULL;
    vpcep_permission_list *perms = NULL;
    vpcep_connection_list *conns = NULL;
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
    rc = 0;
    if (read_own(d, client, info->id, &svc, &perms, &conns) == 0) {
        rc = tfpv_ds_service_state(&st, tfp_schema_type(tfp_call_schema(call)), info, svc, perms,
                                   conns);
    }
    vpcep_service_info_free(info);
    vpcep_service_free(svc);
    vpcep_permission_list_free(perms);
    vpcep_connection_list_free(conns);
    if (rc != 0 || st == NULL) {
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
    return tfpv_register(p, TYPE_NAME, tfpv_ds_service_schema, &ds_handlers, 1);
}
