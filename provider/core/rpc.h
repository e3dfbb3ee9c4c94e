/*
 * provider/core/rpc.h - the protocol-neutral boundary between the server and the core.
 *
 * The server (provider/server) owns gRPC and protobuf-c. It decodes a tfplugin5 or tfplugin6
 * request into the borrowed byte views below, calls one tfp__rpc_* function, and encodes the
 * tfp__rpc_result into the protobuf response of the protocol in use. The core never sees a
 * gRPC or protobuf type, so it can be unit- and fuzz-tested without sockets.
 *
 * Conventions
 *  - Every input is borrowed for the duration of the call only.
 *  - Every tfp__rpc_* function initialises *out first (so tfp__rpc_result_dispose is always
 *    safe), then fills it. It returns 0 when *out holds a response to send (which may carry
 *    error diagnostics: ordinary failures travel as diagnostics, never as a non-zero return),
 *    or a negative TFP_E* code on an internal failure (out of memory) that the server turns
 *    into a gRPC INTERNAL status.
 *  - All functions are thread-safe with respect to each other: the server calls them from
 *    several threads at once (Terraform runs up to 10 operations concurrently).
 *  - Values are msgpack (cty wire format) on output. On input a tfp__rpc_dynamic carries what
 *    the DynamicValue held: msgpack preferred, JSON as a fallback, both empty = null.
 */
#ifndef TFP_CORE_RPC_H
#define TFP_CORE_RPC_H

#include <tfp/tfp.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A borrowed view of a DynamicValue. Both lengths 0 means "null of the schema type". */
typedef struct tfp__rpc_dynamic {
    const uint8_t *msgpack;
    size_t msgpack_len;
    const uint8_t *json;
    size_t json_len;
} tfp__rpc_dynamic;

/** Kinds of attribute path step, numbered like the protobuf oneof fields. */
enum tfp__rpc_step_kind {
    TFP__RPC_STEP_ATTR = 1,       /**< attribute_name */
    TFP__RPC_STEP_KEY_STRING = 2, /**< element_key_string */
    TFP__RPC_STEP_KEY_INT = 3     /**< element_key_int */
};

typedef struct tfp__rpc_step {
    int kind;   /**< enum tfp__rpc_step_kind */
    char *name; /**< ATTR or KEY_STRING, NUL-terminated, owned */
    int64_t index;
} tfp__rpc_step;

typedef struct tfp__rpc_path {
    tfp__rpc_step *steps; /**< owned */
    size_t nsteps;
} tfp__rpc_path;

typedef struct tfp__rpc_diag {
    int severity;  /**< 1 = error, 2 = warning (the protobuf enum values) */
    char *summary; /**< owned, never NULL */
    char *detail;  /**< owned, may be NULL */
    int has_path;  /**< 1 when path is meaningful */
    tfp__rpc_path path;
} tfp__rpc_diag;

/**
 * The response of any RPC. Which fields are meaningful depends on the call:
 *  - value: planned_state, new_state, upgraded_state, state, prepared_config (v5) or the
 *    imported state; msgpack bytes owned by the result. has_value = 0 means "null / absent".
 *  - priv: private / planned_private bytes (owned). has_priv = 0 means none.
 *  - requires_replace: PlanResourceChange only.
 *  - type_name: ImportResourceState only (the ImportedResource.type_name, owned).
 */
typedef struct tfp__rpc_result {
    tfp__rpc_diag *diags;
    size_t ndiags;
    int has_value;
    uint8_t *value;
    size_t value_len;
    int has_priv;
    uint8_t *priv;
    size_t priv_len;
    tfp__rpc_path *requires_replace;
    size_t nrequires_replace;
    char *type_name;
} tfp__rpc_result;

/** Releases everything a result owns and zeroes it. Safe on a zeroed result. */
void tfp__rpc_result_dispose(tfp__rpc_result *r);

/* --- Schema access for GetProviderSchema / GetSchema --------------------------------------
 * The server walks the provider's schemas with the public tfp_schema_* accessors
 * (include/tfp/schema.h) and these iterators. Both return borrowed pointers valid for the
 * provider's lifetime. */
size_t tfp__rpc_resource_count(const tfp_provider *p);
size_t tfp__rpc_data_source_count(const tfp_provider *p);
/** i-th resource type (sorted by name): its name and schema. Returns -1 if out of range. */
int tfp__rpc_resource_at(const tfp_provider *p,
                         size_t i,
                         const char **name_out,
                         const tfp_schema **schema_out);
int tfp__rpc_data_source_at(const tfp_provider *p,
                            size_t i,
                            const char **name_out,
                            const tfp_schema **schema_out);
/** 1 when some resource type accepts moves (the move_resource_state server capability). */
int tfp__rpc_moves_supported(const tfp_provider *p);
/** The provider configuration schema (never NULL: an empty block when none was set). */
const tfp_schema *tfp__rpc_provider_schema(const tfp_provider *p);

/* --- RPCs --------------------------------------------------------------------------------- */

/** ValidateProviderConfig (v6) / PrepareProviderConfig (v5: value = config echoed back). */
int tfp__rpc_validate_provider_config(tfp_provider *p,
                                      const tfp__rpc_dynamic *config,
                                      tfp__rpc_result *out);
/** ConfigureProvider / Configure. */
int tfp__rpc_configure(tfp_provider *p,
                       const char *terraform_version,
                       const tfp__rpc_dynamic *config,
                       tfp__rpc_result *out);
/** ValidateResourceConfig / ValidateResourceTypeConfig. */
int tfp__rpc_validate_resource(tfp_provider *p,
                               const char *type_name,
                               const tfp__rpc_dynamic *config,
                               tfp__rpc_result *out);
/** ValidateDataResourceConfig / ValidateDataSourceConfig. */
int tfp__rpc_validate_data_source(tfp_provider *p,
                                  const char *type_name,
                                  const tfp__rpc_dynamic *config,
                                  tfp__rpc_result *out);
/** UpgradeResourceState: raw_json is RawState.json (may be pretty-printed). */
int tfp__rpc_upgrade_state(tfp_provider *p,
                           const char *type_name,
                           int64_t version,
                           const uint8_t *raw_json,
                           size_t raw_json_len,
                           tfp__rpc_result *out);
/** ReadResource. The result's priv must be echoed (the core copies the input when the
 *  resource does not set a new one). */
int tfp__rpc_read_resource(tfp_provider *p,
                           const char *type_name,
                           const tfp__rpc_dynamic *current_state,
                           const uint8_t *priv,
                           size_t priv_len,
                           tfp__rpc_result *out);
/** PlanResourceChange. */
int tfp__rpc_plan(tfp_provider *p,
                  const char *type_name,
                  const tfp__rpc_dynamic *prior_state,
                  const tfp__rpc_dynamic *proposed_new_state,
                  const tfp__rpc_dynamic *config,
                  const uint8_t *prior_private,
                  size_t prior_private_len,
                  tfp__rpc_result *out);
/** ApplyResourceChange. */
int tfp__rpc_apply(tfp_provider *p,
                   const char *type_name,
                   const tfp__rpc_dynamic *prior_state,
                   const tfp__rpc_dynamic *planned_state,
                   const tfp__rpc_dynamic *config,
                   const uint8_t *planned_private,
                   size_t planned_private_len,
                   tfp__rpc_result *out);
/** ImportResourceState: on success out->type_name and out->value hold the one import. */
int tfp__rpc_import(tfp_provider *p, const char *type_name, const char *id, tfp__rpc_result *out);
/** MoveResourceState: converts the source's raw JSON state into @p target_type's state (out->
 *  value) when the target accepts that source (tfp_resource_accept_move); refuses it with an
 *  error diagnostic otherwise. */
int tfp__rpc_move_state(tfp_provider *p,
                        const char *source_provider,
                        const char *source_type,
                        int64_t source_version,
                        const uint8_t *raw_json,
                        size_t raw_json_len,
                        const uint8_t *source_private,
                        size_t source_private_len,
                        const char *target_type,
                        tfp__rpc_result *out);
/** ReadDataSource. */
int tfp__rpc_read_data_source(tfp_provider *p,
                              const char *type_name,
                              const tfp__rpc_dynamic *config,
                              tfp__rpc_result *out);
/** StopProvider / Stop: cancels waits in progress (every tfp_call sees it as stopped).
 *  Returns at once; never blocks on in-flight calls. */
void tfp__rpc_stop(tfp_provider *p);

#ifdef __cplusplus
}
#endif

#endif
