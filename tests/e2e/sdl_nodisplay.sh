#!/usr/bin/env bash
# `rtviz --sdl` where no display is: one line says so, and the terminal UI
# carries on (trains, takes keys, quits with 0).
. "$(dirname "$0")/tui_common.bash"
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER
start 160 50 --dataset sample --seed 1 --sdl
wait_for 'floor 0\.000' 20
keys +
wait_for 'floor 0\.010' 5
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
wait_for 'AFTER-EXIT' 5
n=$(cap | grep -c 'no display for the window')
[ "$n" = 1 ] || fail "expected the one no-display line once, saw it $n times"
cap | grep -q 'the terminal UI carries on' || fail "the line does not say the terminal goes on"
echo "--sdl without a display: one line, the terminal UI ran"
