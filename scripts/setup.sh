#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian (bookworm) machine,
# then configures and builds into ./build. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake pkg-config git
      libgrpc-dev libprotobuf-dev libprotobuf-c-dev protobuf-c-compiler
      libcurl4-openssl-dev libcjson-dev libmsgpack-dev libssl-dev libyaml-dev
      libmicrohttpd-dev libcmocka-dev abigail-tools
      clang libclang-rt-14-dev clang-format valgrind openssl unzip zip nodejs npm
      curl jq mmdebstrap gnupg)

missing=()
for p in "${PKGS[@]}"; do
  # nodejs may come from another repository with npm bundled; accept any node/npm on PATH.
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Wait for the dpkg lock instead of failing when another apt run holds it.
APT=(apt-get -o DPkg::Lock::Timeout=900)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO "${APT[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO "${APT[@]}" install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

# Node packages of the conformance client (exact versions from package-lock.json).
if [ -f tests/conformance/package-lock.json ]; then
  (cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} ${CMAKE_ARGS:-} >&2
cmake --build "$BUILD_DIR" -j"$(nproc)" >&2
