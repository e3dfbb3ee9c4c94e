/* Schemas: flag rules, nesting rules, names, implied types. */
#include "test_helpers.h"

static void test_flags(void **state)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    const char *name = NULL;
    const tfp_type *t = NULL;
    unsigned int flags = 0;
    const char *desc = NULL;
    (void)state;
    assert_int_equal(tfp_schema_new(&s, -1), TFP_EINVALID);
    assert_int_equal(tfp_schema_new(&s, 3), 0);
    assert_int_equal(tfp_schema_version(s), 3);
    b = tfp_schema_root(s);
    assert_int_equal(tfp_block_add_attribute(b, "a", tfp_type_string(), TFP_ATTR_REQUIRED, "A"), 0);
    assert_int_equal(tfp_block_add_attribute(b, "b", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     0);
    assert_int_equal(tfp_block_add_attribute(b, "c", tfp_type_string(), TFP_ATTR_COMPUTED, NULL),
                     0);
    assert_int_equal(tfp_block_add_attribute(b, "d", tfp_type_string(),
                                             TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED |
                                                 TFP_ATTR_SENSITIVE | TFP_ATTR_DEPRECATED,
                                             NULL),
                     0);
    /* never required+optional, required+computed, none, or unknown bits */
    assert_int_equal(tfp_block_add_attribute(b, "e", tfp_type_string(),
                                             TFP_ATTR_REQUIRED | TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "e", tfp_type_string(),
                                             TFP_ATTR_REQUIRED | TFP_ATTR_COMPUTED, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "e", tfp_type_string(), TFP_ATTR_SENSITIVE, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "e", tfp_type_string(), 1u << 12, NULL),
                     TFP_EINVALID);
    /* duplicates, bad names, missing type */
    assert_int_equal(tfp_block_add_attribute(b, "a", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "1x", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "a b", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(b, "x", NULL, TFP_ATTR_OPTIONAL, NULL), TFP_EINVALID);

    assert_int_equal(tfp_block_attribute_count(b), 4);
    assert_int_equal(tfp_block_attribute_at(&name, &t, &flags, &desc, b, 0), 0);
    assert_string_equal(name, "a");
    assert_ptr_equal(t, tfp_type_string());
    assert_int_equal(flags, TFP_ATTR_REQUIRED);
    assert_string_equal(desc, "A");
    assert_int_equal(tfp_block_attribute_at(NULL, NULL, NULL, NULL, b, 4), TFP_EINVALID);
    tfp_schema_free(s);
}

static void test_nesting_rules(void **state)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    tfp_block *c = NULL;
    (void)state;
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    b = tfp_schema_root(s);
    assert_int_equal(tfp_block_add_block(&c, b, "single", TFP_NESTING_SINGLE, 0, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "single1", TFP_NESTING_SINGLE, 1, 1), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", TFP_NESTING_SINGLE, 0, 1), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", TFP_NESTING_SINGLE, 2, 2), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "group", TFP_NESTING_GROUP, 0, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", TFP_NESTING_GROUP, 1, 1), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "map", TFP_NESTING_MAP, 0, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", TFP_NESTING_MAP, 0, 3), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "list", TFP_NESTING_LIST, 1, 3), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "list_unlimited", TFP_NESTING_LIST, 5, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", TFP_NESTING_LIST, 3, 1), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", TFP_NESTING_LIST, -1, 1), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "port", TFP_NESTING_SET, 1, 200), 0);
    /* SET blocks may not contain dynamic types */
    assert_int_equal(tfp_block_add_attribute(c, "x", tfp_type_dynamic(), TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_attribute(c, "x", tfp_type_number(), TFP_ATTR_OPTIONAL, NULL),
                     0);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", (tfp_nesting)0, 0, 0), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "bad", (tfp_nesting)6, 0, 0), TFP_EINVALID);
    /* block names ^[a-z0-9_]+$, no collision with attributes */
    assert_int_equal(tfp_block_add_block(&c, b, "Upper", TFP_NESTING_LIST, 0, 0), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, b, "list", TFP_NESTING_LIST, 0, 0), TFP_EINVALID);
    assert_int_equal(
        tfp_block_add_attribute(b, "group", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
        TFP_EINVALID);
    assert_int_equal(tfp_block_block_count(b), 7);
    {
        const char *name = NULL;
        tfp_nesting nesting = 0;
        int64_t min = -1;
        int64_t max = -1;
        const tfp_block *child = NULL;
        assert_int_equal(tfp_block_block_at(&name, &nesting, &min, &max, &child, b, 6), 0);
        assert_string_equal(name, "port");
        assert_int_equal(nesting, TFP_NESTING_SET);
        assert_int_equal(min, 1);
        assert_int_equal(max, 200);
        assert_int_equal(tfp_block_attribute_count(child), 1);
        assert_int_equal(tfp_block_block_at(NULL, NULL, NULL, NULL, NULL, b, 7), TFP_EINVALID);
    }
    assert_int_equal(tfp_block_set_description(b, "root"), 0);
    assert_string_equal(tfp_block_description(b), "root");
    assert_int_equal(tfp_block_set_description(b, NULL), 0);
    assert_null(tfp_block_description(b));
    tfp_schema_free(s);
}

static void test_implied_type(void **state)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    tfp_block *c = NULL;
    char *json = NULL;
    const tfp_type *before;
    (void)state;
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    b = tfp_schema_root(s);
    assert_int_equal(tfp_block_add_attribute(b, "id", tfp_type_string(), TFP_ATTR_COMPUTED, NULL),
                     0);
    before = tfp_schema_type(s);
    assert_int_equal(tfp_type_length(before), 1);
    /* adding after the type was asked for gives a fresh type; the old one stays valid */
    assert_int_equal(tfp_block_add_block(&c, b, "port", TFP_NESTING_SET, 0, 0), 0);
    assert_int_equal(
        tfp_block_add_attribute(c, "client_port", tfp_type_number(), TFP_ATTR_REQUIRED, NULL), 0);
    assert_int_equal(tfp_type_length(before), 1);
    assert_int_equal(tfp_block_add_block(&c, b, "one", TFP_NESTING_SINGLE, 0, 0), 0);
    assert_int_equal(tfp_block_add_attribute(c, "x", tfp_type_bool(), TFP_ATTR_OPTIONAL, NULL), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "grp", TFP_NESTING_GROUP, 0, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "lst", TFP_NESTING_LIST, 0, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "mp", TFP_NESTING_MAP, 0, 0), 0);
    assert_int_equal(tfp_block_add_block(&c, b, "dyn", TFP_NESTING_LIST, 0, 0), 0);
    assert_int_equal(tfp_block_add_attribute(c, "v", tfp_type_dynamic(), TFP_ATTR_OPTIONAL, NULL),
                     0);
    assert_int_equal(tfp_type_to_json(&json, tfp_schema_type(s)), 0);
    assert_string_equal(json, "[\"object\",{\"dyn\":\"dynamic\",\"grp\":[\"object\",{}],"
                              "\"id\":\"string\",\"lst\":[\"list\",[\"object\",{}]],"
                              "\"mp\":[\"map\",[\"object\",{}]],"
                              "\"one\":[\"object\",{\"x\":\"bool\"}],"
                              "\"port\":[\"set\",[\"object\",{\"client_port\":\"number\"}]]}]");
    tfp_free(json);
    assert_ptr_equal(tfp_block_type(b), tfp_schema_type(s));
    assert_ptr_equal(tfp_schema_root_const(s), b);
    tfp_schema_free(s);
    assert_null(tfp_schema_type(NULL));
}

static void test_null_arguments(void **state)
{
    tfp_block *c = NULL;
    (void)state;
    assert_int_equal(tfp_schema_new(NULL, 0), TFP_EINVALID);
    assert_null(tfp_schema_root(NULL));
    assert_null(tfp_schema_root_const(NULL));
    assert_int_equal(tfp_schema_version(NULL), 0);
    assert_int_equal(tfp_block_add_attribute(NULL, "a", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(&c, NULL, "b", TFP_NESTING_LIST, 0, 0), TFP_EINVALID);
    assert_int_equal(tfp_block_add_block(NULL, NULL, "b", TFP_NESTING_LIST, 0, 0), TFP_EINVALID);
    assert_int_equal(tfp_block_set_description(NULL, "x"), TFP_EINVALID);
    assert_null(tfp_block_description(NULL));
    assert_int_equal(tfp_block_attribute_count(NULL), 0);
    assert_int_equal(tfp_block_block_count(NULL), 0);
    assert_null(tfp_block_type(NULL));
    tfp_schema_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_nesting_rules),
        cmocka_unit_test(test_implied_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
