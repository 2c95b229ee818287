#!/usr/bin/env bash
# rtviz --tutorial: walk every chapter with ] at 160×50 (the pane beside the live view) and at
# 80×24 (the pane in the network's place) and see on screen "chapter N of M", the chapter's
# title and its question; `a` shows the answer, H hides the pane and shows the network, ] past the last chapter says so, [ goes back,
# --tutorial N starts at chapter N, a chapter that does not exist is a usage error.
. "$(dirname "$0")/tui_common.bash"
# the chapters and their models from this tree, wherever the binary under test lives
# (the sanitizer build is build/asan/rtviz, with no tutorial/ beside it)
export RTVIZ_TUTORIAL="$RTVIZ_ROOT/tutorial" RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
ROOT=${RTVIZ_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
"$RTVIZ" datasets | grep -q '^fashionmnist .* found$' ||
    { echo "Fashion-MNIST is not installed: the chapters are about it (scripts/deps.sh test installs it)"; exit 77; }
chapters=("$ROOT"/tutorial/[0-9][0-9]-*.md)
n=${#chapters[@]}
[ "$n" -ge 10 ] || fail "only $n chapters"
# the first three words of a chapter's title and of its question
words3() { awk '{ print $1, $2, $3; exit }'; }
title_of() { sed -n 's/^title: //p' "$1" | words3; }
question_of() { sed -n 's/^Q: //p' "$1" | words3; }
seen() { cap | grep -qF -- "$1"; }
wait_text() { wait_until "${2:-20}" seen "$1"; } # wait_text TEXT [SECONDS]

walk() { # walk W H
    start "$1" "$2" --tutorial
    for i in $(seq 1 "$n"); do
        f=${chapters[$((i - 1))]}
        wait_text "chapter $i of $n" 30
        t=$(title_of "$f")
        q=$(question_of "$f")
        wait_text "$t" 10
        wait_text "$q" 10
        seen "Answer:" && fail "$(basename "$f"): the answer shows before a is pressed"
        if [ "$i" = 1 ]; then
            keys a
            wait_text "Answer:" 5
            keys a
            wait_gone "Answer:" 5
            keys H # hide the pane: the network pane shows (at 80x24 it was covered)
            wait_gone "chapter 1 of" 5
            wait_text "─ network" 5
            keys H
            wait_text "chapter 1 of $n" 5
        fi
        [ "$i" -lt "$n" ] && keys ']'
    done
    keys ']'
    wait_text "this is the last chapter" 5
    keys '['
    wait_text "chapter $((n - 1)) of $n" 30
    keys q q # q asks once when training is unsaved
    [ "$(wait_exit 20)" = 0 ] || fail "q did not exit 0"
    T kill-server; rm -f "$TMPD/rc" "$TMPD/stty"
}
walk 160 50
walk 80 24

# --tutorial N starts there; a chapter that does not exist is a usage error
start 120 40 --tutorial 5
wait_text "chapter 5 of $n" 30
wait_text "$(title_of "${chapters[4]}")" 10
keys q q # q asks once when training is unsaved
[ "$(wait_exit 20)" = 0 ] || fail "q did not exit 0"
err=$(script -qec "$RTVIZ --tutorial 99" /dev/null 2>&1 </dev/null)
echo "$err" | grep -q "chapter 99 does not exist (the tutorial has $n)" || fail "--tutorial 99: $err"
echo "walked $n chapters at 160x50 and 80x24"
