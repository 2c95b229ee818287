#!/usr/bin/env bash
# tutorial_facts.sh — every chapter of tutorial/ parses, and every `fact:` it declares holds on
# its shipped model (assets/models/), checked with `rtviz sweep` and `rtviz eval --json`, with
# the CPU's SIMD kernels and again with RTVIZ_SIMD=0 (other low bits), with margins so that a
# fact cannot hang on the last bits (tests/e2e/tutorial_facts.py says how).
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -u
RTVIZ=${RTVIZ:-./rtviz}
RTVIZ_ROOT=${RTVIZ_ROOT:-.}
[ -x "$RTVIZ" ] || { echo "no rtviz binary at $RTVIZ"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed (scripts/deps.sh test)"; exit 1; }
"$RTVIZ" datasets | grep -q '^fashionmnist .* found$' ||
    { echo "Fashion-MNIST is not installed: the facts are about it (scripts/deps.sh test installs it)"; exit 77; }
cd "$RTVIZ_ROOT" || exit 1
ls tutorial/[0-9][0-9]-*.md >/dev/null 2>&1 || { echo "FAIL: no chapters in tutorial/"; exit 1; }
n=$(ls tutorial/[0-9][0-9]-*.md | wc -l)
[ "$n" -ge 10 ] || { echo "FAIL: $n chapters, the tutorial needs at least 10"; exit 1; }
exec python3 tests/e2e/tutorial_facts.py "$RTVIZ" "$RTVIZ_ROOT"
