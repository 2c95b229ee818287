#!/usr/bin/env bash
# run.sh UNIT_BIN RTVIZ_BIN — the whole suite: Criterion unit tests, then the
# end-to-end scripts tests/e2e/*.sh (exit 0 pass, 77 skip with a reason on
# stdout, else fail). Ends with one line: "N passed, N failed, N skipped".
set -u
unit=$1
export RTVIZ=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
export RTVIZ_ROOT=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0 skip=0
if [ "$unit" != - ]; then
  out=$(mktemp)
  "$unit" -j2 2>&1 | tee "$out"
  syn=$(grep -a 'Synthesis:' "$out" | tail -1)
  rm -f "$out"
  if [ -z "$syn" ]; then echo "unit tests: no summary (crashed?)"; fail=$((fail+1)); else
    t=$(echo "$syn" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
    p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    pass=$((pass+p)); fail=$((fail+t-p))
  fi
fi
for t in "$RTVIZ_ROOT"/tests/e2e/*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  log=$(mktemp)
  timeout 600 bash "$t" >"$log" 2>&1
  rc=$?
  case $rc in
    0) pass=$((pass+1)); echo "[PASS] e2e $name" ;;
    77) skip=$((skip+1)); echo "[SKIP] e2e $name: $(tail -1 "$log")" ;;
    *) fail=$((fail+1)); echo "[FAIL] e2e $name (exit $rc)"
       grep -a -m3 -E '^(FAIL|ERROR)' "$log" | sed 's/^/    /'
       grep -a -v '^[[:space:]]*$' "$log" | tail -40 | sed 's/^/    /' ;;
  esac
  rm -f "$log"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
