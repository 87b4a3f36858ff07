"""ONNX export of the two towers and the bundle's model.json.

Opset 17 (the highest torch 1.13 exports): LayerNorm becomes a single
LayerNormalization node, GELU is the exact erf form (Erf node).
Image encoder: pixel_values float32 [batch, 3, S, S] -> image_embeds [batch, D]
Text encoder:  input_ids, attention_mask[, position_ids] int64 [batch, seq] -> text_embeds [batch, D]
Outputs are NOT L2-normalized (the engine normalizes).
"""
import json
import math

import onnx
import torch

from model import ImageEncoder, TextEncoder, TextEncoderOwnPositions

OPSET = 17


def _strip_doc_strings(path):
    """Drop per-node doc strings (source line references) so files are small and reproducible."""
    m = onnx.load(path)
    for n in m.graph.node:
        n.doc_string = ""
    m.producer_version = ""  # torch's local build tag is irrelevant
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_image(model, path, size):
    enc = ImageEncoder(model).eval()
    x = torch.zeros(2, 3, size, size)
    torch.onnx.export(enc, (x,), path, input_names=["pixel_values"], output_names=["image_embeds"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    _strip_doc_strings(path)


def export_text(model, path, with_position_ids=True):
    ids = torch.tensor([[2, 10, 11, 3], [2, 12, 3, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    if with_position_ids:
        enc = TextEncoder(model).eval()
        pos = torch.arange(ids.shape[1], dtype=torch.int64).expand_as(ids).contiguous()
        args = (ids, mask, pos)
        names = ["input_ids", "attention_mask", "position_ids"]
    else:
        enc = TextEncoderOwnPositions(model).eval()
        args = (ids, mask)
        names = ["input_ids", "attention_mask"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["text_embeds"] = {0: "batch"}
    torch.onnx.export(enc, args, path, input_names=names, output_names=["text_embeds"],
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    _strip_doc_strings(path)


def model_json(name, model, size, mean, std, max_length, with_position_ids=True, templates=None):
    """The bundle descriptor (docs/models.md, "Bundle format")."""
    return {
        "format": "koclip-bundle/1",
        "name": name,
        "embeddingDim": model.cfg.embed_dim,
        "logitScale": round(float(math.exp(model.logit_scale.item())), 6),
        "image": {
            "model": "image_encoder.onnx", "input": "pixel_values", "output": "image_embeds",
            "size": size, "resize": "shortest_edge", "interpolation": "bicubic", "crop": "center",
            "mean": list(mean), "std": list(std),
        },
        "text": {
            "model": "text_encoder.onnx", "tokenizer": "tokenizer.json",
            "inputIds": "input_ids", "attentionMask": "attention_mask",
            "positionIds": {"name": "position_ids", "offset": 0} if with_position_ids else None,
            "output": "text_embeds", "maxLength": max_length,
            "templates": templates or {"ko": ["이것은 {}이다."], "en": ["a photo of a {}."]},
        },
    }


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
