/*
 * provider/resources/resources.h - the one entry point of the VPCEP resources module.
 */
#ifndef TFPV_RESOURCES_H
#define TFPV_RESOURCES_H

#include <tfp/tfp.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sets the provider configuration schema and handlers on @p p and registers the resources
 * vpcep_service, vpcep_endpoint, vpcep_approval and the data sources vpcep_service and
 * vpcep_public_services. @return 0 or a negative TFP_E* code.
 */
int tfpv_resources_register(tfp_provider *p);

#ifdef __cplusplus
}
#endif

#endif
