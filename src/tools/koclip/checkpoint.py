"""Reads KoCLIP-style dual-encoder checkpoints into `architectures.DualEncoder` state dicts.

Layouts understood (a folder in each case):

- transformers' `VisionTextDualEncoderModel`: `config.json` plus `model.safetensors`,
  `pytorch_model.bin`, or their sharded forms (`*.index.json` with a `weight_map`);
- Flax: `flax_model.msgpack` (KoCLIP's published `FlaxHybridCLIP` weights, or transformers'
  `FlaxVisionTextDualEncoderModel`), with or without `config.json`.

Parameter names are transformers' (`text_model.encoder.layer.0.attention.self.query.weight`, …).
With a CLIP vision tower, transformers nests `CLIPVisionTransformer` inside `CLIPVisionModel`, so
its parameters are `vision_model.vision_model.embeddings.class_embedding`, … ; the flat spelling
`vision_model.embeddings.class_embedding` (a bare transformer) is accepted too. Flax trees use the
same names with `kernel` (transposed), `scale` and `embedding` leaves. Unknown, missing or
mis-shaped parameters are an error that lists them.
"""

import json
import math
import os

import numpy as np
import torch

from . import architectures as arch
from . import flax_msgpack
from . import safetensors_io

# Buffers that some transformers versions saved with the weights; they carry no learned values.
_IGNORED_SUFFIXES = (".embeddings.position_ids", ".embeddings.token_type_ids")


class CheckpointError(ValueError):
    """A checkpoint that cannot be used as it is, with a message that says why."""


# ---------------------------------------------------------------------------------------------
# configuration


def _vision_config(raw, default):
    if "vision_config" in raw and isinstance(raw["vision_config"], dict):
        raw = raw["vision_config"]  # a whole CLIPConfig: take its vision half
    model_type = raw.get("model_type", "clip_vision_model" if default.kind == "clip" else "vit")
    if model_type in ("clip", "clip_vision_model"):
        base = default if default.kind == "clip" else arch.CLIP_B32
        kind = "clip"
    elif model_type == "vit":
        base = default if default.kind == "vit" else arch.VIT_L16
        kind = "vit"
    else:
        raise CheckpointError(f"vision_config.model_type {model_type!r} is not supported (clip_vision_model, clip, vit)")
    values = {f: raw.get(f, getattr(base, f)) for f in arch.VisionConfig.__dataclass_fields__ if f != "kind"}
    return arch.VisionConfig(kind=kind, **values)


def _text_config(raw):
    model_type = raw.get("model_type", "roberta")
    if model_type not in ("roberta", "bert", "xlm-roberta"):
        raise CheckpointError(f"text_config.model_type {model_type!r} is not supported (roberta, bert, xlm-roberta)")
    values = {f: raw.get(f, getattr(arch.ROBERTA_LARGE, f)) for f in arch.TextConfig.__dataclass_fields__}
    return arch.TextConfig(**values)


def read_config(folder, variant=None):
    """The DualConfig of a checkpoint folder: from config.json when present, else the variant's."""
    path = os.path.join(folder, "config.json")
    if not os.path.exists(path):
        if variant is None:
            raise CheckpointError(f"{folder}: no config.json; give --variant base or --variant large")
        return arch.VARIANTS[variant]
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    if "text_config" not in raw or "vision_config" not in raw:
        raise CheckpointError(
            f"{path}: expected a dual-encoder config with text_config and vision_config "
            f"(model_type vision-text-dual-encoder or hybrid-clip), got keys {sorted(raw)}")
    default_vision = arch.VARIANTS[variant or "base"].vision
    config = arch.DualConfig(
        text=_text_config(raw["text_config"]),
        vision=_vision_config(raw["vision_config"], default_vision),
        projection_dim=int(raw.get("projection_dim", 512)))
    if variant is not None:
        expected = arch.VARIANTS[variant].vision.kind
        if config.vision.kind != expected:
            raise CheckpointError(
                f"{path}: --variant {variant} expects a {expected} vision tower, but config.json has {config.vision.kind}")
    return config


def write_config(folder, config, logit_scale_init=2.6592):
    """Writes a transformers-style VisionTextDualEncoder config.json (fake checkpoints in tests)."""
    text = dict(vars(config.text), model_type="roberta", architectures=["RobertaModel"])
    vision = {k: v for k, v in vars(config.vision).items() if k != "kind"}
    vision["model_type"] = "clip_vision_model" if config.vision.kind == "clip" else "vit"
    if config.vision.kind == "clip":
        vision.pop("qkv_bias")
    raw = {
        "architectures": ["VisionTextDualEncoderModel"],
        "model_type": "vision-text-dual-encoder",
        "projection_dim": config.projection_dim,
        "logit_scale_init_value": logit_scale_init,
        "text_config": text,
        "vision_config": vision,
    }
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(raw, f, indent=2)


# ---------------------------------------------------------------------------------------------
# weights


def _load_torch_file(path):
    try:
        state = torch.load(path, map_location="cpu")
    except Exception as e:  # pickle errors come in many types
        raise CheckpointError(f"{path}: cannot read as a PyTorch state dict: {e}") from e
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise CheckpointError(f"{path}: expected a state dict, got {type(state).__name__}")
    return {k: v.detach().cpu().float().numpy() if v.is_floating_point() else v.cpu().numpy() for k, v in state.items()}


def _load_sharded(folder, index_name, load_one):
    with open(os.path.join(folder, index_name), encoding="utf-8") as f:
        weight_map = json.load(f)["weight_map"]
    state = {}
    for shard in sorted(set(weight_map.values())):
        state.update(load_one(os.path.join(folder, shard)))
    return state


def flax_to_torch_names(flat):
    """{("text_model", ..., "kernel"): array} -> {"text_model....weight": array}, kernels transposed to torch's layout."""
    state = {}
    for path, value in flat.items():
        value = np.asarray(value)
        *module, leaf = path
        if leaf == "kernel":
            # Dense: [in, out] -> Linear [out, in]; Conv: [kh, kw, in, out] -> [out, in, kh, kw]
            value = value.transpose(3, 2, 0, 1) if value.ndim == 4 else value.T
            leaf = "weight"
        elif leaf in ("scale", "embedding"):
            leaf = "weight"
        state[".".join(module + [leaf])] = np.array(value, order="C")
    return state


def torch_to_flax_names(state):
    """The inverse of flax_to_torch_names, for writing fake Flax checkpoints in tests."""
    flat = {}
    for name, value in state.items():
        value = np.asarray(value)
        *module, leaf = name.split(".")
        last = module[-1] if module else ""
        if leaf == "weight":
            if "LayerNorm" in last or "layernorm" in last or "layer_norm" in last or last == "pre_layrnorm":
                leaf = "scale"
            elif last.endswith("embeddings") or last.endswith("embedding") and value.ndim == 2:
                leaf = "embedding"
            else:
                value = value.transpose(2, 3, 1, 0) if value.ndim == 4 else value.T
                leaf = "kernel"
        flat[tuple(module + [leaf])] = np.array(value, order="C")
    return flat


def read_weights(folder):
    """(state dict of numpy arrays with transformers names, description of the files read)."""
    candidates = [
        ("model.safetensors", lambda: safetensors_io.read(os.path.join(folder, "model.safetensors"))),
        ("model.safetensors.index.json", lambda: _load_sharded(folder, "model.safetensors.index.json", safetensors_io.read)),
        ("pytorch_model.bin", lambda: _load_torch_file(os.path.join(folder, "pytorch_model.bin"))),
        ("pytorch_model.bin.index.json", lambda: _load_sharded(folder, "pytorch_model.bin.index.json", _load_torch_file)),
        ("flax_model.msgpack", lambda: flax_to_torch_names(flax_msgpack.flatten(flax_msgpack.read_tree(os.path.join(folder, "flax_model.msgpack"))))),
    ]
    for name, load in candidates:
        if os.path.exists(os.path.join(folder, name)):
            return load(), name
    raise CheckpointError(
        f"{folder}: no weights found; expected one of " + ", ".join(name for name, _ in candidates))


def _canonical(state, config):
    """Maps accepted aliases to the names DualEncoder uses and drops weight-less buffers."""
    result = {}
    for name, value in state.items():
        if name.endswith(_IGNORED_SUFFIXES):
            continue
        if config.vision.kind == "clip" and name.startswith("vision_model.") and not name.startswith("vision_model.vision_model."):
            name = "vision_model." + name  # a bare CLIPVisionTransformer's names
        result[name] = value
    return result


def _listing(names, limit=30):
    names = sorted(names)
    shown = "\n  ".join(names[:limit])
    more = f"\n  ... and {len(names) - limit} more" if len(names) > limit else ""
    return f"\n  {shown}{more}"


def check_state(state, config, source="checkpoint"):
    """Raises CheckpointError naming every missing, unknown or mis-shaped parameter."""
    expected = expected_shapes(config)
    missing = set(expected) - set(state)
    unknown = set(state) - set(expected)
    shapes = [f"{k}: checkpoint {list(np.shape(state[k]))}, model {list(expected[k])}"
              for k in sorted(set(state) & set(expected)) if tuple(np.shape(state[k])) != expected[k]]
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing parameter(s):" + _listing(missing))
    if unknown:
        problems.append(f"{len(unknown)} unknown parameter(s):" + _listing(unknown))
    if shapes:
        problems.append(f"{len(shapes)} parameter(s) with the wrong shape:" + _listing(shapes))
    if problems:
        raise CheckpointError(
            f"{source} does not match the {describe(config)} architecture:\n" + "\n".join(problems))


def expected_shapes(config):
    """Parameter name -> shape, written out from transformers' layouts (no model is built).

    Tests check that architectures.DualEncoder has exactly these names and shapes.
    """
    t, v, p = config.text, config.vision, config.projection_dim
    shapes = {}

    def linear(name, n_in, n_out, bias=True):
        shapes[name + ".weight"] = (n_out, n_in)
        if bias:
            shapes[name + ".bias"] = (n_out,)

    def norm(name, width):
        shapes[name + ".weight"] = (width,)
        shapes[name + ".bias"] = (width,)

    h = t.hidden_size
    shapes["text_model.embeddings.word_embeddings.weight"] = (t.vocab_size, h)
    shapes["text_model.embeddings.position_embeddings.weight"] = (t.max_position_embeddings, h)
    shapes["text_model.embeddings.token_type_embeddings.weight"] = (t.type_vocab_size, h)
    norm("text_model.embeddings.LayerNorm", h)
    for i in range(t.num_hidden_layers):
        layer = f"text_model.encoder.layer.{i}"
        for part in ("query", "key", "value"):
            linear(f"{layer}.attention.self.{part}", h, h)
        linear(f"{layer}.attention.output.dense", h, h)
        norm(f"{layer}.attention.output.LayerNorm", h)
        linear(f"{layer}.intermediate.dense", h, t.intermediate_size)
        linear(f"{layer}.output.dense", t.intermediate_size, h)
        norm(f"{layer}.output.LayerNorm", h)
    linear("text_model.pooler.dense", h, h)

    w = v.hidden_size
    tokens = (v.image_size // v.patch_size) ** 2 + 1
    if v.kind == "clip":
        root = "vision_model.vision_model"
        shapes[f"{root}.embeddings.class_embedding"] = (w,)
        shapes[f"{root}.embeddings.patch_embedding.weight"] = (w, v.num_channels, v.patch_size, v.patch_size)
        shapes[f"{root}.embeddings.position_embedding.weight"] = (tokens, w)
        norm(f"{root}.pre_layrnorm", w)
        for i in range(v.num_hidden_layers):
            layer = f"{root}.encoder.layers.{i}"
            for part in ("q_proj", "k_proj", "v_proj", "out_proj"):
                linear(f"{layer}.self_attn.{part}", w, w)
            norm(f"{layer}.layer_norm1", w)
            linear(f"{layer}.mlp.fc1", w, v.intermediate_size)
            linear(f"{layer}.mlp.fc2", v.intermediate_size, w)
            norm(f"{layer}.layer_norm2", w)
        norm(f"{root}.post_layernorm", w)
    else:
        root = "vision_model"
        shapes[f"{root}.embeddings.cls_token"] = (1, 1, w)
        shapes[f"{root}.embeddings.position_embeddings"] = (1, tokens, w)
        linear(f"{root}.embeddings.patch_embeddings.projection", 0, w)
        shapes[f"{root}.embeddings.patch_embeddings.projection.weight"] = (w, v.num_channels, v.patch_size, v.patch_size)
        for i in range(v.num_hidden_layers):
            layer = f"{root}.encoder.layer.{i}"
            for part in ("query", "key", "value"):
                linear(f"{layer}.attention.attention.{part}", w, w, bias=v.qkv_bias)
            linear(f"{layer}.attention.output.dense", w, w)
            linear(f"{layer}.intermediate.dense", w, v.intermediate_size)
            linear(f"{layer}.output.dense", v.intermediate_size, w)
            norm(f"{layer}.layernorm_before", w)
            norm(f"{layer}.layernorm_after", w)
        norm(f"{root}.layernorm", w)
        linear(f"{root}.pooler.dense", w, w)

    linear("text_projection", h, p, bias=False)
    linear("visual_projection", w, p, bias=False)
    shapes["logit_scale"] = ()
    return shapes


def describe(config):
    v, t = config.vision, config.text
    vision = (f"CLIP ViT ({v.hidden_size} wide, {v.num_hidden_layers} layers, patch {v.patch_size})" if v.kind == "clip"
              else f"ViT ({v.hidden_size} wide, {v.num_hidden_layers} layers, patch {v.patch_size})")
    return (f"RoBERTa ({t.hidden_size} wide, {t.num_hidden_layers} layers, vocab {t.vocab_size}) + {vision} "
            f"-> {config.projection_dim}")


def load(folder, variant=None):
    """(DualEncoder in eval mode with the checkpoint's weights, DualConfig, weight file name)."""
    config = read_config(folder, variant)
    raw, weights = read_weights(folder)
    state = _canonical(raw, config)
    check_state(state, config, source=os.path.join(folder, weights))
    model = arch.DualEncoder(config)
    # check_state guarantees the same names and shapes; float16/bfloat16/float64 become float32 here.
    tensors = {name: torch.from_numpy(np.array(state[name], dtype=np.float32, order="C")) for name in model.state_dict()}
    model.load_state_dict(tensors, strict=True)
    model.eval()
    return model, config, weights


def logit_scale(model):
    """exp of the checkpoint's log temperature, as CLIP uses it (capped at 100 like CLIP's training clamp)."""
    return min(100.0, math.exp(float(model.logit_scale.detach())))
