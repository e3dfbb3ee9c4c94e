/**
 * @file vpcep/wait.h
 * @brief Waiters driven by explicit state tables.
 *
 * A waiter polls one object until its status is in the spec's target states (success), in its
 * failure states (VPCEP_EAPI at once, with the object's `error[]` code and message, or a
 * generated message naming the state, in the error object, and err->state set), or the deadline
 * passes (VPCEP_ETIMEOUT; err->state and the message name the last observed state). Any state
 * in no list (the pending ones and unknown values) keeps polling. The cancellation hook of the
 * client is honoured between polls and during sleeps (VPCEP_ECANCELED).
 *
 * Poll schedule: first poll after initial_delay_ms, then two intervals of poll_min_ms,
 * then each interval 1.5 times the previous one up to poll_max_ms, never sleeping past the
 * deadline. With the ready-made tables' values (200 ms, 5 s, first poll 200 ms after the call
 * that started the transition), a transition of up to about 0.9 s is seen within 300 ms, and a
 * wait longer than 10 s averages less than one poll per second. Retryable request failures
 * (throttling, 5xx, transport) inside a wait are retried by the transport and, when exhausted,
 * counted as a pending poll until the deadline.
 */
#ifndef VPCEP_WAIT_H
#define VPCEP_WAIT_H

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a 404 (or, for connections, an endpoint missing from the list) means. */
typedef enum vpcep_wait_missing {
    VPCEP_WAIT_MISSING_FAIL = 0,   /**< return VPCEP_ENOTFOUND (default) */
    VPCEP_WAIT_MISSING_TARGET = 1, /**< success: deletes wait until 404 */
    VPCEP_WAIT_MISSING_PENDING = 2 /**< keep polling (eventual consistency) */
} vpcep_wait_missing;

#define VPCEP_WAIT_MAX_STATES 8
#define VPCEP_WAIT_SPEC_VERSION 1

/**
 * A state table. The state arrays hold up to VPCEP_WAIT_MAX_STATES borrowed strings each,
 * terminated by NULL or by the array end; comparison is exact (camelCase statuses).
 * Versioned and caller-allocated: start from VPCEP_WAIT_SPEC_INIT; the library reads only the
 * fields of the version set, and refuses (VPCEP_EINVALID) a version it does not know.
 */
typedef struct vpcep_wait_spec {
    unsigned int version;
    const char *pending[VPCEP_WAIT_MAX_STATES]; /**< documentation and logging only */
    const char *target[VPCEP_WAIT_MAX_STATES];
    const char *failure[VPCEP_WAIT_MAX_STATES];
    vpcep_wait_missing missing;
    long timeout_ms;       /**< deadline from the start of the wait; <= 0 = no deadline */
    long initial_delay_ms; /**< before the first poll (0: at once; ready-made tables: 200) */
    long poll_min_ms;      /**< first intervals (0 = 200) */
    long poll_max_ms;      /**< interval cap (0 = 5000) */
} vpcep_wait_spec;
#define VPCEP_WAIT_SPEC_INIT VPCEP_INIT_VERSIONED(VPCEP_WAIT_SPEC_VERSION)

#define VPCEP_WAIT_STATS_VERSION 1

/**
 * Counters of one wait (for benchmarks and logs). Versioned, caller-allocated,
 * library-written: set `version` (VPCEP_WAIT_STATS_INIT); a wait fills the counters that
 * version has and nothing beyond them, and refuses (VPCEP_EINVALID) a version it does not know.
 */
typedef struct vpcep_wait_stats {
    unsigned int version;   /**< VPCEP_WAIT_STATS_VERSION, kept as the caller set it */
    unsigned int polls;     /**< status reads performed */
    unsigned int api_calls; /**< HTTP requests spent, retries included */
    int64_t elapsed_ms;
} vpcep_wait_stats;

#define VPCEP_WAIT_STATS_INIT VPCEP_INIT_VERSIONED(VPCEP_WAIT_STATS_VERSION)

/*
 * Ready-made state tables. Each fills every field of @p spec that its version has (set it
 * first with VPCEP_WAIT_SPEC_INIT) with the table and the given timeout, and returns 0; a NULL
 * spec or one whose version is not 1..VPCEP_WAIT_SPEC_VERSION is left as it is
 * (VPCEP_EINVALID).
 *
 * service_available:   pending creating; target available; failure failed, deleting.
 * service_deleted:     pending available, deleting, creating; target 404; failure failed.
 * endpoint_created:    pending creating; target pendingAcceptance, accepted;
 *                      failure failed, rejected, deleting.
 * endpoint_accepted:   pending creating, pendingAcceptance; target accepted;
 *                      failure failed, rejected, deleting; 404 fails.
 * endpoint_deleted:    pending anything else; target 404; failure failed.
 * connection_accepted: pending creating, pendingAcceptance; target accepted;
 *                      failure failed, rejected, deleting; missing from the list = pending
 *                      (eventual consistency).
 * connection_visible:  pending creating; target pendingAcceptance, accepted, rejected;
 *                      failure failed, deleting; missing = pending (a new endpoint may lag in
 *                      the service's list): the connection exists and can be acted on.
 * connection_rejected: pending accepted, pendingAcceptance, creating; target rejected;
 *                      failure failed; missing = target (a gone endpoint counts as rejected).
 */
VPCEP_EXTERN int vpcep_wait_spec_service_available(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_service_deleted(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_endpoint_created(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_endpoint_accepted(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_endpoint_deleted(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_connection_accepted(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_connection_visible(vpcep_wait_spec *spec, long timeout_ms);
VPCEP_EXTERN int vpcep_wait_spec_connection_rejected(vpcep_wait_spec *spec, long timeout_ms);

/**
 * Waits on GET /vpc-endpoint-services/{id}.
 * @param[out] out    optional: the last object read (NULL when it ended missing), caller frees
 * @param[out] stats_out  optional counters; its `version` must be set (VPCEP_WAIT_STATS_INIT)
 * @return 0 (target reached), VPCEP_EAPI (failure state), VPCEP_ENOTFOUND (missing with
 *         VPCEP_WAIT_MISSING_FAIL), VPCEP_ETIMEOUT, VPCEP_ECANCELED, or a non-retryable
 *         request error (e.g. VPCEP_EAUTH).
 */
VPCEP_EXTERN int vpcep_wait_service(vpcep_service **out,
                                    vpcep_wait_stats *stats_out,
                                    vpcep_client *client,
                                    const char *id,
                                    const vpcep_wait_spec *spec,
                                    vpcep_error *err);

/** Waits on GET /vpc-endpoints/{id}; as vpcep_wait_service(). */
VPCEP_EXTERN int vpcep_wait_endpoint(vpcep_endpoint **out,
                                     vpcep_wait_stats *stats_out,
                                     vpcep_client *client,
                                     const char *id,
                                     const vpcep_wait_spec *spec,
                                     vpcep_error *err);

/**
 * Waits on the connection @p endpoint_id of service @p service_id as its owner sees it
 * (GET .../connections?id=...; works across accounts). As vpcep_wait_service().
 */
VPCEP_EXTERN int vpcep_wait_connection(vpcep_connection **out,
                                       vpcep_wait_stats *stats_out,
                                       vpcep_client *client,
                                       const char *service_id,
                                       const char *endpoint_id,
                                       const vpcep_wait_spec *spec,
                                       vpcep_error *err);

#ifdef __cplusplus
}
#endif

#endif
