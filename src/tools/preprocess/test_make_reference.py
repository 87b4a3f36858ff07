"""Unit tests for make_reference.py. Run from the repository root:
/usr/bin/python3 -m unittest discover -s src/tools -p 'test_*.py'
"""

import gzip
import json
import os
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_reference as mr  # noqa: E402


class ContentTest(unittest.TestCase):
    def test_natural_rgb_is_deterministic_and_varied(self):
        a = mr.natural_rgb(40, 30, seed=3)
        b = mr.natural_rgb(40, 30, seed=3)
        self.assertEqual(a.shape, (30, 40, 3))
        self.assertEqual(a.dtype, np.uint8)
        np.testing.assert_array_equal(a, b)
        self.assertGreater(len(np.unique(a.reshape(-1, 3), axis=0)), 200)
        self.assertFalse(np.array_equal(a, mr.natural_rgb(40, 30, seed=4)))

    def test_sixteen_bit_keeps_the_8_bit_image_in_the_high_byte(self):
        rgb8 = mr.natural_rgb(8, 6, seed=1)
        wide = mr.sixteen_bit(rgb8, seed=2)
        np.testing.assert_array_equal(wide >> 8, rgb8)
        self.assertTrue((wide & 0xFF).any())


class PngWriterTest(unittest.TestCase):
    def test_sixteen_bit_gray_and_rgb_read_back(self):
        with tempfile.TemporaryDirectory() as tmp:
            gray = np.array([[0x8040, 0x0001], [0xFFFF, 0x1234]], np.uint16)
            path = os.path.join(tmp, "g.png")
            mr.write_png16(path, gray)
            with Image.open(path) as im:
                self.assertIn(im.mode, ("I", "I;16", "I;16B"))
                np.testing.assert_array_equal(np.asarray(im).astype(np.int64), gray)
                # The recipe scales by the high byte instead of PIL's clipping convert("RGB").
                rgb = np.asarray(mr.to_rgb8(im))
                np.testing.assert_array_equal(rgb[..., 0], [[0x80, 0x00], [0xFF, 0x12]])
            colour = np.zeros((2, 3, 3), np.uint16)
            colour[0, 0] = (0xFF01, 0x7F80, 0x00FF)
            path = os.path.join(tmp, "c.png")
            mr.write_png16(path, colour)
            with Image.open(path) as im:
                self.assertEqual(im.mode, "RGB")  # PIL keeps the high byte of 16-bit RGB
                self.assertEqual(im.getpixel((0, 0)), (0xFF, 0x7F, 0x00))


class OrientationTest(unittest.TestCase):
    def test_exif_transpose_undoes_every_stored_orientation(self):
        upright = Image.fromarray(mr.natural_rgb(12, 7, seed=5), "RGB")
        for orientation in range(2, 9):
            stored = mr.with_orientation(upright, orientation)
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "o.png")
                stored.save(path, exif=mr.exif_with_orientation(orientation))
                with Image.open(path) as im:
                    back = ImageOps.exif_transpose(im)
                    np.testing.assert_array_equal(np.asarray(back), np.asarray(upright),
                                                  err_msg=f"orientation {orientation}")


    def test_tiff_orientation_is_applied_once(self):
        upright = Image.fromarray(mr.natural_rgb(12, 7, seed=6), "RGB")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "o.tif")
            mr.with_orientation(upright, 6).save(path, exif=mr.exif_with_orientation(6))
            with Image.open(path) as im:
                np.testing.assert_array_equal(np.asarray(mr.upright(im)), np.asarray(upright))


class ReferenceTensorTest(unittest.TestCase):
    def test_flat_image_normalizes_to_the_expected_constant(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "flat.png")
            Image.new("RGB", (300, 200), (200, 100, 50)).save(path)
            spec = mr.SPECS["clip224"]
            tensor = mr.reference_tensor(path, spec)
            self.assertEqual(tensor.shape, (3, 224, 224))
            self.assertEqual(tensor.dtype, np.dtype("<f4"))
            for c, level in enumerate((200, 100, 50)):
                expected = (np.float32(level) / np.float32(255) - np.float32(spec["mean"][c])) \
                    / np.float32(spec["std"][c])
                self.assertTrue(np.all(tensor[c] == expected))

    def test_centre_crop_rounds_half_to_even(self):
        # 224 x 225 -> already the target size; top = round(0.5) = 0, so row 0 is kept.
        rows = np.repeat(np.arange(225, dtype=np.uint8)[:, None], 224, axis=1)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rows.png")
            Image.fromarray(rows, "L").save(path)
            spec = dict(mr.SPECS["odd40"], size=224, mean=[0, 0, 0], std=[1, 1, 1])
            tensor = mr.reference_tensor(path, spec)
            self.assertAlmostEqual(float(tensor[0, 0, 0]), 0.0)
            self.assertAlmostEqual(float(tensor[0, 223, 0]), 223 / 255, places=6)

    def test_alpha_is_dropped_not_composited(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "clear.png")
            Image.new("RGBA", (50, 40), (10, 200, 30, 0)).save(path)
            spec = dict(mr.SPECS["odd40"], mean=[0, 0, 0], std=[1, 1, 1])
            tensor = mr.reference_tensor(path, spec)
            self.assertAlmostEqual(float(tensor[1, 5, 5]), 200 / 255, places=6)


class GenerateTest(unittest.TestCase):
    def test_generates_small_images_and_a_consistent_manifest(self):
        with tempfile.TemporaryDirectory() as tmp:
            manifest = mr.generate(tmp)
            with open(os.path.join(tmp, "manifest.json")) as f:
                self.assertEqual(json.load(f), manifest)
            total = 0
            for entry in manifest["images"]:
                size = os.path.getsize(os.path.join(tmp, entry["file"]))
                self.assertLess(size, mr.MAX_IMAGE_BYTES, entry["file"])
                total += size
                for ref in entry["references"]:
                    spec = manifest["specs"][ref["spec"]]
                    with gzip.open(os.path.join(tmp, ref["file"])) as f:
                        data = f.read()
                    self.assertEqual(ref["shape"], [3, spec["size"], spec["size"]])
                    self.assertEqual(len(data), 4 * 3 * spec["size"] ** 2)
            self.assertLess(total, 1024 * 1024)
            formats = {e["format"] for e in manifest["images"]}
            self.assertTrue({"jpeg", "png", "gif", "bmp", "tiff"} <= formats)
            ycck = next(e for e in manifest["images"] if e["file"] == "jpeg_ycck.jpg")
            self.assertEqual(ycck["mode"], "CMYK")
            exif6 = next(e for e in manifest["images"] if e["file"] == "jpeg_exif6.jpg")
            self.assertEqual((exif6["width"], exif6["height"]), (240, 320))


if __name__ == "__main__":
    unittest.main()
