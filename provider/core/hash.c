/* Structural hashes of values, consistent with tfp_value_equal, and set de-duplication in
 * O(n log n) (decoding a set of n elements must not cost n^2 comparisons). */
#include "core.h"

#include <tfp/value.h>

#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return fnv(h, &v, sizeof(v));
}

uint64_t tfp__value_hash(const tfp_value *v)
{
    uint64_t h = mix(FNV_OFFSET, (uint64_t)v->state);
    size_t i;
    if (v->state != TFP__KNOWN) {
        return h;
    }
    h = mix(h, (uint64_t)v->type->kind);
    switch (v->type->kind) {
    case TFP_KIND_STRING:
        return fnv(h, v->str, v->slen);
    case TFP_KIND_BOOL:
        return mix(h, (uint64_t)v->b);
    case TFP_KIND_NUMBER: {
        tfp__decimal d;
        if (tfp__decimal_parse(&d, v->str, v->slen) != 0) {
            return h; /* equal values still collide: correct, only slower */
        }
        h = mix(h, (uint64_t)d.neg);
        h = mix(h, (uint64_t)d.inf);
        h = mix(h, (uint64_t)d.exp);
        h = fnv(h, d.digits, strlen(d.digits));
        tfp__decimal_dispose(&d);
        return h;
    }
    case TFP_KIND_SET: {
        uint64_t sum = 0;
        for (i = 0; i < v->n; i++) {
            sum += tfp__value_hash(v->items[i]);
        }
        return mix(h, sum);
    }
    default:
        h = mix(h, (uint64_t)v->n);
        for (i = 0; i < v->n; i++) {
            if (v->keys != NULL) {
                h = fnv(h, v->keys[i], strlen(v->keys[i]) + 1);
            }
            h = mix(h, tfp__value_hash(v->items[i]));
        }
        return h;
    }
}

struct hashed {
    uint64_t hash;
    size_t index;
};

static int hashed_cmp(const void *a, const void *b)
{
    const struct hashed *x = a;
    const struct hashed *y = b;
    if (x->hash != y->hash) {
        return x->hash < y->hash ? -1 : 1;
    }
    return x->index < y->index ? -1 : (x->index > y->index);
}

int tfp__value_set_dedup(tfp_value *set)
{
    struct hashed *hs = NULL;
    unsigned char *drop = NULL;
    size_t n = set->n;
    size_t i;
    size_t j;
    size_t k;
    int error = 0;

    if (n < 2) {
        return 0;
    }
    hs = util_calloc(n, sizeof(*hs));
    drop = util_calloc(n, 1);
    if (hs == NULL || drop == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    k = 0;
    for (i = 0; i < n; i++) {
        /* values with unknowns inside are never merged */
        if (tfp_value_is_wholly_known(set->items[i])) {
            hs[k].hash = tfp__value_hash(set->items[i]);
            hs[k].index = i;
            k++;
        }
    }
    qsort(hs, k, sizeof(*hs), hashed_cmp);
    for (i = 0; i < k; i = j) {
        size_t a;
        for (j = i + 1; j < k && hs[j].hash == hs[i].hash; j++) {
        }
        /* within a run of equal hashes (sorted by index), keep the first of each value */
        for (a = i; a < j; a++) {
            size_t b;
            if (drop[hs[a].index]) {
                continue;
            }
            for (b = a + 1; b < j; b++) {
                if (!drop[hs[b].index] &&
                    tfp_value_equal(set->items[hs[a].index], set->items[hs[b].index])) {
                    drop[hs[b].index] = 1;
                }
            }
        }
    }
    k = 0;
    for (i = 0; i < n; i++) {
        if (drop[i]) {
            tfp_value_free(set->items[i]);
        } else {
            set->items[k++] = set->items[i];
        }
    }
    set->n = k;
done:
    util_free(hs);
    util_free(drop);
    return error;
}
