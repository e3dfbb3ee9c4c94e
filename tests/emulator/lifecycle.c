/* vpcep-emulator: Lifecycles: services and endpoints move through their states with time (creating
 * -> available, pendingAcceptance or accepted; deleting -> gone), and injected provisioning
 * failures. */
#include "store.h"

#include <stdio.h>

int emu_draw_failure(emu_server *srv)
{
    return srv->opt.fail_rate > 0 && emu_random_locked(srv) < srv->opt.fail_rate;
}

static void fail_object(cJSON *o, const char *what, const char *ts)
{
    char msg[128];
    snprintf(msg, sizeof(msg), "Injected failure: the %s could not be provisioned.", what);
    cJSON *errs = cJSON_CreateArray();
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "error_code", "EndPoint.0001");
    cJSON_AddStringToObject(e, "error_message", msg);
    cJSON_AddItemToArray(errs, e);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "error");
    cJSON_AddItemToObject(o, "error", errs);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "status");
    cJSON_AddStringToObject(o, "status", "failed");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "updated_at");
    cJSON_AddStringToObject(o, "updated_at", ts);
}

/* ---- lifecycles -------------------------------------------------------------------------------
 */

void emu_accept_endpoint(emu_server *srv, cJSON *ep, double now)
{
    char ts[32];
    emu_iso8601(now, ts);
    emu_set_str(ep, "status", "accepted");
    emu_set_str(ep, "updated_at", ts);
    if (emu_streq(emu_jstr(ep, "service_type"), "interface")) {
        const char *ip = emu_jstr(ep, "_ip");
        if (ip && !emu_jstr(ep, "ip")) {
            emu_set_str(ep, "ip", ip);
        }
        if (emu_jtrue(ep, "enable_dns") && ip) {
            char name[256];
            const char *id = emu_jstr(ep, "id");
            snprintf(name, sizeof(name), "%.8s.vpcep.%s.otc.t-systems.internal", id ? id : "",
                     emu_jstr(srv->seed, "region") ? emu_jstr(srv->seed, "region") : "");
            cJSON *names = cJSON_CreateArray();
            cJSON_AddItemToArray(names, cJSON_CreateString(name));
            emu_set_item(ep, "dns_names", names);
        }
    }
}

void emu_advance(emu_server *srv, double now)
{
    char ts[32];
    emu_iso8601(now, ts);
    for (cJSON *s = srv->services->child; s;) {
        cJSON *next = s->next;
        const char *st = emu_jstr(s, "status");
        if (emu_jnum(s, "_at", 0) <= now) {
            if (emu_streq(st, "creating") && emu_jtrue(s, "_fail")) {
                fail_object(s, "endpoint service", ts);
                srv->dirty = 1;
            } else if (emu_streq(st, "creating")) {
                emu_set_str(s, "status", "available");
                emu_set_str(s, "updated_at", ts);
                srv->dirty = 1;
            } else if (emu_streq(st, "deleting")) {
                cJSON_Delete(cJSON_DetachItemViaPointer(srv->services, s));
                srv->dirty = 1;
            }
        }
        s = next;
    }
    for (cJSON *e = srv->endpoints->child; e;) {
        cJSON *next = e->next;
        const char *st = emu_jstr(e, "status");
        if (emu_jnum(e, "_at", 0) <= now) {
            if (emu_streq(st, "creating") && emu_jtrue(e, "_fail")) {
                fail_object(e, "endpoint", ts);
                srv->dirty = 1;
            } else if (emu_streq(st, "creating")) {
                if (emu_jtrue(e, "_needs_approval")) {
                    emu_set_str(e, "status", "pendingAcceptance");
                    emu_set_str(e, "updated_at", ts);
                } else {
                    emu_accept_endpoint(srv, e, now);
                }
                srv->dirty = 1;
            } else if (emu_streq(st, "deleting")) {
                cJSON_Delete(cJSON_DetachItemViaPointer(srv->endpoints, e));
                srv->dirty = 1;
            }
        }
        e = next;
    }
}
