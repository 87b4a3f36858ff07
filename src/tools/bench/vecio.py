"""fvecs / ivecs files (the TEXMEX format used by ANN benchmarks): every record is a little-endian
int32 dimension followed by that many float32 (fvecs) or int32 (ivecs) values."""

import numpy as np


def read_fvecs(path, mmap=True):
    """An [n, d] float32 view of an fvecs file (memory-mapped, no copy of the file)."""
    raw = np.memmap(path, dtype="<i4", mode="r") if mmap else np.fromfile(path, dtype="<i4")
    if raw.size == 0:
        return np.zeros((0, 0), dtype=np.float32)
    d = int(raw[0])
    if d <= 0 or raw.size % (d + 1) != 0:
        raise ValueError(f"{path}: not an fvecs file (first dimension {d}, {raw.size * 4} bytes)")
    return raw.reshape(-1, d + 1)[:, 1:].view("<f4")


def read_ivecs(path):
    raw = np.fromfile(path, dtype="<i4")
    d = int(raw[0])
    if d <= 0 or raw.size % (d + 1) != 0:
        raise ValueError(f"{path}: not an ivecs file (first dimension {d}, {raw.size * 4} bytes)")
    return raw.reshape(-1, d + 1)[:, 1:]


class VecsWriter:
    """Appends [rows, d] blocks to an fvecs (float32) or ivecs (int32) file."""

    def __init__(self, path, dtype):
        self.file = open(path, "wb")
        self.dtype = np.dtype(dtype).newbyteorder("<")

    def write(self, block):
        block = np.ascontiguousarray(block, dtype=self.dtype)
        n, d = block.shape
        out = np.empty((n, d + 1), dtype="<i4")
        out[:, 0] = d
        out[:, 1:] = block.view("<i4")
        out.tofile(self.file)

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
