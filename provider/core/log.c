/* hclog JSON lines on stderr, the format go-plugin parses (plugin-protocol.md 1.9). */
#include "core.h"

#include <tfp/log.h>

#include <cjson/cJSON.h>

#include <errno.h>
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

void tfp_log(tfp_log_level level, const char *module, const char *fmt, ...)
{
    char msg[8192];
    char stamp[64];
    struct timespec ts;
    struct tm tm;
    va_list ap;
    cJSON *line = NULL;
    char *text = NULL;
    char *withnl = NULL;
    size_t len;

    if (fmt == NULL || !tfp_log_enabled(level)) {
        return;
    }
    va_start(ap, fmt);
    (void)util_vsnprintf(msg, sizeof(msg), fmt, ap); /* truncation is acceptable */
    va_end(ap);
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    (void)util_snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                        tm.tm_sec, ts.tv_nsec / 1000L);
    line = cJSON_CreateObject();
    if (line == NULL || cJSON_AddStringToObject(line, "@level", level_name(level)) == NULL ||
        cJSON_AddStringToObject(line, "@message", msg) == NULL ||
        cJSON_AddStringToObject(line, "@module", module != NULL ? module : "provider") == NULL ||
        cJSON_AddStringToObject(line, "@timestamp", stamp) == NULL) {
        goto done;
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
