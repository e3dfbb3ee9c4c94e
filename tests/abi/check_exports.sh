#!/bin/sh
# Fails when a shared library exports anything but <prefix>* functions under its version node.
# usage: check_exports.sh <library> <prefix> <version-node>
set -eu
lib=$1
prefix=$2
node=$3
command -v nm >/dev/null 2>&1 || { echo "nm (binutils) is not installed (scripts/setup.sh installs it)"; exit 1; }
syms=$(nm -D --defined-only "$lib" | awk '{print $3}')
[ -n "$syms" ] || { echo "no exported symbols in $lib"; exit 1; }
bad=$(printf '%s\n' "$syms" | grep -vE "^(${prefix}[a-z0-9_]+@@${node}|${node})\$" || true)
if [ -n "$bad" ]; then
  echo "unexpected exports in $lib:"
  printf '%s\n' "$bad"
  exit 1
fi
echo "$(printf '%s\n' "$syms" | grep -c "^${prefix}") ${prefix}* symbols exported, nothing else"
