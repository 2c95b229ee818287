#!/usr/bin/env bash
# make-models.sh — train the tutorial's shipped models into assets/models/.
#
#   scripts/make-models.sh                 train every model, write assets/models/ (the models,
#                                          SHA256SUMS, README.md, MACHINE)
#   scripts/make-models.sh --check [NAME…] train into a temp dir and compare the bytes with
#                                          assets/models/SHA256SUMS (all models, or the NAMEs);
#                                          KEEP=DIR copies the fresh models there
#   scripts/make-models.sh --stamp         a full --check; when every model is the same bytes,
#                                          rewrite assets/models/MACHINE for this machine and
#                                          engine (the models themselves are not touched)
#   scripts/make-models.sh --machine       print this machine's signature (see MACHINE)
#
# Every model comes from a fixed seed and rtviz's own `rtviz train` on Fashion-MNIST
# (Debian package dataset-fashion-mnist), at --threads 2 (the MLP's products are split by
# thread count, so the thread count is part of the recipe), with the CPU's best SIMD kernels
# and the OpenBLAS core rtviz runs by default (RTVIZ_SIMD and OPENBLAS_CORETYPE are unset for it).
# The models that no chapter resumes training from are stored without their Adam state
# (scripts/ckpt-strip.c), a third of the size.
#
# MACHINE holds the signature of the machine that made the models — CPU, SIMD level, OpenBLAS,
# compiler: what decides the low bits of training besides the engine's code — and, for the
# record, a hash of src/engine/ when they were last made or stamped. On a machine with the same
# signature the recipe must give the same bytes whatever the engine's sources say: an engine
# change that changes training bits needs a new `make models` (and tests/e2e/tutorial_facts.sh);
# an engine change that keeps them needs nothing (`--stamp` records the new hash). On another
# CPU the low bits may differ; the tutorial's facts are checked on the shipped bytes and chosen
# with margins, so they hold anyway.
# Exit 0 ok, 1 a step failed or --check / --stamp found a difference, 2 bad usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=assets/models

# name | keep Adam (1) or strip (0) | rtviz train arguments ({dir} = the output directory)
recipes() {
    cat <<'R'
rt.ckpt|1|--dataset fashionmnist --epochs 10 --seed 1 --threads 2
rt-floor.ckpt|0|--model {dir}/rt.ckpt --floor 0.12 --epochs 2 --seed 11 --threads 2
rt-h16.ckpt|0|--dataset fashionmnist --width 16 --epochs 10 --seed 1 --threads 2
mlp.ckpt|0|--dataset fashionmnist --arch mlp --hidden 256,256 --epochs 10 --seed 1 --threads 2
mlp-128.ckpt|0|--dataset fashionmnist --arch mlp --hidden 128 --epochs 10 --seed 1 --threads 2
mlp-32.ckpt|0|--dataset fashionmnist --arch mlp --hidden 32 --epochs 10 --seed 1 --threads 2
R
}

die() { echo "make-models: $*" >&2; exit 1; }

# What decides the low bits of training besides the engine's code (written to MACHINE).
machine() {
    local f
    echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')"
    f=$(grep -m1 '^flags' /proc/cpuinfo)
    echo "simd: $(for x in avx512f avx2 fma; do case " $f " in *" $x "*) printf '%s ' $x ;; esac; done)"
    echo "openblas: $(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null || echo unknown)"
    echo "cc: $(cc --version | head -1)"
}
# The engine's sources (a record only: the bytes are the test, not this hash).
engine_hash() { (cd "$root" && LC_ALL=C cat src/engine/*.c src/engine/*.h | sha256sum | cut -c1-16); }
stamp() { # stamp FILE: the signature and the engine hash
    {
        machine
        echo "engine: $(engine_hash) (src/engine/ when these bytes were last made or checked; not compared)"
    } >"$1"
}
if [ "${1:-}" = --machine ]; then machine; exit 0; fi

usage() { echo "usage: scripts/make-models.sh [--check [NAME...] | --stamp | --machine]" >&2; exit 2; }
check=0 stamping=0
case "${1:-}" in
--check) check=1; shift ;;
--stamp) check=1; stamping=1; shift; [ $# = 0 ] || usage ;;
-*) usage ;;
esac
want=("$@")
[ ${#want[@]} -gt 0 ] && [ $check = 0 ] && usage
for n in "${want[@]}"; do
    recipes | cut -d'|' -f1 | grep -qx -- "$n" || { echo "make-models: no model named $n" >&2; exit 2; }
done

make -s --no-print-directory rtviz
./rtviz datasets | grep -q '^fashionmnist .* found$' ||
    die "Fashion-MNIST is not installed: sudo apt-get install dataset-fashion-mnist"

strip_bin=build/models/ckpt-strip
mkdir -p build/models
# the helper links the engine objects `make rtviz` just built
cc -std=c11 -O2 -Wall -Wextra -D_DEFAULT_SOURCE -Isrc/engine -o "$strip_bin" scripts/ckpt-strip.c \
    $(ls build/release/src/engine/*.o) $(pkg-config --libs openblas zlib libcjson stb) -lm -lpthread ||
    die "cannot build $strip_bin"

tmp=$(mktemp -d build/models/run.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# in --check mode with names, the models a named one depends on are built too
needs() { recipes | grep "^$1|" | sed -n 's/.*--model {dir}\/\([^ ]*\).*/\1/p'; }
selected=()
if [ ${#want[@]} -gt 0 ]; then
    for n in "${want[@]}"; do d=$(needs "$n"); [ -n "$d" ] && selected+=("$d"); selected+=("$n"); done
fi
is_selected() {
    [ ${#want[@]} = 0 ] && return 0
    local s
    for s in "${selected[@]}"; do [ "$s" = "$1" ] && return 0; done
    return 1
}

while IFS='|' read -r name keep args; do
    is_selected "$name" || continue
    a=${args//\{dir\}/$tmp}
    echo "make-models: rtviz train $args --save $name" >&2
    # shellcheck disable=SC2086
    env -u RTVIZ_SIMD -u OPENBLAS_CORETYPE ./rtviz train $a --save "$tmp/full-$name" \
        >"$tmp/$name.log" 2>&1 ||
        { cat "$tmp/$name.log" >&2; die "training $name failed"; }
    grep '^epoch' "$tmp/$name.log" | tail -1 | sed "s/^/make-models: $name: /" >&2
    if [ "$keep" = 1 ]; then
        mv "$tmp/full-$name" "$tmp/$name"
    else
        "$strip_bin" "$tmp/full-$name" "$tmp/$name" || die "stripping $name failed"
        rm -f "$tmp/full-$name"
    fi
done < <(recipes)

if [ $check = 1 ]; then
    [ -f "$out/SHA256SUMS" ] || die "$out/SHA256SUMS is missing"
    bad=0
    while read -r sum name; do
        [ -f "$tmp/$name" ] || continue
        got=$(sha256sum "$tmp/$name" | cut -d' ' -f1)
        if [ "$got" = "$sum" ]; then echo "make-models: $name: same bytes"; else
            echo "make-models: $name: differs from $out/$name (sha256 $got)"; bad=1; fi
        if [ -n "${KEEP:-}" ]; then cp "$tmp/$name" "$KEEP/$name" || die "cannot copy to $KEEP"; fi
    done <"$out/SHA256SUMS"
    if [ $stamping = 1 ]; then
        [ $bad = 0 ] || die "not stamped: the recipe no longer gives the shipped bytes here; \
run \`make models\`, then tests/e2e/tutorial_facts.sh, and fix the chapters it points at"
        stamp "$tmp/MACHINE"
        mv -f "$tmp/MACHINE" "$out/MACHINE"
        echo "make-models: every model is the same bytes: $out/MACHINE stamped" >&2
        cat "$out/MACHINE" >&2
    elif [ $bad = 0 ] && [ ${#want[@]} = 0 ] && ! cmp -s <(machine; echo "engine: $(engine_hash)") \
        <(sed 's/^\(engine: [0-9a-f]*\).*/\1/' "$out/MACHINE"); then
        echo "make-models: this machine or engine is not the one in $out/MACHINE, and every model" \
            "is the same bytes: scripts/make-models.sh --stamp records it" >&2
    fi
    exit $bad
fi

# the recipe, for the record, beside the models
{
    echo "# Shipped models"
    echo
    echo "Made by \`make models\` (scripts/make-models.sh) with rtviz's own training on Fashion-MNIST;"
    echo "\`scripts/make-models.sh --check\` retrains them and compares the bytes with SHA256SUMS."
    echo "Models marked *weights only* were saved without their Adam state (scripts/ckpt-strip.c)."
    echo "The chapters of tutorial/ start from these files; every number their text gives is a"
    echo "\`fact:\` checked on these very bytes (tests/e2e/tutorial_facts.sh, tests/ui/test_tutorial.c),"
    echo "so the tutorial shows the same numbers on every machine."
    echo
    echo "## Same machine, same bytes"
    echo
    echo "MACHINE is the signature of the machine that made them: CPU, SIMD level, OpenBLAS version,"
    echo "compiler (what decides the low bits of training besides the engine's code), and, for the"
    echo "record, a hash of src/engine/ when they were last made or checked. On a machine with that"
    echo "signature the recipe must give the same bytes whatever the engine's sources are:"
    echo "tests/e2e/tutorial_models.sh retrains mlp-32.ckpt and rt-h16.ckpt and compares."
    echo
    echo "- An engine change that keeps training's bits (a faster kernel, the image reader) needs"
    echo "  nothing; \`scripts/make-models.sh --stamp\` (a full --check, then MACHINE rewritten) records"
    echo "  the new engine hash, or a new compiler or OpenBLAS that gives the same bytes."
    echo "- An engine change that changes training's bits makes tutorial_models.sh fail on this"
    echo "  machine: run \`make models\`, then tests/e2e/tutorial_facts.sh and the unit test"
    echo "  \`tutorial/*\`, fix the chapters and docs/TEACHING.md where they point, and commit the"
    echo "  models, this file, SHA256SUMS and MACHINE together."
    echo "- On another CPU (AVX-512, another OpenBLAS core) the low bits of training differ and"
    echo "  tutorial_models.sh compares the retrained models' test accuracy (within 0.5 points)"
    echo "  instead; the shipped bytes, and so the facts, stay the same."
    echo
    echo "## The recipe"
    echo
    echo "Fixed seeds, \`--threads 2\`, RTVIZ_SIMD and OPENBLAS_CORETYPE unset. The last column is the"
    echo "test accuracy of the final epoch as \`rtviz train\` printed it."
    echo
    echo "| file | command | Adam state | test |"
    echo "|---|---|---|---|"
    while IFS='|' read -r name keep args; do
        a=${args//\{dir\}/assets/models}
        k="kept"; [ "$keep" = 1 ] || k="weights only"
        acc=$(grep '^epoch' "$tmp/$name.log" | tail -1 | sed -n 's/.* test \([0-9.]*%\).*/\1/p')
        echo "| \`$name\` | \`rtviz train $a --save $name\` | $k | ${acc:-?} |"
    done < <(recipes)
} >"$tmp/README.md"
(cd "$tmp" && sha256sum $(recipes | cut -d'|' -f1) >SHA256SUMS)
stamp "$tmp/MACHINE"
mkdir -p "$out"
for f in $(recipes | cut -d'|' -f1) README.md SHA256SUMS MACHINE; do mv -f "$tmp/$f" "$out/$f"; done
ls -l "$out" >&2
