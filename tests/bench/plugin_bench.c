/*
 * plugin_bench: start-up and RPC latency of a plugin binary, measured the way Terraform sees
 * them. Prints numbers; never fails on time (exit 1 only when the plugin does not work).
 *   plugin_bench <plugin> [launches=21] [schema-calls=200] [floor-server]
 * - exec to handshake line: median/min/max over the launches, plaintext and AutoMTLS, and
 *   the same for a minimal gRPC C core server (grpc_floor_server) when given, launched in
 *   the same run (interleaved), with each median as a ratio of the floor's
 * - VmRSS right after the handshake (median)
 * - GetProviderSchema latency over one connection (first call, median, p95)
 */
#include "probe_client.h"

#include <grpc/grpc.h>
#include <grpc/status.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[i];
}

static const uint8_t k_empty[1] = {0};

/* Shutdown, close the connection (as go-plugin's GRPCClient.Close does), wait for the exit.
 * Takes ownership of @p ch. @return ms from the call to the exit, or -1. */
static double shutdown_plugin(probe_plugin *pp, grpc_channel *ch)
{
    double t0 = probe_now_ms();
    int st = probe_call(ch, "/plugin.GRPCController/Shutdown", k_empty, 0, NULL, NULL, 5000);
    int ws;

    grpc_channel_destroy(ch);
    ws = probe_wait(pp, 2000);
    double ms = probe_now_ms() - t0;

    probe_kill(pp);
    return st == GRPC_STATUS_OK && ws != -1 ? ms : -1;
}

/* One program the start-up benchmark launches. */
typedef struct bench_subject {
    const char *label;
    const char *bin;
    int mtls;
    double *hs, *rss, *sd;
} bench_subject;

/* Launches every subject @p n times, interleaved (a, b, c, a, b, c, ...) so that the machine's
 * load drifts over all of them alike, and prints median/min/max of exec -> handshake line, the
 * RSS right after the handshake, and each median as a ratio of the first subject's. */
static int bench_launch(bench_subject *subj, int ns, int n)
{
    int i, k, rc = -1;
    double base = 0;

    for (k = 0; k < ns; k++) {
        subj[k].hs = calloc((size_t)n, sizeof(double));
        subj[k].rss = calloc((size_t)n, sizeof(double));
        subj[k].sd = calloc((size_t)n, sizeof(double));
        if (subj[k].hs == NULL || subj[k].rss == NULL || subj[k].sd == NULL)
            goto done;
    }
    for (i = 0; i < n; i++) {
        for (k = 0; k < ns; k++) {
            probe_plugin pp;
            grpc_channel *ch;

            if (probe_launch(&pp, subj[k].bin, 1, "5,6", subj[k].mtls, NULL) != 0) {
                fprintf(stderr, "plugin_bench: launch %d of %s failed\n", i, subj[k].bin);
                probe_kill(&pp);
                goto done;
            }
            subj[k].hs[i] = pp.handshake_ms;
            subj[k].rss[i] = (double)probe_rss_kib(pp.pid) / 1024.0;
            ch = probe_connect(&pp, PROBE_AUTO);
            if (ch == NULL || (subj[k].sd[i] = shutdown_plugin(&pp, ch)) < 0) {
                fprintf(stderr, "plugin_bench: shutdown %d of %s failed\n", i, subj[k].bin);
                probe_kill(&pp);
                goto done;
            }
        }
    }
    printf("start-up, %d launches of each, interleaved (exec -> handshake line; RSS right after "
           "it; Shutdown call -> exit)\n",
           n);
    printf("%-34s %9s %8s %8s %8s %7s %9s\n", "program", "median_ms", "min_ms", "max_ms", "ratio",
           "rss_MB", "exit_ms");
    for (k = 0; k < ns; k++) {
        double med = pct(subj[k].hs, n, 0.5);
        if (k == 0)
            base = med;
        printf("%-34s %9.2f %8.2f %8.2f %7.2fx %7.1f %9.2f\n", subj[k].label, med,
               pct(subj[k].hs, n, 0.0), pct(subj[k].hs, n, 1.0), base > 0 ? med / base : 0.0,
               pct(subj[k].rss, n, 0.5), pct(subj[k].sd, n, 0.5));
    }
    rc = 0;
done:
    for (k = 0; k < ns; k++) {
        free(subj[k].hs);
        free(subj[k].rss);
        free(subj[k].sd);
    }
    return rc;
}

static int bench_schema(const char *bin, int calls, int mtls)
{
    double *lat = calloc((size_t)calls, sizeof(double));
    probe_plugin pp;
    grpc_channel *ch = NULL;
    double first = 0;
    size_t size = 0;
    int i, rc = -1;

    if (lat == NULL)
        return -1;
    if (probe_launch(&pp, bin, 1, "5,6", mtls, NULL) != 0)
        goto done;
    ch = probe_connect(&pp, PROBE_AUTO);
    if (ch == NULL)
        goto done;
    for (i = -1; i < calls; i++) {
        uint8_t *resp = NULL;
        double t0 = probe_now_ms();
        int st = probe_call(ch, "/tfplugin6.Provider/GetProviderSchema", k_empty, 0, &resp, &size,
                            10000);
        double ms = probe_now_ms() - t0;
        free(resp);
        if (st != GRPC_STATUS_OK) {
            fprintf(stderr, "plugin_bench: GetProviderSchema failed (%d)\n", st);
            goto done;
        }
        if (i < 0)
            first = ms; /* includes connection set-up (and the TLS handshake) */
        else
            lat[i] = ms;
    }
    printf("GetProviderSchema (%s, %zu bytes): first %.2f ms, median %.3f ms, p95 %.3f ms over %d "
           "calls\n",
           mtls ? "AutoMTLS" : "plaintext", size, first, pct(lat, calls, 0.5),
           pct(lat, calls, 0.95), calls);
    rc = shutdown_plugin(&pp, ch) < 0 ? -1 : 0;
    ch = NULL;
done:
    if (ch != NULL)
        grpc_channel_destroy(ch);
    probe_kill(&pp);
    free(lat);
    return rc;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 21, calls = argc > 3 ? atoi(argv[3]) : 200, rc = 1;
    const char *floor_bin = argc > 4 ? argv[4] : NULL;
    bench_subject subj[3];
    int ns = 0;

    if (argc < 2 || n < 1 || calls < 1) {
        fprintf(stderr, "usage: %s <plugin> [launches] [schema-calls] [floor-server]\n", argv[0]);
        return 2;
    }
    memset(subj, 0, sizeof(subj));
    if (floor_bin != NULL)
        subj[ns++] = (bench_subject){.label = "gRPC floor (static, plaintext)", .bin = floor_bin};
    subj[ns++] = (bench_subject){.label = "plugin, plaintext", .bin = argv[1]};
    subj[ns++] =
        (bench_subject){.label = "plugin, AutoMTLS (as terraform)", .bin = argv[1], .mtls = 1};
    grpc_init();
    printf("plugin: %s\n", argv[1]);
    if (floor_bin != NULL)
        printf("floor: %s (ratio: median / the floor's median)\n", floor_bin);
    if (bench_launch(subj, ns, n) == 0 && bench_schema(argv[1], calls, 0) == 0 &&
        bench_schema(argv[1], calls, 1) == 0)
        rc = 0;
    grpc_shutdown();
    return rc;
}
