#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
/* clang-format off: cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
/* clang-format on */

static void test_monotonic(void **state)
{
    uint64_t a;
    uint64_t b;
    struct timespec ts = {0, 20 * 1000000L};
    (void)state;
    a = util_now_ms();
    nanosleep(&ts, NULL);
    b = util_now_ms();
    assert_true(b >= a + 15);
    assert_true(util_now_ns() > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monotonic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
