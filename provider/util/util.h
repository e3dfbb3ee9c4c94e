/*
 * provider/util/util.h - allocation, bounded buffers, strings and clocks.
 *
 * No third-party headers. Used by core, server and the REST client. Return codes are plain
 * ints whose values match the public ones (0 ok, UTIL_ENOMEM, UTIL_EINVALID, UTIL_ETOOLARGE),
 * so callers can pass them on unchanged.
 */
#ifndef TFPV_UTIL_H
#define TFPV_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#    define UTIL_PRINTF(fmt_idx, args_idx) __attribute__((format(printf, fmt_idx, args_idx)))
#else
#    define UTIL_PRINTF(fmt_idx, args_idx)
#endif

enum util_error {
    UTIL_OK = 0,
    UTIL_ERROR = -1,
    UTIL_ENOMEM = -2,
    UTIL_EINVALID = -3,
    UTIL_ETOOLARGE = -8
};

/* ----- Allocation ---------------------------------------------------------------------------
 * Thin wrappers over the C allocator. Size computations overflow-check (calloc-style). A
 * failure returns NULL with errno ENOMEM, like the C allocator (so code that only sees a NULL
 * from a library that allocates through these, such as a parser, can tell ENOMEM apart).
 * util_free(NULL) is a no-op. */
void *util_malloc(size_t size);
void *util_calloc(size_t n, size_t size);
void *util_realloc(void *ptr, size_t size);
/* realloc for an array of n elements of size bytes, overflow-checked. */
void *util_reallocarray(void *ptr, size_t n, size_t size);
void util_free(void *ptr);
char *util_strdup(const char *s);
/* Copies at most n bytes of s and NUL-terminates. */
char *util_strndup(const char *s, size_t n);
/* Copies exactly n bytes (plus a NUL terminator, so the copy is usable as a string). */
void *util_memdup(const void *p, size_t n);

/* Test-only failure injection: the @p n-th allocation from now (1-based) fails, and every one
 * after it fails too when @p sticky is non-zero. n = 0 disables. Process-wide, atomic. */
void util_alloc_fail_at(long n, int sticky);
/* Number of allocations performed since the process started (for torture loops). */
long util_alloc_count(void);
/* Number of allocations that failed on the calling thread (real, injected or refused by a
 * meter): code that calls helpers which report a failed copy only as a missing value compares
 * it before and after. */
long util_alloc_failures(void);

/* ----- Allocation meter ------------------------------------------------------------------
 * Bounds the memory that one piece of work on one thread may hold (a decoder working on a
 * message from the network): while a meter is active on a thread, every util allocation and
 * free on that thread adjusts its live byte count (the allocator's usable size), and an
 * allocation that would take it past the limit fails (NULL, as out of memory) and sets
 * `exceeded`, so the caller can tell "too large" from a real out-of-memory. Memory that
 * another library allocates for the work can be accounted with util_meter_charge(). Meters
 * nest: an inner meter's bytes count against the outer one too. */
typedef struct util_meter {
    size_t limit; /* bytes */
    size_t used;  /* live bytes counted so far */
    size_t peak;  /* highest `used` */
    int exceeded; /* an allocation or charge was refused */
    struct util_meter *outer;
} util_meter;

/* Starts counting this thread's allocations against @p m (limit @p limit bytes). */
void util_meter_begin(util_meter *m, size_t limit);
/* Stops counting against @p m (the innermost meter); its live bytes stay with the outer one. */
void util_meter_end(util_meter *m);
/* Accounts @p bytes allocated outside util (e.g. by cJSON) to the active meters.
 * @return 0, or UTIL_ETOOLARGE (nothing charged, `exceeded` set). No-op without a meter. */
int util_meter_charge(size_t bytes);
/* Gives back what util_meter_charge() took. */
void util_meter_release(size_t bytes);

/* ----- Bounded growable buffer --------------------------------------------------------------
 * Always NUL-terminated once it holds data. Growing beyond cap is an error (UTIL_ETOOLARGE);
 * after any failure the buffer is released, stays empty and remembers the error, so a sequence
 * of appends can be checked once at the end (curl dynbuf). */
typedef struct util_buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap; /* maximum len */
    int error;  /* first error, sticky */
} util_buf;

#define UTIL_BUF_INIT(cap_)                                                                        \
    {                                                                                              \
        NULL, 0, 0, (cap_), 0                                                                      \
    }

void util_buf_init(util_buf *b, size_t cap);
void util_buf_dispose(util_buf *b);
/* Empties the buffer (keeps memory and cap, clears the error). */
void util_buf_reset(util_buf *b);
int util_buf_append(util_buf *b, const void *data, size_t len);
int util_buf_puts(util_buf *b, const char *s);
int util_buf_putc(util_buf *b, char c);
int util_buf_printf(util_buf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);
int util_buf_vprintf(util_buf *b, const char *fmt, va_list ap) UTIL_PRINTF(2, 0);
/* Appends s percent-encoded: everything but the RFC 3986 unreserved set (and '/' when
 * keep_slash) becomes %XX with uppercase hex. */
int util_buf_append_pct(util_buf *b, const char *s, int keep_slash);
/* The contents ("" when empty), borrowed. */
const char *util_buf_cstr(const util_buf *b);
/* Hands the memory to the caller (util_free); NULL if the buffer failed. Resets the buffer.
 * An empty buffer yields an allocated "". */
char *util_buf_detach(util_buf *b, size_t *len_out);

/* ----- Strings -------------------------------------------------------------------------------- */

/* snprintf that always NUL-terminates; UTIL_ETOOLARGE when truncated, UTIL_EINVALID on
 * a bad format or a zero size. */
int util_snprintf(char *dst, size_t size, const char *fmt, ...) UTIL_PRINTF(3, 4);
int util_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap) UTIL_PRINTF(3, 0);
/* Copies src (NULL counts as "") into dst[size], truncating and always NUL-terminating;
 * UTIL_ETOOLARGE when truncated, UTIL_EINVALID when size is 0. */
int util_strlcpy(char *dst, const char *src, size_t size);
/* A new formatted string (util_free), NULL on failure. */
char *util_asprintf(const char *fmt, ...) UTIL_PRINTF(1, 2);
char *util_vasprintf(const char *fmt, va_list ap) UTIL_PRINTF(1, 0);
/* ASCII case-insensitive comparison (locale independent). NULL sorts first. */
int util_strcasecmp(const char *a, const char *b);
int util_strncasecmp(const char *a, const char *b, size_t n);
int util_str_has_prefix(const char *s, const char *prefix);
/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int util_utf8_valid(const char *s, size_t len);

/* ----- Versioned public structs ---------------------------------------------------------------
 * The one version policy of both libraries (CONTRIBUTING.md, "ABI rules"). A public struct that
 * a caller allocates starts with `unsigned int version`; fields are only appended, each batch
 * with a new version. A caller built against version v has v's layout, so the library accepts
 * 1..current, reads only the bytes version v has (the fields it lacks read as zero) and writes
 * only those. A table of sizes describes the versions: sizes[i] is the size of version i + 1,
 * measured as the end of its last field (UTIL_VERSION_END), never sizeof(), whose tail padding
 * an older, smaller layout may not have. */
typedef struct util_versions {
    const char *name;     /* the struct's name, for messages */
    const size_t *sizes;  /* sizes[i]: bytes of version i + 1; increasing */
    unsigned int current; /* the newest version = the number of entries */
    size_t size;          /* sizeof() of the current layout */
    size_t align;         /* its alignment */
} util_versions;

/* Where field @p field of @p type ends: the size of the version whose last field it is. */
#define UTIL_VERSION_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Defines `const util_versions var` for @p type at version @p current (its *_VERSION macro);
 * the sizes follow, oldest first: UTIL_VERSION_END(type, <last field of that version>). A
 * version bump without its size fails to compile. May be preceded by `static`. */
#define UTIL_VERSIONS(var, type, current, ...)                                                     \
    const util_versions var = {#type, (const size_t[]){__VA_ARGS__}, (current), sizeof(type),      \
                               _Alignof(type)};                                                    \
    _Static_assert(sizeof((const size_t[]){__VA_ARGS__}) / sizeof(size_t) == (current),            \
                   #type ": one size per version")

/* 1 if @p v describes its struct: sizes increase, start past `version`, and the last one
 * reaches the current layout's last field (a field appended without a new version fails). */
int util_versions_complete(const util_versions *v);
/* Bytes of @p version, or 0 when it is not one of 1..current. */
size_t util_version_size(const util_versions *v, unsigned int version);
/* The version a caller's struct declares (its first unsigned int); 0 for NULL. */
unsigned int util_version_of(const void *caller);
/* Reads a caller's struct into @p dst (the library's own, current layout of @p dst_size
 * bytes): copies the bytes of the caller's version, zeroes the rest. @return 0, or
 * UTIL_EINVALID (NULL, or a version outside 1..current; @p dst is then all zero). */
int util_version_read(void *dst, size_t dst_size, const void *caller, const util_versions *v);
/* Writes @p src (a complete current-layout struct) into the caller's struct @p caller: only the
 * bytes of the caller's version, whose `version` field is kept. @return 0, or UTIL_EINVALID
 * (NULL or a version outside 1..current; nothing written). */
int util_version_write(void *caller, const void *src, const util_versions *v);
/* Initialises a caller's struct as version @p version: copies that version's bytes of
 * @p defaults (a current-layout struct; NULL = all zero) and sets `version`. @return 0, or
 * UTIL_EINVALID (NULL or a version outside 1..current; nothing written). */
int util_version_init(void *caller,
                      unsigned int version,
                      const void *defaults,
                      const util_versions *v);

/* ----- Clocks --------------------------------------------------------------------------------- */

/* Monotonic time in milliseconds / nanoseconds since an arbitrary origin. */
uint64_t util_now_ms(void);
uint64_t util_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif
