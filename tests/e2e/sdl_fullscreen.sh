#!/usr/bin/env bash
# The projector window's size changes, for real, under Xvfb with a small
# window manager (evilwm: without one nothing on X honours fullscreen): F
# makes the window cover the screen (xwininfo) and the view is laid out and
# screenshot (P) at the screen's size; F again gives the window back; a
# resize through the X server relays the view out at the new size (the
# window's geometry log, a P screenshot of exactly that size).
. "$(dirname "$0")/sdl_common.bash"
command -v evilwm >/dev/null 2>&1 || { echo "evilwm is not installed (scripts/deps.sh test installs it)"; exit 77; }
command -v xprop >/dev/null 2>&1 && command -v xwininfo >/dev/null 2>&1 ||
    { echo "xprop and xwininfo are not installed (x11-utils; scripts/deps.sh test installs it)"; exit 77; }
png="python3 $RTVIZ_ROOT/tests/e2e/pngcheck.py"
start_x 1600x900
evilwm >"$TMPD/wm.log" 2>&1 &
WMPID=$!
# The window manager is up once it has named itself on the root window: a
# window made before that is mapped with no manager, then taken over by one.
for i in $(seq 1 $((SDL_T * 20))); do
    xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && break
    sleep 0.05
done
xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' ||
    fail "evilwm did not start within ${SDL_T}s: $(tail -1 "$TMPD/wm.log")"

# geom_is W H: until xwininfo reports the window at that size
geom_is() {
    local i g
    for i in $(seq 1 $((SDL_T * 10))); do
        g=$(xwininfo -id "$WID" 2>/dev/null | awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w, h }')
        [ "$g" = "$1 $2" ] && return 0
        sleep 0.1
    done
    fail "the window is $g, not $1 $2, after ${SDL_T}s"
}
# shot W H: a P screenshot of exactly W x H lands in the run's directory
shot() {
    local before i f
    before=$(ls "$TMPD"/rtviz-shot-*.png 2>/dev/null | wc -l)
    sleep 1.1 # screenshots are named by the second: one per second
    xdotool key --window "$WID" P
    for i in $(seq 1 $((SDL_T * 10))); do
        [ "$(ls "$TMPD"/rtviz-shot-*.png 2>/dev/null | wc -l)" -gt "$before" ] && break
        sleep 0.1
    done
    f=$(ls -t "$TMPD"/rtviz-shot-*.png 2>/dev/null | head -1)
    [ -n "$f" ] || fail "P wrote no screenshot"
    $png "$f" "$1" "$2" >/dev/null || fail "screenshot after ${3}: $($png "$f" "$1" "$2")"
}
# wait_geom W H: until the window's last layout is for W x H
wait_geom() {
    local i
    for i in $(seq 1 $((SDL_T * 20))); do
        grep '^sdl geom' "$LOG" 2>/dev/null | tail -1 | grep -q "^sdl geom window $1 $2 " && return 0
        sleep 0.05
    done
    fail "the window's last layout is not for $1x$2: $(grep '^sdl geom' "$LOG" | tail -1)"
}
# track_fits W: the slider's track (window coordinates, last geometry line) ends inside W, past 85% of it
track_fits() {
    read -r _ _ _ ww _ _ tx _ tw _ < <(grep '^sdl geom' "$LOG" | tail -1)
    [ "$ww" = "$1" ] || fail "the last layout is for width $ww, not $1"
    [ $((tx + tw)) -le "$1" ] && [ $((tx + tw)) -ge $(($1 * 85 / 100)) ] ||
        fail "the θ track ends at $((tx + tw)) in a window $1 wide"
}

start 100 10 --sdl-only --dataset sample --seed 1 --size 1024x600
win_id
wait_geom 1024 600
geom_is 1024 600
track_fits 1024
shot 1024 600 "start"

xdotool key --window "$WID" F
geom_is 1600 900
wait_geom 1600 900
track_fits 1600
shot 1600 900 "F"

xdotool key --window "$WID" F
geom_is 1024 600
wait_geom 1024 600 # laid out again at the old size

xdotool windowsize "$WID" 1200 700
geom_is 1200 700
wait_geom 1200 700
track_fits 1200
shot 1200 700 "a resize"

xdotool key --window "$WID" q q 2>>"$TMPD/xdo.err" # (q asks once when training is unsaved)
[ "$(wait_exit "$SDL_T")" = 0 ] || fail "q did not exit 0"
echo "window: F covers the 1600x900 screen and back, a resize to 1200x700 relays the view; screenshots at each size"
