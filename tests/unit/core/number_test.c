/* Exact decimal numbers (internal helpers behind the codecs). */
#include "core.h"
#include "test_helpers.h"

static void parse(tfp__decimal *d, const char *s)
{
    assert_int_equal(tfp__decimal_parse(d, s, strlen(s)), 0);
}

static void test_normalise(void **state)
{
    tfp__decimal a;
    tfp__decimal b;
    char *plain;
    (void)state;
    parse(&a, "00120.500e1");
    assert_string_equal(a.digits, "1205");
    assert_int_equal(a.exp, 0);
    assert_true(tfp__decimal_is_integer(&a));
    parse(&b, "1205");
    assert_true(tfp__decimal_cmp_equal(&a, &b));
    tfp__decimal_dispose(&a);
    tfp__decimal_dispose(&b);
    parse(&a, "-0.000");
    assert_int_equal(a.neg, 0);
    assert_string_equal(a.digits, "");
    tfp__decimal_dispose(&a);
    parse(&a, "1e20");
    plain = tfp__decimal_to_plain(&a);
    assert_string_equal(plain, "100000000000000000000");
    util_free(plain);
    tfp__decimal_dispose(&a);
    parse(&a, "-12.5e-3");
    plain = tfp__decimal_to_plain(&a);
    assert_string_equal(plain, "-0.0125");
    util_free(plain);
    tfp__decimal_dispose(&a);
    parse(&a, "+Inf");
    assert_true(a.inf);
    tfp__decimal_dispose(&a);
    assert_int_equal(tfp__decimal_parse(&a, "1.2.3", 5), TFP_EINVALID);
    assert_int_equal(tfp__decimal_parse(&a, "-", 1), TFP_EINVALID);
    assert_int_equal(tfp__decimal_parse(&a, "1e+", 3), TFP_EINVALID);
    assert_int_equal(tfp__decimal_parse(&a, "NaN", 3), TFP_EINVALID);
    assert_int_equal(tfp__decimal_parse(&a, "0x10", 4), TFP_EINVALID);
}

static void test_int64_and_double(void **state)
{
    tfp__decimal d;
    int64_t i = 0;
    double x = 0;
    (void)state;
    parse(&d, "9223372036854775807");
    assert_int_equal(tfp__decimal_to_int64(&d, &i), 0);
    assert_true(i == INT64_MAX);
    tfp__decimal_dispose(&d);
    parse(&d, "9223372036854775808");
    assert_int_equal(tfp__decimal_to_int64(&d, &i), TFP_ETOOLARGE);
    tfp__decimal_dispose(&d);
    parse(&d, "1.5");
    assert_int_equal(tfp__decimal_to_int64(&d, &i), TFP_EINVALID);
    assert_true(tfp__decimal_exact_double(&d, "1.5", &x));
    assert_true(x == 1.5);
    tfp__decimal_dispose(&d);
    parse(&d, "0.1");
    assert_false(tfp__decimal_exact_double(&d, "0.1", &x));
    tfp__decimal_dispose(&d);
    parse(&d, "0.1000000000000000055511151231257827021181583404541015625");
    assert_true(tfp__decimal_exact_double(&d, NULL, &x));
    assert_true(x == 0.1);
    tfp__decimal_dispose(&d);
}

static void test_double_text(void **state)
{
    char buf[64];
    (void)state;
    tfp__double_text(buf, sizeof(buf), 0.1);
    assert_string_equal(buf, "0.1");
    tfp__double_text(buf, sizeof(buf), 2.5);
    assert_string_equal(buf, "2.5");
    tfp__double_text(buf, sizeof(buf), 1.0 / 3.0);
    assert_string_equal(buf, "0.3333333333333333");
    tfp__double_text(buf, sizeof(buf), -1.0 / 0.0);
    assert_string_equal(buf, "-Inf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_int64_and_double),
        cmocka_unit_test(test_double_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
