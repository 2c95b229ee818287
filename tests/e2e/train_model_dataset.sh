#!/usr/bin/env bash
# `rtviz train --model X` without --dataset goes on training on the dataset X
# was trained on (its checkpoint says which), not on Fashion-MNIST; --dataset
# still names another; a checkpoint that cannot be read is one line, exit 1.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$RTVIZ" train --dataset sample --epochs 1 --limit 500 --blocks 4 --width 8 --threads 1 \
    --save "$tmp/a.ckpt" >"$tmp/a.out" 2>&1 || { cat "$tmp/a.out"; fail "first train"; }
"$RTVIZ" train --model "$tmp/a.ckpt" --epochs 1 --limit 500 --threads 1 --save "$tmp/b.ckpt" \
    >"$tmp/b.out" 2>&1 || { cat "$tmp/b.out"; fail "train --model without --dataset exited $?"; }
grep -q 'network on sample:' "$tmp/b.out" || { cat "$tmp/b.out"; fail "did not train on the checkpoint's dataset"; }
grep -q '^epoch 2 ' "$tmp/b.out" || { cat "$tmp/b.out"; fail "did not count on from the checkpoint's epoch"; }
# the new checkpoint remembers it too: a third run finds sample again
"$RTVIZ" train --model "$tmp/b.ckpt" --epochs 1 --limit 200 --threads 1 >"$tmp/c.out" 2>&1 ||
    { cat "$tmp/c.out"; fail "third train"; }
grep -q 'network on sample:' "$tmp/c.out" || fail "the resumed checkpoint lost its dataset"
# a missing checkpoint: one line naming it, exit 1
"$RTVIZ" train --model "$tmp/none.ckpt" --epochs 1 >"$tmp/d.out" 2>"$tmp/d.err"
rc=$?
[ "$rc" = 1 ] || fail "a missing checkpoint exited $rc"
[ "$(wc -l <"$tmp/d.err")" = 1 ] && grep -q "none.ckpt" "$tmp/d.err" || { cat "$tmp/d.err"; fail "not one line naming the file"; }
echo "train --model continues on the checkpoint's dataset"
