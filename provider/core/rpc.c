/* The protocol-neutral RPC layer (rpc.h): decode inputs with the schema type, run the handler
 * (or the documented default) through a tfp_call, check and encode the result. */
#include "rpc.h"

#include "core.h"

#include <string.h>

/* Result checks. */
#define CHECK_KNOWN 1u   /* the result must be wholly known */
#define CHECK_NONNULL 2u /* a null result without errors is an error */
#define CHECK_NULL 4u    /* the result must be null (destroy) */

void tfp__rpc_result_dispose(tfp__rpc_result *r)
{
    size_t i;
    size_t j;
    if (r == NULL) {
        return;
    }
    for (i = 0; i < r->ndiags; i++) {
        util_free(r->diags[i].summary);
        util_free(r->diags[i].detail);
        for (j = 0; j < r->diags[i].path.nsteps; j++) {
            util_free(r->diags[i].path.steps[j].name);
        }
        util_free(r->diags[i].path.steps);
    }
    util_free(r->diags);
    util_free(r->value);
    util_free(r->priv);
    for (i = 0; i < r->nrequires_replace; i++) {
        for (j = 0; j < r->requires_replace[i].nsteps; j++) {
            util_free(r->requires_replace[i].steps[j].name);
        }
        util_free(r->requires_replace[i].steps);
    }
    util_free(r->requires_replace);
    util_free(r->type_name);
    memset(r, 0, sizeof(*r));
}

static int path_to_rpc(tfp__rpc_path *out, const tfp_path *p)
{
    size_t i;
    memset(out, 0, sizeof(*out));
    if (p == NULL || p->n == 0) {
        return 0;
    }
    out->steps = util_calloc(p->n, sizeof(*out->steps));
    if (out->steps == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < p->n; i++) {
        out->steps[i].kind = p->steps[i].kind;
        out->steps[i].index = p->steps[i].index;
        out->nsteps = i + 1;
        if (p->steps[i].name != NULL) {
            out->steps[i].name = util_strdup(p->steps[i].name);
            if (out->steps[i].name == NULL) {
                return TFP_ENOMEM;
            }
        }
    }
    return 0;
}

static int diags_to_rpc(tfp__rpc_result *out, const tfp_diags *d)
{
    size_t i;
    int error;
    if (d == NULL || d->n == 0) {
        return 0;
    }
    out->diags = util_calloc(d->n, sizeof(*out->diags));
    if (out->diags == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < d->n; i++) {
        tfp__rpc_diag *rd = &out->diags[i];
        out->ndiags = i + 1;
        rd->severity = (int)d->items[i].severity;
        rd->summary = util_strdup(d->items[i].summary);
        if (rd->summary == NULL) {
            return TFP_ENOMEM;
        }
        if (d->items[i].detail != NULL) {
            rd->detail = util_strdup(d->items[i].detail);
            if (rd->detail == NULL) {
                return TFP_ENOMEM;
            }
        }
        if (d->items[i].path != NULL && d->items[i].path->n > 0) {
            rd->has_path = 1;
            error = path_to_rpc(&rd->path, d->items[i].path);
            if (error) {
                return error;
            }
        }
    }
    return 0;
}

/* Decodes a DynamicValue as @p t. @return 0 (decoded), 1 (an error diagnostic was added),
 * or a negative code (out of memory). */
static int decode_dynamic(tfp_diags *diags,
                          const char *what,
                          const tfp_type *t,
                          const tfp__rpc_dynamic *dv,
                          tfp_value **out)
{
    char *err = NULL;
    int error;
    *out = NULL;
    if (t == NULL) {
        return TFP_ENOMEM;
    }
    if (dv == NULL || (dv->msgpack_len == 0 && dv->json_len == 0)) {
        return tfp_value_new_null(out, t);
    }
    if (dv->msgpack_len > 0) {
        error = tfp_value_from_msgpack(out, t, dv->msgpack, dv->msgpack_len, &err);
    } else {
        error = tfp_value_from_json(out, t, (const char *)dv->json, dv->json_len, &err);
    }
    if (error == TFP_ENOMEM) {
        util_free(err);
        return error;
    }
    if (error) {
        char *summary = util_asprintf("Invalid %s value", what);
        int rc = summary == NULL ? TFP_ENOMEM
                                 : tfp_diags_add(diags, TFP_SEVERITY_ERROR, NULL, summary,
                                                 "The %s value could not be decoded (%s): %s", what,
                                                 dv->msgpack_len > 0 ? "msgpack" : "JSON",
                                                 err != NULL ? err : tfp_strerror(error));
        util_free(summary);
        util_free(err);
        return rc != 0 ? rc : 1;
    }
    return 0;
}

/* ----- default handlers ----- */

static int mark_computed_unknown(tfp_value *obj, const tfp_block *b, int depth);

static int mark_nested(tfp_value *v, const struct tfp__nested *nb, int depth)
{
    size_t i;
    int error = 0;
    if (v == NULL || v->state != TFP__KNOWN) {
        return 0;
    }
    switch (nb->nesting) {
    case TFP_NESTING_SINGLE:
    case TFP_NESTING_GROUP:
        return mark_computed_unknown(v, nb->block, depth + 1);
    case TFP_NESTING_LIST:
    case TFP_NESTING_SET:
    case TFP_NESTING_MAP:
        if (v->type->kind == TFP_KIND_LIST || v->type->kind == TFP_KIND_SET ||
            v->type->kind == TFP_KIND_MAP) {
            for (i = 0; i < v->n && error == 0; i++) {
                error = mark_computed_unknown(v->items[i], nb->block, depth + 1);
            }
        }
        return error;
    default:
        return 0;
    }
}

static int mark_computed_unknown(tfp_value *obj, const tfp_block *b, int depth)
{
    size_t i;
    int error = 0;
    if (obj == NULL || obj->state != TFP__KNOWN || obj->type->kind != TFP_KIND_OBJECT ||
        depth > TFP__MAX_DEPTH) {
        return 0;
    }
    for (i = 0; i < b->nattrs && error == 0; i++) {
        long at;
        if (!(b->attrs[i].flags & TFP_ATTR_COMPUTED)) {
            continue;
        }
        at = tfp__type_attr_index(obj->type, b->attrs[i].name);
        if (at < 0 || obj->items[at]->state != TFP__NULL) {
            continue;
        }
        error = tfp_value_set_attr_unknown(obj, b->attrs[i].name);
    }
    for (i = 0; i < b->nblocks && error == 0; i++) {
        long at = tfp__type_attr_index(obj->type, b->blocks[i].type_name);
        if (at >= 0) {
            error = mark_nested(obj->items[at], &b->blocks[i], depth);
        }
    }
    return error;
}

static int default_plan(tfp_call *call)
{
    tfp_value *planned = NULL;
    int error;
    if (call->proposed == NULL || tfp_value_is_null(call->proposed)) {
        return tfp_call_set_result(call, NULL);
    }
    error = tfp_value_copy(&planned, call->proposed);
    if (error) {
        return error;
    }
    if (tfp_value_is_null(call->prior)) {
        error = mark_computed_unknown(planned, tfp_schema_root_const(call->schema), 0);
        if (error) {
            tfp_value_free(planned);
            return error;
        }
    }
    return tfp_call_set_result(call, planned);
}

static int default_read(tfp_call *call)
{
    tfp_value *copy = NULL;
    int error;
    if (call->prior == NULL) {
        return tfp_call_set_result(call, NULL);
    }
    error = tfp_value_copy(&copy, call->prior);
    if (error) {
        return error;
    }
    return tfp_call_set_result(call, copy);
}

static int default_upgrade(tfp_call *call)
{
    tfp_value *v = NULL;
    char *err = NULL;
    int error;
    int64_t current = tfp_schema_version(call->schema);

    if (call->state_version != current) {
        tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, NULL, "Unable to upgrade resource state",
                      "The state of %s was written with schema version %lld, the current schema "
                      "version is %lld, and the resource type has no upgrade handler.",
                      call->type_name, (long long)call->state_version, (long long)current);
        return TFP_EUNSUPPORTED;
    }
    error = tfp_value_from_json(&v, tfp_schema_type(call->schema), call->raw_state,
                                call->raw_state_len, &err);
    if (error == TFP_ENOMEM) {
        util_free(err);
        return error;
    }
    if (error) {
        tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, NULL, "Invalid raw state",
                      "The stored state of %s could not be decoded: %s", call->type_name,
                      err != NULL ? err : tfp_strerror(error));
        util_free(err);
        return error;
    }
    return tfp_call_set_result(call, v);
}

/* MOVE without a handler: the source has this type's shape (a renamed type). */
static int default_move(tfp_call *call)
{
    tfp_value *v = NULL;
    char *err = NULL;
    int error = tfp_value_from_json(&v, tfp_schema_type(call->schema), call->raw_state,
                                    call->raw_state_len, &err);
    if (error == TFP_ENOMEM) {
        util_free(err);
        return error;
    }
    if (error) {
        tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, NULL, "Unable to move resource state",
                      "The state of %s (provider %s) does not fit the schema of %s: %s",
                      call->move_type, call->move_provider, call->type_name,
                      err != NULL ? err : tfp_strerror(error));
        util_free(err);
        return error;
    }
    return tfp_call_set_result(call, v);
}

static int default_unsupported(tfp_call *call)
{
    const char *what = call->op == TFP_OP_IMPORT  ? "import"
                       : call->op == TFP_OP_APPLY ? "apply"
                                                  : "read";
    tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, NULL, "Operation not supported",
                  "The type %s does not support %s.", call->type_name, what);
    return TFP_EUNSUPPORTED;
}

static int default_accept(tfp_call *call)
{
    (void)call;
    return 0;
}

/* ----- running a call ----- */

static const char *op_name(tfp_op op)
{
    switch (op) {
    case TFP_OP_VALIDATE:
        return "validate";
    case TFP_OP_CONFIGURE:
        return "configure";
    case TFP_OP_UPGRADE:
        return "upgrade state";
    case TFP_OP_READ:
        return "read";
    case TFP_OP_PLAN:
        return "plan";
    case TFP_OP_APPLY:
        return "apply";
    case TFP_OP_IMPORT:
        return "import";
    case TFP_OP_READ_DATA:
        return "read data source";
    case TFP_OP_MOVE:
        return "move state";
    }
    return "call";
}

/* Runs @p fn (or @p dflt when NULL). A handler that does not set a result for PLAN, READ or
 * UPGRADE gets the default result. @return 0 or TFP_ENOMEM. */
static int run_handler(tfp_call *call, tfp_handler_fn fn, tfp_handler_fn dflt)
{
    int rc = fn != NULL ? fn(call) : dflt(call);
    if (rc == TFP_ENOMEM && !tfp_diags_has_errors(call->diags)) {
        return TFP_ENOMEM;
    }
    if (rc != 0 && !tfp_diags_has_errors(call->diags)) {
        if (tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, NULL, "Provider error",
                          "The %s handler of %s failed: %s.", op_name(call->op),
                          call->type_name != NULL ? call->type_name : "the provider",
                          tfp_strerror(rc)) != 0) {
            return TFP_ENOMEM;
        }
    }
    if (fn != NULL && !call->result_set && !tfp_diags_has_errors(call->diags) &&
        (call->op == TFP_OP_PLAN || call->op == TFP_OP_READ || call->op == TFP_OP_UPGRADE)) {
        rc = dflt(call);
        if (rc == TFP_ENOMEM) {
            return rc;
        }
    }
    return 0;
}

/* Checks the call's result against @p t and @p checks and encodes it into @p out. */
static int
finish_value(tfp_call *call, const tfp_type *t, unsigned int checks, tfp__rpc_result *out)
{
    tfp_path *path = NULL;
    char *where = NULL;
    void *bytes = NULL;
    size_t len = 0;
    int error = 0;
    const tfp_value *v = call->result;
    int has_errors = tfp_diags_has_errors(call->diags);

    if (t == NULL) {
        return TFP_ENOMEM;
    }
    if (v == NULL || tfp_value_is_null(v)) {
        if ((checks & CHECK_NONNULL) && !has_errors) {
            error = tfp_diags_add(
                call->diags, TFP_SEVERITY_ERROR, NULL, "Provider returned no object",
                "The %s handler of %s returned a null object.", op_name(call->op), call->type_name);
        }
        goto done;
    }
    if (checks & CHECK_NULL) {
        error = tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, NULL,
                              "Provider returned an object for a destroy",
                              "The %s handler of %s must return null when the object is "
                              "destroyed.",
                              op_name(call->op), call->type_name);
        goto done;
    }
    error = tfp_path_new(&path);
    if (error) {
        goto done;
    }
    if (tfp__value_conforms(v, t, path) != 0) {
        (void)tfp_path_to_string(&where, path);
        error = tfp_diags_add(
            call->diags, TFP_SEVERITY_ERROR, NULL, "Provider produced an invalid object",
            "The %s result of %s does not conform to the schema%s%s.", op_name(call->op),
            call->type_name != NULL ? call->type_name : "the provider",
            (where != NULL && where[0] != '\0') ? " at " : "", where != NULL ? where : "");
        goto done;
    }
    tfp_path_free(path);
    path = NULL;
    if (checks & CHECK_KNOWN) {
        error = tfp_path_new(&path);
        if (error) {
            goto done;
        }
        if (tfp__value_find_unknown(v, path)) {
            error = tfp_diags_add(call->diags, TFP_SEVERITY_ERROR, path,
                                  "Provider returned an unknown value",
                                  "The %s result of %s must be wholly known.", op_name(call->op),
                                  call->type_name != NULL ? call->type_name : "the provider");
            goto done;
        }
    }
    error = tfp__value_to_msgpack_as(&bytes, &len, v, t);
    if (error == TFP_EINVALID || error == TFP_ETOOLARGE) {
        error = tfp_diags_add(
            call->diags, TFP_SEVERITY_ERROR, NULL, "Provider produced an invalid object",
            "The %s result of %s could not be encoded: %s.", op_name(call->op),
            call->type_name != NULL ? call->type_name : "the provider", tfp_strerror(error));
        goto done;
    }
    if (error) {
        goto done;
    }
    out->value = bytes;
    out->value_len = len;
    out->has_value = 1;
done:
    util_free(where);
    tfp_path_free(path);
    return error == TFP_ENOMEM ? TFP_ENOMEM : 0;
}

static int set_priv(tfp__rpc_result *out, const void *data, size_t len)
{
    if (len == 0) {
        return 0;
    }
    out->priv = util_memdup(data, len);
    if (out->priv == NULL) {
        return TFP_ENOMEM;
    }
    out->priv_len = len;
    out->has_priv = 1;
    return 0;
}

static int finish_replace(tfp_call *call, tfp__rpc_result *out)
{
    size_t i;
    int error;
    if (call->nreplace == 0) {
        return 0;
    }
    out->requires_replace = util_calloc(call->nreplace, sizeof(*out->requires_replace));
    if (out->requires_replace == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; i < call->nreplace; i++) {
        out->nrequires_replace = i + 1;
        error = path_to_rpc(&out->requires_replace[i], call->replace[i]);
        if (error) {
            return error;
        }
    }
    return 0;
}

static tfp_resource *find_type(tfp_resource **list, size_t n, const char *name)
{
    size_t lo = 0;
    size_t hi = n;
    if (name == NULL) {
        return NULL;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(list[mid]->type_name, name);
        if (c == 0) {
            return list[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* Per-RPC state shared by the entry points. */
typedef struct rpc_ctx {
    tfp_call call;
    tfp_diags *diags;
    tfp_value *in[3];
    tfp_resource *r;
} rpc_ctx;

/* Sets up @p ctx. @return 0 (ready), 1 (error diagnostic added), or a negative code. */
static int rpc_begin(rpc_ctx *ctx,
                     tfp_provider *p,
                     tfp_op op,
                     const char *type_name,
                     int data_source,
                     tfp__rpc_result *out)
{
    memset(ctx, 0, sizeof(*ctx));
    if (out == NULL) {
        return TFP_EINVALID;
    }
    memset(out, 0, sizeof(*out));
    if (type_name != NULL) {
        tfp__log_rpc_type(type_name, data_source);
    }
    tfp_log(TFP_LOG_TRACE, "tfp", "rpc %s%s%s", op_name(op), type_name != NULL ? " " : "",
            type_name != NULL ? type_name : "");
    if (tfp_diags_new(&ctx->diags) != 0) {
        return TFP_ENOMEM;
    }
    tfp__call_init(&ctx->call, p, op);
    ctx->call.diags = ctx->diags;
    if (p == NULL) {
        return TFP_EINVALID;
    }
    if (type_name == NULL) {
        ctx->call.schema = p->schema;
        ctx->call.payload = p->payload;
        return 0;
    }
    ctx->r = data_source ? find_type(p->data_sources, p->ndata_sources, type_name)
                         : find_type(p->resources, p->nresources, type_name);
    if (ctx->r == NULL) {
        if (tfp_diags_add(ctx->diags, TFP_SEVERITY_ERROR, NULL,
                          data_source ? "Unknown data source type" : "Unknown resource type",
                          "The provider %s has no %s type named \"%s\".", p->name,
                          data_source ? "data source" : "resource", type_name) != 0) {
            return TFP_ENOMEM;
        }
        return 1;
    }
    ctx->call.type_name = ctx->r->type_name;
    ctx->call.schema = ctx->r->schema;
    ctx->call.payload = ctx->r->payload;
    return 0;
}

/* Finishes: diagnostics into @p out, releases @p ctx. Maps internal failures. */
static int rpc_end(rpc_ctx *ctx, int error, tfp__rpc_result *out)
{
    size_t i;
    for (i = 0; ctx->diags != NULL && i < ctx->diags->n; i++) {
        tfp_log(TFP_LOG_DEBUG, "tfp", "rpc %s%s%s: %s: %s", op_name(ctx->call.op),
                ctx->call.type_name != NULL ? " " : "",
                ctx->call.type_name != NULL ? ctx->call.type_name : "",
                ctx->diags->items[i].severity == TFP_SEVERITY_ERROR ? "error" : "warning",
                ctx->diags->items[i].summary);
    }
    if (error < 0) {
        tfp_log(TFP_LOG_ERROR, "tfp", "rpc %s failed: %s", op_name(ctx->call.op),
                tfp_strerror(error));
    }
    if (error >= 0) {
        error = diags_to_rpc(out, ctx->diags);
    }
    for (i = 0; i < 3; i++) {
        tfp_value_free(ctx->in[i]);
    }
    tfp__call_dispose(&ctx->call);
    tfp_diags_free(ctx->diags);
    if (error < 0) {
        tfp__rpc_result_dispose(out);
        return error;
    }
    return 0;
}

/* Decodes input @p i. @return 0, 1 (diagnostic), negative. */
static int rpc_decode(rpc_ctx *ctx, int i, const char *what, const tfp__rpc_dynamic *dv)
{
    return decode_dynamic(ctx->diags, what, tfp_schema_type(ctx->call.schema), dv, &ctx->in[i]);
}

/* Decodes the configuration as input @p i and refuses it when a string in it holds a NUL
 * (U+0000). Handlers read strings as C strings (tfp_value_string), so such a string would be
 * cut short without anyone noticing: "a\u0000b" would reach the API as "a" and the state as
 * "a\u0000b". The codecs still accept NUL, so that a state that already holds one can be
 * read, planned against and destroyed. @return 0, 1 (diagnostic), negative. */
static int rpc_decode_config(rpc_ctx *ctx, int i, const tfp__rpc_dynamic *dv)
{
    tfp_path *path = NULL;
    char *where = NULL;
    int error = rpc_decode(ctx, i, "config", dv);
    if (error != 0) {
        return error;
    }
    error = tfp_path_new(&path);
    if (error) {
        return error;
    }
    if (tfp__value_find_nul(ctx->in[i], path)) {
        error = tfp_path_to_string(&where, path);
        if (error == 0) {
            error =
                tfp_diags_add(ctx->diags, TFP_SEVERITY_ERROR, path, "Invalid character in string",
                              "The value of %s contains a NUL character (U+0000, written "
                              "\"\\u0000\" in HCL). The provider cannot pass it on: "
                              "everything after it would be lost. Remove the character.",
                              where[0] != '\0' ? where : "the configuration");
        }
        error = error != 0 ? error : 1;
    }
    util_free(where);
    tfp_path_free(path);
    return error;
}

int tfp__rpc_validate_provider_config(tfp_provider *p,
                                      const tfp__rpc_dynamic *config,
                                      tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_VALIDATE, NULL, 0, out);
    if (error == 0) {
        error = rpc_decode_config(&ctx, 0, config);
    }
    if (error == 0) {
        ctx.call.config = ctx.in[0];
        error = run_handler(&ctx.call, p->validate, default_accept);
    }
    if (error == 0 && ctx.in[0] != NULL) {
        /* v5 PrepareProviderConfig: the prepared config is the config echoed back */
        ctx.call.result = ctx.in[0];
        ctx.in[0] = NULL;
        ctx.call.result_set = 1;
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema), 0, out);
    }
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_configure(tfp_provider *p,
                       const char *terraform_version,
                       const tfp__rpc_dynamic *config,
                       tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_CONFIGURE, NULL, 0, out);
    if (error == 0) {
        error = rpc_decode_config(&ctx, 0, config);
    }
    if (error == 0) {
        ctx.call.config = ctx.in[0];
        ctx.call.tf_version = terraform_version;
        error = run_handler(&ctx.call, p->configure, default_accept);
    }
    return rpc_end(&ctx, error, out);
}

static int validate_type(tfp_provider *p,
                         const char *type_name,
                         int data_source,
                         const tfp__rpc_dynamic *config,
                         tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_VALIDATE, type_name, data_source, out);
    if (error == 0) {
        error = rpc_decode_config(&ctx, 0, config);
    }
    if (error == 0) {
        ctx.call.config = ctx.in[0];
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_VALIDATE], default_accept);
    }
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_validate_resource(tfp_provider *p,
                               const char *type_name,
                               const tfp__rpc_dynamic *config,
                               tfp__rpc_result *out)
{
    return validate_type(p, type_name, 0, config, out);
}

int tfp__rpc_validate_data_source(tfp_provider *p,
                                  const char *type_name,
                                  const tfp__rpc_dynamic *config,
                                  tfp__rpc_result *out)
{
    return validate_type(p, type_name, 1, config, out);
}

int tfp__rpc_upgrade_state(tfp_provider *p,
                           const char *type_name,
                           int64_t version,
                           const uint8_t *raw_json,
                           size_t raw_json_len,
                           tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_UPGRADE, type_name, 0, out);
    if (error == 0) {
        ctx.call.state_version = version;
        ctx.call.raw_state = raw_json != NULL ? (const char *)raw_json : "";
        ctx.call.raw_state_len = raw_json != NULL ? raw_json_len : 0;
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_UPGRADE], default_upgrade);
    }
    if (error == 0) {
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema), CHECK_KNOWN, out);
    }
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_read_resource(tfp_provider *p,
                           const char *type_name,
                           const tfp__rpc_dynamic *current_state,
                           const uint8_t *priv,
                           size_t priv_len,
                           tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_READ, type_name, 0, out);
    if (error == 0) {
        error = rpc_decode(&ctx, 0, "current_state", current_state);
    }
    if (error == 0) {
        ctx.call.prior = ctx.in[0];
        ctx.call.priv = priv;
        ctx.call.priv_len = priv != NULL ? priv_len : 0;
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_READ], default_read);
    }
    if (error == 0) {
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema), CHECK_KNOWN, out);
    }
    if (error == 0) {
        error = ctx.call.priv_out_set ? set_priv(out, ctx.call.priv_out, ctx.call.priv_out_len)
                                      : set_priv(out, ctx.call.priv, ctx.call.priv_len);
    }
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_plan(tfp_provider *p,
                  const char *type_name,
                  const tfp__rpc_dynamic *prior_state,
                  const tfp__rpc_dynamic *proposed_new_state,
                  const tfp__rpc_dynamic *config,
                  const uint8_t *prior_private,
                  size_t prior_private_len,
                  tfp__rpc_result *out)
{
    rpc_ctx ctx;
    unsigned int checks = 0;
    int error = rpc_begin(&ctx, p, TFP_OP_PLAN, type_name, 0, out);
    if (error == 0) {
        error = rpc_decode(&ctx, 0, "prior_state", prior_state);
    }
    if (error == 0) {
        error = rpc_decode(&ctx, 1, "proposed_new_state", proposed_new_state);
    }
    if (error == 0) {
        error = rpc_decode_config(&ctx, 2, config);
    }
    if (error == 0) {
        ctx.call.prior = ctx.in[0];
        ctx.call.proposed = ctx.in[1];
        ctx.call.config = ctx.in[2];
        ctx.call.priv = prior_private;
        ctx.call.priv_len = prior_private != NULL ? prior_private_len : 0;
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_PLAN], default_plan);
    }
    if (error == 0) {
        if (tfp_value_is_null(ctx.in[1])) {
            checks = CHECK_NULL;
        } else {
            checks = CHECK_NONNULL;
        }
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema), checks, out);
    }
    if (error == 0) {
        error = ctx.call.priv_out_set ? set_priv(out, ctx.call.priv_out, ctx.call.priv_out_len)
                                      : set_priv(out, ctx.call.priv, ctx.call.priv_len);
    }
    if (error == 0) {
        error = finish_replace(&ctx.call, out);
    }
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_apply(tfp_provider *p,
                   const char *type_name,
                   const tfp__rpc_dynamic *prior_state,
                   const tfp__rpc_dynamic *planned_state,
                   const tfp__rpc_dynamic *config,
                   const uint8_t *planned_private,
                   size_t planned_private_len,
                   tfp__rpc_result *out)
{
    rpc_ctx ctx;
    unsigned int checks = CHECK_KNOWN;
    int error = rpc_begin(&ctx, p, TFP_OP_APPLY, type_name, 0, out);
    if (error == 0) {
        error = rpc_decode(&ctx, 0, "prior_state", prior_state);
    }
    if (error == 0) {
        error = rpc_decode(&ctx, 1, "planned_state", planned_state);
    }
    if (error == 0) {
        error = rpc_decode_config(&ctx, 2, config);
    }
    if (error == 0) {
        ctx.call.prior = ctx.in[0];
        ctx.call.planned = ctx.in[1];
        ctx.call.config = ctx.in[2];
        ctx.call.priv = planned_private;
        ctx.call.priv_len = planned_private != NULL ? planned_private_len : 0;
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_APPLY], default_unsupported);
    }
    if (error == 0) {
        checks |= tfp_value_is_null(ctx.in[1]) ? CHECK_NULL : CHECK_NONNULL;
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema), checks, out);
    }
    if (error == 0) {
        error = ctx.call.priv_out_set ? set_priv(out, ctx.call.priv_out, ctx.call.priv_out_len)
                                      : set_priv(out, ctx.call.priv, ctx.call.priv_len);
    }
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_import(tfp_provider *p, const char *type_name, const char *id, tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_IMPORT, type_name, 0, out);
    if (error == 0) {
        ctx.call.import_id = id != NULL ? id : "";
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_IMPORT], default_unsupported);
    }
    if (error == 0) {
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema),
                             CHECK_KNOWN | CHECK_NONNULL, out);
    }
    if (error == 0 && ctx.call.priv_out_set) {
        error = set_priv(out, ctx.call.priv_out, ctx.call.priv_out_len);
    }
    if (error == 0 && out->has_value) {
        out->type_name = util_strdup(ctx.r->type_name);
        if (out->type_name == NULL) {
            error = TFP_ENOMEM;
        }
    }
    return rpc_end(&ctx, error, out);
}

/* The declared source matching @p provider / @p type, or NULL. */
static const struct tfp__move_source *
find_move_source(const tfp_resource *r, const char *provider, const char *type)
{
    size_t i;
    for (i = 0; i < r->nmoves; i++) {
        if (strcmp(r->moves[i].type, type) == 0 && strcmp(r->moves[i].provider, provider) == 0) {
            return &r->moves[i];
        }
    }
    return NULL;
}

/* @p s when it is 1..@p max printable ASCII characters (what type names and provider
 * addresses are), else @p placeholder: a name from the request is quoted in a diagnostic, which
 * must stay short and valid UTF-8. */
static const char *printable_or(const char *s, size_t max, const char *placeholder)
{
    size_t i;
    if (s == NULL || s[0] == '\0') {
        return placeholder;
    }
    for (i = 0; s[i] != '\0'; i++) {
        if (i >= max || (unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e) {
            return placeholder;
        }
    }
    return s;
}

/* The error for a move from a source @p r does not accept, listing the ones it does.
 * @return 1 (diagnostic added) or TFP_ENOMEM. */
static int refuse_move(rpc_ctx *ctx, const char *stype, const char *provider)
{
    util_buf accepted;
    size_t i;
    int error = 0;
    util_buf_init(&accepted, 65536);
    for (i = 0; i < ctx->r->nmoves && error == 0; i++) {
        error = util_buf_printf(&accepted, "%s%s (%s)", i > 0 ? ", " : "", ctx->r->moves[i].type,
                                ctx->r->moves[i].provider);
    }
    if (error == 0) {
        error = tfp_diags_add(ctx->diags, TFP_SEVERITY_ERROR, NULL, "Unsupported `moved` source",
                              "%s cannot take over resource type \"%s\" of provider \"%s\". "
                              "%s%s%s",
                              ctx->r->type_name, stype, provider,
                              ctx->r->nmoves > 0 ? "It accepts moves from: "
                                                 : "It accepts no moves from other types.",
                              util_buf_cstr(&accepted), ctx->r->nmoves > 0 ? "." : "");
    }
    util_buf_dispose(&accepted);
    return error != 0 ? TFP_ENOMEM : 1;
}

int tfp__rpc_move_state(tfp_provider *p,
                        const char *source_provider,
                        const char *source_type,
                        int64_t source_version,
                        const uint8_t *raw_json,
                        size_t raw_json_len,
                        const uint8_t *source_private,
                        size_t source_private_len,
                        const char *target_type,
                        tfp__rpc_result *out)
{
    rpc_ctx ctx;
    char *norm = NULL;
    const char *shown = printable_or(source_provider, 256, "(not a provider address)");
    const char *stype = printable_or(source_type, 128, "(not a type name)");
    int error = rpc_begin(&ctx, p, TFP_OP_MOVE, target_type, 0, out);
    if (error == 0) {
        error = tfp__provider_address_normalize(&norm, source_provider);
        if (error == TFP_EINVALID) {
            error = 0; /* an address we cannot parse matches no declared source */
        }
    }
    if (error == 0 && (norm == NULL || find_move_source(ctx.r, norm, stype) == NULL)) {
        error = refuse_move(&ctx, stype, shown);
    }
    if (error == 0) {
        ctx.call.move_provider = source_provider;
        ctx.call.move_type = source_type;
        ctx.call.state_version = source_version;
        ctx.call.raw_state = raw_json != NULL ? (const char *)raw_json : "";
        ctx.call.raw_state_len = raw_json != NULL ? raw_json_len : 0;
        ctx.call.priv = source_private;
        ctx.call.priv_len = source_private != NULL ? source_private_len : 0;
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_MOVE], default_move);
    }
    if (error == 0) {
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema),
                             CHECK_KNOWN | CHECK_NONNULL, out);
    }
    if (error == 0 && ctx.call.priv_out_set) {
        error = set_priv(out, ctx.call.priv_out, ctx.call.priv_out_len);
    }
    util_free(norm);
    return rpc_end(&ctx, error, out);
}

int tfp__rpc_read_data_source(tfp_provider *p,
                              const char *type_name,
                              const tfp__rpc_dynamic *config,
                              tfp__rpc_result *out)
{
    rpc_ctx ctx;
    int error = rpc_begin(&ctx, p, TFP_OP_READ_DATA, type_name, 1, out);
    if (error == 0) {
        error = rpc_decode_config(&ctx, 0, config);
    }
    if (error == 0) {
        ctx.call.config = ctx.in[0];
        error = run_handler(&ctx.call, ctx.r->handlers[TFP_OP_READ_DATA], default_unsupported);
    }
    if (error == 0) {
        error = finish_value(&ctx.call, tfp_schema_type(ctx.call.schema),
                             CHECK_KNOWN | CHECK_NONNULL, out);
    }
    return rpc_end(&ctx, error, out);
}

void tfp__rpc_stop(tfp_provider *p)
{
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->stopped = 1;
    pthread_cond_broadcast(&p->stop_cond);
    pthread_mutex_unlock(&p->lock);
}
