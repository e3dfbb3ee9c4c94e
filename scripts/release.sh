#!/usr/bin/env bash
# Builds the release of terraform-provider-vpcep in the layout HashiCorp's registry (and
# OpenTofu's) publishes, into dist/:
#   terraform-provider-vpcep_<V>_linux_amd64.zip     the binary terraform-provider-vpcep_v<V>
#   terraform-provider-vpcep_<V>_linux_arm64.zip       (+ LICENSE, README.md, CHANGELOG.md)
#   terraform-provider-vpcep_<V>_manifest.json       the plugin protocols the binary serves
#   terraform-provider-vpcep_<V>_SHA256SUMS          over the zips and the manifest
#   terraform-provider-vpcep_<V>_SHA256SUMS.sig      binary detached GPG signature of SHA256SUMS
#   debug/terraform-provider-vpcep_v<V>_<os>_<arch>.debug   the binaries' debug info
# <V> is project(VERSION) of CMakeLists.txt, the one place the version is kept. No arguments.
#
# Signing: GPG_FINGERPRINT names the key (in the default keyring, i.e. GNUPGHOME if set);
# without it the SHA256SUMS stay unsigned and the script says so.
# Each platform is configured in build-release-<arch> (Release, TFPV_TESTS=OFF); linux_arm64 is
# cross-built with cmake/toolchain-linux-arm64.cmake. See CONTRIBUTING.md, "Releasing".
#
# For tests (not for releases), the environment may change what is built:
#   RELEASE_PLATFORMS="linux_amd64 linux_arm64"  the platforms to package
#   RELEASE_PLUGIN_<os>_<arch>=<file>            package this binary instead of building one
#   RELEASE_BUILD_PREFIX=build-release           build directories <prefix>-<arch> (or absolute)
#   DIST_DIR=dist                                the output directory (emptied first)
#   SOURCE_DATE_EPOCH                            the files' time in the zips (default: HEAD's)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NAME=terraform-provider-vpcep
V=$(sed -n 's/^project(terraform-provider-vpcep VERSION \([0-9][0-9.]*\)[ )].*/\1/p' CMakeLists.txt)
if [ -z "$V" ]; then
  echo "release: no project(terraform-provider-vpcep VERSION x.y.z) in CMakeLists.txt" >&2
  exit 1
fi
PLATFORMS=${RELEASE_PLATFORMS:-linux_amd64 linux_arm64}
BUILD_PREFIX=${RELEASE_BUILD_PREFIX:-build-release}
case "$BUILD_PREFIX" in /*) ;; *) BUILD_PREFIX="$ROOT/$BUILD_PREFIX" ;; esac
DIST=${DIST_DIR:-dist}
case "$DIST" in /*) ;; *) DIST="$ROOT/$DIST" ;; esac
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
fi
# zip cannot store times before 1980.
[ "$SOURCE_DATE_EPOCH" -ge 315532800 ] || SOURCE_DATE_EPOCH=315532800
export TZ=UTC LC_ALL=C

for tool in cmake zip sha256sum; do
  command -v "$tool" >/dev/null || {
    echo "release: $tool is missing (scripts/setup.sh installs it)" >&2
    exit 1
  }
done

if tag=$(git describe --exact-match --tags HEAD 2>/dev/null) && [ "$tag" = "v$V" ]; then
  echo "release: $NAME $V from tag $tag"
else
  echo "release: $NAME $V (note: HEAD is not tagged v$V; publish only a tagged build)"
fi
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  echo "release: note: the working tree has uncommitted changes"
fi

rm -rf "$DIST"
mkdir -p "$DIST/debug"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

# The plugin of one platform: built (or given), checked, stripped, zipped.
package() {
  local platform=$1 arch=${1#*_}
  local cross="" toolchain="" run=()
  case "$platform" in
  linux_amd64) ;;
  linux_arm64)
    cross=aarch64-linux-gnu-
    toolchain=cmake/toolchain-linux-arm64.cmake
    if command -v qemu-aarch64-static >/dev/null; then
      run=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
    fi
    ;;
  *)
    echo "release: unknown platform $platform" >&2
    exit 1
    ;;
  esac

  local var="RELEASE_PLUGIN_${platform}" plugin
  plugin=${!var:-}
  if [ -z "$plugin" ]; then
    local bdir="$BUILD_PREFIX-$arch"
    # -g does not change the code; the debug info goes to dist/debug/, not into the zip.
    local args=(-DCMAKE_BUILD_TYPE=Release -DTFPV_TESTS=OFF -DCMAKE_C_FLAGS=-g -DCMAKE_CXX_FLAGS=-g)
    if [ -n "$toolchain" ]; then
      if [ ! -f "$toolchain" ]; then
        echo "release: $toolchain is missing: cannot cross-build $platform" >&2
        exit 1
      fi
      args+=("-DCMAKE_TOOLCHAIN_FILE=$ROOT/$toolchain")
    fi
    echo "release: building $platform in ${bdir#"$ROOT"/} (log: ${bdir#"$ROOT"/}/release.log)"
    mkdir -p "$bdir"
    cmake -S . -B "$bdir" "${args[@]}" >"$bdir/release.log" 2>&1 || {
      cat "$bdir/release.log" >&2
      exit 1
    }
    cmake --build "$bdir" -j"$(nproc)" --target "$NAME" >>"$bdir/release.log" 2>&1 || {
      tail -50 "$bdir/release.log" >&2
      exit 1
    }
    plugin="$bdir/$NAME"
  fi
  [ -x "$plugin" ] || {
    echo "release: no plugin binary at $plugin" >&2
    exit 1
  }
  plugin=$(realpath "$plugin")

  # It reports the version it is released as (run under qemu for arm64 when there is one).
  if [ "$platform" = linux_amd64 ] || [ ${#run[@]} -gt 0 ]; then
    local out
    out=$("${run[@]}" "$plugin" --version 2>&1) || true
    case " $out " in
    *[!0-9.]"$V"[!0-9.]*) ;;
    *)
      echo "release: $plugin --version prints '$out', not $V" >&2
      exit 1
      ;;
    esac
  else
    echo "release: note: no qemu-aarch64-static, the $platform binary's --version is not checked"
  fi

  # Stripped binary in the zip; its debug info in dist/debug/, linked by name and CRC.
  local objcopy=${cross}objcopy bin="$STAGE/$platform/${NAME}_v$V"
  local debug="${NAME}_v${V}_${platform}.debug"
  command -v "$objcopy" >/dev/null || {
    echo "release: $objcopy is missing" >&2
    exit 1
  }
  mkdir -p "$STAGE/$platform"
  "$objcopy" --only-keep-debug "$plugin" "$DIST/debug/$debug"
  chmod 0644 "$DIST/debug/$debug"
  (cd "$DIST/debug" && "$objcopy" --strip-all --add-gnu-debuglink="$debug" "$plugin" "$bin")
  chmod 0755 "$bin"
  cp LICENSE README.md CHANGELOG.md "$STAGE/$platform/"
  chmod 0644 "$STAGE/$platform"/{LICENSE,README.md,CHANGELOG.md}
  # Reproducible: fixed times, no extra attributes (-X), a fixed order.
  touch -h -d "@$SOURCE_DATE_EPOCH" "$STAGE/$platform"/*
  local zipname="${NAME}_${V}_${platform}.zip"
  (cd "$STAGE/$platform" && zip -q -X -9 "$DIST/$zipname" "${NAME}_v$V" LICENSE README.md CHANGELOG.md)
  echo "release: $zipname ($(stat -c %s "$plugin") -> $(stat -c %s "$bin") bytes stripped)"
}

for platform in $PLATFORMS; do
  package "$platform"
done

# The manifest: the plugin protocol versions the binary serves, newest first.
printf '{"version": 1, "metadata": {"protocol_versions": ["6.0", "5.0"]}}\n' \
  >"$DIST/${NAME}_${V}_manifest.json"

SUMS="${NAME}_${V}_SHA256SUMS"
(cd "$DIST" && sha256sum "${NAME}_${V}"_*.zip "${NAME}_${V}_manifest.json" >"$SUMS")

if [ -n "${GPG_FINGERPRINT:-}" ]; then
  command -v gpg >/dev/null || {
    echo "release: GPG_FINGERPRINT is set but gpg is missing" >&2
    exit 1
  }
  gpg --batch --yes --local-user "$GPG_FINGERPRINT" --output "$DIST/$SUMS.sig" \
    --detach-sign "$DIST/$SUMS"
  echo "release: signed $SUMS with $GPG_FINGERPRINT"
else
  echo "release: GPG_FINGERPRINT is not set: skipping signing, $SUMS.sig not written (a registry will not accept the release)"
fi

echo "release: $DIST:"
(cd "$DIST" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
  printf '  %10s  %s\n' "$(stat -c %s "$f")" "$f"
done)
