#!/usr/bin/env bash
# Data sources: vpcep_service by ID and by full name (also from another account,
# through the describe API; the owner's lookup exports the resource's attributes, another
# account's only the describe answer), vpcep_public_services with a case-insensitive name filter and without;
# an unknown name is an error.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir lookup data-sources)
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
sname=$(tf_output "$dir" service_name)
out=$("$TF" -chdir="$dir" output -no-color -json)
echo "$out" | jq .
jq -e --arg id "$sid" --arg n "$sname" '.by_id.value == {id: $id, name: $n, type: "interface"}' <<<"$out" >/dev/null ||
  fail "vpcep_service by ID does not describe the service"
jq -e --arg id "$sid" --arg n "$sname" '.by_name.value == {id: $id, name: $n, type: "interface"}' <<<"$out" >/dev/null ||
  fail "vpcep_service by name (consumer's account) does not describe the service"
jq -e --arg n "$sname" --arg vpc "$(acct owner vpc_id)" --arg port "$(acct owner port_id)" \
  --arg dom "$(acct consumer domain_id)" --arg pid "$(acct owner project_id)" '.by_id_owner.value == {
    service_name: $n, description: "looked up", vpc_id: $vpc, port_id: $port, server_type: "VM",
    approval_enabled: false, tcp_proxy: "proxy_open", ports: ["80:8080:TCP", "81:8081:TCP"],
    whitelist: [$dom], tags: {team: "e2e"}, status: "available", connection_count: 0,
    connections: 0, project_id: $pid}' <<<"$out" >/dev/null ||
  fail "vpcep_service by ID (owner) does not export the attributes of the vpcep_service resource"
jq -e --arg n "$sname" '.by_name_consumer.value == {vpc_id_null: true, port_null: true, tags_null: true, service_name: $n}' <<<"$out" >/dev/null ||
  fail "vpcep_service by name (another account) exports owner-only attributes or lacks service_name"
jq -e '.public_obs.value == ["com.t-systems.otc.eu-de.obs"]' <<<"$out" >/dev/null ||
  fail "vpcep_public_services with name = \"OBS\" is not exactly the OBS service"
jq -e '(.public_all.value | index("com.t-systems.otc.eu-de.obs")) != null and (.public_all.value | index("com.t-systems.otc.eu-de.dns")) != null' <<<"$out" >/dev/null ||
  fail "vpcep_public_services without a filter lacks the seed's public services"
tf_plan_expect "$dir" 0

cat >"$dir/unknown.tf" <<'HCL'
data "vpcep_service" "unknown" {
  name = "eu-de.no-such-service.00000000-0000-4000-8000-000000000000"
}
HCL
tf "$dir" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "a lookup of an unknown service name succeeded"
out_has 'Error:'
out_has 'data\.vpcep_service\.unknown'
rm "$dir/unknown.tf"

tf_destroy "$dir"
assert_emu_empty
