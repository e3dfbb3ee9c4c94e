/*
 * provider/server/dispatch_impl.h - the tfplugin5/tfplugin6 <-> tfp__rpc_* mapping, written
 * once. dispatch5.c and dispatch6.c include it with TFP_SRV_PROTO set to 5 or 6; the two
 * packages have identical field numbers for everything mapped here, but protobuf-c gives them
 * distinct C types, hence the token-pasting macros:
 *   PT(Name)  the C type            (Tfplugin6__Diagnostic)
 *   PF(name)  descriptors and init  (tfplugin6__diagnostic__descriptor)
 *   PE(NAME)  enum constants        (TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR)
 */
#ifndef TFP_SRV_PROTO
#    error "define TFP_SRV_PROTO to 5 or 6 before including dispatch_impl.h"
#endif

#include "../core/rpc.h"
#include "dispatch.h"

#include <grpc/status.h>
#include <protobuf-c/protobuf-c.h>

#include <stdlib.h>
#include <string.h>

#if TFP_SRV_PROTO == 5
#    include "tfplugin5.pb-c.h"
#    define PT(x) Tfplugin5__##x
#    define PF(x) tfplugin5__##x
#    define PE(x) TFPLUGIN5__##x
#    define SRV_LOOKUP tfp__srv5_lookup
#else
#    include "tfplugin6.pb-c.h"
#    define PT(x) Tfplugin6__##x
#    define PF(x) tfplugin6__##x
#    define PE(x) TFPLUGIN6__##x
#    define SRV_LOOKUP tfp__srv6_lookup
#endif

/* A whole null value on the wire: msgpack nil. */
static uint8_t srv_msgpack_nil[1] = {0xc0};

static void dyn_in(const PT(DynamicValue) * dv, tfp__rpc_dynamic *out)
{
    memset(out, 0, sizeof(*out));
    if (dv == NULL)
        return;
    out->msgpack = dv->msgpack.data;
    out->msgpack_len = dv->msgpack.data ? dv->msgpack.len : 0;
    out->json = dv->json.data;
    out->json_len = dv->json.data ? dv->json.len : 0;
}

/* A DynamicValue holding @p data (borrowed from the result, which outlives the packing), or
 * msgpack nil when there is no value. */
static PT(DynamicValue) * dyn_out(tfp__srv_arena *a, int has, const uint8_t *data, size_t len)
{
    PT(DynamicValue) *dv = tfp__srv_arena_alloc(a, sizeof(*dv));
    if (dv == NULL)
        return NULL;
    PF(dynamic_value__init)(dv);
    if (has && data != NULL && len > 0) {
        dv->msgpack.data = (uint8_t *)data;
        dv->msgpack.len = len;
    } else {
        dv->msgpack.data = srv_msgpack_nil;
        dv->msgpack.len = sizeof(srv_msgpack_nil);
    }
    return dv;
}

static PT(AttributePath) * path_out(tfp__srv_arena *a, const tfp__rpc_path *p)
{
    PT(AttributePath) *ap = tfp__srv_arena_alloc(a, sizeof(*ap));
    size_t i;

    if (ap == NULL)
        return NULL;
    PF(attribute_path__init)(ap);
    if (p->nsteps == 0)
        return ap;
    ap->steps = tfp__srv_arena_alloc(a, p->nsteps * sizeof(*ap->steps));
    if (ap->steps == NULL)
        return NULL;
    for (i = 0; i < p->nsteps; i++) {
        const tfp__rpc_step *s = &p->steps[i];
        PT(AttributePath__Step) *st = tfp__srv_arena_alloc(a, sizeof(*st));
        if (st == NULL)
            return NULL;
        PF(attribute_path__step__init)(st);
        switch (s->kind) {
        case TFP__RPC_STEP_ATTR:
            st->selector_case = PE(ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME);
            st->attribute_name = tfp__srv_arena_strdup(a, s->name);
            if (st->attribute_name == NULL)
                return NULL;
            break;
        case TFP__RPC_STEP_KEY_STRING:
            st->selector_case = PE(ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING);
            st->element_key_string = tfp__srv_arena_strdup(a, s->name);
            if (st->element_key_string == NULL)
                return NULL;
            break;
        default:
            st->selector_case = PE(ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT);
            st->element_key_int = s->index;
            break;
        }
        ap->steps[ap->n_steps++] = st;
    }
    return ap;
}

/* Converts the result's diagnostics. @return 0 or -1 (ENOMEM). */
static int
diags_out(tfp__srv_arena *a, const tfp__rpc_result *r, size_t *n_out, PT(Diagnostic) * **out)
{
    size_t i;

    *n_out = 0;
    *out = NULL;
    if (r->ndiags == 0)
        return 0;
    *out = tfp__srv_arena_alloc(a, r->ndiags * sizeof(**out));
    if (*out == NULL)
        return -1;
    for (i = 0; i < r->ndiags; i++) {
        const tfp__rpc_diag *d = &r->diags[i];
        PT(Diagnostic) *pd = tfp__srv_arena_alloc(a, sizeof(*pd));
        if (pd == NULL)
            return -1;
        PF(diagnostic__init)(pd);
        pd->severity =
            d->severity == 2 ? PE(DIAGNOSTIC__SEVERITY__WARNING) : PE(DIAGNOSTIC__SEVERITY__ERROR);
        pd->summary = tfp__srv_arena_strdup(a, d->summary);
        pd->detail = tfp__srv_arena_strdup(a, d->detail);
        if (pd->summary == NULL || pd->detail == NULL)
            return -1;
        if (d->has_path) {
            pd->attribute = path_out(a, &d->path);
            if (pd->attribute == NULL)
                return -1;
        }
        (*out)[(*n_out)++] = pd;
    }
    return 0;
}

/* ----- schemas ------------------------------------------------------------------------------ */

static PT(Schema__Block) * block_out(tfp__srv_arena *a, const tfp_block *b, int64_t version)
{
    PT(Schema__Block) *pb = tfp__srv_arena_alloc(a, sizeof(*pb));
    size_t i, na, nb;

    if (pb == NULL)
        return NULL;
    PF(schema__block__init)(pb);
    pb->version = version;
    if (tfp_block_description(b) != NULL) {
        pb->description = tfp__srv_arena_strdup(a, tfp_block_description(b));
        if (pb->description == NULL)
            return NULL;
    }
    na = tfp_block_attribute_count(b);
    nb = tfp_block_block_count(b);
    if (na > 0) {
        pb->attributes = tfp__srv_arena_alloc(a, na * sizeof(*pb->attributes));
        if (pb->attributes == NULL)
            return NULL;
    }
    if (nb > 0) {
        pb->block_types = tfp__srv_arena_alloc(a, nb * sizeof(*pb->block_types));
        if (pb->block_types == NULL)
            return NULL;
    }
    for (i = 0; i < na; i++) {
        const char *name = NULL, *desc = NULL;
        const tfp_type *type = NULL;
        unsigned int flags = 0;
        char *json = NULL;
        size_t jlen;
        PT(Schema__Attribute) * pa;

        if (tfp_block_attribute_at(&name, &type, &flags, &desc, b, i) != 0 || type == NULL)
            return NULL;
        pa = tfp__srv_arena_alloc(a, sizeof(*pa));
        if (pa == NULL)
            return NULL;
        PF(schema__attribute__init)(pa);
        pa->name = tfp__srv_arena_strdup(a, name);
        if (tfp_type_to_json(&json, type) != 0)
            return NULL;
        jlen = strlen(json);
        pa->type.data = tfp__srv_arena_alloc(a, jlen + 1);
        if (pa->type.data != NULL) {
            memcpy(pa->type.data, json, jlen);
            pa->type.len = jlen;
        }
        tfp_free(json);
        if (pa->name == NULL || pa->type.data == NULL)
            return NULL;
        if (desc != NULL) {
            pa->description = tfp__srv_arena_strdup(a, desc);
            if (pa->description == NULL)
                return NULL;
        }
        pa->required = (flags & TFP_ATTR_REQUIRED) != 0;
        pa->optional = (flags & TFP_ATTR_OPTIONAL) != 0;
        pa->computed = (flags & TFP_ATTR_COMPUTED) != 0;
        pa->sensitive = (flags & TFP_ATTR_SENSITIVE) != 0;
        pa->deprecated = (flags & TFP_ATTR_DEPRECATED) != 0;
        pb->attributes[pb->n_attributes++] = pa;
    }
    for (i = 0; i < nb; i++) {
        const char *tname = NULL;
        tfp_nesting nesting = TFP_NESTING_SINGLE;
        int64_t min_items = 0, max_items = 0;
        const tfp_block *child = NULL;
        PT(Schema__NestedBlock) * pn;

        if (tfp_block_block_at(&tname, &nesting, &min_items, &max_items, &child, b, i) != 0 ||
            child == NULL)
            return NULL;
        pn = tfp__srv_arena_alloc(a, sizeof(*pn));
        if (pn == NULL)
            return NULL;
        PF(schema__nested_block__init)(pn);
        pn->type_name = tfp__srv_arena_strdup(a, tname);
        pn->block = block_out(a, child, version);
        if (pn->type_name == NULL || pn->block == NULL)
            return NULL;
        pn->nesting = (PT(Schema__NestedBlock__NestingMode))nesting;
        pn->min_items = min_items;
        pn->max_items = max_items;
        pb->block_types[pb->n_block_types++] = pn;
    }
    return pb;
}

static PT(Schema) * schema_out(tfp__srv_arena *a, const tfp_schema *s)
{
    PT(Schema) *ps = tfp__srv_arena_alloc(a, sizeof(*ps));

    if (ps == NULL || s == NULL)
        return NULL;
    PF(schema__init)(ps);
    ps->version = tfp_schema_version(s);
    ps->block = block_out(a, tfp_schema_root_const(s), ps->version);
    return ps->block ? ps : NULL;
}

/* ----- common plumbing ---------------------------------------------------------------------- */

static void reply_pack(tfp__srv_reply *out, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);

    out->data = malloc(n > 0 ? n : 1);
    if (out->data == NULL) {
        tfp__srv_reply_status(out, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    out->len = protobuf_c_message_pack(m, out->data);
    out->status = GRPC_STATUS_OK;
}

static ProtobufCMessage *
req_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL, len, in);
    tfp__srv_request_unpacked(); /* @p in is not used again: the transport may free it */
    if (m == NULL)
        tfp__srv_reply_status(out, GRPC_STATUS_INVALID_ARGUMENT, "malformed request message");
    return m;
}

static void rpc_failed(tfp__srv_reply *out, int rc)
{
    tfp__srv_reply_status(out, GRPC_STATUS_INTERNAL, tfp_strerror(rc));
}

static void oom(tfp__srv_reply *out)
{
    tfp__srv_reply_status(out, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
}

/* A request that maps to a "diagnostics only" response: build it, pack it. The response
 * type differs per RPC, but the diagnostics field is all we set. */
#define DIAGS_ONLY_REPLY(RespType, resp_init, res, out)                                            \
    do {                                                                                           \
        RespType resp_;                                                                            \
        tfp__srv_arena a_ = {0};                                                                   \
        resp_init(&resp_);                                                                         \
        if (diags_out(&a_, (res), &resp_.n_diagnostics, &resp_.diagnostics) != 0)                  \
            oom(out);                                                                              \
        else                                                                                       \
            reply_pack((out), &resp_.base);                                                        \
        tfp__srv_arena_free(&a_);                                                                  \
    } while (0)

/* ----- GetProviderSchema / GetSchema ------------------------------------------------------- */

/* Fills the schema response from the provider's registry. @return 0 or -1. */
static int schema_fill(tfp__srv_arena *a, tfp_provider *p, PT(GetProviderSchema__Response) * resp)
{
    size_t i, nr = tfp__rpc_resource_count(p), nd = tfp__rpc_data_source_count(p);

    resp->provider = schema_out(a, tfp__rpc_provider_schema(p));
    if (resp->provider == NULL)
        return -1;
    if (nr > 0) {
        resp->resource_schemas = tfp__srv_arena_alloc(a, nr * sizeof(*resp->resource_schemas));
        if (resp->resource_schemas == NULL)
            return -1;
    }
    if (nd > 0) {
        resp->data_source_schemas =
            tfp__srv_arena_alloc(a, nd * sizeof(*resp->data_source_schemas));
        if (resp->data_source_schemas == NULL)
            return -1;
    }
    for (i = 0; i < nr; i++) {
        const char *name = NULL;
        const tfp_schema *s = NULL;
        PT(GetProviderSchema__Response__ResourceSchemasEntry) * e;

        if (tfp__rpc_resource_at(p, i, &name, &s) != 0)
            return -1;
        e = tfp__srv_arena_alloc(a, sizeof(*e));
        if (e == NULL)
            return -1;
        PF(get_provider_schema__response__resource_schemas_entry__init)(e);
        e->key = tfp__srv_arena_strdup(a, name);
        e->value = schema_out(a, s);
        if (e->key == NULL || e->value == NULL)
            return -1;
        resp->resource_schemas[resp->n_resource_schemas++] = e;
    }
    for (i = 0; i < nd; i++) {
        const char *name = NULL;
        const tfp_schema *s = NULL;
        PT(GetProviderSchema__Response__DataSourceSchemasEntry) * e;

        if (tfp__rpc_data_source_at(p, i, &name, &s) != 0)
            return -1;
        e = tfp__srv_arena_alloc(a, sizeof(*e));
        if (e == NULL)
            return -1;
        PF(get_provider_schema__response__data_source_schemas_entry__init)(e);
        e->key = tfp__srv_arena_strdup(a, name);
        e->value = schema_out(a, s);
        if (e->key == NULL || e->value == NULL)
            return -1;
        resp->data_source_schemas[resp->n_data_source_schemas++] = e;
    }
    return 0;
}

static void h_get_schema(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    ProtobufCMessage *req = req_unpack(&PF(get_provider_schema__request__descriptor), in, len, out);
    PT(GetProviderSchema__Response) resp;
    PT(ServerCapabilities) caps;
    tfp__srv_arena a = {0};

    if (req == NULL)
        return;
    PF(get_provider_schema__response__init)(&resp);
    PF(server_capabilities__init)(&caps);
    /* No plan_destroy (Terraform plans deletes itself); every process gets GetProviderSchema
     * first, as Terraform does. */
    caps.plan_destroy = 0;
    caps.get_provider_schema_optional = 0;
    /* MoveResourceState is offered when some resource type accepts `moved` sources. */
    caps.move_resource_state = tfp__rpc_moves_supported(p);
    resp.server_capabilities = &caps;
    if (schema_fill(&a, p, &resp) != 0)
        tfp__srv_reply_status(out, GRPC_STATUS_INTERNAL, "cannot build the provider schema");
    else
        reply_pack(out, &resp.base);
    tfp__srv_arena_free(&a);
    protobuf_c_message_free_unpacked(req, NULL);
}

/* ----- provider config ---------------------------------------------------------------------- */

#if TFP_SRV_PROTO == 5
static void
h_prepare_provider_config(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(PrepareProviderConfig__Request) *req = (PT(PrepareProviderConfig__Request) *)req_unpack(
        &PF(prepare_provider_config__request__descriptor), in, len, out);
    PT(PrepareProviderConfig__Response) resp;
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cfg;
    tfp__srv_arena a = {0};
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_validate_provider_config(p, &cfg, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(prepare_provider_config__response__init)(&resp);
    if (res.has_value) {
        resp.prepared_config = dyn_out(&a, 1, res.value, res.value_len);
        if (resp.prepared_config == NULL) {
            oom(out);
            goto done;
        }
    }
    if (diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}
#    define VALIDATE_RESOURCE_REQ PT(ValidateResourceTypeConfig__Request)
#    define VALIDATE_RESOURCE_REQ_DESC PF(validate_resource_type_config__request__descriptor)
#    define VALIDATE_RESOURCE_RESP PT(ValidateResourceTypeConfig__Response)
#    define VALIDATE_RESOURCE_RESP_INIT PF(validate_resource_type_config__response__init)
#    define VALIDATE_DATA_REQ PT(ValidateDataSourceConfig__Request)
#    define VALIDATE_DATA_REQ_DESC PF(validate_data_source_config__request__descriptor)
#    define VALIDATE_DATA_RESP PT(ValidateDataSourceConfig__Response)
#    define VALIDATE_DATA_RESP_INIT PF(validate_data_source_config__response__init)
#    define CONFIGURE_REQ PT(Configure__Request)
#    define CONFIGURE_REQ_DESC PF(configure__request__descriptor)
#    define CONFIGURE_RESP PT(Configure__Response)
#    define CONFIGURE_RESP_INIT PF(configure__response__init)
#    define STOP_REQ_DESC PF(stop__request__descriptor)
#    define STOP_RESP PT(Stop__Response)
#    define STOP_RESP_INIT PF(stop__response__init)
#else
static void
h_validate_provider_config(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(ValidateProviderConfig__Request) *req = (PT(ValidateProviderConfig__Request) *)req_unpack(
        &PF(validate_provider_config__request__descriptor), in, len, out);
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cfg;
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_validate_provider_config(p, &cfg, &res);
    if (rc < 0)
        rpc_failed(out, rc);
    else
        DIAGS_ONLY_REPLY(PT(ValidateProviderConfig__Response),
                         PF(validate_provider_config__response__init), &res, out);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}
#    define VALIDATE_RESOURCE_REQ PT(ValidateResourceConfig__Request)
#    define VALIDATE_RESOURCE_REQ_DESC PF(validate_resource_config__request__descriptor)
#    define VALIDATE_RESOURCE_RESP PT(ValidateResourceConfig__Response)
#    define VALIDATE_RESOURCE_RESP_INIT PF(validate_resource_config__response__init)
#    define VALIDATE_DATA_REQ PT(ValidateDataResourceConfig__Request)
#    define VALIDATE_DATA_REQ_DESC PF(validate_data_resource_config__request__descriptor)
#    define VALIDATE_DATA_RESP PT(ValidateDataResourceConfig__Response)
#    define VALIDATE_DATA_RESP_INIT PF(validate_data_resource_config__response__init)
#    define CONFIGURE_REQ PT(ConfigureProvider__Request)
#    define CONFIGURE_REQ_DESC PF(configure_provider__request__descriptor)
#    define CONFIGURE_RESP PT(ConfigureProvider__Response)
#    define CONFIGURE_RESP_INIT PF(configure_provider__response__init)
#    define STOP_REQ_DESC PF(stop_provider__request__descriptor)
#    define STOP_RESP PT(StopProvider__Response)
#    define STOP_RESP_INIT PF(stop_provider__response__init)
#endif

static void h_validate_resource(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    VALIDATE_RESOURCE_REQ *req =
        (VALIDATE_RESOURCE_REQ *)req_unpack(&VALIDATE_RESOURCE_REQ_DESC, in, len, out);
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cfg;
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_validate_resource(p, req->type_name, &cfg, &res);
    if (rc < 0)
        rpc_failed(out, rc);
    else
        DIAGS_ONLY_REPLY(VALIDATE_RESOURCE_RESP, VALIDATE_RESOURCE_RESP_INIT, &res, out);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void
h_validate_data_source(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    VALIDATE_DATA_REQ *req = (VALIDATE_DATA_REQ *)req_unpack(&VALIDATE_DATA_REQ_DESC, in, len, out);
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cfg;
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_validate_data_source(p, req->type_name, &cfg, &res);
    if (rc < 0)
        rpc_failed(out, rc);
    else
        DIAGS_ONLY_REPLY(VALIDATE_DATA_RESP, VALIDATE_DATA_RESP_INIT, &res, out);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_configure(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    CONFIGURE_REQ *req = (CONFIGURE_REQ *)req_unpack(&CONFIGURE_REQ_DESC, in, len, out);
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cfg;
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_configure(p, req->terraform_version ? req->terraform_version : "", &cfg, &res);
    if (rc < 0)
        rpc_failed(out, rc);
    else
        DIAGS_ONLY_REPLY(CONFIGURE_RESP, CONFIGURE_RESP_INIT, &res, out);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_stop(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    ProtobufCMessage *req = req_unpack(&STOP_REQ_DESC, in, len, out);
    STOP_RESP resp;

    if (req == NULL)
        return;
    tfp__rpc_stop(p);
    STOP_RESP_INIT(&resp);
    reply_pack(out, &resp.base);
    protobuf_c_message_free_unpacked(req, NULL);
}

/* ----- resources ------------------------------------------------------------------------- */

static void h_upgrade_state(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(UpgradeResourceState__Request) *req = (PT(UpgradeResourceState__Request) *)req_unpack(
        &PF(upgrade_resource_state__request__descriptor), in, len, out);
    PT(UpgradeResourceState__Response) resp;
    tfp__rpc_result res = {0};
    tfp__srv_arena a = {0};
    const uint8_t *raw = (const uint8_t *)"";
    size_t raw_len = 0;
    int rc;

    if (req == NULL)
        return;
    if (req->raw_state != NULL && req->raw_state->json.data != NULL) {
        raw = req->raw_state->json.data;
        raw_len = req->raw_state->json.len;
    }
    rc = tfp__rpc_upgrade_state(p, req->type_name, req->version, raw, raw_len, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(upgrade_resource_state__response__init)(&resp);
    resp.upgraded_state = dyn_out(&a, res.has_value, res.value, res.value_len);
    if (resp.upgraded_state == NULL ||
        diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_read_resource(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(ReadResource__Request) *req = (PT(ReadResource__Request) *)req_unpack(
        &PF(read_resource__request__descriptor), in, len, out);
    PT(ReadResource__Response) resp;
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cur;
    tfp__srv_arena a = {0};
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->current_state, &cur);
    rc = tfp__rpc_read_resource(p, req->type_name, &cur, req->private_.data,
                                req->private_.data ? req->private_.len : 0, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(read_resource__response__init)(&resp);
    resp.new_state = dyn_out(&a, res.has_value, res.value, res.value_len);
    if (res.has_priv) {
        resp.private_.data = res.priv;
        resp.private_.len = res.priv_len;
    }
    if (resp.new_state == NULL ||
        diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_plan(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(PlanResourceChange__Request) *req = (PT(PlanResourceChange__Request) *)req_unpack(
        &PF(plan_resource_change__request__descriptor), in, len, out);
    PT(PlanResourceChange__Response) resp;
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic prior, proposed, cfg;
    tfp__srv_arena a = {0};
    size_t i;
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->prior_state, &prior);
    dyn_in(req->proposed_new_state, &proposed);
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_plan(p, req->type_name, &prior, &proposed, &cfg, req->prior_private.data,
                       req->prior_private.data ? req->prior_private.len : 0, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(plan_resource_change__response__init)(&resp);
    resp.planned_state = dyn_out(&a, res.has_value, res.value, res.value_len);
    if (res.has_priv) {
        resp.planned_private.data = res.priv;
        resp.planned_private.len = res.priv_len;
    }
    if (res.nrequires_replace > 0) {
        resp.requires_replace =
            tfp__srv_arena_alloc(&a, res.nrequires_replace * sizeof(*resp.requires_replace));
        if (resp.requires_replace == NULL) {
            oom(out);
            goto done;
        }
        for (i = 0; i < res.nrequires_replace; i++) {
            resp.requires_replace[i] = path_out(&a, &res.requires_replace[i]);
            if (resp.requires_replace[i] == NULL) {
                oom(out);
                goto done;
            }
            resp.n_requires_replace++;
        }
    }
    if (resp.planned_state == NULL ||
        diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_apply(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(ApplyResourceChange__Request) *req = (PT(ApplyResourceChange__Request) *)req_unpack(
        &PF(apply_resource_change__request__descriptor), in, len, out);
    PT(ApplyResourceChange__Response) resp;
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic prior, planned, cfg;
    tfp__srv_arena a = {0};
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->prior_state, &prior);
    dyn_in(req->planned_state, &planned);
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_apply(p, req->type_name, &prior, &planned, &cfg, req->planned_private.data,
                        req->planned_private.data ? req->planned_private.len : 0, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(apply_resource_change__response__init)(&resp);
    resp.new_state = dyn_out(&a, res.has_value, res.value, res.value_len);
    if (res.has_priv) {
        resp.private_.data = res.priv;
        resp.private_.len = res.priv_len;
    }
    if (resp.new_state == NULL ||
        diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_import(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(ImportResourceState__Request) *req = (PT(ImportResourceState__Request) *)req_unpack(
        &PF(import_resource_state__request__descriptor), in, len, out);
    PT(ImportResourceState__Response) resp;
    tfp__rpc_result res = {0};
    tfp__srv_arena a = {0};
    int rc;

    if (req == NULL)
        return;
    rc = tfp__rpc_import(p, req->type_name, req->id ? req->id : "", &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(import_resource_state__response__init)(&resp);
    if (res.has_value) {
        PT(ImportResourceState__ImportedResource) *ir = tfp__srv_arena_alloc(&a, sizeof(*ir));
        resp.imported_resources = tfp__srv_arena_alloc(&a, sizeof(*resp.imported_resources));
        if (ir == NULL || resp.imported_resources == NULL) {
            oom(out);
            goto done;
        }
        PF(import_resource_state__imported_resource__init)(ir);
        ir->type_name = tfp__srv_arena_strdup(&a, res.type_name ? res.type_name : req->type_name);
        ir->state = dyn_out(&a, 1, res.value, res.value_len);
        if (res.has_priv) {
            ir->private_.data = res.priv;
            ir->private_.len = res.priv_len;
        }
        if (ir->type_name == NULL || ir->state == NULL) {
            oom(out);
            goto done;
        }
        resp.imported_resources[0] = ir;
        resp.n_imported_resources = 1;
    }
    if (diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_move_state(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(MoveResourceState__Request) *req = (PT(MoveResourceState__Request) *)req_unpack(
        &PF(move_resource_state__request__descriptor), in, len, out);
    PT(MoveResourceState__Response) resp;
    tfp__rpc_result res = {0};
    tfp__srv_arena a = {0};
    const uint8_t *raw = (const uint8_t *)"";
    size_t raw_len = 0;
    int rc;

    if (req == NULL)
        return;
    if (req->source_state != NULL && req->source_state->json.data != NULL) {
        raw = req->source_state->json.data;
        raw_len = req->source_state->json.len;
    }
    rc = tfp__rpc_move_state(p, req->source_provider_address, req->source_type_name,
                             req->source_schema_version, raw, raw_len, req->source_private.data,
                             req->source_private.data ? req->source_private.len : 0,
                             req->target_type_name, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(move_resource_state__response__init)(&resp);
    resp.target_state = dyn_out(&a, res.has_value, res.value, res.value_len);
    if (res.has_priv) {
        resp.target_private.data = res.priv;
        resp.target_private.len = res.priv_len;
    }
    if (resp.target_state == NULL ||
        diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void h_read_data(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    PT(ReadDataSource__Request) *req = (PT(ReadDataSource__Request) *)req_unpack(
        &PF(read_data_source__request__descriptor), in, len, out);
    PT(ReadDataSource__Response) resp;
    tfp__rpc_result res = {0};
    tfp__rpc_dynamic cfg;
    tfp__srv_arena a = {0};
    int rc;

    if (req == NULL)
        return;
    dyn_in(req->config, &cfg);
    rc = tfp__rpc_read_data_source(p, req->type_name, &cfg, &res);
    if (rc < 0) {
        rpc_failed(out, rc);
        goto done;
    }
    PF(read_data_source__response__init)(&resp);
    resp.state = dyn_out(&a, res.has_value, res.value, res.value_len);
    if (resp.state == NULL || diags_out(&a, &res, &resp.n_diagnostics, &resp.diagnostics) != 0) {
        oom(out);
        goto done;
    }
    reply_pack(out, &resp.base);
done:
    tfp__srv_arena_free(&a);
    tfp__rpc_result_dispose(&res);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ----- the method table ------------------------------------------------------------------- */

static const struct {
    const char *name;
    tfp__srv_handler fn;
} srv_methods[] = {
#if TFP_SRV_PROTO == 5
    {"GetSchema", h_get_schema},
    {"PrepareProviderConfig", h_prepare_provider_config},
    {"ValidateResourceTypeConfig", h_validate_resource},
    {"ValidateDataSourceConfig", h_validate_data_source},
    {"Configure", h_configure},
    {"Stop", h_stop},
#else
    {"GetProviderSchema", h_get_schema},
    {"ValidateProviderConfig", h_validate_provider_config},
    {"ValidateResourceConfig", h_validate_resource},
    {"ValidateDataResourceConfig", h_validate_data_source},
    {"ConfigureProvider", h_configure},
    {"StopProvider", h_stop},
#endif
    {"UpgradeResourceState", h_upgrade_state},
    {"ReadResource", h_read_resource},
    {"PlanResourceChange", h_plan},
    {"ApplyResourceChange", h_apply},
    {"ImportResourceState", h_import},
    {"MoveResourceState", h_move_state},
    {"ReadDataSource", h_read_data},
};

tfp__srv_handler SRV_LOOKUP(const char *method)
{
    size_t i;

    for (i = 0; i < sizeof(srv_methods) / sizeof(srv_methods[0]); i++) {
        if (strcmp(srv_methods[i].name, method) == 0)
            return srv_methods[i].fn;
    }
    return NULL;
}
