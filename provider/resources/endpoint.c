/*
 * provider/resources/endpoint.c - resource "vpcep_endpoint" (a VPC endpoint, consumer side).
 *
 * The OTC API has no endpoint update: tags change in place through the tags API;
 * wait_for_acceptance, auto_accept and timeouts are provider-side only (in-place, no API
 * call); everything else replaces the endpoint.
 */
#include "types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_NAME "vpcep_endpoint"

/* Attributes whose change replaces the endpoint. */
static const char *const replace_attrs[] = {
    "service_id", "service_name",     "vpc_id",       "subnet_id",   "enable_dns", "ip_address",
    "whitelist",  "enable_whitelist", "route_tables", "description", NULL};

int tfpv_endpoint_schema(tfp_schema **out)
{
    static const char *const ops[] = {"create", "update", "delete", NULL};
    tfp_schema *s = NULL;
    tfp_block *b;
    tfp_type *set_str = NULL, *map_str = NULL, *list_str = NULL;
    const unsigned oc = TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    rc = tfp_type_set_new(&set_str, tfp_type_string());
    if (rc == 0) {
        rc = tfp_type_map_new(&map_str, tfp_type_string());
    }
    if (rc == 0) {
        rc = tfp_type_list_new(&list_str, tfp_type_string());
    }
#define ADD(name, type, flags, desc)                                                               \
    do {                                                                                           \
        if (rc == 0) {                                                                             \
            rc = tfpv_add_attr(b, name, type, flags, desc);                                        \
        }                                                                                          \
    } while (0)
    ADD("id", tfp_type_string(), TFP_ATTR_COMPUTED, "The endpoint ID.");
    ADD("service_id", tfp_type_string(), oc,
        "ID of the endpoint service to connect to (exactly one of service_id and "
        "service_name).");
    ADD("service_name", tfp_type_string(), oc,
        "Full name of the endpoint service (exactly one of service_id and service_name); "
        "verified at plan time.");
    ADD("vpc_id", tfp_type_string(), TFP_ATTR_REQUIRED, "VPC of the endpoint.");
    ADD("subnet_id", tfp_type_string(), oc,
        "Subnet (network ID) of the endpoint; required for interface services.");
    ADD("enable_dns", tfp_type_bool(), oc,
        "Create a private domain name (interface services only).");
    ADD("ip_address", tfp_type_string(), oc,
        "Private IP address of the endpoint; automatic when omitted (interface services "
        "only).");
    ADD("whitelist", set_str, TFP_ATTR_OPTIONAL,
        "IPv4 addresses or CIDRs allowed to use the endpoint (interface services only).");
    ADD("enable_whitelist", tfp_type_bool(), oc, "Whether the whitelist is enforced.");
    ADD("route_tables", set_str, oc, "Route tables (gateway services only).");
    ADD("description", tfp_type_string(), TFP_ATTR_OPTIONAL,
        "At most 128 characters, without '<' and '>'.");
    ADD("tags", map_str, TFP_ATTR_OPTIONAL, "Tags (updated in place).");
    ADD("wait_for_acceptance", tfp_type_bool(), oc,
        "Wait on create until the service owner accepts the connection (default false).");
    ADD("auto_accept", tfp_type_bool(), oc,
        "Accept the connection with the configured credentials when they own the service "
        "(default false).");
    ADD("status", tfp_type_string(), TFP_ATTR_COMPUTED, "Endpoint status.");
    ADD("dns_names", list_str, TFP_ATTR_COMPUTED, "Private domain names.");
    ADD("service_type", tfp_type_string(), TFP_ATTR_COMPUTED, "interface or gateway.");
    ADD("marker_id", tfp_type_number(), TFP_ATTR_COMPUTED, "Marker ID of the connection.");
#undef ADD
    if (rc == 0) {
        rc = tfpv_add_timeouts(b, ops);
    }
    tfp_type_free(set_str);
    tfp_type_free(map_str);
    tfp_type_free(list_str);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ----- Validation ------------------------------------------------------------------------- */

void tfpv_endpoint_check(tfp_diags *d, const tfp_value *cfg)
{
    const tfp_value *sid = tfpv_get(cfg, "service_id"), *sname = tfpv_get(cfg, "service_name");
    int has_id = tfpv_is_unknown(sid) || tfpv_is_set(sid);
    int has_name = tfpv_is_unknown(sname) || tfpv_is_set(sname);
    const char *ip = tfpv_str(cfg, "ip_address");
    const char *desc = tfpv_str(cfg, "description");

    /* Both may be set when they name the same service (what `terraform plan
     * -generate-config-out` writes after an import); plan checks that against the API. */
    if (!has_id && !has_name) {
        tfp_diags_error(d, "service_id", "Missing argument",
                        "Set exactly one of service_id and service_name.");
    }
    if (tfpv_is_set(sid) && tfp_value_string(sid)[0] == '\0') {
        tfp_diags_error(d, "service_id", "Invalid service ID", "service_id must not be empty.");
    }
    if (tfpv_is_set(sname) && tfp_value_string(sname)[0] == '\0') {
        tfp_diags_error(d, "service_name", "Invalid service name",
                        "service_name must not be empty.");
    }
    if (ip != NULL && !tfpv_valid_ipv4(ip)) {
        tfp_diags_error(d, "ip_address", "Invalid IP address", "\"%s\" is not an IPv4 address.",
                        ip);
    }
    if (desc != NULL && !tfpv_valid_description(desc)) {
        tfp_diags_error(d, "description", "Invalid description",
                        "The description must be at most 128 characters and must not contain "
                        "'<' or '>'.");
    }
    tfpv_check_string_set(d, cfg, "whitelist", tfpv_valid_ipv4_or_cidr, TFPV_MAX_ENDPOINT_WHITELIST,
                          "an IPv4 address or CIDR");
    tfpv_check_tags(d, cfg, "tags");
    tfpv_check_timeouts(d, cfg);
}

void tfpv_endpoint_check_type(tfp_diags *d, const tfp_value *cfg, const char *service_type)
{
    int b = 0;
    if (service_type == NULL) {
        return;
    }
    if (tfpv_streq_nocase(service_type, "interface")) {
        const tfp_value *subnet = tfpv_get(cfg, "subnet_id");
        const tfp_value *rt = tfpv_get(cfg, "route_tables");
        if (subnet == NULL || (tfp_value_is_known(subnet) && tfp_value_is_null(subnet))) {
            tfp_diags_error(d, "subnet_id", "Missing subnet_id",
                            "subnet_id is required for interface services.");
        }
        if (tfpv_is_set(rt) && tfp_value_length(rt) > 0) {
            tfp_diags_error(d, "route_tables", "Invalid argument for an interface service",
                            "route_tables is only valid for gateway services.");
        }
    } else if (tfpv_streq_nocase(service_type, "gateway")) {
        const tfp_value *wl = tfpv_get(cfg, "whitelist");
        if (tfpv_bool(cfg, "enable_dns", &b) && b) {
            tfp_diags_error(d, "enable_dns", "Invalid argument for a gateway service",
                            "enable_dns is only valid for interface services.");
        }
        if (tfpv_is_set(tfpv_get(cfg, "ip_address"))) {
            tfp_diags_error(d, "ip_address", "Invalid argument for a gateway service",
                            "ip_address is only valid for interface services.");
        }
        if (tfpv_is_set(wl) && tfp_value_length(wl) > 0) {
            tfp_diags_error(d, "whitelist", "Invalid argument for a gateway service",
                            "whitelist is only valid for interface services.");
        }
        if (tfpv_bool(cfg, "enable_whitelist", &b) && b) {
            tfp_diags_error(d, "enable_whitelist", "Invalid argument for a gateway service",
                            "enable_whitelist is only valid for interface services.");
        }
    }
}

static int endpoint_validate(tfp_call *call)
{
    tfpv_endpoint_check(tfp_call_diags(call), tfp_call_config(call));
    return 0;
}

/* ----- Plan ------------------------------------------------------------------------------- */

static int default_bool(tfp_value *planned, const char *attr, int def)
{
    const tfp_value *v = tfp_value_attr(planned, attr);
    if (v != NULL && tfp_value_is_known(v) && tfp_value_is_null(v)) {
        return tfp_value_set_attr_bool(planned, attr, def);
    }
    return 0;
}

static int unknown_if_null(tfp_value *planned, const char *attr)
{
    const tfp_value *v = tfp_value_attr(planned, attr);
    if (v != NULL && tfp_value_is_known(v) && tfp_value_is_null(v)) {
        return tfp_value_set_attr_unknown(planned, attr);
    }
    return 0;
}

int tfpv_endpoint_plan_value(tfp_value **out,
                             const tfp_value *prior,
                             const tfp_value *proposed,
                             const vpcep_service_info *info)
{
    tfp_value *planned = NULL;
    int creating = prior == NULL || tfp_value_is_null(prior);
    int rc = tfp_value_copy(&planned, proposed);
    if (rc != 0) {
        return rc;
    }
    rc = default_bool(planned, "wait_for_acceptance", 0);
    if (rc == 0) {
        rc = default_bool(planned, "auto_accept", 0);
    }
    if (creating) {
        static const char *const computed[] = {"id", "status", "dns_names", "marker_id"};
        static const char *const oc[] = {"service_id",       "service_name", "subnet_id",
                                         "enable_dns",       "ip_address",   "route_tables",
                                         "enable_whitelist", "service_type"};
        for (size_t i = 0; rc == 0 && i < sizeof computed / sizeof computed[0]; i++) {
            rc = tfp_value_set_attr_unknown(planned, computed[i]);
        }
        if (rc == 0 && info != NULL && info->service_type != NULL) {
            rc = tfp_value_set_attr_string(planned, "service_type", info->service_type);
        }
        if (rc == 0 && info != NULL && info->id != NULL &&
            tfp_value_is_null(tfp_value_attr(planned, "service_id"))) {
            rc = tfp_value_set_attr_string(planned, "service_id", info->id);
        }
        if (rc == 0 && info != NULL && info->service_name != NULL &&
            tfp_value_is_null(tfp_value_attr(planned, "service_name"))) {
            rc = tfp_value_set_attr_string(planned, "service_name", info->service_name);
        }
        for (size_t i = 0; rc == 0 && i < sizeof oc / sizeof oc[0]; i++) {
            rc = unknown_if_null(planned, oc[i]);
        }
    } else {
        if (rc == 0) {
            rc = tfpv_keep_prior_empty(planned, prior, "whitelist");
        }
        if (rc == 0) {
            rc = tfpv_keep_prior_empty(planned, prior, "route_tables");
        }
        if (rc == 0) {
            rc = tfpv_keep_prior_empty(planned, prior, "tags");
        }
        if (rc == 0 && tfpv_is_empty(tfpv_get(planned, "description")) &&
            tfpv_is_empty(tfpv_get(prior, "description")) &&
            tfpv_is_set(tfpv_get(planned, "description")) &&
            tfpv_is_set(tfpv_get(prior, "description"))) {
            rc = tfpv_copy_attr(planned, prior, "description");
        }
    }
    if (rc != 0) {
        tfp_value_free(planned);
        return rc;
    }
    *out = planned;
    return 0;
}

/* The attributes whose change needs a new endpoint (null and empty are the same). */
int tfpv_endpoint_replace_paths(const tfp_value *prior,
                                const tfp_value *planned,
                                const char **out,
                                size_t max)
{
    size_t n = 0;
    if (prior == NULL || tfp_value_is_null(prior)) {
        return 0;
    }
    for (size_t i = 0; replace_attrs[i] != NULL && n < max; i++) {
        const tfp_value *a = tfpv_get(prior, replace_attrs[i]);
        const tfp_value *b = tfpv_get(planned, replace_attrs[i]);
        if (!tfpv_equal_empty_null(a, b)) {
            out[n++] = replace_attrs[i];
        }
    }
    return (int)n;
}

/* With both service_id and service_name configured: 1 (and an error at service_name) when the
 * name is not the name of the service with that ID. */
static int names_other_service(tfp_diags *d, const char *id, const char *name, const char *real)
{
    if (real == NULL || tfpv_streq_nocase(real, name)) {
        return 0;
    }
    tfp_diags_error(d, "service_name", "service_id and service_name name different services",
                    "The service with ID \"%s\" is named \"%s\", not \"%s\". Set one of "
                    "service_id and service_name, or both for the same service.",
                    id, real, name);
    return 1;
}

/* Looks the service up by ID or full name. Reports "not found" on @p d; other failures too. */
static int lookup_service(tfp_call *call,
                          vpcep_client *client,
                          const char *id,
                          const char *name,
                          vpcep_service_info **out)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;
    tfp_log(TFP_LOG_DEBUG, "vpcep", "looking up endpoint service %s", id != NULL ? id : name);
    rc = vpcep_service_describe(out, client, id, id != NULL ? NULL : name, &err);
    if (rc == VPCEP_ENOTFOUND) {
        if (id != NULL) {
            tfp_diags_error(d, "service_id", "service not found",
                            "No endpoint service with ID \"%s\" exists: check that the region "
                            "(%s) and the service ID are correct.",
                            id, tfpv_region(call));
        } else {
            tfp_diags_error(d, "service_name",
                            "service name not found: check the region and the name",
                            "No endpoint service is named \"%s\": check that the region (%s) "
                            "and the name are correct.",
                            name, tfpv_region(call));
        }
    } else if (rc != 0) {
        tfpv_api_error(d, id != NULL ? "service_id" : "service_name",
                       "Cannot look up the endpoint service", rc, &err);
    }
    return rc;
}

static int endpoint_plan(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    const tfp_value *prior = tfp_call_prior_state(call);
    const tfp_value *proposed = tfp_call_proposed_state(call);
    const tfp_value *config = tfp_call_config(call);
    vpcep_service_info *info = NULL;
    tfp_value *planned = NULL;
    const char *paths[16];
    const char *stype = NULL;
    int creating = prior == NULL || tfp_value_is_null(prior);
    int n, rc = 0;

    if (proposed == NULL || tfp_value_is_null(proposed)) {
        return tfp_call_set_result(call, NULL);
    }
    tfpv_endpoint_check(d, config);
    if (tfp_diags_has_errors(d)) {
        goto done;
    }
    if (creating) {
        vpcep_client *client = tfpv_client_opt(call);
        const char *sid = tfpv_str(config, "service_id");
        const char *sname = tfpv_str(config, "service_name");
        if (client != NULL && (sid != NULL || sname != NULL)) {
            if (lookup_service(call, client, sid, sname, &info) != 0) {
                goto done; /* reported */
            }
            if (sid != NULL && sname != NULL &&
                names_other_service(d, sid, sname, info->service_name)) {
                goto done;
            }
            stype = info->service_type;
        }
    } else {
        const char *sid = tfpv_str(config, "service_id");
        const char *sname = tfpv_str(config, "service_name");
        /* Both configured for the same service as before: the state knows the name. */
        if (sid != NULL && sname != NULL && tfpv_streq_nocase(sid, tfpv_str(prior, "service_id")) &&
            names_other_service(d, sid, sname, tfpv_str(prior, "service_name"))) {
            goto done;
        }
        stype = tfpv_str(prior, "service_type");
    }
    tfpv_endpoint_check_type(d, config, stype);
    if (tfp_diags_has_errors(d)) {
        goto done;
    }
    rc = tfpv_endpoint_plan_value(&planned, prior, proposed, info);
    if (rc != 0) {
        goto done;
    }
    n = tfpv_endpoint_replace_paths(prior, planned, paths, sizeof paths / sizeof paths[0]);
    rc = tfp_call_set_result(call, planned);
    planned = NULL;
    for (int i = 0; rc == 0 && i < n; i++) {
        rc = tfp_call_require_replace(call, paths[i]);
    }
done:
    tfp_value_free(planned);
    vpcep_service_info_free(info);
    return rc;
}

/* ----- State mapping ---------------------------------------------------------------------- */

static int
set_bool_or(tfp_value *st, const char *attr, int is_set, int api, const tfp_value *prior, int def)
{
    int b = def;
    if (is_set) {
        b = api;
    } else if (!tfpv_bool(prior, attr, &b)) {
        b = def;
    }
    return tfp_value_set_attr_bool(st, attr, b);
}

int tfpv_endpoint_state(tfp_value **out,
                        const tfp_type *type,
                        const tfp_value *prior,
                        const vpcep_endpoint *ep)
{
    tfp_value *st = NULL;
    int b = 0;
    int rc = tfp_value_new_object(&st, type);
    if (rc != 0) {
        return rc;
    }
    rc = tfp_value_set_attr_string(st, "id", ep->id);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_id", ep->endpoint_service_id);
    }
    if (rc == 0) {
        /* The user's spelling of a name the API matched ignoring case. */
        const char *p = tfpv_str(prior, "service_name");
        rc = tfp_value_set_attr_string(
            st, "service_name",
            tfpv_streq_nocase(p, ep->endpoint_service_name) ? p : ep->endpoint_service_name);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "vpc_id", ep->vpc_id);
    }
    if (rc == 0) {
        rc = ep->subnet_id != NULL && ep->subnet_id[0] != '\0'
                 ? tfp_value_set_attr_string(st, "subnet_id", ep->subnet_id)
                 : tfpv_copy_attr(st, prior, "subnet_id");
    }
    if (rc == 0) {
        rc = set_bool_or(st, "enable_dns", ep->enable_dns_set, ep->enable_dns, prior, 0);
    }
    if (rc == 0) {
        /* The IP appears once the endpoint is accepted: keep what we knew until then. */
        rc = ep->ip != NULL && ep->ip[0] != '\0'
                 ? tfp_value_set_attr_string(st, "ip_address", ep->ip)
                 : tfpv_copy_attr(st, prior, "ip_address");
    }
    if (rc == 0) {
        rc = tfpv_set_strings_from_api(st, "whitelist", (const char *const *)ep->whitelist,
                                       ep->n_whitelist, tfpv_get(prior, "whitelist"));
    }
    if (rc == 0) {
        rc = set_bool_or(st, "enable_whitelist", ep->enable_whitelist_set, ep->enable_whitelist,
                         prior, 0);
    }
    if (rc == 0) {
        rc = tfpv_set_strings_from_api(st, "route_tables", (const char *const *)ep->routetables,
                                       ep->n_routetables, tfpv_get(prior, "route_tables"));
    }
    if (rc == 0) {
        if ((ep->description == NULL || ep->description[0] == '\0') &&
            tfpv_is_empty(tfpv_get(prior, "description"))) {
            rc = tfpv_copy_attr(st, prior, "description");
        } else {
            rc = tfp_value_set_attr_string(st, "description",
                                           ep->description != NULL ? ep->description : "");
        }
    }
    if (rc == 0) {
        rc = tfpv_set_tags_from_api(st, "tags", ep->tags, ep->n_tags, tfpv_get(prior, "tags"));
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_bool(st, "wait_for_acceptance",
                                     tfpv_bool(prior, "wait_for_acceptance", &b) ? b : 0);
    }
    if (rc == 0) {
        rc =
            tfp_value_set_attr_bool(st, "auto_accept", tfpv_bool(prior, "auto_accept", &b) ? b : 0);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "status", ep->status);
    }
    if (rc == 0) {
        rc = tfpv_set_string_collection(st, "dns_names", (const char *const *)ep->dns_names,
                                        ep->n_dns_names);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_type", ep->service_type);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_int64(st, "marker_id", ep->marker_id);
    }
    if (rc == 0) {
        rc = tfpv_copy_attr(st, prior, "timeouts");
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* ----- Read ------------------------------------------------------------------------------- */

static int read_state(
    tfp_call *call, vpcep_client *client, const char *id, const tfp_value *prior, tfp_value **out)
{
    vpcep_endpoint *ep = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;
    *out = NULL;
    rc = vpcep_endpoint_get(&ep, client, id, &err);
    if (rc == VPCEP_ENOTFOUND) {
        tfp_log(TFP_LOG_DEBUG, "vpcep", "endpoint %s is gone", id);
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(tfp_call_diags(call), NULL, "Cannot read the endpoint", rc, &err);
        return 0;
    }
    rc = tfpv_endpoint_state(out, tfp_schema_type(tfp_call_schema(call)), prior, ep);
    vpcep_endpoint_free(ep);
    return rc;
}

static int endpoint_read(tfp_call *call)
{
    const tfp_value *prior = tfp_call_prior_state(call);
    const char *id = tfpv_str(prior, "id");
    vpcep_client *client;
    tfp_value *st = NULL;
    int rc;
    if (id == NULL) {
        return tfp_call_set_result(call, NULL);
    }
    if (tfpv_deferred(call)) {
        return tfpv_keep_prior(call); /* provider values unknown until apply: no refresh */
    }
    client = tfpv_client(call);
    if (client == NULL || tfpv_moved_region_mismatch(call)) {
        return 0;
    }
    rc = read_state(call, client, id, prior, &st);
    if (rc != 0 || tfp_diags_has_errors(tfp_call_diags(call))) {
        tfp_value_free(st);
        return rc == TFP_ENOMEM ? rc : 0;
    }
    return tfp_call_set_result(call, st);
}

/* ----- Apply ------------------------------------------------------------------------------ */

static int
partial_state(tfp_value **out, const tfp_value *planned, const char *id, const vpcep_endpoint *ep)
{
    tfp_value *st = NULL;
    int rc = tfp_value_copy(&st, planned);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", id);
    }
    if (rc == 0 && ep != NULL && ep->status != NULL) {
        rc = tfp_value_set_attr_string(st, "status", ep->status);
    }
    if (rc == 0) {
        rc = tfpv_unknowns_to_null(&st);
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* Accepts the connection with our own credentials when they own the service. */
static int auto_accept(tfp_call *call,
                       vpcep_client *client,
                       const char *service_id,
                       const char *endpoint_id,
                       int64_t timeout_ms)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_service *svc = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_service_get(&svc, client, service_id, &err);
    vpcep_service_free(svc);
    if (rc == VPCEP_ENOTFOUND || rc == VPCEP_EAUTH) {
        tfp_diags_add(d, TFP_SEVERITY_WARNING, NULL, "auto_accept: not the service owner",
                      "The configured credentials do not own service %s, so the connection of "
                      "endpoint %s was not accepted automatically: the service owner must "
                      "accept it (vpcep_approval or the console).",
                      service_id, endpoint_id);
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(d, "auto_accept", "Cannot read the endpoint service for auto_accept", rc,
                       &err);
        return rc;
    }
    return tfpv_accept_and_wait(d, client, service_id, endpoint_id, timeout_ms, "auto_accept");
}

static int wait_acceptance(tfp_call *call,
                           vpcep_client *client,
                           const char *service_id,
                           const char *id,
                           int64_t timeout_ms)
{
    tfp_diags *d = tfp_call_diags(call);
    char hint[300];
    const tfpv_wait accepted = {
        .kind = TFPV_WAIT_ENDPOINT_ACCEPTED,
        .what = "the service owner to accept endpoint",
        .id = id,
        .timeout_ms = timeout_ms,
        .attr = "wait_for_acceptance",
        .summary = "Waiting for acceptance failed",
        .timeout_summary = "Timed out waiting for acceptance",
        .subject = "Endpoint",
        .timeout_name = "create",
        .hint = hint,
    };
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;
    snprintf(hint, sizeof hint,
             " The service owner must accept the connection of endpoint %s on service %s "
             "(vpcep_approval or the console), or raise timeouts.create.",
             id, service_id);
    rc = tfpv_wait_run(NULL, client, &accepted, NULL, &err); /* reported below */
    if (rc == VPCEP_EAPI || rc == VPCEP_ENOTFOUND) {
        char summary[96];
        snprintf(summary, sizeof summary, "Endpoint connection %s",
                 err.state[0] != '\0' ? err.state : "failed");
        tfpv_api_error(d, "wait_for_acceptance", summary, rc, &err);
    } else if (rc != 0) {
        tfpv_wait_report(d, &accepted, rc, &err);
    }
    return rc;
}

static int endpoint_create(tfp_call *call, vpcep_client *client, const tfp_value *planned)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_endpoint_create_opts opts;
    vpcep_service_info *info = NULL;
    vpcep_endpoint *ep = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    tfpv_tag_params tags = {0};
    tfpv_strs wl = {0}, rt = {0};
    tfp_value *st = NULL;
    const char *service_id = tfpv_str(planned, "service_id");
    int64_t timeout = tfpv_timeout_ms(planned, "create");
    int64_t deadline = tfpv_now_ms() + timeout;
    char *id = NULL;
    int b = 0, rc = 0, failed = 0, stored = 0;

    memset(&opts, 0, sizeof opts);
    opts.version = VPCEP_ENDPOINT_CREATE_OPTS_VERSION;
    if (service_id == NULL) {
        if (lookup_service(call, client, NULL, tfpv_str(planned, "service_name"), &info) != 0) {
            goto done;
        }
        service_id = info->id;
    }
    if (tfpv_str(planned, "service_type") == NULL) {
        /* Not verified at plan (provider configured late): verify now. */
        if (info == NULL && lookup_service(call, client, service_id, NULL, &info) != 0) {
            goto done;
        }
        tfpv_endpoint_check_type(d, tfp_call_config(call), info->service_type);
        if (tfp_diags_has_errors(d)) {
            goto done;
        }
    }
    rc = tfpv_tag_params_from(&tags, tfpv_get(planned, "tags"));
    if (rc == 0) {
        rc = tfpv_strs_from(&wl, tfpv_get(planned, "whitelist"));
    }
    if (rc == 0) {
        rc = tfpv_strs_from(&rt, tfpv_get(planned, "route_tables"));
    }
    if (rc != 0) {
        goto done;
    }
    opts.endpoint_service_id = service_id;
    opts.vpc_id = tfpv_str(planned, "vpc_id");
    opts.subnet_id = tfpv_str(planned, "subnet_id");
    opts.port_ip = tfpv_str(planned, "ip_address");
    if (tfpv_bool(planned, "enable_dns", &b)) {
        opts.enable_dns = b;
        opts.enable_dns_set = 1;
    }
    opts.tags = tags.items;
    opts.n_tags = tags.n;
    if (tfpv_is_set(tfpv_get(planned, "route_tables"))) {
        opts.routetables = rt.items;
        opts.n_routetables = rt.n;
        opts.routetables_set = rt.n > 0;
    }
    if (tfpv_is_set(tfpv_get(planned, "whitelist"))) {
        opts.whitelist = wl.items;
        opts.n_whitelist = wl.n;
        opts.whitelist_set = 1;
    }
    if (tfpv_bool(planned, "enable_whitelist", &b)) {
        opts.enable_whitelist = b;
        opts.enable_whitelist_set = 1;
    }
    opts.description = tfpv_str(planned, "description");

    tfp_log(TFP_LOG_DEBUG, "vpcep", "creating endpoint for service %s in vpc %s", service_id,
            opts.vpc_id != NULL ? opts.vpc_id : "");
    rc = vpcep_endpoint_create(&ep, client, &opts, &err);
    if (rc != 0) {
        tfpv_create_error(d, "Cannot create the endpoint", TYPE_NAME, rc, &err);
        rc = 0;
        goto done;
    }
    id = tfpv_strdup(ep->id);
    if (id == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    tfp_log(TFP_LOG_INFO, "vpcep", "created endpoint %s", id);
    vpcep_endpoint_free(ep);
    ep = NULL;

    {
        const tfpv_wait created = {
            .kind = TFPV_WAIT_ENDPOINT_CREATED,
            .what = "endpoint creation",
            .id = id,
            .timeout_ms = tfpv_remaining_ms(deadline),
            .summary = "Endpoint creation failed",
            .timeout_summary = "Timed out waiting for the endpoint",
            .subject = "Endpoint",
            .timeout_name = "create",
        };
        if (tfpv_wait_run(d, client, &created, &ep, &err) != 0) {
            failed = 1;
        }
    }
    if (!failed && tfpv_bool(planned, "auto_accept", &b) && b && ep != NULL && ep->status != NULL &&
        strcmp(ep->status, "accepted") != 0) {
        if (auto_accept(call, client, service_id, id, tfpv_remaining_ms(deadline)) != 0) {
            failed = 1;
        }
    }
    if (!failed && tfpv_bool(planned, "wait_for_acceptance", &b) && b) {
        if (wait_acceptance(call, client, service_id, id, tfpv_remaining_ms(deadline)) != 0) {
            failed = 1;
        }
    }
    rc = 0;
    if (!failed) {
        rc = read_state(call, client, id, planned, &st);
        if (rc == 0 && st == NULL && !tfp_diags_has_errors(d)) {
            tfp_diags_error(d, NULL, "Endpoint disappeared",
                            "Endpoint %s was created but could not be read back.", id);
        }
    }
    if (rc == 0 && st != NULL) {
        rc = tfpv_overlay_known(st, planned);
        if (rc == 0) {
            rc = tfpv_unknowns_to_null(&st); /* never lose the new ID over an unknown */
        }
        if (rc == 0) {
            rc = tfp_call_set_result(call, st);
            st = NULL;
            stored = rc == 0;
        }
    }
    if (!stored) {
        /* Whatever failed (the read-back, out of memory), the endpoint exists: keep its ID in
         * state (tainted, as the call has an error) so that nothing is orphaned. */
        int krc;
        if (!tfp_diags_has_errors(d)) {
            tfp_diags_error(d, NULL, "Endpoint created, state incomplete",
                            "Endpoint %s was created, but its state could not be completed (out "
                            "of memory). It is kept in state and will be replaced.",
                            id);
        }
        tfp_value_free(st);
        st = NULL;
        krc = partial_state(&st, planned, id, ep);
        if (krc == 0) {
            krc = tfp_call_set_result(call, st);
            st = NULL;
        }
        rc = krc;
    }
    /* The ID is in state: the create marker has done its work (a create with 10 tags had
     * none). */
    if (tags.n < TFPV_MAX_TAGS) {
        tfpv_remove_create_marker(client, d, VPCEP_RESOURCE_ENDPOINT, id);
    }
done:
    tfp_value_free(st);
    vpcep_endpoint_free(ep);
    vpcep_service_info_free(info);
    tfpv_tag_params_dispose(&tags);
    tfpv_strs_dispose(&wl);
    tfpv_strs_dispose(&rt);
    free(id);
    return rc == TFP_ENOMEM ? rc : 0;
}

static int endpoint_update(tfp_call *call,
                           vpcep_client *client,
                           const tfp_value *prior,
                           const tfp_value *planned)
{
    const char *id = tfpv_str(prior, "id");
    tfp_value *st = NULL;
    int rc;
    if (id != NULL &&
        tfpv_apply_tags_diff(client, tfp_call_diags(call), VPCEP_RESOURCE_ENDPOINT, id,
                             tfpv_get(prior, "tags"), tfpv_get(planned, "tags")) != 0) {
        rc = tfp_value_copy(&st, prior);
    } else {
        /* Everything else is provider-side (wait_for_acceptance, auto_accept, timeouts). */
        rc = tfp_value_copy(&st, planned);
    }
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, st);
}

static int endpoint_delete(tfp_call *call, vpcep_client *client, const tfp_value *prior)
{
    tfp_diags *d = tfp_call_diags(call);
    const char *id = tfpv_str(prior, "id");
    const tfpv_wait deleted = {
        .kind = TFPV_WAIT_ENDPOINT_DELETED,
        .what = "endpoint deletion",
        .id = id,
        .timeout_ms = tfpv_timeout_ms(prior, "delete"),
        .summary = "Endpoint deletion failed",
        .timeout_summary = "Timed out waiting for the endpoint deletion",
        .subject = "Endpoint",
        .timeout_name = "delete",
    };
    if (id != NULL) {
        (void)tfpv_delete_and_wait(d, client, vpcep_endpoint_delete, "endpoint",
                                   "Cannot delete the endpoint", &deleted);
    }
    return tfp_call_set_result(call, NULL);
}

static int endpoint_apply(tfp_call *call)
{
    const tfp_value *prior = tfp_call_prior_state(call);
    const tfp_value *planned = tfp_call_planned_state(call);
    vpcep_client *client = tfpv_client(call);
    int had_prior = prior != NULL && !tfp_value_is_null(prior);
    if (client == NULL) {
        return 0;
    }
    if (planned == NULL || tfp_value_is_null(planned)) {
        return had_prior ? endpoint_delete(call, client, prior) : tfp_call_set_result(call, NULL);
    }
    if (!had_prior) {
        return endpoint_create(call, client, planned);
    }
    return endpoint_update(call, client, prior, planned);
}

static int endpoint_import(tfp_call *call)
{
    tfp_value *st = NULL;
    int rc = tfpv_import_stub(call, "Import a vpcep_endpoint by its endpoint ID.", &st);
    if (st == NULL) {
        return rc;
    }
    return tfpv_import_finish(call, st, 0);
}

static const tfpv_handlers endpoint_handlers = {
    .validate = endpoint_validate,
    .upgrade = tfpv_upgrade_v0,
    .read = endpoint_read,
    .plan = endpoint_plan,
    .apply = endpoint_apply,
    .import = endpoint_import,
    .move = tfpv_move_from_go,
    .move_sources = tfpv_endpoint_move_sources,
};

int tfpv_endpoint_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_endpoint_schema, &endpoint_handlers, 0);
}
