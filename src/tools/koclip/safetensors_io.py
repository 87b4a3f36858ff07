"""A small reader and writer for the safetensors format, without the `safetensors` package.

Layout: 8-byte little-endian header length N, N bytes of JSON header, then raw little-endian
tensor data. The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}
(offsets relative to the end of the header) and may carry "__metadata__" (string to string).
"""

import json
import struct

import numpy as np

# safetensors dtype names -> numpy dtypes. BF16 has no numpy dtype: it is widened to float32.
_DTYPES = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U8": np.uint8,
    "BOOL": np.bool_,
}
_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}

# Headers bigger than this are not safetensors files (the reference implementation caps at 100 MB).
_MAX_HEADER = 100 * 1024 * 1024


def _bf16_to_f32(raw):
    """bfloat16 is the upper half of a float32."""
    return (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)


def read(path):
    """Reads every tensor of a .safetensors file into a dict of numpy arrays (name -> array)."""
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) != 8:
            raise ValueError(f"{path}: too short for a safetensors file")
        (length,) = struct.unpack("<Q", head)
        if length > _MAX_HEADER:
            raise ValueError(f"{path}: header length {length} is not plausible; not a safetensors file")
        header = json.loads(f.read(length).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = info["dtype"]
        begin, end = info["data_offsets"]
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f"{path}: tensor {name!r} has data offsets {begin}..{end} outside the data ({len(data)} bytes)")
        raw = data[begin:end]
        if dtype == "BF16":
            array = _bf16_to_f32(raw)
        elif dtype in _DTYPES:
            array = np.frombuffer(raw, dtype=np.dtype(_DTYPES[dtype]).newbyteorder("<"))
        else:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {dtype}")
        shape = tuple(info["shape"])
        if array.size != int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: tensor {name!r} has {array.size} values, shape {list(shape)} needs {int(np.prod(shape))}")
        tensors[name] = array.reshape(shape).copy()
    return tensors


def write(path, tensors, metadata=None):
    """Writes a dict of numpy arrays (or torch tensors) as a .safetensors file, names sorted."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        value = tensors[name]
        if hasattr(value, "detach"):
            value = value.detach().cpu().numpy()
        array = np.array(value, order="C")
        if array.dtype not in _NAMES:
            raise ValueError(f"tensor {name!r}: dtype {array.dtype} cannot be written")
        raw = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _NAMES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # The reference writer pads the header with spaces to a multiple of 8 bytes.
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in blobs:
            f.write(raw)
