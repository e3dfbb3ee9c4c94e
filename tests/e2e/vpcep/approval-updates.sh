#!/usr/bin/env bash
# vpcep_approval in place: endpoints removed from the set are rejected, added ones
# accepted, the approval keeps its ID (= service ID); destroying the approval rejects its
# connections.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir approvals approval-updates)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
e1=$(tf_output "$dir" endpoint_one)
e2=$(tf_output "$dir" endpoint_two)
expect_conn() {
  local st
  st=$(connection_status "$sid" "$1")
  [ "$st" = "$2" ] || fail "connection of $1 is '$st', expected $2 ($3)"
}
expect_conn "$e1" accepted "both approved"
expect_conn "$e2" accepted "both approved"
tf_plan_expect "$dir" 0

echo '{"approved": ["one"]}' >"$dir/one.tfvars.json"
tf "$dir" plan -input=false -detailed-exitcode -var-file=one.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan removing an endpoint from the approval exited $TF_RC, expected 2"
out_has 'vpcep_approval\.a will be updated in-place'
out_has 'Plan: 0 to add, 1 to change, 0 to destroy'
tf_apply "$dir" -var-file=one.tfvars.json
expect_conn "$e1" accepted "still approved"
expect_conn "$e2" rejected "removed from the approval"
[ "$(tf_state_attr "$dir" vpcep_approval.a id)" = "$sid" ] || fail "the approval's ID changed"
tf_plan_expect "$dir" 0 -var-file=one.tfvars.json

tf_apply "$dir"
expect_conn "$e1" accepted "approved again"
expect_conn "$e2" accepted "added back to the approval"
tf_plan_expect "$dir" 0

tf_destroy "$dir" -target=vpcep_approval.a
expect_conn "$e1" rejected "approval destroyed"
expect_conn "$e2" rejected "approval destroyed"
assert_emu_counts 1 2
tf_destroy "$dir"
assert_emu_empty
