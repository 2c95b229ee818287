#!/usr/bin/env bash
# owndata.sh — `--dataset PATH`: a class's own data in its three forms, made
# here: a directory of IDX files (with classes.txt), a CSV file (header,
# 0-255 and 0-1 values, --test-split), and a directory of class folders of
# images (PNG/JPEG/BMP, one of another size). Each is listed by
# `rtviz datasets PATH`, trains and evaluates; classify names the folders'
# classes. Bad sources (ragged CSV rows, a label or a value out of range, an
# empty class folder, a non-image or a FIFO in a class folder, a missing IDX
# file, a bad classes.txt) give one line naming the file and the line or
# record, and exit 1.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 77; }
S="$RTVIZ_ROOT/assets/sample"
[ -e "$S/t10k-images-idx3-ubyte.gz" ] || { echo "sample dataset missing"; exit 77; }
command -v convert >/dev/null || { echo "ImageMagick convert missing (scripts/deps.sh test installs it)"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1

# one error line on stderr naming $2, exit 1: bad SOURCE PATTERN
bad() {
    "$RTVIZ" datasets "$1" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    [ "$rc" = 1 ] || { cat "$tmp/o" "$tmp/e"; fail "$1: exit $rc, expected 1"; }
    [ "$(wc -l <"$tmp/e")" = 1 ] || { cat "$tmp/e"; fail "$1: expected one error line"; }
    grep -q "^rtviz datasets: .*$2" "$tmp/e" || { cat "$tmp/e"; fail "$1: expected '$2'"; }
    # training on it fails the same way, without a crash
    "$RTVIZ" train --dataset "$1" --epochs 1 >/dev/null 2>"$tmp/e2"
    [ $? = 1 ] || { cat "$tmp/e2"; fail "train --dataset $1: expected exit 1"; }
    grep -q "$2" "$tmp/e2" || { cat "$tmp/e2"; fail "train --dataset $1: expected '$2'"; }
}

# --- (a) a directory of IDX files, class names from classes.txt ---
mkdir idx
cp "$S/t10k-images-idx3-ubyte.gz" idx/train-images-idx3-ubyte.gz
cp "$S/t10k-labels-idx1-ubyte.gz" idx/train-labels-idx1-ubyte.gz
zcat "$S/t10k-images-idx3-ubyte.gz" >idx/t10k-images-idx3-ubyte # raw works too
cp "$S/t10k-labels-idx1-ubyte.gz" idx/
printf 'top\ntrouser\npullover\ndress\ncoat\nsandal\nshirt\nsneaker\nbag\nboot\n' >idx/classes.txt
"$RTVIZ" datasets idx >o 2>e || { cat o e; fail "datasets idx exited $?"; }
grep -q 'train 1000, test 1000, images 1x28x28, 10 classes' o || { cat o; fail "idx: sizes"; }
grep -q 'classes: top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, boot' o ||
    { cat o; fail "idx: class names from classes.txt"; }
"$RTVIZ" train --dataset idx --epochs 1 --limit 200 --blocks 4 --width 16 --save idx.ckpt >o 2>&1 ||
    { cat o; fail "train on idx"; }
"$RTVIZ" eval --model idx.ckpt --limit 100 >o 2>&1 || { cat o; fail "eval on idx (the model's own path)"; }
grep -q '100 test images' o || { cat o; fail "eval idx"; }

# --- (b) CSV: header row, 0-255 values; 0-1 values; --test-split ---
{
    echo "label,$(seq -s, -f 'p%g' 0 63)"
    for r in $(seq 0 59); do
        l=$((r % 3))
        printf '%d' "$l"
        for p in $(seq 0 63); do printf ',%d' $(((p * 7 + r * 13 + l * 90) % 256)); done
        echo
    done
} >d255.csv
awk -F, 'NR > 1 { printf "%s", $1; for (i = 2; i <= NF; i++) printf ",%.4f", $i / 255; print "" }' d255.csv >d01.csv
"$RTVIZ" datasets d255.csv d01.csv >o 2>e || { cat o e; fail "datasets csv exited $?"; }
grep -A2 '^d255.csv' o | grep -q 'values 0-255, 1x8x8 images, test split 0.2' || { cat o; fail "d255: detection"; }
grep -A2 '^d01.csv' o | grep -q 'values 0-1 (scaled to 0-255)' || { cat o; fail "d01: detection"; }
grep -A2 '^d255.csv' o | grep -Eq 'train [0-9]+, test [0-9]+, images 1x8x8, 3 classes' || { cat o; fail "d255: sizes"; }
"$RTVIZ" datasets --test-split 0.5 d255.csv >o 2>&1 || fail "--test-split 0.5"
t=$(sed -n 's/.*train \([0-9]*\), test \([0-9]*\),.*/\2/p' o)
[ "$t" -ge 20 ] && [ "$t" -le 40 ] || { cat o; fail "--test-split 0.5 gave $t of 60 test rows"; }
"$RTVIZ" datasets --test-split 1.5 d255.csv >/dev/null 2>&1; [ $? = 2 ] || fail "--test-split 1.5: expected exit 2"
"$RTVIZ" train --dataset d01.csv --epochs 1 --blocks 2 --width 8 --save csv.ckpt >o 2>&1 || { cat o; fail "train on csv"; }
"$RTVIZ" eval --model csv.ckpt --dataset d01.csv --json >o 2>&1 || { cat o; fail "eval on csv"; }
grep -q '"accuracy": ' o || fail "eval csv json"
"$RTVIZ" bench --quick --dataset d01.csv >o 2>&1 || { cat o; fail "bench on csv exited $?"; }
grep -q '^rtviz bench: d01.csv ' o || { cat o; fail "bench on csv: the dataset line"; }

# --- (c) class folders of images, one of another size ---
mkdir -p img/circle img/square
for i in 1 2 3 4 5 6; do
    convert -size 32x32 xc:white -fill black -draw "circle 16,16 $((6 + i)),16" img/circle/c$i.png
    convert -size 32x32 xc:white -fill black -draw "rectangle 8,8 $((16 + i)),24" img/square/s$i.png
done
convert -size 64x48 xc:white -fill black -draw "circle 32,24 20,24" img/circle/z-big.jpg
convert -size 32x32 xc:white -fill black -draw "rectangle 6,6 26,26" img/square/s7.bmp
"$RTVIZ" datasets img >o 2>e || { cat o e; fail "datasets img exited $?"; }
grep -q '14 images converted to 1x32x32' o || { cat o; fail "img: conversion note"; }
grep -q '1 of another size resized' o || { cat o; fail "img: the other size is resized"; }
grep -q 'classes: circle, square' o || { cat o; fail "img: class names"; }
grep -Eq 'train [0-9]+, test [0-9]+, images 1x32x32, 2 classes' o || { cat o; fail "img: sizes"; }
"$RTVIZ" train --dataset img --epochs 1 --blocks 2 --width 8 --save img.ckpt >o 2>&1 || { cat o; fail "train on img"; }
"$RTVIZ" classify --model img.ckpt img/circle/c1.png >o 2>&1 || { cat o; fail "classify with the img model"; }
grep -Eq '^img/circle/c1.png: (circle|square) \(p' o || { cat o; fail "classify names the folder classes"; }
# train/ and test/ folders keep their own split
mkdir -p tt/train tt/test
cp -r img/circle img/square tt/train/
mkdir tt/test/circle && cp img/circle/c1.png tt/test/circle/
"$RTVIZ" datasets tt >o 2>&1 || { cat o; fail "datasets tt"; }
grep -q 'train 14, test 1, images 1x32x32, 2 classes' o || { cat o; fail "tt: its own split"; }
grep -q 'train/ and test/ folders' o || { cat o; fail "tt: note"; }

# --- bad sources ---
printf '0,1,2,3,4\n1,5,6,7\n' >ragged.csv
bad ragged.csv "ragged.csv: line 2: 3 pixel values, but line 1 has 4"
printf 'label,a,b,c,d\n0,1,2,3,4\n16,1,2,3,4\n' >label.csv
bad label.csv "label.csv: line 3: label 16 is out of range (0-15)"
printf '0,1,2,3,4\n1,1,2,256,4\n' >value.csv
bad value.csv "value.csv: line 2, field 4: value 256 is out of range"
printf '0,1,2,3,4\n1,1,-2,3,4\n' >neg.csv
bad neg.csv "neg.csv: line 2, field 3: value -2 is out of range"
printf '0,1,2,3,4\n1,1,x,3,4\n' >nan.csv
bad nan.csv "nan.csv: line 2, field 3: 'x' is not a number"
printf '0,1,2,3,4,5\n1,1,2,3,4,5\n' >shape.csv
bad shape.csv "shape.csv: line 1: 5 pixels is not a square image"
printf 'label,a\n' >empty.csv
bad empty.csv "empty.csv: no data rows"
: >zero.csv
bad zero.csv "zero.csv: empty file"
printf '0,1,2,3,4\n0,4,3,2,1\n' >oneclass.csv
bad oneclass.csv "oneclass.csv: every label is 0"
cp -r img emptyclass && mkdir emptyclass/triangle
bad emptyclass "emptyclass/triangle: empty class folder"
cp -r img notimage && echo hello >notimage/square/readme.png
bad notimage "notimage/square/readme.png: not an image"
cp -r img fifo && mkfifo fifo/circle/pipe.png
bad fifo "fifo/circle/pipe.png: is a FIFO"
cp -r img trunc && head -c 100 img/circle/c2.png >trunc/circle/c2.png
bad trunc "trunc/circle/c2.png: truncated PNG"
mkdir oneclassdir && cp -r img/circle oneclassdir/
bad oneclassdir "oneclassdir: 1 class folder: at least 2"
cp -r idx idxmiss && rm idxmiss/t10k-labels-idx1-ubyte.gz
bad idxmiss "idxmiss/t10k-labels-idx1-ubyte: missing"
cp -r idx idxnames && printf 'a\nb\n' >idxnames/classes.txt
bad idxnames "idxnames/classes.txt: names 2 classes, but a label is 9"
cp -r idx idxblank && printf 'a\n\nc\nd\ne\nf\ng\nh\ni\nj\n' >idxblank/classes.txt
bad idxblank "idxblank/classes.txt: line 2: empty class name"
mkfifo pipe.csv
bad pipe.csv "pipe.csv: is a FIFO"
echo "owndata: all checks passed"
exit 0
