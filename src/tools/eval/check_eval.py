"""Independent check of `koclip-search eval`: the same figures from `embed` outputs.

Reads a COCO captions file itself, embeds every image and caption with
`bin/koclip-search embed` (texts as given and with `--template auto`), computes the CLIP_benchmark
figures with numpy, runs `bin/koclip-search eval --templates both` on the same file, and compares
every figure. Exit 0 when all agree to 1e-9, 1 otherwise.

Definitions (the same as the engine's, docs/evaluation.md), computed differently on purpose:
  - scores: float64 dot products of the float32 unit vectors `embed` prints, summed over the
    dimensions in index order (acc += t[:, k] * i[:, k]); products of two float32 are exact in float64;
  - ranks: a stable sort by descending score (np.argsort(-s, kind="stable")), so equal scores keep
    file order; text->image rank = position of the caption's image + 1; image->text rank = best
    position of any of the image's captions + 1;
  - Recall@K = mean(rank <= K); median rank = np.median of the text->image ranks;
  - language: "ko" when a caption has Hangul, else "en"; each language evaluated on its own
    (its captions and the images they describe).

    /usr/bin/python3 src/tools/eval/check_eval.py --captions src/test/resources/eval/captions.json \
        --images src/test/resources/eval [--bin bin/koclip-search] [--model demo]
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TOLERANCE = 1e-9


def has_hangul(text):
    return any(0xAC00 <= ord(ch) <= 0xD7A3 or 0x1100 <= ord(ch) <= 0x11FF or 0x3130 <= ord(ch) <= 0x318F
               for ch in text)


def read_coco(path, images_dir):
    """[(image id, path)], [(image position, caption, lang)] in file order (well-formed files only)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    images = [(str(i["id"]), os.path.join(images_dir, i["file_name"])) for i in doc["images"]]
    position = {key: p for p, (key, _) in enumerate(images)}
    captions = []
    for a in doc["annotations"]:
        text = a["caption"].strip()
        captions.append((position[str(a["image_id"])], text, a.get("lang") or ("ko" if has_hangul(text) else "en")))
    return images, captions


def embed(binary, model, images=(), texts=(), template="none"):
    """Vectors from `embed`, as float64 holding the exact float32 values it printed."""
    args = [binary, "embed", "--model", model, "--template", template]
    for p in images:
        args += ["--image", p]
    for t in texts:
        args += ["--text", t]
    run = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", check=False)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or len(lines) != len(images) + len(texts):
        raise RuntimeError(f"embed failed (exit {run.returncode}): {run.stderr[-2000:]}")
    for line in lines:
        if "error" in line:
            raise RuntimeError(f"embed: {line['input']}: {line['error']}")
    return np.array([np.asarray(line["vector"], dtype=np.float32) for line in lines]).astype(np.float64)


def scores(texts, images):
    """[texts, images] dot products summed in dimension order (the engine's exact summation order)."""
    acc = np.zeros((texts.shape[0], images.shape[0]), dtype=np.float64)
    for k in range(texts.shape[1]):
        acc += texts[:, k, None] * images[None, :, k]
    return acc


def ranks(score, caption_image):
    """Text->image rank per caption and image->text best rank per image, by stable descending sort."""
    n, m = score.shape
    order = np.argsort(-score, axis=1, kind="stable")
    t2i = np.array([int(np.nonzero(order[c] == caption_image[c])[0][0]) + 1 for c in range(n)])
    order_t = np.argsort(-score.T, axis=1, kind="stable")
    i2t = np.full(m, np.iinfo(np.int64).max)
    for i in range(m):
        mine = np.nonzero(caption_image == i)[0]
        if len(mine):
            positions = np.nonzero(np.isin(order_t[i], mine))[0]
            i2t[i] = int(positions[0]) + 1
    return t2i, i2t


def figures(score, caption_image, ks):
    t2i, i2t = ranks(score, caption_image)
    return {
        "textToImage": {f"recall@{k}": float(np.mean(t2i <= k)) for k in ks},
        "imageToText": {f"recall@{k}": float(np.mean(i2t <= k)) for k in ks},
        "medianRank": float(np.median(t2i)),
        "images": int(score.shape[1]),
        "captions": int(score.shape[0]),
    }


def subset(captions, lang):
    """Caption positions of `lang`, the image positions they use (ascending), and each caption's image."""
    chosen = [c for c, (_, _, l) in enumerate(captions) if l == lang]
    used = sorted({captions[c][0] for c in chosen})
    where = {img: p for p, img in enumerate(used)}
    return chosen, used, np.array([where[captions[c][0]] for c in chosen])


def expected(binary, model, images, captions, ks):
    image_vectors = embed(binary, model, images=[p for _, p in images])
    texts = [t for _, t, _ in captions]
    out = {}
    for templates, template in ((True, "auto"), (False, "none")):
        text_vectors = embed(binary, model, texts=texts, template=template)
        for lang in sorted({l for _, _, l in captions}):
            chosen, used, caption_image = subset(captions, lang)
            s = scores(text_vectors[chosen], image_vectors[used])
            out[(templates, lang)] = figures(s, caption_image, ks)
    return out


def reported(binary, model, captions_file, images_dir, ks):
    args = [binary, "eval", "--captions", captions_file, "--images", images_dir, "--model", model,
            "--templates", "both", "--k", ",".join(map(str, ks)), "--progress", "none"]
    run = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", check=False)
    if run.returncode != 0:
        raise RuntimeError(f"eval failed (exit {run.returncode}): {run.stderr[-2000:]}")
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return {(line["templates"], line["lang"]): line for line in lines}


def compare(want, got):
    """Mismatch messages (empty when every figure agrees to TOLERANCE)."""
    problems = []
    if set(want) != set(got):
        problems.append(f"settings differ: expected {sorted(want)}, eval reported {sorted(got)}")
    for key in sorted(set(want) & set(got)):
        w, g = want[key], got[key]
        for field in ("images", "captions"):
            if w[field] != g[field]:
                problems.append(f"{key} {field}: expected {w[field]}, eval {g[field]}")
        pairs = [("medianRank", w["medianRank"], g["medianRank"])]
        for direction in ("textToImage", "imageToText"):
            for name, value in w[direction].items():
                pairs.append((f"{direction}.{name}", value, (g.get(direction) or {}).get(name)))
        for name, value, other in pairs:
            if other is None or abs(value - other) > TOLERANCE:
                problems.append(f"{key} {name}: expected {value!r}, eval {other!r}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--captions", default=os.path.join(ROOT, "src", "test", "resources", "eval", "captions.json"))
    ap.add_argument("--images", default=os.path.join(ROOT, "src", "test", "resources", "eval"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "bin", "koclip-search"))
    ap.add_argument("--model", default="demo")
    ap.add_argument("--k", default="1,5,10")
    args = ap.parse_args(argv)
    ks = [int(k) for k in args.k.split(",")]
    images, captions = read_coco(args.captions, args.images)
    want = expected(args.bin, args.model, images, captions, ks)
    got = reported(args.bin, args.model, args.captions, args.images, ks)
    for key in sorted(want):
        w = want[key]
        print(f"templates={'on' if key[0] else 'off'} lang={key[1]}: "
              + " ".join(f"T2I {k}={v:.4f}" for k, v in w["textToImage"].items()) + " "
              + " ".join(f"I2T {k}={v:.4f}" for k, v in w["imageToText"].items())
              + f" medR={w['medianRank']}")
    problems = compare(want, got)
    for p in problems:
        print("MISMATCH", p)
    print("all figures agree to 1e-9" if not problems else f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
