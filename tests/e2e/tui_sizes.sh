#!/usr/bin/env bash
# 80×24 and 120×40 are first-class: the key line keeps `? help` and `q quit`
# and pages (Tab) through every other key; the gauge keeps tick values; draw
# mode keeps its numbers; the compact gallery shows fewer, bigger images with
# readable captions; messages wrap instead of being cut; at 200×60 the image
# grows to twice its size.
. "$(dirname "$0")/tui_common.bash"
NORMAL_KEYS='space pause|n/p image|←/→ θ|r replay|g gallery|d draw|l load|\+/- floor|\{/\} pace|</> sweep|s step θ|c confusion|t/T τ|\. step|S save|R restart'
for size in "80 24" "120 40" "160 50"; do
    set -- $size
    start "$1" "$2" --dataset sample --seed 1
    wait_for 'network' 20
    wait_for 'test +[0-9.]+%' 30
    seen=""
    keyline_ok() { cap | tail -1 | grep -qE '\? help +q quit *$'; }
    for page in 1 2 3 4; do
        # (a page change repaints the whole screen: the line is read once it is drawn)
        wait_until 5 keyline_ok
        line=$(cap | tail -1)
        seen="$seen $line"
        pages=$(printf '%s' "$line" | grep -oE 'Tab [0-9]+/[0-9]+' | grep -oE '[0-9]+/[0-9]+')
        [ -n "$pages" ] || break
        pg=${pages%/*} np=${pages#*/}
        [ "$page" -lt "$np" ] || break
        keys Tab
        wait_for "Tab $((pg < np ? pg + 1 : 1))/$np" 5 # the next page is drawn
    done
    IFS='|' read -ra want <<<"$NORMAL_KEYS"
    for k in "${want[@]}"; do
        printf '%s' "$seen" | grep -qE -- "$k" || fail "$1x$2: '$k' on no page of the key line: $seen"
    done
    # the gauge's tick values
    cap | sed -n 3p | grep -qE '\.50 ' || fail "$1x$2: no tick values under the gauge"
    # a message wraps rather than being cut
    keys +
    wait_for 'θ floor 0\.010' 5
    wait_for 'new floor' 5 # the floor message wraps, not cut
    # draw mode keeps its numbers
    keys d
    wait_for 'act [0-9.]+%' 5
    wait_for 'blocks [0-9]+/[0-9]+' 5
    wait_for 'stop θ [0-9]\.[0-9]{3}' 5
    keys d
    if [ "$1" = 80 ]; then # the compact gallery: fewer, bigger, readable
        keys g
        wait_for 'the first of each 12' 5
        n=$(cap | grep -oE '[0-9]+%(✓|✗)[A-Z][a-z/-]{2,}' | wc -l)
        [ "$n" -ge 8 ] || fail "80x24: $n readable gallery captions"
        keys g
    fi
    keys q q
    wait_exit >/dev/null
    T kill-server; rm -f "$TMPD/rc"
done
start 200 60 --dataset sample --seed 1
wait_for 'traced image' 20
wait_for '▀{40,}' 10 # the image at twice its size: 56 columns of half blocks
keys q q
wait_exit >/dev/null
echo "key line pages keep ? help and q quit; ticks, draw numbers, gallery and messages fit; 200x60 grows"
