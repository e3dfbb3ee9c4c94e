/* The cty JSON codec: stored state, pretty and compact, exact numbers, lenient objects. */
#include "core.h"
#include "test_helpers.h"

static tfp_type *state_type(void)
{
    tfp_type *tags = NULL;
    tfp_type *ports = NULL;
    tfp_type *port = NULL;
    tfp_type *t = NULL;
    const char *pnames[] = {"client_port", "protocol"};
    const tfp_type *ptypes[] = {tfp_type_number(), tfp_type_string()};
    const char *names[] = {"id", "size", "enabled", "tags", "port", "any"};
    const tfp_type *types[6];
    assert_int_equal(tfp_type_map_new(&tags, tfp_type_string()), 0);
    assert_int_equal(tfp_type_object_new(&port, 2, pnames, ptypes), 0);
    assert_int_equal(tfp_type_set_new(&ports, port), 0);
    types[0] = tfp_type_string();
    types[1] = tfp_type_number();
    types[2] = tfp_type_bool();
    types[3] = tags;
    types[4] = ports;
    types[5] = tfp_type_dynamic();
    assert_int_equal(tfp_type_object_new(&t, 6, names, types), 0);
    tfp_type_free(tags);
    tfp_type_free(ports);
    tfp_type_free(port);
    return t;
}

static tfp_value *json_ok(const tfp_type *t, const char *json)
{
    tfp_value *v = NULL;
    char *err = NULL;
    int rc = tfp_value_from_json(&v, t, json, strlen(json), &err);
    if (rc != 0) {
        fail_msg("decode failed: %d %s", rc, err != NULL ? err : "");
    }
    return v;
}

static void assert_json(const tfp_value *v, const char *want)
{
    char *out = NULL;
    assert_int_equal(tfp_value_to_json(&out, v), 0);
    assert_string_equal(out, want);
    tfp_free(out);
}

static void test_pretty_state(void **state)
{
    tfp_type *t = state_type();
    tfp_value *v;
    int b = 0;
    const char *pretty = "{\n"
                         "  \"any\": {\"value\": [\"a\", 1], \"type\": [\"tuple\", [\"string\", "
                         "\"number\"]]},\n"
                         "  \"enabled\": false,\n"
                         "  \"id\": \"svc-1\",\n"
                         "  \"port\": [\n"
                         "    {\"client_port\": 8080, \"protocol\": \"TCP\"},\n"
                         "    {\"client_port\": 8080, \"protocol\": \"TCP\"}\n"
                         "  ],\n"
                         "  \"size\": 100000000000000000000,\n"
                         "  \"tags\": {\"k\": \"v\", \"a\": \"\\u00e9\\n\"}\n"
                         "}\n";
    (void)state;
    v = json_ok(t, pretty);
    assert_string_equal(tfp_value_attr_string(v, "id"), "svc-1");
    assert_string_equal(tfp_value_number_text(tfp_value_attr(v, "size")), "100000000000000000000");
    assert_int_equal(tfp_value_bool(&b, tfp_value_attr(v, "enabled")), 0);
    assert_int_equal(b, 0);
    assert_int_equal(tfp_value_length(tfp_value_attr(v, "port")), 1); /* set: merged */
    assert_string_equal(tfp_value_string(tfp_value_map_get(tfp_value_attr(v, "tags"), "a")),
                        "\xc3\xa9\n");
    assert_int_equal(tfp_type_kind(tfp_value_type(tfp_value_attr(v, "any"))), TFP_KIND_TUPLE);
    assert_json(v, "{\"any\":{\"type\":[\"tuple\",[\"string\",\"number\"]],\"value\":[\"a\",1]},"
                   "\"enabled\":false,\"id\":\"svc-1\","
                   "\"port\":[{\"client_port\":8080,\"protocol\":\"TCP\"}],"
                   "\"size\":100000000000000000000,\"tags\":{\"a\":\"\xc3\xa9\\n\",\"k\":\"v\"}}");
    tfp_value_free(v);
    tfp_type_free(t);
}

static void test_compact_missing_and_numbers(void **state)
{
    tfp_type *t = state_type();
    tfp_value *v;
    (void)state;
    v = json_ok(t, "{\"id\":\"x\",\"size\":0.1}");
    assert_true(tfp_value_is_null(tfp_value_attr(v, "tags")));
    assert_true(tfp_value_is_null(tfp_value_attr(v, "any")));
    assert_string_equal(tfp_value_number_text(tfp_value_attr(v, "size")), "0.1");
    assert_json(v, "{\"any\":null,\"enabled\":null,\"id\":\"x\",\"port\":null,\"size\":0.1,"
                   "\"tags\":null}");
    tfp_value_free(v);

    /* numbers with many digits, exponents and negative values survive byte for byte */
    v = json_ok(tfp_type_number(), "-123456789012345678901234567890.000000000000000000001");
    assert_string_equal(tfp_value_number_text(v),
                        "-123456789012345678901234567890.000000000000000000001");
    assert_json(v, "-123456789012345678901234567890.000000000000000000001");
    tfp_value_free(v);
    v = json_ok(tfp_type_number(), " 1.5E+3 ");
    assert_json(v, "1.5E+3");
    tfp_value_free(v);
    /* cty accepts numbers and bools written as strings */
    v = json_ok(tfp_type_number(), "\"42\"");
    assert_string_equal(tfp_value_number_text(v), "42");
    tfp_value_free(v);
    v = json_ok(tfp_type_bool(), "\"true\"");
    assert_json(v, "true");
    tfp_value_free(v);
    v = json_ok(tfp_type_string(), "12");
    assert_string_equal(tfp_value_string(v), "12");
    tfp_value_free(v);
    /* numbers next to strings that look like numbers */
    {
        tfp_type *mt = NULL;
        assert_int_equal(tfp_type_map_new(&mt, tfp_type_number()), 0);
        v = json_ok(mt, "{\"-1\": 2, \"3e4\": -5.5e-1, \"x\\\"9\": 7}");
        assert_string_equal(tfp_value_number_text(tfp_value_map_get(v, "3e4")), "-5.5e-1");
        assert_string_equal(tfp_value_number_text(tfp_value_map_get(v, "x\"9")), "7");
        assert_string_equal(tfp_value_number_text(tfp_value_map_get(v, "-1")), "2");
        tfp_value_free(v);
        tfp_type_free(mt);
    }
    tfp_type_free(t);
}

/* TFP_JSON_IGNORE_UNKNOWN: attributes the type lacks are skipped at any depth; the rest of
 * the checks stay. */
static void test_ignore_unknown(void **state)
{
    static const char json[] = "{\"id\":\"a\",\"region\":\"eu-de\",\"timeouts\":null,"
                               "\"port\":[{\"client_port\":80,\"packet_id\":7}],"
                               "\"extra\":{\"deep\":[1,2]}}";
    tfp_type *t = state_type();
    tfp_value *v = NULL;
    char *err = NULL;
    (void)state;
    assert_int_equal(tfp_value_from_json(&v, t, json, strlen(json), &err), TFP_EINVALID);
    tfp_free(err);
    err = NULL;
    assert_int_equal(
        tfp_value_from_json_flags(&v, t, json, strlen(json), TFP_JSON_IGNORE_UNKNOWN, &err), 0);
    assert_null(err);
    assert_string_equal(tfp_value_attr_string(v, "id"), "a");
    assert_int_equal(tfp_value_length(tfp_value_attr(v, "port")), 1);
    assert_true(tfp_value_is_null(tfp_value_attr(v, "size")));
    tfp_value_free(v);
    /* known attributes of the wrong type are still refused */
    assert_int_equal(
        tfp_value_from_json_flags(&v, t, "{\"id\":[1],\"x\":1}", 16, TFP_JSON_IGNORE_UNKNOWN, &err),
        TFP_EINVALID);
    tfp_free(err);
    assert_int_equal(tfp_value_from_json_flags(&v, t, "{}", 2, 0x80u, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_json_flags(&v, t, "{}", 2, 0, NULL), 0);
    tfp_value_free(v);
    tfp_type_free(t);
}

static void test_errors(void **state)
{
    tfp_type *t = state_type();
    tfp_value *v = NULL;
    char *err = NULL;
    (void)state;
    assert_int_equal(tfp_value_from_json(&v, t, "{\"nope\":1}", 10, &err), TFP_EINVALID);
    assert_non_null(strstr(err, "unsupported attribute \"nope\""));
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "{\"id\":", 6, &err), TFP_EINVALID);
    assert_non_null(strstr(err, "malformed JSON"));
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "{} x", 4, &err), TFP_EINVALID);
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "{\"id\":true,\"id\":\"x\"}", 20, &err),
                     TFP_EINVALID);
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "{\"tags\":{\"a\":[1]}}", 18, &err), TFP_EINVALID);
    assert_non_null(strstr(err, "tags[\"a\"]"));
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "", 0, &err), TFP_EINVALID);
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "[]", 2, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_json(&v, tfp_type_number(), "\"abc\"", 5, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_json(&v, tfp_type_number(), "\"Inf\"", 5, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_json(&v, tfp_type_dynamic(), "{\"value\":1}", 11, NULL),
                     TFP_EINVALID);
    tfp_type_free(t);
}

static void test_depth(void **state)
{
    char buf[400];
    tfp_value *v = NULL;
    int i;
    (void)state;
    /* a dynamic value whose type nests 100 lists */
    for (i = 0; i < 100; i++) {
        buf[i] = '[';
    }
    buf[100] = ']';
    for (i = 101; i < 200; i++) {
        buf[i] = ']';
    }
    buf[200] = '\0';
    assert_int_not_equal(tfp_value_from_json(&v, tfp_type_dynamic(), buf, 200, NULL), 0);
}

static void test_unknown_cannot_encode(void **state)
{
    tfp_value *v = NULL;
    char *out = NULL;
    (void)state;
    assert_int_equal(tfp_value_new_unknown(&v, tfp_type_string()), 0);
    assert_int_equal(tfp_value_to_json(&out, v), TFP_EINVALID);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_double(&v, 1.0 / 0.0), 0);
    assert_int_equal(tfp_value_to_json(&out, v), TFP_EINVALID);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, ".5"), 0);
    assert_json(v, "0.5");
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_stringn(&v, "a\0\x01\"", 4), 0);
    assert_json(v, "\"a\\u0000\\u0001\\\"\"");
    tfp_value_free(v);
}

/* NUL (U+0000) in strings: accepted with its full length (cty allows it and older states hold
 * it), whatever the escapes around it; refused in keys and where a number or bool is needed. */
static void test_nul_strings(void **state)
{
    tfp_type *mt = NULL;
    tfp_type *t = state_type();
    tfp_value *v = NULL;
    char *err = NULL;
    size_t n = 0;
    (void)state;

    v = json_ok(tfp_type_string(), "\"a\\u0000b\"");
    assert_string_equal(tfp_value_string(v), "a"); /* the C view stops at the NUL... */
    assert_json(v, "\"a\\u0000b\"");               /* ...the value does not */
    {
        void *mp = NULL;
        assert_int_equal(tfp_value_to_msgpack(&mp, &n, v), 0);
        assert_int_equal(n, 4);
        assert_memory_equal(mp,
                            "\xa3"
                            "a\0b",
                            4);
        tfp_free(mp);
    }
    tfp_value_free(v);
    /* escapes before and after, a surrogate pair, an escaped backslash before "u0000" */
    v = json_ok(tfp_type_string(), "\"\\t\\\"\\u0000\\ud83d\\ude00\\\\u0000\\/\\u00e9\"");
    assert_json(v, "\"\\t\\\"\\u0000\xf0\x9f\x98\x80\\\\u0000/\xc3\xa9\"");
    tfp_value_free(v);
    /* in a state object, a map and a dynamic value: the right node gets the right bytes */
    v = json_ok(t, "{\"id\":\"x\\u0000y\",\"tags\":{\"k\":\"plain\",\"n\":\"a\\u0000b\"},"
                   "\"any\":{\"value\":[\"\\u0000\",\"z\"],\"type\":[\"list\",\"string\"]}}");
    assert_json(v, "{\"any\":{\"type\":[\"list\",\"string\"],\"value\":[\"\\u0000\",\"z\"]},"
                   "\"enabled\":null,\"id\":\"x\\u0000y\",\"port\":null,\"size\":null,"
                   "\"tags\":{\"k\":\"plain\",\"n\":\"a\\u0000b\"}}");
    assert_string_equal(tfp_value_string(tfp_value_map_get(tfp_value_attr(v, "tags"), "k")),
                        "plain");
    tfp_value_free(v);

    /* keys and attribute names with a NUL: refused, as by the msgpack decoder */
    assert_int_equal(tfp_type_map_new(&mt, tfp_type_string()), 0);
    assert_int_equal(tfp_value_from_json(&v, mt, "{\"a\\u0000b\":\"x\"}", 16, &err), TFP_EINVALID);
    assert_non_null(strstr(err, "NUL"));
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, t, "{\"id\\u0000x\":\"x\"}",
                                         strlen("{\"id\\u0000x\":\"x\"}"), &err),
                     TFP_EINVALID);
    assert_non_null(strstr(err, "NUL"));
    tfp_free(err);
    /* a NUL string where a number or a bool is needed: not a number "1" */
    assert_int_equal(tfp_value_from_json(&v, tfp_type_number(), "\"1\\u00002\"", 10, &err),
                     TFP_EINVALID);
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, tfp_type_bool(), "\"true\\u0000\"", 12, &err),
                     TFP_EINVALID);
    tfp_free(err);
    /* raw control characters must be escaped in JSON (cJSON would take them) */
    assert_int_equal(tfp_value_from_json(&v, tfp_type_string(), "\"a\x01\"", 4, &err),
                     TFP_EINVALID);
    assert_non_null(strstr(err, "control character"));
    tfp_free(err);
    assert_int_equal(tfp_value_from_json(&v, tfp_type_string(), "\"a\0b\"", 5, &err), TFP_EINVALID);
    tfp_free(err);
    /* a lone surrogate is refused (it is not UTF-8) */
    assert_int_equal(tfp_value_from_json(&v, tfp_type_string(), "\"\\u0000\\ud800\"", 14, &err),
                     TFP_EINVALID);
    tfp_free(err);
    tfp_type_free(mt);
    tfp_type_free(t);
}

/* ----- memory bound ----- */

#define BIG (16u << 20)

/* "[" + n x elem joined by "," + "]" */
static char *json_array(size_t n, const char *elem, size_t *len_out)
{
    size_t el = strlen(elem);
    char *b = malloc(n * (el + 1) + 2);
    size_t i, o = 0;
    assert_non_null(b);
    b[o++] = '[';
    for (i = 0; i < n; i++) {
        if (i > 0) {
            b[o++] = ',';
        }
        memcpy(b + o, elem, el);
        o += el;
    }
    b[o++] = ']';
    *len_out = o;
    return b;
}

/* The JSON decoder's memory is bounded too (stored states arrive as JSON): many tiny elements
 * are refused as too large, a 16 MiB string and an ordinary state decode. */
static void test_memory_bound(void **state)
{
    tfp_type *ln = NULL, *ls = NULL;
    char *b;
    size_t len;
    (void)state;
    assert_int_equal(tfp_type_list_new(&ln, tfp_type_number()), 0);
    assert_int_equal(tfp_type_list_new(&ls, tfp_type_string()), 0);
    b = json_array(BIG / 2, "0", &len);
    assert_false(decode_bounded(1, ln, b, len, "list of zeros"));
    free(b);
    b = json_array(BIG / 5, "null", &len);
    assert_false(decode_bounded(1, ls, b, len, "list of nulls"));
    free(b);
    b = json_array(BIG / 7, "\"abcd\"", &len);
    assert_false(decode_bounded(1, ls, b, len, "list of short strings"));
    free(b);
    b = malloc(BIG + 2);
    assert_non_null(b);
    memset(b, 'x', BIG + 2);
    b[0] = '"';
    b[BIG + 1] = '"';
    assert_true(decode_bounded(1, tfp_type_string(), b, BIG + 2, "one 16 MiB string"));
    free(b);
    b = json_array(10000, "\"ffffffff-ffff-ffff-ffff-ffffffffffff\"", &len);
    assert_true(decode_bounded(1, ls, b, len, "10000 IDs"));
    free(b);
    tfp_type_free(ln);
    tfp_type_free(ls);
}

/* Valid documents that random edits start from, so that a part of the inputs decodes. */
static const char *const json_seeds[] = {
    "{\"id\":\"svc-1\",\"size\":12.5,\"enabled\":true,\"tags\":{\"a\":\"b\"},"
    "\"port\":[{\"client_port\":80,\"protocol\":\"TCP\"}],\"any\":{\"value\":[1],\"type\":"
    "[\"list\",\"number\"]}}",
    "{\"id\":null,\"tags\":{},\"port\":[]}",
    "{\"value\":\"x\",\"type\":\"string\"}",
    "{\"value\":{\"k\":[true,false]},\"type\":[\"map\",[\"list\",\"bool\"]]}",
};

/* Random text (half of it edits of a seed) as the state type or dynamic. Every input either
 * decodes into a value that goes back out and in again unchanged, or is refused with
 * TFP_EINVALID/TFP_ETOOLARGE, a message, and no value; never anything else. Both outcomes must
 * occur, or the generator tests nothing. */
static void test_random_input_never_crashes(void **state)
{
    tfp_type *t = state_type();
    const char alphabet[] = "{}[]\":,0123456789-+.eE truefalsnl\\u";
    char buf[256];
    unsigned int seed = 777;
    int accepted = 0, refused = 0;
    int i;
    (void)state;
    for (i = 0; i < 20000; i++) {
        const tfp_type *as = i % 2 ? t : tfp_type_dynamic();
        size_t len;
        size_t k;
        tfp_value *v = NULL;
        char *err = NULL;
        int rc;
        if (i % 4 < 2) {
            const char *s0 =
                json_seeds[(size_t)rand_r(&seed) % (sizeof(json_seeds) / sizeof(*json_seeds))];
            int edits = rand_r(&seed) % 4 == 0 ? 2 : 1;
            len = strlen(s0);
            memcpy(buf, s0, len);
            while (edits-- > 0 && len > 0) {
                buf[(size_t)rand_r(&seed) % len] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
            }
        } else {
            len = (size_t)(rand_r(&seed) % 48);
            for (k = 0; k < len; k++) {
                buf[k] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
            }
        }
        rc = tfp_value_from_json(&v, as, buf, len, &err);
        if (rc == 0) {
            char *out = NULL;
            char *out2 = NULL;
            tfp_value *back = NULL;
            assert_non_null(v);
            assert_null(err);
            assert_int_equal(tfp__value_to_json_as(&out, v, as), 0);
            assert_int_equal(tfp_value_from_json(&back, as, out, strlen(out), NULL), 0);
            assert_true(tfp_value_equal(v, back));
            assert_int_equal(tfp__value_to_json_as(&out2, back, as), 0);
            assert_string_equal(out, out2);
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
        cmocka_unit_test(test_pretty_state),
        cmocka_unit_test(test_compact_missing_and_numbers),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ignore_unknown),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_unknown_cannot_encode),
        cmocka_unit_test(test_nul_strings),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_random_input_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
