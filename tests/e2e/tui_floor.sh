#!/usr/bin/env bash
# `+` raises the θ floor shown (and says training continues under it); `-` lowers it.
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1
wait_for 'floor 0\.000' 20
keys +
wait_for 'floor 0\.010' 5
wait_for 'training continues under' 5
keys + +
wait_for 'floor 0\.030' 5
keys -
wait_for 'floor 0\.020' 5
keys t
wait_for 'τ 0\.85' 5
keys T T
wait_for 'τ 0\.95' 5
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "floor and tau change on screen"
