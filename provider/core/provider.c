/* The provider registry: provider, resource and data-source types. */
#include "core.h"
#include "rpc.h"

#include <tfp/provider.h>

#include <string.h>
#include <time.h>

int tfp_provider_new(tfp_provider **out, const char *name, const char *version)
{
    tfp_provider *p = NULL;
    pthread_condattr_t attr;
    int have_lock = 0;
    int have_attr = 0;
    int error = 0;

    if (out == NULL || name == NULL || name[0] == '\0' || version == NULL) {
        return TFP_EINVALID;
    }
    p = util_calloc(1, sizeof(*p));
    if (p == NULL) {
        return TFP_ENOMEM;
    }
    p->name = util_strdup(name);
    p->version = util_strdup(version);
    if (p->name == NULL || p->version == NULL) {
        error = TFP_ENOMEM;
        goto done;
    }
    error = tfp_schema_new(&p->schema, 0);
    if (error) {
        goto done;
    }
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        error = TFP_ENOMEM;
        goto done;
    }
    have_lock = 1;
    if (pthread_condattr_init(&attr) != 0) {
        error = TFP_ENOMEM;
        goto done;
    }
    have_attr = 1;
    /* sleeping calls wait on the monotonic clock */
    if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&p->stop_cond, &attr) != 0) {
        error = TFP_ENOMEM;
        goto done;
    }
    *out = p;
    p = NULL;
done:
    if (have_attr) {
        pthread_condattr_destroy(&attr);
    }
    if (p != NULL) {
        if (have_lock) {
            pthread_mutex_destroy(&p->lock);
        }
        tfp_schema_free(p->schema);
        util_free(p->name);
        util_free(p->version);
        util_free(p);
    }
    return error;
}

void tfp_provider_free(tfp_provider *p)
{
    size_t i;
    if (p == NULL) {
        return;
    }
    for (i = 0; i < p->nresources; i++) {
        tfp_resource_free(p->resources[i]);
    }
    for (i = 0; i < p->ndata_sources; i++) {
        tfp_resource_free(p->data_sources[i]);
    }
    util_free(p->resources);
    util_free(p->data_sources);
    if (p->provider_data_free != NULL) {
        p->provider_data_free(p->provider_data);
    }
    tfp_schema_free(p->schema);
    pthread_cond_destroy(&p->stop_cond);
    pthread_mutex_destroy(&p->lock);
    util_free(p->name);
    util_free(p->version);
    util_free(p->address);
    util_free(p);
}

int tfp_provider_set_schema(tfp_provider *p, tfp_schema *schema)
{
    if (p == NULL || schema == NULL) {
        tfp_schema_free(schema);
        return TFP_EINVALID;
    }
    tfp_schema_free(p->schema);
    p->schema = schema;
    return 0;
}

int tfp_provider_set_handler(tfp_provider *p, tfp_op op, tfp_handler_fn fn)
{
    if (p == NULL) {
        return TFP_EINVALID;
    }
    if (op == TFP_OP_VALIDATE) {
        p->validate = fn;
    } else if (op == TFP_OP_CONFIGURE) {
        p->configure = fn;
    } else {
        return TFP_EINVALID;
    }
    return 0;
}

void tfp_provider_set_payload(tfp_provider *p, void *payload)
{
    if (p != NULL) {
        p->payload = payload;
    }
}

static int registry_add(tfp_resource ***list, size_t *n, tfp_resource *r)
{
    size_t lo = 0;
    size_t hi = *n;
    tfp_resource **grown;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp((*list)[mid]->type_name, r->type_name);
        if (c == 0) {
            return TFP_EINVALID;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    grown = util_reallocarray(*list, *n + 1, sizeof(*grown));
    if (grown == NULL) {
        return TFP_ENOMEM;
    }
    *list = grown;
    memmove(grown + lo + 1, grown + lo, (*n - lo) * sizeof(*grown));
    grown[lo] = r;
    (*n)++;
    return 0;
}

static int provider_add(tfp_provider *p, tfp_resource *r, int data_source)
{
    int error;
    if (p == NULL || r == NULL || r->registered) {
        if (r != NULL && !r->registered) {
            tfp_resource_free(r);
        }
        return TFP_EINVALID;
    }
    if (data_source) {
        error = registry_add(&p->data_sources, &p->ndata_sources, r);
    } else {
        error = registry_add(&p->resources, &p->nresources, r);
    }
    if (error) {
        tfp_resource_free(r);
        return error;
    }
    r->registered = 1;
    r->is_data_source = data_source;
    return 0;
}

int tfp_provider_add_resource(tfp_provider *p, tfp_resource *r)
{
    return provider_add(p, r, 0);
}

int tfp_provider_add_data_source(tfp_provider *p, tfp_resource *r)
{
    return provider_add(p, r, 1);
}

const char *tfp_provider_name(const tfp_provider *p)
{
    return p != NULL ? p->name : NULL;
}

const char *tfp_provider_version(const tfp_provider *p)
{
    return p != NULL ? p->version : NULL;
}

int tfp_resource_new(tfp_resource **out, const char *type_name, tfp_schema *schema)
{
    tfp_resource *r;
    if (out == NULL || type_name == NULL || type_name[0] == '\0' || schema == NULL) {
        tfp_schema_free(schema);
        return TFP_EINVALID;
    }
    r = util_calloc(1, sizeof(*r));
    if (r == NULL) {
        tfp_schema_free(schema);
        return TFP_ENOMEM;
    }
    r->type_name = util_strdup(type_name);
    if (r->type_name == NULL) {
        util_free(r);
        tfp_schema_free(schema);
        return TFP_ENOMEM;
    }
    r->schema = schema;
    *out = r;
    return 0;
}

void tfp_resource_free(tfp_resource *r)
{
    size_t i;
    if (r == NULL) {
        return;
    }
    for (i = 0; i < r->nmoves; i++) {
        util_free(r->moves[i].provider);
        util_free(r->moves[i].type);
    }
    util_free(r->moves);
    tfp_schema_free(r->schema);
    util_free(r->type_name);
    util_free(r);
}

int tfp_resource_set_handler(tfp_resource *r, tfp_op op, tfp_handler_fn fn)
{
    if (r == NULL || op < TFP_OP_VALIDATE || op > TFP_OP_MOVE || op == TFP_OP_CONFIGURE) {
        return TFP_EINVALID;
    }
    if (r->registered && r->is_data_source && op != TFP_OP_VALIDATE && op != TFP_OP_READ_DATA) {
        return TFP_EINVALID;
    }
    if (r->registered && !r->is_data_source && op == TFP_OP_READ_DATA) {
        return TFP_EINVALID;
    }
    r->handlers[op] = fn;
    return 0;
}

int tfp__provider_address_normalize(char **out, const char *addr)
{
    size_t i;
    size_t n;
    size_t slashes = 0;
    char *norm;
    *out = NULL;
    if (addr == NULL || addr[0] == '\0') {
        return TFP_EINVALID;
    }
    n = strlen(addr);
    for (i = 0; i < n; i++) {
        if (addr[i] == '/') {
            if (i == 0 || i + 1 == n || addr[i + 1] == '/') {
                return TFP_EINVALID; /* empty segment */
            }
            slashes++;
        } else if ((unsigned char)addr[i] <= ' ') {
            return TFP_EINVALID;
        }
    }
    if (slashes != 1 && slashes != 2) {
        return TFP_EINVALID;
    }
    /* "namespace/name" means the public registry, as in required_providers */
    norm = slashes == 1 ? util_asprintf("registry.terraform.io/%s", addr) : util_strdup(addr);
    if (norm == NULL) {
        return TFP_ENOMEM;
    }
    for (i = 0; norm[i] != '\0'; i++) {
        if (norm[i] >= 'A' && norm[i] <= 'Z') {
            norm[i] = (char)(norm[i] - 'A' + 'a');
        }
    }
    *out = norm;
    return 0;
}

int tfp_provider_set_address(tfp_provider *p, const char *address)
{
    char *norm = NULL;
    int error;
    if (p == NULL) {
        return TFP_EINVALID;
    }
    error = tfp__provider_address_normalize(&norm, address);
    if (error != 0) {
        return error;
    }
    util_free(p->address);
    p->address = norm;
    tfp__log_set_provider_addr(norm);
    return 0;
}

int tfp_resource_accept_move(tfp_resource *r, const char *source_provider, const char *source_type)
{
    struct tfp__move_source *grown;
    char *provider = NULL;
    char *type = NULL;
    int error;
    if (r == NULL || source_type == NULL || source_type[0] == '\0' ||
        (r->registered && r->is_data_source)) {
        return TFP_EINVALID;
    }
    error = tfp__provider_address_normalize(&provider, source_provider);
    if (error) {
        return error;
    }
    type = util_strdup(source_type);
    grown = type != NULL ? util_reallocarray(r->moves, r->nmoves + 1, sizeof(*grown)) : NULL;
    if (grown == NULL) {
        util_free(type);
        util_free(provider);
        return TFP_ENOMEM;
    }
    r->moves = grown;
    r->moves[r->nmoves].provider = provider;
    r->moves[r->nmoves].type = type;
    r->nmoves++;
    return 0;
}

void tfp_resource_set_payload(tfp_resource *r, void *payload)
{
    if (r != NULL) {
        r->payload = payload;
    }
}

const char *tfp_resource_type_name(const tfp_resource *r)
{
    return r != NULL ? r->type_name : NULL;
}

const tfp_schema *tfp_resource_schema(const tfp_resource *r)
{
    return r != NULL ? r->schema : NULL;
}

/* ----- iterators for the server ----- */

size_t tfp__rpc_resource_count(const tfp_provider *p)
{
    return p != NULL ? p->nresources : 0;
}

size_t tfp__rpc_data_source_count(const tfp_provider *p)
{
    return p != NULL ? p->ndata_sources : 0;
}

int tfp__rpc_resource_at(const tfp_provider *p,
                         size_t i,
                         const char **name_out,
                         const tfp_schema **schema_out)
{
    if (p == NULL || i >= p->nresources) {
        return -1;
    }
    if (name_out != NULL) {
        *name_out = p->resources[i]->type_name;
    }
    if (schema_out != NULL) {
        *schema_out = p->resources[i]->schema;
    }
    return 0;
}

int tfp__rpc_data_source_at(const tfp_provider *p,
                            size_t i,
                            const char **name_out,
                            const tfp_schema **schema_out)
{
    if (p == NULL || i >= p->ndata_sources) {
        return -1;
    }
    if (name_out != NULL) {
        *name_out = p->data_sources[i]->type_name;
    }
    if (schema_out != NULL) {
        *schema_out = p->data_sources[i]->schema;
    }
    return 0;
}

int tfp__rpc_moves_supported(const tfp_provider *p)
{
    size_t i;
    for (i = 0; p != NULL && i < p->nresources; i++) {
        if (p->resources[i]->nmoves > 0) {
            return 1;
        }
    }
    return 0;
}

const tfp_schema *tfp__rpc_provider_schema(const tfp_provider *p)
{
    return p != NULL ? p->schema : NULL;
}
