#!/usr/bin/env bash
# A mouse click on a gallery image traces it (full layout, 160×50).
. "$(dirname "$0")/tui_common.bash"
start 160 50 --dataset sample --seed 1
wait_for 'easiest: fewest parameters used' 40
keys Space
wait_for 'paused' 5
before=$(cap | grep -oE '#[0-9]+ ' | head -1)
# where the strip and its hard row are: find the header rows on screen
hy=$(cap | grep -n 'hardest: most parameters used' | head -1 | cut -d: -f1)
[ -n "$hy" ] || fail "no gallery header"
y=$hy # first thumbnail row (0-based = 1-based header line)
for cell in 7 3; do
    click "$y" $((1 + cell * 13 + 3))
    # the status line says it first (read before it expires: a status lasts a few
    # seconds, which a slow build can spend drawing the trace), then the pane shows it
    wait_for 'tracing test image #[0-9]+' 5
    idx=$(cap | grep -oE 'tracing test image #[0-9]+' | head -1 | grep -oE '[0-9]+')
    wait_for "#$idx " 5
    if [ -z "${ASAN_OPTIONS:-}" ]; then
        wait_for "traced: #$idx" 5
    fi
    # the gallery marks the traced image wherever the latest test pass ranks it, or
    # nowhere once it left the twelve (the sanitizer build is slow enough for the pass
    # in progress at the pause to end after the click), never another image
    t=$(cap | grep -oE 'traced: #[0-9]+' | head -1 | grep -oE '[0-9]+' || true)
    [ -z "$t" ] || [ "$t" = "$idx" ] || fail "the gallery marks #$t as traced; the click traced #$idx"
    after=$(cap | grep -oE '#[0-9]+ ' | head -1)
    [ "$after" != "$before" ] && break
done
[ "$after" != "$before" ] || fail "the click did not change the traced image ($before)"
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
echo "click traced test image $idx (was $before)"
