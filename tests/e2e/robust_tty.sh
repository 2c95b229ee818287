#!/usr/bin/env bash
# robust_tty.sh — the interactive UI without a terminal, in a terminal too
# small, through a resize, and the terminal left as it was found after q and
# after SIGTERM (never leave a classroom terminal broken). Uses tmux
# on a private socket. Env: RTVIZ, RTVIZ_ROOT. Exit 0 pass, 77 skip, else fail.
set -u
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
tmp=$(mktemp -d)
# a fresh tmux server (private socket) for every session; all killed at exit
nsock=0
sock=rtviz-robust-$$-0
T() { tmux -L "$sock" "$@"; }
newsock() { nsock=$((nsock + 1)); sock=rtviz-robust-$$-$nsock; }
cleanup() { for i in $(seq 0 "$nsock"); do tmux -L "rtviz-robust-$$-$i" kill-server 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT

# 1) no terminal: a clear error, quickly, no hang
timeout 10 "$RTVIZ" --dataset sample </dev/null >"$tmp/o" 2>"$tmp/e"
rc=$?
cat "$tmp/e"
grep -q "not implemented" "$tmp/e" && skip "the interactive UI is not there yet"
[ "$rc" = 124 ] && fail "no terminal: still running after 10 s"
[ "$rc" = 1 ] || fail "no terminal: exit $rc, expected 1"
grep -qi "terminal" "$tmp/e" || fail "no terminal: the error does not say a terminal is needed"
echo "no terminal: exit 1, clear message"

command -v tmux >/dev/null || skip "tmux not installed"
export TERM=xterm-256color
# run CMD in a fresh tmux window of W x H; the pane's shell records stty before and after
start() { # W H
  rm -f "$tmp/rc" "$tmp/before" "$tmp/after"
  T kill-server 2>/dev/null
  newsock
  T new-session -d -x "$1" -y "$2" -s rt \
    "stty -g >'$tmp/before'; '$RTVIZ' --dataset sample --threads 1; echo \$? >'$tmp/rc'; stty -g >'$tmp/after'; sleep 30"
}
wait_for() { # REGEX SECONDS: until the pane shows REGEX
  for _ in $(seq $((${2} * 10))); do
    T capture-pane -p -t rt 2>/dev/null | grep -Eq "$1" && return 0
    sleep 0.1
  done
  T capture-pane -p -t rt
  return 1
}
wait_rc() { for _ in $(seq 100); do [ -s "$tmp/rc" ] && [ -s "$tmp/after" ] && return 0; sleep 0.1; done; return 1; }

# 2) too small: says so (and what size it needs), q still quits cleanly
start 30 8
wait_for 'enlarge|too small|bigger' 10 || fail "30x8: no 'terminal too small' message"
T capture-pane -p -t rt | grep -v '^ *$'
T send-keys -t rt q
wait_rc || fail "30x8: q did not quit"
[ "$(cat "$tmp/rc")" = 0 ] || fail "30x8: exit $(cat "$tmp/rc") after q"
cmp -s "$tmp/before" "$tmp/after" || fail "30x8: terminal modes changed: $(cat "$tmp/before") -> $(cat "$tmp/after")"
echo "too small: message shown, q exits 0, terminal restored"

# 3) small, then resized to a usable size: the message goes away and the UI draws
start 30 8
wait_for 'enlarge|too small|bigger' 10 || fail "no 'too small' message before the resize"
T resize-window -t rt -x 120 -y 40 2>/dev/null || T refresh-client -t rt -C 120x40 2>/dev/null
sleep 1.5
if T capture-pane -p -t rt | grep -Eq 'enlarge|too small'; then
  T capture-pane -p -t rt
  fail "after a resize to 120x40 the UI still says the terminal is too small"
fi
T send-keys -t rt q q # the UI is back: with unsaved training q asks once
wait_rc || fail "after resize: q did not quit"
cmp -s "$tmp/before" "$tmp/after" || fail "after resize: terminal modes changed"
echo "resize: the UI recovers"

# 4) SIGTERM while running full size: the terminal is restored
start 120 40
sleep 2
pid=$(pgrep -n -f -- "$RTVIZ --dataset sample --threads 1" || true)
[ -n "$pid" ] || fail "cannot find the running UI"
kill -TERM "$pid"
wait_rc || fail "SIGTERM: the UI did not exit"
cmp -s "$tmp/before" "$tmp/after" || fail "SIGTERM: terminal modes not restored: $(cat "$tmp/before") -> $(cat "$tmp/after")"
echo "SIGTERM: exit $(cat "$tmp/rc"), terminal restored"

# 5) an unknown TERM, and one that cannot position the cursor: a clear error
# naming it, exit 1, terminal untouched
for term in no-such-term dumb; do
  rm -f "$tmp/rc" "$tmp/before" "$tmp/after" "$tmp/err"
  T kill-server 2>/dev/null
  newsock
  T new-session -d -x 100 -y 30 -s rt \
    "stty -g >'$tmp/before'; TERM=$term '$RTVIZ' --dataset sample --threads 1 2>'$tmp/err'; echo \$? >'$tmp/rc'; stty -g >'$tmp/after'; sleep 30"
  wait_rc || { T send-keys -t rt q; fail "TERM=$term: still running (expected a clear error)"; }
  cat "$tmp/err"
  [ "$(cat "$tmp/rc")" = 1 ] || fail "TERM=$term: exit $(cat "$tmp/rc"), expected 1"
  grep -q "TERM=$term" "$tmp/err" || fail "TERM=$term: the error does not name the terminal type"
  cmp -s "$tmp/before" "$tmp/after" || fail "TERM=$term: terminal modes changed"
  echo "TERM=$term: clear error, terminal untouched"
done
