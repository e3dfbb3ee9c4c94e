#!/usr/bin/env bash
# Scenario 8: every invalid input of the seed tables and the API rules is refused by
# `terraform validate` or `terraform plan`, with a diagnostic that points at the attribute
# (`on main.tf line N` where N is the offending line, and the attribute named), and the emulator
# received no mutating call (it holds no object at the end).
#
# Each case writes main.tf; lines marked "# <-- bad" are where the diagnostic may point. Cases in
# "block" mode (paths into a set of nested blocks, or a rule about a combination of attributes)
# also accept the resource's header line, but then the attribute must be named in the text.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir validation)
# Results go to files: the cases are fed through pipes, so vcase runs in a subshell.
failures="$E2E_WORK/failures.txt"
cases="$E2E_WORK/cases.txt"
: >"$failures"
: >"$cases"

# vcase NAME ATTR_REGEX MODE [MESSAGE_REGEX] < main.tf
vcase() {
  local name=$1 attr=$2 mode=$3 msg=${4:-} allowed got n ok=0 phase=validate
  echo "$name" >>"$cases"
  cat >"$dir/main.tf"
  allowed=$(grep -n '# <-- bad' "$dir/main.tf" | cut -d: -f1 | tr '\n' ' ' || true)
  if [ "$mode" = block ]; then
    allowed+=" $(grep -n '^resource ' "$dir/main.tf" | cut -d: -f1 | tr '\n' ' ')"
  fi
  echo "===== case $name (diagnostic expected on line(s) ${allowed}naming /$attr/)"
  tf "$dir" validate
  if [ "$TF_RC" -eq 0 ]; then
    phase=plan
    tf "$dir" plan -input=false
  fi
  if [ "$TF_RC" -eq 0 ]; then
    echo "$name: accepted by both validate and plan" >>"$failures"
    return 0
  fi
  if ! tf_out_flat | grep -q 'Error:'; then
    echo "$name: $phase exited $TF_RC without an Error diagnostic" >>"$failures"
    return 0
  fi
  got=$(tf_out_flat | grep -oE 'on main\.tf line [0-9]+' | awk '{print $4}' | sort -un | tr '\n' ' ')
  for n in $got; do
    case " $allowed " in *" $n "*) ok=1 ;; esac
  done
  if [ "$ok" -ne 1 ]; then
    echo "$name: $phase error points at main.tf line(s) '${got}', expected one of '${allowed}'" >>"$failures"
    return 0
  fi
  if ! tf_out_flat | grep -Eq -- "$attr"; then
    echo "$name: $phase error does not name the attribute /$attr/" >>"$failures"
    return 0
  fi
  if [ -n "$msg" ] && ! tf_out_flat | grep -Eqi -- "$msg"; then
    echo "$name: $phase error does not say /$msg/" >>"$failures"
    return 0
  fi
  e2e_log "case $name: refused by $phase with the attribute path"
}

# svc EXTRA_LINES: a valid service plus EXTRA_LINES (each may carry the "# <-- bad" marker).
svc() {
  cat <<HCL
resource "vpcep_service" "s" {
  vpc_id      = var.owner_vpc_id
  port_id     = var.owner_port_id
  server_type = "VM"
$1

  port {
    client_port = 80
    server_port = 8080
  }
}
HCL
}

# svc_ports PORT_BLOCKS: a valid service with the given port block(s).
svc_ports() {
  cat <<HCL
resource "vpcep_service" "s" {
  vpc_id      = var.owner_vpc_id
  port_id     = var.owner_port_id
  server_type = "VM"

$1
}
HCL
}

# ep EXTRA_LINES: an owner-side endpoint (no service reference; EXTRA_LINES adds it).
ep() {
  cat <<HCL
resource "vpcep_endpoint" "e" {
  vpc_id    = var.owner_vpc_id
$1
}
HCL
}

long() { head -c "$1" /dev/zero | tr '\0' "${2:-x}"; }
obs=com.t-systems.otc.eu-de.obs
dns=com.t-systems.otc.eu-de.dns
# A real route table of the owner's VPC when the seed lists one, so that the interface-only case
# fails for the right reason.
rt=$(jq -r '[.accounts[] | select(.name == "owner") | .vpcs[0].route_tables[0].id // empty][0] // "6ab8a6ae-0000-4000-8000-000000000001"' "$E2E_WORK/seed.json")

# ---- control: a valid configuration passes validate and plan (so the cases below fail for the
# reason they are about).
ok_tags="{ k1 = \"v\", \"key-2\" = \"\", k_3 = \"$(long 43 v)\", $(long 36 k) = \"x\" }"
cat >"$dir/main.tf" <<HCL
$(svc "  name        = \"ok-name_1\"
  description = \"a valid description\"
  tcp_proxy   = \"close\"
  tags        = $ok_tags")

resource "vpcep_endpoint" "dns" {
  service_name = "$dns"
  vpc_id       = var.owner_vpc_id
  subnet_id    = var.owner_subnet_id
  enable_dns   = true
}

resource "vpcep_endpoint" "obs" {
  service_name = "$obs"
  vpc_id       = var.owner_vpc_id
  route_tables = ["$rt"]
}
HCL
tf_ok "$dir" validate
tf_ok "$dir" plan -input=false
out_has 'Plan: 3 to add'

# ---- vpcep_service: name, description
svc '  name        = "bad name!" # <-- bad' | vcase svc-name-chars 'name' exact
svc "  name        = \"$(long 17 n)\" # <-- bad" | vcase svc-name-too-long 'name' exact
svc '  description = "a <b> c" # <-- bad' | vcase svc-description-angle 'description' exact
svc "  description = \"$(long 129 d)\" # <-- bad" | vcase svc-description-too-long 'description' exact

# ---- tags (at most 10; key 1..36 of letters, digits, - and _; value 0..43)
svc '  tags        = { k1 = "v", k2 = "v", k3 = "v", k4 = "v", k5 = "v", k6 = "v", k7 = "v", k8 = "v", k9 = "v", k10 = "v", k11 = "v" } # <-- bad' |
  vcase svc-tags-eleven 'tags' exact
svc "  tags        = { $(long 37 k) = \"v\" } # <-- bad" | vcase svc-tag-key-too-long 'tags' exact
svc '  tags        = { "bad key" = "v" } # <-- bad' | vcase svc-tag-key-space 'tags' exact
svc '  tags        = { "a@b" = "v" } # <-- bad' | vcase svc-tag-key-at 'tags' exact
svc '  tags        = { "" = "v" } # <-- bad' | vcase svc-tag-key-empty 'tags' exact
svc "  tags        = { k = \"$(long 44 v)\" } # <-- bad" | vcase svc-tag-value-too-long 'tags' exact
svc '  tags        = { k = "bad value!" } # <-- bad' | vcase svc-tag-value-chars 'tags' exact

# ---- ports: 1..65535, 1..200 mappings, no duplicate client port
svc_ports '  port { # <-- bad
    client_port = 0 # <-- bad
    server_port = 8080
  }' | vcase svc-port-client-0 'client_port|port' block
svc_ports '  port { # <-- bad
    client_port = 80
    server_port = 65536 # <-- bad
  }' | vcase svc-port-server-65536 'server_port|port' block
svc_ports '  dynamic "port" { # <-- bad
    for_each = range(1, 202) # <-- bad
    content { # <-- bad
      client_port = port.value # <-- bad
      server_port = port.value # <-- bad
    }
  }' | vcase svc-ports-201 'port' block
svc_ports '  port { # <-- bad
    client_port = 80 # <-- bad
    server_port = 8080
  }
  port { # <-- bad
    client_port = 80 # <-- bad
    server_port = 8081
  }' | vcase svc-ports-duplicate 'client_port|port' block

# ---- enums
svc '  tcp_proxy   = "bogus" # <-- bad' | vcase svc-tcp-proxy 'tcp_proxy' exact
svc '  service_type = "bogus" # <-- bad' | vcase svc-service-type 'service_type' exact
svc_ports '  port {
    client_port = 80
    server_port = 8080
  }' | sed 's/server_type = "VM"/server_type = "XX" # <-- bad/' | vcase svc-server-type 'server_type' exact

# ---- timeouts must be durations
svc_ports '  port {
    client_port = 80
    server_port = 8080
  }
  timeouts {
    create = "soon" # <-- bad
  }' | vcase svc-timeout-not-a-duration 'create|timeouts' exact

# ---- vpcep_endpoint: service_id or service_name (both only for the same service)
obs_id=$(jq -r '.public_services[] | select(.service_name == "'"$obs"'") | .id' "$E2E_WORK/seed.json")
ep '  subnet_id    = var.owner_subnet_id
  service_id   = "'"$obs_id"'"
  service_name = "'"$dns"'" # <-- bad' |
  vcase ep-service-id-and-other-name 'service_name' exact 'name different services'
ep '  subnet_id = var.owner_subnet_id' | vcase ep-neither-id-nor-name 'service_id|service_name' block
ep '  subnet_id    = var.owner_subnet_id
  service_name = "eu-de.no-such-service.00000000-0000-4000-8000-000000000000" # <-- bad' |
  vcase ep-service-name-not-found 'service_name' exact 'service name not found'

# ---- interface-only and gateway-only attributes (known once the service's type is looked up)
ep '  service_name = "'"$obs"'"
  enable_dns   = true # <-- bad' | vcase ep-enable-dns-on-gateway 'enable_dns' exact
ep '  service_name = "'"$dns"'"
  subnet_id    = var.owner_subnet_id
  route_tables = ["'"$rt"'"] # <-- bad' |
  vcase ep-route-tables-on-interface 'route_tables' exact

# ---- endpoint tags and description follow the same rules
ep '  service_name = "'"$dns"'"
  subnet_id    = var.owner_subnet_id
  tags         = { "bad key" = "v" } # <-- bad' | vcase ep-tag-key-space 'tags' exact
ep '  service_name = "'"$dns"'"
  subnet_id    = var.owner_subnet_id
  description  = "<script>" # <-- bad' | vcase ep-description-angle 'description' exact

# Nothing reached the API as a mutation: no object, and no POST/PUT/DELETE in the request log.
assert_emu_empty
grep -qE '^vpcep-emulator: GET /v1/' "$E2E_WORK/emulator.err" ||
  fail "the emulator's request log shows no API call at all (log format changed?)"
[ "$(emu_mutation_count)" -eq 0 ] ||
  fail "the emulator received mutating calls: $(grep -E '^vpcep-emulator: (POST|PUT|DELETE|PATCH) /v1/' "$E2E_WORK/emulator.err")"

ncase=$(wc -l <"$cases")
nfail=$(wc -l <"$failures")
e2e_log "$ncase invalid configurations checked, $nfail not refused correctly"
[ "$ncase" -ge 26 ] || fail "only $ncase cases ran"
if [ "$nfail" -gt 0 ]; then
  sed 's/^/  - /' "$failures"
  fail "$nfail of $ncase invalid configurations were not refused with their attribute path"
fi
