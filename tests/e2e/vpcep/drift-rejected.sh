#!/usr/bin/env bash
# Scenario 4: the owner rejects the accepted connection out of band: the approval shows drift
# (plan exits 2 with an in-place update of vpcep_approval), apply accepts it again, and the
# next plan is clean.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir drift lifecycle)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
tf_plan_expect "$dir" 0

e2e_log "rejecting the connection of $eid out of band"
api_ok owner POST "/vpc-endpoint-services/$sid/connections/action" \
  "{\"action\":\"reject\",\"endpoints\":[\"$eid\"]}" >/dev/null
is_rejected() { [ "$(connection_status "$sid" "$eid")" = rejected ]; }
wait_until 30 "connection of $eid to be rejected" is_rejected

tf_plan_expect "$dir" 2
out_has 'vpcep_approval\.a will be updated in-place'
out_has 'Plan: 0 to add, 1 to change, 0 to destroy'
tf_apply "$dir"
st=$(connection_status "$sid" "$eid")
[ "$st" = accepted ] || fail "connection of $eid is '$st' after apply, expected accepted"
[ "$(tf_output "$dir" endpoint_id)" = "$eid" ] || fail "the endpoint was replaced"
assert_emu_counts 1 1
tf_plan_expect "$dir" 0

tf_destroy "$dir"
assert_emu_empty
