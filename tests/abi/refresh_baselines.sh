#!/bin/sh
# Rewrites the committed ABI baselines from a RelWithDebInfo build, after an ABI change was
# reviewed (and, for an incompatible one, the SONAME considered).
# usage: tests/abi/refresh_baselines.sh [build-dir]     (default: build)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
abidw --drop-private-types --headers-dir include/tfp --out-file abi/libtfp.abi \
  "$build/provider/libtfp.so.0"
if [ -e "$build/provider/libvpcep.so.0" ]; then
  abidw --drop-private-types --headers-dir include/vpcep --out-file abi/libvpcep.abi \
    "$build/provider/libvpcep.so.0"
fi
git status --short abi/
