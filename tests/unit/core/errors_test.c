/* Return codes, version, tfp_free. */
#include "test_helpers.h"

static void test_strerror(void **state)
{
    int code;
    (void)state;
    for (code = 0; code >= -11; code--) {
        assert_non_null(tfp_strerror(code));
        assert_string_not_equal(tfp_strerror(code), "unknown error");
    }
    assert_string_equal(tfp_strerror(-12), "unknown error");
    assert_string_equal(tfp_strerror(5), "unknown error");
    assert_string_equal(tfp_strerror(TFP_ENOTFOUND), "not found");
}

static void test_version_and_free(void **state)
{
    int major = -1;
    int minor = -1;
    int patch = -1;
    char *s = NULL;
    (void)state;
    tfp_version(&major, &minor, &patch);
    assert_int_equal(major, TFP_VERSION_MAJOR);
    assert_int_equal(minor, TFP_VERSION_MINOR);
    assert_int_equal(patch, TFP_VERSION_PATCH);
    tfp_version(NULL, NULL, NULL);
    assert_int_equal(tfp_type_to_json(&s, tfp_type_string()), 0);
    tfp_free(s);
    tfp_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_version_and_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
