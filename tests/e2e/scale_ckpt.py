#!/usr/bin/env python3
"""scale_ckpt.py IN OUT FACTOR: a copy of a checkpoint with every weight times
FACTOR and the CRC fixed (checkpoint.h: magic, u32 version, config, u64 n,
meta, Adam, n f32 weights, CRC-32). Finite but huge weights make the first
forward pass overflow: how the e2e tests force a NaN/Inf event. Prints the
checkpoint's step (meta: u64 seed, u64 step), from which a loaded run counts on."""
import struct, sys, zlib

b = bytearray(open(sys.argv[1], 'rb').read())
assert b[:8] == b'RTVIZCK\0'
o = 12
nh = struct.unpack_from('<10i', b, o)[9]
o += 40 + 4 * nh + 4
ns = struct.unpack_from('<i', b, o)[0]
o += 4 + 4 * ns
n = struct.unpack_from('<Q', b, o)[0]
end = len(b) - 4
f = float(sys.argv[3])
w = [x * f for x in struct.unpack_from('<%df' % n, b, end - 4 * n)]
struct.pack_into('<%df' % n, b, end - 4 * n, *w)
struct.pack_into('<I', b, end, zlib.crc32(bytes(b[:end])) & 0xffffffff)
open(sys.argv[2], 'wb').write(b)
print(struct.unpack_from('<Q', b, o + 16)[0])
