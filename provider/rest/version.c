/* The versions of libvpcep's versioned structs: one size table each, read and written through
 * the shared policy of util.h (accept 1..current, read and write only the caller's version). A
 * new version of a struct appends its size here: UTIL_VERSION_END of its last field. */
#include "internal.h"

UTIL_VERSIONS(rest_v_client_options,
              vpcep_client_options,
              VPCEP_CLIENT_OPTIONS_VERSION,
              UTIL_VERSION_END(vpcep_client_options, cancel_ud),
              UTIL_VERSION_END(vpcep_client_options, domain_id),
              UTIL_VERSION_END(vpcep_client_options, delegated_project));
UTIL_VERSIONS(rest_v_client_stats,
              vpcep_client_stats,
              VPCEP_CLIENT_STATS_VERSION,
              UTIL_VERSION_END(vpcep_client_stats, token_requests));
UTIL_VERSIONS(rest_v_wait_spec,
              vpcep_wait_spec,
              VPCEP_WAIT_SPEC_VERSION,
              UTIL_VERSION_END(vpcep_wait_spec, poll_max_ms));
UTIL_VERSIONS(rest_v_wait_stats,
              vpcep_wait_stats,
              VPCEP_WAIT_STATS_VERSION,
              UTIL_VERSION_END(vpcep_wait_stats, elapsed_ms));
UTIL_VERSIONS(rest_v_service_create_opts,
              vpcep_service_create_opts,
              VPCEP_SERVICE_CREATE_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_service_create_opts, n_tags));
UTIL_VERSIONS(rest_v_service_list_opts,
              vpcep_service_list_opts,
              VPCEP_SERVICE_LIST_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_service_list_opts, page_size));
UTIL_VERSIONS(rest_v_service_update_opts,
              vpcep_service_update_opts,
              VPCEP_SERVICE_UPDATE_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_service_update_opts, description));
UTIL_VERSIONS(rest_v_public_service_list_opts,
              vpcep_public_service_list_opts,
              VPCEP_PUBLIC_SERVICE_LIST_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_public_service_list_opts, page_size));
UTIL_VERSIONS(rest_v_connection_list_opts,
              vpcep_connection_list_opts,
              VPCEP_CONNECTION_LIST_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_connection_list_opts, page_size));
UTIL_VERSIONS(rest_v_permission_list_opts,
              vpcep_permission_list_opts,
              VPCEP_PERMISSION_LIST_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_permission_list_opts, page_size));
UTIL_VERSIONS(rest_v_endpoint_create_opts,
              vpcep_endpoint_create_opts,
              VPCEP_ENDPOINT_CREATE_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_endpoint_create_opts, description));
UTIL_VERSIONS(rest_v_endpoint_list_opts,
              vpcep_endpoint_list_opts,
              VPCEP_ENDPOINT_LIST_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_endpoint_list_opts, page_size));
UTIL_VERSIONS(rest_v_resource_query_opts,
              vpcep_resource_query_opts,
              VPCEP_RESOURCE_QUERY_OPTS_VERSION,
              UTIL_VERSION_END(vpcep_resource_query_opts, page_size));

const util_versions *const rest_versions[] = {&rest_v_client_options,
                                              &rest_v_client_stats,
                                              &rest_v_wait_spec,
                                              &rest_v_wait_stats,
                                              &rest_v_service_create_opts,
                                              &rest_v_service_list_opts,
                                              &rest_v_service_update_opts,
                                              &rest_v_public_service_list_opts,
                                              &rest_v_connection_list_opts,
                                              &rest_v_permission_list_opts,
                                              &rest_v_endpoint_create_opts,
                                              &rest_v_endpoint_list_opts,
                                              &rest_v_resource_query_opts,
                                              NULL};

int rest_version_read(
    void *dst, size_t dst_size, const void *caller, const util_versions *v, vpcep_error *err)
{
    if (util_version_read(dst, dst_size, caller, v) != 0)
        return rest_fail(err, VPCEP_EINVALID, "unsupported %s version %u", v->name,
                         util_version_of(caller));
    return 0;
}

int rest_version_write(void *caller, const void *src, const util_versions *v, vpcep_error *err)
{
    if (util_version_write(caller, src, v) != 0)
        return rest_fail(err, VPCEP_EINVALID, "unsupported %s version %u", v->name,
                         util_version_of(caller));
    return 0;
}
