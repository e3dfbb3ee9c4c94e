#!/usr/bin/env bash
# An API that cannot be reached, through terraform: the plan's first API call fails fast, and
# the diagnostic names the URL, what failed, the attempts and the setting to check.
#  * a refused port (bound, then closed): retried once whatever max_retries says, "cannot
#    connect", "2 attempts", "Check endpoint (VPCEP_ENDPOINT)";
#  * an emulator whose every answer takes 5 s, with VPCEP_REQUEST_TIMEOUT=1s and
#    VPCEP_MAX_RETRIES=2: "no answer", "3 attempts", "max_retries = 2", request_timeout named.
# The attempts are counted in the messages, never timed (tests/bench/fail_fast.c times them).
source "$(dirname "$0")/lib.sh"
e2e_init "$@"

# ---- refused ---------------------------------------------------------------------------------
E2E_DELAY_MS=0 e2e_start_emulator # for the seed's IDs in the tfvars; then pointed elsewhere
port=$(
  # a free loopback port: the kernel picks one for a listener that is closed at once
  "$E2E_EMULATOR" --listen 127.0.0.1:0 >"$E2E_WORK/probe.out" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 50); do [ -s "$E2E_WORK/probe.out" ] && break; sleep 0.1; done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  head -n1 "$E2E_WORK/probe.out" | sed 's/.*://'
)
[ -n "$port" ] || fail "no free port"
real=$BASE_URL
BASE_URL="http://127.0.0.1:$port"
dir=$(e2e_workdir refused unreachable)
BASE_URL=$real
tf "$dir" plan -input=false -var max_retries=5
[ "$TF_RC" -eq 1 ] || fail "the plan against a refused port exited $TF_RC, expected 1"
out_has "GET http://127.0.0.1:$port/v1/[0-9a-f]+/vpc-endpoint-services[^ ]*: " "the diagnostic (the URL)"
out_has 'cannot connect \(refused or unreachable\)' "the diagnostic (what failed)"
out_has '2 attempts in [0-9.]+ s; a server that cannot be reached is retried only once' \
  "the diagnostic (one retry, whatever max_retries says)"
out_has 'Check endpoint \(VPCEP_ENDPOINT\)' "the diagnostic (the setting to check)"

# ---- no answer -------------------------------------------------------------------------------
kill "$E2E_EMU_PID" && wait "$E2E_EMU_PID" 2>/dev/null || true
E2E_DELAY_MS=0 e2e_start_emulator --fault-rate 1 --fault-kinds slow --slow-ms 5000
dir=$(e2e_workdir silent unreachable)
VPCEP_REQUEST_TIMEOUT=1s VPCEP_MAX_RETRIES=2 tf "$dir" plan -input=false
[ "$TF_RC" -eq 1 ] || fail "the plan against a silent API exited $TF_RC, expected 1"
out_has "GET $BASE_URL/v1/[0-9a-f]+/vpc-endpoint-services[^ ]*: no answer" "the diagnostic (URL, what failed)"
out_has '3 attempts in [0-9.]+ s, max_retries = 2' "the diagnostic (attempts, from VPCEP_MAX_RETRIES)"
out_has 'request_timeout 1000 ms' "the diagnostic (request_timeout from VPCEP_REQUEST_TIMEOUT)"
out_has 'Check endpoint \(VPCEP_ENDPOINT\)' "the diagnostic (the setting to check)"
