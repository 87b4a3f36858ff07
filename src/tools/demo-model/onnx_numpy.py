"""A tiny numpy interpreter for the ONNX graphs this tool exports.

onnxruntime's Python package is not available here and onnx 1.12 has no
reference evaluator, so the export is verified by running the graph with
this interpreter and comparing with PyTorch. It supports exactly the ops that
torch 1.13 emits for model.py at opset 17 and fails loudly on anything else.
"""
import math

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.frompyfunc(math.erf, 1, 1)
_DTYPES = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 11: np.float64}


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, strides, pads, group=1):
    assert group == 1
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    sh, sw = strides
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (x.shape[2] - kh) // sh + 1
    ow = (x.shape[3] - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    y = np.einsum("nckluv,ockl->nouv", cols, w, optimize=True)
    if b is not None:
        y = y + b[None, :, None, None]
    return y.astype(np.float32)


def _layer_norm(x, scale, bias, axis, eps):
    axes = tuple(range(axis % x.ndim, x.ndim))
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mu) / np.sqrt(var + eps) * scale
    return (y + bias if bias is not None else y).astype(np.float32)


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def run(model_or_path, feeds):
    """Evaluate an ONNX model on numpy feeds {name: array}; returns {output name: array}."""
    m = onnx.load(model_or_path) if isinstance(model_or_path, str) else model_or_path
    env = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    env.update(feeds)
    for node in m.graph.node:
        a = _attrs(node)
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Identity":
            y = x[0]
        elif op in ("Add", "Sub", "Mul", "Div"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op]
            y = f(x[0], x[1])
            if np.issubdtype(x[0].dtype, np.integer) and op == "Div":
                y = np.floor_divide(x[0], x[1])
            y = y.astype(np.result_type(x[0], x[1]))
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
            y = y.astype(np.float32)
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Shape":
            y = np.array(x[0].shape, dtype=np.int64)
        elif op == "Unsqueeze":
            y = x[0]
            for ax in sorted(int(v) for v in x[1]):
                y = np.expand_dims(y, ax if ax >= 0 else ax + y.ndim + 1)
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        elif op == "Reshape":
            shape = [int(s) for s in x[1]]
            shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            y = x[0].reshape(shape)
        elif op == "Transpose":
            y = np.transpose(x[0], a.get("perm"))
        elif op == "Cast":
            y = x[0].astype(_DTYPES[a["to"]])
        elif op == "Erf":
            y = _erf(x[0]).astype(np.float32)
        elif op == "Tanh":
            y = np.tanh(x[0])
        elif op == "Softmax":
            y = _softmax(x[0], a.get("axis", -1))
        elif op == "LayerNormalization":
            y = _layer_norm(x[0], x[1], x[2] if len(x) > 2 else None, a.get("axis", -1), a.get("epsilon", 1e-5))
        elif op == "Conv":
            k = len(x[1].shape) - 2
            y = _conv(x[0], x[1], x[2] if len(x) > 2 else None, a.get("strides", [1] * k),
                      a.get("pads", [0] * 2 * k), a.get("group", 1))
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
            sl = [slice(None)] * x[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(e), int(st))
            y = x[0][tuple(sl)]
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            y = np.full([int(s) for s in x[0]], v.reshape(-1)[0], dtype=v.dtype)
        elif op == "Equal":
            y = np.equal(x[0], x[1])
        elif op == "Where":
            y = np.where(x[0], x[1], x[2])
        elif op == "Expand":
            y = x[0] * np.ones([int(s) for s in x[1]], dtype=x[0].dtype)
        elif op == "Range":
            y = np.arange(x[0], x[1], x[2]).astype(x[0].dtype)
        elif op == "ReduceL2":
            y = np.sqrt(np.sum(np.square(x[0]), axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1))))
        elif op == "Gelu":
            y = (0.5 * x[0] * (1 + _erf(x[0] / math.sqrt(2)).astype(np.float32))).astype(np.float32)
        else:
            raise NotImplementedError(f"onnx_numpy: op {op} not supported")
        env[node.output[0]] = np.asarray(y)
    return {o.name: env[o.name] for o in m.graph.output}
