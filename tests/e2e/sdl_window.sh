#!/usr/bin/env bash
# The projector window beside the terminal UI, for real: under Xvfb, `rtviz
# --sdl` in tmux opens the window; a key sent to the window through the X
# server (xdotool) raises the θ floor the engine reports (in the window's
# state log and on the terminal's gauge), a mouse drag on the θ slider moves
# the window's θ to the first step; closing the window leaves the terminal
# UI running, which still quits with q. Skipped only where Xvfb cannot start.
# Every step waits for its condition (sdl_common.bash: a generous deadline),
# so a loaded machine or the sanitizer build only makes it slower.
. "$(dirname "$0")/sdl_common.bash"
start_x 1600x900

start 160 50 --dataset sample --seed 1 --sdl --size 1280x720
wait_for 'floor 0\.000' "$SDL_T"
win_id                        # mapped
wait_log '^sdl geom'          # drawn once, its layout logged
wait_log '^sdl step [1-9]'    # its sweep animated past the first step

# a key to the window: + raises the floor, the engine reports it to both front ends
xdotool key --window "$WID" plus
wait_log 'floor 0\.0100'
wait_for 'floor 0\.010' "$SDL_T"

# lines of the window's log after line $1 that match $2
log_after() { tail -n +$(($1 + 1)) "$LOG" | grep -cE -- "$2"; }
# wait_new N REGEX: until a line after line N matches
wait_new() {
    local i
    for i in $(seq 1 $((SDL_T * 20))); do
        [ "$(log_after "$1" "$2")" -gt 0 ] && return 0
        sleep 0.05
    done
    echo "--- window log:"; tail -8 "$LOG"
    fail "timed out after ${SDL_T}s waiting for /$2/ in the window's log after line $1"
}

# the floor's new trace animates its sweep: let it finish before the drag
wait_new 0 'floor 0\.0100 .* anim 0 drag 0$'

# a drag on the θ slider, from its middle to its left end: θ = the first step
read -r _ _ _ _ _ _ tx ty tw th _ < <(grep '^sdl geom' "$LOG" | tail -1)
y=$((ty + th / 2))
x0=$((tx + tw / 2))
n0=$(wc -l <"$LOG")
xdotool mousemove --window "$WID" "$x0" "$y" mousedown 1 \
    mousemove --window "$WID" $((x0 - tw / 4)) "$y" \
    mousemove --window "$WID" $((tx - 20)) "$y" mouseup 1
wait_new "$n0" '^sdl step 0 theta 0\.5000 floor 0\.0100 .* drag 0$' # released at the first step
# the periodic re-trace (one a second while training) must keep a θ moved by hand:
# wait until the trace was renewed twice after the drag, then look again
n1=$(wc -l <"$LOG")
for i in $(seq 1 $((SDL_T * 20))); do
    [ "$(log_after "$n1" '^sdl trace')" -ge 2 ] && break
    sleep 0.05
done
[ "$(log_after "$n1" '^sdl trace')" -ge 2 ] || fail "no re-trace within ${SDL_T}s"
last_state | grep -qE '^sdl step 0 theta 0\.5000' || fail "θ did not stay where dragged: $(last_state)"

# closing the window leaves the terminal UI running
xdotool key --window "$WID" q 2>>"$TMPD/xdo.err" # (its key-up may find the window gone)
wait_closed
keys ' '
wait_for 'paused' "$SDL_T"
keys q q # q asks once when training is unsaved
[ "$(wait_exit "$SDL_T")" = 0 ] || fail "q did not exit 0"
echo "window: key raised the floor (engine and terminal), drag moved θ to the first step, close kept the terminal"
