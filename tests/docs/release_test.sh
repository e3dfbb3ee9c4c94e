#!/bin/sh
# Release layout test (label packaging): scripts/release.sh, given the plugin of this build for
# linux_amd64 (so that the test does not build again), writes exactly the HashiCorp release
# layout, signed with a throw-away GPG key: the zip holds the stripped binary
# terraform-provider-vpcep_v<V> (+ LICENSE, README.md, CHANGELOG.md) and it runs; the manifest
# is exact; sha256sum -c and gpg --verify pass and a tampered SHA256SUMS fails gpg --verify; a
# second run gives the same bytes; without GPG_FINGERPRINT it says it skips signing.
#   release_test.sh <source dir> <plugin> <version> <scratch dir>
set -u
SRC=$1 PLUGIN=$2 V=$3 WORK=$4
N=terraform-provider-vpcep
errors=0
problem() {
  echo "release_test: $*" >&2
  errors=$((errors + 1))
}
for tool in gpg zip unzip sha256sum readelf; do
  command -v "$tool" >/dev/null || {
    echo "release_test: $tool is missing (scripts/setup.sh installs it)" >&2
    exit 1
  }
done

rm -rf "$WORK"
mkdir -p "$WORK"
# gpg-agent's socket lives in GNUPGHOME: keep the path short.
GNUPGHOME=$(mktemp -d /tmp/tfpv-gpg.XXXXXX)
export GNUPGHOME
trap 'gpgconf --kill gpg-agent 2>/dev/null; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key "vpcep release test <release-test@example.invalid>" \
  ed25519 sign never 2>"$WORK/gpg.log" || {
  cat "$WORK/gpg.log" >&2
  exit 1
}
FPR=$(gpg --batch --with-colons --list-keys | awk -F: '/^fpr/ { print $10; exit }')

release() {
  RELEASE_PLATFORMS=linux_amd64 RELEASE_PLUGIN_linux_amd64="$PLUGIN" DIST_DIR="$1" \
    "$SRC/scripts/release.sh"
}
D="$WORK/dist"
if ! GPG_FINGERPRINT=$FPR release "$D" >"$WORK/release.log" 2>&1; then
  cat "$WORK/release.log" >&2
  echo "release_test: scripts/release.sh failed" >&2
  exit 1
fi

# Exactly these files.
expected="debug/${N}_v${V}_linux_amd64.debug
${N}_${V}_SHA256SUMS
${N}_${V}_SHA256SUMS.sig
${N}_${V}_linux_amd64.zip
${N}_${V}_manifest.json"
got=$(cd "$D" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
[ "$got" = "$expected" ] || problem "dist/ holds
$got
expected
$expected"

# The zip: the binary (stripped, with a debuglink, running) and the documents.
zip="$D/${N}_${V}_linux_amd64.zip"
entries=$(unzip -Z1 "$zip" 2>&1 | LC_ALL=C sort)
[ "$entries" = "$(printf '%s\n' CHANGELOG.md LICENSE README.md "${N}_v${V}" | LC_ALL=C sort)" ] ||
  problem "the zip holds: $entries"
mkdir -p "$WORK/unzip"
unzip -q "$zip" -d "$WORK/unzip" || problem "cannot unpack $zip"
bin="$WORK/unzip/${N}_v${V}"
if [ -x "$bin" ]; then
  out=$("$bin" --version 2>&1)
  case " $out " in
  *[!0-9.]"$V"[!0-9.]*) ;;
  *) problem "the zipped binary's --version prints '$out', not $V" ;;
  esac
  readelf -S "$bin" | grep -q '\.debug_info' && problem "the zipped binary is not stripped"
  readelf -S "$bin" | grep -q '\.gnu_debuglink' || problem "the zipped binary has no .gnu_debuglink"
  readelf -S "$D/debug/${N}_v${V}_linux_amd64.debug" | grep -q '\.debug_info' ||
    problem "dist/debug holds no debug info"
else
  problem "no executable ${N}_v${V} in the zip"
fi
cmp -s "$WORK/unzip/LICENSE" "$SRC/LICENSE" || problem "the zip's LICENSE differs from LICENSE"

# The manifest, byte for byte (what the registry reads the protocols from).
printf '{"version": 1, "metadata": {"protocol_versions": ["6.0", "5.0"]}}\n' >"$WORK/manifest"
cmp -s "$WORK/manifest" "$D/${N}_${V}_manifest.json" ||
  problem "manifest: $(cat "$D/${N}_${V}_manifest.json")"

# SHA256SUMS over the zip and the manifest; the signature verifies, also not a tampered file.
sums="$D/${N}_${V}_SHA256SUMS"
names=$(awk '{ print $2 }' "$sums" | LC_ALL=C sort | tr '\n' ' ')
[ "$names" = "${N}_${V}_linux_amd64.zip ${N}_${V}_manifest.json " ] ||
  problem "SHA256SUMS names: $names"
(cd "$D" && sha256sum --quiet -c "${N}_${V}_SHA256SUMS") || problem "sha256sum -c fails"
gpg --batch --quiet --verify "$sums.sig" "$sums" 2>"$WORK/verify.log" || {
  cat "$WORK/verify.log" >&2
  problem "gpg --verify fails"
}
grep -aq 'BEGIN PGP' "$sums.sig" && problem "the signature is ASCII-armoured, not binary"
sed 's/^./0/' "$sums" >"$WORK/tampered"
gpg --batch --quiet --verify "$sums.sig" "$WORK/tampered" 2>/dev/null &&
  problem "gpg --verify accepts a tampered SHA256SUMS"

# Reproducible: the same input gives the same bytes. Unsigned without GPG_FINGERPRINT.
if (unset GPG_FINGERPRINT; release "$WORK/dist2") >"$WORK/release2.log" 2>&1; then
  cmp -s "$sums" "$WORK/dist2/${N}_${V}_SHA256SUMS" ||
    problem "a second run gives other bytes: $(diff "$sums" "$WORK/dist2/${N}_${V}_SHA256SUMS")"
  grep -q "skipping signing" "$WORK/release2.log" || problem "without GPG_FINGERPRINT it does not say it skips signing"
  [ -e "$WORK/dist2/${N}_${V}_SHA256SUMS.sig" ] && problem "without GPG_FINGERPRINT it still writes a .sig"
else
  cat "$WORK/release2.log" >&2
  problem "scripts/release.sh without GPG_FINGERPRINT failed"
fi

if [ "$errors" -gt 0 ]; then
  echo "release_test: $errors problem(s)" >&2
  exit 1
fi
rm -rf "$WORK"
echo "release_test: release layout, stripped binary, manifest, SHA256SUMS and signature correct"
