/*
 * grpc_floor_server: the smallest go-plugin server the gRPC C core allows, linked statically
 * against Debian's gRPC and abseil archives. It is the floor under the plugin's start-up: the
 * cost any provider built on the gRPC C core pays before it can print its handshake line.
 *
 * It checks nothing and serves nothing real: it listens on a Unix socket (no TLS), prints the
 * go-plugin handshake line "1|6|unix|PATH|grpc|" on stdout, answers the first call (any method,
 * e.g. GRPCController/Shutdown) with an empty message and status OK, then shuts down and
 * exits. Benchmark code only (tests/bench/plugin_bench launches it beside the plugin).
 */
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int call_tag, shutdown_tag, batch_tag;

/* Writes the handshake line; its own function so that a profiler can stop the count here
 * (valgrind --tool=callgrind --dump-before=floor_handshake). */
__attribute__((noinline)) static int floor_handshake(const char *line)
{
    return write(STDOUT_FILENO, line, strlen(line)) < 0 ? -1 : 0;
}

static int answer(grpc_call *call, grpc_completion_queue *cq)
{
    grpc_byte_buffer *in = NULL, *out;
    grpc_slice empty = grpc_empty_slice();
    grpc_op ops[5];
    grpc_event ev;
    int cancelled = 0;

    out = grpc_raw_byte_buffer_create(&empty, 1);
    memset(ops, 0, sizeof(ops));
    ops[0].op = GRPC_OP_RECV_MESSAGE;
    ops[0].data.recv_message.recv_message = &in;
    ops[1].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[2].op = GRPC_OP_SEND_MESSAGE;
    ops[2].data.send_message.send_message = out;
    ops[3].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[3].data.send_status_from_server.status = GRPC_STATUS_OK;
    ops[4].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[4].data.recv_close_on_server.cancelled = &cancelled;
    if (grpc_call_start_batch(call, ops, 5, &batch_tag, NULL) != GRPC_CALL_OK)
        return -1;
    do
        ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    while (ev.type == GRPC_OP_COMPLETE && ev.tag != &batch_tag);
    grpc_byte_buffer_destroy(out);
    if (in != NULL)
        grpc_byte_buffer_destroy(in);
    return 0;
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[108], uri[128], line[256];
    grpc_server *srv;
    grpc_server_credentials *creds;
    grpc_completion_queue *cq;
    grpc_call *call = NULL;
    grpc_call_details details;
    grpc_metadata_array md;
    grpc_event ev;

    if (getenv("TF_PLUGIN_MAGIC_COOKIE") == NULL)
        return 1;
    snprintf(path, sizeof(path), "%s/grpc-floor.%ld", tmp != NULL && tmp[0] ? tmp : "/tmp",
             (long)getpid());
    snprintf(uri, sizeof(uri), "unix:%s", path);
    grpc_init();
    srv = grpc_server_create(NULL, NULL);
    cq = grpc_completion_queue_create_for_next(NULL);
    grpc_server_register_completion_queue(srv, cq, NULL);
    creds = grpc_insecure_server_credentials_create();
    if (grpc_server_add_http2_port(srv, uri, creds) == 0)
        return 1;
    grpc_server_credentials_release(creds);
    grpc_server_start(srv);
    grpc_call_details_init(&details);
    grpc_metadata_array_init(&md);
    if (grpc_server_request_call(srv, &call, &details, &md, cq, cq, &call_tag) != GRPC_CALL_OK)
        return 1;
    snprintf(line, sizeof(line), "1|6|unix|%s|grpc|\n", path);
    if (floor_handshake(line) != 0)
        return 1;

    ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    if (ev.type == GRPC_OP_COMPLETE && ev.tag == &call_tag && ev.success) {
        answer(call, cq);
        grpc_call_unref(call);
    }
    grpc_server_shutdown_and_notify(srv, cq, &shutdown_tag);
    grpc_server_cancel_all_calls(srv);
    do
        ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    while (ev.type == GRPC_OP_COMPLETE && ev.tag != &shutdown_tag);
    grpc_server_destroy(srv);
    grpc_completion_queue_shutdown(cq);
    while (grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
           GRPC_QUEUE_SHUTDOWN) {
    }
    grpc_completion_queue_destroy(cq);
    grpc_call_details_destroy(&details);
    grpc_metadata_array_destroy(&md);
    unlink(path);
    grpc_shutdown();
    return 0;
}
