"""Tests of the eval tooling: the independent check's metric, the held-out fixture and its frames.

    /usr/bin/python3 -m unittest discover -s src/tools -p 'test_*.py'
"""
import collections
import filecmp
import json
import os
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "src", "tools", "demo-model"))

import check_eval  # noqa: E402

FIXTURE = os.path.join(ROOT, "src", "test", "resources", "eval")
JAR = os.path.join(ROOT, "target", "koclip-search.jar")


class MetricTest(unittest.TestCase):
    # The hand-computed case of ExactRankingTest (Java): ties in both directions, several captions per image.
    IMAGES = np.array([[1, 0], [0, 1], [1, 0]], dtype=np.float32).astype(np.float64)
    CAPTIONS = np.array([[1, 0], [0, 1], [0.6, 0.8], [1, 0], [0, 1]], dtype=np.float32).astype(np.float64)

    def test_hand_computed_ranks_with_ties_in_file_order(self):
        s = check_eval.scores(self.CAPTIONS, self.IMAGES)
        t2i, i2t = check_eval.ranks(s, np.array([0, 0, 1, 2, 1]))
        self.assertEqual(t2i.tolist(), [1, 2, 1, 2, 1])
        self.assertEqual(i2t.tolist(), [1, 2, 2])
        f = check_eval.figures(s, np.array([0, 0, 1, 2, 1]), [1, 2])
        self.assertEqual(f["textToImage"], {"recall@1": 3 / 5, "recall@2": 1.0})
        self.assertEqual(f["imageToText"], {"recall@1": 1 / 3, "recall@2": 1.0})
        self.assertEqual(f["medianRank"], 1.0)

    def test_swapped_duplicates_lose_the_tie(self):
        s = check_eval.scores(self.CAPTIONS, self.IMAGES)
        t2i, i2t = check_eval.ranks(s, np.array([2, 2, 1, 0, 1]))
        self.assertEqual(t2i.tolist(), [2, 3, 1, 1, 1])
        self.assertEqual(i2t.tolist(), [2, 2, 1])

    def test_scores_sum_in_dimension_order(self):
        rng = np.random.default_rng(3)
        t = rng.standard_normal((7, 5)).astype(np.float32).astype(np.float64)
        i = rng.standard_normal((4, 5)).astype(np.float32).astype(np.float64)
        s = check_eval.scores(t, i)
        for a in range(7):
            for b in range(4):
                acc = 0.0
                for k in range(5):
                    acc += t[a, k] * i[b, k]
                self.assertEqual(s[a, b], acc)

    def test_compare_flags_a_difference(self):
        want = {(True, "ko"): {"images": 2, "captions": 3, "medianRank": 1.0,
                               "textToImage": {"recall@1": 0.5}, "imageToText": {"recall@1": 1.0}}}
        got = {(True, "ko"): dict(want[(True, "ko")], textToImage={"recall@1": 0.5 + 1e-6})}
        self.assertEqual(len(check_eval.compare(want, got)), 1)
        self.assertEqual(check_eval.compare(want, want), [])


class FixtureTest(unittest.TestCase):
    def test_frames_are_held_out_and_tokenize_without_unk(self):
        import captions
        import eval_captions
        import wordpiece
        training = set(captions.caption_corpus())
        tok = wordpiece.load_tokenizer_json(os.path.join(ROOT, "src", "main", "resources", "models", "demo",
                                                         "tokenizer.json"))
        for text in eval_captions.all_captions():
            self.assertNotIn(text, training)
            self.assertNotIn(1, tok.encode(text), text)  # 1 = [UNK]

    def test_fixture_shape_and_size(self):
        with open(os.path.join(FIXTURE, "captions.json"), encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual(len(doc["images"]), 100)
        per_image = collections.Counter()
        for a in doc["annotations"]:
            per_image[(a["image_id"], check_eval.has_hangul(a["caption"]))] += 1
        self.assertEqual(set(per_image.values()), {5})
        self.assertEqual(len(per_image), 200)
        total = sum(os.path.getsize(os.path.join(FIXTURE, i["file_name"])) for i in doc["images"])
        self.assertLess(total, 2_000_000)

    def test_fixture_regenerates_bit_for_bit(self):
        import make_eval
        with tempfile.TemporaryDirectory() as out:
            make_eval.build(out, 100)
            self.assertTrue(filecmp.cmp(os.path.join(out, "captions.json"), os.path.join(FIXTURE, "captions.json"),
                                        shallow=False))
            for name in ("eval_001.jpg", "eval_050.jpg", "eval_100.jpg"):
                self.assertTrue(filecmp.cmp(os.path.join(out, "images", name), os.path.join(FIXTURE, "images", name),
                                            shallow=False), name)


@unittest.skipUnless(os.path.exists(JAR), "needs target/koclip-search.jar (./mvnw package -DskipTests)")
class EndToEndTest(unittest.TestCase):
    def test_eval_figures_match_embed_outputs(self):
        self.assertEqual(check_eval.main([]), 0)


if __name__ == "__main__":
    unittest.main()
