#!/usr/bin/env bash
# The projector window's speed, side by side in one run (docs/UI.md records
# the figures): the terminal UI's training speed alone, with the window open
# (it redraws when something moves), with the window animating the sweep over
# and over at up to 60 frames/s (RTVIZ_SDL_CONTINUOUS=1: the frame rate it
# sustains at SIZE with SDL's software renderer while training runs), and
# with every one of those frames drawn and sent whole (=full: no pane
# skipped). RTVIZ_SDL_BENCH_BEFORE=BINARY adds a run of another build (an
# older commit's rtviz) with RTVIZ_SDL_CONTINUOUS=1, for before / after in the
# same run. Every run presses n in the terminal every 2 s (a new image: its
# sweep animates in both front ends). With RTVIZ_SDL_BENCH_ROUNDS=R the runs
# are repeated R times, interleaved, each round between two runs of the
# terminal alone (its reference), and the medians are printed: other
# processes on the machine move one run's training speed by more than the
# window does. The machine's load is printed before and after. Needs Xvfb,
# xdotool, tmux. A benchmark, not a test: `make bench-sdl`. Env:
# RTVIZ_SDL_BENCH_SECS (15), RTVIZ_SDL_BENCH_SIZE (1920x1080),
# RTVIZ_SDL_BENCH_THREADS (2), RTVIZ_SDL_BENCH_DATASET (fashionmnist),
# RTVIZ_SDL_BENCH_BEFORE (none), RTVIZ_SDL_BENCH_ROUNDS (1).
export RTVIZ_ROOT=${RTVIZ_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export RTVIZ=${RTVIZ:-$RTVIZ_ROOT/rtviz}
. "$RTVIZ_ROOT/tests/e2e/tui_common.bash"
command -v Xvfb >/dev/null 2>&1 || { echo "Xvfb is not installed (Debian: xvfb)"; exit 77; }
secs=${RTVIZ_SDL_BENCH_SECS:-15} size=${RTVIZ_SDL_BENCH_SIZE:-1920x1080}
th=${RTVIZ_SDL_BENCH_THREADS:-2} ds=${RTVIZ_SDL_BENCH_DATASET:-fashionmnist}
"$RTVIZ" datasets 2>/dev/null | grep -q "^$ds " || { echo "dataset $ds is not installed"; exit 77; }
exec 3>"$TMPD/display"
Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp >"$TMPD/xvfb.log" 2>&1 &
XPID=$!
exec 3>&-
trap 'kill $XPID 2>/dev/null; cleanup' EXIT
for i in $(seq 1 100); do [ -s "$TMPD/display" ] && break; sleep 0.05; done
[ -s "$TMPD/display" ] || { echo "Xvfb could not start"; exit 77; }
export DISPLAY=:$(head -1 "$TMPD/display")

# run NAME [rtviz flags...]: the terminal UI for $secs seconds (n / p every 2 s)
xcpu() { # the X server's CPU seconds so far (user + system)
    awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$XPID/stat"
}
run() {
    local name=$1
    shift
    local x0
    x0=$(xcpu)
    rm -f "$TMPD/rc"
    T kill-server >/dev/null 2>&1
    start 160 50 --dataset "$ds" --threads "$th" --seed 1 "$@"
    wait_for 'floor 0\.' 60
    local t=0
    while [ "$t" -lt "$secs" ]; do
        sleep 2
        keys n
        t=$((t + 2))
    done
    keys q q # q asks once when training is unsaved
    wait_exit 30 >/dev/null
    echo "$x0 $(xcpu)" >"$TMPD/x.$name"
    mv "$TMPD/fs" "$TMPD/fs.$name"
    [ -f "$TMPD/sdl" ] && mv "$TMPD/sdl" "$TMPD/sdl.$name"
    return 0
}
rounds=${RTVIZ_SDL_BENCH_ROUNDS:-1}
before=${RTVIZ_SDL_BENCH_BEFORE:-}
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); $rounds round(s)"
export RTVIZ_FRAME_STATS=$TMPD/fs
for r in $(seq 1 "$rounds"); do
    run "alone.$r"
    RTVIZ_SDL_STATS=$TMPD/sdl run "window.$r" --sdl --size "$size"
    RTVIZ_SDL_STATS=$TMPD/sdl RTVIZ_SDL_CONTINUOUS=1 run "continuous.$r" --sdl --size "$size"
    RTVIZ_SDL_STATS=$TMPD/sdl RTVIZ_SDL_CONTINUOUS=full run "whole.$r" --sdl --size "$size"
    if [ -n "$before" ]; then
        (RTVIZ=$before RTVIZ_SDL_STATS=$TMPD/sdl RTVIZ_SDL_CONTINUOUS=1 run "before.$r" --sdl --size "$size")
    fi
done
run "alone.$((rounds + 1))"
[ -n "$before" ] && echo "before: $before"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$TMPD" "$rounds" <<'PY'
import os, re, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
def sps(name):
    for l in open(f"{d}/fs.{name}"):
        m = re.search(r'ui_samples_per_s ([\d.]+)', l)
        if m: return float(m.group(1))
def sdl(name):
    try:
        for l in open(f"{d}/sdl.{name}"):
            if l.startswith('sdl_summary'):
                w = l.split()[1:]
                return dict(zip(w[0::2], w[1::2]))
    except OSError:
        return {}
    return {}
alone = [sps(f"alone.{r}") for r in range(1, rounds + 2)]
print("terminal alone:        %6.0f samples/s (median of runs %s)" % (
      statistics.median(alone), ", ".join("%.0f" % a for a in alone)))
# each round's runs against the mean of the two alone runs around them
runs = [('window', 'window open'), ('continuous', 'window at full rate'),
        ('whole', 'whole frames')]
if os.path.exists(f"{d}/fs.before.1"):
    runs.append(('before', 'before, full rate'))
for name, what in runs:
    shares, fpss = [], []
    for r in range(1, rounds + 1):
        s, kv = sps(f"{name}.{r}"), sdl(f"{name}.{r}")
        ref = (alone[r - 1] + alone[r]) / 2
        shares.append(100 * s / ref)
        if 'fps' in kv: fpss.append(float(kv['fps']))
        print("%sterminal + %-11s %6.0f samples/s = %5.1f%% of alone; window: %s frames/s, %s ms CPU a frame "
              "(avg wall %s, p95 %s), %s" % ("[%d] " % r if rounds > 1 else "", what + ":", s, 100 * s / ref, kv.get('fps', '?'),
              kv.get('draw_cpu_ms_avg', '?'), kv.get('draw_ms_avg', '?'), kv.get('draw_ms_p95', '?'),
              kv.get('size', '?')))
        if 'sent_share' in kv:
            print("    %s: %s of the frame's pixels sent a frame, background drawn %s times, network "
                  "pictures %s" % (name, kv['sent_share'], kv.get('bg_draws', '?'), kv.get('net_draws', '?')))
        try:
            x0, x1 = map(float, open(f"{d}/x.{name}.{r}").read().split())
            fr = int(kv.get('frames', 0))
            print("    %s: the X server (Xvfb) used %.2f s of CPU%s" % (
                  name, x1 - x0, ", %.2f ms a frame" % (1000 * (x1 - x0) / fr) if fr else ""))
        except (OSError, ValueError):
            pass
        if 'late' in kv and name != 'window':
            print("    %s: %s frames in %s s; %s ticks drawn over half a frame late" % (
                  name, kv.get('frames', '?'), kv.get('seconds', '?'), kv['late']))
    if rounds > 1:
        print("  median of %d rounds, %s: training %.1f%% of alone, window %s frames/s" % (
              rounds, what, statistics.median(shares),
              "%.1f" % statistics.median(fpss) if fpss else "?"))
PY
