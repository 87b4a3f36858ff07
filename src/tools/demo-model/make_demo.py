#!/usr/bin/env python3
"""Regenerate the embedded demo bundle and all test data with one command.

    /usr/bin/python3 src/tools/demo-model/make_demo.py            # everything
    /usr/bin/python3 src/tools/demo-model/make_demo.py --skip-train   # reuse build/demo-model/checkpoint.pt

Run from the repository root (or anywhere: paths are resolved from this file).
Writes:
  src/main/resources/models/demo/   model.json, image_encoder.onnx, text_encoder.onnx,
                                    tokenizer.json, PROVENANCE.md
  src/test/resources/demo/          reference.json, ref-images/, heldout/, heldout.json
  src/test/resources/bundles/odd/   the "odd" test bundle (+ its reference.json)
  ingest/                           the sample corpus
  build/demo-model/                 checkpoint.pt and train-log.txt (git-ignored)
"""
import argparse
import json
import os
import platform
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import captions  # noqa: E402
import export_onnx  # noqa: E402
import make_data  # noqa: E402
import onnx_numpy  # noqa: E402
import clip_preprocess as preprocess  # noqa: E402
import train  # noqa: E402
import wordpiece  # noqa: E402
from model import CLIP, Config  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
BUNDLE = os.path.join(ROOT, "src", "main", "resources", "models", "demo")
TEST_DEMO = os.path.join(ROOT, "src", "test", "resources", "demo")
ODD = os.path.join(ROOT, "src", "test", "resources", "bundles", "odd")
INGEST = os.path.join(ROOT, "ingest")
BUILD = os.path.join(ROOT, "build", "demo-model")

# ---- the recipe (PROVENANCE.md records it) ----
SEED = 20240607
MAX_LENGTH = 32
IMAGE_SIZE = 64
MODEL = dict(embed_dim=128, image_size=IMAGE_SIZE, patch=8, v_width=64, v_layers=4, v_heads=4,
             max_positions=64, t_width=64, t_layers=3, t_heads=4, mlp_ratio=4, stem="conv", stem_channels=32)
TRAIN = dict(steps=600, batch_size=64, lr=2e-3, warmup=40)
TEMPLATES = {"ko": [captions.KO_TEMPLATE], "en": [captions.EN_TEMPLATES[0]]}


class Tee:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8")

    def __call__(self, msg):
        print(msg, flush=True)
        self.f.write(msg + "\n")
        self.f.flush()


def build_tokenizer():
    corpus = captions.caption_corpus()
    vocab = wordpiece.build_vocab(corpus)
    return wordpiece.WordPieceTokenizer(vocab, MAX_LENGTH), corpus


def check_onnx(model, bundle, tok, size, mean, std, with_position_ids, log):
    """Run the exported graphs with the numpy interpreter and compare with PyTorch."""
    x = np.stack([preprocess.preprocess(make_data.render("red", "circle", 120, 90, make_data.rng_for(99, i)), size, mean, std)
                  for i in range(2)])
    onnx_img = onnx_numpy.run(os.path.join(bundle, "image_encoder.onnx"), {"pixel_values": x})["image_embeds"]
    with torch.no_grad():
        ref_img = model.visual(torch.from_numpy(x)).numpy()
    ids, mask, pos = tok.batch(["빨간 원", "a photo of a blue square on a white background."])
    feeds = {"input_ids": ids, "attention_mask": mask}
    if with_position_ids:
        feeds["position_ids"] = pos
    onnx_txt = onnx_numpy.run(os.path.join(bundle, "text_encoder.onnx"), feeds)["text_embeds"]
    with torch.no_grad():
        t = [torch.from_numpy(a) for a in (ids, mask, pos)]
        ref_txt = (model.text(*t) if with_position_ids else model.text(t[0], t[1])).numpy()
    di, dt = float(np.abs(onnx_img - ref_img).max()), float(np.abs(onnx_txt - ref_txt).max())
    log(f"ONNX vs PyTorch max abs diff: image {di:.2e}, text {dt:.2e} (padded batch)")
    assert di < 1e-4 and dt < 1e-4, "exported graph does not match PyTorch"


def blas_name():
    """Which BLAS the process loaded (Debian's torch uses whatever libblas.so.3 resolves to)."""
    try:
        with open("/proc/self/maps") as f:
            maps = f.read()
    except OSError:
        return "unknown"
    if "openblas" in maps:
        return "OpenBLAS"
    return "reference BLAS" if "libblas.so" in maps else "unknown"


def file_sizes(folder):
    return {f: os.path.getsize(os.path.join(folder, f)) for f in sorted(os.listdir(folder))
            if os.path.isfile(os.path.join(folder, f))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-train", action="store_true", help="reuse build/demo-model/checkpoint.pt")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(BUILD, exist_ok=True)
    os.makedirs(BUNDLE, exist_ok=True)
    log = Tee(os.path.join(BUILD, "make-log.txt"))

    # 1. tokenizer
    tok, corpus = build_tokenizer()
    unk = [c for c in corpus if wordpiece.UNK in tok.tokenize(c)]
    assert not unk, f"captions with [UNK]: {unk[:5]}"
    wordpiece.write_tokenizer_json(os.path.join(BUNDLE, "tokenizer.json"), tok.vocab, MAX_LENGTH)
    log(f"tokenizer: {len(tok.vocab)} tokens from {len(corpus)} captions, no [UNK]")

    # 2. train (or reuse the checkpoint)
    cfg = Config(vocab_size=len(tok.vocab), **MODEL)
    ckpt = os.path.join(BUILD, "checkpoint.pt")
    if args.skip_train:
        state = torch.load(ckpt)
        model = CLIP(cfg)
        model.load_state_dict(state["model"])
        info = state["info"]
        log(f"reusing {ckpt}")
    else:
        log(f"training: seed {SEED}, model {MODEL}, train {TRAIN}, torch {torch.__version__}, threads {args.threads}")
        cpu0 = time.process_time()
        model, info = train.train(tok, cfg, seed=SEED, log=log, **TRAIN)
        info["cpu_seconds"] = round(time.process_time() - cpu0, 1)
        info["threads"] = args.threads
        info["blas"] = blas_name()
        torch.save({"model": model.state_dict(), "info": info, "config": cfg.to_dict()}, ckpt)
    model.eval()
    log(f"training: {info}")

    # 3. export the bundle
    export_onnx.export_image(model, os.path.join(BUNDLE, "image_encoder.onnx"), IMAGE_SIZE)
    export_onnx.export_text(model, os.path.join(BUNDLE, "text_encoder.onnx"), with_position_ids=True)
    mj = export_onnx.model_json("koclip-demo", model, IMAGE_SIZE, preprocess.CLIP_MEAN, preprocess.CLIP_STD,
                                MAX_LENGTH, True, TEMPLATES)
    export_onnx.write_json(os.path.join(BUNDLE, "model.json"), mj)
    check_onnx(model, BUNDLE, tok, IMAGE_SIZE, preprocess.CLIP_MEAN, preprocess.CLIP_STD, True, log)

    # 4. reference data
    os.makedirs(TEST_DEMO, exist_ok=True)
    ref_dir = os.path.join(TEST_DEMO, "ref-images")
    if os.path.isdir(ref_dir):
        shutil.rmtree(ref_dir)
    refs = make_data.write_ref_images(ref_dir)
    entries = [(os.path.join(ref_dir, n), f"ref-images/{n}",
                {"label": f"{c}_{s}", "note": make_data.REF_IMAGE_NOTES[how]}) for n, c, s, how in refs]
    pre_dir = os.path.join(TEST_DEMO, "preprocessed")
    if os.path.isdir(pre_dir):
        shutil.rmtree(pre_dir)
    ref = make_data.reference_json(
        model, tok, entries, make_data.REF_TEXTS, IMAGE_SIZE, preprocess.CLIP_MEAN, preprocess.CLIP_STD,
        note="PyTorch model + PIL preprocessing (make_demo.py). Texts are raw (no template added); ids are "
             "[CLS] ... [SEP] truncated to maxLength; the text model got one unpadded sequence with "
             "position_ids 0..L-1. 'preprocessed' is the resized + centre-cropped 8-bit RGB image (before "
             "/255 and mean/std). Image paths are relative to this file.",
        preprocessed=(os.path.join(pre_dir, f"size{IMAGE_SIZE}"), f"preprocessed/size{IMAGE_SIZE}/"))
    export_onnx.write_json(os.path.join(TEST_DEMO, "reference.json"), ref)
    log(f"reference.json: {len(ref['images'])} images, {len(ref['texts'])} texts "
        f"(longest {max(len(t['ids']) for t in ref['texts'])} ids)")

    # 5. held-out recall
    held_dir = os.path.join(TEST_DEMO, "heldout")
    if os.path.isdir(held_dir):
        shutil.rmtree(held_dir)
    files = make_data.write_heldout(held_dir)
    queries = captions.heldout_queries()
    export_onnx.write_json(os.path.join(TEST_DEMO, "heldout.json"), queries)
    recall = make_data.heldout_recall(model, tok, held_dir, files, queries)
    log("held-out text->image recall@1 (54 images): " + "  ".join(f"{k} {v:.3f}" for k, v in recall.items()))
    ok = all(v >= 0.9 for v in recall.values())

    # 6. the odd bundle
    make_odd(tok, ref_dir, refs, log)

    # 7. sample corpus
    total = make_data.write_ingest(INGEST)
    log(f"ingest/: {total / 1e6:.2f} MB")

    # 8. provenance
    write_provenance(info, recall, mj, tok, log)
    log("bundle files: " + json.dumps(file_sizes(BUNDLE)))
    if not ok:
        log("WARNING: held-out recall below 0.9")
        sys.exit(1)


def make_odd(tok, ref_dir, refs, log):
    os.makedirs(ODD, exist_ok=True)
    otok = wordpiece.WordPieceTokenizer(tok.vocab, make_data.ODD_MAX_LENGTH)
    torch.manual_seed(make_data.ODD_SEED)
    cfg = Config(vocab_size=len(tok.vocab), **make_data.ODD_CONFIG)
    model = CLIP(cfg).eval()
    size = cfg.image_size
    wordpiece.write_tokenizer_json(os.path.join(ODD, "tokenizer.json"), otok.vocab, otok.max_length)
    export_onnx.export_image(model, os.path.join(ODD, "image_encoder.onnx"), size)
    export_onnx.export_text(model, os.path.join(ODD, "text_encoder.onnx"), with_position_ids=False)
    mj = export_onnx.model_json("koclip-odd-test", model, size, make_data.ODD_MEAN, make_data.ODD_STD,
                                otok.max_length, with_position_ids=False, templates=TEMPLATES)
    del mj["text"]["positionIds"]  # absent: the model computes position ids itself
    export_onnx.write_json(os.path.join(ODD, "model.json"), mj)
    check_onnx(model, ODD, otok, size, make_data.ODD_MEAN, make_data.ODD_STD, False, log)
    pick = [r for r in refs if r[3] in ("png", "jpeg444", "jpeg_exif6", "palette")][:4]
    entries = [(os.path.join(ref_dir, n), f"../../demo/ref-images/{n}", {"label": f"{c}_{s}"}) for n, c, s, how in pick]
    ref = make_data.reference_json(
        model, otok, entries, ["빨간 원", "a photo of a green circle.", "이것은 노란 세모이다.",
                                make_data.REF_TEXTS[-2]],
        size, make_data.ODD_MEAN, make_data.ODD_STD, with_position_ids=False,
        note="Untrained (seeded) weights: this bundle only proves that the engine honours a bundle's size, "
             "mean, std, maxLength and absent positionIds. 'preprocessed' is the resized + centre-cropped "
             "8-bit RGB image (before /255 and mean/std). Image paths are relative to this file.",
        preprocessed=(os.path.join(TEST_DEMO, "preprocessed", f"size{size}"), f"../../demo/preprocessed/size{size}/"))
    export_onnx.write_json(os.path.join(ODD, "reference.json"), ref)
    log("odd bundle: " + json.dumps(file_sizes(ODD)))


def write_provenance(info, recall, mj, tok, log):
    r = info["val_recall_at_1"]
    text = f"""# koclip-demo bundle: provenance

Generated by `/usr/bin/python3 src/tools/demo-model/make_demo.py` (see `src/tools/demo-model/README.md`).
Nothing here comes from a pretrained model or external data: the images are rendered coloured shapes
(6 colours x 3 shapes) and the captions come from Korean and English sentence frames.

- Seed: {SEED} (training stream, weights); renders use seed namespaces, held-out/reference/ingest
  images never appear in training.
- Tokenizer: WordPiece, {len(tok.vocab)} tokens, built from the caption corpus; maxLength {MAX_LENGTH}.
- Model: small CLIP, {json.dumps(MODEL)}.
  Image tower: ViT with a small conv stem (3x3 stride-2 convs to the 8x8-pixel token grid), CLS token,
  pre-LN blocks, post-LN on CLS, projection without bias. Text tower: BERT-style post-LN encoder, explicit
  position ids (0..L-1), pooler tanh(dense(CLS)), projection without bias. GELU (erf) everywhere.
- Training: {info['steps']} steps x batch {info['batch_size']} fresh renders (infinite data), AdamW
  lr {TRAIN['lr']} cosine, symmetric contrastive loss with multi-positive targets;
  {info.get('cpu_seconds', '?')} s CPU, {info['seconds']} s wall on a shared (busy) 2-core machine,
  {info.get('threads', '?')} thread(s), {info.get('blas', '?')}, torch {torch.__version__}.
- Learned logit scale: {mj['logitScale']}.
- Validation ({info['val_images']} renders, text->image recall@1): Korean templated {r['ko_templated']:.3f},
  Korean raw {r['ko_raw']:.3f}, English templated {r['en_templated']:.3f}, English raw {r['en_raw']:.3f};
  zero-shot classification accuracy {info['val_zero_shot_accuracy']:.3f}.
- Held-out set (`src/test/resources/demo/heldout/`, 54 images): recall@1 Korean templated
  {recall['ko_templated']:.3f}, Korean raw {recall['ko_raw']:.3f}, English templated {recall['en_templated']:.3f},
  English raw {recall['en_raw']:.3f}.
- ONNX: opset {export_onnx.OPSET}, exported with torch {torch.__version__}; outputs are unnormalized.
"""
    with open(os.path.join(BUNDLE, "PROVENANCE.md"), "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
