/* Waiters driven by explicit state tables (vpcep/wait.h). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The poll schedule (the one place it is decided): the first WAIT_POLL_STEADY intervals are
 * WAIT_POLL_MIN_MS, so that a transition of up to about 0.9 s is seen within 300 ms, then
 * each interval 1.5 times the previous one up to WAIT_POLL_MAX_MS, so that a long wait costs
 * less than one call per second from its tenth second on (the 10th poll comes after 10.2 s, the
 * 11th after 15.2 s, and so on). The ready-made tables start one interval after the call that
 * started the transition: its answer already told the state, so an immediate poll would ask
 * again what is known. */
#define WAIT_POLL_MIN_MS 200L
#define WAIT_POLL_STEADY 2u
#define WAIT_POLL_MAX_MS 5000L

/* Fills the caller's @p caller_spec with a table: the fields of its version only. */
static int spec_fill(vpcep_wait_spec *caller_spec,
                     long timeout_ms,
                     const char *const *pending,
                     const char *const *target,
                     const char *const *failure,
                     vpcep_wait_missing missing)
{
    vpcep_wait_spec full, *spec = &full;
    size_t i;

    memset(spec, 0, sizeof(*spec));
    for (i = 0; pending != NULL && pending[i] != NULL && i < VPCEP_WAIT_MAX_STATES; i++)
        spec->pending[i] = pending[i];
    for (i = 0; target != NULL && target[i] != NULL && i < VPCEP_WAIT_MAX_STATES; i++)
        spec->target[i] = target[i];
    for (i = 0; failure != NULL && failure[i] != NULL && i < VPCEP_WAIT_MAX_STATES; i++)
        spec->failure[i] = failure[i];
    spec->missing = missing;
    spec->timeout_ms = timeout_ms;
    spec->initial_delay_ms = WAIT_POLL_MIN_MS;
    spec->poll_min_ms = WAIT_POLL_MIN_MS;
    spec->poll_max_ms = WAIT_POLL_MAX_MS;
    return util_version_write(caller_spec, spec, &rest_v_wait_spec) != 0 ? VPCEP_EINVALID : 0;
}

int vpcep_wait_spec_service_available(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"creating", NULL}, *const t[] = {"available", NULL},
                             *const f[] = {"failed", "deleting", NULL};
    return spec_fill(spec, timeout_ms, p, t, f, VPCEP_WAIT_MISSING_FAIL);
}

int vpcep_wait_spec_service_deleted(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"available", "deleting", "creating", NULL}, *const f[] = {
                                                                                    "failed", NULL};
    return spec_fill(spec, timeout_ms, p, NULL, f, VPCEP_WAIT_MISSING_TARGET);
}

int vpcep_wait_spec_endpoint_created(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"creating", NULL},
                             *const t[] = {"pendingAcceptance", "accepted", NULL},
                             *const f[] = {"failed", "rejected", "deleting", NULL};
    return spec_fill(spec, timeout_ms, p, t, f, VPCEP_WAIT_MISSING_FAIL);
}

int vpcep_wait_spec_endpoint_accepted(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"creating", "pendingAcceptance", NULL},
                             *const t[] = {"accepted", NULL},
                             *const f[] = {"failed", "rejected", "deleting", NULL};
    return spec_fill(spec, timeout_ms, p, t, f, VPCEP_WAIT_MISSING_FAIL);
}

int vpcep_wait_spec_endpoint_deleted(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"deleting", "accepted", "pendingAcceptance",
                                    "rejected", "creating", NULL},
                             *const f[] = {"failed", NULL};
    return spec_fill(spec, timeout_ms, p, NULL, f, VPCEP_WAIT_MISSING_TARGET);
}

int vpcep_wait_spec_connection_accepted(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"creating", "pendingAcceptance", NULL},
                             *const t[] = {"accepted", NULL},
                             *const f[] = {"failed", "rejected", "deleting", NULL};
    return spec_fill(spec, timeout_ms, p, t, f, VPCEP_WAIT_MISSING_PENDING);
}

int vpcep_wait_spec_connection_visible(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"creating", NULL},
                             *const t[] = {"pendingAcceptance", "accepted", "rejected", NULL},
                             *const f[] = {"failed", "deleting", NULL};
    return spec_fill(spec, timeout_ms, p, t, f, VPCEP_WAIT_MISSING_PENDING);
}

int vpcep_wait_spec_connection_rejected(vpcep_wait_spec *spec, long timeout_ms)
{
    static const char *const p[] = {"accepted", "pendingAcceptance", "creating", NULL},
                             *const t[] = {"rejected", NULL}, *const f[] = {"failed", NULL};
    return spec_fill(spec, timeout_ms, p, t, f, VPCEP_WAIT_MISSING_TARGET);
}

static int in_list(const char *const *list, const char *state)
{
    size_t i;

    for (i = 0; i < VPCEP_WAIT_MAX_STATES && list[i] != NULL; i++) {
        if (strcmp(list[i], state) == 0)
            return 1;
    }
    return 0;
}

int vpcep_wait_classify(const vpcep_wait_spec *caller_spec, const char *state)
{
    vpcep_wait_spec spec_v;
    const vpcep_wait_spec *spec = &spec_v;

    if (util_version_read(&spec_v, sizeof(spec_v), caller_spec, &rest_v_wait_spec) != 0)
        return 0;
    if (state == NULL) {
        switch (spec->missing) {
        case VPCEP_WAIT_MISSING_TARGET:
            return 1;
        case VPCEP_WAIT_MISSING_PENDING:
            return 0;
        default:
            return -1;
        }
    }
    if (in_list(spec->target, state))
        return 1;
    if (in_list(spec->failure, state))
        return -1;
    return 0;
}

long vpcep_wait_interval_ms(const vpcep_wait_spec *caller_spec, unsigned int polls)
{
    vpcep_wait_spec spec; /* all zero (the defaults) when the caller's is NULL or unknown */
    long lo, hi, d;
    unsigned int i;

    (void)util_version_read(&spec, sizeof(spec), caller_spec, &rest_v_wait_spec);
    lo = spec.poll_min_ms > 0 ? spec.poll_min_ms : WAIT_POLL_MIN_MS;
    hi = spec.poll_max_ms > 0 ? spec.poll_max_ms : WAIT_POLL_MAX_MS;
    d = lo;
    if (hi < lo)
        hi = lo;
    for (i = WAIT_POLL_STEADY; i <= polls && d < hi; i++)
        d = d + d / 2;
    return d < hi ? d : hi;
}

/* One kind of object to poll. */
typedef struct wait_target {
    const char *what; /* "service", "endpoint", "connection" */
    const char *id;
    /* reads the object: 0 with *obj set, VPCEP_ENOTFOUND, or another error */
    int (*read)(vpcep_client *c,
                const struct wait_target *t,
                void **obj,
                unsigned int *calls,
                vpcep_error *err);
    const char *(*state)(const void *obj);
    void (*errors)(const void *obj, vpcep_error_item *const **items, size_t *n);
    void (*free_obj)(void *obj);
    const char *service_id; /* connections */
} wait_target;

static int retryable_kind(int rc)
{
    return rc == VPCEP_ETHROTTLED || rc == VPCEP_ETRANSPORT || rc == VPCEP_ETIMEOUT ||
           rc == VPCEP_EAPI;
}

static int wait_generic(vpcep_client *c,
                        const wait_target *t,
                        const vpcep_wait_spec *caller_spec,
                        void **out,
                        vpcep_wait_stats *stats,
                        vpcep_error *err)
{
    vpcep_wait_spec spec_v;
    const vpcep_wait_spec *spec = &spec_v;
    vpcep_wait_stats st;
    void *last = NULL;
    char last_state[32] = "";
    int64_t start = -1, deadline, now;
    int rc = 0, cls;

    memset(&st, 0, sizeof(st));
    rest_error_clear(err);
    if (out != NULL)
        *out = NULL;
    if (stats != NULL && util_version_size(&rest_v_wait_stats, util_version_of(stats)) == 0) {
        rc = rest_fail(err, VPCEP_EINVALID, "unsupported vpcep_wait_stats version %u",
                       util_version_of(stats));
        stats = NULL; /* not written: its version is unknown */
        goto done;
    }
    if (c == NULL || caller_spec == NULL)
        rc = rest_fail(err, VPCEP_EINVALID, "client and a valid wait spec are required");
    else
        rc = rest_version_read(&spec_v, sizeof(spec_v), caller_spec, &rest_v_wait_spec, err);
    if (rc != 0)
        goto done;
    start = rest_now_ms(c);
    deadline = spec->timeout_ms > 0 ? start + spec->timeout_ms : INT64_MAX;
    if (spec->initial_delay_ms > 0) {
        long d = spec->initial_delay_ms;
        if (deadline != INT64_MAX && start + d > deadline)
            d = (long)(deadline - start);
        if ((rc = rest_sleep(c, d, err)) != 0)
            goto done;
    }
    for (;;) {
        void *obj = NULL;
        vpcep_error perr = VPCEP_ERROR_INIT;
        const char *state = NULL;

        if (rest_cancelled(c)) {
            rc = rest_fail(err, VPCEP_ECANCELED, "cancelled while waiting for %s %s (state %s)",
                           t->what, t->id, last_state[0] ? last_state : "unknown");
            goto done;
        }
        rc = t->read(c, t, &obj, &st.api_calls, &perr);
        st.polls++;
        if (rc == 0) {
            state = t->state(obj);
            cls = vpcep_wait_classify(spec, state ? state : "");
            util_strlcpy(last_state, state ? state : "", sizeof(last_state));
            if (last != NULL)
                t->free_obj(last);
            last = obj;
        } else if (rc == VPCEP_ENOTFOUND) {
            cls = vpcep_wait_classify(spec, NULL);
            util_strlcpy(last_state, "(gone)", sizeof(last_state));
            if (last != NULL)
                t->free_obj(last);
            last = NULL;
        } else if (rc == VPCEP_ECANCELED || !retryable_kind(rc)) {
            if (err != NULL) {
                *err = perr;
                util_strlcpy(err->state, last_state, sizeof(err->state));
            }
            goto done;
        } else {
            cls = 0; /* transient: keep polling until the deadline */
            rest_log(c, VPCEP_LOG_WARN, "vpcep: polling %s %s failed (%s), will retry", t->what,
                     t->id, vpcep_strerror(rc));
        }
        rest_log(c, VPCEP_LOG_DEBUG, "vpcep: %s %s state %s (poll %u)", t->what, t->id,
                 last_state[0] ? last_state : "?", st.polls);
        if (cls > 0) {
            rc = 0;
            goto done;
        }
        if (cls < 0) {
            if (rc == VPCEP_ENOTFOUND) {
                if (err != NULL)
                    *err = perr;
                rc = rest_fail(err, VPCEP_ENOTFOUND, "%s %s disappeared while waiting", t->what,
                               t->id);
            } else {
                vpcep_error_item *const *items = NULL;
                size_t n = 0;
                t->errors(last, &items, &n);
                rc = rest_fail(err, VPCEP_EAPI, "%s %s reached state %s", t->what, t->id,
                               last_state);
                if (err != NULL && n > 0) {
                    const vpcep_error_item *e0 = items[0];
                    util_strlcpy(err->error_code, e0->error_code ? e0->error_code : "",
                                 sizeof(err->error_code));
                    snprintf(err->error_msg, sizeof(err->error_msg), "%s %s reached state %s: %s",
                             t->what, t->id, last_state,
                             e0->error_message ? e0->error_message : "");
                }
            }
            if (err != NULL)
                util_strlcpy(err->state, last_state, sizeof(err->state));
            goto done;
        }
        now = rest_now_ms(c);
        if (now >= deadline) {
            rc = rest_fail(
                err, VPCEP_ETIMEOUT, "timed out after %lld ms waiting for %s %s; last state: %s",
                (long long)(now - start), t->what, t->id, last_state[0] ? last_state : "unknown");
            if (err != NULL)
                util_strlcpy(err->state, last_state, sizeof(err->state));
            goto done;
        }
        {
            long d = vpcep_wait_interval_ms(spec, st.polls - 1);
            if (deadline != INT64_MAX && now + d > deadline)
                d = (long)(deadline - now);
            if ((rc = rest_sleep(c, d, err)) != 0) {
                if (err != NULL) {
                    snprintf(err->error_msg, sizeof(err->error_msg),
                             "cancelled while waiting for %s %s (state %s)", t->what, t->id,
                             last_state[0] ? last_state : "unknown");
                    util_strlcpy(err->state, last_state, sizeof(err->state));
                }
                goto done;
            }
        }
    }
done:
    if (start >= 0)
        st.elapsed_ms = rest_now_ms(c) - start;
    if (stats != NULL)
        (void)util_version_write(stats, &st, &rest_v_wait_stats);
    if (rc == 0 && out != NULL) {
        *out = last;
        last = NULL;
    }
    if (last != NULL)
        t->free_obj(last);
    return rc;
}

/* ---- adapters ---------------------------------------------------------------------------- */
static int read_service(
    vpcep_client *c, const wait_target *t, void **obj, unsigned int *calls, vpcep_error *err)
{
    return rest_service_get(c, (vpcep_service **)obj, t->id, calls, err);
}
static const char *state_service(const void *o)
{
    return ((const vpcep_service *)o)->status;
}
static void errors_service(const void *o, vpcep_error_item *const **items, size_t *n)
{
    *items = o ? ((const vpcep_service *)o)->errors : NULL;
    *n = o ? ((const vpcep_service *)o)->n_errors : 0;
}
static void free_service(void *o)
{
    vpcep_service_free(o);
}

static int read_endpoint(
    vpcep_client *c, const wait_target *t, void **obj, unsigned int *calls, vpcep_error *err)
{
    return rest_endpoint_get(c, (vpcep_endpoint **)obj, t->id, calls, err);
}
static const char *state_endpoint(const void *o)
{
    return ((const vpcep_endpoint *)o)->status;
}
static void errors_endpoint(const void *o, vpcep_error_item *const **items, size_t *n)
{
    *items = o ? ((const vpcep_endpoint *)o)->errors : NULL;
    *n = o ? ((const vpcep_endpoint *)o)->n_errors : 0;
}
static void free_endpoint(void *o)
{
    vpcep_endpoint_free(o);
}

static int read_connection(
    vpcep_client *c, const wait_target *t, void **obj, unsigned int *calls, vpcep_error *err)
{
    return rest_connection_find(c, (vpcep_connection **)obj, t->service_id, t->id, calls, err);
}
static const char *state_connection(const void *o)
{
    return ((const vpcep_connection *)o)->status;
}
static void errors_connection(const void *o, vpcep_error_item *const **items, size_t *n)
{
    *items = o ? ((const vpcep_connection *)o)->errors : NULL;
    *n = o ? ((const vpcep_connection *)o)->n_errors : 0;
}
static void free_connection(void *o)
{
    vpcep_connection_free(o);
}

int vpcep_wait_service(vpcep_service **out,
                       vpcep_wait_stats *stats,
                       vpcep_client *client,
                       const char *id,
                       const vpcep_wait_spec *spec,
                       vpcep_error *err)
{
    wait_target t = {"service",      id,           read_service, state_service,
                     errors_service, free_service, NULL};

    if (id == NULL)
        return rest_fail(err, VPCEP_EINVALID, "service id is required");
    return wait_generic(client, &t, spec, (void **)out, stats, err);
}

int vpcep_wait_endpoint(vpcep_endpoint **out,
                        vpcep_wait_stats *stats,
                        vpcep_client *client,
                        const char *id,
                        const vpcep_wait_spec *spec,
                        vpcep_error *err)
{
    wait_target t = {"endpoint",    id,  read_endpoint, state_endpoint, errors_endpoint,
                     free_endpoint, NULL};

    if (id == NULL)
        return rest_fail(err, VPCEP_EINVALID, "endpoint id is required");
    return wait_generic(client, &t, spec, (void **)out, stats, err);
}

int vpcep_wait_connection(vpcep_connection **out,
                          vpcep_wait_stats *stats,
                          vpcep_client *client,
                          const char *service_id,
                          const char *endpoint_id,
                          const vpcep_wait_spec *spec,
                          vpcep_error *err)
{
    wait_target t = {"connection",      endpoint_id,     read_connection, state_connection,
                     errors_connection, free_connection, service_id};

    if (service_id == NULL || endpoint_id == NULL)
        return rest_fail(err, VPCEP_EINVALID, "service id and endpoint id are required");
    return wait_generic(client, &t, spec, (void **)out, stats, err);
}
