/* Allocation wrappers with optional test-only failure injection and the per-thread allocation
 * meter. The only file that calls the C allocator directly. */
#include "util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#    include <malloc.h>
#endif

static atomic_long alloc_counter;
static atomic_long fail_at; /* counter value at which to fail; 0 = off */
static atomic_int fail_sticky;

void util_alloc_fail_at(long n, int sticky)
{
    atomic_store(&fail_sticky, sticky ? 1 : 0);
    if (n <= 0) {
        atomic_store(&fail_at, 0);
        return;
    }
    atomic_store(&fail_at, atomic_load(&alloc_counter) + n);
}

long util_alloc_count(void)
{
    return atomic_load(&alloc_counter);
}

/* Allocation failures of this thread: real, injected or refused by a meter. */
static _Thread_local long thread_failures;

long util_alloc_failures(void)
{
    return thread_failures;
}

/* Every failure ends here: NULL, errno ENOMEM (as the C allocator leaves it), counted. */
static void *alloc_failed(void)
{
    thread_failures++;
    errno = ENOMEM;
    return NULL;
}

/* p, or the failure when p is NULL. */
static void *alloc_checked(void *p)
{
    return p != NULL ? p : alloc_failed();
}

/* 1 if this allocation must fail. */
static int alloc_should_fail(void)
{
    long now = atomic_fetch_add(&alloc_counter, 1) + 1;
    long at = atomic_load(&fail_at);
    if (at == 0) {
        return 0;
    }
    return now == at || (now > at && atomic_load(&fail_sticky));
}

/* ----- meter ----- */

static _Thread_local util_meter *meter_top;

/* What a block really holds: the allocator's usable size where it tells (glibc), else the
 * requested size (frees then cannot give anything back: a meter errs on the safe side). */
static size_t block_size(void *p, size_t requested)
{
#if defined(__GLIBC__)
    (void)requested;
    return p != NULL ? malloc_usable_size(p) : 0;
#else
    return requested;
#endif
}

static size_t freed_size(void *p)
{
#if defined(__GLIBC__)
    return p != NULL ? malloc_usable_size(p) : 0;
#else
    (void)p;
    return 0;
#endif
}

void util_meter_begin(util_meter *m, size_t limit)
{
    m->limit = limit;
    m->used = 0;
    m->peak = 0;
    m->exceeded = 0;
    m->outer = meter_top;
    meter_top = m;
}

void util_meter_end(util_meter *m)
{
    if (meter_top == m) {
        meter_top = m->outer;
    }
    m->outer = NULL;
}

/* 1 if every active meter has room for @p bytes more (and takes them), else 0 (`exceeded` set
 * on the first meter that has no room). */
static int meter_take(size_t bytes)
{
    util_meter *m;
    for (m = meter_top; m != NULL; m = m->outer) {
        if (bytes > m->limit || m->used > m->limit - bytes) {
            m->exceeded = 1;
            return 0;
        }
    }
    for (m = meter_top; m != NULL; m = m->outer) {
        m->used += bytes;
        if (m->used > m->peak) {
            m->peak = m->used;
        }
    }
    return 1;
}

static void meter_give(size_t bytes)
{
    util_meter *m;
    for (m = meter_top; m != NULL; m = m->outer) {
        m->used = m->used > bytes ? m->used - bytes : 0;
    }
}

int util_meter_charge(size_t bytes)
{
    return meter_take(bytes) ? 0 : UTIL_ETOOLARGE;
}

void util_meter_release(size_t bytes)
{
    meter_give(bytes);
}

/* Counts a new block; releases it and returns NULL when a meter has no room for it. */
static void *metered(void *p, size_t requested)
{
    if (p != NULL && meter_top != NULL && !meter_take(block_size(p, requested))) {
        free(p);
        return alloc_failed();
    }
    return alloc_checked(p);
}

/* ----- allocation ----- */

void *util_malloc(size_t size)
{
    if (alloc_should_fail()) {
        return alloc_failed();
    }
    size = size ? size : 1;
    return metered(malloc(size), size);
}

void *util_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return alloc_failed();
    }
    if (alloc_should_fail()) {
        return alloc_failed();
    }
    if (n == 0 || size == 0) {
        n = 1;
        size = 1;
    }
    return metered(calloc(n, size), n * size);
}

void *util_realloc(void *ptr, size_t size)
{
    size_t before;
    void *p;
    if (alloc_should_fail()) {
        return alloc_failed();
    }
    size = size ? size : 1;
    if (meter_top == NULL) {
        return alloc_checked(realloc(ptr, size));
    }
#if defined(__GLIBC__)
    /* metered: a new block, the old contents moved over, the old block freed, so that a
     * refusal leaves @p ptr intact like a failing realloc */
    before = freed_size(ptr);
    p = metered(malloc(size), size);
    if (p == NULL) {
        return NULL;
    }
    if (ptr != NULL) {
        memcpy(p, ptr, before < size ? before : size);
        meter_give(before);
        free(ptr);
    }
    return p;
#else
    (void)before;
    if (!meter_take(size)) {
        return alloc_failed();
    }
    p = realloc(ptr, size);
    if (p == NULL) {
        meter_give(size);
    }
    return alloc_checked(p);
#endif
}

void *util_reallocarray(void *ptr, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return alloc_failed();
    }
    return util_realloc(ptr, n * size);
}

void util_free(void *ptr)
{
    if (ptr != NULL && meter_top != NULL) {
        meter_give(freed_size(ptr));
    }
    free(ptr);
}

char *util_strdup(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    return util_memdup(s, strlen(s));
}

char *util_strndup(const char *s, size_t n)
{
    if (s == NULL) {
        return NULL;
    }
    return util_memdup(s, strnlen(s, n));
}

void *util_memdup(const void *p, size_t n)
{
    char *out;
    if (n == SIZE_MAX) {
        return alloc_failed();
    }
    out = util_malloc(n + 1);
    if (out == NULL) {
        return NULL;
    }
    if (n > 0) {
        memcpy(out, p, n);
    }
    out[n] = '\0';
    return out;
}
