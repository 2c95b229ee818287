#!/usr/bin/env bash
# The interactive UI checks where `S` will write (--save) before it loads
# anything: a FIFO, a directory or a missing directory is one line and exit 1,
# at once (no data loaded, no terminal taken over). Runs the UI on a pty made
# by script(1). Env: RTVIZ. Exit 0 pass, else fail.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v script >/dev/null 2>&1 || fail "script(1) (bsdutils) is missing"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/fifo"
mkdir "$tmp/dir"
check() { # $1 target, $2 expected text
  out=$(timeout 20 script -qec "$RTVIZ --dataset sample --save $1" /dev/null 2>&1)
  rc=$?
  [ "$rc" = 1 ] || fail "--save $1: exit $rc, expected 1 ($out)"
  echo "$out" | grep -q "$2" || fail "--save $1: expected '$2', got: $out"
  [ "$(echo "$out" | grep -c .)" = 1 ] || fail "--save $1: more than one line: $out"
}
check "$tmp/fifo" "is a FIFO"
check "$tmp/dir" "directory"
check "$tmp/missing/x.ckpt" "does not exist"
[ -p "$tmp/fifo" ] || fail "the FIFO was replaced"
echo "ok: --save refused before the run for a FIFO, a directory and a missing directory"
