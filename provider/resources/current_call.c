/*
 * provider/resources/current_call.c - the per-thread "current call" that the VPCEP client's
 * cancellation hook reads.
 *
 * The client is created once per ConfigureProvider and shared by every handler thread. Its
 * cancellation hook (vpcep_client_options.cancelled) cannot carry a per-call argument, so each
 * handler runs through one trampoline (dispatch.c) that records its tfp_call in a thread-local
 * for the duration of the handler. The client calls the hook on the calling thread
 * (vpcep/client.h: "Polled before every request, during transfers and while sleeping"), so the
 * hook sees exactly the call that issued the request and reports tfp_call_stopped() of that
 * call: StopProvider cancels every wait in progress.
 */
#include "internal.h"

static _Thread_local const tfp_call *current_call;

const tfp_call *tfpv_current_call(void)
{
    return current_call;
}

void tfpv_set_current_call(const tfp_call *call)
{
    current_call = call;
}

int tfpv_cancelled_hook(void *ud)
{
    (void)ud;
    return current_call != NULL && tfp_call_stopped(current_call);
}
