/*
 * Create markers and the process-wide claims of duplicate-safe creates (README.md, "Creates
 * that cannot adopt a stranger").
 *
 * A marker is the value of the tag VPCEP_CREATE_MARKER_KEY that one create call puts on the
 * object it creates: "<unix time, 8 hex>-<128 random bits, 32 hex>" (41 characters of the
 * API's tag value set). Every marker this process issued is remembered, and so is every object
 * ID a create of this process returned or adopted: a lookup after a lost answer takes over
 * only an object that carries its own call's marker, and never one already claimed.
 * The two sets live as long as the process (a few dozen bytes per create).
 */
#include "internal.h"

#include <openssl/rand.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct str_reg {
    char **v;
    size_t n;
    size_t cap;
} str_reg;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static str_reg own_markers; /* markers issued by this process */
static str_reg claimed;     /* object IDs returned or adopted by this process's creates */

static int reg_has_locked(const str_reg *r, const char *s)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        if (strcmp(r->v[i], s) == 0)
            return 1;
    }
    return 0;
}

static int reg_add_locked(str_reg *r, const char *s)
{
    char *copy;

    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **grown = util_reallocarray(r->v, cap, sizeof(*grown));
        if (grown == NULL)
            return VPCEP_ENOMEM;
        r->v = grown;
        r->cap = cap;
    }
    copy = util_strdup(s);
    if (copy == NULL)
        return VPCEP_ENOMEM;
    r->v[r->n++] = copy;
    return 0;
}

int rest_marker_new(char out[REST_MARKER_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char rnd[16];
    unsigned long long now = (unsigned long long)time(NULL);
    size_t i;
    int rc;

    if (RAND_bytes(rnd, (int)sizeof(rnd)) != 1)
        return VPCEP_ERROR;
    snprintf(out, REST_MARKER_SIZE, "%08llx-", now & 0xffffffffULL);
    for (i = 0; i < sizeof(rnd); i++) {
        out[9 + 2 * i] = hex[rnd[i] >> 4];
        out[10 + 2 * i] = hex[rnd[i] & 15];
    }
    out[9 + 2 * sizeof(rnd)] = '\0';
    pthread_mutex_lock(&reg_lock);
    rc = reg_add_locked(&own_markers, out);
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

int rest_marker_is_own(const char *value)
{
    int own;

    if (value == NULL)
        return 0;
    pthread_mutex_lock(&reg_lock);
    own = reg_has_locked(&own_markers, value);
    pthread_mutex_unlock(&reg_lock);
    return own;
}

long long rest_marker_age_s(const char *value)
{
    unsigned long long t = 0;
    size_t i;

    if (value == NULL || strlen(value) < 9 || value[8] != '-')
        return -1;
    for (i = 0; i < 8; i++) {
        char ch = value[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (d < 0)
            return -1;
        t = t * 16 + (unsigned)d;
    }
    return (long long)((unsigned long long)time(NULL) & 0xffffffffULL) - (long long)t;
}

int rest_claim(const char *id)
{
    int rc = 1;

    if (id == NULL)
        return VPCEP_EINVALID;
    pthread_mutex_lock(&reg_lock);
    if (!reg_has_locked(&claimed, id))
        rc = reg_add_locked(&claimed, id);
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

int rest_is_claimed(const char *id)
{
    int has;

    if (id == NULL)
        return 0;
    pthread_mutex_lock(&reg_lock);
    has = reg_has_locked(&claimed, id);
    pthread_mutex_unlock(&reg_lock);
    return has;
}

const char *rest_tag_value(vpcep_tag *const *tags, size_t n, const char *key)
{
    size_t i;

    for (i = 0; tags != NULL && i < n; i++) {
        if (tags[i] != NULL && tags[i]->key != NULL && strcmp(tags[i]->key, key) == 0)
            return tags[i]->value != NULL ? tags[i]->value : "";
    }
    return NULL;
}
