/* Shared helpers of the core unit tests (header-only, static). */
#ifndef TFP_TEST_HELPERS_H
#define TFP_TEST_HELPERS_H

#include "core.h"
#include "util.h"

#include <tfp/tfp.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/* clang-format off: cmocka.h needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
/* clang-format on */

/* Bytes of a string literal without its terminator. */
#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* object{id, name, note} of strings: the schema of the recorded go-cty examples. */
static inline tfp_type *test_thing_type(void)
{
    const char *names[] = {"note", "id", "name"};
    const tfp_type *types[] = {tfp_type_string(), tfp_type_string(), tfp_type_string()};
    tfp_type *t = NULL;
    assert_int_equal(tfp_type_object_new(&t, 3, names, types), 0);
    return t;
}

/* Encodes @p v and compares with the expected bytes. */
static inline void assert_msgpack(const tfp_value *v, const uint8_t *want, size_t want_len)
{
    void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(tfp_value_to_msgpack(&bytes, &len, v), 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(bytes, want, want_len);
    tfp_free(bytes);
}

static inline tfp_value *decode_ok(const tfp_type *t, const uint8_t *data, size_t len)
{
    tfp_value *v = NULL;
    char *err = NULL;
    int rc = tfp_value_from_msgpack(&v, t, data, len, &err);
    if (rc != 0) {
        fail_msg("decode failed: %d %s", rc, err != NULL ? err : "");
    }
    assert_null(err);
    return v;
}

/* Decodes @p len bytes (msgpack, or JSON when @p json) as @p t under a measuring meter (cJSON's
 * part is charged by the JSON decoder itself). Either it decodes, or it is refused as too large
 * with a message; both within 4 x the input (or the floor, TFP__DECODE_FLOOR, for small inputs).
 * @return 1 if it decoded. */
static inline int
decode_bounded(int json, const tfp_type *t, const void *data, size_t len, const char *what)
{
    util_meter m;
    tfp_value *v = NULL;
    char *err = NULL;
    int rc;
    util_meter_begin(&m, SIZE_MAX);
    rc = json ? tfp_value_from_json(&v, t, data, len, &err)
              : tfp_value_from_msgpack(&v, t, data, len, &err);
    util_meter_end(&m);
    print_message("%s: %zu bytes of %s: %s, peak %zu bytes (%.2f x)\n", what, len,
                  json ? "JSON" : "msgpack", rc == 0 ? "decoded" : "refused", m.peak,
                  (double)m.peak / (double)len);
    /* small inputs may use the floor whatever their shape */
    if (m.peak > 4 * (size_t)len && m.peak > TFP__DECODE_FLOOR) {
        fail_msg("%s: decoding %zu bytes took %zu bytes", what, len, m.peak);
    }
    if (rc != 0) {
        assert_int_equal(rc, TFP_ETOOLARGE);
        assert_non_null(strstr(err, "too many elements"));
        assert_null(v);
    }
    tfp_value_free(v);
    tfp_free(err);
    return rc == 0;
}

#endif
