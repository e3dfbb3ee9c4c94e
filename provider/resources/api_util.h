/*
 * provider/resources/api_util.h - helpers between tfp values and the VPCEP client.
 */
#ifndef TFPV_RESOURCES_API_UTIL_H
#define TFPV_RESOURCES_API_UTIL_H

#include "internal.h"

#include <vpcep/vpcep.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Adds an error diagnostic for a failed client call: @p summary, and a detail with the API's
 * error code, message, HTTP status and request ID. @p attr may be NULL. Returns the tfp code
 * that matches @p rc (for handler return values that are not diagnostics: always 0 here, as
 * the failure travels as a diagnostic).
 */
void tfpv_api_error(
    tfp_diags *d, const char *attr, const char *summary, int rc, const vpcep_error *err);

/** Sets obj.connections from @p conns (NULL = empty list). */
int tfpv_set_connections(tfp_value *obj, const vpcep_connection_list *conns);

/**
 * Sets obj[attr] (a map(string)) from API tags. An empty API result keeps the representation
 * of @p prior_tags (null stays null, an empty map stays empty).
 */
int tfpv_set_tags_from_api(tfp_value *obj,
                           const char *attr,
                           vpcep_tag *const *tags,
                           size_t n,
                           const tfp_value *prior_tags);

/** Sets a set(string) attribute from API strings with the same empty/null rule. */
int tfpv_set_strings_from_api(
    tfp_value *obj, const char *attr, const char *const *items, size_t n, const tfp_value *prior);

/** Tag parameters of a map(string) value; params point into @p tags (borrowed). */
typedef struct tfpv_tag_params {
    vpcep_tag_param *items;
    size_t n;
} tfpv_tag_params;
int tfpv_tag_params_from(tfpv_tag_params *out, const tfp_value *tags);
void tfpv_tag_params_dispose(tfpv_tag_params *p);

/**
 * Applies the difference between two tag maps with the tags API: keys that disappeared are
 * deleted, new or changed ones created (overwritten). Nothing is sent when they are equal.
 * Errors are reported on @p d at attribute "tags". @return 0 or the client's code.
 */
int tfpv_apply_tags_diff(vpcep_client *client,
                         tfp_diags *d,
                         vpcep_resource_type type,
                         const char *id,
                         const tfp_value *old_tags,
                         const tfp_value *new_tags);

/**
 * The resources of @p type that carry every tag of @p tags (a map(string): each key with
 * exactly that value), through the tag filter API (all pages). *out NULL when @p tags is null
 * or empty (no tag filter). API errors are reported on @p d at "tags" and return TFP_ERROR.
 * @return 0, TFP_ERROR, TFP_ENOMEM.
 */
int tfpv_tagged_ids(vpcep_tagged_resource_list **out,
                    vpcep_client *client,
                    tfp_diags *d,
                    vpcep_resource_type type,
                    const tfp_value *tags);
/** 1 if @p list holds a resource with ID @p id. */
int tfpv_tagged_has(const vpcep_tagged_resource_list *list, const char *id);

/** Logs a wait that is starting (what, id, timeout) at DEBUG. */
/* A create's error: like tfpv_api_error, and when the message names candidates (an unfinished
 * create's leftover, an object holding the port, an unproven lost create), one `import` block
 * per candidate for resource type @p type_name. */
void tfpv_create_error(
    tfp_diags *d, const char *summary, const char *type_name, int rc, const vpcep_error *err);
/* Removes the create marker tag (VPCEP_CREATE_MARKER_KEY) from an object whose ID is now in
 * state; a failure is a warning (the next plan shows the tag's removal). */
void tfpv_remove_create_marker(vpcep_client *client,
                               tfp_diags *d,
                               vpcep_resource_type type,
                               const char *id);
void tfpv_log_wait(const char *what, const char *id, int64_t timeout_ms);
/** Logs the end of a wait with its counters at DEBUG. */
void tfpv_log_wait_done(const char *what, const char *id, int rc, const vpcep_wait_stats *st);

#ifdef __cplusplus
}
#endif

#endif
