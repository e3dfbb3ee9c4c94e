#!/usr/bin/env bash
# vpcep_scale.sh - plan/apply/plan/destroy of N vpcep_service resources (count = var.n) with the
# real terraform (or tofu) against terraform-provider-vpcep and vpcep-emulator.
#
# Prints the wall time of each phase and the number of API requests the emulator served in it
# (from its stderr request log, "vpcep-emulator: METHOD PATH -> STATUS"; the test-only
# /__emulator/ routes are not counted). Never fails on time: it fails only when terraform fails
# (or the environment is broken); exit 77 when terraform/tofu or a helper program is missing.
#
# Usage: vpcep_scale.sh --plugin PATH --emulator PATH [--n N]
#   N (default 5, or $BENCH_N): number of services. Above 18 the emulator gets a seed with a
#   larger service quota (the default quota is 20 per project).
#   E2E_DELAY_MS (default 300): the emulator's lifecycle transition delay, i.e. how long each
#   create/delete waiter has to wait.
# Reuses the e2e helpers (tests/e2e/vpcep/lib.sh): private dev_overrides CLI config, emulator
# start on 127.0.0.1:0, hermetic environment, clean-up on exit.

BENCH_N=${BENCH_N:-5}
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n)
      BENCH_N=$2
      shift 2
      ;;
    *)
      bench_args+=("$1")
      shift
      ;;
  esac
done

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../e2e/vpcep/lib.sh
source "$BENCH_HERE/../e2e/vpcep/lib.sh"

if ! [[ "$BENCH_N" =~ ^[0-9]+$ ]] || [ "$BENCH_N" -lt 1 ] || [ "$BENCH_N" -gt 1000 ]; then
  fail "--n must be an integer 1..1000, got '$BENCH_N'"
fi

e2e_init "${bench_args[@]}"

emu_flags=()
if [ "$BENCH_N" -gt 18 ]; then
  jq --argjson n "$BENCH_N" '.quotas = ((.quotas // {}) + {endpoint_service: ($n + 2)})' \
    "$E2E_WORK/seed.json" >"$E2E_WORK/seed-bench.json" || fail "cannot write the bench seed"
  emu_flags+=(--seed "$E2E_WORK/seed-bench.json")
fi
e2e_start_emulator "${emu_flags[@]}"

dir="$E2E_WORK/scale"
mkdir -p "$dir"
cp "$E2E_FIXTURES/common/"*.tf "$dir/"
e2e_write_tfvars "$dir/terraform.tfvars.json"
cat >"$dir/scale.tf" <<'EOF'
variable "n" {
  type = number
}

# Two backend ports share the services; server ports differ so that no two services collide
# (EndPoint.3044).
resource "vpcep_service" "s" {
  count       = var.n
  name        = "bench-${count.index}"
  vpc_id      = var.owner_vpc_id
  port_id     = count.index % 2 == 0 ? var.owner_port_id : var.owner_port_id_2
  server_type = "VM"

  port {
    client_port = 8000 + count.index
    server_port = 10000 + count.index
  }
}
EOF

# Requests the emulator has logged so far (API and IAM; not the /__emulator/ test routes).
count_requests() {
  local n
  n=$(grep -E '^vpcep-emulator: [A-Z]+ /' "$E2E_WORK/emulator.err" | grep -vc ' /__emulator/' || true)
  echo "${n:-0}"
}

RESULTS=()
# phase NAME EXPECTED_RCS TERRAFORM-ARGS...: runs terraform in $dir, records wall time and the
# emulator requests served; fails unless the exit code is one of EXPECTED_RCS (comma list).
phase() {
  local name=$1 ok=$2 t0 t1 r0 r1 rc ms log
  shift 2
  log="$E2E_WORK/logs/bench-$name.log"
  r0=$(count_requests)
  t0=$(date +%s%N)
  set +e
  "$TF" -chdir="$dir" "$@" -no-color -input=false -var "n=$BENCH_N" >"$log" 2>&1 </dev/null
  rc=$?
  set -e
  t1=$(date +%s%N)
  sleep 0.2 # the emulator logs a request after answering it
  r1=$(count_requests)
  ms=$(((t1 - t0) / 1000000))
  if [[ ",$ok," != *",$rc,"* ]]; then
    sed 's/^/  | /' "$log"
    fail "terraform $1 exited $rc (expected $ok)"
  fi
  RESULTS+=("$(printf '%-14s %10d %12d %8d' "$name" "$ms" "$((r1 - r0))" "$rc")")
  e2e_log "$name: ${ms} ms, $((r1 - r0)) API requests, exit $rc"
  PHASE_RC=$rc
}

phase plan 0,2 plan -detailed-exitcode
first_rc=$PHASE_RC
phase apply 0 apply -auto-approve
phase plan-noop 0,2 plan -detailed-exitcode
noop_rc=$PHASE_RC
created=$(emu_count services)
phase destroy 0 destroy -auto-approve
left=$(emu_count services)

echo
echo "vpcep_scale: N=$BENCH_N vpcep_service, emulator delay ${E2E_DELAY_MS:-300} ms, $("$TF" version | head -n1)"
printf '%-14s %10s %12s %8s\n' phase wall_ms api_requests exit
printf '%s\n' "${RESULTS[@]}"
echo "services after apply: $created, after destroy: $left"
if [ "$noop_rc" -ne 0 ]; then
  echo "WARNING: the second plan was not empty (exit 2); see $dir (E2E_KEEP=1 keeps it)"
  sed 's/^/  | /' "$E2E_WORK/logs/bench-plan-noop.log"
fi
# Sanity notes only: the e2e scenarios assert correctness; this script fails only when terraform does.
[ "$first_rc" -eq 2 ] || echo "WARNING: the first plan showed no changes"
[ "$created" -eq "$BENCH_N" ] || echo "WARNING: the emulator held $created services after apply, expected $BENCH_N"
[ "$left" -eq 0 ] || echo "WARNING: the emulator still holds $left services after destroy"
