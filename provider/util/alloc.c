/* Allocation wrappers with optional test-only failure injection. The only file that calls the
 * C allocator directly. */
#include "util.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

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

/* 1 if this allocation must fail. */
static int alloc_should_fail(void)
{
    long now = atomic_fetch_add(&alloc_counter, 1) + 1;
    long at = atomic_load(&fail_at);
    if (at == 0) {
        return 0;
    }
    if (now == at) {
        return 1;
    }
    return now > at && atomic_load(&fail_sticky);
}

void *util_malloc(size_t size)
{
    if (alloc_should_fail()) {
        return NULL;
    }
    return malloc(size ? size : 1);
}

void *util_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    if (alloc_should_fail()) {
        return NULL;
    }
    if (n == 0 || size == 0) {
        n = 1;
        size = 1;
    }
    return calloc(n, size);
}

void *util_realloc(void *ptr, size_t size)
{
    if (alloc_should_fail()) {
        return NULL;
    }
    return realloc(ptr, size ? size : 1);
}

void *util_reallocarray(void *ptr, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    return util_realloc(ptr, n * size);
}

void util_free(void *ptr)
{
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
        return NULL;
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
