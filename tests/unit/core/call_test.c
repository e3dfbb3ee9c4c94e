/* Calls: StopProvider wakes sleeping handlers at once; calls run concurrently. */
#include "rpc.h"
#include "test_helpers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define STATE_BYTES                                                                                \
    "\x83\xa2id\xa9thing-755\xa4name\xa5"                                                          \
    "alpha\xa4note\xa2n1"
#define CONFIG_BYTES                                                                               \
    "\x83\xa2id\xc0\xa4name\xa5"                                                                   \
    "alpha\xa4note\xa2n1"
#define PLANNED_BYTES                                                                              \
    "\x83\xa2id\xd4\x00\x00\xa4name\xa5"                                                           \
    "alpha\xa4note\xa2n1"

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static atomic_int payload_seen;

/* Waits "for the remote object" up to 30 s, polling like a real waiter. */
static int waiting_apply(tfp_call *call)
{
    int rc;
    if (tfp_call_payload(call) == &payload_seen) {
        atomic_store(&payload_seen, 1);
    }
    rc = tfp_call_sleep(call, 30000);
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
    uint64_t elapsed;
} job;

static void *apply_thread(void *arg)
{
    job *j = arg;
    tfp__rpc_dynamic planned = {(const uint8_t *)PLANNED_BYTES, sizeof(PLANNED_BYTES) - 1, NULL, 0};
    tfp__rpc_dynamic none = {NULL, 0, NULL, 0};
    uint64_t start = now_ms();
    j->rc = tfp__rpc_apply(j->p, "test_thing", &none, &planned, &none, NULL, 0, &j->res);
    j->elapsed = now_ms() - start;
    return NULL;
}

static void test_stop_wakes_all_sleepers(void **state)
{
    tfp_provider *p = make_provider();
    job jobs[4];
    pthread_t th[4];
    struct timespec pause = {0, 100 * 1000000L};
    uint64_t start;
    int i;
    (void)state;

    memset(jobs, 0, sizeof(jobs));
    for (i = 0; i < 4; i++) {
        jobs[i].p = p;
        assert_int_equal(pthread_create(&th[i], NULL, apply_thread, &jobs[i]), 0);
    }
    nanosleep(&pause, NULL);
    start = now_ms();
    tfp__rpc_stop(p); /* returns at once */
    assert_true(now_ms() - start < 100);
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, 0);
        assert_true(jobs[i].elapsed < 5000);
        assert_int_equal(jobs[i].res.ndiags, 1);
        assert_string_equal(jobs[i].res.diags[0].summary, "Interrupted");
        assert_false(jobs[i].res.has_value);
        tfp__rpc_result_dispose(&jobs[i].res);
    }
    assert_int_equal(atomic_load(&payload_seen), 1);
    /* stopped stays stopped: a later sleep returns at once */
    memset(&jobs[0], 0, sizeof(jobs[0]));
    jobs[0].p = p;
    apply_thread(&jobs[0]);
    assert_true(jobs[0].elapsed < 1000);
    tfp__rpc_result_dispose(&jobs[0].res);
    tfp_provider_free(p);
}

static int short_sleep_rc = -100;

static int short_sleep_plan(tfp_call *call)
{
    uint64_t start = now_ms();
    short_sleep_rc = tfp_call_sleep(call, 30);
    assert_true(now_ms() - start >= 25);
    assert_false(tfp_call_stopped(call));
    return 0;
}

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

static void test_null_arguments(void **state)
{
    size_t len = 1;
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
    assert_null(tfp_call_private(NULL, &len));
    assert_int_equal(len, 0);
    assert_null(tfp_call_import_id(NULL));
    assert_int_equal(tfp_call_state_version(NULL), 0);
    assert_null(tfp_call_raw_state(NULL, &len));
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
        cmocka_unit_test(test_stop_wakes_all_sleepers),
        cmocka_unit_test(test_sleep_without_stop),
        cmocka_unit_test(test_concurrent_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
