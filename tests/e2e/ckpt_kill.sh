#!/usr/bin/env bash
# ckpt_kill.sh — SIGINT, SIGTERM and SIGKILL during `rtviz train --save` never
# leave a checkpoint that does not load (issue 6, faults).
#
# A tiny MNIST-shaped dataset (64 train / 16 test images, in $RTVIZ_DATA) and a
# wide one-layer network make every epoch a big (~20 MB with Adam) checkpoint
# save, so most of the run is spent saving. Each round starts a training that
# saves every epoch over the same file, kills it after a random delay with a
# random signal (odd rounds: at a random moment; even rounds: 0-19 ms after a
# save's temporary file appears), then checks that the file still loads
# (`rtviz eval --model`). A leftover temp file (.model.ckpt.rtviz-PID-XXXXXXXX)
# proves the kill landed in the middle of a save; the next save removes such
# stale files, so they never pile up: at most one is there after any round, and
# none after a last clean training.
# Env: RTVIZ (binary), RTVIZ_ROOT; CKPT_KILL_ROUNDS (default 30).
# Exit 0 pass, 77 skip (reason last), else fail.
set -u
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
rounds=${CKPT_KILL_ROUNDS:-30}

out=$("$RTVIZ" train --help 2>&1) || true
echo "$out" | grep -q -- '--save' || skip "rtviz train --save not available yet"

# --- tiny dataset: 64 / 16 random 28x28 images, labels 0..9 -------------------
be32() { printf "\\$(printf '%03o' $(($1 >> 24 & 255)))\\$(printf '%03o' $(($1 >> 16 & 255)))\\$(printf '%03o' $(($1 >> 8 & 255)))\\$(printf '%03o' $(($1 & 255)))"; }
mk_images() { { printf '\0\0\10\3'; be32 "$2"; be32 28; be32 28; head -c $(($2 * 784)) /dev/urandom; } >"$1"; }
mk_labels() { { printf '\0\0\10\1'; be32 "$2"; head -c "$2" /dev/urandom | od -An -v -tu1 |
  tr -s ' \n' '\n\n' | grep . | while read -r b; do printf "\\$(printf '%03o' $((b % 10)))"; done; } >"$1"; }
d=$tmp/data/mnist
mkdir -p "$d"
mk_images "$d/train-images-idx3-ubyte" 64
mk_labels "$d/train-labels-idx1-ubyte" 64
mk_images "$d/t10k-images-idx3-ubyte" 16
mk_labels "$d/t10k-labels-idx1-ubyte" 16
export RTVIZ_DATA=$tmp/data

ck=$tmp/run/model.ckpt
mkdir -p "$tmp/run"
run=(--dataset mnist --batch 64 --threads 1)
net=("${run[@]}" --layers 1 --blocks 2 --width 1024)
loads() { "$RTVIZ" eval --model "$ck" --dataset mnist >"$tmp/eval.out" 2>&1; }

# the first checkpoint
"$RTVIZ" train "${net[@]}" --epochs 1 --save "$ck" >"$tmp/first.out" 2>&1 ||
  { cat "$tmp/first.out"; fail "first training failed"; }
[ -s "$ck" ] || fail "no checkpoint written"
loads || { cat "$tmp/eval.out"; fail "the first checkpoint does not load"; }
echo "checkpoint: $(stat -c %s "$ck") bytes"

# job control on: a background job of a non-interactive shell would otherwise
# start with SIGINT ignored, so an early SIGINT would be lost
set -m
sigs=(INT TERM KILL)
mid=0
declare -A hit
for ((r = 1; r <= rounds; r++)); do
  sig=${sigs[RANDOM % 3]}
  delay=$(printf '0.%03d' $((RANDOM % 900 + 50)))
  "$RTVIZ" train "${run[@]}" --model "$ck" --epochs 1000 --save "$ck" >/dev/null 2>&1 &
  pid=$!
  if ((r % 2)); then
    sleep "$delay" # odd rounds: a random moment
  else
    # even rounds: wait for a save to start, then kill within 0-19 ms
    for _ in $(seq 1000); do compgen -G "$tmp/run/.model.ckpt.rtviz-$pid-*" >/dev/null && break; sleep 0.005; done
    delay=$(printf '0.%03d' $((RANDOM % 20)))
    sleep "$delay"
    delay="save+$delay"
  fi
  kill -s "$sig" "$pid" 2>/dev/null
  # SIGINT: train finishes its minibatch, saves once more and exits 130
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null && fail "round $r: rtviz train still running 10 s after SIG$sig"
  wait "$pid"
  rc=$?
  pid=
  tmpf=$(ls -A "$tmp/run" | grep -Ec '^\.model\.ckpt\.rtviz-[0-9]+-')
  [ "$tmpf" -gt 1 ] && fail "round $r: $tmpf temp files pile up: $(ls -A "$tmp/run")"
  [ "$tmpf" -gt 0 ] && { mid=$((mid + 1)); hit[$sig]=$((${hit[$sig]:-0} + 1)); }
  echo "round $r: SIG$sig after ${delay}s, exit $rc, leftover temp files $tmpf"
  case $sig in INT) [ "$rc" = 130 ] || [ "$rc" = 0 ] || fail "round $r: SIGINT exit $rc, expected 130" ;; esac
  loads || { cat "$tmp/eval.out"; fail "round $r: the checkpoint does not load after SIG$sig"; }
done
# a last clean save sweeps what a killed one left
"$RTVIZ" train "${run[@]}" --model "$ck" --epochs 1 --save "$ck" >/dev/null 2>&1 || fail "last training failed"
left=$(ls -A "$tmp/run" | grep -v '^model\.ckpt$')
[ -z "$left" ] || fail "files left next to the checkpoint after a clean save: $left"
echo "$rounds rounds, $mid killed in the middle of a save (INT ${hit[INT]:-0}, TERM ${hit[TERM]:-0}, KILL ${hit[KILL]:-0}); the checkpoint always loaded"
