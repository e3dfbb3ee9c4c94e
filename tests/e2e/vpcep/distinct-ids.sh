#!/usr/bin/env bash
# Creates that cannot adopt a stranger: eight identical endpoints (count = 8)
# created at -parallelism=10 against an emulator that drops 25% of the connections (half of the
# drops after the request was applied), max_retries = 10, fault seeds 1, 5 and 7 (E2E_SEEDS
# overrides). A create whose answer was lost may take over only the object it created itself,
# never a sibling's: the state holds no ID twice, and every endpoint in the emulator is in the
# state (none orphaned, none shared); after a successful apply no object keeps the create
# marker tag and the next plan is clean.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"

bad=0
for seed in ${E2E_SEEDS:-1 5 7}; do
  E2E_DELAY_MS=200 e2e_start_emulator --fault-rate 0.25 --fault-kinds drop --fault-seed "$seed"
  dir=$(e2e_workdir "seed$seed" distinct)
  tf "$dir" apply -input=false -auto-approve -parallelism=10 -var max_retries=10
  rc=$TF_RC
  cloud=$(emu_objects | jq -r '[.endpoints[] | .id] | sort | join(" ")')
  state=$("$TF" -chdir="$dir" show -json 2>/dev/null |
    jq -r '[.values.root_module.resources[]? | select(.type == "vpcep_endpoint") | .values.id] | sort | join(" ")')
  n_state=$(wc -w <<<"$state")
  n_distinct=$(tr ' ' '\n' <<<"$state" | sed '/^$/d' | sort -u | wc -l)
  n_cloud=$(wc -w <<<"$cloud")
  e2e_log "seed $seed: apply exit $rc; state $n_state endpoint(s), $n_distinct distinct; emulator $n_cloud"
  if [ "$n_distinct" -ne "$n_state" ]; then
    e2e_log "seed $seed: an endpoint ID is held by two resources: $state"
    bad=$((bad + 1))
  elif [ "$(tr ' ' '\n' <<<"$state" | sed '/^$/d' | sort -u | tr '\n' ' ')" != "$(tr ' ' '\n' <<<"$cloud" | sed '/^$/d' | sort -u | tr '\n' ' ')" ]; then
    e2e_log "seed $seed: the emulator holds [$cloud], the state [$state]"
    bad=$((bad + 1))
  elif [ "$rc" -eq 0 ] && [ "$n_state" -ne 8 ]; then
    e2e_log "seed $seed: the apply succeeded with $n_state endpoint(s) in state"
    bad=$((bad + 1))
  elif [ "$rc" -eq 0 ] && [ "$(emu_objects | jq '[.services[], .endpoints[] | select(any(.tags[]?; .key == "vpcep-create-marker"))] | length')" -ne 0 ]; then
    e2e_log "seed $seed: the apply succeeded but objects still carry the create marker tag"
    bad=$((bad + 1))
  fi
  if [ "$rc" -eq 0 ]; then
    tf_plan_expect "$dir" 0 -parallelism=10 -var max_retries=10
  fi
  kill "$E2E_EMU_PID" 2>/dev/null || true
  wait "$E2E_EMU_PID" 2>/dev/null || true
  E2E_EMU_PID=
done
n=$(grep -c 'fault drop' "$E2E_WORK/emulator.err" || true)
e2e_log "the last emulator dropped $n connection(s)"
[ "$bad" -eq 0 ] || fail "$bad run(s) shared, orphaned or lost an endpoint"
