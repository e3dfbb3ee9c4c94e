/*
 * provider/resources/validate.c - pure validators of the documented arguments (docs/resources/) and
 * their diagnostic-reporting wrappers. Unknown values are never validated: they are checked
 * again once Terraform knows them (the final plan during apply).
 */
#include "internal.h"

#include <vpcep/vpcep.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *const tfpv_server_types[] = {"VM", "VIP", "LB", NULL};
const char *const tfpv_service_types[] = {"interface", "gateway", NULL};
const char *const tfpv_tcp_proxy_modes[] = {"close", "toa_open", "proxy_open", "open", NULL};
const char *const tfpv_protocols[] = {"TCP", "UDP", NULL};

static int is_name_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static int charset_len_ok(const char *s, size_t min, size_t max)
{
    size_t n = 0;
    if (s == NULL) {
        return 0;
    }
    for (; s[n] != '\0'; n++) {
        if (!is_name_char((unsigned char)s[n]) || n >= max) {
            return 0;
        }
    }
    return n >= min;
}

int tfpv_valid_service_name(const char *s)
{
    return charset_len_ok(s, 1, TFPV_NAME_MAX);
}

int tfpv_valid_tag_key(const char *s)
{
    return charset_len_ok(s, 1, TFPV_TAG_KEY_MAX);
}

int tfpv_valid_tag_value(const char *s)
{
    return charset_len_ok(s, 0, TFPV_TAG_VALUE_MAX);
}

int tfpv_valid_description(const char *s)
{
    size_t chars = 0;
    if (s == NULL) {
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '<' || *p == '>') {
            return 0;
        }
        if ((*p & 0xC0) != 0x80) { /* count code points, not continuation bytes */
            chars++;
        }
    }
    return chars <= TFPV_DESCRIPTION_MAX;
}

/* Parses a decimal octet 0..255 without leading '+' or sign; advances *pp. */
static int parse_octet(const char **pp)
{
    const char *p = *pp;
    int v = 0, digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (digits == 3) {
            return -1;
        }
        if (digits == 1 && v == 0) {
            return -1; /* no leading zeros ("01") */
        }
        v = v * 10 + (*p - '0');
        digits++;
        p++;
    }
    if (digits == 0 || v > 255) {
        return -1;
    }
    *pp = p;
    return v;
}

static int parse_ipv4(const char **pp)
{
    for (int i = 0; i < 4; i++) {
        if (i > 0) {
            if (**pp != '.') {
                return 0;
            }
            (*pp)++;
        }
        if (parse_octet(pp) < 0) {
            return 0;
        }
    }
    return 1;
}

int tfpv_valid_ipv4(const char *s)
{
    if (s == NULL || !parse_ipv4(&s)) {
        return 0;
    }
    return *s == '\0';
}

int tfpv_valid_ipv4_or_cidr(const char *s)
{
    int bits = 0, digits = 0;
    if (s == NULL || !parse_ipv4(&s)) {
        return 0;
    }
    if (*s == '\0') {
        return 1;
    }
    if (*s++ != '/') {
        return 0;
    }
    while (*s >= '0' && *s <= '9') {
        if (digits == 2) {
            return 0;
        }
        bits = bits * 10 + (*s - '0');
        digits++;
        s++;
    }
    return digits > 0 && *s == '\0' && bits <= 32;
}

int tfpv_valid_domain_id(const char *s)
{
    size_t n = 0;
    if (s == NULL) {
        return 0;
    }
    if (strcmp(s, "*") == 0) {
        return 1;
    }
    for (; s[n] != '\0'; n++) {
        if (!isalnum((unsigned char)s[n]) || n >= 64) {
            return 0;
        }
    }
    return n > 0;
}

int tfpv_valid_url(const char *s)
{
    const char *host;
    size_t hostlen;
    if (s == NULL) {
        return 0;
    }
    if (strncasecmp(s, "https://", 8) == 0) {
        host = s + 8;
    } else if (strncasecmp(s, "http://", 7) == 0) {
        host = s + 7;
    } else {
        return 0;
    }
    hostlen = strcspn(host, "/?#");
    if (hostlen == 0) {
        return 0;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\') {
            return 0;
        }
    }
    for (size_t i = 0; i < hostlen; i++) {
        unsigned char c = (unsigned char)host[i];
        if (!(isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_')) {
            return 0;
        }
    }
    return host[0] != ':' && host[0] != '.';
}

int tfpv_enum_index(const char *s, const char *const *allowed)
{
    if (s == NULL) {
        return -1;
    }
    for (int i = 0; allowed[i] != NULL; i++) {
        if (strcasecmp(s, allowed[i]) == 0) {
            return i;
        }
    }
    return -1;
}

int tfpv_parse_duration(const char *s, int64_t *ms_out)
{
    int64_t total = 0;
    int parts = 0;
    const int64_t max_ms = 24LL * 3600 * 1000;
    if (s == NULL || *s == '\0') {
        return TFP_EINVALID;
    }
    while (*s != '\0') {
        int64_t n = 0, unit;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (digits >= 9) {
                return TFP_EINVALID;
            }
            n = n * 10 + (*s - '0');
            digits++;
            s++;
        }
        if (digits == 0) {
            return TFP_EINVALID;
        }
        if (s[0] == 'm' && s[1] == 's') {
            unit = 1;
            s += 2;
        } else if (*s == 's') {
            unit = 1000;
            s++;
        } else if (*s == 'm') {
            unit = 60 * 1000;
            s++;
        } else if (*s == 'h') {
            unit = 3600 * 1000;
            s++;
        } else {
            return TFP_EINVALID;
        }
        total += n * unit;
        if (total > max_ms) {
            return TFP_EINVALID;
        }
        parts++;
    }
    if (parts == 0 || total <= 0) {
        return TFP_EINVALID;
    }
    if (ms_out != NULL) {
        *ms_out = total;
    }
    return 0;
}

/* ----- Reporting wrappers -------------------------------------------------------------- */

/* Why @p s is not 1..@p max (or 0..) characters of the tag set, for a message. */
static void charset_reason(char *buf, size_t cap, const char *s, size_t min, size_t max)
{
    size_t chars = 0;
    const unsigned char *bad = NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p & 0xC0) != 0x80) {
            chars++;
            if (bad == NULL && !is_name_char(*p)) {
                bad = p;
            }
        }
    }
    if (chars < min) {
        snprintf(buf, cap, "it is empty");
    } else if (bad != NULL && *bad == ' ') {
        snprintf(buf, cap, "it contains a space");
    } else if (bad != NULL && (*bad < 0x20 || *bad == 0x7f)) {
        snprintf(buf, cap, "it contains the control character 0x%02x", *bad);
    } else if (bad != NULL) {
        size_t n = 1;
        while (n < 4 && (bad[n] & 0xC0) == 0x80) {
            n++;
        }
        snprintf(buf, cap, "'%.*s' is not allowed", (int)n, (const char *)bad);
    } else if (chars > max) {
        snprintf(buf, cap, "it has %zu characters", chars);
    } else {
        buf[0] = '\0';
    }
}

void tfpv_check_tags(tfp_diags *d, const tfp_value *obj, const char *attr)
{
    const tfp_value *tags = tfpv_get(obj, attr);
    char shown_key[128], shown_val[128], why[64];
    size_t n;
    if (!tfpv_is_set(tags)) {
        return;
    }
    n = tfp_value_length(tags);
    if (n > TFPV_MAX_TAGS) {
        tfp_diags_error(d, attr, "Too many tags",
                        "%zu tags are configured; a resource can carry at most %d.", n,
                        TFPV_MAX_TAGS);
    }
    /* One diagnostic per bad key or value, at tags["key"], quoting it (cut when long). */
    for (size_t i = 0; i < n; i++) {
        const char *key = tfp_value_key_at(tags, i);
        const tfp_value *val = tfp_value_at(tags, i);
        tfpv_quote_cut(shown_key, sizeof shown_key, key, TFPV_SHOWN_MAX);
        if (!tfpv_valid_tag_key(key)) {
            charset_reason(why, sizeof why, key, 1, TFPV_TAG_KEY_MAX);
            tfpv_diag_key(d, attr, key, "Invalid tag key",
                          "The tag key %s is not valid: %s. Tag keys must be 1 to %d characters "
                          "of letters, digits, '-' and '_'.",
                          shown_key, why, TFPV_TAG_KEY_MAX);
        } else if (strcmp(key, VPCEP_CREATE_MARKER_KEY) == 0) {
            tfpv_diag_key(d, attr, key, "Reserved tag key",
                          "The tag key %s is reserved: the provider marks each object it creates "
                          "with it until the create has finished, so that a create whose answer "
                          "was lost finds its own object. Use another key.",
                          shown_key);
        }
        if (tfp_value_is_known(val) && !tfp_value_is_null(val) &&
            !tfpv_valid_tag_value(tfp_value_string(val))) {
            charset_reason(why, sizeof why, tfp_value_string(val), 0, TFPV_TAG_VALUE_MAX);
            tfpv_quote_cut(shown_val, sizeof shown_val, tfp_value_string(val), TFPV_SHOWN_MAX);
            tfpv_diag_key(d, attr, key, "Invalid tag value",
                          "The value %s of tag %s is not valid: %s. Tag values must be 0 to %d "
                          "characters of letters, digits, '-' and '_'.",
                          shown_val, shown_key, why, TFPV_TAG_VALUE_MAX);
        }
    }
}

void tfpv_check_timeouts(tfp_diags *d, const tfp_value *obj)
{
    static const char *const ops[] = {"create", "update", "delete", NULL};
    const tfp_value *t = tfpv_get(obj, "timeouts");
    if (!tfpv_is_set(t)) {
        return;
    }
    for (int i = 0; ops[i] != NULL; i++) {
        const tfp_value *v = tfpv_get(t, ops[i]);
        if (tfpv_is_set(v) && tfpv_parse_duration(tfp_value_string(v), NULL) != 0) {
            tfpv_diag_nested(d, "timeouts", ops[i], "Invalid duration",
                             "\"%s\" is not a duration: use a number followed by a unit, such "
                             "as \"30s\", \"10m\" or \"1h\" (at most 24h).",
                             tfp_value_string(v));
        }
    }
}

void tfpv_check_enum(tfp_diags *d,
                     const tfp_value *obj,
                     const char *attr,
                     const char *const *allowed)
{
    const char *s = tfpv_str(obj, attr);
    char list[128] = "";
    size_t used = 0;
    if (s == NULL || tfpv_enum_index(s, allowed) >= 0) {
        return;
    }
    for (int i = 0; allowed[i] != NULL; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", allowed[i]);
        if (w < 0 || (size_t)w >= sizeof list - used) {
            break;
        }
        used += (size_t)w;
    }
    tfp_diags_error(d, attr, "Invalid value", "\"%s\" is not valid for %s: expected one of %s.", s,
                    attr, list);
}

void tfpv_check_string_set(tfp_diags *d,
                           const tfp_value *obj,
                           const char *attr,
                           int (*valid)(const char *),
                           size_t max_items,
                           const char *what)
{
    const tfp_value *set = tfpv_get(obj, attr);
    size_t n;
    if (!tfpv_is_set(set)) {
        return;
    }
    n = tfp_value_length(set);
    if (max_items > 0 && n > max_items) {
        tfp_diags_error(d, attr, "Too many entries", "%zu entries are configured; at most %zu.", n,
                        max_items);
    }
    for (size_t i = 0; i < n; i++) {
        const tfp_value *e = tfp_value_at(set, i);
        const char *s = tfp_value_string(e);
        if (!tfp_value_is_known(e)) {
            continue;
        }
        if (s == NULL || !valid(s)) {
            tfp_diags_error(d, attr, "Invalid entry", "\"%s\" is not %s.", s ? s : "null", what);
        }
    }
}
