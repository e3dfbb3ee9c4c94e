/* vpcep-emulator: Request validation shared by the handlers: typed body fields, names,
 * descriptions, tags, ports, port conflicts, and the request body itself. */
#include "store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- validation -------------------------------------------------------------------------------
 */

static int charset_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (!isalnum(*p) && *p != '-' && *p != '_') {
            return 0;
        }
    }
    return 1;
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

int emu_bad(emu_ctx *c, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    emu_set_error(c->resp, 400, code, "%s", msg);
    return EMU_EINVAL;
}

/* Optional string field: absent -> *out NULL; wrong type -> error. */
int emu_opt_string(emu_ctx *c, const cJSON *body, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) {
        return EMU_OK;
    }
    if (!cJSON_IsString(v)) {
        return emu_bad(c, "EndPoint.0002", "Parameter error: %s must be a string.", key);
    }
    *out = v->valuestring;
    return EMU_OK;
}

int emu_req_string(emu_ctx *c, const cJSON *body, const char *key, const char **out)
{
    if (emu_opt_string(c, body, key, out) != EMU_OK) {
        return EMU_EINVAL;
    }
    if (!*out || !**out) {
        return emu_bad(c, "EndPoint.0002", "Parameter error: %s is required.", key);
    }
    return EMU_OK;
}

/* Optional bool: returns -1 absent, 0/1 value; -2 on error. */
int emu_opt_bool(emu_ctx *c, const cJSON *body, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!v || cJSON_IsNull(v)) {
        return -1;
    }
    if (!cJSON_IsBool(v)) {
        emu_bad(c, "EndPoint.0002", "Parameter error: %s must be a boolean.", key);
        return -2;
    }
    return cJSON_IsTrue(v) ? 1 : 0;
}

int emu_check_description(emu_ctx *c, const char *d)
{
    if (d && (utf8_len(d) > 128 || strpbrk(d, "<>"))) {
        return emu_bad(c, "EndPoint.0002",
                       "Parameter error: description must be at most 128 characters without < and "
                       ">.%s",
                       "");
    }
    return EMU_OK;
}

int emu_check_service_name(emu_ctx *c, const char *n)
{
    if (n && (strlen(n) < 1 || strlen(n) > 16 || !charset_ok(n))) {
        return emu_bad(c, "EndPoint.0002",
                       "Parameter error: service_name must match ^[A-Za-z0-9_-]{1,16}$ (got '%s').",
                       strlen(n) > 64 ? "..." : n);
    }
    return EMU_OK;
}

/* Validates a tag list (the VPCEP user guide's rules); returns a normalised copy or NULL. */
cJSON *emu_check_tags(emu_ctx *c, const cJSON *tags, int allow_missing_value, int max)
{
    if (!cJSON_IsArray(tags)) {
        emu_bad(c, "EndPoint.0002", "Parameter error: tags must be an array.%s", "");
        return NULL;
    }
    if (cJSON_GetArraySize(tags) > max) {
        emu_bad(c, "EndPoint.0002", "Parameter error: at most 10 tags per resource.%s", "");
        return NULL;
    }
    cJSON *result = NULL;
    cJSON *out = cJSON_CreateArray();
    const cJSON *t = NULL;
    cJSON_ArrayForEach(t, tags)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "key");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "value");
        if (!cJSON_IsObject(t) || !cJSON_IsString(k)) {
            emu_bad(c, "EndPoint.0002", "Parameter error: every tag needs a string key.%s", "");
            goto done;
        }
        size_t kl = utf8_len(k->valuestring);
        if (kl < 1 || kl > 36 || !charset_ok(k->valuestring)) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: tag key must be 1-36 letters, digits, '-' or '_' (got '%s').",
                    kl > 64 ? "..." : k->valuestring);
            goto done;
        }
        if (v && !cJSON_IsNull(v) && !cJSON_IsString(v)) {
            emu_bad(c, "EndPoint.0002", "Parameter error: tag value must be a string.%s", "");
            goto done;
        }
        const char *val = cJSON_IsString(v) ? v->valuestring : NULL;
        if (val && (utf8_len(val) > 43 || !charset_ok(val))) {
            emu_bad(
                c, "EndPoint.0002",
                "Parameter error: tag value must be 0-43 letters, digits, '-' or '_' (key '%s').",
                k->valuestring);
            goto done;
        }
        const cJSON *o = NULL;
        cJSON_ArrayForEach(o, out)
        {
            if (emu_streq(emu_jstr(o, "key"), k->valuestring)) {
                emu_bad(c, "EndPoint.3067", "Duplicate tag key '%s'.", k->valuestring);
                goto done;
            }
        }
        cJSON *n = cJSON_CreateObject();
        cJSON_AddStringToObject(n, "key", k->valuestring);
        if (val || !allow_missing_value) {
            cJSON_AddStringToObject(n, "value", val ? val : "");
        }
        cJSON_AddItemToArray(out, n);
    }
    result = out;
    out = NULL;
done:
    cJSON_Delete(out);
    return result;
}

static int port_value(const cJSON *p, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
    if (!emu_json_is_int(v) || v->valuedouble < 1 || v->valuedouble > 65535) {
        return EMU_EINVAL;
    }
    *out = (int)v->valuedouble;
    return EMU_OK;
}

cJSON *emu_check_ports(emu_ctx *c, const cJSON *ports)
{
    if (!cJSON_IsArray(ports) || cJSON_GetArraySize(ports) < 1) {
        emu_bad(c, "EndPoint.0002", "Parameter error: ports must be a non-empty array.%s", "");
        return NULL;
    }
    if (cJSON_GetArraySize(ports) > MAX_PORTS) {
        emu_bad(c, "EndPoint.0002", "Parameter error: at most 200 port mappings are allowed.%s",
                "");
        return NULL;
    }
    cJSON *result = NULL;
    cJSON *out = cJSON_CreateArray();
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, ports)
    {
        int cp = 0;
        int sp = 0;
        if (!cJSON_IsObject(p) || port_value(p, "client_port", &cp) ||
            port_value(p, "server_port", &sp)) {
            emu_bad(c, "EndPoint.0002",
                    "Parameter error: client_port and server_port must be integers 1-65535.%s", "");
            goto done;
        }
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(p, "protocol");
        const char *proto = "TCP";
        if (pr && !cJSON_IsNull(pr)) {
            if (!cJSON_IsString(pr) ||
                (strcmp(pr->valuestring, "TCP") != 0 && strcmp(pr->valuestring, "UDP") != 0)) {
                emu_bad(c, "EndPoint.0002", "Parameter error: protocol must be TCP.%s", "");
                goto done;
            }
            proto = pr->valuestring;
        }
        const cJSON *o = NULL;
        cJSON_ArrayForEach(o, out)
        {
            if ((int)emu_jnum(o, "client_port", 0) == cp &&
                emu_streq(emu_jstr(o, "protocol"), proto)) {
                emu_bad(c, "EndPoint.0002",
                        "Parameter error: duplicate port mapping (client_port %d).", cp);
                goto done;
            }
        }
        cJSON *n = cJSON_CreateObject();
        cJSON_AddNumberToObject(n, "client_port", cp);
        cJSON_AddNumberToObject(n, "server_port", sp);
        cJSON_AddStringToObject(n, "protocol", proto);
        cJSON_AddItemToArray(out, n);
    }
    result = out;
    out = NULL;
done:
    cJSON_Delete(out);
    return result;
}

int emu_has_id(const cJSON *vpc, const char *list, const char *id)
{
    const cJSON *e = NULL;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(vpc, list))
    {
        if (emu_streq(emu_jstr(e, "id"), id)) {
            return 1;
        }
    }
    return 0;
}

/* services sharing a port_id must differ in server_port and/or protocol (EndPoint.3044) */
int emu_check_port_conflict(emu_ctx *c,
                            const char *skip_id,
                            const char *port_id,
                            const cJSON *ports)
{
    cJSON *s = NULL;
    cJSON_ArrayForEach(s, c->srv->services)
    {
        if (emu_streq(emu_jstr(s, "id"), skip_id) || !emu_streq(emu_jstr(s, "port_id"), port_id) ||
            emu_streq(emu_jstr(s, "status"), "deleting")) {
            continue;
        }
        const cJSON *a = NULL;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(s, "ports"))
        {
            const cJSON *b = NULL;
            cJSON_ArrayForEach(b, ports)
            {
                if (emu_jnum(a, "server_port", -1) == emu_jnum(b, "server_port", -2) &&
                    emu_streq(emu_jstr(a, "protocol"), emu_jstr(b, "protocol"))) {
                    return emu_bad(c, "EndPoint.3044",
                                   "The backend port is already used by endpoint service %s with "
                                   "the same server_port and protocol.",
                                   emu_jstr(s, "id"));
                }
            }
        }
    }
    return EMU_OK;
}

const char *const EMU_TCP_PROXY[] = {"close", "toa_open", "proxy_open", "open", "proxy_vni", NULL};

int emu_in_list(const char *v, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        if (emu_streq(v, list[i])) {
            return 1;
        }
    }
    return 0;
}

/* ---- body parsing -----------------------------------------------------------------------------
 */

cJSON *emu_parse_body(emu_ctx *c)
{
    if (c->req->body_too_large) {
        emu_bad(c, "EndPoint.0002", "Parameter error: request body too large.%s", "");
        return NULL;
    }
    if (!c->req->body || c->req->body_len == 0) {
        emu_bad(c, "EndPoint.0002", "Parameter error: request body is empty.%s", "");
        return NULL;
    }
    cJSON *b = cJSON_ParseWithLength(c->req->body, c->req->body_len);
    if (!cJSON_IsObject(b)) {
        cJSON_Delete(b);
        emu_bad(c, "EndPoint.0002", "Parameter error: request body is not a JSON object.%s", "");
        return NULL;
    }
    return b;
}
