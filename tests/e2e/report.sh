#!/usr/bin/env bash
# report.sh — `rtviz report` and `rtviz gallery` end to end on the sample
# dataset: a one-epoch report writes a well-formed figure2.csv, summary.json,
# results.md and PNGs of the stated size that are not blank; its numbers
# agree with `rtviz eval` on the models it saved; --merge of two reports has
# both datasets in its legend, CSV and chart colours; the gallery draws a
# small model; bad flags exit 2 and bad paths or files exit 1, with one line.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 77; }
[ -e "$RTVIZ_ROOT/assets/sample/train-images-idx3-ubyte.gz" ] || { echo "sample dataset missing"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing (scripts/deps.sh test installs it)"; exit 77; }
export RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
png="python3 $RTVIZ_ROOT/tests/e2e/pngcheck.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --- a small report: 8 networks, 1 epoch, 300 test images ---
"$RTVIZ" report --dataset sample --out "$tmp/a" --epochs 1 --limit 300 --threads 2 \
    >"$tmp/a.out" 2>"$tmp/a.err" || { cat "$tmp/a.out" "$tmp/a.err"; fail "report exited $?"; }
for f in figure2.csv figure2.png figure2-time.png figure3.png summary.json results.md; do
    [ -s "$tmp/a/$f" ] || fail "report did not write $f"
done
[ "$(ls "$tmp/a/models" | grep -c '\.ckpt$')" = 8 ] || { ls "$tmp/a/models"; fail "not 8 models saved"; }
ls -A "$tmp/a" "$tmp/a/models" | grep -q '\.tmp\.' && fail "temporary file left behind"
# progress on stderr: plain lines (not a tty) with a bar and an ETA
grep -q '^report: \[#*\.*\] *[0-9]*%  run 8/8 .*ETA' "$tmp/a.err" || { cat "$tmp/a.err"; fail "no progress lines"; }
grep -q $'\r' "$tmp/a.err" && fail "carriage returns in progress that is not on a terminal"
grep -q '^legend: sample (Fashion-MNIST subset) RT, sample (Fashion-MNIST subset) MLP$' "$tmp/a.out" ||
    { cat "$tmp/a.out"; fail "legend line"; }

# figure2.csv: header, 8 rows of 11 fields, sane values
python3 - "$tmp/a" <<'EOF' || fail "figure2.csv / summary.json are not well formed"
import csv, json, sys, math
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/figure2.csv")))
assert len(rows) == 8, len(rows)
assert list(rows[0].keys()) == ["dataset", "model", "size", "seed", "test_acc", "test_acc_theta0",
    "params_used_mean", "activation_mean", "us_per_sample", "params_total", "model_file"], rows[0].keys()
assert [r["model"] for r in rows] == ["rt"] * 4 + ["mlp"] * 4
for r in rows:
    assert r["dataset"] == "sample"
    assert 0 <= float(r["test_acc"]) <= 100 and 0 < float(r["activation_mean"]) <= 100
    assert 0 < float(r["params_used_mean"]) <= int(r["params_total"])
    assert float(r["us_per_sample"]) > 0
    if r["model"] == "mlp":
        assert float(r["activation_mean"]) == 100.0 and float(r["params_used_mean"]) == int(r["params_total"])
s = json.load(open(d + "/summary.json"))
assert s["dataset"] == "sample" and s["test_n"] == 300 and s["epochs"] == 1 and s["seeds"] == 1
assert len(s["models"]) == 8
for m, r in zip(s["models"], rows):
    assert m["model_file"] == r["model_file"]
    for k in ("accuracy", "accuracy_theta0", "activation_mean", "activation_median", "blocks_mean",
              "params_used_mean", "spearman_activation_loss", "error_easiest_tenth",
              "error_hardest_tenth", "unreached", "us_per_sample", "params_total"):
        assert k in m, k
    assert abs(m["accuracy"] - float(r["test_acc"])) < 1e-3
    # the floor: router + one block per layer (L3 B8 on 784 inputs, 10 classes)
    if m["arch"] == "rt":
        H, B, D, C = int(m["size"][1:]), 8, 784, 10
        floor = (B * D + B) + (H * D + H + B * H + B) + (H * H + H + B * H + B) + (H * H + H + C * H + C)
        assert m["params_floor"] == floor, (m["size"], m["params_floor"], floor)
        assert floor <= m["params_used_min"] + 0.5 <= m["params_used_mean"] + 1, m
    else:
        assert "params_floor" not in m and m["params_used_min"] == m["params_total"], m
EOF

# the numbers agree with `rtviz eval` on the saved models (same --limit)
for f in $(cut -d, -f11 "$tmp/a/figure2.csv" | tail -n +2); do
    "$RTVIZ" eval --model "$tmp/a/$f" --dataset sample --limit 300 --json >"$tmp/e.json" ||
        fail "eval of $f exited $?"
    python3 - "$tmp/a" "$f" "$tmp/e.json" <<'EOF' || fail "report and eval disagree on $f"
import csv, json, sys
d, f, ej = sys.argv[1:]
r = [r for r in csv.DictReader(open(d + "/figure2.csv")) if r["model_file"] == f][0]
m = [m for m in json.load(open(d + "/summary.json"))["models"] if m["model_file"] == f][0]
e = json.load(open(ej))
assert e["n"] == 300
for csvk, k, tol in (("test_acc", "accuracy", 1e-3), ("test_acc_theta0", "accuracy_theta0", 1e-3),
                     ("activation_mean", "activation_mean", 1e-3),
                     ("params_used_mean", "params_used_mean", 0.1)):
    assert abs(float(r[csvk]) - e[k]) <= tol * max(1, abs(e[k])), (f, csvk, r[csvk], e[k])
for k in ("accuracy", "activation_median", "blocks_mean", "error_easiest_tenth", "error_hardest_tenth",
          "unreached", "params_total"):
    assert abs(m[k] - e[k]) <= 1e-3 * max(1, abs(e[k])), (f, k, m[k], e[k])
se, sm = e["spearman_activation_loss"], m["spearman_activation_loss"]
assert (se is None and sm is None) or abs(se - sm) < 1e-3, (se, sm)
EOF
done

# the PNGs: stated size, not blank; figure 2 shows colour 0 (the one dataset)
$png "$tmp/a/figure2.png" 1100 700 0,114,178 || fail "figure2.png"
$png "$tmp/a/figure2-time.png" 1100 700 0,114,178 || fail "figure2-time.png"
size=$(sed -n 's/.*figure3.png (\([0-9]*\)x\([0-9]*\)).*/\1 \2/p' "$tmp/a.out")
[ -n "$size" ] || fail "report does not state figure3's size"
$png "$tmp/a/figure3.png" $size || fail "figure3.png"
grep -q '^#### .*Figure 2 data' "$tmp/a/results.md" || fail "results.md has no Figure 2 table"
grep -q 'Spearman ≥ 0.5' "$tmp/a/results.md" || fail "results.md has no Spearman verdict"
grep -q '^\*\*Parameter target (sample (Fashion-MNIST subset)): m[a-z]*\.\*\* Against the most accurate MLP' \
    "$tmp/a/results.md" || fail "results.md has no parameter verdict"
grep -q '^\*\*Time (sample (Fashion-MNIST subset)):\*\* ' "$tmp/a/results.md" || fail "results.md has no time verdict"
grep -q '^| H16 (L3 B8) | 114.6k | 6.3k | 12.7k | 19.8k | ' "$tmp/a/results.md" ||
    fail "results.md lacks the floor of H16 (router 6280 + blocks 12696, 408, 442 = 19826)"

# --- --merge: a second report under another dataset name ---
mkdir "$tmp/b"
sed '2,$s/^sample,/mnist,/' "$tmp/a/figure2.csv" >"$tmp/b/figure2.csv"
"$RTVIZ" report --merge "$tmp/a" "$tmp/b" --out "$tmp/m" >"$tmp/m.out" 2>&1 || { cat "$tmp/m.out"; fail "merge exited $?"; }
grep -q '^legend: sample (Fashion-MNIST subset) RT, sample (Fashion-MNIST subset) MLP, MNIST RT, MNIST MLP$' "$tmp/m.out" ||
    { cat "$tmp/m.out"; fail "merged legend lacks a dataset"; }
[ "$(cut -d, -f1 "$tmp/m/figure2.csv" | tail -n +2 | sort -u | tr '\n' ' ')" = "mnist sample " ] ||
    fail "merged CSV lacks a dataset"
[ "$(wc -l <"$tmp/m/figure2.csv")" = 17 ] || fail "merged CSV should have 16 rows"
# one colour per dataset: blue and orange both drawn
$png "$tmp/m/figure2.png" 1100 700 0,114,178 230,159,0 || fail "merged figure2.png lacks a dataset's colour"
$png "$tmp/m/figure2-time.png" 1100 700 0,114,178 230,159,0 || fail "merged figure2-time.png"

# --- scripts/reproduce.sh REUSE=1: RESULTS.md rewritten from this report ---
mkdir -p "$tmp/out" "$tmp/docs/results/longer"
cp -r "$tmp/a" "$tmp/out/sample"
printf 'started=2026-01-01 00:00 UTC\ncommit=abc1234\nversion=rtviz test\ntotal=12\ntimes= sample:12\nload0=0.50 0.40 0.30\nload1=0.60 0.50 0.40\nepochs=1\nseeds=1\n' \
    >"$tmp/out/run.env"
for f in figure2.csv results.md summary.json; do cp "$tmp/a/$f" "$tmp/docs/results/longer/"; done
printf 'dataset=sample\nepochs=3\ncommand=rtviz report --dataset sample --epochs 3\nstarted=2026-01-02 00:00 UTC\ncommit=def5678\ntotal=30\nload0=1.0\nload1=2.0\n' \
    >"$tmp/docs/results/longer/run.env"
# two hand-measured rows: one that beats the best MLP with few parameters, one that does not
python3 - "$tmp/a/figure2.csv" >"$tmp/docs/results/shapes.tsv" <<'EOF' || fail "shapes.tsv"
import csv, sys
m = [r for r in csv.DictReader(open(sys.argv[1])) if r["model"] == "mlp"]
best = max(m, key=lambda r: float(r["test_acc"]))
print("# measured: a test\n# commit: abc1234\n# load: 1\n# epochs: 1\n# dataset: sample")
print("shape\tflags\ttau\tacc\tused\ttotal\tactivation\ttrain_s\tmodel")
print("L3 B8 H16\t--width 16\t0.7\t%.2f\t1000\t114648\t0.9\t1\ttrained" % (float(best["test_acc"]) + 1))
print("L1 B4 H8\t--layers 1 --blocks 4 --width 8\t0.5\t1.00\t11021\t28620\t38.5\t1\ttrained")
EOF
REUSE=1 OUT="$tmp/out" DOCS="$tmp/docs" DATASETS=sample sh "$RTVIZ_ROOT/scripts/reproduce.sh" "$RTVIZ" \
    >"$tmp/r.out" 2>&1 || { cat "$tmp/r.out"; fail "reproduce.sh REUSE=1 exited $?"; }
R=$tmp/docs/RESULTS.md
grep -q '^- Started 2026-01-01 00:00 UTC, rtviz test, commit abc1234; took 12 s' "$R" || fail "RESULTS.md: the run's facts"
grep -q 'at most the [0-9]* cores' "$R" || fail "RESULTS.md: the load note of a quiet run"
grep -q '^- \*\*Parameter target (sample (Fashion-MNIST subset)): ' "$R" || fail "RESULTS.md: no parameter verdict"
grep -q '^- \*\*Spearman' "$R" || fail "RESULTS.md: no Spearman verdict"
grep -q '^| L3 B8 H16 | --width 16 | trained | 0.7 | [0-9.]* | 1.0k | 19.8k | 114.6k |' "$R" ||
    fail "RESULTS.md: the shapes row or its floor (19.8k)"
grep -q '^| L1 B4 H8 | .* | 9.5k | 28.6k | 38.5 | none | – | 1 |$' "$R" ||
    fail "RESULTS.md: the L1 B4 H8 floor (3140 + 6370) or its verdict"
grep -q 'the target (half or fewer) is \*\*met\*\*' "$R" || fail "RESULTS.md: the shapes verdict"
grep -q '^## What a longer run changes' "$R" || fail "RESULTS.md: no longer-run section"
[ "$(sed -n '/^## What a longer run changes/,$p' "$R" | grep -c '^| \(RT\|MLP\) | ')" = 8 ] ||
    fail "RESULTS.md: the longer run's table lacks a size"
grep -q '^| RT | H16 | \([0-9.]*\) | \1 | ' "$R" || fail "RESULTS.md: the longer table's columns"
for f in figure2.png figure2-time.png sample-figure3.png sample-summary.json; do
    [ -s "$tmp/docs/results/$f" ] || fail "reproduce.sh did not copy $f"
done
rm "$tmp/out/run.env"
REUSE=1 OUT="$tmp/out" DOCS="$tmp/docs" DATASETS=sample sh "$RTVIZ_ROOT/scripts/reproduce.sh" "$RTVIZ" \
    >"$tmp/r.out" 2>&1 && fail "reproduce.sh REUSE=1 without run.env succeeded"
grep -q 'run.env is missing' "$tmp/r.out" || { cat "$tmp/r.out"; fail "reproduce.sh: the missing run.env"; }

# --- gallery on a small model ---
"$RTVIZ" train --dataset sample --epochs 1 --width 8 --limit 200 --save "$tmp/small.ckpt" >/dev/null 2>&1 ||
    fail "train small exited $?"
"$RTVIZ" gallery --model "$tmp/small.ckpt" --out "$tmp/g.png" --limit 200 >"$tmp/g.out" 2>&1 ||
    { cat "$tmp/g.out"; fail "gallery exited $?"; }
gsize=$(sed -n 's/^wrote .* (\([0-9]*\)x\([0-9]*\))$/\1 \2/p' "$tmp/g.out")
[ -n "$gsize" ] || { cat "$tmp/g.out"; fail "gallery does not state its size"; }
$png "$tmp/g.png" $gsize || fail "gallery PNG"

# --- errors: one line, the right exit code ---
expect() { # CODE PATTERN CMD...
    local code=$1 pat=$2
    shift 2
    "$@" >"$tmp/x.out" 2>"$tmp/x.err"
    local rc=$?
    [ "$rc" = "$code" ] || { cat "$tmp/x.out" "$tmp/x.err"; fail "'$*' exited $rc, expected $code"; }
    [ "$(wc -l <"$tmp/x.err")" = 1 ] || { cat "$tmp/x.err"; fail "'$*': not one line on stderr"; }
    grep -q -- "$pat" "$tmp/x.err" || { cat "$tmp/x.err"; fail "'$*': message lacks '$pat'"; }
}
expect 2 "unknown option '--bogus'" "$RTVIZ" report --bogus
expect 2 "--out DIR is required" "$RTVIZ" report --dataset sample
expect 2 "--seeds: 0 is out of range" "$RTVIZ" report --dataset sample --out "$tmp/z" --seeds 0
expect 2 "--epochs: 'x' is not a whole number" "$RTVIZ" report --dataset sample --out "$tmp/z" --epochs x
expect 2 "--merge needs at least one" "$RTVIZ" report --merge --out "$tmp/z"
expect 2 "--merge takes report directories and --out only" "$RTVIZ" report --merge "$tmp/a" --epochs 2 --out "$tmp/z"
expect 2 "unexpected argument" "$RTVIZ" report --dataset sample --out "$tmp/z" stray
expect 1 "nosuch" "$RTVIZ" report --dataset nosuch --out "$tmp/z"
touch "$tmp/file"
expect 1 "$tmp/file: exists and is not a directory" "$RTVIZ" report --dataset sample --out "$tmp/file"
expect 1 "$tmp/nodir/x: cannot create directory" "$RTVIZ" report --dataset sample --out "$tmp/nodir/x"
expect 1 "$tmp/file/figure2.csv" "$RTVIZ" report --merge "$tmp/file" --out "$tmp/z"
printf 'dataset,model\nx,y\n' >"$tmp/b/figure2.csv"
expect 1 "$tmp/b/figure2.csv:1: not a figure2.csv header" "$RTVIZ" report --merge "$tmp/b" --out "$tmp/z"
{ head -1 "$tmp/a/figure2.csv"; echo "sample,rt,H16,1,abc,1,1,1,1,1,f"; } >"$tmp/b/figure2.csv"
expect 1 "$tmp/b/figure2.csv:2: test_acc 'abc'" "$RTVIZ" report --merge "$tmp/b" --out "$tmp/z"
{ head -1 "$tmp/a/figure2.csv"; echo "sample,rt,H16,1,50,1"; } >"$tmp/b/figure2.csv"
expect 1 "$tmp/b/figure2.csv:2: 6 fields, expected 11" "$RTVIZ" report --merge "$tmp/b" --out "$tmp/z"
expect 2 "--out F.png is required" "$RTVIZ" gallery --model "$tmp/small.ckpt"
expect 2 "--model FILE is required" "$RTVIZ" gallery --out "$tmp/g2.png"
expect 1 "$tmp/nodir/g.png: directory" "$RTVIZ" gallery --model "$tmp/small.ckpt" --out "$tmp/nodir/g.png"
expect 1 "$tmp/a: is .*not a regular file" "$RTVIZ" gallery --model "$tmp/small.ckpt" --out "$tmp/a"
expect 1 "$tmp/file" "$RTVIZ" gallery --model "$tmp/file" --out "$tmp/g2.png"
expect 1 "is an MLP" "$RTVIZ" gallery --model "$tmp/a/models/mlp-32-32-s1.ckpt" --out "$tmp/g2.png"
[ -e "$tmp/g2.png" ] && fail "a failed gallery left an output file"
[ -e "$tmp/z" ] && fail "a failed report created its output directory"
echo "report: all checks passed"
exit 0
