#!/usr/bin/env bash
# Registry e2e test: the path every user of a published provider takes. scripts/release.sh
# builds a signed release (linux_amd64 from this build's plugin; linux_arm64 cross-built when
# cmake/toolchain-linux-arm64.cmake and cmake/StaticDeps.cmake exist), registry-server.js
# serves it through Terraform's provider registry protocol over HTTPS on 127.0.0.1 (a throw-away CA in SSL_CERT_FILE, a
# throw-away GPG key), and the real terraform
#   * `init` installs localhost:PORT/otc/vpcep, verifying the signature, and writes h1: and zh:
#     hashes into .terraform.lock.hcl; `providers lock` adds the h1: of the other platform; each
#     hash is checked against the zips (zh: = sha256 of the zip, h1: = Go's dirhash of its files);
#   * `apply` of a service, an endpoint and an approval against vpcep-emulator succeeds;
#   * `init` of localhost:PORT/tampered/vpcep, whose SHA256SUMS does not match its signature, fails.
#   registry.sh --plugin P --emulator E --source DIR --build DIR
# Exit 77 (skipped) without terraform/tofu or node.
source "$(dirname "$0")/../vpcep/lib.sh"

args=()
SRC="" BUILD=""
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SRC=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$SRC" ] && [ -n "$BUILD" ] || fail "usage: registry.sh --plugin P --emulator E --source DIR --build DIR"
e2e_init "${args[@]}"
command -v node >/dev/null || skip "node is not on PATH"
for prog in gpg zip unzip base64; do
  command -v "$prog" >/dev/null || fail "$prog is not installed (scripts/setup.sh installs it)"
done
HERE=$(cd "$(dirname "$0")" && pwd)
W=$E2E_WORK

# --- the release, signed with a throw-away key ----------------------------------------------
# gpg-agent's socket lives in GNUPGHOME: keep the path short.
GNUPGHOME=$(mktemp -d /tmp/tfpv-reg-gpg.XXXXXX)
export GNUPGHOME
E2E_GNUPGHOME=$GNUPGHOME
registry_cleanup() {
  local rc=$?
  GNUPGHOME=$E2E_GNUPGHOME gpgconf --kill gpg-agent 2>/dev/null || true
  rm -rf "$E2E_GNUPGHOME"
  (exit "$rc")
  e2e_cleanup
}
trap registry_cleanup EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key "vpcep registry test <registry-test@example.invalid>" \
  rsa3072 sign never 2>"$W/logs/gpg.log" || fail "gpg key generation failed: $(cat "$W/logs/gpg.log")"
FPR=$(gpg --batch --with-colons --list-keys | awk -F: '/^fpr/ { print $10; exit }')
KEY_ID=${FPR: -16}
gpg --batch --armor --export "$FPR" >"$W/pubkey.asc"

platforms="linux_amd64"
lock_platforms=(-platform=linux_amd64)
# linux_arm64 is cross-built with the toolchain file, which needs the static dependencies
# (cmake/StaticDeps.cmake builds libcurl and cJSON, which Debian has no :arm64 -dev of here).
if [ -f "$SRC/cmake/toolchain-linux-arm64.cmake" ] && [ -f "$SRC/cmake/StaticDeps.cmake" ]; then
  platforms="linux_amd64 linux_arm64"
  lock_platforms+=(-platform=linux_arm64)
else
  e2e_log "NOTE: no cmake/toolchain-linux-arm64.cmake or cmake/StaticDeps.cmake: the release holds linux_amd64 only, linux_arm64 is not checked"
fi
e2e_log "building the release ($platforms) with scripts/release.sh"
start=$SECONDS
GPG_FINGERPRINT=$FPR RELEASE_PLATFORMS=$platforms RELEASE_PLUGIN_linux_amd64=$E2E_PLUGIN \
  RELEASE_BUILD_PREFIX="$BUILD/registry-release" DIST_DIR="$W/dist" \
  "$SRC/scripts/release.sh" >"$W/logs/release.log" 2>&1 ||
  fail "scripts/release.sh failed: $(tail -n 30 "$W/logs/release.log")"
sed 's/^/  | /' "$W/logs/release.log"
e2e_log "release built in $((SECONDS - start))s"
V=$(sed -n 's/^project(terraform-provider-vpcep VERSION \([0-9][0-9.]*\)[ )].*/\1/p' "$SRC/CMakeLists.txt")
SUMS="$W/dist/terraform-provider-vpcep_${V}_SHA256SUMS"
[ -f "$SUMS.sig" ] || fail "the release has no $SUMS.sig"

# --- HTTPS with a throw-away CA: SSL_CERT_FILE holds it and nothing else ----------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=vpcep registry test CA" \
  -keyout "$W/ca.key" -out "$W/ca.pem" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1 || fail "cannot make the CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$W/server.key" \
  -out "$W/server.csr" >/dev/null 2>&1 || fail "cannot make the server key"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$W/server.ext"
openssl x509 -req -in "$W/server.csr" -CA "$W/ca.pem" -CAkey "$W/ca.key" -CAcreateserial \
  -days 2 -extfile "$W/server.ext" -out "$W/server.pem" >/dev/null 2>&1 || fail "cannot sign the server certificate"
mkdir -p "$W/no-certs"
export SSL_CERT_FILE="$W/ca.pem" SSL_CERT_DIR="$W/no-certs"

# localhost must be 127.0.0.1 (the certificate and the server say so).
getent ahostsv4 localhost | grep -q '^127\.0\.0\.1 ' || fail "localhost does not resolve to 127.0.0.1"

# --- the registry ---------------------------------------------------------------------------
node "$HERE/registry-server.js" --dist "$W/dist" --key "$W/server.key" --cert "$W/server.pem" \
  --gpg-key "$W/pubkey.asc" --key-id "$KEY_ID" --log "$W/logs/registry-requests.log" \
  >"$W/registry.out" 2>"$W/registry.err" &
REG_PID=$!
E2E_BG_PIDS+=("$REG_PID")
(
  while kill -0 "$$" 2>/dev/null; do sleep 1; done
  kill "$REG_PID" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
E2E_BG_PIDS+=($!)
REG=""
for _ in $(seq 1 100); do
  REG=$(head -n1 "$W/registry.out" 2>/dev/null || true)
  [[ "$REG" =~ ^https://localhost:[0-9]+$ ]] && break
  kill -0 "$REG_PID" 2>/dev/null || fail "registry-server.js exited: $(cat "$W/registry.err")"
  REG=""
  sleep 0.1
done
[ -n "$REG" ] || fail "registry-server.js printed no URL within 10 s"
HOST=${REG#https://}
e2e_log "registry at $REG (pid $REG_PID), key $KEY_ID"
curl -sS --fail --cacert "$W/ca.pem" "$REG/.well-known/terraform.json" | jq -e '."providers.v1" == "/v1/providers/"' >/dev/null ||
  fail "service discovery does not answer providers.v1"

# Terraform installs from the registry only: no dev_overrides, no mirrors, no cache.
cat >"$TF_CLI_CONFIG_FILE" <<EOF
provider_installation {
  direct {}
}
EOF
unset TF_PLUGIN_CACHE_DIR

e2e_start_emulator

# A configuration that uses the provider by its registry address.
mkcfg() {
  local name=$1 source=$2 dir="$W/$1"
  mkdir -p "$dir"
  cp "$E2E_FIXTURES/common/providers.tf" "$E2E_FIXTURES/common/variables.tf" \
    "$E2E_FIXTURES/lifecycle/main.tf" "$dir/"
  cat >"$dir/versions.tf" <<EOF
terraform {
  required_providers {
    vpcep = {
      source  = "$source"
      version = "$V"
    }
  }
}
EOF
  e2e_write_tfvars "$dir/terraform.tfvars.json"
  echo "$dir"
}

# --- init from the registry: signature verified, hashes locked --------------------------------
dir=$(mkcfg registry "$HOST/otc/vpcep")
tf_ok "$dir" init -input=false
out_has "Installed $HOST/otc/vpcep v$V \(self-signed, key ID $KEY_ID\)" "terraform init"
grep -q "GET /files/otc/terraform-provider-vpcep_${V}_SHA256SUMS.sig" "$W/logs/registry-requests.log" ||
  fail "terraform init did not fetch the signature"
# `providers lock` downloads every platform's zip and adds its h1: (init only hashes its own).
"$TF" -chdir="$dir" providers lock "${lock_platforms[@]}" >"$W/logs/providers-lock.log" 2>&1 ||
  fail "terraform providers lock ${lock_platforms[*]} failed: $(cat "$W/logs/providers-lock.log")"
sed 's/^/  | /' "$W/logs/providers-lock.log"

lock="$dir/.terraform.lock.hcl"
[ -f "$lock" ] || fail "no .terraform.lock.hcl"
sed 's/^/  lock | /' "$lock"
grep -q "provider \"$HOST/otc/vpcep\"" "$lock" || fail "the lock file names no provider $HOST/otc/vpcep"
grep -q "version *= *\"$V\"" "$lock" || fail "the lock file does not lock version $V"

# h1: of a zip, computed as Terraform (Go's dirhash.Hash1) does: sha256 over the lines
# "<sha256 of file>  <name>\n" of the files it holds, sorted by name, in base64.
h1_of_zip() {
  local zip=$1 name
  unzip -Z1 "$zip" | LC_ALL=C sort | while IFS= read -r name; do
    printf '%s  %s\n' "$(unzip -p "$zip" "$name" | sha256sum | cut -d' ' -f1)" "$name"
  done | openssl dgst -sha256 -binary | base64 -w0
}
n_h1=0
for p in $platforms; do
  zip="$W/dist/terraform-provider-vpcep_${V}_$p.zip"
  zh=$(sha256sum "$zip" | cut -d' ' -f1)
  h1=$(h1_of_zip "$zip")
  grep -qF "\"zh:$zh\"" "$lock" || fail "no zh:$zh ($p) in the lock file"
  grep -qF "\"h1:$h1\"" "$lock" || fail "no h1:$h1 ($p) in the lock file"
  e2e_log "$p: h1:$h1 zh:$zh locked"
  n_h1=$((n_h1 + 1))
done
[ "$(grep -c '"h1:' "$lock")" -eq "$n_h1" ] || fail "the lock file has other h1: hashes than the $n_h1 of the release"
# Terraform takes a zh: from every line of the signed SHA256SUMS (the manifest's too).
while read -r sum name; do
  grep -qF "\"zh:$sum\"" "$lock" || fail "no zh: of $name (a line of SHA256SUMS) in the lock file"
done <"$SUMS"
[ "$(grep -c '"zh:' "$lock")" -eq "$(wc -l <"$SUMS")" ] ||
  fail "the lock file has other zh: hashes than the $(wc -l <"$SUMS") lines of SHA256SUMS"

# The installed plugin is the released one: the stripped binary of the amd64 zip.
inst="$dir/.terraform/providers/$HOST/otc/vpcep/$V/linux_amd64/terraform-provider-vpcep_v$V"
[ -x "$inst" ] || fail "no plugin installed at $inst"
cmp -s "$inst" <(unzip -p "$W/dist/terraform-provider-vpcep_${V}_linux_amd64.zip" "terraform-provider-vpcep_v$V") ||
  fail "the installed plugin is not the released binary"

# --- apply with the installed plugin ----------------------------------------------------------
tf_apply "$dir"
out_has "Apply complete! Resources: 3 added"
sid=$(tf_output "$dir" service_id)
[ -n "$sid" ] || fail "no service ID after apply"
tf_plan_expect "$dir" 0
tf_destroy "$dir"

# --- a SHA256SUMS that does not match its signature is refused ----------------------------------
bad=$(mkcfg tampered "$HOST/tampered/vpcep")
tf "$bad" init -input=false
[ "$TF_RC" -ne 0 ] || fail "terraform init accepted a release whose SHA256SUMS does not match the signature"
out_has "error checking signature" "terraform init of the tampered release"
grep -q "GET /files/tampered/terraform-provider-vpcep_${V}_SHA256SUMS.sig" "$W/logs/registry-requests.log" ||
  fail "the tampered init did not get as far as the signature"
[ ! -e "$bad/.terraform/providers/$HOST/tampered/vpcep" ] || fail "the tampered provider was installed"
e2e_log "release $V ($platforms) installed from the registry, applied; tampered SHA256SUMS refused"
