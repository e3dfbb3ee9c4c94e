/* The RPC layer through a tiny test resource: plan, apply, read, import, upgrade, validate,
 * configure, data sources, and how failures become diagnostics. */
#include "rpc.h"
#include "test_helpers.h"
#include "util.h"

#define CONFIG_BYTES                                                                               \
    "\x83\xa2id\xc0\xa4name\xa5"                                                                   \
    "alpha\xa4note\xa2n1"
#define PLANNED_BYTES                                                                              \
    "\x83\xa2id\xd4\x00\x00\xa4name\xa5"                                                           \
    "alpha\xa4note\xa2n1"
#define STATE_BYTES                                                                                \
    "\x83\xa2id\xa9thing-755\xa4name\xa5"                                                          \
    "alpha\xa4note\xa2n1"
#define STATE2_BYTES                                                                               \
    "\x83\xa2id\xa9thing-755\xa4name\xa5"                                                          \
    "alpha\xa4note\xa2n2"

static tfp__rpc_dynamic dyn(const uint8_t *p, size_t len)
{
    tfp__rpc_dynamic d = {p, len, NULL, 0};
    return d;
}

static const tfp__rpc_dynamic null_dyn = {NULL, 0, NULL, 0};

static tfp_schema *thing_schema(int64_t version)
{
    tfp_schema *s = NULL;
    tfp_block *root;
    assert_int_equal(tfp_schema_new(&s, version), 0);
    root = tfp_schema_root(s);
    assert_int_equal(
        tfp_block_add_attribute(root, "id", tfp_type_string(), TFP_ATTR_COMPUTED, "identifier"), 0);
    assert_int_equal(
        tfp_block_add_attribute(root, "name", tfp_type_string(), TFP_ATTR_REQUIRED, NULL), 0);
    assert_int_equal(
        tfp_block_add_attribute(root, "note", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL), 0);
    return s;
}

/* The handlers propagate failures (they also run under allocation-failure injection). */
static int apply_handler(tfp_call *call)
{
    tfp_value *v = NULL;
    const tfp_value *planned = tfp_call_planned_state(call);
    const char *name = tfp_value_attr_string(planned, "name");
    int rc;
    if (tfp_value_is_null(planned)) {
        return tfp_call_set_result(call, NULL);
    }
    if (name != NULL && strcmp(name, "fail") == 0) {
        return TFP_ECONFLICT;
    }
    if (name != NULL && strcmp(name, "badtype") == 0) {
        rc = tfp_value_new_string(&v, "not an object");
        return rc != 0 ? rc : tfp_call_set_result(call, v);
    }
    rc = tfp_value_copy(&v, planned);
    if (rc != 0) {
        return rc;
    }
    /* name "unknown": a broken handler that leaves the planned unknown id in the new state */
    if (name == NULL || strcmp(name, "unknown") != 0) {
        rc = tfp_value_set_attr_string(v, "id", "thing-755");
        if (rc == 0) {
            rc = tfp_call_set_private(call, "priv-1", 6);
        }
    }
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

static int read_handler(tfp_call *call)
{
    const tfp_value *prior = tfp_call_prior_state(call);
    tfp_value *v = NULL;
    const char *id = tfp_value_attr_string(prior, "id");
    int rc;
    if (id != NULL && strcmp(id, "gone") == 0) {
        return tfp_call_set_result(call, NULL);
    }
    if (id != NULL && strcmp(id, "drift") == 0) {
        rc = tfp_value_copy(&v, prior);
        if (rc == 0) {
            rc = tfp_value_set_attr_string(v, "note", "changed");
        }
        if (rc != 0) {
            tfp_value_free(v);
            return rc;
        }
        return tfp_call_set_result(call, v);
    }
    /* no result: the library keeps the prior state */
    return 0;
}

static int import_handler(tfp_call *call)
{
    tfp_value *v = NULL;
    const tfp_type *t = tfp_schema_type(tfp_call_schema(call));
    int rc = t != NULL ? tfp_value_new_object(&v, t) : TFP_ENOMEM;
    if (rc == 0) {
        rc = tfp_value_set_attr_string(v, "id", tfp_call_import_id(call));
    }
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

static int replace_plan_handler(tfp_call *call)
{
    tfp_path *p = NULL;
    assert_int_equal(tfp_call_require_replace(call, "name"), 0);
    assert_int_equal(tfp_path_new_attr(&p, "note"), 0);
    assert_int_equal(tfp_call_require_replace_path(call, p), 0);
    tfp_path_free(p);
    assert_int_equal(tfp_call_set_private(call, "planned", 7), 0);
    return 0; /* no result: the default plan */
}

static int validate_handler(tfp_call *call)
{
    const char *note = tfp_value_attr_string(tfp_call_config(call), "note");
    if (note != NULL && strcmp(note, "bad") == 0) {
        return tfp_diags_error(tfp_call_diags(call), "note", "Invalid note", "note must not be %s",
                               note);
    }
    return 0;
}

static int configured;

static void free_data(void *p)
{
    configured = -1;
    free(p);
}

static int configure_handler(tfp_call *call)
{
    char *data = strdup(tfp_call_terraform_version(call));
    configured = 1;
    return tfp_call_set_provider_data(call, data, free_data);
}

static int read_data_handler(tfp_call *call)
{
    tfp_value *v = NULL;
    const char *version = tfp_call_provider_data(call);
    assert_int_equal(tfp_value_copy(&v, tfp_call_config(call)), 0);
    assert_int_equal(tfp_value_set_attr_string(v, "id", version != NULL ? version : "none"), 0);
    return tfp_call_set_result(call, v);
}

static tfp_provider *make_provider(void)
{
    tfp_provider *p = NULL;
    tfp_resource *r = NULL;
    tfp_schema *ps = NULL;
    assert_int_equal(tfp_provider_new(&p, "test", "1.0.0"), 0);
    assert_int_equal(tfp_schema_new(&ps, 0), 0);
    assert_int_equal(tfp_block_add_attribute(tfp_schema_root(ps), "region", tfp_type_string(),
                                             TFP_ATTR_OPTIONAL, NULL),
                     0);
    assert_int_equal(tfp_provider_set_schema(p, ps), 0);
    assert_int_equal(tfp_provider_set_handler(p, TFP_OP_CONFIGURE, configure_handler), 0);

    assert_int_equal(tfp_resource_new(&r, "test_thing", thing_schema(0)), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_APPLY, apply_handler), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_READ, read_handler), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_IMPORT, import_handler), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_VALIDATE, validate_handler), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);

    assert_int_equal(tfp_resource_new(&r, "test_replace", thing_schema(2)), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_PLAN, replace_plan_handler), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);

    assert_int_equal(tfp_resource_new(&r, "test_thing", thing_schema(0)), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), TFP_EINVALID); /* duplicate */

    assert_int_equal(tfp_resource_new(&r, "test_lookup", thing_schema(0)), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_READ_DATA, read_data_handler), 0);
    assert_int_equal(tfp_provider_add_data_source(p, r), 0);
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

static void assert_value(const tfp__rpc_result *res, const uint8_t *want, size_t len)
{
    assert_true(res->has_value);
    assert_int_equal(res->value_len, len);
    assert_memory_equal(res->value, want, len);
}

static void assert_error(const tfp__rpc_result *res, const char *summary)
{
    size_t i;
    for (i = 0; i < res->ndiags; i++) {
        if (res->diags[i].severity == 1 && strstr(res->diags[i].summary, summary) != NULL) {
            return;
        }
    }
    fail_msg("no error diagnostic \"%s\" (%zu diagnostics)", summary, res->ndiags);
}

static void test_registry(void **state)
{
    tfp_provider *p = *state;
    const char *name = NULL;
    const tfp_schema *s = NULL;
    assert_int_equal(tfp__rpc_resource_count(p), 2);
    assert_int_equal(tfp__rpc_resource_at(p, 0, &name, &s), 0);
    assert_string_equal(name, "test_replace"); /* sorted */
    assert_int_equal(tfp_schema_version(s), 2);
    assert_int_equal(tfp__rpc_resource_at(p, 1, &name, NULL), 0);
    assert_string_equal(name, "test_thing");
    assert_int_equal(tfp__rpc_resource_at(p, 2, &name, NULL), -1);
    assert_int_equal(tfp__rpc_data_source_count(p), 1);
    assert_int_equal(tfp__rpc_data_source_at(p, 0, &name, NULL), 0);
    assert_string_equal(name, "test_lookup");
    assert_non_null(tfp__rpc_provider_schema(p));
    assert_string_equal(tfp_provider_name(p), "test");
    assert_string_equal(tfp_provider_version(p), "1.0.0");
}

static void test_plan_create_update_destroy(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic config = dyn(LIT(CONFIG_BYTES));
    tfp__rpc_dynamic prior = dyn(LIT(STATE_BYTES));
    tfp__rpc_dynamic proposed2 = dyn(LIT(STATE2_BYTES));

    /* create: computed id null in config -> unknown */
    assert_int_equal(tfp__rpc_plan(p, "test_thing", &null_dyn, &config, &config, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(PLANNED_BYTES));
    assert_false(res.has_priv);
    tfp__rpc_result_dispose(&res);

    /* update: the prior id is kept */
    assert_int_equal(
        tfp__rpc_plan(p, "test_thing", &prior, &proposed2, &config, (const uint8_t *)"pp", 2, &res),
        0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(STATE2_BYTES));
    assert_true(res.has_priv); /* prior private echoed as planned private */
    assert_memory_equal(res.priv, "pp", 2);
    tfp__rpc_result_dispose(&res);

    /* destroy: proposed null -> planned null */
    assert_int_equal(tfp__rpc_plan(p, "test_thing", &prior, &null_dyn, &null_dyn, NULL, 0, &res),
                     0);
    assert_int_equal(res.ndiags, 0);
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);
}

static void test_plan_requires_replace(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic config = dyn(LIT(CONFIG_BYTES));
    tfp__rpc_dynamic prior = dyn(LIT(STATE_BYTES));
    tfp__rpc_dynamic proposed2 = dyn(LIT(STATE2_BYTES));
    assert_int_equal(tfp__rpc_plan(p, "test_replace", &prior, &proposed2, &config, NULL, 0, &res),
                     0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(STATE2_BYTES));
    assert_int_equal(res.nrequires_replace, 2);
    assert_int_equal(res.requires_replace[0].nsteps, 1);
    assert_int_equal(res.requires_replace[0].steps[0].kind, TFP__RPC_STEP_ATTR);
    assert_string_equal(res.requires_replace[0].steps[0].name, "name");
    assert_string_equal(res.requires_replace[1].steps[0].name, "note");
    assert_true(res.has_priv);
    assert_memory_equal(res.priv, "planned", 7);
    tfp__rpc_result_dispose(&res);
}

static void test_apply(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic planned = dyn(LIT(PLANNED_BYTES));
    tfp__rpc_dynamic config = dyn(LIT(CONFIG_BYTES));
    tfp__rpc_dynamic prior = dyn(LIT(STATE_BYTES));

    assert_int_equal(tfp__rpc_apply(p, "test_thing", &null_dyn, &planned, &config, NULL, 0, &res),
                     0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(STATE_BYTES));
    assert_true(res.has_priv);
    assert_memory_equal(res.priv, "priv-1", 6);
    tfp__rpc_result_dispose(&res);

    /* delete: planned c0, config c0 -> new state null */
    {
        tfp__rpc_dynamic nil = dyn(LIT("\xc0"));
        assert_int_equal(tfp__rpc_apply(p, "test_thing", &prior, &nil, &nil, NULL, 0, &res), 0);
        assert_int_equal(res.ndiags, 0);
        assert_false(res.has_value);
        tfp__rpc_result_dispose(&res);
    }
}

static void test_apply_bad_results(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic planned_unknown =
        dyn(LIT("\x83\xa2id\xd4\x00\x00\xa4name\xa7unknown\xa4note\xc0"));
    tfp__rpc_dynamic planned_fail = dyn(LIT("\x83\xa2id\xd4\x00\x00\xa4name\xa4"
                                            "fail\xa4note\xc0"));
    tfp__rpc_dynamic planned_bad = dyn(LIT("\x83\xa2id\xd4\x00\x00\xa4name\xa7"
                                           "badtype\xa4note\xc0"));

    assert_int_equal(
        tfp__rpc_apply(p, "test_thing", &null_dyn, &planned_unknown, &null_dyn, NULL, 0, &res), 0);
    assert_error(&res, "unknown value");
    assert_true(res.diags[0].has_path);
    assert_string_equal(res.diags[0].path.steps[0].name, "id");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);

    assert_int_equal(
        tfp__rpc_apply(p, "test_thing", &null_dyn, &planned_fail, &null_dyn, NULL, 0, &res), 0);
    assert_error(&res, "Provider error");
    assert_non_null(strstr(res.diags[0].detail, tfp_strerror(TFP_ECONFLICT)));
    tfp__rpc_result_dispose(&res);

    assert_int_equal(
        tfp__rpc_apply(p, "test_thing", &null_dyn, &planned_bad, &null_dyn, NULL, 0, &res), 0);
    assert_error(&res, "invalid object");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);

    /* apply on a type without an apply handler */
    assert_int_equal(
        tfp__rpc_apply(p, "test_replace", &null_dyn, &planned_fail, &null_dyn, NULL, 0, &res), 0);
    assert_error(&res, "not supported");
    tfp__rpc_result_dispose(&res);
}

static void test_read(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic cur = dyn(LIT(STATE_BYTES));
    tfp__rpc_dynamic gone = dyn(LIT("\x83\xa2id\xa4gone\xa4name\xa1x\xa4note\xc0"));
    tfp__rpc_dynamic drift = dyn(LIT("\x83\xa2id\xa5"
                                     "drift\xa4name\xa1x\xa4note\xc0"));

    /* handler sets no result: prior kept, private echoed */
    assert_int_equal(
        tfp__rpc_read_resource(p, "test_thing", &cur, (const uint8_t *)"keep", 4, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(STATE_BYTES));
    assert_true(res.has_priv);
    assert_memory_equal(res.priv, "keep", 4);
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_read_resource(p, "test_thing", &gone, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_read_resource(p, "test_thing", &drift, NULL, 0, &res), 0);
    assert_value(&res, LIT("\x83\xa2id\xa5"
                           "drift\xa4name\xa1x\xa4note\xa7"
                           "changed"));
    tfp__rpc_result_dispose(&res);

    /* default read on a type without a handler */
    assert_int_equal(tfp__rpc_read_resource(p, "test_replace", &cur, NULL, 0, &res), 0);
    assert_value(&res, LIT(STATE_BYTES));
    tfp__rpc_result_dispose(&res);
}

static void test_import(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    assert_int_equal(tfp__rpc_import(p, "test_thing", "thing-755", &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_string_equal(res.type_name, "test_thing");
    assert_value(&res, LIT("\x83\xa2id\xa9thing-755\xa4name\xc0\xa4note\xc0"));
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_import(p, "test_replace", "x", &res), 0);
    assert_error(&res, "not supported");
    assert_false(res.has_value);
    assert_null(res.type_name);
    tfp__rpc_result_dispose(&res);
}

static void test_upgrade(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    const char pretty[] =
        "{\n  \"id\": \"thing-755\",\n  \"name\": \"alpha\",\n  \"note\": \"n1\"\n}";
    const char compact_missing[] = "{\"id\":\"thing-755\",\"name\":\"alpha\"}";

    assert_int_equal(
        tfp__rpc_upgrade_state(p, "test_thing", 0, (const uint8_t *)pretty, strlen(pretty), &res),
        0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(STATE_BYTES));
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_upgrade_state(p, "test_thing", 0, (const uint8_t *)compact_missing,
                                            strlen(compact_missing), &res),
                     0);
    assert_value(&res, LIT("\x83\xa2id\xa9thing-755\xa4name\xa5"
                           "alpha\xa4note\xc0"));
    tfp__rpc_result_dispose(&res);

    /* older version without an upgrade handler */
    assert_int_equal(
        tfp__rpc_upgrade_state(p, "test_replace", 1, (const uint8_t *)pretty, strlen(pretty), &res),
        0);
    assert_error(&res, "Unable to upgrade");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);

    /* an attribute the schema does not have */
    assert_int_equal(
        tfp__rpc_upgrade_state(p, "test_thing", 0, (const uint8_t *)"{\"x\":1}", 7, &res), 0);
    assert_error(&res, "Invalid raw state");
    tfp__rpc_result_dispose(&res);
}

/* A MOVE handler that maps a foreign shape {"uuid": ..., "label": ...} onto test_thing. */
static int move_handler(tfp_call *call)
{
    size_t len = 0;
    const char *raw = NULL;
    const char *src = tfp_call_move_source_type(call);
    tfp_value *v = NULL;
    int rc;
    assert_int_equal(tfp_call_raw_state(&raw, &len, call), 0);
    assert_non_null(tfp_call_move_source_provider(call));
    assert_int_equal(tfp_call_op(call), TFP_OP_MOVE);
    if (strcmp(src, "old_thing") != 0 || tfp_call_state_version(call) != 3) {
        return tfp_diags_error(tfp_call_diags(call), NULL, "unexpected source", "%s", src);
    }
    /* the raw JSON is handed over untouched */
    assert_true(len > 0 && raw[0] == '{');
    rc = tfp_value_new_object(&v, tfp_schema_type(tfp_call_schema(call)));
    if (rc == 0) {
        rc = tfp_value_set_attr_string(v, "id", "moved-1");
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(v, "name", "alpha");
    }
    if (rc == 0) {
        rc = tfp_call_set_private(call, "mv", 2);
    }
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

static int move_unknown_handler(tfp_call *call)
{
    tfp_value *v = NULL;
    int rc = tfp_value_new_object(&v, tfp_schema_type(tfp_call_schema(call)));
    if (rc == 0) {
        rc = tfp_value_set_attr_unknown(v, "id");
    }
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

static int find_error_detail(const tfp__rpc_result *res, const char *needle)
{
    size_t i;
    for (i = 0; i < res->ndiags; i++) {
        if (res->diags[i].severity == 1 && res->diags[i].detail != NULL &&
            strstr(res->diags[i].detail, needle) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void test_move(void **state)
{
    tfp_provider *p = NULL;
    tfp_resource *r = NULL;
    tfp__rpc_result res;
    const char raw[] = "{\"uuid\":\"x\",\"label\":\"alpha\"}";
    const char same[] = "{\"id\":\"thing-755\",\"name\":\"alpha\",\"note\":\"n1\"}";
    const char *src = "registry.terraform.io/acme/old";
    (void)state;

    assert_int_equal(tfp_provider_new(&p, "test", "1.0.0"), 0);
    /* no resource accepts a move yet: no capability */
    assert_int_equal(tfp_resource_new(&r, "test_mapped", thing_schema(0)), 0);
    assert_int_equal(tfp_resource_accept_move(r, NULL, "old_thing"), TFP_EINVALID);
    assert_int_equal(tfp_resource_accept_move(r, "acme", "old_thing"), TFP_EINVALID);
    assert_int_equal(tfp_resource_accept_move(r, "a/b/c/d", "old_thing"), TFP_EINVALID);
    assert_int_equal(tfp_resource_accept_move(r, "acme//old", "old_thing"), TFP_EINVALID);
    assert_int_equal(tfp_resource_accept_move(r, "acme/old", ""), TFP_EINVALID);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_MOVE, move_handler), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    assert_false(tfp__rpc_moves_supported(p));

    /* a declared move: the short registry form and any case match Terraform's address */
    assert_int_equal(tfp_resource_new(&r, "test_renamed", thing_schema(0)), 0);
    assert_int_equal(tfp_resource_accept_move(r, "Acme/Old", "old_same"), 0);
    assert_int_equal(tfp_resource_accept_move(r, "example.com/acme/old", "old_same"), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    assert_true(tfp__rpc_moves_supported(p));

    /* the default: the raw state decodes with the target schema */
    assert_int_equal(tfp__rpc_move_state(p, src, "old_same", 0, (const uint8_t *)same, strlen(same),
                                         (const uint8_t *)"sp", 2, "test_renamed", &res),
                     0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT(STATE_BYTES));
    assert_false(res.has_priv); /* the source's private is not carried over */
    tfp__rpc_result_dispose(&res);

    /* ... and reports when it does not */
    assert_int_equal(tfp__rpc_move_state(p, "example.com/acme/old", "old_same", 0,
                                         (const uint8_t *)raw, strlen(raw), NULL, 0, "test_renamed",
                                         &res),
                     0);
    assert_error(&res, "Unable to move resource state");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);

    /* undeclared sources are refused, naming the source type and provider */
    assert_int_equal(tfp__rpc_move_state(p, "registry.terraform.io/hashicorp/aws", "aws_instance",
                                         0, (const uint8_t *)same, strlen(same), NULL, 0,
                                         "test_renamed", &res),
                     0);
    assert_error(&res, "Unsupported `moved` source");
    assert_true(find_error_detail(&res, "\"aws_instance\""));
    assert_true(find_error_detail(&res, "\"registry.terraform.io/hashicorp/aws\""));
    assert_true(find_error_detail(&res, "old_same (registry.terraform.io/acme/old)"));
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);
    /* right type, other provider */
    assert_int_equal(tfp__rpc_move_state(p, "registry.terraform.io/other/old", "old_same", 0,
                                         (const uint8_t *)same, strlen(same), NULL, 0,
                                         "test_renamed", &res),
                     0);
    assert_error(&res, "Unsupported `moved` source");
    tfp__rpc_result_dispose(&res);
    /* a type that accepts nothing, and names that are not printable are not quoted */
    assert_int_equal(tfp__rpc_move_state(p, "bad\naddress", "x\ty", 0, (const uint8_t *)same,
                                         strlen(same), NULL, 0, "test_mapped", &res),
                     0);
    assert_error(&res, "Unsupported `moved` source");
    assert_true(find_error_detail(&res, "(not a type name)"));
    assert_true(find_error_detail(&res, "(not a provider address)"));
    assert_true(find_error_detail(&res, "accepts no moves"));
    tfp__rpc_result_dispose(&res);
    /* an unknown target type */
    assert_int_equal(tfp__rpc_move_state(p, src, "old_same", 0, (const uint8_t *)same, strlen(same),
                                         NULL, 0, "nope", &res),
                     0);
    assert_error(&res, "Unknown resource type");
    tfp__rpc_result_dispose(&res);
    tfp_provider_free(p);

    /* a handler converts another shape and may set private bytes */
    assert_int_equal(tfp_provider_new(&p, "test", "1.0.0"), 0);
    assert_int_equal(tfp_resource_new(&r, "test_mapped", thing_schema(0)), 0);
    assert_int_equal(tfp_resource_accept_move(r, src, "old_thing"), 0);
    assert_int_equal(tfp_resource_accept_move(r, src, "old_unknown"), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_MOVE, move_handler), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    assert_int_equal(tfp__rpc_move_state(p, src, "old_thing", 3, (const uint8_t *)raw, strlen(raw),
                                         NULL, 0, "test_mapped", &res),
                     0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT("\x83\xa2id\xa7moved-1\xa4name\xa5"
                           "alpha\xa4note\xc0"));
    assert_true(res.has_priv);
    assert_memory_equal(res.priv, "mv", 2);
    tfp__rpc_result_dispose(&res);
    /* the handler's own refusal */
    assert_int_equal(tfp__rpc_move_state(p, src, "old_thing", 1, (const uint8_t *)raw, strlen(raw),
                                         NULL, 0, "test_mapped", &res),
                     0);
    assert_error(&res, "unexpected source");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);
    /* a result with unknowns is refused (Terraform would reject it) */
    assert_int_equal(tfp_resource_new(&r, "test_broken", thing_schema(0)), 0);
    assert_int_equal(tfp_resource_accept_move(r, src, "old_thing"), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_MOVE, move_unknown_handler), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    assert_int_equal(tfp__rpc_move_state(p, src, "old_thing", 3, (const uint8_t *)raw, strlen(raw),
                                         NULL, 0, "test_broken", &res),
                     0);
    assert_error(&res, "unknown value");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);
    tfp_provider_free(p);

    /* data sources cannot accept moves once registered */
    assert_int_equal(tfp_provider_new(&p, "test", "1.0.0"), 0);
    assert_int_equal(tfp_resource_new(&r, "test_ds", thing_schema(0)), 0);
    assert_int_equal(tfp_provider_add_data_source(p, r), 0);
    assert_int_equal(tfp_resource_accept_move(r, src, "old_thing"), TFP_EINVALID);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_MOVE, move_handler), TFP_EINVALID);
    assert_false(tfp__rpc_moves_supported(p));
    tfp_provider_free(p);
}

static void test_unknown_type_and_bad_input(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic bad = dyn(LIT("\x83\xa2id"));
    tfp__rpc_dynamic config = dyn(LIT(CONFIG_BYTES));

    assert_int_equal(tfp__rpc_plan(p, "nope", &null_dyn, &config, &config, NULL, 0, &res), 0);
    assert_error(&res, "Unknown resource type");
    tfp__rpc_result_dispose(&res);
    assert_int_equal(tfp__rpc_read_data_source(p, "test_thing", &config, &res), 0);
    assert_error(&res, "Unknown data source type");
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_plan(p, "test_thing", &null_dyn, &bad, &config, NULL, 0, &res), 0);
    assert_error(&res, "Invalid proposed_new_state value");
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_validate_resource(p, "test_thing", &bad, &res), 0);
    assert_error(&res, "Invalid config value");
    tfp__rpc_result_dispose(&res);

    /* JSON fallback of a DynamicValue */
    {
        const char *text = "{\"name\":\"a\",\"note\":\"bad\"}";
        tfp__rpc_dynamic json = {NULL, 0, (const uint8_t *)text, strlen(text)};
        assert_int_equal(tfp__rpc_validate_resource(p, "test_thing", &json, &res), 0);
        assert_error(&res, "Invalid note");
        assert_true(res.diags[0].has_path);
        assert_string_equal(res.diags[0].path.steps[0].name, "note");
        assert_string_equal(res.diags[0].detail, "note must not be bad");
        tfp__rpc_result_dispose(&res);
    }
}

static void test_validate_and_configure(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic cfg = dyn(LIT("\x81\xa6region\xa5"
                                   "eu-de"));
    tfp__rpc_dynamic unknown_cfg = dyn(LIT("\x81\xa6region\xd4\x00\x00"));
    tfp__rpc_dynamic ds_cfg = dyn(LIT("\x83\xa2id\xc0\xa4name\xa1x\xa4note\xc0"));

    assert_int_equal(tfp__rpc_validate_provider_config(p, &cfg, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT("\x81\xa6region\xa5"
                           "eu-de"));
    tfp__rpc_result_dispose(&res);
    assert_int_equal(tfp__rpc_validate_provider_config(p, &unknown_cfg, &res), 0);
    assert_value(&res, LIT("\x81\xa6region\xd4\x00\x00"));
    tfp__rpc_result_dispose(&res);

    configured = 0;
    assert_int_equal(tfp__rpc_configure(p, "1.11.4", &cfg, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_int_equal(configured, 1);
    tfp__rpc_result_dispose(&res);

    assert_int_equal(tfp__rpc_read_data_source(p, "test_lookup", &ds_cfg, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT("\x83\xa2id\xa6"
                           "1.11.4\xa4name\xa1x\xa4note\xc0"));
    tfp__rpc_result_dispose(&res);

    /* configuring again releases the previous data */
    assert_int_equal(tfp__rpc_configure(p, "1.11.5", &cfg, &res), 0);
    assert_int_equal(configured, -1); /* the handler ran, then the old data was freed */
    tfp__rpc_result_dispose(&res);
}

/* The error for a configuration string with a NUL: one diagnostic at @p attr, no value. */
static void assert_nul_refused(tfp__rpc_result *res, const char *attr)
{
    assert_int_equal(res->ndiags, 1);
    assert_int_equal(res->diags[0].severity, 1);
    assert_string_equal(res->diags[0].summary, "Invalid character in string");
    assert_non_null(strstr(res->diags[0].detail, "NUL"));
    assert_true(res->diags[0].has_path);
    assert_int_equal(res->diags[0].path.nsteps, 1);
    assert_int_equal(res->diags[0].path.steps[0].kind, TFP__RPC_STEP_ATTR);
    assert_string_equal(res->diags[0].path.steps[0].name, attr);
    assert_false(res->has_value);
    tfp__rpc_result_dispose(res);
}

/* Configuration strings with a NUL are refused before any handler sees them (a handler reads
 * C strings and would see "a" for "a\u0000b"); states holding one still decode and round-trip,
 * so that such a state can be planned against, refreshed and destroyed. */
static void test_nul_in_config(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result res;
    tfp__rpc_dynamic bad = dyn(LIT("\x83\xa2id\xc0\xa4name\xa3"
                                   "a\0b\xa4note\xc0"));
    tfp__rpc_dynamic bad_note = dyn(LIT("\x83\xa2id\xc0\xa4name\xa1x\xa4note\xa3"
                                        "b\0d"));
    tfp__rpc_dynamic good = dyn(LIT(CONFIG_BYTES));
    tfp__rpc_dynamic prior_nul = dyn(LIT("\x83\xa2id\xa9thing-755\xa4name\xa5"
                                         "alpha\xa4note\xa3"
                                         "n\0n"));
    tfp__rpc_dynamic bad_region = dyn(LIT("\x81\xa6region\xa5"
                                          "eu\0de"));
    const char raw[] = "{\"id\":\"thing-755\",\"name\":\"alpha\",\"note\":\"n\\u0000n\"}";

    assert_int_equal(tfp__rpc_validate_resource(p, "test_thing", &bad, &res), 0);
    assert_nul_refused(&res, "name");
    /* "b\0d" would pass the handler's check for "bad" as "b": it never gets to see it */
    assert_int_equal(tfp__rpc_validate_resource(p, "test_thing", &bad_note, &res), 0);
    assert_nul_refused(&res, "note");
    assert_int_equal(tfp__rpc_plan(p, "test_thing", &null_dyn, &bad, &bad, NULL, 0, &res), 0);
    assert_nul_refused(&res, "name");
    assert_int_equal(tfp__rpc_apply(p, "test_thing", &null_dyn, &bad, &bad, NULL, 0, &res), 0);
    assert_nul_refused(&res, "name");
    assert_int_equal(tfp__rpc_validate_data_source(p, "test_lookup", &bad, &res), 0);
    assert_nul_refused(&res, "name");
    assert_int_equal(tfp__rpc_read_data_source(p, "test_lookup", &bad, &res), 0);
    assert_nul_refused(&res, "name");
    assert_int_equal(tfp__rpc_validate_provider_config(p, &bad_region, &res), 0);
    assert_nul_refused(&res, "region");
    assert_int_equal(tfp__rpc_configure(p, "1.11.4", &bad_region, &res), 0);
    assert_nul_refused(&res, "region");

    /* a prior state with a NUL: upgrade, read and plan work, and the bytes survive */
    assert_int_equal(
        tfp__rpc_upgrade_state(p, "test_thing", 0, (const uint8_t *)raw, strlen(raw), &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_value(&res, LIT("\x83\xa2id\xa9thing-755\xa4name\xa5"
                           "alpha\xa4note\xa3"
                           "n\0n"));
    tfp__rpc_result_dispose(&res);
    assert_int_equal(tfp__rpc_read_resource(p, "test_thing", &prior_nul, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    tfp__rpc_result_dispose(&res);
    assert_int_equal(tfp__rpc_plan(p, "test_thing", &prior_nul, &good, &good, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_true(res.has_value);
    tfp__rpc_result_dispose(&res);
    /* destroy: planned and config are null */
    assert_int_equal(
        tfp__rpc_apply(p, "test_thing", &prior_nul, &null_dyn, &null_dyn, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_false(res.has_value);
    tfp__rpc_result_dispose(&res);
}

/* ----- allocation failures ----- */

enum { ALLOC_RPCS = 7 };

/* Runs the i-th RPC of the allocation-failure sequence. */
static int run_alloc_rpc(tfp_provider *p, int i, tfp__rpc_result *res)
{
    static const char raw[] = "{\"id\":\"thing-755\",\"name\":\"alpha\"}";
    tfp__rpc_dynamic config = dyn(LIT(CONFIG_BYTES));
    tfp__rpc_dynamic planned = dyn(LIT(PLANNED_BYTES));
    tfp__rpc_dynamic st = dyn(LIT(STATE_BYTES));
    switch (i) {
    case 0:
        return tfp__rpc_plan(p, "test_thing", &null_dyn, &config, &config, NULL, 0, res);
    case 1:
        return tfp__rpc_apply(p, "test_thing", &null_dyn, &planned, &config, NULL, 0, res);
    case 2:
        return tfp__rpc_read_resource(p, "test_thing", &st, (const uint8_t *)"pv", 2, res);
    case 3:
        return tfp__rpc_upgrade_state(p, "test_thing", 0, (const uint8_t *)raw, strlen(raw), res);
    case 4:
        return tfp__rpc_import(p, "test_thing", "x", res);
    case 5:
        return tfp__rpc_plan(p, "nope", &null_dyn, &config, &config, NULL, 0, res);
    default:
        return tfp__rpc_validate_resource(p, "test_thing", &config, res);
    }
}

static int same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_path(const tfp__rpc_path *a, const tfp__rpc_path *b)
{
    size_t i;
    if (a->nsteps != b->nsteps) {
        return 0;
    }
    for (i = 0; i < a->nsteps; i++) {
        if (a->steps[i].kind != b->steps[i].kind || a->steps[i].index != b->steps[i].index ||
            !same_text(a->steps[i].name, b->steps[i].name)) {
            return 0;
        }
    }
    return 1;
}

/* 1 if two results carry the same response. */
static int same_result(const tfp__rpc_result *a, const tfp__rpc_result *b)
{
    size_t i;
    if (a->ndiags != b->ndiags || a->has_value != b->has_value || a->has_priv != b->has_priv ||
        a->nrequires_replace != b->nrequires_replace || !same_text(a->type_name, b->type_name)) {
        return 0;
    }
    for (i = 0; i < a->ndiags; i++) {
        if (a->diags[i].severity != b->diags[i].severity ||
            !same_text(a->diags[i].summary, b->diags[i].summary) ||
            !same_text(a->diags[i].detail, b->diags[i].detail) ||
            a->diags[i].has_path != b->diags[i].has_path ||
            (a->diags[i].has_path && !same_path(&a->diags[i].path, &b->diags[i].path))) {
            return 0;
        }
    }
    if (a->has_value &&
        (a->value_len != b->value_len || memcmp(a->value, b->value, a->value_len) != 0)) {
        return 0;
    }
    if (a->has_priv && (a->priv_len != b->priv_len || memcmp(a->priv, b->priv, a->priv_len) != 0)) {
        return 0;
    }
    for (i = 0; i < a->nrequires_replace; i++) {
        if (!same_path(&a->requires_replace[i], &b->requires_replace[i])) {
            return 0;
        }
    }
    return 1;
}

/* 1 if the result reports the failure as what it is: an error diagnostic naming memory. */
static int says_out_of_memory(const tfp__rpc_result *r)
{
    size_t i;
    for (i = 0; i < r->ndiags; i++) {
        if (r->diags[i].severity == 1 &&
            (strstr(r->diags[i].summary, "out of memory") != NULL ||
             (r->diags[i].detail != NULL && strstr(r->diags[i].detail, "out of memory") != NULL))) {
            return 1;
        }
    }
    return 0;
}

/* Every allocation of a sequence of RPCs fails once, in turn. The RPC that meets the failure
 * answers TFP_ENOMEM with an empty result (the server sends INTERNAL), or 0 with the very
 * response it gives without the failure (the allocation was optional), or 0 with an error
 * diagnostic that says "out of memory"; never a different response, and never a failure
 * reported as something else (a user error, a bad value). The other RPCs answer exactly as
 * without the failure. ASan/valgrind check that nothing leaks. */
static void test_alloc_failures(void **state)
{
    tfp_provider *p = *state;
    tfp__rpc_result ref[ALLOC_RPCS];
    int absorbed = 0, reported = 0, enomem = 0;
    long n;
    int i;
    for (i = 0; i < ALLOC_RPCS; i++) {
        assert_int_equal(run_alloc_rpc(p, i, &ref[i]), 0);
    }
    for (n = 1; n < 100000; n++) {
        long before = util_alloc_count();
        int hit = -1;
        util_alloc_fail_at(n, 0);
        for (i = 0; i < ALLOC_RPCS; i++) {
            tfp__rpc_result res;
            long at = util_alloc_count();
            int rc = run_alloc_rpc(p, i, &res);
            int failed_here = at - before < n && util_alloc_count() - before >= n;
            if (failed_here) {
                hit = i;
            }
            if (rc == TFP_ENOMEM) {
                assert_true(failed_here);
                assert_int_equal(res.ndiags, 0);
                assert_false(res.has_value);
                assert_false(res.has_priv);
                enomem++;
            } else {
                assert_int_equal(rc, 0);
                if (!same_result(&res, &ref[i])) {
                    if (!failed_here || !says_out_of_memory(&res)) {
                        fail_msg("RPC %d with allocation %ld failing: a different response "
                                 "(%zu diagnostics, first: %s: %s)",
                                 i, n, res.ndiags, res.ndiags ? res.diags[0].summary : "-",
                                 res.ndiags && res.diags[0].detail ? res.diags[0].detail : "-");
                    }
                    reported++;
                } else if (failed_here) {
                    absorbed++;
                }
            }
            tfp__rpc_result_dispose(&res);
        }
        util_alloc_fail_at(0, 0);
        if (hit < 0) {
            break; /* the whole sequence ran without reaching the injected failure */
        }
    }
    print_message("%ld allocations: %d failures answered ENOMEM, %d reported as out of memory, "
                  "%d absorbed\n",
                  n - 1, enomem, reported, absorbed);
    assert_true(n > 50);
    assert_true(enomem > 0);
    for (i = 0; i < ALLOC_RPCS; i++) {
        tfp__rpc_result_dispose(&ref[i]);
    }
}

/* The default plan marks computed attributes unknown inside nested blocks of every mode. */
static void test_default_plan_nested_blocks(void **state)
{
    tfp_provider *p = *state;
    tfp_schema *s = NULL;
    tfp_block *root;
    tfp_block *single = NULL;
    tfp_block *list = NULL;
    tfp_block *set = NULL;
    tfp_block *map = NULL;
    tfp_resource *r = NULL;
    const tfp_type *t;
    tfp_value *cfg = NULL;
    tfp_value *e = NULL;
    tfp_value *coll = NULL;
    tfp_value *planned = NULL;
    void *bytes = NULL;
    size_t len = 0;
    tfp__rpc_result res;
    tfp__rpc_dynamic in;
    const tfp_value *x;

    assert_int_equal(tfp_schema_new(&s, 0), 0);
    root = tfp_schema_root(s);
    assert_int_equal(
        tfp_block_add_attribute(root, "id", tfp_type_string(), TFP_ATTR_COMPUTED, NULL), 0);
    assert_int_equal(tfp_block_add_block(&single, root, "cfg", TFP_NESTING_SINGLE, 0, 0), 0);
    assert_int_equal(tfp_block_add_attribute(single, "cid", tfp_type_string(),
                                             TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED, NULL),
                     0);
    assert_int_equal(tfp_block_add_block(&list, root, "rule", TFP_NESTING_LIST, 0, 0), 0);
    assert_int_equal(
        tfp_block_add_attribute(list, "port", tfp_type_number(), TFP_ATTR_REQUIRED, NULL), 0);
    assert_int_equal(
        tfp_block_add_attribute(list, "rid", tfp_type_string(), TFP_ATTR_COMPUTED, NULL), 0);
    assert_int_equal(tfp_block_add_block(&set, root, "port", TFP_NESTING_SET, 0, 0), 0);
    assert_int_equal(tfp_block_add_attribute(set, "n", tfp_type_number(), TFP_ATTR_REQUIRED, NULL),
                     0);
    assert_int_equal(
        tfp_block_add_attribute(set, "pid", tfp_type_string(), TFP_ATTR_COMPUTED, NULL), 0);
    assert_int_equal(tfp_block_add_block(&map, root, "named", TFP_NESTING_MAP, 0, 0), 0);
    assert_int_equal(
        tfp_block_add_attribute(map, "mid", tfp_type_string(), TFP_ATTR_COMPUTED, NULL), 0);
    assert_int_equal(tfp_resource_new(&r, "test_nested", s), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    t = tfp_schema_type(s);

    /* config: cfg {}, one rule, one port, one named block; cid set by the user */
    assert_int_equal(tfp_value_new_object(&cfg, t), 0);
    assert_int_equal(tfp_value_new_object(&e, tfp_type_attr(t, "cfg")), 0);
    assert_int_equal(tfp_value_set_attr(cfg, "cfg", e), 0);
    assert_int_equal(tfp_value_new_collection(&coll, tfp_type_attr(t, "rule")), 0);
    assert_int_equal(tfp_value_new_object(&e, tfp_type_element(tfp_type_attr(t, "rule"))), 0);
    assert_int_equal(tfp_value_set_attr_int64(e, "port", 443), 0);
    assert_int_equal(tfp_value_append(coll, e), 0);
    assert_int_equal(tfp_value_set_attr(cfg, "rule", coll), 0);
    assert_int_equal(tfp_value_new_collection(&coll, tfp_type_attr(t, "port")), 0);
    assert_int_equal(tfp_value_new_object(&e, tfp_type_element(tfp_type_attr(t, "port"))), 0);
    assert_int_equal(tfp_value_set_attr_int64(e, "n", 1), 0);
    assert_int_equal(tfp_value_append(coll, e), 0);
    assert_int_equal(tfp_value_set_attr(cfg, "port", coll), 0);
    assert_int_equal(tfp_value_new_collection(&coll, tfp_type_attr(t, "named")), 0);
    assert_int_equal(tfp_value_new_object(&e, tfp_type_element(tfp_type_attr(t, "named"))), 0);
    assert_int_equal(tfp_value_map_put(coll, "a", e), 0);
    assert_int_equal(tfp_value_set_attr(cfg, "named", coll), 0);
    assert_int_equal(tfp_value_to_msgpack(&bytes, &len, cfg), 0);
    in = dyn(bytes, len);

    assert_int_equal(tfp__rpc_plan(p, "test_nested", &null_dyn, &in, &in, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_true(res.has_value);
    assert_int_equal(tfp_value_from_msgpack(&planned, t, res.value, res.value_len, NULL), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(planned, "id")));
    assert_false(tfp_value_is_known(tfp_value_attr(tfp_value_attr(planned, "cfg"), "cid")));
    x = tfp_value_at(tfp_value_attr(planned, "rule"), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(x, "rid")));
    assert_string_equal(tfp_value_number_text(tfp_value_attr(x, "port")), "443");
    x = tfp_value_at(tfp_value_attr(planned, "port"), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(x, "pid")));
    x = tfp_value_map_get(tfp_value_attr(planned, "named"), "a");
    assert_false(tfp_value_is_known(tfp_value_attr(x, "mid")));
    tfp_value_free(planned);
    tfp__rpc_result_dispose(&res);

    /* an update keeps whatever the proposed state holds */
    assert_int_equal(tfp__rpc_plan(p, "test_nested", &in, &in, &in, NULL, 0, &res), 0);
    assert_int_equal(res.ndiags, 0);
    assert_int_equal(res.value_len, len);
    assert_memory_equal(res.value, bytes, len);
    tfp__rpc_result_dispose(&res);
    tfp_free(bytes);
    tfp_value_free(cfg);
}

static void test_dispose_zeroed(void **state)
{
    tfp__rpc_result res;
    (void)state;
    memset(&res, 0, sizeof(res));
    tfp__rpc_result_dispose(&res);
    tfp__rpc_result_dispose(NULL);
    /* no provider: an internal failure, and *out is still safe to dispose */
    assert_int_equal(tfp__rpc_plan(NULL, "x", NULL, NULL, NULL, NULL, 0, &res), TFP_EINVALID);
    assert_int_equal(res.ndiags, 0);
    tfp__rpc_result_dispose(&res);
    assert_int_equal(tfp__rpc_import(NULL, "x", "id", &res), TFP_EINVALID);
    tfp__rpc_result_dispose(&res);
    assert_int_equal(tfp__rpc_import(NULL, "x", "id", NULL), TFP_EINVALID);
    assert_int_equal(tfp__rpc_resource_count(NULL), 0);
    assert_int_equal(tfp__rpc_data_source_at(NULL, 0, NULL, NULL), -1);
    assert_null(tfp__rpc_provider_schema(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_create_update_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_requires_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_bad_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_type_and_bad_input, setup, teardown),
        cmocka_unit_test(test_move),
        cmocka_unit_test_setup_teardown(test_validate_and_configure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_in_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_plan_nested_blocks, setup, teardown),
        cmocka_unit_test(test_dispose_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
