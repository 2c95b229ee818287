#!/usr/bin/env bash
# `rtviz gallery --json`: the 12 easiest and 12 hardest test images ranked
# as the live UI ranks its gallery (eval_rank): hardest = most parameters
# used, then the latest stop step, then the lowest confidence at the stop,
# then the index; easiest the reverse. Checked against `rtviz sweep` of every
# image in the range: each listed image's keys are its sweep's, each list is
# in that order, and no image left out ranks before the last one listed.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
N=60
"$RTVIZ" train --dataset sample --epochs 1 --limit 800 --blocks 4 --width 12 --threads 1 \
    --save "$tmp/m.ckpt" >"$tmp/train.out" 2>&1 || { cat "$tmp/train.out"; fail "train"; }
"$RTVIZ" gallery --model "$tmp/m.ckpt" --limit $N --json >"$tmp/g.json" 2>"$tmp/g.err" ||
    { cat "$tmp/g.err"; fail "gallery --json exited $?"; }
for i in $(seq 0 $((N - 1))); do
    "$RTVIZ" sweep --model "$tmp/m.ckpt" --index "$i" >"$tmp/s$i.txt" 2>&1 || fail "sweep $i"
done
python3 - "$tmp" "$N" <<'PY' || fail "the ranking does not hold (above)"
import json, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
g = json.load(open(f"{tmp}/g.json"))
assert g["n"] == n and len(g["easy"]) == 12 and len(g["hard"]) == 12, g["n"]
sw = {}
for i in range(n):
    rows = [l for l in open(f"{tmp}/s{i}.txt") if re.match(r"^(0|0?\.\d+|\d\.\d+)\s", l)]
    stop = next(k for k, l in enumerate(rows) if "<- stop" in l)
    r = rows[stop]
    act = float(re.search(r"([\d.]+)%", r).group(1))
    m = re.search(r"\(([\d.]+)\)\s+<- stop", r)
    conf = float(m.group(1)) if m else 0.0
    sw[i] = (act, stop, conf)
def key_hard(e):  # sorts hardest first
    return (-e["activation_pct"], -e["stop"], e["confidence"], e["index"])
bad = []
for side in ("easy", "hard"):
    lst = g[side]
    for e in lst:  # the keys are the sweep's
        act, stop, conf = sw[e["index"]]
        if abs(e["activation_pct"] - act) > 0.051 or e["stop"] != stop or abs(e["confidence"] - conf) > 0.0006:
            bad.append(f"{side} #{e['index']}: json {e['activation_pct']}/{e['stop']}/{e['confidence']}, sweep {act}/{stop}/{conf}")
    if side == "hard":  # most used, latest stop, lowest confidence, index
        k = [key_hard(e) for e in lst]
    else:  # fewest used, earliest stop, highest confidence, index
        k = [(e["activation_pct"], e["stop"], -e["confidence"], e["index"]) for e in lst]
    ordered = all(k[j] <= k[j + 1] for j in range(len(k) - 1))
    if not ordered:
        bad.append(f"{side}: not in ranking order: {[e['index'] for e in lst]}")
    # nobody left out ranks before the last one listed (up to the sweep's printed precision)
    listed = {e["index"] for e in lst}
    last = lst[-1]
    la, ls = last["activation_pct"], last["stop"]
    for i, (act, stop, conf) in sw.items():
        if i in listed:
            continue
        if side == "hard" and (act > la + 0.051 or (abs(act - la) <= 0.051 and stop > ls)):
            bad.append(f"hard: #{i} ({act}%, stop {stop}) ranks before the last listed #{last['index']}")
        if side == "easy" and (act < la - 0.051 or (abs(act - la) <= 0.051 and stop < ls)):
            bad.append(f"easy: #{i} ({act}%, stop {stop}) ranks before the last listed #{last['index']}")
if bad:
    print("\n".join(bad[:20]))
    sys.exit(1)
hard = g["hard"]
ties = sum(1 for j in range(11) if hard[j]["activation_pct"] == hard[j + 1]["activation_pct"])
print(f"{ties} ties in activation among the hardest 12, broken by stop and confidence")
PY
echo "gallery --json ranks as the UI does, checked against sweep for $N images"
