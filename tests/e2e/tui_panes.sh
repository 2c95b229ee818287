#!/usr/bin/env bash
# The panes appear at 160×50 (full layout) and 80×24 (compact, gallery behind g).
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1
wait_for 'network' 20
for re in 'threshold' 'traced image' 'training' 'gallery' 'θ [0-9]\.[0-9]{3}' 'τ 0\.90' \
    'floor 0\.000' 'step [0-9]+ ' 'samples/s' 'pause' 'quit'; do
    wait_for "$re" 10
done
# the gallery fills after the first pass over the (small) sample test set
wait_for 'easiest: fewest parameters used' 30
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
T kill-server
start 80 24 --dataset sample --seed 1
wait_for 'network' 20
for re in 'traced image' 'training' 'θ [0-9]\.[0-9]{3}' 'τ 0\.90' 'floor 0\.000' 'step [0-9]+ '; do
    wait_for "$re" 10
done
cap | grep -q 'easiest' && fail "compact layout shows the gallery without g"
keys g
wait_for 'gallery' 10
wait_gone 'traced image' 5
keys c
wait_for 'confusion' 10
keys c
wait_for 'traced image' 5
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "panes ok at 160x50 and 80x24"
