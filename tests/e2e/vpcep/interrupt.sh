#!/usr/bin/env bash
# Ctrl-C during a long wait: the consumer's apply waits for an acceptance that never comes
# (wait_for_acceptance, 10m timeout); SIGINT makes Terraform call StopProvider, and the provider's
# waiter must give up promptly (not after the timeout). The endpoint that was created keeps its ID
# in state (nothing orphaned), so destroy removes it and the emulator ends empty.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

owner=$(e2e_workdir owner wait-owner)
consumer=$(e2e_workdir consumer wait-consumer)
tf_apply "$owner"
sid=$(tf_output "$owner" service_id)

log="$E2E_WORK/logs/interrupted-apply.log"
"$TF" -chdir="$consumer" apply -no-color -input=false -auto-approve -var "service_id=$sid" \
  -var create_timeout=10m >"$log" 2>&1 </dev/null &
tfpid=$!
E2E_BG_PIDS+=("$tfpid")

pending() {
  api owner GET "/vpc-endpoint-services/$sid/connections?limit=1000"
  jq -e '[.connections[]? | select(.status == "pendingAcceptance")] | length == 1' <<<"$API_BODY" >/dev/null 2>&1
}
wait_until 60 "the consumer's endpoint to be pendingAcceptance" pending
sleep 2
kill -0 "$tfpid" 2>/dev/null || { cat "$log"; fail "terraform apply ended before the interrupt"; }
e2e_log "sending SIGINT to terraform (pid $tfpid)"
kill -INT "$tfpid"
start=$SECONDS
while kill -0 "$tfpid" 2>/dev/null; do
  if [ $((SECONDS - start)) -ge 60 ]; then
    kill -KILL "$tfpid" 2>/dev/null || true
    sed 's/^/  | /' "$log"
    fail "terraform did not stop within 60 s of SIGINT: the wait ignores StopProvider"
  fi
  sleep 0.2
done
set +e
wait "$tfpid"
rc=$?
set -e
took=$((SECONDS - start))
sed 's/^/  | /' "$log"
e2e_log "terraform exited $rc, ${took}s after SIGINT"
[ "$rc" -ne 0 ] || fail "the interrupted apply exited 0"
[ "$took" -lt 30 ] || fail "terraform needed ${took}s to stop after SIGINT"
grep -q 'Interrupt received' "$log" || fail "terraform did not report the interrupt"
tf_state_list "$consumer" | grep -qx 'vpcep_endpoint.e' ||
  fail "the interrupted endpoint is not in state (orphaned): $(tf_state_list "$consumer")"
assert_emu_counts 1 1

tf_destroy "$consumer" -var "service_id=$sid"
tf_destroy "$owner"
assert_emu_empty
