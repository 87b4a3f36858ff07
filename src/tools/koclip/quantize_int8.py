"""Rewrites a bundle's fp32 ONNX graphs to dynamic int8 quantization, without onnxruntime's Python quantizer.

    /usr/bin/python3 src/tools/koclip/quantize_int8.py BUNDLE [--min-elements N]

For every MatMul (and Gemm without transA, alpha = beta = 1) whose weight is a constant initializer
of at least N elements, the weight becomes int8 with one symmetric scale per output column
(per-channel, zero point 0), and the node becomes the pattern ONNX Runtime fuses into
MatMulIntegerToFloat / DynamicQuantizeMatMul:

    A (float) -> DynamicQuantizeLinear -> A_q (uint8), A_scale, A_zero
    MatMulInteger(A_q, W_q int8, A_zero) -> int32 -> Cast(float) -> Mul(A_scale * W_scale[N]) [-> Add(bias) for Gemm]

Activations are quantized per tensor at run time (one DynamicQuantizeLinear per distinct input,
shared by the q/k/v projections). Embedding tables read by Gather (word and position embeddings)
become int8 with one scale per row, dequantized after the lookup. Attention's activation-activation
MatMuls, the patch Conv, the ViT/CLIP position and class embeddings (Add/Concat, not Gather) and
LayerNorms stay float32.

Writes image_encoder.int8.onnx / text_encoder.int8.onnx (+ .data) beside the fp32 graphs and lists
them in model.json as {"image": {"variants": {"int8": "image_encoder.int8.onnx"}}, "text": {...}}.
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


DEFAULT_MIN_ELEMENTS = 4096


def _quantize_weight(w):
    """w [K, N] float32 -> (int8 [K, N], float32 scales [N]) with symmetric per-column scales."""
    scale = np.abs(w).max(axis=0) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def _quantize_gather(node, table_proto, index, min_elements):
    """Embedding lookups: int8 table with one symmetric scale per row, dequantized after the Gather.

    Gather(table [V, H], ids) -> Gather(table_q int8, ids) -> Cast(float) -> Mul(Gather(scales [V, 1], ids)).
    Returns (nodes, initializers), or None to keep the node as it is.
    """
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    table = numpy_helper.to_array(table_proto)
    if attrs.get("axis", 0) != 0 or table.dtype != np.float32 or table.ndim != 2 or table.size < min_elements:
        return None
    scale = np.abs(table).max(axis=1, keepdims=True) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(table / scale), -127, 127).astype(np.int8)
    tag, out, ids = f"q{index}", node.output[0], node.input[1]
    q_name, scale_name = f"{node.input[0]}_int8_{tag}", f"{node.input[0]}_row_scale_{tag}"
    nodes = [
        helper.make_node("Gather", [q_name, ids], [f"{out}_int8"], name=f"{tag}_GatherInt8"),
        helper.make_node("Cast", [f"{out}_int8"], [f"{out}_float"], to=TensorProto.FLOAT, name=f"{tag}_Cast"),
        helper.make_node("Gather", [scale_name, ids], [f"{out}_scale"], name=f"{tag}_GatherScale"),
        helper.make_node("Mul", [f"{out}_float", f"{out}_scale"], [out], name=f"{tag}_Mul"),
    ]
    return nodes, [numpy_helper.from_array(q, q_name), numpy_helper.from_array(scale, scale_name)]


def quantize_model(model, min_elements=DEFAULT_MIN_ELEMENTS):
    """Returns (new ModelProto, number of rewritten nodes). The input model is not changed."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1

    new_nodes = []
    new_initializers = []
    dynamic = {}  # float input name -> (quantized, scale, zero point) names
    rewritten = 0
    for index, node in enumerate(graph.node):
        if node.op_type == "Gather" and node.input[0] in initializers:
            gathered = _quantize_gather(node, initializers[node.input[0]], index, min_elements)
            if gathered is None:
                new_nodes.append(node)
            else:
                rewritten += 1
                new_nodes += gathered[0]
                new_initializers += gathered[1]
            continue
        weight_name, transpose, bias = None, False, None
        if node.op_type == "MatMul" and node.input[1] in initializers:
            weight_name = node.input[1]
        elif node.op_type == "Gemm" and node.input[1] in initializers:
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            if attrs.get("transA", 0) == 0 and attrs.get("alpha", 1.0) == 1.0 and attrs.get("beta", 1.0) == 1.0:
                weight_name = node.input[1]
                transpose = bool(attrs.get("transB", 0))
                bias = node.input[2] if len(node.input) > 2 and node.input[2] else None
        if weight_name is None:
            new_nodes.append(node)
            continue
        w = numpy_helper.to_array(initializers[weight_name])
        if w.dtype != np.float32 or w.ndim != 2 or w.size < min_elements:
            new_nodes.append(node)
            continue
        if transpose:
            w = w.T
        rewritten += 1
        tag = f"q{index}"
        q, scale = _quantize_weight(np.ascontiguousarray(w))
        q_name, scale_name = f"{weight_name}_int8_{tag}", f"{weight_name}_scale_{tag}"
        new_initializers += [numpy_helper.from_array(q, q_name), numpy_helper.from_array(scale, scale_name)]

        source = node.input[0]
        if source not in dynamic:
            names = (f"{source}_quantized", f"{source}_scale", f"{source}_zero_point")
            new_nodes.append(helper.make_node("DynamicQuantizeLinear", [source], list(names),
                                              name=f"{source}_DynamicQuantizeLinear"))
            dynamic[source] = names
        a_q, a_scale, a_zero = dynamic[source]
        out = node.output[0]
        new_nodes += [
            helper.make_node("MatMulInteger", [a_q, q_name, a_zero], [f"{out}_int32"], name=f"{tag}_MatMulInteger"),
            helper.make_node("Cast", [f"{out}_int32"], [f"{out}_float"], to=TensorProto.FLOAT, name=f"{tag}_Cast"),
            helper.make_node("Mul", [a_scale, scale_name], [f"{out}_scale"], name=f"{tag}_ScaleMul"),
        ]
        if bias is None:
            new_nodes.append(helper.make_node("Mul", [f"{out}_float", f"{out}_scale"], [out], name=f"{tag}_Mul"))
        else:
            new_nodes += [
                helper.make_node("Mul", [f"{out}_float", f"{out}_scale"], [f"{out}_unbiased"], name=f"{tag}_Mul"),
                helper.make_node("Add", [f"{out}_unbiased", bias], [out], name=f"{tag}_BiasAdd"),
            ]

    del graph.node[:]
    graph.node.extend(new_nodes)
    graph.initializer.extend(new_initializers)
    used = {name for node in graph.node for name in node.input}
    kept = [i for i in graph.initializer if i.name in used or i.name in {o.name for o in graph.output}]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    return model, rewritten


def quantize_file(source, target, min_elements=DEFAULT_MIN_ELEMENTS):
    model = onnx.load(source, load_external_data=True)
    quantized, rewritten = quantize_model(model, min_elements)
    data_name = os.path.basename(target) + ".data"
    data_path = os.path.join(os.path.dirname(target), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)  # onnx appends to an existing data file
    onnx.save_model(quantized, target, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data_name, size_threshold=1024)
    onnx.checker.check_model(target)
    return rewritten


def _size(path):
    total = os.path.getsize(path)
    if os.path.exists(path + ".data"):
        total += os.path.getsize(path + ".data")
    return total


def quantize_bundle(bundle, min_elements=DEFAULT_MIN_ELEMENTS):
    """Writes the int8 graphs of a koclip-bundle/1 folder and adds them to model.json as variants."""
    model_json = os.path.join(bundle, "model.json")
    with open(model_json, encoding="utf-8") as f:
        spec = json.load(f)
    for tower in ("image", "text"):
        source = spec[tower]["model"]
        if source.endswith(".int8.onnx"):
            raise ValueError(f"{model_json}: {tower}.model is already an int8 graph ({source})")
        target = source[: -len(".onnx")] + ".int8.onnx" if source.endswith(".onnx") else source + ".int8.onnx"
        rewritten = quantize_file(os.path.join(bundle, source), os.path.join(bundle, target), min_elements)
        spec[tower].setdefault("variants", {})["int8"] = target
        print(f"{tower}: {rewritten} MatMul/Gemm/Gather nodes quantized; {source} {_size(os.path.join(bundle, source)) / 1e6:.1f} MB"
              f" -> {target} {_size(os.path.join(bundle, target)) / 1e6:.1f} MB", file=sys.stderr)
    with open(model_json, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return spec


def main(argv=None):
    parser = argparse.ArgumentParser(description="Add dynamic-int8 variants of a bundle's ONNX graphs.")
    parser.add_argument("bundle", metavar="BUNDLE", help="koclip-bundle/1 folder (model.json)")
    parser.add_argument("--min-elements", type=int, default=DEFAULT_MIN_ELEMENTS,
                        help="leave weights with fewer elements in float32 (default: %(default)s)")
    args = parser.parse_args(argv)
    quantize_bundle(args.bundle, args.min_elements)
    return 0


if __name__ == "__main__":
    sys.exit(main())
