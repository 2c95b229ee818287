#!/usr/bin/env bash
# Nothing on screen contradicts itself: the network's class column says it
# shows flows o_c and the image pane's bars say they are p; the image pane
# says it is live and the gallery says it is the last test pass; each layer's
# parameters per block are shown; no block reads ".00" once θ is 0.
. "$(dirname "$0")/tui_common.bash"
for size in "160 50" "120 40" "80 24"; do
    set -- $size
    start "$1" "$2" --dataset sample --seed 1
    wait_for 'network' 20
    wait_for 'network · right: flow o_c' 5
    wait_for 'bars: p' 5
    if [ "$1" -ge 120 ]; then
        wait_for 'traced image · live' 5
        wait_for 'gallery · the last full test pass' 20
        wait_for 'easiest: fewest parameters used, then earliest stop, then surest' 20
        wait_for 'hardest: most parameters used, then latest stop, then least sure' 5
    fi
    if [ "$1" -ge 160 ]; then
        wait_for '6280 +38072/blk +2744/blk +2842/blk' 5
    elif [ "$1" -ge 120 ]; then
        wait_for 'params per block L1 38072 L2 2744 L3 2842' 5
    fi
    # the θ = 0 step: every block with any rate is lit, and none reads .00
    keys Space
    wait_for 'paused' 5
    keys End Right Right Right Right Right Right Right Right Right Right Right
    wait_for 'θ 0\.000' 5
    sleep 0.3
    nw=$(($1 - 58)) # the network pane's width: full layout, or compact (the image keeps 48 at most)
    [ "$1" -lt 120 ] && nw=$(($1 - ($1 - 36 < 48 ? $1 - 36 : 48)))
    net=$(cap | sed -n '5,$p' | LC_ALL=C.UTF-8 awk -v n="$nw" '{ print substr($0, 1, n) }')
    printf '%s\n' "$net" | grep -qE '(^|[^0-9A-Za-z])\.00( |│|$)' &&
        { printf '%s\n' "$net" | grep -E '\.00'; fail "$1x$2: a block reads .00 at θ 0"; }
    keys q q
    wait_exit >/dev/null
    T kill-server; rm -f "$TMPD/rc"
done
echo "labels, sources and parameters per block said; no lit block reads .00"
