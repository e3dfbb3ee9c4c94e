/* Return-code descriptions, version, and the public free function. */
#include "core.h"

#include <tfp/common.h>

const char *tfp_strerror(int code)
{
    switch (code) {
    case TFP_OK:
        return "success";
    case TFP_ERROR:
        return "generic failure";
    case TFP_ENOMEM:
        return "out of memory";
    case TFP_EINVALID:
        return "invalid argument or malformed input";
    case TFP_ENOTFOUND:
        return "not found";
    case TFP_ECONFLICT:
        return "conflict with the current state";
    case TFP_EAUTH:
        return "authentication or authorisation failed";
    case TFP_ETIMEOUT:
        return "timed out";
    case TFP_ETOOLARGE:
        return "size limit exceeded";
    case TFP_ECANCELED:
        return "canceled";
    case TFP_EUNSUPPORTED:
        return "not supported";
    case TFP_EUSER:
        return "aborted by a callback";
    default:
        return "unknown error";
    }
}

void tfp_version(int *major, int *minor, int *patch)
{
    if (major != NULL) {
        *major = TFP_VERSION_MAJOR;
    }
    if (minor != NULL) {
        *minor = TFP_VERSION_MINOR;
    }
    if (patch != NULL) {
        *patch = TFP_VERSION_PATCH;
    }
}

void tfp_free(void *ptr)
{
    util_free(ptr);
}
