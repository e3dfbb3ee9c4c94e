/* vpcep-emulator: Quotas of a project: used and allowed services and endpoints. */
#include "store.h"

/* ---- quotas, tags, versions -------------------------------------------------------------------
 */

void emu_get_quotas(emu_ctx *c)
{
    const char *type = emu_query(c, "type");
    if (type && !emu_streq(type, "endpoint_service") && !emu_streq(type, "endpoint")) {
        emu_bad(c, "EndPoint.0002", "Parameter error: type must be endpoint_service or endpoint.%s",
                "");
        return;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *res = cJSON_AddArrayToObject(cJSON_AddObjectToObject(out, "quotas"), "resources");
    if (!type || emu_streq(type, "endpoint_service")) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "type", "endpoint_service");
        cJSON_AddNumberToObject(q, "used", emu_count_in_project(c->srv->services, c->pid));
        cJSON_AddNumberToObject(q, "quota",
                                emu_quota_of(c->srv, "endpoint_service", DEFAULT_SERVICE_QUOTA));
        cJSON_AddItemToArray(res, q);
    }
    if (!type || emu_streq(type, "endpoint")) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "type", "endpoint");
        cJSON_AddNumberToObject(q, "used", emu_count_in_project(c->srv->endpoints, c->pid));
        cJSON_AddNumberToObject(q, "quota",
                                emu_quota_of(c->srv, "endpoint", DEFAULT_ENDPOINT_QUOTA));
        cJSON_AddItemToArray(res, q);
    }
    c->resp->status = 200;
    c->resp->body = out;
}
