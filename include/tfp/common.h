/**
 * @file tfp/common.h
 * @brief Export macro, return codes, version and memory helpers of the provider-plugin ABI.
 *
 * Every fallible function of this library returns `int`: 0 on success or one of the
 * negative ::tfp_error_code values. Detail never travels in global state; handlers report it
 * through a ::tfp_diags object (tfp/diag.h).
 */
#ifndef TFP_COMMON_H
#define TFP_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The one export macro. Defined by the build (TFP_BUILDING) when compiling the library. */
#if defined(_WIN32)
#    if defined(TFP_BUILDING)
#        define TFP_EXTERN __declspec(dllexport)
#    else
#        define TFP_EXTERN __declspec(dllimport)
#    endif
#elif defined(TFP_BUILDING) && defined(__GNUC__)
#    define TFP_EXTERN __attribute__((visibility("default")))
#else
#    define TFP_EXTERN
#endif

#if defined(__GNUC__)
#    define TFP_PRINTF(fmt_idx, args_idx) __attribute__((format(printf, fmt_idx, args_idx)))
#else
#    define TFP_PRINTF(fmt_idx, args_idx)
#endif

#define TFP_VERSION_MAJOR 0
#define TFP_VERSION_MINOR 1
#define TFP_VERSION_PATCH 0

/**
 * Return codes. Values are stable: never renumbered, never reused.
 *
 * libtfp owns the codes -1 .. -99. Libraries meant to be used beside it share this space
 * instead of overlapping it: libvpcep's codes from -1 to -9 have the same names, values and
 * meanings as the ones below (VPCEP_ENOTFOUND == TFP_ENOTFOUND), and its own start at -100.
 * So a provider may return a code it got from such a library; libtfp treats any code it does
 * not know as a generic failure.
 */
typedef enum tfp_error_code {
    TFP_OK = 0,
    TFP_ERROR = -1,         /**< generic failure */
    TFP_ENOMEM = -2,        /**< allocation failed */
    TFP_EINVALID = -3,      /**< invalid argument, type mismatch or malformed input */
    TFP_ENOTFOUND = -4,     /**< no such object (a resource that is gone, an unknown name) */
    TFP_ECONFLICT = -5,     /**< the object is in a state that forbids the operation */
    TFP_EAUTH = -6,         /**< authentication or authorisation failed */
    TFP_ETIMEOUT = -7,      /**< a deadline passed */
    TFP_ETOOLARGE = -8,     /**< a size limit was exceeded */
    TFP_ECANCELED = -9,     /**< the operation was cancelled (StopProvider) */
    TFP_EUNSUPPORTED = -10, /**< the operation is not implemented by this provider */
    TFP_EUSER = -11         /**< a user callback asked to abort */
} tfp_error_code;

/** A static, human-readable description of a return code. Never NULL. */
TFP_EXTERN const char *tfp_strerror(int code);

/** The library's version, for run-time checks against TFP_VERSION_*. Any pointer may be NULL. */
TFP_EXTERN void tfp_version(int *major, int *minor, int *patch);

/** Frees a buffer that this library returned to the caller (documented per function). NULL ok. */
TFP_EXTERN void tfp_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif
