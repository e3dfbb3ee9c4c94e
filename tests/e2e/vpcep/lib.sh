# shellcheck shell=bash
# lib.sh - shared helpers for the vpcep end-to-end scenarios.
#
# Every scenario script does:
#     source "$(dirname "$0")/lib.sh"
#     e2e_init "$@"            # --plugin PATH --emulator PATH
#     e2e_start_emulator       # own emulator on 127.0.0.1:0, killed on exit
#     ...
# and runs the real `terraform` (or `tofu`) binary against terraform-provider-vpcep and
# vpcep-emulator. Each scenario works in its own temporary directory with its own CLI config
# (dev_overrides), so scenarios can run in parallel under `ctest -j`.
#
# Exit codes: 0 pass, 1 fail (also when a helper program is missing), 77 skipped (no terraform/tofu).
# Environment knobs: E2E_KEEP=1 keeps the work directory, E2E_DELAY_MS overrides the
# emulator transition delay (default 300 ms, non-zero so that every wait is exercised),
# E2E_TF_LOG is passed to terraform as TF_LOG (with TF_LOG_PATH in the work directory),
# E2E_SANITIZER_GATE=0 only prints (instead of failing on) ASan/UBSan/LSan reports of the plugin
# or the emulator in a -DTFPV_SANITIZE=ON build.

set -euo pipefail
shopt -s inherit_errexit

E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_FIXTURES="$E2E_HERE/fixtures"
E2E_NAME=$(basename "$0" .sh)
E2E_WORK=""
E2E_EMU_PID=""
E2E_BG_PIDS=()
E2E_STEP=0
BASE_URL=""
TF=""
TF_RC=0
TF_OUT=""

e2e_log() { printf '[%s %s] %s\n' "$E2E_NAME" "$(date -u +%H:%M:%S)" "$*"; }

fail() {
  printf '[%s] FAIL: %s\n' "$E2E_NAME" "$*" >&2
  exit 1
}

skip() {
  printf '[%s] SKIP: %s\n' "$E2E_NAME" "$*"
  exit 77
}

# ---------------------------------------------------------------------------------------------
# Set-up and tear-down
# ---------------------------------------------------------------------------------------------

e2e_cleanup() {
  local rc=$?
  local pid
  trap - EXIT
  for pid in "${E2E_BG_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$E2E_EMU_PID" ]; then
    kill "$E2E_EMU_PID" 2>/dev/null || true
    wait "$E2E_EMU_PID" 2>/dev/null || true
  fi
  if [ -n "$E2E_WORK" ] && [ -d "$E2E_WORK/sanitizer" ] && [ -n "$(ls -A "$E2E_WORK/sanitizer")" ]; then
    if [ "${E2E_SANITIZER_GATE:-1}" = 1 ]; then
      echo "[$E2E_NAME] FAIL: sanitizer reports from the plugin or the emulator:"
      [ "$rc" -ne 0 ] || rc=1
    else
      echo "[$E2E_NAME] WARNING: sanitizer reports from the plugin or the emulator (ignored: E2E_SANITIZER_GATE=0):"
    fi
    cat "$E2E_WORK/sanitizer/"*
  fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -n "$E2E_WORK" ] && [ -f "$E2E_WORK/emulator.err" ]; then
    echo "---- last 40 lines of the emulator's stderr ----"
    tail -n 40 "$E2E_WORK/emulator.err" || true
  fi
  if [ -n "$E2E_WORK" ] && [ -d "$E2E_WORK" ]; then
    if [ "${E2E_KEEP:-0}" = 1 ]; then
      echo "[$E2E_NAME] work directory kept: $E2E_WORK"
    else
      rm -rf "$E2E_WORK"
    fi
  fi
  if [ "$rc" -eq 0 ]; then
    echo "[$E2E_NAME] PASS"
  fi
  exit "$rc"
}

# e2e_init --plugin PATH --emulator PATH
e2e_init() {
  local plugin="${E2E_PLUGIN:-}" emulator="${E2E_EMULATOR:-}" prog
  while [ $# -gt 0 ]; do
    case "$1" in
      --plugin) plugin=$2; shift 2 ;;
      --emulator) emulator=$2; shift 2 ;;
      *) fail "unknown argument: $1" ;;
    esac
  done
  if command -v terraform >/dev/null 2>&1; then
    TF=$(command -v terraform)
  elif command -v tofu >/dev/null 2>&1; then
    TF=$(command -v tofu)
  else
    skip "neither terraform nor tofu is on PATH"
  fi
  for prog in jq curl openssl sha256sum; do
    command -v "$prog" >/dev/null 2>&1 || fail "$prog is not installed (scripts/setup.sh installs it)"
  done
  [ -n "$plugin" ] && [ -x "$plugin" ] || fail "plugin binary not found or not executable: '$plugin'"
  [ -n "$emulator" ] && [ -x "$emulator" ] || fail "emulator binary not found or not executable: '$emulator'"
  E2E_EMULATOR=$(realpath "$emulator")
  E2E_PLUGIN=$(realpath "$plugin")

  E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/vpcep-e2e-$E2E_NAME.XXXXXX")
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$E2E_WORK/plugin" "$E2E_WORK/logs"

  # A private plugin directory holding only the binary under test: the build root may also
  # hold packaging output whose names start with terraform-provider-vpcep.
  ln -s "$E2E_PLUGIN" "$E2E_WORK/plugin/terraform-provider-vpcep"
  cat >"$E2E_WORK/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/otc/vpcep" = "$E2E_WORK/plugin"
  }
  direct {}
}
EOF
  export TF_CLI_CONFIG_FILE="$E2E_WORK/terraformrc"
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
  export TF_INPUT=0
  # Hermetic: nothing from the caller's environment may configure the provider.
  unset OS_REGION_NAME OS_PROJECT_ID OS_ACCESS_KEY OS_SECRET_KEY OS_TOKEN OS_USERNAME \
    OS_PASSWORD OS_DOMAIN_NAME OS_AUTH_URL VPCEP_ENDPOINT TF_CLI_ARGS TF_DATA_DIR \
    TF_PLUGIN_CACHE_DIR TF_LOG TF_LOG_PATH TF_LOG_PROVIDER || true
  # In a sanitizer build (-DTFPV_SANITIZE=ON), the plugin's and the emulator's reports go to files
  # that e2e_cleanup prints and turns into a failure (unless E2E_SANITIZER_GATE=0): terraform would
  # otherwise swallow a plugin's report at exit.
  mkdir -p "$E2E_WORK/sanitizer"
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$E2E_WORK/sanitizer/asan:fast_unwind_on_malloc=0"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$E2E_WORK/sanitizer/ubsan:print_stacktrace=1"
  export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$E2E_HERE/lsan.supp:print_suppressions=0"
  if [ -n "${E2E_TF_LOG:-}" ]; then
    export TF_LOG="$E2E_TF_LOG" TF_LOG_PATH="$E2E_WORK/logs/terraform-debug.log"
  fi

  "$E2E_EMULATOR" --print-seed >"$E2E_WORK/seed.json" || fail "vpcep-emulator --print-seed failed"
  jq -e '.accounts | length >= 2' "$E2E_WORK/seed.json" >/dev/null ||
    fail "seed has fewer than two accounts: $(head -c 400 "$E2E_WORK/seed.json")"
  e2e_log "using $TF ($("$TF" version | head -n1)), work dir $E2E_WORK"
}

# e2e_start_emulator [extra emulator flags...]
# Starts the emulator on 127.0.0.1:0 and sets BASE_URL from its first stdout line.
e2e_start_emulator() {
  local i line=""
  "$E2E_EMULATOR" --listen 127.0.0.1:0 --delay-ms "${E2E_DELAY_MS:-300}" "$@" \
    >"$E2E_WORK/emulator.out" 2>"$E2E_WORK/emulator.err" &
  E2E_EMU_PID=$!
  # Watchdog: the EXIT trap cannot run when this script is killed with SIGKILL (e.g. a ctest
  # timeout); the emulator must not outlive it.
  (
    while kill -0 "$$" 2>/dev/null; do sleep 1; done
    kill "$E2E_EMU_PID" 2>/dev/null
  ) </dev/null >/dev/null 2>&1 &
  E2E_BG_PIDS+=($!)
  for i in $(seq 1 150); do
    if [ -s "$E2E_WORK/emulator.out" ]; then
      line=$(head -n1 "$E2E_WORK/emulator.out")
      # Wait for the complete first line (terminated by a newline).
      if [ "$(head -c "$((${#line} + 1))" "$E2E_WORK/emulator.out" | tail -c 1 | od -An -c | tr -d ' ')" = '\n' ]; then
        break
      fi
    fi
    kill -0 "$E2E_EMU_PID" 2>/dev/null || fail "emulator exited during start-up: $(tail -n 5 "$E2E_WORK/emulator.err")"
    sleep 0.1
    line=""
  done
  [ -n "$line" ] || fail "emulator printed no base URL within 15 s"
  BASE_URL=${line%/}
  [[ "$BASE_URL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || fail "unexpected first line from the emulator: '$line'"
  e2e_log "emulator pid $E2E_EMU_PID at $BASE_URL (flags: --delay-ms ${E2E_DELAY_MS:-300} $*)"
}

# ---------------------------------------------------------------------------------------------
# Seed access
# ---------------------------------------------------------------------------------------------

# seed_get JQ_EXPR -> the raw value (fails if missing/null)
seed_get() { jq -er "$1" "$E2E_WORK/seed.json" || fail "seed lookup failed: $1"; }

# acct NAME FIELD, e.g. acct owner project_id. Fields of vpcs: vpc_id, subnet_id, port_id, port_id_2.
acct() {
  local sel=".accounts[] | select(.name == \"$1\")"
  case "$2" in
    vpc_id) seed_get "$sel | .vpcs[0].id" ;;
    subnet_id) seed_get "$sel | .vpcs[0].subnets[0].id" ;;
    port_id) seed_get "$sel | .vpcs[0].ports[0].id" ;;
    port_id_2) seed_get "$sel | .vpcs[0].ports[1].id" ;;
    *) seed_get "$sel | .$2" ;;
  esac
}

# e2e_workdir NAME FIXTURE... -> creates $E2E_WORK/NAME with the common files, the given
# fixture directories' files and a terraform.tfvars.json holding the emulator URL and the seed.
e2e_workdir() {
  local name=$1 dir fx
  shift
  dir="$E2E_WORK/$name"
  mkdir -p "$dir"
  cp "$E2E_FIXTURES/common/"*.tf "$dir/"
  for fx in "$@"; do
    cp -r "$E2E_FIXTURES/$fx/." "$dir/"
  done
  e2e_write_tfvars "$dir/terraform.tfvars.json"
  echo "$dir"
}

e2e_write_tfvars() {
  local a f v args=()
  args+=(--arg endpoint "$BASE_URL" --arg auth_url "$BASE_URL/v3")
  v=$(seed_get .region)
  args+=(--arg region "$v")
  for a in owner consumer; do
    for f in access_key secret_key project_id domain_id vpc_id subnet_id port_id port_id_2; do
      v=$(acct "$a" "$f")
      args+=(--arg "${a}_$f" "$v")
    done
  done
  jq -n "${args[@]}" '$ARGS.named' >"$1" || fail "cannot write $1"
}

# ---------------------------------------------------------------------------------------------
# Running terraform
# ---------------------------------------------------------------------------------------------

# tf DIR SUBCOMMAND [ARGS...]: runs terraform in DIR, never aborts the script. Sets TF_RC and
# TF_OUT (file with stdout+stderr) and echoes the output, so ctest --output-on-failure shows it.
tf() {
  local dir=$1 sub=$2 start
  shift 2
  E2E_STEP=$((E2E_STEP + 1))
  TF_OUT="$E2E_WORK/logs/$(printf '%02d' "$E2E_STEP")-$(basename "$dir")-$sub.log"
  start=$SECONDS
  set +e
  "$TF" -chdir="$dir" "$sub" -no-color "$@" >"$TF_OUT" 2>&1 </dev/null
  TF_RC=$?
  set -e
  TF_SECS=$((SECONDS - start))
  echo "----- $ terraform $sub $* (in $(basename "$dir")) -> exit $TF_RC after ${TF_SECS}s"
  sed 's/^/  | /' "$TF_OUT"
}

# tf_ok DIR SUBCOMMAND [ARGS...]: like tf, fails the scenario on a non-zero exit.
tf_ok() {
  tf "$@"
  [ "$TF_RC" -eq 0 ] || fail "terraform $2 in $(basename "$1") exited $TF_RC"
}

tf_apply() { tf_ok "$1" apply -input=false -auto-approve "${@:2}"; }
tf_destroy() { tf_ok "$1" destroy -input=false -auto-approve "${@:2}"; }

# tf_plan_expect DIR EXPECTED_DETAILED_EXITCODE [ARGS...]
tf_plan_expect() {
  local dir=$1 want=$2
  shift 2
  tf "$dir" plan -input=false -detailed-exitcode "$@"
  [ "$TF_RC" -eq "$want" ] ||
    fail "terraform plan -detailed-exitcode in $(basename "$dir") exited $TF_RC, expected $want"
}

# tf_output DIR NAME -> raw output value
tf_output() {
  "$TF" -chdir="$1" output -no-color -raw "$2" 2>/dev/null || fail "terraform output $2 failed in $(basename "$1")"
}

# tf_state_attr DIR ADDRESS ATTRIBUTE -> value from `terraform show -json` (compact JSON for
# non-strings, raw for strings).
tf_state_attr() {
  "$TF" -chdir="$1" show -no-color -json |
    jq -er --arg a "$2" --arg k "$3" '
      [.values.root_module.resources[]? | select(.address == $a)][0].values[$k]
      | if type == "string" then . else tojson end' ||
    fail "no attribute $3 of $2 in the state of $(basename "$1")"
}

tf_state_list() { "$TF" -chdir="$1" state list 2>/dev/null || true; }

# The last terraform output with the diagnostic box drawing removed and lines joined, so that
# assertions do not depend on line wrapping.
tf_out_flat() {
  sed -e 's/^[│╷╵]//' -e 's/^ //' "$TF_OUT" | tr '\n' ' ' | tr -s ' '
}

# out_has REGEX [WHAT]: asserts the last terraform output (flattened) matches an extended regex.
out_has() {
  tf_out_flat | grep -Eqi -- "$1" || fail "${2:-terraform output} does not match /$1/ (see the output above)"
}

out_lacks() {
  if tf_out_flat | grep -Eqi -- "$1"; then
    fail "${2:-terraform output} unexpectedly matches /$1/ (see the output above)"
  fi
}

# ---------------------------------------------------------------------------------------------
# The VPCEP API, signed with AK/SK (SDK-HMAC-SHA256), for out-of-band changes.
# Independent of the product's C client: written from the published SDK-HMAC-SHA256 scheme.
# ---------------------------------------------------------------------------------------------

# Percent-encode everything except the unreserved characters A-Z a-z 0-9 - _ . ~
uri_encode() {
  local s=$1 out="" c i
  local LC_ALL=C
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# e2e_sign METHOD PATH QUERY HOST SDK_DATE BODY AK SK -> the Authorization header value.
# PATH is the raw path (segments encoded here), QUERY the raw query string without '?'.
e2e_sign() {
  local method=$1 path=$2 query=$3 host=$4 date=$5 body=$6 ak=$7 sk=$8
  local curi="" seg cq="" kv k v creq hcreq sts sig
  local -a segs pairs sorted
  IFS='/' read -r -a segs <<<"${path#/}"
  for seg in "${segs[@]}"; do
    curi+="/$(uri_encode "$seg")"
  done
  [ -n "$curi" ] || curi="/"
  [ "${curi: -1}" = "/" ] || curi+="/"
  if [ -n "$query" ]; then
    IFS='&' read -r -a pairs <<<"$query"
    sorted=()
    for kv in "${pairs[@]}"; do
      k=${kv%%=*}
      v=""
      [ "$kv" = "$k" ] || v=${kv#*=}
      sorted+=("$(uri_encode "$k")=$(uri_encode "$v")")
    done
    cq=$(printf '%s\n' "${sorted[@]}" | LC_ALL=C sort | paste -sd '&' -)
  fi
  creq=$(printf '%s\n%s\n%s\ncontent-type:application/json\nhost:%s\nx-sdk-date:%s\n\ncontent-type;host;x-sdk-date\n%s' \
    "$method" "$curi" "$cq" "$host" "$date" "$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)")
  hcreq=$(printf '%s' "$creq" | sha256sum | cut -d' ' -f1)
  sts=$(printf 'SDK-HMAC-SHA256\n%s\n%s' "$date" "$hcreq")
  sig=$(printf '%s' "$sts" | openssl dgst -sha256 -hmac "$sk" -r | cut -d' ' -f1)
  printf 'SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host;x-sdk-date, Signature=%s' "$ak" "$sig"
}

# api ACCOUNT METHOD PATH [BODY]: signed request to /v1/{project of ACCOUNT}PATH (PATH may carry
# a query). Sets API_STATUS (000 on a transport failure) and API_BODY; prints nothing, never aborts.
API_STATUS=0
API_BODY=""
api() {
  local who=$1 method=$2 rel=$3 body=${4:-} ak sk project host date path query auth out
  ak=$(acct "$who" access_key)
  sk=$(acct "$who" secret_key)
  project=$(acct "$who" project_id)
  host=${BASE_URL#http://}
  path="/v1/$project${rel%%\?*}"
  query=""
  [[ "$rel" == *\?* ]] && query=${rel#*\?}
  date=$(date -u +%Y%m%dT%H%M%SZ)
  auth=$(e2e_sign "$method" "$path" "$query" "$host" "$date" "$body" "$ak" "$sk")
  out=$(mktemp "$E2E_WORK/logs/api-body.XXXXXX")
  local -a args=(-sS -X "$method" -o "$out" -w '%{http_code}' --max-time 30
    -H "Host: $host" -H "Content-Type: application/json" -H "X-Sdk-Date: $date"
    -H "Authorization: $auth")
  [ -z "$body" ] || args+=(--data-binary "$body")
  if ! API_STATUS=$(curl "${args[@]}" "$BASE_URL$path${query:+?$query}" 2>/dev/null); then
    API_STATUS=000
  fi
  API_BODY=$(cat "$out" 2>/dev/null || true)
  rm -f "$out"
  echo "api $who $method $rel -> $API_STATUS" >>"$E2E_WORK/logs/api.log"
}

# api_ok ACCOUNT METHOD PATH [BODY]: like api, but retries transient failures (the emulator may
# inject faults), prints the body of the 2xx answer, and fails the scenario on any other status.
api_ok() {
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    api "$@"
    case "$API_STATUS" in
      2??) printf '%s' "$API_BODY"; return 0 ;;
      000 | 429 | 5??) sleep 0.5 ;;
      *) fail "API $2 $3 as $1 returned $API_STATUS: $API_BODY" ;;
    esac
  done
  fail "API $2 $3 as $1 kept failing (last status $API_STATUS)"
}

# wait_until TIMEOUT_S DESCRIPTION COMMAND...: polls COMMAND every 0.3 s.
wait_until() {
  local limit=$1 what=$2 end
  shift 2
  end=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || fail "timed out after ${limit}s waiting for: $what"
    sleep 0.3
  done
}

# Connection status of endpoint EID on service SID, as seen by the service owner.
connection_status() {
  api_ok owner GET "/vpc-endpoint-services/$1/connections?id=$2" |
    jq -r --arg e "$2" '[.connections[]? | select(.id == $e)][0].status // "absent"'
}

endpoint_gone() {
  api "$1" GET "/vpc-endpoints/$2"
  [ "$API_STATUS" = 404 ]
}

# ---------------------------------------------------------------------------------------------
# The emulator's read-only object listing (tests/emulator/README.md): GET /__emulator/objects
# ---------------------------------------------------------------------------------------------

emu_objects() {
  local i
  for i in 1 2 3 4 5 6 7 8; do
    if curl -sSf --max-time 10 "$BASE_URL/__emulator/objects" 2>/dev/null; then
      return 0
    fi
    sleep 0.3
  done
  fail "GET $BASE_URL/__emulator/objects failed"
}

# emu_count KIND -> number of objects of KIND (services | endpoints) the emulator holds
# (public operator services are not counted).
emu_count() {
  emu_objects | jq -er --arg k "$1" '
    (.[$k] // []) | map(select((.owner // "") != "OTC")) | length' ||
    fail "cannot count $1 in the emulator's object listing"
}

# assert_emu_counts SERVICES ENDPOINTS
assert_emu_counts() {
  local s e
  s=$(emu_count services)
  e=$(emu_count endpoints)
  e2e_log "emulator holds $s service(s) and $e endpoint(s)"
  [ "$s" -eq "$1" ] && [ "$e" -eq "$2" ] ||
    fail "emulator holds $s service(s) and $e endpoint(s), expected $1 and $2: $(emu_objects | head -c 2000)"
}

assert_emu_empty() { assert_emu_counts 0 0; }

# From the emulator's request log on stderr ("vpcep-emulator: METHOD PATH -> STATUS [fault ...]"):
# the number of mutating VPCEP API calls (POST/PUT/DELETE under /v1/) and of injected faults.
emu_mutation_count() {
  grep -cE '^vpcep-emulator: (POST|PUT|DELETE|PATCH) /v1/' "$E2E_WORK/emulator.err" || true
}
emu_fault_count() {
  grep -cE '^vpcep-emulator: [A-Z]+ /.* -> .*fault' "$E2E_WORK/emulator.err" || true
}

# bg COMMAND...: runs a helper in the background, killed on exit.
bg() {
  "$@" &
  E2E_BG_PIDS+=($!)
}
