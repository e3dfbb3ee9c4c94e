#!/usr/bin/env bash
# Runs every test suite (unit, conformance, e2e, stress in its short form, fuzz-corpus replay,
# header and ABI checks; STRESS_LONG=1 for the long stress form).
# Builds first if needed; run scripts/setup.sh once on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} ${CMAKE_ARGS:-}
fi
cmake --build "$BUILD_DIR" -j"$(nproc)"
cd "$BUILD_DIR"
status=0
ctest --output-on-failure -j"${CTEST_JOBS:-2}" "$@" || status=$?
# The benchmarks' numbers and the stress figures (ctest keeps a passing test's output only in
# its log).
bash "$OLDPWD/tests/bench/report.sh" .
exit "$status"
