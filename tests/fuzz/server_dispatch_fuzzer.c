/*
 * Fuzz target of the protobuf <-> core mapping (tfp__srv_handle): byte 0 picks the method
 * (v5 or v6), the rest is the request payload. Bad input must never crash or leak.
 */
#include "dispatch.h"

#include <tfp/tfp.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fz_paths[] = {
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
    "/grpc.health.v1.Health/Check",
    "/tfplugin5.Provider/GetSchema",
    "/tfplugin5.Provider/PrepareProviderConfig",
    "/tfplugin5.Provider/ValidateResourceTypeConfig",
    "/tfplugin5.Provider/ValidateDataSourceConfig",
    "/tfplugin5.Provider/UpgradeResourceState",
    "/tfplugin5.Provider/Configure",
    "/tfplugin5.Provider/ReadResource",
    "/tfplugin5.Provider/PlanResourceChange",
    "/tfplugin5.Provider/ApplyResourceChange",
    "/tfplugin5.Provider/ImportResourceState",
    "/tfplugin5.Provider/ReadDataSource",
    "/tfplugin6.Provider/MoveResourceState",
    "/tfplugin5.Provider/MoveResourceState",
};

static tfp_provider *fz_provider;

static int fz_validate(tfp_call *call)
{
    const char *n = tfp_value_attr_string(tfp_call_config(call), "name");
    if (n != NULL && n[0] == 'x')
        tfp_diags_error(tfp_call_diags(call), "name", "bad name", "detail");
    return 0;
}

/* fz_thing {id computed, name required, n number, tags map(string), blk list { x dynamic }}
 * and the data source fz_data {q required}. Registration failures leave parts out, which
 * only makes the fuzzer see "unknown type" diagnostics. */
static tfp_provider *fz_make(void)
{
    tfp_provider *p = NULL;
    tfp_schema *s = NULL;
    tfp_resource *r = NULL;
    tfp_block *b = NULL;
    tfp_type *m = NULL;

    if (tfp_provider_new(&p, "fz", "1") != 0)
        return NULL;
    if (tfp_schema_new(&s, 1) == 0 && tfp_type_map_new(&m, tfp_type_string()) == 0) {
        tfp_block *root = tfp_schema_root(s);
        (void)tfp_block_add_attribute(root, "id", tfp_type_string(), TFP_ATTR_COMPUTED, NULL);
        (void)tfp_block_add_attribute(root, "name", tfp_type_string(), TFP_ATTR_REQUIRED, NULL);
        (void)tfp_block_add_attribute(root, "n", tfp_type_number(), TFP_ATTR_OPTIONAL, NULL);
        (void)tfp_block_add_attribute(root, "tags", m, TFP_ATTR_OPTIONAL, NULL);
        if (tfp_block_add_block(&b, root, "blk", TFP_NESTING_LIST, 0, 0) == 0)
            (void)tfp_block_add_attribute(b, "x", tfp_type_dynamic(), TFP_ATTR_OPTIONAL, NULL);
        if (tfp_resource_new(&r, "fz_thing", s) == 0) {
            (void)tfp_resource_set_handler(r, TFP_OP_VALIDATE, fz_validate);
            /* moves from fz/old (the default move decodes the source JSON) */
            (void)tfp_resource_accept_move(r, "fz/old", "fz_old");
            (void)tfp_provider_add_resource(p, r);
        }
    }
    tfp_type_free(m);
    s = NULL;
    r = NULL;
    if (tfp_schema_new(&s, 0) == 0) {
        (void)tfp_block_add_attribute(tfp_schema_root(s), "q", tfp_type_string(), TFP_ATTR_REQUIRED,
                                      NULL);
        if (tfp_resource_new(&r, "fz_data", s) == 0)
            (void)tfp_provider_add_data_source(p, r);
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfp__srv_reply reply;
    size_t idx;
    int proto;

    if (fz_provider == NULL)
        fz_provider = fz_make();
    if (fz_provider == NULL || size < 1)
        return 0;
    idx = data[0] % (sizeof(fz_paths) / sizeof(fz_paths[0]));
    proto = strncmp(fz_paths[idx], "/tfplugin5.", 11) == 0 ? 5 : 6;
    if (idx == 11 && (data[0] & 0x80))
        proto = 5; /* health is served under both protocols */
    tfp__srv_handle(fz_provider, proto, fz_paths[idx], data + 1, size - 1, &reply);
    tfp__srv_reply_dispose(&reply);
    return 0;
}
