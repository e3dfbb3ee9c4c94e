#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* clang-format off: cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
/* clang-format on */

static void test_append_printf(void **state)
{
    util_buf b = UTIL_BUF_INIT(1024);
    char *out;
    size_t len = 0;
    (void)state;
    assert_string_equal(util_buf_cstr(&b), "");
    assert_int_equal(util_buf_puts(&b, "abc"), 0);
    assert_int_equal(util_buf_putc(&b, '-'), 0);
    assert_int_equal(util_buf_printf(&b, "%d/%s", 42, "x"), 0);
    assert_string_equal(util_buf_cstr(&b), "abc-42/x");
    assert_int_equal(b.len, 8);
    out = util_buf_detach(&b, &len);
    assert_string_equal(out, "abc-42/x");
    assert_int_equal(len, 8);
    assert_null(b.data);
    util_free(out);
}

static void test_bounded_and_escaped(void **state)
{
    util_buf b;
    char *s;
    char big[1000];

    (void)state;
    util_buf_init(&b, 8);
    assert_int_equal(util_buf_append(&b, "abcd", 4), 0);
    assert_int_equal(util_buf_append(&b, "efgh", 4), 0);
    assert_int_equal(util_buf_append(&b, "i", 1), UTIL_ETOOLARGE);
    assert_int_equal(b.error, UTIL_ETOOLARGE);
    assert_null(util_buf_detach(&b, NULL));
    util_buf_init(&b, SIZE_MAX - 1);
    assert_int_equal(util_buf_printf(&b, "%s-%d", "x", 42), 0);
    assert_int_equal(util_buf_append_pct(&b, "a b/~\xc3\xa9", 0), 0);
    assert_int_equal(util_buf_append_pct(&b, "/x/", 1), 0);
    s = util_buf_detach(&b, NULL);
    assert_string_equal(s, "x-42a%20b%2F~%C3%A9/x/");
    util_free(s);
    util_buf_init(&b, 5);
    assert_int_equal(util_buf_append_pct(&b, "\x01\x02", 0), UTIL_ETOOLARGE);
    util_buf_dispose(&b);

    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    util_buf_init(&b, SIZE_MAX - 1);
    assert_int_equal(util_buf_printf(&b, "<%s>", big), 0);
    assert_int_equal(b.len, 1001);
    util_buf_dispose(&b);
}

static void test_cap(void **state)
{
    util_buf b = UTIL_BUF_INIT(4);
    (void)state;
    assert_int_equal(util_buf_puts(&b, "abcd"), 0);
    assert_int_equal(util_buf_putc(&b, 'e'), UTIL_ETOOLARGE);
    /* the buffer is released and the error is sticky */
    assert_null(b.data);
    assert_int_equal(util_buf_puts(&b, "x"), UTIL_ETOOLARGE);
    assert_null(util_buf_detach(&b, NULL));
    util_buf_init(&b, 3);
    assert_int_equal(util_buf_printf(&b, "%s", "long"), UTIL_ETOOLARGE);
    util_buf_dispose(&b);
}

static void test_grow_many(void **state)
{
    util_buf b = UTIL_BUF_INIT(1u << 20);
    int i;
    (void)state;
    for (i = 0; i < 10000; i++) {
        assert_int_equal(util_buf_putc(&b, (char)('a' + i % 26)), 0);
    }
    assert_int_equal(b.len, 10000);
    assert_int_equal(strlen(util_buf_cstr(&b)), 10000);
    util_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(util_buf_cstr(&b), "");
    util_buf_dispose(&b);
}

static void test_enomem(void **state)
{
    util_buf b = UTIL_BUF_INIT(1024);
    (void)state;
    util_alloc_fail_at(1, 0);
    assert_int_equal(util_buf_puts(&b, "abc"), UTIL_ENOMEM);
    util_alloc_fail_at(0, 0);
    assert_int_equal(util_buf_puts(&b, "abc"), UTIL_ENOMEM);
    util_buf_reset(&b);
    assert_int_equal(util_buf_puts(&b, "abc"), 0);
    util_buf_dispose(&b);
}

static void test_detach_empty(void **state)
{
    util_buf b = UTIL_BUF_INIT(16);
    size_t len = 99;
    char *s;
    (void)state;
    s = util_buf_detach(&b, &len);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    util_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_printf), cmocka_unit_test(test_cap),
        cmocka_unit_test(test_grow_many),     cmocka_unit_test(test_enomem),
        cmocka_unit_test(test_detach_empty),  cmocka_unit_test(test_bounded_and_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
