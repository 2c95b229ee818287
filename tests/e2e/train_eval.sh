#!/usr/bin/env bash
# train_eval.sh — `rtviz train`, `eval` and `sweep` end to end on the sample
# dataset: a one-epoch run writes a checkpoint and a CSV log, eval --json has
# every key, sweep marks its stop row; bad flags exit 2, a missing model 1.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 77; }
[ -e "$RTVIZ_ROOT/assets/sample/train-images-idx3-ubyte.gz" ] || { echo "sample dataset missing"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --- train: one epoch, checkpoint + CSV ---
"$RTVIZ" train --dataset sample --epochs 1 --batch 64 --threads 1 --limit 300 \
    --save "$tmp/m.ckpt" --csv "$tmp/log.csv" >"$tmp/train.out" 2>"$tmp/train.err" ||
    { cat "$tmp/train.out" "$tmp/train.err"; fail "train exited $?"; }
[ -s "$tmp/m.ckpt" ] || fail "no checkpoint written"
grep -q '^epoch 1 .*test [0-9.]*%' "$tmp/train.out" || { cat "$tmp/train.out"; fail "no epoch line"; }
[ "$(wc -l <"$tmp/log.csv")" = 2 ] || { cat "$tmp/log.csv"; fail "CSV should have a header and one row"; }
head -1 "$tmp/log.csv" | grep -q '^epoch,step,loss,train_acc,test_acc' || fail "CSV header"
tail -1 "$tmp/log.csv" | grep -Eq '^1,[0-9]+,[0-9.]+,' || fail "CSV row: $(tail -1 "$tmp/log.csv")"
ls -A "$tmp" | grep -Eq '^\..*\.rtviz-[0-9]+-' && fail "temporary checkpoint left behind"

# --- eval --json: every key, sane values ---
"$RTVIZ" eval --model "$tmp/m.ckpt" --dataset sample --json >"$tmp/eval.json" ||
    fail "eval exited $?"
for k in accuracy accuracy_theta0 activation_mean activation_median blocks_mean params_total \
    params_used_mean spearman_activation_loss error_easiest_tenth error_hardest_tenth unreached n; do
    grep -q "\"$k\": " "$tmp/eval.json" || { cat "$tmp/eval.json"; fail "eval --json lacks $k"; }
done
if command -v python3 >/dev/null; then
    python3 - "$tmp/eval.json" <<'EOF' || fail "eval --json is not valid JSON with sane values"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["n"] == 1000, r["n"]
assert 30 <= r["accuracy"] <= 100, r["accuracy"]
assert 0 < r["activation_mean"] <= 100
assert r["params_used_mean"] <= r["params_total"]
assert r["unreached"] == 0
EOF
fi
# the human form and --limit
"$RTVIZ" eval --model "$tmp/m.ckpt" --dataset sample --limit 50 >"$tmp/eval.txt" || fail "eval (text) exited $?"
grep -q '50 test images' "$tmp/eval.txt" || { cat "$tmp/eval.txt"; fail "eval --limit 50"; }
grep -q '^accuracy' "$tmp/eval.txt" || fail "eval prints no accuracy"

# --- sweep: a table with a stop row and an answer ---
"$RTVIZ" sweep --model "$tmp/m.ckpt" --dataset sample --index 5 >"$tmp/sweep.txt" || fail "sweep exited $?"
grep -q 'true label' "$tmp/sweep.txt" || fail "sweep: no label line"
[ "$(grep -c '<- stop' "$tmp/sweep.txt")" = 1 ] || { cat "$tmp/sweep.txt"; fail "sweep: not exactly one stop row"; }
grep -q '^answer: ' "$tmp/sweep.txt" || fail "sweep: no answer"

# --- the MLP baseline trains and evaluates the same way ---
"$RTVIZ" train --dataset sample --arch mlp --hidden 32 --epochs 1 --limit 100 --save "$tmp/mlp.ckpt" \
    >/dev/null 2>&1 || fail "mlp train exited $?"
"$RTVIZ" eval --model "$tmp/mlp.ckpt" --json >"$tmp/mlp.json" || fail "mlp eval exited $?"
grep -q '"activation_mean": 100' "$tmp/mlp.json" || { cat "$tmp/mlp.json"; fail "MLP activation is not 100%"; }
"$RTVIZ" sweep --model "$tmp/mlp.ckpt" --index 0 | grep -q '<- stop' || fail "mlp sweep"

# --- errors: usage 2, runtime 1 ---
code() { "$@" >/dev/null 2>"$tmp/err"; echo $?; }
[ "$(code "$RTVIZ" train --dataset sample --epochs 0)" = 2 ] || fail "--epochs 0 should exit 2"
[ "$(code "$RTVIZ" train --dataset sample --bogus)" = 2 ] || fail "unknown flag should exit 2"
[ "$(code "$RTVIZ" eval --dataset sample)" = 2 ] || fail "eval without --model should exit 2"
[ "$(code "$RTVIZ" eval --model "$tmp/m.ckpt" --tau 2)" = 2 ] || fail "--tau 2 should exit 2"
[ "$(code "$RTVIZ" sweep --model "$tmp/m.ckpt" --dataset sample --index 1000)" = 2 ] ||
    fail "sweep index out of range should exit 2"
[ "$(code "$RTVIZ" eval --model "$tmp/nope.ckpt" --dataset sample)" = 1 ] || fail "missing model should exit 1"
grep -q 'nope.ckpt' "$tmp/err" || fail "the error does not name the file: $(cat "$tmp/err")"
[ "$(code "$RTVIZ" train --dataset sample --model "$tmp/nope.ckpt")" = 1 ] ||
    fail "train --model missing should exit 1"
[ "$(code "$RTVIZ" train --dataset sample --model "$tmp/m.ckpt" --layers 2)" = 2 ] ||
    fail "changing the shape of a loaded model should exit 2"
printf 'garbage' >"$tmp/bad.ckpt"
[ "$(code "$RTVIZ" eval --model "$tmp/bad.ckpt" --dataset sample)" = 1 ] || fail "corrupt model should exit 1"

# --- resume: one more epoch from the checkpoint ---
"$RTVIZ" train --dataset sample --model "$tmp/m.ckpt" --epochs 1 --limit 100 --save "$tmp/m2.ckpt" \
    >"$tmp/resume.out" 2>&1 || { cat "$tmp/resume.out"; fail "resume exited $?"; }
grep -q '^epoch 2 ' "$tmp/resume.out" || { cat "$tmp/resume.out"; fail "resume should continue at epoch 2"; }
# --- Ctrl-C: finish the minibatch, save, exit 130 ---
"$RTVIZ" train --dataset sample --epochs 1000 --threads 1 --save "$tmp/int.ckpt" >"$tmp/int.out" 2>&1 &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 130 ] || { cat "$tmp/int.out"; fail "SIGINT should exit 130, got $rc"; }
[ -s "$tmp/int.ckpt" ] || fail "SIGINT did not save"
"$RTVIZ" eval --model "$tmp/int.ckpt" --limit 10 >/dev/null || fail "the checkpoint saved on SIGINT does not load"
echo "train/eval/sweep OK"
exit 0
