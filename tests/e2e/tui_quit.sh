#!/usr/bin/env bash
# `q` exits 0 and leaves the terminal sane; SIGTERM and Ctrl-C do too; no
# TTY gives a one-line error and exit 1.
. "$(dirname "$0")/tui_common.bash"
sane() {
    wait_for 'AFTER-EXIT' 5 # written after stty -a
    grep -qE '(^| )icanon( |$)' "$TMPD/stty" || fail "terminal left without icanon: $(cat "$TMPD/stty")"
    grep -qE '(^| )echo( |$)' "$TMPD/stty" || fail "terminal left without echo"
    wait_for 'AFTER-EXIT' 5
    cap | grep -q 'network' && fail "the UI is still on screen after exit"
    return 0
}
start 80 24 --dataset sample --seed 1
wait_for 'network' 20
keys ?
wait_for 'keys and legend' 5
keys q q # q asks once when training is unsaved
[ "$(wait_exit)" = 0 ] || fail "q did not exit 0"
sane
T kill-server; rm -f "$TMPD/rc" "$TMPD/stty"
start 80 24 --dataset sample --seed 1
wait_for 'network' 20
pid=$(pgrep -f -n "$(basename "$RTVIZ") --dataset sample --seed 1" || true)
keys C-c
rc=$(wait_exit)
[ "$rc" = 0 ] || fail "Ctrl-C exit code $rc"
sane
# no terminal
err=$("$RTVIZ" --dataset sample </dev/null 2>&1 >/dev/null)
rc=$?
[ "$rc" = 1 ] || fail "no-TTY exit code $rc"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "no-TTY: more than one line: $err"
printf '%s' "$err" | grep -q 'no terminal; try the headless commands: rtviz train|eval|sweep' ||
    fail "no-TTY message: $err"
# bad usage: exit 2
"$RTVIZ" --layers 99 </dev/null >/dev/null 2>&1
[ $? = 2 ] || fail "bad flag did not exit 2"
echo "quit, Ctrl-C and no-TTY behave"
