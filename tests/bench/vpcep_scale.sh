#!/usr/bin/env bash
# vpcep_scale.sh - plan/apply/plan/destroy of N vpcep_service resources (count = var.n) with the
# real terraform (or tofu) against terraform-provider-vpcep and vpcep-emulator, for one or more
# N in one run (one emulator).
#
# Prints per phase: wall time, the API requests the emulator served (from its stderr request
# log, "vpcep-emulator: METHOD PATH -> STATUS"; the test-only /__emulator/ routes are not
# counted), and with --rusage the plugin's cost: CPU (user + sys, summed over every plugin
# process terraform started in the phase), peak RSS (the largest process) and the number of
# processes. Then, per N: API requests, provider CPU and peak RSS per resource, the apply's wall
# time against the ideal N/P x (transition delay + one poll), and the RSS growth per resource
# in state between consecutive N (what each resource in state costs the no-op plan's plugin).
# Never fails on numbers: it fails only when terraform fails (or the environment is broken);
# exit 77 when terraform/tofu or a helper program is missing.
#
# Usage: vpcep_scale.sh --plugin PATH --emulator PATH [--n N[,N...]] [--parallelism P]
#                       [--rusage PATH-TO-rusage_exec]
#   N (default 5, or $BENCH_N): numbers of services, e.g. 100,300,1000 (each 1..1000). The
#   emulator gets a seed whose service quota fits the largest N.
#   P (default 10, terraform's default): terraform -parallelism.
#   E2E_DELAY_MS (default 200): the emulator's lifecycle transition delay, i.e. how long each
#   create/delete waiter has to wait.
# Reuses the e2e helpers (tests/e2e/vpcep/lib.sh): private dev_overrides CLI config, emulator
# start on 127.0.0.1:0, hermetic environment, clean-up on exit.

BENCH_N=${BENCH_N:-5}
BENCH_P=10
BENCH_RUSAGE=""
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n)
      BENCH_N=$2
      shift 2
      ;;
    --parallelism)
      BENCH_P=$2
      shift 2
      ;;
    --rusage)
      BENCH_RUSAGE=$2
      shift 2
      ;;
    *)
      bench_args+=("$1")
      shift
      ;;
  esac
done
export E2E_DELAY_MS=${E2E_DELAY_MS:-200}

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../e2e/vpcep/lib.sh
source "$BENCH_HERE/../e2e/vpcep/lib.sh"

IFS=',' read -r -a SIZES <<<"$BENCH_N"
max_n=0
for n in "${SIZES[@]}"; do
  if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 1000 ]; then
    fail "--n must be a list of integers 1..1000, got '$BENCH_N'"
  fi
  [ "$n" -le "$max_n" ] || max_n=$n
done
if ! [[ "$BENCH_P" =~ ^[0-9]+$ ]] || [ "$BENCH_P" -lt 1 ]; then
  fail "--parallelism must be >= 1"
fi
if [ -n "$BENCH_RUSAGE" ] && [ ! -x "$BENCH_RUSAGE" ]; then
  fail "--rusage: not an executable: $BENCH_RUSAGE"
fi

e2e_init "${bench_args[@]}"

emu_flags=()
if [ "$max_n" -gt 18 ]; then
  jq --argjson n "$max_n" '.quotas = ((.quotas // {}) + {endpoint_service: ($n + 2)})' \
    "$E2E_WORK/seed.json" >"$E2E_WORK/seed-bench.json" || fail "cannot write the bench seed"
  emu_flags+=(--seed "$E2E_WORK/seed-bench.json")
fi
e2e_start_emulator "${emu_flags[@]}"

# With --rusage, the plugin runs under rusage_exec, which appends "user_ms sys_ms maxrss_kib"
# per plugin process to $BENCH_RUSAGE_FILE (terraform passes its environment on to plugins).
if [ -n "$BENCH_RUSAGE" ]; then
  rm -f "$E2E_WORK/plugin/terraform-provider-vpcep"
  cat >"$E2E_WORK/plugin/terraform-provider-vpcep" <<WRAP
#!/bin/sh
exec "$(realpath "$BENCH_RUSAGE")" "\${BENCH_RUSAGE_FILE:-/dev/null}" "$E2E_PLUGIN" "\$@"
WRAP
  chmod +x "$E2E_WORK/plugin/terraform-provider-vpcep"
fi

dir="$E2E_WORK/scale"
mkdir -p "$dir"
cp "$E2E_FIXTURES/common/versions.tf" "$E2E_FIXTURES/common/variables.tf" "$dir/"
e2e_write_tfvars "$dir/terraform.tfvars.json"
cat >"$dir/scale.tf" <<'EOF'
variable "n" {
  type = number
}

provider "vpcep" {
  endpoint   = var.endpoint
  auth_url   = var.auth_url
  region     = var.region
  project_id = var.owner_project_id
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key
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
# mb KIB -> megabytes with one decimal ("-" stays "-")
mb() {
  if [ "$1" = - ]; then echo -; else awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; fi
}
# per N TOTAL -> TOTAL / N with two decimals and an optional unit ("-" stays "-")
per() {
  if [ "$2" = - ]; then echo -; else awk -v a="$2" -v n="$1" -v u="${3:-}" 'BEGIN { printf "%.2f%s", a / n, u }'; fi
}
declare -A WALL REQS CPU RSS
# phase N NAME EXPECTED_RCS TERRAFORM-ARGS...: runs terraform in $dir with var.n = N, records
# wall time, the emulator requests served and the plugin's cost; fails unless the exit code is
# one of EXPECTED_RCS (comma list).
phase() {
  local n=$1 name=$2 ok=$3 t0 t1 r0 r1 rc ms log ru cpu="-" rss="-" procs="-"
  shift 3
  log="$E2E_WORK/logs/bench-$n-$name.log"
  ru="$E2E_WORK/logs/rusage-$n-$name.txt"
  : >"$ru"
  r0=$(count_requests)
  t0=$(date +%s%N)
  set +e
  BENCH_RUSAGE_FILE="$ru" "$TF" -chdir="$dir" "$@" -no-color -input=false -var "n=$n" >"$log" 2>&1 </dev/null
  rc=$?
  set -e
  t1=$(date +%s%N)
  sleep 0.2 # the emulator logs a request after answering it; plugins finish their exit
  r1=$(count_requests)
  ms=$(((t1 - t0) / 1000000))
  if [[ ",$ok," != *",$rc,"* ]]; then
    sed 's/^/  | /' "$log"
    fail "terraform $1 exited $rc (expected $ok)"
  fi
  if [ -n "$BENCH_RUSAGE" ]; then
    read -r cpu rss procs < <(awk '{ c += $1 + $2; if ($3 > m) m = $3; p++ } END { print c + 0, m + 0, p + 0 }' "$ru")
  fi
  WALL[$n.$name]=$ms
  REQS[$n.$name]=$((r1 - r0))
  CPU[$n.$name]=$cpu
  RSS[$n.$name]=$rss
  RESULTS+=("$(printf '%6d %-10s %9d %9d %9s %9s %6s %5d' "$n" "$name" "$ms" "$((r1 - r0))" "$cpu" \
    "$(mb "$rss")" "$procs" "$rc")")
  e2e_log "N=$n $name: ${ms} ms, $((r1 - r0)) API requests, plugin CPU ${cpu} ms, peak RSS ${rss} KiB, exit $rc"
  PHASE_RC=$rc
}

WARN=()
for n in "${SIZES[@]}"; do
  phase "$n" plan 0,2 plan -detailed-exitcode "-parallelism=$BENCH_P"
  [ "$PHASE_RC" -eq 2 ] || WARN+=("N=$n: the first plan showed no changes")
  phase "$n" apply 0 apply -auto-approve "-parallelism=$BENCH_P"
  phase "$n" plan-noop 0,2 plan -detailed-exitcode "-parallelism=$BENCH_P"
  if [ "$PHASE_RC" -ne 0 ]; then
    WARN+=("N=$n: the second plan was not empty (exit 2)")
    sed 's/^/  | /' "$E2E_WORK/logs/bench-$n-plan-noop.log"
  fi
  created=$(emu_count services)
  [ "$created" -eq "$n" ] || WARN+=("N=$n: the emulator held $created services after apply")
  phase "$n" destroy 0 destroy -auto-approve "-parallelism=$BENCH_P"
  left=$(emu_count services)
  [ "$left" -eq 0 ] || WARN+=("N=$n: the emulator still holds $left services after destroy")
done

echo
echo "vpcep_scale: vpcep_service x N, parallelism $BENCH_P, emulator delay ${E2E_DELAY_MS} ms, $("$TF" version | head -n1)"
printf '%6s %-10s %9s %9s %9s %9s %6s %5s\n' N phase wall_ms api_reqs cpu_ms rss_MB procs exit
printf '%s\n' "${RESULTS[@]}"
echo
echo "per resource (apply = create incl. its plan and waits; plan-noop = refresh + plan):"
printf '%6s %13s %15s %13s %15s %15s %16s\n' N apply_reqs/res noop_reqs/res apply_cpu/res \
  noop_cpu_ms noop_peak_MB apply_wall/ideal
prev_n=""
for n in "${SIZES[@]}"; do
  # ideal apply: ceil(N/P) rounds of (transition delay + one poll of ~10 ms)
  ideal=$((((n + BENCH_P - 1) / BENCH_P) * (E2E_DELAY_MS + 10)))
  printf '%6d %13s %15s %13s %15s %15s %16s\n' "$n" "$(per "$n" "${REQS[$n.apply]}")" \
    "$(per "$n" "${REQS[$n.plan-noop]}")" "$(per "$n" "${CPU[$n.apply]}" " ms")" \
    "${CPU[$n.plan-noop]}" "$(mb "${RSS[$n.plan-noop]}")" \
    "$(awk -v w="${WALL[$n.apply]}" -v i="$ideal" 'BEGIN { printf "%.2fx of %d ms", w / i, i }')"
  if [ -n "$prev_n" ] && [ "${RSS[$n.plan-noop]}" != - ]; then
    # What each additional resource costs between two N: flat when nothing grows faster than N.
    echo "       N=$prev_n -> $n, per added resource: apply CPU $(per "$((n - prev_n))" \
      "$((CPU[$n.apply] - CPU[$prev_n.apply]))" " ms"), no-op plan CPU $(per "$((n - prev_n))" \
      "$((CPU[$n.plan-noop] - CPU[$prev_n.plan-noop]))" " ms"), RSS growth in state $(per \
      "$((n - prev_n))" "$((RSS[$n.plan-noop] - RSS[$prev_n.plan-noop]))" " KB")"
  fi
  prev_n=$n
done
# Sanity notes only: the e2e scenarios assert correctness; this script fails only when terraform does.
for w in "${WARN[@]}"; do
  echo "WARNING: $w"
done
