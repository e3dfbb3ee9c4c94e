#!/bin/sh
# Checks the symbols-in-versions ledger (abi/symbols-in-versions) against one library:
#  * every function the library exports has a ledger line (name + release that introduced it);
#  * every ledger line of that library without a "last" release is still exported;
#  * every struct version constant of its public headers (#define X_VERSION n) has a line
#    "X_VERSION=n", so each growth of a versioned struct is recorded with its release, and
#    every such line is still defined (a struct version never disappears once released).
# usage: check_symbols.sh <ledger> <library> <prefix> <public-headers-dir>
set -u
ledger=$1
lib=$2
prefix=$3
headers=$4
upper=$(printf '%s' "$prefix" | tr 'a-z' 'A-Z')
command -v nm >/dev/null 2>&1 || { echo "nm (binutils) is not installed (scripts/setup.sh installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | grep "^$prefix" | sort -u \
  >"$tmp/exported"
# Active entries: no "last" column (4th). Columns: name introduced [deprecated|-] [last].
awk -v p="$prefix" '$1 !~ /^#/ && NF >= 2 && index($1, p) == 1 && $1 !~ /=/ && NF < 4 {print $1}' \
  "$ledger" | sort -u >"$tmp/listed"
awk -v p="$prefix" '$1 !~ /^#/ && NF >= 4 && index($1, p) == 1 && $1 !~ /=/ {print $1}' \
  "$ledger" | sort -u >"$tmp/retired"
find "$headers" -name '*.h' -exec grep -hE \
  "^#[[:space:]]*define[[:space:]]+${upper}[A-Z0-9_]*_VERSION[[:space:]]+[0-9]+[[:space:]]*$" {} + |
  awk '{print $(NF-1) "=" $NF}' | sort -u >"$tmp/versions"
awk -v p="$upper" '$1 !~ /^#/ && NF >= 2 && index($1, p) == 1 && $1 ~ /=/ {print $1}' "$ledger" |
  sort -u >"$tmp/listed_versions"

bad=0
added=$(comm -23 "$tmp/exported" "$tmp/listed")
removed=$(comm -13 "$tmp/exported" "$tmp/listed")
revived=$(comm -12 "$tmp/exported" "$tmp/retired")
unrecorded=$(comm -23 "$tmp/versions" "$tmp/listed_versions")
# A version line stays while any header defines that version or a later one of the struct.
vanished=$(comm -13 "$tmp/versions" "$tmp/listed_versions" | while IFS='=' read -r name n; do
  cur=$(awk -F= -v k="$name" '$1 == k {print $2}' "$tmp/versions")
  [ -n "$cur" ] && [ "$cur" -gt "$n" ] || echo "$name=$n"
done)
if [ -n "$added" ]; then
  echo "exported by $(basename "$lib") but not in $(basename "$ledger") (added without review):"
  printf '  %s\n' $added
  bad=1
fi
if [ -n "$removed" ]; then
  echo "in $(basename "$ledger") but no longer exported by $(basename "$lib") (removed):"
  printf '  %s\n' $removed
  bad=1
fi
if [ -n "$revived" ]; then
  echo "exported again although the ledger gives them a last release:"
  printf '  %s\n' $revived
  bad=1
fi
if [ -n "$unrecorded" ]; then
  echo "struct versions of the public headers without a ledger line:"
  printf '  %s\n' $unrecorded
  bad=1
fi
if [ -n "$vanished" ]; then
  echo "struct versions in $(basename "$ledger") that no public header defines any more (removed):"
  printf '  %s\n' $vanished
  bad=1
fi
if [ $bad -ne 0 ]; then
  echo "Review the change, then run tests/abi/refresh_baselines.sh <build-dir> and commit abi/"
  echo "with it (CONTRIBUTING.md, 'Changing the ABI')."
  exit 1
fi
echo "$(wc -l <"$tmp/exported") ${prefix}* functions and $(wc -l <"$tmp/versions") struct versions match the ledger"
