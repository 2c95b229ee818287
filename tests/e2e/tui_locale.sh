#!/usr/bin/env bash
# Any locale: without UTF-8 (LC_ALL=C) every glyph falls back to ASCII (θ
# "theta", τ "tau", → "->", the image as ASCII shades) and the layout holds:
# every boxed row still spans the terminal's width; with UTF-8 the same.
. "$(dirname "$0")/tui_common.bash"
REAL=$RTVIZ
printf '#!/bin/sh\nLC_ALL=C LANG=C exec %q "$@"\n' "$REAL" >"$TMPD/rtviz-c"
chmod +x "$TMPD/rtviz-c"
rows_hold() { # every row but the key line spans W cells
    local w=$1 bad
    bad=$(cap | sed '$d' | python3 -c '
import sys
w = int(sys.argv[1])
for i, l in enumerate(sys.stdin.buffer.read().decode("utf-8", "replace").split("\n")[:-1]):
    if len(l) != w: print(i + 1, len(l))
' "$w" | head -3)
    [ -z "$bad" ] || fail "rows of the wrong width ($w): $bad"
}
for size in "80 24" "160 50"; do
    set -- $size
    RTVIZ=$TMPD/rtviz-c
    start "$1" "$2" --dataset sample --seed 1
    wait_for 'network' 20
    wait_for 'theta 0\.[0-9]{3}' 10
    wait_for 'tau 0\.90' 5
    wait_for '-> [A-Z]' 10
    cap | grep -qE '~[A-Z]' && fail "$1x$2: raw UTF-8 bytes shown as ~X"
    cap | grep -q 'θ\|τ\|→' && fail "$1x$2: a UTF-8 glyph in the C locale"
    rows_hold "$1"
    keys q q
    wait_exit >/dev/null
    T kill-server; rm -f "$TMPD/rc"
    RTVIZ=$REAL
    start "$1" "$2" --dataset sample --seed 1
    wait_for 'θ 0\.[0-9]{3}' 20
    rows_hold "$1"
    keys q q
    wait_exit >/dev/null
    T kill-server; rm -f "$TMPD/rc"
done
echo "C locale: ASCII glyphs, layout holds at 80x24 and 160x50 (and with UTF-8)"
