#!/usr/bin/env bash
# Peak RSS of every plugin process Terraform starts during `terraform plan` (and the plan's
# wall time), for tfp-test-provider. Prints numbers, never fails on time; exits 77 when
# neither terraform nor tofu is on PATH. Peak RSS is the plugin's VmHWM from /proc, sampled by
# a wrapper until the plugin exits (VmHWM is a high-water mark, so the last sample is the peak).
#   plan_rss.sh <tfp-test-provider> [resources=20]
set -euo pipefail
bin=$(readlink -f "$1")
count=${2:-20}
tf=$(command -v terraform || command -v tofu || true)
if [ -z "$tf" ]; then
  echo "SKIP: needs terraform (or tofu)"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tfp-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins" "$work/cfg" "$work/state"
# The wrapper keeps the plugin's stdout (the handshake) untouched and records its VmHWM (KiB).
cat >"$work/plugins/terraform-provider-tfptest" <<WRAP
#!/usr/bin/env bash
"$bin" "\$@" &
pid=\$!
hwm=0
while kill -0 \$pid 2>/dev/null; do
  v=\$(awk '/^VmHWM:/ {print \$2}' /proc/\$pid/status 2>/dev/null || true)
  [ -n "\$v" ] && hwm=\$v
  sleep 0.005
done
wait \$pid
rc=\$?
echo \$hwm >>"$work/rss.txt"
exit \$rc
WRAP
chmod +x "$work/plugins/terraform-provider-tfptest"
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides { "example.test/test/tfptest" = "$work/plugins" }
  direct {}
}
CFG
cat >"$work/cfg/main.tf" <<HCL
terraform {
  required_providers {
    tfptest = { source = "example.test/test/tfptest" }
  }
}
resource "tfptest_thing" "t" {
  count = $count
  name  = "bench-\${count.index}"
  note  = "n"
  tags  = { k = "v" }
}
HCL
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TFPTEST_DIR="$work/state"
unset TF_LOG TF_LOG_PATH TFP_PROTOCOLS TF_DISABLE_PLUGIN_TLS
cd "$work/cfg"
start=$(date +%s%N)
"$tf" plan -input=false -no-color >"$work/plan.txt" 2>&1 || {
  cat "$work/plan.txt"
  exit 1
}
end=$(date +%s%N)
procs=$(wc -l <"$work/rss.txt")
peak=$(sort -n "$work/rss.txt" | tail -1)
echo "terraform plan ($count resources): $(( (end - start) / 1000000 )) ms wall," \
     "$procs plugin processes, peak plugin RSS $(awk "BEGIN{printf \"%.1f\", $peak/1024}") MB"
