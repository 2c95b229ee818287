#!/usr/bin/env bash
# robust_nan.sh — a NaN/Inf during training is caught at its step, the step is
# rolled back and the learning rate halved, and headless training says so on
# stderr; the run still ends normally and its checkpoint holds finite weights
# (issue 6, faults). Forced by the largest learning rate the parser accepts.
# Env: RTVIZ, RTVIZ_ROOT. Exit 0 pass, 77 skip (reason last), else fail.
set -u
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$("$RTVIZ" train --help 2>&1) || true
echo "$out" | grep -q -- '--save' || skip "rtviz train --save not available yet"

"$RTVIZ" train --dataset sample --lr 1 --epochs 2 --limit 100 --threads 1 --save "$tmp/m.ckpt" \
  >"$tmp/out" 2>"$tmp/err"
rc=$?
head -5 "$tmp/err"
echo "($(grep -c 'NaN' "$tmp/err") NaN lines on stderr)"
[ "$rc" = 0 ] || fail "exit $rc, expected 0"
grep -qi 'NaN' "$tmp/err" || fail "nothing on stderr says a NaN/Inf appeared (lr 1 did not blow up?)"
grep -i 'NaN' "$tmp/err" | head -1 | grep -qi 'step [0-9]' || fail "the NaN message does not name the step"
grep -i 'NaN' "$tmp/err" | head -1 | grep -qi 'learning rate' || fail "the NaN message does not mention the learning rate"
grep -q '^epoch 2 ' "$tmp/out" || fail "training did not reach the end of epoch 2"

# the saved weights are all finite: export to safetensors and scan the floats
"$RTVIZ" export --model "$tmp/m.ckpt" --out "$tmp/m.safetensors" >/dev/null 2>&1 ||
  fail "the checkpoint saved after the NaN does not load"
if command -v python3 >/dev/null; then
  python3 - "$tmp/m.safetensors" <<'PY' || fail "the saved weights hold NaN/Inf"
import json, math, struct, sys
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
data = b[8 + n:]
bad = sum(1 for (x,) in struct.iter_unpack('<f', data) if not math.isfinite(x))
print("%d floats, %d not finite" % (len(data) // 4, bad))
sys.exit(1 if bad else 0)
PY
fi
echo "NaN caught, reported on stderr, weights finite"
