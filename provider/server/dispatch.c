/*
 * provider/server/dispatch.c - method routing, the health service, replies and the arena.
 */
#include "dispatch.h"

#include "health.pb-c.h"

#include <grpc/status.h>
#include <protobuf-c/protobuf-c.h>

#include <stdlib.h>
#include <string.h>

void tfp__srv_reply_dispose(tfp__srv_reply *r)
{
    if (r == NULL)
        return;
    free(r->message);
    free(r->data);
    memset(r, 0, sizeof(*r));
}

void tfp__srv_reply_status(tfp__srv_reply *r, int status, const char *message)
{
    free(r->message);
    free(r->data);
    r->data = NULL;
    r->len = 0;
    r->status = status;
    r->message = message ? strdup(message) : NULL;
}

static _Thread_local void (*release_fn)(void *);
static _Thread_local void *release_arg;

void tfp__srv_set_release_hook(void (*fn)(void *), void *arg)
{
    release_fn = fn;
    release_arg = arg;
}

void tfp__srv_request_unpacked(void)
{
    void (*fn)(void *) = release_fn;
    release_fn = NULL;
    if (fn != NULL)
        fn(release_arg);
}

void *tfp__srv_arena_alloc(tfp__srv_arena *a, size_t size)
{
    void *p;

    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 32;
        void **nb = realloc(a->blocks, ncap * sizeof(*nb));
        if (nb == NULL)
            return NULL;
        a->blocks = nb;
        a->cap = ncap;
    }
    p = calloc(1, size > 0 ? size : 1);
    if (p != NULL)
        a->blocks[a->n++] = p;
    return p;
}

char *tfp__srv_arena_strdup(tfp__srv_arena *a, const char *s)
{
    size_t n;
    char *d;

    if (s == NULL)
        s = "";
    n = strlen(s);
    d = tfp__srv_arena_alloc(a, n + 1);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

void tfp__srv_arena_free(tfp__srv_arena *a)
{
    size_t i;

    for (i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof(*a));
}

/* grpc.health.v1.Health/Check: go-plugin marks "plugin" as SERVING; "" is the server. */
static void h_health_check(tfp_provider *p, const uint8_t *in, size_t len, tfp__srv_reply *out)
{
    Grpc__Health__V1__HealthCheckRequest *req;
    Grpc__Health__V1__HealthCheckResponse resp = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
    size_t n;

    (void)p;
    req = grpc__health__v1__health_check_request__unpack(NULL, len, in);
    if (req == NULL) {
        tfp__srv_reply_status(out, GRPC_STATUS_INVALID_ARGUMENT, "malformed request message");
        return;
    }
    if (req->service[0] != '\0' && strcmp(req->service, "plugin") != 0) {
        tfp__srv_reply_status(out, GRPC_STATUS_NOT_FOUND, "unknown service");
        goto done;
    }
    resp.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
    n = grpc__health__v1__health_check_response__get_packed_size(&resp);
    out->data = malloc(n > 0 ? n : 1);
    if (out->data == NULL) {
        tfp__srv_reply_status(out, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        goto done;
    }
    out->len = grpc__health__v1__health_check_response__pack(&resp, out->data);
    out->status = GRPC_STATUS_OK;
done:
    grpc__health__v1__health_check_request__free_unpacked(req, NULL);
}

static const char *strip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

int tfp__srv_lookup(int proto, const char *path, tfp__srv_handler *handler_out)
{
    const char *m;
    tfp__srv_handler h = NULL;

    if (handler_out != NULL)
        *handler_out = NULL;
    if (path == NULL)
        return TFP__SRV_UNIMPLEMENTED;
    if (strcmp(path, "/plugin.GRPCController/Shutdown") == 0)
        return TFP__SRV_SHUTDOWN;
    if (strcmp(path, "/plugin.GRPCStdio/StreamStdio") == 0)
        return TFP__SRV_STDIO;
    if (strcmp(path, "/plugin.GRPCBroker/StartStream") == 0)
        return TFP__SRV_BROKER;
    if (strcmp(path, "/grpc.health.v1.Health/Check") == 0) {
        h = h_health_check;
    } else if (proto == 6 && (m = strip_prefix(path, "/tfplugin6.Provider/")) != NULL) {
        h = tfp__srv6_lookup(m);
    } else if (proto == 5 && (m = strip_prefix(path, "/tfplugin5.Provider/")) != NULL) {
        h = tfp__srv5_lookup(m);
    }
    if (h == NULL)
        return TFP__SRV_UNIMPLEMENTED;
    if (handler_out != NULL)
        *handler_out = h;
    return TFP__SRV_UNARY;
}

const char *tfp__srv_rpc_name(const char *path)
{
    const char *slash;

    if (path == NULL)
        return "";
    slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

void tfp__srv_handle(tfp_provider *p,
                     int proto,
                     const char *path,
                     const uint8_t *in,
                     size_t len,
                     tfp__srv_reply *out)
{
    tfp__srv_handler h = NULL;

    memset(out, 0, sizeof(*out));
    switch (tfp__srv_lookup(proto, path, &h)) {
    case TFP__SRV_UNARY:
        h(p, in, len, out);
        break;
    case TFP__SRV_SHUTDOWN:
    case TFP__SRV_STDIO:
    case TFP__SRV_BROKER:
        out->status = GRPC_STATUS_OK;
        break;
    default:
        tfp__srv_reply_status(out, GRPC_STATUS_UNIMPLEMENTED, "method not implemented");
        break;
    }
}
