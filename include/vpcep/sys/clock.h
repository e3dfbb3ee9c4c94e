/**
 * @file vpcep/sys/clock.h
 * @brief System tier: replacing a client's clock and sleep (fake time in tests, benchmarks).
 *
 * Not included by vpcep/vpcep.h; see vpcep/sys/decode.h for what the sys/ tier promises.
 */
#ifndef VPCEP_SYS_CLOCK_H
#define VPCEP_SYS_CLOCK_H

#include "../client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Sleeps @p ms milliseconds (backoff and poll delays). */
typedef void (*vpcep_sleep_fn)(void *ud, long ms);
/** A monotonic clock in milliseconds (waiter deadlines). */
typedef int64_t (*vpcep_now_fn)(void *ud);

/**
 * Replaces the sleep and the clock of @p client. Defaults (NULL): nanosleep in slices that
 * honour the cancellation hook, and CLOCK_MONOTONIC. The cancellation hook is still polled
 * before and after every sleep. Call it before the first request on the client; it is not
 * synchronised with calls in progress.
 * @param ud  passed to @p sleep_fn and @p now_fn (borrowed: must outlive the client)
 * @return 0, VPCEP_EINVALID (NULL @p client).
 */
VPCEP_EXTERN int vpcep_client_set_clock(vpcep_client *client,
                                        vpcep_sleep_fn sleep_fn,
                                        vpcep_now_fn now_fn,
                                        void *ud);

#ifdef __cplusplus
}
#endif

#endif
