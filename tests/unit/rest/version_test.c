/* The version tables of libvpcep's versioned structs (provider/rest/version.c). */
#include "fake.h"

#include <cmocka.h>
#include <string.h>

/* Every table reaches the last field of its struct, so a field appended to a versioned struct
 * without a new version (and a new size in version.c) fails here. */
static void test_every_table_is_complete(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; rest_versions[i] != NULL; i++) {
        if (!util_versions_complete(rest_versions[i]))
            fail_msg("%s: its version table does not describe its layout", rest_versions[i]->name);
    }
    assert_int_equal(i, 13);
}

static void test_refusals_name_the_struct(void **state)
{
    vpcep_service_list_opts caller = VPCEP_SERVICE_LIST_OPTS_INIT, mine;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    caller.version = VPCEP_SERVICE_LIST_OPTS_VERSION + 1;
    assert_int_equal(
        rest_version_read(&mine, sizeof(mine), &caller, &rest_v_service_list_opts, &err),
        VPCEP_EINVALID);
    assert_string_equal(err.error_msg, "unsupported vpcep_service_list_opts version 2");
    caller.version = 1;
    assert_int_equal(
        rest_version_read(&mine, sizeof(mine), &caller, &rest_v_service_list_opts, &err), 0);
}

static void test_stats_keep_the_callers_version(void **state)
{
    vpcep_client_stats full = {0, 5, 1, 2}, caller = VPCEP_CLIENT_STATS_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    assert_int_equal(rest_version_write(&caller, &full, &rest_v_client_stats, &err), 0);
    assert_int_equal(caller.version, VPCEP_CLIENT_STATS_VERSION);
    assert_int_equal(caller.requests, 5);
    assert_int_equal(caller.token_requests, 2);
    caller.version = 0;
    assert_int_equal(rest_version_write(&caller, &full, &rest_v_client_stats, &err),
                     VPCEP_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_is_complete),
        cmocka_unit_test(test_refusals_name_the_struct),
        cmocka_unit_test(test_stats_keep_the_callers_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
