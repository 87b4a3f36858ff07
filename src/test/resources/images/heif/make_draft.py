#!/usr/bin/python3
"""Makes the shrink-on-load fidelity fixture: a 640x480 photo-like JPEG and what PIL's Image.draft
decodes from it at scale 1/2 and 1/4 (libjpeg's DCT scaling): the 1/4 image saved losslessly as
PNG, the 1/2 image as the SHA-256 of its raw RGB bytes (row-major, R G B; its PNG would be 90 KB).
Run from this directory with Debian's python3-pil (libjpeg62-turbo): /usr/bin/python3 make_draft.py
"""
import numpy as np
from PIL import Image, ImageFilter

rng = np.random.default_rng(7)
y, x = np.mgrid[0:480, 0:640]
r = 128 + 90 * np.sin(x / 37.0) * np.cos(y / 29.0)
g = 60 + 150 * x / 640 + 20 * np.sin((x + y) / 11.0)
b = 40 + 160 * y / 480
rgb = np.dstack([r, g, b]) + rng.normal(0, 2, (480, 640, 3))
im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
im.save("draft_source.jpg", quality=80)
for scale in (2, 4):
    src = Image.open("draft_source.jpg")
    src.draft("RGB", (640 // scale, 480 // scale))
    out = src.convert("RGB")
    assert out.size == (640 // scale, 480 // scale), out.size
    if scale == 4:
        out.save("draft_source.pil_draft4.png")
    else:
        import hashlib
        with open("draft_source.pil_draft2.sha256", "w") as f:
            f.write(hashlib.sha256(out.tobytes()).hexdigest() + "\n")
