/*
 * provider/resources/import.c - ImportResourceState: the stub state with the import ID that
 * Read then fills.
 */
#include "internal.h"

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
