#!/usr/bin/python3
"""Writes the held-out eval set's images at photo size, for measuring `--decode exact` against
`--decode fast` with the eval command (docs/operations.md, "Shrink-on-load"): each image of
src/test/resources/eval/images scaled (bicubic) to a short side of 3000 px, with +-6 levels of
grain, saved as JPEG quality 90 (odd ones progressive) under OUT_DIR/images/ with the same names.
Usage: /usr/bin/python3 src/tools/decode/upscale_eval.py OUT_DIR [COUNT]
"""
import os
import sys

import numpy as np
from PIL import Image

src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "resources", "eval", "images")
out = os.path.join(sys.argv[1], "images")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(5)
for i, f in enumerate(sorted(os.listdir(src))[:count]):
    im = Image.open(os.path.join(src, f)).convert("RGB")
    s = 3000 / min(im.size)  # short side 3000, as a 12 MP photo's
    big = im.resize((round(im.width * s), round(im.height * s)), Image.BICUBIC)
    a = np.asarray(big).astype(np.int16) + rng.integers(-6, 7, (big.height, big.width, 1), dtype=np.int16)
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(
        os.path.join(out, f), quality=90, progressive=(i % 2 == 1))
