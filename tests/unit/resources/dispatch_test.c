/*
 * tests/unit/resources/dispatch_test.c - the handler trampoline: the current call is visible to
 * the VPCEP client's cancellation hook while a handler runs, StopProvider makes the hook report
 * "stop" (so waits end), and nothing leaks out of the handler.
 */
#include "helpers.h"
#include "rpc.h"

static int seen_call;
static int seen_cancel;

static int probe_plan(tfp_call *call)
{
    tfp_value *v = NULL;
    seen_call = tfpv_current_call() == call;
    seen_cancel = tfpv_cancelled_hook(NULL);
    if (tfp_value_copy(&v, tfp_call_proposed_state(call)) != 0) {
        return TFP_ENOMEM;
    }
    return tfp_call_set_result(call, v);
}

static const tfpv_handlers probe_handlers = {
    .upgrade = tfpv_upgrade_v0,
    .plan = probe_plan,
};

static void run_plan(tfp_provider *p, const tfp_schema *s)
{
    tfp_value *v = json_value(s, "{\"name\":\"n\"}");
    tfp__rpc_dynamic prior = {0}, proposed = {0};
    tfp__rpc_result r;
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(tfp_value_to_msgpack(&buf, &len, v), 0);
    proposed.msgpack = buf;
    proposed.msgpack_len = len;
    assert_int_equal(tfp__rpc_plan(p, "probe", &prior, &proposed, &proposed, NULL, 0, &r), 0);
    tfp__rpc_result_dispose(&r);
    tfp_free(buf);
    tfp_value_free(v);
}

static void test_current_call_and_stop(void **state)
{
    tfp_provider *p = NULL;
    tfp_schema *s = NULL;
    const tfp_schema *reg = NULL;
    const char *name = NULL;
    (void)state;
    assert_int_equal(tfp_provider_new(&p, "probe", "0"), 0);
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(
        tfpv_add_attr(tfp_schema_root(s), "name", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL), 0);
    assert_int_equal(tfpv_register_type(p, "probe", s, &probe_handlers, 0), 0);
    assert_int_equal(tfp__rpc_resource_at(p, 0, &name, &reg), 0);

    run_plan(p, reg);
    assert_true(seen_call);
    assert_int_equal(seen_cancel, 0);
    assert_null(tfpv_current_call()); /* restored after the handler */

    tfp__rpc_stop(p);
    run_plan(p, reg);
    assert_true(seen_call);
    assert_int_equal(seen_cancel, 1); /* waits observe StopProvider */
    assert_null(tfpv_current_call());
    tfp_provider_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_current_call_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
