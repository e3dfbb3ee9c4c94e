/*
 * provider/server/serve.c - tfp_serve(): the go-plugin handshake and the gRPC C core server.
 *
 * Threads: the calling thread runs the completion-queue loop (new calls, server shutdown);
 * every accepted call is served on its own detached thread with its own pluck queue, so slow
 * handlers never block StopProvider or each other. Nothing but the handshake line ever goes to
 * the real stdout: fd 1 is pointed at stderr before gRPC starts.
 */
#include "../core/core.h"
#include "../core/rpc.h"
#include "dispatch.h"
#include "handshake.h"
#include "tls.h"
#include "util.h"

#include <tfp/tfp.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>
#include <openssl/crypto.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#if defined(__GLIBC__)
#    include <malloc.h>
#endif
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The largest message received or sent. Terraform sends one resource instance per call (state,
 * config, plan); this provider's largest (a service with a 10000-entry whitelist) is below 1 MiB.
 * Decoding holds at most a small multiple of a message (provider/core), and Terraform runs up
 * to 10 calls at once, so the cap bounds the plugin's memory: 64 MiB (terraform-plugin-go
 * accepts 256 MiB; gRPC's default is 4 MiB). A larger message is refused with
 * RESOURCE_EXHAUSTED before any of it is decoded. */
#define SRV_MAX_MESSAGE (64 * 1024 * 1024)
/* A request at least this large is followed by malloc_trim() once unpacked (srv_release_msg). */
#define SRV_TRIM_AFTER (4 * 1024 * 1024)
#define SRV_PENDING_REQUESTS 4
#define SRV_MAX_STREAMS 64
/* How often a held-open go-plugin stream (stdio, broker) looks whether its call has ended
 * (the shutdown itself finishes them at once). */
#define SRV_STREAM_POLL_MS 1000
/* After Shutdown: how long open connections get to close before they are dropped. */
#define SRV_SHUTDOWN_GRACE_MS 50
#define SRV_LOG_MODULE "tfp.server"

typedef struct srv_stream srv_stream;

typedef struct srv_state {
    tfp_provider *provider;
    grpc_server *server;
    grpc_completion_queue *cq;
    int proto;
    atomic_int shutting_down;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int active;          /* worker threads alive */
    srv_stream *streams; /* open go-plugin streams (srv_serve_stream), under mu */
} srv_state;

typedef struct srv_call {
    srv_state *st;
    grpc_call *call;
    grpc_call_details details;
    grpc_metadata_array md;
    grpc_completion_queue *cq; /* pluck queue bound to this call */
} srv_call;

/* An open go-plugin stream; lives on its worker's stack while listed. */
struct srv_stream {
    srv_call *sc;
    int status_started; /* the OK status batch (tag_status) was started */
    int tag_status;
    srv_stream *next;
};

/* The tag of the server-shutdown notification. */
static int srv_shutdown_tag;

/* SIGTERM (never sent by Terraform, but by people and service managers): a graceful
 * shutdown at the loop's next tick. */
static volatile sig_atomic_t srv_sigterm;

static void srv_on_sigterm(int sig)
{
    (void)sig;
    srv_sigterm = 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* gRPC's own logs: through tfp_log on stderr, never stdout. */
static void srv_gpr_log(gpr_log_func_args *args)
{
    tfp_log_level lvl = args->severity == GPR_LOG_SEVERITY_ERROR  ? TFP_LOG_ERROR
                        : args->severity == GPR_LOG_SEVERITY_INFO ? TFP_LOG_DEBUG
                                                                  : TFP_LOG_TRACE;
    if (tfp_log_enabled(lvl))
        tfp_log(lvl, "grpc", "%s:%d %s", args->file ? args->file : "", args->line,
                args->message ? args->message : "");
}

/* Ends a stream with status OK (once). Called with st->mu held. */
static void srv_stream_finish(srv_stream *s)
{
    grpc_op op;
    static grpc_slice no_details; /* an empty slice: all zero */

    if (s->status_started)
        return;
    memset(&op, 0, sizeof(op));
    op.op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    op.data.send_status_from_server.status = GRPC_STATUS_OK;
    op.data.send_status_from_server.status_details = &no_details;
    s->status_started =
        grpc_call_start_batch(s->sc->call, &op, 1, &s->tag_status, NULL) == GRPC_CALL_OK;
}

static void srv_begin_shutdown(srv_state *st)
{
    int expected = 0;
    srv_stream *s;

    if (!atomic_compare_exchange_strong(&st->shutting_down, &expected, 1))
        return;
    /* Terraform's stdio and broker streams end with OK before the connections close. */
    pthread_mutex_lock(&st->mu);
    for (s = st->streams; s != NULL; s = s->next)
        srv_stream_finish(s);
    pthread_mutex_unlock(&st->mu);
    tfp__rpc_stop(st->provider);
    grpc_server_shutdown_and_notify(st->server, st->cq, &srv_shutdown_tag);
}

static srv_call *srv_call_new(srv_state *st)
{
    srv_call *sc = calloc(1, sizeof(*sc));

    if (sc == NULL)
        return NULL;
    sc->st = st;
    grpc_call_details_init(&sc->details);
    grpc_metadata_array_init(&sc->md);
    sc->cq = grpc_completion_queue_create_for_pluck(NULL);
    if (sc->cq == NULL) {
        grpc_call_details_destroy(&sc->details);
        grpc_metadata_array_destroy(&sc->md);
        free(sc);
        return NULL;
    }
    return sc;
}

static void srv_call_free(srv_call *sc)
{
    if (sc == NULL)
        return;
    if (sc->call != NULL)
        grpc_call_unref(sc->call);
    grpc_completion_queue_shutdown(sc->cq);
    (void)grpc_completion_queue_pluck(sc->cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    grpc_completion_queue_destroy(sc->cq);
    grpc_call_details_destroy(&sc->details);
    grpc_metadata_array_destroy(&sc->md);
    free(sc);
}

/* Posts one generic request_call. @return 0 or -1. */
static int srv_request(srv_state *st)
{
    srv_call *sc = srv_call_new(st);

    if (sc == NULL)
        return -1;
    if (grpc_server_request_call(st->server, &sc->call, &sc->details, &sc->md, sc->cq, st->cq,
                                 sc) != GRPC_CALL_OK) {
        srv_call_free(sc);
        return -1;
    }
    return 0;
}

/* Runs one batch on the call's own queue and waits for it. @return 1 on success. */
static int srv_batch(srv_call *sc, const grpc_op *ops, size_t n)
{
    grpc_event ev;

    if (grpc_call_start_batch(sc->call, ops, n, sc, NULL) != GRPC_CALL_OK)
        return 0;
    ev = grpc_completion_queue_pluck(sc->cq, sc, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    return ev.type == GRPC_OP_COMPLETE && ev.success;
}

/* Reads the one request message into @p msg (a new slice: grpc_slice_unref; empty when the
 * client sent none, *got = 0). The received buffer is released at once, so the message is
 * held once. @return 1, or 0 if the call died. */
static int srv_recv(srv_call *sc, grpc_slice *msg, int *got)
{
    grpc_byte_buffer *bb = NULL;
    grpc_op op;
    grpc_byte_buffer_reader rdr;
    int ok = 0;

    *msg = grpc_empty_slice();
    *got = 0;
    memset(&op, 0, sizeof(op));
    op.op = GRPC_OP_RECV_MESSAGE;
    op.data.recv_message.recv_message = &bb;
    if (!srv_batch(sc, &op, 1))
        goto done;
    ok = 1;
    if (bb == NULL)
        goto done;
    if (!grpc_byte_buffer_reader_init(&rdr, bb)) {
        ok = 0;
        goto done;
    }
    *msg = grpc_byte_buffer_reader_readall(&rdr);
    grpc_byte_buffer_reader_destroy(&rdr);
    *got = 1;
done:
    if (bb != NULL)
        grpc_byte_buffer_destroy(bb);
    return ok;
}

/* The release hook of a request (tfp__srv_set_release_hook): drops the received message. After a
 * large one, the allocator also gives back the pages that held it and the transport's receive
 * buffers (freed into malloc's arenas, where they would stay resident while the values are
 * decoded into new, mostly larger blocks). */
static void srv_release_msg(void *arg)
{
    grpc_slice *msg = arg;
    size_t len = GRPC_SLICE_LENGTH(*msg);

    grpc_slice_unref(*msg);
    *msg = grpc_empty_slice();
#if defined(__GLIBC__)
    if (len >= SRV_TRIM_AFTER)
        (void)malloc_trim(0);
#else
    (void)len;
#endif
}

static int srv_send(srv_call *sc, tfp__srv_reply *r)
{
    grpc_op ops[4];
    grpc_byte_buffer *bb = NULL;
    grpc_slice details = grpc_slice_from_copied_string(r->message ? r->message : "");
    int cancelled = 0;
    size_t n = 0;
    int ok;

    memset(ops, 0, sizeof(ops));
    ops[n].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[n].data.send_initial_metadata.count = 0;
    n++;
    if (r->status == GRPC_STATUS_OK) {
        /* the packed reply is handed over, not copied: a large response is not held twice */
        grpc_slice payload =
            r->data != NULL ? grpc_slice_new(r->data, r->len, free) : grpc_empty_slice();
        r->data = NULL;
        r->len = 0;
        bb = grpc_raw_byte_buffer_create(&payload, 1);
        grpc_slice_unref(payload);
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n].data.send_message.send_message = bb;
        n++;
    }
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.trailing_metadata_count = 0;
    ops[n].data.send_status_from_server.status = (grpc_status_code)r->status;
    ops[n].data.send_status_from_server.status_details = &details;
    n++;
    ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[n].data.recv_close_on_server.cancelled = &cancelled;
    n++;
    ok = srv_batch(sc, ops, n);
    if (bb != NULL)
        grpc_byte_buffer_destroy(bb);
    grpc_slice_unref(details);
    return ok;
}

/* Waits for the completion of @p tag on the call's queue, up to @p ms (-1 = forever).
 * @return 1 completed successfully, 0 completed with failure, -1 timed out. */
static int srv_wait(srv_call *sc, void *tag, long ms)
{
    gpr_timespec deadline =
        ms < 0 ? gpr_inf_future(GPR_CLOCK_REALTIME)
               : gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(ms, GPR_TIMESPAN));
    grpc_event ev = grpc_completion_queue_pluck(sc->cq, tag, deadline, NULL);

    if (ev.type == GRPC_QUEUE_TIMEOUT)
        return -1;
    return ev.type == GRPC_OP_COMPLETE && ev.success;
}

/* go-plugin's GRPCStdio/StreamStdio and GRPCBroker/StartStream, which Terraform opens right
 * after connecting and keeps open for the life of the plugin. Both are held open until the
 * client ends them or the server stops, then finished with OK: answering UNIMPLEMENTED made
 * go-plugin log an error on every start. Nothing is sent: the plugin's stdout already goes to
 * its stderr, which go-plugin reads, and no brokered services exist (a broker client's ConnInfo
 * messages are read and dropped). Open streams are listed in srv_state::streams, so that
 * srv_begin_shutdown() finishes them (status OK) before the connections are dropped.
 * @return the status the call ended with. */
static int srv_serve_stream(srv_call *sc, int kind)
{
    srv_state *st = sc->st;
    srv_stream self;
    srv_stream **pp;
    grpc_op ops[2];
    grpc_byte_buffer *bb = NULL;
    int cancelled = 0, closed = 0, client_done = 0, recv_pending = 0, reading = 1, started, r;
    int tag_open, tag_recv; /* distinct addresses as batch tags */

    memset(&self, 0, sizeof(self));
    self.sc = sc;
    memset(ops, 0, sizeof(ops));
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[1].data.recv_close_on_server.cancelled = &cancelled;
    if (grpc_call_start_batch(sc->call, ops, 2, &tag_open, NULL) != GRPC_CALL_OK)
        return GRPC_STATUS_INTERNAL;
    pthread_mutex_lock(&st->mu);
    self.next = st->streams;
    st->streams = &self;
    if (atomic_load(&st->shutting_down))
        srv_stream_finish(&self); /* the shutdown began before the list held this stream */
    pthread_mutex_unlock(&st->mu);
    for (;;) {
        pthread_mutex_lock(&st->mu);
        started = self.status_started;
        pthread_mutex_unlock(&st->mu);
        if (closed || client_done || started)
            break;
        if (reading && !recv_pending) {
            /* stdio: the one google.protobuf.Empty; broker: the client's ConnInfo messages */
            memset(ops, 0, sizeof(ops));
            ops[0].op = GRPC_OP_RECV_MESSAGE;
            ops[0].data.recv_message.recv_message = &bb;
            if (grpc_call_start_batch(sc->call, ops, 1, &tag_recv, NULL) != GRPC_CALL_OK)
                break;
            recv_pending = 1;
        }
        if (!recv_pending) {
            /* nothing more to read: the call ends when the client goes or the status is sent */
            closed = srv_wait(sc, &tag_open, SRV_STREAM_POLL_MS) != -1;
            continue;
        }
        r = srv_wait(sc, &tag_recv, SRV_STREAM_POLL_MS);
        if (r == -1) {
            closed = srv_wait(sc, &tag_open, 0) != -1; /* has the call ended? */
            continue;
        }
        recv_pending = 0;
        if (bb != NULL) {
            grpc_byte_buffer_destroy(bb);
            bb = NULL;
        } else {
            /* the client half-closed: the broker's client is done, stdio's just sent its
             * request; a failed receive means the call is over */
            reading = 0;
            client_done = kind == TFP__SRV_BROKER || r == 0;
        }
    }
    pthread_mutex_lock(&st->mu);
    for (pp = &st->streams; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == &self) {
            *pp = self.next;
            break;
        }
    }
    if (!closed && !self.status_started)
        srv_stream_finish(&self);
    started = self.status_started;
    pthread_mutex_unlock(&st->mu);
    if (started)
        (void)srv_wait(sc, &self.tag_status, -1);
    if (!closed)
        (void)srv_wait(sc, &tag_open, -1);
    if (recv_pending) {
        (void)srv_wait(sc, &tag_recv, -1); /* fails once the call is over */
        if (bb != NULL)
            grpc_byte_buffer_destroy(bb);
    }
    return cancelled ? GRPC_STATUS_CANCELLED : GRPC_STATUS_OK;
}

static void srv_serve_call(srv_call *sc)
{
    srv_state *st = sc->st;
    tfp__srv_handler handler = NULL;
    tfp__srv_reply reply = {0};
    char method[160];
    grpc_slice in = grpc_empty_slice();
    size_t mlen = GRPC_SLICE_LENGTH(sc->details.method);
    double t0 = now_ms();
    int kind, got = 0;

    if (mlen >= sizeof(method)) {
        /* Longer than any method we serve: keep a prefix for the log only. */
        memcpy(method, GRPC_SLICE_START_PTR(sc->details.method), sizeof(method) - 1);
        method[sizeof(method) - 1] = '\0';
        kind = TFP__SRV_UNIMPLEMENTED;
    } else {
        memcpy(method, GRPC_SLICE_START_PTR(sc->details.method), mlen);
        method[mlen] = '\0';
        kind = tfp__srv_lookup(st->proto, method, &handler);
    }
    /* Every line logged while serving this call carries tf_rpc and its own tf_req_id. */
    tfp__log_rpc_begin(tfp__srv_rpc_name(method), st->proto);
    if (kind == TFP__SRV_STDIO || kind == TFP__SRV_BROKER) {
        reply.status = srv_serve_stream(sc, kind);
        goto logged;
    }
    if (kind == TFP__SRV_UNARY) {
        if (!srv_recv(sc, &in, &got))
            goto done; /* the client went away */
        if (!got) {
            tfp__srv_reply_status(&reply, GRPC_STATUS_INVALID_ARGUMENT, "missing request message");
        } else {
            tfp__srv_set_release_hook(srv_release_msg, &in);
            handler(st->provider, GRPC_SLICE_START_PTR(in), GRPC_SLICE_LENGTH(in), &reply);
            tfp__srv_set_release_hook(NULL, NULL);
        }
    } else if (kind == TFP__SRV_SHUTDOWN) {
        reply.status = GRPC_STATUS_OK; /* plugin.Empty: a zero-length message */
    } else {
        tfp__srv_reply_status(&reply, GRPC_STATUS_UNIMPLEMENTED, "method not implemented");
    }
    (void)srv_send(sc, &reply);
logged:
    if (tfp_log_enabled(TFP_LOG_DEBUG)) {
        double ms = now_ms() - t0;
        tfp_log_field f[2] = {{"grpc_status", NULL, reply.status},
                              {"tf_req_duration_ms", NULL, (long long)ms}};
        tfp_log_fields(TFP_LOG_DEBUG, SRV_LOG_MODULE, f, 2, "rpc %s status=%d duration=%.3fms",
                       method, reply.status, ms);
    }
    if (kind == TFP__SRV_SHUTDOWN)
        srv_begin_shutdown(st);
done:
    tfp__log_rpc_end();
    grpc_slice_unref(in);
    tfp__srv_reply_dispose(&reply);
}

static void *srv_worker(void *arg)
{
    srv_call *sc = arg;
    srv_state *st = sc->st;

    srv_serve_call(sc);
    srv_call_free(sc);
    pthread_mutex_lock(&st->mu);
    st->active--;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

static void srv_dispatch_call(srv_state *st, srv_call *sc)
{
    pthread_attr_t attr;
    pthread_t tid;
    int rc;

    pthread_mutex_lock(&st->mu);
    st->active++;
    pthread_mutex_unlock(&st->mu);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&tid, &attr, srv_worker, sc);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        srv_worker(sc); /* no thread: serve it inline rather than drop it */
}

/* ----- listener ------------------------------------------------------------------------------ */

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    char *end = NULL;
    long n;

    if (v == NULL || v[0] == '\0')
        return dflt;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0')
        return dflt;
    return n;
}

/* A port we can bind right now on 127.0.0.1 (gRPC binds it again just after). */
static int srv_port_free(int port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int ok;

    if (fd < 0)
        return 0;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

static int
srv_listen_tcp(grpc_server *server, grpc_server_credentials *creds, char *addr, size_t cap)
{
    long lo = env_long("PLUGIN_MIN_PORT", 10000), hi = env_long("PLUGIN_MAX_PORT", 25000);
    long port;

    if (lo < 1 || lo > 65535)
        lo = 10000;
    if (hi < lo || hi > 65535)
        hi = lo > 25000 ? 65535 : 25000;
    for (port = lo; port <= hi; port++) {
        char uri[64];
        if (!srv_port_free((int)port))
            continue;
        snprintf(uri, sizeof(uri), "127.0.0.1:%ld", port);
        if (grpc_server_add_http2_port(server, uri, creds) == (int)port) {
            snprintf(addr, cap, "127.0.0.1:%ld", port);
            return 0;
        }
    }
    return -1;
}

/* Listens on a Unix socket in a fresh private directory (see tfp__srv_socket_dir): mode 0700
 * for the directory and 0600 for the socket whatever the umask, so no other user of the
 * machine can connect. @p dir receives the directory (removed by the caller after the socket).
 * @return 0 or -1. */
static int srv_listen_unix(grpc_server *server,
                           grpc_server_credentials *creds,
                           char *path,
                           size_t cap,
                           char *dir,
                           size_t dir_cap)
{
    char uri[160];
    mode_t old_mask;
    int port;

    if (tfp__srv_socket_dir(dir, dir_cap, path, cap, getenv("PLUGIN_UNIX_SOCKET_DIR"),
                            getenv("TMPDIR")) != 0) {
        fprintf(stderr, "tfp_serve: cannot create a private socket directory: %s\n",
                strerror(errno));
        dir[0] = '\0';
        path[0] = '\0';
        return -1;
    }
    snprintf(uri, sizeof(uri), "unix:%s", path);
    /* bind() creates the socket with 0777 & ~umask: never wider than 0600 (no other thread
     * creates files this early), then exactly 0600. */
    old_mask = umask(S_IRWXG | S_IRWXO | S_IXUSR);
    port = grpc_server_add_http2_port(server, uri, creds);
    umask(old_mask);
    if (port == 0 || chmod(path, S_IRUSR | S_IWUSR) != 0) {
        (void)unlink(path);
        (void)rmdir(dir);
        dir[0] = '\0';
        path[0] = '\0';
        return -1;
    }
    return 0;
}

/* Accepts calls until the server has shut down and the queue is drained. @return 0. */
static int srv_loop(srv_state *st, pid_t parent)
{
    double shutdown_at = 0;
    int cancelled = 0;

    for (;;) {
        int stopping = atomic_load(&st->shutting_down);
        gpr_timespec deadline;
        grpc_event ev;

        if (stopping && shutdown_at == 0)
            shutdown_at = now_ms();
        deadline = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                gpr_time_from_millis(stopping ? 10 : 1000, GPR_TIMESPAN));
        ev = grpc_completion_queue_next(st->cq, deadline, NULL);
        if (ev.type == GRPC_QUEUE_SHUTDOWN)
            break;
        if (ev.type == GRPC_QUEUE_TIMEOUT) {
            if (!stopping && getppid() != parent) {
                tfp_log(TFP_LOG_WARN, SRV_LOG_MODULE, "parent process exited: shutting down");
                srv_begin_shutdown(st);
            } else if (!stopping && srv_sigterm) {
                tfp_log(TFP_LOG_INFO, SRV_LOG_MODULE, "SIGTERM: shutting down");
                srv_begin_shutdown(st);
            } else if (stopping && !cancelled && now_ms() - shutdown_at > SRV_SHUTDOWN_GRACE_MS) {
                /* Connections and calls still open after the grace period: drop them (the Shutdown
                 * answer has been flushed by then; Terraform closes its side anyway). */
                grpc_server_cancel_all_calls(st->server);
                cancelled = 1;
            }
            continue;
        }
        if (ev.tag == &srv_shutdown_tag) {
            grpc_completion_queue_shutdown(st->cq);
            continue;
        }
        if (!ev.success) {
            srv_call_free(ev.tag); /* a pending request ended by the shutdown */
            continue;
        }
        if (!atomic_load(&st->shutting_down))
            (void)srv_request(st);
        srv_dispatch_call(st, ev.tag);
    }
    return 0;
}

/* The AutoMTLS identity is generated on its own thread while gRPC initialises: both pay
 * library start-up costs, and start-up time is paid on every Terraform command. */
typedef struct srv_tls_job {
    tfp__srv_tls_identity id;
    int rc;
} srv_tls_job;

static void *srv_tls_thread(void *arg)
{
    srv_tls_job *job = arg;
    job->rc = tfp__srv_tls_generate(&job->id);
    return NULL;
}

/* Server credentials: AutoMTLS with @p tls when it holds a certificate (the key as gRPC's key
 * reference when @p key_ref, else as PEM), plaintext otherwise. @return NULL on failure. */
static grpc_server_credentials *
srv_credentials(tfp__srv_tls_identity *tls, const char *client_cert, int key_ref)
{
    grpc_ssl_pem_key_cert_pair pair;

    if (tls->cert_pem == NULL)
        return grpc_insecure_server_credentials_create();
    pair.private_key = key_ref ? tfp__srv_tls_grpc_private_key(tls)
                               : (tfp__srv_tls_key_pem(tls) == 0 ? tls->key_pem : NULL);
    pair.cert_chain = tls->cert_pem;
    if (pair.private_key == NULL)
        return NULL;
    return grpc_ssl_server_credentials_create_ex(
        client_cert, &pair, 1, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, NULL);
}

/* ----- tfp_serve ----------------------------------------------------------------------------- */

/* The versions of tfp_serve_options (the policy of util.h: accept 1..current, read and write
 * only the caller's version). A new version appends UTIL_VERSION_END of its last field. */
static UTIL_VERSIONS(serve_options_versions,
                     tfp_serve_options,
                     TFP_SERVE_OPTIONS_VERSION,
                     UTIL_VERSION_END(tfp_serve_options, protocols));
/* The table reaches the last field: a field appended without a new version fails here. */
_Static_assert(sizeof(tfp_serve_options) - UTIL_VERSION_END(tfp_serve_options, protocols) <
                   _Alignof(tfp_serve_options),
               "tfp_serve_options: a field was appended without a new version");

int tfp_serve_options_init(tfp_serve_options *opts, unsigned int version)
{
    return util_version_init(opts, version, NULL, &serve_options_versions) != 0 ? TFP_EINVALID
                                                                                : TFP_OK;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int tfp_serve(tfp_provider *p, int argc, char **argv, const tfp_serve_options *caller_opts)
{
    tfp_serve_options opts_v; /* the caller's version of the options; all zero for NULL */
    const tfp_serve_options *opts = &opts_v;
    srv_state st;
    tfp__srv_tls_identity tls = {0};
    srv_tls_job tls_job;
    pthread_t tls_thread;
    int tls_thread_up = 0;
    grpc_server_credentials *creds = NULL;
    grpc_arg args[3];
    grpc_channel_args chargs;
    char address[256] = "";
    char socket_dir[256] = "";
    char line[4096];
    const char *network, *cookie, *client_cert;
    unsigned int offered = 0;
    int is_unix, hs_fd = -1, i, rc = 1, grpc_up = 0, server_started = 0, cq_drained = 0;
    pid_t parent;

    memset(&st, 0, sizeof(st));
    memset(&tls_job, 0, sizeof(tls_job));
    memset(&opts_v, 0, sizeof(opts_v));
    if (p == NULL || (caller_opts != NULL && util_version_read(&opts_v, sizeof(opts_v), caller_opts,
                                                               &serve_options_versions) != 0)) {
        fprintf(stderr, "tfp_serve: invalid arguments\n");
        return 1;
    }
    if (tfp__srv_wants_version(argc, argv)) {
        printf("%s %s\n", tfp_provider_name(p), tfp_provider_version(p));
        fflush(stdout);
        return 0;
    }
    cookie = getenv(TFP__SRV_MAGIC_COOKIE_KEY);
    if (cookie == NULL || strcmp(cookie, TFP__SRV_MAGIC_COOKIE_VALUE) != 0) {
        fprintf(stderr, "This binary is a plugin. These are not meant to be executed directly.\n"
                        "Please execute the program that consumes these plugins, which will\n"
                        "load any plugins automatically\n");
        return 1;
    }

    /* OpenSSL's atexit clean-up would run while gRPC's threads may still use OpenSSL (a
     * double free under ASan); the process is exiting anyway. Effective only if nothing
     * initialised OpenSSL before us. */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);

    /* Terraform coordinates interrupts through StopProvider; a Ctrl-C must not kill us. */
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = srv_on_sigterm;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
    }
    parent = getppid();

    /* Keep the real stdout for the handshake only; everything else written to fd 1 goes to
     * stderr from now on. */
    fflush(stdout);
    hs_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (hs_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fprintf(stderr, "tfp_serve: cannot set up stdout: %s\n", strerror(errno));
        goto done;
    }

    if (opts->protocols != 0)
        offered = opts->protocols & TFP__SRV_PROTOS_ALL;
    if (getenv("TFP_PROTOCOLS") != NULL && getenv("TFP_PROTOCOLS")[0] != '\0') {
        unsigned int forced = tfp__srv_parse_protocols(getenv("TFP_PROTOCOLS"));
        offered = (offered ? offered : TFP__SRV_PROTOS_ALL) & forced;
        if (offered == 0) {
            fprintf(stderr, "tfp_serve: TFP_PROTOCOLS leaves no protocol to serve\n");
            goto done;
        }
    }
    st.proto = tfp__srv_choose_protocol(getenv("PLUGIN_PROTOCOL_VERSIONS"), offered);
    st.provider = p;
    atomic_init(&st.shutting_down, 0);
    pthread_mutex_init(&st.mu, NULL);
    pthread_cond_init(&st.cv, NULL);

    network = opts->network != NULL ? opts->network : getenv("TFP_PLUGIN_NETWORK");
    is_unix = !(network != NULL && strcmp(network, "tcp") == 0);

    client_cert = getenv("PLUGIN_CLIENT_CERT");
    if (client_cert != NULL && client_cert[0] == '\0')
        client_cert = NULL;
    if (client_cert != NULL) {
        tls_job.rc = TFP_ERROR;
        tls_thread_up = pthread_create(&tls_thread, NULL, srv_tls_thread, &tls_job) == 0;
        if (!tls_thread_up)
            srv_tls_thread(&tls_job);
    }

    gpr_set_log_function(srv_gpr_log);
    grpc_init();
    grpc_up = 1;
    if (tls_thread_up) {
        pthread_join(tls_thread, NULL);
        tls_thread_up = 0;
    }
    if (client_cert != NULL) {
        tls = tls_job.id;
        memset(&tls_job.id, 0, sizeof(tls_job.id));
        if (tls_job.rc != TFP_OK) {
            fprintf(stderr, "tfp_serve: cannot generate the TLS certificate\n");
            goto done;
        }
    }
    creds = srv_credentials(&tls, client_cert, 1);
    if (creds == NULL) {
        fprintf(stderr, "tfp_serve: cannot create server credentials\n");
        goto done;
    }
    args[0].type = GRPC_ARG_INTEGER;
    args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
    args[0].value.integer = SRV_MAX_MESSAGE;
    args[1].type = GRPC_ARG_INTEGER;
    args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
    args[1].value.integer = SRV_MAX_MESSAGE;
    /* Bounded work per connection: Terraform runs at most 10 RPCs at once (plus the short
     * stdio/broker streams); each call gets a thread. */
    args[2].type = GRPC_ARG_INTEGER;
    args[2].key = (char *)GRPC_ARG_MAX_CONCURRENT_STREAMS;
    args[2].value.integer = SRV_MAX_STREAMS;
    chargs.num_args = 3;
    chargs.args = args;
    st.server = grpc_server_create(&chargs, NULL);
    st.cq = grpc_completion_queue_create_for_next(NULL);
    grpc_server_register_completion_queue(st.server, st.cq, NULL);
    for (i = 0;; i++) {
        if ((is_unix ? srv_listen_unix(st.server, creds, address, sizeof(address), socket_dir,
                                       sizeof(socket_dir))
                     : srv_listen_tcp(st.server, creds, address, sizeof(address))) == 0)
            break;
        if (i > 0 || tls.key_ref == NULL) {
            fprintf(stderr, "tfp_serve: cannot listen on a %s address\n", is_unix ? "unix" : "tcp");
            goto done;
        }
        /* A gRPC without OpenSSL ENGINE support takes the key reference for a bad PEM: give
         * it the PEM after all. */
        grpc_server_credentials_release(creds);
        creds = srv_credentials(&tls, client_cert, 0);
        if (creds == NULL) {
            fprintf(stderr, "tfp_serve: cannot create server credentials\n");
            goto done;
        }
    }
    grpc_server_credentials_release(creds);
    creds = NULL;
    grpc_server_start(st.server);
    server_started = 1;
    for (i = 0; i < SRV_PENDING_REQUESTS; i++) {
        if (srv_request(&st) != 0) {
            fprintf(stderr, "tfp_serve: cannot accept calls\n");
            goto done;
        }
    }

    if (tfp__srv_format_handshake(line, sizeof(line), st.proto, is_unix ? "unix" : "tcp", address,
                                  tls.cert_b64) < 0 ||
        write_all(hs_fd, line, strlen(line)) != 0) {
        fprintf(stderr, "tfp_serve: cannot write the handshake\n");
        goto done;
    }
    tfp__srv_tls_dispose(&tls);
    tfp_log(TFP_LOG_DEBUG, SRV_LOG_MODULE, "serving protocol %d on %s %s%s", st.proto,
            is_unix ? "unix" : "tcp", address, client_cert ? " with mTLS" : "");

    /* The loop: accept calls until the server has shut down. */
    rc = srv_loop(&st, parent);
    cq_drained = 1;

done:
    if (st.server != NULL && server_started && !cq_drained) {
        /* Failed after start: shut down and drain before destroying. */
        srv_begin_shutdown(&st);
        grpc_server_cancel_all_calls(st.server);
        (void)srv_loop(&st, parent);
        cq_drained = 1;
    }
    if (st.server != NULL) {
        struct timespec until;
        int waited_out = 0;

        /* Give in-flight handlers (already stopped by tfp__rpc_stop) a moment to return. */
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 2;
        pthread_mutex_lock(&st.mu);
        while (st.active > 0 && !waited_out)
            waited_out = pthread_cond_timedwait(&st.cv, &st.mu, &until) == ETIMEDOUT;
        pthread_mutex_unlock(&st.mu);
        if (waited_out) {
            /* A handler is stuck in provider code: leave gRPC alone, the process exits. */
            grpc_up = 0;
            st.cq = NULL;
        } else {
            grpc_server_destroy(st.server);
        }
        st.server = NULL;
    }
    if (st.cq != NULL) {
        if (!cq_drained) {
            grpc_completion_queue_shutdown(st.cq);
            while (
                grpc_completion_queue_next(st.cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
                GRPC_QUEUE_SHUTDOWN) {
            }
        }
        grpc_completion_queue_destroy(st.cq);
    }
    if (creds != NULL)
        grpc_server_credentials_release(creds);
    if (address[0] == '/')
        unlink(address);
    if (socket_dir[0] != '\0')
        rmdir(socket_dir);
    /* Blocking: gRPC's threads must be gone before exit(), or they race OpenSSL's clean-up on
     * its per-thread state. gRPC objects released from its own threads may hold the last init
     * reference, so wait (bounded) until it is really down. */
    if (grpc_up) {
        double until = now_ms() + 1000;
        grpc_shutdown_blocking();
        while (grpc_is_initialized() && now_ms() < until)
            usleep(1000);
    }
    tfp__srv_tls_dispose(&tls);
    if (hs_fd >= 0)
        close(hs_fd);
    if (st.provider != NULL) {
        pthread_mutex_destroy(&st.mu);
        pthread_cond_destroy(&st.cv);
    }
    return rc;
}
