#!/usr/bin/env bash
# Fails when a tracked C source or header differs from what .clang-format produces.
set -u
cd "$1" || exit 2
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/setup.sh installs it)"; exit 1; }
files=$(git ls-files '*.c' '*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find include provider tests -name '*.c' -o -name '*.h' | grep -v node_modules)
bad=0
for f in $files; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=1
  fi
done
exit $bad
