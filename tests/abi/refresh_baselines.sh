#!/bin/sh
# Refreshes the reviewed ABI records after a deliberate ABI change, from a build with debug info
# (RelWithDebInfo, the default of scripts/setup.sh):
#  * abi/libtfp.abi, abi/libvpcep.abi: the normalised abidw dumps the abi_*_abidiff tests compare;
#  * abi/symbols-in-versions: a line for every newly exported function and every new struct
#    version, introduced in the version of project() in CMakeLists.txt (the release being made).
#    A removed function that was never released (introduced in that same version) loses its line;
#    removing a released one is an incompatible change, so the script stops and asks for a
#    decision (see CONTRIBUTING.md, "Changing the ABI").
# Commit the result together with the change that caused it; `git diff abi/` is what reviewers read.
# usage: tests/abi/refresh_baselines.sh [build-dir]     (default: build)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
ledger=abi/symbols-in-versions
release=$(sed -n 's/^project([^)]*VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt | head -n 1)
[ -n "$release" ] || { echo "no project(... VERSION x.y.z) in CMakeLists.txt" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp "$ledger" "$tmp/ledger"
for lib in tfp vpcep; do
  so="$build/provider/lib$lib.so.0"
  [ -e "$so" ] || { echo "$so not built" >&2; exit 1; }
  sh tests/abi/abi_dump.sh "$so" "include/$lib" "abi/lib$lib.abi"
  upper=$(printf '%s' "$lib" | tr 'a-z' 'A-Z')
  nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//' | grep "^${lib}_" | sort -u \
    >"$tmp/exported"
  find "include/$lib" -name '*.h' -exec grep -hE \
    "^#[[:space:]]*define[[:space:]]+${upper}_[A-Z0-9_]*_VERSION[[:space:]]+[0-9]+[[:space:]]*$" {} + |
    awk '{print $(NF-1) "=" $NF}' | sort -u >"$tmp/versions"
  awk -v p="${lib}_" '$1 !~ /^#/ && NF >= 2 && NF < 4 && index($1, p) == 1 {print $1}' \
    "$tmp/ledger" | sort -u >"$tmp/listed"
  awk -v p="${upper}_" '$1 !~ /^#/ && NF >= 2 && index($1, p) == 1 && $1 ~ /=/ {print $1}' \
    "$tmp/ledger" | sort -u >"$tmp/listed_versions"
  # Removed functions: drop unreleased ones, refuse released ones.
  for name in $(comm -13 "$tmp/exported" "$tmp/listed"); do
    intro=$(awk -v n="$name" '$1 == n {print $2}' "$tmp/ledger")
    if [ "$intro" != "$release" ]; then
      echo "$name (introduced in $intro) is no longer exported: that breaks programs built" >&2
      echo "against $intro. Keep it, or give it a last release by hand after deciding on the" >&2
      echo "SONAME (CONTRIBUTING.md, 'Changing the ABI')." >&2
      exit 1
    fi
    echo "removed (never released): $name"
    awk -v n="$name" '$1 != n' "$tmp/ledger" >"$tmp/ledger.new" && mv "$tmp/ledger.new" "$tmp/ledger"
  done
  # Removed struct versions (no header defines it or a later one): the same rule.
  for entry in $(comm -13 "$tmp/versions" "$tmp/listed_versions"); do
    name=${entry%=*}
    cur=$(awk -F= -v k="$name" '$1 == k {print $2}' "$tmp/versions")
    [ -n "$cur" ] && [ "$cur" -gt "${entry#*=}" ] && continue
    intro=$(awk -v n="$entry" '$1 == n {print $2}' "$tmp/ledger")
    if [ "$intro" != "$release" ]; then
      echo "$entry (introduced in $intro) is no longer defined: programs built against $intro" >&2
      echo "use it (CONTRIBUTING.md, 'Changing the ABI')." >&2
      exit 1
    fi
    echo "removed (never released): $entry"
    awk -v n="$entry" '$1 != n' "$tmp/ledger" >"$tmp/ledger.new" && mv "$tmp/ledger.new" "$tmp/ledger"
  done
  for name in $(comm -23 "$tmp/exported" "$tmp/listed") $(comm -23 "$tmp/versions" "$tmp/listed_versions"); do
    echo "added: $name $release"
    printf '%-48s %s\n' "$name" "$release" >>"$tmp/ledger"
  done
done
# Header comments first, then the entries sorted by name (as curl keeps its list).
grep '^#' "$tmp/ledger" >"$tmp/out" || true
grep -v '^#' "$tmp/ledger" | grep -v '^[[:space:]]*$' | LC_ALL=C sort -u >>"$tmp/out"
cp "$tmp/out" "$ledger"
git status --short abi/
