#!/usr/bin/env bash
# kill -9 mid-apply: the plugin is killed with SIGKILL while the creates of an apply wait for
# their objects (the emulator takes 3 s per transition), after K of them reached the cloud, K
# going round 2, 3, 4 (both services, then endpoints too). The next apply must neither duplicate an object silently nor fail
# obscurely: it either converges with exactly the declared objects, or it stops with an error
# that names every leftover object with the import block to adopt it; the scenario then adds
# those blocks, and the apply after that must converge with no duplicate, orphan, shared or
# lost ID. Destroy then empties the cloud. Short form: 2 rounds; STRESS_LONG=1: 6.
source "$(dirname "$0")/stress_lib.sh"
e2e_init "$@"
rounds=${STRESS_ROUNDS:-$(stress_long 2 6)}
E2E_DELAY_MS=3000 e2e_start_emulator
dir=$(stress_workdir kill fleet)
args=(-parallelism=10 -var n=2)
declared_s=2 declared_e=3
killed=0 adopted=0

# The import blocks of the last terraform output, as HCL, each with the address of the resource
# its diagnostic names ("with ADDRESS,") in place of the placeholder "<name>". When several
# errors offer the same leftover, or one error several leftovers (identical endpoints), each
# address and each ID is used once.
import_blocks() {
  sed -e 's/^[│╷╵]//' -e 's/^ //' "$TF_OUT" |
    awk '/^[[:space:]]*with [a-z_]+\.[^,]+,/ { addr = $2; sub(/,$/, "", addr) }
         /^[[:space:]]*import \{/ { on = 1; to = ""; id = ""; next }
         on && /^[[:space:]]*to = / { to = $3; if (to ~ /<name>/) to = addr; next }
         on && /^[[:space:]]*id = / { id = $3; next }
         on && /^[[:space:]]*\}/ {
           on = 0
           if (to != "" && id != "" && !(to in used_to) && !(id in used_id)) {
             used_to[to] = 1; used_id[id] = 1
             printf "import {\n  to = %s\n  id = %s\n}\n\n", to, id
           }
         }'
}

for ((r = 1; r <= rounds; r++)); do
  want=$(((r - 1) % 3 + 2)) # both services, then one endpoint more, ...
  log="$E2E_WORK/logs/killed-apply-$r.log"
  "$TF" -chdir="$dir" apply -no-color -input=false -auto-approve "${args[@]}" >"$log" 2>&1 </dev/null &
  tfpid=$!
  E2E_BG_PIDS+=("$tfpid")
  n=0
  for i in $(seq 1 200); do
    n=$(($(emu_count services) + $(emu_count endpoints)))
    [ "$n" -ge "$want" ] && break
    sleep 0.1
  done
  for pid in $(pgrep -P "$tfpid" || true); do
    if [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$E2E_PLUGIN" ]; then
      kill -KILL "$pid" && killed=$((killed + 1))
    fi
  done
  set +e
  wait "$tfpid"
  rc=$?
  set -e
  S_APPLIES=$((S_APPLIES + 1))
  e2e_log "round $r: plugin killed with $n object(s) in the cloud; that apply exited $rc"
  sleep 1 # a create the emulator was still answering when the plugin died
  # what the kill left behind: in the cloud, not in state (expected, not counted as orphans)
  left=$(comm -23 <(cloud_ids | sort -u) <(state_ids "$dir" | awk '{print $2}' | sort -u))
  e2e_log "round $r: left behind: $(echo ${left:-nothing})"

  stf "$dir" apply -input=false -auto-approve "${args[@]}"
  S_APPLIES=$((S_APPLIES + 1))
  if [ "$TF_RC" -ne 0 ]; then
    for id in $left; do
      if ! grep -q "id = \"$id\"" <(import_blocks); then
        stress_problem "round $r: the apply after the kill failed without naming the leftover $id in an import block: $(tf_out_flat | grep -oE 'Error: [^│]{0,300}' | head -n 2)"
      fi
    done
    import_blocks >"$dir/import.tf"
    adopted=$((adopted + $(grep -c '^[[:space:]]*import {' "$dir/import.tf" || true)))
    e2e_log "round $r: the apply stopped next to the leftovers; adopting $(grep -c 'import {' "$dir/import.tf" || true) with its import blocks"
    stress_converge "$dir" apply 2 "${args[@]}" || stress_problem "round $r: no apply converged after the import blocks"
    rm -f "$dir/import.tf"
  fi
  stress_check "$dir" "round $r apply after the kill" 1 "$declared_s" "$declared_e"
  stf "$dir" plan -input=false -detailed-exitcode "${args[@]}"
  [ "$TF_RC" -eq 0 ] || stress_problem "round $r: the plan after the recovery exited $TF_RC"
  stress_converge "$dir" destroy 2 "${args[@]}" || stress_problem "round $r: destroy failed"
  stress_check "$dir" "round $r destroy" 1 0 0
  S_CYCLES=$r
done
stress_stop_emulator
stress_summary kill9 "plugin_processes_killed=$killed adopted_by_import=$adopted"
