/*
 * provider/main.c - terraform-provider-vpcep: wires the VPCEP resources into the plugin server.
 */
#include "resources.h"

#include <tfp/tfp.h>

#include <stdio.h>

#ifndef TFPV_VERSION
#    define TFPV_VERSION "0.0.0-dev"
#endif

int main(int argc, char **argv)
{
    tfp_provider *p = NULL;
    int status;
    int rc = tfp_provider_new(&p, "vpcep", TFPV_VERSION);
    if (rc == 0) {
        /* the address of required_providers (tf_provider_addr of the log lines) */
        rc = tfp_provider_set_address(p, "registry.terraform.io/otc/vpcep");
    }
    if (rc == 0) {
        rc = tfpv_resources_register(p);
    }
    if (rc != 0) {
        fprintf(stderr, "terraform-provider-vpcep: cannot build the provider: %s\n",
                tfp_strerror(rc));
        tfp_provider_free(p);
        return 1;
    }
    status = tfp_serve(p, argc, argv, NULL);
    tfp_provider_free(p);
    return status;
}
