#!/usr/bin/env bash
# Scenario 2: in-place updates of the service (tags, whitelist, ports, description,
# approval_enabled, tcp_proxy) keep every ID, touch only the service, and are visible in the API;
# a plan after each apply shows no changes.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir updates updates)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
e2e_log "service $sid, endpoint $eid"
tf_plan_expect "$dir" 0
consumer_domain=$(acct consumer domain_id)

# check_api DESCRIPTION APPROVAL TCP_PROXY TAGS_JSON PORTS_JSON WHITELISTED(true|false)
check_api() {
  local svc perms got
  svc=$(api_ok owner GET "/vpc-endpoint-services/$sid")
  [ "$(jq -r .description <<<"$svc")" = "$1" ] || fail "API description is not '$1': $svc"
  [ "$(jq -r .approval_enabled <<<"$svc")" = "$2" ] || fail "API approval_enabled is not $2: $svc"
  [ "$(jq -r .tcp_proxy <<<"$svc")" = "$3" ] || fail "API tcp_proxy is not $3: $svc"
  got=$(jq -c '[.tags[]? | {key, value}] | sort_by(.key)' <<<"$svc")
  [ "$got" = "$4" ] || fail "API tags are $got, expected $4"
  got=$(jq -c '[.ports[] | [.client_port, .server_port]] | sort' <<<"$svc")
  [ "$got" = "$5" ] || fail "API ports are $got, expected $5"
  perms=$(api_ok owner GET "/vpc-endpoint-services/$sid/permissions?limit=500")
  got=$(jq --arg d "iam:domain::$consumer_domain" '[.permissions[]? | select(.permission == $d)] | length > 0' <<<"$perms")
  [ "$got" = "$6" ] || fail "consumer whitelisted = $got, expected $6: $perms"
}

check_ids() {
  [ "$(tf_output "$dir" service_id)" = "$sid" ] || fail "service ID changed"
  [ "$(tf_output "$dir" endpoint_id)" = "$eid" ] || fail "endpoint ID changed"
  assert_emu_counts 1 1
}

check_api first true close '[{"key":"env","value":"e2e"},{"key":"team","value":"a"}]' '[[80,8080]]' false

# Step 2: change every in-place attribute; approval_enabled goes to false (must be sent).
cat >"$dir/step2.tfvars.json" <<'JSON'
{
  "svc_description": "second",
  "svc_tags": {"env": "e2e2", "owner": "b"},
  "svc_whitelist_consumer": true,
  "svc_ports": [{"client_port": 80, "server_port": 8080}, {"client_port": 443, "server_port": 8443}],
  "svc_approval_enabled": false,
  "svc_tcp_proxy": "toa_open"
}
JSON
tf "$dir" plan -input=false -detailed-exitcode -var-file=step2.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan for step 2 exited $TF_RC, expected 2"
out_has 'vpcep_service\.s will be updated in-place'
out_has 'Plan: 0 to add, 1 to change, 0 to destroy'
out_lacks 'forces replacement|must be replaced'
tf_apply "$dir" -var-file=step2.tfvars.json
check_ids
check_api second false toa_open '[{"key":"env","value":"e2e2"},{"key":"owner","value":"b"}]' '[[80,8080],[443,8443]]' true
tf_plan_expect "$dir" 0 -var-file=step2.tfvars.json

# Step 3: remove a port and change the other, drop all tags and the whitelist, approval back on.
cat >"$dir/step3.tfvars.json" <<'JSON'
{
  "svc_description": "third",
  "svc_tags": {},
  "svc_whitelist_consumer": false,
  "svc_ports": [{"client_port": 8443, "server_port": 9443}],
  "svc_approval_enabled": true,
  "svc_tcp_proxy": "close"
}
JSON
tf "$dir" plan -input=false -detailed-exitcode -var-file=step3.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan for step 3 exited $TF_RC, expected 2"
out_has 'vpcep_service\.s will be updated in-place'
out_has 'Plan: 0 to add, 1 to change, 0 to destroy'
out_lacks 'forces replacement|must be replaced'
tf_apply "$dir" -var-file=step3.tfvars.json
check_ids
check_api third true close '[]' '[[8443,9443]]' false
tf_plan_expect "$dir" 0 -var-file=step3.tfvars.json

tf_destroy "$dir" -var-file=step3.tfvars.json
assert_emu_empty
