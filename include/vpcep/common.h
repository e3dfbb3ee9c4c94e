/**
 * @file vpcep/common.h
 * @brief Export macro, return codes and the error object of the VPCEP client library.
 *
 * Every fallible function returns `int`: 0 on success or one of the negative
 * ::vpcep_error_code values. Detail (HTTP status, the API's error code and message, the
 * request ID) is written into a caller-owned ::vpcep_error passed as the last argument;
 * it never travels in global state. The error argument may always be NULL.
 */
#ifndef VPCEP_COMMON_H
#define VPCEP_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The one export macro. Defined by the build (VPCEP_BUILDING) when compiling the library. */
#if defined(_WIN32)
#    if defined(VPCEP_BUILDING)
#        define VPCEP_EXTERN __declspec(dllexport)
#    else
#        define VPCEP_EXTERN __declspec(dllimport)
#    endif
#elif defined(VPCEP_BUILDING) && defined(__GNUC__)
#    define VPCEP_EXTERN __attribute__((visibility("default")))
#else
#    define VPCEP_EXTERN
#endif

/**
 * Initialiser of a versioned struct: sets `version`, zeroes the rest. Designated in C (no
 * -Wmissing-field-initializers warning), positional in C++.
 */
#ifdef __cplusplus
#    define VPCEP_INIT_VERSIONED(v)                                                                \
        {                                                                                          \
            v                                                                                      \
        }
#else
#    define VPCEP_INIT_VERSIONED(v)                                                                \
        {                                                                                          \
            .version = (v)                                                                         \
        }
#endif

#define VPCEP_VERSION_MAJOR 0
#define VPCEP_VERSION_MINOR 1
#define VPCEP_VERSION_PATCH 0

/**
 * Return codes. Values are stable: never renumbered, never reused.
 * The same value is stored in vpcep_error::kind.
 *
 * One code space with libtfp (tfp/common.h): a code from -1 to -99 has the same name, value and
 * meaning in both libraries (VPCEP_ENOTFOUND == TFP_ENOTFOUND, VPCEP_ECONFLICT ==
 * TFP_ECONFLICT, ...), and libvpcep's own codes are -100 and below, a range libtfp never uses.
 * A code is therefore never ambiguous, whichever library it came from: a provider may hand a
 * libvpcep code on as its handler's result.
 */
typedef enum vpcep_error_code {
    VPCEP_OK = 0,
    VPCEP_ERROR = -1,     /**< generic / internal failure */
    VPCEP_ENOMEM = -2,    /**< allocation failed */
    VPCEP_EINVALID = -3,  /**< invalid argument or request rejected as invalid (HTTP 400) */
    VPCEP_ENOTFOUND = -4, /**< no such object (HTTP 404, EndPoint.0005, 2006-2008, ...) */
    VPCEP_ECONFLICT = -5, /**< in use or wrong state (EndPoint.3006, 2014, 2018, 2019, 3045 ...) */
    VPCEP_EAUTH = -6,     /**< authentication or authorisation failed (HTTP 401/403) */
    VPCEP_ETIMEOUT = -7,  /**< a request or a wait deadline passed */
    VPCEP_ETOOLARGE = -8, /**< a response body exceeded max_body_bytes */
    VPCEP_ECANCELED = -9, /**< the cancellation hook asked to stop */
    /* -10 .. -99 belong to libtfp (TFP_EUNSUPPORTED, TFP_EUSER): never returned here. */
    VPCEP_EQUOTA = -100,     /**< quota exceeded (Endpoint.1018) */
    VPCEP_ETHROTTLED = -101, /**< throttled (HTTP 429, EndPoint.0022) after all retries */
    VPCEP_ETRANSPORT = -102, /**< connection, TLS or protocol failure; no usable answer */
    VPCEP_EAPI = -103        /**< another API error, or a waiter reached a failure state */
} vpcep_error_code;

/**
 * Detail of the last failure of one call. Caller-allocated (usually on the stack), filled by
 * every call that receives it: cleared on entry, written on failure. All strings are
 * NUL-terminated and truncated to fit; none ever contains a secret.
 *
 * Frozen: this struct has no version because it never changes; its size and every field stay
 * as they are for the life of the ABI (major version 0), so the library may write all of it.
 * More detail, if ever needed, comes as a new type with its own functions.
 */
typedef struct vpcep_error {
    int kind;             /**< the ::vpcep_error_code also returned, 0 when the call succeeded */
    int http_status;      /**< HTTP status of the last answer, 0 when there was none */
    int retries;          /**< how many times the failing request was retried */
    char error_code[64];  /**< API error code ("EndPoint.0005", "APIG.0308"), or "" */
    char error_msg[512];  /**< API message or a one-line description of the failure */
    char request_id[128]; /**< request ID of the answer (header or body), or "" */
    char state[32];       /**< waiters: the last observed state ("" if none) */
} vpcep_error;

#define VPCEP_ERROR_INIT                                                                           \
    {                                                                                              \
        0                                                                                          \
    }

/** Clears @p err (all fields zero or empty). NULL is ignored. */
VPCEP_EXTERN void vpcep_error_init(vpcep_error *err);

/** A static, human-readable description of a return code. Never NULL. */
VPCEP_EXTERN const char *vpcep_strerror(int code);

/**
 * Maps an HTTP status and an API error code (compared case-insensitively, so `EndPoint.` and
 * `Endpoint.` are the same; may be NULL) to a ::vpcep_error_code. 2xx maps to VPCEP_OK.
 */
VPCEP_EXTERN int vpcep_error_classify(int http_status, const char *api_error_code);

/** 1 if the API error codes @p a and @p b are equal, ignoring case; NULL equals only NULL. */
VPCEP_EXTERN int vpcep_error_code_equal(const char *a, const char *b);

/** The library's version, for run-time checks against VPCEP_VERSION_*. Any pointer may be NULL. */
VPCEP_EXTERN void vpcep_version(int *major, int *minor, int *patch);

/** Frees a buffer this library returned (documented per function). NULL is ignored. */
VPCEP_EXTERN void vpcep_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif
