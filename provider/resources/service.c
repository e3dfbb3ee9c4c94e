/*
 * provider/resources/service.c - resource "vpcep_service" (the endpoint service).
 *
 * In place: name, description, port_id, approval_enabled, port, tcp_proxy (one PUT with only
 * the changed fields), whitelist (permissions API add/remove diff), tags (tags API diff).
 * Replace: vpc_id, server_type, service_type.
 */
#include "api_util.h"
#include "types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_NAME "vpcep_service"

/* ----- Schema ----------------------------------------------------------------------------- */

int tfpv_service_schema(tfp_schema **out)
{
    static const char *const ops[] = {"create", "update", "delete", NULL};
    tfp_schema *s = NULL;
    tfp_block *b, *port = NULL;
    tfp_type *set_str = NULL, *map_str = NULL;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    rc = tfp_type_set_new(&set_str, tfp_type_string());
    if (rc == 0) {
        rc = tfp_type_map_new(&map_str, tfp_type_string());
    }
#define ADD(name, type, flags, desc)                                                               \
    do {                                                                                           \
        if (rc == 0) {                                                                             \
            rc = tfpv_add_attr(b, name, type, flags, desc);                                        \
        }                                                                                          \
    } while (0)
    ADD("id", tfp_type_string(), TFP_ATTR_COMPUTED, "The service ID.");
    ADD("name", tfp_type_string(), TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED,
        "Short name: 1 to 16 letters, digits, '-' or '_'. Updated in place.");
    ADD("description", tfp_type_string(), TFP_ATTR_OPTIONAL,
        "At most 128 characters, without '<' and '>'. Updated in place.");
    ADD("vpc_id", tfp_type_string(), TFP_ATTR_REQUIRED,
        "VPC of the backend resource. Changing it replaces the service.");
    ADD("port_id", tfp_type_string(), TFP_ATTR_REQUIRED,
        "Port of the backend (LB VIP port, ECS NIC port). Updated in place.");
    ADD("server_type", tfp_type_string(), TFP_ATTR_REQUIRED,
        "Backend type: VM, VIP or LB. Changing it replaces the service.");
    ADD("service_type", tfp_type_string(), TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED,
        "interface (default) or gateway. Changing it replaces the service.");
    ADD("approval_enabled", tfp_type_bool(), TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED,
        "Whether connections need the owner's approval (default true; always sent).");
    ADD("tcp_proxy", tfp_type_string(), TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED,
        "Client information passed to the backend: close, toa_open, proxy_open or open.");
    ADD("whitelist", set_str, TFP_ATTR_OPTIONAL,
        "Account (domain) IDs allowed to connect; \"*\" allows everyone.");
    ADD("tags", map_str, TFP_ATTR_OPTIONAL,
        "At most 10 tags; keys 1-36 and values 0-43 letters, digits, '-' or '_'.");
    ADD("service_name", tfp_type_string(), TFP_ATTR_COMPUTED,
        "Full service name, e.g. eu-de.name.uuid: what consumers use to find the service.");
    ADD("status", tfp_type_string(), TFP_ATTR_COMPUTED, "Service status.");
#undef ADD
    if (rc == 0) {
        rc = tfpv_add_connections_attr(b);
    }
    if (rc == 0) {
        rc = tfp_block_add_block(&port, b, "port", TFP_NESTING_SET, 1, TFPV_MAX_PORTS);
    }
    if (rc == 0) {
        rc = tfp_block_set_description(port, "Port mappings (1 to 200).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(port, "client_port", tfp_type_number(), TFP_ATTR_REQUIRED,
                           "Port endpoints connect to (1-65535).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(port, "server_port", tfp_type_number(), TFP_ATTR_REQUIRED,
                           "Port of the backend (1-65535).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(port, "protocol", tfp_type_string(),
                           TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED, "TCP (default) or UDP.");
    }
    if (rc == 0) {
        rc = tfpv_add_timeouts(b, ops);
    }
    tfp_type_free(set_str);
    tfp_type_free(map_str);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ----- Validation ------------------------------------------------------------------------- */

static int port_number(const tfp_value *e, const char *attr, int64_t *out)
{
    return tfpv_int(e, attr, out) && *out >= 1 && *out <= 65535;
}

void tfpv_service_check(tfp_diags *d, const tfp_value *cfg)
{
    const char *name = tfpv_str(cfg, "name");
    const char *desc = tfpv_str(cfg, "description");
    const tfp_value *ports = tfpv_get(cfg, "port");

    if (name != NULL && !tfpv_valid_service_name(name)) {
        tfp_diags_error(d, "name", "Invalid service name",
                        "\"%s\": the name must be 1 to 16 characters of letters, digits, '-' "
                        "and '_'.",
                        name);
    }
    if (desc != NULL && !tfpv_valid_description(desc)) {
        tfp_diags_error(d, "description", "Invalid description",
                        "The description must be at most 128 characters and must not contain "
                        "'<' or '>'.");
    }
    tfpv_check_enum(d, cfg, "server_type", tfpv_server_types);
    tfpv_check_enum(d, cfg, "service_type", tfpv_service_types);
    tfpv_check_enum(d, cfg, "tcp_proxy", tfpv_tcp_proxy_modes);
    tfpv_check_string_set(d, cfg, "whitelist", tfpv_valid_domain_id, 0,
                          "an account (domain) ID (letters and digits, at most 64) or \"*\"");
    tfpv_check_tags(d, cfg, "tags");
    tfpv_check_timeouts(d, cfg);

    if (tfpv_is_set(ports)) {
        size_t n = tfp_value_length(ports);
        if (n < 1 || n > TFPV_MAX_PORTS) {
            tfp_diags_error(d, "port", "Invalid number of port mappings",
                            "%zu port blocks are configured; a service needs 1 to %d.", n,
                            TFPV_MAX_PORTS);
        }
        for (size_t i = 0; i < n; i++) {
            const tfp_value *e = tfp_value_at(ports, i);
            const tfp_value *cp = tfpv_get(e, "client_port"), *sp = tfpv_get(e, "server_port");
            const tfp_value *pr = tfpv_get(e, "protocol");
            int64_t c = 0, s = 0;
            if (!tfp_value_is_known(e)) {
                continue;
            }
            if (tfpv_is_set(cp) && !port_number(e, "client_port", &c)) {
                tfpv_diag_nested(d, "port", "client_port", "Invalid port",
                                 "client_port must be a whole number from 1 to 65535.");
            }
            if (tfpv_is_set(sp) && !port_number(e, "server_port", &s)) {
                tfpv_diag_nested(d, "port", "server_port", "Invalid port",
                                 "server_port must be a whole number from 1 to 65535.");
            }
            if (tfpv_is_set(pr) && tfpv_enum_index(tfp_value_string(pr), tfpv_protocols) < 0) {
                tfpv_diag_nested(d, "port", "protocol", "Invalid protocol",
                                 "\"%s\" is not a protocol: expected TCP or UDP.",
                                 tfp_value_string(pr));
            }
            /* Duplicates: the same client port and protocol twice. */
            for (size_t j = 0; j < i && tfpv_is_set(cp); j++) {
                const tfp_value *f = tfp_value_at(ports, j);
                int64_t c2 = 0;
                const char *p1 = tfpv_str(e, "protocol"), *p2 = tfpv_str(f, "protocol");
                if (tfpv_is_unknown(tfpv_get(e, "protocol")) ||
                    tfpv_is_unknown(tfpv_get(f, "protocol"))) {
                    continue;
                }
                if (tfpv_int(f, "client_port", &c2) && c2 == c &&
                    tfpv_streq_nocase(p1 ? p1 : "TCP", p2 ? p2 : "TCP")) {
                    tfpv_diag_nested(d, "port", "client_port", "Duplicate port mapping",
                                     "client_port %lld with protocol %s is mapped twice.",
                                     (long long)c, p1 ? p1 : "TCP");
                }
            }
        }
    }
}

static int service_validate(tfp_call *call)
{
    tfpv_service_check(tfp_call_diags(call), tfp_call_config(call));
    return 0;
}

/* ----- Plan ------------------------------------------------------------------------------- */

/* Ports as a comparable list: (client, server, protocol upper-cased). */
static int port_sets_equal_nocase(const tfp_value *a, const tfp_value *b)
{
    size_t n;
    if (!tfpv_is_set(a) || !tfpv_is_set(b) || !tfp_value_is_wholly_known(a) ||
        !tfp_value_is_wholly_known(b)) {
        return 0;
    }
    n = tfp_value_length(a);
    if (n != tfp_value_length(b)) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const tfp_value *e = tfp_value_at(a, i);
        int64_t c = 0, s = 0, c2 = 0, s2 = 0;
        const char *p = tfpv_str(e, "protocol");
        int found = 0;
        if (!tfpv_int(e, "client_port", &c) || !tfpv_int(e, "server_port", &s)) {
            return 0;
        }
        for (size_t j = 0; j < n && !found; j++) {
            const tfp_value *f = tfp_value_at(b, j);
            const char *p2 = tfpv_str(f, "protocol");
            if (tfpv_int(f, "client_port", &c2) && tfpv_int(f, "server_port", &s2) && c == c2 &&
                s == s2 && tfpv_streq_nocase(p ? p : "TCP", p2 ? p2 : "TCP")) {
                found = 1;
            }
        }
        if (!found) {
            return 0;
        }
    }
    return 1;
}

/* planned.port with null protocols set to "TCP". */
static int fill_port_defaults(tfp_value *planned)
{
    const tfp_value *ports = tfpv_get(planned, "port");
    tfp_value *copy = NULL, *e = NULL;
    int rc;
    if (!tfpv_is_set(ports)) {
        return 0;
    }
    rc = tfp_value_new_collection(&copy, tfp_value_type(ports));
    for (size_t i = 0; rc == 0 && i < tfp_value_length(ports); i++) {
        const tfp_value *src = tfp_value_at(ports, i);
        rc = tfp_value_copy(&e, src);
        if (rc == 0 && tfp_value_is_known(e) && !tfp_value_is_null(e) &&
            tfp_value_is_null(tfp_value_attr(e, "protocol")) &&
            tfp_value_is_known(tfp_value_attr(e, "protocol"))) {
            rc = tfp_value_set_attr_string(e, "protocol", "TCP");
        }
        if (rc == 0) {
            rc = tfp_value_append(copy, e);
        } else {
            tfp_value_free(e);
        }
        e = NULL;
    }
    if (rc == 0) {
        rc = tfp_value_set_attr(planned, "port", copy);
        copy = NULL;
    }
    tfp_value_free(copy);
    return rc;
}

/* Keeps the prior spelling of a case-insensitive enum when the values are equal. */
static int keep_prior_nocase(tfp_value *planned, const tfp_value *prior, const char *attr)
{
    const char *a = tfpv_str(planned, attr), *b = tfpv_str(prior, attr);
    if (a != NULL && b != NULL && strcmp(a, b) != 0 && tfpv_streq_nocase(a, b)) {
        return tfpv_copy_attr(planned, prior, attr);
    }
    return 0;
}

/* Keeps the prior value when planned and prior are both non-null and equal as empty/null. */
int tfpv_service_plan_value(tfp_value **out,
                            const tfp_value *prior,
                            const tfp_value *proposed,
                            const tfp_value *config)
{
    tfp_value *planned = NULL;
    int creating = prior == NULL || tfp_value_is_null(prior);
    int rc = tfp_value_copy(&planned, proposed);
    (void)config;
    if (rc != 0) {
        return rc;
    }
    /* Defaults. */
    if (rc == 0 && tfp_value_is_null(tfp_value_attr(planned, "service_type")) &&
        tfp_value_is_known(tfp_value_attr(planned, "service_type"))) {
        rc = tfp_value_set_attr_string(planned, "service_type", "interface");
    }
    if (rc == 0 && tfp_value_is_null(tfp_value_attr(planned, "approval_enabled")) &&
        tfp_value_is_known(tfp_value_attr(planned, "approval_enabled"))) {
        rc = tfp_value_set_attr_bool(planned, "approval_enabled", 1);
    }
    if (rc == 0) {
        rc = fill_port_defaults(planned);
    }
    if (creating) {
        static const char *const computed[] = {"id", "service_name", "status", "connections"};
        for (size_t i = 0; rc == 0 && i < sizeof computed / sizeof computed[0]; i++) {
            rc = tfp_value_set_attr_unknown(planned, computed[i]);
        }
        if (rc == 0 && tfp_value_is_null(tfp_value_attr(planned, "name"))) {
            rc = tfp_value_set_attr_unknown(planned, "name");
        }
        if (rc == 0 && tfp_value_is_null(tfp_value_attr(planned, "tcp_proxy"))) {
            rc = tfp_value_set_attr_unknown(planned, "tcp_proxy");
        }
        goto done;
    }
    /* Update: normalisation keeps the prior form of semantically equal values. */
    if (rc == 0) {
        rc = keep_prior_nocase(planned, prior, "server_type");
    }
    if (rc == 0) {
        rc = keep_prior_nocase(planned, prior, "service_type");
    }
    if (rc == 0) {
        rc = keep_prior_nocase(planned, prior, "tcp_proxy");
    }
    if (rc == 0 && port_sets_equal_nocase(tfpv_get(planned, "port"), tfpv_get(prior, "port"))) {
        rc = tfpv_copy_attr(planned, prior, "port");
    }
    if (rc == 0) {
        rc = tfpv_keep_prior_empty(planned, prior, "whitelist");
    }
    if (rc == 0) {
        rc = tfpv_keep_prior_empty(planned, prior, "tags");
    }
    /* A new name changes the full service name; everything else keeps its computed values. */
    if (rc == 0) {
        const tfp_value *pn = tfpv_get(planned, "name");
        const char *a = tfpv_str(planned, "name"), *b = tfpv_str(prior, "name");
        if (tfpv_is_unknown(pn) || (a != NULL && (b == NULL || strcmp(a, b) != 0))) {
            rc = tfp_value_set_attr_unknown(planned, "service_name");
        }
    }
done:
    if (rc != 0) {
        tfp_value_free(planned);
        return rc;
    }
    *out = planned;
    return 0;
}

static int service_plan(tfp_call *call)
{
    const tfp_value *proposed = tfp_call_proposed_state(call);
    tfp_value *planned = NULL;
    int rc;
    if (proposed == NULL || tfp_value_is_null(proposed)) {
        return tfp_call_set_result(call, NULL);
    }
    tfpv_service_check(tfp_call_diags(call), tfp_call_config(call));
    if (tfp_diags_has_errors(tfp_call_diags(call))) {
        return 0;
    }
    rc = tfpv_service_plan_value(&planned, tfp_call_prior_state(call), proposed,
                                 tfp_call_config(call));
    if (rc != 0) {
        return rc;
    }
    rc = tfp_call_set_result(call, planned);
    if (rc == 0) {
        rc = tfp_call_require_replace(call, "vpc_id");
    }
    if (rc == 0) {
        rc = tfp_call_require_replace(call, "server_type");
    }
    if (rc == 0) {
        rc = tfp_call_require_replace(call, "service_type");
    }
    return rc;
}

/* ----- State mapping ---------------------------------------------------------------------- */

/* "eu-de.name.uuid" -> "name"; NULL when the full name carries no short name. */
static char *short_name(const char *full, const char *id)
{
    const char *first_dot, *end;
    size_t idlen = id != NULL ? strlen(id) : 0, flen;
    char *out;
    if (full == NULL) {
        return NULL;
    }
    flen = strlen(full);
    end = full + flen;
    if (idlen > 0 && flen > idlen + 1 && strcmp(full + flen - idlen, id) == 0 &&
        full[flen - idlen - 1] == '.') {
        end = full + flen - idlen - 1;
    } else {
        const char *last = strrchr(full, '.');
        if (last == NULL) {
            return NULL;
        }
        end = last;
    }
    first_dot = memchr(full, '.', (size_t)(end - full));
    if (first_dot == NULL || first_dot + 1 >= end) {
        return NULL;
    }
    out = malloc((size_t)(end - first_dot));
    if (out != NULL) {
        memcpy(out, first_dot + 1, (size_t)(end - first_dot - 1));
        out[end - first_dot - 1] = '\0';
    }
    return out;
}

static int
set_nocase_string(tfp_value *st, const tfp_value *prior, const char *attr, const char *api)
{
    const char *p = tfpv_str(prior, attr);
    if (api != NULL && p != NULL && tfpv_streq_nocase(api, p)) {
        return tfp_value_set_attr_string(st, attr, p);
    }
    return tfp_value_set_attr_string(st, attr, api);
}

int tfpv_service_set_ports(tfp_value *st, const tfp_value *prior, const vpcep_service *svc)
{
    const tfp_type *set_t = tfpv_attr_type(st, "port");
    const tfp_type *et = set_t != NULL ? tfp_type_element(set_t) : NULL;
    const tfp_value *pp = tfpv_get(prior, "port");
    tfp_value *set = NULL, *e = NULL;
    int rc;
    if (et == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_new_collection(&set, set_t);
    for (size_t i = 0; rc == 0 && i < svc->n_ports; i++) {
        const vpcep_port_mapping *m = svc->ports[i];
        const char *proto = m->protocol != NULL ? m->protocol : "TCP";
        for (size_t j = 0; tfpv_is_set(pp) && j < tfp_value_length(pp); j++) {
            const tfp_value *f = tfp_value_at(pp, j);
            int64_t c = 0, s = 0;
            const char *p2 = tfpv_str(f, "protocol");
            if (tfpv_int(f, "client_port", &c) && tfpv_int(f, "server_port", &s) &&
                c == m->client_port && s == m->server_port && tfpv_streq_nocase(p2, proto)) {
                proto = p2; /* the user's spelling */
                break;
            }
        }
        rc = tfp_value_new_object(&e, et);
        if (rc == 0) {
            rc = tfp_value_set_attr_int64(e, "client_port", m->client_port);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_int64(e, "server_port", m->server_port);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "protocol", proto);
        }
        if (rc == 0) {
            rc = tfp_value_append(set, e);
        } else {
            tfp_value_free(e);
        }
        e = NULL;
    }
    if (rc == 0) {
        rc = tfp_value_set_attr(st, "port", set);
        set = NULL;
    }
    tfp_value_free(set);
    return rc;
}

int tfpv_service_set_whitelist(tfp_value *st,
                               const vpcep_permission_list *perms,
                               const tfp_value *prior)
{
    const char **wl = NULL;
    size_t n_wl = 0;
    int rc = 0;
    if (perms != NULL && perms->count > 0) {
        wl = calloc(perms->count, sizeof *wl);
        if (wl == NULL) {
            return TFP_ENOMEM;
        }
        for (size_t i = 0; i < perms->count; i++) {
            const char *dom = perms->items[i]->domain_id;
            const char *perm = perms->items[i]->permission;
            if (dom == NULL && perm != NULL) {
                dom = strncmp(perm, TFPV_DOMAIN_PREFIX, strlen(TFPV_DOMAIN_PREFIX)) == 0
                          ? perm + strlen(TFPV_DOMAIN_PREFIX)
                          : perm;
            }
            if (dom != NULL) {
                wl[n_wl++] = dom;
            }
        }
    }
    rc = tfpv_set_strings_from_api(st, "whitelist", wl, n_wl, prior);
    free(wl);
    return rc;
}

int tfpv_service_state(tfp_value **out,
                       const tfp_type *type,
                       const tfp_value *prior,
                       const vpcep_service *svc,
                       const vpcep_permission_list *perms,
                       const vpcep_connection_list *conns)
{
    tfp_value *st = NULL;
    char *name = NULL;
    const char *desc;
    int rc = tfp_value_new_object(&st, type);
    if (rc != 0) {
        return rc;
    }
    rc = tfp_value_set_attr_string(st, "id", svc->id);
    if (rc == 0) {
        name = short_name(svc->service_name, svc->id);
        rc = tfp_value_set_attr_string(st, "name", name);
    }
    desc = svc->description;
    if (rc == 0) {
        if ((desc == NULL || desc[0] == '\0') && tfpv_is_empty(tfpv_get(prior, "description"))) {
            rc = tfpv_copy_attr(st, prior, "description");
        } else {
            rc = tfp_value_set_attr_string(st, "description", desc != NULL ? desc : "");
        }
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "vpc_id", svc->vpc_id);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "port_id", svc->port_id);
    }
    if (rc == 0) {
        rc = set_nocase_string(st, prior, "server_type", svc->server_type);
    }
    if (rc == 0) {
        rc = set_nocase_string(st, prior, "service_type",
                               svc->service_type != NULL ? svc->service_type : "interface");
    }
    if (rc == 0) {
        rc = set_nocase_string(st, prior, "tcp_proxy",
                               svc->tcp_proxy != NULL ? svc->tcp_proxy : "close");
    }
    if (rc == 0) {
        int b = 1;
        if (svc->approval_enabled_set) {
            b = svc->approval_enabled;
        } else if (!tfpv_bool(prior, "approval_enabled", &b)) {
            b = 1;
        }
        rc = tfp_value_set_attr_bool(st, "approval_enabled", b);
    }
    if (rc == 0) {
        rc = tfpv_service_set_ports(st, prior, svc);
    }
    if (rc == 0) {
        rc = tfpv_service_set_whitelist(st, perms, tfpv_get(prior, "whitelist"));
    }
    if (rc == 0) {
        rc = tfpv_set_tags_from_api(st, "tags", svc->tags, svc->n_tags, tfpv_get(prior, "tags"));
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_name", svc->service_name);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "status", svc->status);
    }
    if (rc == 0) {
        rc = tfpv_set_connections(st, conns);
    }
    if (rc == 0) {
        rc = tfpv_copy_attr(st, prior, "timeouts");
    }
    free(name);
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* Reads the service, its whitelist and connections into a state value. *out NULL when gone.
 * @p got: the service as a wait has just read it (taken over; NULL: read it here). @p wl_empty:
 * the whitelist is known to be empty (nothing was ever added), so it is not listed. The
 * connections are listed only when the service counts connected endpoints (connection_count:
 * creating + accepted) or the prior state holds connections to follow: nothing to ask
 * otherwise. */
static int read_state(tfp_call *call,
                      vpcep_client *client,
                      const char *id,
                      const tfp_value *prior,
                      vpcep_service *got,
                      int wl_empty,
                      tfp_value **out)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_service *svc = got;
    vpcep_permission_list *perms = NULL;
    vpcep_connection_list *conns = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    const tfp_value *known = tfpv_get(prior, "connections");
    int rc = 0;
    *out = NULL;
    if (svc == NULL) {
        rc = vpcep_service_get(&svc, client, id, &err);
    }
    if (rc == VPCEP_ENOTFOUND) {
        tfp_log(TFP_LOG_DEBUG, "vpcep", "service %s is gone", id);
        rc = 0;
        goto done;
    }
    if (rc != 0) {
        tfpv_api_error(d, NULL, "Cannot read the endpoint service", rc, &err);
        goto done;
    }
    if (!wl_empty) {
        rc = vpcep_permissions_list(&perms, client, id, NULL, &err);
    }
    if (rc == VPCEP_ENOTFOUND) {
        rc = 0;
        goto done;
    }
    if (rc != 0) {
        tfpv_api_error(d, "whitelist", "Cannot read the whitelist of the endpoint service", rc,
                       &err);
        goto done;
    }
    if (svc->connection_count > 0 || (tfpv_is_set(known) && tfp_value_length(known) > 0)) {
        rc = vpcep_connections_list(&conns, client, id, NULL, &err);
    }
    if (rc == VPCEP_ENOTFOUND) {
        rc = 0;
        goto done;
    }
    if (rc != 0) {
        tfpv_api_error(d, "connections", "Cannot read the connections of the endpoint service", rc,
                       &err);
        goto done;
    }
    rc = tfpv_service_state(out, tfp_schema_type(tfp_call_schema(call)), prior, svc, perms, conns);
done:
    vpcep_service_free(svc);
    vpcep_permission_list_free(perms);
    vpcep_connection_list_free(conns);
    return rc < 0 && rc != TFP_ENOMEM ? TFP_ERROR : rc;
}

static int service_read(tfp_call *call)
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
    rc = read_state(call, client, id, prior, NULL, 0, &st);
    if (rc != 0 || tfp_diags_has_errors(tfp_call_diags(call))) {
        tfp_value_free(st);
        return rc == TFP_ENOMEM ? rc : 0;
    }
    return tfp_call_set_result(call, st); /* NULL = gone */
}

/* ----- Apply ------------------------------------------------------------------------------ */

typedef struct port_params {
    vpcep_port_param *items;
    size_t n;
} port_params;

static int port_params_from(port_params *out, const tfp_value *ports)
{
    size_t n = tfpv_is_set(ports) ? tfp_value_length(ports) : 0;
    out->n = 0;
    out->items = calloc(n + 1, sizeof *out->items);
    if (out->items == NULL) {
        return TFP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const tfp_value *e = tfp_value_at(ports, i);
        int64_t c = 0, s = 0;
        int idx = tfpv_enum_index(tfpv_str(e, "protocol"), tfpv_protocols);
        if (!tfpv_int(e, "client_port", &c) || !tfpv_int(e, "server_port", &s)) {
            continue;
        }
        out->items[out->n].client_port = (int)c;
        out->items[out->n].server_port = (int)s;
        out->items[out->n].protocol = idx >= 0 ? tfpv_protocols[idx] : "TCP";
        out->n++;
    }
    return 0;
}

static const char *canon(const char *s, const char *const *allowed)
{
    int i = tfpv_enum_index(s, allowed);
    return i >= 0 ? allowed[i] : s;
}

/* State after a failure half-way: what was planned, the ID, no unknowns. */
static int partial_state(tfp_value **out, const tfp_value *planned, const char *id)
{
    tfp_value *st = NULL;
    int rc = tfp_value_copy(&st, planned);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", id);
    }
    if (rc == 0) {
        rc = tfpv_unknowns_to_null(&st);
    }
    if (rc == 0 && tfp_value_is_null(tfp_value_attr(st, "connections"))) {
        rc = tfpv_set_empty_collection(st, "connections");
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

static int whitelist_action(vpcep_client *client,
                            tfp_diags *d,
                            const char *id,
                            vpcep_permission_action_kind kind,
                            const tfpv_strs *ids)
{
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;
    if (ids->n == 0) {
        return 0;
    }
    tfp_log(TFP_LOG_DEBUG, "vpcep", "%s %zu whitelist record(s) of service %s",
            kind == VPCEP_PERMISSION_ADD ? "adding" : "removing", ids->n, id);
    rc = vpcep_permission_action(client, id, kind, ids->items, ids->n, &err);
    if (rc != 0) {
        tfpv_api_error(d, "whitelist",
                       kind == VPCEP_PERMISSION_ADD ? "Cannot add whitelist records"
                                                    : "Cannot remove whitelist records",
                       rc, &err);
    }
    return rc;
}

/* Whitelist diff: add what is new, remove what disappeared. */
static int apply_whitelist_diff(vpcep_client *client,
                                tfp_diags *d,
                                const char *id,
                                const tfp_value *old_wl,
                                const tfp_value *new_wl)
{
    tfpv_strs olds = {0}, news = {0}, add = {0}, del = {0};
    int rc = tfpv_strs_from(&olds, old_wl);
    if (rc == 0) {
        rc = tfpv_strs_from(&news, new_wl);
    }
    if (rc == 0) {
        add.items = calloc(news.n + 1, sizeof *add.items);
        del.items = calloc(olds.n + 1, sizeof *del.items);
        if (add.items == NULL || del.items == NULL) {
            rc = TFP_ENOMEM;
        }
    }
    for (size_t i = 0; rc == 0 && i < news.n; i++) {
        if (!tfpv_strs_has(&olds, news.items[i])) {
            add.items[add.n++] = news.items[i];
        }
    }
    for (size_t i = 0; rc == 0 && i < olds.n; i++) {
        if (!tfpv_strs_has(&news, olds.items[i])) {
            del.items[del.n++] = olds.items[i];
        }
    }
    if (rc == 0) {
        rc = whitelist_action(client, d, id, VPCEP_PERMISSION_REMOVE, &del);
    }
    if (rc == 0) {
        rc = whitelist_action(client, d, id, VPCEP_PERMISSION_ADD, &add);
    }
    tfpv_strs_dispose(&olds);
    tfpv_strs_dispose(&news);
    tfpv_strs_dispose(&add);
    tfpv_strs_dispose(&del);
    return rc;
}

/* Waits until the service is available; *got (optional) receives the service as the last
 * poll read it (caller frees). */
static int wait_available(vpcep_client *client,
                          tfp_diags *d,
                          const char *id,
                          int64_t timeout_ms,
                          const char *action,
                          vpcep_service **got)
{
    char hint[96];
    const tfpv_wait available = {
        .kind = TFPV_WAIT_SERVICE_AVAILABLE,
        .what = "service to become available",
        .id = id,
        .timeout_ms = timeout_ms,
        .summary = "Endpoint service did not become available",
        .timeout_summary = "Timed out waiting for the endpoint service",
        .subject = "Service",
        .timeout_name = action,
        .hint = hint,
    };
    snprintf(hint, sizeof hint, " Raise timeouts.%s if the cloud is slow.", action);
    return tfpv_wait_run(d, client, &available, got, NULL);
}

static int service_create(tfp_call *call, vpcep_client *client, const tfp_value *planned)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_service_create_opts opts;
    vpcep_service *svc = NULL, *got = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    port_params ports = {0};
    tfpv_tag_params tags = {0};
    tfp_value *st = NULL;
    const char *id = NULL;
    int b = 1, rc;

    memset(&opts, 0, sizeof opts);
    opts.version = VPCEP_SERVICE_CREATE_OPTS_VERSION;
    rc = port_params_from(&ports, tfpv_get(planned, "port"));
    if (rc == 0) {
        rc = tfpv_tag_params_from(&tags, tfpv_get(planned, "tags"));
    }
    if (rc != 0) {
        goto done;
    }
    opts.port_id = tfpv_str(planned, "port_id");
    opts.vpc_id = tfpv_str(planned, "vpc_id");
    opts.server_type = canon(tfpv_str(planned, "server_type"), tfpv_server_types);
    opts.service_type = canon(tfpv_str(planned, "service_type"), tfpv_service_types);
    opts.ports = ports.items;
    opts.n_ports = ports.n;
    opts.service_name = tfpv_str(planned, "name");
    if (!tfpv_bool(planned, "approval_enabled", &b)) {
        b = 1;
    }
    opts.approval_enabled = b;
    opts.approval_enabled_set = 1;
    opts.tcp_proxy = canon(tfpv_str(planned, "tcp_proxy"), tfpv_tcp_proxy_modes);
    opts.description = tfpv_str(planned, "description");
    opts.tags = tags.items;
    opts.n_tags = tags.n;

    tfp_log(TFP_LOG_DEBUG, "vpcep", "creating endpoint service (vpc %s, %zu port(s))",
            opts.vpc_id != NULL ? opts.vpc_id : "", ports.n);
    rc = vpcep_service_create(&svc, client, &opts, &err);
    if (rc != 0) {
        tfpv_create_error(d, "Cannot create the endpoint service", TYPE_NAME, rc, &err);
        rc = 0;
        goto done;
    }
    id = svc->id; /* borrowed from svc, which lives until the end */
    if (id == NULL) {
        tfp_diags_error(d, NULL, "Cannot create the endpoint service",
                        "The API answered the create without a service ID.");
        goto done;
    }
    tfp_log(TFP_LOG_INFO, "vpcep", "created endpoint service %s", id);

    if (wait_available(client, d, id, tfpv_timeout_ms(planned, "create"), "create", &got) != 0 ||
        apply_whitelist_diff(client, d, id, NULL, tfpv_get(planned, "whitelist")) != 0) {
        goto keep_id;
    }
    /* The last poll is the read-back; with no whitelist planned, nothing was added to it. */
    rc = read_state(call, client, id, planned, got, tfpv_is_empty(tfpv_get(planned, "whitelist")),
                    &st);
    got = NULL;
    if (rc != 0 || st == NULL) {
        /* Read-back failed (its diagnostic is there) or found nothing: the ID stays. */
        if (rc == 0 && !tfp_diags_has_errors(d)) {
            tfp_diags_error(d, NULL, "Endpoint service disappeared",
                            "Service %s was created but could not be read back.", id);
        }
        tfp_value_free(st);
        st = NULL;
        goto keep_id;
    }
    rc = tfpv_overlay_known(st, planned);
    if (rc == 0) {
        rc = tfpv_unknowns_to_null(&st); /* never lose the new ID over an unknown */
    }
    if (rc == 0) {
        rc = tfp_call_set_result(call, st);
        st = NULL;
    }
    if (rc != TFP_ENOMEM) {
        goto unmark;
    }
keep_id:
    /* Whatever failed after the POST, the service exists: its ID goes into state with what was
     * planned (Terraform taints it, as the call has an error), so that nothing is orphaned. */
    if (!tfp_diags_has_errors(d)) {
        tfp_diags_error(d, NULL, "Endpoint service created, state incomplete",
                        "Service %s was created, but its state could not be completed (out of "
                        "memory). It is kept in state and will be replaced.",
                        id);
    }
    tfp_value_free(st);
    st = NULL;
    rc = partial_state(&st, planned, id);
    if (rc == 0 && svc->status != NULL) {
        rc = tfp_value_set_attr_string(st, "status", svc->status);
    }
    if (rc == 0 && svc->service_name != NULL) {
        rc = tfp_value_set_attr_string(st, "service_name", svc->service_name);
    }
    if (rc == 0) {
        rc = tfp_call_set_result(call, st);
        st = NULL;
    }
unmark:
    /* The ID is in state: the create marker has done its work (a create with 10 tags had
     * none). */
    if (tags.n < TFPV_MAX_TAGS) {
        tfpv_remove_create_marker(client, d, VPCEP_RESOURCE_SERVICE, id);
    }
done:
    tfp_value_free(st);
    vpcep_service_free(svc);
    vpcep_service_free(got);
    free(ports.items);
    tfpv_tag_params_dispose(&tags);
    return rc == TFP_ENOMEM ? rc : 0;
}

static int str_changed(const tfp_value *a, const tfp_value *b, const char *attr)
{
    const char *x = tfpv_str(a, attr), *y = tfpv_str(b, attr);
    if (x == NULL || y == NULL) {
        return x != y;
    }
    return strcmp(x, y) != 0;
}

static int service_update(tfp_call *call,
                          vpcep_client *client,
                          const tfp_value *prior,
                          const tfp_value *planned)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_service_update_opts opts;
    vpcep_error err = VPCEP_ERROR_INIT;
    port_params ports = {0};
    tfp_value *st = NULL;
    const char *id = tfpv_str(prior, "id");
    int fields = 0, a = 0, b = 0, rc = 0;

    memset(&opts, 0, sizeof opts);
    opts.version = VPCEP_SERVICE_UPDATE_OPTS_VERSION;
    if (id == NULL) {
        tfp_diags_error(d, "id", "Missing ID", "The prior state has no service ID.");
        goto done;
    }
    if (tfpv_str(planned, "name") != NULL && str_changed(prior, planned, "name")) {
        opts.service_name = tfpv_str(planned, "name");
        fields++;
    }
    if (!tfpv_equal_empty_null(tfpv_get(prior, "description"), tfpv_get(planned, "description"))) {
        const char *desc = tfpv_str(planned, "description");
        opts.description = desc != NULL ? desc : "";
        fields++;
    }
    if (str_changed(prior, planned, "port_id")) {
        opts.port_id = tfpv_str(planned, "port_id");
        fields++;
    }
    if (tfpv_bool(planned, "approval_enabled", &b) &&
        (!tfpv_bool(prior, "approval_enabled", &a) || a != b)) {
        opts.approval_enabled = b;
        opts.approval_enabled_set = 1;
        fields++;
    }
    if (!port_sets_equal_nocase(tfpv_get(prior, "port"), tfpv_get(planned, "port"))) {
        rc = port_params_from(&ports, tfpv_get(planned, "port"));
        if (rc != 0) {
            goto done;
        }
        opts.ports = ports.items;
        opts.n_ports = ports.n;
        opts.ports_set = 1;
        fields++;
    }
    if (tfpv_str(planned, "tcp_proxy") != NULL &&
        !tfpv_streq_nocase(tfpv_str(prior, "tcp_proxy"), tfpv_str(planned, "tcp_proxy"))) {
        opts.tcp_proxy = canon(tfpv_str(planned, "tcp_proxy"), tfpv_tcp_proxy_modes);
        fields++;
    }
    if (fields > 0) {
        tfp_log(TFP_LOG_DEBUG, "vpcep", "updating %d field(s) of endpoint service %s", fields, id);
        rc = vpcep_service_update(NULL, client, id, &opts, &err);
        if (rc != 0) {
            tfpv_api_error(d, NULL, "Cannot update the endpoint service", rc, &err);
        } else {
            rc = wait_available(client, d, id, tfpv_timeout_ms(planned, "update"), "update", NULL);
        }
    }
    if (rc == 0) {
        rc = apply_whitelist_diff(client, d, id, tfpv_get(prior, "whitelist"),
                                  tfpv_get(planned, "whitelist"));
    }
    if (rc == 0) {
        rc = tfpv_apply_tags_diff(client, d, VPCEP_RESOURCE_SERVICE, id, tfpv_get(prior, "tags"),
                                  tfpv_get(planned, "tags"));
    }
    if (rc == 0) {
        rc = read_state(call, client, id, planned, NULL, 0, &st);
    }
    if (rc == 0 && st == NULL && !tfp_diags_has_errors(d)) {
        tfp_diags_error(d, NULL, "Endpoint service disappeared",
                        "Service %s was deleted while it was being updated.", id);
    }
    if (rc == 0 && st != NULL) {
        rc = tfpv_overlay_known(st, planned);
    }
    if (rc != 0 || st == NULL) {
        /* Keep the prior state: the next refresh shows what was applied. */
        tfp_value_free(st);
        st = NULL;
        rc = tfp_value_copy(&st, prior);
    }
    if (rc == 0) {
        rc = tfp_call_set_result(call, st);
        st = NULL;
    }
done:
    tfp_value_free(st);
    free(ports.items);
    return rc == TFP_ENOMEM ? rc : 0;
}

static int service_delete(tfp_call *call, vpcep_client *client, const tfp_value *prior)
{
    tfp_diags *d = tfp_call_diags(call);
    const char *id = tfpv_str(prior, "id");
    const tfpv_wait deleted = {
        .kind = TFPV_WAIT_SERVICE_DELETED,
        .what = "service deletion",
        .id = id,
        .timeout_ms = tfpv_timeout_ms(prior, "delete"),
        .summary = "Endpoint service deletion failed",
        .timeout_summary = "Timed out waiting for the endpoint service deletion",
        .subject = "Service",
        .timeout_name = "delete",
    };
    if (id != NULL &&
        tfpv_delete_and_wait(d, client, vpcep_service_delete, "endpoint service",
                             "Cannot delete the endpoint service", &deleted) == VPCEP_ECONFLICT) {
        tfp_diags_add(d, TFP_SEVERITY_WARNING, NULL, "The service still has connections",
                      "The API refuses to delete a service with accepted or creating "
                      "endpoints: delete those endpoints (or reject them) first.");
    }
    return tfp_call_set_result(call, NULL);
}

static int service_apply(tfp_call *call)
{
    const tfp_value *prior = tfp_call_prior_state(call);
    const tfp_value *planned = tfp_call_planned_state(call);
    vpcep_client *client = tfpv_client(call);
    int had_prior = prior != NULL && !tfp_value_is_null(prior);
    if (client == NULL) {
        return 0;
    }
    if (planned == NULL || tfp_value_is_null(planned)) {
        if (!had_prior) {
            return tfp_call_set_result(call, NULL);
        }
        return service_delete(call, client, prior);
    }
    if (!had_prior) {
        return service_create(call, client, planned);
    }
    return service_update(call, client, prior, planned);
}

static int service_import(tfp_call *call)
{
    tfp_value *st = NULL;
    int rc = tfpv_import_stub(call, "Import a vpcep_service by its service ID.", &st);
    if (st == NULL) {
        return rc;
    }
    rc = tfpv_set_empty_collection(st, "port");
    if (rc == 0) {
        rc = tfpv_set_empty_collection(st, "connections");
    }
    return tfpv_import_finish(call, st, rc);
}

static const tfpv_handlers service_handlers = {
    .validate = service_validate,
    .upgrade = tfpv_upgrade_v0,
    .read = service_read,
    .plan = service_plan,
    .apply = service_apply,
    .import = service_import,
    .move = tfpv_move_from_go,
    .move_sources = tfpv_service_move_sources,
};

int tfpv_service_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_service_schema, &service_handlers, 0);
}
