#!/usr/bin/python3
"""Writes the decode benchmark's files into OUT_DIR (default /tmp/koclip-decode-bench):
photo-like 4000x3000 JPEGs (baseline and progressive, quality 90, 4:2:0) of three kinds
(smooth: blurred gradients and waves; texture: fine noise; shapes: the sample corpus's drawings
upscaled with edges and grain), a 640x480 PNG, and, with heif-enc, a 4032x3024 HEIC and a
2000x1500 AVIF. Synthetic, deterministic; no real photos are shipped.
Usage: /usr/bin/python3 src/tools/decode/make_photos.py [OUT_DIR]

With --folder JPEGS HEICS PNGS it writes instead the ingest benchmark's folder (docs/benchmarks.md):
JPEGS distinct 4000x3000 JPEGs (the three kinds in turn, each shifted and stamped so no two files
share bytes; even ones baseline, odd ones progressive), HEICS 4032x3024 HEICs and PNGS 640x480 PNGs:
    /usr/bin/python3 src/tools/decode/make_photos.py OUT_DIR --folder 32 4 4
"""
import os
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image, ImageFilter

out = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "/tmp/koclip-decode-bench"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)
W, H = 4000, 3000


def smooth():
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    r = 120 + 80 * np.sin(x / 210.0) * np.cos(y / 170.0) + 30 * np.sin((x + 2 * y) / 37.0)
    g = 50 + 150 * x / W + 15 * np.cos(y / 23.0)
    b = 40 + 170 * y / H
    a = np.dstack([r, g, b]) + rng.normal(0, 4, (H, W, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.5))


def texture():
    small = rng.integers(0, 256, (H // 4, W // 4, 3), dtype=np.uint8)
    im = Image.fromarray(small).resize((W, H), Image.BICUBIC)
    a = np.asarray(im).astype(np.float32) + rng.normal(0, 10, (H, W, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def shapes():
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(here, "..", "..", "..", "ingest", "set-a")
    files = sorted(f for f in os.listdir(corpus) if f.endswith((".jpg", ".png")))[:12]
    canvas = Image.new("RGB", (W, H), (200, 190, 170))
    for i, f in enumerate(files):
        tile = Image.open(os.path.join(corpus, f)).convert("RGB").resize((W // 4, H // 3), Image.BICUBIC)
        canvas.paste(tile, ((i % 4) * (W // 4), (i // 4) * (H // 3)))
    a = np.asarray(canvas).astype(np.float32) + rng.normal(0, 5, (H, W, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def variant(base, i):
    """The base picture shifted by a few pixels and stamped with i: distinct bytes, same statistics."""
    a = np.roll(np.asarray(base), (7 * i, 13 * i), axis=(0, 1)).copy()
    a[40:80, 40 + 50 * (i % 60):80 + 50 * (i % 60)] = (i * 37) % 256
    return Image.fromarray(a)


def ingest_folder(jpegs, heics, pngs):
    kinds = (("smooth", smooth), ("texture", texture), ("shapes", shapes))
    bases = {name: make() for name, make in kinds}
    for i in range(jpegs):
        name = kinds[i % 3][0]
        progressive = i % 2 == 1
        variant(bases[name], i).save(
            f"{out}/{i:03d}_{name}_{'progressive' if progressive else 'baseline'}.jpg",
            quality=90, progressive=progressive)
    for i in range(heics):
        variant(bases[kinds[(i + 1) % 3][0]], 100 + i).resize((4032, 3024), Image.BICUBIC).save(f"{out}/heic_src.png")
        subprocess.run(["heif-enc", "-q", "80", f"{out}/heic_src.png", "-o", f"{out}/{i:03d}_photo.heic"], check=True)
        os.remove(f"{out}/heic_src.png")
    for i in range(pngs):
        variant(bases[kinds[i % 3][0]], 200 + i).resize((640, 480), Image.BICUBIC).save(f"{out}/{i:03d}_small.png")


if "--folder" in sys.argv:
    j, h, p = (int(v) for v in sys.argv[sys.argv.index("--folder") + 1:][:3])
    ingest_folder(j, h, p)
    kinds_done = ()
else:
    kinds_done = (("smooth", smooth), ("texture", texture), ("shapes", shapes))
for name, make in kinds_done:
    im = make()
    im.save(f"{out}/{name}_baseline.jpg", quality=90)
    im.save(f"{out}/{name}_progressive.jpg", quality=90, progressive=True)
    if name == "smooth":
        im.resize((640, 480), Image.BICUBIC).save(f"{out}/small.png")
        if shutil.which("heif-enc"):
            im.resize((4032, 3024), Image.BICUBIC).save(f"{out}/heic_src.png")
            subprocess.run(["heif-enc", "-q", "80", f"{out}/heic_src.png", "-o", f"{out}/photo.heic"], check=True)
            im.resize((2000, 1500), Image.BICUBIC).save(f"{out}/avif_src.png")
            subprocess.run(["heif-enc", "-q", "80", f"{out}/avif_src.png", "-o", f"{out}/photo.avif"], check=True)
            os.remove(f"{out}/heic_src.png")
            os.remove(f"{out}/avif_src.png")
for f in sorted(os.listdir(out)):
    print(f"{os.path.getsize(os.path.join(out, f)):>10}  {f}")
