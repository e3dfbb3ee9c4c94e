#!/usr/bin/env bash
# The fresh-machine test (ctest label `fresh`): the README's first command on a minimal Debian
# bookworm with nothing installed but what `mmdebstrap --variant=apt` puts there.
#
#   tests/fresh/fresh.sh SOURCE_DIR CACHE_DIR
#
# 1. A bookworm root tarball is made once with `mmdebstrap --variant=apt bookworm` and kept in
#    CACHE_DIR (delete it to rebuild the root).
# 2. It is unpacked into a new directory under CACHE_DIR; a clean `git clone` of SOURCE_DIR's
#    HEAD commit (uncommitted changes are not part of the test) and the `terraform` binary go in.
#    From the host only the CA bundle, the npm configuration and the resolver configuration are
#    copied: no file of any host package.
# 3. `./scripts/quickstart.sh` runs inside with chroot, and the test passes when it reaches
#    "Apply complete" and exits 0.
#
# The .deb files apt downloads inside are kept in CACHE_DIR/debs between runs (they are Debian's
# packages, installed fresh into the new root every time). Everything runs in private mount and
# PID namespaces: when the test ends, for any reason, every mount is gone and every process it
# started inside (the emulator of the quick start) is killed. FRESH_KEEP=1 keeps the root.
#
# Exit 77 (skipped): not root, or no terraform/tofu on PATH.
set -euo pipefail

if [ "${1:-}" = --inside ]; then
  shift
  INSIDE=1
else
  INSIDE=0
fi
[ $# -eq 2 ] || {
  echo "usage: $0 SOURCE_DIR CACHE_DIR" >&2
  exit 2
}
SRC=$(cd "$1" && pwd)
CACHE=$2
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

now() { date +%s; }
say() { printf 'fresh: %s\n' "$*"; }
die() {
  printf 'fresh: FAIL: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Inside the namespaces: mount, chroot, run the quick start. $ROOT is prepared by the outer part.
if [ "$INSIDE" = 1 ]; then
  ROOT=${FRESH_ROOT:?}
  cleanup() {
    # Also done by the kernel when the mount namespace goes away; explicit for clarity.
    for m in run dev/shm dev/pts dev sys proc var/cache/apt/archives; do
      if mountpoint -q "$ROOT/$m"; then umount -l "$ROOT/$m" || true; fi
    done
  }
  trap cleanup EXIT
  mount --make-rprivate /
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs -o ro sysfs "$ROOT/sys"
  # A /dev of its own (never a bind of the host's: a package script in the root that replaces
  # /dev/null would replace the host's), with the nodes any Debian root expects.
  mount -t tmpfs -o mode=0755,nosuid tmpfs "$ROOT/dev"
  for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$node"
    mknod -m 666 "$ROOT/dev/$name" c "$major" "$minor"
  done
  ln -s /proc/self/fd "$ROOT/dev/fd"
  ln -s /proc/self/fd/0 "$ROOT/dev/stdin"
  ln -s /proc/self/fd/1 "$ROOT/dev/stdout"
  ln -s /proc/self/fd/2 "$ROOT/dev/stderr"
  mkdir -p "$ROOT/dev/pts" "$ROOT/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$ROOT/dev/pts"
  ln -s pts/ptmx "$ROOT/dev/ptmx"
  mount -t tmpfs tmpfs "$ROOT/dev/shm"
  mount -t tmpfs tmpfs "$ROOT/run"
  mkdir -p "$CACHE/debs/partial" "$ROOT/var/cache/apt/archives"
  mount --bind "$CACHE/debs" "$ROOT/var/cache/apt/archives"

  # A clean environment: nothing of the host's but what any machine here has (the CA bundle).
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb CI=true DEBIAN_FRONTEND=noninteractive \
    CHECKPOINT_DISABLE=1 SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    chroot "$ROOT" /bin/bash -c 'cd /src && ./scripts/quickstart.sh'
  rc=$?
  chroot "$ROOT" /bin/bash -c 'cd /src && ./scripts/quickstart.sh stop' >/dev/null 2>&1 || true
  exit "$rc"
fi

# ---------------------------------------------------------------------------------------------
# Outside: checks, the cached root tarball, the new root, then the namespaces.
if [ "$(id -u)" -ne 0 ]; then
  echo "fresh: SKIP: needs root (mmdebstrap, mount and chroot)"
  exit 77
fi
TF=$(command -v terraform || command -v tofu || true)
if [ -z "$TF" ]; then
  echo "fresh: SKIP: neither terraform nor tofu is on PATH (the quick start needs one)"
  exit 77
fi
for tool in mmdebstrap unshare chroot git; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"
done
git -C "$SRC" rev-parse --verify -q HEAD >/dev/null || die "$SRC is not a git checkout"
COMMIT=$(git -C "$SRC" rev-parse HEAD)
if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
  say "note: $SRC has uncommitted changes; the test builds the commit $COMMIT only"
fi

T0=$(now)
TARBALL=$CACHE/bookworm-apt.tar
exec 9>"$CACHE/.lock"
flock 9 # one run per cache directory at a time
if [ ! -s "$TARBALL" ]; then
  say "making the bookworm root tarball (mmdebstrap --variant=apt bookworm, once per cache)"
  rm -f "$TARBALL.tmp"
  mmdebstrap --quiet --variant=apt --format=tar bookworm "$TARBALL.tmp" || die "mmdebstrap failed"
  mv "$TARBALL.tmp" "$TARBALL"
fi
T1=$(now)

ROOT=$(mktemp -d "$CACHE/root.XXXXXX")
remove_root() {
  if [ "${FRESH_KEEP:-0}" = 1 ]; then
    say "kept the root in $ROOT (FRESH_KEEP=1)"
  else
    # The namespaces are gone by now, so nothing is mounted below $ROOT; --one-file-system
    # guards against a mount that somehow survived.
    rm -rf --one-file-system "$ROOT"
  fi
}
trap remove_root EXIT
tar -C "$ROOT" -xf "$TARBALL"

# What the issue allows from the host: the CA bundle (and local CAs), the npm configuration.
# The resolver configuration is what makes the network reachable at all.
mkdir -p "$ROOT/etc/ssl/certs" "$ROOT/usr/local/share/ca-certificates" "$ROOT/root"
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/"
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  cp -r /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/"
fi
[ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$ROOT/root/.npmrc"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
# The terraform binary (a single static Go binary, not a Debian package).
cp "$TF" "$ROOT/usr/local/bin/$(basename "$TF")"
# A clean clone of the commit under test.
git clone -q --no-checkout "$SRC" "$ROOT/src"
git -C "$ROOT/src" checkout -q --detach "$COMMIT"
say "root $ROOT: bookworm (mmdebstrap --variant=apt), commit $COMMIT, $("$TF" version | head -n1)"

LOG=$CACHE/last-run.log
set +e
FRESH_ROOT=$ROOT unshare --mount --pid --fork --kill-child \
  bash "$SELF" --inside "$SRC" "$CACHE" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
T2=$(now)
say "root tarball $((T1 - T0)) s, quick start in the fresh root $((T2 - T1)) s (log: $LOG)"
# Nothing done in the root may reach the host (a bind of the host's /dev once let a package
# script replace /dev/null with a regular file).
[ -c /dev/null ] || die "the host's /dev/null is no longer a character device"
[ "$rc" -eq 0 ] || die "./scripts/quickstart.sh exited $rc in the fresh root"
grep -q 'Apply complete' "$LOG" || die "the quick start never printed \"Apply complete\""
say "PASS: the README's first command reached \"Apply complete\" on a fresh bookworm"
