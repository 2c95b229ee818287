#!/usr/bin/env bash
# Keys as people expect: Esc closes the help, q quits from anywhere but asks
# once when training is unsaved, S says where it saved and what it replaced,
# space pauses in draw mode too (Enter paints), keys that do nothing in a mode
# say why, a drawing's prediction is said to be live, --model counts on from
# the saved step, and --sdl says on screen that it is not there yet.
. "$(dirname "$0")/tui_common.bash"
start 80 24 --dataset sample --seed 1
wait_for 'network' 20
wait_for 'step [1-9][0-9]* ' 20
keys ?
wait_for 'keys and legend' 5
keys Escape
wait_gone 'keys and legend' 5
keys ?
wait_for 'keys and legend' 5
keys q
wait_for 'quit\? [0-9]+ minibatches are not saved' 5
cap | grep -q 'keys and legend' && fail "the help still hides the question"
[ -f "$TMPD/rc" ] && fail "q quit without asking"
keys x # any other key stays (and x says where it works)
wait_for 'x works in draw mode' 5
[ -f "$TMPD/rc" ] && fail "a key other than q/y quit"
# S: where and what it replaced
keys S
wait_for "saved step [0-9]+ \(epoch [0-9]+\) to $TMPD/rtviz.ckpt: a new file" 10
[ -s "$TMPD/rtviz.ckpt" ] || fail "S wrote no checkpoint"
wait_for 'step [2-9][0-9][0-9]+ ' 30 # long enough that a fresh run could not catch up at once
keys S
wait_for 'replaced step [0-9]+' 10
saved=$(cap | grep -oE 'saved step [0-9]+' | grep -oE '[0-9]+' | head -1)
[ -n "$saved" ] && [ "$saved" -ge 1 ] || fail "no saved step read"
# draw mode: live prediction, space pauses, n says why
keys d
wait_for 'prediction is' 5
wait_for ' live: it' 5 # wrapped in the narrow pane: "prediction is / live: it / follows / training"
keys Space
wait_for 'paused' 5
keys Enter
keys n
wait_for 'needs the test images; d goes back' 5
keys Space
wait_gone 'paused' 5
keys q
wait_for 'quit\?' 5
keys y
[ "$(wait_exit)" = 0 ] || fail "y did not quit with 0"
T kill-server; rm -f "$TMPD/rc"
# --model continues from the saved step
start 120 40 --dataset sample --model "$TMPD/rtviz.ckpt"
wait_for 'step [0-9]+ ' 20
n=$(step_count) # the first frame: a fresh run would be near 0
[ -n "$n" ] && [ "$n" -ge 1 ] || fail "no step counter"
[ "$n" -ge "$saved" ] || fail "loaded run counts from $n, not from the saved step $saved"
keys q q
[ "$(wait_exit)" = 0 ] || fail "q q did not quit"
echo "help, quit question, save report, draw-mode pause and --model step behave"
