/**
 * @file tfp/provider.h
 * @brief Providers, resource and data-source types, handler calls, and serving a provider.
 *
 * A provider is assembled at start-up: a configuration schema, handlers for validating and
 * configuring it, and resource / data-source types, each with a schema and handlers. Then
 * tfp_serve() speaks the Terraform plugin protocol (5 or 6) until Terraform shuts it down.
 *
 * Every handler has the same shape, ::tfp_handler_fn: it reads its inputs from the ::tfp_call,
 * reports problems with tfp_diags_* on tfp_call_diags(), and sets its outputs on the call.
 * Handlers run concurrently on several threads; they must not share mutable state without
 * locking. Anything handed to the call is released by the library after the RPC completes.
 */
#ifndef TFP_PROVIDER_H
#define TFP_PROVIDER_H

#include "common.h"
#include "diag.h"
#include "schema.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfp_provider tfp_provider;
typedef struct tfp_resource tfp_resource;
typedef struct tfp_call tfp_call;

/** The operations a handler can be registered for. */
typedef enum tfp_op {
    TFP_OP_VALIDATE = 1,  /**< provider, resource, data source: inputs config */
    TFP_OP_CONFIGURE = 2, /**< provider only: inputs config; set provider data */
    TFP_OP_UPGRADE = 3,   /**< resource: inputs state version + raw JSON; set result */
    TFP_OP_READ = 4,      /**< resource: inputs prior state + private; set result (NULL=gone) */
    TFP_OP_PLAN = 5,      /**< resource: inputs prior, proposed, config, private; set result */
    TFP_OP_APPLY = 6,     /**< resource: inputs prior, planned, config, private; set result */
    TFP_OP_IMPORT = 7,    /**< resource: inputs import id; set result */
    TFP_OP_READ_DATA = 8, /**< data source: inputs config; set result */
    TFP_OP_MOVE = 9       /**< resource: inputs source provider, type, schema version, raw
                               JSON state and private; set result (see tfp_resource_accept_move) */
} tfp_op;

/**
 * A handler. Return 0, or a negative TFP_E* code; a non-zero return without an error
 * diagnostic gets a generic error diagnostic naming the code.
 */
typedef int (*tfp_handler_fn)(tfp_call *call);

/* ----- Provider ---------------------------------------------------------------------------- */

/**
 * A new provider named @p name (the provider type, e.g. "vpcep") at @p version (shown by
 * --version). Strings are copied. @return 0, TFP_EINVALID, TFP_ENOMEM.
 */
TFP_EXTERN int tfp_provider_new(tfp_provider **out, const char *name, const char *version);
/** Frees the provider and everything registered with it. NULL is ignored. */
TFP_EXTERN void tfp_provider_free(tfp_provider *p);
/** Sets the provider configuration schema (stolen, also on failure). @return 0, TFP_EINVALID. */
TFP_EXTERN int tfp_provider_set_schema(tfp_provider *p, tfp_schema *schema);
/** Registers the provider's TFP_OP_VALIDATE or TFP_OP_CONFIGURE handler.
 *  @return 0, TFP_EINVALID (other op). */
TFP_EXTERN int tfp_provider_set_handler(tfp_provider *p, tfp_op op, tfp_handler_fn fn);
/** An opaque pointer handed to every provider handler through tfp_call_payload(). */
TFP_EXTERN void tfp_provider_set_payload(tfp_provider *p, void *payload);
/** Registers a resource type (stolen, also on failure).
 *  @return 0, TFP_EINVALID (duplicate name), TFP_ENOMEM. */
TFP_EXTERN int tfp_provider_add_resource(tfp_provider *p, tfp_resource *r);
/** Registers a data-source type (stolen, also on failure). Same codes. */
TFP_EXTERN int tfp_provider_add_data_source(tfp_provider *p, tfp_resource *r);
/**
 * Sets the provider's source address as Terraform knows it, e.g.
 * "registry.terraform.io/otc/vpcep" (copied; "ns/name" gains the public registry host). Log
 * lines carry it as `tf_provider_addr`. @return 0, TFP_EINVALID (not an address), TFP_ENOMEM.
 */
TFP_EXTERN int tfp_provider_set_address(tfp_provider *p, const char *address);
TFP_EXTERN const char *tfp_provider_name(const tfp_provider *p);
TFP_EXTERN const char *tfp_provider_version(const tfp_provider *p);

/* ----- Resource and data-source types --------------------------------------------------------- */

/**
 * A new resource or data-source type named @p type_name with @p schema (stolen, also on
 * failure). @return 0, TFP_EINVALID, TFP_ENOMEM.
 */
TFP_EXTERN int tfp_resource_new(tfp_resource **out, const char *type_name, tfp_schema *schema);
/** Frees an unregistered type. NULL is ignored. */
TFP_EXTERN void tfp_resource_free(tfp_resource *r);
/**
 * Registers a handler. Defaults when none is set: VALIDATE accepts; UPGRADE decodes the raw
 * state with the current schema (same version only); READ returns the prior state; PLAN
 * returns the proposed state with computed attributes that are null in config marked unknown
 * on create; IMPORT, APPLY and READ_DATA fail with "not supported"; MOVE: see
 * tfp_resource_accept_move().
 * A PLAN, READ or UPGRADE handler that returns without calling tfp_call_set_result() and
 * without error diagnostics gets the default result (so a PLAN handler may only add
 * tfp_call_require_replace() paths). Private bytes are echoed when a handler sets none: READ
 * returns the private it received, PLAN the prior private, APPLY the planned private (MOVE
 * returns none: the source's private belongs to the source provider).
 * @return 0, TFP_EINVALID (op not valid for this kind).
 */
TFP_EXTERN int tfp_resource_set_handler(tfp_resource *r, tfp_op op, tfp_handler_fn fn);
/** An opaque pointer handed to this type's handlers through tfp_call_payload(). */
TFP_EXTERN void tfp_resource_set_payload(tfp_resource *r, void *payload);
/**
 * Declares that resource type @p r accepts `moved` blocks (Terraform 1.8+) whose source is
 * the resource type @p source_type of the provider @p source_provider, given by its source
 * address: "registry.terraform.io/namespace/name", or "namespace/name" for the public
 * registry (compared ignoring case). Call it once per accepted source; strings are copied.
 *
 * While at least one resource type accepts a source, the provider announces the
 * `move_resource_state` server capability and serves MoveResourceState (protocol 5.5 and 6.5).
 * A move from a source that was not declared is refused, before any handler runs, with an
 * error diagnostic naming the source type and provider. A declared move runs the type's
 * TFP_OP_MOVE handler, which reads tfp_call_move_source_provider(),
 * tfp_call_move_source_type(), tfp_call_state_version() (the source's schema version),
 * tfp_call_raw_state() (the source's state as JSON, exactly as the source provider stored it)
 * and tfp_call_private(), and sets the converted state with tfp_call_set_result(). The result
 * must be a wholly known, non-null object of this type. Without a TFP_OP_MOVE handler the raw
 * state is decoded with this type's schema (a renamed type of the same shape).
 *
 * Terraform calls MoveResourceState on a provider instance that has not been configured:
 * the handler must not need tfp_call_provider_data(). Terraform refreshes the moved object
 * with READ afterwards.
 * @return 0, TFP_EINVALID (NULL or empty argument, a data source, a provider address that is
 * not "[host/]namespace/name"), TFP_ENOMEM.
 */
TFP_EXTERN int
tfp_resource_accept_move(tfp_resource *r, const char *source_provider, const char *source_type);
TFP_EXTERN const char *tfp_resource_type_name(const tfp_resource *r);
TFP_EXTERN const tfp_schema *tfp_resource_schema(const tfp_resource *r);

/* ----- Calls: inputs ------------------------------------------------------------------------ */

TFP_EXTERN tfp_op tfp_call_op(const tfp_call *call);
/** Resource/data-source type name; NULL for provider handlers. Borrowed. */
TFP_EXTERN const char *tfp_call_type_name(const tfp_call *call);
/** The schema of the type (or of the provider). Borrowed. */
TFP_EXTERN const tfp_schema *tfp_call_schema(const tfp_call *call);
/** Where to report problems. Borrowed; never NULL. */
TFP_EXTERN tfp_diags *tfp_call_diags(tfp_call *call);
/** The payload registered on the type (or provider). */
TFP_EXTERN void *tfp_call_payload(const tfp_call *call);
/** What the CONFIGURE handler stored with tfp_call_set_provider_data(); NULL before. */
TFP_EXTERN void *tfp_call_provider_data(const tfp_call *call);

/** Configuration (VALIDATE, CONFIGURE, PLAN, APPLY, READ_DATA). Borrowed; may hold unknowns
 *  in VALIDATE, CONFIGURE and PLAN; null in a destroy APPLY. NULL for other operations. */
TFP_EXTERN const tfp_value *tfp_call_config(const tfp_call *call);
/** Prior state (READ: current state; PLAN, APPLY: null on create). Borrowed. */
TFP_EXTERN const tfp_value *tfp_call_prior_state(const tfp_call *call);
/** PLAN: Terraform's proposed new state. Borrowed. */
TFP_EXTERN const tfp_value *tfp_call_proposed_state(const tfp_call *call);
/** APPLY: the planned state (null = destroy). Borrowed. */
TFP_EXTERN const tfp_value *tfp_call_planned_state(const tfp_call *call);
/**
 * READ: private; PLAN: prior private; APPLY: planned private; MOVE: the source's private.
 * @param[out] out      the bytes, borrowed from the call; NULL when there are none
 * @param[out] len_out  their length (may be NULL); 0 when there are none
 * @return 0, TFP_EINVALID (NULL @p out or @p call: *out NULL, *len_out 0).
 */
TFP_EXTERN int tfp_call_private(const void **out, size_t *len_out, const tfp_call *call);
/** IMPORT: the id the user gave. Borrowed. */
TFP_EXTERN const char *tfp_call_import_id(const tfp_call *call);
/** UPGRADE: schema version recorded in state. MOVE: the source's schema version. */
TFP_EXTERN int64_t tfp_call_state_version(const tfp_call *call);
/**
 * UPGRADE: the stored state JSON; MOVE: the source's stored state JSON, exactly as the source
 * provider stored it.
 * @param[out] out      the JSON text (not NUL-terminated), borrowed from the call; NULL when the
 *                      call has none
 * @param[out] len_out  its length (may be NULL)
 * @return 0, TFP_EINVALID (NULL @p out or @p call: *out NULL, *len_out 0).
 */
TFP_EXTERN int tfp_call_raw_state(const char **out, size_t *len_out, const tfp_call *call);
/** MOVE: the source provider's address as Terraform sends it
 *  ("registry.terraform.io/namespace/name"). Borrowed; NULL for other operations. */
TFP_EXTERN const char *tfp_call_move_source_provider(const tfp_call *call);
/** MOVE: the source resource type name. Borrowed; NULL for other operations. */
TFP_EXTERN const char *tfp_call_move_source_type(const tfp_call *call);
/** CONFIGURE: Terraform's version string. Borrowed; may be empty. */
TFP_EXTERN const char *tfp_call_terraform_version(const tfp_call *call);

/* ----- Calls: outputs ----------------------------------------------------------------------- */

/**
 * Sets the result value (stolen, also on failure): PLAN planned state, APPLY / READ new
 * state, UPGRADE upgraded state, IMPORT imported state, READ_DATA state, MOVE target state. NULL
 * means null (READ: the object is gone). The library checks it against the schema type and turns a
 * mismatch into an error diagnostic. @return 0, TFP_EINVALID.
 */
TFP_EXTERN int tfp_call_set_result(tfp_call *call, tfp_value *v);
/** The result set so far (borrowed), or NULL. */
TFP_EXTERN const tfp_value *tfp_call_result(const tfp_call *call);
/** Sets the private bytes returned with the result (copied). @return 0, TFP_ENOMEM. */
TFP_EXTERN int tfp_call_set_private(tfp_call *call, const void *data, size_t len);
/** PLAN: changing this top-level attribute forces replacement. @return 0, TFP_ENOMEM. */
TFP_EXTERN int tfp_call_require_replace(tfp_call *call, const char *attr);
/** PLAN: same with a full path (copied). */
TFP_EXTERN int tfp_call_require_replace_path(tfp_call *call, const tfp_path *path);
/**
 * CONFIGURE: stores @p data for later handlers (tfp_call_provider_data). A previous value is
 * released with its @p free_fn. The provider frees the last one with @p free_fn (may be NULL).
 * @return 0, TFP_EINVALID (not CONFIGURE).
 */
TFP_EXTERN int tfp_call_set_provider_data(tfp_call *call, void *data, void (*free_fn)(void *));

/* ----- Calls: cancellation ------------------------------------------------------------------ */

/** 1 once Terraform asked the provider to stop (StopProvider), else 0. */
TFP_EXTERN int tfp_call_stopped(const tfp_call *call);
/** Sleeps up to @p ms milliseconds; returns early with TFP_ECANCELED when stopped, else 0. */
TFP_EXTERN int tfp_call_sleep(const tfp_call *call, unsigned int ms);

/* ----- Serving -------------------------------------------------------------------------------- */

#define TFP_SERVE_OPTIONS_VERSION 1

/** Versioned options of tfp_serve(). Initialise with TFP_SERVE_OPTIONS_INIT or
 *  tfp_serve_options_init(); fields are only ever appended, with a new version. The library
 *  accepts versions 1..TFP_SERVE_OPTIONS_VERSION and reads only the fields of the one set. */
typedef struct tfp_serve_options {
    unsigned int version;
    /** "unix", "tcp" or NULL: NULL uses TFP_PLUGIN_NETWORK from the environment, else unix. */
    const char *network;
    /** Protocol majors this provider offers, as a bit set (1<<5 | 1<<6); 0 = both. */
    unsigned int protocols;
} tfp_serve_options;

#define TFP_SERVE_OPTIONS_INIT                                                                     \
    {                                                                                              \
        TFP_SERVE_OPTIONS_VERSION, NULL, 0u                                                        \
    }

/** Initialises the fields @p version (1..TFP_SERVE_OPTIONS_VERSION) has, and nothing beyond.
 *  @return 0, TFP_EINVALID (NULL or unsupported version; nothing written). */
TFP_EXTERN int tfp_serve_options_init(tfp_serve_options *opts, unsigned int version);

/**
 * Serves @p p over the plugin protocol the way go-plugin does: checks the magic cookie
 * (without it: explains that this is a plugin and returns 1), handles `--version` in @p argv,
 * negotiates protocol 5 or 6 from PLUGIN_PROTOCOL_VERSIONS, serves AutoMTLS when
 * PLUGIN_CLIENT_CERT is set, prints the handshake line on stdout, and serves until
 * GRPCController.Shutdown. @p opts may be NULL.
 * @return the process exit status to use (0 after a clean shutdown; 1 for NULL @p p or options
 *         of a version this library does not know).
 */
TFP_EXTERN int tfp_serve(tfp_provider *p, int argc, char **argv, const tfp_serve_options *opts);

#ifdef __cplusplus
}
#endif

#endif
