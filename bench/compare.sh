#!/usr/bin/env bash
# compare.sh — rtviz against PyTorch on the same dense MLP training
# (784-256-256-10, batch 128, Adam lr 1e-3, same gz IDX files), in one run.
# `make bench-compare` runs it. Target (issue 4): rtviz >= 3.5x PyTorch's
# samples/s at the same thread count.
#
# Order: rtviz bench at N threads, PyTorch at N then 1 thread, rtviz bench at
# 1 thread, so both sides see about the same machine load.
#
# Environment: RTVIZ (binary, default ./rtviz), THREADS (default: all cores),
# QUICK=1 (fewer repeats on both sides), DATASET (default: as rtviz picks).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
RTVIZ=${RTVIZ:-$root/rtviz}
N=${THREADS:-$(nproc 2>/dev/null || echo 2)}
quick=()
[ -n "${QUICK:-}" ] && quick=(--quick)
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
"$RTVIZ" bench --json --threads "$N" "${quick[@]}" "${dsarg[@]}" >"$tmp/rt_n.json" ||
  { echo "compare.sh: rtviz bench failed" >&2; exit 1; }
data=$("$jpy" -c 'import json,sys; print(json.load(open(sys.argv[1]))["dataset_dir"])' "$tmp/rt_n.json")
tthreads=$N
[ "$N" != 1 ] && tthreads="$N,1"
echo "compare.sh: $py bench/torch_mlp.py --data $data --threads $tthreads ${quick[*]}" >&2
"$py" "$root/bench/torch_mlp.py" --data "$data" --threads "$tthreads" "${quick[@]}" >"$tmp/torch.json" ||
  { echo "compare.sh: torch_mlp.py failed" >&2; exit 1; }
if [ "$N" != 1 ]; then
  echo "compare.sh: rtviz bench --json --threads 1 ${quick[*]} ${dsarg[*]}" >&2
  "$RTVIZ" bench --json --threads 1 "${quick[@]}" "${dsarg[@]}" >"$tmp/rt_1.json" ||
    { echo "compare.sh: rtviz bench --threads 1 failed" >&2; exit 1; }
fi

"$jpy" - "$tmp" "$N" "$py" <<'EOF'
import json, os, sys
tmp, N, py = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rt = {N: json.load(open(os.path.join(tmp, "rt_n.json")))}
if N != 1:
    rt[1] = json.load(open(os.path.join(tmp, "rt_1.json")))
th = json.load(open(os.path.join(tmp, "torch.json")))
tsps = {r["threads"]: r["samples_per_s"] for r in th["results"]}
a = rt[N]
print("rtviz vs PyTorch: dense MLP 784-256-256-10 training, batch 128, Adam lr 1e-3")
print("data %s (%s, %d train); PyTorch %s (%s)" % (a["dataset"], a["dataset_dir"],
      a["train_samples"], th["torch_version"], py))
print("samples/s, medians of %d repeats; rtviz 'trainer' = trainer_step, 'kernels' = "
      "mlp_forward/backward + adam_step" % a["repeats"])
print()
print("%-8s %14s %14s %12s %14s %10s" % ("threads", "rtviz trainer", "rtviz kernels", "PyTorch",
                                         "rtviz/PyTorch", "target"))
for t in sorted(rt, reverse=True):
    r = rt[t]
    p = tsps.get(t, 0.0)
    ratio = r["mlp_train_samples_per_s"] / p if p > 0 else 0.0
    print("%-8d %14.0f %14.0f %12.0f %13.2fx %10s %s" % (
        t, r["mlp_train_samples_per_s"], r["mlp_kernel_train_samples_per_s"], p, ratio,
        ">= 3.5x", "met" if ratio >= 3.5 else "MISSED"))
print()
print("the rest of `rtviz bench` at %d threads:" % N)
rows = [
    ("MLP GFLOP/s (achieved / sgemm ceiling)", "%.1f / %.1f" % (a["mlp_train_gflops"], a["sgemm_gflops"]), ""),
    ("RT epoch / equal-params MLP epoch", "%.2f" % a["ratio_rt_epoch_over_mlp_epoch"],
     "<= 1.5 " + ("met" if a["target_rt_epoch_met"] else "MISSED")),
    ("RT sweep / MLP %s inference" % a["mlp_infer_arch"], "%.2f" % a["ratio_rt_sweep_over_mlp_infer"],
     "<= 0.5 " + ("met" if a["target_sweep_met"] else "MISSED")),
    ("RT sweep / MLP 784-256-256-10 inference", "%.2f" % a["ratio_rt_sweep_over_mlp256_infer"], ""),
    ("peak RSS of a training epoch, MB", "%.1f" % a["peak_rss_mb"],
     "<= 150 " + ("met" if a["target_rss_met"] else ("(quick: not a full epoch)" if a["quick"] else "MISSED"))),
]
for name, v, tgt in rows:
    print("  %-44s %14s   %s" % (name, v, tgt))
EOF
