/* Return codes and the HTTP/API error mapping table. */
#include "fake.h"

#include <cmocka.h>
#include <string.h>

static void test_strerror(void **state)
{
    int c;

    (void)state;
    for (c = 0; c >= VPCEP_ETOOLARGE; c--) {
        assert_non_null(vpcep_strerror(c));
        assert_string_not_equal(vpcep_strerror(c), "unknown error");
    }
    assert_string_equal(vpcep_strerror(-999), "unknown error");
    assert_string_equal(vpcep_strerror(1), "unknown error");
}

static void test_classify_table(void **state)
{
    static const struct {
        int status;
        const char *code;
        int kind;
    } t[] = {
        {200, NULL, VPCEP_OK},
        {204, NULL, VPCEP_OK},
        {400, "EndPoint.0002", VPCEP_EINVALID},
        {400, NULL, VPCEP_EINVALID},
        {400, "EndPoint.3006", VPCEP_ECONFLICT},
        {400, "ENDPOINT.3006", VPCEP_ECONFLICT},
        {400, "EndPoint.2014", VPCEP_ECONFLICT},
        {400, "EndPoint.2018", VPCEP_ECONFLICT},
        {400, "EndPoint.2019", VPCEP_ECONFLICT},
        {400, "EndPoint.3044", VPCEP_ECONFLICT},
        {400, "EndPoint.3045", VPCEP_ECONFLICT},
        {400, "Endpoint.1018", VPCEP_EQUOTA},
        {400, "EndPoint.1018", VPCEP_EQUOTA},
        {400, "EndPoint.0022", VPCEP_ETHROTTLED},
        {400, "EndPoint.2003", VPCEP_ENOTFOUND},
        {400, "EndPoint.2012", VPCEP_EAUTH},
        {400, "Endpoint.2013", VPCEP_EINVALID},
        {401, "APIG.0301", VPCEP_EAUTH},
        {401, "EndPoint.0003", VPCEP_EAUTH},
        {403, "EndPoint.0004", VPCEP_EAUTH},
        {403, NULL, VPCEP_EAUTH},
        {404, "EndPoint.0005", VPCEP_ENOTFOUND},
        {404, "EndPoint.2006", VPCEP_ENOTFOUND},
        {404, NULL, VPCEP_ENOTFOUND},
        {409, NULL, VPCEP_ECONFLICT},
        {429, "APIG.0308", VPCEP_ETHROTTLED},
        {429, NULL, VPCEP_ETHROTTLED},
        {500, "EndPoint.0001", VPCEP_EAPI},
        {502, NULL, VPCEP_EAPI},
        {504, "EndPoint.0011", VPCEP_ETIMEOUT},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (vpcep_error_classify(t[i].status, t[i].code) != t[i].kind)
            fail_msg("case %zu: %d %s -> %d, want %d", i, t[i].status, t[i].code ? t[i].code : "-",
                     vpcep_error_classify(t[i].status, t[i].code), t[i].kind);
    }
}

static void test_retryable(void **state)
{
    (void)state;
    assert_true(rest_status_retryable(429, NULL));
    assert_true(rest_status_retryable(500, NULL));
    assert_true(rest_status_retryable(503, "EndPoint.0001"));
    assert_true(rest_status_retryable(400, "EndPoint.0022"));
    assert_true(rest_status_retryable(400, "endpoint.0022"));
    assert_false(rest_status_retryable(400, "EndPoint.0002"));
    assert_false(rest_status_retryable(404, NULL));
    assert_false(rest_status_retryable(401, NULL));
    assert_false(rest_status_retryable(501, NULL));
}

static void test_code_equal(void **state)
{
    (void)state;
    assert_true(vpcep_error_code_equal("EndPoint.2013", "Endpoint.2013"));
    assert_false(vpcep_error_code_equal("EndPoint.2013", "EndPoint.2014"));
    assert_true(vpcep_error_code_equal(NULL, NULL));
    assert_false(vpcep_error_code_equal("x", NULL));
}

static void test_error_from_response(void **state)
{
    vpcep_error err;
    const char *nested = "{\"error\":{\"code\":\"APIG.0308\",\"message\":\"too many\"},"
                         "\"request_id\":\"abc\"}";

    (void)state;
    vpcep_error_init(&err);
    assert_int_equal(err.kind, 0);
    assert_int_equal(rest_error_from_response(&err, 429, nested, strlen(nested), NULL),
                     VPCEP_ETHROTTLED);
    assert_string_equal(err.error_code, "APIG.0308");
    assert_string_equal(err.error_msg, "too many");
    assert_string_equal(err.request_id, "abc");
    vpcep_error_init(&err);
    assert_int_equal(rest_error_from_response(&err, 502, "<html>bad gateway</html>", 24, "r1"),
                     VPCEP_EAPI);
    assert_string_equal(err.error_msg, "HTTP 502");
    assert_string_equal(err.request_id, "r1");
    assert_int_equal(err.http_status, 502);
    /* a 2xx passed here still reports an error, never OK */
    assert_int_equal(rest_error_from_response(NULL, 200, NULL, 0, NULL), VPCEP_EAPI);
    vpcep_error_init(NULL);
}

static void test_util_error(void **state)
{
    (void)state;
    /* util's codes do not share the values of the public ones (UTIL_ETOOLARGE is -8, which is
     * VPCEP_ETHROTTLED): each is mapped. */
    assert_int_equal(rest_util_error(0), 0);
    assert_int_equal(rest_util_error(UTIL_ENOMEM), VPCEP_ENOMEM);
    assert_int_equal(rest_util_error(UTIL_EINVALID), VPCEP_EINVALID);
    assert_int_equal(rest_util_error(UTIL_ETOOLARGE), VPCEP_ETOOLARGE);
    assert_int_equal(rest_util_error(UTIL_ERROR), VPCEP_ERROR);
}

static void test_version(void **state)
{
    int a = -1, b = -1, c = -1;

    (void)state;
    vpcep_version(&a, &b, &c);
    assert_int_equal(a, VPCEP_VERSION_MAJOR);
    assert_int_equal(b, VPCEP_VERSION_MINOR);
    assert_int_equal(c, VPCEP_VERSION_PATCH);
    vpcep_version(NULL, NULL, NULL);
    vpcep_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_retryable),
        cmocka_unit_test(test_code_equal),
        cmocka_unit_test(test_error_from_response),
        cmocka_unit_test(test_util_error),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
