/*
 * provider/server/dispatch.h - protobuf <-> core mapping of every unary RPC we serve.
 *
 * Pure functions over bytes: a request payload in, a response payload (or a gRPC status) out.
 * No sockets, so the mapping is unit-tested on its own (tests/unit/server/dispatch_test.c).
 */
#ifndef TFP_SERVER_DISPATCH_H
#define TFP_SERVER_DISPATCH_H

#include <tfp/tfp.h>

#include <stddef.h>
#include <stdint.h>

/** What a handler produced: status 0 (GRPC_STATUS_OK) with a payload, or an error status. */
typedef struct tfp__srv_reply {
    int status;    /**< grpc_status_code */
    char *message; /**< status detail (owned, may be NULL) */
    uint8_t *data; /**< packed response (owned); NULL with len 0 = empty message */
    size_t len;
} tfp__srv_reply;

void tfp__srv_reply_dispose(tfp__srv_reply *r);
/** Sets an error status with a static or formatted message. */
void tfp__srv_reply_status(tfp__srv_reply *r, int status, const char *message);

typedef void (*tfp__srv_handler)(tfp_provider *p,
                                 const uint8_t *in,
                                 size_t len,
                                 tfp__srv_reply *out);

/**
 * Releasing the request early. A handler needs the request bytes only until it has unpacked
 * them (protobuf-c copies the fields it keeps); the transport sets a hook around each handler
 * call on the calling thread, and the handler calls tfp__srv_request_unpacked() right after
 * unpacking, so that a large message is not held twice while its values are decoded. Without
 * a hook (tests, tfp__srv_handle) it does nothing. The hook runs at most once.
 */
void tfp__srv_set_release_hook(void (*fn)(void *), void *arg);
void tfp__srv_request_unpacked(void);

/** Kinds of method, for the transport: what to do before calling a handler. */
enum tfp__srv_method_kind {
    TFP__SRV_UNIMPLEMENTED = 0, /**< answer UNIMPLEMENTED without reading the request */
    TFP__SRV_UNARY = 1,         /**< read one message, call the handler, send its reply */
    TFP__SRV_SHUTDOWN = 2,      /**< plugin.GRPCController/Shutdown */
    TFP__SRV_STDIO = 3,         /**< plugin.GRPCStdio/StreamStdio: a server stream held open
                                     until the server shuts down (nothing is written to it:
                                     the plugin's stdout goes to stderr, which Terraform reads) */
    TFP__SRV_BROKER = 4         /**< plugin.GRPCBroker/StartStream: a bidirectional stream held
                                     open; no brokered services exist, so the client's
                                     ConnInfo messages are read and dropped */
};

/**
 * Classifies the full method path (`/tfplugin6.Provider/PlanResourceChange`) for the
 * negotiated protocol major @p proto (5 or 6). Only the negotiated package is served.
 * @p handler_out receives the handler for TFP__SRV_UNARY (may be NULL).
 */
int tfp__srv_lookup(int proto, const char *path, tfp__srv_handler *handler_out);

/** The RPC name of a method path for logs: the part after the last '/' ("" if none). */
const char *tfp__srv_rpc_name(const char *path);

/** Convenience for tests: lookup + call; unknown methods give UNIMPLEMENTED. */
void tfp__srv_handle(tfp_provider *p,
                     int proto,
                     const char *path,
                     const uint8_t *in,
                     size_t len,
                     tfp__srv_reply *out);

/* The per-protocol tables (dispatch5.c, dispatch6.c): method name without the service. */
tfp__srv_handler tfp__srv5_lookup(const char *method);
tfp__srv_handler tfp__srv6_lookup(const char *method);

/* ----- helpers shared by the per-protocol files (dispatch.c) ------------------------------- */

/** A per-call allocation arena for building response messages. */
typedef struct tfp__srv_arena {
    void **blocks;
    size_t n;
    size_t cap;
} tfp__srv_arena;

/** Zeroed memory owned by the arena; NULL on ENOMEM. */
void *tfp__srv_arena_alloc(tfp__srv_arena *a, size_t size);
/** Copy of @p s (NULL gives ""). */
char *tfp__srv_arena_strdup(tfp__srv_arena *a, const char *s);
void tfp__srv_arena_free(tfp__srv_arena *a);

#endif
