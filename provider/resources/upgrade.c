/*
 * provider/resources/upgrade.c - UpgradeResourceState: the stored state JSON decoded with the
 * current schema, per schema version.
 */
#include "internal.h"

int tfpv_upgrade_v0(tfp_call *call)
{
    const tfp_schema *schema = tfp_call_schema(call);
    int64_t version = tfp_call_state_version(call);
    size_t len = 0;
    const char *raw = NULL;
    tfp_value *v = NULL;
    char *err = NULL;
    int rc = tfp_call_raw_state(&raw, &len, call);

    if (rc != 0) {
        return rc;
    }
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
