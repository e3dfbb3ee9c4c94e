#!/usr/bin/env bash
# The plugin is self-contained (ctest label install): it needs no shared library but glibc's,
# and it starts, up to the go-plugin handshake line, in a root that holds nothing but glibc.
#
#   tests/docs/static_plugin_test.sh PLUGIN
#   tests/docs/static_plugin_test.sh --cross-arm64 SOURCE_DIR BUILD_DIR
#
# 1. readelf -d: every NEEDED entry is one of glibc's (libc, libm, libpthread, libdl, librt,
#    libresolv, ld-linux); for a native binary `ldd` must show nothing else either.
# 2. A root with only the files of the Debian package libc6 (of the binary's architecture) and
#    the plugin; the plugin runs there with chroot (a foreign binary through qemu-user-static,
#    copied in) with Terraform's magic cookie, and must print `1|6|unix|<socket>|grpc|`.
#    Needs root; otherwise it runs on the host (said so) and the root part is not checked.
# --cross-arm64 first brings the arm64 cross build in BUILD_DIR up to date (the same
# configuration scripts/release.sh uses, so both share it), then checks its plugin; it is skipped
# (77) when the cross toolchain, the :arm64 packages or qemu-user-static are not installed.
# Prints the stripped size and exec -> handshake time (never asserted).
set -euo pipefail

COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2
say() { printf 'static: %s\n' "$*"; }
fail() {
  printf 'static: FAIL: %s\n' "$*" >&2
  exit 1
}
skip() {
  printf 'static: SKIP: %s\n' "$*"
  exit 77
}

if [ "${1:-}" = --cross-arm64 ]; then
  [ $# -eq 3 ] || fail "usage: $0 --cross-arm64 SOURCE_DIR BUILD_DIR"
  src=$2
  bdir=$3
  command -v aarch64-linux-gnu-gcc >/dev/null ||
    skip "no aarch64-linux-gnu-gcc (apt-get install crossbuild-essential-arm64)"
  command -v qemu-aarch64-static >/dev/null ||
    skip "no qemu-aarch64-static (apt-get install qemu-user-static)"
  for p in libc6 libgrpc-dev libprotobuf-c-dev libmsgpack-dev libssl-dev libyaml-dev zlib1g-dev; do
    dpkg-query -W -f='${db:Status-Status}\n' "$p:arm64" 2>/dev/null | grep -qx installed ||
      skip "$p:arm64 is not installed (CONTRIBUTING.md, \"The static plugin\", lists the packages)"
  done
  mkdir -p "$bdir"
  say "arm64 cross build in $bdir (log: $bdir/static-test.log)"
  # The configuration of scripts/release.sh, so that the two share one build directory.
  cmake -S "$src" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-linux-arm64.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DTFPV_TESTS=OFF -DCMAKE_C_FLAGS=-g -DCMAKE_CXX_FLAGS=-g \
    >"$bdir/static-test.log" 2>&1 || fail "configure failed: $(tail -n 20 "$bdir/static-test.log")"
  cmake --build "$bdir" -j2 --target terraform-provider-vpcep >>"$bdir/static-test.log" 2>&1 ||
    fail "cross build failed: $(tail -n 30 "$bdir/static-test.log")"
  exec "$0" "$bdir/terraform-provider-vpcep"
fi

[ $# -eq 1 ] || fail "usage: $0 PLUGIN | --cross-arm64 SOURCE_DIR BUILD_DIR"
PLUGIN=$(realpath "$1")
[ -x "$PLUGIN" ] || fail "$PLUGIN is not an executable"

machine=$(readelf -h "$PLUGIN" | sed -n 's/^ *Machine: *//p')
case "$machine" in
*X86-64*) arch=amd64 qemu="" ;;
*AArch64*) arch=arm64 qemu=qemu-aarch64-static ;;
*) fail "unexpected machine '$machine'" ;;
esac
native=$(dpkg --print-architecture)
[ "$arch" = "$native" ] && qemu=""
strip=strip
[ "$arch" = arm64 ] && [ "$native" != arm64 ] && strip=aarch64-linux-gnu-strip
stripped=$(mktemp)
"$strip" -o "$stripped" "$PLUGIN" 2>/dev/null || : >"$stripped"
say "$PLUGIN: $arch, $(stat -c %s "$PLUGIN") bytes, stripped $(stat -c %s "$stripped") bytes"
rm -f "$stripped"

# --- 1. only glibc is needed --------------------------------------------------------------------
glibc='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libresolv\.so\.2|ld-linux-(x86-64|aarch64)\.so\.[12])$'
needed=$(readelf -d "$PLUGIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
say "NEEDED: $(echo $needed)"
bad=$(printf '%s\n' "$needed" | grep -Ev "$glibc" || true)
[ -z "$bad" ] || fail "the plugin needs shared libraries besides glibc: $(echo $bad)"
if [ -z "$qemu" ]; then
  ldd "$PLUGIN" | sed 's/^/static:   ldd: /'
  bad=$(ldd "$PLUGIN" | awk '{print $1}' | sed 's|.*/||' | grep -Ev "$glibc|^linux-vdso\.so\.1$" || true)
  [ -z "$bad" ] || fail "ldd lists libraries besides glibc: $(echo $bad)"
fi

# --- 2. the handshake in a glibc-only root ------------------------------------------------------
run=()
if [ "$(id -u)" -eq 0 ] && command -v chroot >/dev/null; then
  dpkg-query -W -f='${db:Status-Status}\n' "libc6:$arch" 2>/dev/null | grep -qx installed ||
    fail "libc6:$arch is not installed: no glibc files to make the root from"
  ROOT=$(mktemp -d /tmp/static-root.XXXXXX)
  trap 'rm -rf --one-file-system "$ROOT"' EXIT
  # The files (and file links) of glibc's package only; directories are made as needed.
  dpkg-query -L "libc6:$arch" | while read -r f; do
    if [ ! -d "$f" ] && { [ -f "$f" ] || [ -L "$f" ]; }; then
      mkdir -p "$ROOT$(dirname "$f")"
      cp -a "$f" "$ROOT$f"
    fi
  done
  mkdir -p "$ROOT/tmp" "$ROOT/dev"
  chmod 1777 "$ROOT/tmp"
  cp "$PLUGIN" "$ROOT/plugin"
  if [ -n "$qemu" ]; then
    cp "$(command -v "$qemu")" "$ROOT/qemu"
    run=("$(command -v chroot)" "$ROOT" /qemu /plugin)
  else
    run=("$(command -v chroot)" "$ROOT" /plugin)
  fi
  say "root $ROOT: $(find "$ROOT" -type f | wc -l) files, those of libc6:$arch and the plugin${qemu:+ and $qemu}"
else
  say "NOTE: not root: the plugin runs on this machine's root, not in a glibc-only one"
  if [ -n "$qemu" ]; then run=("$(command -v "$qemu")" "$PLUGIN"); else run=("$PLUGIN"); fi
fi

t0=$(date +%s%N)
exec 3< <(exec env -i TF_PLUGIN_MAGIC_COOKIE=$COOKIE PLUGIN_PROTOCOL_VERSIONS=5,6 "${run[@]}" 2>&1)
pid=$!
line=""
read -r -t 120 line <&3 || true
t1=$(date +%s%N)
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
exec 3<&-
say "handshake: $line"
case "$line" in
1\|6\|unix\|*\|grpc\|*) ;;
*) fail "no go-plugin handshake line (1|6|unix|...|grpc|) from ${run[*]}" ;;
esac
say "exec -> handshake: $(((t1 - t0) / 1000000)) ms${qemu:+ (under $qemu)}"
say "PASS: $arch plugin needs only glibc and reaches the handshake${ROOT:+ in a glibc-only root}"
