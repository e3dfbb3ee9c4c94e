#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* clang-format off: cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
/* clang-format on */

static void test_snprintf(void **state)
{
    char buf[8];
    char *s;
    (void)state;
    assert_int_equal(util_snprintf(buf, sizeof(buf), "%s", "abc"), 0);
    assert_string_equal(buf, "abc");
    assert_int_equal(util_snprintf(buf, sizeof(buf), "%s", "abcdefghij"), UTIL_ETOOLARGE);
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(util_snprintf(buf, 0, "x"), UTIL_EINVALID);
    s = util_asprintf("%d-%s", 7, "z");
    assert_string_equal(s, "7-z");
    util_free(s);
}

static void test_strlcpy(void **state)
{
    char d[4];
    (void)state;
    assert_int_equal(util_strlcpy(d, "abcdef", sizeof(d)), UTIL_ETOOLARGE);
    assert_string_equal(d, "abc");
    assert_int_equal(util_strlcpy(d, "abc", sizeof(d)), 0);
    assert_string_equal(d, "abc");
    assert_int_equal(util_strlcpy(d, NULL, sizeof(d)), 0);
    assert_string_equal(d, "");
    assert_int_equal(util_strlcpy(d, "x", 0), UTIL_EINVALID);
    assert_null(util_strdup(NULL));
}

static void test_case(void **state)
{
    (void)state;
    assert_int_equal(util_strcasecmp("Interface", "INTERFACE"), 0);
    assert_true(util_strcasecmp("a", "B") < 0);
    assert_true(util_strcasecmp("b", "A") > 0);
    assert_int_equal(util_strncasecmp("TCPx", "tcpy", 3), 0);
    assert_true(util_strcasecmp(NULL, "a") < 0);
    assert_int_equal(util_strcasecmp(NULL, NULL), 0);
    assert_true(util_str_has_prefix("iam:domain::x", "iam:domain::"));
    assert_false(util_str_has_prefix("iam", "iam:"));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(util_utf8_valid("plain", 5));
    assert_true(util_utf8_valid("gr\xc3\xbc\xc3\x9f", 6));
    assert_true(util_utf8_valid("\xf0\x9f\x98\x80", 4));
    assert_false(util_utf8_valid("\xc3", 1));             /* truncated */
    assert_false(util_utf8_valid("\xc0\xaf", 2));         /* overlong */
    assert_false(util_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(util_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(util_utf8_valid("\xff", 1));
    assert_true(util_utf8_valid("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snprintf),
        cmocka_unit_test(test_strlcpy),
        cmocka_unit_test(test_case),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
