/* vpcep-emulator: API version documents (GET / and GET /v1, /v2). */
#include "store.h"

#include <stdio.h>

cJSON *emu_version_obj(const emu_server *srv, const char *id, const char *updated)
{
    cJSON *v = cJSON_CreateObject();
    char href[200];
    snprintf(href, sizeof(href), "%s/%s", srv->base_url, id);
    cJSON_AddStringToObject(v, "status", "CURRENT");
    cJSON_AddStringToObject(v, "id", id);
    cJSON_AddStringToObject(v, "updated", updated);
    cJSON_AddStringToObject(v, "version", id + 1);
    cJSON *links = cJSON_AddArrayToObject(v, "links");
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "rel", "self");
    cJSON_AddStringToObject(l, "href", href);
    cJSON_AddStringToObject(l, "type", "application/json");
    cJSON_AddItemToArray(links, l);
    cJSON_AddStringToObject(v, "min_version", "");
    return v;
}
