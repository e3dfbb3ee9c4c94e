#!/usr/bin/env bash
# Scenario 3: the endpoint is deleted out of band (signed API call with the owner's credentials):
# plan -detailed-exitcode exits 2 and plans to create it again, apply recreates it, then the plan
# is clean again. Read must treat the 404 as "gone", never as an error.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir drift lifecycle)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
tf_plan_expect "$dir" 0

e2e_log "deleting endpoint $eid out of band"
api_ok owner DELETE "/vpc-endpoints/$eid" >/dev/null
wait_until 30 "endpoint $eid to be gone (404)" endpoint_gone owner "$eid"
assert_emu_counts 1 0

tf_plan_expect "$dir" 2
out_has 'vpcep_endpoint\.e will be created'
out_lacks 'vpcep_service\.s (must be replaced|will be destroyed)'
tf_apply "$dir"
eid2=$(tf_output "$dir" endpoint_id)
[ "$(tf_output "$dir" service_id)" = "$sid" ] || fail "the service was replaced"
[ -n "$eid2" ] && [ "$eid2" != "$eid" ] || fail "endpoint was not recreated (ID '$eid2')"
assert_emu_counts 1 1
st=$(connection_status "$sid" "$eid2")
[ "$st" = accepted ] || fail "connection of the recreated endpoint is '$st', expected accepted"
tf_plan_expect "$dir" 0

tf_destroy "$dir"
assert_emu_empty
