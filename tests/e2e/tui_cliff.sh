#!/usr/bin/env bash
# The θ floor never silently kills training: the gauge shows the cliff (the
# highest floor at which most test images still reach the output); a floor
# above it brings a plain warning with the key that undoes it; the unreached
# total counts since the floor was set; status messages expire.
. "$(dirname "$0")/tui_common.bash"
start 120 40 --dataset sample --seed 1 --threads 1
wait_for 'cliff 0\.[0-9]{2}' 20
cliff=$(cap | grep -oE 'cliff 0\.[0-9]{2}' | head -1 | grep -oE '0\.[0-9]+')
wait_for 'test +[0-9.]+%' 30
# a floor set at step 0 counts from the start ("N total"): set it after a step
wait_for 'epoch [0-9]+ \([0-9]+%\) +step [1-9]' 30
keys + # one step: a floor message, which expires
wait_for 'θ floor 0\.010' 5
wait_gone 'θ floor 0\.010' 8
wait_for 'unreached [0-9]+ \([0-9]+ since step [0-9]+\)' 5
for i in $(seq 1 30); do keys +; done
wait_for 'floor 0\.2[0-9]0' 5
top=$(cap | grep -oE 'floor 0\.[0-9]{3}' | head -1 | grep -oE '0\.[0-9]+')
if awk -v c="$cliff" -v t="$top" 'BEGIN { exit !(t > c + 0.001) }'; then
    wait_for 'of training images reach no output' 15
    wait_for 'lowers the floor' 5
    for i in $(seq 1 30); do keys -; done
    wait_for 'floor 0\.000' 5
    wait_gone 'of training images reach no output' 15
    echo "floor $top above the cliff $cliff: warned, and - undid it"
else
    echo "the cliff $cliff is at the top floor $top: no warning due"
fi
keys q q
[ "$(wait_exit)" = 0 ] || fail "q did not quit"
echo "cliff shown, unreached counted since the floor was set, messages expire"
