#!/usr/bin/python3
"""Adds an irot (rotation) property to the primary item of a HEIF file written by heif-enc.

heif-enc 1.15 writes no irot/imir, but phones do (an iPhone photo taken in portrait is stored
landscape with irot), so this makes the test file a decoder must turn upright. Usage:
    add_irot.py IN.heic OUT.heic ANGLE   (ANGLE: 1, 2, 3 = 90, 180, 270 degrees anti-clockwise)
It inserts the 9-byte box at the end of ipco, one association in ipma, grows the enclosing boxes
and shifts iloc offsets that point past the insertion (mdat follows meta in heif-enc's files).
"""
import struct
import sys


def boxes(b, start, end):
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", b[pos:pos + 8])
        yield pos, size, kind.decode("latin-1")
        pos += size


def main(src, dst, angle):
    b = bytearray(open(src, "rb").read())
    meta = next(p for p, s, k in boxes(b, 0, len(b)) if k == "meta")
    meta_size = struct.unpack(">I", b[meta:meta + 4])[0]
    inner = list(boxes(b, meta + 12, meta + meta_size))
    pitm = next(p for p, s, k in inner if k == "pitm")
    primary = struct.unpack(">H", b[pitm + 12:pitm + 14])[0]
    iprp, iprp_size, _ = next(x for x in inner if x[2] == "iprp")
    ipco, ipco_size, _ = next(x for x in boxes(b, iprp + 8, iprp + iprp_size) if x[2] == "ipco")
    ipma, ipma_size, _ = next(x for x in boxes(b, iprp + 8, iprp + iprp_size) if x[2] == "ipma")
    count = len(list(boxes(b, ipco + 8, ipco + ipco_size)))
    assert ipma > ipco and b[ipma + 11] & 1 == 0 and b[ipma + 8] == 0, "expects 1-byte ipma version 0 after ipco"
    # ipma entries: item(2) n(1) assoc(n)
    entries = struct.unpack(">I", b[ipma + 12:ipma + 16])[0]
    pos = ipma + 16
    for _ in range(entries):
        item, n = struct.unpack(">HB", b[pos:pos + 3])
        if item == primary:
            b[pos + 2] = n + 1
            b[pos + 3 + n:pos + 3 + n] = bytes([0x80 | (count + 1)])  # essential, 1-based index
            break
        pos += 3 + n
    else:
        raise SystemExit("primary item not in ipma")
    irot = struct.pack(">I4sB", 9, b"irot", angle)
    b[ipco + ipco_size:ipco + ipco_size] = irot
    delta = len(irot) + 1
    insert_end = ipma + ipma_size + delta

    def grow(pos, by):
        size = struct.unpack(">I", b[pos:pos + 4])[0]
        b[pos:pos + 4] = struct.pack(">I", size + by)

    grow(ipco, len(irot))
    grow(ipma + len(irot), 1)
    grow(iprp, delta)
    grow(meta, delta)
    # iloc (version 0/1, offsets shifted if they point after meta's old end)
    meta_size = struct.unpack(">I", b[meta:meta + 4])[0]
    iloc = next(p for p, s, k in boxes(b, meta + 12, meta + meta_size) if k == "iloc")
    version = b[iloc + 8]
    offset_size, length_size = b[iloc + 12] >> 4, b[iloc + 12] & 15
    base_size = b[iloc + 13] >> 4
    index_size = b[iloc + 13] & 15 if version in (1, 2) else 0
    p = iloc + 14
    items = struct.unpack(">H", b[p:p + 2])[0] if version < 2 else struct.unpack(">I", b[p:p + 4])[0]
    p += 2 if version < 2 else 4
    fmt = {0: None, 4: ">I", 8: ">Q"}
    old_meta_end = meta + meta_size - delta
    for _ in range(items):
        p += 2 if version < 2 else 4
        if version in (1, 2):
            p += 2
        p += 2  # data_reference_index
        base = struct.unpack(fmt[base_size], b[p:p + base_size])[0] if base_size else 0
        if base_size and base >= old_meta_end:
            b[p:p + base_size] = struct.pack(fmt[base_size], base + delta)
        p += base_size
        extents = struct.unpack(">H", b[p:p + 2])[0]
        p += 2
        for _ in range(extents):
            p += index_size
            if offset_size:
                off = struct.unpack(fmt[offset_size], b[p:p + offset_size])[0]
                if base == 0 and off >= old_meta_end:
                    b[p:p + offset_size] = struct.pack(fmt[offset_size], off + delta)
            p += offset_size + length_size
    open(dst, "wb").write(b)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
