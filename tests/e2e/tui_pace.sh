#!/usr/bin/env bash
# A class can follow it: --pace and { } set the training pace (minibatches per
# second, always on screen), < > the sweep's speed (on the gauge), s steps the
# sweep one θ per key. Checked by counting steps over measured intervals.
. "$(dirname "$0")/tui_common.bash"
now() { date +%s.%N; }
# rate over about SECONDS: training steps per second, as the stats pane counts them
rate() {
    local t0 s0 t1 s1
    t0=$(now); s0=$(step_count)
    sleep "$1"
    t1=$(now); s1=$(step_count)
    awk -v a="$s0" -v b="$s1" -v t="$t0" -v u="$t1" 'BEGIN { printf "%.2f", (b - a) / (u - t) }'
}
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
# The sanitizer build (make test-asan sets ASAN_OPTIONS) trains a minibatch in ~0.3 s here:
# there the two paces are 1/s and 2/s and full speed need only beat them.
if [ -n "${ASAN_OPTIONS:-}" ]; then
    pa=1 pb=2 lo_a=0.6 hi_a=1.4 lo_b=1.3 hi_b=2.6 full_min=1.5 secs=6
else
    pa=5 pb=10 lo_a=3.5 hi_a=6 lo_b=7 hi_b=12 full_min=15 secs=4
fi
start 120 40 --dataset sample --seed 1 --pace "$pa" --threads 1
wait_for "pace $pa/s" 20
wait_for 'step [1-9][0-9]* ' 20
r5=$(rate "$secs")
within "$r5" "$lo_a" "$hi_a" || fail "--pace $pa trained $r5 minibatches a second"
keys '}'
wait_for "pace $pb/s" 5
r10=$(rate "$secs")
within "$r10" "$lo_b" "$hi_b" || fail "} (pace $pb) trained $r10 minibatches a second"
ratio=$(awk -v a="$r5" -v b="$r10" 'BEGIN { printf "%.2f", b / a }')
within "$ratio" 1.5 2.6 || fail "$pb/s vs $pa/s: ratio $ratio"
keys '}' '}' '}' '}' '}' '}' '}' '}'
wait_for 'pace full speed' 5
rf=$(rate 3)
within "$rf" "$full_min" 1000000 || fail "full speed trained only $rf minibatches a second"
keys '{' '{' '{' '{' '{' '{' '{' '{' '{'
wait_for 'pace 1/s' 5
echo "pace: $pa/s -> $r5, $pb/s -> $r10 (ratio $ratio), full speed -> $rf minibatches/s"

# the sweep's speed: ms per θ step measured on the gauge during a replay
keys Space
wait_for 'paused' 5
sweep_ms() { # replay and time the gauge's steps: ms per step
    keys r
    local last="" t first_t="" first_k="" k lt lk end
    end=$(deadline 15)
    while [ "$(now_ms)" -lt "$end" ]; do
        k=$(cap | grep -oE 'step [0-9]+/[0-9]+ sweeping' | grep -oE '^step [0-9]+' | grep -oE '[0-9]+')
        t=$(now)
        if [ -n "$k" ] && [ "$k" != "$last" ]; then
            [ -z "$first_t" ] && { first_t=$t; first_k=$k; }
            lt=$t; lk=$k; last=$k
        fi
        [ -z "$k" ] && [ -n "$first_t" ] && break
        sleep 0.02
    done
    [ -n "$first_t" ] && [ "$lk" -gt "$first_k" ] || { echo 0; return; }
    awk -v a="$first_t" -v b="$lt" -v n=$((lk - first_k)) 'BEGIN { printf "%.0f", 1000 * (b - a) / n }'
}
keys '<' '<'
wait_for 'sweep 600 ms/θ' 5
m600=$(sweep_ms)
keys '>'
wait_for 'sweep 300 ms/θ' 5
m300=$(sweep_ms)
within "$m600" 450 800 || fail "sweep at 600 ms/θ measured $m600 ms per step"
within "$m300" 220 420 || fail "sweep at 300 ms/θ measured $m300 ms per step"
echo "sweep: 600 ms/θ -> $m600 ms, 300 ms/θ -> $m300 ms per step"

# step mode: the sweep waits for → at every θ
keys s
wait_for 'step mode: → next θ' 5
keys r
wait_for 'step 1/[0-9]+' 5
keys Right
wait_for 'step 2/[0-9]+' 5
sleep 1
cap | grep -qE 'step 2/[0-9]+' || fail "step mode: the sweep moved on its own"
keys q q
[ "$(wait_exit)" = 0 ] || fail "q did not quit"
echo "step mode waits for →"
