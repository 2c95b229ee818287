#!/usr/bin/env bash
# export.sh — `rtviz export`: bad usage exits 2, a missing or bad model exits 1
# with one line, and a real export (needs `rtviz train`) is valid safetensors
# whose tensors match the model table (checked with python3's stdlib only).
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
: "${RTVIZ:?RTVIZ must name the rtviz binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect CODE ARGS...: run rtviz, check the exit code; stderr lands in $tmp/err
expect() {
  local want=$1; shift
  "$RTVIZ" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" = "$want" ] || { cat "$tmp/err"; fail "rtviz $*: exit $rc, expected $want"; }
}
one_line() {
  [ "$(wc -l <"$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "$1: expected one line on stderr"; }
  grep -q -- "$2" "$tmp/err" || { cat "$tmp/err"; fail "$1: message lacks '$2'"; }
}

# --- usage errors: exit 2 -------------------------------------------------------
expect 2 export
one_line "no flags" "--model"
expect 2 export --model "$tmp/m.ckpt"
one_line "no --out" "--out"
expect 2 export --out "$tmp/o.safetensors"
expect 2 export --bogus
expect 2 export --model
expect 0 export --help
grep -q -- "--model" "$tmp/out" || fail "--help does not list --model"

# --- runtime errors: exit 1, one line naming the file -------------------------------
expect 1 export --model "$tmp/none.ckpt" --out "$tmp/o.safetensors"
one_line "missing model" "none.ckpt"
[ ! -e "$tmp/o.safetensors" ] || fail "an output file was written for a missing model"
printf 'hello, not a checkpoint' >"$tmp/junk.ckpt"
expect 1 export --model "$tmp/junk.ckpt" --out "$tmp/o.safetensors"
one_line "junk model" "junk.ckpt: not an rtviz checkpoint"
expect 1 export --model "$tmp" --out "$tmp/o.safetensors"
one_line "directory as model" "is a directory, not a checkpoint"

# --- a real export ------------------------------------------------------------
command -v python3 >/dev/null || { echo "needs python3"; exit 77; }
if ! "$RTVIZ" train --dataset sample --epochs 1 --save "$tmp/rt.ckpt" >"$tmp/train.log" 2>&1 \
   || [ ! -s "$tmp/rt.ckpt" ]; then
  tail -3 "$tmp/train.log"
  echo "needs rtviz train"
  exit 77
fi
archs="rt"
if "$RTVIZ" train --dataset sample --arch mlp --epochs 1 --save "$tmp/mlp.ckpt" \
     >"$tmp/train.log" 2>&1 && [ -s "$tmp/mlp.ckpt" ]; then
  archs="rt mlp"
fi

for a in $archs; do
  expect 0 export --model "$tmp/$a.ckpt" --out "$tmp/$a.safetensors"
  ls -A "$tmp" | grep -Eq '^\..*\.rtviz-[0-9]+-' && fail "temporary file left behind"
  python3 - "$tmp/$a.safetensors" "$a" <<'EOF' || fail "$a: safetensors check"
import json, math, re, struct, sys

path, arch = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
assert 8 + n <= len(raw), "header length past the end"
assert (8 + n) % 8 == 0, "data section not 8-byte aligned"
header = json.loads(raw[8 : 8 + n].decode("utf-8"))
meta = header.pop("__metadata__")
assert all(isinstance(v, str) for v in meta.values()), "metadata values must be strings"
assert meta["arch"] == arch, meta
D, C = int(meta["D"]), int(meta["C"])
assert D == int(meta["ch"]) * int(meta["h"]) * int(meta["w"])
data = raw[8 + n :]

# the expected table (docs/FORMATS.md)
want = []
if arch == "rt":
    L, B, H = int(meta["L"]), int(meta["B"]), int(meta["H"])
    want += [("router.W", [B, D]), ("router.b", [B])]
    for l in range(L):
        for i in range(B):
            din, K = (D if l == 0 else H), (B if l < L - 1 else C)
            p = f"L{l}.B{i}."
            want += [(p + "W1", [H, din]), (p + "b1", [H]), (p + "W2", [K, H]), (p + "b2", [K])]
else:
    widths = [D] + [int(x) for x in meta["hidden"].split(",") if x] + [C]
    for j in range(len(widths) - 1):
        want += [(f"fc{j}.W", [widths[j + 1], widths[j]]), (f"fc{j}.b", [widths[j + 1]])]
assert sorted(header) == sorted(k for k, _ in want), "tensor names differ from the table"

off = 0
for name, shape in want:
    t = header[name]
    assert t["dtype"] == "F32", name
    assert t["shape"] == shape, (name, t["shape"], shape)
    b, e = t["data_offsets"]
    assert b == off, (name, b, off)
    assert e - b == 4 * math.prod(shape), name
    vals = struct.unpack(f"<{math.prod(shape)}f", data[b:e])
    assert all(math.isfinite(v) for v in vals), f"{name}: non-finite weight"
    off = e
assert off == len(data), "offsets do not cover the data exactly"
print(f"{path}: {len(want)} tensors, {off // 4} parameters OK")
EOF
done
echo "export: usage, errors and a real export ($archs) OK"
