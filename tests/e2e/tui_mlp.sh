#!/usr/bin/env bash
# --arch mlp: the network pane draws the dense layers (always lit, 100%) and
# the class flows; the gauge and θ keys say there is no θ; training runs.
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1 --threads 1 --arch mlp --hidden 64,32
wait_for 'fc2' 30
# (each a wait: a screen captured while the first frames are painted is incomplete)
wait_for 'fc1' 5 # else: no first dense layer drawn
wait_for ' 64 .* 32 ' 5 # else: the layer widths (64, 32) are not shown
wait_for '100%.*100%' 5 # else: the layers are not shown 100% active
wait_for 'dense MLP: every layer computes' 5 # else: no MLP caption
wait_for 'no θ, no sweep' 5 # else: the gauge shows a θ for an MLP
wait_for 'act 100.0%  layers 2/2' 5 # else: the image pane does not show 100% and 2/2 layers
wait_for 'dense: no θ sweep' 5 # else: the image pane shows a stop θ for an MLP
wait_for 'step [1-9][0-9]* ' 20
wait_for 'no easy or hard' 30 # the gallery does not pretend to rank an MLP's images
keys r
wait_for 'dense MLP: no θ, floor, τ or sweep' 5
keys +
wait_for 'dense MLP: no θ, floor, τ or sweep' 5
wait_for 'floor 0.000' 5 # + changed no floor: the MLP has none
# the compact layout draws it too
T resize-window -x 80 -y 24 2>/dev/null || T resize-window -t 0 -x 80 -y 24
wait_for 'fc1' 10
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "MLP drawn as dense always-lit layers; θ keys explain there is no θ"
