#!/bin/sh
# ABI gate: compares a library against its committed abidw baseline. Fails on incompatible
# changes (abidiff bit 8) and on tool errors; reports compatible changes (bit 4) without failing.
# usage: abidiff.sh <baseline.abi> <library> <public-headers-dir>
# Refresh the baselines deliberately (after a reviewed change) with tests/abi/refresh_baselines.sh, i.e.:
#   abidw --headers-dir <public-headers-dir> --out-file <baseline.abi> <library>
set -u
baseline=$1
lib=$2
headers=$3
command -v abidiff >/dev/null 2>&1 || { echo "abidiff (abigail-tools) is not installed (scripts/setup.sh installs it)"; exit 1; }
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
  echo "$lib has no debug info (build with -g, e.g. RelWithDebInfo): skipped"
  exit 77
fi
abidiff --headers-dir2 "$headers" "$baseline" "$lib"
rc=$?
if [ $((rc & 8)) -ne 0 ]; then
  echo "INCOMPATIBLE ABI change against $baseline"
  exit 1
fi
if [ $((rc & 3)) -ne 0 ]; then
  echo "abidiff failed (exit $rc)"
  exit 1
fi
if [ $((rc & 4)) -ne 0 ]; then
  echo "compatible ABI change against $baseline: review it and refresh the baseline"
fi
exit 0
