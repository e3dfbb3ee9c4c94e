/* vpcep-emulator: command line, HTTP server (libmicrohttpd), fault injection. */
#include "emu.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_QUERY_ARGS 64
#define MAX_QUERY_LEN 4096

typedef struct conn_ctx {
    emu_buf body;
    int too_large;
} conn_ctx;

typedef struct query_list {
    emu_kv kv[MAX_QUERY_ARGS];
    size_t n;
    size_t bytes;
    int overflow;
} query_list;

static void usage(FILE *out)
{
    fputs("usage: vpcep-emulator [options]\n"
          "  --listen HOST:PORT   address to listen on (default 127.0.0.1:0 = any free port)\n"
          "  --seed FILE          seed document (accounts, VPCs, public services); default: "
          "built-in\n"
          "  --print-seed         print the seed in use as JSON and exit\n"
          "  --state FILE         persist services/endpoints/tokens across restarts\n"
          "  --delay-ms N         lifecycle transition delay (default 1000; 0 = next request)\n"
          "  --fault-rate P       inject a fault into a fraction P (0..1) of API requests\n"
          "  --fault-kinds LIST   comma list of 429,500,slow,drop,0022 (default "
          "429,500,slow,drop)\n"
          "  --fail-rate P        fraction of creates that end in status failed (with error[])\n"
          "  --slow-ms N          delay of a 'slow' fault (default 1500)\n"
          "  --fault-seed N       seed of the fault PRNG (default: time based)\n"
          "  --token-ttl-s N      lifetime of IAM tokens (default 3600)\n"
          "  --max-skew-s N       accepted X-Sdk-Date clock skew (default 900)\n"
          "  --max-body N         request body cap in bytes (default 1048576)\n"
          "  --manual-clock       time stands still except through POST /__emulator/clock\n"
          "  --help               this text\n"
          "The base URL (http://HOST:PORT) is printed as the first line of stdout when ready.\n",
          out);
}

static char *read_file(const char *path, size_t cap)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;
    if (!f) {
        return NULL;
    }
    buf = malloc(cap + 1);
    if (buf) {
        len = fread(buf, 1, cap, f);
        if (ferror(f) || !feof(f)) {
            free(buf);
            buf = NULL;
        } else {
            buf[len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

static int parse_kinds(const char *s, unsigned *out)
{
    char buf[256];
    char *save = NULL;
    unsigned k = 0;
    if (strlen(s) >= sizeof(buf)) {
        return EMU_EINVAL;
    }
    memcpy(buf, s, strlen(s) + 1); /* fits: checked above */
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "429") == 0) {
            k |= EMU_FAULT_429;
        } else if (strcmp(t, "500") == 0) {
            k |= EMU_FAULT_500;
        } else if (strcmp(t, "slow") == 0) {
            k |= EMU_FAULT_SLOW;
        } else if (strcmp(t, "drop") == 0) {
            k |= EMU_FAULT_DROP;
        } else if (strcmp(t, "0022") == 0) {
            k |= EMU_FAULT_0022;
        } else {
            return EMU_EINVAL;
        }
    }
    *out = k;
    return k ? EMU_OK : EMU_EINVAL;
}

/* ---- request plumbing -------------------------------------------------------------------------
 */

static const char *conn_header(void *ctx, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ctx, MHD_HEADER_KIND, name);
}

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_list *q = cls;
    size_t klen = strlen(key);
    size_t vlen = value ? strlen(value) : 0;
    if (q->n >= MAX_QUERY_ARGS || q->bytes + klen + vlen > MAX_QUERY_LEN) {
        q->overflow = 1;
        return MHD_NO;
    }
    q->kv[q->n].key = strdup(key);
    q->kv[q->n].value = strdup(value ? value : "");
    if (!q->kv[q->n].key || !q->kv[q->n].value) {
        free(q->kv[q->n].key);
        free(q->kv[q->n].value);
        q->overflow = 1;
        return MHD_NO;
    }
    q->bytes += klen + vlen;
    q->n++;
    return MHD_YES;
}

static int is_loopback(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) {
        return 0;
    }
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
            return 1;
        }
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            return in6->sin6_addr.s6_addr[12] == 127;
        }
    }
    return 0;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, emu_response *resp)
{
    char *text = NULL;
    size_t len = 0;
    if (resp->body && resp->status != 204) {
        text = cJSON_PrintUnformatted(resp->body);
        len = text ? strlen(text) : 0;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, text ? text : (void *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    if (text) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    }
    char rid[37];
    if (emu_uuid(rid) == EMU_OK) {
        MHD_add_response_header(r, "X-Request-Id", rid);
    }
    if (resp->subject_token[0]) {
        MHD_add_response_header(r, "X-Subject-Token", resp->subject_token);
    }
    if (resp->fault != NULL) {
        MHD_add_response_header(r, "X-Emulator-Fault", resp->fault);
    }
    if (resp->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", resp->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned int)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

enum {
    FAULT_NONE,
    FAULT_429,
    FAULT_500,
    FAULT_SLOW,
    FAULT_DROP_BEFORE,
    FAULT_DROP_AFTER,
    FAULT_0022
};

static int pick_fault(emu_server *srv)
{
    if (srv->opt.fault_rate <= 0 || emu_random(srv) >= srv->opt.fault_rate) {
        return FAULT_NONE;
    }
    int kinds[5];
    int n = 0;
    if (srv->opt.fault_kinds & EMU_FAULT_429) {
        kinds[n++] = FAULT_429;
    }
    if (srv->opt.fault_kinds & EMU_FAULT_500) {
        kinds[n++] = FAULT_500;
    }
    if (srv->opt.fault_kinds & EMU_FAULT_SLOW) {
        kinds[n++] = FAULT_SLOW;
    }
    if (srv->opt.fault_kinds & EMU_FAULT_DROP) {
        kinds[n++] = FAULT_DROP_BEFORE;
    }
    if (srv->opt.fault_kinds & EMU_FAULT_0022) {
        kinds[n++] = FAULT_0022;
    }
    if (n == 0) {
        return FAULT_NONE;
    }
    int k = kinds[(int)(emu_random(srv) * n) % n];
    if (k == FAULT_DROP_BEFORE && emu_random(srv) < 0.5) {
        k = FAULT_DROP_AFTER; /* the request is applied, the answer is lost */
    }
    return k;
}

static const char *fault_name(int f)
{
    switch (f) {
    case FAULT_429:
        return " [fault 429]";
    case FAULT_500:
        return " [fault 500]";
    case FAULT_SLOW:
        return " [fault slow]";
    case FAULT_DROP_BEFORE:
        return " [fault drop before]";
    case FAULT_DROP_AFTER:
        return " [fault drop after]";
    case FAULT_0022:
        return " [fault 0022]";
    default:
        return "";
    }
}

/* One log line per request on stderr; control characters of the path are escaped. */
static void log_request(const char *method, const char *url, int status, const char *note)
{
    char shown[200];
    size_t k = 0;
    for (const unsigned char *u = (const unsigned char *)url; *u && k + 5 < sizeof(shown); u++) {
        if (*u >= 0x20 && *u < 0x7f) {
            shown[k++] = (char)*u;
        } else {
            k += (size_t)snprintf(shown + k, sizeof(shown) - k, "\\x%02x", *u);
        }
    }
    shown[k] = '\0';
    fprintf(stderr, "vpcep-emulator: %.16s %s -> %d%s\n", method, shown, status, note);
}

static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *conn,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    emu_server *srv = cls;
    conn_ctx *cc = *con_cls;
    if (!cc) {
        cc = calloc(1, sizeof(*cc));
        if (!cc) {
            return MHD_NO;
        }
        emu_buf_init(&cc->body);
        *con_cls = cc;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!cc->too_large && cc->body.len + *upload_data_size <= srv->opt.max_body) {
            emu_buf_add(&cc->body, upload_data, *upload_data_size);
            if (cc->body.oom) {
                cc->too_large = 1;
            }
        } else {
            cc->too_large = 1;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    enum MHD_Result ret = MHD_NO;
    query_list q;
    memset(&q, 0, sizeof(q));
    emu_response resp;
    memset(&resp, 0, sizeof(resp));
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
    int fault = strncmp(url, "/__emulator", 11) == 0 ? FAULT_NONE : pick_fault(srv);

    if (fault == FAULT_DROP_BEFORE) {
        goto done;
    }
    if (fault == FAULT_429) {
        emu_set_error(&resp, 429, "APIG.0308",
                      "The throttling threshold has been reached: policy user over ratelimit");
        resp.retry_after = 1;
        resp.fault = "429";
    } else if (fault == FAULT_500) {
        emu_set_error(&resp, 500, "EndPoint.0001", "Internal server error (injected).");
        resp.fault = "500";
    } else if (fault == FAULT_0022) {
        emu_set_error(&resp, 400, "EndPoint.0022", "The number of requests exceeded the limit.");
        resp.fault = "0022";
    } else if (q.overflow) {
        emu_set_error(&resp, 400, "EndPoint.0002", "Parameter error: too many query parameters.");
    } else {
        if (fault == FAULT_SLOW) {
            struct timespec ts = {srv->opt.slow_ms / 1000, (srv->opt.slow_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        emu_request req = {
            .method = method,
            .path = url,
            .query = q.kv,
            .nquery = q.n,
            .body = cc->body.p,
            .body_len = cc->body.len,
            .body_too_large = cc->too_large,
            .header = conn_header,
            .header_ctx = conn,
            .loopback = is_loopback(conn),
        };
        emu_handle(srv, &req, &resp);
        if (fault == FAULT_SLOW) {
            resp.fault = "slow";
        }
    }
    if (fault != FAULT_DROP_AFTER) {
        ret = send_response(conn, &resp);
    }
done:
    log_request(method, url,
                fault == FAULT_DROP_BEFORE || fault == FAULT_DROP_AFTER ? 0 : resp.status,
                fault_name(fault));
    cJSON_Delete(resp.body);
    for (size_t i = 0; i < q.n; i++) {
        free(q.kv[i].key);
        free(q.kv[i].value);
    }
    return ret;
}

static void on_completed(void *cls,
                         struct MHD_Connection *conn,
                         void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    conn_ctx *cc = *con_cls;
    if (cc) {
        emu_buf_free(&cc->body);
        free(cc);
        *con_cls = NULL;
    }
}

/* ---- main -------------------------------------------------------------------------------------
 */

static int opt_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) {
        return 0;
    }
    if (argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] == '\0' && *i + 1 < argc) {
        *out = argv[++*i];
        return 1;
    }
    if (argv[*i][n] == '\0') {
        *out = NULL;
        return 1;
    }
    return 0;
}

static int num_opt(const char *name, const char *v, long long min, long long max, long long *out)
{
    if (!v || emu_parse_int(v, min, max, out) != EMU_OK) {
        fprintf(stderr, "vpcep-emulator: %s needs an integer in [%lld, %lld]\n", name, min, max);
        return EMU_EINVAL;
    }
    return EMU_OK;
}

int main(int argc, char **argv)
{
    int rc = 2;
    emu_options opt = {
        .listen = "127.0.0.1:0",
        .delay_ms = 1000,
        .fault_kinds = EMU_FAULT_429 | EMU_FAULT_500 | EMU_FAULT_SLOW | EMU_FAULT_DROP,
        .slow_ms = 1500,
        .token_ttl_s = 3600,
        .max_skew_s = EMU_MAX_SKEW_S_DEFAULT,
        .max_body = EMU_MAX_BODY_DEFAULT,
    };
    int print_seed = 0;
    char *seed_text = NULL;
    cJSON *seed = NULL;
    emu_server srv;
    int srv_ready = 0;
    struct MHD_Daemon *d = NULL;
    struct addrinfo *ai = NULL;
    char err[512] = "";

    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        long long n = 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--print-seed") == 0) {
            print_seed = 1;
        } else if (strcmp(argv[i], "--manual-clock") == 0) {
            emu_clock_manual();
        } else if (opt_value(argc, argv, &i, "--listen", &v)) {
            opt.listen = v;
        } else if (opt_value(argc, argv, &i, "--seed", &v)) {
            opt.seed_file = v;
        } else if (opt_value(argc, argv, &i, "--state", &v)) {
            opt.state_file = v;
        } else if (opt_value(argc, argv, &i, "--delay-ms", &v)) {
            if (num_opt("--delay-ms", v, 0, 86400000LL, &n)) {
                goto done;
            }
            opt.delay_ms = (long)n;
        } else if (opt_value(argc, argv, &i, "--fault-rate", &v)) {
            char *end = NULL;
            double r = v ? strtod(v, &end) : -1;
            if (!v || !end || *end || !(r >= 0.0 && r <= 1.0)) {
                fprintf(stderr, "vpcep-emulator: --fault-rate needs a number in [0, 1]\n");
                goto done;
            }
            opt.fault_rate = r;
        } else if (opt_value(argc, argv, &i, "--fail-rate", &v)) {
            char *end = NULL;
            double r = v ? strtod(v, &end) : -1;
            if (!v || !end || *end || !(r >= 0.0 && r <= 1.0)) {
                fprintf(stderr, "vpcep-emulator: --fail-rate needs a number in [0, 1]\n");
                goto done;
            }
            opt.fail_rate = r;
        } else if (opt_value(argc, argv, &i, "--fault-kinds", &v)) {
            if (!v || parse_kinds(v, &opt.fault_kinds) != EMU_OK) {
                fprintf(stderr, "vpcep-emulator: --fault-kinds takes 429,500,slow,drop,0022\n");
                goto done;
            }
        } else if (opt_value(argc, argv, &i, "--slow-ms", &v)) {
            if (num_opt("--slow-ms", v, 0, 600000, &n)) {
                goto done;
            }
            opt.slow_ms = (long)n;
        } else if (opt_value(argc, argv, &i, "--fault-seed", &v)) {
            if (num_opt("--fault-seed", v, 0, 0x7fffffffffffffffLL, &n)) {
                goto done;
            }
            opt.fault_seed = (unsigned long)n;
        } else if (opt_value(argc, argv, &i, "--token-ttl-s", &v)) {
            if (num_opt("--token-ttl-s", v, 1, 864000, &n)) {
                goto done;
            }
            opt.token_ttl_s = (long)n;
        } else if (opt_value(argc, argv, &i, "--max-skew-s", &v)) {
            if (num_opt("--max-skew-s", v, 0, 864000, &n)) {
                goto done;
            }
            opt.max_skew_s = (long)n;
        } else if (opt_value(argc, argv, &i, "--max-body", &v)) {
            if (num_opt("--max-body", v, 1024, 64LL * 1024 * 1024, &n)) {
                goto done;
            }
            opt.max_body = (size_t)n;
        } else {
            fprintf(stderr, "vpcep-emulator: unknown or incomplete option '%s'\n", argv[i]);
            usage(stderr);
            goto done;
        }
        if (!v && strcmp(argv[i], "--print-seed") != 0 && strcmp(argv[i], "--manual-clock") != 0) {
            fprintf(stderr, "vpcep-emulator: option '%s' needs a value\n", argv[i]);
            goto done;
        }
    }

    if (opt.seed_file) {
        seed_text = read_file(opt.seed_file, 16u * 1024u * 1024u);
        if (!seed_text) {
            fprintf(stderr, "vpcep-emulator: cannot read seed file %s\n", opt.seed_file);
            goto done;
        }
    }
    seed = emu_seed_parse(seed_text ? seed_text : emu_builtin_seed(), err, sizeof(err));
    if (!seed) {
        fprintf(stderr, "vpcep-emulator: invalid seed: %s\n", err);
        goto done;
    }
    if (print_seed) {
        char *text = cJSON_Print(seed);
        if (!text) {
            goto done;
        }
        puts(text);
        free(text);
        rc = fflush(stdout) == 0 ? 0 : 1;
        goto done;
    }

    if (emu_server_init(&srv, &opt, seed) != EMU_OK) {
        fprintf(stderr, "vpcep-emulator: out of memory\n");
        goto done;
    }
    seed = NULL; /* owned by srv */
    srv_ready = 1;
    if (opt.state_file && emu_state_load(&srv, err, sizeof(err)) != EMU_OK) {
        fprintf(stderr, "vpcep-emulator: %s\n", err);
        goto done;
    }

    /* --listen HOST:PORT (IPv6 as [addr]:port) */
    char host[80];
    const char *colon = strrchr(opt.listen, ':');
    if (!colon || (size_t)(colon - opt.listen) >= sizeof(host)) {
        fprintf(stderr, "vpcep-emulator: --listen needs HOST:PORT\n");
        goto done;
    }
    memcpy(host, opt.listen, (size_t)(colon - opt.listen));
    host[colon - opt.listen] = '\0';
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host) - 2);
        host[strlen(host) - 2] = '\0';
    }
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    long long port_req = 0;
    if (emu_parse_int(colon + 1, 0, 65535, &port_req) != EMU_OK ||
        getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "vpcep-emulator: cannot resolve listen address %s\n", opt.listen);
        goto done;
    }

    /* Block the stop signals before MHD starts its threads: only sigwait() below sees them. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                         MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (ai->ai_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    d = MHD_start_daemon(flags, (uint16_t)port_req, NULL, NULL, on_request, &srv,
                         MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
                         MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "vpcep-emulator: cannot listen on %s\n", opt.listen);
        goto done;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : (unsigned)port_req;
    char shown[96];
    if (ai->ai_family == AF_INET6) {
        snprintf(shown, sizeof(shown), "[%s]", host);
    } else {
        snprintf(shown, sizeof(shown), "%s", host[0] ? host : "0.0.0.0");
    }
    pthread_mutex_lock(&srv.mu);
    snprintf(srv.base_url, sizeof(srv.base_url), "http://%s:%u", shown, port);
    pthread_mutex_unlock(&srv.mu);
    printf("%s\n", srv.base_url);
    fflush(stdout);
    fprintf(stderr,
            "vpcep-emulator: listening on %s (delay %ld ms, fault rate %.3f, region %s, state "
            "%s)\n",
            srv.base_url, opt.delay_ms, opt.fault_rate, emu_jstr(srv.seed, "region"),
            opt.state_file ? opt.state_file : "memory");

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0) {
    }
    fprintf(stderr, "vpcep-emulator: signal %d, stopping\n", sig);
    rc = 0;
done:
    if (d) {
        MHD_stop_daemon(d);
    }
    if (srv_ready) {
        pthread_mutex_lock(&srv.mu);
        if (opt.state_file && srv.dirty) {
            emu_state_save(&srv);
        }
        pthread_mutex_unlock(&srv.mu);
        emu_server_free(&srv);
    }
    if (ai) {
        freeaddrinfo(ai);
    }
    cJSON_Delete(seed);
    free(seed_text);
    return rc;
}
