"""Reference data for the Java tests, the held-out recall set, the "odd" test
bundle and the sample corpus in ingest/.

All images are rendered from seed namespaces that training never uses
(render.SEED_NS), so held-out and reference images are unseen.
"""
import io
import json
import os
import shutil

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import captions
import export_onnx
import clip_preprocess as preprocess
from model import CLIP, Config
from render import CLASSES, SEED_NS, random_size, render, rng_for

# --- reference images: varied formats, sizes and modes -------------------------------
# (file, colour, shape, width, height, how)
REF_IMAGES = [
    ("red_circle_300x200.png", "red", "circle", 300, 200, "png"),
    ("blue_square_180x320_q90_444.jpg", "blue", "square", 180, 320, "jpeg444"),
    ("green_triangle_97x143.png", "green", "triangle", 97, 143, "png"),
    ("yellow_circle_400x260_q90_420.jpg", "yellow", "circle", 400, 260, "jpeg420"),
    ("purple_triangle_250x250_palette.png", "purple", "triangle", 250, 250, "palette"),
    ("black_square_exif6_240x160.jpg", "black", "square", 160, 240, "jpeg_exif6"),
    ("red_triangle_48x72_upscale.png", "red", "triangle", 48, 72, "png"),
]
REF_IMAGE_NOTES = {
    "png": "RGB PNG",
    "jpeg444": "JPEG quality 90, 4:4:4 chroma",
    "jpeg420": "JPEG quality 90, 4:2:0 chroma (decoder differences show most here)",
    "palette": "palette (mode P) PNG, 256 colours",
    "jpeg_exif6": "JPEG quality 90 4:4:4, stored rotated with EXIF Orientation=6 (display is 160x240 portrait)",
}

REF_TEXTS = [
    "빨간 원",
    "파란색 네모가 있는 그림",
    "노란 세모",
    "초록색 동그라미",
    "보라색 사각형",
    "검은 삼각형",
    "빨간색",
    "red circle",
    "blue square",
    "purple triangle",
    "a photo of a green circle.",
    "circle",
    "A Photo Of A BLACK Triangle",
    "이것은 빨간 원이다.",          # Korean bundle template already applied
    "a photo of a yellow triangle.",  # English bundle template already applied
    # Longer than maxLength tokens: exercises truncation ([SEP] kept last).
    "a red circle and a blue square and a green triangle and a yellow circle and a purple square "
    "and a black triangle on a white background, a light background and a plain background",
    "빨간 원과 파란 네모와 초록 세모와 노란 동그라미와 보라 사각형과 검은 삼각형이 흰 배경 위에 있는 그림이다. "
    "이것은 빨간 원이다. 이것은 파란 네모다.",
]


def save_ref_image(img, path, how):
    if how == "png":
        img.save(path, "PNG")
    elif how == "palette":
        img.quantize(256).save(path, "PNG")
    elif how == "jpeg444":
        img.save(path, "JPEG", quality=90, subsampling=0)
    elif how == "jpeg420":
        img.save(path, "JPEG", quality=90, subsampling=2)
    elif how == "jpeg_exif6":
        # Orientation 6 means "rotate 90 degrees clockwise to display": store the
        # pixels rotated counter-clockwise so the displayed image is upright.
        exif = Image.Exif()
        exif[0x0112] = 6
        img.transpose(Image.ROTATE_90).save(path, "JPEG", quality=90, subsampling=0, exif=exif.tobytes())
    else:
        raise ValueError(how)


def write_ref_images(folder):
    os.makedirs(folder, exist_ok=True)
    out = []
    for k, (name, colour, shape, w, h, how) in enumerate(REF_IMAGES):
        img = render(colour, shape, w, h, rng_for(SEED_NS["reference"], k), noise=0.0 if how == "palette" else None)
        path = os.path.join(folder, name)
        save_ref_image(img, path, how)
        out.append((name, colour, shape, how))
    return out


def pixel_samples(x):
    """A few preprocessed pixel values, to help debug a preprocessing mismatch."""
    c, s, _ = x.shape
    pts = [(0, 0, 0), (1, s // 2, s // 2), (2, s - 1, s - 1), (0, s // 4, 3 * s // 4), (1, 3 * s // 4, s // 4),
           (2, s // 2, 0), (0, s - 1, s // 2), (1, 0, s - 1)]
    return [{"c": ci, "y": yi, "x": xi, "value": round(float(x[ci, yi, xi]), 6)} for ci, yi, xi in pts]


@torch.no_grad()
def image_embeddings(model, paths, size, mean, std):
    xs = np.stack([preprocess.preprocess_file(p, size, mean, std) for p in paths])
    e = F.normalize(model.visual(torch.from_numpy(xs)), dim=-1).numpy()
    return xs, e


@torch.no_grad()
def text_embedding(model, tok, text, with_position_ids=True):
    """Batch of one, no padding, position ids 0..L-1 (exactly what the reference promises)."""
    ids = tok.encode(text)
    t = torch.tensor([ids], dtype=torch.int64)
    mask = torch.ones_like(t)
    pos = torch.arange(len(ids), dtype=torch.int64)[None] if with_position_ids else None
    e = model.text(t, mask, pos) if with_position_ids else model.text(t, mask)
    return ids, F.normalize(e, dim=-1)[0].numpy()


def _vec(v):
    return [round(float(a), 7) for a in v]


def reference_json(model, tok, image_entries, texts, size, mean, std, with_position_ids=True, note="",
                   preprocessed=None):
    """image_entries: list of (path on disk, path written in the json, extra dict).

    preprocessed: optional (folder on disk, prefix written in the json): there each image is also saved
    as the PNG of its resized + centre-cropped 8-bit RGB pixels (PIL's uint8 intermediate, before /255
    and mean/std), so the engine can check its decoding/resizing pixel by pixel.
    """
    xs, embs = image_embeddings(model, [p for p, _, _ in image_entries], size, mean, std)
    images = []
    for (path, rel, extra), x, e in zip(image_entries, xs, embs):
        with Image.open(path) as im:
            stored = {"format": im.format, "mode": im.mode, "width": im.width, "height": im.height}
            if preprocessed:
                os.makedirs(preprocessed[0], exist_ok=True)
                name = os.path.splitext(os.path.basename(path))[0] + ".png"
                preprocess.resize_crop(im, size).save(os.path.join(preprocessed[0], name), "PNG")
                extra = {**extra, "preprocessed": preprocessed[1] + name}
        images.append({"file": rel, **extra, "stored": stored,
                       "pixelMean": [round(float(m), 6) for m in x.mean(axis=(1, 2))],
                       "pixelSamples": pixel_samples(x), "embedding": _vec(e)})
    tlist = []
    for t in texts:
        ids, e = text_embedding(model, tok, t, with_position_ids)
        tlist.append({"text": t, "ids": ids, "tokens": [tok.vocab[i] for i in ids], "embedding": _vec(e)})
    return {
        "note": note,
        "embeddingsNormalized": True,
        "image": {"size": size, "mean": list(mean), "std": list(std)},
        "maxLength": tok.max_length,
        "images": images,
        "texts": tlist,
    }


# --- held-out recall set ----------------------------------------------------------------

def write_heldout(folder, per_class=3, size_range=(80, 300)):
    os.makedirs(folder, exist_ok=True)
    files = []
    for k, (colour, shape) in enumerate(CLASSES):
        for n in range(per_class):
            rng = rng_for(SEED_NS["heldout"], k, n)
            w, h = random_size(rng, *size_range)
            name = f"{colour}_{shape}_{n}.png"
            render(colour, shape, w, h, rng).save(os.path.join(folder, name))
            files.append((name, f"{colour}_{shape}"))
    return files


@torch.no_grad()
def heldout_recall(model, tok, folder, files, queries):
    """Text->image recall@1 over the held-out images (templated and raw, Korean and English)."""
    import train
    xs = np.stack([preprocess.preprocess_file(os.path.join(folder, f), 64) for f, _ in files])
    return train.recall_at_1(model, tok, torch.from_numpy(xs), [k for _, k in files], train.query_sets(queries))


# --- sample corpus ------------------------------------------------------------------------

def write_ingest(root, n=150):
    """~150 renders in ingest/{set-a,set-b,misc}, JPEG q90 and PNG, 160-640 px, every class >= 8 times."""
    if os.path.isdir(root):
        shutil.rmtree(root)
    subdirs = ["set-a", "set-b", "misc"]
    for d in subdirs:
        os.makedirs(os.path.join(root, d))
    order = [CLASSES[i % len(CLASSES)] for i in range(n)]
    perm = rng_for(SEED_NS["ingest"], 999_999).permutation(n)
    total = 0
    for idx, j in enumerate(perm):
        colour, shape = order[j]
        rng = rng_for(SEED_NS["ingest"], idx)
        sub = subdirs[0] if idx < 60 else subdirs[1] if idx < 120 else subdirs[2]
        as_png = rng.random() < 0.4
        lo, hi = (160, 360) if as_png else (160, 640)
        w, h = random_size(rng, lo, hi)
        # PNG gets no noise (noise makes PNG large); JPEG gets only slight noise.
        img = render(colour, shape, w, h, rng, noise=0.0 if as_png else float(rng.uniform(0.0, 2.0)))
        path = os.path.join(root, sub, f"{colour}-{shape}-{idx:03d}.{'png' if as_png else 'jpg'}")
        if as_png:
            img.save(path, "PNG", optimize=True)
        else:
            img.save(path, "JPEG", quality=90)
        total += os.path.getsize(path)
    return total


# --- the "odd" bundle ---------------------------------------------------------------------

ODD_CONFIG = dict(embed_dim=32, image_size=40, patch=8, v_width=32, v_layers=2, v_heads=2, max_positions=32,
                  t_width=32, t_layers=2, t_heads=2, mlp_ratio=2, own_position_ids=True, stem="patch")
ODD_MEAN = [0.5, 0.4, 0.3]
ODD_STD = [0.2, 0.25, 0.3]
ODD_MAX_LENGTH = 16
ODD_SEED = 4242
