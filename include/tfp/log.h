/**
 * @file tfp/log.h
 * @brief Logging in the format Terraform reads from a plugin's stderr (hclog JSON lines).
 *
 * The level comes from TF_LOG_PROVIDER, else TF_LOG (TRACE, DEBUG, INFO, WARN, ERROR, OFF;
 * JSON = TRACE). Unset means no output. Thread-safe: one write(2) per line.
 * Never log secrets.
 *
 * Every line carries `@level`, `@message`, `@module` and `@timestamp`, and the fields Terraform's
 * Go SDKs attach to every line of an RPC, so that lines of parallel operations can be told
 * apart: `tf_provider_addr` (tfp_provider_set_address()), `tf_rpc` (e.g. "ApplyResourceChange"),
 * `tf_req_id` (one ID per RPC), `tf_proto_version`, and `tf_resource_type` or
 * `tf_data_source_type` when the RPC concerns one. tfp_log_fields() adds fields of its own.
 */
#ifndef TFP_LOG_H
#define TFP_LOG_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tfp_log_level {
    TFP_LOG_TRACE = 1,
    TFP_LOG_DEBUG = 2,
    TFP_LOG_INFO = 3,
    TFP_LOG_WARN = 4,
    TFP_LOG_ERROR = 5,
    TFP_LOG_OFF = 6
} tfp_log_level;

/** 1 if a message at @p level would be written. */
TFP_EXTERN int tfp_log_enabled(tfp_log_level level);
/** Writes one JSON log line (@module = @p module, may be NULL). */
TFP_EXTERN void tfp_log(tfp_log_level level, const char *module, const char *fmt, ...)
    TFP_PRINTF(3, 4);

/**
 * One structured field of a log line. Frozen: passed in arrays, so it never gains a member.
 * `key` names the JSON member (a key that starts with '@' or repeats a context field is
 * dropped); `value` is its string value, or NULL when the member is the integer `number`.
 */
typedef struct tfp_log_field {
    const char *key;
    const char *value;
    long long number;
} tfp_log_field;

/**
 * Writes one JSON log line like tfp_log(), with @p n extra @p fields (borrowed; NULL when n is
 * 0; a field with a NULL key is skipped). The caller redacts secrets before passing them.
 */
TFP_EXTERN void tfp_log_fields(tfp_log_level level,
                               const char *module,
                               const tfp_log_field *fields,
                               size_t n,
                               const char *fmt,
                               ...) TFP_PRINTF(5, 6);

#ifdef __cplusplus
}
#endif

#endif
