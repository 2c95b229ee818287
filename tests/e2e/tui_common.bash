# tui_common.bash — helpers sourced by tests/e2e/tui_*.sh: run rtviz inside a
# private tmux server, poll its screen with a timeout (no fixed sleeps).
# Env: RTVIZ = the binary, RTVIZ_ROOT = the repo root.
set -u
RTVIZ=${RTVIZ:-$(cd "$(dirname "$0")/../.." && pwd)/rtviz}
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 77; }
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 1; }
SOCK=rtviz-test-$$
TMPD=$(mktemp -d)
T() { tmux -L "$SOCK" -f "$TMPD/tmux.conf" "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$TMPD"; }
trap cleanup EXIT
term=tmux-256color
infocmp "$term" >/dev/null 2>&1 || term=screen-256color
printf 'set -g default-terminal %s\nset -g status off\nset -g remain-on-exit off\n' "$term" \
    >"$TMPD/tmux.conf"

fail() { echo "FAIL: $*"; echo "--- screen:"; cap; exit 1; }

# start W H ARGS...: rtviz in a W×H pane; its exit code lands in $TMPD/rc and
# the terminal modes after it in $TMPD/stty.
start() {
    local w=$1 h=$2
    shift 2
    printf '%q ' "$RTVIZ" "$@" >"$TMPD/cmd"
    cat >"$TMPD/run.sh" <<EOS
cd "$TMPD"
$(cat "$TMPD/cmd")
echo \$? >"$TMPD/rc.tmp"; mv "$TMPD/rc.tmp" "$TMPD/rc"
stty -a >"$TMPD/stty" 2>&1
echo "AFTER-EXIT"
sleep 60
EOS
    # a server killed a moment ago may still hold the socket: retry briefly
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        T new-session -d -x "$w" -y "$h" "bash $TMPD/run.sh" 2>"$TMPD/tmux.err" && return 0
        sleep 0.2
    done
    fail "tmux did not start: $(cat "$TMPD/tmux.err")"
}

cap() { T capture-pane -p 2>/dev/null; }

# wait_for REGEX [SECONDS]: poll the screen until it matches (grep -E).
wait_for() {
    local re=$1 t=${2:-20} i=0
    while [ "$i" -lt $((t * 20)) ]; do
        cap | grep -qE -- "$re" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "timed out after ${t}s waiting for /$re/"
}

# wait_gone REGEX [SECONDS]
wait_gone() {
    local re=$1 t=${2:-20} i=0
    while [ "$i" -lt $((t * 20)) ]; do
        cap | grep -qE -- "$re" || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "timed out after ${t}s waiting for /$re/ to go"
}

# The training step counter of the stats pane ("step N", not the gauge's "step 3/11").
step_count() { cap | grep -oE 'step [0-9]+([^0-9/]|$)' | head -1 | grep -oE '[0-9]+'; }

# wait_exit [SECONDS]: until rtviz has exited; echoes its exit code.
wait_exit() {
    local t=${1:-10} i=0
    while [ "$i" -lt $((t * 20)) ]; do
        [ -f "$TMPD/rc" ] && { cat "$TMPD/rc"; return 0; }
        sleep 0.05
        i=$((i + 1))
    done
    fail "rtviz did not exit within ${t}s"
}

keys() { T send-keys "$@"; }

# click Y X: a left click at screen cell (Y, X) (0-based) as the xterm X10
# mouse report the terminal sends (press, then release).
click() {
    local y=$1 x=$2
    T send-keys -H 1b 5b 4d 20 "$(printf %02x $((x + 33)))" "$(printf %02x $((y + 33)))"
    sleep 0.05 # a hand's click: press, a moment, release
    T send-keys -H 1b 5b 4d 23 "$(printf %02x $((x + 33)))" "$(printf %02x $((y + 33)))"
}
