/* The value model: constructors, setters, accessors, equality, sets, maps, copies. */
#include "test_helpers.h"

static void test_primitives(void **state)
{
    tfp_value *v = NULL;
    int b = 0;
    int64_t i = 0;
    double d = 0;
    (void)state;

    assert_int_equal(tfp_value_new_string(&v, "h\xc3\xa9llo"), 0);
    assert_string_equal(tfp_value_string(v), "h\xc3\xa9llo");
    assert_true(tfp_value_is_known(v));
    assert_false(tfp_value_is_null(v));
    assert_int_equal(tfp_value_bool(&b, v), TFP_EINVALID);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_string(&v, "\xff"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_string(&v, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_new_stringn(&v, "a\0b", 3), 0);
    assert_memory_equal(tfp_value_string(v), "a\0b", 4);
    tfp_value_free(v);

    assert_int_equal(tfp_value_new_bool(&v, 7), 0);
    assert_int_equal(tfp_value_bool(&b, v), 0);
    assert_int_equal(b, 1);
    tfp_value_free(v);

    assert_int_equal(tfp_value_new_int64(&v, INT64_MIN), 0);
    assert_string_equal(tfp_value_number_text(v), "-9223372036854775808");
    assert_int_equal(tfp_value_int64(&i, v), 0);
    assert_true(i == INT64_MIN);
    tfp_value_free(v);

    assert_int_equal(tfp_value_new_number(&v, "100000000000000000000"), 0);
    assert_int_equal(tfp_value_int64(&i, v), TFP_ETOOLARGE);
    assert_int_equal(tfp_value_double(&d, v), 0);
    assert_true(d == 1e20);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "12.5e1"), 0);
    assert_int_equal(tfp_value_int64(&i, v), 0);
    assert_int_equal(i, 125);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "0.1"), 0);
    assert_int_equal(tfp_value_int64(&i, v), TFP_EINVALID);
    assert_int_equal(tfp_value_double(&d, v), 0);
    assert_true(d == 0.1);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "abc"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_number(&v, "1e"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_number(&v, ""), TFP_EINVALID);
    assert_int_equal(tfp_value_new_number(&v, "1e999999999"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_number(&v, "1e-4001"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_number(&v, "1e-4000"), 0);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "1e3999"), 0);
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "1e4000"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_double(&v, 0.0 / 0.0), TFP_EINVALID);
    assert_int_equal(tfp_value_new_double(&v, 0.1), 0);
    assert_string_equal(tfp_value_number_text(v), "0.1");
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_number(&v, "-Inf"), 0);
    assert_int_equal(tfp_value_double(&d, v), 0);
    assert_true(d < -1e308);
    assert_int_equal(tfp_value_int64(&i, v), TFP_ETOOLARGE);
    tfp_value_free(v);
}

static void test_null_unknown(void **state)
{
    tfp_value *v = NULL;
    (void)state;
    assert_int_equal(tfp_value_new_null(&v, tfp_type_string()), 0);
    assert_true(tfp_value_is_null(v));
    assert_true(tfp_value_is_known(v));
    assert_null(tfp_value_string(v));
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_unknown(&v, tfp_type_number()), 0);
    assert_false(tfp_value_is_known(v));
    assert_false(tfp_value_is_null(v));
    assert_null(tfp_value_number_text(v));
    tfp_value_free(v);
    assert_int_equal(tfp_value_new_null(&v, NULL), TFP_EINVALID);
    assert_true(tfp_value_is_null(NULL));
}

static void test_objects(void **state)
{
    tfp_type *t = test_thing_type();
    tfp_value *o = NULL;
    tfp_value *v = NULL;
    tfp_value *c = NULL;
    (void)state;

    assert_int_equal(tfp_value_new_object(&o, t), 0);
    assert_int_equal(tfp_value_length(o), 3);
    assert_string_equal(tfp_value_key_at(o, 0), "id"); /* sorted */
    assert_string_equal(tfp_value_key_at(o, 2), "note");
    assert_true(tfp_value_is_null(tfp_value_attr(o, "name")));
    assert_int_equal(tfp_value_set_attr_string(o, "name", "alpha"), 0);
    assert_int_equal(tfp_value_set_attr_unknown(o, "id"), 0);
    assert_false(tfp_value_is_known(tfp_value_attr(o, "id")));
    assert_int_equal(tfp_value_set_attr_string(o, "nope", "x"), TFP_ENOTFOUND);
    assert_int_equal(tfp_value_set_attr_bool(o, "note", 1), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr_int64(o, "note", 1), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr_string(o, "note", NULL), 0);
    assert_true(tfp_value_is_null(tfp_value_attr(o, "note")));
    /* a null of dynamic type takes the attribute's type */
    assert_int_equal(tfp_value_new_null(&v, tfp_type_dynamic()), 0);
    assert_int_equal(tfp_value_set_attr(o, "note", v), 0);
    assert_int_equal(tfp_type_kind(tfp_value_type(tfp_value_attr(o, "note"))), TFP_KIND_STRING);
    assert_string_equal(tfp_value_attr_string(o, "name"), "alpha");
    assert_null(tfp_value_attr(o, "missing"));

    assert_int_equal(tfp_value_copy(&c, o), 0);
    assert_true(tfp_value_equal(o, c));
    assert_int_equal(tfp_value_set_attr_copy(c, "note", tfp_value_attr(o, "name")), 0);
    assert_false(tfp_value_equal(o, c));
    tfp_value_free(c);
    tfp_value_free(o);

    /* a null object has no attributes */
    assert_int_equal(tfp_value_new_null(&o, t), 0);
    assert_null(tfp_value_attr(o, "id"));
    assert_int_equal(tfp_value_length(o), 0);
    assert_int_equal(tfp_value_set_attr_string(o, "id", "x"), TFP_EINVALID);
    tfp_value_free(o);
    tfp_type_free(t);
}

static void test_lists_sets_maps(void **state)
{
    tfp_type *lt = NULL;
    tfp_type *st = NULL;
    tfp_type *mt = NULL;
    tfp_value *l = NULL;
    tfp_value *s = NULL;
    tfp_value *s2 = NULL;
    tfp_value *m = NULL;
    tfp_value *e = NULL;
    (void)state;

    assert_int_equal(tfp_type_list_new(&lt, tfp_type_string()), 0);
    assert_int_equal(tfp_type_set_new(&st, tfp_type_number()), 0);
    assert_int_equal(tfp_type_map_new(&mt, tfp_type_bool()), 0);

    assert_int_equal(tfp_value_new_collection(&l, lt), 0);
    assert_int_equal(tfp_value_new_string(&e, "a"), 0);
    assert_int_equal(tfp_value_append(l, e), 0);
    assert_int_equal(tfp_value_new_string(&e, "a"), 0);
    assert_int_equal(tfp_value_append(l, e), 0);
    assert_int_equal(tfp_value_new_bool(&e, 1), 0);
    assert_int_equal(tfp_value_append(l, e), TFP_EINVALID); /* stolen, also on failure */
    assert_int_equal(tfp_value_length(l), 2);
    assert_string_equal(tfp_value_string(tfp_value_at(l, 1)), "a");
    assert_null(tfp_value_at(l, 2));

    /* sets: equal numbers merge, by value */
    assert_int_equal(tfp_value_new_collection(&s, st), 0);
    assert_int_equal(tfp_value_new_number(&e, "1.50"), 0);
    assert_int_equal(tfp_value_append(s, e), 0);
    assert_int_equal(tfp_value_new_double(&e, 1.5), 0);
    assert_int_equal(tfp_value_append(s, e), 0);
    assert_int_equal(tfp_value_new_int64(&e, 2), 0);
    assert_int_equal(tfp_value_append(s, e), 0);
    assert_int_equal(tfp_value_new_unknown(&e, tfp_type_number()), 0);
    assert_int_equal(tfp_value_append(s, e), 0);
    assert_int_equal(tfp_value_new_unknown(&e, tfp_type_number()), 0);
    assert_int_equal(tfp_value_append(s, e), 0);
    assert_int_equal(tfp_value_length(s), 4);

    /* set equality ignores order */
    assert_int_equal(tfp_value_new_collection(&s2, st), 0);
    assert_int_equal(tfp_value_new_int64(&e, 2), 0);
    assert_int_equal(tfp_value_append(s2, e), 0);
    assert_int_equal(tfp_value_new_number(&e, "15e-1"), 0);
    assert_int_equal(tfp_value_append(s2, e), 0);
    assert_int_equal(tfp_value_new_unknown(&e, tfp_type_number()), 0);
    assert_int_equal(tfp_value_append(s2, e), 0);
    assert_int_equal(tfp_value_new_unknown(&e, tfp_type_number()), 0);
    assert_int_equal(tfp_value_append(s2, e), 0);
    assert_true(tfp_value_equal(s, s2));

    assert_int_equal(tfp_value_new_collection(&m, mt), 0);
    assert_int_equal(tfp_value_new_bool(&e, 1), 0);
    assert_int_equal(tfp_value_map_put(m, "zeta", e), 0);
    assert_int_equal(tfp_value_new_bool(&e, 0), 0);
    assert_int_equal(tfp_value_map_put(m, "alpha", e), 0);
    assert_int_equal(tfp_value_new_bool(&e, 1), 0);
    assert_int_equal(tfp_value_map_put(m, "alpha", e), 0); /* replaces */
    assert_int_equal(tfp_value_new_string(&e, "x"), 0);
    assert_int_equal(tfp_value_map_put(m, "bad", e), TFP_EINVALID);
    assert_int_equal(tfp_value_length(m), 2);
    assert_string_equal(tfp_value_key_at(m, 0), "alpha");
    assert_string_equal(tfp_value_key_at(m, 1), "zeta");
    assert_non_null(tfp_value_map_get(m, "zeta"));
    assert_null(tfp_value_map_get(m, "nope"));
    assert_null(tfp_value_map_get(l, "a"));
    assert_int_equal(tfp_value_new_collection(&e, tfp_type_string()), TFP_EINVALID);

    /* deep copies of maps and sets are equal and independent */
    {
        tfp_value *mc = NULL;
        tfp_value *sc = NULL;
        assert_int_equal(tfp_value_copy(&mc, m), 0);
        assert_true(tfp_value_equal(m, mc));
        assert_string_equal(tfp_value_key_at(mc, 1), "zeta");
        assert_int_equal(tfp_value_new_bool(&e, 0), 0);
        assert_int_equal(tfp_value_map_put(mc, "zeta", e), 0);
        assert_false(tfp_value_equal(m, mc));
        assert_int_equal(tfp_value_copy(&sc, s), 0);
        assert_true(tfp_value_equal(s, sc));
        tfp_value_free(mc);
        tfp_value_free(sc);
    }
    tfp_value_free(l);
    tfp_value_free(s);
    tfp_value_free(s2);
    tfp_value_free(m);
    tfp_type_free(lt);
    tfp_type_free(st);
    tfp_type_free(mt);
}

static void test_tuples_and_dynamic(void **state)
{
    tfp_type *tt = NULL;
    tfp_type *ot = NULL;
    tfp_value *t = NULL;
    tfp_value *o = NULL;
    tfp_value *e = NULL;
    const tfp_type *types[] = {tfp_type_string(), tfp_type_dynamic()};
    const char *names[] = {"any"};
    const tfp_type *otypes[] = {tfp_type_dynamic()};
    (void)state;

    assert_int_equal(tfp_type_tuple_new(&tt, 2, types), 0);
    assert_int_equal(tfp_value_new_object(&t, tt), 0);
    assert_int_equal(tfp_value_length(t), 2);
    assert_int_equal(tfp_value_new_string(&e, "x"), 0);
    assert_int_equal(tfp_value_set_index(t, 0, e), 0);
    assert_int_equal(tfp_value_new_int64(&e, 5), 0);
    assert_int_equal(tfp_value_set_index(t, 1, e), 0);
    assert_int_equal(tfp_value_new_int64(&e, 5), 0);
    assert_int_equal(tfp_value_set_index(t, 0, e), TFP_EINVALID);
    assert_int_equal(tfp_value_new_int64(&e, 5), 0);
    assert_int_equal(tfp_value_set_index(t, 2, e), TFP_EINVALID);
    assert_int_equal(tfp_type_kind(tfp_value_type(tfp_value_at(t, 1))), TFP_KIND_NUMBER);

    /* a dynamic attribute accepts any value and keeps its concrete type */
    assert_int_equal(tfp_type_object_new(&ot, 1, names, otypes), 0);
    assert_int_equal(tfp_value_new_object(&o, ot), 0);
    assert_int_equal(tfp_value_set_attr_string(o, "any", "text"), 0);
    assert_int_equal(tfp_type_kind(tfp_value_type(tfp_value_attr(o, "any"))), TFP_KIND_STRING);
    assert_int_equal(tfp_value_set_attr(o, "any", t), 0);
    assert_int_equal(tfp_type_kind(tfp_value_type(tfp_value_attr(o, "any"))), TFP_KIND_TUPLE);
    tfp_value_free(o);
    tfp_type_free(ot);
    tfp_type_free(tt);
}

static void test_equality(void **state)
{
    tfp_value *a = NULL;
    tfp_value *b = NULL;
    (void)state;
    assert_int_equal(tfp_value_new_number(&a, "1e2"), 0);
    assert_int_equal(tfp_value_new_int64(&b, 100), 0);
    assert_true(tfp_value_equal(a, b));
    tfp_value_free(b);
    assert_int_equal(tfp_value_new_number(&b, "100.000"), 0);
    assert_true(tfp_value_equal(a, b));
    tfp_value_free(b);
    assert_int_equal(tfp_value_new_number(&b, "100.0001"), 0);
    assert_false(tfp_value_equal(a, b));
    tfp_value_free(b);
    assert_int_equal(tfp_value_new_unknown(&b, tfp_type_number()), 0);
    assert_false(tfp_value_equal(a, b));
    tfp_value_free(a);
    assert_int_equal(tfp_value_new_unknown(&a, tfp_type_number()), 0);
    assert_true(tfp_value_equal(a, b));
    tfp_value_free(a);
    assert_int_equal(tfp_value_new_null(&a, tfp_type_number()), 0);
    assert_false(tfp_value_equal(a, b));
    tfp_value_free(b);
    assert_int_equal(tfp_value_new_null(&b, tfp_type_number()), 0);
    assert_true(tfp_value_equal(a, b));
    tfp_value_free(b);
    assert_int_equal(tfp_value_new_null(&b, tfp_type_string()), 0);
    assert_false(tfp_value_equal(a, b));
    tfp_value_free(a);
    tfp_value_free(b);
    assert_int_equal(tfp_value_new_number(&a, "-0"), 0);
    assert_int_equal(tfp_value_new_int64(&b, 0), 0);
    assert_true(tfp_value_equal(a, b));
    tfp_value_free(a);
    tfp_value_free(b);
}

/* Every allocation of building and copying an object fails, one at a time: the step that
 * meets the failure answers TFP_ENOMEM and leaves its output alone, or (if it could do without
 * the allocation) 0 with a complete, correct result; a 0 with a wrong or partial value fails. */
static void test_alloc_failures(void **state)
{
    long n;
    (void)state;
    for (n = 1; n < 200; n++) {
        const char *names[] = {"a", "b"};
        const tfp_type *types[] = {tfp_type_string(), tfp_type_number()};
        tfp_type *t = NULL;
        tfp_value *o = NULL;
        tfp_value *c = NULL;
        long before = util_alloc_count();
        int rc;
        int reached;
        util_alloc_fail_at(n, 0);
        rc = tfp_type_object_new(&t, 2, names, types);
        if (rc == 0) {
            assert_non_null(t);
            rc = tfp_value_new_object(&o, t);
        } else {
            assert_null(t);
        }
        if (rc == 0) {
            assert_non_null(o);
            rc = tfp_value_set_attr_string(o, "a", "x");
        }
        if (rc == 0) {
            rc = tfp_value_copy(&c, o);
            assert_true(rc == 0 ? c != NULL : c == NULL);
        }
        reached = util_alloc_count() - before >= n;
        util_alloc_fail_at(0, 0);
        assert_true(rc == 0 || (rc == TFP_ENOMEM && reached));
        if (rc == 0) {
            /* everything is there, whether or not the failure was met */
            assert_int_equal(tfp_value_length(o), 2);
            assert_string_equal(tfp_value_attr_string(o, "a"), "x");
            assert_true(tfp_value_is_null(tfp_value_attr(o, "b")));
            assert_true(tfp_value_equal(o, c));
            assert_true(tfp_type_equal(tfp_value_type(c), t));
        }
        tfp_value_free(c);
        tfp_value_free(o);
        tfp_type_free(t);
        if (!reached) {
            break;
        }
    }
    assert_true(n > 3);
}

/* Bad arguments are reported, never crash. */
static void test_null_arguments(void **state)
{
    tfp_value *v = NULL;
    int b;
    int64_t i;
    double d;
    void *bytes = NULL;
    size_t len;
    char *s = NULL;
    (void)state;
    assert_int_equal(tfp_value_new_string(NULL, "x"), TFP_EINVALID);
    assert_int_equal(tfp_value_new_bool(NULL, 1), TFP_EINVALID);
    assert_int_equal(tfp_value_new_int64(NULL, 1), TFP_EINVALID);
    assert_int_equal(tfp_value_new_number(&v, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_new_collection(&v, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_new_object(&v, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_new_object(&v, tfp_type_string()), TFP_EINVALID);
    assert_int_equal(tfp_value_append(NULL, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_map_put(NULL, "k", NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr(NULL, "a", NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr_string(NULL, "a", "x"), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr_null(NULL, "a"), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr_unknown(NULL, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_set_attr_copy(NULL, "a", NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_set_index(NULL, 0, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_copy(&v, NULL), TFP_EINVALID);
    assert_null(tfp_value_type(NULL));
    assert_true(tfp_value_is_null(NULL));
    assert_false(tfp_value_is_known(NULL));
    assert_null(tfp_value_string(NULL));
    assert_int_equal(tfp_value_bool(&b, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_int64(&i, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_double(&d, NULL), TFP_EINVALID);
    assert_null(tfp_value_number_text(NULL));
    assert_int_equal(tfp_value_length(NULL), 0);
    assert_null(tfp_value_at(NULL, 0));
    assert_null(tfp_value_key_at(NULL, 0));
    assert_null(tfp_value_map_get(NULL, "k"));
    assert_null(tfp_value_attr(NULL, "a"));
    assert_null(tfp_value_attr_string(NULL, "a"));
    assert_true(tfp_value_equal(NULL, NULL));
    assert_int_equal(tfp_value_to_msgpack(&bytes, &len, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_to_json(&s, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_msgpack(&v, NULL, "\xc0", 1, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_json(&v, NULL, "null", 4, NULL), TFP_EINVALID);
    assert_int_equal(tfp_value_from_json(NULL, tfp_type_string(), "null", 4, NULL), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(NULL, "x", 1), TFP_EINVALID);
    assert_int_equal(tfp_type_to_json(&s, NULL), TFP_EINVALID);
    assert_int_equal(tfp_type_kind(NULL), 0);
    assert_null(tfp_type_element(NULL));
    assert_int_equal(tfp_type_length(NULL), 0);
    assert_null(tfp_type_attr(NULL, "a"));
    assert_null(tfp_type_attr(tfp_type_string(), NULL));
    assert_false(tfp_type_equal(NULL, tfp_type_string()));
    assert_null(tfp_type_ref(NULL));
    tfp_value_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_arguments),  cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_null_unknown),    cmocka_unit_test(test_objects),
        cmocka_unit_test(test_lists_sets_maps), cmocka_unit_test(test_tuples_and_dynamic),
        cmocka_unit_test(test_equality),        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
