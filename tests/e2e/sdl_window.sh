#!/usr/bin/env bash
# The projector window beside the terminal UI, for real: under Xvfb, `rtviz
# --sdl` in tmux opens the window; a key sent to the window through the X
# server (xdotool) raises the θ floor the engine reports (in the window's
# state log and on the terminal's gauge), a mouse drag on the θ slider moves
# the window's θ to the first step; closing the window leaves the terminal
# UI running, which still quits with q. Skipped only where Xvfb cannot start.
. "$(dirname "$0")/tui_common.bash"
command -v Xvfb >/dev/null 2>&1 || { echo "Xvfb is not installed (Debian: xvfb)"; exit 77; }
command -v xdotool >/dev/null 2>&1 || { echo "xdotool is not installed"; exit 77; }

# a free display: Xvfb picks it and writes its number to fd 3
exec 3>"$TMPD/display"
Xvfb -displayfd 3 -screen 0 1600x900x24 -nolisten tcp >"$TMPD/xvfb.log" 2>&1 &
XPID=$!
exec 3>&-
trap 'kill $XPID 2>/dev/null; cleanup' EXIT
for i in $(seq 1 100); do [ -s "$TMPD/display" ] && break; sleep 0.05; done
[ -s "$TMPD/display" ] || { echo "Xvfb could not start: $(tail -1 "$TMPD/xvfb.log")"; exit 77; }
export DISPLAY=:$(head -1 "$TMPD/display")
export RTVIZ_SDL_LOG=$TMPD/sdl.log

LOG=$RTVIZ_SDL_LOG
# wait_log REGEX [SECONDS]: until the window's state log has a line matching
wait_log() {
    local re=$1 t=${2:-20} i=0
    while [ "$i" -lt $((t * 20)) ]; do
        grep -qE -- "$re" "$LOG" 2>/dev/null && return 0
        sleep 0.05
        i=$((i + 1))
    done
    echo "--- window log:"; tail -5 "$LOG" 2>/dev/null
    fail "timed out after ${t}s waiting for /$re/ in the window's log"
}
last_state() { grep '^sdl step' "$LOG" | tail -1; }

start 160 50 --dataset sample --seed 1 --sdl --size 1280x720
wait_for 'floor 0\.000' 20
wait_log '^sdl geom' 20
WID=
for i in $(seq 1 200); do # (no --sync: it never gives up)
    WID=$(xdotool search --classname rtviz 2>>"$TMPD/xdo.err" | head -1)
    [ -n "$WID" ] && break
    sleep 0.05
done
[ -n "$WID" ] || fail "no window on $DISPLAY: $(tail -1 "$TMPD/xdo.err" 2>/dev/null)"
wait_log '^sdl step [1-9]' 20 # its sweep animated past the first step

# a key to the window: + raises the floor, the engine reports it to both front ends
xdotool key --window "$WID" plus
wait_log 'floor 0\.0100' 10
wait_for 'floor 0\.010' 10

# a drag on the θ slider, from its middle to its left end: θ = the first step
read -r _ _ _ _ _ _ tx ty tw th _ < <(grep '^sdl geom' "$LOG" | tail -1)
y=$((ty + th / 2))
x0=$((tx + tw / 2))
xdotool mousemove --window "$WID" "$x0" "$y" mousedown 1 \
    mousemove --window "$WID" $((x0 - tw / 4)) "$y" sleep 0.1 \
    mousemove --window "$WID" $((tx - 20)) "$y" sleep 0.1 mouseup 1
wait_log '^sdl step 0 theta 0\.5000 floor 0\.0100' 10
sleep 1.5 # the periodic re-trace keeps a θ moved by hand
last_state | grep -qE '^sdl step 0 theta 0\.5000' || fail "θ did not stay where dragged: $(last_state)"

# closing the window leaves the terminal UI running
xdotool key --window "$WID" q
for i in $(seq 1 100); do xdotool search --classname rtviz >/dev/null 2>&1 || break; sleep 0.05; done
xdotool search --classname rtviz >/dev/null 2>&1 && fail "the window did not close"
keys ' '
wait_for 'paused' 10
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "window: key raised the floor (engine and terminal), drag moved θ to the first step, close kept the terminal"
