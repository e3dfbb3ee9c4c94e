#!/usr/bin/env bash
# A create that ends in the API's "failed" state (emulator --fail-rate 1) fails the apply at once
# with the API's own error code and message, and keeps the new ID in state, so nothing is
# orphaned: destroy removes the failed object.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator --fail-rate 1

dir=$(e2e_workdir fails create-failure)
tf "$dir" apply -input=false -auto-approve
[ "$TF_RC" -ne 0 ] || fail "apply succeeded although the service ended in 'failed'"
[ "$TF_SECS" -lt 60 ] || fail "the failed create took ${TF_SECS}s to fail (timeout 10m): not 'at once'"
code=$(emu_objects | jq -r '.services[0].error[0].error_code // empty')
msg=$(emu_objects | jq -r '.services[0].error[0].error_message // empty')
[ -n "$code" ] || fail "the emulator did not record a failed service"
out_has 'Error:'
out_has "$code" "the diagnostic (it must carry the API's error code $code)"
out_has "${msg%%:*}" "the diagnostic (it must carry the API's error message)"
tf_state_list "$dir" | grep -qx 'vpcep_service.s' ||
  fail "the failed service is not in state (orphaned): $(tf_state_list "$dir")"
assert_emu_counts 1 0
tf_destroy "$dir"
assert_emu_empty
