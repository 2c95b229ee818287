#!/usr/bin/env bash
# Resize to 40×10 shows the enlarge message; back to 80×24 recovers.
. "$(dirname "$0")/tui_common.bash"
start 80 24 --dataset sample --seed 1
wait_for 'network' 20
T resize-window -x 40 -y 10
wait_for 'enlarge to 64×20' 5
cap | grep -q 'network' && fail "panes drawn on a 40x10 screen"
T resize-window -x 80 -y 24
wait_for 'network' 5
wait_gone 'enlarge' 5
T resize-window -x 160 -y 50
wait_for 'easiest|waiting for the first pass' 10
keys C-l
wait_for 'network' 5
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "resize recovers"
