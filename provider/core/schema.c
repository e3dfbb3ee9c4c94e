/* Schemas: blocks of attributes and nested blocks, flag and nesting rules
 * (tfplugin5/6 Schema messages), and the implied value type. */
#include "core.h"

#include <tfp/schema.h>

#include <string.h>

/* Guards the computation of cached implied types (reads use an atomic fast path). */
static pthread_mutex_t type_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void block_dispose(tfp_block *b)
{
    size_t i;
    for (i = 0; i < b->nattrs; i++) {
        util_free(b->attrs[i].name);
        util_free(b->attrs[i].description);
        tfp_type_free(b->attrs[i].type);
    }
    util_free(b->attrs);
    for (i = 0; i < b->nblocks; i++) {
        util_free(b->blocks[i].type_name);
        if (b->blocks[i].block != NULL) {
            block_dispose(b->blocks[i].block);
            util_free(b->blocks[i].block);
        }
    }
    util_free(b->blocks);
    util_free(b->description);
    tfp_type_free(atomic_load(&b->type_cache));
    for (i = 0; i < b->nretired; i++) {
        tfp_type_free(b->retired[i]);
    }
    util_free(b->retired);
}

int tfp_schema_new(tfp_schema **out, int64_t version)
{
    tfp_schema *s;
    if (out == NULL || version < 0) {
        return TFP_EINVALID;
    }
    s = util_calloc(1, sizeof(*s));
    if (s == NULL) {
        return TFP_ENOMEM;
    }
    s->version = version;
    atomic_init(&s->root.type_cache, NULL);
    *out = s;
    return 0;
}

void tfp_schema_free(tfp_schema *s)
{
    if (s == NULL) {
        return;
    }
    block_dispose(&s->root);
    util_free(s);
}

tfp_block *tfp_schema_root(tfp_schema *s)
{
    return s != NULL ? &s->root : NULL;
}

const tfp_block *tfp_schema_root_const(const tfp_schema *s)
{
    return s != NULL ? &s->root : NULL;
}

int64_t tfp_schema_version(const tfp_schema *s)
{
    return s != NULL ? s->version : 0;
}

const tfp_type *tfp_schema_type(const tfp_schema *s)
{
    return s != NULL ? tfp_block_type(&s->root) : NULL;
}

/* ----- validation helpers ----- */

/* Attribute names: HCL identifiers (letter or underscore, then letters, digits, _ and -). */
static int valid_attr_name(const char *s)
{
    size_t i;
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) {
        return 0;
    }
    for (i = 1; s[i] != '\0'; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

/* Block type names: ^[a-z0-9_]+$ (configschema.InternalValidate). */
static int valid_block_name(const char *s)
{
    size_t i;
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return 0;
        }
    }
    return 1;
}

static int name_taken(const tfp_block *b, const char *name)
{
    size_t i;
    for (i = 0; i < b->nattrs; i++) {
        if (strcmp(b->attrs[i].name, name) == 0) {
            return 1;
        }
    }
    for (i = 0; i < b->nblocks; i++) {
        if (strcmp(b->blocks[i].type_name, name) == 0) {
            return 1;
        }
    }
    return 0;
}

static int inside_set(const tfp_block *b)
{
    for (; b != NULL; b = b->parent) {
        if (b->nesting == TFP_NESTING_SET) {
            return 1;
        }
    }
    return 0;
}

/* Moves cached implied types of @p b and its ancestors aside (they may still be borrowed). */
static int block_invalidate(tfp_block *b)
{
    int error = 0;
    pthread_mutex_lock(&type_cache_lock);
    for (; b != NULL; b = b->parent) {
        tfp_type *cached = atomic_load(&b->type_cache);
        tfp_type **retired;
        if (cached == NULL) {
            continue;
        }
        retired = util_reallocarray(b->retired, b->nretired + 1, sizeof(*retired));
        if (retired == NULL) {
            error = TFP_ENOMEM;
            break;
        }
        b->retired = retired;
        b->retired[b->nretired++] = cached;
        atomic_store(&b->type_cache, NULL);
    }
    pthread_mutex_unlock(&type_cache_lock);
    return error;
}

int tfp_block_add_attribute(tfp_block *b,
                            const char *name,
                            const tfp_type *type,
                            unsigned int flags,
                            const char *description)
{
    const unsigned int known = TFP_ATTR_REQUIRED | TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED |
                               TFP_ATTR_SENSITIVE | TFP_ATTR_DEPRECATED;
    unsigned int mode = flags & (TFP_ATTR_REQUIRED | TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED);
    struct tfp__attr a = {NULL, NULL, flags, NULL};
    int error;

    if (b == NULL || type == NULL || !valid_attr_name(name) || (flags & ~known) != 0) {
        return TFP_EINVALID;
    }
    if (mode != TFP_ATTR_REQUIRED && mode != TFP_ATTR_OPTIONAL && mode != TFP_ATTR_COMPUTED &&
        mode != (TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED)) {
        return TFP_EINVALID;
    }
    if (name_taken(b, name) || (inside_set(b) && tfp__type_has_dynamic(type))) {
        return TFP_EINVALID;
    }
    error = block_invalidate(b);
    if (error) {
        return error;
    }
    if (b->nattrs == b->attrs_alloc) {
        size_t nalloc = b->attrs_alloc ? b->attrs_alloc * 2 : 8;
        struct tfp__attr *attrs = util_reallocarray(b->attrs, nalloc, sizeof(*attrs));
        if (attrs == NULL) {
            return TFP_ENOMEM;
        }
        b->attrs = attrs;
        b->attrs_alloc = nalloc;
    }
    a.name = util_strdup(name);
    if (description != NULL) {
        a.description = util_strdup(description);
    }
    if (a.name == NULL || (description != NULL && a.description == NULL)) {
        util_free(a.name);
        util_free(a.description);
        return TFP_ENOMEM;
    }
    a.type = tfp_type_ref(type);
    b->attrs[b->nattrs++] = a;
    return 0;
}

int tfp_block_add_block(tfp_block **child_out,
                        tfp_block *b,
                        const char *type_name,
                        tfp_nesting nesting,
                        int64_t min_items,
                        int64_t max_items)
{
    struct tfp__nested nb = {NULL, nesting, min_items, max_items, NULL};
    int error;

    if (child_out == NULL || b == NULL || !valid_block_name(type_name) || min_items < 0 ||
        max_items < 0 || name_taken(b, type_name)) {
        return TFP_EINVALID;
    }
    switch (nesting) {
    case TFP_NESTING_SINGLE:
        if (min_items != max_items || min_items > 1) {
            return TFP_EINVALID;
        }
        break;
    case TFP_NESTING_GROUP:
    case TFP_NESTING_MAP:
        if (min_items != 0 || max_items != 0) {
            return TFP_EINVALID;
        }
        break;
    case TFP_NESTING_LIST:
    case TFP_NESTING_SET:
        if (max_items != 0 && min_items > max_items) {
            return TFP_EINVALID;
        }
        break;
    default:
        return TFP_EINVALID;
    }
    error = block_invalidate(b);
    if (error) {
        return error;
    }
    if (b->nblocks == b->blocks_alloc) {
        size_t nalloc = b->blocks_alloc ? b->blocks_alloc * 2 : 4;
        struct tfp__nested *blocks = util_reallocarray(b->blocks, nalloc, sizeof(*blocks));
        if (blocks == NULL) {
            return TFP_ENOMEM;
        }
        b->blocks = blocks;
        b->blocks_alloc = nalloc;
    }
    nb.type_name = util_strdup(type_name);
    nb.block = util_calloc(1, sizeof(*nb.block));
    if (nb.type_name == NULL || nb.block == NULL) {
        util_free(nb.type_name);
        util_free(nb.block);
        return TFP_ENOMEM;
    }
    nb.block->parent = b;
    nb.block->nesting = nesting;
    atomic_init(&nb.block->type_cache, NULL);
    b->blocks[b->nblocks++] = nb;
    *child_out = nb.block;
    return 0;
}

int tfp_block_set_description(tfp_block *b, const char *description)
{
    char *copy = NULL;
    if (b == NULL) {
        return TFP_EINVALID;
    }
    if (description != NULL) {
        copy = util_strdup(description);
        if (copy == NULL) {
            return TFP_ENOMEM;
        }
    }
    util_free(b->description);
    b->description = copy;
    return 0;
}

const char *tfp_block_description(const tfp_block *b)
{
    return b != NULL ? b->description : NULL;
}

size_t tfp_block_attribute_count(const tfp_block *b)
{
    return b != NULL ? b->nattrs : 0;
}

int tfp_block_attribute_at(const char **name_out,
                           const tfp_type **type_out,
                           unsigned int *flags_out,
                           const char **description_out,
                           const tfp_block *b,
                           size_t i)
{
    if (b == NULL || i >= b->nattrs) {
        return TFP_EINVALID;
    }
    if (name_out != NULL) {
        *name_out = b->attrs[i].name;
    }
    if (type_out != NULL) {
        *type_out = b->attrs[i].type;
    }
    if (flags_out != NULL) {
        *flags_out = b->attrs[i].flags;
    }
    if (description_out != NULL) {
        *description_out = b->attrs[i].description;
    }
    return 0;
}

size_t tfp_block_block_count(const tfp_block *b)
{
    return b != NULL ? b->nblocks : 0;
}

int tfp_block_block_at(const char **type_name_out,
                       tfp_nesting *nesting_out,
                       int64_t *min_items_out,
                       int64_t *max_items_out,
                       const tfp_block **child_out,
                       const tfp_block *b,
                       size_t i)
{
    if (b == NULL || i >= b->nblocks) {
        return TFP_EINVALID;
    }
    if (type_name_out != NULL) {
        *type_name_out = b->blocks[i].type_name;
    }
    if (nesting_out != NULL) {
        *nesting_out = b->blocks[i].nesting;
    }
    if (min_items_out != NULL) {
        *min_items_out = b->blocks[i].min_items;
    }
    if (max_items_out != NULL) {
        *max_items_out = b->blocks[i].max_items;
    }
    if (child_out != NULL) {
        *child_out = b->blocks[i].block;
    }
    return 0;
}

/* ----- implied types ----- */

static int block_compute_type(tfp_type **out, const tfp_block *b);

/* Implied type of nested block @p nb; new reference in *out. */
static int nested_compute_type(tfp_type **out, const struct tfp__nested *nb)
{
    tfp_type *child = NULL;
    int error = block_compute_type(&child, nb->block);
    if (error) {
        return error;
    }
    switch (nb->nesting) {
    case TFP_NESTING_SINGLE:
    case TFP_NESTING_GROUP:
        *out = child;
        return 0;
    case TFP_NESTING_LIST:
        error = tfp__type_has_dynamic(child) ? (*out = tfp_type_ref(tfp_type_dynamic()), 0)
                                             : tfp_type_list_new(out, child);
        break;
    case TFP_NESTING_SET:
        error = tfp_type_set_new(out, child);
        break;
    case TFP_NESTING_MAP:
        error = tfp__type_has_dynamic(child) ? (*out = tfp_type_ref(tfp_type_dynamic()), 0)
                                             : tfp_type_map_new(out, child);
        break;
    default:
        error = TFP_EINVALID;
    }
    tfp_type_free(child);
    return error;
}

static int block_compute_type(tfp_type **out, const tfp_block *b)
{
    size_t n = b->nattrs + b->nblocks;
    const char **names = util_calloc(n, sizeof(*names));
    tfp_type **types = util_calloc(n, sizeof(*types));
    int error = 0;
    size_t i;

    if (names == NULL || types == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    for (i = 0; i < b->nattrs; i++) {
        names[i] = b->attrs[i].name;
        types[i] = tfp_type_ref(b->attrs[i].type);
    }
    for (i = 0; i < b->nblocks; i++) {
        names[b->nattrs + i] = b->blocks[i].type_name;
        error = nested_compute_type(&types[b->nattrs + i], &b->blocks[i]);
        if (error) {
            goto done;
        }
    }
    error = tfp_type_object_new(out, n, names, (const tfp_type *const *)types);
done:
    if (types != NULL) {
        for (i = 0; i < n; i++) {
            tfp_type_free(types[i]);
        }
    }
    util_free(types);
    util_free(names);
    return error;
}

const tfp_type *tfp_block_type(const tfp_block *b)
{
    tfp_type *t;
    tfp_block *mb = (tfp_block *)(uintptr_t)b;
    if (b == NULL) {
        return NULL;
    }
    t = atomic_load(&mb->type_cache);
    if (t != NULL) {
        return t;
    }
    pthread_mutex_lock(&type_cache_lock);
    t = atomic_load(&mb->type_cache);
    if (t == NULL && block_compute_type(&t, b) == 0) {
        atomic_store(&mb->type_cache, t);
    }
    pthread_mutex_unlock(&type_cache_lock);
    return t;
}
