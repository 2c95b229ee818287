#!/usr/bin/env bash
# snapshot.sh — `rtviz snapshot`: the projector view as a PNG of the size
# asked for, without a display; bad flags exit 2 and bad paths exit 1, each
# with one line, and a failed snapshot leaves an existing PNG as it was.
# Also: `--sdl-only` without a display says so in one line and exits 1.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
: "${RTVIZ:?RTVIZ must name the rtviz binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect() {
  local want=$1; shift
  timeout 120 "$RTVIZ" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" = "$want" ] || { cat "$tmp/err"; fail "rtviz $*: exit $rc, expected $want"; }
}
one_line() {
  [ "$(wc -l <"$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "$1: expected one line on stderr"; }
  grep -q -- "$2" "$tmp/err" || { cat "$tmp/err"; fail "$1: message lacks '$2'"; }
}
# png_size FILE: "W H" from the PNG header (signature, then IHDR)
png_size() {
  python3 - "$1" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read(24)
assert b[:8] == b'\x89PNG\r\n\x1a\n' and b[12:16] == b'IHDR', 'not a PNG'
print(*struct.unpack('>II', b[16:24]))
PY
}

expect 0 train --dataset sample --epochs 1 --width 8 --save "$tmp/m.ckpt"
M=$tmp/m.ckpt

# --- pictures, no display needed ----------------------------------------------
unset DISPLAY WAYLAND_DISPLAY
expect 0 snapshot --model "$M" --index 3 --out "$tmp/a.png"
[ "$(png_size "$tmp/a.png")" = "1920 1080" ] || fail "default size: $(png_size "$tmp/a.png")"
expect 0 snapshot --model "$M" --dataset sample --index 5 --theta 0.1 --size 800x450 --out "$tmp/b.png"
[ "$(png_size "$tmp/b.png")" = "800 450" ] || fail "--size 800x450: $(png_size "$tmp/b.png")"
grep -q 'θ 0.1 ' "$tmp/out" || { cat "$tmp/out"; fail "--theta 0.1 not the θ shown"; }

# --- bad usage: exit 2, one line ------------------------------------------------
expect 2 snapshot --model "$M" --index 1
one_line "no --out" "--out"
expect 2 snapshot --model "$M" --out "$tmp/c.png" --size 10x10
one_line "tiny --size" "--size"
expect 2 snapshot --model "$M" --out "$tmp/c.png" --size 800
one_line "--size without x" "WIDTHxHEIGHT"
expect 2 snapshot --model "$M" --out "$tmp/c.png" --index 100000
one_line "--index out of range" "--index"
expect 2 snapshot --model "$M" --out "$tmp/c.png" --theta 1.5
one_line "--theta out of range" "--theta"
expect 2 snapshot --model "$M" --out "$tmp/c.png" --theta 0.01 --floor 0.05
one_line "--theta below --floor" "floor"
expect 2 snapshot --out "$tmp/c.png"
one_line "no --model" "--model"
[ ! -e "$tmp/c.png" ] || fail "a failed snapshot left c.png"

# --- bad paths: exit 1, one line, the old picture kept ---------------------------
cp "$tmp/b.png" "$tmp/keep.png"
sum=$(cksum <"$tmp/b.png")
expect 1 snapshot --model "$tmp/none.ckpt" --out "$tmp/b.png"
one_line "missing model" "none.ckpt"
expect 1 snapshot --model "$M" --out "$tmp/no/such/dir/x.png"
one_line "missing directory" "no/such/dir"
expect 1 snapshot --model "$M" --out "$tmp"
one_line "a directory as --out" "$tmp"
mkfifo "$tmp/fifo"
expect 1 snapshot --model "$M" --out "$tmp/fifo"
one_line "a FIFO as --out" "fifo"
expect 1 snapshot --model "$M" --out "$M"
one_line "--out = --model" "same file"
[ "$(cksum <"$tmp/b.png")" = "$sum" ] || fail "b.png changed by failed snapshots"
ls "$tmp" | grep -q 'rtviz-' && fail "a temp file was left behind: $(ls "$tmp")"

# --- the window without a display: one line, exit 1 -------------------------------
expect 1 --sdl-only --dataset sample
one_line "--sdl-only without a display" "no display"
echo "snapshot: sizes, θ, usage and path errors; --sdl-only without a display"
