/**
 * @file tfp/log.h
 * @brief Logging in the format Terraform reads from a plugin's stderr (hclog JSON lines).
 *
 * The level comes from TF_LOG_PROVIDER, else TF_LOG (TRACE, DEBUG, INFO, WARN, ERROR, OFF;
 * JSON = TRACE). Unset means no output. Thread-safe: one write(2) per line.
 * Never log secrets.
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

#ifdef __cplusplus
}
#endif

#endif
