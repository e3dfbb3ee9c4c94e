/* The provider registry: argument checks, ownership, handler registration rules. */
#include "rpc.h"
#include "test_helpers.h"

static int noop(tfp_call *call)
{
    (void)call;
    return 0;
}

static void test_provider(void **state)
{
    tfp_provider *p = NULL;
    tfp_schema *s = NULL;
    (void)state;
    assert_int_equal(tfp_provider_new(&p, NULL, "1"), TFP_EINVALID);
    assert_int_equal(tfp_provider_new(&p, "", "1"), TFP_EINVALID);
    assert_int_equal(tfp_provider_new(&p, "vpcep", "0.1.0"), 0);
    assert_string_equal(tfp_provider_name(p), "vpcep");
    assert_string_equal(tfp_provider_version(p), "0.1.0");
    /* an empty provider schema exists from the start */
    assert_non_null(tfp__rpc_provider_schema(p));
    assert_int_equal(tfp_type_length(tfp_schema_type(tfp__rpc_provider_schema(p))), 0);
    assert_int_equal(tfp_provider_set_handler(p, TFP_OP_VALIDATE, noop), 0);
    assert_int_equal(tfp_provider_set_handler(p, TFP_OP_CONFIGURE, noop), 0);
    assert_int_equal(tfp_provider_set_handler(p, TFP_OP_PLAN, noop), TFP_EINVALID);
    assert_int_equal(tfp_schema_new(&s, 1), 0);
    assert_int_equal(tfp_provider_set_schema(p, s), 0);
    assert_int_equal(tfp_schema_version(tfp__rpc_provider_schema(p)), 1);
    assert_int_equal(tfp_provider_set_schema(p, NULL), TFP_EINVALID);
    tfp_provider_set_payload(p, p);
    tfp_provider_free(p);
    tfp_provider_free(NULL);
}

static void test_resources(void **state)
{
    tfp_provider *p = NULL;
    tfp_resource *r = NULL;
    tfp_schema *s = NULL;
    (void)state;
    assert_int_equal(tfp_provider_new(&p, "vpcep", "0.1.0"), 0);
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(tfp_resource_new(&r, "", s), TFP_EINVALID); /* schema stolen */
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(tfp_resource_new(&r, "vpcep_service", s), 0);
    assert_string_equal(tfp_resource_type_name(r), "vpcep_service");
    assert_ptr_equal(tfp_resource_schema(r), s);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_CONFIGURE, noop), TFP_EINVALID);
    assert_int_equal(tfp_resource_set_handler(r, (tfp_op)99, noop), TFP_EINVALID);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_PLAN, noop), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_READ_DATA, noop), TFP_EINVALID);

    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(tfp_resource_new(&r, "vpcep_service", s), 0);
    assert_int_equal(tfp_provider_add_data_source(p, r), 0); /* separate namespace */
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_PLAN, noop), TFP_EINVALID);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_READ_DATA, noop), 0);

    /* an unregistered resource is freed by its owner */
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(tfp_resource_new(&r, "vpcep_other", s), 0);
    tfp_resource_free(r);
    tfp_resource_free(NULL);
    assert_int_equal(tfp_provider_add_resource(p, NULL), TFP_EINVALID);
    assert_int_equal(tfp__rpc_resource_count(p), 1);
    assert_int_equal(tfp__rpc_data_source_count(p), 1);
    tfp_provider_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider),
        cmocka_unit_test(test_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
