#include "util.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* clang-format off: cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
/* clang-format on */

static void test_strdup_memdup(void **state)
{
    char *s;
    unsigned char *m;
    (void)state;
    s = util_strdup("hello");
    assert_string_equal(s, "hello");
    util_free(s);
    s = util_strndup("hello", 3);
    assert_string_equal(s, "hel");
    util_free(s);
    m = util_memdup("a\0b", 3);
    assert_memory_equal(m, "a\0b", 3);
    assert_int_equal(m[3], 0);
    util_free(m);
    assert_null(util_strdup(NULL));
    util_free(NULL);
}

static void test_overflow(void **state)
{
    (void)state;
    errno = 0;
    assert_null(util_calloc(SIZE_MAX / 2, 4));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(util_reallocarray(NULL, SIZE_MAX / 2, 4));
    assert_int_equal(errno, ENOMEM);
}

static void test_fail_injection(void **state)
{
    void *a;
    void *b;
    void *c;
    (void)state;
    long failures = util_alloc_failures();
    util_alloc_fail_at(2, 0);
    a = util_malloc(8);
    errno = 0;
    b = util_malloc(8);
    assert_int_equal(errno, ENOMEM); /* as after a real failure */
    assert_int_equal(util_alloc_failures(), failures + 1);
    c = util_malloc(8);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    util_free(a);
    util_free(c);

    util_alloc_fail_at(1, 1);
    assert_null(util_malloc(1));
    assert_null(util_strdup("x"));
    util_alloc_fail_at(0, 0);
    a = util_malloc(1);
    assert_non_null(a);
    util_free(a);
    assert_true(util_alloc_count() > 0);
}

/* The meter counts live bytes of this thread's allocations, refuses past its limit (with
 * `exceeded` set, and a refused realloc leaves the old block intact), nests, and is inert on
 * other threads and after it ends. */
static void test_meter(void **state)
{
    util_meter outer, inner;
    char *a, *b, *c;
    (void)state;
    util_meter_begin(&outer, 10000);
    a = util_malloc(1000);
    assert_non_null(a);
    assert_true(outer.used >= 1000 && outer.used < 1100);
    b = util_calloc(10, 100);
    assert_non_null(b);
    assert_true(outer.used >= 2000);
    util_free(a);
    assert_true(outer.used >= 1000 && outer.used < 1100);
    /* over the limit: refused, flagged, nothing counted */
    assert_null(util_malloc(20000));
    assert_true(outer.exceeded);
    assert_true(outer.used < 1100);
    /* a refused realloc keeps the block and its contents */
    memset(b, 'x', 1000);
    assert_null(util_realloc(b, 20000));
    assert_int_equal(b[999], 'x');
    b = util_realloc(b, 3000);
    assert_non_null(b);
    assert_int_equal(b[999], 'x');
    assert_true(outer.used >= 3000 && outer.used < 3200);
    /* nested: inner bytes count against the outer meter too */
    util_meter_begin(&inner, 100000);
    c = util_malloc(6000);
    assert_non_null(c);
    assert_true(inner.used >= 6000);
    assert_true(outer.used >= 9000);
    assert_null(util_malloc(5000)); /* room in the inner meter, none in the outer */
    assert_true(outer.exceeded);
    util_meter_end(&inner);
    util_free(c);
    assert_true(outer.used < 3200);
    assert_true(outer.peak >= 9000);
    /* charges for memory allocated elsewhere */
    assert_int_equal(util_meter_charge(4000), 0);
    assert_int_equal(util_meter_charge(4000), UTIL_ETOOLARGE);
    util_meter_release(4000);
    util_free(b);
    util_meter_end(&outer);
    /* no meter: nothing is refused */
    a = util_malloc(20000);
    assert_non_null(a);
    util_free(a);
    assert_int_equal(util_meter_charge(1u << 30), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strdup_memdup),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_fail_injection),
        cmocka_unit_test(test_meter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
