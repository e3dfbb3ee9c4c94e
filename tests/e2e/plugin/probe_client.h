/*
 * A small go-plugin client in C (gRPC C core), used by the transport test and the benchmark:
 * it launches a plugin the way Terraform does, reads the handshake, dials (plaintext or
 * mTLS) and makes raw unary calls. Independent of the server's code except for reusing its
 * certificate generator for the client's one-time identity.
 */
#ifndef TFP_PROBE_CLIENT_H
#define TFP_PROBE_CLIENT_H

#include "tls.h"

#include <grpc/grpc.h>

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct probe_plugin {
    pid_t pid;
    int out_fd;          /**< the plugin's stdout (read end) */
    double handshake_ms; /**< exec to complete handshake line */
    char line[8192];     /**< the handshake line, without the newline */
    int core;
    int proto;
    char network[16];
    char addr[512];
    char cert_b64[4096];          /**< field 6 (may be empty) */
    tfp__srv_tls_identity client; /**< our identity when launched with mTLS */
} probe_plugin;

/** Milliseconds on the monotonic clock. */
double probe_now_ms(void);

/**
 * Starts @p bin with the environment minus PLUGIN_* / TF_PLUGIN_MAGIC_COOKIE / TFP_*, plus the
 * magic cookie (when @p cookie), PLUGIN_PROTOCOL_VERSIONS=@p versions (when not NULL), a
 * generated client certificate in PLUGIN_CLIENT_CERT (when @p mtls) and @p extra
 * ("K=V" strings, NULL-terminated, may be NULL). Waits up to 10 s for the handshake line and
 * parses it. @return 0, or -1 (the process may still be running: call probe_kill).
 */
int probe_launch(probe_plugin *pp,
                 const char *bin,
                 int cookie,
                 const char *versions,
                 int mtls,
                 const char *const *extra);

/** Waits up to @p timeout_ms for the process to exit. @return its wait status, or -1. */
int probe_wait(probe_plugin *pp, int timeout_ms);
/** SIGKILLs (if still running), reaps, frees. Safe to call twice. */
void probe_kill(probe_plugin *pp);

enum probe_creds { PROBE_AUTO = 0, PROBE_INSECURE = 1, PROBE_TLS_NO_CLIENT_CERT = 2 };

/** Dials the plugin: PROBE_AUTO uses mTLS when the handshake carried a certificate. */
grpc_channel *probe_connect(probe_plugin *pp, enum probe_creds mode);

/**
 * One unary call. @p resp (may be NULL) receives a new buffer (free). @return the gRPC status
 * code, or -1 on a local failure.
 */
int probe_call(grpc_channel *ch,
               const char *method,
               const uint8_t *req,
               size_t req_len,
               uint8_t **resp,
               size_t *resp_len,
               int timeout_ms);

/** VmRSS of @p pid in KiB from /proc, or -1. */
long probe_rss_kib(pid_t pid);

#endif
