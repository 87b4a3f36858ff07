"""The Immich-shaped test bundle: a fresh run of make_test_bundle.py equals the committed files, the
graphs have the shapes of Immich's exports, and they compute the demo model's embeddings, normalized,
with the language token after [CLS] consumed.

    /usr/bin/python3 -m unittest discover -s src/tools -p 'test_*.py'
"""
import filecmp
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "demo-model"))

import make_test_bundle  # noqa: E402
import onnx_numpy  # noqa: E402
import wordpiece  # noqa: E402

COMMITTED = make_test_bundle.DEFAULT_OUT


def files(folder):
    return sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)


def dims(value_info):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in value_info.type.tensor_type.shape.dim]


class ImmichTestBundleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.fresh = os.path.join(cls.tmp.name, "immich-nllb")
        make_test_bundle.make(cls.fresh)
        cls.visual = onnx.load(os.path.join(cls.fresh, "visual", "model.onnx"))
        cls.textual = onnx.load(os.path.join(cls.fresh, "textual", "model.onnx"))
        demo = make_test_bundle.DEMO
        cls.demo_image = onnx.load(os.path.join(demo, "image_encoder.onnx"))
        cls.demo_text = onnx.load(os.path.join(demo, "text_encoder.onnx"))
        cls.tok = wordpiece.load_tokenizer_json(os.path.join(demo, "tokenizer.json"))
        with open(os.path.join(cls.fresh, "textual", "tokenizer.json"), encoding="utf-8") as f:
            cls.added = {t["content"]: t["id"] for t in json.load(f)["added_tokens"]}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_committed_files_are_what_the_script_makes(self):
        self.assertEqual(files(self.fresh), files(COMMITTED))
        for name in files(self.fresh):
            self.assertTrue(filecmp.cmp(os.path.join(self.fresh, name), os.path.join(COMMITTED, name),
                                        shallow=False), name)

    def test_graphs_have_the_immich_export_shapes(self):
        (image,) = self.visual.graph.input
        self.assertEqual((image.name, dims(image)), ("image", [1, 3, 64, 64]))
        (text,) = self.textual.graph.input
        self.assertEqual((text.name, dims(text), text.type.tensor_type.elem_type),
                         ("text", [1, 64], onnx.TensorProto.INT32))
        for graph in (self.visual.graph, self.textual.graph):
            self.assertEqual([(o.name, dims(o)) for o in graph.output], [("embedding", [1, 128])])

    def test_weights_are_external_data_beside_the_graph(self):
        for tower in ("visual", "textual"):
            raw = onnx.load(os.path.join(self.fresh, tower, "model.onnx"), load_external_data=False)
            external = [t for t in raw.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
            self.assertGreater(len(external), 10, tower)
            locations = {e.value for t in external for e in t.external_data if e.key == "location"}
            self.assertEqual(locations, {"model.onnx_data"})
            self.assertLess(os.path.getsize(os.path.join(self.fresh, tower, "model.onnx")),
                            os.path.getsize(os.path.join(self.fresh, tower, "model.onnx_data")))

    def test_config_says_nllb_context_64_and_siglip(self):
        with open(os.path.join(self.fresh, "config.json"), encoding="utf-8") as f:
            config = json.load(f)
        self.assertEqual(config["text_cfg"]["context_length"], 64)
        self.assertIn("nllb", config["text_cfg"]["hf_tokenizer_name"])
        self.assertIn("init_logit_bias", config)
        self.assertEqual(sorted(self.added)[-2:], ["eng_Latn", "kor_Hang"])

    def padded(self, ids):
        row = np.zeros((1, 64), np.int32)
        row[0, :len(ids)] = ids
        return row

    def test_image_graph_is_the_demo_tower_normalized(self):
        rng = np.random.default_rng(7)
        pixels = rng.standard_normal((1, 3, 64, 64)).astype(np.float32)
        got = onnx_numpy.run(self.visual, {"image": pixels})["embedding"][0]
        want = onnx_numpy.run(self.demo_image, {"pixel_values": pixels})["image_embeds"][0]
        self.assertAlmostEqual(float(np.linalg.norm(got)), 1.0, places=5)
        np.testing.assert_allclose(got, want / np.linalg.norm(want), atol=1e-5)

    def test_text_graph_consumes_the_language_token(self):
        for language, text in (("kor_Hang", "빨간 원"), ("eng_Latn", "blue square")):
            ids = self.tok.encode(text)
            prefixed = ids[:1] + [self.added[language]] + ids[1:]
            got = onnx_numpy.run(self.textual, {"text": self.padded(prefixed)})["embedding"][0]
            n = len(ids)
            want = onnx_numpy.run(self.demo_text, {
                "input_ids": np.array([ids], np.int64), "attention_mask": np.ones((1, n), np.int64),
                "position_ids": np.arange(n, dtype=np.int64)[None, :]})["text_embeds"][0]
            want = want / np.linalg.norm(want)
            self.assertAlmostEqual(float(np.linalg.norm(got)), 1.0, places=5)
            self.assertGreater(float(got @ want), 0.99999, text)
            # Without the prefix the first word is what gets dropped: a different text.
            unprefixed = onnx_numpy.run(self.textual, {"text": self.padded(ids)})["embedding"][0]
            self.assertLess(float(unprefixed @ want), 0.99, text)


if __name__ == "__main__":
    unittest.main()
