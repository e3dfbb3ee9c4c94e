/* The caller's clock, sleep and cancellation hooks (with monotonic-clock defaults). */
#include "internal.h"

#include <errno.h>
#include <time.h>

int vpcep_client_set_clock(vpcep_client *client,
                           vpcep_sleep_fn sleep_fn,
                           vpcep_now_fn now_fn,
                           void *ud)
{
    if (client == NULL)
        return VPCEP_EINVALID;
    client->sleep = sleep_fn;
    client->now_ms = now_fn;
    client->clock_ud = ud;
    return 0;
}

int64_t rest_now_ms(vpcep_client *c)
{
    struct timespec ts;

    if (c->now_ms != NULL)
        return c->now_ms(c->clock_ud);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rest_cancelled(vpcep_client *c)
{
    return c->cancelled != NULL && c->cancelled(c->cancel_ud) != 0;
}

int rest_sleep(vpcep_client *c, long ms, vpcep_error *err)
{
    if (rest_cancelled(c))
        return rest_fail(err, VPCEP_ECANCELED, "cancelled");
    if (ms <= 0)
        return 0;
    if (c->sleep != NULL) {
        c->sleep(c->clock_ud, ms);
    } else {
        while (ms > 0) {
            long slice = ms > 50 ? 50 : ms;
            struct timespec ts = {slice / 1000, (slice % 1000) * 1000000L};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
            }
            ms -= slice;
            if (rest_cancelled(c))
                break;
        }
    }
    if (rest_cancelled(c))
        return rest_fail(err, VPCEP_ECANCELED, "cancelled");
    return 0;
}
