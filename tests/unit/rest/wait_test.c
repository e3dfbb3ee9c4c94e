/* Waiters: state tables, poll schedule, success, failure, timeout, cancellation, deletes. */
#include "fake.h"

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fake F;
static vpcep_client *C;

static int setup(void **state)
{
    vpcep_client_options o;

    (void)state;
    fake_init(&F);
    fake_options(&F, &o);
    o.max_retries = VPCEP_RETRIES_NONE; /* transport retries are tested in request_test.c */
    C = fake_client(&F, &o);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vpcep_client_free(C);
    return 0;
}

static void test_state_tables(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;

    (void)state;
    vpcep_wait_spec_service_available(&s, 1000);
    assert_int_equal(s.version, VPCEP_WAIT_SPEC_VERSION);
    assert_int_equal(s.timeout_ms, 1000);
    assert_int_equal(vpcep_wait_classify(&s, "creating"), 0);
    assert_int_equal(vpcep_wait_classify(&s, "available"), 1);
    assert_int_equal(vpcep_wait_classify(&s, "failed"), -1);
    assert_int_equal(vpcep_wait_classify(&s, "somethingNew"), 0);
    assert_int_equal(vpcep_wait_classify(&s, NULL), -1);

    vpcep_wait_spec_service_deleted(&s, 0);
    assert_int_equal(vpcep_wait_classify(&s, "available"), 0);
    assert_int_equal(vpcep_wait_classify(&s, "deleting"), 0);
    assert_int_equal(vpcep_wait_classify(&s, NULL), 1);

    vpcep_wait_spec_endpoint_created(&s, 0);
    assert_int_equal(vpcep_wait_classify(&s, "creating"), 0);
    assert_int_equal(vpcep_wait_classify(&s, "pendingAcceptance"), 1);
    assert_int_equal(vpcep_wait_classify(&s, "accepted"), 1);
    assert_int_equal(vpcep_wait_classify(&s, "rejected"), -1);
    assert_int_equal(vpcep_wait_classify(&s, "pendingacceptance"), 0); /* exact compare */

    vpcep_wait_spec_endpoint_accepted(&s, 0);
    assert_int_equal(vpcep_wait_classify(&s, "pendingAcceptance"), 0);
    assert_int_equal(vpcep_wait_classify(&s, "accepted"), 1);
    assert_int_equal(vpcep_wait_classify(&s, "failed"), -1);
    assert_int_equal(vpcep_wait_classify(&s, "deleting"), -1);
    assert_int_equal(vpcep_wait_classify(&s, NULL), -1);

    vpcep_wait_spec_endpoint_deleted(&s, 0);
    assert_int_equal(vpcep_wait_classify(&s, "accepted"), 0);
    assert_int_equal(vpcep_wait_classify(&s, NULL), 1);

    assert_int_equal(vpcep_wait_spec_connection_visible(&s, 0), 0);
    assert_int_equal(vpcep_wait_classify(&s, NULL), 0); /* not listed yet */
    assert_int_equal(vpcep_wait_classify(&s, "creating"), 0);
    assert_int_equal(vpcep_wait_classify(&s, "pendingAcceptance"), 1);
    assert_int_equal(vpcep_wait_classify(&s, "accepted"), 1);
    assert_int_equal(vpcep_wait_classify(&s, "rejected"), 1); /* can be accepted again */
    assert_int_equal(vpcep_wait_classify(&s, "deleting"), -1);

    vpcep_wait_spec_connection_accepted(&s, 0);
    assert_int_equal(vpcep_wait_classify(&s, NULL), 0); /* not listed yet */
    assert_int_equal(vpcep_wait_classify(&s, "rejected"), -1);

    vpcep_wait_spec_connection_rejected(&s, 0);
    assert_int_equal(vpcep_wait_classify(&s, "rejected"), 1);
    assert_int_equal(vpcep_wait_classify(&s, NULL), 1);
    assert_int_equal(vpcep_wait_classify(&s, "accepted"), 0);
    assert_int_equal(vpcep_wait_classify(NULL, "x"), 0);
}

static void test_poll_schedule(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;

    (void)state;
    assert_int_equal(vpcep_wait_interval_ms(&s, 0), 200);
    assert_int_equal(vpcep_wait_interval_ms(&s, 1), 200);
    assert_int_equal(vpcep_wait_interval_ms(&s, 2), 300);
    assert_int_equal(vpcep_wait_interval_ms(&s, 3), 450);
    assert_int_equal(vpcep_wait_interval_ms(&s, 7), 2277); /* integer steps: d += d / 2 */
    assert_int_equal(vpcep_wait_interval_ms(&s, 8), 3415);
    assert_int_equal(vpcep_wait_interval_ms(&s, 9), 5000);
    assert_int_equal(vpcep_wait_interval_ms(&s, 1000), 5000);
    s.poll_min_ms = 10;
    s.poll_max_ms = 20;
    assert_int_equal(vpcep_wait_interval_ms(&s, 0), 10);
    assert_int_equal(vpcep_wait_interval_ms(&s, 1), 10);
    assert_int_equal(vpcep_wait_interval_ms(&s, 2), 15);
    assert_int_equal(vpcep_wait_interval_ms(&s, 3), 20);
}

/* What the schedule of the ready-made tables promises, polls counted on its own timeline:
 * the first poll one interval after the call that started the transition, a transition of up
 * to 900 ms seen within 300 ms, and at most one poll per second in any wait past 10 s. */
static void test_poll_schedule_promises(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    long t[64];
    unsigned int k, n = 0;
    long at;

    (void)state;
    vpcep_wait_spec_service_available(&s, 600000);
    assert_int_equal(s.initial_delay_ms, 200);
    for (at = s.initial_delay_ms; n < 64; n++) {
        t[n] = at; /* poll n + 1 happens at t[n] */
        at += vpcep_wait_interval_ms(&s, n);
    }
    for (at = 0; at <= 900; at += 10) {
        for (k = 0; t[k] < at; k++) {
        }
        assert_true(t[k] - at <= 300);
    }
    for (k = 0; k < n; k++) {
        if (t[k] > 10000)
            assert_true((long)(k + 1) * 1000 <= t[k]);
    }
    assert_true(t[n - 1] > 120000); /* 64 polls last beyond two minutes */
}

static void test_service_available(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    vpcep_service *svc = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    vpcep_wait_spec_service_available(&s, 60000);
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"creating\"}");
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"creating\"}");
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"available\",\"service_name\":\"eu-de.x.s1\"}");
    assert_int_equal(vpcep_wait_service(&svc, &st, C, "s1", &s, &err), 0);
    assert_string_equal(svc->status, "available");
    assert_string_equal(svc->service_name, "eu-de.x.s1");
    assert_int_equal(st.polls, 3);
    assert_int_equal(st.api_calls, 3);
    assert_int_equal(F.n_sleeps, 3);
    assert_int_equal(F.sleeps[0], 200); /* the create answered "creating": no poll at once */
    assert_int_equal(F.sleeps[1], 200);
    assert_int_equal(F.sleeps[2], 200);
    assert_int_equal(st.elapsed_ms, 600);
    assert_string_equal(F.requests[0].url,
                        "http://vpcep.test:8080/v1/p123/vpc-endpoint-services/s1");
    vpcep_service_free(svc);
}

static void test_failure_state_carries_api_error(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    vpcep_wait_spec_endpoint_created(&s, 60000);
    fake_push(&F, 200, "{\"id\":\"e1\",\"status\":\"creating\"}");
    fake_push(&F, 200,
              "{\"id\":\"e1\",\"status\":\"failed\",\"error\":[{\"error_code\":"
              "\"EndPoint.2039\",\"error_message\":\"No IP address available\"}]}");
    assert_int_equal(vpcep_wait_endpoint(&e, NULL, C, "e1", &s, &err), VPCEP_EAPI);
    assert_null(e);
    assert_string_equal(err.error_code, "EndPoint.2039");
    assert_non_null(strstr(err.error_msg, "No IP address available"));
    assert_non_null(strstr(err.error_msg, "failed"));
    assert_string_equal(err.state, "failed");

    /* rejected without error[]: the message names the state */
    vpcep_wait_spec_endpoint_accepted(&s, 60000);
    fake_push(&F, 200, "{\"id\":\"e1\",\"status\":\"rejected\"}");
    assert_int_equal(vpcep_wait_endpoint(&e, NULL, C, "e1", &s, &err), VPCEP_EAPI);
    assert_string_equal(err.state, "rejected");
    assert_non_null(strstr(err.error_msg, "endpoint e1 reached state rejected"));
}

static void test_timeout_names_last_state(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int64_t t0 = F.now;
    size_t i;
    long total = 0;

    (void)state;
    vpcep_wait_spec_endpoint_accepted(&s, 3000);
    for (i = 0; i < 30; i++)
        fake_push(&F, 200, "{\"id\":\"e1\",\"status\":\"pendingAcceptance\"}");
    assert_int_equal(vpcep_wait_endpoint(&e, &st, C, "e1", &s, &err), VPCEP_ETIMEOUT);
    assert_string_equal(err.state, "pendingAcceptance");
    assert_non_null(strstr(err.error_msg, "last state: pendingAcceptance"));
    assert_int_equal(F.now - t0, 3000); /* never sleeps past the deadline */
    for (i = 0; i < F.n_sleeps; i++)
        total += F.sleeps[i];
    assert_int_equal(total, 3000);
    assert_int_equal(st.polls, F.n_sleeps); /* a sleep before each poll, the first one included */
    assert_null(e);
}

static void test_cancellation(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_service *svc = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int i;

    (void)state;
    vpcep_wait_spec_service_available(&s, 0); /* no deadline */
    for (i = 0; i < 10; i++)
        fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"creating\"}");
    F.cancel_after_sleeps = 3;
    assert_int_equal(vpcep_wait_service(&svc, NULL, C, "s1", &s, &err), VPCEP_ECANCELED);
    assert_string_equal(err.state, "creating");
    assert_non_null(strstr(err.error_msg, "cancelled"));
    assert_int_equal(F.n_requests, 2); /* initial delay, poll, sleep, poll, cancelled sleep */
}

static void test_delete_waits_for_404(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    vpcep_service *svc = (vpcep_service *)1;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    vpcep_wait_spec_service_deleted(&s, 60000);
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"available\"}");
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"deleting\"}");
    fake_push(&F, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"not found\"}");
    assert_int_equal(vpcep_wait_service(&svc, &st, C, "s1", &s, &err), 0);
    assert_null(svc);
    assert_int_equal(st.polls, 3);

    /* an object that vanishes while we wait for a target state */
    vpcep_wait_spec_service_available(&s, 60000);
    fake_push(&F, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"not found\"}");
    assert_int_equal(vpcep_wait_service(&svc, NULL, C, "s1", &s, &err), VPCEP_ENOTFOUND);
    assert_string_equal(err.state, "(gone)");
}

static void test_transient_and_fatal_errors(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_service *svc = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    vpcep_wait_spec_service_available(&s, 60000);
    fake_push(&F, 503, "");
    fake_push_transport(&F, VPCEP_ETRANSPORT);
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"available\"}");
    assert_int_equal(vpcep_wait_service(&svc, NULL, C, "s1", &s, &err), 0);
    vpcep_service_free(svc);
    fake_push(&F, 403, "{\"error_code\":\"EndPoint.0004\",\"error_msg\":\"denied\"}");
    assert_int_equal(vpcep_wait_service(&svc, NULL, C, "s1", &s, &err), VPCEP_EAUTH);
    assert_string_equal(err.error_code, "EndPoint.0004");
    assert_int_equal(vpcep_wait_service(&svc, NULL, C, "s1", NULL, &err), VPCEP_EINVALID);
    assert_int_equal(vpcep_wait_service(&svc, NULL, C, NULL, &s, &err), VPCEP_EINVALID);
}

static void test_connection_waiter(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    vpcep_connection *conn = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    vpcep_wait_spec_connection_accepted(&s, 60000);
    s.poll_min_ms = 100;
    fake_push(&F, 200, "{\"connections\":[],\"total_count\":0}"); /* not listed yet */
    fake_push(&F, 200,
              "{\"connections\":[{\"id\":\"e1\",\"status\":\"pendingAcceptance\"}],"
              "\"total_count\":1}");
    fake_push(&F, 200,
              "{\"connections\":[{\"id\":\"e1\",\"status\":\"accepted\",\"marker_id\":"
              "422321321312321321,\"domain_id\":\"d\"}],\"total_count\":1}");
    assert_int_equal(vpcep_wait_connection(&conn, &st, C, "svc", "e1", &s, &err), 0);
    assert_string_equal(conn->status, "accepted");
    assert_true(conn->marker_id == INT64_C(422321321312321321));
    assert_int_equal(st.polls, 3);
    assert_int_equal(st.api_calls, 3);
    assert_int_equal(F.sleeps[0], 200); /* the table's initial delay */
    assert_int_equal(F.sleeps[1], 100);
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services/"
                                           "svc/connections?id=e1&limit=100");
    vpcep_connection_free(conn);

    fake_push(&F, 200, "{\"connections\":[{\"id\":\"e1\",\"status\":\"rejected\"}]}");
    assert_int_equal(vpcep_wait_connection(&conn, NULL, C, "svc", "e1", &s, &err), VPCEP_EAPI);
    assert_string_equal(err.state, "rejected");

    vpcep_wait_spec_connection_rejected(&s, 60000);
    fake_push(&F, 200, "{\"connections\":[],\"total_count\":0}"); /* gone counts as done */
    assert_int_equal(vpcep_wait_connection(&conn, NULL, C, "svc", "e1", &s, &err), 0);
    assert_null(conn);
}

static void test_initial_delay(void **state)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    vpcep_wait_spec_endpoint_created(&s, 60000);
    s.initial_delay_ms = 5000;
    fake_push(&F, 200, "{\"id\":\"e1\",\"status\":\"accepted\",\"ip\":\"10.0.0.5\"}");
    assert_int_equal(vpcep_wait_endpoint(&e, NULL, C, "e1", &s, &err), 0);
    assert_int_equal(F.sleeps[0], 5000);
    assert_string_equal(e->ip, "10.0.0.5");
    vpcep_endpoint_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_tables),
        cmocka_unit_test(test_poll_schedule),
        cmocka_unit_test(test_poll_schedule_promises),
        cmocka_unit_test_setup_teardown(test_service_available, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_state_carries_api_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_names_last_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancellation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_waits_for_404, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transient_and_fatal_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connection_waiter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_initial_delay, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
