#include "util.h"

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
    assert_null(util_calloc(SIZE_MAX / 2, 4));
    assert_null(util_reallocarray(NULL, SIZE_MAX / 2, 4));
}

static void test_fail_injection(void **state)
{
    void *a;
    void *b;
    void *c;
    (void)state;
    util_alloc_fail_at(2, 0);
    a = util_malloc(8);
    b = util_malloc(8);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strdup_memdup),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_fail_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
