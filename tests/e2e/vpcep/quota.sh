#!/usr/bin/env bash
# Quota (20 services per project): creating 21 services fails the one over the quota
# with the API's error (Endpoint.1018) as a diagnostic on that resource instance, the 20 others are
# applied and in state, destroy removes them, and 20 services apply and plan cleanly.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir quota quota)
tf "$dir" apply -input=false -auto-approve
[ "$TF_RC" -ne 0 ] || fail "21 services were created although the quota is 20"
out_has 'Error:'
out_has 'Endpoint\.1018' "the diagnostic (it must carry the API's quota error code)"
out_has 'vpcep_service\.s\[[0-9]+\]' "the diagnostic (it must name the resource instance)"
assert_emu_counts 20 0
n=$(tf_state_list "$dir" | grep -c '^vpcep_service\.s\[' || true)
[ "$n" -eq 20 ] || fail "$n services in state, expected the 20 that were created"

# Which index failed depends on scheduling; destroy what was created, then 20 services apply
# and plan cleanly.
tf_destroy "$dir"
assert_emu_empty
tf_apply "$dir" -var services=20
assert_emu_counts 20 0
tf_plan_expect "$dir" 0 -var services=20
tf_destroy "$dir" -var services=20
assert_emu_empty
