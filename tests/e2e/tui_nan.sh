#!/usr/bin/env bash
# A NaN/Inf in training pauses the UI with an alert that says what happened
# and what to do (docs/UI.md, the alert). Forced through the engine itself: a
# checkpoint whose weights are finite but huge (×1e15) makes the first forward
# pass overflow, trainer_step rolls the step back and halves the learning rate.
. "$(dirname "$0")/tui_common.bash"
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to scale a checkpoint"; exit 77; }
"$RTVIZ" train --dataset sample --epochs 1 --limit 50 --threads 1 --blocks 4 --width 8 \
    --save "$TMPD/m.ckpt" >"$TMPD/train.out" 2>&1 || { cat "$TMPD/train.out"; fail "headless train"; }
base=$(python3 "$(dirname "$0")/scale_ckpt.py" "$TMPD/m.ckpt" "$TMPD/huge.ckpt" 1e15) ||
    fail "could not scale the checkpoint"
[ -n "$base" ] && [ "$base" -ge 1 ] || fail "no step in the checkpoint: $base"
start 160 50 --dataset sample --model "$TMPD/huge.ckpt" --threads 1
wait_for 'training paused' 30
# (each read as a wait: a screen captured while the alert is being painted is incomplete)
wait_for 'NaN or infinite' 5         # the alert says NaN
wait_for "at step $((base + 1)) " 5  # it names the step
wait_for '0.001 -> 0.0005' 5         # it gives the halved learning rate
wait_for 'space resumes' 5           # it says what to do
wait_for "step $base +paused" 5      # the stats pane: paused at the checkpoint's step
sleep 0.5
cap | grep -qE "step $base +paused" || fail "training went on after the NaN"
# space resumes at the halved rate; these weights overflow again: paused again
keys Space
wait_for '0.0005 -> 0.00025' 10
wait_for "step $base +paused" 5
# Esc hides the alert, training stays paused
keys Escape
wait_gone 'training paused' 5
wait_for "step $base +paused" 2
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "NaN/Inf at the first step after the checkpoint: paused with the alert; space retried at the halved rate; Esc hid it"
