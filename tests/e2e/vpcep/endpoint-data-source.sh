#!/usr/bin/env bash
# Data source vpcep_endpoint: the owner's service, a consumer's endpoint and the
# owner's approval in one configuration, and the endpoint read by ID through the data source,
# which depends on the approval. The first apply gives the data source what the API assigns on
# acceptance (status accepted, the private IP, the DNS name) (the resource was read before the
# approval); every attribute matches the API; the next plan is clean (exit 0); an
# unknown ID is an error naming the data source.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir ds-endpoint endpoint-data-source)
tf_apply "$dir"
eid=$(tf_output "$dir" endpoint_id)
sid=$(tf_output "$dir" service_id)
sname=$(tf_output "$dir" service_name)
out=$("$TF" -chdir="$dir" output -no-color -json)
echo "$out" | jq '.ds.value'
api=$(emu_objects | jq -c --arg id "$eid" '.endpoints[] | select(.id == $id)')
e2e_log "the endpoint in the API: $api"
[ "$(jq -r .status <<<"$api")" = accepted ] || fail "the endpoint is not accepted in the API"
jq -e '(.ip | length) > 0 and (.dns_names | length) == 1' <<<"$api" >/dev/null ||
  fail "the emulator assigned no IP or DNS name on acceptance"

jq -e --argjson api "$api" --arg id "$eid" --arg sid "$sid" --arg sname "$sname" \
  --arg vpc "$(acct consumer vpc_id)" --arg subnet "$(acct consumer subnet_id)" \
  --arg pid "$(acct consumer project_id)" '.ds.value == {
    id: $id, service_id: $sid, service_name: $sname, service_type: "interface",
    vpc_id: $vpc, subnet_id: $subnet, enable_dns: true,
    ip_address: $api.ip, dns_names: $api.dns_names,
    whitelist: ["10.1.0.0/16"], enable_whitelist: true, route_tables: [],
    description: "read by the data source", tags: {app: "e2e"}, status: "accepted",
    marker_id: $api.marker_id, project_id: $pid,
    created_at: $api.created_at, updated_at: $api.updated_at}' <<<"$out" >/dev/null ||
  fail "data.vpcep_endpoint.after does not match the endpoint in the API"
# Why the data source exists: the resource itself was read before the approval accepted it.
e2e_log "the resource's ip_address after the first apply: $("$TF" -chdir="$dir" show -json |
  jq -c '.values.root_module.resources[] | select(.address == "vpcep_endpoint.e") | .values.ip_address')"
tf_plan_expect "$dir" 0

cat >"$dir/unknown.tf" <<'HCL'
data "vpcep_endpoint" "unknown" {
  id = "00000000-0000-4000-8000-000000000000"
}
HCL
tf "$dir" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "a lookup of an unknown endpoint ID succeeded"
out_has 'endpoint not found'
out_has 'data\.vpcep_endpoint\.unknown'
rm "$dir/unknown.tf"

tf_destroy "$dir"
assert_emu_empty
