/**
 * @file vpcep/sys/policy.h
 * @brief System tier: the retry and poll schedules as pure functions (tests, benchmarks).
 *
 * The client and the waiters compute their delays with these; tests and benchmarks use them to
 * predict a schedule without sleeping. Not included by vpcep/vpcep.h; see vpcep/sys/decode.h
 * for what the sys/ tier promises.
 */
#ifndef VPCEP_SYS_POLICY_H
#define VPCEP_SYS_POLICY_H

#include "../wait.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The backoff delay before retry number @p attempt (1-based) for the given base and cap,
 * before jitter: min(cap, base * 2^(attempt-1)).
 */
VPCEP_EXTERN long vpcep_backoff_delay_ms(int attempt, long base_ms, long cap_ms);

/**
 * Classifies @p state against @p spec: 1 target, -1 failure, 0 pending (anything else).
 * NULL @p state (object missing) follows spec->missing: 1, -1 (FAIL) or 0.
 */
VPCEP_EXTERN int vpcep_wait_classify(const vpcep_wait_spec *spec, const char *state);

/**
 * The poll interval after @p polls polls (0-based), before clamping to the deadline:
 * poll_min for polls 0 and 1, then min(poll_max, poll_min * 1.5^(polls - 1)), with the spec's
 * defaults applied.
 */
VPCEP_EXTERN long vpcep_wait_interval_ms(const vpcep_wait_spec *spec, unsigned int polls);

#ifdef __cplusplus
}
#endif

#endif
