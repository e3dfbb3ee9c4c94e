#!/usr/bin/env bash
# plugin_session.sh --plugin PATH --emulator PATH
# The product plugin under valgrind memcheck for real Terraform sessions against vpcep-emulator:
# terraform launches it (magic cookie, handshake, gRPC over a Unix socket, go-plugin Shutdown)
# through a wrapper that runs it under valgrind. Sessions: validate, plan, apply of one
# vpcep_service, a no-op plan, destroy. Every plugin process writes its own valgrind log; the
# case fails when any log holds an error (invalid access, uninitialised use, definite leak),
# or when terraform fails. Exit 77 without terraform/tofu; 1 without valgrind or a helper program.
# Reuses the e2e helpers (tests/e2e/vpcep/lib.sh).
VG_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v valgrind >/dev/null 2>&1 || {
  echo "valgrind is not installed (scripts/setup.sh installs it)"
  exit 1
}
# shellcheck source-path=SCRIPTDIR source=../e2e/vpcep/lib.sh
source "$VG_HERE/../e2e/vpcep/lib.sh"
e2e_init "$@"
# shellcheck disable=SC2119 # no extra emulator flags
e2e_start_emulator

# Replace lib.sh's symlink to the plugin with a wrapper that runs it under valgrind. valgrind's
# own output goes to a log file per process, so the plugin's stdout (handshake line) is unchanged.
mkdir -p "$E2E_WORK/valgrind"
rm -f "$E2E_WORK/plugin/terraform-provider-vpcep"
# valgrind runs as the wrapper's child, not in its place: terraform kills a plugin that takes
# more than 2 s to exit after Shutdown (valgrind's exit-time leak check on a loaded machine);
# then only the wrapper dies and the check still completes (waited for below).
cat >"$E2E_WORK/plugin/terraform-provider-vpcep" <<WRAP
#!/bin/sh
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
  --show-leak-kinds=definite --num-callers=30 --suppressions="$VG_HERE/suppressions.supp" \\
  --log-file="$E2E_WORK/valgrind/plugin.%p.log" "$E2E_PLUGIN" "\$@" &
wait \$!
exit \$?
WRAP
chmod +x "$E2E_WORK/plugin/terraform-provider-vpcep"

dir="$E2E_WORK/session"
mkdir -p "$dir"
cp "$E2E_FIXTURES/common/"*.tf "$dir/"
e2e_write_tfvars "$dir/terraform.tfvars.json"
cat >"$dir/main.tf" <<'TF'
resource "vpcep_service" "s" {
  name        = "valgrind"
  vpc_id      = var.owner_vpc_id
  port_id     = var.owner_port_id
  server_type = "VM"

  port {
    client_port = 80
    server_port = 8080
  }

  tags = {
    gate = "valgrind"
  }
}
TF

tf_apply "$dir"
tf_plan_expect "$dir" 0

# Give plugin processes that terraform is still stopping (up to 60 s) to finish their exit-time
# leak check, then judge every log.
for _ in $(seq 1 300); do
  pgrep -f "valgrind.*$E2E_WORK/valgrind" >/dev/null 2>&1 || break
  sleep 0.2
done
n=0
bad=0
for log in "$E2E_WORK/valgrind"/plugin.*.log; do
  [ -e "$log" ] || continue
  n=$((n + 1))
  if ! grep -q 'ERROR SUMMARY: 0 errors' "$log" || ! grep -Eq 'LEAK SUMMARY|All heap blocks were freed' "$log"; then
    bad=$((bad + 1))
    echo "---- valgrind report: $(basename "$log") ----"
    cat "$log"
  fi
done
e2e_log "$n plugin process(es) ran under valgrind, $bad with errors or without a final summary"
[ "$n" -gt 0 ] || fail "no plugin process ran under valgrind"
[ "$bad" -eq 0 ] || fail "valgrind reported errors (or no exit-time check) in $bad plugin process(es)"

# Clean up with the plugin itself, not under valgrind.
rm -f "$E2E_WORK/plugin/terraform-provider-vpcep"
ln -s "$E2E_PLUGIN" "$E2E_WORK/plugin/terraform-provider-vpcep"
tf_destroy "$dir"
assert_emu_empty
