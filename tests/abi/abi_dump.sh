#!/bin/sh
# Writes the ABI of a shared library as libabigail XML, in the one form that both the committed
# baselines (abi/*.abi) and the gate use: exported interfaces only, types of the public headers
# only, no source locations, no parameter names, no DT_NEEDED, hashed type ids, and paths
# relative to the source tree. Two builds of the same ABI from the same sources give the same
# bytes wherever they are built, so a refreshed baseline diffs and merges like source. (Moving
# code between source files regroups the XML without changing the ABI; the gate compares
# semantically with abidiff, so that is not a change.)
# usage: abi_dump.sh <library> <public-headers-dir> <out.abi>
set -eu
lib=$1
headers=$2
out=$3
root=$(cd "$headers/../.." && pwd -P)
abidw --exported-interfaces-only --drop-private-types --headers-dir "$headers" \
  --no-corpus-path --no-comp-dir-path --no-show-locs --no-parameter-names --no-elf-needed \
  --type-id-style hash --out-file "$out.tmp" "$lib"
sed "s|path='$root/|path='|g" "$out.tmp" >"$out"
rm -f "$out.tmp"
