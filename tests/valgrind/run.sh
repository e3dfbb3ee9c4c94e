#!/usr/bin/env bash
# run.sh PROGRAM [ARGS...] - runs PROGRAM under valgrind memcheck as the valgrind gate does:
# any memory error or definite leak makes the exit code 99 (the program's own non-zero exit
# code is kept otherwise). Exit 1 when valgrind is not installed.
# Third-party noise only is suppressed (suppressions.supp, next to this script).
# VALGRIND_EXTRA adds options (e.g. VALGRIND_EXTRA=--gen-suppressions=all).
set -u
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind is not installed (scripts/setup.sh installs it)"
  exit 1
fi
if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PROGRAM [ARGS...] (PROGRAM must exist and be executable: '${1:-}')" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2086
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --track-origins=yes --num-callers=30 \
  --suppressions="$here/suppressions.supp" ${VALGRIND_EXTRA:-} "$@"
