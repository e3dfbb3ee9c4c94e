#!/usr/bin/env bash
# Endpoints to public services by name: a gateway endpoint with route_tables and an
# interface endpoint with enable_dns and a manual ip_address; the API receives exactly these
# settings, the state agrees (service_type, ip_address, dns_names), the plan is clean afterwards.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

rt=$(seed_get '.accounts[] | select(.name == "owner") | .vpcs[0].route_tables[0].id')
cidr=$(seed_get '.accounts[] | select(.name == "owner") | .vpcs[0].subnets[0].cidr')
ip="${cidr%.*/*}.50"
e2e_log "route table $rt, fixed IP $ip (subnet $cidr)"
dir=$(e2e_workdir public public-endpoints)
vars=(-var "route_table_id=$rt" -var "ip_address=$ip")

tf_apply "$dir" "${vars[@]}"
obs=$(tf_output "$dir" obs_id)
dns=$(tf_output "$dir" dns_id)
assert_emu_counts 0 2

e=$(api_ok owner GET "/vpc-endpoints/$obs")
jq -e --arg rt "$rt" '.service_type == "gateway" and .routetables == [$rt]' <<<"$e" >/dev/null ||
  fail "the gateway endpoint in the API: $e"
e=$(api_ok owner GET "/vpc-endpoints/$dns")
jq -e --arg ip "$ip" '.service_type == "interface" and .enable_dns == true and .ip == $ip' <<<"$e" >/dev/null ||
  fail "the interface endpoint in the API: $e"

[ "$(tf_state_attr "$dir" vpcep_endpoint.obs service_type)" = gateway ] || fail "obs service_type in state is not gateway"
[ "$(tf_state_attr "$dir" vpcep_endpoint.dns ip_address)" = "$ip" ] || fail "dns ip_address in state is not $ip"
tf_ok "$dir" apply -input=false -auto-approve -refresh-only "${vars[@]}"
[ "$(tf_state_attr "$dir" vpcep_endpoint.dns dns_names)" = "$(jq -c '.dns_names // []' <<<"$e")" ] ||
  fail "dns_names in state differ from the API's $(jq -c '.dns_names' <<<"$e")"
tf_plan_expect "$dir" 0 "${vars[@]}"

tf_destroy "$dir" "${vars[@]}"
assert_emu_empty
