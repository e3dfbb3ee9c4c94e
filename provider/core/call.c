/* Handler calls: inputs, outputs, cancellation. */
#include "core.h"

#include <tfp/provider.h>

#include <errno.h>
#include <string.h>
#include <time.h>

void tfp__call_init(tfp_call *call, tfp_provider *p, tfp_op op)
{
    memset(call, 0, sizeof(*call));
    call->provider = p;
    call->op = op;
}

void tfp__call_dispose(tfp_call *call)
{
    size_t i;
    tfp_value_free(call->result);
    util_free(call->priv_out);
    for (i = 0; i < call->nreplace; i++) {
        tfp_path_free(call->replace[i]);
    }
    util_free(call->replace);
    call->result = NULL;
    call->priv_out = NULL;
    call->replace = NULL;
    call->nreplace = 0;
}

tfp_op tfp_call_op(const tfp_call *call)
{
    return call != NULL ? call->op : (tfp_op)0;
}

const char *tfp_call_type_name(const tfp_call *call)
{
    return call != NULL ? call->type_name : NULL;
}

const tfp_schema *tfp_call_schema(const tfp_call *call)
{
    return call != NULL ? call->schema : NULL;
}

tfp_diags *tfp_call_diags(tfp_call *call)
{
    return call != NULL ? call->diags : NULL;
}

void *tfp_call_payload(const tfp_call *call)
{
    return call != NULL ? call->payload : NULL;
}

void *tfp_call_provider_data(const tfp_call *call)
{
    void *data;
    if (call == NULL || call->provider == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&call->provider->lock);
    data = call->provider->provider_data;
    pthread_mutex_unlock(&call->provider->lock);
    return data;
}

const tfp_value *tfp_call_config(const tfp_call *call)
{
    return call != NULL ? call->config : NULL;
}

const tfp_value *tfp_call_prior_state(const tfp_call *call)
{
    return call != NULL ? call->prior : NULL;
}

const tfp_value *tfp_call_proposed_state(const tfp_call *call)
{
    return call != NULL ? call->proposed : NULL;
}

const tfp_value *tfp_call_planned_state(const tfp_call *call)
{
    return call != NULL ? call->planned : NULL;
}

int tfp_call_private(const void **out, size_t *len_out, const tfp_call *call)
{
    int ok = out != NULL && call != NULL;
    size_t len = ok ? call->priv_len : 0;

    if (out != NULL) {
        *out = len > 0 ? call->priv : NULL;
    }
    if (len_out != NULL) {
        *len_out = len;
    }
    return ok ? 0 : TFP_EINVALID;
}

const char *tfp_call_import_id(const tfp_call *call)
{
    return call != NULL ? call->import_id : NULL;
}

int64_t tfp_call_state_version(const tfp_call *call)
{
    return call != NULL ? call->state_version : 0;
}

int tfp_call_raw_state(const char **out, size_t *len_out, const tfp_call *call)
{
    int ok = out != NULL && call != NULL;

    if (out != NULL) {
        *out = ok ? call->raw_state : NULL;
    }
    if (len_out != NULL) {
        *len_out = ok ? call->raw_state_len : 0;
    }
    return ok ? 0 : TFP_EINVALID;
}

const char *tfp_call_move_source_provider(const tfp_call *call)
{
    return call != NULL ? call->move_provider : NULL;
}

const char *tfp_call_move_source_type(const tfp_call *call)
{
    return call != NULL ? call->move_type : NULL;
}

const char *tfp_call_terraform_version(const tfp_call *call)
{
    if (call == NULL || call->tf_version == NULL) {
        return "";
    }
    return call->tf_version;
}

int tfp_call_set_result(tfp_call *call, tfp_value *v)
{
    if (call == NULL) {
        tfp_value_free(v);
        return TFP_EINVALID;
    }
    tfp_value_free(call->result);
    call->result = v;
    call->result_set = 1;
    return 0;
}

const tfp_value *tfp_call_result(const tfp_call *call)
{
    return call != NULL ? call->result : NULL;
}

int tfp_call_set_private(tfp_call *call, const void *data, size_t len)
{
    void *copy = NULL;
    if (call == NULL || (data == NULL && len > 0)) {
        return TFP_EINVALID;
    }
    if (len > 0) {
        copy = util_memdup(data, len);
        if (copy == NULL) {
            return TFP_ENOMEM;
        }
    }
    util_free(call->priv_out);
    call->priv_out = copy;
    call->priv_out_len = len;
    call->priv_out_set = 1;
    return 0;
}

int tfp_call_require_replace_path(tfp_call *call, const tfp_path *path)
{
    tfp_path *copy = NULL;
    int error;
    if (call == NULL || path == NULL) {
        return TFP_EINVALID;
    }
    if (call->nreplace == call->replace_alloc) {
        size_t nalloc = call->replace_alloc ? call->replace_alloc * 2 : 4;
        tfp_path **grown = util_reallocarray(call->replace, nalloc, sizeof(*grown));
        if (grown == NULL) {
            return TFP_ENOMEM;
        }
        call->replace = grown;
        call->replace_alloc = nalloc;
    }
    error = tfp_path_copy(&copy, path);
    if (error) {
        return error;
    }
    call->replace[call->nreplace++] = copy;
    return 0;
}

int tfp_call_require_replace(tfp_call *call, const char *attr)
{
    tfp_path *path = NULL;
    int error = tfp_path_new_attr(&path, attr);
    if (error) {
        return error;
    }
    error = tfp_call_require_replace_path(call, path);
    tfp_path_free(path);
    return error;
}

int tfp_call_set_provider_data(tfp_call *call, void *data, void (*free_fn)(void *))
{
    void *old;
    void (*old_free)(void *);
    if (call == NULL || call->op != TFP_OP_CONFIGURE || call->provider == NULL) {
        return TFP_EINVALID;
    }
    pthread_mutex_lock(&call->provider->lock);
    old = call->provider->provider_data;
    old_free = call->provider->provider_data_free;
    call->provider->provider_data = data;
    call->provider->provider_data_free = free_fn;
    pthread_mutex_unlock(&call->provider->lock);
    if (old_free != NULL && old != data) {
        old_free(old);
    }
    return 0;
}

int tfp_call_stopped(const tfp_call *call)
{
    int stopped;
    if (call == NULL || call->provider == NULL) {
        return 0;
    }
    pthread_mutex_lock(&call->provider->lock);
    stopped = call->provider->stopped;
    pthread_mutex_unlock(&call->provider->lock);
    return stopped;
}

int tfp_call_sleep(const tfp_call *call, unsigned int ms)
{
    struct timespec deadline;
    tfp_provider *p;
    int stopped;
    if (call == NULL || call->provider == NULL) {
        return TFP_EINVALID;
    }
    p = call->provider;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(ms / 1000u);
    deadline.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    while (!p->stopped) {
        int rc = pthread_cond_timedwait(&p->stop_cond, &p->lock, &deadline);
        if (rc == ETIMEDOUT) {
            break;
        }
    }
    stopped = p->stopped;
    pthread_mutex_unlock(&p->lock);
    return stopped ? TFP_ECANCELED : 0;
}
