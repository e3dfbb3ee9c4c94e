#!/usr/bin/env bash
# `moved` from the Go providers: objects created through the API as the OTC and Huawei Cloud
# providers would have (a service with a whitelist, an endpoint, an approval, each), a state
# file shaped exactly as those providers write it (their attributes, schema version 0, SDKv2
# private), and a configuration of vpcep resources with one `moved` block each. The source
# providers are played by tfp-test-provider in stand-in mode (dev_overrides), since Terraform
# needs a provider for every provider in the state.
#
# Checks: the plan shows six moves and "0 to add, 0 to change, 0 to destroy"; apply makes no
# API change; the next plan is empty (exit 0); the state holds the very cloud IDs; sources that
# are not accepted are refused with the source type and provider named; an object moved from
# another region than the configured one is not looked up (and not dropped).
#
#   move.sh --plugin P --emulator E --standin TFP_TEST_PROVIDER
source "$(dirname "$0")/lib.sh"
args=()
standin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --standin) standin=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
e2e_init "${args[@]}"
[ -n "$standin" ] && [ -x "$standin" ] || fail "stand-in provider not found: '$standin'"
e2e_start_emulator

OTC=registry.terraform.io/opentelekomcloud/opentelekomcloud
HW=registry.terraform.io/huaweicloud/huaweicloud

# The stand-ins: the test provider under the Go providers' names, serving their state types.
mkdir -p "$E2E_WORK/standin"
ln -s "$(realpath "$standin")" "$E2E_WORK/standin/terraform-provider-opentelekomcloud"
ln -s "$(realpath "$standin")" "$E2E_WORK/standin/terraform-provider-huaweicloud"
export TFPTEST_STANDIN_DIR="$E2E_HERE/move"
cat >"$E2E_WORK/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/otc/vpcep" = "$E2E_WORK/plugin"
    "$OTC" = "$E2E_WORK/standin"
    "$HW" = "$E2E_WORK/standin"
  }
  direct {}
}
EOF

region=$(seed_get .region)
owner_vpc=$(acct owner vpc_id)
consumer_domain=$(acct consumer domain_id)

# ---- objects in the cloud, created as the Go providers create them --------------------------

wait_status() { # ACCOUNT PATH WANT
  local s
  s=$(api_ok "$1" GET "$2" | jq -r .status)
  [ "$s" = "$3" ]
}

create_service() { # NAME PORT_ID CLIENT_PORT SERVER_PORT DESCRIPTION TAGS_JSON -> id
  local body id
  body=$(jq -cn --arg port "$2" --arg vpc "$owner_vpc" --arg name "$1" --arg desc "$5" \
    --argjson cp "$3" --argjson sp "$4" --argjson tags "$6" \
    '{port_id: $port, vpc_id: $vpc, service_name: $name, server_type: "VM",
      service_type: "interface", approval_enabled: true, ports: [{client_port: $cp,
      server_port: $sp, protocol: "TCP"}], tags: $tags} + (if $desc == "" then {} else
      {description: $desc} end)')
  id=$(api_ok owner POST /vpc-endpoint-services "$body" | jq -er .id) || fail "no service ID"
  wait_until 60 "service $1 available" wait_status owner "/vpc-endpoint-services/$id" available
  echo "$id"
}

create_endpoint() { # ACCOUNT SERVICE_ID VPC SUBNET TAGS_JSON -> id
  local body id
  body=$(jq -cn --arg sid "$2" --arg vpc "$3" --arg subnet "$4" --argjson tags "$5" \
    '{endpoint_service_id: $sid, vpc_id: $vpc, subnet_id: $subnet, enable_dns: true,
      tags: $tags}')
  id=$(api_ok "$1" POST /vpc-endpoints "$body" | jq -er .id) || fail "no endpoint ID"
  wait_until 60 "endpoint $id pending" wait_status "$1" "/vpc-endpoints/$id" pendingAcceptance
  echo "$id"
}

accept() { # SERVICE_ID ENDPOINT_ID ACCOUNT
  api_ok owner POST "/vpc-endpoint-services/$1/connections/action" \
    "{\"action\":\"receive\",\"endpoints\":[\"$2\"]}" >/dev/null
  wait_until 60 "endpoint $2 accepted" wait_status "$3" "/vpc-endpoints/$2" accepted
}

otc_sid=$(create_service e2e-otc "$(acct owner port_id)" 80 8080 "migrated from OTC" \
  '[{"key":"env","value":"e2e"},{"key":"origin","value":"otc"}]')
api_ok owner POST "/vpc-endpoint-services/$otc_sid/permissions/action" \
  "{\"action\":\"add\",\"permissions\":[\"iam:domain::$consumer_domain\"]}" >/dev/null
otc_eid=$(create_endpoint consumer "$otc_sid" "$(acct consumer vpc_id)" \
  "$(acct consumer subnet_id)" '[{"key":"env","value":"e2e"}]')
accept "$otc_sid" "$otc_eid" consumer

hw_sid=$(create_service e2e-hw "$(acct owner port_id_2)" 8443 443 "" '[]')
hw_eid=$(create_endpoint owner "$hw_sid" "$owner_vpc" "$(acct owner subnet_id)" '[]')
accept "$hw_sid" "$hw_eid" owner
assert_emu_counts 2 2
mutations_before=$(emu_mutation_count)

# ---- the state the Go providers wrote ------------------------------------------------------

otc_svc=$(api_ok owner GET "/vpc-endpoint-services/$otc_sid")
otc_ep=$(api_ok consumer GET "/vpc-endpoints/$otc_eid")
otc_conns=$(api_ok owner GET "/vpc-endpoint-services/$otc_sid/connections")
hw_svc=$(api_ok owner GET "/vpc-endpoint-services/$hw_sid")
hw_ep=$(api_ok owner GET "/vpc-endpoints/$hw_eid")
hw_conns=$(api_ok owner GET "/vpc-endpoint-services/$hw_sid/connections")

# SDKv2's private: the timeouts in nanoseconds under its fixed key (base64 in the state file).
sdk_private() { printf '{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":%s}' "$1" | base64 -w0; }

# write_state FILE HW_REGION: the state of both Go providers' resources.
write_state() {
  jq -n --arg otc "provider[\"$OTC\"]" --arg hw "provider[\"$HW\"]" \
    --arg region "$2" --arg domain "$consumer_domain" \
    --arg p_otc5 "$(sdk_private '{"default":300000000000}')" \
    --arg p_hw "$(sdk_private '{"create":600000000000,"delete":600000000000}')" \
    --arg p_hwa "$(sdk_private '{"create":600000000000,"delete":180000000000}')" \
    --argjson os "$otc_svc" --argjson oe "$otc_ep" --argjson oc "$otc_conns" \
    --argjson hs "$hw_svc" --argjson he "$hw_ep" --argjson hc "$hw_conns" '
  # OTC reads the short name out of "region.name.uuid"; tags as a map.
  def short: if (split(".") | length) == 3 then split(".")[1] else . end;
  def tagmap: [(.tags // [])[] | {(.key): .value}] | add // {};
  def otc_conns: [$oc.connections[] | {endpoint_id: .id, packet_id: .marker_id,
    domain_id: .domain_id, status: .status, description: "", created_at: .created_at,
    updated_at: .updated_at}];
  def hw_conns: [$hc.connections[] | {endpoint_id: .id, packet_id: .marker_id,
    domain_id: .domain_id, status: .status, description: ""}];
  def inst(attrs; priv; deps): {schema_version: 0, attributes: attrs,
    sensitive_attributes: [], private: priv} + (if deps == [] then {} else
    {dependencies: deps} end);
  def res(type; name; prov; i): {mode: "managed", type: type, name: name, provider: prov,
    instances: [i]};
  {version: 4, terraform_version: "1.11.4", serial: 7,
   lineage: "6b2d0d5e-8d2c-4c39-9f3a-move00000001", outputs: {}, check_results: null,
   resources: [
    res("opentelekomcloud_vpcep_service_v1"; "svc"; $otc; inst({
      id: $os.id, port_id: $os.port_id, pool_id: ($os.pool_id // ""), vip_port_id: "",
      name: ($os.service_name | short), vpc_id: $os.vpc_id,
      approval_enabled: $os.approval_enabled, service_type: $os.service_type,
      server_type: $os.server_type, port: $os.ports, tcp_proxy: ($os.tcp_proxy // "close"),
      whitelist: [$domain], tags: ($os | tagmap), description: ($os.description // ""),
      status: $os.status, connections: otc_conns, timeouts: {default: "5m"}}; $p_otc5; [])),
    res("opentelekomcloud_vpcep_endpoint_v1"; "ep"; $otc; inst({
      id: $oe.id, service_id: $oe.endpoint_service_id, vpc_id: $oe.vpc_id,
      subnet_id: $oe.subnet_id, enable_dns: $oe.enable_dns, tags: ($oe | tagmap),
      route_tables: ($oe.routetables // []), port_ip: ($oe.ip // ""),
      description: ($oe.description // ""), enable_whitelist: ($oe.enable_whitelist // false),
      whitelist: ($oe.whitelist // []), policy_statement: "null", marker_id: $oe.marker_id,
      dns_names: ($oe.dns_names // []), project_id: $oe.project_id,
      service_name: ($oe.endpoint_service_name | short), service_type: $oe.service_type,
      status: $oe.status, timeouts: null}; $p_otc5;
      ["opentelekomcloud_vpcep_service_v1.svc"])),
    res("opentelekomcloud_vpcep_approval_v1"; "approval"; $otc; inst({
      id: $os.id, service_id: $os.id, endpoints: [$oe.id], connections: otc_conns,
      region: $region, timeouts: null}; null;
      ["opentelekomcloud_vpcep_endpoint_v1.ep", "opentelekomcloud_vpcep_service_v1.svc"])),
    res("huaweicloud_vpcep_service"; "svc"; $hw; inst({
      id: $hs.id, region: $region, server_type: $hs.server_type, vpc_id: $hs.vpc_id,
      port_id: $hs.port_id, port_mapping: [$hs.ports[] | {protocol: .protocol,
      service_port: .server_port, terminal_port: .client_port}],
      name: ($hs.service_name | short), service_type: $hs.service_type,
      approval: $hs.approval_enabled, permissions: [], organization_permissions: [],
      description: ($hs.description // ""), enable_policy: false,
      tcp_proxy: ($hs.tcp_proxy // "close"), ip_version: "ipv4", snat_network_id: "",
      ip_address: "", pool_id: "", tags: ($hs | tagmap), service_name: $hs.service_name,
      status: $hs.status, connections: hw_conns,
      timeouts: {create: "10m", delete: "10m"}}; $p_hw; [])),
    res("huaweicloud_vpcep_endpoint"; "ep"; $hw; inst({
      id: $he.id, region: $region, service_id: $he.endpoint_service_id, vpc_id: $he.vpc_id,
      network_id: $he.subnet_id, enable_dns: $he.enable_dns, ip_address: ($he.ip // ""),
      description: ($he.description // ""), routetables: null,
      enable_whitelist: ($he.enable_whitelist // false), whitelist: null,
      policy_statement: "", policy_document: "", ip_version: "", ipv6_address: "",
      tags: ($he | tagmap), status: $he.status, service_name: $he.endpoint_service_name,
      service_type: $he.service_type, packet_id: $he.marker_id,
      private_domain_name: (($he.dns_names // [])[0] // ""),
      timeouts: {create: "10m", delete: "10m"}}; $p_hw; ["huaweicloud_vpcep_service.svc"])),
    res("huaweicloud_vpcep_approval"; "approval"; $hw; inst({
      id: $hs.id, region: $region, service_id: $hs.id, endpoints: [$he.id],
      connections: hw_conns, timeouts: {create: "10m", delete: "3m"}}; $p_hwa;
      ["huaweicloud_vpcep_endpoint.ep", "huaweicloud_vpcep_service.svc"]))
  ]}' >"$1" || fail "cannot write $1"
}

# ---- the move -------------------------------------------------------------------------------

dir=$(e2e_workdir migrate move)
write_state "$dir/terraform.tfstate" "$region"
# The Go providers' state is readable through the stand-ins before the move.
# The Go providers' state is readable (decoded with the stand-ins' schemas) before the move.
n=$("$TF" -chdir="$dir" show -json | jq '[.values.root_module.resources[]? |
  select(.type | test("^(opentelekomcloud|huaweicloud)_vpcep_"))] | length') ||
  fail "terraform show cannot read the Go providers' state"
[ "$n" -eq 6 ] || fail "terraform show lists $n of the 6 Go provider resources"

tf "$dir" plan -input=false -detailed-exitcode
[ "$TF_RC" -eq 0 ] || [ "$TF_RC" -eq 2 ] || fail "plan with moved blocks failed (exit $TF_RC)"
for m in 'opentelekomcloud_vpcep_service_v1.svc has moved to vpcep_service.otc' \
  'opentelekomcloud_vpcep_endpoint_v1.ep has moved to vpcep_endpoint.otc' \
  'opentelekomcloud_vpcep_approval_v1.approval has moved to vpcep_approval.otc' \
  'huaweicloud_vpcep_service.svc has moved to vpcep_service.hw' \
  'huaweicloud_vpcep_endpoint.ep has moved to vpcep_endpoint.hw' \
  'huaweicloud_vpcep_approval.approval has moved to vpcep_approval.hw'; do
  out_has "$m" "the plan's list of moves"
done
out_has 'Plan: 0 to add, 0 to change, 0 to destroy' 'the plan with the moves'
out_lacks 'must be replaced|will be (created|destroyed|updated)' 'the plan with the moves'

tf_apply "$dir"
out_has 'Apply complete! Resources: 0 added, 0 changed, 0 destroyed'
tf_plan_expect "$dir" 0
out_has 'No changes'

# The same cloud objects, now in vpcep's state; nothing was created, changed or deleted.
ids=$("$TF" -chdir="$dir" output -json otc_ids | jq -r 'join(" ")')
[ "$ids" = "$otc_sid $otc_eid $otc_sid" ] || fail "OTC objects in state: $ids, expected $otc_sid $otc_eid $otc_sid"
ids=$("$TF" -chdir="$dir" output -json hw_ids | jq -r 'join(" ")')
[ "$ids" = "$hw_sid $hw_eid $hw_sid" ] || fail "Huawei objects in state: $ids, expected $hw_sid $hw_eid $hw_sid"
[ "$(tf_state_attr "$dir" vpcep_endpoint.otc ip_address)" = "$(jq -r .ip <<<"$otc_ep")" ] ||
  fail "the moved endpoint's ip_address is not the cloud's (port_ip -> ip_address)"
[ "$(tf_state_attr "$dir" vpcep_service.otc whitelist)" = "[\"$consumer_domain\"]" ] ||
  fail "the moved service's whitelist is $(tf_state_attr "$dir" vpcep_service.otc whitelist)"
[ "$(tf_state_attr "$dir" vpcep_service.hw port)" = '[{"client_port":8443,"protocol":"TCP","server_port":443}]' ] ||
  fail "the Huawei port_mapping became $(tf_state_attr "$dir" vpcep_service.hw port)"
[ -z "$(tf_state_list "$dir" | grep -E 'opentelekomcloud|huaweicloud')" ] ||
  fail "source resources left in the state: $(tf_state_list "$dir")"
[ "$(emu_mutation_count)" -eq "$mutations_before" ] ||
  fail "the move changed something in the cloud: $(grep -E '^vpcep-emulator: (POST|PUT|DELETE)' "$E2E_WORK/emulator.err" | tail -n 5)"
assert_emu_counts 2 2

# ---- refused sources ------------------------------------------------------------------------

bad=$(e2e_workdir refused)
jq -n --arg otc "provider[\"$OTC\"]" '{version: 4, terraform_version: "1.11.4", serial: 1,
  lineage: "6b2d0d5e-8d2c-4c39-9f3a-move00000002", outputs: {}, check_results: null,
  resources: [{mode: "managed", type: "opentelekomcloud_vpc_v1", name: "net", provider: $otc,
    instances: [{schema_version: 0, attributes: {id: "vpc-1", name: "net", cidr: "10.0.0.0/16",
    region: "eu-de"}, sensitive_attributes: []}]}]}' >"$bad/terraform.tfstate"
cat >"$bad/main.tf" <<EOF
resource "vpcep_service" "s" {
  vpc_id      = var.owner_vpc_id
  port_id     = var.owner_port_id
  server_type = "VM"
  port {
    client_port = 80
    server_port = 8080
  }
}

moved {
  from = opentelekomcloud_vpc_v1.net
  to   = vpcep_service.s
}
EOF
tf "$bad" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "a move from opentelekomcloud_vpc_v1 was accepted"
out_has 'Unsupported `moved` source'
out_has 'vpcep_service cannot take over resource type "opentelekomcloud_vpc_v1" of provider "registry.terraform.io/opentelekomcloud/opentelekomcloud"'
out_has 'opentelekomcloud_vpcep_service_v1 \(registry.terraform.io/opentelekomcloud/opentelekomcloud\)'

# A service's state into an endpoint: the right provider, the wrong type.
wrong=$(e2e_workdir wrong-type)
write_state "$wrong/all.json" "$region"
jq '.resources |= map(select(.type == "opentelekomcloud_vpcep_service_v1"))' \
  "$wrong/all.json" >"$wrong/terraform.tfstate"
rm "$wrong/all.json"
cat >"$wrong/main.tf" <<EOF
resource "vpcep_endpoint" "e" {
  service_id = "$otc_sid"
  vpc_id     = var.owner_vpc_id
  subnet_id  = var.owner_subnet_id
}

moved {
  from = opentelekomcloud_vpcep_service_v1.svc
  to   = vpcep_endpoint.e
}
EOF
tf "$wrong" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "a service's state was moved into vpcep_endpoint"
out_has 'vpcep_endpoint cannot take over resource type "opentelekomcloud_vpcep_service_v1"'

# ---- another region: Read must not look for the object in the configured region ----------------

far=$(e2e_workdir far-region)
write_state "$far/all.json" "eu-nl"
jq '.resources |= map(select(.type == "huaweicloud_vpcep_service"))' "$far/all.json" \
  >"$far/terraform.tfstate"
rm "$far/all.json"
cat >"$far/main.tf" <<EOF
resource "vpcep_service" "hw" {
  name             = "e2e-hw"
  vpc_id           = var.owner_vpc_id
  port_id          = var.owner_port_id_2
  server_type      = "VM"
  approval_enabled = true
  port {
    client_port = 8443
    server_port = 443
  }
}

moved {
  from = huaweicloud_vpcep_service.svc
  to   = vpcep_service.hw
}
EOF
tf "$far" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "an object moved from eu-nl was refreshed in $region"
out_has 'Object is in another region'
out_has "moved from a provider that manages it in region eu-nl, but this provider is configured for region $region"
out_lacks 'will be created'

tf_destroy "$dir"
assert_emu_empty
