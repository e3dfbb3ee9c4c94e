#!/usr/bin/env bash
# API calls per operation, counted by the emulator (its request log; deterministic with
# --delay-ms 0, where a transition is visible to the next request): the create of a service
# without whitelist is the POST, one status poll that is also the read-back, and the removal of
# the create marker tag once the ID is in state (3; the client's README, "Creates that cannot
# adopt a stranger", says why the marker costs this call); the refresh
# of a service without connections is the service GET and its whitelist (2), of an endpoint
# its GET (1), of an approval the connection list (1); a service with a connected endpoint also
# lists its connections (3). No IAM calls with AK/SK.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
E2E_DELAY_MS=0 e2e_start_emulator

# requests_since MARK [REGEX]: the API requests (not the /__emulator/ routes) logged after line
# MARK of the emulator's stderr, optionally only those whose "METHOD PATH" matches REGEX.
log_lines() { wc -l <"$E2E_WORK/emulator.err"; }
requests_since() {
  sleep 0.2 # the emulator logs a request after answering it
  tail -n "+$(($1 + 1))" "$E2E_WORK/emulator.err" | grep -E '^vpcep-emulator: [A-Z]+ /' |
    grep -v ' /__emulator/' | grep -cE "^vpcep-emulator: ${2:-.}" || true
}
# expect_calls WHAT GOT WANT
expect_calls() {
  e2e_log "$1: $2 API call(s)"
  [ "$2" -eq "$3" ] || {
    tail -n 40 "$E2E_WORK/emulator.err"
    fail "$1 made $2 API call(s), expected $3"
  }
}

dir=$(e2e_workdir calls)
cat >"$dir/main.tf" <<'TF'
variable "with_endpoint" {
  type    = bool
  default = false
}

resource "vpcep_service" "s" {
  name        = "e2e-calls"
  vpc_id      = var.owner_vpc_id
  port_id     = var.owner_port_id
  server_type = "VM"

  port {
    client_port = 80
    server_port = 8080
  }

  tags = {
    env = "e2e"
  }
}

resource "vpcep_endpoint" "e" {
  count      = var.with_endpoint ? 1 : 0
  service_id = vpcep_service.s.id
  vpc_id     = var.owner_vpc_id
  subnet_id  = var.owner_subnet_id
}

resource "vpcep_approval" "a" {
  count      = var.with_endpoint ? 1 : 0
  service_id = vpcep_service.s.id
  endpoints  = [vpcep_endpoint.e[0].id]
}
TF

mark=$(log_lines)
tf_apply "$dir"
expect_calls "create of a service without whitelist" "$(requests_since "$mark")" 3
expect_calls "  of which POST" "$(requests_since "$mark" 'POST /v1/[^/]+/vpc-endpoint-services ')" 1
expect_calls "  of which the marker removal" "$(requests_since "$mark" 'POST /v1/[^/]+/endpoint_service/[^/]+/tags/action ')" 1

mark=$(log_lines)
tf_plan_expect "$dir" 0
expect_calls "refresh of a service without connections" "$(requests_since "$mark")" 2

tf_apply "$dir" -var with_endpoint=true
mark=$(log_lines)
tf_plan_expect "$dir" 0 -var with_endpoint=true
svc='GET /v1/[^/]+/vpc-endpoint-services/[^/]+'
# The service: its GET, its whitelist and, as it now counts a connection, its connections; the
# approval: the connections again; the endpoint: its GET.
expect_calls "  service GET" "$(requests_since "$mark" "$svc ")" 1
expect_calls "  whitelist list" "$(requests_since "$mark" "$svc/permissions ")" 1
expect_calls "  connection lists (service, approval)" "$(requests_since "$mark" "$svc/connections ")" 2
expect_calls "  endpoint GET" "$(requests_since "$mark" 'GET /v1/[^/]+/vpc-endpoints/[^/]+ ')" 1
expect_calls "refresh of a service with a connection, an endpoint and an approval" \
  "$(requests_since "$mark")" 5

tf_destroy "$dir" -var with_endpoint=true
assert_emu_empty
