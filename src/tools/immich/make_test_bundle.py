"""A small bundle in the shape of Immich's CLIP exports, built from the demo model's graphs.

Immich publishes its CLIPs (`immich-app/<name>` on the Hugging Face Hub) as folders written by
`machine-learning/export/immich_model_exporter` (immich-app/immich):

    config.json                  open_clip's model config (embed_dim, vision_cfg, text_cfg)
    visual/model.onnx            torch.onnx.export of encode_image(image, normalize=True):
                                 input `image` float32 [1, 3, S, S] (no dynamic axes), output `embedding`
    visual/preprocess_cfg.json   open_clip.get_model_preprocess_cfg(model)
    textual/model.onnx           encode_text(text, normalize=True): input `text` int32
                                 [1, context_length], output `embedding`
    textual/tokenizer.json, tokenizer_config.json, special_tokens_map.json
                                 AutoTokenizer.save_pretrained(hf_tokenizer_name)

Graphs over 2 GB keep their weights in external-data files beside model.onnx. Immich's server pads
the text to `text_cfg.context_length` with `tokenizer_config.json`'s pad_token and, for models whose
name starts with `nllb`, puts the FLORES-200 code of the query's language straight before the text
(`f"{flores_code}{text}"`), which the NLLB tokenizer reads as one special token.

This script makes such a folder, small enough to commit, whose embeddings mean something: the demo
CLIP (coloured shapes, Korean and English) wrapped so that

  - the image graph takes `image` [1, 3, 64, 64] and returns the L2-normalized `embedding` [1, 128];
  - the text graph takes `text` int32 [1, 64], reads the token after [CLS] as the language token and
    drops it (as the real NLLB encoder consumes it), feeds the rest to the demo text tower with its
    own attention mask and positions 0..63, and returns the L2-normalized `embedding` [1, 128]. A
    text tokenized without the language prefix therefore loses its first word;
  - both graphs keep their weights in `model.onnx_data` beside `model.onnx` (ONNX external data);
  - config.json names the NLLB tokenizer and carries SigLIP's `init_logit_bias`, as the configs of
    nllb-clip-base-siglip do; context_length is 64 (SigLIP's);
  - the tokenizer is the demo WordPiece vocabulary plus the FLORES codes `kor_Hang` and `eng_Latn`
    as added special tokens.

Run from the repository root (deterministic; the test compares a fresh run with the committed files):

    /usr/bin/python3 src/tools/immich/make_test_bundle.py [--out src/test/resources/bundles/immich-nllb]
"""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEMO = os.path.join(ROOT, "src", "main", "resources", "models", "demo")
DEFAULT_OUT = os.path.join(ROOT, "src", "test", "resources", "bundles", "immich-nllb")

CONTEXT_LENGTH = 64
LANGUAGE_TOKENS = ["eng_Latn", "kor_Hang"]
DATA_FILE = "model.onnx_data"


def _load_demo(name):
    return onnx.load(os.path.join(DEMO, name))


def _fix_dims(value_info, dims):
    shape = value_info.type.tensor_type.shape
    for dim, size in zip(shape.dim, dims):
        dim.Clear()
        dim.dim_value = size


def _normalize_output(graph, source, output, width):
    """Appends embedding = source / ||source||_2 (Immich exports normalize inside the graph)."""
    graph.node.extend([
        helper.make_node("ReduceL2", [source], [source + "_norm"], axes=[1], keepdims=1),
        helper.make_node("Div", [source, source + "_norm"], [output]),
    ])
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info(output, TensorProto.FLOAT, [1, width]))


def visual(size, width):
    model = _load_demo("image_encoder.onnx")
    graph = model.graph
    (pixels,) = graph.input
    # rename the input everywhere it is read: `image` [1, 3, size, size], static as in Immich's export
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == pixels.name:
                node.input[i] = "image"
    pixels.name = "image"
    _fix_dims(pixels, [1, 3, size, size])
    _normalize_output(graph, graph.output[0].name, "embedding", width)
    return model


def textual(width, pad_id, positions):
    model = _load_demo("text_encoder.onnx")
    graph = model.graph
    fed = {i.name for i in graph.input}
    assert fed == {"input_ids", "attention_mask", "position_ids"}, fed
    del graph.input[:]
    graph.input.append(helper.make_tensor_value_info("text", TensorProto.INT32, [1, CONTEXT_LENGTH]))
    assert positions >= CONTEXT_LENGTH, positions
    consts = [
        numpy_helper.from_array(np.array([0], np.int64), "nllb_zero"),
        numpy_helper.from_array(np.array([1], np.int64), "nllb_one"),
        numpy_helper.from_array(np.array([2], np.int64), "nllb_two"),
        numpy_helper.from_array(np.array([CONTEXT_LENGTH], np.int64), "nllb_end"),
        numpy_helper.from_array(np.array([1], np.int64), "nllb_axis"),
        numpy_helper.from_array(np.array([[pad_id]], np.int64), "nllb_pad_column"),
        numpy_helper.from_array(np.array(pad_id, np.int64), "nllb_pad"),
        numpy_helper.from_array(np.array(1, np.int64), "nllb_one_scalar"),
        numpy_helper.from_array(np.arange(CONTEXT_LENGTH, dtype=np.int64)[None, :], "position_ids"),
    ]
    # [1, 64] int32 -> [CLS] + tokens after the language token + one pad column -> [1, 64] int64
    prefix = [
        helper.make_node("Cast", ["text"], ["nllb_ids"], to=TensorProto.INT64),
        helper.make_node("Slice", ["nllb_ids", "nllb_zero", "nllb_one", "nllb_axis"], ["nllb_head"]),
        helper.make_node("Slice", ["nllb_ids", "nllb_two", "nllb_end", "nllb_axis"], ["nllb_tail"]),
        helper.make_node("Concat", ["nllb_head", "nllb_tail", "nllb_pad_column"], ["input_ids"], axis=1),
        helper.make_node("Equal", ["input_ids", "nllb_pad"], ["nllb_is_pad"]),
        helper.make_node("Cast", ["nllb_is_pad"], ["nllb_pad_flag"], to=TensorProto.INT64),
        helper.make_node("Sub", ["nllb_one_scalar", "nllb_pad_flag"], ["attention_mask"]),
    ]
    nodes = prefix + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(consts)
    _normalize_output(graph, graph.output[0].name, "embedding", width)
    return model


def tokenizer_files(pad_token):
    with open(os.path.join(DEMO, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    vocab = tok["model"]["vocab"]
    base = len(vocab)
    # Added tokens get ids after the vocabulary, as NLLB's language codes do (256001...).
    for i, code in enumerate(LANGUAGE_TOKENS):
        tok["added_tokens"].append({"id": base + i, "content": code, "single_word": False, "lstrip": False,
                                    "rstrip": False, "normalized": False, "special": True})
    # save_pretrained writes neither truncation nor padding; Immich enables both at load time.
    tok["truncation"] = None
    tok["padding"] = None
    config = {"model_max_length": CONTEXT_LENGTH, "pad_token": pad_token, "cls_token": "[CLS]",
              "sep_token": "[SEP]", "unk_token": "[UNK]", "additional_special_tokens": LANGUAGE_TOKENS,
              "tokenizer_class": "PreTrainedTokenizerFast"}
    special = {"pad_token": pad_token, "cls_token": "[CLS]", "sep_token": "[SEP]", "unk_token": "[UNK]",
               "additional_special_tokens": LANGUAGE_TOKENS}
    return tok, config, special, vocab[pad_token]


def _save(model, path):
    onnx.checker.check_model(model)
    if os.path.exists(os.path.join(os.path.dirname(path), DATA_FILE)):
        os.remove(os.path.join(os.path.dirname(path), DATA_FILE))
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=DATA_FILE, size_threshold=1024)


def _write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def make(out):
    with open(os.path.join(DEMO, "model.json"), encoding="utf-8") as f:
        demo = json.load(f)
    width = demo["embeddingDim"]
    size = demo["image"]["size"]
    positions = next(i.dims[0] for i in _load_demo("text_encoder.onnx").graph.initializer
                     if i.name == "text.pos.weight")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "visual"))
    os.makedirs(os.path.join(out, "textual"))
    tok, tok_config, special, pad_id = tokenizer_files("[PAD]")
    _save(visual(size, width), os.path.join(out, "visual", "model.onnx"))
    _save(textual(width, pad_id, positions), os.path.join(out, "textual", "model.onnx"))
    _write_json(os.path.join(out, "textual", "tokenizer.json"), tok)
    _write_json(os.path.join(out, "textual", "tokenizer_config.json"), tok_config)
    _write_json(os.path.join(out, "textual", "special_tokens_map.json"), special)
    _write_json(os.path.join(out, "visual", "preprocess_cfg.json"), {
        "size": [size, size], "mode": "RGB", "mean": demo["image"]["mean"], "std": demo["image"]["std"],
        "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0,
    })
    # open_clip's config of nllb-clip-base-siglip, scaled down; context_length as SigLIP's 64.
    _write_json(os.path.join(out, "config.json"), {
        "embed_dim": width,
        "init_logit_bias": -10,
        "custom_text": True,
        "vision_cfg": {"image_size": size, "timm_model_name": "demo_siglip_64", "timm_model_pretrained": False,
                       "timm_pool": "map", "timm_proj": "none"},
        "text_cfg": {"hf_model_name": "facebook/nllb-200-distilled-600M",
                     "hf_tokenizer_name": "facebook/nllb-200-distilled-600M",
                     "hf_proj_type": "linear", "hf_pooler_type": "cls_pooler",
                     "context_length": CONTEXT_LENGTH},
    })
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("# immich-nllb (test bundle)\n\nGenerated by `src/tools/immich/make_test_bundle.py` from the demo "
                "model: the Immich export layout (static batch 1, int32 `text` [1, 64], external data, normalized "
                "outputs, NLLB language token after [CLS]). Not a real model; see the script's docstring.\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    make(args.out)
    for dirpath, _, files in sorted(os.walk(args.out)):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            print(f"{os.path.relpath(path, args.out)}\t{os.path.getsize(path)}")


if __name__ == "__main__":
    main()
