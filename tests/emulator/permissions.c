/* vpcep-emulator: Permissions (whitelist) of an endpoint service: list, and the add/remove action.
 */
#include "store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- permissions (whitelist) ------------------------------------------------------------------
 */

static cJSON *render_permission(const emu_server *srv, const cJSON *p)
{
    (void)srv;
    return emu_render(p);
}

void emu_list_permissions(emu_ctx *c, const char *svc_id)
{
    emu_list_params lp;
    cJSON *s = emu_own_service(c, svc_id);
    if (!s || emu_parse_list_params(c, &lp, 500) != EMU_OK) {
        return;
    }
    const char *filter = emu_query(c, "permission");
    if (emu_query(c, "sort_key") && lp.by_updated) {
        emu_bad(c, "EndPoint.0017", "Invalid sort_key '%s'.", "updated_at");
        return;
    }
    cJSON *perms = cJSON_GetObjectItemCaseSensitive(s, "_permissions");
    size_t n = 0;
    const cJSON **items = emu_collect(perms, &n);
    if (!items) {
        emu_set_error(c->resp, 500, "EndPoint.0001", "Out of memory.");
        return;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, perms)
    {
        if (filter && *filter && !emu_strcasestr_contains(emu_jstr(p, "permission"), filter)) {
            continue;
        }
        items[n++] = p;
    }
    emu_respond_page(c, items, n, &lp, "permissions", render_permission);
    free(items);
}

static int valid_permission(const char *p)
{
    static const char prefix[] = "iam:domain::";
    if (emu_streq(p, "*")) {
        return 1;
    }
    if (strncmp(p, prefix, sizeof(prefix) - 1) != 0) {
        return 0;
    }
    const char *id = p + sizeof(prefix) - 1;
    size_t n = strlen(id);
    if (n < 1 || n > 64) {
        return 0;
    }
    for (const char *q = id; *q; q++) {
        if (!isalnum((unsigned char)*q) && *q != '*') {
            return 0;
        }
    }
    return 1;
}

void emu_permission_action(emu_ctx *c, const char *svc_id)
{
    cJSON *body = NULL;
    cJSON *s = emu_own_service(c, svc_id);
    if (!s || !(body = emu_parse_body(c))) {
        goto done;
    }
    const char *action;
    if (emu_req_string(c, body, "action", &action)) {
        goto done;
    }
    if (!emu_streq(action, "add") && !emu_streq(action, "remove")) {
        emu_bad(c, "EndPoint.0002", "Parameter error: action must be add or remove (got '%s').",
                strlen(action) > 32 ? "..." : action);
        goto done;
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "permissions");
    if (!cJSON_IsArray(list)) {
        emu_bad(c, "EndPoint.0002", "Parameter error: permissions must be an array.%s", "");
        goto done;
    }
    if (cJSON_GetArraySize(list) == 0) {
        emu_bad(c, "EndPoint.3036", "The permission list is empty.%s", "");
        goto done;
    }
    if (cJSON_GetArraySize(list) > MAX_PERMISSIONS) {
        emu_bad(c, "EndPoint.3049", "Too many permissions in one request.%s", "");
        goto done;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, list)
    {
        if (!cJSON_IsString(p) || !valid_permission(p->valuestring)) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: permission '%s' must be iam:domain::<domain_id> or *.",
                    cJSON_IsString(p) && strlen(p->valuestring) <= 80 ? p->valuestring : "...");
            goto done;
        }
    }
    cJSON *perms = cJSON_GetObjectItemCaseSensitive(s, "_permissions");
    int adding = emu_streq(action, "add");
    int existing = cJSON_GetArraySize(perms);
    cJSON_ArrayForEach(p, list)
    {
        cJSON *found = NULL;
        cJSON *q = NULL;
        cJSON_ArrayForEach(q, perms)
        {
            if (emu_streq(emu_jstr(q, "permission"), p->valuestring)) {
                found = q;
                break;
            }
        }
        if (adding && !found) {
            if (existing >= MAX_WHITELIST_RECORDS) {
                emu_bad(c, "EndPoint.3049", "The whitelist of the service is full.%s", "");
                break;
            }
            char id[37], ts[32];
            emu_uuid(id);
            emu_iso8601(c->now, ts);
            cJSON *n = cJSON_CreateObject();
            cJSON_AddStringToObject(n, "id", id);
            cJSON_AddStringToObject(n, "permission", p->valuestring);
            cJSON_AddStringToObject(n, "permission_type", "domainId");
            cJSON_AddStringToObject(n, "description", "");
            cJSON_AddStringToObject(n, "created_at", ts);
            cJSON_AddNumberToObject(n, "_seq", c->srv->seq++);
            cJSON_AddItemToArray(perms, n);
            existing++;
        } else if (!adding && found) {
            cJSON_Delete(cJSON_DetachItemViaPointer(perms, found));
            existing--;
        }
    }
    c->srv->dirty = 1;
    if (c->resp->body) {
        goto done; /* partial add hit the limit: error already set */
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, "permissions");
    cJSON_ArrayForEach(p, perms)
    {
        cJSON_AddItemToArray(arr, cJSON_CreateString(emu_jstr(p, "permission")));
    }
    c->resp->status = 200;
    c->resp->body = out;
done:
    cJSON_Delete(body);
}
