"""Smoke tests of the Python benchmark tools at a tiny size (no timing assertions):

    /usr/bin/python3 -m unittest discover -s src/tools/bench -p 'test_*.py' -v
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vecio import VecsWriter, read_fvecs, read_ivecs  # noqa: E402


def run(script, *args):
    return subprocess.run([sys.executable, os.path.join(HERE, script), *args], check=True,
                          capture_output=True, text=True).stdout


class BenchToolsTest(unittest.TestCase):
    def test_vectors_truth_peers_and_comparison(self):
        with tempfile.TemporaryDirectory() as d:
            run("make_vectors.py", "--out", d, "--n", "2000", "--queries", "50", "--dim", "64", "--centres", "40",
                "--rank", "8", "--truth-k", "20")
            base, queries, truth = (read_fvecs(os.path.join(d, "base.fvecs")),
                                    read_fvecs(os.path.join(d, "queries.fvecs")),
                                    read_ivecs(os.path.join(d, "truth.ivecs")))
            self.assertEqual(base.shape, (2000, 64))
            self.assertEqual(truth.shape, (50, 20))
            np.testing.assert_allclose(np.linalg.norm(base, axis=1), 1, atol=1e-5)
            exact = np.argsort(-(np.asarray(queries) @ np.asarray(base).T), axis=1, kind="stable")[:, :20]
            self.assertGreaterEqual((exact == truth).mean(), 0.99)  # ties may swap
            out = run("knn_peers.py", "--base", os.path.join(d, "base.fvecs"), "--queries",
                      os.path.join(d, "queries.fvecs"), "--truth", os.path.join(d, "truth.ivecs"),
                      "--ef", "10,200", "--flat-queries", "20")
            lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
            self.assertEqual({l["engine"] for l in lines}, {"hnswlib", "faiss-hnsw", "faiss-flat"})
            for l in lines:
                for key in ("numCandidates", "recall", "qps", "p50Ms", "p99Ms", "indexSeconds", "mergeSeconds",
                            "indexBytes"):
                    self.assertIn(key, l)
            best = {l["engine"]: l["recall"] for l in lines if l["numCandidates"] in (200, 2000)}
            for engine, recall in best.items():
                self.assertGreaterEqual(recall, 0.9, engine)
            with open(os.path.join(d, "peers.jsonl"), "w") as f:
                f.write(out)
            table = run("compare_knn.py", os.path.join(d, "peers.jsonl"))
            self.assertIn("| hnswlib |", table)

    def test_vecs_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.ivecs")
            with VecsWriter(path, np.int32) as w:
                w.write(np.arange(6).reshape(2, 3))
            np.testing.assert_array_equal(read_ivecs(path), [[0, 1, 2], [3, 4, 5]])

    def test_images(self):
        from PIL import Image

        with tempfile.TemporaryDirectory() as d:
            run("make_images.py", "--out", d, "--count", "3", "--min-mp", "0.02", "--max-mp", "0.05")
            files = sorted(os.listdir(d))
            self.assertEqual(len(files), 3)
            for f in files:
                with Image.open(os.path.join(d, f)) as im:
                    self.assertEqual(im.format, "JPEG")
                    self.assertGreaterEqual(im.width * im.height, 15_000)


if __name__ == "__main__":
    unittest.main()
