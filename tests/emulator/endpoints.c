/* vpcep-emulator: Endpoints: create (IP assignment, whitelists, approval), list, get, delete. */
#include "store.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- endpoints --------------------------------------------------------------------------------
 */

static int whitelisted(const cJSON *svc, const char *domain_id)
{
    if (emu_streq(emu_jstr(svc, "_domain_id"), domain_id)) {
        return 1;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(svc, "_permissions"))
    {
        const char *perm = emu_jstr(p, "permission");
        if (emu_streq(perm, "*") ||
            (perm && strncmp(perm, "iam:domain::", 12) == 0 &&
             (emu_streq(perm + 12, domain_id) || emu_streq(perm + 12, "*")))) {
            return 1;
        }
    }
    return 0;
}

static int parse_cidr(const char *cidr, uint32_t *net, int *bits)
{
    char buf[64];
    const char *slash = cidr ? strchr(cidr, '/') : NULL;
    if (!slash || (size_t)(slash - cidr) >= sizeof(buf)) {
        return EMU_EINVAL;
    }
    memcpy(buf, cidr, (size_t)(slash - cidr));
    buf[slash - cidr] = '\0';
    struct in_addr a;
    long long b = 0;
    if (inet_pton(AF_INET, buf, &a) != 1 || emu_parse_int(slash + 1, 8, 30, &b) != EMU_OK) {
        return EMU_EINVAL;
    }
    *bits = (int)b;
    *net = ntohl(a.s_addr) & (0xFFFFFFFFu << (32 - b));
    return EMU_OK;
}

static int ip_in_use(const emu_server *srv, const char *subnet_id, const char *ip)
{
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, srv->endpoints)
    {
        if (emu_streq(emu_jstr(e, "subnet_id"), subnet_id) && emu_streq(emu_jstr(e, "_ip"), ip)) {
            return 1;
        }
    }
    return 0;
}

/* Picks (or checks) the endpoint's private IP inside the subnet. */
static int
assign_ip(emu_ctx *c, const cJSON *vpc, const char *subnet_id, const char *wanted, char out[16])
{
    const cJSON *sn = NULL;
    cJSON_ArrayForEach(sn, cJSON_GetObjectItemCaseSensitive(vpc, "subnets"))
    {
        if (emu_streq(emu_jstr(sn, "id"), subnet_id)) {
            break;
        }
    }
    uint32_t net = 0;
    int bits = 24;
    if (parse_cidr(sn ? emu_jstr(sn, "cidr") : NULL, &net, &bits) != EMU_OK) {
        net = 0xC0A80000u; /* 192.168.0.0/24 when the seed gives no usable CIDR */
        bits = 24;
    }
    uint32_t size = 1u << (32 - bits);
    struct in_addr a;
    if (wanted) {
        if (inet_pton(AF_INET, wanted, &a) != 1) {
            return emu_bad(c, "EndPoint.2041", "Invalid port_ip '%s'.",
                           strlen(wanted) > 32 ? "..." : wanted);
        }
        uint32_t ip = ntohl(a.s_addr);
        if ((ip & (0xFFFFFFFFu << (32 - bits))) != net || ip - net < 2 || ip - net >= size - 1) {
            return emu_bad(c, "EndPoint.2042",
                           "The port_ip %s is not a usable address of the subnet.", wanted);
        }
        if (ip_in_use(c->srv, subnet_id, wanted)) {
            return emu_bad(c, "EndPoint.2043", "The port_ip %s is already in use.", wanted);
        }
        snprintf(out, 16, "%s", wanted);
        return EMU_OK;
    }
    for (uint32_t off = 100; off < size - 1; off++) {
        a.s_addr = htonl(net + off);
        if (!inet_ntop(AF_INET, &a, out, 16)) {
            break;
        }
        if (!ip_in_use(c->srv, subnet_id, out)) {
            return EMU_OK;
        }
    }
    return emu_bad(c, "EndPoint.2042", "No free IP address left in subnet %s.", subnet_id);
}

static int check_ip_whitelist(emu_ctx *c, const cJSON *wl)
{
    if (!cJSON_IsArray(wl) || cJSON_GetArraySize(wl) > MAX_WHITELIST) {
        return emu_bad(
            c, "EndPoint.0002",
            "Parameter error: whitelist must be an array of at most 20 IPv4 addresses or "
            "CIDRs.%s",
            "");
    }
    const cJSON *w = NULL;
    cJSON_ArrayForEach(w, wl)
    {
        uint32_t net;
        int bits;
        struct in_addr a;
        if (!cJSON_IsString(w) || (inet_pton(AF_INET, w->valuestring, &a) != 1 &&
                                   parse_cidr(w->valuestring, &net, &bits) != EMU_OK)) {
            return emu_bad(c, "EndPoint.0002", "Parameter error: invalid whitelist entry.%s", "");
        }
    }
    return EMU_OK;
}

void emu_create_endpoint(emu_ctx *c)
{
    cJSON *body = emu_parse_body(c);
    cJSON *tags = NULL;
    const char *svc_id, *vpc_id, *subnet_id, *port_ip, *desc, *spec;
    if (!body || emu_req_string(c, body, "endpoint_service_id", &svc_id) ||
        emu_req_string(c, body, "vpc_id", &vpc_id) ||
        emu_opt_string(c, body, "subnet_id", &subnet_id) ||
        emu_opt_string(c, body, "port_ip", &port_ip) ||
        emu_opt_string(c, body, "description", &desc) ||
        emu_opt_string(c, body, "specification_name", &spec) || emu_check_description(c, desc)) {
        goto done;
    }
    int enable_dns = emu_opt_bool(c, body, "enable_dns");
    int enable_wl = emu_opt_bool(c, body, "enable_whitelist");
    if (enable_dns == -2 || enable_wl == -2) {
        goto done;
    }
    const cJSON *tj = cJSON_GetObjectItemCaseSensitive(body, "tags");
    if (tj && !cJSON_IsNull(tj) && !(tags = emu_check_tags(c, tj, 0, MAX_TAGS))) {
        goto done;
    }
    const cJSON *pub = emu_find_public(c->srv, svc_id, NULL);
    cJSON *svc = pub ? NULL : emu_find_by_id(c->srv->services, svc_id);
    if (!pub && (!svc || emu_streq(emu_jstr(svc, "status"), "deleting"))) {
        emu_bad(c, "EndPoint.2003", "The endpoint service %s does not exist.",
                strlen(svc_id) > 64 ? "..." : svc_id);
        goto done;
    }
    if (svc && !emu_streq(emu_jstr(svc, "status"), "available")) {
        emu_bad(c, "EndPoint.2019", "The endpoint service %s is not available yet (status %s).",
                svc_id, emu_jstr(svc, "status"));
        goto done;
    }
    const char *domain = emu_jstr(c->acct, "domain_id");
    if (svc && !whitelisted(svc, domain)) {
        emu_bad(
            c, "EndPoint.2012",
            "The account is not in the whitelist of endpoint service %s: the service owner must "
            "add iam:domain::<your domain id> to its permissions.",
            svc_id);
        goto done;
    }
    const char *stype = emu_jstr(pub ? pub : svc, "service_type");
    int iface = emu_streq(stype, "interface");
    const cJSON *vpc = emu_seed_vpc(c->acct, vpc_id);
    if (!vpc) {
        emu_bad(c, "EndPoint.0002", "Parameter error: the VPC %s does not exist in this project.",
                strlen(vpc_id) > 64 ? "..." : vpc_id);
        goto done;
    }
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(body, "routetables");
    const cJSON *wl = cJSON_GetObjectItemCaseSensitive(body, "whitelist");
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(body, "policy_statement");
    char ip[16] = "";
    if (iface) {
        if (!subnet_id || !*subnet_id) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: subnet_id is required for an interface endpoint.%s", "");
            goto done;
        }
        if (!emu_has_id(vpc, "subnets", subnet_id)) {
            emu_bad(c, "EndPoint.0002", "Parameter error: the subnet %s does not exist in the VPC.",
                    strlen(subnet_id) > 64 ? "..." : subnet_id);
            goto done;
        }
        if (rt && !cJSON_IsNull(rt)) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: routetables is only allowed for gateway endpoints.%s", "");
            goto done;
        }
        if (ps && !cJSON_IsNull(ps)) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: policy_statement is only allowed for gateway endpoints.%s",
                    "");
            goto done;
        }
        if (wl && !cJSON_IsNull(wl) && check_ip_whitelist(c, wl) != EMU_OK) {
            goto done;
        }
    } else {
        if (enable_dns == 1) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: enable_dns is only allowed for interface endpoints.%s", "");
            goto done;
        }
        if (port_ip) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: port_ip is only allowed for interface endpoints.%s", "");
            goto done;
        }
        if ((wl && !cJSON_IsNull(wl)) || enable_wl == 1) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: whitelist is only allowed for interface endpoints.%s", "");
            goto done;
        }
        if (rt && !cJSON_IsNull(rt)) {
            const cJSON *r = NULL;
            if (!cJSON_IsArray(rt)) {
                emu_bad(c, "EndPoint.0002", "Parameter error: routetables must be an array.%s", "");
                goto done;
            }
            cJSON_ArrayForEach(r, rt)
            {
                if (!cJSON_IsString(r) || !emu_has_id(vpc, "route_tables", r->valuestring)) {
                    emu_bad(c, "EndPoint.0002",
                            "Parameter error: route table %s does not exist in the VPC.",
                            cJSON_IsString(r) && strlen(r->valuestring) <= 64 ? r->valuestring
                                                                              : "...");
                    goto done;
                }
            }
        }
        if (ps && !cJSON_IsNull(ps) && (!cJSON_IsArray(ps) || cJSON_GetArraySize(ps) > 10)) {
            emu_bad(
                c, "EndPoint.0002",
                "Parameter error: policy_statement must be an array of at most 10 statements.%s",
                "");
            goto done;
        }
    }
    if (emu_count_in_project(c->srv->endpoints, c->pid) >=
        emu_quota_of(c->srv, "endpoint", DEFAULT_ENDPOINT_QUOTA)) {
        emu_bad(c, "Endpoint.1018", "Quota exceeded: endpoints per project.%s", "");
        goto done;
    }
    if (iface && assign_ip(c, vpc, subnet_id, port_ip, ip) != EMU_OK) {
        goto done;
    }

    char id[37], pool[37], ts[32];
    emu_uuid(id);
    emu_uuid(pool);
    emu_iso8601(c->now, ts);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "id", id);
    cJSON_AddStringToObject(e, "status", "creating");
    cJSON_AddItemToObject(e, "tags", tags ? tags : cJSON_CreateArray());
    tags = NULL;
    cJSON_AddNumberToObject(e, "marker_id", c->srv->next_marker++);
    cJSON *as = cJSON_AddArrayToObject(e, "active_status");
    cJSON_AddItemToArray(as, cJSON_CreateString("active"));
    cJSON_AddStringToObject(e, "vpc_id", vpc_id);
    cJSON_AddStringToObject(e, "service_type", stype);
    cJSON_AddStringToObject(e, "project_id", c->pid);
    if (iface) {
        cJSON_AddStringToObject(e, "subnet_id", subnet_id);
        cJSON_AddBoolToObject(e, "enable_dns", enable_dns == 1);
        cJSON_AddItemToObject(
            e, "whitelist", wl && !cJSON_IsNull(wl) ? cJSON_Duplicate(wl, 1) : cJSON_CreateArray());
        cJSON_AddBoolToObject(e, "enable_whitelist", enable_wl == 1);
        cJSON_AddStringToObject(e, "_ip", ip);
    } else {
        cJSON *rts = NULL;
        if (rt && !cJSON_IsNull(rt)) {
            rts = cJSON_Duplicate(rt, 1);
        } else {
            rts = cJSON_CreateArray();
            const cJSON *first =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(vpc, "route_tables"), 0);
            if (first) {
                cJSON_AddItemToArray(rts, cJSON_CreateString(emu_jstr(first, "id")));
            }
        }
        cJSON_AddItemToObject(e, "routetables", rts);
        if (ps && !cJSON_IsNull(ps)) {
            cJSON_AddItemToObject(e, "policy_statement", cJSON_Duplicate(ps, 1));
        } else {
            cJSON *def = cJSON_Parse("[{\"Action\":[\"obs:*:*\"],\"Resource\":[\"obs:*:*:*:*/*\","
                                     "\"obs:*:*:*:*\"],\"Effect\":\"Allow\"}]");
            cJSON_AddItemToObject(e, "policy_statement", def);
        }
    }
    cJSON_AddStringToObject(e, "created_at", ts);
    cJSON_AddStringToObject(e, "updated_at", ts);
    cJSON_AddStringToObject(e, "endpoint_service_id", svc_id);
    cJSON_AddStringToObject(e, "endpoint_service_name", emu_jstr(pub ? pub : svc, "service_name"));
    cJSON_AddStringToObject(e, "specification_name", spec ? spec : "default");
    cJSON_AddStringToObject(e, "enable_status", "enable");
    cJSON_AddStringToObject(e, "description", desc ? desc : "");
    cJSON_AddStringToObject(e, "endpoint_pool_id", pool);
    cJSON_AddStringToObject(e, "_domain_id", domain);
    cJSON_AddNumberToObject(e, "_seq", c->srv->seq++);
    cJSON_AddNumberToObject(e, "_at", c->now + (double)c->srv->opt.delay_ms);
    cJSON_AddBoolToObject(e, "_needs_approval", svc ? emu_jtrue(svc, "approval_enabled") : 0);
    cJSON_AddBoolToObject(e, "_fail", emu_draw_failure(c->srv));
    cJSON_AddItemToArray(c->srv->endpoints, e);
    c->srv->dirty = 1;
    c->resp->status = 200;
    c->resp->body = emu_render(e);
done:
    cJSON_Delete(body);
    cJSON_Delete(tags);
}

static cJSON *render_endpoint(const emu_server *srv, const cJSON *e)
{
    (void)srv;
    return emu_render(e);
}

cJSON *emu_own_endpoint(emu_ctx *c, const char *id)
{
    cJSON *e = emu_find_by_id(c->srv->endpoints, id);
    if (!e || !emu_streq(emu_jstr(e, "project_id"), c->pid)) {
        emu_set_error(c->resp, 404, "EndPoint.0005", "The endpoint %s does not exist.",
                      strlen(id) > 64 ? "..." : id);
        return NULL;
    }
    return e;
}

void emu_list_endpoints(emu_ctx *c)
{
    emu_list_params lp;
    if (emu_parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    const char *name = emu_query(c, "endpoint_service_name");
    const char *vpc = emu_query(c, "vpc_id");
    const char *id = emu_query(c, "id");
    size_t n = 0;
    const cJSON **items = emu_collect(c->srv->endpoints, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, c->srv->endpoints)
    {
        if (!emu_streq(emu_jstr(e, "project_id"), c->pid) ||
            (name && *name &&
             !emu_strcasestr_contains(emu_jstr(e, "endpoint_service_name"), name)) ||
            (vpc && *vpc && !emu_streq(emu_jstr(e, "vpc_id"), vpc)) ||
            (id && *id && !emu_streq(emu_jstr(e, "id"), id))) {
            continue;
        }
        items[n++] = e;
    }
    emu_respond_page(c, items, n, &lp, "endpoints", render_endpoint);
    free(items);
}

void emu_delete_endpoint(emu_ctx *c, const char *id)
{
    cJSON *e = emu_own_endpoint(c, id);
    if (!e) {
        return;
    }
    if (!emu_streq(emu_jstr(e, "status"), "deleting")) {
        char ts[32];
        emu_iso8601(c->now, ts);
        emu_set_str(e, "status", "deleting");
        emu_set_str(e, "updated_at", ts);
        emu_set_num(e, "_at", c->now + (double)c->srv->opt.delay_ms);
        c->srv->dirty = 1;
    }
    c->resp->status = 204;
}
