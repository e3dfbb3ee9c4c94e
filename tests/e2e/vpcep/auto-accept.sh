#!/usr/bin/env bash
# auto_accept: when the configured credentials own the service, the endpoint accepts
# its own connection; with wait_for_acceptance the apply returns an accepted endpoint without any
# vpcep_approval.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir auto auto-accept)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
[ "$(connection_status "$sid" "$eid")" = accepted ] || fail "the connection was not accepted"
[ "$(tf_state_attr "$dir" vpcep_endpoint.e status)" = accepted ] || fail "endpoint status in state is not accepted"
tf_plan_expect "$dir" 0
tf_destroy "$dir"
assert_emu_empty
