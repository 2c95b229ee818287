#!/usr/bin/env bash
# robust_inputs.sh — bad input end to end (issue 6, docs/ROBUSTNESS.md): flags
# out of range, missing and unreadable files, malformed checkpoints, IDX,
# USPS and CIFAR-10 files, and dataset directories with mixed datasets. Each
# case runs a real command and checks its exit status (2 bad usage, 1 runtime
# error; never a crash) and that the one-line error on stderr names the flag or
# file and what is wrong. Prints one line per case (the table's evidence).
# Env: RTVIZ, RTVIZ_ROOT. Exit 0 pass, 77 skip (reason last), else fail.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfail=0 ncase=0
out=$("$RTVIZ" eval --help 2>&1) || true
echo "$out" | grep -q -- '--model' || { echo "rtviz eval not available yet"; exit 77; }

# case NAME WANT_RC REGEX CMD...: run CMD (stdin from /dev/null), check rc and stderr
case_() {
  local name=$1 want=$2 re=$3
  shift 3
  ncase=$((ncase + 1))
  "$@" </dev/null >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  local msg
  msg=$(grep -v '^epoch ' "$tmp/e" | tail -1)
  if grep -Eq 'runtime error:|Sanitizer|AddressSanitizer' "$tmp/e"; then
    echo "FAIL $name: sanitizer report:"; head -20 "$tmp/e"
    nfail=$((nfail + 1))
  elif [ "$rc" != "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want; stderr: $(tail -3 "$tmp/e")"
    nfail=$((nfail + 1))
  elif [ "$want" != 0 ] && ! grep -Eq -- "$re" "$tmp/e"; then
    echo "FAIL $name: stderr does not match /$re/: $(tail -3 "$tmp/e")"
    nfail=$((nfail + 1))
  else
    echo "ok   $name (exit $rc): $msg"
  fi
}
R=$RTVIZ

# --- flags ------------------------------------------------------------------
case_ flag-layers-range 2 'layers.*99.*out of range' "$R" train --dataset sample --layers 99
case_ flag-blocks-zero 2 'blocks.*0.*out of range' "$R" train --dataset sample --blocks 0
case_ flag-width-range 2 'width.*out of range' "$R" train --dataset sample --width 5000
case_ flag-tau-zero 2 'tau.*out of range' "$R" train --dataset sample --tau 0
case_ flag-tau-nan 2 "tau.*'nan' is not a number" "$R" train --dataset sample --tau nan
case_ flag-lr-big 2 'lr.*out of range' "$R" train --dataset sample --lr 2
case_ flag-lr-text 2 "lr.*'fast' is not a number" "$R" train --dataset sample --lr fast
case_ flag-epochs-zero 2 'epochs.*out of range' "$R" train --dataset sample --epochs 0
case_ flag-batch-huge 2 'batch.*(out of range|not a whole number)' "$R" train --dataset sample --batch 99999999999999999999
case_ flag-floor-one 2 'floor.*out of range' "$R" train --dataset sample --floor 1
case_ flag-seed-negative 2 'seed.*non-negative' "$R" train --dataset sample --seed -1
case_ flag-threads-range 2 'threads.*out of range' "$R" train --dataset sample --threads 65
case_ flag-policy-bad 2 'policy.*fixed:X' "$R" train --dataset sample --policy fixed:1.5
case_ flag-schedule-increasing 2 'schedule.*decrease' "$R" train --dataset sample --schedule 0.2,0.5,0
case_ flag-schedule-no-zero 2 'schedule.*last value must be 0' "$R" train --dataset sample --schedule 0.5,0.1
case_ flag-hidden-list 2 'hidden.*bad list' "$R" train --dataset sample --arch mlp --hidden 256,,64
case_ flag-arch-bad 2 "arch.*'cnn' is not rt or mlp" "$R" train --dataset sample --arch cnn
case_ flag-unknown 2 "unknown option '--nope'" "$R" train --nope
case_ flag-missing-arg 2 'epochs needs an argument' "$R" train --dataset sample --epochs
case_ flag-switch-with-value 2 'json takes no argument' "$R" eval --json=yes
case_ flag-not-allowed-here 2 "unknown option '--epochs'" "$R" eval --model x --epochs 3
case_ command-unknown 2 "unknown command 'trian'" "$R" trian
case_ flag-index-range 2 'index.*out of range' "$R" sweep --model x --dataset sample --index -3
case_ dataset-unknown 1 "unknown dataset 'imagenet'" "$R" train --dataset imagenet

# --- missing / unreadable files ---------------------------------------------------
case_ model-missing 1 "$tmp/none.ckpt: no such file" "$R" eval --model "$tmp/none.ckpt" --dataset sample
mkdir "$tmp/adir"
case_ model-directory 1 "$tmp/adir: (not a regular file|is a directory)" "$R" eval --model "$tmp/adir" --dataset sample
printf 'x' >"$tmp/noperm.ckpt"
chmod 000 "$tmp/noperm.ckpt"
if [ "$(id -u)" != 0 ]; then
  case_ model-unreadable 1 "noperm.ckpt: permission denied" "$R" eval --model "$tmp/noperm.ckpt" --dataset sample
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$R" 2>/dev/null; then
  case_ model-unreadable 1 "noperm.ckpt: permission denied" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$R" eval --model "$tmp/noperm.ckpt" --dataset sample
else
  echo "skip model-unreadable: running as root and cannot drop privileges"
fi
case_ csv-unwritable 1 "$tmp/nodir/log.csv: directory $tmp/nodir does not exist" "$R" train --dataset sample --epochs 1 --limit 10 --csv "$tmp/nodir/log.csv"

# --- malformed checkpoints ---------------------------------------------------
net=(--dataset sample --layers 1 --blocks 2 --width 8 --epochs 1 --limit 20 --threads 1)
"$R" train "${net[@]}" --save "$tmp/good.ckpt" >/dev/null 2>&1 || { echo "FAIL: cannot train a checkpoint"; exit 1; }
size=$(stat -c %s "$tmp/good.ckpt")
: >"$tmp/empty.ckpt"
head -c 100 "$tmp/good.ckpt" >"$tmp/trunc-header.ckpt"
head -c $((size - 10)) "$tmp/good.ckpt" >"$tmp/trunc-data.ckpt"
{ cat "$tmp/good.ckpt"; printf 'junk'; } >"$tmp/trailing.ckpt"
cp "$tmp/good.ckpt" "$tmp/flip.ckpt"
printf '\x55' | dd of="$tmp/flip.ckpt" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
{ printf 'RTVIZCK\0\2\0\0\0'; tail -c +13 "$tmp/good.ckpt"; } >"$tmp/version.ckpt"
head -c 4096 /dev/urandom >"$tmp/random.ckpt"
cp "$RTVIZ_ROOT/assets/sample/t10k-labels-idx1-ubyte.gz" "$tmp/idx-as.ckpt"
case_ ckpt-empty 1 'empty.ckpt: empty file' "$R" eval --model "$tmp/empty.ckpt" --dataset sample
case_ ckpt-trunc-header 1 'trunc-header.ckpt: truncated' "$R" eval --model "$tmp/trunc-header.ckpt" --dataset sample
case_ ckpt-trunc-data 1 'trunc-data.ckpt: truncated' "$R" eval --model "$tmp/trunc-data.ckpt" --dataset sample
case_ ckpt-trailing 1 'trailing.ckpt: .*unexpected bytes' "$R" eval --model "$tmp/trailing.ckpt" --dataset sample
case_ ckpt-bitflip 1 'flip.ckpt: checksum mismatch' "$R" eval --model "$tmp/flip.ckpt" --dataset sample
case_ ckpt-version 1 'version.ckpt: checkpoint version 2' "$R" eval --model "$tmp/version.ckpt" --dataset sample
case_ ckpt-random 1 'random.ckpt: not an rtviz checkpoint' "$R" eval --model "$tmp/random.ckpt" --dataset sample
case_ ckpt-other-format 1 'idx-as.ckpt: not an rtviz checkpoint' "$R" eval --model "$tmp/idx-as.ckpt" --dataset sample
case_ export-bad-ckpt 1 'flip.ckpt: checksum mismatch' "$R" export --model "$tmp/flip.ckpt" --out "$tmp/x.safetensors"
[ -e "$tmp/x.safetensors" ] && { echo "FAIL export-bad-ckpt: wrote an output anyway"; nfail=$((nfail + 1)); }

# --- malformed datasets (through $RTVIZ_DATA) --------------------------------------
be32() { printf "\\$(printf '%03o' $(($1 >> 24 & 255)))\\$(printf '%03o' $(($1 >> 16 & 255)))\\$(printf '%03o' $(($1 >> 8 & 255)))\\$(printf '%03o' $(($1 & 255)))"; }
mk_images() { { printf '\0\0\10\3'; be32 "$2"; be32 "${3:-28}"; be32 "${3:-28}"; head -c $(($2 * ${3:-28} * ${3:-28})) /dev/zero; } >"$1"; }
mk_labels() { { printf '\0\0\10\1'; be32 "$2"; head -c "$2" /dev/zero | tr '\0' "${3:-\\3}"; } >"$1"; }
mnist() { # DIR: a valid tiny mnist (8 train, 4 test)
  rm -rf "$1/mnist"; mkdir -p "$1/mnist"
  mk_images "$1/mnist/train-images-idx3-ubyte" 8; mk_labels "$1/mnist/train-labels-idx1-ubyte" 8
  mk_images "$1/mnist/t10k-images-idx3-ubyte" 4; mk_labels "$1/mnist/t10k-labels-idx1-ubyte" 4
}
T=(train --dataset mnist --epochs 1 --limit 4 --layers 1 --blocks 2 --width 4 --threads 1)
D=$tmp/data
m=$D/mnist
mnist "$D"
case_ idx-valid 0 '.' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; head -c 500 "$m/train-images-idx3-ubyte" >"$tmp/x" && mv "$tmp/x" "$m/train-images-idx3-ubyte"
case_ idx-truncated 1 'train-images-idx3-ubyte: truncated' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; printf 'more' >>"$m/t10k-labels-idx1-ubyte"
case_ idx-trailing 1 't10k-labels-idx1-ubyte: trailing data' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; mk_labels "$m/train-labels-idx1-ubyte" 8 '\12'
case_ idx-label-range 1 'train-labels-idx1-ubyte: label 10 .*class count 10' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; mk_labels "$m/train-labels-idx1-ubyte" 7
case_ idx-count-mismatch 1 'train-.*7 labels.*8 images|8 images.*7 labels' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; cp "$m/train-labels-idx1-ubyte" "$m/train-images-idx3-ubyte"
case_ idx-swapped 1 'train-images-idx3-ubyte: is an IDX label file, expected images' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; { printf '\0\0\10\3'; be32 4294967295; be32 65535; be32 65535; } >"$m/train-images-idx3-ubyte"
case_ idx-huge-header 1 'train-images-idx3-ubyte: .*(too large|more than|at most)' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; gzip "$m/train-images-idx3-ubyte"; head -c 60 "$m/train-images-idx3-ubyte.gz" >"$tmp/x" && mv "$tmp/x" "$m/train-images-idx3-ubyte.gz"
case_ idx-gzip-truncated 1 'train-images-idx3-ubyte.gz: truncated gzip' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; gzip -n "$m/t10k-images-idx3-ubyte"; z=$m/t10k-images-idx3-ubyte.gz
printf '\125' | dd of="$z" bs=1 seek=$(($(stat -c %s "$z") - 8)) conv=notrunc 2>/dev/null # the CRC-32
case_ idx-gzip-corrupt 1 't10k-images-idx3-ubyte.gz: (corrupt|truncated)' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; : >"$m/t10k-labels-idx1-ubyte"
case_ idx-empty 1 't10k-labels-idx1-ubyte: empty' env RTVIZ_DATA="$D" "$R" "${T[@]}"
if command -v bzip2 >/dev/null; then
  mnist "$D"; bzip2 -c "$m/train-labels-idx1-ubyte" >"$tmp/x" && mv "$tmp/x" "$m/train-labels-idx1-ubyte"
  case_ idx-bzip2 1 'train-labels-idx1-ubyte: is bzip2-compressed' env RTVIZ_DATA="$D" "$R" "${T[@]}"
fi
# mixed datasets in one directory
mnist "$D"; mk_images "$m/t10k-images-idx3-ubyte" 4 32
case_ mixed-image-sizes 1 'mnist.*(28x28|32x32|size|shape)' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; cp "$RTVIZ_ROOT/assets/sample/t10k-labels-idx1-ubyte.gz" "$m/t10k-labels-idx1-ubyte"
case_ mixed-labels-from-other-set 1 't10k-labels-idx1-ubyte: 1000 labels.*4 images|4 images.*1000 labels' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist "$D"; rm "$m/t10k-images-idx3-ubyte"; head -c $((3073 * 2)) /dev/zero >"$m/test_batch.bin"
case_ mixed-cifar-file-in-mnist 1 'mnist' env RTVIZ_DATA="$D" "$R" "${T[@]}"
# a model trained on one dataset, evaluated on another shape
mnist "$D"; rm -rf "$D/cifar10"; mkdir -p "$D/cifar10"
for f in data_batch_1 data_batch_2 data_batch_3 data_batch_4 data_batch_5 test_batch; do head -c 3073 /dev/zero >"$D/cifar10/$f.bin"; done
case_ model-dataset-shape 1 'good.ckpt: .*(28|32)' env RTVIZ_DATA="$D" "$R" eval --model "$tmp/good.ckpt" --dataset cifar10
# CIFAR-10 and USPS
printf '\12' | dd of="$D/cifar10/data_batch_3.bin" bs=1 seek=0 conv=notrunc 2>/dev/null
case_ cifar-label-range 1 'data_batch_3.bin: label 10' env RTVIZ_DATA="$D" "$R" train --dataset cifar10 --epochs 1 --limit 1 --layers 1 --blocks 1 --width 2
head -c 3000 /dev/zero >"$D/cifar10/data_batch_3.bin"
case_ cifar-truncated 1 'data_batch_3.bin: .*whole number of' env RTVIZ_DATA="$D" "$R" train --dataset cifar10 --epochs 1 --limit 1 --layers 1 --blocks 1 --width 2
mkdir -p "$D/usps"; printf '1 1:0.5 2:-1\n3 256:1\n' >"$D/usps/usps"; printf '2 1:0.5 1:0.2\n' >"$D/usps/usps.t"
case_ usps-index-order 1 'usps.t:1: feature index 1 does not increase' env RTVIZ_DATA="$D" "$R" train --dataset usps --epochs 1 --limit 1
printf '2 1:7\n' >"$D/usps/usps.t"
case_ usps-value-range 1 "usps.t:1: feature 1 value '7' is not a number in" env RTVIZ_DATA="$D" "$R" train --dataset usps --epochs 1 --limit 1
printf 'abc 1:0\n' >"$D/usps/usps.t"
case_ usps-label 1 "usps.t:1: label 'abc'" env RTVIZ_DATA="$D" "$R" train --dataset usps --epochs 1 --limit 1

echo "$ncase cases, $nfail failed"
[ "$nfail" = 0 ]
