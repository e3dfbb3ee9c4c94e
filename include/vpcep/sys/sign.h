/**
 * @file vpcep/sys/sign.h
 * @brief System tier: AK/SK request signing (for tests against signing vectors, and tools).
 *
 * Not included by vpcep/vpcep.h; see vpcep/sys/decode.h for what the sys/ tier promises.
 */
#ifndef VPCEP_SYS_SIGN_H
#define VPCEP_SYS_SIGN_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Signs a request with SDK-HMAC-SHA256 (`Access=` form), as the client does for AK/SK
 * authentication.
 *
 * @param[out] out    the Authorization header value, caller frees with vpcep_free()
 * @param method      "GET", "POST", ...
 * @param url         absolute URL including the query string
 * @param headers     @p n_headers "Name: value" strings to sign (must include X-Sdk-Date and
 *                    Host; Content-Type may be included)
 * @param body        bytes sent (may be NULL when @p body_len is 0)
 * @return 0, VPCEP_EINVALID (missing X-Sdk-Date, bad URL), VPCEP_ENOMEM.
 */
VPCEP_EXTERN int vpcep_sign_request(char **out,
                                    const char *access_key,
                                    const char *secret_key,
                                    const char *method,
                                    const char *url,
                                    const char *const *headers,
                                    size_t n_headers,
                                    const void *body,
                                    size_t body_len);

#ifdef __cplusplus
}
#endif

#endif
