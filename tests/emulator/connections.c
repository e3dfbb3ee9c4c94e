/* vpcep-emulator: Connections of an endpoint service: list, and the accept/reject action. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* ---- connections ------------------------------------------------------------------------------
 */

static cJSON *render_connection(const emu_server *srv, const cJSON *e)
{
    (void)srv;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", emu_jstr(e, "id"));
    cJSON_AddStringToObject(o, "status", emu_jstr(e, "status"));
    cJSON_AddNumberToObject(o, "marker_id", emu_jnum(e, "marker_id", 0));
    cJSON_AddStringToObject(o, "domain_id", emu_jstr(e, "_domain_id"));
    cJSON_AddStringToObject(o, "created_at", emu_jstr(e, "created_at"));
    cJSON_AddStringToObject(o, "updated_at", emu_jstr(e, "updated_at"));
    cJSON_AddStringToObject(o, "description", emu_jstr(e, "description"));
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(e, "error");
    if (err) {
        cJSON_AddItemToObject(o, "error", cJSON_Duplicate(err, 1));
    }
    return o;
}

static const char *const ENDPOINT_STATES[] = {
    "pendingAcceptance", "creating", "accepted", "rejected", "failed", "deleting", NULL};

void emu_list_connections(emu_ctx *c, const char *svc_id)
{
    emu_list_params lp;
    if (!emu_own_service(c, svc_id) || emu_parse_list_params(c, &lp, 1000) != EMU_OK) {
        return;
    }
    const char *id = emu_query(c, "id");
    const char *marker = emu_query(c, "marker_id");
    const char *status = emu_query(c, "status");
    long long mk = 0;
    if (marker && emu_parse_int(marker, 0, 9007199254740991LL, &mk) != EMU_OK) {
        emu_bad(c, "EndPoint.0002", "Parameter error: invalid marker_id.%s", "");
        return;
    }
    if (status && !emu_in_list(status, ENDPOINT_STATES)) {
        emu_bad(c, "EndPoint.0019", "Invalid status '%s'.", strlen(status) > 32 ? "..." : status);
        return;
    }
    size_t n = 0;
    const cJSON **items = emu_collect(c->srv->endpoints, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    cJSON *e = NULL;
    cJSON_ArrayForEach(e, c->srv->endpoints)
    {
        if (!emu_streq(emu_jstr(e, "endpoint_service_id"), svc_id) ||
            (id && *id && !emu_streq(emu_jstr(e, "id"), id)) ||
            (marker && emu_jnum(e, "marker_id", -1) != (double)mk) ||
            (status && !emu_streq(emu_jstr(e, "status"), status))) {
            continue;
        }
        items[n++] = e;
    }
    emu_respond_page(c, items, n, &lp, "connections", render_connection);
    free(items);
}

void emu_connection_action(emu_ctx *c, const char *svc_id)
{
    cJSON *body = NULL;
    if (!emu_own_service(c, svc_id) || !(body = emu_parse_body(c))) {
        goto done;
    }
    const char *action;
    if (emu_req_string(c, body, "action", &action)) {
        goto done;
    }
    if (!emu_streq(action, "receive") && !emu_streq(action, "reject")) {
        emu_bad(c, "EndPoint.2027", "Invalid action '%s' (receive or reject).",
                strlen(action) > 32 ? "..." : action);
        goto done;
    }
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(body, "endpoints");
    if (!cJSON_IsArray(eps) || cJSON_GetArraySize(eps) < 1) {
        emu_bad(c, "EndPoint.0002", "Parameter error: endpoints must be a non-empty array.%s", "");
        goto done;
    }
    if (cJSON_GetArraySize(eps) != 1) {
        emu_bad(c, "EndPoint.2031", "Only one endpoint can be accepted or rejected per request.%s",
                "");
        goto done;
    }
    const cJSON *eid = cJSON_GetArrayItem(eps, 0);
    if (!cJSON_IsString(eid)) {
        emu_bad(c, "EndPoint.0002", "Parameter error: endpoint IDs must be strings.%s", "");
        goto done;
    }
    cJSON *e = emu_find_by_id(c->srv->endpoints, eid->valuestring);
    if (!e || !emu_streq(emu_jstr(e, "endpoint_service_id"), svc_id)) {
        emu_bad(c, "EndPoint.2013", "The endpoint does not belong to the endpoint service.%s", "");
        goto done;
    }
    const char *st = emu_jstr(e, "status");
    if (emu_streq(st, "creating")) {
        emu_bad(c, "EndPoint.2019", "The endpoint %s is being created.", emu_jstr(e, "id"));
        goto done;
    }
    if (emu_streq(st, "deleting")) {
        emu_bad(c, "EndPoint.2018", "The endpoint %s is being deleted.", emu_jstr(e, "id"));
        goto done;
    }
    if (emu_streq(st, "failed")) {
        emu_bad(c, "EndPoint.3045", "The endpoint %s is in failed status.", emu_jstr(e, "id"));
        goto done;
    }
    if (emu_streq(action, "receive")) {
        if (!emu_streq(st, "accepted")) {
            emu_accept_endpoint(c->srv, e, c->now);
        }
    } else if (!emu_streq(st, "rejected")) {
        char ts[32];
        emu_iso8601(c->now, ts);
        emu_set_str(e, "status", "rejected");
        emu_set_str(e, "updated_at", ts);
    }
    c->srv->dirty = 1;
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, "connections");
    cJSON_AddItemToArray(arr, render_connection(c->srv, e));
    c->resp->status = 200;
    c->resp->body = out;
done:
    cJSON_Delete(body);
}
