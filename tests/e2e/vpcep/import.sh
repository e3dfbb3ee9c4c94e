#!/usr/bin/env bash
# Scenario 5: import each resource (service by ID, endpoint by ID, approval by service ID) into a
# fresh state; the next plan shows no changes; destroying the imported state empties the emulator.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

src=$(e2e_workdir create lifecycle)
tf_apply "$src"
sid=$(tf_output "$src" service_id)
eid=$(tf_output "$src" endpoint_id)

dst=$(e2e_workdir imported lifecycle)
tf_ok "$dst" import -input=false vpcep_service.s "$sid"
tf_ok "$dst" import -input=false vpcep_endpoint.e "$eid"
tf_ok "$dst" import -input=false vpcep_approval.a "$sid"
[ "$(tf_state_attr "$dst" vpcep_service.s id)" = "$sid" ] || fail "imported service has another ID"
[ "$(tf_state_attr "$dst" vpcep_endpoint.e id)" = "$eid" ] || fail "imported endpoint has another ID"
[ "$(tf_state_attr "$dst" vpcep_approval.a endpoints)" = "[\"$eid\"]" ] ||
  fail "imported approval's endpoints are $(tf_state_attr "$dst" vpcep_approval.a endpoints), expected [\"$eid\"]"

tf_plan_expect "$dst" 0
out_has 'No changes'

# Importing an ID that does not exist is an error (not a crash, not an empty object in state).
bad=$(e2e_workdir bad lifecycle)
tf "$bad" import -input=false vpcep_service.s 00000000-0000-4000-8000-00000000dead
[ "$TF_RC" -ne 0 ] || fail "importing a non-existent service succeeded"
out_has 'Error:'
[ -z "$(tf_state_list "$bad")" ] || fail "a failed import left state behind: $(tf_state_list "$bad")"

tf_destroy "$dst"
assert_emu_empty
