#!/usr/bin/env bash
# Scenario 6: a consumer endpoint with wait_for_acceptance = true on the owner's service
# (approval required, consumer whitelisted), each side with its own state:
#   a) the owner accepts a few seconds later (out of band, owner's credentials): apply succeeds
#      only after the acceptance and the endpoint is accepted;
#   b) the owner rejects instead: the apply fails at once with the API's reason, and the endpoint
#      is kept in state (nothing orphaned) so destroy removes it;
#   c) nobody acts and the create timeout is short: the apply fails with a message that names
#      the action the service owner must take.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

owner=$(e2e_workdir owner wait-owner)
consumer=$(e2e_workdir consumer wait-consumer)
tf_apply "$owner"
sid=$(tf_output "$owner" service_id)
e2e_log "owner's service $sid"

# owner_acts_later ACTION DELAY_S MARKER: waits for a pendingAcceptance connection on the service,
# then after DELAY_S seconds touches MARKER and performs ACTION (receive|reject).
owner_acts_later() {
  local action=$1 delay=$2 marker=$3 eid="" i
  for i in $(seq 1 300); do
    api owner GET "/vpc-endpoint-services/$sid/connections?limit=1000"
    eid=$(jq -r '[.connections[]? | select(.status == "pendingAcceptance")][0].id // empty' <<<"$API_BODY" 2>/dev/null || true)
    [ -z "$eid" ] || break
    sleep 0.2
  done
  [ -n "$eid" ] || { echo "owner_acts_later: no pending connection appeared" >&2; return 1; }
  sleep "$delay"
  date +%s >"$marker"
  api owner POST "/vpc-endpoint-services/$sid/connections/action" \
    "{\"action\":\"$action\",\"endpoints\":[\"$eid\"]}"
  echo "owner_acts_later: $action $eid -> HTTP $API_STATUS" >&2
}

# a) accepted later
marker="$E2E_WORK/accepted.at"
bg owner_acts_later receive 4 "$marker"
tf_apply "$consumer" -var "service_id=$sid" -var create_timeout=5m
[ -f "$marker" ] || fail "apply returned before the owner accepted the connection"
eid=$(tf_output "$consumer" endpoint_id)
[ "$(tf_state_attr "$consumer" vpcep_endpoint.e status)" = accepted ] ||
  fail "endpoint status in state is not accepted after waiting for acceptance"
[ "$(connection_status "$sid" "$eid")" = accepted ] || fail "connection of $eid is not accepted in the API"
tf_plan_expect "$consumer" 0 -var "service_id=$sid" -var create_timeout=5m
tf_destroy "$consumer" -var "service_id=$sid" -var create_timeout=5m
assert_emu_counts 1 0

# b) rejected: fails at once (long before the 5 minute timeout) with the API's reason
marker="$E2E_WORK/rejected.at"
bg owner_acts_later reject 2 "$marker"
tf "$consumer" apply -input=false -auto-approve -var "service_id=$sid" -var create_timeout=5m
[ "$TF_RC" -ne 0 ] || fail "apply succeeded although the owner rejected the connection"
[ -f "$marker" ] || fail "apply failed before the owner rejected the connection"
[ "$TF_SECS" -lt 60 ] || fail "a rejected connection took ${TF_SECS}s to fail (create timeout 5m): not 'at once'"
out_has 'Error:'
out_has 'reject'
tf_state_list "$consumer" | grep -qx 'vpcep_endpoint.e' ||
  fail "the rejected endpoint is not in state (orphaned): $(tf_state_list "$consumer")"
assert_emu_counts 1 1
tf_destroy "$consumer" -var "service_id=$sid"
assert_emu_counts 1 0

# c) nobody acts: a short create timeout fails and names the owner's action
tf "$consumer" apply -input=false -auto-approve -var "service_id=$sid" -var create_timeout=5s
[ "$TF_RC" -ne 0 ] || fail "apply succeeded although nobody accepted the connection"
[ "$TF_SECS" -lt 60 ] || fail "a 5s create timeout took ${TF_SECS}s to fire"
out_has 'Error:'
out_has 'accept'
out_has "owner|$sid" "the timeout message (it must name the service owner's action)"
tf_state_list "$consumer" | grep -qx 'vpcep_endpoint.e' ||
  fail "the timed-out endpoint is not in state (orphaned): $(tf_state_list "$consumer")"
tf_destroy "$consumer" -var "service_id=$sid"
tf_destroy "$owner"
assert_emu_empty
