/* The bounded buffer and string helpers. */
#include "fake.h"

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static void test_bounded(void **state)
{
    rest_buf b;
    char *s;

    (void)state;
    rest_buf_init(&b, 8);
    assert_int_equal(rest_buf_append(&b, "abcd", 4), 0);
    assert_int_equal(rest_buf_append(&b, "efgh", 4), 0);
    assert_int_equal(rest_buf_append(&b, "i", 1), -1);
    assert_true(b.toolarge);
    assert_null(rest_buf_detach(&b));
    rest_buf_init(&b, 0);
    assert_int_equal(rest_buf_appendf(&b, "%s-%d", "x", 42), 0);
    assert_int_equal(rest_buf_append_escaped(&b, "a b/~é", 0), 0);
    s = rest_buf_detach(&b);
    assert_string_equal(s, "x-42a%20b%2F~%C3%A9");
    free(s);
    rest_buf_init(&b, 0);
    s = rest_buf_detach(&b);
    assert_string_equal(s, "");
    free(s);
}

static void test_long_format(void **state)
{
    rest_buf b;
    char big[1000];

    (void)state;
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rest_buf_init(&b, 0);
    assert_int_equal(rest_buf_appendf(&b, "<%s>", big), 0);
    assert_int_equal(b.len, 1001);
    rest_buf_dispose(&b);
}

static void test_strlcpy(void **state)
{
    char d[4];

    (void)state;
    rest_strlcpy(d, "abcdef", sizeof(d));
    assert_string_equal(d, "abc");
    rest_strlcpy(d, NULL, sizeof(d));
    assert_string_equal(d, "");
    assert_null(rest_strdup(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_long_format),
        cmocka_unit_test(test_strlcpy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
