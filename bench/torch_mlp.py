#!/usr/bin/env python3
"""torch_mlp.py — the dense MLP training of `rtviz bench`, in PyTorch.

Same network (784-256-256-10, ReLU, softmax cross-entropy), same batch (128),
same optimiser (Adam, lr 1e-3), same data read from the same gzip IDX files
(python stdlib gzip + torch only). Like rtviz, the images stay uint8 in
memory and each shuffled minibatch is gathered and converted to float / 255
per step. Prints one JSON object: samples/s (median over repeats) for each
thread count asked for (torch.set_num_threads).

Uses Debian's python3-torch; without torch it exits 3 with the apt-get line.

usage: torch_mlp.py [--data DIR] [--threads 1,2] [--reps N] [--batches N] [--quick]
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

BATCH = 128
LR = 1e-3


def die(msg, code=1):
    print("torch_mlp.py: " + msg, file=sys.stderr)
    sys.exit(code)


try:
    import torch
    import torch.nn as nn
except ImportError:
    # Debian's python3-torch lives with /usr/bin/python3; a pyenv or venv
    # python3 first on PATH does not see it.
    deb = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(deb) and os.access(deb, os.X_OK) \
            and not os.environ.get("RTVIZ_TORCH_REEXEC"):
        os.environ["RTVIZ_TORCH_REEXEC"] = "1"
        os.execv(deb, [deb, os.path.abspath(__file__)] + sys.argv[1:])
    die("PyTorch is not installed for %s; install Debian's package:\n"
        "  sudo apt-get install -y python3-torch\n"
        "(and run this script with /usr/bin/python3)" % sys.executable, 3)


def find_data(explicit):
    """The directory rtviz would use for Fashion-MNIST (docs/DESIGN.md §4)."""
    if explicit:
        return explicit
    here = os.path.dirname(os.path.abspath(__file__))
    cands = []
    if os.environ.get("RTVIZ_DATA"):
        cands.append(os.path.join(os.environ["RTVIZ_DATA"], "fashionmnist"))
    cands += [os.path.join(here, "..", "datasets", "fashionmnist"),
              "/usr/share/datasets/fashion-mnist",
              os.path.join(here, "..", "assets", "sample")]
    for d in cands:
        if os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")) or \
           os.path.exists(os.path.join(d, "train-images-idx3-ubyte")):
            return d
    die("no Fashion-MNIST IDX files in: " + ", ".join(cands))


def read_idx(path):
    """IDX file (gzip or raw) -> (dims, bytes)."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4:
        die("%s: truncated" % path)
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08 or ndim < 1 or ndim > 3:
        die("%s: not a uint8 IDX file" % path)
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    n = 1
    for d in dims:
        n *= d
    if len(body) < n:
        die("%s: truncated" % path)
    return dims, body[:n]


def load_train(d):
    dims, img = read_idx(os.path.join(d, "train-images-idx3-ubyte"))
    ldims, lab = read_idx(os.path.join(d, "train-labels-idx1-ubyte"))
    if ldims[0] != dims[0]:
        die("%s: %d images but %d labels" % (d, dims[0], ldims[0]))
    X = torch.frombuffer(bytearray(img), dtype=torch.uint8).view(dims[0], dims[1] * dims[2])
    y = torch.frombuffer(bytearray(lab), dtype=torch.uint8).long()
    return X, y


def bench(X, y, threads, reps, batches, warmup):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    lossf = nn.CrossEntropyLoss()
    n = X.shape[0]
    g = torch.Generator().manual_seed(1)
    perm = torch.randperm(n, generator=g)
    pos = 0

    def step():
        nonlocal pos, perm
        if pos + BATCH > n:
            perm = torch.randperm(n, generator=g)
            pos = 0
        idx = perm[pos:pos + BATCH]
        pos += BATCH
        xb = X[idx].float().div_(255.0)
        yb = y[idx]
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(batches):
            step()
        rates.append(batches * BATCH / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="directory of the IDX files (default: as rtviz finds them)")
    ap.add_argument("--threads", default="1,2", help="comma-separated torch thread counts")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--batches", type=int, default=20, help="minibatches per repeat")
    ap.add_argument("--quick", action="store_true", help="3 repeats of 5 minibatches")
    a = ap.parse_args()
    if a.quick:
        a.reps, a.batches = 3, 5
    try:
        threads = [int(t) for t in a.threads.split(",")]
        if any(t < 1 for t in threads):
            raise ValueError
    except ValueError:
        die("--threads: '%s' is not a list of positive whole numbers" % a.threads, 2)
    d = find_data(a.data)
    X, y = load_train(d)
    out = {"torch_version": torch.__version__, "data": os.path.abspath(d),
           "train_samples": int(X.shape[0]), "batch": BATCH, "repeats": a.reps,
           "batches_per_repeat": a.batches, "results": []}
    for t in threads:
        med, rates = bench(X, y, t, a.reps, a.batches, warmup=3)
        out["results"].append({"threads": t, "samples_per_s": round(med, 1),
                               "repeats_samples_per_s": [round(r, 1) for r in rates]})
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
