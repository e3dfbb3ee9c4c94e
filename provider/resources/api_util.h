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

/* ----- Waits: the one sequence every resource runs (table, log, wait, log, diagnostic) ----- */

/* What a wait waits for: each is one ready-made table of vpcep/wait.h on one kind of object. */
typedef enum tfpv_wait_kind {
    TFPV_WAIT_SERVICE_AVAILABLE,   /* vpcep_service */
    TFPV_WAIT_SERVICE_DELETED,     /* - */
    TFPV_WAIT_ENDPOINT_CREATED,    /* vpcep_endpoint */
    TFPV_WAIT_ENDPOINT_ACCEPTED,   /* vpcep_endpoint: the consumer's view of the acceptance */
    TFPV_WAIT_ENDPOINT_DELETED,    /* - */
    TFPV_WAIT_CONNECTION_VISIBLE,  /* vpcep_connection: the owner's view, can be acted on */
    TFPV_WAIT_CONNECTION_ACCEPTED, /* vpcep_connection: the owner's view of the acceptance */
    TFPV_WAIT_CONNECTION_REJECTED  /* - */
} tfpv_wait_kind;

typedef struct tfpv_wait {
    tfpv_wait_kind kind;
    const char *what;       /* in the log: "endpoint creation" */
    const char *service_id; /* connection waits: the service of the endpoint @p id */
    const char *id;         /* the service or endpoint waited on */
    int64_t timeout_ms;
    int at_once; /* poll at once: nothing of ours just changed the object */
    /* The diagnostic of a failure (tfpv_wait_report), at attribute `attr` (NULL = resource): */
    const char *attr;
    const char *summary; /* any other failure: tfpv_api_error(summary) */
    /* A timeout, when timeout_summary is set: "<subject> <id> is still <last state> after
     * the <timeout_name> timeout.<hint>" (hint may be NULL or start with a space). */
    const char *timeout_summary;
    const char *subject;      /* "Endpoint", "Service" */
    const char *timeout_name; /* "create", "delete" */
    const char *hint;
} tfpv_wait;

/* Runs wait @p w: fills its table with the timeout, logs the start, waits, logs the end with the
 * counters and reports a failure in @p d (tfpv_wait_report). A caller that explains some
 * failures itself passes NULL @p d and calls tfpv_wait_report for the others.
 * @p out (optional) receives the object last read, of the type of the kind (caller frees).
 * @p err (optional) receives the detail. @return the waiter's code. */
int tfpv_wait_run(
    tfp_diags *d, vpcep_client *client, const tfpv_wait *w, void *out, vpcep_error *err);
/* The diagnostic of wait @p w ending with @p rc (non-zero) and @p err: the timeout form when
 * w->timeout_summary is set, else tfpv_api_error with w->summary. */
void tfpv_wait_report(tfp_diags *d, const tfpv_wait *w, int rc, const vpcep_error *err);

/* The owner accepts the connection of endpoint @p endpoint_id to service @p service_id and
 * waits until it is accepted (a rejection meanwhile fails at once); failures are reported at
 * @p attr. @return 0 or the code of the action or the wait. */
int tfpv_accept_and_wait(tfp_diags *d,
                         vpcep_client *client,
                         const char *service_id,
                         const char *endpoint_id,
                         int64_t timeout_ms,
                         const char *attr);

/* A resource's Delete: deletes w->id with @p del (logging "deleting <noun> <id>"), then waits
 * @p w until it is gone. An object already gone is done; a refused delete is reported as
 * @p summary. @return the delete's code (0 also when the object was gone), for a caller that
 * explains some refusals further. */
int tfpv_delete_and_wait(tfp_diags *d,
                         vpcep_client *client,
                         int (*del)(vpcep_client *client, const char *id, vpcep_error *err),
                         const char *noun,
                         const char *summary,
                         const tfpv_wait *w);

#ifdef __cplusplus
}
#endif

#endif
