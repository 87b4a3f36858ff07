"""Reads (and, for tests, writes) Flax checkpoints (`flax_model.msgpack`) without Flax or JAX.

`flax.serialization.to_bytes` writes the parameter tree as nested msgpack maps. Arrays are msgpack
extension values: code 1 (ndarray) holds msgpack of (shape, dtype name, C-order bytes), code 3
(numpy scalar) holds (dtype name, bytes), code 2 (complex) holds (real, imag). Arrays larger than
Flax's chunk limit are written as a map {"__msgpack_chunked_array__": true, "shape": ...,
"chunks": {"0": ..., "1": ...}} whose flattened chunks concatenate to the array.
"""

import msgpack
import numpy as np

_EXT_NDARRAY = 1
_EXT_COMPLEX = 2
_EXT_SCALAR = 3
_CHUNKED = "__msgpack_chunked_array__"


def _dtype(name):
    if isinstance(name, bytes):
        name = name.decode("ascii")
    if name == "bfloat16":
        return "bfloat16"
    return np.dtype(name)


def _array(raw, dtype, shape):
    if isinstance(dtype, str) and dtype == "bfloat16":
        array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
    else:
        array = np.frombuffer(raw, dtype=dtype)
    return array.reshape(shape).copy()


def _ext_hook(code, data):
    if code == _EXT_NDARRAY:
        shape, dtype, raw = msgpack.unpackb(data, raw=False)
        return _array(raw, _dtype(dtype), tuple(shape))
    if code == _EXT_SCALAR:
        dtype, raw = msgpack.unpackb(data, raw=False)
        return _array(raw, _dtype(dtype), ())
    if code == _EXT_COMPLEX:
        real, imag = msgpack.unpackb(data, raw=False)
        return complex(real, imag)
    return msgpack.ExtType(code, data)


def _unchunk(tree):
    if isinstance(tree, dict):
        if tree.get(_CHUNKED):
            chunks = tree["chunks"]
            parts = [np.asarray(chunks[k]).reshape(-1) for k in sorted(chunks, key=int)]
            return np.concatenate(parts).reshape(tuple(tree["shape"]))
        return {k: _unchunk(v) for k, v in tree.items()}
    return tree


def read_tree(path):
    """The nested parameter tree of a Flax msgpack file (dict of dicts of numpy arrays)."""
    with open(path, "rb") as f:
        tree = msgpack.unpackb(f.read(), ext_hook=_ext_hook, raw=False, strict_map_key=False, max_bin_len=2**62)
    if not isinstance(tree, dict):
        raise ValueError(f"{path}: not a Flax parameter tree (top level is {type(tree).__name__})")
    if "params" in tree and isinstance(tree["params"], dict) and len(tree) == 1:
        tree = tree["params"]
    return _unchunk(tree)


def flatten(tree, prefix=()):
    """{("text_model", "encoder", ...): array} from a nested tree."""
    flat = {}
    for key, value in tree.items():
        path = prefix + (str(key),)
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat


def _ext_default(obj):
    if isinstance(obj, np.ndarray):
        return msgpack.ExtType(_EXT_NDARRAY, msgpack.packb((obj.shape, obj.dtype.name, obj.tobytes("C"))))
    if isinstance(obj, np.generic):
        return msgpack.ExtType(_EXT_SCALAR, msgpack.packb((obj.dtype.name, obj.tobytes())))
    raise TypeError(f"cannot serialize {type(obj).__name__}")


def write_tree(path, flat, chunk_bytes=None):
    """Writes {path tuple: array} the way flax.serialization.to_bytes does (tests only).

    With chunk_bytes, arrays bigger than that are written as Flax's chunked-array maps.
    """
    tree = {}
    for keys, value in flat.items():
        node = tree
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        array = np.array(value, order="C")
        if chunk_bytes and array.nbytes > chunk_bytes:
            per_chunk = max(1, chunk_bytes // array.itemsize)
            flat_values = array.reshape(-1)
            chunks = {str(i): flat_values[s:s + per_chunk] for i, s in enumerate(range(0, flat_values.size, per_chunk))}
            node[keys[-1]] = {_CHUNKED: True, "shape": list(array.shape), "chunks": chunks}
        elif array.ndim == 0:
            node[keys[-1]] = array[()]
        else:
            node[keys[-1]] = array
    with open(path, "wb") as f:
        f.write(msgpack.packb(tree, default=_ext_default, strict_types=True))
