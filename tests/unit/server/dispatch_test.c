/* Unit tests of provider/server/dispatch*.c: tfplugin5/6 protobuf <-> core mapping, without
 * sockets. Requests are packed with protobuf-c, values encoded through the public ABI. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include "dispatch.h"
#include "health.pb-c.h"
#include "rpc.h"
#include "tfplugin5.pb-c.h"
#include "tfplugin6.pb-c.h"

#include <tfp/tfp.h>

#include <grpc/status.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ----- a small provider ------------------------------------------------------------------- */

static int t_validate(tfp_call *call)
{
    const char *name = tfp_value_attr_string(tfp_call_config(call), "name");
    if (name != NULL && strcmp(name, "bad") == 0)
        tfp_diags_error(tfp_call_diags(call), "name", "Invalid name", "detail %d", 1);
    return 0;
}

static int t_plan(tfp_call *call)
{
    tfp_value *v = NULL;
    const tfp_value *proposed = tfp_call_proposed_state(call);
    int rc;

    if (proposed == NULL || tfp_value_is_null(proposed))
        return tfp_call_set_result(call, NULL);
    rc = tfp_value_copy(&v, proposed);
    if (rc == 0)
        rc = tfp_value_set_attr_unknown(v, "id");
    if (rc == 0)
        rc = tfp_call_set_result(call, v);
    else
        tfp_value_free(v);
    if (rc == 0)
        rc = tfp_call_require_replace(call, "name");
    return rc;
}

static int t_apply(tfp_call *call)
{
    tfp_value *v = NULL;
    const tfp_value *planned = tfp_call_planned_state(call);
    int rc;

    if (planned == NULL || tfp_value_is_null(planned))
        return tfp_call_set_result(call, NULL);
    rc = tfp_value_copy(&v, planned);
    if (rc == 0)
        rc = tfp_value_set_attr_string(v, "id", "x-1");
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    rc = tfp_call_set_private(call, "pv", 2);
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

static int t_import(tfp_call *call)
{
    tfp_value *v = NULL;
    int rc = tfp_value_new_object(&v, tfp_schema_type(tfp_call_schema(call)));
    if (rc == 0)
        rc = tfp_value_set_attr_string(v, "id", tfp_call_import_id(call));
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

static tfp_provider *make_provider(void)
{
    tfp_provider *p = NULL;
    tfp_schema *s = NULL, *ps = NULL, *ds = NULL;
    tfp_resource *r = NULL, *d = NULL;
    tfp_block *child = NULL;
    tfp_type *tags = NULL;

    assert_int_equal(tfp_provider_new(&p, "ut", "1.2.3"), 0);
    assert_int_equal(tfp_schema_new(&ps, 0), 0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(ps), "region", tfp_type_string(),
                                             TFP_ATTR_OPTIONAL, "the region"),
                     0);
    assert_int_equal(tfp_provider_set_schema(p, ps), 0);

    assert_int_equal(tfp_schema_new(&s, 3), 0);
    assert_int_equal(tfp_type_map_new(&tags, tfp_type_string()), 0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(s), "id", tfp_type_string(),
                                             TFP_ATTR_COMPUTED, NULL),
                     0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(s), "name", tfp_type_string(),
                                             TFP_ATTR_REQUIRED, "The name."),
                     0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(s), "secret", tfp_type_string(),
                                             TFP_ATTR_OPTIONAL | TFP_ATTR_SENSITIVE, NULL),
                     0);
    assert_int_equal(
        tfp_block_add_attribute(tfp_schema_root(s), "tags", tags, TFP_ATTR_OPTIONAL, NULL), 0);
    tfp_type_free(tags);
    assert_int_equal(tfp_block_add_block(&child, tfp_schema_root(s), "port", TFP_NESTING_SET, 1, 5),
                     0);
    assert_int_equal(
        tfp_block_add_attribute(child, "number", tfp_type_number(), TFP_ATTR_REQUIRED, NULL), 0);
    assert_int_equal(tfp_resource_new(&r, "ut_thing", s), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_VALIDATE, t_validate), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_PLAN, t_plan), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_APPLY, t_apply), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_IMPORT, t_import), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);

    assert_int_equal(tfp_schema_new(&ds, 0), 0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(ds), "q", tfp_type_string(),
                                             TFP_ATTR_REQUIRED, NULL),
                     0);
    assert_int_equal(tfp_resource_new(&d, "ut_lookup", ds), 0);
    assert_int_equal(tfp_provider_add_data_source(p, d), 0);
    return p;
}

static int setup(void **state)
{
    *state = make_provider();
    return 0;
}

static int teardown(void **state)
{
    tfp_provider_free(*state);
    return 0;
}

/* msgpack of a ut_thing object with @p name (other attributes null, empty port set). */
static void thing_msgpack(tfp_provider *p, const char *name, void **data, size_t *len)
{
    const char *tn = NULL;
    const tfp_schema *s = NULL;
    tfp_value *v = NULL, *ports = NULL;

    assert_int_equal(tfp__rpc_resource_at(p, 0, &tn, &s), 0);
    assert_int_equal(tfp_value_new_object(&v, tfp_schema_type(s)), 0);
    assert_int_equal(tfp_value_set_attr_string(v, "name", name), 0);
    assert_int_equal(tfp_value_new_collection(&ports, tfp_type_attr(tfp_schema_type(s), "port")),
                     0);
    assert_int_equal(tfp_value_set_attr(v, "port", ports), 0);
    assert_int_equal(tfp_value_to_msgpack(data, len, v), 0);
    tfp_value_free(v);
}

static void
call(tfp_provider *p, int proto, const char *path, const ProtobufCMessage *req, tfp__srv_reply *out)
{
    size_t n = protobuf_c_message_get_packed_size(req);
    uint8_t *buf = malloc(n + 1);
    protobuf_c_message_pack(req, buf);
    tfp__srv_handle(p, proto, path, buf, n, out);
    free(buf);
}

static void *unpack(const ProtobufCMessageDescriptor *d, const tfp__srv_reply *r)
{
    return protobuf_c_message_unpack(d, NULL, r->len, r->data);
}

static void unfree(void *m)
{
    protobuf_c_message_free_unpacked(m, NULL);
}

/* ----- tests --------------------------------------------------------------------------------- */

static void test_schema_v6(void **state)
{
    Tfplugin6__GetProviderSchema__Request req = TFPLUGIN6__GET_PROVIDER_SCHEMA__REQUEST__INIT;
    Tfplugin6__GetProviderSchema__Response *resp;
    Tfplugin6__Schema *rs;
    tfp__srv_reply r;
    size_t i;
    int seen_name = 0, seen_tags = 0, seen_secret = 0;

    call(*state, 6, "/tfplugin6.Provider/GetProviderSchema", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin6__get_provider_schema__response__descriptor, &r);
    assert_non_null(resp);
    assert_non_null(resp->provider);
    assert_non_null(resp->provider->block);
    assert_int_equal(resp->provider->block->n_attributes, 1);
    assert_string_equal(resp->provider->block->attributes[0]->description, "the region");
    assert_non_null(resp->server_capabilities);
    assert_int_equal(resp->n_resource_schemas, 1);
    assert_string_equal(resp->resource_schemas[0]->key, "ut_thing");
    rs = resp->resource_schemas[0]->value;
    assert_int_equal(rs->version, 3);
    for (i = 0; i < rs->block->n_attributes; i++) {
        Tfplugin6__Schema__Attribute *a = rs->block->attributes[i];
        if (strcmp(a->name, "name") == 0) {
            seen_name = 1;
            assert_int_equal(a->type.len, strlen("\"string\""));
            assert_memory_equal(a->type.data, "\"string\"", a->type.len);
            assert_true(a->required);
            assert_false(a->optional);
            assert_false(a->computed);
            assert_string_equal(a->description, "The name.");
        } else if (strcmp(a->name, "tags") == 0) {
            seen_tags = 1;
            assert_int_equal(a->type.len, strlen("[\"map\",\"string\"]"));
            assert_memory_equal(a->type.data, "[\"map\",\"string\"]", a->type.len);
        } else if (strcmp(a->name, "secret") == 0) {
            seen_secret = 1;
            assert_true(a->sensitive);
            assert_true(a->optional);
        }
    }
    assert_true(seen_name && seen_tags && seen_secret);
    assert_int_equal(rs->block->n_block_types, 1);
    assert_string_equal(rs->block->block_types[0]->type_name, "port");
    assert_int_equal(rs->block->block_types[0]->nesting,
                     TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__SET);
    assert_int_equal(rs->block->block_types[0]->min_items, 1);
    assert_int_equal(rs->block->block_types[0]->max_items, 5);
    assert_int_equal(rs->block->block_types[0]->block->n_attributes, 1);
    assert_int_equal(resp->n_data_source_schemas, 1);
    assert_string_equal(resp->data_source_schemas[0]->key, "ut_lookup");
    unfree(resp);
    tfp__srv_reply_dispose(&r);
}

static void test_schema_v5(void **state)
{
    Tfplugin5__GetProviderSchema__Request req = TFPLUGIN5__GET_PROVIDER_SCHEMA__REQUEST__INIT;
    Tfplugin5__GetProviderSchema__Response *resp;
    tfp__srv_reply r;

    call(*state, 5, "/tfplugin5.Provider/GetSchema", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin5__get_provider_schema__response__descriptor, &r);
    assert_non_null(resp);
    assert_non_null(resp->provider);
    assert_non_null(resp->provider->block);
    assert_int_equal(resp->n_resource_schemas, 1);
    assert_int_equal(resp->resource_schemas[0]->value->version, 3);
    assert_int_equal(resp->resource_schemas[0]->value->block->n_block_types, 1);
    unfree(resp);
    tfp__srv_reply_dispose(&r);
    /* the v6 name is not a v5 method */
    call(*state, 5, "/tfplugin5.Provider/GetProviderSchema", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_UNIMPLEMENTED);
    tfp__srv_reply_dispose(&r);
    /* only the negotiated package is served */
    call(*state, 6, "/tfplugin5.Provider/GetSchema", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_UNIMPLEMENTED);
    tfp__srv_reply_dispose(&r);
}

static void test_validate_diag_path_v6(void **state)
{
    Tfplugin6__ValidateResourceConfig__Request req =
        TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
    Tfplugin6__DynamicValue dv = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    Tfplugin6__ValidateResourceConfig__Response *resp;
    Tfplugin6__Diagnostic *d;
    tfp__srv_reply r;
    void *mp = NULL;
    size_t mp_len = 0;

    thing_msgpack(*state, "bad", &mp, &mp_len);
    dv.msgpack.data = mp;
    dv.msgpack.len = mp_len;
    req.type_name = "ut_thing";
    req.config = &dv;
    call(*state, 6, "/tfplugin6.Provider/ValidateResourceConfig", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin6__validate_resource_config__response__descriptor, &r);
    assert_non_null(resp);
    assert_int_equal(resp->n_diagnostics, 1);
    d = resp->diagnostics[0];
    assert_int_equal(d->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
    assert_string_equal(d->summary, "Invalid name");
    assert_string_equal(d->detail, "detail 1");
    assert_non_null(d->attribute);
    assert_int_equal(d->attribute->n_steps, 1);
    assert_int_equal(d->attribute->steps[0]->selector_case,
                     TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME);
    assert_string_equal(d->attribute->steps[0]->attribute_name, "name");
    unfree(resp);
    tfp__srv_reply_dispose(&r);

    /* a valid config: no diagnostics */
    tfp_free(mp);
    thing_msgpack(*state, "good", &mp, &mp_len);
    dv.msgpack.data = mp;
    dv.msgpack.len = mp_len;
    call(*state, 6, "/tfplugin6.Provider/ValidateResourceConfig", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin6__validate_resource_config__response__descriptor, &r);
    assert_non_null(resp);
    assert_int_equal(resp->n_diagnostics, 0);
    unfree(resp);
    tfp__srv_reply_dispose(&r);
    tfp_free(mp);
}

static void test_validate_diag_path_v5(void **state)
{
    Tfplugin5__ValidateResourceTypeConfig__Request req =
        TFPLUGIN5__VALIDATE_RESOURCE_TYPE_CONFIG__REQUEST__INIT;
    Tfplugin5__DynamicValue dv = TFPLUGIN5__DYNAMIC_VALUE__INIT;
    Tfplugin5__ValidateResourceTypeConfig__Response *resp;
    tfp__srv_reply r;
    void *mp = NULL;
    size_t mp_len = 0;

    thing_msgpack(*state, "bad", &mp, &mp_len);
    dv.msgpack.data = mp;
    dv.msgpack.len = mp_len;
    req.type_name = "ut_thing";
    req.config = &dv;
    call(*state, 5, "/tfplugin5.Provider/ValidateResourceTypeConfig", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin5__validate_resource_type_config__response__descriptor, &r);
    assert_non_null(resp);
    assert_int_equal(resp->n_diagnostics, 1);
    assert_string_equal(resp->diagnostics[0]->attribute->steps[0]->attribute_name, "name");
    unfree(resp);
    tfp__srv_reply_dispose(&r);
    tfp_free(mp);
}

static void test_prepare_provider_config_v5(void **state)
{
    Tfplugin5__PrepareProviderConfig__Request req =
        TFPLUGIN5__PREPARE_PROVIDER_CONFIG__REQUEST__INIT;
    Tfplugin5__DynamicValue dv = TFPLUGIN5__DYNAMIC_VALUE__INIT;
    Tfplugin5__PrepareProviderConfig__Response *resp;
    tfp__srv_reply r;
    uint8_t cfg[] = {0x81, 0xa6, 'r', 'e', 'g', 'i', 'o', 'n', 0xa5, 'e', 'u', '-', 'd', 'e'};

    dv.msgpack.data = cfg;
    dv.msgpack.len = sizeof(cfg);
    req.config = &dv;
    call(*state, 5, "/tfplugin5.Provider/PrepareProviderConfig", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin5__prepare_provider_config__response__descriptor, &r);
    assert_non_null(resp);
    assert_int_equal(resp->n_diagnostics, 0);
    assert_non_null(resp->prepared_config);
    assert_int_equal(resp->prepared_config->msgpack.len, sizeof(cfg));
    assert_memory_equal(resp->prepared_config->msgpack.data, cfg, sizeof(cfg));
    unfree(resp);
    tfp__srv_reply_dispose(&r);
}

static void test_plan_apply_v6(void **state)
{
    Tfplugin6__PlanResourceChange__Request req = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
    Tfplugin6__ApplyResourceChange__Request areq = TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
    Tfplugin6__DynamicValue cfg = TFPLUGIN6__DYNAMIC_VALUE__INIT,
                            nil = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    Tfplugin6__DynamicValue planned = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    Tfplugin6__PlanResourceChange__Response *resp;
    Tfplugin6__ApplyResourceChange__Response *aresp;
    tfp__srv_reply r;
    uint8_t c0[] = {0xc0};
    void *mp = NULL;
    size_t mp_len = 0;

    thing_msgpack(*state, "alpha", &mp, &mp_len);
    cfg.msgpack.data = mp;
    cfg.msgpack.len = mp_len;
    nil.msgpack.data = c0;
    nil.msgpack.len = 1;
    req.type_name = "ut_thing";
    req.prior_state = &nil;
    req.proposed_new_state = &cfg;
    req.config = &cfg;
    call(*state, 6, "/tfplugin6.Provider/PlanResourceChange", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin6__plan_resource_change__response__descriptor, &r);
    assert_non_null(resp);
    assert_int_equal(resp->n_diagnostics, 0);
    assert_non_null(resp->planned_state);
    assert_true(resp->planned_state->msgpack.len > 0);
    /* the planned id is unknown: d4 00 00 somewhere in the object */
    assert_non_null(memmem(resp->planned_state->msgpack.data, resp->planned_state->msgpack.len,
                           "\xd4\x00\x00", 3));
    assert_int_equal(resp->n_requires_replace, 1);
    assert_string_equal(resp->requires_replace[0]->steps[0]->attribute_name, "name");

    /* apply the plan */
    planned.msgpack = resp->planned_state->msgpack;
    areq.type_name = "ut_thing";
    areq.prior_state = &nil;
    areq.planned_state = &planned;
    areq.config = &cfg;
    tfp__srv_reply_dispose(&r);
    call(*state, 6, "/tfplugin6.Provider/ApplyResourceChange", &areq.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    aresp = unpack(&tfplugin6__apply_resource_change__response__descriptor, &r);
    assert_non_null(aresp);
    assert_int_equal(aresp->n_diagnostics, 0);
    assert_non_null(aresp->new_state);
    assert_non_null(
        memmem(aresp->new_state->msgpack.data, aresp->new_state->msgpack.len, "x-1", 3));
    assert_int_equal(aresp->private_.len, 2);
    assert_memory_equal(aresp->private_.data, "pv", 2);
    unfree(aresp);
    unfree(resp);
    tfp__srv_reply_dispose(&r);

    /* delete: planned and config null -> new_state null (msgpack nil) */
    areq.planned_state = &nil;
    areq.config = &nil;
    areq.prior_state = &cfg;
    call(*state, 6, "/tfplugin6.Provider/ApplyResourceChange", &areq.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    aresp = unpack(&tfplugin6__apply_resource_change__response__descriptor, &r);
    assert_non_null(aresp);
    assert_int_equal(aresp->n_diagnostics, 0);
    assert_true(aresp->new_state == NULL ||
                (aresp->new_state->msgpack.len == 1 && aresp->new_state->msgpack.data[0] == 0xc0));
    unfree(aresp);
    tfp__srv_reply_dispose(&r);
    tfp_free(mp);
}

static void test_import_v5(void **state)
{
    Tfplugin5__ImportResourceState__Request req = TFPLUGIN5__IMPORT_RESOURCE_STATE__REQUEST__INIT;
    Tfplugin5__ImportResourceState__Response *resp;
    tfp__srv_reply r;

    req.type_name = "ut_thing";
    req.id = "abc-123";
    call(*state, 5, "/tfplugin5.Provider/ImportResourceState", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin5__import_resource_state__response__descriptor, &r);
    assert_non_null(resp);
    assert_int_equal(resp->n_diagnostics, 0);
    assert_int_equal(resp->n_imported_resources, 1);
    assert_string_equal(resp->imported_resources[0]->type_name, "ut_thing");
    assert_non_null(resp->imported_resources[0]->state);
    assert_non_null(memmem(resp->imported_resources[0]->state->msgpack.data,
                           resp->imported_resources[0]->state->msgpack.len, "abc-123", 7));
    unfree(resp);
    tfp__srv_reply_dispose(&r);
}

static void test_unknown_type_is_a_diagnostic(void **state)
{
    Tfplugin6__ValidateResourceConfig__Request req =
        TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
    Tfplugin6__ValidateResourceConfig__Response *resp;
    tfp__srv_reply r;

    req.type_name = "ut_nope";
    call(*state, 6, "/tfplugin6.Provider/ValidateResourceConfig", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin6__validate_resource_config__response__descriptor, &r);
    assert_non_null(resp);
    assert_true(resp->n_diagnostics >= 1);
    assert_int_equal(resp->diagnostics[0]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
    unfree(resp);
    tfp__srv_reply_dispose(&r);
}

static void test_malformed_msgpack(void **state)
{
    Tfplugin6__PlanResourceChange__Request req = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
    Tfplugin6__DynamicValue bad = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    Tfplugin6__PlanResourceChange__Response *resp;
    tfp__srv_reply r;
    uint8_t junk[] = {0x83, 0xa2, 'i', 'd', 0xc1, 0xff}; /* truncated map, reserved byte */

    bad.msgpack.data = junk;
    bad.msgpack.len = sizeof(junk);
    req.type_name = "ut_thing";
    req.prior_state = &bad;
    req.proposed_new_state = &bad;
    req.config = &bad;
    call(*state, 6, "/tfplugin6.Provider/PlanResourceChange", &req.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    resp = unpack(&tfplugin6__plan_resource_change__response__descriptor, &r);
    assert_non_null(resp);
    assert_true(resp->n_diagnostics >= 1);
    assert_int_equal(resp->diagnostics[0]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
    unfree(resp);
    tfp__srv_reply_dispose(&r);
}

static void test_malformed_protobuf(void **state)
{
    static const char *const paths6[] = {
        "/tfplugin6.Provider/GetProviderSchema",
        "/tfplugin6.Provider/ValidateProviderConfig",
        "/tfplugin6.Provider/ValidateResourceConfig",
        "/tfplugin6.Provider/ValidateDataResourceConfig",
        "/tfplugin6.Provider/UpgradeResourceState",
        "/tfplugin6.Provider/ConfigureProvider",
        "/tfplugin6.Provider/ReadResource",
        "/tfplugin6.Provider/PlanResourceChange",
        "/tfplugin6.Provider/ApplyResourceChange",
        "/tfplugin6.Provider/ImportResourceState",
        "/tfplugin6.Provider/ReadDataSource",
        "/tfplugin6.Provider/MoveResourceState",
        "/tfplugin6.Provider/StopProvider",
        "/grpc.health.v1.Health/Check",
    };
    static const char *const paths5[] = {
        "/tfplugin5.Provider/GetSchema",
        "/tfplugin5.Provider/PrepareProviderConfig",
        "/tfplugin5.Provider/ValidateResourceTypeConfig",
        "/tfplugin5.Provider/ValidateDataSourceConfig",
        "/tfplugin5.Provider/Configure",
        "/tfplugin5.Provider/PlanResourceChange",
        "/tfplugin5.Provider/MoveResourceState",
        "/tfplugin5.Provider/Stop",
    };
    /* a length-delimited field claiming 100 bytes with 2 present; a bad wire type */
    static const uint8_t truncated[] = {0x0a, 0x64, 'a', 'b'};
    static const uint8_t badwire[] = {0x0f, 0x01};
    tfp__srv_reply r;
    size_t i;

    for (i = 0; i < sizeof(paths6) / sizeof(paths6[0]); i++) {
        tfp__srv_handle(*state, 6, paths6[i], truncated, sizeof(truncated), &r);
        assert_int_equal(r.status, GRPC_STATUS_INVALID_ARGUMENT);
        tfp__srv_reply_dispose(&r);
        tfp__srv_handle(*state, 6, paths6[i], badwire, sizeof(badwire), &r);
        assert_int_equal(r.status, GRPC_STATUS_INVALID_ARGUMENT);
        tfp__srv_reply_dispose(&r);
    }
    for (i = 0; i < sizeof(paths5) / sizeof(paths5[0]); i++) {
        tfp__srv_handle(*state, 5, paths5[i], truncated, sizeof(truncated), &r);
        assert_int_equal(r.status, GRPC_STATUS_INVALID_ARGUMENT);
        tfp__srv_reply_dispose(&r);
    }
}

static void test_routing(void **state)
{
    static const char *const unimplemented[] = {
        "/grpc.health.v1.Health/Watch",
        "/tfplugin6.Provider/GetMetadata",
        "/tfplugin6.Provider/GetFunctions",
        "/tfplugin6.Provider/CallFunction",
        "/tfplugin6.Provider/GetResourceIdentitySchemas",
        "/tfplugin6.Provider/OpenEphemeralResource",
        "/tfplugin6.Provider/ListResource",
        "/tfplugin6.Provider/GetSchema",
        "/tfplugin5.Provisioner/GetSchema",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/nonsense",
        "",
    };
    tfp__srv_handler h = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(unimplemented) / sizeof(unimplemented[0]); i++)
        assert_int_equal(tfp__srv_lookup(6, unimplemented[i], &h), TFP__SRV_UNIMPLEMENTED);
    assert_int_equal(tfp__srv_lookup(6, NULL, &h), TFP__SRV_UNIMPLEMENTED);
    /* go-plugin's streams are served (held open), in both protocols */
    assert_int_equal(tfp__srv_lookup(6, "/plugin.GRPCStdio/StreamStdio", &h), TFP__SRV_STDIO);
    assert_int_equal(tfp__srv_lookup(5, "/plugin.GRPCStdio/StreamStdio", &h), TFP__SRV_STDIO);
    assert_int_equal(tfp__srv_lookup(6, "/plugin.GRPCBroker/StartStream", &h), TFP__SRV_BROKER);
    assert_int_equal(tfp__srv_lookup(5, "/plugin.GRPCBroker/StartStream", &h), TFP__SRV_BROKER);
    assert_string_equal(tfp__srv_rpc_name("/tfplugin5.Provider/ApplyResourceChange"),
                        "ApplyResourceChange");
    assert_string_equal(tfp__srv_rpc_name("nonsense"), "nonsense");
    assert_int_equal(tfp__srv_lookup(5, "/plugin.GRPCController/Shutdown", &h), TFP__SRV_SHUTDOWN);
    assert_int_equal(tfp__srv_lookup(6, "/tfplugin6.Provider/StopProvider", &h), TFP__SRV_UNARY);
    assert_non_null(h);
    assert_int_equal(tfp__srv_lookup(5, "/tfplugin5.Provider/Stop", &h), TFP__SRV_UNARY);
    assert_int_equal(tfp__srv_lookup(5, "/tfplugin5.Provider/StopProvider", &h),
                     TFP__SRV_UNIMPLEMENTED);
}

/* MoveResourceState in both protocols, and the capability that announces it. */
static void test_move_state(void **state)
{
    Tfplugin6__GetProviderSchema__Request sreq6 = TFPLUGIN6__GET_PROVIDER_SCHEMA__REQUEST__INIT;
    Tfplugin5__GetProviderSchema__Request sreq5 = TFPLUGIN5__GET_PROVIDER_SCHEMA__REQUEST__INIT;
    Tfplugin6__MoveResourceState__Request req6 = TFPLUGIN6__MOVE_RESOURCE_STATE__REQUEST__INIT;
    Tfplugin5__MoveResourceState__Request req5 = TFPLUGIN5__MOVE_RESOURCE_STATE__REQUEST__INIT;
    Tfplugin6__RawState raw6 = TFPLUGIN6__RAW_STATE__INIT;
    Tfplugin5__RawState raw5 = TFPLUGIN5__RAW_STATE__INIT;
    Tfplugin6__GetProviderSchema__Response *schema6;
    Tfplugin5__GetProviderSchema__Response *schema5;
    Tfplugin6__MoveResourceState__Response *resp6;
    Tfplugin5__MoveResourceState__Response *resp5;
    static const char json[] = "{\"id\":\"old-1\",\"name\":\"n\"}";
    tfp_provider *p = *state, *moving = NULL;
    tfp_resource *r = NULL;
    tfp_schema *s = NULL;
    tfp_value *v = NULL;
    tfp__srv_reply r1;

    /* no resource accepts a move: the capability is off */
    call(p, 6, "/tfplugin6.Provider/GetProviderSchema", &sreq6.base, &r1);
    schema6 = unpack(&tfplugin6__get_provider_schema__response__descriptor, &r1);
    assert_non_null(schema6);
    assert_false(schema6->server_capabilities->move_resource_state);
    unfree(schema6);
    tfp__srv_reply_dispose(&r1);

    assert_int_equal(tfp_provider_new(&moving, "ut", "1.2.3"), 0);
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(s), "id", tfp_type_string(),
                                             TFP_ATTR_COMPUTED, NULL),
                     0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(s), "name", tfp_type_string(),
                                             TFP_ATTR_REQUIRED, NULL),
                     0);
    assert_int_equal(tfp_resource_new(&r, "ut_new", s), 0);
    assert_int_equal(tfp_resource_accept_move(r, "acme/old", "old_thing"), 0);
    assert_int_equal(tfp_provider_add_resource(moving, r), 0);

    call(moving, 6, "/tfplugin6.Provider/GetProviderSchema", &sreq6.base, &r1);
    schema6 = unpack(&tfplugin6__get_provider_schema__response__descriptor, &r1);
    assert_non_null(schema6);
    assert_true(schema6->server_capabilities->move_resource_state);
    unfree(schema6);
    tfp__srv_reply_dispose(&r1);
    call(moving, 5, "/tfplugin5.Provider/GetSchema", &sreq5.base, &r1);
    schema5 = unpack(&tfplugin5__get_provider_schema__response__descriptor, &r1);
    assert_non_null(schema5);
    assert_true(schema5->server_capabilities->move_resource_state);
    unfree(schema5);
    tfp__srv_reply_dispose(&r1);

    /* v6: accepted, the state comes back as msgpack of the target type */
    raw6.json.data = (uint8_t *)json;
    raw6.json.len = strlen(json);
    req6.source_provider_address = "registry.terraform.io/acme/old";
    req6.source_type_name = "old_thing";
    req6.source_state = &raw6;
    req6.target_type_name = "ut_new";
    call(moving, 6, "/tfplugin6.Provider/MoveResourceState", &req6.base, &r1);
    assert_int_equal(r1.status, GRPC_STATUS_OK);
    resp6 = unpack(&tfplugin6__move_resource_state__response__descriptor, &r1);
    assert_non_null(resp6);
    assert_int_equal(resp6->n_diagnostics, 0);
    assert_non_null(resp6->target_state);
    assert_int_equal(tfp_value_from_msgpack(&v, tfp_schema_type(tfp_resource_schema(r)),
                                            resp6->target_state->msgpack.data,
                                            resp6->target_state->msgpack.len, NULL),
                     0);
    assert_string_equal(tfp_value_attr_string(v, "id"), "old-1");
    tfp_value_free(v);
    unfree(resp6);
    tfp__srv_reply_dispose(&r1);

    /* v5: another source is refused with a diagnostic naming it */
    raw5.json.data = (uint8_t *)json;
    raw5.json.len = strlen(json);
    req5.source_provider_address = "registry.terraform.io/hashicorp/random";
    req5.source_type_name = "random_pet";
    req5.source_state = &raw5;
    req5.target_type_name = "ut_new";
    call(moving, 5, "/tfplugin5.Provider/MoveResourceState", &req5.base, &r1);
    assert_int_equal(r1.status, GRPC_STATUS_OK);
    resp5 = unpack(&tfplugin5__move_resource_state__response__descriptor, &r1);
    assert_non_null(resp5);
    assert_int_equal(resp5->n_diagnostics, 1);
    assert_int_equal(resp5->diagnostics[0]->severity, TFPLUGIN5__DIAGNOSTIC__SEVERITY__ERROR);
    assert_non_null(strstr(resp5->diagnostics[0]->detail, "random_pet"));
    assert_non_null(
        strstr(resp5->diagnostics[0]->detail, "registry.terraform.io/hashicorp/random"));
    unfree(resp5);
    tfp__srv_reply_dispose(&r1);
    tfp_provider_free(moving);
}

static void test_health_and_stop(void **state)
{
    Grpc__Health__V1__HealthCheckRequest hreq = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
    Tfplugin6__StopProvider__Request sreq = TFPLUGIN6__STOP_PROVIDER__REQUEST__INIT;
    Tfplugin6__StopProvider__Response *sresp;
    tfp__srv_reply r;

    hreq.service = "plugin";
    call(*state, 6, "/grpc.health.v1.Health/Check", &hreq.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    assert_int_equal(r.len, 2);
    assert_memory_equal(r.data, "\x08\x01", 2); /* status = SERVING */
    tfp__srv_reply_dispose(&r);
    hreq.service = "";
    call(*state, 5, "/grpc.health.v1.Health/Check", &hreq.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    tfp__srv_reply_dispose(&r);
    hreq.service = "other";
    call(*state, 6, "/grpc.health.v1.Health/Check", &hreq.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_NOT_FOUND);
    tfp__srv_reply_dispose(&r);

    call(*state, 6, "/tfplugin6.Provider/StopProvider", &sreq.base, &r);
    assert_int_equal(r.status, GRPC_STATUS_OK);
    sresp = unpack(&tfplugin6__stop_provider__response__descriptor, &r);
    assert_non_null(sresp);
    assert_string_equal(sresp->error, "");
    unfree(sresp);
    tfp__srv_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_v6),
        cmocka_unit_test(test_schema_v5),
        cmocka_unit_test(test_validate_diag_path_v6),
        cmocka_unit_test(test_validate_diag_path_v5),
        cmocka_unit_test(test_prepare_provider_config_v5),
        cmocka_unit_test(test_plan_apply_v6),
        cmocka_unit_test(test_import_v5),
        cmocka_unit_test(test_unknown_type_is_a_diagnostic),
        cmocka_unit_test(test_malformed_msgpack),
        cmocka_unit_test(test_malformed_protobuf),
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_move_state),
        cmocka_unit_test(test_health_and_stop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
