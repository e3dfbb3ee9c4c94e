/*
 * stop_latency: how long StopProvider takes to end handlers that sleep in tfp_call_sleep (the
 * timing that tests/unit/core/call_test.c deliberately does not assert). Prints numbers only.
 *   stop_latency [sleepers=8] [rounds=20]
 */
#include "rpc.h"

#include <tfp/tfp.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SLEEPERS 64

static atomic_int asleep;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int sleepy_apply(tfp_call *call)
{
    atomic_fetch_add(&asleep, 1);
    return tfp_call_sleep(call, 3600u * 1000u) == TFP_ECANCELED ? 0 : TFP_ERROR;
}

static void *run_apply(void *arg)
{
    tfp_provider *p = arg;
    tfp__rpc_result res;
    tfp__rpc_dynamic none = {NULL, 0, NULL, 0};
    if (tfp__rpc_apply(p, "bench_sleepy", &none, &none, &none, NULL, 0, &res) == 0) {
        tfp__rpc_result_dispose(&res);
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int sleepers = argc > 1 ? atoi(argv[1]) : 8;
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    double lat[1000];
    int r, i;

    if (sleepers < 1 || sleepers > MAX_SLEEPERS || rounds < 1 || rounds > 1000) {
        fprintf(stderr, "usage: %s [sleepers 1..%d] [rounds 1..1000]\n", argv[0], MAX_SLEEPERS);
        return 2;
    }
    for (r = 0; r < rounds; r++) {
        tfp_provider *p = NULL;
        tfp_schema *s = NULL;
        tfp_resource *res = NULL;
        pthread_t th[MAX_SLEEPERS];
        double t0;
        if (tfp_provider_new(&p, "bench", "0.0.0") != 0 || tfp_schema_new(&s, 0) != 0 ||
            tfp_resource_new(&res, "bench_sleepy", s) != 0 ||
            tfp_resource_set_handler(res, TFP_OP_APPLY, sleepy_apply) != 0 ||
            tfp_provider_add_resource(p, res) != 0) {
            fprintf(stderr, "stop_latency: set-up failed\n");
            return 1;
        }
        atomic_store(&asleep, 0);
        for (i = 0; i < sleepers; i++) {
            pthread_create(&th[i], NULL, run_apply, p);
        }
        while (atomic_load(&asleep) < sleepers) {
            sched_yield();
        }
        t0 = now_ms();
        tfp__rpc_stop(p);
        for (i = 0; i < sleepers; i++) {
            pthread_join(th[i], NULL);
        }
        lat[r] = now_ms() - t0;
        tfp_provider_free(p);
    }
    qsort(lat, (size_t)rounds, sizeof(lat[0]), cmp_double);
    printf("stop_latency: %d sleepers, %d rounds: StopProvider to all handlers returned: median "
           "%.3f ms, max %.3f ms\n",
           sleepers, rounds, lat[rounds / 2], lat[rounds - 1]);
    return 0;
}
