#!/usr/bin/env bash
# An image file dropped on the projector window (XDND, as a file manager
# drops it: tests/e2e/xdnd_drop.c, built here with the X11 headers SDL's
# own build needs) is loaded and traced like the terminal's l: the window
# says "loaded NAME" and goes to draw mode with it; a file that is not an
# image gives one status line naming it, and the window goes on. Then q
# in the window alone asks about the unsaved training before it quits.
. "$(dirname "$0")/sdl_common.bash"
command -v cc >/dev/null 2>&1 || { echo "no C compiler for the drop helper"; exit 77; }
cc -O1 -o "$TMPD/xdnd_drop" "$RTVIZ_ROOT/tests/e2e/xdnd_drop.c" -lX11 2>"$TMPD/cc.err" ||
    { echo "cannot build the drop helper (libx11-dev): $(head -1 "$TMPD/cc.err")"; exit 77; }
python3 - "$TMPD/shape.png" <<'PY'
import struct, sys, zlib
w = h = 40  # a light background with a dark bar: the loader inverts it
rows = b"".join(b"\0" + bytes(40 if 8 <= x < 16 and 5 <= y < 35 else 230 for x in range(w)) for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
echo "not an image" >"$TMPD/notes.png"
start_x 1280x800

start 100 10 --sdl-only --dataset sample --seed 1 --size 1024x600
win_id
wait_log '^sdl geom'
"$TMPD/xdnd_drop" "$WID" "$TMPD/shape.png" || fail "the drop did not complete"
wait_log '^sdl status loaded shape\.png \(40×40, inverted\)'
wait_log '^sdl step .* draw 1 ' # on the canvas, traced
"$TMPD/xdnd_drop" "$WID" "$TMPD/notes.png" || fail "the second drop did not complete"
wait_log '^sdl status load notes\.png: .+'
[ "$(grep -c '^sdl status load notes' "$LOG")" = 1 ] || fail "the bad file's status is not one line"
# --sdl-only: q asks once about the unsaved training, as the terminal's q does; q again quits
wait_log '^sdl trained [1-9]' # there is training to lose
xdotool key --window "$WID" q
wait_log '^sdl status quit\? .* not saved'
[ -f "$TMPD/rc" ] && fail "the first q quit with unsaved training"
xdotool key --window "$WID" q 2>>"$TMPD/xdo.err" # (its key-up may find the window gone)
[ "$(wait_exit "$SDL_T")" = 0 ] || fail "q q did not exit 0 after the drops"
echo "window: a dropped PNG is loaded and traced on the canvas, a dropped non-image gives one line; q asks before quitting"
