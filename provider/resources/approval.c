/*
 * provider/resources/approval.c - resource "vpcep_approval": the service owner accepts a set
 * of endpoints. ID = service ID. Everything goes through the service's connections API, so
 * it works for endpoints in other projects and accounts.
 *
 * Read keeps only the endpoints that are still accepted (an approval revoked out of band
 * shows as drift); an imported approval (endpoints null) takes every accepted connection.
 * Removing an endpoint rejects it; destroy rejects all; gone or already rejected is done.
 */
#include "types.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TYPE_NAME "vpcep_approval"

/* How long an endpoint may be missing from the service's connections before we give up. */
#define TFPV_VISIBILITY_WAIT_MS (60L * 1000)

int tfpv_approval_schema(tfp_schema **out)
{
    static const char *const ops[] = {"create", "update", "delete", NULL};
    tfp_schema *s = NULL;
    tfp_block *b;
    tfp_type *set_str = NULL;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    rc = tfp_type_set_new(&set_str, tfp_type_string());
    if (rc == 0) {
        rc = tfpv_add_attr(b, "id", tfp_type_string(), TFP_ATTR_COMPUTED,
                           "The service ID (one approval resource per service).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "service_id", tfp_type_string(), TFP_ATTR_REQUIRED,
                           "The endpoint service whose connections are managed.");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "endpoints", set_str, TFP_ATTR_REQUIRED,
                           "Endpoint IDs to accept; endpoints removed from the set are "
                           "rejected.");
    }
    if (rc == 0) {
        rc = tfpv_add_connections_attr(b);
    }
    if (rc == 0) {
        rc = tfpv_add_timeouts(b, ops);
    }
    tfp_type_free(set_str);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

void tfpv_approval_check(tfp_diags *d, const tfp_value *cfg)
{
    const char *sid = tfpv_str(cfg, "service_id");
    if (sid != NULL && sid[0] == '\0') {
        tfp_diags_error(d, "service_id", "Invalid service ID", "service_id must not be empty.");
    }
    tfpv_check_string_set(d, cfg, "endpoints", nonempty, 0, "an endpoint ID");
    tfpv_check_timeouts(d, cfg);
}

static int approval_validate(tfp_call *call)
{
    tfpv_approval_check(tfp_call_diags(call), tfp_call_config(call));
    return 0;
}

int tfpv_approval_plan_value(tfp_value **out, const tfp_value *prior, const tfp_value *proposed)
{
    tfp_value *planned = NULL;
    int creating = prior == NULL || tfp_value_is_null(prior);
    int rc = tfp_value_copy(&planned, proposed);
    if (rc != 0) {
        return rc;
    }
    if (creating) {
        rc = tfp_value_set_attr_copy(planned, "id", tfp_value_attr(planned, "service_id"));
        if (rc == 0) {
            rc = tfp_value_set_attr_unknown(planned, "connections");
        }
    } else if (!tfp_value_equal(tfpv_get(prior, "endpoints"), tfpv_get(planned, "endpoints"))) {
        rc = tfp_value_set_attr_unknown(planned, "connections");
    }
    if (rc != 0) {
        tfp_value_free(planned);
        return rc;
    }
    *out = planned;
    return 0;
}

static int approval_plan(tfp_call *call)
{
    const tfp_value *proposed = tfp_call_proposed_state(call);
    tfp_value *planned = NULL;
    int rc;
    if (proposed == NULL || tfp_value_is_null(proposed)) {
        return tfp_call_set_result(call, NULL);
    }
    tfpv_approval_check(tfp_call_diags(call), tfp_call_config(call));
    if (tfp_diags_has_errors(tfp_call_diags(call))) {
        return 0;
    }
    rc = tfpv_approval_plan_value(&planned, tfp_call_prior_state(call), proposed);
    if (rc != 0) {
        return rc;
    }
    rc = tfp_call_set_result(call, planned);
    if (rc == 0) {
        rc = tfp_call_require_replace(call, "service_id");
    }
    return rc;
}

/* ----- State mapping ---------------------------------------------------------------------- */

static const vpcep_connection *find_conn(const vpcep_connection_list *conns, const char *id)
{
    for (size_t i = 0; conns != NULL && id != NULL && i < conns->count; i++) {
        if (conns->items[i]->id != NULL && strcmp(conns->items[i]->id, id) == 0) {
            return conns->items[i];
        }
    }
    return NULL;
}

static int is_accepted(const vpcep_connection *c)
{
    return c != NULL && c->status != NULL && strcmp(c->status, "accepted") == 0;
}

int tfpv_approval_state(tfp_value **out,
                        const tfp_type *type,
                        const tfp_value *prior,
                        const char *service_id,
                        const vpcep_connection_list *conns)
{
    const tfp_value *want = tfpv_get(prior, "endpoints");
    tfp_value *st = NULL;
    const char **ids = NULL;
    size_t n = 0;
    int rc = tfp_value_new_object(&st, type);
    if (rc != 0) {
        return rc;
    }
    ids = calloc((conns != NULL ? conns->count : 0) + 1, sizeof *ids);
    if (ids == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    for (size_t i = 0; conns != NULL && i < conns->count; i++) {
        const vpcep_connection *c = conns->items[i];
        if (!is_accepted(c) || c->id == NULL) {
            continue;
        }
        /* Imported (endpoints null): all accepted. Otherwise: those we manage. */
        if (!tfpv_is_set(want) || tfpv_set_has_string(want, c->id)) {
            ids[n++] = c->id;
        }
    }
    rc = tfp_value_set_attr_string(st, "id", service_id);
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_id", service_id);
    }
    if (rc == 0) {
        rc = tfpv_set_string_collection(st, "endpoints", ids, n);
    }
    if (rc == 0) {
        rc = tfpv_set_connections(st, conns);
    }
    if (rc == 0) {
        rc = tfpv_copy_attr(st, prior, "timeouts");
    }
done:
    free(ids);
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* Lists the connections; *gone = 1 when the service does not exist. Errors reported. */
static int list_conns(tfp_call *call,
                      vpcep_client *client,
                      const char *service_id,
                      vpcep_connection_list **out,
                      int *gone)
{
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_connections_list(out, client, service_id, NULL, &err);
    *gone = 0;
    if (rc == VPCEP_ENOTFOUND) {
        *gone = 1;
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(tfp_call_diags(call), NULL,
                       "Cannot list the connections of the endpoint service", rc, &err);
    }
    return rc;
}

static int approval_read(tfp_call *call)
{
    const tfp_value *prior = tfp_call_prior_state(call);
    const char *sid = tfpv_str(prior, "service_id");
    vpcep_connection_list *conns = NULL;
    vpcep_client *client;
    tfp_value *st = NULL;
    int gone = 0, rc;
    if (sid == NULL) {
        sid = tfpv_str(prior, "id");
    }
    if (sid == NULL) {
        return tfp_call_set_result(call, NULL);
    }
    if (tfpv_deferred(call)) {
        return tfpv_keep_prior(call); /* provider values unknown until apply: no refresh */
    }
    client = tfpv_client(call);
    if (client == NULL || tfpv_moved_region_mismatch(call)) {
        return 0;
    }
    if (list_conns(call, client, sid, &conns, &gone) != 0) {
        return 0;
    }
    if (gone) {
        return tfp_call_set_result(call, NULL);
    }
    rc = tfpv_approval_state(&st, tfp_schema_type(tfp_call_schema(call)), prior, sid, conns);
    vpcep_connection_list_free(conns);
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, st);
}

/* ----- Apply ------------------------------------------------------------------------------ */

/* Accepts one endpoint: wait until the service sees it (eventual consistency), accept it,
 * wait until it is accepted. An endpoint already accepted is done. */
static int accept_one(tfp_call *call,
                      vpcep_client *client,
                      const char *service_id,
                      const char *endpoint_id,
                      int64_t timeout_ms)
{
    tfp_diags *d = tfp_call_diags(call);
    vpcep_connection *conn = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    /* 1. Visible and out of `creating`. A new endpoint may lag in the service's list for a
     * few seconds (eventual consistency); an ID that never shows up is a mistake, not worth
     * the whole timeout. Nothing of ours just changed it: look at once. */
    const tfpv_wait visible = {
        .kind = TFPV_WAIT_CONNECTION_VISIBLE,
        .what = "connection of endpoint",
        .service_id = service_id,
        .id = endpoint_id,
        .timeout_ms = timeout_ms < TFPV_VISIBILITY_WAIT_MS ? timeout_ms : TFPV_VISIBILITY_WAIT_MS,
        .at_once = 1,
        .attr = "endpoints",
        .summary = "Cannot accept the endpoint",
    };
    int rc = tfpv_wait_run(NULL, client, &visible, &conn, &err); /* reported below */

    if (rc == VPCEP_ETIMEOUT && (err.state[0] == '\0' || err.state[0] == '(')) {
        tfp_diags_error(d, "endpoints", "Endpoint not connected to the service",
                        "Endpoint %s did not appear among the connections of service %s: check "
                        "the endpoint ID and that the endpoint was created for this service.",
                        endpoint_id, service_id);
        goto done;
    }
    if (rc != 0) {
        tfpv_wait_report(d, &visible, rc, &err);
        goto done;
    }
    if (is_accepted(conn)) {
        goto done;
    }
    /* 2. Accept, and confirm. */
    rc = tfpv_accept_and_wait(d, client, service_id, endpoint_id, timeout_ms, "endpoints");
done:
    vpcep_connection_free(conn);
    return rc;
}

/* Rejects one endpoint; missing or already rejected is done. */
static int reject_one(tfp_call *call,
                      vpcep_client *client,
                      const char *service_id,
                      const char *endpoint_id,
                      const vpcep_connection_list *conns,
                      int64_t timeout_ms)
{
    tfp_diags *d = tfp_call_diags(call);
    const vpcep_connection *c = find_conn(conns, endpoint_id);
    vpcep_error err = VPCEP_ERROR_INIT;
    const tfpv_wait rejected = {
        .kind = TFPV_WAIT_CONNECTION_REJECTED,
        .what = "rejection of endpoint",
        .service_id = service_id,
        .id = endpoint_id,
        .timeout_ms = timeout_ms,
        .attr = "endpoints",
        .summary = "The endpoint was not rejected",
    };
    int rc;
    if (c == NULL || c->status == NULL || strcmp(c->status, "rejected") == 0 ||
        strcmp(c->status, "deleting") == 0 || strcmp(c->status, "failed") == 0) {
        return 0;
    }
    tfp_log(TFP_LOG_DEBUG, "vpcep", "rejecting endpoint %s on service %s", endpoint_id, service_id);
    rc = vpcep_connection_action(NULL, client, service_id, VPCEP_CONNECTION_REJECT, &endpoint_id, 1,
                                 &err);
    /* Gone, or being deleted since the list above (EndPoint.2018: e.g. destroyed in parallel
     * when nothing orders the endpoint before the approval): its connection ends with it. */
    if (rc == VPCEP_ENOTFOUND || strcasecmp(err.error_code, "EndPoint.2018") == 0) {
        return 0;
    }
    if (rc != 0) {
        tfpv_api_error(d, "endpoints", "Cannot reject the endpoint", rc, &err);
        return rc;
    }
    rc = tfpv_wait_run(NULL, client, &rejected, NULL, &err); /* reported below */
    if (rc == VPCEP_ENOTFOUND) { /* gone with its service: its connection ended with it */
        return 0;
    }
    if (rc != 0) {
        tfpv_wait_report(d, &rejected, rc, &err);
    }
    return rc;
}

/* Applies the change from @p old_set to @p new_set (NULL = empty) before @p deadline. */
static int reconcile(tfp_call *call,
                     vpcep_client *client,
                     const char *service_id,
                     const tfp_value *old_set,
                     const tfp_value *new_set,
                     int64_t deadline)
{
    tfpv_strs olds = {0}, news = {0};
    vpcep_connection_list *conns = NULL;
    int gone = 0, rc = tfpv_strs_from(&olds, old_set);
    if (rc == 0) {
        rc = tfpv_strs_from(&news, new_set);
    }
    if (rc != 0) {
        goto done;
    }
    for (size_t i = 0; rc == 0 && i < news.n; i++) {
        if (!tfpv_strs_has(&olds, news.items[i])) {
            rc = accept_one(call, client, service_id, news.items[i], tfpv_remaining_ms(deadline));
        }
    }
    if (rc == 0 && olds.n > 0) {
        rc = list_conns(call, client, service_id, &conns, &gone);
    }
    for (size_t i = 0; rc == 0 && !gone && i < olds.n; i++) {
        if (!tfpv_strs_has(&news, olds.items[i])) {
            rc = reject_one(call, client, service_id, olds.items[i], conns,
                            tfpv_remaining_ms(deadline));
        }
    }
done:
    tfpv_strs_dispose(&olds);
    tfpv_strs_dispose(&news);
    vpcep_connection_list_free(conns);
    return rc;
}

static int
wait_service(tfp_call *call, vpcep_client *client, const char *service_id, int64_t timeout_ms)
{
    const tfpv_wait available = {
        .kind = TFPV_WAIT_SERVICE_AVAILABLE,
        .what = "service to become available",
        .id = service_id,
        .timeout_ms = timeout_ms,
        .at_once = 1, /* nothing of ours just changed the service */
        .attr = "service_id",
        .summary = "Endpoint service did not become available",
    };
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = tfpv_wait_run(NULL, client, &available, NULL, &err); /* reported below */
    if (rc == VPCEP_ENOTFOUND) {
        tfp_diags_error(tfp_call_diags(call), "service_id", "Endpoint service not found",
                        "Service %s does not exist in this project (region %s): the approval "
                        "must be managed with the service owner's credentials.",
                        service_id, tfpv_region(call));
    } else if (rc != 0) {
        tfpv_wait_report(tfp_call_diags(call), &available, rc, &err);
    }
    return rc;
}

static int approval_apply(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    const tfp_value *prior = tfp_call_prior_state(call);
    const tfp_value *planned = tfp_call_planned_state(call);
    int had_prior = prior != NULL && !tfp_value_is_null(prior);
    vpcep_client *client = tfpv_client(call);
    vpcep_connection_list *conns = NULL;
    tfp_value *st = NULL;
    const char *sid;
    int64_t deadline;
    int gone = 0, failed, rc = 0;

    if (client == NULL) {
        return 0;
    }
    if (planned == NULL || tfp_value_is_null(planned)) {
        sid = tfpv_str(prior, "service_id");
        if (had_prior && sid != NULL) {
            (void)reconcile(call, client, sid, tfpv_get(prior, "endpoints"), NULL,
                            tfpv_now_ms() + tfpv_timeout_ms(prior, "delete"));
        }
        return tfp_call_set_result(call, NULL);
    }
    sid = tfpv_str(planned, "service_id");
    deadline = tfpv_now_ms() + tfpv_timeout_ms(planned, had_prior ? "update" : "create");
    if (!had_prior) {
        if (wait_service(call, client, sid, tfpv_remaining_ms(deadline)) != 0) {
            return 0; /* nothing was changed: no state */
        }
        failed = reconcile(call, client, sid, NULL, tfpv_get(planned, "endpoints"), deadline) != 0;
    } else {
        failed = reconcile(call, client, sid, tfpv_get(prior, "endpoints"),
                           tfpv_get(planned, "endpoints"), deadline) != 0;
    }
    if (list_conns(call, client, sid, &conns, &gone) != 0 || gone) {
        if (gone) {
            tfp_diags_error(d, "service_id", "Endpoint service disappeared",
                            "Service %s was deleted while its connections were managed.", sid);
        }
        rc = tfp_value_copy(&st, had_prior ? prior : planned);
        if (rc == 0) {
            rc = tfpv_unknowns_to_null(&st);
        }
        if (rc == 0 && tfp_value_is_null(tfp_value_attr(st, "connections"))) {
            rc = tfpv_set_empty_collection(st, "connections");
        }
        goto done;
    }
    rc = tfpv_approval_state(&st, tfp_schema_type(tfp_call_schema(call)), planned, sid, conns);
    if (rc == 0 && !failed && !tfp_diags_has_errors(d)) {
        rc = tfpv_overlay_known(st, planned);
    }
done:
    if (rc == 0) {
        rc = tfp_call_set_result(call, st);
        st = NULL;
    }
    tfp_value_free(st);
    vpcep_connection_list_free(conns);
    return rc;
}

static int approval_import(tfp_call *call)
{
    tfp_value *st = NULL;
    int rc =
        tfpv_import_stub(call, "Import a vpcep_approval by the ID of its endpoint service.", &st);
    if (st == NULL) {
        return rc;
    }
    rc = tfp_value_set_attr_string(st, "service_id", tfp_call_import_id(call));
    /* endpoints stay null: Read takes every accepted connection */
    return tfpv_import_finish(call, st, rc);
}

static const tfpv_handlers approval_handlers = {
    .validate = approval_validate,
    .upgrade = tfpv_upgrade_v0,
    .read = approval_read,
    .plan = approval_plan,
    .apply = approval_apply,
    .import = approval_import,
    .move = tfpv_move_from_go,
    .move_sources = tfpv_approval_move_sources,
};

int tfpv_approval_register(tfp_provider *p)
{
    return tfpv_register(p, TYPE_NAME, tfpv_approval_schema, &approval_handlers, 0);
}
