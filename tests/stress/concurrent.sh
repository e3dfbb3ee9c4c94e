#!/usr/bin/env bash
# Concurrent creates under dropped connections: one service and eight identical endpoints
# (count = 8, the e2e fixture "distinct") at -parallelism=10, max_retries = 10, against an
# emulator that drops 25% of the connections (half of them after the request was applied).
# A create whose answer was lost may only take over the object it made itself: no endpoint ID
# may be held by two resources, none orphaned, none lost, none duplicated; then destroy
# leaves the cloud empty. Short form: fault seeds 1 and 5; STRESS_LONG=1: 10 seeds
# (STRESS_SEEDS overrides).
source "$(dirname "$0")/stress_lib.sh"
e2e_init "$@"
seeds=${STRESS_SEEDS:-$(stress_long "1 5" "1 2 3 4 5 6 7 8 9 10")}
for seed in $seeds; do
  E2E_DELAY_MS=200 e2e_start_emulator --fault-rate 0.25 --fault-kinds drop --fault-seed "$seed"
  dir=$(stress_workdir "seed$seed" distinct)
  args=(-parallelism=10 -var max_retries=10)
  if stress_converge "$dir" apply 4 "${args[@]}"; then
    stress_check "$dir" "seed $seed apply" 1 1 8
  else
    stress_problem "seed $seed: no apply succeeded in 4 tries"
  fi
  stress_converge "$dir" destroy 4 "${args[@]}" || stress_problem "seed $seed: no destroy succeeded"
  stress_check "$dir" "seed $seed destroy" 1 0 0
  S_CYCLES=$((S_CYCLES + 1))
  stress_stop_emulator
done
stress_summary concurrent "seeds=$(tr ' ' ',' <<<"$seeds") fault_kinds=drop fault_rate=0.25"
