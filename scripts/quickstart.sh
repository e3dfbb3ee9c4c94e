#!/usr/bin/env bash
# Quick start: from a fresh Debian machine to a real `terraform plan` and `apply`.
#
#   ./scripts/quickstart.sh          install what is missing, build, start vpcep-emulator on
#                                    loopback, then plan and apply examples/quickstart/
#   ./scripts/quickstart.sh stop     stop the emulator this script started
#
# Everything it writes lives in .quickstart/ (ignored by git): the emulator's PID, URL, log
# seed and state, a Terraform CLI config with dev_overrides that points at the freshly built plugin,
# and a working copy of examples/quickstart/ with its terraform.tfvars and state. Running it
# again reuses a running emulator (or starts a new one) and applies the same configuration again.
#
# Environment: BUILD_DIR (default build), QS_LISTEN (emulator address, default 127.0.0.1:0 =
# any free port), QS_DELAY_MS (emulator delay per state change, default 1000), TERRAFORM
# (the terraform or tofu binary to use).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
QS="$ROOT/.quickstart"
WORK="$QS/work"
EMULATOR="$BUILD_DIR/vpcep-emulator"
PLUGIN="$BUILD_DIR/terraform-provider-vpcep"
QS_LISTEN=${QS_LISTEN:-127.0.0.1:0}
QS_DELAY_MS=${QS_DELAY_MS:-1000}

say() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'quickstart: %s\n' "$*" >&2
  exit 1
}

# PID of our emulator if it is still running, else nothing.
running_emulator() {
  local pid
  [ -f "$QS/emulator.pid" ] && [ -f "$QS/emulator.url" ] || return 1
  pid=$(cat "$QS/emulator.pid")
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q vpcep-emulator || return 1
  echo "$pid"
}

stop_emulator() {
  local pid
  if pid=$(running_emulator); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    echo "quickstart: stopped vpcep-emulator (PID $pid)"
  else
    echo "quickstart: no emulator of ours is running"
  fi
  rm -f "$QS/emulator.pid" "$QS/emulator.url"
}

if [ "${1:-}" = stop ]; then
  stop_emulator
  exit 0
fi
[ $# -eq 0 ] || die "usage: $0 [stop]"

# ---------------------------------------------------------------------------------------------
say "Installing what is missing and building (scripts/setup.sh)"
BUILD_DIR="$BUILD_DIR" bash scripts/setup.sh
[ -x "$EMULATOR" ] || die "the build did not produce $EMULATOR"
[ -x "$PLUGIN" ] || die "the build did not produce $PLUGIN"
echo "plugin: $("$PLUGIN" --version 2>/dev/null | head -n1 || true) ($PLUGIN)"

# ---------------------------------------------------------------------------------------------
say "Looking for terraform or tofu"
TF=${TERRAFORM:-}
if [ -z "$TF" ]; then
  if command -v terraform >/dev/null 2>&1; then
    TF=terraform
  elif command -v tofu >/dev/null 2>&1; then
    TF=tofu
  fi
fi
if [ -z "$TF" ] || ! command -v "$TF" >/dev/null 2>&1; then
  cat >&2 <<'EOF'
quickstart: neither `terraform` nor `tofu` is on PATH. The build is done; to run the quick start,
install one of them and run ./scripts/quickstart.sh again:
  * Terraform: https://developer.hashicorp.com/terraform/install (a single binary; unzip it into
    /usr/local/bin), or HashiCorp's apt repository https://apt.releases.hashicorp.com
  * OpenTofu:  https://opentofu.org/docs/intro/install/ (a single binary or their apt repository)
EOF
  exit 1
fi
TF=$(command -v "$TF")
echo "using $("$TF" version 2>/dev/null | head -n1) ($TF)"

# ---------------------------------------------------------------------------------------------
mkdir -p "$QS" "$WORK"
if pid=$(running_emulator); then
  say "Reusing the running vpcep-emulator (PID $pid)"
else
  say "Starting vpcep-emulator on $QS_LISTEN (--delay-ms $QS_DELAY_MS)"
  rm -f "$QS/emulator.pid" "$QS/emulator.url"
  : >"$QS/emulator.out"
  # setsid: the emulator keeps running after this script (and its terminal session) ends.
  # --state: a restarted emulator still knows what the Terraform state in .quickstart/ refers to.
  setsid "$EMULATOR" --listen "$QS_LISTEN" --delay-ms "$QS_DELAY_MS" \
    --state "$QS/emulator-state.json" >"$QS/emulator.out" 2>"$QS/emulator.log" </dev/null &
  pid=$!
  echo "$pid" >"$QS/emulator.pid"
  url=""
  for _ in $(seq 1 150); do
    # The first complete line of stdout is the base URL.
    if [ "$(wc -l <"$QS/emulator.out")" -ge 1 ]; then
      url=$(head -n1 "$QS/emulator.out" | tr -d '\r')
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  case "$url" in http://* | https://*) ;; *) url="" ;; esac
  if [ -z "$url" ]; then
    kill "$pid" 2>/dev/null || true
    rm -f "$QS/emulator.pid"
    tail -n 20 "$QS/emulator.log" >&2 || true
    die "vpcep-emulator did not start (log: $QS/emulator.log); if its saved state is the problem, remove $QS/emulator-state.json (or all of $QS) and run again"
  fi
  echo "$url" >"$QS/emulator.url"
fi
URL=$(cat "$QS/emulator.url")
echo "emulator: $URL (PID $(cat "$QS/emulator.pid"), log $QS/emulator.log)"

# ---------------------------------------------------------------------------------------------
say "Reading the emulator's seed (accounts, VPCs, ports)"
"$EMULATOR" --print-seed >"$QS/seed.json"
# The variables of examples/quickstart, from the account "owner".
jq -er '(.accounts[] | select(.name == "owner")) as $a
  | [ "region=\(.region)", "project_id=\($a.project_id)", "access_key=\($a.access_key)",
      "secret_key=\($a.secret_key)", "vpc_id=\($a.vpcs[0].id)",
      "subnet_id=\($a.vpcs[0].subnets[0].id)", "port_id=\($a.vpcs[0].ports[0].id)" ]
  | .[]' "$QS/seed.json" >"$QS/seed.env" || die "could not read the seed ($QS/seed.json)"
grep -q '=null$' "$QS/seed.env" && die "the seed lacks a value: $(grep '=null$' "$QS/seed.env")"
seed() { sed -n "s/^$1=//p" "$QS/seed.env"; }

# A CLI config that makes Terraform run the freshly built plugin (no registry, no `terraform
# init` needed). It points at a directory of its own that holds only a link to the plugin: the
# build directory may also hold packaging output named terraform-provider-vpcep_*.
mkdir -p "$QS/plugin"
ln -sfn "$PLUGIN" "$QS/plugin/terraform-provider-vpcep"
cat >"$QS/terraformrc" <<EOF
# Written by scripts/quickstart.sh: use the plugin built in $BUILD_DIR for otc/vpcep.
provider_installation {
  dev_overrides {
    "registry.terraform.io/otc/vpcep" = "$QS/plugin"
  }
  direct {}
}
EOF

# The working copy: the example's .tf files (refreshed every run) and our variables.
cp "$ROOT"/examples/quickstart/*.tf "$WORK"/
umask 077 # the tfvars hold the (emulator's) secret key
cat >"$WORK/terraform.tfvars" <<EOF
# Written by scripts/quickstart.sh from the emulator's seed (account "owner").
region       = "$(seed region)"
project_id   = "$(seed project_id)"
access_key   = "$(seed access_key)"
secret_key   = "$(seed secret_key)"
api_endpoint = "$URL"
auth_url     = "${URL%/}/v3"
vpc_id       = "$(seed vpc_id)"
subnet_id    = "$(seed subnet_id)"
port_id      = "$(seed port_id)"
EOF
umask 022

export TF_CLI_CONFIG_FILE="$QS/terraformrc"
export CHECKPOINT_DISABLE=1
tf() { "$TF" -chdir="$WORK" "$@"; }

# With dev_overrides Terraform needs no `init`: `init` would ask the registry for otc/vpcep
# (which fails offline) and Terraform itself says to skip it. The quick start has no modules.
say "Skipping terraform init: dev_overrides runs the plugin straight from $BUILD_DIR"

say "terraform plan"
tf plan -input=false -out=quickstart.tfplan

say "terraform apply (the approval waits until the endpoint is accepted)"
tf apply -input=false -auto-approve quickstart.tfplan
rm -f "$WORK/quickstart.tfplan"

say "terraform plan again (expect: No changes)"
tf plan -input=false -detailed-exitcode || {
  rc=$?
  [ "$rc" -eq 2 ] && die "the second plan shows changes (a perpetual diff: please report it)"
  exit "$rc"
}

REL_QS=${QS#"$ROOT"/}
ep_ip=$(tf output -raw endpoint_ip 2>/dev/null || true)
ep_dns=$(tf output -raw endpoint_domain_name 2>/dev/null || true)
cat <<EOF

Done. The endpoint service, the endpoint and the approval now exist in the emulator.

  The endpoint's private IP address:  ${ep_ip:-(none)}
  Its private domain name:            ${ep_dns:-(none)}

  Plan again:
    TF_CLI_CONFIG_FILE=$QS/terraformrc $TF -chdir=$WORK plan

  Destroy (while the emulator still runs):
    TF_CLI_CONFIG_FILE=$QS/terraformrc $TF -chdir=$WORK destroy -auto-approve

  Watch the provider's API calls:
    TF_LOG=DEBUG TF_CLI_CONFIG_FILE=$QS/terraformrc $TF -chdir=$WORK plan

  Stop the emulator (PID $(cat "$QS/emulator.pid")):
    ./scripts/quickstart.sh stop        # or: kill \$(cat $REL_QS/emulator.pid)

Everything lives in $REL_QS/ (ignored by git); remove that directory to start from scratch.
EOF
