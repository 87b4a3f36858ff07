#!/usr/bin/python3
"""Writes a folder of photo-like JPEGs for bench-ingest and ingest_peer.py: smooth colour gradients,
blurred shapes and sensor-like noise, so that JPEG sizes and decode costs are those of photos (flat
synthetic images compress to almost nothing and decode unrealistically fast). Sizes are log-uniform
between --min-mp and --max-mp megapixels (default 0.3 to 12) in 4:3, 3:2 and 16:9, landscape or
portrait; quality 85-95.

    /usr/bin/python3 src/tools/bench/make_images.py --out target/bench/images --count 300
"""

import argparse
import math
import os
import sys
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ASPECTS = [(4, 3), (3, 2), (16, 9)]


def photo(rng, width, height):
    # Smooth background: bilinear blend of four random corner colours, computed at low resolution.
    small_w, small_h = max(2, width // 16), max(2, height // 16)
    corners = rng.uniform(20, 235, size=(2, 2, 3))
    y = np.linspace(0, 1, small_h)[:, None, None]
    x = np.linspace(0, 1, small_w)[None, :, None]
    base = (corners[0, 0] * (1 - x) * (1 - y) + corners[0, 1] * x * (1 - y)
            + corners[1, 0] * (1 - x) * y + corners[1, 1] * x * y)
    img = Image.fromarray(base.astype(np.uint8), "RGB").resize((width, height), Image.BILINEAR)
    # Shapes with soft edges.
    layer = Image.new("RGB", (width, height))
    mask = Image.new("L", (width, height), 0)
    draw, mdraw = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    for _ in range(rng.integers(3, 9)):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.05, 0.3) * min(width, height)
        box = [cx - r, cy - r * rng.uniform(0.5, 1.5), cx + r, cy + r * rng.uniform(0.5, 1.5)]
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
        (mdraw.ellipse if rng.random() < 0.5 else mdraw.rectangle)(box, fill=int(rng.integers(120, 256)))
    mask = mask.filter(ImageFilter.GaussianBlur(radius=max(1, min(width, height) / 200)))
    img = Image.composite(layer, img, mask)
    # Sensor noise plus fine texture: what makes photo JPEGs big.
    arr = np.asarray(img, dtype=np.int16)
    noise = rng.normal(0, rng.uniform(3, 8), size=(height, width, 1)).astype(np.int16)
    arr = np.clip(arr + noise + rng.normal(0, 2, size=arr.shape).astype(np.int16), 0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGB")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--min-mp", type=float, default=0.3)
    p.add_argument("--max-mp", type=float, default=12.0)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    total_bytes = total_mp = 0
    for i in range(a.count):
        mp = math.exp(rng.uniform(math.log(a.min_mp), math.log(a.max_mp)))
        aw, ah = ASPECTS[rng.integers(len(ASPECTS))]
        if rng.random() < 0.3:
            aw, ah = ah, aw
        height = int(round(math.sqrt(mp * 1e6 * ah / aw)))
        width = int(round(height * aw / ah))
        path = os.path.join(a.out, f"photo-{i:05d}.jpg")
        photo(rng, width, height).save(path, "JPEG", quality=int(rng.integers(85, 96)))
        total_bytes += os.path.getsize(path)
        total_mp += width * height / 1e6
    print(f"wrote {a.count} JPEGs, {total_mp:.0f} megapixels, {total_bytes / 1e6:.0f} MB in {time.time() - t0:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
