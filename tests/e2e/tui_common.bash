# tui_common.bash — helpers sourced by tests/e2e/tui_*.sh: run rtviz inside a
# private tmux server, poll its screen with a deadline (no fixed sleeps to
# wait for something: a wait returns once its condition holds).
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

# Deadlines. Every wait below polls for its condition and returns as soon as
# it holds, so a generous deadline costs nothing when things go right; it only
# decides how long a real failure takes to say so. The SECONDS a script gives
# are what a quiet machine needs; they are scaled by TUI_SLOW (3, or 6 under
# the sanitizer build, which make test-asan marks with ASAN_OPTIONS; the
# environment can set it) so the scripts hold on a loaded 2-core machine.
if [ -z "${TUI_SLOW:-}" ]; then
    TUI_SLOW=3
    [ -n "${ASAN_OPTIONS:-}" ] && TUI_SLOW=6
fi
now_ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }
# deadline SECONDS: the wall-clock time (ms) a wait of SECONDS, scaled, ends at
deadline() { echo $(($(now_ms) + ${1:-20} * 1000 * TUI_SLOW)); }

# wait_until SECONDS CMD...: poll CMD until it succeeds (0), or fail.
wait_until() {
    local t=$1 end
    shift
    end=$(deadline "$t")
    while :; do
        "$@" && return 0
        [ "$(now_ms)" -lt "$end" ] || fail "timed out after $((t * TUI_SLOW))s waiting for: $*"
        sleep 0.05
    done
}

# wait_for REGEX [SECONDS]: poll the screen until it matches (grep -E).
wait_for() {
    local re=$1 t=${2:-20} end
    end=$(deadline "$t")
    while :; do
        cap | grep -qE -- "$re" && return 0
        [ "$(now_ms)" -lt "$end" ] || fail "timed out after $((t * TUI_SLOW))s waiting for /$re/"
        sleep 0.05
    done
}

# wait_gone REGEX [SECONDS]
wait_gone() {
    local re=$1 t=${2:-20} end
    end=$(deadline "$t")
    while :; do
        cap | grep -qE -- "$re" || return 0
        [ "$(now_ms)" -lt "$end" ] || fail "timed out after $((t * TUI_SLOW))s waiting for /$re/ to go"
        sleep 0.05
    done
}

# The training step counter of the stats pane ("step N", not the gauge's "step 3/11").
step_count() { cap | grep -oE 'step [0-9]+([^0-9/]|$)' | head -1 | grep -oE '[0-9]+'; }

# wait_exit [SECONDS]: until rtviz has exited; echoes its exit code.
wait_exit() {
    local t=${1:-10} end
    end=$(deadline "$t")
    while :; do
        [ -f "$TMPD/rc" ] && { cat "$TMPD/rc"; return 0; }
        [ "$(now_ms)" -lt "$end" ] || fail "rtviz did not exit within $((t * TUI_SLOW))s"
        sleep 0.05
    done
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
