#!/usr/bin/env bash
# `l` loads an image file in the terminal UI, at 160×50 and at 80×24: a
# partial path completed with Tab, a second Tab lists the matches, Enter
# loads; the canvas shows the image and the prediction on screen is what
# `rtviz classify --json` says for the same file with the same weights (the
# run paused and saved first). Bad files (text, empty, truncated PNG, a
# directory, a missing file) each give their line and the UI carries on;
# Esc cancels and leaves the canvas as it was.
. "$(dirname "$0")/tui_common.bash"
command -v convert >/dev/null || { echo "ImageMagick convert missing (scripts/deps.sh test installs it)"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
T10K="$RTVIZ_ROOT/assets/sample/t10k-images-idx3-ubyte.gz"
[ -e "$T10K" ] || { echo "sample dataset missing"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"

"$RTVIZ" train --dataset sample --epochs 1 --limit 1000 --blocks 4 --width 16 --threads 1 \
    --save "$TMPD/m.ckpt" >"$TMPD/train.out" 2>&1 || { cat "$TMPD/train.out"; fail "train failed"; }

# test images as files: a 28x28 PGM from the IDX file, then a PNG 3x the size, dark on light
img=$TMPD/imgs
mkdir -p "$img/sub" "$img/a folder"
zcat "$T10K" >"$TMPD/t10k.idx" || fail "cannot unpack $T10K"
pgm() { { printf 'P5\n28 28\n255\n'; tail -c +$((17 + $1 * 784)) "$TMPD/t10k.idx" | head -c 784; } >"$2"; }
pgm 0 "$TMPD/o0.pgm"
pgm 1 "$TMPD/o1.pgm"
convert "$TMPD/o0.pgm" -resize 300% -negate "$img/zebra-shoe.png" || fail "convert"
convert "$TMPD/o1.pgm" -resize 200% "$img/zebra-top.png" || fail "convert"
echo "not a picture" >"$img/notes.txt"
: >"$img/empty.png"
head -c 300 "$img/zebra-shoe.png" >"$img/cut.png"
cp "$img/zebra-top.png" "$img/sub/inner.png"

# the prediction classify gives for a file with checkpoint $1
want() {
    "$RTVIZ" classify --model "$1" --json "$2" | python3 -c \
        'import json,sys; d=json.load(sys.stdin); print(d["images"][0]["prediction"] or "none")'
}
# the prediction on screen ("→ NAME" beside the image), once its sweep is at its stop
shown() {
    wait_for '\(here\)' 20
    cap | grep -oE '→ [A-Za-z][A-Za-z/ -]*[a-z]' | head -1 | sed 's/^→ //'
}

for size in "160 50" "80 24"; do
    set -- $size
    start "$1" "$2" --dataset sample --model "$TMPD/m.ckpt" --seed 1
    wait_for 'step [0-9]+ ' 20
    keys Space
    wait_for 'paused' 10
    rm -f "$TMPD/rtviz.ckpt"
    keys S
    wait_for 'saved step [0-9]+' 10
    [ -s "$TMPD/rtviz.ckpt" ] || fail "$1x$2: S wrote no checkpoint"
    # Esc cancels: nothing loaded, the test image still traced
    keys l
    wait_for 'load image: ' 5
    keys -l "$img/zeb"
    keys Escape
    wait_for 'load cancelled' 5
    cap | grep -q 'load image: ' && fail "$1x$2: Esc left the prompt open"
    cap | grep -qE 'zebra|drawn' && fail "$1x$2: a cancelled load changed the image"
    # a partial path + Tab completes to the common prefix; Tab Tab lists both
    keys l
    wait_for 'load image: ' 5
    keys -l "$img/zeb"
    keys Tab
    wait_for "load image: .*zebra-" 5
    keys Tab
    wait_for 'zebra-shoe\.png' 5
    wait_for 'zebra-top\.png' 5
    wait_for '2 matches' 5
    keys Escape # back to the text
    wait_gone '2 matches' 5
    keys -l "s"
    keys Tab
    wait_for "load image: .*zebra-shoe\.png" 5
    keys Enter
    wait_for 'loaded zebra-shoe\.png \(84×84, inverted\)' 10
    wait_for 'zebra-shoe\.png' 5
    got=$(shown)
    exp=$(want "$TMPD/rtviz.ckpt" "$img/zebra-shoe.png")
    [ -n "$got" ] && [ "$got" = "$exp" ] || fail "$1x$2: screen says '$got', classify '$exp'"
    # the list: pick a directory, then a file in it, with arrows + Enter
    keys l
    wait_for 'load image: ' 5
    keys C-u
    keys -l "$img/"
    keys Tab Tab
    wait_for 'a folder/' 5
    wait_for 'other files? not shown' 5 # notes.txt is no image
    wait_for '> a folder/' 5          # sorted: a folder/ cut.png empty.png sub/ zebra-…
    keys Down Down Down
    wait_for '> sub/' 5
    keys Enter
    wait_for '> inner\.png' 5
    keys Enter
    wait_for 'loaded inner\.png \(56×56\)' 10
    got=$(shown)
    exp=$(want "$TMPD/rtviz.ckpt" "$img/sub/inner.png")
    [ "$got" = "$exp" ] || fail "$1x$2: screen says '$got' for inner.png, classify '$exp'"
    # bad files: their line, and the UI carries on with the image as it was
    for bad in "notes.txt:not an image" "empty.png:empty file" "cut.png:truncated" \
        "sub:a directory" "nothing.png:No such file"; do
        f=${bad%%:*} why=${bad#*:}
        keys l
        wait_for 'load image: ' 5
        keys C-u
        keys -l "$img/$f"
        keys Enter
        wait_for "$why" 10
        wait_for 'inner\.png' 5 # still the image loaded before
    done
    # retouching the loaded image: it says so, and the prediction stays live
    keys Enter
    wait_for 'retouched' 5
    keys d
    wait_for 'back to test image' 5
    keys q q
    [ "$(wait_exit)" = 0 ] || fail "$1x$2: q q did not quit with 0"
    T kill-server
    rm -f "$TMPD/rc"
done
echo "l loads with Tab completion and a list at 160x50 and 80x24, predicts as classify; bad files say why"
