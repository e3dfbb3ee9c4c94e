/*
 * provider/resources/dispatch.c - registration of the types, the handler trampoline, and the
 * per-thread "current call" that the VPCEP client's cancellation hook reads.
 *
 * Design: the client is created once per ConfigureProvider and shared by every handler
 * thread. Its cancellation hook (vpcep_client_options.cancelled) cannot carry a per-call
 * argument, so each handler runs through one trampoline that records its tfp_call in a
 * thread-local for the duration of the handler. The client calls the hook on the calling
 * thread (vpcep/client.h: "Polled before every request, during transfers and while
 * sleeping"), so the hook sees exactly the call that issued the request and reports
 * tfp_call_stopped() of that call: StopProvider cancels every wait in progress.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static _Thread_local const tfp_call *current_call;

const tfp_call *tfpv_current_call(void)
{
    return current_call;
}

void tfpv_set_current_call(const tfp_call *call)
{
    current_call = call;
}

int tfpv_cancelled_hook(void *ud)
{
    (void)ud;
    return current_call != NULL && tfp_call_stopped(current_call);
}

static tfp_handler_fn handler_for(const tfpv_handlers *h, tfp_op op)
{
    switch (op) {
    case TFP_OP_VALIDATE:
        return h->validate;
    case TFP_OP_UPGRADE:
        return h->upgrade;
    case TFP_OP_READ:
        return h->read;
    case TFP_OP_PLAN:
        return h->plan;
    case TFP_OP_APPLY:
        return h->apply;
    case TFP_OP_IMPORT:
        return h->import;
    case TFP_OP_READ_DATA:
        return h->read_data;
    default:
        return NULL;
    }
}

static int trampoline(tfp_call *call)
{
    const tfpv_handlers *h = tfp_call_payload(call);
    const tfp_call *saved = current_call;
    tfp_handler_fn fn;
    int rc;
    if (h == NULL) {
        return TFP_EINVALID;
    }
    fn = handler_for(h, tfp_call_op(call));
    if (fn == NULL) {
        return TFP_EUNSUPPORTED;
    }
    current_call = call;
    rc = fn(call);
    current_call = saved;
    return rc;
}

int tfpv_register_type(
    tfp_provider *p, const char *name, tfp_schema *schema, const tfpv_handlers *h, int is_data)
{
    static const tfp_op ops[] = {TFP_OP_VALIDATE, TFP_OP_UPGRADE, TFP_OP_READ,     TFP_OP_PLAN,
                                 TFP_OP_APPLY,    TFP_OP_IMPORT,  TFP_OP_READ_DATA};
    tfp_resource *r = NULL;
    int rc = tfp_resource_new(&r, name, schema);
    if (rc != 0) {
        goto done;
    }
    tfp_resource_set_payload(r, (void *)h);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (handler_for(h, ops[i]) != NULL) {
            rc = tfp_resource_set_handler(r, ops[i], trampoline);
            if (rc != 0) {
                goto done;
            }
        }
    }
    rc = is_data ? tfp_provider_add_data_source(p, r) : tfp_provider_add_resource(p, r);
    r = NULL; /* stolen */
done:
    tfp_resource_free(r);
    return rc;
}

int tfpv_upgrade_v0(tfp_call *call)
{
    const tfp_schema *schema = tfp_call_schema(call);
    int64_t version = tfp_call_state_version(call);
    size_t len = 0;
    const char *raw = tfp_call_raw_state(call, &len);
    tfp_value *v = NULL;
    char *err = NULL;
    int rc = 0;

    switch (version) {
    case 0:
        /* Version 0 is the current schema: decode as is. A later schema version adds a case
         * that decodes with the old type and reshapes into the new one. */
        rc = tfp_value_from_json(&v, tfp_schema_type(schema), raw != NULL ? raw : "null",
                                 raw != NULL ? len : 4, &err);
        if (rc != 0) {
            tfp_diags_error(tfp_call_diags(call), NULL, "Stored state cannot be decoded",
                            "The state of this %s (schema version 0) is not valid: %s",
                            tfp_call_type_name(call), err != NULL ? err : tfp_strerror(rc));
            goto done;
        }
        break;
    default:
        rc = TFP_EINVALID;
        tfp_diags_error(tfp_call_diags(call), NULL, "Unsupported state version",
                        "The state of this %s was written with schema version %lld, which this "
                        "provider version does not know.",
                        tfp_call_type_name(call), (long long)version);
        goto done;
    }
    rc = tfp_call_set_result(call, v);
    v = NULL;
done:
    tfp_value_free(v);
    tfp_free(err);
    return rc;
}

int tfpv_add_attr(
    tfp_block *b, const char *name, const tfp_type *t, unsigned flags, const char *desc)
{
    return tfp_block_add_attribute(b, name, t, flags, desc);
}

int tfpv_add_timeouts(tfp_block *b, const char *const *ops)
{
    tfp_block *tb = NULL;
    int rc = tfp_block_add_block(&tb, b, "timeouts", TFP_NESTING_SINGLE, 0, 0);
    if (rc == 0) {
        rc = tfp_block_set_description(tb, "Operation timeouts as durations (\"30s\", "
                                           "\"10m\", \"1h\"); 10 minutes when not set.");
    }
    for (size_t i = 0; rc == 0 && ops[i] != NULL; i++) {
        rc = tfp_block_add_attribute(tb, ops[i], tfp_type_string(), TFP_ATTR_OPTIONAL, NULL);
    }
    return rc;
}

int tfpv_add_connections_attr(tfp_block *b)
{
    static const char *const names[] = {"endpoint_id", "marker_id", "domain_id", "status"};
    const tfp_type *types[4];
    tfp_type *obj = NULL, *list = NULL;
    int rc;
    types[0] = tfp_type_string();
    types[1] = tfp_type_number();
    types[2] = tfp_type_string();
    types[3] = tfp_type_string();
    rc = tfp_type_object_new(&obj, 4, names, types);
    if (rc == 0) {
        rc = tfp_type_list_new(&list, obj);
    }
    if (rc == 0) {
        rc = tfp_block_add_attribute(b, "connections", list, TFP_ATTR_COMPUTED,
                                     "Endpoints connected to the service: endpoint_id, "
                                     "marker_id, domain_id (the consumer account), status.");
    }
    tfp_type_free(list);
    tfp_type_free(obj);
    return rc;
}

int tfpv_import_stub(tfp_call *call, const char *usage, tfp_value **out)
{
    const char *id = tfp_call_import_id(call);
    tfp_value *st = NULL;
    int rc;

    *out = NULL;
    if (id == NULL || id[0] == '\0') {
        tfp_diags_error(tfp_call_diags(call), NULL, "Invalid import ID", "%s", usage);
        return 0;
    }
    rc = tfp_value_new_object(&st, tfp_schema_type(tfp_call_schema(call)));
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", id);
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

int tfpv_import_finish(tfp_call *call, tfp_value *stub, int rc)
{
    if (rc != 0) {
        tfp_value_free(stub);
        return rc;
    }
    return tfp_call_set_result(call, stub);
}
