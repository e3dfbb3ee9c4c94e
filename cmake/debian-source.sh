#!/bin/sh
# Unpacks a Debian source package for the static plugin build (cmake/StaticDeps.cmake):
#
#   cmake/debian-source.sh PACKAGE CACHE_DIR DEST_DIR [SKIPPED_PATCH...]
#
# The source package (.dsc, .orig.tar.*, .debian.tar.*) is downloaded once with
# `apt-get source --download-only` into CACHE_DIR and kept there; apt checks it against the signed
# Sources index of the deb-src entries scripts/setup.sh adds. DEST_DIR is then (re)made with
# `dpkg-source -x --skip-patches` and the patches of debian/patches/series applied in order,
# except the SKIPPED_PATCH names (curl's series ends with the patches that turn the source into
# its GnuTLS and NSS flavours; Debian's OpenSSL flavour is built without them).
set -eu
[ $# -ge 3 ] || {
  echo "usage: $0 PACKAGE CACHE_DIR DEST_DIR [SKIPPED_PATCH...]" >&2
  exit 2
}
pkg=$1
cache=$2
dest=$3
shift 3

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
exec 9>"$cache/.lock-$pkg"
flock 9 # build directories may share one cache

dsc=$(ls "$cache/${pkg}"_*.dsc 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$dsc" ]; then
  echo "debian-source: apt-get source --download-only $pkg (into $cache)" >&2
  if ! (cd "$cache" && apt-get source --download-only -qq "$pkg" >&2); then
    echo "debian-source: 'apt-get source $pkg' failed: it needs deb-src entries in /etc/apt" \
      "and dpkg-dev; scripts/setup.sh adds both" >&2
    exit 1
  fi
  dsc=$(ls "$cache/${pkg}"_*.dsc 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dsc" ] || {
    echo "debian-source: no ${pkg}_*.dsc after apt-get source" >&2
    exit 1
  }
fi

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
# The .dsc signature cannot be checked without debian-keyring (dpkg-source warns); the files'
# checksums are, and apt has checked the .dsc against the signed index. Quiet unless it fails.
if ! dpkg-source --skip-patches -x "$dsc" "$dest" >"$cache/.dpkg-source-$pkg.log" 2>&1; then
  cat "$cache/.dpkg-source-$pkg.log" >&2
  exit 1
fi
series=$dest/debian/patches/series
if [ -f "$series" ]; then
  # Lines are "name [-pN]"; # starts a comment.
  sed -e 's/#.*//' "$series" | while read -r patch level; do
    [ -n "$patch" ] || continue
    for skip in "$@"; do
      if [ "$patch" = "$skip" ]; then
        echo "debian-source: $pkg: skipping $patch" >&2
        continue 2
      fi
    done
    patch -d "$dest" -s -f -N --no-backup-if-mismatch "${level:--p1}" \
      <"$dest/debian/patches/$patch"
  done
fi
echo "debian-source: $(basename "$dsc" .dsc) unpacked into $dest" >&2
