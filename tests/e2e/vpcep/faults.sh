#!/usr/bin/env bash
# Scenario 9: the lifecycle against an emulator that injects faults into 20% of the requests
# (429, 500, slow answers, dropped connections): the same final state, no duplicate and no
# orphaned object - exactly one service and one endpoint after apply, none after destroy.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator --fault-rate 0.2

dir=$(e2e_workdir faults lifecycle)
# Three rounds, so that every kind of fault lands on creates, waits, reads and deletes.
for round in 1 2 3; do
  e2e_log "round $round"
  tf_apply "$dir" -var max_retries=10
  sid=$(tf_output "$dir" service_id)
  eid=$(tf_output "$dir" endpoint_id)
  assert_emu_counts 1 1
  st=$(connection_status "$sid" "$eid")
  [ "$st" = accepted ] || fail "connection of $eid is '$st', expected accepted"
  tf_plan_expect "$dir" 0 -var max_retries=10
  tf_destroy "$dir" -var max_retries=10
  assert_emu_empty
done
n=$(emu_fault_count)
e2e_log "the emulator injected $n fault(s)"
[ "$n" -gt 0 ] || fail "the emulator injected no fault (the scenario proved nothing)"
