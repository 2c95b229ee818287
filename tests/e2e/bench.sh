#!/usr/bin/env bash
# e2e: `rtviz bench --quick --json` on the sample set exits 0 and every
# required key is a positive number. (0 pass, 77 skip with the reason last,
# else fail.) Env: RTVIZ = binary, RTVIZ_ROOT = repo root.
set -u
: "${RTVIZ:?RTVIZ must name the rtviz binary}"
: "${RTVIZ_ROOT:?RTVIZ_ROOT must name the repository}"
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed (needed to parse JSON)"; exit 77; }
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
cd "$RTVIZ_ROOT" || exit 1
start=$(date +%s)
"$RTVIZ" bench --quick --json --dataset sample >"$out" 2>"$err"
rc=$?
if [ $rc != 0 ]; then
  echo "rtviz bench --quick --json --dataset sample exited $rc"
  cat "$err"
  exit 1
fi
python3 - "$out" <<'PY' || exit 1
import json, os, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError as e:
    print("output is not JSON: %s" % e)
    print(open(sys.argv[1]).read()[:2000])
    sys.exit(1)
need = ["mlp_train_samples_per_s", "rt_train_samples_per_s",
        "rt_equal_params_train_samples_per_s", "rt_sweep_us_per_sample",
        "mlp_infer_us_per_sample", "sgemm_gflops", "mlp_train_gflops", "peak_rss_mb",
        "ratio_rt_epoch_over_mlp_epoch", "ratio_rt_sweep_over_mlp_infer",
        "trained_mlp_train_samples_per_s", "trained_rt_train_samples_per_s",
        "trained_rt_equal_params_train_samples_per_s", "ratio_rt_epoch_over_mlp_epoch_trained",
        "ratio_mlp_gflops_over_sgemm", "threads"]
bad = [k for k in need
       if not isinstance(d.get(k), (int, float)) or isinstance(d.get(k), bool) or not d[k] > 0]
if bad:
    print("missing or not a positive number: " + ", ".join(bad))
    sys.exit(1)
if d.get("dataset") != "sample":
    print("dataset is %r, expected 'sample'" % d.get("dataset"))
    sys.exit(1)
# the equal-params RT net must match the MLP's total within 3%
if abs(d["rt_equal_params_params"] - d["mlp_params"]) > 0.03 * d["mlp_params"]:
    print("equal-params RT has %d parameters, MLP %d" % (d["rt_equal_params_params"], d["mlp_params"]))
    sys.exit(1)
# OpenBLAS's generic cores are never kept on a CPU with AVX2 and FMA
# (rtviz asks for a better one itself unless OPENBLAS_CORETYPE is set)
core = d.get("openblas_core")
if not isinstance(core, str) or not core:
    print("openblas_core is missing")
    sys.exit(1)
flags = set()
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
except OSError:
    pass
modern = {"haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"}
if not os.environ.get("OPENBLAS_CORETYPE") and {"avx2", "fma"} <= flags and core.lower() not in modern:
    print("this CPU has AVX2 and FMA, yet OpenBLAS runs its %s kernels" % core)
    sys.exit(1)
print("ok: openblas_core=%s, " % core + ", ".join("%s=%s" % (k, d[k]) for k in need))
PY
# bad usage is exit 2, not a crash
"$RTVIZ" bench --threads x >/dev/null 2>&1
[ $? = 2 ] || { echo "rtviz bench --threads x: expected exit 2"; exit 1; }
"$RTVIZ" bench --epochs 3 >/dev/null 2>&1
[ $? = 2 ] || { echo "rtviz bench --epochs 3: expected exit 2 (not a bench option)"; exit 1; }
echo "bench e2e took $(( $(date +%s) - start )) s"
