#!/usr/bin/env bash
# Drift on the service (read refreshes every attribute; 404 means gone): out-of-band
# changes of description and approval_enabled (PUT), the whitelist (permissions action) and the
# tags (tags action) each show as an in-place update that apply reverts; a service deleted out of
# band is planned for creation and recreated.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir drift drift-service)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
tf_plan_expect "$dir" 0

# drift_and_revert WHAT CHECK_JQ: plan shows an in-place update of the service, apply reverts it
# (CHECK_JQ must hold on the API's service afterwards), and the next plan is clean.
drift_and_revert() {
  tf_plan_expect "$dir" 2
  out_has 'vpcep_service\.s will be updated in-place' "the plan after $1"
  out_has 'Plan: 0 to add, 1 to change, 0 to destroy' "the plan after $1"
  tf_apply "$dir"
  [ "$(tf_output "$dir" service_id)" = "$sid" ] || fail "reverting $1 replaced the service"
  api_ok owner GET "/vpc-endpoint-services/$sid" | jq -e "$2" >/dev/null ||
    fail "after reverting $1 the API shows: $(api_ok owner GET "/vpc-endpoint-services/$sid")"
  tf_plan_expect "$dir" 0
}

e2e_log "out of band: description and approval_enabled"
api_ok owner PUT "/vpc-endpoint-services/$sid" '{"description":"changed in the console","approval_enabled":false}' >/dev/null
drift_and_revert "a PUT" '.description == "managed by terraform" and .approval_enabled == true'

e2e_log "out of band: a whitelist record"
api_ok owner POST "/vpc-endpoint-services/$sid/permissions/action" \
  "{\"action\":\"add\",\"permissions\":[\"iam:domain::$(acct consumer domain_id)\"]}" >/dev/null
drift_and_revert "a whitelist record" '.id != null'
perms=$(api_ok owner GET "/vpc-endpoint-services/$sid/permissions?limit=500")
jq -e '[.permissions[]? | select(.permission != "iam:domain::'"$(acct owner domain_id)"'")] | length == 0' <<<"$perms" >/dev/null ||
  fail "the out-of-band whitelist record was not removed: $perms"

e2e_log "out of band: a tag"
api owner POST "/endpoint_service/$sid/tags/action" '{"action":"create","tags":[{"key":"rogue","value":"x"}]}'
case "$API_STATUS" in 2??) ;; *) fail "adding a tag out of band returned $API_STATUS: $API_BODY" ;; esac
drift_and_revert "a tag" '[.tags[] | .key] == ["env"]'

e2e_log "out of band: the service is deleted"
api_ok owner DELETE "/vpc-endpoint-services/$sid" >/dev/null
svc_gone() { api owner GET "/vpc-endpoint-services/$sid"; [ "$API_STATUS" = 404 ]; }
wait_until 30 "service $sid to be gone" svc_gone
tf_plan_expect "$dir" 2
out_has 'vpcep_service\.s will be created'
tf_apply "$dir"
[ "$(tf_output "$dir" service_id)" != "$sid" ] || fail "the service was not recreated"
assert_emu_counts 1 0
tf_plan_expect "$dir" 0

tf_destroy "$dir"
assert_emu_empty
