/*
 * provider/resources/ds_endpoint.c - data source "vpcep_endpoint": reads one endpoint of the
 * configured project by ID and exports what the vpcep_endpoint resource exports (status, IP
 * address, DNS names, ...).
 *
 * In a configuration that holds both the endpoint and the owner's vpcep_approval, a data
 * source that depends on the approval is read during the apply after the approval has waited
 * for the acceptance, so it has the IP address and DNS names that the API only assigns then
 * (the resource itself was read before).
 *
 * The attributes an endpoint read from the API fills (tfpv_ds_endpoint_attrs) are shared with
 * the elements of the plural "vpcep_endpoints" data source.
 */
#include "types.h"

#include <string.h>

#define TYPE_NAME "vpcep_endpoint"

const tfpv_ds_attr tfpv_ds_endpoint_attrs[] = {
    {"service_id", "\"string\"", "ID of the service the endpoint connects to."},
    {"service_name", "\"string\"", "Full name of the service."},
    {"service_type", "\"string\"", "interface or gateway."},
    {"vpc_id", "\"string\"", "VPC of the endpoint."},
    {"subnet_id", "\"string\"", "Subnet of the endpoint (interface services)."},
    {"enable_dns", "\"bool\"", "Whether a private domain name was created."},
    {"ip_address", "\"string\"", "Private IP address (interface services, once accepted)."},
    {"dns_names", "[\"list\",\"string\"]", "Private domain names (once accepted)."},
    {"whitelist", "[\"set\",\"string\"]", "IP addresses or CIDRs allowed to use the endpoint."},
    {"enable_whitelist", "\"bool\"", "Whether the whitelist is enforced."},
    {"route_tables", "[\"set\",\"string\"]", "Route tables (gateway services)."},
    {"description", "\"string\"", "Description of the endpoint."},
    {"tags", "[\"map\",\"string\"]", "Tags of the endpoint."},
    {"status", "\"string\"", "Endpoint status."},
    {"marker_id", "\"number\"", "Marker ID of the connection."},
    {"project_id", "\"string\"", "Project of the endpoint."},
    {"created_at", "\"string\"", "Creation time."},
    {"updated_at", "\"string\"", "Time of the last change."},
    {NULL, NULL, NULL},
};

static int set_strings(tfp_value *obj, const char *attr, char *const *items, size_t n)
{
    return tfpv_set_string_collection(obj, attr, (const char *const *)items, n);
}

int tfpv_ds_endpoint_fill(tfp_value *obj, const vpcep_endpoint *ep)
{
    int rc = tfp_value_set_attr_string(obj, "service_id", ep->endpoint_service_id);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "service_name", ep->endpoint_service_name);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "service_type", ep->service_type);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "vpc_id", ep->vpc_id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(
            obj, "subnet_id",
            ep->subnet_id != NULL && ep->subnet_id[0] != '\0' ? ep->subnet_id : NULL);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_bool(obj, "enable_dns", ep->enable_dns_set && ep->enable_dns);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "ip_address",
                                       ep->ip != NULL && ep->ip[0] != '\0' ? ep->ip : NULL);
    }
    if (rc == 0) {
        rc = set_strings(obj, "dns_names", ep->dns_names, ep->n_dns_names);
    }
    if (rc == 0) {
        rc = set_strings(obj, "whitelist", ep->whitelist, ep->n_whitelist);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_bool(obj, "enable_whitelist",
                                     ep->enable_whitelist_set && ep->enable_whitelist);
    }
    if (rc == 0) {
        rc = set_strings(obj, "route_tables", ep->routetables, ep->n_routetables);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "description",
                                       ep->description != NULL ? ep->description : "");
    }
    if (rc == 0) {
        rc = ep->n_tags > 0 ? tfpv_set_tags_from_api(obj, "tags", ep->tags, ep->n_tags, NULL)
                            : tfpv_set_empty_collection(obj, "tags");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "status", ep->status);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_int64(obj, "marker_id", ep->marker_id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "project_id", ep->project_id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "created_at", ep->created_at);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(obj, "updated_at", ep->updated_at);
    }
    return rc;
}

int tfpv_ds_endpoint_schema(tfp_schema **out)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    rc = tfpv_add_attr(b, "id", tfp_type_string(), TFP_ATTR_REQUIRED, "ID of the endpoint.");
    if (rc == 0) {
        rc = tfpv_ds_add_attrs(b, tfpv_ds_endpoint_attrs);
    }
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int tfpv_ds_endpoint_state(tfp_value **out, const tfp_type *type, const vpcep_endpoint *ep)
{
    tfp_value *st = NULL;
    int rc = tfp_value_new_object(&st, type);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", ep->id);
    }
    if (rc == 0) {
        rc = tfpv_ds_endpoint_fill(st, ep);
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
    const char *id = tfpv_str(tfp_call_config(call), "id");
    vpcep_client *client;
    vpcep_endpoint *ep = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    tfp_value *st = NULL;
    int rc;

    if (id == NULL || id[0] == '\0') {
        tfp_diags_error(d, "id", "Missing endpoint ID", "Set id to the ID of an endpoint.");
        return 0;
    }
    client = tfpv_client(call);
    if (client == NULL) {
        return 0;
    }
    rc = vpcep_endpoint_get(&ep, client, id, &err);
    if (rc == VPCEP_ENOTFOUND) {
        tfp_diags_error(d, "id", "endpoint not found",
                        "No endpoint has the ID \"%s\" in the configured project (region %s): "
                        "check the ID, the region and the project.",
                        id, tfpv_region(call));
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(d, "id", "Cannot read the endpoint", rc, &err);
        return 0;
    }
    rc = tfpv_ds_endpoint_state(&st, tfp_schema_type(tfp_call_schema(call)), ep);
    vpcep_endpoint_free(ep);
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, st);
}

static const tfpv_handlers ds_handlers = {
    .read_data = ds_read,
};

int tfpv_ds_endpoint_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_ds_endpoint_schema, &ds_handlers, 1);
}
