"""Fake KoCLIP checkpoints with the exact parameter names and shapes, in the published layouts.

Used by the tests (reduced and full size) and handy for trying export.py without the real weights:

    write_checkpoint(folder, config, state, layout)   layout: "pytorch_model.bin" | "model.safetensors" | "flax"
"""

import json
import os

import numpy as np
import torch

from . import architectures as arch
from . import checkpoint as ckpt
from . import flax_msgpack
from . import safetensors_io
from . import tokenizer_files

LAYOUTS = ("pytorch_model.bin", "model.safetensors", "flax")

# Words of the test texts get whole-word entries; everything else falls back to syllables.
TEST_WORDS = ("고양이", "사진", "강아지", "바닷가", "이것은", "이다", "photo", "cat", "dog", "of", "a")


def tiny_vocab():
    tokens = list(tokenizer_files.SPECIAL_TOKENS)
    for c in [chr(c) for c in range(33, 127)]:
        tokens += [c, "##" + c]
    for word in TEST_WORDS:
        tokens.append(word)
        for ch in word:
            tokens += [ch, "##" + ch]
    seen, unique = set(), []
    for t in tokens:
        if t not in seen:
            seen.add(t)
            unique.append(t)
    return {t: i for i, t in enumerate(unique)}


def tiny_config(kind, vocab_size):
    text = arch.TextConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=64, max_position_embeddings=130)
    if kind == "clip":
        vision = arch.VisionConfig(kind="clip", hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                                   intermediate_size=96, image_size=64, patch_size=16)
    else:
        vision = arch.VisionConfig(kind="vit", hidden_size=40, num_hidden_layers=2, num_attention_heads=4,
                                   intermediate_size=80, image_size=64, patch_size=16, layer_norm_eps=1e-12,
                                   hidden_act="gelu")
    return arch.DualConfig(text, vision, projection_dim=24)


def random_state(config, seed=0, zeros=False):
    """{transformers name: float32 array} for every parameter; zeros=True is instant at full size."""
    rng = np.random.default_rng(seed)
    state = {}
    for name, shape in ckpt.expected_shapes(config).items():
        if zeros:
            state[name] = np.zeros(shape, dtype=np.float32)
        elif name == "logit_scale":
            state[name] = np.array(np.log(1 / 0.07) + rng.uniform(0, 1), dtype=np.float32)
        elif "norm" in name.lower() or "layrnorm" in name:
            base = 1.0 if name.endswith(".weight") else 0.0
            state[name] = (base + 0.1 * rng.standard_normal(shape)).astype(np.float32)
        else:
            state[name] = (0.2 * rng.standard_normal(shape)).astype(np.float32)
    return state


def hybrid_clip_config(config):
    """config.json as KoCLIP's FlaxHybridCLIP saved it (model_type hybrid-clip, CLIP vision config)."""
    text = dict(vars(config.text), model_type="roberta")
    vision = {k: v for k, v in vars(config.vision).items() if k != "kind"}
    vision["model_type"] = "clip_vision_model" if config.vision.kind == "clip" else "vit"
    return {"architectures": ["HybridCLIP"], "model_type": "hybrid-clip", "projection_dim": config.projection_dim,
            "text_config": text, "vision_config": vision}


def write_checkpoint(folder, config, state, layout, vocab=None, tokenizer="vocab.txt"):
    """Writes a checkpoint folder; tokenizer: "vocab.txt" (klue's files), "tokenizer.json", or None."""
    os.makedirs(folder, exist_ok=True)
    if layout == "flax":
        with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
            json.dump(hybrid_clip_config(config), f, indent=2)
        flax_msgpack.write_tree(os.path.join(folder, "flax_model.msgpack"), ckpt.torch_to_flax_names(state))
    else:
        ckpt.write_config(folder, config)
        if layout == "model.safetensors":
            safetensors_io.write(os.path.join(folder, "model.safetensors"), state, {"format": "pt"})
        elif layout == "pytorch_model.bin":
            torch.save({k: torch.from_numpy(np.array(v)) for k, v in state.items()},
                       os.path.join(folder, "pytorch_model.bin"))
        else:
            raise ValueError(f"layout {layout!r} is not one of {LAYOUTS}")
    if vocab is not None and tokenizer == "vocab.txt":
        with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8") as f:
            for token, _ in sorted(vocab.items(), key=lambda item: item[1]):
                f.write(token + "\n")
        with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump({"do_lower_case": False, "tokenizer_class": "BertTokenizer", "model_max_length": 512}, f)
    elif vocab is not None and tokenizer == "tokenizer.json":
        with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(tokenizer_files.wordpiece_tokenizer_json(vocab), f, ensure_ascii=False)
