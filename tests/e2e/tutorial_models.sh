#!/usr/bin/env bash
# tutorial_models.sh — the models in assets/models/ are what `make models` produces.
# Their bytes match SHA256SUMS; and two of them (the MLP 784-32-10 and the RT H16 network:
# both training paths and the weights-only save) are retrained here with the recipe of
# scripts/make-models.sh. On a machine with the signature of assets/models/MACHINE (CPU, SIMD
# level, OpenBLAS, compiler) they must be the same bytes, whatever the engine's sources: an
# engine that trains other bits there must come with a new `make models`. Elsewhere the low
# bits of training may differ (DESIGN §2), so there the retrained models must instead reach the
# shipped models' test accuracy within 0.5 points: the tutorial's facts themselves are checked
# on the shipped files (tutorial_facts.sh), the same bytes everywhere.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
cd "$RTVIZ_ROOT" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
m=assets/models
[ -f $m/SHA256SUMS ] || fail "$m/SHA256SUMS is missing"
(cd $m && sha256sum --quiet -c SHA256SUMS) || fail "assets/models differs from its SHA256SUMS"
for f in $(cut -d' ' -f3 $m/SHA256SUMS); do
    grep -q "^| \`$f\` | \`rtviz train " $m/README.md || fail "$m/README.md does not record how $f was made"
done
"$RTVIZ" datasets | grep -q '^fashionmnist .* found$' ||
    { echo "Fashion-MNIST is not installed: the models are trained on it (scripts/deps.sh test installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KEEP=$tmp scripts/make-models.sh --check mlp-32.ckpt rt-h16.ckpt >"$tmp/check.out" 2>"$tmp/check.err"
rc=$?
cat "$tmp/check.out"
for f in mlp-32.ckpt rt-h16.ckpt; do [ -f "$tmp/$f" ] || { cat "$tmp/check.err"; fail "$f was not retrained"; }; done
engine_now=$(LC_ALL=C cat src/engine/*.c src/engine/*.h | sha256sum | cut -c1-16)
engine_then=$(sed -n 's/^engine: \([0-9a-f]*\).*/\1/p' $m/MACHINE)
if [ "$(scripts/make-models.sh --machine)" = "$(grep -v '^engine:' $m/MACHINE)" ]; then
    if [ $rc != 0 ]; then
        echo "FAIL: this is the machine of assets/models/MACHINE, and the engine's training now gives other bytes"
        echo "  (src/engine/ was $engine_then when they were made, is $engine_now): run \`make models\`, then"
        echo "  tests/e2e/tutorial_facts.sh, fix the chapters it points at, and commit assets/models/"
        exit 1
    fi
    if [ "$engine_now" = "$engine_then" ]; then
        echo "same machine and engine: retrained mlp-32.ckpt and rt-h16.ckpt are the shipped bytes"
    else
        echo "same machine: retrained mlp-32.ckpt and rt-h16.ckpt are the shipped bytes (src/engine/" \
            "changed since assets/models/MACHINE, $engine_then -> $engine_now, but not training's bits;" \
            "scripts/make-models.sh --stamp records it)"
    fi
    exit 0
fi
echo "another machine than assets/models/MACHINE: comparing test accuracy instead of bytes"
diff <(scripts/make-models.sh --machine) <(grep -v '^engine:' $m/MACHINE) | sed 's/^/  /'
for f in mlp-32.ckpt rt-h16.ckpt; do
    a=$("$RTVIZ" eval --model $m/$f --json | sed -n 's/^ *"accuracy": \([0-9.]*\),*$/\1/p')
    b=$("$RTVIZ" eval --model "$tmp/$f" --json | sed -n 's/^ *"accuracy": \([0-9.]*\),*$/\1/p')
    [ -n "$a" ] && [ -n "$b" ] || fail "no accuracy from rtviz eval for $f"
    awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.5) }' ||
        fail "$f: retrained accuracy $b%, shipped $a%"
    echo "$f: retrained $b%, shipped $a%"
done
