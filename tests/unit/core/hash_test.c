/* Structural hashes agree with equality; set de-duplication is fast and keeps unknowns. */
#include "core.h"
#include "test_helpers.h"

static void test_hash_matches_equality(void **state)
{
    tfp_value *a = NULL;
    tfp_value *b = NULL;
    tfp_type *st = NULL;
    tfp_value *s1 = NULL;
    tfp_value *s2 = NULL;
    tfp_value *e = NULL;
    (void)state;
    assert_int_equal(tfp_value_new_number(&a, "1.50"), 0);
    assert_int_equal(tfp_value_new_double(&b, 1.5), 0);
    assert_true(tfp_value_equal(a, b));
    assert_true(tfp__value_hash(a) == tfp__value_hash(b));
    tfp_value_free(a);
    tfp_value_free(b);

    /* sets hash independently of element order */
    assert_int_equal(tfp_type_set_new(&st, tfp_type_string()), 0);
    assert_int_equal(tfp_value_new_collection(&s1, st), 0);
    assert_int_equal(tfp_value_new_collection(&s2, st), 0);
    assert_int_equal(tfp_value_new_string(&e, "x"), 0);
    assert_int_equal(tfp_value_append(s1, e), 0);
    assert_int_equal(tfp_value_new_string(&e, "y"), 0);
    assert_int_equal(tfp_value_append(s1, e), 0);
    assert_int_equal(tfp_value_new_string(&e, "y"), 0);
    assert_int_equal(tfp_value_append(s2, e), 0);
    assert_int_equal(tfp_value_new_string(&e, "x"), 0);
    assert_int_equal(tfp_value_append(s2, e), 0);
    assert_true(tfp_value_equal(s1, s2));
    assert_true(tfp__value_hash(s1) == tfp__value_hash(s2));
    tfp_value_free(s1);
    tfp_value_free(s2);
    tfp_type_free(st);
}

static void test_large_set_dedups(void **state)
{
    tfp_type *st = NULL;
    uint8_t *buf;
    size_t len = 0;
    const unsigned n = 50000;
    const unsigned dups = 1000;
    unsigned i;
    tfp_value *v;
    (void)state;
    assert_int_equal(tfp_type_set_new(&st, tfp_type_number()), 0);
    buf = malloc(5 + 3 * (size_t)(n + dups) + 6);
    assert_non_null(buf);
    buf[len++] = 0xdd;
    buf[len++] = 0;
    buf[len++] = (uint8_t)((n + dups + 2) >> 16);
    buf[len++] = (uint8_t)((n + dups + 2) >> 8);
    buf[len++] = (uint8_t)(n + dups + 2);
    for (i = 0; i < n + dups; i++) {
        unsigned x = i < n ? i : i - n;
        buf[len++] = 0xcd;
        buf[len++] = (uint8_t)(x >> 8);
        buf[len++] = (uint8_t)x;
    }
    /* two unknown elements are kept apart */
    memcpy(buf + len, "\xd4\x00\x00\xd4\x00\x00", 6);
    len += 6;
    /* Speed is measured by benchmarks, not asserted here; a quadratic set would still show
     * up as this test hitting ctest's timeout. */
    v = decode_ok(st, buf, len);
    assert_int_equal(tfp_value_length(v), n + 2);
    tfp_value_free(v);
    free(buf);
    tfp_type_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_matches_equality),
        cmocka_unit_test(test_large_set_dedups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
