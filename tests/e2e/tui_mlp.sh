#!/usr/bin/env bash
# --arch mlp: the network pane draws the dense layers (always lit, 100%) and
# the class flows; the gauge and θ keys say there is no θ; training runs.
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1 --threads 1 --arch mlp --hidden 64,32
wait_for 'fc2' 30
s=$(cap)
echo "$s" | grep -q 'fc1' || fail "no first dense layer drawn"
echo "$s" | grep -qE ' 64 .* 32 ' || fail "the layer widths (64, 32) are not shown"
echo "$s" | grep -q '100%.*100%' || fail "the layers are not shown 100% active"
echo "$s" | grep -q 'dense MLP: every layer computes' || fail "no MLP caption"
echo "$s" | grep -q 'no θ, no sweep' || fail "the gauge shows a θ for an MLP"
echo "$s" | grep -q 'act 100.0%  layers 2/2' || fail "the image pane does not show 100% and 2/2 layers"
echo "$s" | grep -q 'dense: no θ sweep' || fail "the image pane shows a stop θ for an MLP"
wait_for 'step [1-9][0-9]* ' 20
wait_for 'no easy or hard' 30 # the gallery does not pretend to rank an MLP's images
keys r
wait_for 'dense MLP: no θ, floor, τ or sweep' 5
keys +
wait_for 'dense MLP: no θ, floor, τ or sweep' 5
cap | grep -q 'floor 0.000' || fail "+ changed a floor the MLP does not have"
# the compact layout draws it too
T resize-window -x 80 -y 24 2>/dev/null || T resize-window -t 0 -x 80 -y 24
wait_for 'fc1' 10
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "MLP drawn as dense always-lit layers; θ keys explain there is no θ"
