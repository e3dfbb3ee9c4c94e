/* vpcep-emulator: Tags: the tags action on one resource, the project's tags, and resource_instances
 * filtering. */
#include "store.h"

#include <string.h>

static cJSON *tag_target(emu_ctx *c, const char *rtype, const char *id)
{
    cJSON *o =
        emu_streq(rtype, "endpoint_service") ? emu_own_service(c, id) : emu_own_endpoint(c, id);
    if (o && emu_streq(emu_jstr(o, "status"), "deleting")) {
        emu_set_error(c->resp, 404, "EndPoint.0005", "The resource %s is being deleted.", id);
        return NULL;
    }
    return o;
}

void emu_tags_action(emu_ctx *c, const char *rtype, const char *id)
{
    cJSON *body = NULL;
    cJSON *tags = NULL;
    cJSON *o = tag_target(c, rtype, id);
    if (!o || !(body = emu_parse_body(c))) {
        goto done;
    }
    const char *action;
    if (emu_req_string(c, body, "action", &action)) {
        goto done;
    }
    int create = emu_streq(action, "create");
    if (!create && !emu_streq(action, "delete")) {
        emu_bad(c, "EndPoint.0002", "Parameter error: action must be create or delete (got '%s').",
                strlen(action) > 32 ? "..." : action);
        goto done;
    }
    tags = emu_check_tags(c, cJSON_GetObjectItemCaseSensitive(body, "tags"), !create, 1000);
    if (!tags) {
        goto done;
    }
    if (cJSON_GetArraySize(tags) == 0) {
        emu_bad(c, "EndPoint.0002", "Parameter error: tags must not be empty.%s", "");
        goto done;
    }
    cJSON *cur = cJSON_GetObjectItemCaseSensitive(o, "tags");
    if (!cJSON_IsArray(cur)) {
        cur = cJSON_CreateArray();
        emu_set_item(o, "tags", cur);
    }
    cJSON *t = NULL;
    if (create) {
        int total = cJSON_GetArraySize(cur);
        cJSON_ArrayForEach(t, tags)
        {
            cJSON *q = NULL;
            int found = 0;
            cJSON_ArrayForEach(q, cur)
            {
                found |= emu_streq(emu_jstr(q, "key"), emu_jstr(t, "key"));
            }
            total += !found;
        }
        if (total > MAX_TAGS) {
            emu_bad(c, "EndPoint.0002", "Parameter error: at most 10 tags per resource.%s", "");
            goto done;
        }
        cJSON_ArrayForEach(t, tags)
        {
            cJSON *q = NULL;
            cJSON *found = NULL;
            cJSON_ArrayForEach(q, cur)
            {
                if (emu_streq(emu_jstr(q, "key"), emu_jstr(t, "key"))) {
                    found = q;
                }
            }
            if (found) {
                emu_set_str(found, "value", emu_jstr(t, "value"));
            } else {
                cJSON_AddItemToArray(cur, cJSON_Duplicate(t, 1));
            }
        }
    } else {
        cJSON_ArrayForEach(t, tags)
        {
            for (cJSON *q = cur->child; q;) {
                cJSON *next = q->next;
                if (emu_streq(emu_jstr(q, "key"), emu_jstr(t, "key")) &&
                    (!emu_jstr(t, "value") ||
                     emu_streq(emu_jstr(q, "value"), emu_jstr(t, "value")))) {
                    cJSON_Delete(cJSON_DetachItemViaPointer(cur, q));
                }
                q = next;
            }
        }
    }
    char ts[32];
    emu_iso8601(c->now, ts);
    emu_set_str(o, "updated_at", ts);
    c->srv->dirty = 1;
    c->resp->status = 204;
done:
    cJSON_Delete(body);
    cJSON_Delete(tags);
}

void emu_list_project_tags(emu_ctx *c, const char *rtype)
{
    cJSON *arr = emu_streq(rtype, "endpoint_service") ? c->srv->services : c->srv->endpoints;
    cJSON *out = cJSON_CreateObject();
    cJSON *tags = cJSON_AddArrayToObject(out, "tags");
    cJSON *o = NULL;
    cJSON_ArrayForEach(o, arr)
    {
        if (!emu_streq(emu_jstr(o, "project_id"), c->pid)) {
            continue;
        }
        cJSON *t = NULL;
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(o, "tags"))
        {
            cJSON *entry = NULL;
            cJSON *q = NULL;
            cJSON_ArrayForEach(q, tags)
            {
                if (emu_streq(emu_jstr(q, "key"), emu_jstr(t, "key"))) {
                    entry = q;
                }
            }
            if (!entry) {
                entry = cJSON_CreateObject();
                cJSON_AddStringToObject(entry, "key", emu_jstr(t, "key"));
                cJSON_AddArrayToObject(entry, "values");
                cJSON_AddItemToArray(tags, entry);
            }
            cJSON *values = cJSON_GetObjectItemCaseSensitive(entry, "values");
            const char *v = emu_jstr(t, "value") ? emu_jstr(t, "value") : "";
            int seen = 0;
            cJSON_ArrayForEach(q, values)
            {
                seen |= emu_streq(q->valuestring, v);
            }
            if (!seen) {
                cJSON_AddItemToArray(values, cJSON_CreateString(v));
            }
        }
    }
    c->resp->status = 200;
    c->resp->body = out;
}

/* tags / tags_any / not_tags / not_tags_any filters of resource_instances/action */
static int tag_match(const cJSON *res_tags, const cJSON *filter)
{
    const char *key = emu_jstr(filter, "key");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(filter, "values");
    const cJSON *t = NULL;
    cJSON_ArrayForEach(t, res_tags)
    {
        if (!emu_streq(emu_jstr(t, "key"), key)) {
            continue;
        }
        if (!cJSON_IsArray(vals) || cJSON_GetArraySize(vals) == 0) {
            return 1;
        }
        const cJSON *v = NULL;
        cJSON_ArrayForEach(v, vals)
        {
            const char *tv = emu_jstr(t, "value") ? emu_jstr(t, "value") : "";
            if (cJSON_IsString(v) &&
                (emu_streq(v->valuestring, tv) ||
                 (v->valuestring[0] == '*' && strstr(tv, v->valuestring + 1)))) {
                return 1;
            }
        }
    }
    return 0;
}

static int tag_filters_ok(const cJSON *res_tags, const cJSON *body)
{
    const cJSON *f = NULL;
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(body, "tags");
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(body, "tags_any");
    const cJSON *not_all = cJSON_GetObjectItemCaseSensitive(body, "not_tags");
    const cJSON *not_any = cJSON_GetObjectItemCaseSensitive(body, "not_tags_any");
    cJSON_ArrayForEach(f, all)
    {
        if (!tag_match(res_tags, f)) {
            return 0;
        }
    }
    if (cJSON_GetArraySize(any) > 0) {
        int hit = 0;
        cJSON_ArrayForEach(f, any)
        {
            hit |= tag_match(res_tags, f);
        }
        if (!hit) {
            return 0;
        }
    }
    if (cJSON_GetArraySize(not_all) > 0) {
        int every = 1;
        cJSON_ArrayForEach(f, not_all)
        {
            every &= tag_match(res_tags, f);
        }
        if (every) {
            return 0;
        }
    }
    cJSON_ArrayForEach(f, not_any)
    {
        if (tag_match(res_tags, f)) {
            return 0;
        }
    }
    return 1;
}

void emu_resource_instances(emu_ctx *c, const char *rtype)
{
    cJSON *body = emu_parse_body(c);
    if (!body) {
        return;
    }
    const char *action = emu_jstr(body, "action");
    long long limit = 1000;
    long long offset = 0;
    const char *ls = emu_jstr(body, "limit");
    const char *os = emu_jstr(body, "offset");
    if (!emu_streq(action, "filter") && !emu_streq(action, "count")) {
        emu_bad(c, "EndPoint.0002", "Parameter error: action must be filter or count.%s", "");
        goto done;
    }
    if ((ls && emu_parse_int(ls, 1, 1000, &limit)) ||
        (os && emu_parse_int(os, 0, 1000000, &offset))) {
        emu_bad(c, "EndPoint.0002", "Parameter error: invalid limit or offset.%s", "");
        goto done;
    }
    const char *match_name = NULL;
    const cJSON *m = NULL;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(body, "matches"))
    {
        if (emu_streq(emu_jstr(m, "key"), "resource_name")) {
            match_name = emu_jstr(m, "value");
        }
    }
    int svc = emu_streq(rtype, "endpoint_service");
    cJSON *arr = svc ? c->srv->services : c->srv->endpoints;
    cJSON *out = cJSON_CreateObject();
    cJSON *res = emu_streq(action, "filter") ? cJSON_AddArrayToObject(out, "resources") : NULL;
    long long total = 0;
    cJSON *o = NULL;
    cJSON_ArrayForEach(o, arr)
    {
        const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
        const char *rname =
            svc ? emu_jstr(o, "service_name") : emu_jstr(o, "endpoint_service_name");
        if (!emu_streq(emu_jstr(o, "project_id"), c->pid) || !tag_filters_ok(tags, body) ||
            (match_name && !emu_strcasestr_contains(rname, match_name))) {
            continue;
        }
        if (res && total >= offset && total < offset + limit) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "resource_id", emu_jstr(o, "id"));
            cJSON_AddStringToObject(r, "resource_name", rname ? rname : "");
            cJSON_AddItemToObject(r, "tags", cJSON_Duplicate(tags, 1));
            cJSON_AddNullToObject(r, "resource_detail");
            cJSON_AddItemToArray(res, r);
        }
        total++;
    }
    cJSON_AddNumberToObject(out, "total_count", (double)total);
    c->resp->status = 200;
    c->resp->body = out;
done:
    cJSON_Delete(body);
}
