/* The cty msgpack codec against byte sequences recorded from go-cty's encoder. */
#include "core.h"
#include "test_helpers.h"

#include <stdio.h>

#define CONFIG_BYTES                                                                               \
    "\x83\xa2id\xc0\xa4name\xa5"                                                                   \
    "alpha\xa4note\xa2n1"
#define PLANNED_BYTES                                                                              \
    "\x83\xa2id\xd4\x00\x00\xa4name\xa5"                                                           \
    "alpha\xa4note\xa2n1"
#define STATE_BYTES                                                                                \
    "\x83\xa2id\xa9thing-755\xa4name\xa5"                                                          \
    "alpha\xa4note\xa2n1"

static void test_protocol_examples(void **state)
{
    tfp_type *t = test_thing_type();
    tfp_value *v;
    (void)state;

    v = decode_ok(t, LIT(CONFIG_BYTES));
    assert_true(tfp_value_is_null(tfp_value_attr(v, "id")));
    assert_string_equal(tfp_value_attr_string(v, "name"), "alpha");
    assert_string_equal(tfp_value_attr_string(v, "note"), "n1");
    assert_msgpack(v, LIT(CONFIG_BYTES));
    tfp_value_free(v);

    v = decode_ok(t, LIT(PLANNED_BYTES));
    assert_false(tfp_value_is_known(tfp_value_attr(v, "id")));
    assert_false(tfp_value_is_wholly_known(v));
    assert_msgpack(v, LIT(PLANNED_BYTES));
    tfp_value_free(v);

    v = decode_ok(t, LIT(STATE_BYTES));
    assert_string_equal(tfp_value_attr_string(v, "id"), "thing-755");
    assert_true(tfp_value_is_wholly_known(v));
    assert_msgpack(v, LIT(STATE_BYTES));
    tfp_value_free(v);

    /* destroy: c0 is a null object */
    v = decode_ok(t, LIT("\xc0"));
    assert_true(tfp_value_is_null(v));
    assert_msgpack(v, LIT("\xc0"));
    tfp_value_free(v);
    tfp_type_free(t);
}

static void test_empty_object(void **state)
{
    tfp_type *t = NULL;
    tfp_value *v;
    (void)state;
    assert_int_equal(tfp_type_object_new(&t, 0, NULL, NULL), 0);
    v = decode_ok(t, LIT("\x80"));
    assert_int_equal(tfp_value_length(v), 0);
    assert_msgpack(v, LIT("\x80"));
    tfp_value_free(v);
    tfp_type_free(t);
}

static void
check_number(const uint8_t *in, size_t in_len, const char *text, const uint8_t *out, size_t out_len)
{
    tfp_value *v = decode_ok(tfp_type_number(), in, in_len);
    assert_string_equal(tfp_value_number_text(v), text);
    assert_msgpack(v, out, out_len);
    tfp_value_free(v);
}

static void test_numbers(void **state)
{
    tfp_value *v = NULL;
    (void)state;
    /* observed encodings of config values 0.1, 3, 1e20, 2.5, -7 */
    check_number(LIT("\xa3"
                     "0.1"),
                 "0.1",
                 LIT("\xa3"
                     "0.1"));
    check_number(LIT("\x03"), "3", LIT("\x03"));
    check_number(LIT("\xb5"
                     "100000000000000000000"),
                 "100000000000000000000",
                 LIT("\xb5"
                     "100000000000000000000"));
    check_number(LIT("\xcb\x40\x04\x00\x00\x00\x00\x00\x00"), "2.5",
                 LIT("\xcb\x40\x04\x00\x00\x00\x00\x00\x00"));
    check_number(LIT("\xf9"), "-7", LIT("\xf9"));
    /* every int width */
    check_number(LIT("\xcc\xff"), "255", LIT("\xcc\xff"));
    check_number(LIT("\xcd\x01\x00"), "256", LIT("\xcd\x01\x00"));
    check_number(LIT("\xd0\xf9"), "-7", LIT("\xf9"));
    check_number(LIT("\xd1\xff\x00"), "-256", LIT("\xd1\xff\x00"));
    check_number(LIT("\xd3\x80\x00\x00\x00\x00\x00\x00\x00"), "-9223372036854775808",
                 LIT("\xd3\x80\x00\x00\x00\x00\x00\x00\x00"));
    /* uint64 beyond int64: not an exact int64, so a decimal string */
    check_number(LIT("\xcf\xff\xff\xff\xff\xff\xff\xff\xff"), "18446744073709551615",
                 LIT("\xb4"
                     "18446744073709551615"));
    /* float32 2.5 */
    check_number(LIT("\xca\x40\x20\x00\x00"), "2.5", LIT("\xcb\x40\x04\x00\x00\x00\x00\x00\x00"));
    /* a float64 keeps its exact value and goes back out as the same float64 */
    check_number(LIT("\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a"),
                 "0.1000000000000000055511151231257827021181583404541015625",
                 LIT("\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a"));
    check_number(LIT("\xcb\x3f\xd3\x33\x33\x33\x33\x33\x34"),
                 "0.3000000000000000444089209850062616169452667236328125",
                 LIT("\xcb\x3f\xd3\x33\x33\x33\x33\x33\x34"));
    /* the smallest subnormal float64 */
    {
        tfp_value *tiny = decode_ok(tfp_type_number(), LIT("\xcb\x00\x00\x00\x00\x00\x00\x00\x01"));
        assert_msgpack(tiny, LIT("\xcb\x00\x00\x00\x00\x00\x00\x00\x01"));
        tfp_value_free(tiny);
    }
    /* a float64 integral value goes back as an int */
    check_number(LIT("\xcb\x40\x08\x00\x00\x00\x00\x00\x00"), "3", LIT("\x03"));
    /* decimal strings that are exact int64 or float64 are re-encoded compactly */
    check_number(LIT("\xa2"
                     "42"),
                 "42", LIT("\x2a"));
    check_number(LIT("\xa3"
                     "0.5"),
                 "0.5", LIT("\xcb\x3f\xe0\x00\x00\x00\x00\x00\x00"));

    /* constructors: 1e20 written as exponent text still goes out as plain digits */
    assert_int_equal(tfp_value_new_number(&v, "1e20"), 0);
    assert_string_equal(tfp_value_number_text(v), "1e20");
    assert_msgpack(v, LIT("\xb5"
                          "100000000000000000000"));
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "0.1"), 0);
    assert_msgpack(v, LIT("\xa3"
                          "0.1"));
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_double(&v, 2.5), 0);
    assert_msgpack(v, LIT("\xcb\x40\x04\x00\x00\x00\x00\x00\x00"));
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_int64(&v, -7), 0);
    assert_msgpack(v, LIT("\xf9"));
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_double(&v, 1.0 / 0.0), 0);
    assert_msgpack(v, LIT("\xcb\x7f\xf0\x00\x00\x00\x00\x00\x00"));
    tfp_value_free(v);

    /* not a number */
    assert_int_equal(tfp_value_from_msgpack(&v, tfp_type_number(),
                                            LIT("\xa3"
                                                "abc"),
                                            NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, tfp_type_number(),
                                            LIT("\xcb\x7f\xf8\x00\x00\x00\x00\x00\x01"), NULL),
                     TFP_EINVALID); /* NaN */
}

static void test_unknowns(void **state)
{
    tfp_value *v;
    (void)state;
    /* plain unknown */
    v = decode_ok(tfp_type_string(), LIT("\xd4\x00\x00"));
    assert_false(tfp_value_is_known(v));
    assert_msgpack(v, LIT("\xd4\x00\x00"));
    tfp_value_free(v);
    /* refined unknown: ext 12 with {1: false} (definitely not null) */
    v = decode_ok(tfp_type_string(), LIT("\xc7\x03\x0c\x81\x01\xc2"));
    assert_false(tfp_value_is_known(v));
    assert_msgpack(v, LIT("\xd4\x00\x00"));
    tfp_value_free(v);
    /* refined unknown with a string prefix: {1: false, 2: "ab"} */
    v = decode_ok(tfp_type_string(), LIT("\xc7\x07\x0c\x82\x01\xc2\x02\xa2"
                                         "ab"));
    assert_false(tfp_value_is_known(v));
    tfp_value_free(v);
    /* other ext forms */
    v = decode_ok(tfp_type_number(), LIT("\xd5\x00\x00\x00"));
    assert_false(tfp_value_is_known(v));
    tfp_value_free(v);
    v = decode_ok(tfp_type_bool(), LIT("\xd6\x0c\x00\x00\x00\x00"));
    assert_false(tfp_value_is_known(v));
    tfp_value_free(v);
}

static void test_nested_unknowns(void **state)
{
    tfp_type *lt = NULL;
    tfp_type *st = NULL;
    tfp_type *ot = NULL;
    tfp_type *lot = NULL;
    tfp_value *v;
    const char *names[] = {"a", "b"};
    const tfp_type *types[2];
    (void)state;

    assert_int_equal(tfp_type_list_new(&lt, tfp_type_string()), 0);
    v = decode_ok(lt, LIT("\x92\xa1x\xd4\x00\x00"));
    assert_true(tfp_value_is_known(v));
    assert_false(tfp_value_is_wholly_known(v));
    assert_int_equal(tfp_value_length(v), 2);
    assert_false(tfp_value_is_known(tfp_value_at(v, 1)));
    assert_msgpack(v, LIT("\x92\xa1x\xd4\x00\x00"));
    tfp_value_free(v);

    /* a set keeps two unknown elements apart, but merges equal known ones */
    assert_int_equal(tfp_type_set_new(&st, tfp_type_string()), 0);
    v = decode_ok(st, LIT("\x94\xd4\x00\x00\xd4\x00\x00\xa1x\xa1x"));
    assert_int_equal(tfp_value_length(v), 3);
    tfp_value_free(v);

    /* objects inside a list, one attribute unknown */
    types[0] = tfp_type_string();
    types[1] = tfp_type_number();
    assert_int_equal(tfp_type_object_new(&ot, 2, names, types), 0);
    assert_int_equal(tfp_type_list_new(&lot, ot), 0);
    v = decode_ok(lot, LIT("\x91\x82\xa1"
                           "a\xa1x\xa1"
                           "b\xd4\x00\x00"));
    assert_false(tfp_value_is_wholly_known(v));
    assert_string_equal(tfp_value_attr_string(tfp_value_at(v, 0), "a"), "x");
    assert_false(tfp_value_is_known(tfp_value_attr(tfp_value_at(v, 0), "b")));
    assert_msgpack(v, LIT("\x91\x82\xa1"
                          "a\xa1x\xa1"
                          "b\xd4\x00\x00"));
    tfp_value_free(v);

    /* the whole list unknown */
    v = decode_ok(lot, LIT("\xd4\x00\x00"));
    assert_false(tfp_value_is_known(v));
    assert_int_equal(tfp_value_length(v), 0);
    tfp_value_free(v);

    tfp_type_free(lt);
    tfp_type_free(st);
    tfp_type_free(ot);
    tfp_type_free(lot);
}

static void test_object_shape_errors(void **state)
{
    tfp_type *t = test_thing_type();
    tfp_value *v = NULL;
    char *err = NULL;
    (void)state;

    /* a missing attribute */
    assert_int_equal(tfp_value_from_msgpack(&v, t, LIT("\x82\xa2id\xc0\xa4name\xa1x"), &err),
                     TFP_EINVALID);
    assert_non_null(err);
    assert_non_null(strstr(err, "3 attributes is required (2 given)"));
    tfp_free(err);
    /* an unsupported attribute */
    assert_int_equal(
        tfp_value_from_msgpack(&v, t, LIT("\x83\xa2id\xc0\xa4name\xa1x\xa5other\xc0"), &err),
        TFP_EINVALID);
    assert_non_null(strstr(err, "unsupported attribute \"other\""));
    tfp_free(err);
    /* a duplicate attribute */
    assert_int_equal(
        tfp_value_from_msgpack(&v, t, LIT("\x83\xa2id\xc0\xa2id\xc0\xa4note\xc0"), &err),
        TFP_EINVALID);
    tfp_free(err);
    /* wrong type inside, with a path */
    assert_int_equal(
        tfp_value_from_msgpack(&v, t, LIT("\x83\xa2id\xc3\xa4name\xa1x\xa4note\xc0"), &err),
        TFP_EINVALID);
    assert_non_null(strstr(err, "a string is required, got bool"));
    assert_non_null(strstr(err, "id"));
    tfp_free(err);
    /* the empty map is not an object with attributes */
    assert_int_equal(tfp_value_from_msgpack(&v, t, LIT("\x80"), NULL), TFP_EINVALID);
    tfp_type_free(t);
}

static void test_dynamic(void **state)
{
    tfp_value *v;
    tfp_type *ot = NULL;
    const char *names[] = {"any"};
    const tfp_type *types[] = {tfp_type_dynamic()};
    (void)state;

    v = decode_ok(tfp_type_dynamic(), LIT("\x92\xc4\x08\"string\"\xa3"
                                          "abc"));
    assert_int_equal(tfp_type_kind(tfp_value_type(v)), TFP_KIND_STRING);
    assert_string_equal(tfp_value_string(v), "abc");
    tfp_value_free(v);

    /* a null / unknown dynamic value of unknown type is plain */
    v = decode_ok(tfp_type_dynamic(), LIT("\xc0"));
    assert_true(tfp_value_is_null(v));
    assert_msgpack(v, LIT("\xc0"));
    tfp_value_free(v);
    v = decode_ok(tfp_type_dynamic(), LIT("\xd4\x00\x00"));
    assert_false(tfp_value_is_known(v));
    assert_msgpack(v, LIT("\xd4\x00\x00"));
    tfp_value_free(v);

    /* inside an object: concrete values are wrapped, even null ones */
    assert_int_equal(tfp_type_object_new(&ot, 1, names, types), 0);
    v = decode_ok(ot, LIT("\x81\xa3"
                          "any\x92\xc4\x08\"string\"\xa3"
                          "abc"));
    assert_string_equal(tfp_value_attr_string(v, "any"), "abc");
    assert_msgpack(v, LIT("\x81\xa3"
                          "any\x92\xc4\x08\"string\"\xa3"
                          "abc"));
    tfp_value_free(v);
    v = decode_ok(ot, LIT("\x81\xa3"
                          "any\x92\xc4\x08\"string\"\xc0"));
    assert_true(tfp_value_is_null(tfp_value_attr(v, "any")));
    assert_int_equal(tfp_type_kind(tfp_value_type(tfp_value_attr(v, "any"))), TFP_KIND_STRING);
    assert_msgpack(v, LIT("\x81\xa3"
                          "any\x92\xc4\x08\"string\"\xc0"));
    tfp_value_free(v);
    v = decode_ok(ot, LIT("\x81\xa3"
                          "any\x92\xc4\x0f[\"list\",\"bool\"]\x92\xc3\xc2"));
    assert_int_equal(tfp_value_length(tfp_value_attr(v, "any")), 2);
    assert_msgpack(v, LIT("\x81\xa3"
                          "any\x92\xc4\x0f[\"list\",\"bool\"]\x92\xc3\xc2"));
    tfp_value_free(v);
    /* malformed dynamic */
    assert_int_equal(tfp_value_from_msgpack(&v, ot,
                                            LIT("\x81\xa3"
                                                "any\xa3"
                                                "abc"),
                                            NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, ot,
                                            LIT("\x81\xa3"
                                                "any\x92\xc4\x03"
                                                "bad\xa3"
                                                "abc"),
                                            NULL),
                     TFP_EINVALID);
    tfp_type_free(ot);
}

static void test_collections(void **state)
{
    tfp_type *mt = NULL;
    tfp_type *st = NULL;
    tfp_type *tt = NULL;
    const tfp_type *types[] = {tfp_type_string(), tfp_type_bool()};
    tfp_value *v;
    (void)state;

    assert_int_equal(tfp_type_map_new(&mt, tfp_type_string()), 0);
    v = decode_ok(mt, LIT("\x82\xa1z\xa1"
                          "1\xa1"
                          "a\xa1"
                          "2"));
    assert_string_equal(tfp_value_key_at(v, 0), "a");
    assert_string_equal(tfp_value_string(tfp_value_map_get(v, "z")), "1");
    assert_msgpack(v, LIT("\x82\xa1"
                          "a\xa1"
                          "2\xa1z\xa1"
                          "1"));
    tfp_value_free(v);
    assert_int_equal(tfp_value_from_msgpack(&v, mt,
                                            LIT("\x82\xa1"
                                                "a\xc0\xa1"
                                                "a\xc0"),
                                            NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, mt, LIT("\x81\x01\xc0"), NULL), TFP_EINVALID);

    assert_int_equal(tfp_type_set_new(&st, tfp_type_string()), 0);
    v = decode_ok(st, LIT("\x93\xa1x\xa1y\xa1x"));
    assert_int_equal(tfp_value_length(v), 2);
    tfp_value_free(v);

    assert_int_equal(tfp_type_tuple_new(&tt, 2, types), 0);
    v = decode_ok(tt, LIT("\x92\xa1x\xc3"));
    assert_string_equal(tfp_value_string(tfp_value_at(v, 0)), "x");
    assert_msgpack(v, LIT("\x92\xa1x\xc3"));
    tfp_value_free(v);
    assert_int_equal(tfp_value_from_msgpack(&v, tt, LIT("\x91\xa1x"), NULL), TFP_EINVALID);

    /* strings may arrive as bin */
    v = decode_ok(tfp_type_string(), LIT("\xc4\x02hi"));
    assert_string_equal(tfp_value_string(v), "hi");
    assert_msgpack(v, LIT("\xa2hi"));
    tfp_value_free(v);
    /* invalid UTF-8 */
    assert_int_equal(tfp_value_from_msgpack(&v, tfp_type_string(), LIT("\xa1\xff"), NULL),
                     TFP_EINVALID);
    tfp_type_free(mt);
    tfp_type_free(st);
    tfp_type_free(tt);
}

static void test_malformed(void **state)
{
    tfp_type *t = test_thing_type();
    tfp_type *lt = NULL;
    tfp_value *v = NULL;
    char *err = NULL;
    (void)state;

    /* truncated at every length */
    {
        const uint8_t full[] = STATE_BYTES;
        size_t i;
        for (i = 0; i < sizeof(full) - 1; i++) {
            assert_int_not_equal(tfp_value_from_msgpack(&v, t, full, i, &err), 0);
            tfp_free(err);
            err = NULL;
        }
    }
    /* trailing bytes */
    assert_int_equal(tfp_value_from_msgpack(&v, tfp_type_string(), LIT("\xa1x\xc0"), &err),
                     TFP_EINVALID);
    assert_non_null(strstr(err, "unexpected bytes"));
    tfp_free(err);
    /* a header that claims four billion elements */
    assert_int_equal(tfp_type_list_new(&lt, tfp_type_string()), 0);
    assert_int_equal(tfp_value_from_msgpack(&v, lt, LIT("\xdd\xff\xff\xff\xff\xc0"), NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, lt, LIT("\xc1"), NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, lt, LIT("\xdb\xff\xff\xff\xff"), NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, lt, NULL, 0, NULL), TFP_EINVALID);
    tfp_type_free(lt);
    tfp_type_free(t);
}

static void test_depth_limit(void **state)
{
    tfp_type *t = NULL;
    uint8_t buf[200];
    tfp_value *v = NULL;
    int i;
    (void)state;
    /* list(list(...(string))) 100 deep */
    t = tfp_type_ref(tfp_type_string());
    for (i = 0; i < 100; i++) {
        tfp_type *outer = NULL;
        assert_int_equal(tfp_type_list_new(&outer, t), 0);
        tfp_type_free(t);
        t = outer;
    }
    memset(buf, 0x91, sizeof(buf));
    buf[100] = 0xc0;
    assert_int_equal(tfp_value_from_msgpack(&v, t, buf, 101, NULL), TFP_ETOOLARGE);
    /* 60 levels are fine */
    buf[60] = 0xc0;
    {
        tfp_type *inner = t;
        for (i = 0; i < 40; i++) {
            inner = (tfp_type *)tfp_type_element(inner);
        }
        v = decode_ok(inner, buf, 61);
        tfp_value_free(v);
    }
    tfp_type_free(t);
}

/* ----- memory bound ----- */

#define BIG (16u << 20)

/* An array32 header of @p n elements, then @p n copies of @p elem. */
static uint8_t *array_of(size_t n, const uint8_t *elem, size_t elem_len, size_t *len_out)
{
    uint8_t *b = malloc(5 + n * elem_len);
    size_t i;
    assert_non_null(b);
    b[0] = 0xdd;
    b[1] = (uint8_t)(n >> 24);
    b[2] = (uint8_t)(n >> 16);
    b[3] = (uint8_t)(n >> 8);
    b[4] = (uint8_t)n;
    for (i = 0; i < n; i++) {
        memcpy(b + 5 + i * elem_len, elem, elem_len);
    }
    *len_out = 5 + n * elem_len;
    return b;
}

/* Decoding a message never needs more than a small multiple of its size: the 16 MiB shapes that
 * cost the most per byte (one-byte nulls in a list: a tree node each; short strings; map
 * entries; distinct set elements with their hash table) are refused as too large within the
 * bound, a 16 MiB string decodes within it, and an ordinary value (10000 IDs) decodes. */
static void test_memory_bound(void **state)
{
    tfp_type *ls = NULL, *ss = NULL, *ms = NULL;
    uint8_t *b;
    size_t len, i;
    (void)state;
    assert_int_equal(tfp_type_list_new(&ls, tfp_type_string()), 0);
    assert_int_equal(tfp_type_set_new(&ss, tfp_type_string()), 0);
    assert_int_equal(tfp_type_map_new(&ms, tfp_type_string()), 0);

    b = array_of(BIG, (const uint8_t *)"\xc0", 1, &len);
    assert_false(decode_bounded(0, ls, b, len, "list of nulls"));
    free(b);
    b = array_of(BIG / 5,
                 (const uint8_t *)"\xa4"
                                  "abcd",
                 5, &len);
    assert_false(decode_bounded(0, ls, b, len, "list of short strings"));
    for (i = 0; i < BIG / 5; i++) { /* distinct: base-26 digits */
        size_t k = i, d;
        for (d = 0; d < 4; d++, k /= 26) {
            b[5 + i * 5 + 1 + d] = (uint8_t)('a' + k % 26);
        }
    }
    assert_false(decode_bounded(0, ss, b, len, "set of distinct short strings"));
    b[0] = 0xdf; /* the same bytes as a map of BIG/10 entries "abcd": "abcd" */
    len = 5 + (BIG / 10) * 10;
    b[1] = (uint8_t)((BIG / 10) >> 24);
    b[2] = (uint8_t)((BIG / 10) >> 16);
    b[3] = (uint8_t)((BIG / 10) >> 8);
    b[4] = (uint8_t)(BIG / 10);
    assert_false(decode_bounded(0, ms, b, len, "map of short entries"));
    free(b);

    /* one big string: decodes */
    b = malloc(BIG + 5);
    assert_non_null(b);
    b[0] = 0xdb;
    b[1] = (uint8_t)(BIG >> 24);
    b[2] = (uint8_t)(BIG >> 16);
    b[3] = (uint8_t)(BIG >> 8);
    b[4] = (uint8_t)BIG;
    memset(b + 5, 'x', BIG);
    assert_true(decode_bounded(0, tfp_type_string(), b, BIG + 5, "one 16 MiB string"));
    free(b);

    /* a list of 10000 UUID-sized strings (an ordinary large value): decodes */
    {
        uint8_t id[38];
        id[0] = 0xd9; /* str8 */
        id[1] = 36;
        memset(id + 2, 'f', 36);
        b = array_of(10000, id, sizeof(id), &len);
        assert_true(decode_bounded(0, ls, b, len, "10000 IDs"));
        free(b);
    }
    tfp_type_free(ls);
    tfp_type_free(ss);
    tfp_type_free(ms);
}

/* Packs @p len bytes as a msgpack str into @p buf (len < 32). */
static size_t fixstr(uint8_t *buf, const char *bytes, size_t len)
{
    buf[0] = (uint8_t)(0xa0 | len);
    memcpy(buf + 1, bytes, len);
    return len + 1;
}

/* Writes @p len bytes as a JSON string literal: control characters escaped, the rest raw. */
static size_t jsonstr(char *buf, const char *bytes, size_t len)
{
    size_t n = 0, i;
    buf[n++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c < 0x20 || c == '"' || c == '\\') {
            n += (size_t)sprintf(buf + n, "\\u%04x", c);
        } else {
            buf[n++] = (char)c;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return n;
}

/* The two codecs agree on what a valid string is, as a value and as a map key: the same byte
 * sequences are accepted (and decode to equal values) or refused by both. */
static void test_codecs_agree_on_strings(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
        int value_ok;
        int key_ok;
    } cases[] = {
        {"plain", 5, 1, 1},
        {"a\0b", 3, 1, 0},         /* NUL: a valid string, not a valid key */
        {"\0", 1, 1, 0},           /* NUL alone */
        {"\x01\x1f\x7f", 3, 1, 1}, /* other control characters: valid */
        {"\xc3\xa9", 2, 1, 1},     /* U+00E9 */
        {"\xf0\x9f\x98\x80", 4, 1, 1},
        {"\xff", 1, 0, 0},         /* not UTF-8 */
        {"\xc0\x80", 2, 0, 0},     /* overlong NUL */
        {"\xed\xa0\x80", 3, 0, 0}, /* a surrogate */
        {"\xe2\x82", 2, 0, 0},     /* truncated */
    };
    tfp_type *mt = NULL;
    size_t i;
    (void)state;
    assert_int_equal(tfp_type_map_new(&mt, tfp_type_string()), 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t mp[64];
        char js[128];
        size_t mlen, jlen;
        tfp_value *a = NULL;
        tfp_value *b = NULL;
        int ra, rb;
        /* as a value */
        mlen = fixstr(mp, cases[i].bytes, cases[i].len);
        jlen = jsonstr(js, cases[i].bytes, cases[i].len);
        ra = tfp_value_from_msgpack(&a, tfp_type_string(), mp, mlen, NULL);
        rb = tfp_value_from_json(&b, tfp_type_string(), js, jlen, NULL);
        if ((ra == 0) != cases[i].value_ok || (rb == 0) != cases[i].value_ok) {
            fail_msg("case %zu as a value: msgpack %d, JSON %d, expected %s", i, ra, rb,
                     cases[i].value_ok ? "accepted" : "refused");
        }
        if (ra == 0) {
            assert_true(tfp_value_equal(a, b));
        }
        tfp_value_free(a);
        tfp_value_free(b);
        a = NULL;
        b = NULL;
        /* as a map key: {key: "v"} */
        mp[0] = 0x81;
        mlen = 1 + fixstr(mp + 1, cases[i].bytes, cases[i].len);
        mlen += fixstr(mp + mlen, "v", 1);
        js[0] = '{';
        jlen = 1 + jsonstr(js + 1, cases[i].bytes, cases[i].len);
        jlen += (size_t)sprintf(js + jlen, ":\"v\"}");
        ra = tfp_value_from_msgpack(&a, mt, mp, mlen, NULL);
        rb = tfp_value_from_json(&b, mt, js, jlen, NULL);
        if ((ra == 0) != cases[i].key_ok || (rb == 0) != cases[i].key_ok) {
            fail_msg("case %zu as a key: msgpack %d, JSON %d, expected %s", i, ra, rb,
                     cases[i].key_ok ? "accepted" : "refused");
        }
        if (ra == 0) {
            assert_true(tfp_value_equal(a, b));
        }
        tfp_value_free(a);
        tfp_value_free(b);
    }
    tfp_type_free(mt);
}

/* Random bytes (half of them edits of valid encodings) as test_thing or dynamic. Every input
 * either decodes into a value that encodes and decodes back unchanged, or is refused with
 * TFP_EINVALID/TFP_ETOOLARGE, a message and no value. Both outcomes must occur. */
static void test_random_input_never_crashes(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
        int dynamic;
    } seeds[] = {
        {STATE_BYTES, sizeof(STATE_BYTES) - 1, 0},
        {PLANNED_BYTES, sizeof(PLANNED_BYTES) - 1, 0},
        {CONFIG_BYTES, sizeof(CONFIG_BYTES) - 1, 0},
        {"\x92\xc4\x08\"string\"\xa3"
         "abc",
         14, 1},
        {"\x92\xc4\x10[\"list\",\"bool\"]\x92\xc3\xc2", 21, 1},
    };
    tfp_type *t = test_thing_type();
    uint8_t buf[64];
    unsigned int seed = 12345;
    int accepted = 0, refused = 0;
    int i;
    (void)state;
    for (i = 0; i < 20000; i++) {
        const tfp_type *as = i % 3 ? t : tfp_type_dynamic();
        size_t len;
        size_t k;
        tfp_value *v = NULL;
        char *err = NULL;
        int rc;
        if (i % 2 == 0) {
            size_t pick = (size_t)rand_r(&seed) % (sizeof(seeds) / sizeof(*seeds));
            int edits = 1 + rand_r(&seed) % 2;
            as = seeds[pick].dynamic ? tfp_type_dynamic() : t;
            len = seeds[pick].len;
            memcpy(buf, seeds[pick].bytes, len);
            while (edits-- > 0) {
                size_t at = (size_t)rand_r(&seed) % len;
                /* mostly the low bits: lengths and values stay plausible */
                buf[at] = (uint8_t)(buf[at] ^ (1u << (rand_r(&seed) % 8)));
            }
        } else {
            len = (size_t)(rand_r(&seed) % sizeof(buf));
            for (k = 0; k < len; k++) {
                buf[k] = (uint8_t)rand_r(&seed);
            }
            if (len > 0 && i % 4 == 1) {
                buf[0] = 0x83;
            }
        }
        rc = tfp_value_from_msgpack(&v, as, buf, len, &err);
        if (rc == 0) {
            void *out = NULL;
            void *out2 = NULL;
            size_t n = 0, n2 = 0;
            tfp_value *back = NULL;
            assert_non_null(v);
            assert_null(err);
            assert_int_equal(tfp__value_to_msgpack_as(&out, &n, v, as), 0);
            assert_int_equal(tfp_value_from_msgpack(&back, as, out, n, NULL), 0);
            assert_true(tfp_value_equal(v, back));
            assert_int_equal(tfp__value_to_msgpack_as(&out2, &n2, back, as), 0);
            assert_int_equal(n, n2);
            assert_memory_equal(out, out2, n);
            tfp_free(out);
            tfp_free(out2);
            tfp_value_free(back);
            tfp_value_free(v);
            accepted++;
        } else {
            assert_true(rc == TFP_EINVALID || rc == TFP_ETOOLARGE);
            assert_null(v);
            assert_non_null(err);
            assert_true(err[0] != '\0');
            tfp_free(err);
            refused++;
        }
    }
    print_message("%d inputs decoded and round-tripped, %d refused with a message\n", accepted,
                  refused);
    assert_true(accepted > 100);
    assert_true(refused > 100);
    tfp_type_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_protocol_examples),
        cmocka_unit_test(test_empty_object),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_unknowns),
        cmocka_unit_test(test_nested_unknowns),
        cmocka_unit_test(test_object_shape_errors),
        cmocka_unit_test(test_dynamic),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_codecs_agree_on_strings),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_random_input_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
