#!/bin/sh
# ABI gate: fails on ANY ABI difference between a freshly built library and its committed
# baseline (abi/lib*.abi): an exported function added or removed, a field appended to a public
# struct, a layout change, an enumerator added. Compatible changes are allowed within a major version,
# but only reviewed ones: the author refreshes the baseline in the same commit
# (tests/abi/refresh_baselines.sh, see CONTRIBUTING.md "Changing the ABI"), so every ABI change
# shows up in review as a diff of abi/.
# usage: abidiff.sh <baseline.abi> <library> <public-headers-dir> <work-dir>
set -u
baseline=$1
lib=$2
headers=$3
work=$4
here=$(dirname "$0")
command -v abidw >/dev/null 2>&1 && command -v abidiff >/dev/null 2>&1 ||
  { echo "abidw/abidiff (abigail-tools) is not installed (scripts/setup.sh installs it)"; exit 1; }
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
  echo "$lib has no debug info (build with -g, e.g. RelWithDebInfo): skipped"
  exit 77
fi
mkdir -p "$work"
current="$work/$(basename "$baseline")"
if ! sh "$here/abi_dump.sh" "$lib" "$headers" "$current"; then
  echo "abidw failed on $lib"
  exit 1
fi
# Compare semantically: every difference abidiff knows, harmless ones included (an enumerator
# added, a typedef changed), is an ABI change. Its exit status is a bit field: 1/2 = tool
# error, 4 = ABI change, 8 = incompatible change; the report is empty when nothing changed.
report=$(abidiff --harmless "$baseline" "$current" 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -z "$report" ]; then
  echo "ABI of $(basename "$lib") matches $(basename "$baseline")"
  exit 0
fi
printf '%s\n' "$report"
if [ $((rc & 3)) -ne 0 ]; then
  echo "abidiff failed (exit $rc)"
  exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
  echo "INCOMPATIBLE ABI change against $baseline (a removed function or a changed layout):"
  echo "not allowed within a major version; rework it, or discuss a new SONAME."
else
  echo "ABI change against $baseline that was not reviewed."
fi
echo "If it is intended: tests/abi/refresh_baselines.sh <build-dir>, then commit abi/ with the"
echo "change and say why in the message (CONTRIBUTING.md, 'Changing the ABI'). New baseline: $current"
exit 1
