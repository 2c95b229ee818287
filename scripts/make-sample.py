#!/usr/bin/env python3
"""make-sample.py - build the embedded `sample` dataset (assets/sample/).

Reads the Fashion-MNIST gzip IDX files (default /usr/share/datasets/fashion-mnist,
Debian package dataset-fashion-mnist) and writes a deterministic, class-balanced
subset: the first 500 images of each class from the training file (5,000 images)
and the first 100 of each class from the test file (1,000), kept in file order.
Output is gzip IDX with the Fashion-MNIST file names, written with gzip mtime=0
and no file name in the header, so it is byte-reproducible.

Usage: scripts/make-sample.py [SRC_DIR [OUT_DIR]]      (python3 stdlib only)
"""
import gzip
import os
import struct
import sys

CLASSES = 10
SPLITS = [("train", 500), ("t10k", 100)]  # (file prefix, images per class)


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        sys.exit(f"{path}: truncated header")
    m, n = struct.unpack(">II", data[:8])
    if m != magic:
        sys.exit(f"{path}: bad magic 0x{m:08x} (expected 0x{magic:08x})")
    dims = [n]
    off = 8
    for _ in range((magic & 0xFF) - 1):
        dims.append(struct.unpack(">I", data[off:off + 4])[0])
        off += 4
    return dims, data[off:]


def write_idx(path, magic, dims, body):
    head = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw:
        # filename="" keeps the name out of the gzip header; mtime=0 fixes the time.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as g:
            g.write(head + body)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "assets", "sample")
    os.makedirs(out, exist_ok=True)
    for prefix, per_class in SPLITS:
        img_name = f"{prefix}-images-idx3-ubyte.gz"
        lab_name = f"{prefix}-labels-idx1-ubyte.gz"
        idims, pixels = read_idx(os.path.join(src, img_name), 0x00000803)
        ldims, labels = read_idx(os.path.join(src, lab_name), 0x00000801)
        n, rows, cols = idims
        d = rows * cols
        if ldims[0] != n or len(labels) != n or len(pixels) != n * d:
            sys.exit(f"{src}: {prefix} images and labels disagree")
        taken = [0] * CLASSES
        keep = []
        for i, y in enumerate(labels):
            if y < CLASSES and taken[y] < per_class:
                taken[y] += 1
                keep.append(i)
        if taken != [per_class] * CLASSES:
            sys.exit(f"{src}: {prefix} has too few images of some class: {taken}")
        body = b"".join(pixels[i * d:(i + 1) * d] for i in keep)
        write_idx(os.path.join(out, img_name), 0x00000803, [len(keep), rows, cols], body)
        write_idx(os.path.join(out, lab_name), 0x00000801, [len(keep)],
                  bytes(labels[i] for i in keep))
        print(f"{out}: {prefix}: {len(keep)} images ({per_class} per class), {rows}x{cols}")


if __name__ == "__main__":
    main()
