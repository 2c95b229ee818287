#!/usr/bin/env bash
# robust_disk.sh — saving a checkpoint onto a full disk or into a read-only
# directory fails with a clear one-line error (exit 1) and keeps the old file
# byte for byte, with no temporary file left behind (issue 6, faults).
#
# The full disk is a small tmpfs (mounted directly as root, or inside a user +
# mount namespace with `unshare -rm` otherwise) sized so the old checkpoint
# fits but a second copy does not; the read-only directory is that tmpfs
# remounted read-only. Env: RTVIZ, RTVIZ_ROOT. Exit 0 pass, 77 skip, else fail.
set -u
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }

out=$("$RTVIZ" train --help 2>&1) || true
echo "$out" | grep -q -- '--save' || skip "rtviz train --save not available yet"

# Re-run this script inside a private mount namespace where we may mount.
if [ -z "${ROBUST_DISK_INNER:-}" ]; then
  export ROBUST_DISK_INNER=1
  if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    exec unshare -m bash "$0"
  elif unshare -rm true 2>/dev/null; then
    exec unshare -rm bash "$0"
  fi
  skip "cannot mount a small tmpfs here (not root, no user namespaces)"
fi

tmp=$(mktemp -d)
trap 'umount "$tmp/disk" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/disk"
net=(--dataset sample --epochs 1 --limit 50 --layers 1 --blocks 2 --width 256 --threads 1)

# 1) size of one checkpoint of this network
"$RTVIZ" train "${net[@]}" --save "$tmp/probe.ckpt" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "training failed"; }
size=$(stat -c %s "$tmp/probe.ckpt")
echo "checkpoint: $size bytes"

# 2) a tmpfs with room for 1.5 checkpoints, holding one
kb=$(((size * 3 / 2) / 1024 + 8))
mount -t tmpfs -o size=${kb}k tmpfs "$tmp/disk" || skip "mount -t tmpfs failed"
cp "$tmp/probe.ckpt" "$tmp/disk/m.ckpt" || fail "copy onto the tmpfs failed"
cp "$tmp/probe.ckpt" "$tmp/old.ckpt"

check_kept() { # LABEL
  cmp -s "$tmp/disk/m.ckpt" "$tmp/old.ckpt" || fail "$1: the old checkpoint changed"
  ls -A "$tmp/disk" | grep -Eq '^\..*\.rtviz-[0-9]+-' && fail "$1: a temporary file was left: $(ls -A "$tmp/disk")"
  "$RTVIZ" eval --model "$tmp/disk/m.ckpt" --dataset sample --limit 20 >/dev/null 2>&1 ||
    fail "$1: the old checkpoint no longer loads"
}

# 3) full disk: the new save cannot fit beside the old file
"$RTVIZ" train "${net[@]}" --seed 2 --save "$tmp/disk/m.ckpt" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ "$rc" = 1 ] || fail "full disk: exit $rc, expected 1"
grep -q "m.ckpt" "$tmp/err" || fail "full disk: the error does not name the file"
grep -qi "no space left" "$tmp/err" || fail "full disk: the error does not say the disk is full"
check_kept "full disk"
echo "full disk: clear error, old checkpoint kept"

# 4) read-only directory
mount -o remount,ro "$tmp/disk" || skip "cannot remount the tmpfs read-only"
"$RTVIZ" train "${net[@]}" --seed 3 --save "$tmp/disk/m.ckpt" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ "$rc" = 1 ] || fail "read-only: exit $rc, expected 1"
grep -q "m.ckpt" "$tmp/err" || fail "read-only: the error does not name the file"
grep -qi "read-only" "$tmp/err" || fail "read-only: the error does not say the directory is read-only"
check_kept "read-only"
echo "read-only directory: clear error, old checkpoint kept"

# 5) a directory that does not exist
"$RTVIZ" train "${net[@]}" --save "$tmp/nope/m.ckpt" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ "$rc" = 1 ] || fail "missing directory: exit $rc, expected 1"
grep -q "nope/m.ckpt" "$tmp/err" || fail "missing directory: the error does not name the file"
echo "missing directory: clear error"
