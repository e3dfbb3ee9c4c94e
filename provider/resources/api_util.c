/*
 * provider/resources/api_util.c - helpers between tfp values and the VPCEP client.
 */
#include "api_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The resources hand libvpcep codes on as handler results: that is only sound because both
 * libraries share one code space (vpcep/common.h, tfp/common.h). */
#define SAME_CODE(name) ((int)VPCEP_##name == (int)TFP_##name)
_Static_assert(SAME_CODE(ERROR) && SAME_CODE(ENOMEM) && SAME_CODE(EINVALID) &&
                   SAME_CODE(ENOTFOUND) && SAME_CODE(ECONFLICT) && SAME_CODE(EAUTH) &&
                   SAME_CODE(ETIMEOUT) && SAME_CODE(ETOOLARGE) && SAME_CODE(ECANCELED),
               "libvpcep and libtfp codes of the same name must have the same value");
_Static_assert(VPCEP_EQUOTA <= -100 && VPCEP_ETHROTTLED <= -100 && VPCEP_ETRANSPORT <= -100 &&
                   VPCEP_EAPI <= -100,
               "libvpcep's own codes stay out of libtfp's range (-1..-99)");
#undef SAME_CODE

void tfpv_api_error(
    tfp_diags *d, const char *attr, const char *summary, int rc, const vpcep_error *err)
{
    const char *msg =
        (err != NULL && err->error_msg[0] != '\0') ? err->error_msg : vpcep_strerror(rc);
    const char *code = (err != NULL && err->error_code[0] != '\0') ? err->error_code : NULL;
    int status = err != NULL ? err->http_status : 0;
    const char *req = (err != NULL && err->request_id[0] != '\0') ? err->request_id : NULL;
    char extra[256] = "";
    size_t used = 0;
    int w;

    if (status != 0) {
        w = snprintf(extra + used, sizeof extra - used, " (HTTP %d", status);
        used = (w > 0 && (size_t)w < sizeof extra - used) ? used + (size_t)w : used;
        if (req != NULL) {
            w = snprintf(extra + used, sizeof extra - used, ", request %s", req);
            used = (w > 0 && (size_t)w < sizeof extra - used) ? used + (size_t)w : used;
        }
        if (used + 2 < sizeof extra) {
            extra[used++] = ')';
            extra[used] = '\0';
        }
    }
    if (code != NULL) {
        tfp_diags_error(d, attr, summary, "%s: %s%s", code, msg, extra);
    } else {
        tfp_diags_error(d, attr, summary, "%s%s", msg, extra);
    }
}

int tfpv_set_connections(tfp_value *obj, const vpcep_connection_list *conns)
{
    const tfp_type *lt = tfpv_attr_type(obj, "connections");
    const tfp_type *et = lt != NULL ? tfp_type_element(lt) : NULL;
    tfp_value *list = NULL, *e = NULL;
    int rc;
    if (et == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_new_collection(&list, lt);
    for (size_t i = 0; rc == 0 && conns != NULL && i < conns->count; i++) {
        const vpcep_connection *c = conns->items[i];
        rc = tfp_value_new_object(&e, et);
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "endpoint_id", c->id);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_int64(e, "marker_id", c->marker_id);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "domain_id", c->domain_id);
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(e, "status", c->status);
        }
        if (rc == 0) {
            rc = tfp_value_append(list, e);
        } else {
            tfp_value_free(e);
        }
        e = NULL;
    }
    if (rc == 0) {
        rc = tfp_value_set_attr(obj, "connections", list);
        list = NULL;
    }
    tfp_value_free(list);
    return rc;
}

int tfpv_set_tags_from_api(
    tfp_value *obj, const char *attr, vpcep_tag *const *tags, size_t n, const tfp_value *prior_tags)
{
    const char **keys = NULL, **vals = NULL;
    int rc;
    if (n == 0) {
        if (tfpv_is_set(prior_tags)) {
            return tfpv_set_empty_collection(obj, attr);
        }
        return tfp_value_set_attr_null(obj, attr);
    }
    keys = calloc(n, sizeof *keys);
    vals = calloc(n, sizeof *vals);
    if (keys == NULL || vals == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = tags[i]->key != NULL ? tags[i]->key : "";
        vals[i] = tags[i]->value != NULL ? tags[i]->value : "";
    }
    rc = tfpv_set_string_map(obj, attr, keys, vals, n);
done:
    free(keys);
    free(vals);
    return rc;
}

int tfpv_set_strings_from_api(
    tfp_value *obj, const char *attr, const char *const *items, size_t n, const tfp_value *prior)
{
    if (n == 0 && !tfpv_is_set(prior)) {
        return tfp_value_set_attr_null(obj, attr);
    }
    return tfpv_set_string_collection(obj, attr, items, n);
}

int tfpv_tag_params_from(tfpv_tag_params *out, const tfp_value *tags)
{
    size_t n = tfpv_is_set(tags) ? tfp_value_length(tags) : 0;
    out->items = NULL;
    out->n = 0;
    if (n == 0) {
        return 0;
    }
    out->items = calloc(n, sizeof *out->items);
    if (out->items == NULL) {
        return TFP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const char *v = tfp_value_string(tfp_value_at(tags, i));
        out->items[out->n].key = tfp_value_key_at(tags, i);
        out->items[out->n].value = v != NULL ? v : "";
        out->n++;
    }
    return 0;
}

void tfpv_tag_params_dispose(tfpv_tag_params *p)
{
    if (p != NULL) {
        free(p->items);
        p->items = NULL;
        p->n = 0;
    }
}

int tfpv_apply_tags_diff(vpcep_client *client,
                         tfp_diags *d,
                         vpcep_resource_type type,
                         const char *id,
                         const tfp_value *old_tags,
                         const tfp_value *new_tags)
{
    size_t n_old = tfpv_is_set(old_tags) ? tfp_value_length(old_tags) : 0;
    size_t n_new = tfpv_is_set(new_tags) ? tfp_value_length(new_tags) : 0;
    vpcep_tag_param *del = NULL, *add = NULL;
    size_t n_del = 0, n_add = 0;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = 0;

    del = calloc(n_old + 1, sizeof *del);
    add = calloc(n_new + 1, sizeof *add);
    if (del == NULL || add == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n_old; i++) {
        const char *k = tfp_value_key_at(old_tags, i);
        if (tfp_value_map_get(new_tags, k) == NULL) {
            del[n_del].key = k;
            del[n_del].value = NULL;
            n_del++;
        }
    }
    for (size_t i = 0; i < n_new; i++) {
        const char *k = tfp_value_key_at(new_tags, i);
        const char *v = tfp_value_string(tfp_value_at(new_tags, i));
        const char *ov = tfp_value_string(tfp_value_map_get(old_tags, k));
        if (v == NULL) {
            v = "";
        }
        if (ov == NULL || strcmp(ov, v) != 0) {
            add[n_add].key = k;
            add[n_add].value = v;
            n_add++;
        }
    }
    if (n_del > 0) {
        tfp_log(TFP_LOG_DEBUG, "vpcep", "deleting %zu tag(s) of %s", n_del, id);
        rc = vpcep_tags_action(client, type, id, VPCEP_TAGS_DELETE, del, n_del, &err);
        if (rc != 0) {
            tfpv_api_error(d, "tags", "Cannot delete tags", rc, &err);
            goto done;
        }
    }
    if (n_add > 0) {
        tfp_log(TFP_LOG_DEBUG, "vpcep", "setting %zu tag(s) of %s", n_add, id);
        rc = vpcep_tags_action(client, type, id, VPCEP_TAGS_CREATE, add, n_add, &err);
        if (rc != 0) {
            tfpv_api_error(d, "tags", "Cannot set tags", rc, &err);
            goto done;
        }
    }
done:
    free(del);
    free(add);
    return rc;
}

static void log_wait(const char *what, const char *id, int64_t timeout_ms)
{
    tfp_log(TFP_LOG_DEBUG, "vpcep", "waiting for %s %s (timeout %lld s)", what, id,
            (long long)(timeout_ms / 1000));
}

static void log_wait_done(const char *what, const char *id, int rc, const vpcep_wait_stats *st)
{
    tfp_log(rc == 0 ? TFP_LOG_DEBUG : TFP_LOG_WARN, "vpcep",
            "wait for %s %s: %s after %u poll(s), %u API call(s), %lld ms", what, id,
            rc == 0 ? "done" : vpcep_strerror(rc), st->polls, st->api_calls,
            (long long)st->elapsed_ms);
}

/* The table and the object of each tfpv_wait_kind (the only place a resource picks one). */
enum { ON_SERVICE, ON_ENDPOINT, ON_CONNECTION };
static const struct {
    int (*table)(vpcep_wait_spec *spec, long timeout_ms);
    int on;
} wait_kinds[] = {
    [TFPV_WAIT_SERVICE_AVAILABLE] = {vpcep_wait_spec_service_available, ON_SERVICE},
    [TFPV_WAIT_SERVICE_DELETED] = {vpcep_wait_spec_service_deleted, ON_SERVICE},
    [TFPV_WAIT_ENDPOINT_CREATED] = {vpcep_wait_spec_endpoint_created, ON_ENDPOINT},
    [TFPV_WAIT_ENDPOINT_ACCEPTED] = {vpcep_wait_spec_endpoint_accepted, ON_ENDPOINT},
    [TFPV_WAIT_ENDPOINT_DELETED] = {vpcep_wait_spec_endpoint_deleted, ON_ENDPOINT},
    [TFPV_WAIT_CONNECTION_VISIBLE] = {vpcep_wait_spec_connection_visible, ON_CONNECTION},
    [TFPV_WAIT_CONNECTION_ACCEPTED] = {vpcep_wait_spec_connection_accepted, ON_CONNECTION},
    [TFPV_WAIT_CONNECTION_REJECTED] = {vpcep_wait_spec_connection_rejected, ON_CONNECTION},
};

int tfpv_wait_run(
    tfp_diags *d, vpcep_client *client, const tfpv_wait *w, void *out, vpcep_error *err)
{
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats stats = VPCEP_WAIT_STATS_INIT;
    vpcep_error own = VPCEP_ERROR_INIT;
    int rc;

    if (err == NULL)
        err = &own;
    if (wait_kinds[w->kind].table(&spec, (long)w->timeout_ms) != 0)
        return TFP_ERROR;
    if (w->at_once)
        spec.initial_delay_ms = 0;
    log_wait(w->what, w->id, w->timeout_ms);
    switch (wait_kinds[w->kind].on) {
    case ON_SERVICE:
        rc = vpcep_wait_service(out, &stats, client, w->id, &spec, err);
        break;
    case ON_ENDPOINT:
        rc = vpcep_wait_endpoint(out, &stats, client, w->id, &spec, err);
        break;
    default:
        rc = vpcep_wait_connection(out, &stats, client, w->service_id, w->id, &spec, err);
        break;
    }
    log_wait_done(w->what, w->id, rc, &stats);
    if (rc != 0 && d != NULL)
        tfpv_wait_report(d, w, rc, err);
    return rc;
}

void tfpv_wait_report(tfp_diags *d, const tfpv_wait *w, int rc, const vpcep_error *err)
{
    if (rc == VPCEP_ETIMEOUT && w->timeout_summary != NULL) {
        tfp_diags_error(d, w->attr, w->timeout_summary, "%s %s is still %s after the %s timeout.%s",
                        w->subject, w->id, err->state[0] != '\0' ? err->state : "unknown",
                        w->timeout_name, w->hint != NULL ? w->hint : "");
    } else {
        tfpv_api_error(d, w->attr, w->summary != NULL ? w->summary : "Waiting failed", rc, err);
    }
}

int tfpv_accept_and_wait(tfp_diags *d,
                         vpcep_client *client,
                         const char *service_id,
                         const char *endpoint_id,
                         int64_t timeout_ms,
                         const char *attr)
{
    const tfpv_wait accepted = {
        .kind = TFPV_WAIT_CONNECTION_ACCEPTED,
        .what = "acceptance of endpoint",
        .service_id = service_id,
        .id = endpoint_id,
        .timeout_ms = timeout_ms,
        .attr = attr,
        .summary = "The endpoint connection was not accepted",
    };
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;

    tfp_log(TFP_LOG_DEBUG, "vpcep", "accepting endpoint %s on service %s", endpoint_id, service_id);
    rc = vpcep_connection_action(NULL, client, service_id, VPCEP_CONNECTION_ACCEPT, &endpoint_id, 1,
                                 &err);
    if (rc != 0) {
        tfpv_api_error(d, attr, "Cannot accept the endpoint connection", rc, &err);
        return rc;
    }
    return tfpv_wait_run(d, client, &accepted, NULL, &err);
}

int tfpv_delete_and_wait(tfp_diags *d,
                         vpcep_client *client,
                         int (*del)(vpcep_client *client, const char *id, vpcep_error *err),
                         const char *noun,
                         const char *summary,
                         const tfpv_wait *w)
{
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;

    tfp_log(TFP_LOG_DEBUG, "vpcep", "deleting %s %s", noun, w->id);
    rc = del(client, w->id, &err);
    if (rc == VPCEP_ENOTFOUND) {
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(d, NULL, summary, rc, &err);
        return rc;
    }
    (void)tfpv_wait_run(d, client, w, NULL, &err);
    return 0;
}

void tfpv_create_error(
    tfp_diags *d, const char *summary, const char *type_name, int rc, const vpcep_error *err)
{
    const char *label = err != NULL ? strstr(err->error_msg, VPCEP_CANDIDATES_LABEL) : NULL;
    char blocks[1400] = "";
    char ids[sizeof err->error_msg];
    size_t used = 0, msg_len;
    char *tok;
    int w, n = 0;

    if (label == NULL) {
        tfpv_api_error(d, NULL, summary, rc, err);
        return;
    }
    /* The candidates: one import block each (the address is the one Terraform shows with this
     * diagnostic; the provider is not told it). */
    snprintf(ids, sizeof ids, "%s", label + strlen(VPCEP_CANDIDATES_LABEL));
    for (tok = ids; *tok != '\0';) {
        char *end;
        while (*tok == ' ') {
            tok++;
        }
        if (*tok == '\0') {
            break;
        }
        for (end = tok; *end != '\0' && *end != ' '; end++) {
        }
        w = snprintf(blocks + used, sizeof blocks - used,
                     "\n\nimport {\n  to = %s.<name>\n  id = \"%.*s\"\n}", type_name,
                     (int)(end - tok), tok);
        if (w < 0 || (size_t)w >= sizeof blocks - used) {
            break;
        }
        used += (size_t)w;
        n++;
        tok = end;
    }
    msg_len = (size_t)(label - err->error_msg);
    while (msg_len > 0 && err->error_msg[msg_len - 1] == ' ') {
        msg_len--;
    }
    tfp_diags_error(d, NULL, summary,
                    "%s%s%.*s\n\nTo adopt %s into this resource instead of creating another, add "
                    "%s to the configuration, with the resource address that Terraform names "
                    "with this error in place of %s.<name>, and apply again:%s\n\nOr delete "
                    "what you do not want. See the guide \"Recovering from interrupted applies\".",
                    err->error_code[0] != '\0' ? err->error_code : "",
                    err->error_code[0] != '\0' ? ": " : "", (int)msg_len, err->error_msg,
                    n == 1 ? "it" : "one of them",
                    n == 1 ? "this import block" : "one of these import blocks", type_name, blocks);
}

void tfpv_remove_create_marker(vpcep_client *client,
                               tfp_diags *d,
                               vpcep_resource_type type,
                               const char *id)
{
    vpcep_tag_param t = {VPCEP_CREATE_MARKER_KEY, NULL};
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_tags_action(client, type, id, VPCEP_TAGS_DELETE, &t, 1, &err);

    if (rc != 0) {
        tfp_diags_add(d, TFP_SEVERITY_WARNING, NULL, "The create marker tag stays",
                      "%s %s was created and is in state, but its tag " VPCEP_CREATE_MARKER_KEY
                      " could not be removed (%s). The next plan shows the tag's removal; apply "
                      "it.",
                      type == VPCEP_RESOURCE_SERVICE ? "Service" : "Endpoint", id,
                      err.error_msg[0] != '\0' ? err.error_msg : vpcep_strerror(rc));
    }
}

int tfpv_tagged_ids(vpcep_tagged_resource_list **out,
                    vpcep_client *client,
                    tfp_diags *d,
                    vpcep_resource_type type,
                    const tfp_value *tags)
{
    vpcep_resource_query_opts opts = VPCEP_RESOURCE_QUERY_OPTS_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_tag_filter *filters = NULL;
    const char **values = NULL;
    size_t n = tfpv_is_set(tags) ? tfp_value_length(tags) : 0;
    int rc = 0;
    *out = NULL;
    if (n == 0) {
        return 0;
    }
    filters = calloc(n, sizeof *filters);
    values = calloc(n, sizeof *values);
    if (filters == NULL || values == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const char *v = tfp_value_string(tfp_value_at(tags, i));
        values[i] = v != NULL ? v : "";
        filters[i].key = tfp_value_key_at(tags, i);
        filters[i].values = &values[i];
        filters[i].n_values = 1;
    }
    opts.tags = filters;
    opts.n_tags = n;
    rc = vpcep_resources_filter(out, client, type, &opts, &err);
    if (rc != 0) {
        tfpv_api_error(d, "tags", "Cannot filter by tags", rc, &err);
        rc = rc == VPCEP_ENOMEM ? TFP_ENOMEM : TFP_ERROR;
    }
done:
    free(filters);
    free(values);
    return rc;
}

int tfpv_tagged_has(const vpcep_tagged_resource_list *list, const char *id)
{
    for (size_t i = 0; list != NULL && id != NULL && i < list->count; i++) {
        const char *rid = list->items[i]->resource_id;
        if (rid != NULL && strcmp(rid, id) == 0) {
            return 1;
        }
    }
    return 0;
}
