"""CLIP image preprocessing in PIL (the reference pipeline the Java engine must match).

exif_transpose -> RGB -> resize shortest edge to `size` (bicubic, PIL's
antialiased resampling) -> centre crop size x size -> /255 -> (x - mean) / std.
Sizes and crop offsets are computed exactly like CLIP / torchvision.
"""
import numpy as np
from PIL import Image, ImageOps

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


def resize_size(w, h, size):
    """New (w, h) with the short side = size, long side = int(size * long / short)."""
    if w <= h:
        return size, int(size * h / w)
    return int(size * w / h), size


def crop_box(w, h, size):
    """torchvision CenterCrop box: top = int(round((h - size) / 2.0)), same for left."""
    top = int(round((h - size) / 2.0))
    left = int(round((w - size) / 2.0))
    return left, top, left + size, top + size


def to_rgb(img):
    img = ImageOps.exif_transpose(img)
    return img.convert("RGB")


def resize_crop(img, size):
    """EXIF-transposed, RGB, resized and centre-cropped PIL image (size x size)."""
    img = to_rgb(img)
    w, h = img.size
    nw, nh = resize_size(w, h, size)
    if (nw, nh) != (w, h):
        img = img.resize((nw, nh), Image.BICUBIC)
    return img.crop(crop_box(nw, nh, size))


def normalize(img, mean, std):
    """uint8 RGB PIL image -> float32 CHW array, (x/255 - mean) / std."""
    x = np.asarray(img, dtype=np.float32) / 255.0
    x = (x - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def preprocess(img, size=64, mean=CLIP_MEAN, std=CLIP_STD):
    """Full pipeline: PIL image -> float32 [3, size, size]."""
    return normalize(resize_crop(img, size), mean, std)


def preprocess_file(path, size=64, mean=CLIP_MEAN, std=CLIP_STD):
    with Image.open(path) as img:
        return preprocess(img, size, mean, std)
