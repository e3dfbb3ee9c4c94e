#!/usr/bin/env bash
# e2e: the real terraform (or tofu) drives tfp-test-provider through a whole lifecycle.
#   plugin_e2e.sh <tfp-test-provider> <5|6> <mtls|plain>
# validate, plan, apply, a second plan with -detailed-exitcode (must be 0), an in-place
# update, a replacement, import, destroy, and an invalid config whose diagnostic carries an
# attribute path. Exits 77 (skipped) when neither terraform nor tofu is on PATH.
set -euo pipefail

bin=$(readlink -f "$1")
proto=$2
tls=$3

tf=$(command -v terraform || command -v tofu || true)
if [ -z "$tf" ]; then
  echo "SKIP: neither terraform nor tofu on PATH"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tfp-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins" "$work/cfg" "$work/state"
ln -s "$bin" "$work/plugins/terraform-provider-tfptest"

cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "example.test/test/tfptest" = "$work/plugins"
  }
  direct {}
}
CFG

export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TFPTEST_DIR="$work/state"
export TF_LOG=debug
export TF_LOG_PATH="$work/terraform.log"
unset TF_DISABLE_PLUGIN_TLS TFP_PROTOCOLS TF_LOG_PROVIDER
if [ "$proto" = 5 ]; then
  export TFP_PROTOCOLS=5
fi
if [ "$tls" = plain ]; then
  export TF_DISABLE_PLUGIN_TLS=1
fi

cd "$work/cfg"
step=""
out="$work/out.txt"

fail() {
  echo "FAIL [$step]: $*"
  echo "----- last command output"
  cat "$out" 2>/dev/null || true
  echo "----- provider lines of the terraform log (tail)"
  grep -i 'provider\|plugin' "$work/terraform.log" 2>/dev/null | tail -40 || true
  exit 1
}

# run <expected-exit> <args...>: runs terraform, output in $out.
run() {
  local want=$1
  shift
  set +e
  "$tf" "$@" -no-color >"$out" 2>&1
  local got=$?
  set -e
  [ "$got" = "$want" ] || fail "terraform $* exited $got, expected $want"
}

expect() { grep -qF -- "$1" "$out" || fail "output lacks: $1"; }

write_config() { # name note
  cat >main.tf <<HCL
terraform {
  required_providers {
    tfptest = { source = "example.test/test/tfptest" }
  }
}

resource "tfptest_thing" "a" {
  name = "$1"
  note = "$2"
  size = 123456789012345678901234567890
  tags = { env = "dev", team = "infra" }

  rule {
    port  = 80
    proto = "tcp"
  }
  rule {
    port = 443
  }
}

data "tfptest_echo" "e" {
  input = "hello"
}

output "id" { value = tfptest_thing.a.id }
output "size" { value = tfptest_thing.a.size }
output "echo" { value = data.tfptest_echo.e.output }
HCL
}

step=validate
write_config alpha n1
run 0 validate
expect "The configuration is valid"

step=plan
run 0 plan -input=false
expect "Plan: 1 to add, 0 to change, 0 to destroy"

step=apply
run 0 apply -input=false -auto-approve
expect "Apply complete! Resources: 1 added"
run 0 output -raw size
[ "$(cat "$out")" = "123456789012345678901234567890" ] || fail "size not kept exactly"
run 0 output -raw echo
[ "$(cat "$out")" = "hello" ] || fail "data source echo"
run 0 output -raw id
id1=$(cat "$out")
case "$id1" in thing-*) ;; *) fail "unexpected id $id1" ;; esac

step=second-plan
run 0 plan -input=false -detailed-exitcode
expect "No changes"

step=update-in-place
write_config alpha n2
run 0 plan -input=false
expect "1 to change"
expect "updated in-place"
run 0 apply -input=false -auto-approve
expect "Resources: 0 added, 1 changed, 0 destroyed"
run 0 output -raw id
[ "$(cat "$out")" = "$id1" ] || fail "in-place update changed the id"
run 0 plan -input=false -detailed-exitcode

step=replace
write_config beta n2
run 0 plan -input=false
expect "must be replaced"
expect "forces replacement"
run 0 apply -input=false -auto-approve
expect "Resources: 1 added, 0 changed, 1 destroyed"
run 0 output -raw id
id2=$(cat "$out")
[ "$id2" != "$id1" ] || fail "replacement kept the id"
run 0 plan -input=false -detailed-exitcode

step=import
run 0 state rm tfptest_thing.a
run 0 import -input=false tfptest_thing.a "$id2"
expect "Import successful"
run 0 plan -input=false -detailed-exitcode

step=destroy
run 0 destroy -input=false -auto-approve
expect "Destroy complete! Resources: 1 destroyed"
grep -q "thing-" "$work/state/things.json" && fail "state store not empty after destroy"

step=invalid
write_config "Bad Name!" n1
run 1 validate
expect "Error: Invalid name"
expect 'name = "Bad Name!"'
expect 'with tfptest_thing.a'
expect 'on main.tf line 8, in resource "tfptest_thing" "a"'

step=log-checks
grep -q "using plugin.*version=$proto" "$work/terraform.log" ||
  fail "terraform did not use protocol $proto"
if grep -q "plugin failed to exit gracefully" "$work/terraform.log"; then
  fail "a plugin process did not exit after Shutdown"
fi
if grep -q "plugin process exited:.*error=" "$work/terraform.log"; then
  grep "plugin process exited:.*error=" "$work/terraform.log" | head -3
  fail "a plugin process exited with an error"
fi
if grep -qi "panic:" "$work/terraform.log"; then
  fail "panic in the terraform log"
fi

echo "PASS: protocol $proto, $tls"
