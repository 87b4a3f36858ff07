"""Deterministic renderer of coloured shapes on light backgrounds.

Every image is fully determined by a seed (an int or a tuple of ints fed to
numpy's SeedSequence), so the training stream, the validation set, the held-out
set, the reference images and the sample corpus can all be regenerated
bit-for-bit. Different uses draw from different seed *namespaces* (see
``SEED_NS``), so no held-out image is ever seen in training.

Geometry rule: the shape always lies inside the central square of the image
(side = shortest edge), so CLIP's shortest-edge resize + centre crop never cuts
it away, whatever the aspect ratio.
"""
import math

import numpy as np
from PIL import Image, ImageDraw

COLOURS = ["red", "yellow", "green", "blue", "purple", "black"]
SHAPES = ["circle", "square", "triangle"]
CLASSES = [(c, s) for c in COLOURS for s in SHAPES]

# Base RGB of each colour; each render jitters it a little.
BASE_RGB = {
    "red": (215, 35, 35),
    "yellow": (240, 205, 25),
    "green": (35, 160, 55),
    "blue": (35, 75, 215),
    "purple": (135, 45, 175),
    "black": (25, 25, 25),
}

# Seed namespaces: first element of every seed tuple.
SEED_NS = {
    "train": 1,
    "val": 2,
    "heldout": 3,
    "ingest": 4,
    "reference": 5,
    "test": 6,
    "eval": 7,
}


def rng_for(*seed):
    """A numpy Generator for a seed tuple, e.g. rng_for(SEED_NS['train'], step, i)."""
    return np.random.default_rng(np.random.SeedSequence([int(s) for s in seed]))


def _light_colour(rng):
    """A light, low-saturation colour (near white / light grey / pastel)."""
    level = rng.uniform(205, 255)
    tint = rng.uniform(-14, 14, size=3)
    return np.clip(level + tint, 185, 255)


def _background(rng, w, h):
    """Light solid background or a gentle linear gradient between two light colours."""
    c0 = _light_colour(rng)
    if rng.random() < 0.5:
        bg = np.broadcast_to(c0, (h, w, 3)).astype(np.float32)
    else:
        c1 = _light_colour(rng)
        ang = rng.uniform(0, 2 * math.pi)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        t = (xs / max(w - 1, 1) - 0.5) * math.cos(ang) + (ys / max(h - 1, 1) - 0.5) * math.sin(ang)
        t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
        bg = c0[None, None, :] * (1 - t[..., None]) + c1[None, None, :] * t[..., None]
    return bg.astype(np.float32)


def _shape_colour(rng, colour):
    base = np.array(BASE_RGB[colour], dtype=np.float32)
    jitter = rng.uniform(-18, 18, size=3)
    shade = rng.uniform(-15, 15)  # brightness jitter common to all channels
    return np.clip(base + jitter + shade, 0, 255)


def _polygon(shape, cx, cy, r, angle):
    if shape == "square":
        # r is the circumradius; rotate a square around its centre.
        return [(cx + r * math.cos(angle + k * math.pi / 2), cy + r * math.sin(angle + k * math.pi / 2)) for k in range(4)]
    if shape == "triangle":
        return [(cx + r * math.cos(angle + k * 2 * math.pi / 3), cy + r * math.sin(angle + k * 2 * math.pi / 3)) for k in range(3)]
    raise ValueError(shape)


def _mask(shape, w, h, cx, cy, r, angle):
    """Anti-aliased coverage mask (float 0..1, shape [h, w]) drawn supersampled."""
    ss = 3 if max(w, h) <= 160 else 2
    m = Image.new("L", (w * ss, h * ss), 0)
    d = ImageDraw.Draw(m)
    if shape == "circle":
        d.ellipse([(cx - r) * ss, (cy - r) * ss, (cx + r) * ss, (cy + r) * ss], fill=255)
    else:
        d.polygon([(x * ss, y * ss) for x, y in _polygon(shape, cx, cy, r, angle)], fill=255)
    m = m.resize((w, h), Image.BOX)
    return np.asarray(m, dtype=np.float32) / 255.0


def render(colour, shape, width, height, rng, noise=None):
    """Render one RGB image of a `colour` `shape` of size width x height.

    The shape's circumscribed circle stays inside the central square (with a
    small margin), its radius is 22-42 % of the short side, rotation is random.
    `noise`: None = random (about half the images get slight Gaussian noise),
    or a float sigma.
    """
    w, h = int(width), int(height)
    side = min(w, h)
    ox, oy = (w - side) / 2.0, (h - side) / 2.0
    bg = _background(rng, w, h)
    # Size and position inside the central square.
    r = rng.uniform(0.22, 0.42) * side
    if shape == "square":
        r *= 1.1  # circumradius: makes squares look as big as circles
    margin = 0.04 * side
    lo, hi = r + margin, side - r - margin
    cx = ox + (rng.uniform(lo, hi) if hi > lo else side / 2.0)
    cy = oy + (rng.uniform(lo, hi) if hi > lo else side / 2.0)
    angle = rng.uniform(0, 2 * math.pi)
    fg = _shape_colour(rng, colour)
    a = _mask(shape, w, h, cx, cy, r, angle)[..., None]
    img = bg * (1 - a) + fg[None, None, :] * a
    if noise is None:
        noise = rng.uniform(1.0, 6.0) if rng.random() < 0.5 else 0.0
    if noise > 0:
        img = img + rng.normal(0.0, noise, size=img.shape)
    return Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB")


def random_size(rng, lo, hi):
    """A random (width, height) with each side in [lo, hi] and varied aspect ratio."""
    if rng.random() < 0.25:
        s = int(rng.integers(lo, hi + 1))
        return s, s
    return int(rng.integers(lo, hi + 1)), int(rng.integers(lo, hi + 1))


def render_seeded(seed, colour=None, shape=None, size_range=(80, 400), noise=None):
    """Render from a seed tuple; picks class (unless given) and size from the seed.

    Returns (image, colour, shape).
    """
    rng = rng_for(*seed)
    if colour is None:
        colour = COLOURS[int(rng.integers(len(COLOURS)))]
    if shape is None:
        shape = SHAPES[int(rng.integers(len(SHAPES)))]
    w, h = random_size(rng, *size_range)
    return render(colour, shape, w, h, rng, noise=noise), colour, shape
