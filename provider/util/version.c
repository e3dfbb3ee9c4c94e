/* The version policy of the public structs both libraries share (util.h). */
#include "util.h"

#include <string.h>

int util_versions_complete(const util_versions *v)
{
    unsigned int i;

    if (v == NULL || v->current == 0 || v->sizes[0] <= sizeof(unsigned int))
        return 0;
    for (i = 1; i < v->current; i++) {
        if (v->sizes[i] <= v->sizes[i - 1])
            return 0;
    }
    return v->sizes[v->current - 1] <= v->size && v->size - v->sizes[v->current - 1] < v->align;
}

size_t util_version_size(const util_versions *v, unsigned int version)
{
    if (v == NULL || version == 0 || version > v->current)
        return 0;
    return v->sizes[version - 1];
}

unsigned int util_version_of(const void *caller)
{
    unsigned int version = 0;

    if (caller != NULL)
        memcpy(&version, caller, sizeof(version));
    return version;
}

int util_version_read(void *dst, size_t dst_size, const void *caller, const util_versions *v)
{
    size_t n = util_version_size(v, util_version_of(caller));

    if (dst == NULL)
        return UTIL_EINVALID;
    memset(dst, 0, dst_size);
    if (n == 0 || n > dst_size)
        return UTIL_EINVALID;
    memcpy(dst, caller, n);
    return UTIL_OK;
}

int util_version_write(void *caller, const void *src, const util_versions *v)
{
    size_t n = util_version_size(v, util_version_of(caller));

    if (src == NULL || n == 0)
        return UTIL_EINVALID;
    if (n > sizeof(unsigned int))
        memcpy((unsigned char *)caller + sizeof(unsigned int),
               (const unsigned char *)src + sizeof(unsigned int), n - sizeof(unsigned int));
    return UTIL_OK;
}

int util_version_init(void *caller,
                      unsigned int version,
                      const void *defaults,
                      const util_versions *v)
{
    size_t n = util_version_size(v, version);

    if (caller == NULL || n < sizeof(unsigned int))
        return UTIL_EINVALID;
    if (defaults != NULL)
        memcpy(caller, defaults, n);
    else
        memset(caller, 0, n);
    memcpy(caller, &version, sizeof(version));
    return UTIL_OK;
}
