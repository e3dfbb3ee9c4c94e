/* See probe_client.h. */
#include "probe_client.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PROBE_COOKIE                                                                               \
    "TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

double probe_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int parse_line(probe_plugin *pp)
{
    char *fields[7] = {0};
    char *copy = strdup(pp->line), *s = copy, *bar;
    int n = 0, rc = -1;

    if (copy == NULL)
        return -1;
    while (n < 7) {
        fields[n++] = s;
        bar = strchr(s, '|');
        if (bar == NULL)
            break;
        *bar = '\0';
        s = bar + 1;
    }
    if (n != 6)
        goto done;
    pp->core = atoi(fields[0]);
    pp->proto = atoi(fields[1]);
    snprintf(pp->network, sizeof(pp->network), "%s", fields[2]);
    snprintf(pp->addr, sizeof(pp->addr), "%s", fields[3]);
    if (strcmp(fields[4], "grpc") != 0)
        goto done;
    snprintf(pp->cert_b64, sizeof(pp->cert_b64), "%s", fields[5]);
    rc = 0;
done:
    free(copy);
    return rc;
}

int probe_launch(probe_plugin *pp,
                 const char *bin,
                 int cookie,
                 const char *versions,
                 int mtls,
                 const char *const *extra)
{
    char **env = NULL;
    char *vers = NULL, *cert = NULL;
    size_t n = 0, cap, i;
    int pfd[2] = {-1, -1};
    size_t got = 0;
    double t0;
    int rc = -1;

    memset(pp, 0, sizeof(*pp));
    pp->pid = -1;
    pp->out_fd = -1;
    if (mtls && (tfp__srv_tls_generate(&pp->client) != 0 || tfp__srv_tls_key_pem(&pp->client) != 0))
        return -1;
    for (cap = 0; environ[cap] != NULL; cap++) {
    }
    cap += 8;
    for (i = 0; extra != NULL && extra[i] != NULL; i++)
        cap++;
    env = calloc(cap, sizeof(*env));
    if (env == NULL)
        goto done;
    for (i = 0; environ[i] != NULL; i++) {
        if (strncmp(environ[i], "PLUGIN_", 7) == 0 || strncmp(environ[i], "TFP_", 4) == 0 ||
            strncmp(environ[i], "TF_PLUGIN_MAGIC_COOKIE=", 23) == 0)
            continue;
        env[n++] = environ[i];
    }
    if (cookie)
        env[n++] = (char *)PROBE_COOKIE;
    if (versions != NULL) {
        vers = malloc(strlen(versions) + 32);
        if (vers == NULL)
            goto done;
        sprintf(vers, "PLUGIN_PROTOCOL_VERSIONS=%s", versions);
        env[n++] = vers;
    }
    if (mtls) {
        cert = malloc(strlen(pp->client.cert_pem) + 32);
        if (cert == NULL)
            goto done;
        sprintf(cert, "PLUGIN_CLIENT_CERT=%s", pp->client.cert_pem);
        env[n++] = cert;
    }
    for (i = 0; extra != NULL && extra[i] != NULL; i++)
        env[n++] = (char *)extra[i];
    env[n] = NULL;

    if (pipe2(pfd, O_CLOEXEC) != 0)
        goto done;
    t0 = probe_now_ms();
    pp->pid = fork();
    if (pp->pid < 0)
        goto done;
    if (pp->pid == 0) {
        char *argv[] = {(char *)bin, NULL};
        dup2(pfd[1], STDOUT_FILENO);
        execve(bin, argv, env);
        _exit(127);
    }
    close(pfd[1]);
    pfd[1] = -1;
    pp->out_fd = pfd[0];
    pfd[0] = -1;
    while (got + 1 < sizeof(pp->line)) {
        struct pollfd p = {pp->out_fd, POLLIN, 0};
        int left = 10000 - (int)(probe_now_ms() - t0);
        ssize_t r;
        if (left <= 0 || poll(&p, 1, left) <= 0)
            goto done;
        r = read(pp->out_fd, pp->line + got, 1);
        if (r <= 0)
            goto done;
        if (pp->line[got] == '\n') {
            pp->line[got] = '\0';
            pp->handshake_ms = probe_now_ms() - t0;
            rc = parse_line(pp);
            goto done;
        }
        got++;
    }
done:
    if (pfd[0] >= 0)
        close(pfd[0]);
    if (pfd[1] >= 0)
        close(pfd[1]);
    free(env);
    free(vers);
    free(cert);
    return rc;
}

int probe_wait(probe_plugin *pp, int timeout_ms)
{
    double t0 = probe_now_ms();
    int status;

    if (pp->pid <= 0)
        return -1;
    while (probe_now_ms() - t0 < timeout_ms) {
        pid_t r = waitpid(pp->pid, &status, WNOHANG);
        if (r == pp->pid) {
            pp->pid = -1;
            return status;
        }
        usleep(2000);
    }
    return -1;
}

void probe_kill(probe_plugin *pp)
{
    if (pp->pid > 0) {
        kill(pp->pid, SIGKILL);
        waitpid(pp->pid, NULL, 0);
        pp->pid = -1;
    }
    if (pp->out_fd >= 0) {
        close(pp->out_fd);
        pp->out_fd = -1;
    }
    tfp__srv_tls_dispose(&pp->client);
}

/* The server's certificate as PEM, from the handshake's raw base64 DER. */
static char *server_pem(const char *b64)
{
    size_t len = strlen(b64), padded = (len + 3) / 4 * 4, i;
    unsigned char *in = calloc(1, padded + 1), *der = malloc(padded);
    const unsigned char *p;
    X509 *x = NULL;
    BIO *bio = NULL;
    char *pem = NULL, *data = NULL;
    long n;
    int dlen;

    if (in == NULL || der == NULL)
        goto done;
    memcpy(in, b64, len);
    for (i = len; i < padded; i++)
        in[i] = '=';
    dlen = EVP_DecodeBlock(der, in, (int)padded);
    if (dlen <= 0)
        goto done;
    dlen -= (int)(padded - len); /* EVP_DecodeBlock counts the padding as zero bytes */
    p = der;
    x = d2i_X509(NULL, &p, dlen);
    bio = BIO_new(BIO_s_mem());
    if (x == NULL || bio == NULL || !PEM_write_bio_X509(bio, x))
        goto done;
    n = BIO_get_mem_data(bio, &data);
    pem = calloc(1, (size_t)n + 1);
    if (pem != NULL)
        memcpy(pem, data, (size_t)n);
done:
    BIO_free(bio);
    X509_free(x);
    free(in);
    free(der);
    return pem;
}

grpc_channel *probe_connect(probe_plugin *pp, enum probe_creds mode)
{
    grpc_channel_credentials *creds = NULL;
    grpc_channel *ch = NULL;
    grpc_arg args[2];
    grpc_channel_args ca;
    char target[600];
    char *pem = NULL;

    if (strcmp(pp->network, "unix") == 0)
        snprintf(target, sizeof(target), "unix:%s", pp->addr);
    else
        snprintf(target, sizeof(target), "ipv4:%s", pp->addr);
    args[0].type = GRPC_ARG_STRING;
    args[0].key = (char *)GRPC_SSL_TARGET_NAME_OVERRIDE_ARG;
    args[0].value.string = (char *)"localhost";
    args[1].type = GRPC_ARG_INTEGER;
    args[1].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
    args[1].value.integer = 256 * 1024 * 1024;
    ca.num_args = 2;
    ca.args = args;
    if (mode == PROBE_INSECURE || (mode == PROBE_AUTO && pp->cert_b64[0] == '\0')) {
        creds = grpc_insecure_credentials_create();
    } else {
        grpc_ssl_pem_key_cert_pair pair = {pp->client.key_pem, pp->client.cert_pem};
        pem = server_pem(pp->cert_b64);
        if (pem == NULL)
            goto done;
        creds = grpc_ssl_credentials_create(
            pem, mode == PROBE_AUTO && pp->client.cert_pem ? &pair : NULL, NULL, NULL);
    }
    if (creds != NULL)
        ch = grpc_channel_create(target, creds, &ca);
done:
    if (creds != NULL)
        grpc_channel_credentials_release(creds);
    free(pem);
    return ch;
}

int probe_call(grpc_channel *ch,
               const char *method,
               const uint8_t *req,
               size_t req_len,
               uint8_t **resp,
               size_t *resp_len,
               int timeout_ms)
{
    grpc_completion_queue *cq = grpc_completion_queue_create_for_pluck(NULL);
    grpc_slice mslice = grpc_slice_from_static_string(method);
    grpc_slice payload = grpc_slice_from_copied_buffer((const char *)req, req_len);
    grpc_byte_buffer *send = grpc_raw_byte_buffer_create(&payload, 1);
    grpc_byte_buffer *recv = NULL;
    grpc_metadata_array initial, trailing;
    grpc_status_code status = GRPC_STATUS_UNKNOWN;
    grpc_slice details = grpc_empty_slice();
    gpr_timespec deadline =
        gpr_time_add(gpr_now(GPR_CLOCK_REALTIME), gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
    grpc_call *call;
    grpc_op ops[6];
    grpc_event ev;
    int rc = -1;

    grpc_slice_unref(payload);
    grpc_metadata_array_init(&initial);
    grpc_metadata_array_init(&trailing);
    if (resp != NULL) {
        *resp = NULL;
        *resp_len = 0;
    }
    call = grpc_channel_create_call(ch, NULL, GRPC_PROPAGATE_DEFAULTS, cq, mslice, NULL, deadline,
                                    NULL);
    if (call == NULL)
        goto done;
    memset(ops, 0, sizeof(ops));
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    ops[1].data.send_message.send_message = send;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial;
    ops[4].op = GRPC_OP_RECV_MESSAGE;
    ops[4].data.recv_message.recv_message = &recv;
    ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[5].data.recv_status_on_client.trailing_metadata = &trailing;
    ops[5].data.recv_status_on_client.status = &status;
    ops[5].data.recv_status_on_client.status_details = &details;
    if (grpc_call_start_batch(call, ops, 6, call, NULL) != GRPC_CALL_OK) {
        grpc_call_unref(call);
        goto done;
    }
    ev = grpc_completion_queue_pluck(cq, call, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    grpc_call_unref(call);
    if (ev.type != GRPC_OP_COMPLETE)
        goto done;
    rc = (int)status;
    if (recv != NULL && resp != NULL) {
        grpc_byte_buffer_reader rdr;
        if (grpc_byte_buffer_reader_init(&rdr, recv)) {
            grpc_slice s = grpc_byte_buffer_reader_readall(&rdr);
            *resp_len = GRPC_SLICE_LENGTH(s);
            *resp = malloc(*resp_len + 1);
            if (*resp != NULL)
                memcpy(*resp, GRPC_SLICE_START_PTR(s), *resp_len);
            grpc_slice_unref(s);
            grpc_byte_buffer_reader_destroy(&rdr);
        }
    }
done:
    if (recv != NULL)
        grpc_byte_buffer_destroy(recv);
    grpc_byte_buffer_destroy(send);
    grpc_slice_unref(details);
    grpc_metadata_array_destroy(&initial);
    grpc_metadata_array_destroy(&trailing);
    grpc_completion_queue_shutdown(cq);
    (void)grpc_completion_queue_pluck(cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    grpc_completion_queue_destroy(cq);
    return rc;
}

long probe_rss_kib(pid_t pid)
{
    char path[64], line[256];
    FILE *f;
    long kib = -1;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}
