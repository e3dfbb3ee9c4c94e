/* Attribute paths and diagnostics. */
#include "core.h"

#include <tfp/diag.h>

#include <cjson/cJSON.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tfp_path_new(tfp_path **out)
{
    tfp_path *p;
    if (out == NULL) {
        return TFP_EINVALID;
    }
    p = util_calloc(1, sizeof(*p));
    if (p == NULL) {
        return TFP_ENOMEM;
    }
    *out = p;
    return 0;
}

void tfp_path_free(tfp_path *p)
{
    size_t i;
    if (p == NULL) {
        return;
    }
    for (i = 0; i < p->alloc; i++) {
        util_free(p->steps[i].buf);
    }
    util_free(p->steps);
    util_free(p);
}

/* Smallest name buffer of a slot: most attribute names fit, so a slot is sized once. */
#define PATH_NAME_MIN 24

static int path_push(tfp_path *p, int kind, const char *name, int64_t index)
{
    struct tfp_path_step *slot;
    if (p == NULL || ((kind != TFP_STEP_KEY_INT) && name == NULL)) {
        return TFP_EINVALID;
    }
    if (p->n == p->alloc) {
        size_t nalloc = p->alloc ? p->alloc * 2 : 4;
        struct tfp_path_step *steps = util_reallocarray(p->steps, nalloc, sizeof(*steps));
        if (steps == NULL) {
            return TFP_ENOMEM;
        }
        memset(steps + p->alloc, 0, (nalloc - p->alloc) * sizeof(*steps));
        p->steps = steps;
        p->alloc = nalloc;
    }
    slot = &p->steps[p->n];
    slot->name = NULL;
    if (name != NULL) {
        size_t len = strlen(name) + 1;
        if (len > slot->cap) {
            size_t cap = len < PATH_NAME_MIN ? PATH_NAME_MIN : len;
            char *buf = util_malloc(cap);
            if (buf == NULL) {
                return TFP_ENOMEM;
            }
            util_free(slot->buf);
            slot->buf = buf;
            slot->cap = cap;
        }
        memcpy(slot->buf, name, len);
        slot->name = slot->buf;
    }
    slot->kind = kind;
    slot->index = index;
    p->n++;
    return 0;
}

int tfp_path_push_attr(tfp_path *p, const char *name)
{
    if (name == NULL || name[0] == '\0') {
        return TFP_EINVALID;
    }
    return path_push(p, TFP_STEP_ATTR, name, 0);
}

int tfp_path_push_key(tfp_path *p, const char *key)
{
    return path_push(p, TFP_STEP_KEY_STRING, key, 0);
}

int tfp_path_push_index(tfp_path *p, int64_t index)
{
    return path_push(p, TFP_STEP_KEY_INT, NULL, index);
}

void tfp_path_pop(tfp_path *p)
{
    if (p == NULL || p->n == 0) {
        return;
    }
    p->n--;
    p->steps[p->n].name = NULL; /* the slot keeps its buffer for the next push */
}

int tfp_path_new_attr(tfp_path **out, const char *attr)
{
    tfp_path *p = NULL;
    int error;
    if (out == NULL || attr == NULL) {
        return TFP_EINVALID;
    }
    error = tfp_path_new(&p);
    if (error) {
        return error;
    }
    error = tfp_path_push_attr(p, attr);
    if (error) {
        tfp_path_free(p);
        return error;
    }
    *out = p;
    return 0;
}

int tfp_path_copy(tfp_path **out, const tfp_path *p)
{
    tfp_path *c = NULL;
    size_t i;
    int error;
    if (out == NULL || p == NULL) {
        return TFP_EINVALID;
    }
    error = tfp_path_new(&c);
    for (i = 0; error == 0 && i < p->n; i++) {
        error = path_push(c, p->steps[i].kind, p->steps[i].name, p->steps[i].index);
    }
    if (error) {
        tfp_path_free(c);
        return error;
    }
    *out = c;
    return 0;
}

size_t tfp_path_length(const tfp_path *p)
{
    return p != NULL ? p->n : 0;
}

int tfp_path_step(tfp_path_step_kind *kind_out,
                  const char **name_out,
                  int64_t *index_out,
                  const tfp_path *p,
                  size_t i)
{
    if (p == NULL || i >= p->n) {
        return TFP_EINVALID;
    }
    if (kind_out != NULL) {
        *kind_out = (tfp_path_step_kind)p->steps[i].kind;
    }
    if (name_out != NULL) {
        *name_out = p->steps[i].name;
    }
    if (index_out != NULL) {
        *index_out = p->steps[i].index;
    }
    return 0;
}

int tfp_path_to_string(char **out, const tfp_path *p)
{
    util_buf b = UTIL_BUF_INIT(1u << 20);
    size_t i;
    if (out == NULL || p == NULL) {
        return TFP_EINVALID;
    }
    for (i = 0; i < p->n; i++) {
        const struct tfp_path_step *s = &p->steps[i];
        if (s->kind == TFP_STEP_ATTR) {
            if (i > 0) {
                util_buf_putc(&b, '.');
            }
            util_buf_puts(&b, s->name);
        } else if (s->kind == TFP_STEP_KEY_INT) {
            util_buf_printf(&b, "[%lld]", (long long)s->index);
        } else {
            cJSON *str = cJSON_CreateString(s->name);
            char *text = str ? cJSON_PrintUnformatted(str) : NULL;
            cJSON_Delete(str);
            if (text == NULL) {
                util_buf_dispose(&b);
                return TFP_ENOMEM;
            }
            util_buf_printf(&b, "[%s]", text);
            cJSON_free(text);
        }
    }
    if (b.error) {
        int error = b.error;
        util_buf_dispose(&b);
        return error;
    }
    *out = util_buf_detach(&b, NULL);
    return *out != NULL ? 0 : TFP_ENOMEM;
}

/* ----- diagnostics ----- */

int tfp_diags_new(tfp_diags **out)
{
    tfp_diags *d;
    if (out == NULL) {
        return TFP_EINVALID;
    }
    d = util_calloc(1, sizeof(*d));
    if (d == NULL) {
        return TFP_ENOMEM;
    }
    *out = d;
    return 0;
}

void tfp_diags_free(tfp_diags *d)
{
    size_t i;
    if (d == NULL) {
        return;
    }
    for (i = 0; i < d->n; i++) {
        util_free(d->items[i].summary);
        util_free(d->items[i].detail);
        tfp_path_free(d->items[i].path);
    }
    util_free(d->items);
    util_free(d);
}

/* A copy of @p s, cut to at most TFP__DIAG_TEXT_MAX bytes on a UTF-8 boundary with a note
 * of how much was cut: diagnostics quote values from the configuration, which can be as large
 * as a message, and a quote of megabytes helps nobody. New, or NULL on ENOMEM. */
static char *diag_text(const char *s)
{
    static const char note[] = " [... %zu more bytes]";
    size_t len = strlen(s);
    size_t keep;
    char *out;
    if (len <= TFP__DIAG_TEXT_MAX) {
        return util_strdup(s);
    }
    keep = TFP__DIAG_TEXT_MAX - sizeof(note) - 20;
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80) {
        keep--; /* not inside a UTF-8 sequence */
    }
    out = util_malloc(TFP__DIAG_TEXT_MAX + 1);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, s, keep);
    (void)util_snprintf(out + keep, TFP__DIAG_TEXT_MAX + 1 - keep, note, len - keep);
    return out;
}

int tfp__diags_add_text(tfp_diags *d,
                        tfp_severity severity,
                        const tfp_path *path,
                        const char *summary,
                        const char *detail)
{
    struct tfp_diag item = {severity, NULL, NULL, NULL};
    int error = 0;

    if (d == NULL || summary == NULL ||
        (severity != TFP_SEVERITY_ERROR && severity != TFP_SEVERITY_WARNING)) {
        return TFP_EINVALID;
    }
    if (d->n == d->alloc) {
        size_t nalloc = d->alloc ? d->alloc * 2 : 4;
        struct tfp_diag *items = util_reallocarray(d->items, nalloc, sizeof(*items));
        if (items == NULL) {
            return TFP_ENOMEM;
        }
        d->items = items;
        d->alloc = nalloc;
    }
    item.summary = diag_text(summary);
    if (item.summary == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    if (detail != NULL) {
        item.detail = diag_text(detail);
        if (item.detail == NULL) {
            error = TFP_ENOMEM;
            goto done;
        }
    }
    if (path != NULL) {
        error = tfp_path_copy(&item.path, path);
        if (error) {
            goto done;
        }
    }
    d->items[d->n++] = item;
    if (severity == TFP_SEVERITY_ERROR) {
        d->has_errors = 1;
    }
    return 0;
done:
    util_free(item.summary);
    util_free(item.detail);
    tfp_path_free(item.path);
    return error;
}

static int diags_vadd(tfp_diags *d,
                      tfp_severity severity,
                      const tfp_path *path,
                      const char *summary,
                      const char *detail_fmt,
                      va_list ap) TFP_PRINTF(5, 0);

static int diags_vadd(tfp_diags *d,
                      tfp_severity severity,
                      const tfp_path *path,
                      const char *summary,
                      const char *detail_fmt,
                      va_list ap)
{
    char *detail = NULL;
    int error;
    int n;
    if (d == NULL || summary == NULL) {
        return TFP_EINVALID;
    }
    if (detail_fmt != NULL) {
        /* formatted into a bounded buffer: a quoted value may be as large as a message */
        detail = util_malloc(TFP__DIAG_TEXT_MAX + 1);
        if (detail == NULL) {
            return TFP_ENOMEM;
        }
        n = vsnprintf(detail, TFP__DIAG_TEXT_MAX + 1, detail_fmt, ap);
        if (n < 0) {
            detail[0] = '\0';
        } else if ((size_t)n > TFP__DIAG_TEXT_MAX) {
            /* mark the cut (diag_text only cuts what is longer than the maximum) */
            static const char more[] = " [...]";
            size_t keep = TFP__DIAG_TEXT_MAX - sizeof(more) + 1;
            while (keep > 0 && ((unsigned char)detail[keep] & 0xC0) == 0x80) {
                keep--;
            }
            memcpy(detail + keep, more, sizeof(more));
        }
    }
    error = tfp__diags_add_text(d, severity, path, summary, detail);
    util_free(detail);
    return error;
}

int tfp_diags_add(tfp_diags *d,
                  tfp_severity severity,
                  const tfp_path *path,
                  const char *summary,
                  const char *detail_fmt,
                  ...)
{
    va_list ap;
    int error;
    va_start(ap, detail_fmt);
    error = diags_vadd(d, severity, path, summary, detail_fmt, ap);
    va_end(ap);
    return error;
}

static int diags_vattr(tfp_diags *d,
                       tfp_severity severity,
                       const char *attr,
                       const char *summary,
                       const char *detail_fmt,
                       va_list ap) TFP_PRINTF(5, 0);

static int diags_vattr(tfp_diags *d,
                       tfp_severity severity,
                       const char *attr,
                       const char *summary,
                       const char *detail_fmt,
                       va_list ap)
{
    tfp_path *path = NULL;
    int error;
    if (attr != NULL) {
        error = tfp_path_new_attr(&path, attr);
        if (error) {
            return error;
        }
    }
    error = diags_vadd(d, severity, path, summary, detail_fmt, ap);
    tfp_path_free(path);
    return error;
}

int tfp_diags_error(
    tfp_diags *d, const char *attr, const char *summary, const char *detail_fmt, ...)
{
    va_list ap;
    int error;
    va_start(ap, detail_fmt);
    error = diags_vattr(d, TFP_SEVERITY_ERROR, attr, summary, detail_fmt, ap);
    va_end(ap);
    return error;
}

int tfp_diags_warning(
    tfp_diags *d, const char *attr, const char *summary, const char *detail_fmt, ...)
{
    va_list ap;
    int error;
    va_start(ap, detail_fmt);
    error = diags_vattr(d, TFP_SEVERITY_WARNING, attr, summary, detail_fmt, ap);
    va_end(ap);
    return error;
}

int tfp_diags_has_errors(const tfp_diags *d)
{
    return d != NULL && d->has_errors;
}

size_t tfp_diags_count(const tfp_diags *d)
{
    return d != NULL ? d->n : 0;
}

tfp_severity tfp_diags_severity(const tfp_diags *d, size_t i)
{
    if (d == NULL || i >= d->n) {
        return (tfp_severity)0;
    }
    return d->items[i].severity;
}

const char *tfp_diags_summary(const tfp_diags *d, size_t i)
{
    return (d != NULL && i < d->n) ? d->items[i].summary : NULL;
}

const char *tfp_diags_detail(const tfp_diags *d, size_t i)
{
    return (d != NULL && i < d->n) ? d->items[i].detail : NULL;
}

const tfp_path *tfp_diags_path(const tfp_diags *d, size_t i)
{
    return (d != NULL && i < d->n) ? d->items[i].path : NULL;
}
