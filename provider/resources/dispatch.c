/*
 * provider/resources/dispatch.c - registration of the types and the handler trampoline that
 * makes each handler's call the thread's current call (current_call.c) while it runs.
 */
#include "internal.h"

#include <stddef.h>

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
    case TFP_OP_MOVE:
        return h->move;
    default:
        return NULL;
    }
}

static int trampoline(tfp_call *call)
{
    const tfpv_handlers *h = tfp_call_payload(call);
    const tfp_call *saved = tfpv_current_call();
    tfp_handler_fn fn;
    int rc;
    if (h == NULL) {
        return TFP_EINVALID;
    }
    fn = handler_for(h, tfp_call_op(call));
    if (fn == NULL) {
        return TFP_EUNSUPPORTED;
    }
    tfpv_set_current_call(call);
    rc = fn(call);
    tfpv_set_current_call(saved);
    return rc;
}

int tfpv_register(tfp_provider *p,
                  const char *name,
                  int (*schema_fn)(tfp_schema **out),
                  const tfpv_handlers *h,
                  int is_data)
{
    tfp_schema *s = NULL;
    int rc = schema_fn(&s);
    if (rc != 0) {
        return rc;
    }
    return tfpv_register_type(p, name, s, h, is_data);
}

int tfpv_register_type(
    tfp_provider *p, const char *name, tfp_schema *schema, const tfpv_handlers *h, int is_data)
{
    static const tfp_op ops[] = {TFP_OP_VALIDATE, TFP_OP_UPGRADE, TFP_OP_READ,      TFP_OP_PLAN,
                                 TFP_OP_APPLY,    TFP_OP_IMPORT,  TFP_OP_READ_DATA, TFP_OP_MOVE};
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
    for (size_t i = 0; h->move_sources != NULL && h->move_sources[i] != NULL; i += 2) {
        rc = tfp_resource_accept_move(r, h->move_sources[i], h->move_sources[i + 1]);
        if (rc != 0) {
            goto done;
        }
    }
    rc = is_data ? tfp_provider_add_data_source(p, r) : tfp_provider_add_resource(p, r);
    r = NULL; /* stolen */
done:
    tfp_resource_free(r);
    return rc;
}
