/* Calls: StopProvider wakes sleeping handlers at once; calls run concurrently.
 *
 * Nothing here measures time: a handler sleeps for an hour, so only StopProvider can end its
 * sleep; if the wake-up were lost the test would hang and ctest's TIMEOUT (CMakeLists.txt)
 * fails it. How fast the wake-up is belongs to a benchmark, not to an assertion. */
#include "core.h"
#include "rpc.h"
#include "test_helpers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define STATE_BYTES                                                                                \
    "\x83\xa2id\xa9thing-755\xa4name\xa5"                                                          \
    "alpha\xa4note\xa2n1"
#define CONFIG_BYTES                                                                               \
    "\x83\xa2id\xc0\xa4name\xa5"                                                                   \
    "alpha\xa4note\xa2n1"
#define PLANNED_BYTES                                                                              \
    "\x83\xa2id\xd4\x00\x00\xa4name\xa5"                                                           \
    "alpha\xa4note\xa2n1"

/* Longer than any test run: a sleep this long ends only through StopProvider. */
#define FOREVER_MS (3600u * 1000u)

static atomic_int payload_seen;
static atomic_int sleepers; /* handlers that reached their sleep */

/* Waits "for the remote object" (an hour), polling like a real waiter. */
static int waiting_apply(tfp_call *call)
{
    int rc;
    if (tfp_call_payload(call) == &payload_seen) {
        atomic_store(&payload_seen, 1);
    }
    atomic_fetch_add(&sleepers, 1);
    rc = tfp_call_sleep(call, FOREVER_MS);
    if (rc == TFP_ECANCELED) {
        assert_true(tfp_call_stopped(call));
        tfp_diags_error(tfp_call_diags(call), NULL, "Interrupted", "stopped while waiting");
    }
    return rc;
}

static tfp_provider *make_provider(void)
{
    tfp_provider *p = NULL;
    tfp_resource *r = NULL;
    tfp_schema *s = NULL;
    tfp_block *b;
    assert_int_equal(tfp_provider_new(&p, "test", "0.0.1"), 0);
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    b = tfp_schema_root(s);
    assert_int_equal(tfp_block_add_attribute(b, "id", tfp_type_string(), TFP_ATTR_COMPUTED, NULL),
                     0);
    assert_int_equal(tfp_block_add_attribute(b, "name", tfp_type_string(), TFP_ATTR_REQUIRED, NULL),
                     0);
    assert_int_equal(tfp_block_add_attribute(b, "note", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL),
                     0);
    assert_int_equal(tfp_resource_new(&r, "test_thing", s), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_APPLY, waiting_apply), 0);
    tfp_resource_set_payload(r, &payload_seen);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    return p;
}

typedef struct job {
    tfp_provider *p;
    tfp__rpc_result res;
    int rc;
} job;

static void *apply_thread(void *arg)
{
    job *j = arg;
    tfp__rpc_dynamic planned = {(const uint8_t *)PLANNED_BYTES, sizeof(PLANNED_BYTES) - 1, NULL, 0};
    tfp__rpc_dynamic none = {NULL, 0, NULL, 0};
    j->rc = tfp__rpc_apply(j->p, "test_thing", &none, &planned, &none, NULL, 0, &j->res);
    return NULL;
}

static void assert_interrupted(job *j)
{
    assert_int_equal(j->rc, 0);
    assert_int_equal(j->res.ndiags, 1);
    assert_string_equal(j->res.diags[0].summary, "Interrupted");
    assert_false(j->res.has_value);
    tfp__rpc_result_dispose(&j->res);
}

static void test_stop_wakes_all_sleepers(void **state)
{
    tfp_provider *p = make_provider();
    job jobs[4];
    pthread_t th[4];
    int i;
    (void)state;

    memset(jobs, 0, sizeof(jobs));
    atomic_store(&sleepers, 0);
    for (i = 0; i < 4; i++) {
        jobs[i].p = p;
        assert_int_equal(pthread_create(&th[i], NULL, apply_thread, &jobs[i]), 0);
    }
    /* all four handlers are asleep (or about to be: a stop before the wait is seen too) */
    while (atomic_load(&sleepers) < 4) {
        sched_yield();
    }
    /* never blocks on the sleeping calls (it would deadlock here if it did) */
    tfp__rpc_stop(p);
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_interrupted(&jobs[i]);
    }
    assert_int_equal(atomic_load(&payload_seen), 1);
    /* stopped stays stopped: a later hour-long sleep returns at once */
    memset(&jobs[0], 0, sizeof(jobs[0]));
    jobs[0].p = p;
    apply_thread(&jobs[0]);
    assert_interrupted(&jobs[0]);
    tfp_provider_free(p);
}

static int short_sleep_rc = -100;

static int short_sleep_plan(tfp_call *call)
{
    short_sleep_rc = tfp_call_sleep(call, 1);
    assert_false(tfp_call_stopped(call));
    return 0;
}

/* Without a stop, a sleep ends by itself and reports 0 (not cancelled). */
static void test_sleep_without_stop(void **state)
{
    tfp_provider *p = make_provider();
    tfp_resource *r = NULL;
    tfp_schema *s = NULL;
    tfp__rpc_result res;
    tfp__rpc_dynamic none = {NULL, 0, NULL, 0};
    (void)state;
    assert_int_equal(tfp_schema_new(&s, 0), 0);
    assert_int_equal(tfp_resource_new(&r, "test_sleepy", s), 0);
    assert_int_equal(tfp_resource_set_handler(r, TFP_OP_PLAN, short_sleep_plan), 0);
    assert_int_equal(tfp_provider_add_resource(p, r), 0);
    assert_int_equal(tfp__rpc_plan(p, "test_sleepy", &none, &none, &none, NULL, 0, &res), 0);
    assert_int_equal(short_sleep_rc, 0);
    assert_int_equal(res.ndiags, 0);
    tfp__rpc_result_dispose(&res);
    tfp_provider_free(p);
}

static void *plan_thread(void *arg)
{
    job *j = arg;
    tfp__rpc_dynamic cfg = {(const uint8_t *)CONFIG_BYTES, sizeof(CONFIG_BYTES) - 1, NULL, 0};
    tfp__rpc_dynamic prior = {(const uint8_t *)STATE_BYTES, sizeof(STATE_BYTES) - 1, NULL, 0};
    tfp__rpc_dynamic none = {NULL, 0, NULL, 0};
    int i;
    for (i = 0; i < 200 && j->rc == 0; i++) {
        tfp__rpc_result res;
        j->rc =
            tfp__rpc_plan(j->p, "test_thing", (i % 2) ? &prior : &none, &cfg, &cfg, NULL, 0, &res);
        if (j->rc == 0 && (res.ndiags != 0 || !res.has_value)) {
            j->rc = -100;
        }
        tfp__rpc_result_dispose(&res);
    }
    return NULL;
}

static void test_concurrent_calls(void **state)
{
    tfp_provider *p = make_provider();
    job jobs[8];
    pthread_t th[8];
    int i;
    (void)state;
    memset(jobs, 0, sizeof(jobs));
    for (i = 0; i < 8; i++) {
        jobs[i].p = p;
        assert_int_equal(pthread_create(&th[i], NULL, plan_thread, &jobs[i]), 0);
    }
    for (i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, 0);
    }
    tfp_provider_free(p);
}

/* The private bytes and the raw state come back through out-parameters. */
static void test_private_and_raw_state(void **state)
{
    tfp_provider *p = make_provider();
    tfp_call call;
    const void *priv = &call;
    const char *raw = "x";
    size_t len = 7;
    (void)state;
    tfp__call_init(&call, p, TFP_OP_READ);
    assert_int_equal(tfp_call_private(&priv, &len, &call), 0);
    assert_null(priv);
    assert_int_equal(len, 0);
    call.priv = "abc";
    call.priv_len = 3;
    call.raw_state = "{\"id\":1}";
    call.raw_state_len = 8;
    assert_int_equal(tfp_call_private(&priv, &len, &call), 0);
    assert_ptr_equal(priv, call.priv);
    assert_int_equal(len, 3);
    assert_int_equal(tfp_call_private(&priv, NULL, &call), 0);
    assert_ptr_equal(priv, call.priv);
    assert_int_equal(tfp_call_raw_state(&raw, &len, &call), 0);
    assert_ptr_equal(raw, call.raw_state);
    assert_int_equal(len, 8);
    assert_int_equal(tfp_call_private(NULL, &len, &call), TFP_EINVALID);
    assert_int_equal(len, 0);
    call.priv = NULL;
    call.priv_len = 0;
    call.raw_state = NULL;
    call.raw_state_len = 0;
    tfp__call_dispose(&call);
    tfp_provider_free(p);
}

static void test_null_arguments(void **state)
{
    size_t len = 1;
    const void *priv = &len;
    const char *raw = "x";
    (void)state;
    assert_int_equal(tfp_call_op(NULL), 0);
    assert_null(tfp_call_type_name(NULL));
    assert_null(tfp_call_schema(NULL));
    assert_null(tfp_call_diags(NULL));
    assert_null(tfp_call_payload(NULL));
    assert_null(tfp_call_provider_data(NULL));
    assert_null(tfp_call_config(NULL));
    assert_null(tfp_call_prior_state(NULL));
    assert_null(tfp_call_proposed_state(NULL));
    assert_null(tfp_call_planned_state(NULL));
    assert_int_equal(tfp_call_private(&priv, &len, NULL), TFP_EINVALID);
    assert_null(priv);
    assert_int_equal(len, 0);
    assert_null(tfp_call_import_id(NULL));
    assert_int_equal(tfp_call_state_version(NULL), 0);
    len = 1;
    assert_int_equal(tfp_call_raw_state(&raw, &len, NULL), TFP_EINVALID);
    assert_null(raw);
    assert_int_equal(len, 0);
    assert_string_equal(tfp_call_terraform_version(NULL), "");
    assert_int_equal(tfp_call_set_result(NULL, NULL), TFP_EINVALID);
    assert_null(tfp_call_result(NULL));
    assert_int_equal(tfp_call_set_private(NULL, "x", 1), TFP_EINVALID);
    assert_int_equal(tfp_call_require_replace(NULL, "a"), TFP_EINVALID);
    assert_int_equal(tfp_call_require_replace_path(NULL, NULL), TFP_EINVALID);
    assert_int_equal(tfp_call_set_provider_data(NULL, NULL, NULL), TFP_EINVALID);
    assert_false(tfp_call_stopped(NULL));
    assert_int_equal(tfp_call_sleep(NULL, 1), TFP_EINVALID);
    tfp__rpc_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_private_and_raw_state),
        cmocka_unit_test(test_stop_wakes_all_sleepers),
        cmocka_unit_test(test_sleep_without_stop),
        cmocka_unit_test(test_concurrent_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
