#!/usr/bin/env bash
# The fuzz label's two steps (tests/fuzz/CMakeLists.txt):
#   run.sh build SRC_DIR BUILD_DIR
#       configures BUILD_DIR as a clang -DTFPV_FUZZ=ON build of SRC_DIR (if it is not one yet)
#       and builds the libFuzzer binaries (target tfpv_fuzzers).
#   run.sh run FUZZER CORPUS SECONDS MIN_EDGES ARTIFACT_DIR
#       runs FUZZER for SECONDS on a scratch copy of CORPUS (the committed corpus is never
#       written; tests/fuzz/<name>.dict is used when it exists), one job; fails on a crash, leak, timeout or UB report (libFuzzer's exit
#       status, the input is kept in ARTIFACT_DIR), and when loading the corpus reaches fewer
#       than MIN_EDGES coverage edges (a harness that does not see the code it tests). Prints
#       the coverage reached.
set -euo pipefail

die() {
  echo "fuzz: $*" >&2
  exit 1
}

case "${1:-}" in
build)
  src=$2
  build=$3
  cc=$(command -v clang || command -v clang-14 || true)
  cxx=$(command -v clang++ || command -v clang++-14 || true)
  [ -n "$cc" ] && [ -n "$cxx" ] || die "clang is not installed (scripts/setup.sh installs it)"
  probe=$(mktemp -d "${TMPDIR:-/tmp}/tfpv-fuzz-probe.XXXXXX")
  trap 'rm -rf "$probe"' EXIT
  printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
  "$cc" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>"$probe/err" ||
    die "clang cannot link libFuzzer (Debian package libclang-rt-14-dev; scripts/setup.sh installs it): $(head -c 400 "$probe/err")"
  if ! grep -q '^TFPV_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
      -DTFPV_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$probe/configure.log" 2>&1 ||
      { cat "$probe/configure.log"; die "configuring the fuzz build failed"; }
  fi
  cmake --build "$build" --target tfpv_fuzzers -j"$(nproc)"
  ;;
run)
  fuzzer=$2
  corpus=$3
  seconds=$4
  min_edges=$5
  artifacts=$6
  [ -x "$fuzzer" ] || die "$fuzzer was not built"
  [ -d "$corpus" ] || die "no corpus directory $corpus"
  name=$(basename "$fuzzer")
  mkdir -p "$artifacts"
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/tfpv-fuzz-$name.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  cp -r "$corpus/." "$scratch/"
  log="$scratch.log"
  dict=()
  if [ -f "$corpus/../../$name.dict" ]; then
    dict=(-dict="$corpus/../../$name.dict")
  fi
  set +e
  "$fuzzer" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$artifacts/$name-" "$scratch" >"$log" 2>&1
  rc=$?
  set -e
  inited=$(grep -m1 -oE 'INITED cov: [0-9]+ ft: [0-9]+' "$log" || true)
  last=$(grep -E 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
  execs=$(grep -m1 -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' || true)
  if [ "$rc" -ne 0 ]; then
    tail -n 80 "$log"
    rm -f "$log"
    die "$name failed (exit $rc); the input is in $artifacts/"
  fi
  rm -f "$log"
  edges=$(awk '{print $3}' <<<"$inited")
  [ -n "$edges" ] || die "$name printed no coverage (not a libFuzzer binary?)"
  echo "$name: corpus of $(find "$corpus" -type f | wc -l) inputs: $inited; after ${seconds}s (${execs:-?} runs): $last" |
    sed 's/ft:/features:/g; s/cov:/edges:/g'
  [ "$edges" -ge "$min_edges" ] ||
    die "$name: the corpus reaches $edges edges, fewer than $min_edges: is the code under test instrumented (-fsanitize=fuzzer-no-link)?"
  ;;
*)
  echo "usage: $0 build SRC BUILD | run FUZZER CORPUS SECONDS MIN_EDGES ARTIFACTS" >&2
  exit 2
  ;;
esac
