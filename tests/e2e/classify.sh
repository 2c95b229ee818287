#!/usr/bin/env bash
# classify.sh — `rtviz classify` end to end: a small model trained here on the
# sample set; test-set images written out as PGM (from the IDX file, by this
# script), then made into PNG/JPEG/BMP/GIF files of several sizes, inverted
# (dark on light) and RGB with ImageMagick; classify must predict what `sweep`
# predicts on the original test images for nearly all of them. Bad files (not
# an image, empty, truncated, a huge size in the header, a directory, a FIFO)
# each give one line naming the file and exit 1, and the good ones beside
# them are still classified. --json is valid JSON with every key.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 77; }
T10K="$RTVIZ_ROOT/assets/sample/t10k-images-idx3-ubyte.gz"
[ -e "$T10K" ] || { echo "sample dataset missing"; exit 77; }
command -v convert >/dev/null || { echo "ImageMagick convert missing (scripts/deps.sh test installs it)"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$RTVIZ" train --dataset sample --epochs 2 --limit 2000 --blocks 4 --width 24 --threads 1 \
    --save "$tmp/m.ckpt" >"$tmp/train.out" 2>&1 || { cat "$tmp/train.out"; fail "train exited $?"; }

# test image i of the sample set as a 28x28 PGM (IDX: 16 header bytes, 784 bytes an image)
zcat "$T10K" >"$tmp/t10k.idx" || fail "cannot unpack $T10K"
pgm() { { printf 'P5\n28 28\n255\n'; tail -c +$((17 + $1 * 784)) "$tmp/t10k.idx" | head -c 784; } >"$2"; }

IDS="0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19"
mkdir "$tmp/img"
files=()
for i in $IDS; do
    pgm "$i" "$tmp/img/o$i.pgm"
    b="$tmp/img/$i"
    convert "$tmp/img/o$i.pgm" -filter point -resize 300% "$b-84.png" || fail "convert"
    convert "$tmp/img/o$i.pgm" -resize 1000% -negate "$b-280-inv.png"
    convert "$tmp/img/o$i.pgm" -resize 200% -type TrueColor -define png:color-type=2 "$b-56-rgb.png"
    convert "$tmp/img/o$i.pgm" -resize 150% -negate -type TrueColor "$b-42-inv-rgb.bmp"
    convert "$tmp/img/o$i.pgm" -resize 400% -quality 95 "$b-112.jpg"
    convert "$tmp/img/o$i.pgm" -negate "$b-28-inv.gif"
    convert "$tmp/img/o$i.pgm" -alpha copy -fill black -colorize 100% -resize 250% "$b-70-alpha.png"
    files+=("$b-84.png" "$b-280-inv.png" "$b-56-rgb.png" "$b-42-inv-rgb.bmp" "$b-112.jpg"
        "$b-28-inv.gif" "$b-70-alpha.png")
done
file "$tmp/img/0-56-rgb.png" 2>/dev/null | grep -q RGB || identify "$tmp/img/0-56-rgb.png" | grep -q sRGB ||
    fail "the RGB test file is not RGB"

# what the model says on the originals
declare -A want
for i in $IDS; do
    a=$("$RTVIZ" sweep --model "$tmp/m.ckpt" --dataset sample --index "$i" | sed -n 's/^answer: \(.*\) (p .*/\1/p')
    [ -n "$a" ] || fail "sweep gave no answer for image $i"
    want[$i]=$a
done

"$RTVIZ" classify --model "$tmp/m.ckpt" "${files[@]}" >"$tmp/cls.out" 2>"$tmp/cls.err" ||
    { cat "$tmp/cls.err"; fail "classify exited $? on good files"; }
[ -s "$tmp/cls.err" ] && { cat "$tmp/cls.err"; fail "classify wrote to stderr on good files"; }
total=0 same=0
while IFS= read -r line; do
    case $line in "  "*) continue ;; esac
    f=${line%%: *}
    rest=${line#*: }
    got=${rest%% (p *}
    i=$(basename "$f"); i=${i%%-*}
    total=$((total + 1))
    if [ "$got" = "${want[$i]}" ]; then same=$((same + 1)); else echo "differs: $f: $got, original: ${want[$i]}"; fi
    echo "$rest" | grep -Eq '^.+ \(p [0-9.]+\) at θ = [0-9.e-]+, [0-9.]+% of the parameters, [0-9]+ of 12 blocks$' ||
        fail "classify line: $line"
done <"$tmp/cls.out"
n=${#files[@]}
[ "$total" = "$n" ] || { cat "$tmp/cls.out"; fail "$total answers for $n files"; }
echo "classify agrees with the originals on $same of $total files"
[ $((same * 100)) -ge $((total * 90)) ] || fail "only $same of $total agree (need 90%)"
# every kind agrees on most of its images
for kind in 84.png 280-inv.png 56-rgb.png 42-inv-rgb.bmp 112.jpg 28-inv.gif 70-alpha.png; do
    k=0
    for i in $IDS; do
        grep -q "^$tmp/img/$i-$kind: ${want[$i]} (p" "$tmp/cls.out" && k=$((k + 1))
    done
    [ "$k" -ge 16 ] || fail "$kind: only $k of 20 agree"
done
# a probability line for each
[ "$(grep -c '^  T-shirt/top [0-9.]*  Trouser' "$tmp/cls.out")" = "$n" ] || fail "probability lines"

# --- JSON ---
"$RTVIZ" classify --model "$tmp/m.ckpt" --json "$tmp/img/0-84.png" "$tmp/img/1-56-rgb.png" >"$tmp/cls.json" ||
    fail "classify --json exited $?"
if command -v python3 >/dev/null; then
    python3 - "$tmp/cls.json" <<'EOF' || fail "classify --json is not valid JSON with the keys"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["arch"] == "rt" and r["failed"] == 0 and len(r["images"]) == 2, r
for im in r["images"]:
    for k in ("file", "prediction", "class", "confidence", "probabilities", "activation_pct",
              "active_blocks", "blocks", "theta", "width", "height"):
        assert k in im, k
    p = im["probabilities"]
    assert len(p) == 10 and abs(sum(p.values()) - 1) < 1e-3, p
    assert p[im["prediction"]] == im["confidence"]
    assert 0 < im["activation_pct"] <= 100 and 1 <= im["active_blocks"] <= 12
assert r["images"][0]["width"] == 84 and r["images"][1]["width"] == 56
EOF
fi

# --- bad files: one line each, naming the file; exit 1; the good one still answered ---
bad="$tmp/bad"
mkdir "$bad"
echo "this is not an image" >"$bad/text.png"
: >"$bad/empty.png"
head -c 300 "$tmp/img/0-280-inv.png" >"$bad/trunc.png"
head -c 500 "$tmp/img/0-112.jpg" >"$bad/trunc.jpg"
head -c 1000 "$tmp/img/0-42-inv-rgb.bmp" >"$bad/trunc.bmp"
head -c 400 "$tmp/img/o0.pgm" >"$bad/trunc.pgm"
printf 'P5\n100000 100000\n255\n' >"$bad/huge.pgm"
head -c 100 /dev/zero >>"$bad/huge.pgm"
# a PNG whose header says 60000 x 60000
{ printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\xea\x60\x00\x00\xea\x60\x08\x00\x00\x00\x00'
  printf '\x00\x00\x00\x00'; } >"$bad/huge.png"
mkdir "$bad/dir.png"
mkfifo "$bad/fifo.png"
printf 'P2\n2 2\n255\n0 1 2 3\n' >"$bad/ascii.pgm"
names="text.png empty.png trunc.png trunc.jpg trunc.bmp trunc.pgm huge.pgm huge.png dir.png fifo.png ascii.pgm"
args=()
for b in $names; do args+=("$bad/$b"); done
timeout 20 "$RTVIZ" classify --model "$tmp/m.ckpt" "${args[@]}" "$tmp/img/3-84.png" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
[ "$rc" = 1 ] || { cat "$tmp/bad.err"; fail "bad files: exit $rc, expected 1"; }
[ "$(wc -l <"$tmp/bad.err")" = 11 ] || { cat "$tmp/bad.err"; fail "expected 11 error lines"; }
for b in $names; do
    grep -q "^rtviz classify: $bad/$b: " "$tmp/bad.err" || { cat "$tmp/bad.err"; fail "no line for $b"; }
done
expect() { grep -q "$bad/$1: .*$2" "$tmp/bad.err" || { cat "$tmp/bad.err"; fail "$1: expected '$2'"; }; }
expect text.png "not an image"
expect empty.png "empty"
expect trunc.png "truncated"
expect trunc.jpg "truncated"
expect trunc.bmp "truncated"
expect trunc.pgm "truncated"
expect huge.pgm "too large"
expect huge.png "too large"
expect dir.png "directory"
expect fifo.png "FIFO"
expect ascii.pgm "P2"
grep -q "^$tmp/img/3-84.png: " "$tmp/bad.out" || fail "the good file after the bad ones was not classified"
grep -qi 'sanitizer\|segmentation\|abort' "$tmp/bad.err" && fail "a crash"

# --- usage errors: exit 2 ---
"$RTVIZ" classify "$tmp/img/0-84.png" >/dev/null 2>&1; [ $? = 2 ] || fail "no --model: expected exit 2"
"$RTVIZ" classify --model "$tmp/m.ckpt" >/dev/null 2>&1; [ $? = 2 ] || fail "no images: expected exit 2"
"$RTVIZ" classify --model "$tmp/m.ckpt" --tau 2 "$tmp/img/0-84.png" >/dev/null 2>&1
[ $? = 2 ] || fail "--tau 2: expected exit 2"
"$RTVIZ" classify --model "$tmp/nope.ckpt" "$tmp/img/0-84.png" >/dev/null 2>&1
[ $? = 1 ] || fail "a missing model: expected exit 1"
echo "classify: all checks passed"
exit 0
