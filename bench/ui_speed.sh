#!/usr/bin/env bash
# Training speed inside the UI vs headless, frame rate, key latency and first
# frame (docs/UI.md has the targets and records the figures). A benchmark, not a
# test (≈ 2×SECS s): `make bench-ui`. Env: RTVIZ_UI_BENCH_SECS (20),
# RTVIZ_UI_BENCH_THREADS (2), RTVIZ_UI_BENCH_DATASET (fashionmnist).
export RTVIZ_ROOT=${RTVIZ_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export RTVIZ=${RTVIZ:-$RTVIZ_ROOT/rtviz}
. "$RTVIZ_ROOT/tests/e2e/tui_common.bash"
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to summarise"; exit 77; }
secs=${RTVIZ_UI_BENCH_SECS:-20} th=${RTVIZ_UI_BENCH_THREADS:-2} ds=${RTVIZ_UI_BENCH_DATASET:-fashionmnist}
ntrain=$("$RTVIZ" datasets 2>/dev/null | grep -A3 "^$ds " | grep -oE 'train [0-9]+' | grep -oE '[0-9]+')
[ -n "$ntrain" ] || { echo "dataset $ds is not installed"; exit 77; }
printf 'set -g default-terminal %s\nset -g status off\n' "$term" >"$TMPD/tmux.conf"
command -v /usr/bin/time >/dev/null 2>&1 && TIME="/usr/bin/time -o" || TIME=
ui_time=$TMPD/ui.time hl_time=$TMPD/hl.time
T new-session -d -x 160 -y 50 "cd $TMPD; RTVIZ_FRAME_STATS=$TMPD/fs ${TIME:+$TIME $ui_time -f '%e %U %S'} $RTVIZ --dataset $ds --threads $th --seed 1; sleep 5"
for i in $(seq $((secs * 2))); do # a key every 0.5 s: n / p retrace the image
    sleep 0.5
    if [ $((i % 2)) = 0 ]; then keys n; else keys p; fi
done
keys q
for i in $(seq 100); do grep -q summary "$TMPD/fs" 2>/dev/null && break; sleep 0.1; done
grep -q summary "$TMPD/fs" || fail "no frame statistics"
samples=$(sed -n 's/.* samples \([0-9]*\) .*/\1/p' "$TMPD/fs")
uisps=$(sed -n 's/.* ui_samples_per_s \([0-9.]*\) .*/\1/p' "$TMPD/fs")
full=$((samples / ntrain))
[ "$full" -ge 1 ] || fail "the UI trained less than an epoch ($samples samples)"
for i in $(seq 50); do [ -z "$TIME" ] || [ -s "$ui_time" ] && break; sleep 0.1; done
$TIME ${TIME:+$hl_time -f '%e %U %S'} "$RTVIZ" train --dataset "$ds" --threads "$th" --seed 1 \
    --epochs $((full + 1)) --lr-schedule const --limit 1000 >"$TMPD/train.out" 2>/dev/null ||
    fail "headless training failed"
python3 - "$TMPD/fs" "$TMPD/train.out" "$full" "$ntrain" "$uisps" "$samples" "$ui_time" "$hl_time" <<'PY'
import os, re, sys
fs, tr, full, ntrain, uisps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
samples, ui_time, hl_time = int(sys.argv[6]), sys.argv[7], sys.argv[8]
fr, lw, work, keys = [], [], [], []
for l in open(fs):
    m = re.match(r'frame_at_ms ([\d.]+) lock_wait_ms ([\d.]+) work_ms ([\d.]+)', l)
    if m: fr.append(float(m.group(1))); lw.append(float(m.group(2))); work.append(float(m.group(3)))
    m = re.match(r'key_ms ([\d.]+)', l)
    if m: keys.append(float(m.group(1)))
    if l.startswith('summary'): print(l.strip())
q = lambda v, p: sorted(v)[min(len(v) - 1, int(len(v) * p))]
gaps = [b - a for a, b in zip(fr, fr[1:])]
fps = (len(fr) - 1) / ((fr[-1] - fr[0]) / 1000)
print("frames: %.1f/s between the first and the last; gap median %.1f ms, p99 %.1f, max %.1f" % (fps, q(gaps, .5), q(gaps, .99), max(gaps)))
print("UI work under the engine lock: median %.2f ms, max %.2f; its lock wait median %.2f ms, max %.2f" % (q(work, .5), max(work), q(lw, .5), max(lw)))
if keys: print("keys: %d, key → screen median %.1f ms, p95 %.1f, max %.1f" % (len(keys), q(keys, .5), q(keys, .95), max(keys)))
sps = [float(re.search(r'([\d.]+) samples/s', l).group(1)) for l in open(tr) if re.match(r'epoch \d+ ', l)]
head = full * ntrain / sum(ntrain / s for s in sps[:full])
print("headless: %.0f samples/s over its first %d epochs (%s)" % (head, full, " ".join("%.0f" % s for s in sps)))
print("UI: %.0f samples/s over its unpaused wall time = %.0f%% of headless" % (uisps, 100 * uisps / head))
def cpu(f):  # "wall user sys" from /usr/bin/time, or None
    try:
        w, u, s_ = (float(x) for x in open(f).read().split()[-3:])
        return u + s_
    except (OSError, ValueError):
        return None
cu, ch = cpu(ui_time), cpu(hl_time)
if cu and ch:  # the same per CPU second: immune to what else the machine runs
    nh = (full + 1) * ntrain
    print("per CPU second: UI %.0f samples, headless %.0f = %.0f%%" % (samples / cu, nh / ch, 100 * (samples / cu) / (nh / ch)))
PY
