#!/usr/bin/env bash
# report.sh [BUILD_DIR] - prints what the benchmarks (ctest label bench, tests named bench_*)
# printed in the last ctest run, from BUILD_DIR/Testing/Temporary/LastTest.log: ctest shows a
# passing test's output nowhere else, and the numbers are what the benchmarks are for.
# The stress scenarios' figures (tests named stress.*, their "STRESS <name>: ..." lines) follow.
# scripts/test.sh calls it after ctest. Prints nothing when no benchmark or stress test ran.
log="${1:-build}/Testing/Temporary/LastTest.log"
[ -f "$log" ] || exit 0
awk '
  /^[0-9]+\/[0-9]+ Test: / { name = $3; next }
  /^Output:$/ && name ~ /^bench_/ { grab = 1; getline; print ""; print "==== " name " ===="; next }
  /^<end of output>$/ { if (grab) { getline; print "(" $0 ")" } grab = 0; next }
  grab { print }
' "$log"
awk '
  /^[0-9]+\/[0-9]+ Test: / { name = $3; next }
  /^STRESS [a-z0-9]+: / && name ~ /^stress\./ { if (!shown++) { print ""; print "==== stress ====" } print }
' "$log"
