#!/usr/bin/env bash
# A 429 storm at -parallelism=20: one service and 20 endpoints to it while half of all API
# requests are throttled (HTTP 429 APIG.0308 with Retry-After: 1), max_retries = 25. Every
# throttled request waits and is retried, so the apply, the plan and the destroy succeed, with
# no duplicate, orphan, shared or lost ID. Short form: one cycle; STRESS_LONG=1: three.
source "$(dirname "$0")/stress_lib.sh"
e2e_init "$@"
cycles=${STRESS_CYCLES:-$(stress_long 1 3)}
E2E_DELAY_MS=200 e2e_start_emulator --fault-rate 0.5 --fault-kinds 429 --fault-seed "${STRESS_SEED:-$RANDOM}"
dir=$(stress_workdir storm fleet)
args=(-parallelism=20 -var max_retries=25 -var n=20)
for ((c = 1; c <= cycles; c++)); do
  stf "$dir" apply -input=false -auto-approve "${args[@]}"
  S_APPLIES=$((S_APPLIES + 1))
  [ "$TF_RC" -eq 0 ] || stress_problem "cycle $c: the apply failed under throttling: $(tf_out_flat | grep -oE 'Error: [^│]{0,200}' | head -n 1)"
  stress_check "$dir" "cycle $c apply" "$([ "$TF_RC" -eq 0 ] && echo 1 || echo 0)" 2 21
  stf "$dir" plan -input=false -detailed-exitcode "${args[@]}"
  [ "$TF_RC" -eq 0 ] || stress_problem "cycle $c: the plan exited $TF_RC"
  stf "$dir" destroy -input=false -auto-approve "${args[@]}"
  S_APPLIES=$((S_APPLIES + 1))
  [ "$TF_RC" -eq 0 ] || stress_problem "cycle $c: the destroy failed under throttling"
  stress_check "$dir" "cycle $c destroy" 1 0 0
  S_CYCLES=$c
done
stress_stop_emulator
stress_summary throttle "parallelism=20 fault_kinds=429 fault_rate=0.5"
