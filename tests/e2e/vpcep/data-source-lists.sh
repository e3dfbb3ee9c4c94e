#!/usr/bin/env bash
# Data sources vpcep_services and vpcep_endpoints: two services of the owner
# with an endpoint to each, listed with every filter (none, name ignoring case, ID, VPC, status,
# one tag, two tags of which one matches nothing; for endpoints service name, service ID,
# endpoint ID, VPC + status, tag, a status nothing has). Each list holds exactly the expected
# IDs; an element carries the resource's attributes (equal to the API's); tag
# filters go through the tag filter API; the data sources' IDs are deterministic and distinct;
# the next plan is clean; an invalid status is refused at validate time.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir lists data-source-lists)
tf_apply "$dir"
out=$("$TF" -chdir="$dir" output -no-color -json)
echo "$out" | jq '{ids: .ids.value, services: .services.value, endpoints: .endpoints.value, ds_ids: .ds_ids.value}'
ids=$(jq -c .ids.value <<<"$out")

# The two objects of a kind are created in parallel (same second): compare the lists as sets.
jq -e --argjson i "$ids" '(.services.value | map_values(sort)) == ({
    all: [$i.sa, $i.sb], by_tag: [$i.sa], by_tags_none: [], by_name: [$i.sb], by_id: [$i.sa],
    by_vpc: [$i.sa, $i.sb], other_vpc: []} | map_values(sort))' <<<"$out" >/dev/null ||
  fail "vpcep_services filters found other services than expected"
jq -e --argjson i "$ids" '(.endpoints.value | map_values(sort)) == ({
    all: [$i.ea, $i.eb], by_service_id: [$i.eb], by_service_name: [$i.ea], by_id: [$i.eb],
    by_tag: [$i.eb], by_vpc_status: [$i.ea, $i.eb], pending: []} | map_values(sort))' <<<"$out" >/dev/null ||
  fail "vpcep_endpoints filters found other endpoints than expected"

sa=$(jq -r .sa <<<"$ids")
eb=$(jq -r .eb <<<"$ids")
api_s=$(emu_objects | jq -c --arg id "$sa" '.services[] | select(.id == $id)')
api_e=$(emu_objects | jq -c --arg id "$eb" '.endpoints[] | select(.id == $id)')
jq -e --argjson api "$api_s" --arg vpc "$(acct owner vpc_id)" --arg port "$(acct owner port_id)" '.service_a.value as $s |
    $s.id == $api.id and $s.service_name == $api.service_name and $s.vpc_id == $vpc and
    $s.port_id == $port and $s.approval_enabled == false and $s.server_type == "VM" and
    $s.status == "available" and $s.tags == {team: "alpha", env: "e2e"} and
    $s.port == [{client_port: 80, server_port: 8080, protocol: "TCP"}] and
    $s.connection_count == 1 and $s.created_at == $api.created_at' <<<"$out" >/dev/null ||
  fail "a vpcep_services element does not carry the service's attributes: $(jq -c .service_a.value <<<"$out")"
jq -e --argjson api "$api_e" '.endpoint_b.value as $e |
    $e.id == $api.id and $e.status == "accepted" and $e.ip_address == $api.ip and
    $e.dns_names == $api.dns_names and ($e.dns_names | length) == 1 and $e.enable_dns == true and
    $e.service_id == $api.endpoint_service_id and $e.tags == {team: "beta"} and
    $e.marker_id == $api.marker_id' <<<"$out" >/dev/null ||
  fail "a vpcep_endpoints element does not carry the endpoint's attributes: $(jq -c .endpoint_b.value <<<"$out")"
jq -e '.ds_ids.value | (unique | length) == 4 and all(test("^vpcep-(services|endpoints)-[0-9a-f]{16}$"))' <<<"$out" >/dev/null ||
  fail "the data sources' IDs are not distinct deterministic IDs"
grep -q 'POST /v1/[^ ]*/endpoint_service/resource_instances/action' "$E2E_WORK/emulator.err" ||
  fail "no tag filter call for services in the emulator's log"
grep -q 'POST /v1/[^ ]*/endpoint/resource_instances/action' "$E2E_WORK/emulator.err" ||
  fail "no tag filter call for endpoints in the emulator's log"

# The same filters read again at plan time give the same IDs and lists: no change.
tf_plan_expect "$dir" 0

cat >"$dir/bad.tf" <<'HCL'
data "vpcep_endpoints" "bad" {
  status = "waiting"
}
HCL
tf "$dir" validate
[ "$TF_RC" -ne 0 ] || fail "an invalid status filter was accepted"
out_has 'status'
out_has 'waiting'
rm "$dir/bad.tf"

tf_destroy "$dir"
assert_emu_empty
