#!/usr/bin/env bash
# Soak: the terminal UI left training for a long class (`make bench-soak`).
# rtviz runs in tmux at 160x50 on Fashion-MNIST with its defaults while a key
# is pressed every few seconds (n, p, r, c: retrace, replay, confusion matrix
# and back; none pauses training). It records every NaN/Inf event (the alert
# that pauses training; the soak notes it, closes it and resumes), the RSS
# every 30 s and the frames/s (RTVIZ_FRAME_STATS), and ends with one summary
# line against the target: 0 NaN events, RSS flat within 5% (from the first
# sample after the warm-up minute to the end). A benchmark, not a test.
# Env: RTVIZ_SOAK_SECS (1800), RTVIZ_SOAK_KEY_SECS (3), RTVIZ_SOAK_THREADS (2),
# RTVIZ_SOAK_DATASET (fashionmnist), RTVIZ_SOAK_LOG (a file for the samples).
export RTVIZ_ROOT=${RTVIZ_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export RTVIZ=${RTVIZ:-$RTVIZ_ROOT/rtviz}
. "$RTVIZ_ROOT/tests/e2e/tui_common.bash"
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to summarise"; exit 77; }
secs=${RTVIZ_SOAK_SECS:-1800} every=${RTVIZ_SOAK_KEY_SECS:-3} th=${RTVIZ_SOAK_THREADS:-2}
ds=${RTVIZ_SOAK_DATASET:-fashionmnist}
log=${RTVIZ_SOAK_LOG:-$TMPD/soak.log}
"$RTVIZ" datasets 2>/dev/null | grep -A3 "^$ds " | grep -q "train [0-9]" || { echo "dataset $ds is not installed"; exit 77; }
: >"$log"
printf '%q ' env RTVIZ_FRAME_STATS="$TMPD/fs" "$RTVIZ" --dataset "$ds" --threads "$th" --seed 1 \
    >"$TMPD/cmd"
cat >"$TMPD/run.sh" <<EOS
cd "$TMPD"
$(cat "$TMPD/cmd")
echo \$? >"$TMPD/rc"
sleep 60
EOS
T new-session -d -x 160 -y 50 "bash $TMPD/run.sh" || fail "tmux did not start"
wait_for 'step [0-9]+' 60
pane=$(T list-panes -F '#{pane_pid}' | head -1)
pid=$(pgrep -n -P "$pane" -x "$(basename "$RTVIZ" | cut -c1-15)") # the kernel keeps 15 characters of a name
[ -n "$pid" ] || fail "cannot find the rtviz process"
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null; }
t0=$(date +%s) next_rss=$t0 next_key=$t0 k=0 nan=0 keyseq=(n p r c c)
echo "# t_s rss_kb step nan_events" >>"$log"
while :; do
    now=$(date +%s)
    [ $((now - t0)) -ge "$secs" ] && break
    [ -r "/proc/$pid/status" ] || fail "rtviz exited during the soak"
    s=$(cap)
    if echo "$s" | grep -q 'training paused'; then # a NaN/Inf event: note it, close, resume
        nan=$((nan + 1))
        echo "$s" | grep -m1 -oE 'at step [0-9]+[^.]*' | sed "s/^/# NaN event $nan: /" >>"$log"
        keys Escape
        sleep 0.3
        keys Space
    fi
    if [ "$now" -ge "$next_key" ]; then
        keys "${keyseq[$((k % ${#keyseq[@]}))]}"
        k=$((k + 1)) next_key=$((now + every))
    fi
    if [ "$now" -ge "$next_rss" ]; then
        echo "$((now - t0)) $(rss) $(echo "$s" | grep -oE 'step [0-9]+([^0-9/]|$)' | head -1 |
            grep -oE '[0-9]+') $nan" >>"$log"
        next_rss=$((next_rss + 30))
    fi
    sleep 1
done
s=$(cap)
echo "$((secs)) $(rss) $(echo "$s" | grep -oE 'step [0-9]+([^0-9/]|$)' | head -1 | grep -oE '[0-9]+') $nan" >>"$log"
keys q
for i in $(seq 100); do grep -q summary "$TMPD/fs" 2>/dev/null && break; sleep 0.1; done
python3 - "$log" "$TMPD/fs" "$secs" "$k" "$(uptime)" <<'PY'
import re, sys
log, fs, secs, nkeys, up = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rows, events = [], []
for l in open(log):
    if l.startswith('# NaN event'): events.append(l.strip()[2:]); continue
    if l.startswith('#'): continue
    f = l.split()
    if len(f) >= 3 and f[1].isdigit():
        rows.append((int(f[0]), int(f[1]), int(f[2]) if f[2].isdigit() else None, int(f[3]) if len(f) > 3 else 0))
fr = []
try:
    for l in open(fs):
        m = re.match(r'frame_at_ms ([\d.]+)', l)
        if m: fr.append(float(m.group(1)))
except OSError:
    pass
fps = (len(fr) - 1) / ((fr[-1] - fr[0]) / 1000) if len(fr) > 1 else 0.0
for t, r, st, n in rows: print("t %5d s  RSS %7.1f MB  step %s" % (t, r / 1024, st))
for e in events: print(e)
base = [r for t, r, st, n in rows if t >= 60] or [r for t, r, st, n in rows]
b0 = base[0]
drift = (max(base) - b0) / b0 * 100 if b0 else 0.0
low = (b0 - min(base)) / b0 * 100 if b0 else 0.0
steps = [st for t, st in ((t, st) for t, r, st, n in rows) if st is not None]
last = steps[-1] if steps else 0
nan = len(events)
ok = nan == 0 and drift <= 5.0 and low <= 5.0
print("load: %s" % up.strip())
print("soak: %d s, %d keys, step %d (%.0f steps/s), NaN events %d, RSS %.1f MB after the first minute -> %.1f MB at the end "
      "(max +%.1f%%), %.1f frames/s; target 0 NaN events, RSS flat within 5%%: %s"
      % (secs, nkeys, last, last / secs if secs else 0, nan, b0 / 1024, base[-1] / 1024, drift, fps,
         "met" if ok else "MISSED"))
sys.exit(0 if ok else 1)
PY
