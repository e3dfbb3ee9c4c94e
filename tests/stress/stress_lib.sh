# shellcheck shell=bash
# stress_lib.sh - shared helpers of the stress scenarios (tests/stress/README.md), on top of the
# e2e library (tests/e2e/vpcep/lib.sh): real terraform, the plugin and vpcep-emulator.
#
# Every scenario counts, through the emulator's object listing (GET /__emulator/objects) and
# `terraform show -json`, after each step:
#   duplicates  objects the cloud holds beyond what the configuration declares (after a
#               successful apply: more of a kind than declared)
#   orphans     objects in the cloud that no resource in state holds (after every step,
#               failed ones included: an ID once known is never lost)
#   shared IDs  IDs that two resources in state hold (after every step)
#   lost        IDs in state whose object the cloud does not have (after a successful apply)
# and prints one summary line "STRESS <name>: ..." with them, the cycles and the faults the
# emulator injected; any nonzero count fails the scenario. STRESS_LONG=1 selects the long form.

# shellcheck source=../e2e/vpcep/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/vpcep/lib.sh"
STRESS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STRESS_LONG=${STRESS_LONG:-0}

S_CYCLES=0
S_APPLIES=0
S_FAILED=0
S_FAILED_CREATES=0
S_FAULTS=0
S_REQUESTS=0
S_DUP=0
S_ORPHANS=0
S_SHARED=0
S_LOST=0
S_PROBLEMS=()

# stress_long SHORT LONG -> SHORT, or LONG when STRESS_LONG=1
stress_long() { if [ "$STRESS_LONG" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# stress_workdir NAME FIXTURE -> a work directory with the e2e common files and
# tests/stress/fixtures/FIXTURE (or the e2e fixture of that name).
stress_workdir() {
  local dir
  dir=$(e2e_workdir "$1")
  if [ -d "$STRESS_HERE/fixtures/$2" ]; then
    cp -r "$STRESS_HERE/fixtures/$2/." "$dir/"
  else
    cp -r "$E2E_FIXTURES/$2/." "$dir/"
  fi
  echo "$dir"
}

# stf DIR SUBCOMMAND ARGS...: terraform, its output only in the step's log file ($TF_OUT).
stf() {
  tf "$@" >/dev/null
  e2e_log "terraform $2 -> exit $TF_RC after ${TF_SECS}s ($(basename "$TF_OUT"))"
}

# The IDs in DIR's state, one "address id" per line (services and endpoints).
state_ids() {
  "$TF" -chdir="$1" show -json 2>/dev/null |
    jq -r '[.values.root_module.resources[]? | select(.type == "vpcep_service" or .type == "vpcep_endpoint")
            | "\(.address) \(.values.id)"] | .[]' 2>/dev/null || true
}

# The IDs of the cloud's services and endpoints (the operator's public services left out).
cloud_ids() {
  emu_objects | jq -r '[(.services[] | select((.owner // "") != "OTC") | .id), (.endpoints[] | .id)] | .[]'
}

stress_problem() {
  S_PROBLEMS+=("$*")
  e2e_log "PROBLEM: $*"
}

# stress_check DIR WHAT OK [SERVICES ENDPOINTS]: counts shared IDs and orphans after any step,
# lost IDs after a successful one (OK=1), and duplicates when the counts the configuration
# declares are given.
stress_check() {
  local dir=$1 what=$2 ok=$3 want_s=${4:-} want_e=${5:-} state cloud n s e
  state=$(state_ids "$dir")
  cloud=$(cloud_ids | sort -u)
  n=$(awk '{print $2}' <<<"$state" | sed '/^$/d' | sort | uniq -d | wc -l)
  if [ "$n" -gt 0 ]; then
    S_SHARED=$((S_SHARED + n))
    stress_problem "$what: $n ID(s) held by two resources: $(awk '{print $2}' <<<"$state" | sort | uniq -d | tr '\n' ' ')"
  fi
  n=$(comm -23 <(printf '%s\n' "$cloud" | sed '/^$/d') <(awk '{print $2}' <<<"$state" | sed '/^$/d' | sort -u) | wc -l)
  if [ "$n" -gt 0 ]; then
    S_ORPHANS=$((S_ORPHANS + n))
    stress_problem "$what: $n object(s) in the cloud that the state does not hold: $(comm -23 <(printf '%s\n' "$cloud" | sed '/^$/d') <(awk '{print $2}' <<<"$state" | sed '/^$/d' | sort -u) | tr '\n' ' ')"
  fi
  if [ "$ok" = 1 ]; then
    n=$(comm -13 <(printf '%s\n' "$cloud" | sed '/^$/d') <(awk '{print $2}' <<<"$state" | sed '/^$/d' | sort -u) | wc -l)
    if [ "$n" -gt 0 ]; then
      S_LOST=$((S_LOST + n))
      stress_problem "$what: $n ID(s) in state without their object in the cloud"
    fi
    if [ -n "$want_s" ]; then
      s=$(emu_count services)
      e=$(emu_count endpoints)
      n=$(((s > want_s ? s - want_s : 0) + (e > want_e ? e - want_e : 0)))
      if [ "$n" -gt 0 ]; then
        S_DUP=$((S_DUP + n))
        stress_problem "$what: the cloud holds $s service(s) and $e endpoint(s), the configuration $want_s and $want_e"
      fi
    fi
  fi
}

# stress_converge DIR SUBCOMMAND TRIES ARGS...: apply or destroy until it succeeds (a fault or
# a failed create may fail one), checking after each try; 0 when one succeeded.
stress_converge() {
  local dir=$1 sub=$2 tries=$3 i
  shift 3
  for ((i = 1; i <= tries; i++)); do
    stf "$dir" "$sub" -input=false -auto-approve "$@"
    S_APPLIES=$((S_APPLIES + 1))
    if [ "$TF_RC" -eq 0 ]; then
      return 0
    fi
    S_FAILED=$((S_FAILED + 1))
    S_FAILED_CREATES=$((S_FAILED_CREATES + $(tf_out_flat | grep -oE 'Error: [A-Za-z ]*(creation failed|did not become available)' | wc -l)))
    e2e_log "$sub failed (try $i): $(tf_out_flat | grep -oE 'Error: [^│]{0,200}' | head -n 2 | tr '\n' ' ')"
    stress_check "$dir" "$sub try $i (failed)" 0
  done
  return 1
}

# Adds the faults and requests of the running emulator (its request log) to the totals.
stress_count_emulator() {
  local f r
  f=$(emu_fault_count)
  r=$(grep -cE '^vpcep-emulator: [A-Z]+ /(v1|v3)' "$E2E_WORK/emulator.err" || true)
  S_FAULTS=$((S_FAULTS + f))
  S_REQUESTS=$((S_REQUESTS + r))
}

stress_stop_emulator() {
  stress_count_emulator
  kill "$E2E_EMU_PID" 2>/dev/null || true
  wait "$E2E_EMU_PID" 2>/dev/null || true
  E2E_EMU_PID=
}

# stress_summary NAME [EXTRA]: the scenario's figures; fails on any duplicate, orphan, shared or
# lost ID and on any other problem recorded.
stress_summary() {
  local line
  line="STRESS $1: cycles=$S_CYCLES applies=$S_APPLIES failed_applies=$S_FAILED requests=$S_REQUESTS faults=$S_FAULTS duplicates=$S_DUP orphans=$S_ORPHANS shared_ids=$S_SHARED lost=$S_LOST${2:+ $2}"
  echo "$line"
  echo "$line" >>"${STRESS_REPORT:-/dev/null}"
  if [ "${#S_PROBLEMS[@]}" -gt 0 ]; then
    printf '  problem: %s\n' "${S_PROBLEMS[@]}"
    fail "${#S_PROBLEMS[@]} problem(s)"
  fi
}
