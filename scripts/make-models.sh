#!/usr/bin/env bash
# make-models.sh — train the tutorial's shipped models into assets/models/.
#
#   scripts/make-models.sh                 train every model, write assets/models/ and SHA256SUMS
#   scripts/make-models.sh --check [NAME…] train into a temp dir and compare the bytes with
#                                          assets/models/SHA256SUMS (all models, or the NAMEs);
#                                          KEEP=DIR copies the fresh models there
#   scripts/make-models.sh --machine       print this machine's signature (see MACHINE)
#
# Every model comes from a fixed seed and rtviz's own `rtviz train` on Fashion-MNIST
# (Debian package dataset-fashion-mnist), at --threads 2 (the MLP's products are split by
# thread count, so the thread count is part of the recipe). The models that no chapter resumes
# training from are stored without their Adam state (scripts/ckpt-strip.c), a third of the size.
# Same machine, same binary ⇒ the same bytes; on another CPU the low bits may differ (the
# tutorial's facts are chosen with margins so that they hold anyway).
# Exit 0 ok, 1 a step failed or --check found a difference, 2 bad usage.
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

# What decides the low bits of training: the CPU and its SIMD level, OpenBLAS, the compiler and
# the engine's sources (their hash: any change to src/engine/ counts as another engine).
# Written to assets/models/MACHINE; the same signature should give the same bytes.
machine() {
    local f
    echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')"
    f=$(grep -m1 '^flags' /proc/cpuinfo)
    echo "simd: $(for x in avx512f avx2 fma; do case " $f " in *" $x "*) printf '%s ' $x ;; esac; done)"
    echo "openblas: $(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null || echo unknown)"
    echo "cc: $(cc --version | head -1)"
    echo "engine: $(cd "$root" && LC_ALL=C cat src/engine/*.c src/engine/*.h | sha256sum | cut -c1-16)"
}
if [ "${1:-}" = --machine ]; then machine; exit 0; fi

check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
case "${1:-}" in -*) echo "usage: scripts/make-models.sh [--check [NAME...]]" >&2; exit 2 ;; esac
want=("$@")
if [ ${#want[@]} -gt 0 ] && [ $check = 0 ]; then
    echo "usage: scripts/make-models.sh [--check [NAME...]]" >&2; exit 2
fi
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
    ./rtviz train $a --save "$tmp/full-$name" >"$tmp/$name.log" 2>&1 ||
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
    exit $bad
fi

# the recipe, for the record, beside the models
{
    echo "# Shipped models"
    echo
    echo "Made by \`make models\` (scripts/make-models.sh) with rtviz's own training on Fashion-MNIST;"
    echo "\`scripts/make-models.sh --check\` retrains them and compares the bytes with SHA256SUMS."
    echo "Models marked *weights only* were saved without their Adam state (scripts/ckpt-strip.c)."
    echo "MACHINE is the signature of the machine and engine that made them (CPU, SIMD level,"
    echo "OpenBLAS, compiler, a hash of src/engine/): with the same signature the same commands give"
    echo "the same bytes; elsewhere the low bits of training differ and \`make models\` makes other"
    echo "models (then run tests/e2e/tutorial_facts.sh and fix the chapters it points at)."
    echo
    echo "| file | command | Adam state |"
    echo "|---|---|---|"
    while IFS='|' read -r name keep args; do
        a=${args//\{dir\}/assets/models}
        k="kept"; [ "$keep" = 1 ] || k="weights only"
        echo "| \`$name\` | \`rtviz train $a --save $name\` | $k |"
    done < <(recipes)
} >"$tmp/README.md"
(cd "$tmp" && sha256sum $(recipes | cut -d'|' -f1) >SHA256SUMS)
machine >"$tmp/MACHINE"
mkdir -p "$out"
for f in $(recipes | cut -d'|' -f1) README.md SHA256SUMS MACHINE; do mv -f "$tmp/$f" "$out/$f"; done
ls -l "$out" >&2
