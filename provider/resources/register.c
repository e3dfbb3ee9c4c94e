/*
 * provider/resources/register.c - assembles the provider: configuration schema and handlers,
 * the three resources and the data sources.
 */
#include "internal.h"

int tfpv_resources_register(tfp_provider *p)
{
    tfp_schema *schema = NULL;
    int rc = tfpv_provider_schema(&schema);
    if (rc == 0) {
        rc = tfp_provider_set_schema(p, schema); /* stolen */
    }
    if (rc == 0) {
        rc = tfp_provider_set_handler(p, TFP_OP_VALIDATE, tfpv_provider_validate);
    }
    if (rc == 0) {
        rc = tfp_provider_set_handler(p, TFP_OP_CONFIGURE, tfpv_provider_configure);
    }
    if (rc == 0) {
        rc = tfpv_service_register(p);
    }
    if (rc == 0) {
        rc = tfpv_endpoint_register(p);
    }
    if (rc == 0) {
        rc = tfpv_approval_register(p);
    }
    if (rc == 0) {
        rc = tfpv_ds_service_register(p);
    }
    if (rc == 0) {
        rc = tfpv_ds_public_services_register(p);
    }
    if (rc == 0) {
        rc = tfpv_ds_endpoint_register(p);
    }
    if (rc == 0) {
        rc = tfpv_ds_services_register(p);
    }
    if (rc == 0) {
        rc = tfpv_ds_endpoints_register(p);
    }
    return rc;
}
