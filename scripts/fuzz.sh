#!/usr/bin/env bash
# Long fuzzing runs and corpus minimisation (CONTRIBUTING.md, "Fuzzing").
#
#   scripts/fuzz.sh [-t SECONDS] [-m] [TARGET...]
#
# Builds the clang -DTFPV_FUZZ=ON tree in build-fuzz/ (FUZZ_BUILD_DIR overrides), then runs each
# TARGET (default: every one in tests/fuzz/corpus/) for SECONDS (default 600) at the lowest CPU
# priority (nice -n 19), one job at a time, from its committed corpus tests/fuzz/corpus/<target>/;
# the inputs it finds go to build-fuzz/fuzz-new/<target>/, crash inputs to
# build-fuzz/fuzz-artifacts/ (the run stops at the first one; fix it, add the input to the
# corpus, run again). With -m, the new inputs that add a feature are merged into
# tests/fuzz/corpus/<target>/ (libFuzzer -merge=1: the smallest set of them that keeps every new
# feature; the committed inputs stay): review and commit that. Prints the coverage (edges,
# features) the corpus reaches before and after, per target.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
merge=0
while getopts "t:mh" opt; do
  case $opt in
  t) seconds=$OPTARG ;;
  m) merge=1 ;;
  *)
    sed -n '2,16p' "$0"
    exit 2
    ;;
  esac
done
shift $((OPTIND - 1))
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

bash tests/fuzz/run.sh build "$PWD" "$PWD/$build"

# coverage TARGET DIR... -> "edges: N features: M" that the inputs in the DIRs reach
coverage() {
  local t=$1
  shift
  local out
  out=$("$build/tests/fuzz/$t" -runs=0 "$@" 2>&1 || true)
  grep -m1 -oE 'INITED cov: [0-9]+ ft: [0-9]+' <<<"$out" | sed 's/INITED cov:/edges:/; s/ft:/features:/' ||
    echo "no coverage line"
}

summary=()
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  corpus="tests/fuzz/corpus/$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no fuzz target $t" >&2; exit 1; }
  new="$build/fuzz-new/$t"
  mkdir -p "$new" "$build/fuzz-artifacts"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  before=$(coverage "$t" "$corpus")
  echo "== $t: ${seconds}s from $(find "$corpus" -type f | wc -l) inputs ($before)"
  nice -n 19 "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$build/fuzz-artifacts/$t-" "$new" "$corpus"
  if [ "$merge" -eq 1 ]; then
    # only the new inputs that add a feature join the corpus (named by their SHA-1); the
    # committed ones, the readable seeds among them, stay
    nice -n 19 "$bin" -merge=1 -timeout=25 -rss_limit_mb=2560 "$corpus" "$new" >/dev/null 2>&1
    git add "$corpus" 2>/dev/null || true
  fi
  if [ "$merge" -eq 1 ]; then
    after=$(coverage "$t" "$corpus")
    summary+=("$t: $(find "$corpus" -type f | wc -l) inputs (growth merged); before: $before; after: $after")
  else
    after=$(coverage "$t" "$corpus" "$new")
    summary+=("$t: before: $before; with the $(find "$new" -type f | wc -l) new inputs: $after (-m to merge)")
  fi
done
echo
echo "Coverage per target (from tests/fuzz/corpus/):"
printf '  %s\n' "${summary[@]}"
