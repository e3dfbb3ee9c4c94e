#!/usr/bin/env bash
# callgrind_session.sh --plugin PATH --emulator PATH [--n SMALL,LARGE] [--floor PATH]
#
# Instructions the plugin executes for real Terraform, counted by valgrind --tool=callgrind
# (deterministic, unlike wall time on a shared machine): every plugin process terraform starts
# runs under callgrind through a wrapper in the dev_overrides directory (as
# tests/valgrind/plugin_session.sh does with memcheck), one callgrind output per process.
#
# Two independent configurations of SMALL and LARGE vpcep_service resources (default 5 and 25)
# each go through `apply` (create) and a no-op `plan` (refresh). What grows with the number of
# resources is the per-resource cost, what does not is the per-launch cost:
#   per created service   = (Ir(apply LARGE) - Ir(apply SMALL)) / (LARGE - SMALL)
#   per refreshed service = (Ir(plan LARGE)  - Ir(plan SMALL))  / (LARGE - SMALL)
#   per launch            = (Ir(command) - N * per-resource cost) / plugin processes of the
#                           command, i.e. everything a launch costs that is not resource work
#                           (exec, dynamic linking, AutoMTLS, gRPC, schema, configure, shutdown)
# Also printed: each plugin process's total, and the API requests the emulator served per phase
# (from its request log). With --floor (tests/bench/grpc_floor_server), the instructions from
# exec to the handshake line of the floor, of the plugin in plaintext and of the plugin with
# AutoMTLS (a client certificate as terraform passes one), each process stopped by SIGTERM
# right after its line (callgrind --dump-before the function that writes it).
# Never fails on numbers; fails only when terraform or valgrind fails.
# Exit 77 without valgrind or terraform/tofu.
#
# E2E_DELAY_MS (default 200): the emulator's transition delay (creates wait for it).
# BENCH_CG_KEEP=1 with E2E_KEEP=1 keeps the callgrind files (callgrind_annotate them).
BENCH_SIZES=${BENCH_SIZES:-5,25}
BENCH_FLOOR=""
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n)
      BENCH_SIZES=$2
      shift 2
      ;;
    --floor)
      BENCH_FLOOR=$2
      shift 2
      ;;
    *)
      bench_args+=("$1")
      shift
      ;;
  esac
done
export E2E_DELAY_MS=${E2E_DELAY_MS:-200}

CG_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v valgrind >/dev/null 2>&1 || {
  echo "valgrind is not installed: skipped"
  exit 77
}
# shellcheck source-path=SCRIPTDIR source=../e2e/vpcep/lib.sh
source "$CG_HERE/../e2e/vpcep/lib.sh"

if ! [[ "$BENCH_SIZES" =~ ^[0-9]+,[0-9]+$ ]]; then
  fail "--n must be SMALL,LARGE (e.g. 5,25), got '$BENCH_SIZES'"
fi
N_SMALL=${BENCH_SIZES%,*}
N_LARGE=${BENCH_SIZES#*,}
if [ "$N_SMALL" -lt 1 ] || [ "$N_LARGE" -le "$N_SMALL" ] || [ "$N_LARGE" -gt 500 ]; then
  fail "--n needs 1 <= SMALL < LARGE <= 500, got '$BENCH_SIZES'"
fi

e2e_init "${bench_args[@]}"
jq --argjson n "$((N_SMALL + N_LARGE))" \
  '.quotas = ((.quotas // {}) + {endpoint_service: ($n + 2)})' \
  "$E2E_WORK/seed.json" >"$E2E_WORK/seed-bench.json" || fail "cannot write the bench seed"
e2e_start_emulator --seed "$E2E_WORK/seed-bench.json"

# The wrapper: under callgrind while BENCH_CG_DIR is set (terraform passes its environment on
# to the plugins it starts), the plain plugin otherwise (the final destroy). The plugin's stdout
# (the handshake line) is untouched; valgrind's own messages go to a log file per process.
# valgrind runs as the wrapper's child, not in its place: terraform kills a plugin that takes
# more than 2 s to exit after Shutdown (a loaded machine, under valgrind), and then only the
# wrapper dies while callgrind still writes its totals (run_phase waits for them).
rm -f "$E2E_WORK/plugin/terraform-provider-vpcep"
cat >"$E2E_WORK/plugin/terraform-provider-vpcep" <<WRAP
#!/bin/sh
if [ -n "\${BENCH_CG_DIR:-}" ]; then
  valgrind --tool=callgrind --callgrind-out-file="\$BENCH_CG_DIR/callgrind.%p.out" \\
    --log-file="\$BENCH_CG_DIR/valgrind.%p.log" "$E2E_PLUGIN" "\$@" &
  wait \$!
  exit \$?
fi
exec "$E2E_PLUGIN" "\$@"
WRAP
chmod +x "$E2E_WORK/plugin/terraform-provider-vpcep"

# One provider configuration: the fixtures' second (aliased) provider would add launches.
make_dir() {
  local dir="$E2E_WORK/$1"
  mkdir -p "$dir"
  cp "$E2E_FIXTURES/common/versions.tf" "$E2E_FIXTURES/common/variables.tf" "$dir/"
  e2e_write_tfvars "$dir/terraform.tfvars.json"
  cat >"$dir/main.tf" <<EOF
provider "vpcep" {
  endpoint   = var.endpoint
  auth_url   = var.auth_url
  region     = var.region
  project_id = var.owner_project_id
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key
}

# Two backend ports share the services; server ports differ so that no two collide.
resource "vpcep_service" "s" {
  count       = $2
  name        = "cg$1-\${count.index}"
  vpc_id      = var.owner_vpc_id
  port_id     = count.index % 2 == 0 ? var.owner_port_id : var.owner_port_id_2
  server_type = "VM"

  port {
    client_port = $3 + count.index
    server_port = $4 + count.index
  }
}
EOF
  echo "$dir"
}

count_requests() {
  local n
  n=$(grep -E '^vpcep-emulator: [A-Z]+ /' "$E2E_WORK/emulator.err" | grep -vc ' /__emulator/' || true)
  echo "${n:-0}"
}

# The total instruction count (Ir) of one callgrind output.
cg_total() {
  awk '/^(summary|totals):/ {print $2; exit}' "$1"
}

declare -A IR PROCS REQS PER_PROC
# run_phase NAME DIR TERRAFORM-ARGS...: one terraform command with every plugin under callgrind.
run_phase() {
  local name=$1 dir=$2 cgdir="$E2E_WORK/cg/$1" r0 r1 f total=0 n=0 list="" v rc
  shift 2
  mkdir -p "$cgdir"
  r0=$(count_requests)
  set +e
  BENCH_CG_DIR="$cgdir" "$TF" -chdir="$dir" "$@" -no-color >"$E2E_WORK/logs/$name.log" 2>&1 </dev/null
  rc=$?
  set -e
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    sed 's/^/  | /' "$E2E_WORK/logs/$name.log"
    fail "terraform $1 in $(basename "$dir") exited $rc"
  fi
  e2e_log "$name: terraform $1 exited $rc"
  # terraform may still be stopping a plugin: wait until every callgrind output is complete.
  for _ in $(seq 1 600); do
    pgrep -f "valgrind.*$cgdir" >/dev/null 2>&1 || break
    sleep 0.2
  done
  sleep 0.2 # the emulator logs a request after answering it
  r1=$(count_requests)
  for f in "$cgdir"/callgrind.*.out; do
    [ -e "$f" ] || continue
    v=$(cg_total "$f")
    [ -n "$v" ] || fail "incomplete callgrind output $f (plugin killed before exit?)"
    total=$((total + v))
    n=$((n + 1))
    list+="${list:+ }$((v / 100000))"
  done
  [ "$n" -gt 0 ] || fail "no plugin process ran under callgrind in phase $name"
  if grep -l 'ERROR\|Fatal' "$cgdir"/valgrind.*.log >/dev/null 2>&1; then
    cat "$cgdir"/valgrind.*.log
    fail "valgrind reported a problem in phase $name"
  fi
  IR[$name]=$total
  PROCS[$name]=$n
  REQS[$name]=$((r1 - r0))
  PER_PROC[$name]=$list
}

# cg_startup LABEL PROGRAM MTLS(0|1) FUNCTION: instructions from exec to the handshake line.
STARTUP=()
cg_startup() {
  local out="$E2E_WORK/cg/startup-$1" pid v
  mkdir -p "$out"
  (
    export TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2
    export PLUGIN_PROTOCOL_VERSIONS=5,6
    if [ "$3" = 1 ]; then
      PLUGIN_CLIENT_CERT=$(cat "$E2E_WORK/client-cert.pem")
      export PLUGIN_CLIENT_CERT
    fi
    exec valgrind --tool=callgrind --dump-before="$4" --callgrind-out-file="$out/callgrind.out" \
      --log-file="$out/valgrind.log" "$2" >"$out/handshake.txt" 2>"$out/stderr.txt" </dev/null
  ) &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q '|grpc|' "$out/handshake.txt" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  grep -q '|grpc|' "$out/handshake.txt" || fail "$1: no handshake line from $2: $(cat "$out/stderr.txt")"
  v=$(cg_total "$out/callgrind.out.1")
  [ -n "$v" ] || fail "$1: no callgrind dump at $4"
  STARTUP+=("$(printf '%-34s %12d' "$1" "$v")")
}
if [ -n "$BENCH_FLOOR" ]; then
  [ -x "$BENCH_FLOOR" ] || fail "--floor: not an executable: $BENCH_FLOOR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-521 -nodes -days 1 \
    -subj /CN=localhost -keyout "$E2E_WORK/client-key.pem" -out "$E2E_WORK/client-cert.pem" \
    >/dev/null 2>&1 || fail "openssl cannot make a client certificate"
  cg_startup "gRPC floor (static, plaintext)" "$BENCH_FLOOR" 0 floor_handshake
  cg_startup "plugin, plaintext" "$E2E_PLUGIN" 0 tfp__srv_format_handshake
  cg_startup "plugin, AutoMTLS" "$E2E_PLUGIN" 1 tfp__srv_format_handshake
fi

small=$(make_dir small "$N_SMALL" 8000 10000)
large=$(make_dir large "$N_LARGE" 20000 30000)
run_phase apply_small "$small" apply -input=false -auto-approve
run_phase plan_small "$small" plan -input=false -detailed-exitcode
run_phase apply_large "$large" apply -input=false -auto-approve
run_phase plan_large "$large" plan -input=false -detailed-exitcode

# Fixed-point arithmetic in awk (bash integers would do, but M with two decimals reads better).
dn=$((N_LARGE - N_SMALL))
per_create=$(((IR[apply_large] - IR[apply_small]) / dn))
per_refresh=$(((IR[plan_large] - IR[plan_small]) / dn))
launch() { # PHASE N PER-RESOURCE
  echo $(((IR[$1] - $2 * $3) / PROCS[$1]))
}
m() { awk -v v="$1" 'BEGIN { printf "%.2f M", v / 1e6 }'; }

echo
echo "callgrind_session: plugin instructions (Ir) under real $("$TF" version | head -n1),"
echo "  emulator transition delay ${E2E_DELAY_MS} ms, vpcep_service x $N_SMALL and x $N_LARGE"
printf '%-12s %5s %6s %14s %9s  %s\n' phase N procs Ir_total api_reqs "Ir per process (0.1 M units)"
for p in apply_small plan_small apply_large plan_large; do
  case $p in *small) n=$N_SMALL ;; *) n=$N_LARGE ;; esac
  printf '%-12s %5d %6d %14d %9d  %s\n' "$p" "$n" "${PROCS[$p]}" "${IR[$p]}" "${REQS[$p]}" "${PER_PROC[$p]}"
done
echo "instructions per plugin launch (no resource work): apply $(m "$(launch apply_large "$N_LARGE" "$per_create")"), plan $(m "$(launch plan_large "$N_LARGE" "$per_refresh")")"
echo "instructions per created service:   $(m "$per_create")"
echo "instructions per refreshed service: $(m "$per_refresh")"
echo "API requests per created service (apply incl. plan and waits): $(awk -v a="${REQS[apply_large]}" -v b="${REQS[apply_small]}" -v d="$dn" 'BEGIN { printf "%.2f", (a - b) / d }')"
echo "API requests per refreshed service (no-op plan): $(awk -v a="${REQS[plan_large]}" -v b="${REQS[plan_small]}" -v d="$dn" 'BEGIN { printf "%.2f", (a - b) / d }')"

if [ ${#STARTUP[@]} -gt 0 ]; then
  echo "instructions from exec to the handshake line:"
  printf '  %s\n' "${STARTUP[@]}"
fi
if [ "${BENCH_CG_KEEP:-0}" = 1 ]; then
  echo "callgrind outputs in $E2E_WORK/cg (kept with E2E_KEEP=1)"
fi
tf_destroy "$small" >/dev/null
tf_destroy "$large" >/dev/null
