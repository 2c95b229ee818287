#!/usr/bin/env bash
# `r` replays the sweep: more active blocks at its last step than at its first.
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1 --step-ms 300
wait_for 'active [0-9]+/[0-9]+ blocks' 20
keys Space # pause: the trace stays put while we watch
wait_for 'paused' 5
keys r
wait_for 'step 1/[0-9]+ sweeping' 3
first=$(cap | grep -oE 'active [0-9]+/' | head -1 | grep -oE '[0-9]+')
wait_gone 'sweeping' 20
last=$(cap | grep -oE 'active [0-9]+/' | head -1 | grep -oE '[0-9]+')
[ -n "$first" ] && [ -n "$last" ] || fail "no active-block count on screen"
[ "$last" -gt "$first" ] || fail "active blocks first $first, last $last"
# ←/→ walk θ by hand
keys Left
wait_for 'θ [0-9.]+ +active' 3
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "sweep: $first active blocks at the first step, $last at the stop"
