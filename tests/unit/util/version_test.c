#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* clang-format off: cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
/* clang-format on */

/* A struct at version 3 and the layouts that callers built against versions 1 and 2 have.
 * Version 1 ends in a char, so its sizeof() has tail padding where version 2 put a field. */
typedef struct opts {
    unsigned int version;
    char a;
    char b;       /* version 2 */
    int64_t wide; /* version 3 */
} opts;
typedef struct opts_v1 {
    unsigned int version;
    char a;
} opts_v1;

static const size_t opts_sizes[] = {UTIL_VERSION_END(opts, a), UTIL_VERSION_END(opts, b),
                                    UTIL_VERSION_END(opts, wide)};
static const util_versions opts_versions = {"opts", opts_sizes, 3, sizeof(opts), _Alignof(opts)};

/* A v1 caller's struct followed by bytes the library must neither read nor write. */
typedef struct v1_in_memory {
    unsigned char bytes[64];
} v1_in_memory;

static void fill_v1(v1_in_memory *m, char a)
{
    opts_v1 v1 = {1, a};
    memset(m->bytes, 0xA5, sizeof(m->bytes));
    memcpy(m->bytes, &v1, UTIL_VERSION_END(opts_v1, a));
}

static void test_size(void **state)
{
    (void)state;
    assert_int_equal(util_version_size(&opts_versions, 0), 0);
    assert_int_equal(util_version_size(&opts_versions, 1), offsetof(opts, a) + 1);
    assert_int_equal(util_version_size(&opts_versions, 3), offsetof(opts, wide) + 8);
    assert_int_equal(util_version_size(&opts_versions, 4), 0);
    assert_int_equal(util_version_size(NULL, 1), 0);
    assert_int_equal(util_version_of(NULL), 0);
    /* the end of version 1 is inside sizeof(opts_v1): no read past what a v1 caller has */
    assert_true(util_version_size(&opts_versions, 1) <= sizeof(opts_v1));
}

static UTIL_VERSIONS(opts_macro,
                     opts,
                     3,
                     UTIL_VERSION_END(opts, a),
                     UTIL_VERSION_END(opts, b),
                     UTIL_VERSION_END(opts, wide));

static void test_complete(void **state)
{
    static const size_t two[] = {UTIL_VERSION_END(opts, a), UTIL_VERSION_END(opts, b)};
    static const size_t unordered[] = {UTIL_VERSION_END(opts, b), UTIL_VERSION_END(opts, a),
                                       UTIL_VERSION_END(opts, wide)};
    const util_versions missing_last = {"opts", two, 2, sizeof(opts), _Alignof(opts)};
    const util_versions bad_order = {"opts", unordered, 3, sizeof(opts), _Alignof(opts)};
    (void)state;
    assert_true(util_versions_complete(&opts_versions));
    assert_true(util_versions_complete(&opts_macro));
    assert_int_equal(opts_macro.current, 3);
    assert_int_equal(opts_macro.sizes[2], opts_sizes[2]);
    /* `wide` appended without a version: the table stops short of the layout */
    assert_false(util_versions_complete(&missing_last));
    assert_false(util_versions_complete(&bad_order));
    assert_false(util_versions_complete(NULL));
}

static void test_read_takes_only_the_callers_version(void **state)
{
    v1_in_memory m;
    opts o;
    (void)state;
    fill_v1(&m, 'x');
    memset(&o, 0x5A, sizeof(o));
    assert_int_equal(util_version_read(&o, sizeof(o), m.bytes, &opts_versions), 0);
    assert_int_equal(o.version, 1);
    assert_int_equal(o.a, 'x');
    /* the 0xA5 bytes after version 1 were not taken for fields version 1 lacks */
    assert_int_equal(o.b, 0);
    assert_int_equal(o.wide, 0);
}

static void test_read_refuses_unknown_versions(void **state)
{
    opts caller = {4, 'x', 'y', 7}, o;
    (void)state;
    assert_int_equal(util_version_read(&o, sizeof(o), &caller, &opts_versions), UTIL_EINVALID);
    assert_int_equal(o.a, 0);
    caller.version = 0;
    assert_int_equal(util_version_read(&o, sizeof(o), &caller, &opts_versions), UTIL_EINVALID);
    assert_int_equal(util_version_read(&o, sizeof(o), NULL, &opts_versions), UTIL_EINVALID);
    /* a library whose own layout is smaller than the caller's version is a bug: refused */
    caller.version = 3;
    assert_int_equal(util_version_read(&o, 4, &caller, &opts_versions), UTIL_EINVALID);
}

static void test_write_fills_only_the_callers_version(void **state)
{
    v1_in_memory m;
    opts full = {3, 'p', 'q', -1};
    size_t i, end = UTIL_VERSION_END(opts_v1, a);
    (void)state;
    fill_v1(&m, 'x');
    assert_int_equal(util_version_write(m.bytes, &full, &opts_versions), 0);
    assert_int_equal(util_version_of(m.bytes), 1); /* the caller's version stays */
    assert_int_equal(m.bytes[offsetof(opts_v1, a)], 'p');
    for (i = end; i < sizeof(m.bytes); i++)
        assert_int_equal(m.bytes[i], 0xA5);
    /* an unknown version: nothing written */
    {
        opts caller = {9, 'x', 'y', 7};
        assert_int_equal(util_version_write(&caller, &full, &opts_versions), UTIL_EINVALID);
        assert_int_equal(caller.a, 'x');
        assert_int_equal(util_version_write(NULL, &full, &opts_versions), UTIL_EINVALID);
    }
}

static void test_init_writes_only_that_version(void **state)
{
    v1_in_memory m;
    opts defaults = {3, 'd', 'e', 5};
    size_t i, end = UTIL_VERSION_END(opts_v1, a);
    (void)state;
    memset(m.bytes, 0xA5, sizeof(m.bytes));
    assert_int_equal(util_version_init(m.bytes, 1, &defaults, &opts_versions), 0);
    assert_int_equal(util_version_of(m.bytes), 1);
    assert_int_equal(m.bytes[offsetof(opts_v1, a)], 'd');
    for (i = end; i < sizeof(m.bytes); i++)
        assert_int_equal(m.bytes[i], 0xA5);
    memset(m.bytes, 0xA5, sizeof(m.bytes));
    assert_int_equal(util_version_init(m.bytes, 1, NULL, &opts_versions), 0);
    assert_int_equal(m.bytes[offsetof(opts_v1, a)], 0);
    assert_int_equal(m.bytes[end], 0xA5);
    assert_int_equal(util_version_init(m.bytes, 0, NULL, &opts_versions), UTIL_EINVALID);
    assert_int_equal(util_version_init(m.bytes, 4, NULL, &opts_versions), UTIL_EINVALID);
    assert_int_equal(util_version_init(NULL, 1, NULL, &opts_versions), UTIL_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_read_takes_only_the_callers_version),
        cmocka_unit_test(test_read_refuses_unknown_versions),
        cmocka_unit_test(test_write_fills_only_the_callers_version),
        cmocka_unit_test(test_init_writes_only_that_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
