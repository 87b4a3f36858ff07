"""Quick tests of the demo-model tooling and of the files it generated (no training).

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s src/tools -p 'test_*.py'
"""
import io
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "demo-model"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from PIL import Image  # noqa: E402

import captions  # noqa: E402
import onnx_numpy  # noqa: E402
import clip_preprocess as preprocess  # noqa: E402
import render  # noqa: E402
import wordpiece  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BUNDLE = os.path.join(ROOT, "src", "main", "resources", "models", "demo")
TEST_DEMO = os.path.join(ROOT, "src", "test", "resources", "demo")
ODD = os.path.join(ROOT, "src", "test", "resources", "bundles", "odd")
INGEST = os.path.join(ROOT, "ingest")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cosine(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def is_jamo(ch):
    return 0x1100 <= ord(ch) <= 0x11FF or 0x3130 <= ord(ch) <= 0x318F or 0xA960 <= ord(ch) <= 0xA97F \
        or 0xD7B0 <= ord(ch) <= 0xD7FF


class TokenizerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.corpus = captions.caption_corpus()
        cls.tok = wordpiece.load_tokenizer_json(os.path.join(BUNDLE, "tokenizer.json"))
        cls.json = load_json(os.path.join(BUNDLE, "tokenizer.json"))

    def test_vocab_covers_every_caption(self):
        bad = [c for c in self.corpus if wordpiece.UNK in self.tok.tokenize(c)]
        self.assertEqual(bad, [])

    def test_committed_vocab_is_what_the_builder_makes(self):
        self.assertEqual(self.tok.vocab, wordpiece.build_vocab(self.corpus))

    def test_no_jamo_splitting(self):
        for text, want in [("빨간 원", ["빨간", "원"]),
                           ("이것은 빨간 원이다.", ["이것은", "빨간", "원", "##이다", "."]),
                           ("이것은 빨간 세모다.", ["이것은", "빨간", "세모", "##다", "."]),
                           ("파란색 네모가 있는 그림", ["파란색", "네모", "##가", "있는", "그림"]),
                           ("A Photo of a GREEN circle.", ["a", "photo", "of", "a", "green", "circle", "."])]:
            self.assertEqual(self.tok.tokenize(text), want)
        for c in self.corpus:
            for t in self.tok.tokenize(c):
                self.assertFalse(any(is_jamo(ch) for ch in t), (c, t))
        self.assertFalse(any(is_jamo(ch) for t in self.tok.vocab for ch in t))

    def test_normalizer_keeps_hangul_composed(self):
        self.assertEqual(wordpiece.normalize("빨간 ÀB\tc\u200b"), "빨간 àb c")  # ZWSP (Cf) removed, no NFD
        self.assertEqual(wordpiece.pre_tokenize("이것은 원이다.빨간,red"), ["이것은", "원이다", ".", "빨간", ",", "red"])

    def test_truncation_keeps_sep_last(self):
        ids = self.tok.encode(" ".join(["red circle"] * 40))
        self.assertEqual(len(ids), self.tok.max_length)
        self.assertEqual(ids[0], self.tok.ids["[CLS]"])
        self.assertEqual(ids[-1], self.tok.ids["[SEP]"])

    def test_json_fields(self):
        j = self.json
        self.assertEqual(j["normalizer"], {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                                           "strip_accents": False, "lowercase": True})
        self.assertEqual(j["pre_tokenizer"], {"type": "BertPreTokenizer"})
        m = j["model"]
        self.assertEqual((m["type"], m["unk_token"], m["continuing_subword_prefix"], m["max_input_chars_per_word"]),
                         ("WordPiece", "[UNK]", "##", 100))
        v = m["vocab"]
        self.assertEqual([v[t] for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]], [0, 1, 2, 3, 4])
        self.assertEqual(sorted(v.values()), list(range(len(v))))
        for t in ["##이다", "##다", "##가", "##이", "##은", "##는", "##을", "##를", "빨간", "빨간색", "원", "동그라미",
                  "circle", "##빨", "빨"]:
            self.assertIn(t, v)
        pp = j["post_processor"]
        self.assertEqual(pp["type"], "TemplateProcessing")
        self.assertEqual(pp["single"], [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                        {"Sequence": {"id": "A", "type_id": 0}},
                                        {"SpecialToken": {"id": "[SEP]", "type_id": 0}}])
        self.assertEqual(pp["special_tokens"]["[CLS]"]["ids"], [2])
        self.assertEqual(pp["special_tokens"]["[SEP]"]["ids"], [3])
        self.assertEqual([(a["id"], a["content"], a["special"]) for a in j["added_tokens"]],
                         [(0, "[PAD]", True), (1, "[UNK]", True), (2, "[CLS]", True), (3, "[SEP]", True),
                          (4, "[MASK]", True)])
        self.assertEqual(j["decoder"]["type"], "WordPiece")
        mj = load_json(os.path.join(BUNDLE, "model.json"))
        self.assertEqual(j["truncation"]["max_length"], mj["text"]["maxLength"])

    def test_reference_ids_match_python_tokenizer(self):
        for path in [os.path.join(TEST_DEMO, "reference.json"), os.path.join(ODD, "reference.json")]:
            ref = load_json(path)
            tok = wordpiece.load_tokenizer_json(os.path.join(os.path.dirname(path) if "odd" in path else BUNDLE,
                                                             "tokenizer.json"))
            self.assertEqual(ref["maxLength"], tok.max_length)
            for t in ref["texts"]:
                self.assertEqual(t["ids"], tok.encode(t["text"]), t["text"])
                self.assertLessEqual(len(t["ids"]), tok.max_length)
            self.assertTrue(any(len(t["ids"]) == tok.max_length for t in ref["texts"]), "no truncated text")


class CaptionTest(unittest.TestCase):
    def test_copula_rule(self):
        self.assertEqual(captions.ko_template("빨간 원"), "이것은 빨간 원이다.")
        self.assertEqual(captions.ko_template("빨간 세모"), "이것은 빨간 세모다.")
        self.assertEqual(captions.ko_template("빨간 세모", rule=False), "이것은 빨간 세모이다.")
        self.assertEqual(captions.subj("네모"), "네모가")
        self.assertEqual(captions.subj("원"), "원이")

    def test_required_frames_present(self):
        corpus = set(captions.caption_corpus())
        for c in ["빨간 원", "파란색 네모가 있는 그림", "이것은 노란 세모 이다", "이것은 노란 세모이다.", "이것은 빨간 원이다.",
                  "이것은 빨간 세모다.", "a photo of a green circle", "a photo of a green circle.", "green circle",
                  "a red triangle on a white background", "a photo of red circle.", "빨간색", "circle", "동그라미"]:
            self.assertIn(c, corpus)


class RenderTest(unittest.TestCase):
    def test_deterministic(self):
        a, ca, sa = render.render_seeded((render.SEED_NS["test"], 1))
        b, cb, sb = render.render_seeded((render.SEED_NS["test"], 1))
        c, _, _ = render.render_seeded((render.SEED_NS["test"], 2))
        self.assertEqual((ca, sa, a.size), (cb, sb, b.size))
        self.assertEqual(a.tobytes(), b.tobytes())
        self.assertNotEqual(a.tobytes(), c.tobytes())

    def test_shape_inside_central_square(self):
        for i, (colour, shape) in enumerate(render.CLASSES):
            for w, h in [(300, 90), (90, 300)]:
                img = render.render(colour, shape, w, h, render.rng_for(render.SEED_NS["test"], 100 + i), noise=0.0)
                x = np.asarray(img).astype(int)
                fg = np.argwhere(x.min(axis=2) < 150)  # shape pixels (backgrounds are >= 185)
                self.assertGreater(len(fg), 50, (colour, shape))
                side = min(w, h)
                ox, oy = (w - side) / 2, (h - side) / 2
                self.assertTrue((fg[:, 1] >= ox).all() and (fg[:, 1] < ox + side).all())
                self.assertTrue((fg[:, 0] >= oy).all() and (fg[:, 0] < oy + side).all())


class PreprocessTest(unittest.TestCase):
    def test_sizes_and_crop(self):
        self.assertEqual(preprocess.resize_size(300, 200, 64), (96, 64))
        self.assertEqual(preprocess.resize_size(97, 143, 64), (64, 94))    # int(64 * 143 / 97) = int(94.35)
        self.assertEqual(preprocess.resize_size(180, 320, 64), (64, 113))  # int(113.78): truncation, not rounding
        self.assertEqual(preprocess.crop_box(96, 64, 64), (16, 0, 80, 64))
        self.assertEqual(preprocess.crop_box(64, 113, 64), (0, 24, 64, 88))  # round(24.5) = 24 (half to even)
        self.assertEqual(preprocess.crop_box(64, 115, 64), (0, 26, 64, 90))  # round(25.5) = 26

    def test_hand_computed_pixels(self):
        # 4x2 image, size 2: no resize (short side is already 2), crop columns 1..2.
        px = [[(0, 0, 0), (255, 0, 0), (0, 255, 0), (9, 9, 9)],
              [(1, 1, 1), (0, 0, 255), (255, 255, 255), (7, 7, 7)]]
        img = Image.new("RGB", (4, 2))
        for y in range(2):
            for x in range(4):
                img.putpixel((x, y), px[y][x])
        out = preprocess.preprocess(img, 2, mean=[0.5, 0.5, 0.5], std=[0.5, 0.25, 0.5])
        self.assertEqual(out.shape, (3, 2, 2))
        # red at (y=0, x=0 after crop): R = (1 - 0.5) / 0.5 = 1, G = (0 - 0.5) / 0.25 = -2, B = -1
        np.testing.assert_allclose(out[:, 0, 0], [1.0, -2.0, -1.0], atol=1e-6)
        np.testing.assert_allclose(out[:, 0, 1], [-1.0, 2.0, -1.0], atol=1e-6)   # green
        np.testing.assert_allclose(out[:, 1, 0], [-1.0, -2.0, 1.0], atol=1e-6)   # blue
        np.testing.assert_allclose(out[:, 1, 1], [1.0, 2.0, 1.0], atol=1e-6)     # white

    def test_clip_mean_std_and_bicubic(self):
        img = Image.new("RGB", (8, 4), (255, 128, 0))
        out = preprocess.preprocess(img, 2)
        want = (np.array([255, 128, 0]) / 255.0 - np.array(preprocess.CLIP_MEAN)) / np.array(preprocess.CLIP_STD)
        np.testing.assert_allclose(out[:, 0, 0], want, atol=1e-5)  # a flat image stays flat through bicubic

    def test_exif_orientation_and_modes(self):
        img = Image.new("RGB", (4, 2), (10, 20, 30))
        img.putpixel((0, 0), (200, 0, 0))
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90 degrees clockwise for display
        buf = io.BytesIO()
        img.save(buf, "PNG", exif=exif.tobytes())
        out = preprocess.resize_crop(Image.open(io.BytesIO(buf.getvalue())), 2)
        self.assertEqual(out.size, (2, 2))
        rot = preprocess.to_rgb(Image.open(io.BytesIO(buf.getvalue())))
        self.assertEqual(rot.size, (2, 4))
        self.assertEqual(rot.getpixel((1, 0)), (200, 0, 0))  # top-left moved to top-right
        self.assertEqual(preprocess.to_rgb(img.convert("L")).mode, "RGB")
        self.assertEqual(preprocess.to_rgb(img.quantize(4)).mode, "RGB")


class BundleTest(unittest.TestCase):
    def check_bundle(self, folder, with_position_ids):
        mj = load_json(os.path.join(folder, "model.json"))
        self.assertEqual(mj["format"], "koclip-bundle/1")
        size, dim = mj["image"]["size"], mj["embeddingDim"]
        img = onnx.load(os.path.join(folder, mj["image"]["model"]))
        txt = onnx.load(os.path.join(folder, mj["text"]["model"]))
        onnx.checker.check_model(img)
        onnx.checker.check_model(txt)
        self.assertEqual([o.version for o in img.opset_import if o.domain in ("", "ai.onnx")], [17])

        def dims(v):
            return [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]

        self.assertEqual([(i.name, dims(i), i.type.tensor_type.elem_type) for i in img.graph.input],
                         [(mj["image"]["input"], ["batch", 3, size, size], onnx.TensorProto.FLOAT)])
        self.assertEqual([(o.name, dims(o)) for o in img.graph.output], [(mj["image"]["output"], ["batch", dim])])
        names = [mj["text"]["inputIds"], mj["text"]["attentionMask"]]
        if with_position_ids:
            self.assertEqual(mj["text"]["positionIds"], {"name": "position_ids", "offset": 0})
            names.append(mj["text"]["positionIds"]["name"])
        else:
            self.assertIsNone(mj["text"].get("positionIds"))
        self.assertEqual([(i.name, dims(i), i.type.tensor_type.elem_type) for i in txt.graph.input],
                         [(n, ["batch", "sequence"], onnx.TensorProto.INT64) for n in names])
        self.assertEqual([(o.name, dims(o)) for o in txt.graph.output], [(mj["text"]["output"], ["batch", dim])])
        self.assertEqual(mj["text"]["tokenizer"], "tokenizer.json")
        self.assertTrue(os.path.isfile(os.path.join(folder, "tokenizer.json")))
        self.assertEqual(mj["image"]["resize"], "shortest_edge")
        self.assertEqual((mj["image"]["interpolation"], mj["image"]["crop"]), ("bicubic", "center"))
        return mj

    def check_reference(self, folder, ref_path, mj, n_images, n_texts):
        """Run the ONNX graphs (numpy interpreter) on reference inputs; compare with the PyTorch embeddings."""
        ref = load_json(ref_path)
        base = os.path.dirname(ref_path)
        tok = wordpiece.load_tokenizer_json(os.path.join(folder, "tokenizer.json"))
        im = mj["image"]
        for r in ref["images"][:n_images]:
            with Image.open(os.path.join(base, r["file"])) as src, Image.open(os.path.join(base, r["preprocessed"])) as pre:
                self.assertEqual(pre.size, (im["size"], im["size"]))
                self.assertEqual(preprocess.resize_crop(src, im["size"]).tobytes(), pre.convert("RGB").tobytes())
            x = preprocess.preprocess_file(os.path.join(base, r["file"]), im["size"], im["mean"], im["std"])[None]
            e = onnx_numpy.run(os.path.join(folder, im["model"]), {im["input"]: x})[im["output"]][0]
            self.assertGreater(cosine(e, r["embedding"]), 0.99999, r["file"])
            self.assertAlmostEqual(float(np.linalg.norm(r["embedding"])), 1.0, places=5)
        t = mj["text"]
        for r in ref["texts"][:n_texts]:
            ids = np.array([r["ids"]], dtype=np.int64)
            feeds = {t["inputIds"]: ids, t["attentionMask"]: np.ones_like(ids)}
            if t.get("positionIds"):
                feeds[t["positionIds"]["name"]] = np.arange(ids.shape[1], dtype=np.int64)[None] + t["positionIds"]["offset"]
            e = onnx_numpy.run(os.path.join(folder, t["model"]), feeds)[t["output"]][0]
            self.assertGreater(cosine(e, r["embedding"]), 0.99999, r["text"])

    def test_padding_does_not_change_text_embeddings(self):
        mj = load_json(os.path.join(BUNDLE, "model.json"))
        tok = wordpiece.load_tokenizer_json(os.path.join(BUNDLE, "tokenizer.json"))
        ids, mask, pos = tok.batch(["빨간 원", "a photo of a blue square on a white background."])
        path = os.path.join(BUNDLE, mj["text"]["model"])
        padded = onnx_numpy.run(path, {"input_ids": ids, "attention_mask": mask, "position_ids": pos})["text_embeds"]
        n = int(mask[0].sum())
        single = onnx_numpy.run(path, {"input_ids": ids[:1, :n], "attention_mask": mask[:1, :n],
                                       "position_ids": pos[:1, :n]})["text_embeds"]
        np.testing.assert_allclose(padded[0], single[0], atol=1e-5)

    def test_demo_bundle(self):
        mj = self.check_bundle(BUNDLE, with_position_ids=True)
        self.assertEqual(mj["name"], "koclip-demo")
        self.assertEqual(mj["image"]["size"], 64)
        self.assertEqual(mj["text"]["templates"], {"ko": ["이것은 {}이다."], "en": ["a photo of a {}."]})
        self.assertTrue(1.0 < mj["logitScale"] <= 100.0)
        total = sum(os.path.getsize(os.path.join(BUNDLE, f)) for f in os.listdir(BUNDLE))
        self.assertLess(total, 8_000_000)
        self.check_reference(BUNDLE, os.path.join(TEST_DEMO, "reference.json"), mj, n_images=2, n_texts=3)

    def test_odd_bundle(self):
        mj = self.check_bundle(ODD, with_position_ids=False)
        self.assertEqual((mj["image"]["size"], mj["embeddingDim"]), (40, 32))
        self.assertEqual((mj["image"]["mean"], mj["image"]["std"]), ([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]))
        self.assertNotIn("positionIds", mj["text"])
        total = sum(os.path.getsize(os.path.join(ODD, f)) for f in os.listdir(ODD))
        self.assertLess(total, 1_000_000)
        self.check_reference(ODD, os.path.join(ODD, "reference.json"), mj, n_images=10, n_texts=10)

    def test_reference_json_shape(self):
        ref = load_json(os.path.join(TEST_DEMO, "reference.json"))
        formats = {r["stored"]["format"] for r in ref["images"]}
        self.assertEqual(formats, {"PNG", "JPEG"})
        self.assertGreaterEqual(len(ref["images"]), 6)
        self.assertGreaterEqual(len(ref["texts"]), 10)
        for r in ref["images"]:
            self.assertTrue(os.path.isfile(os.path.join(TEST_DEMO, r["file"])))
            self.assertEqual(len(r["embedding"]), 128)
        texts = [t["text"] for t in ref["texts"]]
        self.assertTrue(any(any("가" <= ch <= "힣" for ch in t) for t in texts))
        self.assertIn("이것은 빨간 원이다.", texts)


class DataTest(unittest.TestCase):
    def test_heldout(self):
        folder = os.path.join(TEST_DEMO, "heldout")
        files = sorted(os.listdir(folder))
        self.assertEqual(len(files), 54)
        q = load_json(os.path.join(TEST_DEMO, "heldout.json"))
        self.assertEqual(len(q), 18)
        for colour, shape in render.CLASSES:
            key = f"{colour}_{shape}"
            self.assertIn(key, q)
            self.assertTrue(q[key]["ko"] and q[key]["en"])
            for n in range(3):
                with Image.open(os.path.join(folder, f"{key}_{n}.png")) as im:
                    self.assertTrue(80 <= min(im.size) and max(im.size) <= 300)

    def test_ingest(self):
        counts, total, names = {}, 0, []
        for dirpath, _, fs in os.walk(INGEST):
            for f in fs:
                names.append(f)
                total += os.path.getsize(os.path.join(dirpath, f))
                stem, ext = os.path.splitext(f)
                self.assertIn(ext, (".jpg", ".png"), f)
                colour, shape, num = stem.split("-")
                counts[(colour, shape)] = counts.get((colour, shape), 0) + 1
        self.assertGreaterEqual(len(names), 140)
        self.assertLess(total, 3_000_000)
        for cls in render.CLASSES:
            self.assertGreaterEqual(counts.get(cls, 0), 6, cls)
        self.assertGreaterEqual(len([d for d in os.listdir(INGEST) if os.path.isdir(os.path.join(INGEST, d))]), 2)


if __name__ == "__main__":
    unittest.main()
