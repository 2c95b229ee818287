#!/usr/bin/env python3
"""tutorial_facts.py - check every `fact:` line of tutorial/NN-*.md against the engine.

    tutorial_facts.py RTVIZ ROOT [CHAPTER.md ...]

Each chapter's header (DESIGN §6: `key: value` lines, a blank line, the text) names a
dataset, a shipped model (a bare file name is assets/models/NAME) and optionally tau and
floor; its facts are claims the text makes about the screen, checked here with the real
commands (`rtviz sweep`, `rtviz eval --json`) on that model:

    fact: trace I [model=F] [tau=X] [floor=X] [at THETA] FIELD VALUE
          the sweep of test image I; without `at`, at its stop. FIELD: stop_theta,
          active_blocks (= blocks), which (e.g. L1:3,5 L2:1 L3:6), act (%), mass, pred,
          p (top class), label, correct (yes/no), unreached (yes/no)
    fact: eval [model=F] [tau=X] [floor=X] [dataset=D] KEY VALUE
          a key of `rtviz eval --json` (accuracy, activation_mean, params_used_mean, ...);
          dataset=sample: the figure the tutorial shows when Fashion-MNIST is missing
    fact: cliff X
          the gauge's cliff: the highest floor (0.01 steps) at which more than half of
          the first 128 test images (the Session's sample, docs/UI.md) reach the output;
          checked as `rtviz eval --limit 128 --floor X` leaving fewer than 64 of them
          unreached and --floor X+0.01 at least 64, each with one image to spare
    fact: gallery easy|hard [model=F] [first=K] FIELD VALUE
          the UI's gallery: the 12 test images using the fewest (easy) / most (hard)
          parameters, ties by the later stop step, then the lower confidence at the stop (easy:
          the reverse), as `rtviz gallery --json` and the UI rank them; first=K: only the first K
          of them (what a narrow screen shows). FIELD: act (every one of them), wrong
          (how many are wrong)

VALUE: a number or word (equal), A..B (inclusive range), ~X (rounds to X at X's
decimals: what the text prints), >=X, <=X.

Facts must not hang on low bits that differ between CPUs (DESIGN §2), so every trace
fact also checks its margins: each step up to the stop that has an answer has its top p
at least 0.002 away from τ (the stop cannot move), and a `pred` fact needs a top p above
0.5 (no other class can overtake it). The whole check runs twice: with the CPU's SIMD
kernels and with RTVIZ_SIMD=0 (the reference products, other low bits); a fact must hold
in both. A figure over the whole test set must also hold if one test image's answer or
one of its blocks came out the other way (SLACK: its value moved by one image's worth, e.g.
0.01 points of accuracy over 10,000 images, 0.1 point of a tenth's error rate, one unreached
image, one block of one image in a mean): numbers the text rounds too finely for that are
stated "about" and checked with a range. Besides the facts, each chapter must parse: known keys, no duplicates, a blank
line, one `Q:` and one `A:` paragraph, lines of at most 50 columns.

Exit 0 all hold, 1 a fact or a chapter is wrong; one line per problem naming file, line.
"""
import glob
import json
import os
import re
import subprocess
import sys

KEYS = {"title", "dataset", "model", "arch", "layers", "blocks", "width", "hidden", "tau",
        "floor", "theta", "view", "image", "steps", "paused", "seed", "fact"}
REQUIRED = ["title", "dataset", "model"]
WIDTH = 50
P_MARGIN = 0.002
CLIFF_N = 128  # test images the Session measures the cliff on
BLOCK_SHARE = 0.125  # no block holds more than 1/8 of a shipped RT network's parameters

rtviz, root = sys.argv[1], sys.argv[2]
files = sys.argv[3:] or sorted(glob.glob(os.path.join(root, "tutorial", "[0-9][0-9]-*.md")))
problems = []
checked = 0
cache = {}


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def run(args, env_simd):
    key = (tuple(args), env_simd)
    if key not in cache:
        env = dict(os.environ)
        if env_simd is not None:
            env["RTVIZ_SIMD"] = env_simd
        r = subprocess.run([rtviz] + args, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"rtviz {' '.join(args)} exited {r.returncode}: "
                               f"{r.stderr.strip()}")
        cache[key] = r.stdout
    return cache[key]


ROW = re.compile(r"^(\S+)\s+(\d+)\s+(.+?)\s+([\d.]+)%\s+(\S+)\s+(.+?)(\s+<- stop)?$")
TOP = re.compile(r"^(.*) \(([\d.]+)\)$")


def sweep(model, dataset, index, tau, floor, simd):
    """The sweep of one image: {label, steps: [...], stop, answer}."""
    args = ["sweep", "--model", model, "--dataset", dataset, "--index", str(index)]
    if tau is not None:
        args += ["--tau", tau]
    if floor is not None:
        args += ["--floor", floor]
    out = run(args, simd).splitlines()
    m = re.search(r"true label: (.*)$", out[0])
    res = {"label": m.group(1) if m else None, "steps": [], "stop": None, "mlp": False,
           "tau": None}
    for ln in out[1:]:
        t = re.match(r"^tau ([\d.]+),", ln)
        if t:
            res["tau"] = float(t.group(1))
        if ln.startswith("MLP:"):
            res["mlp"] = True
        if ln.startswith("-       all (dense)"):
            top = TOP.match(ln.split("%", 1)[1].strip().split("  ", 1)[1].replace("  <- stop", ""))
            res["steps"].append({"theta": None, "blocks": None, "which": "all", "act": 100.0,
                                 "mass": 1.0, "pred": top.group(1), "p": float(top.group(2))})
            res["stop"] = 0
            continue
        r = ROW.match(ln)
        if not r or r.group(1) == "theta":
            continue
        st = {"theta": float(r.group(1)), "blocks": int(r.group(2)), "which": r.group(3),
              "act": float(r.group(4)), "mass": float(r.group(5)), "pred": None, "p": None}
        top = TOP.match(r.group(6))
        if top and st["mass"] > 0:
            st["pred"], st["p"] = top.group(1), float(top.group(2))
        res["steps"].append(st)
        if r.group(7):
            res["stop"] = len(res["steps"]) - 1
    ans = out[-1]
    res["unreached"] = "(unreached)" in ans
    res["correct"] = ans.endswith(", correct")
    if res["stop"] is None:
        raise RuntimeError(f"sweep of image {index}: no stop row")
    return res


def evaluate(model, dataset, tau, floor, simd, limit=None):
    args = ["eval", "--model", model, "--dataset", dataset, "--json"]
    if limit is not None:
        args += ["--limit", str(limit)]
    if tau is not None:
        args += ["--tau", tau]
    if floor is not None:
        args += ["--floor", floor]
    return json.loads(run(args, simd))


def matches(got, want, slack=0.0):
    """Does got (number, string or bool) satisfy the VALUE syntax want, also when moved by
    up to slack either way?"""
    if slack and isinstance(got, (int, float)) and not isinstance(got, bool):
        return all(matches(got + d, want) for d in (-slack, 0.0, slack))
    if isinstance(got, bool):
        return want in (("yes", "true", "1") if got else ("no", "false", "0"))
    if isinstance(got, (int, float)):
        try:
            if want.startswith("~"):
                x = want[1:]
                dec = len(x.split(".")[1]) if "." in x else 0
                return abs(got - float(x)) <= 0.5 * 10 ** -dec + 1e-9
            if want.startswith(">="):
                return got >= float(want[2:])
            if want.startswith("<="):
                return got <= float(want[2:])
            if ".." in want:
                a, b = want.split("..")
                return float(a) <= got <= float(b)
            return abs(got - float(want)) <= 1e-9 * max(1.0, abs(float(want)))
        except ValueError:
            return False
    return got == want


def eval_slack(r, key):
    """One test image's worth of key in an `rtviz eval --json` result r (see SLACK)."""
    n = r.get("n") or 1
    rt = r.get("arch") == "rt"
    if key in ("accuracy", "accuracy_theta0"):
        return 100.0 / n
    if key in ("error_easiest_tenth", "error_hardest_tenth"):
        return 100.0 / max(1, n // 10)
    if key == "unreached":
        return 1.0
    if key == "activation_mean" and rt:
        return 100.0 * BLOCK_SHARE / n
    if key == "params_used_mean" and rt:
        return r.get("params_total", 0) * BLOCK_SHARE / n
    if key == "blocks_mean" and rt:
        return 1.0 / n
    return 0.0


def margins(sw, tau, step_fact):
    """Reasons this sweep's facts could move on another CPU, or []."""
    bad = []
    if sw["mlp"]:
        return bad
    for k, st in enumerate(sw["steps"][: sw["stop"] + 1]):
        if st["p"] is not None and abs(st["p"] - tau) < P_MARGIN:
            bad.append(f"p {st['p']} at θ {st['theta']} is within {P_MARGIN} of τ {tau}")
    return bad


def parse(full, path):
    """Header dict (facts as (line, text) list) or None; problems recorded under path."""
    with open(full, encoding="utf-8") as f:
        lines = f.read().split("\n")
    hdr, facts, seen = {}, [], set()
    i = 0
    while i < len(lines) and lines[i] != "":
        ln = lines[i]
        m = re.match(r"^([a-z_]+):\s*(.*)$", ln)
        where = f"{path}:{i + 1}"
        if not m:
            problem(where, f"not a `key: value` header line: {ln!r}")
        elif m.group(1) not in KEYS:
            problem(where, f"unknown key {m.group(1)!r}")
        elif m.group(1) == "fact":
            facts.append((i + 1, m.group(2)))
        elif m.group(1) in seen:
            problem(where, f"duplicate key {m.group(1)!r}")
        else:
            seen.add(m.group(1))
            hdr[m.group(1)] = m.group(2)
        i += 1
    if i >= len(lines):
        problem(f"{path}:{i}", "no blank line after the header")
        return None, []
    for k in REQUIRED:
        if k not in hdr:
            problem(f"{path}:1", f"missing key {k!r}")
    body = lines[i + 1:]
    q = [n for n, ln in enumerate(body) if ln.startswith("Q: ")]
    a = [n for n, ln in enumerate(body) if ln.startswith("A: ")]
    if len(q) != 1 or len(a) != 1 or q[0] > a[0]:
        problem(f"{path}:{i + 2}", "the text needs one `Q:` paragraph followed by one `A:`")
    for n, ln in enumerate(body):
        if len(ln) > WIDTH:
            problem(f"{path}:{i + 2 + n}", f"line is {len(ln)} columns (at most {WIDTH})")
    return hdr, facts


def check_fact(path, lineno, text, hdr, simd):
    where = f"{path}:{lineno}"
    tok = text.split()
    if not tok:
        return problem(where, "empty fact")
    kind = tok.pop(0)
    opts = {"model": hdr.get("model"), "tau": hdr.get("tau"), "floor": hdr.get("floor"),
            "dataset": None, "first": "12"}
    index = None
    side = None
    if kind == "trace":
        if not tok or not tok[0].isdigit():
            return problem(where, "trace needs a test image index")
        index = int(tok.pop(0))
    elif kind == "gallery":
        if not tok or tok[0] not in ("easy", "hard"):
            return problem(where, "gallery needs easy or hard")
        side = tok.pop(0)
    elif kind == "cliff":
        if len(tok) != 1:
            return problem(where, "cliff needs one value, the floor the gauge shows")
        x = float(tok[0])
        model = opts["model"]
        if model and "/" not in model:
            model = os.path.join(root, "assets", "models", model)
        dataset = hdr.get("dataset", "fashionmnist")
        half = CLIFF_N // 2
        below = evaluate(model, dataset, opts["tau"], f"{x:.2f}", simd, CLIFF_N)["unreached"]
        above = evaluate(model, dataset, opts["tau"], f"{x + 0.01:.2f}", simd, CLIFF_N)["unreached"]
        if not below < half - 1 or not above >= half + 1:
            problem(where, f"{text}: of the first {CLIFF_N} test images {below} are unreached "
                    f"at floor {x:.2f} and {above} at {x + 0.01:.2f} (want fewer than "
                    f"{half - 1}, and at least {half + 1})"
                    + ("" if simd is None else f" (RTVIZ_SIMD={simd})"))
        return
    elif kind != "eval":
        return problem(where, f"unknown fact kind {kind!r} (trace, eval, gallery, cliff)")
    while tok and "=" in tok[0]:
        k, v = tok.pop(0).split("=", 1)
        if k not in opts:
            return problem(where, f"unknown option {k!r} (model, tau, floor, dataset, first)")
        opts[k] = v
    if opts["first"] != "12" and kind != "gallery":
        return problem(where, "first= is for gallery facts")
    if opts["dataset"] and kind != "eval":
        return problem(where, "dataset= is for eval facts (the traced images are the same)")
    at = None
    if kind == "trace" and tok and tok[0] == "at":
        if len(tok) < 2:
            return problem(where, "at needs a θ")
        at = float(tok[1])
        tok = tok[2:]
    if len(tok) < 2:
        return problem(where, "a fact needs a FIELD and a VALUE")
    field, want = tok[0], " ".join(tok[1:])
    model = opts["model"]
    if model and "/" not in model:
        model = os.path.join(root, "assets", "models", model)
    dataset = opts["dataset"] or hdr.get("dataset", "fashionmnist")
    slack = 0.0

    if kind == "eval":
        r = evaluate(model, dataset, opts["tau"], opts["floor"], simd)
        if field not in r:
            return problem(where, f"eval --json has no {field!r}")
        got = r[field]
        slack = eval_slack(r, field)
    elif kind == "trace":
        sw = sweep(model, dataset, index, opts["tau"], opts["floor"], simd)
        tau = sw["tau"] if sw["tau"] is not None else 0.9
        for why in margins(sw, tau, at is not None):
            problem(where, f"image {index}: not robust: {why}")
        if at is None:
            st = sw["steps"][sw["stop"]]
        else:
            hit = [s for s in sw["steps"] if s["theta"] is not None and abs(s["theta"] - at) < 1e-6]
            if not hit:
                return problem(where, f"image {index}: no sweep step at θ {at}")
            st = hit[0]
        names = {"stop_theta": st["theta"], "active_blocks": st["blocks"], "blocks": st["blocks"],
                 "which": st["which"], "act": st["act"], "mass": st["mass"], "pred": st["pred"],
                 "p": st["p"], "label": sw["label"], "correct": sw["correct"],
                 "unreached": sw["unreached"]}
        if field not in names:
            return problem(where, f"unknown trace field {field!r}")
        if field in ("stop_theta",) and at is not None:
            return problem(where, "stop_theta with `at` makes no sense")
        got = names[field]
        if field == "pred" and st["p"] is not None and st["p"] <= 0.5:
            problem(where, f"image {index}: not robust: top p {st['p']} is not above 0.5")
        if field == "p" and got is not None and abs(got - tau) < P_MARGIN:
            problem(where, f"image {index}: not robust: p {got} near τ {tau}")
    else:
        # the gallery as the UI ranks it (eval_rank: parameters used, then the stop step,
        # then the confidence at the stop), from `rtviz gallery --json` over the test set
        args = ["gallery", "--model", model, "--json"]
        if dataset:
            args += ["--dataset", dataset]
        if opts["tau"] is not None:
            args += ["--tau", str(opts["tau"])]
        g = json.loads(run(args, simd))
        picked = [(it["index"], {"act": round(it["activation_pct"], 1)},
                   {"correct": it["correct"]}) for it in g[side]]
        picked = picked[: int(opts["first"])]
        if field == "act":
            bad = [f"#{j} {st['act']}" for j, st, _ in picked if not matches(st["act"], want)]
            if bad:
                problem(where, f"gallery {side} act: {', '.join(bad)} (want {want})")
            return
        if field == "wrong":
            got = sum(1 for _, _, sw in picked if not sw["correct"])
        else:
            return problem(where, f"unknown gallery field {field!r} (act, wrong)")
    if got is None or not matches(got, want):
        problem(where, f"{text}: got {got}" + ("" if simd is None else f" (RTVIZ_SIMD={simd})"))
    elif not matches(got, want, slack):
        problem(where, f"{text}: got {got}, too near the edge: one image more or less "
                f"(±{slack:.4g}) would break it; say \"about\" and give a range")


for path in files:
    rel = os.path.relpath(path, root)
    hdr, facts = parse(path, rel)
    if hdr is None:
        continue
    if not facts:
        problem(f"{rel}:1", "no fact: lines (a chapter must declare what it claims)")
    for simd in (None, "0"):
        for lineno, text in facts:
            try:
                check_fact(rel, lineno, text, hdr, simd)
            except (RuntimeError, json.JSONDecodeError, IndexError, AttributeError) as ex:
                problem(f"{rel}:{lineno}", f"{text}: {ex}")
            checked += 1

for p in dict.fromkeys(problems):
    print(p)
print(f"tutorial facts: {checked} checks in {len(files)} chapters, {len(set(problems))} problems")
sys.exit(1 if problems else 0)
