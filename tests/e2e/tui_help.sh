#!/usr/bin/env bash
# The `?` overlay at 80×24: it does not fit, so it scrolls and says so; the
# last key (q) and the legend's last line are reachable; another key closes it.
. "$(dirname "$0")/tui_common.bash"
start 80 24 --dataset sample --seed 1 --threads 1
wait_for 'step [0-9]+ ' 30
keys '?'
wait_for 'lines 1-[0-9]+ of [0-9]+' 5
wait_for 'scroll' 5                          # the overlay says it scrolls
wait_for 'space +pause / resume training' 5 # the first key is shown
keys NPage # the last key (q) is on the second page
wait_for '│ q +quit' 5
keys Home
wait_for 'lines 1-' 5
keys End
wait_for '\(end\)' 5
wait_for 'hides it\.' 5 # the legend's last line is reachable
keys PPage
wait_gone '\(end\)' 5
keys Home
wait_for 'lines 1-' 5
keys x # any other key closes it
wait_gone 'lines 1-' 5
wait_for 'threshold' 5
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "help at 80x24: scrolls to the legend's end and closes"
