#!/usr/bin/env bash
# Pausing stops the step counter; `.` trains exactly one minibatch; space resumes.
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1
wait_for 'step [1-9][0-9]* ' 30
keys Space
wait_for 'paused' 5
s1=$(step_count)
sleep 1
s2=$(step_count)
[ "$s1" = "$s2" ] || fail "step moved while paused: $s1 -> $s2"
keys .
wait_for "step $((s1 + 1)) " 5
keys Space
wait_gone 'paused  ' 5
past() { [ "$(step_count)" -gt $((s1 + 1)) ]; }
wait_until 10 past # training resumed: the counter moves on
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "pause stops the counter at $s1"
