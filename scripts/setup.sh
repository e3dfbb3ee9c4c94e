#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian (bookworm) machine,
# then configures and builds into ./build. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential dpkg-dev cmake pkg-config git
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
  # Installed for this machine's architecture (or arch all): a cross build's :arm64 twin of a
  # -dev package does not count, and does not make the name ambiguous either.
  dpkg-query -W -f='${db:Status-Status} ${Architecture}\n' "$p" 2>/dev/null |
    grep -Eq "^installed ($(dpkg --print-architecture)|all)\$" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Wait for the dpkg lock instead of failing when another apt run holds it.
APT=(apt-get -o DPkg::Lock::Timeout=900)

# The plugin's libcurl and cJSON are built from Debian's own source packages (`apt-get source`,
# see CONTRIBUTING.md "The static plugin"), which needs deb-src entries. Without any, add them for the
# Debian entries already configured (same mirrors and suites), in a file of our own.
DEBSRC_LIST=/etc/apt/sources.list.d/tfpv-deb-src.list
DEBSRC_SOURCES=/etc/apt/sources.list.d/tfpv-deb-src.sources
update_needed=0
if [ -z "$(apt-cache showsrc cjson 2>/dev/null)" ] && [ ! -e "$DEBSRC_LIST" ] &&
  [ ! -e "$DEBSRC_SOURCES" ]; then
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  # One-line format (/etc/apt/sources.list, *.list): each "deb" line of the release again as
  # "deb-src".
  list=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -n "s/^deb\([[:space:]]\)\(.*[[:space:]]$codename[-[:alnum:]]*[[:space:]].*\)/deb-src\1\2/p" || true)
  # deb822 format (*.sources): each stanza of the release with Types deb-src.
  sources=$(awk -v rel="$codename" '
      function flush() { if (st != "" && st ~ ("Suites:[^\n]*" rel)) print st "\n"; st = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/ { st = st "Types: deb-src\n"; next }
      { st = st $0 "\n" }
      END { flush() }' /etc/apt/sources.list.d/*.sources 2>/dev/null | sed '/^$/N;/^\n$/D' || true)
  if [ -z "$list$sources" ]; then
    echo "setup: no Debian $codename entry in /etc/apt to derive deb-src entries from" >&2
    exit 1
  fi
  echo "setup: adding deb-src entries (for apt-get source curl cjson)" >&2
  if [ -n "$list" ]; then printf '%s\n' "$list" | $SUDO tee "$DEBSRC_LIST" >/dev/null; fi
  if [ -n "$sources" ]; then printf '%s\n' "$sources" | $SUDO tee "$DEBSRC_SOURCES" >/dev/null; fi
  update_needed=1
fi
if [ ${#missing[@]} -gt 0 ] || [ "$update_needed" = 1 ]; then
  $SUDO "${APT[@]}" update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
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
