/*
 * tests/unit/resources/data_sources_test.c - data sources vpcep_service (exactly one of id
 * and name; describe mapping) and vpcep_public_services (deterministic ID, list mapping).
 */
#include "helpers.h"

static void test_ds_service(void **state)
{
    static const char info_json[] =
        "{\"id\":\"9d4c\",\"service_name\":\"test123\",\"service_type\":\"interface\","
        "\"created_at\":\"2018-09-17T07:28:31Z\",\"is_charge\":\"true\"}";
    tfp_schema *s = NULL;
    tfp_value *cfg, *st = NULL;
    tfp_diags *d;
    vpcep_service_info *info = NULL;
    int b = 0;
    (void)state;
    assert_int_equal(tfpv_ds_service_schema(&s), 0);
    cfg = json_value(s, "{\"id\":\"a\",\"name\":\"b\"}");
    d = run_check(tfpv_ds_service_check, cfg);
    assert_true(has_error_at(d, "name"));
    tfp_diags_free(d);
    tfp_value_free(cfg);
    cfg = json_value(s, "{}");
    d = run_check(tfpv_ds_service_check, cfg);
    assert_true(tfp_diags_has_errors(d));
    tfp_diags_free(d);
    tfp_value_free(cfg);
    cfg = json_value(s, "{\"name\":\"eu-de.x.id\"}");
    d = run_check(tfpv_ds_service_check, cfg);
    assert_int_equal(tfp_diags_count(d), 0);
    tfp_diags_free(d);
    tfp_value_free(cfg);

    assert_int_equal(vpcep_decode_service_info(&info, info_json, strlen(info_json)), 0);
    assert_int_equal(tfpv_ds_service_state(&st, tfp_schema_type(s), info), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "id"), "9d4c");
    assert_string_equal(tfpv_str(st, "name"), "test123");
    assert_true(tfpv_bool(st, "is_charge", &b)); /* the doc's string form */
    assert_int_equal(b, 1);
    tfp_value_free(st);
    vpcep_service_info_free(info);
    tfp_schema_free(s);
}

static void test_ds_public_services(void **state)
{
    static const char list_json[] =
        "{\"endpoint_services\":[{\"id\":\"b1\",\"owner\":\"OTC\",\"service_name\":"
        "\"com.t-systems.otc.eu-de.obs\",\"service_type\":\"gateway\",\"is_charge\":false},"
        "{\"id\":\"b2\",\"owner\":\"OTC\",\"service_name\":\"com.t-systems.otc.eu-de.dns\","
        "\"service_type\":\"interface\"}],\"total_count\":2}";
    tfp_schema *s = NULL;
    vpcep_service_info_list *list = NULL;
    tfp_value *st = NULL, *st2 = NULL;
    const tfp_value *first;
    (void)state;
    assert_int_equal(tfpv_ds_public_services_schema(&s), 0);
    assert_int_equal(vpcep_decode_service_info_list(&list, list_json, strlen(list_json)), 0);
    assert_int_equal(tfpv_ds_public_services_state(&st, tfp_schema_type(s), "obs", list), 0);
    assert_int_equal(tfpv_ds_public_services_state(&st2, tfp_schema_type(s), "obs", list), 0);
    assert_true(tfp_value_is_wholly_known(st));
    assert_string_equal(tfpv_str(st, "id"), tfpv_str(st2, "id")); /* deterministic */
    assert_int_equal(tfp_value_length(tfp_value_attr(st, "services")), 2);
    first = tfp_value_at(tfp_value_attr(st, "services"), 0);
    assert_string_equal(tfpv_str(first, "owner"), "OTC");
    assert_string_equal(tfpv_str(first, "service_type"), "gateway");
    assert_true(tfp_value_is_null(
        tfp_value_attr(tfp_value_at(tfp_value_attr(st, "services"), 1), "is_charge")));
    tfp_value_free(st2);
    assert_int_equal(tfpv_ds_public_services_state(&st2, tfp_schema_type(s), NULL, list), 0);
    assert_string_not_equal(tfpv_str(st, "id"), tfpv_str(st2, "id"));
    tfp_value_free(st);
    tfp_value_free(st2);
    vpcep_service_info_list_free(list);
    tfp_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ds_service),
        cmocka_unit_test(test_ds_public_services),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
