"""Smoke tests of the Python benchmark tools at a tiny size (no timing assertions):

    /usr/bin/python3 -m unittest discover -s src/tools/bench -p 'test_*.py' -v
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vecio import VecsWriter, read_fvecs, read_ivecs  # noqa: E402

import compare_knn  # noqa: E402
import knn_peers  # noqa: E402
import make_vectors  # noqa: E402


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

    def test_hnswlib_index_kept_and_reused(self):
        with tempfile.TemporaryDirectory() as d:
            run("make_vectors.py", "--out", d, "--n", "1000", "--queries", "20", "--dim", "32", "--centres", "20",
                "--rank", "8", "--truth-k", "10")
            kept = os.path.join(d, "kept.hnswlib")
            files = ["--base", os.path.join(d, "base.fvecs"), "--queries", os.path.join(d, "queries.fvecs"),
                     "--truth", os.path.join(d, "truth.ivecs"), "--engines", "hnswlib", "--ef", "10,100",
                     "--repeat", "1", "--hnswlib-index", kept]
            built = [json.loads(l) for l in run("knn_peers.py", *files).splitlines() if l.startswith("{")]
            self.assertTrue(os.path.getsize(kept) > 1000 * 32 * 4)
            # the graph's shape, read from the saved file: M 16 bounds level 0 at 32 links
            self.assertLessEqual(built[0]["graphMaxDegree0"], 32)
            self.assertGreater(built[0]["graphDegree0"], 4)
            self.assertGreaterEqual(built[0]["graphLevels"], 2)
            reused = [json.loads(l) for l in run("knn_peers.py", *files).splitlines() if l.startswith("{")]
            self.assertGreater(built[0]["indexSeconds"], 0)
            self.assertEqual([l["indexSeconds"] for l in reused], [0.0, 0.0])
            # the same graph: the same neighbours found, so the same recall at every ef
            self.assertEqual([l["recall"] for l in reused], [l["recall"] for l in built])
            other = subprocess.run([sys.executable, os.path.join(HERE, "knn_peers.py"), *files, "--m", "8"],
                                   capture_output=True, text=True)
            self.assertNotEqual(other.returncode, 0)
            self.assertIn("delete it to rebuild", other.stderr)

    def test_distributions(self):
        """Each distribution gives unit vectors; only clip's share a mean direction (the cone)."""
        cosines = {}
        with tempfile.TemporaryDirectory() as d:
            for dist in ("lowrank", "isotropic", "clip"):
                out = os.path.join(d, dist)
                proc = subprocess.run([sys.executable, os.path.join(HERE, "make_vectors.py"), "--out", out, "--n",
                                       "3000", "--queries", "10", "--dim", "64", "--centres", "30", "--truth-k", "0",
                                       "--distribution", dist], check=True, capture_output=True, text=True)
                self.assertIn(dist, proc.stderr)
                x = np.asarray(read_fvecs(os.path.join(out, "base.fvecs")))
                self.assertEqual(x.shape, (3000, 64))
                np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1, atol=1e-5)
                cosines[dist] = make_vectors.mean_pair_cosine(x)
                # anisotropy: share of the variance in the top 5 of 64 principal directions
                ev = np.linalg.eigvalsh(np.cov((x - x.mean(axis=0)).T))[::-1]
                cosines[dist + "-top5"] = ev[:5].sum() / ev.sum()
            bad = subprocess.run([sys.executable, os.path.join(HERE, "make_vectors.py"), "--out",
                                  os.path.join(d, "bad"), "--n", "10", "--distribution", "uniform"],
                                 capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("uniform", bad.stderr)
        self.assertLess(abs(cosines["lowrank"]), 0.05)
        self.assertLess(abs(cosines["isotropic"]), 0.05)
        self.assertGreater(cosines["clip"], 0.3)
        # isotropic noise spreads the variance evenly; clip's power-law spectrum does not
        self.assertGreater(cosines["clip-top5"], 2 * cosines["isotropic-top5"])

    def test_lowrank_is_the_data_of_the_first_benchmarks(self):
        """The default distribution draws exactly as before the distributions existed (same files per seed)."""
        rng = np.random.default_rng(7)
        m = make_vectors.Mixture(rng, "lowrank", 16, 5, 3, 0.8, 0.5, 1.0)
        x = m.sample(rng, 4)
        rng = np.random.default_rng(7)
        centres = rng.standard_normal((5, 16), dtype=np.float32)
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        mixing = rng.standard_normal((16, 3), dtype=np.float32) / np.sqrt(16)
        labels = rng.integers(0, 5, size=4)
        z = rng.standard_normal((4, 3), dtype=np.float32)
        y = centres[labels] + 0.8 * (z @ mixing.T)
        y += (0.5 / np.sqrt(16)) * rng.standard_normal((4, 16), dtype=np.float32)
        y /= np.linalg.norm(y, axis=1, keepdims=True)
        np.testing.assert_array_equal(x, y)

    def test_equal_recall_interpolation(self):
        lucene = [{"numCandidates": 10, "recall": 0.80, "qps": 3000, "qpsMin": 2800, "qpsMax": 3100},
                  {"numCandidates": 20, "recall": 0.90, "qps": 2000, "qpsMin": 1900, "qpsMax": 2100},
                  {"numCandidates": 40, "recall": 1.00, "qps": 1000, "qpsMin": 900, "qpsMax": 1100}]
        self.assertAlmostEqual(compare_knn.interpolate(lucene, 0.95), 1500)
        self.assertAlmostEqual(compare_knn.interpolate(lucene, 0.95, "qpsMin"), 1400)
        self.assertAlmostEqual(compare_knn.interpolate(lucene, 0.90), 2000)  # a measured point
        self.assertIsNone(compare_knn.interpolate(lucene, 0.70))  # below the sweep: no extrapolation
        self.assertIsNone(compare_knn.interpolate(lucene, 1.01))  # not reached
        cheapest, interp = compare_knn.at_target(lucene, 0.85)
        self.assertEqual(cheapest["numCandidates"], 20)
        self.assertAlmostEqual(interp, 2500)
        with tempfile.TemporaryDirectory() as d:
            peer = [{"numCandidates": c, "recall": r, "qps": q, "engine": "hnswlib", "n": 100, "p50Ms": 1,
                     "p99Ms": 2, "indexSeconds": 1, "filter": "none", "threads": 1}
                    for c, r, q in ((10, 0.85, 2000), (20, 0.95, 1000), (40, 0.99, 500))]
            rows = [dict(r, engine="lucene", vectors="float32", n=100, p50Ms=1, p99Ms=2, indexSeconds=1,
                         filter="none", threads=1) for r in lucene]
            path = os.path.join(d, "all.jsonl")
            with open(path, "w") as f:
                f.write("\n".join(json.dumps(r) for r in rows + peer))
            table = run("compare_knn.py", path)
        # recall 0.9: lucene 2000 (1900-2100), hnswlib interpolated 1500 (no min/max: the median)
        # recall 0.95: lucene 1500 (1400-1600), hnswlib 1000 (measured)
        self.assertIn("| lucene-float32 / hnswlib | none | 1 | 1.33 (1.27-1.40) | 1.50 (1.40-1.60) | ", table)

    def test_runs_of_one_setting_are_combined(self):
        line = {"engine": "hnswlib", "numCandidates": 10, "recall": 0.9, "p50Ms": 1.0, "p99Ms": 2.0, "load": 1.0}
        runs = [dict(line, qps=1000, qpsMin=990, qpsMax=1010), dict(line, qps=1200, qpsMin=1190, qpsMax=1210, load=1.5),
                dict(line, qps=900, qpsMin=880, qpsMax=905, p50Ms=3.0)]
        other = dict(line, numCandidates=20, qps=500)
        combined = compare_knn.combine_runs(runs + [other])
        self.assertEqual(len(combined), 2)
        one = next(r for r in combined if r["numCandidates"] == 10)
        self.assertEqual((one["qps"], one["qpsMin"], one["qpsMax"], one["p50Ms"], one["runs"]),
                         (1000, 880, 1210, 1.0, 3))
        self.assertEqual((one["load"], one["loadMin"]), (1.5, 1.0))
        self.assertNotIn("runs", next(r for r in combined if r["numCandidates"] == 20))
        # another RAM buffer than the product's is another curve
        self.assertEqual(compare_knn.engine_name({"engine": "lucene", "vectors": "float32", "ramBufferMb": 1945.0}),
                         "lucene-float32-ram1945")
        self.assertEqual(compare_knn.engine_name({"engine": "lucene", "vectors": "int8", "ramBufferMb": 64.0}),
                         "lucene-int8")

    def test_filter_buckets_match_bench_knn(self):
        # BenchFilters.bucket(0, 1, 2, 3, 12345, 99999, 1000000) in Java
        b = knn_peers.buckets(1_000_001)
        self.assertEqual([int(b[i]) for i in (0, 1, 2, 3, 12345, 99999, 1_000_000)],
                         [0, 56558, 16019, 27756, 65686, 97852, 12399])
        shares = [(b[:100_000] < s * 100_000).mean() for s in (0.5, 0.1, 0.01)]
        for got, want in zip(shares, (0.5, 0.1, 0.01)):
            self.assertAlmostEqual(got, want, delta=want * 0.2)
        self.assertEqual(knn_peers.parse_filter("Folder:0.1"), ("folder:0.1", 0.1))
        self.assertEqual(knn_peers.parse_filter("none"), ("none", 1.0))
        with self.assertRaises(ValueError):
            knn_peers.parse_filter("colour:0.1")
        with self.assertRaises(ValueError):
            knn_peers.parse_filter("date:0")

    def test_subset_truth(self):
        rng = np.random.default_rng(3)
        base = rng.standard_normal((500, 8)).astype(np.float32)
        queries = rng.standard_normal((4, 8)).astype(np.float32)
        ids = np.flatnonzero(np.arange(500) % 7 == 0)
        truth = knn_peers.subset_truth(base, queries, ids, 5, chunk=16)
        for q in range(4):
            scores = base[ids] @ queries[q]
            np.testing.assert_array_equal(truth[q], ids[np.argsort(-scores)[:5]])

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

    def test_evict_cache(self):
        import evict_cache

        if evict_cache.cached_bytes([__file__]) is None:
            self.skipTest("no fincore")
        # beside the sources, not in /tmp: a tmpfs file is the cache and cannot be evicted
        with tempfile.TemporaryDirectory(dir=HERE) as d:
            path = os.path.join(d, "data")
            with open(path, "wb") as f:
                f.write(os.urandom(8 << 20))
            with open(path, "rb") as f:
                f.read()
            if evict_cache.cached_bytes([path]) < (4 << 20):
                self.skipTest("this filesystem does not keep written files in the page cache")
            result = subprocess.run([sys.executable, os.path.join(HERE, "evict_cache.py"), d], check=True,
                                    capture_output=True, text=True)
            self.assertIn("1 files, 8.0 MiB", result.stderr)
            self.assertLess(evict_cache.cached_bytes([path]), 1 << 20)
            self.assertEqual(run("evict_cache.py", "--count", d).strip(), "0 MiB")
            with self.assertRaises(subprocess.CalledProcessError):
                run("evict_cache.py", os.path.join(d, "missing"))

    def test_index_sizes(self):
        import index_sizes

        with tempfile.TemporaryDirectory() as d:
            index = os.path.join(d, "index")
            os.mkdir(index)
            # 1000 vectors: 2048 B float32 + 516 B int8 + 80 B graph + 20 B stored fields each
            for name, size in [("_0_Lucene99HnswVectorsFormat_0.vec", 2_048_000), ("_0_Lucene99ScalarQuantizedVectorsFormat_0.veq", 516_000),
                               ("_0_Lucene99HnswVectorsFormat_0.vex", 80_000), ("_0_Lucene99HnswVectorsFormat_0.vem", 1_000),
                               ("_0.fdt", 20_000), ("_0.si", 300), ("segments_2", 200)]:
                with open(os.path.join(index, name), "wb") as f:
                    f.write(b"\0" * size)
            by_group = index_sizes.sizes(index)
            self.assertEqual(by_group["float32 vectors"], 2_048_000)
            self.assertEqual(by_group["quantized vectors"], 516_000)
            self.assertEqual(by_group[index_sizes.OTHER], 500)
            # the walk scores the quantized copy, not the float32 vectors
            self.assertEqual(index_sizes.hot_set(by_group), 516_000 + 80_000 + 1_000)
            builds = []
            for n, seconds in [(100, 10.0), (1000, 200.0)]:
                path = os.path.join(d, f"build-{n}.jsonl")
                with open(path, "w") as f:
                    f.write(json.dumps({"n": n, "indexSeconds": seconds / 2, "mergeSeconds": seconds / 2, "vectors": "int8"}) + "\n")
                builds.append(path)
            out = run("index_sizes.py", "--index", index, "--vectors", "1000", "--project", "10000", "--build", *builds)
            self.assertIn("| quantized vectors | 516.0 | 0.0 GiB |", out)
            self.assertIn("| **hot set** (graph + scored vectors + vector metadata) | 597 |", out)
            # 200 s at 1000 -> 10 000: N log N gives 200 * 10 * log(10^4)/log(10^3) s; the fitted power is n^1.30
            self.assertIn(f"extrapolated by N log N from 1,000: {200 * 10 * 4 / 3 / 3600:.1f} h", out)
            self.assertIn("fitted power n^1.30", out)
            self.assertIn(f"{200 * 10 ** 1.30103 / 3600:.1f} h", out)
            self.assertAlmostEqual(index_sizes.power_fit([(100, 10.0, "", ""), (1000, 200.0, "", "")]), math.log10(20))
            with self.assertRaises(subprocess.CalledProcessError):
                run("index_sizes.py", "--index", os.path.join(d, "missing"), "--vectors", "1")

if __name__ == "__main__":
    unittest.main()
