#!/usr/bin/env python3
"""pngcheck.py FILE W H [R,G,B ...] — a tiny PNG reader (zlib only, no PIL).

Checks that FILE is a well-formed 8-bit RGB/RGBA PNG (signature, chunk CRCs,
IHDR, IDAT, IEND) of exactly W x H pixels that is not blank (at least 1% of
its pixels are not white, and at least 8 distinct colours), and that each
colour R,G,B given occurs in at least 20 pixels. Prints one line; exit 0 ok,
1 on any failure."""
import struct
import sys
import zlib


def fail(msg):
    print(f"pngcheck: {sys.argv[1]}: {msg}")
    sys.exit(1)


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("no PNG signature")
    pos, ihdr, idat, end = 8, None, b"", False
    while pos < len(data):
        if pos + 8 > len(data):
            fail("truncated chunk header")
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n or pos + 12 + n > len(data):
            fail(f"truncated {kind!r} chunk")
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            fail(f"bad CRC in {kind!r}")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            end = True
            break
        pos += 12 + n
    if not ihdr or not idat or not end:
        fail("missing IHDR, IDAT or IEND")
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail(f"unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        fail("image data has the wrong length")
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
            elif f != 0:
                fail(f"bad filter {f} in row {y}")
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    w, h, bpp, rows = read_png(sys.argv[1])
    want_w, want_h = int(sys.argv[2]), int(sys.argv[3])
    if (w, h) != (want_w, want_h):
        fail(f"{w}x{h}, expected {want_w}x{want_h}")
    counts = {}
    for r in rows:
        for i in range(0, len(r), bpp):
            px = r[i:i + 3]
            counts[px] = counts.get(px, 0) + 1
    ink = sum(c for px, c in counts.items() if min(px) < 250)
    if ink < w * h // 100:
        fail(f"blank: only {ink} of {w * h} pixels are not white")
    if len(counts) < 8:
        fail(f"only {len(counts)} distinct colours")
    for spec in sys.argv[4:]:
        rgb = bytes(int(v) for v in spec.split(","))
        if counts.get(rgb, 0) < 20:
            fail(f"colour {spec} in {counts.get(rgb, 0)} pixels (want >= 20)")
    print(f"pngcheck: {sys.argv[1]}: {w}x{h}, {len(counts)} colours, "
          f"{100.0 * ink / (w * h):.1f}% not white")


main()
