/**
 * @file vpcep/sys/decode.h
 * @brief System tier: the decoders of API answers and the timestamp parser.
 *
 * The sys/ headers hold what exists for tests, benchmarks, fuzzers and tools rather than for
 * programs that use the VPCEP API: they are not included by vpcep/vpcep.h. Their functions
 * follow the same ABI rules as the rest (exported, in the ABI baseline, never changed within
 * a major version), but a new major version may drop them without a replacement, and a
 * program should not need them to talk to the API.
 */
#ifndef VPCEP_SYS_DECODE_H
#define VPCEP_SYS_DECODE_H

#include "../model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Decoders of raw API response bodies, the ones the client uses. Each parses @p len bytes of
 * JSON (no NUL needed) into a new object.
 * @param[out] out  the object, owned by the caller (free with its _free function of
 *                  vpcep/model.h); NULL on failure
 * @return 0, VPCEP_EINVALID (NULL @p out, not JSON, or the top level is not an object),
 *         VPCEP_ENOMEM. A missing list key yields an empty list; fields of the wrong type are
 *         treated as absent.
 */
VPCEP_EXTERN int vpcep_decode_service(vpcep_service **out, const char *json, size_t len);
VPCEP_EXTERN int vpcep_decode_service_list(vpcep_service_list **out, const char *json, size_t len);
VPCEP_EXTERN int vpcep_decode_service_info(vpcep_service_info **out, const char *json, size_t len);
VPCEP_EXTERN int
vpcep_decode_service_info_list(vpcep_service_info_list **out, const char *json, size_t len);
VPCEP_EXTERN int
vpcep_decode_connection_list(vpcep_connection_list **out, const char *json, size_t len);
VPCEP_EXTERN int
vpcep_decode_permission_list(vpcep_permission_list **out, const char *json, size_t len);
VPCEP_EXTERN int vpcep_decode_endpoint(vpcep_endpoint **out, const char *json, size_t len);
VPCEP_EXTERN int
vpcep_decode_endpoint_list(vpcep_endpoint_list **out, const char *json, size_t len);
VPCEP_EXTERN int vpcep_decode_quota_list(vpcep_quota_list **out, const char *json, size_t len);
/** Accepts both `{"versions":[...]}` and `{"version":{...}}`. */
VPCEP_EXTERN int
vpcep_decode_api_version_list(vpcep_api_version_list **out, const char *json, size_t len);
VPCEP_EXTERN int
vpcep_decode_project_tag_list(vpcep_project_tag_list **out, const char *json, size_t len);

/** `{"resources":[...],"total_count":N}` (filter) or `{"total_count":N}` (count). */
VPCEP_EXTERN int
vpcep_decode_tagged_resource_list(vpcep_tagged_resource_list **out, const char *json, size_t len);

/**
 * Parses an API timestamp ("2018-01-30T07:42:01Z", "2018-01-30T07:42:01.174",
 * "2015-11-09T01:42:57.527363Z", "+00:00" offsets) into seconds since the epoch (UTC).
 * @return 0 or VPCEP_EINVALID.
 */
VPCEP_EXTERN int vpcep_parse_time(int64_t *out, const char *text);

#ifdef __cplusplus
}
#endif

#endif
