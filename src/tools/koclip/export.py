"""Exports a KoCLIP checkpoint (or random weights of the same architecture) as a koclip-bundle/1 folder.

    /usr/bin/python3 src/tools/koclip/export.py --checkpoint DIR --out BUNDLE [--variant base|large]
    /usr/bin/python3 src/tools/koclip/export.py --random-weights --variant base --out BUNDLE

The bundle holds image_encoder.onnx and text_encoder.onnx (weights as ONNX external data beside
each graph: *.onnx.data), tokenizer.json and model.json. Graphs (opset 17, dynamic batch and
sequence axes):

    image_encoder.onnx: pixel_values float32 [batch, 3, S, S] -> image_embeds float32 [batch, 512]
    text_encoder.onnx:  input_ids, attention_mask, position_ids int64 [batch, seq]
                        -> text_embeds float32 [batch, 512]

Embeddings are the projections of the towers' pooled outputs, unnormalized (the engine normalizes).
See docs/models.md.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import warnings

if __package__ in (None, ""):  # run as a script: make `koclip` importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
import onnx
import torch

from koclip import architectures as arch
from koclip import checkpoint as ckpt
from koclip import tokenizer_files

OPSET = 17
MAX_LENGTH = 96
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
TEMPLATES = {"ko": ["이것은 {}이다."], "en": ["a photo of {}."]}


def random_model(config, seed=0):
    """A DualEncoder with transformers-like random initialization (normal(0, 0.02), LayerNorm 1/0)."""
    generator = torch.Generator().manual_seed(seed)
    model = arch.DualEncoder(config)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name == "logit_scale":
                param.fill_(2.6592)
            elif name.endswith(".bias"):
                param.zero_()
            elif param.ndim == 1 and ("norm" in name.lower() or "layrnorm" in name):
                param.fill_(1.0)
            else:
                param.copy_(torch.randn(param.shape, generator=generator) * 0.02)
    return model.eval()


def _save_external(model_proto, path):
    """Writes the graph with every weight in one external-data file beside it (path + '.data')."""
    data_name = os.path.basename(path) + ".data"
    data_path = os.path.join(os.path.dirname(path), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)  # onnx appends to an existing file
    onnx.save_model(model_proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data_name, size_threshold=1024)


def export_graph(module, args, path, input_names, output_name, dynamic_axes):
    """torch.onnx.export into a temporary file, then re-saved with external data at `path`."""
    with tempfile.TemporaryDirectory(prefix="koclip-export-", dir=os.path.dirname(path)) as tmp:
        raw = os.path.join(tmp, "graph.onnx")
        with torch.no_grad(), warnings.catch_warnings():
            # Tracing turns the static head counts into constants; that is intended.
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            torch.onnx.export(module, args, raw, input_names=input_names, output_names=[output_name],
                              dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
        proto = onnx.load(raw, load_external_data=True)
        _save_external(proto, path)
    onnx.checker.check_model(path)


def export_bundle(model, config, out, tokenizer_json, name, logit_scale, source=None, max_length=MAX_LENGTH):
    """Writes the bundle folder `out` and returns the model.json dict."""
    os.makedirs(out, exist_ok=True)
    size = config.vision.image_size
    started = time.time()

    # [1, 3, S, S] example; batch is dynamic.
    pixel_values = torch.zeros(1, 3, size, size)
    export_graph(model.image_encoder().eval(), (pixel_values,), os.path.join(out, "image_encoder.onnx"),
                 ["pixel_values"], "image_embeds", {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})

    # [2, 8] example; batch and sequence are dynamic.
    ids = torch.full((2, 8), 5, dtype=torch.long)
    mask = torch.ones(2, 8, dtype=torch.long)
    positions = torch.arange(8, dtype=torch.long).expand(2, 8).contiguous()
    text_axes = {n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "position_ids")}
    text_axes["text_embeds"] = {0: "batch"}
    export_graph(model.text_encoder().eval(), (ids, mask, positions), os.path.join(out, "text_encoder.onnx"),
                 ["input_ids", "attention_mask", "position_ids"], "text_embeds", text_axes)

    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json, f, ensure_ascii=False)

    if max_length > config.text.max_position_embeddings:
        raise ValueError(f"maxLength {max_length} exceeds the text tower's {config.text.max_position_embeddings} positions")
    bundle = {
        "format": "koclip-bundle/1",
        "name": name,
        "embeddingDim": config.projection_dim,
        "logitScale": round(logit_scale, 6),
        "image": {
            "model": "image_encoder.onnx", "input": "pixel_values", "output": "image_embeds",
            "size": size, "resize": "shortest_edge", "interpolation": "bicubic", "crop": "center",
            "mean": CLIP_MEAN, "std": CLIP_STD,
        },
        "text": {
            "model": "text_encoder.onnx", "tokenizer": "tokenizer.json",
            "inputIds": "input_ids", "attentionMask": "attention_mask",
            # KoCLIP's Flax training passed position ids 0..L-1 (PyTorch RoBERTa would start at 2).
            "positionIds": {"name": "position_ids", "offset": 0},
            "output": "text_embeds", "maxLength": max_length,
            "templates": TEMPLATES,
        },
        "export": dict(source or {}, tool="src/tools/koclip/export.py", architecture=config.to_dict(),
                       seconds=round(time.time() - started, 1)),
    }
    write_model_json(out, bundle)
    return bundle


def write_model_json(out, bundle):
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(bundle, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Export a KoCLIP checkpoint as a koclip-bundle/1 folder.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", metavar="DIR",
                        help="transformers VisionTextDualEncoder folder or Flax (flax_model.msgpack) folder")
    source.add_argument("--random-weights", action="store_true",
                        help="random weights at the variant's full size (benchmarks; never a real model)")
    parser.add_argument("--out", required=True, metavar="BUNDLE", help="bundle folder to write")
    parser.add_argument("--variant", choices=sorted(arch.VARIANTS),
                        help="base: RoBERTa-large + CLIP ViT-B/32; large: RoBERTa-large + ViT-L/16 "
                             "(required without config.json; checked against it otherwise)")
    parser.add_argument("--tokenizer", metavar="DIR",
                        help="folder with tokenizer.json or vocab.txt when the checkpoint has none (klue/roberta-large)")
    parser.add_argument("--name", help="bundle name recorded in indexes (default: koclip-VARIANT or the folder name)")
    parser.add_argument("--max-length", type=int, default=MAX_LENGTH, help="tokens per text (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed for --random-weights")
    args = parser.parse_args(argv)

    started = time.time()
    if args.random_weights:
        variant = args.variant or "base"
        config = arch.VARIANTS[variant]
        model = random_model(config, args.seed)
        if args.tokenizer:
            tokenizer, tokenizer_source = tokenizer_files.bundle_tokenizer(args.tokenizer)
        else:
            tokenizer = tokenizer_files.wordpiece_tokenizer_json(tokenizer_files.synthetic_vocab(config.text.vocab_size))
            tokenizer_source = "synthetic vocabulary (random-weights bundle)"
        name = args.name or f"koclip-{variant}-random"
        info = {"randomWeights": True, "seed": args.seed, "variant": variant}
    else:
        try:
            model, config, weights = ckpt.load(args.checkpoint, args.variant)
            tokenizer, tokenizer_source = tokenizer_files.bundle_tokenizer(args.tokenizer, args.checkpoint)
        except (ckpt.CheckpointError, FileNotFoundError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        variant = args.variant or ("base" if config.vision.kind == "clip" else "large")
        name = args.name or os.path.basename(os.path.normpath(args.checkpoint))
        info = {"checkpoint": os.path.basename(os.path.normpath(args.checkpoint)), "weights": weights,
                "variant": variant}
    vocab = tokenizer.get("model", {}).get("vocab")
    if isinstance(vocab, dict) and vocab and max(vocab.values()) >= config.text.vocab_size:
        print(f"error: tokenizer ({tokenizer_source}) has ids up to {max(vocab.values())} but the text tower's "
              f"vocabulary has {config.text.vocab_size} rows", file=sys.stderr)
        return 2
    print(f"exporting {ckpt.describe(config)} to {args.out} (tokenizer: {tokenizer_source})", file=sys.stderr)
    bundle = export_bundle(model, config, args.out, tokenizer, name, ckpt.logit_scale(model), info, args.max_length)
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f"wrote {args.out}: {total / 1e6:.1f} MB in {time.time() - started:.0f} s "
          f"(name {bundle['name']}, logitScale {bundle['logitScale']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
