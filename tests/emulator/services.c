/* vpcep-emulator: Endpoint services: create, list, get, update, delete; public services; describe
 * by name or ID. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- endpoint services ------------------------------------------------------------------------
 */

static cJSON *render_service_list(const emu_server *srv, const cJSON *svc)
{
    return emu_render_service(srv, svc, 1);
}

static void full_service_name(const emu_ctx *c, const char *name, const char *id, char out[128])
{
    const char *region = emu_jstr(c->srv->seed, "region");
    if (name && *name) {
        snprintf(out, 128, "%s.%s.%s", region, name, id);
    } else {
        snprintf(out, 128, "%s.%s", region, id);
    }
}

cJSON *emu_own_service(emu_ctx *c, const char *id)
{
    cJSON *s = emu_find_by_id(c->srv->services, id);
    if (!s || !emu_streq(emu_jstr(s, "project_id"), c->pid)) {
        emu_set_error(c->resp, 404, "EndPoint.0005", "The endpoint service %s does not exist.",
                      strlen(id) > 64 ? "..." : id);
        return NULL;
    }
    return s;
}

void emu_create_service(emu_ctx *c)
{
    cJSON *body = emu_parse_body(c);
    cJSON *ports = NULL;
    cJSON *tags = NULL;
    const char *port_id, *vpc_id, *server_type, *name, *desc, *stype, *tcp_proxy, *pool_id;
    if (!body || emu_req_string(c, body, "port_id", &port_id) ||
        emu_req_string(c, body, "vpc_id", &vpc_id) ||
        emu_req_string(c, body, "server_type", &server_type) ||
        emu_opt_string(c, body, "service_name", &name) ||
        emu_opt_string(c, body, "description", &desc) ||
        emu_opt_string(c, body, "service_type", &stype) ||
        emu_opt_string(c, body, "tcp_proxy", &tcp_proxy) ||
        emu_opt_string(c, body, "pool_id", &pool_id) || emu_check_service_name(c, name) ||
        emu_check_description(c, desc)) {
        goto done;
    }
    if (emu_streq(server_type, "BMS")) {
        emu_bad(c, "EndPoint.3021", "server_type BMS is deprecated and no longer supported.%s", "");
        goto done;
    }
    if (!emu_streq(server_type, "VM") && !emu_streq(server_type, "VIP") &&
        !emu_streq(server_type, "LB")) {
        emu_bad(c, "EndPoint.3021", "Invalid server_type '%s' (VM, VIP or LB).",
                strlen(server_type) > 32 ? "..." : server_type);
        goto done;
    }
    if (stype && !emu_streq(stype, "interface")) {
        emu_bad(c, "EndPoint.0002",
                "Parameter error: service_type '%s' cannot be created by tenants (only interface).",
                strlen(stype) > 32 ? "..." : stype);
        goto done;
    }
    if (tcp_proxy && !emu_in_list(tcp_proxy, EMU_TCP_PROXY)) {
        emu_bad(
            c, "EndPoint.0002",
            "Parameter error: tcp_proxy must be close, toa_open, proxy_open or open (got '%s').",
            strlen(tcp_proxy) > 32 ? "..." : tcp_proxy);
        goto done;
    }
    int approval = emu_opt_bool(c, body, "approval_enabled");
    if (approval == -2) {
        goto done;
    }
    if (!(ports = emu_check_ports(c, cJSON_GetObjectItemCaseSensitive(body, "ports")))) {
        goto done;
    }
    const cJSON *tj = cJSON_GetObjectItemCaseSensitive(body, "tags");
    if (tj && !cJSON_IsNull(tj) && !(tags = emu_check_tags(c, tj, 0, MAX_TAGS))) {
        goto done;
    }
    const cJSON *vpc = emu_seed_vpc(c->acct, vpc_id);
    if (!vpc) {
        emu_bad(c, "EndPoint.0002", "Parameter error: the VPC %s does not exist in this project.",
                strlen(vpc_id) > 64 ? "..." : vpc_id);
        goto done;
    }
    if (!emu_has_id(vpc, "ports", port_id)) {
        emu_bad(c, "EndPoint.0002", "Parameter error: the port %s does not exist in the VPC.",
                strlen(port_id) > 64 ? "..." : port_id);
        goto done;
    }
    if (emu_check_port_conflict(c, NULL, port_id, ports) != EMU_OK) {
        goto done;
    }
    if (emu_count_in_project(c->srv->services, c->pid) >=
        emu_quota_of(c->srv, "endpoint_service", DEFAULT_SERVICE_QUOTA)) {
        emu_bad(c, "Endpoint.1018", "Quota exceeded: endpoint services per project.%s", "");
        goto done;
    }

    char id[37], pool[37], ts[32], full[128];
    emu_uuid(id);
    emu_uuid(pool);
    emu_iso8601(c->now, ts);
    full_service_name(c, name, id, full);
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "id", id);
    cJSON_AddStringToObject(s, "port_id", port_id);
    cJSON_AddStringToObject(s, "vpc_id", vpc_id);
    cJSON_AddStringToObject(s, "pool_id", pool_id ? pool_id : pool);
    cJSON_AddStringToObject(s, "status", "creating");
    cJSON_AddBoolToObject(s, "approval_enabled", approval != 0);
    cJSON_AddStringToObject(s, "service_name", full);
    cJSON_AddStringToObject(s, "service_type", "interface");
    cJSON_AddStringToObject(s, "server_type", server_type);
    cJSON_AddStringToObject(s, "project_id", c->pid);
    cJSON_AddStringToObject(s, "description", desc ? desc : "");
    cJSON_AddStringToObject(s, "tcp_proxy", tcp_proxy ? tcp_proxy : "close");
    cJSON_AddStringToObject(s, "created_at", ts);
    cJSON_AddStringToObject(s, "updated_at", ts);
    cJSON_AddItemToObject(s, "ports", ports);
    ports = NULL;
    cJSON_AddItemToObject(s, "tags", tags ? tags : cJSON_CreateArray());
    tags = NULL;
    cJSON_AddStringToObject(s, "_name", name ? name : "");
    cJSON_AddStringToObject(s, "_domain_id", emu_jstr(c->acct, "domain_id"));
    cJSON_AddNumberToObject(s, "_seq", c->srv->seq++);
    cJSON_AddNumberToObject(s, "_at", c->now + (double)c->srv->opt.delay_ms);
    cJSON_AddItemToObject(s, "_permissions", cJSON_CreateArray());
    cJSON_AddBoolToObject(s, "_fail", emu_draw_failure(c->srv));
    cJSON_AddItemToArray(c->srv->services, s);
    c->srv->dirty = 1;
    c->resp->status = 200;
    c->resp->body = emu_render_service(c->srv, s, 0);
done:
    cJSON_Delete(body);
    cJSON_Delete(ports);
    cJSON_Delete(tags);
}

static const char *const SERVICE_STATES[] = {"creating", "available", "failed", "deleting", NULL};

void emu_list_services(emu_ctx *c)
{
    emu_list_params lp;
    const char *name = emu_query(c, "endpoint_service_name");
    const char *id = emu_query(c, "id");
    const char *status = emu_query(c, "status");
    if (emu_parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    if (status && !emu_in_list(status, SERVICE_STATES)) {
        emu_bad(c, "EndPoint.0019", "Invalid status '%s'.", strlen(status) > 32 ? "..." : status);
        return;
    }
    size_t n = 0;
    const cJSON **items = emu_collect(c->srv->services, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    cJSON *s = NULL;
    cJSON_ArrayForEach(s, c->srv->services)
    {
        if (!emu_streq(emu_jstr(s, "project_id"), c->pid) ||
            (name && *name && !emu_strcasestr_contains(emu_jstr(s, "service_name"), name)) ||
            (id && *id && !emu_streq(emu_jstr(s, "id"), id)) ||
            (status && !emu_streq(emu_jstr(s, "status"), status))) {
            continue;
        }
        items[n++] = s;
    }
    emu_respond_page(c, items, n, &lp, "endpoint_services", render_service_list);
    free(items);
}

void emu_get_service(emu_ctx *c, const char *id)
{
    cJSON *s = emu_own_service(c, id);
    if (s) {
        c->resp->status = 200;
        c->resp->body = emu_render_service(c->srv, s, 0);
    }
}

void emu_update_service(emu_ctx *c, const char *id)
{
    cJSON *body = NULL;
    cJSON *ports = NULL;
    cJSON *s = emu_own_service(c, id);
    const char *name, *desc, *tcp_proxy, *port_id;
    if (!s || !(body = emu_parse_body(c))) {
        goto done;
    }
    if (!emu_streq(emu_jstr(s, "status"), "available")) {
        emu_bad(c, "EndPoint.3045", "The endpoint service cannot be modified in status %s.",
                emu_jstr(s, "status"));
        goto done;
    }
    if (emu_opt_string(c, body, "service_name", &name) ||
        emu_opt_string(c, body, "description", &desc) ||
        emu_opt_string(c, body, "tcp_proxy", &tcp_proxy) ||
        emu_opt_string(c, body, "port_id", &port_id) || emu_check_description(c, desc)) {
        goto done;
    }
    if (name && *name && emu_check_service_name(c, name)) {
        goto done;
    }
    if (tcp_proxy && !emu_in_list(tcp_proxy, EMU_TCP_PROXY)) {
        emu_bad(c, "EndPoint.0002", "Parameter error: invalid tcp_proxy '%s'.",
                strlen(tcp_proxy) > 32 ? "..." : tcp_proxy);
        goto done;
    }
    int approval = emu_opt_bool(c, body, "approval_enabled");
    if (approval == -2) {
        goto done;
    }
    const cJSON *pj = cJSON_GetObjectItemCaseSensitive(body, "ports");
    if (pj && !cJSON_IsNull(pj) && !(ports = emu_check_ports(c, pj))) {
        goto done;
    }
    if (port_id) {
        const cJSON *vpc = emu_seed_vpc(c->acct, emu_jstr(s, "vpc_id"));
        if (!emu_has_id(vpc, "ports", port_id)) {
            emu_bad(c, "EndPoint.0002", "Parameter error: the port %s does not exist in the VPC.",
                    strlen(port_id) > 64 ? "..." : port_id);
            goto done;
        }
    }
    if (emu_check_port_conflict(c, id, port_id ? port_id : emu_jstr(s, "port_id"),
                                ports ? ports : cJSON_GetObjectItemCaseSensitive(s, "ports")) !=
        EMU_OK) {
        goto done;
    }
    char ts[32], full[128];
    emu_iso8601(c->now, ts);
    if (name) {
        emu_set_str(s, "_name", name);
        full_service_name(c, name, id, full);
        emu_set_str(s, "service_name", full);
    }
    if (desc) {
        emu_set_str(s, "description", desc);
    }
    if (tcp_proxy) {
        emu_set_str(s, "tcp_proxy", tcp_proxy);
    }
    if (port_id) {
        emu_set_str(s, "port_id", port_id);
    }
    if (approval >= 0) {
        emu_set_bool(s, "approval_enabled", approval);
    }
    if (ports) {
        emu_set_item(s, "ports", ports);
        ports = NULL;
    }
    emu_set_str(s, "updated_at", ts);
    c->srv->dirty = 1;
    c->resp->status = 200;
    c->resp->body = emu_render_service(c->srv, s, 0);
done:
    cJSON_Delete(body);
    cJSON_Delete(ports);
}

void emu_delete_service(emu_ctx *c, const char *id)
{
    cJSON *s = emu_own_service(c, id);
    if (!s) {
        return;
    }
    if (!emu_streq(emu_jstr(s, "status"), "deleting")) {
        if (emu_connection_count(c->srv, id) > 0) {
            emu_bad(
                c, "EndPoint.3006",
                "The endpoint service %s is being used: it has endpoints in accepted or creating "
                "status.",
                id);
            return;
        }
        char ts[32];
        emu_iso8601(c->now, ts);
        emu_set_str(s, "status", "deleting");
        emu_set_str(s, "updated_at", ts);
        emu_set_num(s, "_at", c->now + (double)c->srv->opt.delay_ms);
        c->srv->dirty = 1;
    }
    c->resp->status = 204;
}

static cJSON *render_public(const emu_server *srv, const cJSON *p)
{
    (void)srv;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", emu_jstr(p, "id"));
    cJSON_AddStringToObject(o, "owner", emu_jstr(p, "owner") ? emu_jstr(p, "owner") : "OTC");
    cJSON_AddStringToObject(o, "service_name", emu_jstr(p, "service_name"));
    cJSON_AddStringToObject(o, "service_type", emu_jstr(p, "service_type"));
    cJSON_AddStringToObject(o, "created_at",
                            emu_jstr(p, "created_at") ? emu_jstr(p, "created_at")
                                                      : "2019-03-28T09:30:27Z");
    cJSON_AddBoolToObject(o, "is_charge", emu_jtrue(p, "is_charge"));
    return o;
}

void emu_list_public(emu_ctx *c)
{
    emu_list_params lp;
    if (emu_parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    const char *name = emu_query(c, "endpoint_service_name");
    const char *id = emu_query(c, "id");
    cJSON *pubs = cJSON_GetObjectItemCaseSensitive(c->srv->seed, "public_services");
    size_t n = 0;
    const cJSON **items = emu_collect(pubs, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, pubs)
    {
        if ((name && *name && !emu_strcasestr_contains(emu_jstr(p, "service_name"), name)) ||
            (id && *id && !emu_streq(emu_jstr(p, "id"), id))) {
            continue;
        }
        items[n++] = p;
    }
    emu_respond_page(c, items, n, &lp, "endpoint_services", render_public);
    free(items);
}

void emu_describe_service(emu_ctx *c)
{
    const char *id = emu_query(c, "id");
    const char *name = emu_query(c, "endpoint_service_name");
    if ((!id || !*id) == (!name || !*name)) {
        emu_bad(c, "EndPoint.0002",
                "Parameter error: exactly one of id and endpoint_service_name is required.%s", "");
        return;
    }
    const cJSON *p = emu_find_public(c->srv, id, name);
    cJSON *o = cJSON_CreateObject();
    if (p) {
        cJSON_AddStringToObject(o, "id", emu_jstr(p, "id"));
        cJSON_AddStringToObject(o, "service_name", emu_jstr(p, "service_name"));
        cJSON_AddStringToObject(o, "service_type", emu_jstr(p, "service_type"));
        cJSON_AddStringToObject(o, "server_type",
                                emu_jstr(p, "server_type") ? emu_jstr(p, "server_type") : "VM");
        cJSON_AddStringToObject(o, "created_at",
                                emu_jstr(p, "created_at") ? emu_jstr(p, "created_at")
                                                          : "2019-03-28T09:30:27Z");
        cJSON_AddBoolToObject(o, "is_charge", emu_jtrue(p, "is_charge"));
    } else {
        cJSON *s = NULL;
        cJSON_ArrayForEach(s, c->srv->services)
        {
            if ((id && emu_streq(emu_jstr(s, "id"), id)) ||
                (name && emu_streq(emu_jstr(s, "service_name"), name))) {
                break;
            }
        }
        if (!s || emu_streq(emu_jstr(s, "status"), "deleting")) {
            cJSON_Delete(o);
            emu_set_error(c->resp, 404, "EndPoint.0005", "The endpoint service does not exist.");
            return;
        }
        cJSON_AddStringToObject(o, "id", emu_jstr(s, "id"));
        cJSON_AddStringToObject(o, "service_name", emu_jstr(s, "service_name"));
        cJSON_AddStringToObject(o, "service_type", emu_jstr(s, "service_type"));
        cJSON_AddStringToObject(o, "server_type", emu_jstr(s, "server_type"));
        cJSON_AddStringToObject(o, "created_at", emu_jstr(s, "created_at"));
        cJSON_AddBoolToObject(o, "is_charge", 0);
    }
    c->resp->status = 200;
    c->resp->body = o;
}
