/* Return codes, the error object and the HTTP/API error mapping table. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vpcep_error_init(vpcep_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err)); /* frozen: its size is the same in every caller */
}

void rest_error_clear(vpcep_error *err)
{
    if (err == NULL)
        return;
    err->kind = 0;
    err->http_status = 0;
    err->retries = 0;
    err->error_code[0] = '\0';
    err->error_msg[0] = '\0';
    err->request_id[0] = '\0';
    err->state[0] = '\0';
}

const char *vpcep_strerror(int code)
{
    switch (code) {
    case VPCEP_OK:
        return "success";
    case VPCEP_ERROR:
        return "error";
    case VPCEP_ENOMEM:
        return "out of memory";
    case VPCEP_EINVALID:
        return "invalid argument or request";
    case VPCEP_ENOTFOUND:
        return "not found";
    case VPCEP_EAUTH:
        return "authentication or authorisation failed";
    case VPCEP_ECONFLICT:
        return "object in use or in the wrong state";
    case VPCEP_EQUOTA:
        return "quota exceeded";
    case VPCEP_ETHROTTLED:
        return "request throttled";
    case VPCEP_ETRANSPORT:
        return "transport error";
    case VPCEP_ETIMEOUT:
        return "timed out";
    case VPCEP_ECANCELED:
        return "cancelled";
    case VPCEP_EAPI:
        return "API error";
    case VPCEP_ETOOLARGE:
        return "response too large";
    default:
        return "unknown error";
    }
}

void vpcep_version(int *major, int *minor, int *patch)
{
    if (major != NULL)
        *major = VPCEP_VERSION_MAJOR;
    if (minor != NULL)
        *minor = VPCEP_VERSION_MINOR;
    if (patch != NULL)
        *patch = VPCEP_VERSION_PATCH;
}

int rest_util_error(int util_rc)
{
    switch (util_rc) {
    case UTIL_OK:
        return 0;
    case UTIL_ENOMEM:
        return VPCEP_ENOMEM;
    case UTIL_EINVALID:
        return VPCEP_EINVALID;
    case UTIL_ETOOLARGE:
        return VPCEP_ETOOLARGE;
    default:
        return VPCEP_ERROR;
    }
}

void vpcep_free(void *ptr)
{
    util_free(ptr);
}

int vpcep_error_code_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return util_strcasecmp(a, b) == 0;
}

/* API error codes with a meaning the caller can act on. Compared case-insensitively. */
static const struct {
    const char *code;
    int kind;
} code_table[] = {
    {"EndPoint.0003", VPCEP_EAUTH},      {"EndPoint.0004", VPCEP_EAUTH},
    {"APIG.0301", VPCEP_EAUTH},          {"APIG.0307", VPCEP_EAUTH},
    {"EndPoint.0005", VPCEP_ENOTFOUND},  {"EndPoint.2003", VPCEP_ENOTFOUND},
    {"EndPoint.2006", VPCEP_ENOTFOUND},  {"EndPoint.2007", VPCEP_ENOTFOUND},
    {"EndPoint.2008", VPCEP_ENOTFOUND},  {"EndPoint.1018", VPCEP_EQUOTA},
    {"EndPoint.0022", VPCEP_ETHROTTLED}, {"APIG.0308", VPCEP_ETHROTTLED},
    {"EndPoint.3006", VPCEP_ECONFLICT},  {"EndPoint.2014", VPCEP_ECONFLICT},
    {"EndPoint.2018", VPCEP_ECONFLICT},  {"EndPoint.2019", VPCEP_ECONFLICT},
    {"EndPoint.3044", VPCEP_ECONFLICT},  {"EndPoint.3045", VPCEP_ECONFLICT},
    {"EndPoint.2012", VPCEP_EAUTH},
};

int vpcep_error_classify(int http_status, const char *api_error_code)
{
    size_t i;

    if (http_status >= 200 && http_status < 300)
        return VPCEP_OK;
    if (api_error_code != NULL && api_error_code[0] != '\0') {
        for (i = 0; i < sizeof(code_table) / sizeof(code_table[0]); i++) {
            if (util_strcasecmp(code_table[i].code, api_error_code) == 0)
                return code_table[i].kind;
        }
        /* Unlisted quota messages ("...Quota exceeded") keep their generic status mapping. */
    }
    switch (http_status) {
    case 400:
    case 405:
    case 413:
    case 422:
        return VPCEP_EINVALID;
    case 401:
    case 403:
        return VPCEP_EAUTH;
    case 404:
    case 410:
        return VPCEP_ENOTFOUND;
    case 409:
    case 412:
        return VPCEP_ECONFLICT;
    case 429:
        return VPCEP_ETHROTTLED;
    case 408:
    case 504:
        return VPCEP_ETIMEOUT;
    default:
        return VPCEP_EAPI;
    }
}

int rest_status_retryable(long status, const char *api_code)
{
    if (status == 429 || status >= 500)
        return status != 501;
    if (api_code != NULL && (util_strcasecmp(api_code, "EndPoint.0022") == 0 ||
                             util_strcasecmp(api_code, "APIG.0308") == 0))
        return 1;
    return 0;
}

int rest_fail(vpcep_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    err->kind = code;
    if (fmt != NULL) {
        va_start(ap, fmt);
        vsnprintf(err->error_msg, sizeof(err->error_msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

int rest_error_from_response(
    vpcep_error *err, long status, const char *body, size_t len, const char *request_id)
{
    char code_buf[64] = "";
    char msg_buf[512] = "";
    cJSON *root = NULL;
    const cJSON *src;
    int kind;

    if (body != NULL && len > 0)
        root = rest_json_parse(body, len);
    if (root != NULL) {
        const cJSON *c, *m, *rid;
        src = root;
        /* Some gateways nest the error: {"error":{"code","message"}}. */
        if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "error")))
            src = cJSON_GetObjectItemCaseSensitive(root, "error");
        c = cJSON_GetObjectItemCaseSensitive(src, "error_code");
        if (!cJSON_IsString(c))
            c = cJSON_GetObjectItemCaseSensitive(src, "code");
        m = cJSON_GetObjectItemCaseSensitive(src, "error_msg");
        if (!cJSON_IsString(m))
            m = cJSON_GetObjectItemCaseSensitive(src, "error_message");
        if (!cJSON_IsString(m))
            m = cJSON_GetObjectItemCaseSensitive(src, "message");
        if (cJSON_IsString(c))
            util_strlcpy(code_buf, c->valuestring, sizeof(code_buf));
        if (cJSON_IsString(m))
            util_strlcpy(msg_buf, m->valuestring, sizeof(msg_buf));
        rid = cJSON_GetObjectItemCaseSensitive(root, "request_id");
        if (cJSON_IsString(rid) && (request_id == NULL || request_id[0] == '\0') && err != NULL)
            util_strlcpy(err->request_id, rid->valuestring, sizeof(err->request_id));
        cJSON_Delete(root);
    }
    kind = vpcep_error_classify((int)status, code_buf);
    if (kind == VPCEP_OK)
        kind = VPCEP_EAPI;
    if (err != NULL) {
        err->kind = kind;
        err->http_status = (int)status;
        util_strlcpy(err->error_code, code_buf, sizeof(err->error_code));
        if (msg_buf[0] != '\0')
            util_strlcpy(err->error_msg, msg_buf, sizeof(err->error_msg));
        else
            snprintf(err->error_msg, sizeof(err->error_msg), "HTTP %ld", status);
        if (request_id != NULL && request_id[0] != '\0')
            util_strlcpy(err->request_id, request_id, sizeof(err->request_id));
    }
    return kind;
}
