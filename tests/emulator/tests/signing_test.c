/* The emulator's AK/SK verifier against the published reference vector
 * (the published SDK-HMAC-SHA256 test vectors, copied below) and its parser. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include "emu.h"

#include <string.h>

static const char *vec_header(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "content-type") == 0) {
        return "application/json";
    }
    if (strcmp(name, "host") == 0) {
        return "service.region.example.com";
    }
    if (strcmp(name, "x-sdk-date") == 0) {
        return "20191115T033655Z";
    }
    return NULL;
}

static const char EXPECTED_CANONICAL[] =
    "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n"
    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
    "content-type:application/json\nhost:service.region.example.com\n"
    "x-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static void test_reference_vector(void **state)
{
    (void)state;
    /* query deliberately out of order: the canonical form sorts it */
    emu_kv q[2] = {{"marker", "13551d6b-755d-4757-b956-536f674975c0"}, {"limit", "2"}};
    char body_hash[65];
    emu_sha256_hex("", 0, body_hash);
    emu_buf canon;
    emu_buf_init(&canon);
    assert_int_equal(emu_canonical_request("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", q, 2,
                                           "content-type;host;x-sdk-date", vec_header, NULL,
                                           body_hash, &canon),
                     EMU_OK);
    assert_string_equal(canon.p, EXPECTED_CANONICAL);
    char hashed[65];
    emu_sha256_hex(canon.p, canon.len, hashed);
    assert_string_equal(hashed, "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    char sig[65];
    assert_int_equal(
        emu_sign("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "20191115T033655Z", canon.p, sig),
        EMU_OK);
    assert_string_equal(sig, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    emu_buf_free(&canon);
}

static void test_parse_authorization(void **state)
{
    (void)state;
    emu_authz az;
    assert_int_equal(
        emu_parse_authorization("SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, "
                                "SignedHeaders=content-type;host;x-sdk-date, "
                                "Signature="
                                "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
                                &az),
        EMU_OK);
    assert_string_equal(az.access, "QTWAOYTTINDUT2QVKYUC");
    assert_string_equal(az.signed_headers, "content-type;host;x-sdk-date");
    assert_string_equal(az.signature,
                        "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    /* no space after the comma is tolerated too */
    assert_int_equal(
        emu_parse_authorization(
            "SDK-HMAC-SHA256 Access=A,SignedHeaders=host;x-sdk-date,Signature=00", &az),
        EMU_OK);
    assert_string_equal(az.signed_headers, "host;x-sdk-date");
    assert_int_equal(emu_parse_authorization("SDK-HMAC-SHA256 Access=A, Signature=00", &az),
                     EMU_EINVAL);
    assert_int_equal(emu_parse_authorization("AWS4-HMAC-SHA256 Credential=x", &az), EMU_EINVAL);
    assert_int_equal(emu_parse_authorization("SDK-HMAC-SHA256", &az), EMU_EINVAL);
    assert_int_equal(emu_parse_authorization("", &az), EMU_EINVAL);
    char big[2048];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big, "SDK-HMAC-SHA256 Access=", 23);
    assert_int_equal(emu_parse_authorization(big, &az), EMU_EINVAL);
}

static void test_missing_signed_header(void **state)
{
    (void)state;
    emu_buf canon;
    emu_buf_init(&canon);
    assert_int_equal(emu_canonical_request("GET", "/v1/p/x", NULL, 0, "host;x-custom", vec_header,
                                           NULL, "00", &canon),
                     EMU_EINVAL);
    emu_buf_free(&canon);
    emu_buf_init(&canon);
    /* segments are percent-encoded, the trailing slash is appended once */
    assert_int_equal(emu_canonical_request("DELETE", "/v1/a b/", NULL, 0, "host", vec_header, NULL,
                                           "00", &canon),
                     EMU_OK);
    assert_non_null(strstr(canon.p, "\n/v1/a%20b/\n"));
    emu_buf_free(&canon);
}

static void test_seed_parse(void **state)
{
    (void)state;
    char err[256];
    cJSON *seed = emu_seed_parse(emu_builtin_seed(), err, sizeof(err));
    assert_non_null(seed);
    assert_non_null(emu_seed_account_by_ak(seed, "OWNERAK"));
    assert_non_null(emu_seed_account_by_ak(seed, "CONSUMERAK"));
    assert_null(emu_seed_account_by_ak(seed, "NOPE"));
    cJSON_Delete(seed);
    assert_null(
        emu_seed_parse("{\"region\":\"eu-de\",\"accounts\":[{\"name\":\"x\"}]}", err, sizeof(err)));
    assert_non_null(strstr(err, "domain_id"));
    assert_null(emu_seed_parse("[1,2", err, sizeof(err)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_vector),
        cmocka_unit_test(test_parse_authorization),
        cmocka_unit_test(test_missing_signed_header),
        cmocka_unit_test(test_seed_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
