#!/usr/bin/env bash
# Endpoint updates and replacements: the endpoint's tags change in place (same ID,
# tags API), its description forces a replacement (the API has no endpoint update), and the
# service's server_type forces the service's replacement (and so the endpoint's); every plan
# after an apply is clean and nothing is left behind.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir epupd endpoint-updates)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
tf_plan_expect "$dir" 0
ep_tags() { api_ok owner GET "/vpc-endpoints/$1" | jq -c '[.tags[]? | {key, value}] | sort_by(.key)'; }
[ "$(ep_tags "$eid")" = '[{"key":"env","value":"e2e"}]' ] || fail "endpoint tags in the API: $(ep_tags "$eid")"

# Tags: in place.
echo '{"ep_tags": {"env": "e2e2", "team": "x"}}' >"$dir/tags.tfvars.json"
tf "$dir" plan -input=false -detailed-exitcode -var-file=tags.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan for new endpoint tags exited $TF_RC, expected 2"
out_has 'vpcep_endpoint\.e will be updated in-place'
out_has 'Plan: 0 to add, 1 to change, 0 to destroy'
tf_apply "$dir" -var-file=tags.tfvars.json
[ "$(tf_output "$dir" endpoint_id)" = "$eid" ] || fail "a tag change replaced the endpoint"
[ "$(ep_tags "$eid")" = '[{"key":"env","value":"e2e2"},{"key":"team","value":"x"}]' ] ||
  fail "endpoint tags in the API after the update: $(ep_tags "$eid")"
tf_plan_expect "$dir" 0 -var-file=tags.tfvars.json

# Description: the endpoint must be replaced (and only the endpoint).
echo '{"ep_tags": {"env": "e2e2", "team": "x"}, "ep_description": "second"}' >"$dir/desc.tfvars.json"
tf "$dir" plan -input=false -detailed-exitcode -var-file=desc.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan for a new endpoint description exited $TF_RC, expected 2"
out_has 'vpcep_endpoint\.e must be replaced'
out_has 'Plan: 1 to add, 0 to change, 1 to destroy'
tf_apply "$dir" -var-file=desc.tfvars.json
eid2=$(tf_output "$dir" endpoint_id)
[ "$eid2" != "$eid" ] || fail "the endpoint was not replaced"
[ "$(tf_output "$dir" service_id)" = "$sid" ] || fail "the service was replaced"
assert_emu_counts 1 1
tf_plan_expect "$dir" 0 -var-file=desc.tfvars.json

# server_type: the service must be replaced; its endpoint follows.
echo '{"ep_tags": {"env": "e2e2", "team": "x"}, "ep_description": "second", "server_type": "VIP"}' >"$dir/type.tfvars.json"
tf "$dir" plan -input=false -detailed-exitcode -var-file=type.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan for a new server_type exited $TF_RC, expected 2"
out_has 'vpcep_service\.s must be replaced'
out_has 'server_type .*forces replacement'
tf_apply "$dir" -var-file=type.tfvars.json
[ "$(tf_output "$dir" service_id)" != "$sid" ] || fail "the service was not replaced"
assert_emu_counts 1 1
tf_plan_expect "$dir" 0 -var-file=type.tfvars.json

tf_destroy "$dir" -var-file=type.tfvars.json
assert_emu_empty
