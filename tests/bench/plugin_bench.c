/*
 * plugin_bench: start-up and RPC latency of a plugin binary, measured the way Terraform sees
 * them. Prints numbers; never fails on time (exit 1 only when the plugin does not work).
 *   plugin_bench <plugin> [launches=21] [schema-calls=200]
 * - exec to handshake line: median/min/max over the launches, plaintext and AutoMTLS
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

static int bench_launch(const char *bin, int n, int mtls)
{
    double *hs = calloc((size_t)n, sizeof(double)), *rss = calloc((size_t)n, sizeof(double));
    double *sd = calloc((size_t)n, sizeof(double));
    int i, rc = -1;

    if (hs == NULL || rss == NULL || sd == NULL)
        goto done;
    for (i = 0; i < n; i++) {
        probe_plugin pp;
        grpc_channel *ch;

        if (probe_launch(&pp, bin, 1, "5,6", mtls, NULL) != 0) {
            fprintf(stderr, "plugin_bench: launch %d failed\n", i);
            probe_kill(&pp);
            goto done;
        }
        hs[i] = pp.handshake_ms;
        rss[i] = (double)probe_rss_kib(pp.pid) / 1024.0;
        ch = probe_connect(&pp, PROBE_AUTO);
        if (ch == NULL || (sd[i] = shutdown_plugin(&pp, ch)) < 0) {
            fprintf(stderr, "plugin_bench: shutdown %d failed\n", i);
            probe_kill(&pp);
            goto done;
        }
    }
    printf("handshake (%s): median %.2f ms, min %.2f ms, max %.2f ms over %d launches\n",
           mtls ? "AutoMTLS" : "plaintext", pct(hs, n, 0.5), pct(hs, n, 0.0), pct(hs, n, 1.0), n);
    printf("rss after handshake (%s): median %.1f MB\n", mtls ? "AutoMTLS" : "plaintext",
           pct(rss, n, 0.5));
    printf("Shutdown call to process exit (%s): median %.2f ms, max %.2f ms\n",
           mtls ? "AutoMTLS" : "plaintext", pct(sd, n, 0.5), pct(sd, n, 1.0));
    rc = 0;
done:
    free(hs);
    free(rss);
    free(sd);
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

    if (argc < 2 || n < 1 || calls < 1) {
        fprintf(stderr, "usage: %s <plugin> [launches] [schema-calls]\n", argv[0]);
        return 2;
    }
    grpc_init();
    printf("plugin: %s\n", argv[1]);
    if (bench_launch(argv[1], n, 0) == 0 && bench_launch(argv[1], n, 1) == 0 &&
        bench_schema(argv[1], calls, 0) == 0 && bench_schema(argv[1], calls, 1) == 0)
        rc = 0;
    grpc_shutdown();
    return rc;
}
