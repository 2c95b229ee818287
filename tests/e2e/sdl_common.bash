# sdl_common.bash — helpers for the projector window's tests (tests/e2e/sdl_*.sh),
# on top of tui_common.bash: a private Xvfb, the window's state log
# (RTVIZ_SDL_LOG), the window found through the X server. Every wait polls a
# condition with a generous deadline (a loaded 2-core machine, the sanitizer
# build), never a fixed sleep.
. "$(dirname "${BASH_SOURCE[0]}")/tui_common.bash"
command -v Xvfb >/dev/null 2>&1 || { echo "Xvfb is not installed (Debian: xvfb)"; exit 77; }
command -v xdotool >/dev/null 2>&1 || { echo "xdotool is not installed"; exit 77; }
SDL_T=${RTVIZ_SDL_TEST_SECS:-60} # the deadline of every wait, seconds
XPID= WMPID=

# start_x WxH: a free display (Xvfb picks it and writes its number to fd 3);
# DISPLAY is set. Exits 77 only when Xvfb cannot start.
start_x() {
    exec 3>"$TMPD/display"
    Xvfb -displayfd 3 -screen 0 "${1}x24" -nolisten tcp >"$TMPD/xvfb.log" 2>&1 &
    XPID=$!
    exec 3>&-
    trap 'stop_x; cleanup' EXIT
    local i
    for i in $(seq 1 $((SDL_T * 20))); do [ -s "$TMPD/display" ] && break; sleep 0.05; done
    [ -s "$TMPD/display" ] || { echo "Xvfb could not start: $(tail -1 "$TMPD/xvfb.log")"; exit 77; }
    export DISPLAY=:$(head -1 "$TMPD/display")
}
stop_x() {
    [ -n "$WMPID" ] && kill "$WMPID" 2>/dev/null
    [ -n "$XPID" ] && kill "$XPID" 2>/dev/null
}

export RTVIZ_SDL_LOG=$TMPD/sdl.log
LOG=$RTVIZ_SDL_LOG
# wait_log REGEX [SECONDS]: until the window's state log has a line matching
wait_log() {
    local re=$1 t=${2:-$SDL_T} i=0
    while [ "$i" -lt $((t * 20)) ]; do
        grep -qE -- "$re" "$LOG" 2>/dev/null && return 0
        sleep 0.05
        i=$((i + 1))
    done
    echo "--- window log:"; tail -8 "$LOG" 2>/dev/null
    fail "timed out after ${t}s waiting for /$re/ in the window's log"
}
last_state() { grep '^sdl step' "$LOG" | tail -1; }

# win_id: the window's X id once it is mapped (waits), in $WID.
win_id() {
    WID=$(timeout "$SDL_T" xdotool search --sync --onlyvisible --classname rtviz 2>>"$TMPD/xdo.err" | head -1)
    [ -n "$WID" ] || fail "no window on $DISPLAY within ${SDL_T}s: $(tail -1 "$TMPD/xdo.err" 2>/dev/null)"
}

# wait_closed: until no rtviz window is left.
wait_closed() {
    local i
    for i in $(seq 1 $((SDL_T * 20))); do
        xdotool search --classname rtviz >/dev/null 2>&1 || return 0
        sleep 0.05
    done
    fail "the window did not close within ${SDL_T}s"
}
