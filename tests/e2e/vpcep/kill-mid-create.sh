#!/usr/bin/env bash
# Interrupted applies: the plugin is killed with SIGKILL while a create waits
# for its object, so the object exists in the cloud but not in the state. The next apply must
# neither duplicate it silently nor fail obscurely: an endpoint create refuses next to the
# leftover (it still carries the killed create's vpcep-create-marker tag) and a service create
# refused with EndPoint.3044 names the service that holds the port; both errors carry the
# `import` block that adopts the leftover. With that block the apply adopts it (and removes the
# marker tag), the emulator still holds one object each, and the next plan is clean.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
E2E_DELAY_MS=4000 e2e_start_emulator # each create waits 4 s: time to kill it

dir=$(e2e_workdir kill kill-mid-create)
tf_apply "$dir"

# kill_mid_create KIND COUNT ARGS...: starts the apply in the background, waits until the
# emulator holds COUNT objects of KIND (the create's POST went through), then SIGKILLs the
# plugin process that terraform started.
kill_mid_create() {
  local kind=$1 want=$2 log tfpid pid n i
  shift 2
  log="$E2E_WORK/logs/killed-apply-$kind.log"
  "$TF" -chdir="$dir" apply -no-color -input=false -auto-approve "$@" >"$log" 2>&1 </dev/null &
  tfpid=$!
  E2E_BG_PIDS+=("$tfpid")
  for i in $(seq 1 150); do
    n=$(emu_count "$kind")
    [ "$n" -ge "$want" ] && break
    sleep 0.1
  done
  [ "$n" -ge "$want" ] || fail "the emulator never held $want $kind"
  for pid in $(pgrep -P "$tfpid"); do
    if [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$E2E_PLUGIN" ]; then
      e2e_log "SIGKILL to the plugin (pid $pid) while the create of one of the $kind waits"
      kill -KILL "$pid"
    fi
  done
  set +e
  wait "$tfpid"
  local rc=$?
  set -e
  sed 's/^/  | /' "$log"
  [ "$rc" -ne 0 ] || fail "the apply whose plugin was killed exited 0"
}

# ---- an endpoint -----------------------------------------------------------------------------
kill_mid_create endpoints 1 -var with_endpoint=true
eid=$(emu_objects | jq -r '.endpoints[0].id')
tf_state_list "$dir" | grep -q 'vpcep_endpoint' && fail "the killed create's endpoint is in state"
tf "$dir" apply -input=false -auto-approve -var with_endpoint=true
[ "$TF_RC" -ne 0 ] || fail "the apply after the kill succeeded: it must stop next to the leftover endpoint"
assert_emu_counts 1 1 # no silent duplicate
out_has 'vpcep.unfinished-create' "the error (it must say a create did not finish)"
out_has "id = \"$eid\"" "the error (it must carry the import block of the leftover endpoint)"
out_has 'to = vpcep_endpoint' "the error's import block"
cat >"$dir/import.tf" <<TF
import {
  to = vpcep_endpoint.e[0]
  id = "$eid"
}
TF
tf_apply "$dir" -var with_endpoint=true
[ "$(tf_state_attr "$dir" 'vpcep_endpoint.e[0]' id)" = "$eid" ] || fail "the leftover endpoint was not adopted"
assert_emu_counts 1 1
tf_plan_expect "$dir" 0 -var with_endpoint=true
rm -f "$dir/import.tf"

# ---- a service -------------------------------------------------------------------------------
kill_mid_create services 2 -var with_endpoint=true -var with_second=true
sid=$(emu_objects | jq -r --arg s "$(tf_state_attr "$dir" vpcep_service.s id)" \
  '[.services[] | select((.owner // "") != "OTC") | select(.id != $s)][0].id')
tf "$dir" apply -input=false -auto-approve -var with_endpoint=true -var with_second=true
[ "$TF_RC" -ne 0 ] || fail "the apply after the kill succeeded next to the leftover service"
assert_emu_counts 2 1
out_has 'EndPoint.3044' "the error (the API's own code)"
out_has 'did not finish' "the error (it must recognise the leftover of the killed create)"
out_has "id = \"$sid\"" "the error (it must carry the import block of the leftover service)"
cat >"$dir/import.tf" <<TF
import {
  to = vpcep_service.t[0]
  id = "$sid"
}
TF
tf_apply "$dir" -var with_endpoint=true -var with_second=true
[ "$(tf_state_attr "$dir" 'vpcep_service.t[0]' id)" = "$sid" ] || fail "the leftover service was not adopted"
assert_emu_counts 2 1
n=$(emu_objects | jq '[.services[], .endpoints[] | select(any(.tags[]?; .key == "vpcep-create-marker"))] | length')
[ "$n" -eq 0 ] || fail "$n object(s) still carry the create marker tag after the adoption"
tf_plan_expect "$dir" 0 -var with_endpoint=true -var with_second=true
rm -f "$dir/import.tf"
tf_destroy "$dir" -var with_endpoint=true -var with_second=true
assert_emu_empty
