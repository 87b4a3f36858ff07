#!/usr/bin/python3
"""Generates the image-preprocessing fidelity fixtures for io.koclip.search.image.

Writes small, deterministic test images in every format the engine decodes, and the tensors that
the reference pipeline (PIL, following the CLIP recipe) makes from them, so that the Java tests
can assert that the Java decoder + preprocessor give the same model input.

Reference pipeline, per image and spec:
  1. Image.open, first frame (GIF);
  2. ImageOps.exif_transpose (EXIF orientation 1-8), once: Pillow < 10.1 also applies a TIFF's
     orientation tag when it loads the pixels, so exif_transpose would rotate a TIFF twice
     (python-pillow/Pillow#7381); for those versions a TIFF is only loaded (see upright());
  3. to 8-bit RGB: convert("RGB"), which drops alpha without compositing, expands palettes,
     replicates gray and converts CMYK with PIL's naive formula. Exception: 16-bit gray (PIL mode
     "I" / "I;16") is NOT passed to convert(), which would clip every value over 255 to white;
     its samples are scaled to 8 bits by taking the high byte (v >> 8), which is what PIL itself
     does when it loads 16-bit RGB / RGBA / gray+alpha PNGs (raw modes "RGB;16B" etc.);
  4. resize with Image.BICUBIC (or BILINEAR) to the shortest edge = size, long edge
     int(size * long / short) (torchvision Resize(int)), or squash to size x size;
  5. centre crop with torchvision's rule: top = round((h - size) / 2) (half-to-even), same for left;
  6. float32: x / 255, then (x - mean) / std per channel, laid out CHW [3, size, size].

Output (src/test/resources/images by default):
  *.jpg, *.png, ... the test images (each < 60 KB);
  reference/NAME.SPEC.f32.gz  the tensor: raw little-endian float32, CHW, gzip-compressed;
  manifest.json  {"images": [{"file", "format", "width", "height", "mode", "note",
                  "references": [{"file", "spec", "shape", "encoding"}]}], "specs": {...}}
                  width/height are after EXIF orientation.

Run from the repository root:  /usr/bin/python3 src/tools/preprocess/make_reference.py
Needs only Pillow and numpy (no torch). Output is deterministic for a given Pillow/libjpeg build.
"""

import argparse
import gzip
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageOps, features

SPECS = {
    # The CLIP ViT recipe, as used by KoCLIP.
    "clip224": {"size": 224, "resize": "shortest_edge", "interpolation": "bicubic",
                "mean": [0.48145466, 0.4578275, 0.40821073],
                "std": [0.26862954, 0.26130258, 0.27577711]},
    # An odd size and unusual mean/std, so no constant is accidentally hard-coded.
    "odd40": {"size": 40, "resize": "shortest_edge", "interpolation": "bicubic",
              "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3]},
    "squash64": {"size": 64, "resize": "squash", "interpolation": "bicubic",
                 "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]},
    "bilinear56": {"size": 56, "resize": "shortest_edge", "interpolation": "bilinear",
                   "mean": [0.48145466, 0.4578275, 0.40821073],
                   "std": [0.26862954, 0.26130258, 0.27577711]},
}

# Every image gets these specs; a few get the extra ones (see EXTRA_SPECS).
DEFAULT_SPECS = ("clip224", "odd40")
EXTRA_SPECS = {
    "jpeg_baseline.jpg": ("squash64", "bilinear56"),
    "png_rgb.png": ("squash64", "bilinear56"),
    "png_small_upscale.png": ("squash64", "bilinear56"),
}

MAX_IMAGE_BYTES = 60 * 1024


def natural_rgb(width, height, seed, noise=6.0):
    """Natural-ish content, uint8 [height, width, 3]: gradients, shapes with hard edges (so the
    resampling filter matters), fine stripes (so antialiasing matters) and smooth noise."""
    rng = np.random.RandomState(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / max(width - 1, 1), y / max(height - 1, 1)
    base = np.stack([
        40 + 170 * u + 20 * np.sin(6.0 * v + seed),
        60 + 120 * v + 30 * np.cos(5.0 * u * v + seed),
        200 - 150 * u * v + 25 * np.sin(9.0 * (u + v)),
    ], axis=-1)
    im = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im)
    for _ in range(6):
        x0, y0 = rng.randint(0, width), rng.randint(0, height)
        x1 = x0 + rng.randint(width // 10 + 1, width // 2 + 2)
        y1 = y0 + rng.randint(height // 10 + 1, height // 2 + 2)
        colour = tuple(int(c) for c in rng.randint(0, 256, 3))
        if rng.rand() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        else:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
    # Fine stripes: aliasing shows immediately if a downscale is not antialiased.
    sx = rng.randint(0, width // 2)
    for i in range(0, width // 4, 2):
        draw.line([(sx + i, 0), (sx + i, height // 3)], fill=(250, 250, 250))
    arr = np.asarray(im).astype(np.float64)
    # Smooth noise: blur white noise a little so JPEG/WebP stay small but pixels still vary.
    n = rng.normal(0.0, noise, (height + 2, width + 2, 3))
    n = (n[:-2, :-2] + n[1:-1, 1:-1] + n[2:, 2:] + n[1:-1, :-2] + n[:-2, 1:-1]) / np.sqrt(5.0)
    return np.clip(arr + n, 0, 255).round().astype(np.uint8)


def save_ycck(path, rgb):
    """Writes a YCCK JPEG, which PIL cannot write directly: the CMYK we want PIL to read back
    (C, M, Y, K) is stored as YCbCr of (C, M, Y) plus 255 - K (libjpeg's YCCK->CMYK conversion
    and PIL's Adobe inversion undo exactly that), through PIL's CMYK encoder (which stores
    255 - value), then the Adobe APP14 transform byte is patched from 0 (CMYK) to 2 (YCCK)."""
    src = rgb.astype(np.float64)
    k = (255 - src.max(axis=2)) // 2
    cmy = np.clip(255 - src - k[..., None], 0, 255)
    r, g, b = cmy[..., 0], cmy[..., 1], cmy[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = -0.168735892 * r - 0.331264108 * g + 0.5 * b + 128
    cr = 0.5 * r - 0.418687589 * g - 0.081312411 * b + 128
    stored = np.clip(np.stack([y, cb, cr, 255 - k], axis=-1).round(), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(255 - stored, "CMYK").save(buffer, "JPEG", quality=90)
    data = bytearray(buffer.getvalue())
    adobe = data.find(b"Adobe")
    if adobe < 4 or data[adobe - 4:adobe - 2] != b"\xff\xee":
        raise SystemExit("PIL wrote no Adobe APP14 marker for CMYK; cannot make the YCCK fixture")
    data[adobe + 11] = 2  # "Adobe" version(2) flags0(2) flags1(2) transform(1)
    with open(path, "wb") as out:
        out.write(bytes(data))


def save_gif_on_larger_screen(path, frame, screen, offset):
    """Writes `frame` (mode P) as a GIF, then patches the logical screen size and the frame's
    offset, which PIL cannot write for a first frame."""
    buffer = io.BytesIO()
    frame.save(buffer, "GIF")
    data = bytearray(buffer.getvalue())
    struct.pack_into("<HH", data, 6, *screen)
    packed = data[10]
    pos = 13 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
    while data[pos] != 0x2C:
        if data[pos] != 0x21:
            raise SystemExit(f"unexpected GIF block 0x{data[pos]:02x}")
        pos += 2
        while data[pos]:
            pos += 1 + data[pos]
        pos += 1
    struct.pack_into("<HH", data, pos + 1, *offset)
    with open(path, "wb") as out:
        out.write(bytes(data))


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_png16(path, samples):
    """Writes a 16-bit PNG by hand (PIL cannot write 16-bit RGB): samples is uint16
    [h, w] (gray) or [h, w, 3] (RGB), big-endian on disk, filter type 0 on every row."""
    height, width = samples.shape[:2]
    colour_type = 0 if samples.ndim == 2 else 2
    rows = samples.astype(">u2").reshape(height, -1).tobytes()
    row_bytes = len(rows) // height
    raw = b"".join(b"\x00" + rows[r * row_bytes:(r + 1) * row_bytes] for r in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
                  + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def sixteen_bit(rgb8, seed):
    """16-bit samples whose high byte is the 8-bit image and whose low byte is noise, so a decoder
    that clips (min(v, 255)) or takes the low byte is caught."""
    rng = np.random.RandomState(seed)
    low = rng.randint(0, 256, rgb8.shape)
    return (rgb8.astype(np.uint16) << 8) | low.astype(np.uint16)


def with_orientation(upright, orientation):
    """Returns the stored image that, once EXIF orientation is applied, shows `upright`."""
    # exif_transpose applies these transposes; we store the inverse.
    inverse = {
        2: Image.FLIP_LEFT_RIGHT,
        3: Image.ROTATE_180,
        4: Image.FLIP_TOP_BOTTOM,
        5: Image.TRANSPOSE,
        6: Image.ROTATE_90,   # orientation 6 is shown rotated 90 degrees clockwise (ROTATE_270)
        7: Image.TRANSVERSE,
        8: Image.ROTATE_270,  # orientation 8 is shown rotated 90 degrees counter-clockwise
    }[orientation]
    return upright.transpose(inverse)


def exif_with_orientation(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif


def build_images(out_dir):
    """Writes every test image; returns [(file name, note)]."""
    made = []

    def save(name, im, note, **params):
        im.save(os.path.join(out_dir, name), **params)
        made.append((name, note))

    rgb = Image.fromarray(natural_rgb(320, 213, seed=1), "RGB")
    save("jpeg_baseline.jpg", rgb, "baseline JPEG, 4:2:0", quality=85)
    save("jpeg_progressive.jpg", Image.fromarray(natural_rgb(250, 333, seed=2), "RGB"),
         "progressive JPEG", quality=85, progressive=True)
    save("jpeg_444.jpg", Image.fromarray(natural_rgb(301, 197, seed=3), "RGB"),
         "baseline JPEG, 4:4:4", quality=90, subsampling=0)
    save("jpeg_gray.jpg", Image.fromarray(natural_rgb(280, 190, seed=4), "RGB").convert("L"),
         "grayscale JPEG", quality=85)

    # CMYK with real black: K from the darkness, CMY from the rest, so the CMYK->RGB formula matters.
    src = natural_rgb(260, 180, seed=5).astype(np.int32)
    k = (255 - src.max(axis=2)) // 2
    cmy = 255 - src - k[..., None]
    cmyk = np.concatenate([np.clip(cmy, 0, 255), k[..., None]], axis=2).astype(np.uint8)
    save("jpeg_cmyk.jpg", Image.fromarray(cmyk, "CMYK"),
         "CMYK JPEG with an Adobe APP14 marker (inverted samples, as Photoshop writes)", quality=90)

    save_ycck(os.path.join(out_dir, "jpeg_ycck.jpg"), natural_rgb(230, 170, seed=6))
    made.append(("jpeg_ycck.jpg", "YCCK JPEG (Adobe transform 2): libjpeg converts YCCK to CMYK"))

    for orientation, size in ((3, (300, 200)), (6, (240, 320)), (8, (330, 220))):
        upright = Image.fromarray(natural_rgb(size[0], size[1], seed=10 + orientation), "RGB")
        save(f"jpeg_exif{orientation}.jpg", with_orientation(upright, orientation),
             f"JPEG stored sideways with EXIF orientation {orientation}", quality=88,
             exif=exif_with_orientation(orientation))

    smooth = lambda w, h, seed: natural_rgb(w, h, seed, noise=2.0)  # noqa: E731  (PNG size)
    save("png_rgb.png", Image.fromarray(smooth(210, 150, 20), "RGB"), "PNG RGB 8-bit",
         optimize=True)
    rgba = np.dstack([smooth(190, 140, 21),
                      np.tile(np.linspace(0, 255, 190).astype(np.uint8), (140, 1))])
    rgba[..., 3][:40, :] = 0  # fully transparent band: its hidden colours must still come through
    save("png_rgba.png", Image.fromarray(rgba, "RGBA"), "PNG RGBA: alpha dropped, not composited",
         optimize=True)
    la = np.dstack([smooth(170, 120, 22)[..., 1], np.full((120, 170), 90, np.uint8)])
    save("png_gray_alpha.png", Image.fromarray(la, "LA"), "PNG gray + alpha", optimize=True)
    save("png_palette.png", Image.fromarray(smooth(200, 160, 23), "RGB").quantize(colors=64),
         "PNG palette (64 colours)", optimize=True)
    save("png_gray.png", Image.fromarray(smooth(230, 170, 24)[..., 0], "L"), "PNG gray 8-bit",
         optimize=True)
    write_png16(os.path.join(out_dir, "png_gray16.png"),
                sixteen_bit(smooth(120, 100, 25)[..., 2], seed=26))
    made.append(("png_gray16.png", "PNG gray 16-bit: high byte kept, low byte is noise"))
    write_png16(os.path.join(out_dir, "png_rgb16.png"), sixteen_bit(smooth(110, 80, 27), seed=28))
    made.append(("png_rgb16.png", "PNG RGB 16-bit: high byte kept, low byte is noise"))
    save("png_small_upscale.png", Image.fromarray(smooth(150, 100, 29), "RGB"),
         "PNG smaller than 224: upscaled, no antialias support widening", optimize=True)

    if features.check("webp"):
        save("webp_lossy.webp", Image.fromarray(natural_rgb(300, 210, seed=30), "RGB"),
             "WebP lossy (VP8)", quality=85)
        save("webp_lossless.webp", Image.fromarray(smooth(180, 130, 31), "RGB"),
             "WebP lossless (VP8L)", lossless=True)

    first = Image.fromarray(smooth(200, 140, 32), "RGB").quantize(colors=96)
    second = Image.fromarray(255 - smooth(200, 140, 33), "RGB").quantize(colors=96)
    save("gif_animated.gif", first, "GIF, 2 frames: the first is used", save_all=True,
         append_images=[second], duration=200, loop=0)
    save_gif_on_larger_screen(os.path.join(out_dir, "gif_offset.gif"),
                              Image.fromarray(smooth(120, 90, 36), "RGB").quantize(colors=48),
                              screen=(160, 120), offset=(25, 17))
    made.append(("gif_offset.gif", "GIF whose only frame is smaller than the screen: PIL pads it"))
    for name, orientation, size, params in (
            ("tiff_exif6.tif", 6, (90, 130), {"compression": "tiff_deflate"}),
            ("webp_exif8.webp", 8, (140, 100), {"lossless": True}),
            ("png_exif3.png", 3, (120, 70), {"optimize": True})):
        upright = Image.fromarray(smooth(size[0], size[1], 40 + orientation), "RGB")
        save(name, with_orientation(upright, orientation),
             f"{name.split('_')[0].upper()} stored sideways with EXIF orientation {orientation}",
             exif=exif_with_orientation(orientation), **params)
    save("bmp_rgb.bmp", Image.fromarray(smooth(150, 110, 34), "RGB"), "BMP 24-bit")
    save("tiff_rgb.tif", Image.fromarray(smooth(170, 120, 35), "RGB"), "TIFF RGB, LZW",
         compression="tiff_lzw")
    return made


def to_rgb8(im):
    """Step 3 of the recipe: 8-bit RGB, alpha dropped; 16-bit gray scaled by its high byte."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L"):
        high = (np.asarray(im).astype(np.int64) >> 8).astype(np.uint8)
        return Image.fromarray(high, "L").convert("RGB")
    return im.convert("RGB")


def pillow_version():
    return tuple(int(part) for part in Image.__version__.split(".")[:2])


def upright(im):
    """Applies the EXIF orientation exactly once (see step 2 of the recipe)."""
    if im.format == "TIFF" and pillow_version() < (10, 1):
        im.load()  # TiffImagePlugin.load_end transposes by tag 274 itself
        return im.copy()
    return ImageOps.exif_transpose(im)


def reference_tensor(path, spec):
    """The CLIP recipe with PIL; returns float32 [3, size, size]."""
    with Image.open(path) as opened:
        opened.seek(0)
        im = upright(opened)
        im = to_rgb8(im)
    size = spec["size"]
    resample = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR}[spec["interpolation"]]
    w, h = im.size
    if spec["resize"] == "squash":
        target = (size, size)
    else:
        short, long = min(w, h), max(w, h)
        new_long = int(size * long / short)
        target = (size, new_long) if w <= h else (new_long, size)
    if target != im.size:
        im = im.resize(target, resample)
    w, h = im.size
    top = int(round((h - size) / 2.0))
    left = int(round((w - size) / 2.0))
    im = im.crop((left, top, left + size, top + size))
    x = np.asarray(im, dtype=np.float32) / np.float32(255.0)
    x = (x - np.asarray(spec["mean"], np.float32)) / np.asarray(spec["std"], np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype="<f4")


def upright_size(path):
    with Image.open(path) as im:
        mode, fmt = im.mode, im.format.lower()
        return upright(im).size, mode, fmt


def generate(out_dir):
    os.makedirs(os.path.join(out_dir, "reference"), exist_ok=True)
    made = build_images(out_dir)
    entries = []
    for name, note in made:
        path = os.path.join(out_dir, name)
        if os.path.getsize(path) > MAX_IMAGE_BYTES:
            raise SystemExit(f"{name}: {os.path.getsize(path)} bytes, over {MAX_IMAGE_BYTES}")
        (width, height), mode, fmt = upright_size(path)
        refs = []
        for spec_name in DEFAULT_SPECS + EXTRA_SPECS.get(name, ()):
            spec = SPECS[spec_name]
            tensor = reference_tensor(path, spec)
            ref_name = f"reference/{os.path.splitext(name)[0]}.{spec_name}.f32.gz"
            # mtime=0: byte-identical output on every run.
            with open(os.path.join(out_dir, ref_name), "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                    out.write(tensor.tobytes())
            refs.append({"file": ref_name, "spec": spec_name, "shape": list(tensor.shape),
                         "encoding": "float32-le-gzip"})
        entries.append({"file": name, "format": "jpeg" if fmt == "mpo" else fmt,
                        "width": width, "height": height, "mode": mode, "note": note,
                        "references": refs})
    manifest = {
        "generator": "src/tools/preprocess/make_reference.py",
        "pillow": Image.__version__,
        "numpy": np.__version__,
        "specs": SPECS,
        "images": entries,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=1)
        out.write("\n")
    return manifest


def default_out_dir():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    return os.path.join(root, "src", "test", "resources", "images")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=default_out_dir(), help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    manifest = generate(args.out)
    total = sum(os.path.getsize(os.path.join(args.out, e["file"])) for e in manifest["images"])
    print(f"{len(manifest['images'])} images ({total} bytes) and their reference tensors in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
