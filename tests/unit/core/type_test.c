/* Types: singletons, constructors, JSON type specifications, equality. */
#include "test_helpers.h"

static void roundtrip(const char *json)
{
    tfp_type *t = NULL;
    char *out = NULL;
    assert_int_equal(tfp_type_from_json(&t, json, strlen(json)), 0);
    assert_int_equal(tfp_type_to_json(&out, t), 0);
    assert_string_equal(out, json);
    tfp_free(out);
    tfp_type_free(t);
}

static void test_json_specs(void **state)
{
    tfp_type *t = NULL;
    (void)state;
    roundtrip("\"string\"");
    roundtrip("\"number\"");
    roundtrip("\"bool\"");
    roundtrip("\"dynamic\"");
    roundtrip("[\"map\",\"string\"]");
    roundtrip("[\"list\",[\"object\",{\"id\":\"string\",\"port\":\"number\"}]]");
    roundtrip("[\"set\",[\"tuple\",[\"string\",\"bool\"]]]");
    roundtrip("[\"object\",{}]");
    /* optional-attribute lists are accepted; attribute order does not matter */
    {
        const char *spec = "[\"object\",{\"b\":\"bool\",\"a\":\"string\"},[\"a\"]]";
        assert_int_equal(tfp_type_from_json(&t, spec, strlen(spec)), 0);
    }
    assert_string_equal(tfp_type_attr_name(t, 0), "a");
    tfp_type_free(t);
    assert_int_equal(tfp_type_from_json(&t, "string", 6), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "\"str\"", 5), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "[\"list\"]", 8), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "[\"list\",\"string\",1]", 19), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "[\"object\",[]]", 13), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "[\"tuple\",{}]", 12), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "[\"what\",\"string\"]", 18), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "\"string\" x", 10), TFP_EINVALID);
    assert_int_equal(tfp_type_from_json(&t, "42", 2), TFP_EINVALID);
}

static void test_constructors(void **state)
{
    tfp_type *l = NULL;
    tfp_type *l2 = NULL;
    tfp_type *o = NULL;
    tfp_type *tu = NULL;
    const char *names[] = {"b", "a"};
    const char *dup[] = {"a", "a"};
    const char *empty[] = {"a", ""};
    const tfp_type *types[] = {tfp_type_bool(), tfp_type_string()};
    (void)state;

    assert_int_equal(tfp_type_kind(tfp_type_string()), TFP_KIND_STRING);
    assert_int_equal(tfp_type_kind(tfp_type_dynamic()), TFP_KIND_DYNAMIC);
    tfp_type_free((tfp_type *)(uintptr_t)tfp_type_string()); /* singletons ignore frees */
    assert_int_equal(tfp_type_kind(tfp_type_string()), TFP_KIND_STRING);

    assert_int_equal(tfp_type_list_new(&l, tfp_type_number()), 0);
    assert_int_equal(tfp_type_list_new(&l2, tfp_type_number()), 0);
    assert_true(tfp_type_equal(l, l2));
    assert_ptr_equal(tfp_type_element(l), tfp_type_number());
    assert_int_equal(tfp_type_list_new(&l2, NULL), TFP_EINVALID);

    assert_int_equal(tfp_type_object_new(&o, 2, names, types), 0);
    assert_int_equal(tfp_type_length(o), 2);
    assert_string_equal(tfp_type_attr_name(o, 0), "a");
    assert_ptr_equal(tfp_type_at(o, 0), tfp_type_string());
    assert_ptr_equal(tfp_type_attr(o, "b"), tfp_type_bool());
    assert_null(tfp_type_attr(o, "c"));
    assert_null(tfp_type_attr_name(o, 2));
    assert_int_equal(tfp_type_object_new(&tu, 2, dup, types), TFP_EINVALID);
    assert_int_equal(tfp_type_object_new(&tu, 2, empty, types), TFP_EINVALID);
    assert_false(tfp_type_equal(o, l));

    assert_int_equal(tfp_type_tuple_new(&tu, 2, types), 0);
    assert_int_equal(tfp_type_length(tu), 2);
    assert_null(tfp_type_attr_name(tu, 0));
    assert_ptr_equal(tfp_type_at(tu, 1), tfp_type_string());
    assert_int_equal(tfp_type_length(l), 0);

    /* references */
    assert_ptr_equal(tfp_type_ref(o), o);
    tfp_type_free(o);
    assert_int_equal(tfp_type_length(o), 2);
    tfp_type_free(o);
    tfp_type_free(l);
    tfp_type_free(l2);
    tfp_type_free(tu);
    tfp_type_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_specs),
        cmocka_unit_test(test_constructors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
