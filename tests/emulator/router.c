/* vpcep-emulator: The router: maps method and path to a handler, under the state lock, after
 * advancing the lifecycles, and persists the state after a change. */
#include "store.h"

#include <string.h>

/* ---- routing ----------------------------------------------------------------------------------
 */

static int split_path(char *path, char **segs)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (n == MAX_SEGS) {
            return -1;
        }
        segs[n++] = tok;
    }
    return n;
}

static void no_route(emu_ctx *c)
{
    emu_set_error(c->resp, 404, "APIG.0101", "The API does not exist or has not been published.");
}

#define IS(m) (strcmp(c->req->method, (m)) == 0)

static void route_project(emu_ctx *c, char **seg, int n)
{
    /* seg[0] is the first segment after /v1/{project_id} */
    if (n == 1 && emu_streq(seg[0], "vpc-endpoint-services")) {
        if (IS("GET")) {
            emu_list_services(c);
        } else if (IS("POST")) {
            emu_create_service(c);
        } else {
            no_route(c);
        }
    } else if (n == 2 && emu_streq(seg[0], "vpc-endpoint-services") &&
               emu_streq(seg[1], "public")) {
        IS("GET") ? emu_list_public(c) : no_route(c);
    } else if (n == 2 && emu_streq(seg[0], "vpc-endpoint-services") &&
               emu_streq(seg[1], "describe")) {
        IS("GET") ? emu_describe_service(c) : no_route(c);
    } else if (n == 2 && emu_streq(seg[0], "vpc-endpoint-services")) {
        if (IS("GET")) {
            emu_get_service(c, seg[1]);
        } else if (IS("PUT")) {
            emu_update_service(c, seg[1]);
        } else if (IS("DELETE")) {
            emu_delete_service(c, seg[1]);
        } else {
            no_route(c);
        }
    } else if (n == 3 && emu_streq(seg[0], "vpc-endpoint-services") &&
               emu_streq(seg[2], "connections")) {
        IS("GET") ? emu_list_connections(c, seg[1]) : no_route(c);
    } else if (n == 4 && emu_streq(seg[0], "vpc-endpoint-services") &&
               emu_streq(seg[2], "connections") && emu_streq(seg[3], "action")) {
        IS("POST") ? emu_connection_action(c, seg[1]) : no_route(c);
    } else if (n == 3 && emu_streq(seg[0], "vpc-endpoint-services") &&
               emu_streq(seg[2], "permissions")) {
        IS("GET") ? emu_list_permissions(c, seg[1]) : no_route(c);
    } else if (n == 4 && emu_streq(seg[0], "vpc-endpoint-services") &&
               emu_streq(seg[2], "permissions") && emu_streq(seg[3], "action")) {
        IS("POST") ? emu_permission_action(c, seg[1]) : no_route(c);
    } else if (n == 1 && emu_streq(seg[0], "vpc-endpoints")) {
        if (IS("GET")) {
            emu_list_endpoints(c);
        } else if (IS("POST")) {
            emu_create_endpoint(c);
        } else {
            no_route(c);
        }
    } else if (n == 2 && emu_streq(seg[0], "vpc-endpoints")) {
        cJSON *e = NULL;
        if (IS("GET")) {
            if ((e = emu_own_endpoint(c, seg[1]))) {
                c->resp->status = 200;
                c->resp->body = emu_render(e);
            }
        } else if (IS("DELETE")) {
            emu_delete_endpoint(c, seg[1]);
        } else {
            no_route(c);
        }
    } else if (n == 1 && emu_streq(seg[0], "quotas")) {
        IS("GET") ? emu_get_quotas(c) : no_route(c);
    } else if (n >= 2 && (emu_streq(seg[0], "endpoint_service") || emu_streq(seg[0], "endpoint"))) {
        if (n == 4 && emu_streq(seg[2], "tags") && emu_streq(seg[3], "action") && IS("POST")) {
            emu_tags_action(c, seg[0], seg[1]);
        } else if (n == 2 && emu_streq(seg[1], "tags") && IS("GET")) {
            emu_list_project_tags(c, seg[0]);
        } else if (n == 3 && emu_streq(seg[1], "resource_instances") &&
                   emu_streq(seg[2], "action") && IS("POST")) {
            emu_resource_instances(c, seg[0]);
        } else {
            no_route(c);
        }
    } else {
        no_route(c);
    }
}

/* POST /__emulator/clock {"advance_ms": N}: the emulator's time jumps N ms ahead (0..1e9), so
 * tests see tokens expire and lifecycles advance without waiting. */
static void clock_advance(emu_ctx *c)
{
    cJSON *body = cJSON_ParseWithLength(c->req->body, c->req->body_len);
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(body, "advance_ms");
    if (!emu_json_is_int(ms) || ms->valuedouble < 0 || ms->valuedouble > 1e9) {
        emu_set_error(c->resp, 400, "EndPoint.0002",
                      "Parameter error: advance_ms must be an integer from 0 to 1000000000.");
    } else {
        cJSON *out = cJSON_CreateObject();
        long long total = emu_clock_advance((long long)ms->valuedouble);
        c->now = emu_now_ms();
        emu_advance(c->srv, c->now);
        cJSON_AddNumberToObject(out, "offset_ms", (double)total);
        c->resp->status = 200;
        c->resp->body = out;
    }
    cJSON_Delete(body);
}

void emu_handle(emu_server *srv, const emu_request *req, emu_response *resp)
{
    char path[2048];
    char *seg[MAX_SEGS];
    emu_ctx cx = {.srv = srv, .req = req, .resp = resp};
    emu_ctx *c = &cx;
    resp->status = 500;
    resp->body = NULL;
    if (strlen(req->path) >= sizeof(path)) {
        emu_set_error(resp, 400, "EndPoint.0002", "Parameter error: request path too long.");
        return;
    }
    memcpy(path, req->path, strlen(req->path) + 1); /* fits: checked above */
    int n = split_path(path, seg);

    pthread_mutex_lock(&srv->mu);
    c->now = emu_now_ms();
    emu_advance(srv, c->now);
    if (req->body_too_large) {
        emu_set_error(resp, 400, "EndPoint.0002", "Parameter error: request body too large.");
    } else if (n < 0) {
        no_route(c);
    } else if (n == 0) {
        if (IS("GET")) {
            cJSON *out = cJSON_CreateObject();
            cJSON *vs = cJSON_AddArrayToObject(out, "versions");
            cJSON_AddItemToArray(vs, emu_version_obj(srv, "v1", "2018-09-30T00:00:00Z"));
            cJSON_AddItemToArray(vs, emu_version_obj(srv, "v2", "2020-03-30T00:00:00Z"));
            resp->status = 200;
            resp->body = out;
        } else {
            no_route(c);
        }
    } else if (n == 1 && (emu_streq(seg[0], "v1") || emu_streq(seg[0], "v2"))) {
        if (IS("GET")) {
            cJSON *out = cJSON_CreateObject();
            cJSON_AddItemToObject(out, "version",
                                  emu_version_obj(srv, seg[0],
                                                  emu_streq(seg[0], "v1")
                                                      ? "2018-09-30T00:00:00Z"
                                                      : "2020-03-30T00:00:00Z"));
            resp->status = 200;
            resp->body = out;
        } else {
            no_route(c);
        }
    } else if (n == 3 && emu_streq(seg[0], "v3") && emu_streq(seg[1], "auth") &&
               emu_streq(seg[2], "tokens")) {
        IS("POST") ? emu_handle_iam_tokens(srv, req, resp) : no_route(c);
    } else if (n == 3 && emu_streq(seg[0], "v3.0") && emu_streq(seg[1], "OS-CREDENTIAL") &&
               emu_streq(seg[2], "securitytokens")) {
        IS("POST") ? emu_handle_iam_securitytokens(srv, req, resp) : no_route(c);
    } else if (n == 2 && emu_streq(seg[0], "v3") && emu_streq(seg[1], "projects")) {
        IS("GET") ? emu_handle_iam_projects(srv, req, resp) : no_route(c);
    } else if (n == 2 && emu_streq(seg[0], "__emulator") && emu_streq(seg[1], "clock")) {
        if (!req->loopback) {
            emu_set_error(resp, 403, "EndPoint.0004", "Only available on loopback.");
        } else if (IS("POST")) {
            clock_advance(c);
        } else {
            no_route(c);
        }
    } else if (n == 2 && emu_streq(seg[0], "__emulator") && emu_streq(seg[1], "objects")) {
        if (!req->loopback) {
            emu_set_error(resp, 403, "EndPoint.0004", "Only available on loopback.");
        } else if (IS("GET")) {
            emu_objects_dump(c);
        } else {
            no_route(c);
        }
    } else if (n >= 3 && emu_streq(seg[0], "v1")) {
        c->pid = seg[1];
        c->acct = emu_authenticate(srv, req, c->pid, resp);
        if (c->acct) {
            route_project(c, seg + 2, n - 2);
        }
    } else {
        no_route(c);
    }
    if (srv->dirty && srv->opt.state_file) {
        emu_state_save(srv);
    }
    pthread_mutex_unlock(&srv->mu);
}
