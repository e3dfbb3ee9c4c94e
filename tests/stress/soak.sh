#!/usr/bin/env bash
# Fault soak: N apply / plan / destroy cycles of two services, their endpoints (one across
# accounts) and an approval against an emulator that injects every fault kind (429, 500,
# EndPoint.0022, slow answers longer than request_timeout, connections dropped before and after
# the request was applied) and lets a share of the creates end in "failed". An apply or destroy
# that fails is run again (at most 6 times); after every step no ID may be held twice and no
# object may be orphaned, after every successful apply nothing may be duplicated or lost, after
# every destroy the cloud is empty, and the plan after an apply is clean.
# Short form: 3 cycles at a fault rate of 0.15; STRESS_LONG=1: 20 cycles (STRESS_CYCLES
# overrides either).
source "$(dirname "$0")/stress_lib.sh"
e2e_init "$@"
cycles=${STRESS_CYCLES:-$(stress_long 3 20)}
# CI runs one fixed seed so a failure reproduces; STRESS_SEED=<n> (or $RANDOM) explores others.
seed=${STRESS_SEED:-1}
rate=${STRESS_FAULT_RATE:-0.15}
# slow answers (1.5 s) outlast request_timeout: their requests were applied, the answer is lost
export VPCEP_REQUEST_TIMEOUT=1s VPCEP_RETRY_BUDGET=60s
E2E_DELAY_MS=200 e2e_start_emulator --fault-rate "$rate" --fault-kinds 429,500,0022,slow,drop \
  --slow-ms 1500 --fail-rate 0.1 --fault-seed "$seed"
dir=$(stress_workdir soak fleet)
args=(-parallelism=10 -var max_retries=8 -var n=3)

for ((c = 1; c <= cycles; c++)); do
  e2e_log "cycle $c of $cycles (fault seed $seed)"
  stress_converge "$dir" apply 6 "${args[@]}" ||
    { stress_problem "cycle $c: no apply succeeded in 6 tries"; break; }
  stress_check "$dir" "cycle $c apply" 1 2 4
  stf "$dir" plan -input=false -detailed-exitcode "${args[@]}"
  if [ "$TF_RC" -eq 1 ]; then # a fault may fail a refresh: once more
    stf "$dir" plan -input=false -detailed-exitcode "${args[@]}"
  fi
  [ "$TF_RC" -eq 0 ] || stress_problem "cycle $c: the plan after the apply exited $TF_RC (2 = not clean)"
  stress_converge "$dir" destroy 6 "${args[@]}" ||
    { stress_problem "cycle $c: no destroy succeeded in 6 tries"; break; }
  stress_check "$dir" "cycle $c destroy" 1 0 0
  S_CYCLES=$c
done
stress_stop_emulator
stress_summary soak "failed_creates=$S_FAILED_CREATES fault_rate=$rate fault_seed=$seed fail_rate=0.1"
