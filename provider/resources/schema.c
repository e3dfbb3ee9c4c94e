/*
 * provider/resources/schema.c - schema building helpers shared by the resources.
 */
#include "internal.h"

#include <stddef.h>

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
