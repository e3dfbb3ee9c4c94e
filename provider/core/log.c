/* hclog JSON lines on stderr, the format go-plugin parses (hclog's JSON: @level, @message, @module,
 * @timestamp). */
#include "core.h"

#include <tfp/log.h>

#include <cjson/cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 0 = not read yet, else a tfp_log_level. */
static atomic_int log_level;
static atomic_int log_fd = 2;
/* Lines longer than PIPE_BUF are not written atomically by the kernel: serialise writers. */
static pthread_mutex_t log_write_lock = PTHREAD_MUTEX_INITIALIZER;
/* tf_provider_addr of every line ("" = none), set once at start-up. */
static pthread_mutex_t log_addr_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_addr[256];

/* The RPC the calling thread is serving: every line it writes carries these fields. */
typedef struct log_ctx {
    char rpc[64];
    char req_id[40];
    char type[128];
    int data_source;
    int proto;
} log_ctx;
static _Thread_local log_ctx log_thread_ctx;

static int parse_level(const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    if (util_strcasecmp(s, "trace") == 0 || util_strcasecmp(s, "json") == 0) {
        return TFP_LOG_TRACE;
    }
    if (util_strcasecmp(s, "debug") == 0) {
        return TFP_LOG_DEBUG;
    }
    if (util_strcasecmp(s, "info") == 0) {
        return TFP_LOG_INFO;
    }
    if (util_strcasecmp(s, "warn") == 0) {
        return TFP_LOG_WARN;
    }
    if (util_strcasecmp(s, "error") == 0) {
        return TFP_LOG_ERROR;
    }
    if (util_strcasecmp(s, "off") == 0) {
        return TFP_LOG_OFF;
    }
    /* Terraform treats any other non-empty value as TRACE */
    return TFP_LOG_TRACE;
}

void tfp__log_reload(void)
{
    int level = parse_level(getenv("TF_LOG_PROVIDER"));
    if (level == 0) {
        level = parse_level(getenv("TF_LOG"));
    }
    if (level == 0) {
        level = TFP_LOG_OFF;
    }
    atomic_store(&log_level, level);
}

void tfp__log_set_fd(int fd)
{
    atomic_store(&log_fd, fd >= 0 ? fd : 2);
}

int tfp_log_enabled(tfp_log_level level)
{
    int current = atomic_load(&log_level);
    if (current == 0) {
        tfp__log_reload();
        current = atomic_load(&log_level);
    }
    return level >= TFP_LOG_TRACE && level < TFP_LOG_OFF && (int)level >= current;
}

static const char *level_name(tfp_log_level level)
{
    switch (level) {
    case TFP_LOG_TRACE:
        return "trace";
    case TFP_LOG_DEBUG:
        return "debug";
    case TFP_LOG_INFO:
        return "info";
    case TFP_LOG_WARN:
        return "warn";
    default:
        return "error";
    }
}

static void write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

void tfp__log_set_provider_addr(const char *addr)
{
    pthread_mutex_lock(&log_addr_lock);
    (void)util_snprintf(log_addr, sizeof(log_addr), "%s", addr != NULL ? addr : "");
    pthread_mutex_unlock(&log_addr_lock);
}

/* A random (version 4) UUID, the form terraform-plugin-go gives tf_req_id. */
static void new_req_id(char out[40])
{
    static atomic_ullong counter;
    unsigned char b[16];
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        while (got < sizeof(b)) {
            ssize_t n = read(fd, b + got, sizeof(b) - got);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            got += (size_t)n;
        }
        close(fd);
    }
    if (got < sizeof(b)) {
        /* no /dev/urandom: unique within the process is what the ID is for */
        struct timespec ts;
        unsigned long long x;
        clock_gettime(CLOCK_REALTIME, &ts);
        x = ((unsigned long long)ts.tv_sec << 32) ^ (unsigned long long)ts.tv_nsec ^
            (atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ULL) ^ (unsigned long long)getpid();
        for (size_t i = 0; i < sizeof(b); i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[i] = (unsigned char)x;
        }
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    (void)util_snprintf(
        out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
        b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void tfp__log_rpc_begin(const char *rpc, int proto)
{
    log_ctx *c = &log_thread_ctx;
    memset(c, 0, sizeof(*c));
    (void)util_snprintf(c->rpc, sizeof(c->rpc), "%s", rpc != NULL ? rpc : "");
    c->proto = proto;
    new_req_id(c->req_id);
}

void tfp__log_rpc_type(const char *type_name, int data_source)
{
    log_ctx *c = &log_thread_ctx;
    (void)util_snprintf(c->type, sizeof(c->type), "%s", type_name != NULL ? type_name : "");
    c->data_source = data_source;
}

void tfp__log_rpc_end(void)
{
    memset(&log_thread_ctx, 0, sizeof(log_thread_ctx));
}

const char *tfp__log_req_id(void)
{
    return log_thread_ctx.req_id;
}

/* Keys the library writes itself: a caller's field never replaces one of them. */
static int reserved_key(const char *k)
{
    static const char *const keys[] = {
        "tf_provider_addr",    "tf_rpc",           "tf_req_id", "tf_resource_type",
        "tf_data_source_type", "tf_proto_version", "timestamp"};
    if (k[0] == '@') {
        return 1;
    }
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strcmp(k, keys[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static void log_line(tfp_log_level level,
                     const char *module,
                     const tfp_log_field *fields,
                     size_t n,
                     const char *fmt,
                     va_list ap) UTIL_PRINTF(5, 0);

static void log_line(tfp_log_level level,
                     const char *module,
                     const tfp_log_field *fields,
                     size_t n,
                     const char *fmt,
                     va_list ap)
{
    char msg[8192];
    char stamp[64];
    char addr[sizeof(log_addr)];
    char proto[8];
    const log_ctx *c = &log_thread_ctx;
    struct timespec ts;
    struct tm tm;
    cJSON *line = NULL;
    char *text = NULL;
    char *withnl = NULL;
    size_t len;

    (void)util_vsnprintf(msg, sizeof(msg), fmt, ap); /* truncation is acceptable */
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    (void)util_snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                        tm.tm_sec, ts.tv_nsec / 1000L);
    pthread_mutex_lock(&log_addr_lock);
    memcpy(addr, log_addr, sizeof(addr));
    pthread_mutex_unlock(&log_addr_lock);
    line = cJSON_CreateObject();
    if (line == NULL || cJSON_AddStringToObject(line, "@level", level_name(level)) == NULL ||
        cJSON_AddStringToObject(line, "@message", msg) == NULL ||
        cJSON_AddStringToObject(line, "@module", module != NULL ? module : "provider") == NULL ||
        cJSON_AddStringToObject(line, "@timestamp", stamp) == NULL) {
        goto done;
    }
    if (addr[0] != '\0' && cJSON_AddStringToObject(line, "tf_provider_addr", addr) == NULL) {
        goto done;
    }
    if (c->rpc[0] != '\0') {
        (void)util_snprintf(proto, sizeof(proto), "%d", c->proto);
        if (cJSON_AddStringToObject(line, "tf_rpc", c->rpc) == NULL ||
            cJSON_AddStringToObject(line, "tf_req_id", c->req_id) == NULL ||
            (c->proto > 0 && cJSON_AddStringToObject(line, "tf_proto_version", proto) == NULL)) {
            goto done;
        }
    }
    if (c->type[0] != '\0' &&
        cJSON_AddStringToObject(line, c->data_source ? "tf_data_source_type" : "tf_resource_type",
                                c->type) == NULL) {
        goto done;
    }
    for (size_t i = 0; fields != NULL && i < n; i++) {
        const tfp_log_field *f = &fields[i];
        if (f->key == NULL || f->key[0] == '\0' || reserved_key(f->key) ||
            cJSON_GetObjectItemCaseSensitive(line, f->key) != NULL) {
            continue;
        }
        if ((f->value != NULL ? cJSON_AddStringToObject(line, f->key, f->value)
                              : cJSON_AddNumberToObject(line, f->key, (double)f->number)) == NULL) {
            goto done;
        }
    }
    text = cJSON_PrintUnformatted(line);
    if (text == NULL) {
        goto done;
    }
    len = strlen(text);
    withnl = util_malloc(len + 2);
    if (withnl == NULL) {
        goto done;
    }
    memcpy(withnl, text, len);
    withnl[len] = '\n';
    pthread_mutex_lock(&log_write_lock);
    write_all(atomic_load(&log_fd), withnl, len + 1);
    pthread_mutex_unlock(&log_write_lock);
done:
    util_free(withnl);
    cJSON_free(text);
    cJSON_Delete(line);
}

void tfp_log(tfp_log_level level, const char *module, const char *fmt, ...)
{
    va_list ap;

    if (fmt == NULL || !tfp_log_enabled(level)) {
        return;
    }
    va_start(ap, fmt);
    log_line(level, module, NULL, 0, fmt, ap);
    va_end(ap);
}

void tfp_log_fields(tfp_log_level level,
                    const char *module,
                    const tfp_log_field *fields,
                    size_t n,
                    const char *fmt,
                    ...)
{
    va_list ap;

    if (fmt == NULL || !tfp_log_enabled(level)) {
        return;
    }
    va_start(ap, fmt);
    log_line(level, module, fields, n, fmt, ap);
    va_end(ap);
}
