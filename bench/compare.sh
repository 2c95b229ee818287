#!/usr/bin/env bash
# compare.sh — rtviz against PyTorch on the same dense MLP training
# (784-256-256-10, batch 128, Adam lr 1e-3, same gz IDX files), in one run.
# `make bench-compare` runs it. Target: rtviz >= 2.5x PyTorch's
# samples/s, the best thread count of each. Both use the same OpenBLAS core.
#
# 1. `rtviz bench --json` once at N threads, for its other figures;
# 2. the MLP figure, interleaved: each round runs `rtviz bench` and then
#    torch_mlp.py (both 7 repeats of 20 minibatches after a warm-up) at N
#    threads and at 1 thread, so a load change on the shared machine hits
#    both sides alike. The ratio is the median of the per-round ratios.
#    Repeats of 5 minibatches (`--quick`) last 7 ms on rtviz's side, where one
#    scheduler hiccup of the machine moves a figure by half; 20 are 25 ms.
#
# Environment: RTVIZ (binary, default ./rtviz), THREADS (default: all cores),
# ROUNDS (default 5), QUICK=1 (--quick on both sides, 3 rounds),
# DATASET (default: as rtviz picks).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
RTVIZ=${RTVIZ:-$root/rtviz}
N=${THREADS:-$(nproc 2>/dev/null || echo 2)}
quick=()
[ -n "${QUICK:-}" ] && quick=(--quick)
rounds=${ROUNDS:-$([ -n "${QUICK:-}" ] && echo 3 || echo 5)}
dsarg=()
[ -n "${DATASET:-}" ] && dsarg=(--dataset "$DATASET")

[ -x "$RTVIZ" ] || { echo "compare.sh: $RTVIZ not found; run make first" >&2; exit 1; }

# A python3 with torch: the one on PATH, else Debian's (python3-torch lives
# with /usr/bin/python3; a pyenv/venv python3 does not see it).
find_py() {
  for c in python3 /usr/bin/python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import torch' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  return 1
}
py=$(find_py)
if [ -z "$py" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "compare.sh: PyTorch missing, installing Debian's python3-torch" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >&2 ||
      { echo "compare.sh: apt-get install python3-torch failed" >&2; exit 1; }
    py=$(find_py) || { echo "compare.sh: python3-torch installed but 'import torch' fails" >&2; exit 1; }
  else
    echo "compare.sh: PyTorch is not installed; run:" >&2
    echo "  sudo apt-get install -y python3-torch" >&2
    exit 1
  fi
fi
jpy=$(command -v python3 || echo "$py") # any python3 reads JSON

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "compare.sh: rtviz bench --json --threads $N ${quick[*]} ${dsarg[*]}" >&2
"$RTVIZ" bench --json --threads "$N" "${quick[@]}" "${dsarg[@]}" >"$tmp/full.json" ||
  { echo "compare.sh: rtviz bench failed" >&2; exit 1; }
data=$("$jpy" -c 'import json,sys; print(json.load(open(sys.argv[1]))["dataset_dir"])' "$tmp/full.json")
# PyTorch runs its matrix products on the same OpenBLAS. rtviz moves OpenBLAS
# off a generic core that does not know the CPU (see README); PyTorch gets
# the core rtviz runs, so both sides multiply with the same kernels. A
# user's OPENBLAS_CORETYPE is kept for both.
core=$("$jpy" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("openblas_core", ""))' "$tmp/full.json")
tenv=(env)
[ -z "${OPENBLAS_CORETYPE:-}" ] && [ -n "$core" ] && tenv=(env OPENBLAS_CORETYPE="$core")

tlist=$N
[ "$N" != 1 ] && tlist="$N 1"
for r in $(seq 1 "$rounds"); do
  for t in $tlist; do
    echo "compare.sh: round $r/$rounds, $t thread(s): rtviz, then PyTorch" >&2
    "$RTVIZ" bench --json "${quick[@]}" --threads "$t" "${dsarg[@]}" >"$tmp/rt_${t}_$r.json" ||
      { echo "compare.sh: rtviz bench failed" >&2; exit 1; }
    "${tenv[@]}" "$py" "$root/bench/torch_mlp.py" --data "$data" --threads "$t" "${quick[@]}" >"$tmp/th_${t}_$r.json" ||
      { echo "compare.sh: torch_mlp.py failed" >&2; exit 1; }
  done
done

"$jpy" - "$tmp" "$N" "$py" "$rounds" "${OPENBLAS_CORETYPE:-$core}" <<'PY'
import json, os, statistics, sys
tmp, N, py, rounds, core = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
ld = lambda f: json.load(open(os.path.join(tmp, f)))
a = ld("full.json")
rows, tv = [], "?"
for t in ([N, 1] if N != 1 else [1]):
    rt = [ld("rt_%d_%d.json" % (t, r)) for r in range(1, rounds + 1)]
    th = [ld("th_%d_%d.json" % (t, r)) for r in range(1, rounds + 1)]
    tv = th[0]["torch_version"]
    rs = [x["mlp_train_samples_per_s"] for x in rt]
    ks = [x["mlp_kernel_train_samples_per_s"] for x in rt]
    ps = [x["results"][0]["samples_per_s"] for x in th]
    q = [x / y for x, y in zip(rs, ps) if y > 0] or [0.0]
    rows.append((t, statistics.median(rs), statistics.median(ks), statistics.median(ps),
                 statistics.median(q), min(q), max(q)))
print("rtviz vs PyTorch: dense MLP 784-256-256-10 training, batch 128, Adam lr 1e-3")
print("data %s (%s, %d train); PyTorch %s (%s)" % (a["dataset"], a["dataset_dir"],
      a["train_samples"], tv, py))
print("OpenBLAS core, both sides: %s (rtviz's kernels: level %s)" % (core or "?", a.get("simd_level", "?")))
th0 = ld("th_%d_1.json" % N)
print("samples/s, medians over %d interleaved rounds (rtviz then PyTorch, each %d repeats of %d"
      % (rounds, th0["repeats"], th0["batches_per_repeat"]))
print("minibatches); rtviz 'trainer' = trainer_step, 'kernels' = its MLP calls without its stats;")
print("rtviz/PyTorch = median of the per-round ratios of the trainer figure")
print()
print("%-8s %14s %14s %10s %14s %13s   %s" % ("threads", "rtviz trainer", "rtviz kernels",
      "PyTorch", "rtviz/PyTorch", "(min-max)", "(same threads)"))
for t, r, k, p, q, lo, hi in rows:
    print("%-8d %14.0f %14.0f %10.0f %13.2fx %13s   %s" % (
        t, r, k, p, q, "%.2f-%.2f" % (lo, hi), ""))
br = max(rows, key=lambda x: x[1])
bp = max(rows, key=lambda x: x[3])
best = br[1] / bp[3] if bp[3] > 0 else 0.0
print("best of each: rtviz %.0f at %d thread(s), PyTorch %.0f at %d: %.2fx, target >= 2.5x %s"
      % (br[1], br[0], bp[3], bp[0], best, "met" if best >= 2.5 else "MISSED"))
print()
print("the rest of `rtviz bench` at %d threads (one %srun):" % (N, "--quick " if a["quick"] else ""))
tg = lambda ok, s: s + (" met" if ok else " MISSED")
rss = tg(a["target_rss_met"], "<= 150") if not a["quick"] else "<= 150 (quick: not a full epoch)"
for name, v, t in [
    ("MLP training samples/s (trainer_step)", "%.0f" % a["mlp_train_samples_per_s"], ""),
    ("MLP GFLOP/s achieved / sgemm ceiling", "%.1f / %.1f" % (a["mlp_train_gflops"], a["sgemm_gflops"]),
     tg(a.get("target_mlp_gemm_met", False), ">= 0.75")),
    ("RT epoch / equal-params MLP epoch, from init", "%.2f" % a["ratio_rt_epoch_over_mlp_epoch"],
     tg(a["target_rt_epoch_met"], "<= 1.0")),
    ("RT epoch / equal-params MLP epoch, trained",
     "%.2f" % a.get("ratio_rt_epoch_over_mlp_epoch_trained", 0),
     tg(a.get("target_rt_epoch_trained_met", False), "<= 1.0")),
    ("RT sweep / RT forward at theta = 0", "%.2f" % a.get("ratio_rt_sweep_over_rt_full", 0),
     tg(a.get("target_sweep_follows_macs_met", False),
        "<= 1.2 x %.3f" % a.get("rt_sweep_mac_share", 0))),
    ("RT sweep / MLP %s inference (same acc.)" % a["mlp_infer_arch"],
     "%.2f" % a["ratio_rt_sweep_over_mlp_infer"], tg(a["target_sweep_met"], "<= 0.5")),
    ("RT sweep / MLP 784-256-256-10 inference", "%.2f" % a["ratio_rt_sweep_over_mlp256_infer"], ""),
    ("peak RSS of a training epoch, MB", "%.1f" % a["peak_rss_mb"], rss),
]:
    print("  %-46s %14s   %s" % (name, v, t))
PY
