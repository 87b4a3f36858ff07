#!/usr/bin/python3
"""Writes the seed corpus of the image fuzz targets (ImageFuzzTest): one tiny file per format and
variant the decoders handle, so that libFuzzer starts from every code path with inputs it can mutate
quickly (a few hundred bytes, not the 10-60 KB fixtures of the decoder tests). HEIC/AVIF come from
the fixtures in src/test/resources/images/heif (made by make.sh there).

Run from the repository root: /usr/bin/python3 src/test/fuzz/make_image_seeds.py
The output is committed; rerunning it rewrites the same seeds (PIL 9.4 on Debian 12)."""
import io
import pathlib
import shutil

from PIL import Image

ROOT = pathlib.Path("src/test/resources/io/koclip/search/image/ImageFuzzTestInputs")
TARGETS = ["sniffAndProbe", "decodeWithImageIo", "decodeWithLibvips"]


def picture(mode, size=(12, 9)):
    image = Image.new("RGB", size)
    pixels = image.load()
    for y in range(size[1]):
        for x in range(size[0]):
            pixels[x, y] = (x * 21 % 256, y * 28 % 256, (x + y) * 11 % 256)
    return image.convert(mode)


def encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def exif(orientation):
    data = Image.Exif()
    data[0x0112] = orientation
    return data.tobytes()


SEEDS = {
    "baseline.jpg": encode(picture("RGB"), "JPEG", quality=80),
    "progressive.jpg": encode(picture("RGB"), "JPEG", quality=80, progressive=True),
    "gray.jpg": encode(picture("L"), "JPEG", quality=80),
    "cmyk.jpg": encode(picture("CMYK"), "JPEG", quality=80),
    "exif6.jpg": encode(picture("RGB"), "JPEG", quality=80, exif=exif(6)),
    "rgb.png": encode(picture("RGB"), "PNG"),
    "palette.png": encode(picture("P"), "PNG"),
    "rgba.png": encode(picture("RGBA"), "PNG"),
    "gray16.png": encode(picture("L").convert("I").point(lambda v: v * 257).convert("I;16"), "PNG"),
    "exif3.png": encode(picture("RGB"), "PNG", exif=exif(3)),
    "frame.gif": encode(picture("P"), "GIF"),
    "lossy.webp": encode(picture("RGB"), "WEBP", quality=60),
    "lossless.webp": encode(picture("RGBA"), "WEBP", lossless=True),
    "rgb.bmp": encode(picture("RGB"), "BMP"),
    "rgb.tif": encode(picture("RGB"), "TIFF"),
    "lzw.tif": encode(picture("RGB"), "TIFF", compression="tiff_lzw"),
}

HEIF = pathlib.Path("src/test/resources/images/heif")

for target in TARGETS:
    folder = ROOT / target
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (folder / ("seed-" + name)).write_bytes(data)
    for name in ["photo.heic", "photo.avif", "rot90.heic"]:
        shutil.copyfile(HEIF / name, folder / ("seed-" + name))
print("wrote", len(SEEDS) + 3, "seeds into each of", ", ".join(TARGETS))
