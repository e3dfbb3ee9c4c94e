#!/usr/bin/env bash
# Scenario 1 (+10): service + endpoint + approval in one account (approval_enabled = true);
# a second plan shows no changes; destroy leaves the emulator empty.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir lifecycle lifecycle)
tf_ok "$dir" validate
assert_emu_empty

tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
e2e_log "service $sid, endpoint $eid"
[ -n "$sid" ] && [ -n "$eid" ] || fail "empty IDs in the outputs"
assert_emu_counts 1 1

# What the API says: the service is available, the owner's approval accepted the connection.
svc=$(api_ok owner GET "/vpc-endpoint-services/$sid")
[ "$(jq -r .status <<<"$svc")" = available ] || fail "service status is not available: $svc"
[ "$(jq -r .approval_enabled <<<"$svc")" = true ] || fail "approval_enabled is not true: $svc"
st=$(connection_status "$sid" "$eid")
[ "$st" = accepted ] || fail "connection of $eid is '$st', expected accepted"

# What the state says.
[ "$(tf_state_attr "$dir" vpcep_service.s status)" = available ] || fail "service status in state is not available"
[ "$(tf_state_attr "$dir" vpcep_service.s service_name)" != "" ] || fail "service_name is empty in state"
[ "$(tf_state_attr "$dir" vpcep_approval.a id)" = "$sid" ] || fail "the approval's ID is not the service ID"

# The second plan shows no changes (twice: once right away, once after a refresh-only apply that
# picked up the endpoint's status change made by the approval).
tf_plan_expect "$dir" 0
out_has 'No changes'
tf_ok "$dir" apply -input=false -auto-approve -refresh-only
[ "$(tf_state_attr "$dir" vpcep_endpoint.e status)" = accepted ] ||
  fail "endpoint status in state is not accepted after a refresh"
tf_plan_expect "$dir" 0

# Computed endpoint attributes after acceptance agree with the API: the IP, the DNS names
# (enable_dns), the service type, and marker_id exactly (it is above 2^32 in the emulator).
ep=$(api_ok owner GET "/vpc-endpoints/$eid")
[ "$(tf_state_attr "$dir" vpcep_endpoint.e ip_address)" = "$(jq -r .ip <<<"$ep")" ] ||
  fail "ip_address in state ($(tf_state_attr "$dir" vpcep_endpoint.e ip_address)) differs from the API's ip ($(jq -r .ip <<<"$ep"))"
[ "$(jq -r '.ip // ""' <<<"$ep")" != "" ] || fail "the API shows no ip for the accepted endpoint"
[ "$(tf_state_attr "$dir" vpcep_endpoint.e dns_names)" = "$(jq -c '.dns_names // []' <<<"$ep")" ] ||
  fail "dns_names in state ($(tf_state_attr "$dir" vpcep_endpoint.e dns_names)) differ from the API's"
[ "$(tf_state_attr "$dir" vpcep_endpoint.e service_type)" = interface ] || fail "service_type in state is not interface"
[ "$(tf_state_attr "$dir" vpcep_endpoint.e marker_id)" = "$(jq -r .marker_id <<<"$ep")" ] ||
  fail "marker_id in state ($(tf_state_attr "$dir" vpcep_endpoint.e marker_id)) differs from the API's ($(jq -r .marker_id <<<"$ep"))"

# Scenario 10: destroy leaves the emulator empty (no services, no endpoints).
tf_destroy "$dir"
[ -z "$(tf_state_list "$dir")" ] || fail "state not empty after destroy: $(tf_state_list "$dir")"
assert_emu_empty
api owner GET "/vpc-endpoint-services/$sid"
[ "$API_STATUS" = 404 ] || fail "GET of the destroyed service returned $API_STATUS, expected 404"
api owner GET "/vpc-endpoints/$eid"
[ "$API_STATUS" = 404 ] || fail "GET of the destroyed endpoint returned $API_STATUS, expected 404"
