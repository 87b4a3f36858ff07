#!/usr/bin/python3
"""Writes clustered unit vectors for the kNN benchmarks: base, queries and (optionally) exact truth.

On i.i.d. random vectors in 512-d every point is about equally far from every other, and HNSW
recall collapses for every engine; CLIP embeddings are nothing like that. These vectors are a
gaussian mixture with low intrinsic dimension, closer to real embeddings:

    x = normalize(centre[c] + sigma * W z + eps * g),   c ~ uniform(centres), z ~ N(0, I_r), g ~ N(0, I_d) / sqrt(d)

with `centres` unit centres, one shared random d×r map W (columns of norm 1/sqrt(r)), so each cluster
is spread along an r-dimensional subspace, plus a little isotropic noise. Queries come from the
same distribution and are not in the base. Truth (ivecs) is exact top-k by dot product (= cosine).

    /usr/bin/python3 src/tools/bench/make_vectors.py --out target/bench/vectors --n 100000
    /usr/bin/python3 src/tools/bench/make_vectors.py --out target/bench/vectors-1m --n 1000000

writes base.fvecs, queries.fvecs, truth.ivecs (with --truth-k > 0).
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecio import VecsWriter  # noqa: E402


def sample(rng, n, centres, mixing, sigma, eps):
    d = centres.shape[1]
    labels = rng.integers(0, centres.shape[0], size=n)
    z = rng.standard_normal((n, mixing.shape[1]), dtype=np.float32)
    x = centres[labels] + sigma * (z @ mixing.T)
    x += (eps / np.sqrt(d)) * rng.standard_normal((n, d), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


def exact_truth(base_path, queries, k, chunk=65536):
    """Top-k ids by dot product, streaming the base file in chunks."""
    from vecio import read_fvecs

    base = read_fvecs(base_path)
    nq = queries.shape[0]
    best_s = np.full((nq, k), -np.inf, dtype=np.float32)
    best_i = np.zeros((nq, k), dtype=np.int64)
    for start in range(0, base.shape[0], chunk):
        block = np.asarray(base[start : start + chunk])
        scores = queries @ block.T  # [nq, chunk]
        kk = min(k, scores.shape[1])
        part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        s = np.take_along_axis(scores, part, axis=1)
        all_s = np.concatenate([best_s, s], axis=1)
        all_i = np.concatenate([best_i, part + start], axis=1)
        top = np.argpartition(-all_s, k - 1, axis=1)[:, :k]
        best_s = np.take_along_axis(all_s, top, axis=1)
        best_i = np.take_along_axis(all_i, top, axis=1)
    # sort each row by score descending, ties by id ascending
    rows = []
    for r in range(nq):
        o = sorted(range(k), key=lambda j: (-best_s[r, j], best_i[r, j]))
        rows.append(best_i[r, o])
    return np.array(rows, dtype=np.int32)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--n", type=int, default=100_000, help="base vectors (default 100000; 1000000 works)")
    p.add_argument("--queries", type=int, default=1000, help="query vectors (default 1000)")
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--centres", type=int, default=2000, help="mixture components (default 2000)")
    p.add_argument("--rank", type=int, default=24, help="intrinsic dimension of each cluster (default 24)")
    p.add_argument("--sigma", type=float, default=0.8, help="spread along the cluster subspace (default 0.8)")
    p.add_argument("--eps", type=float, default=0.5, help="isotropic noise (default 0.5)")
    p.add_argument("--truth-k", type=int, default=100, help="truth neighbours per query; 0 = no truth file")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    centres = rng.standard_normal((a.centres, a.dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    mixing = rng.standard_normal((a.dim, a.rank), dtype=np.float32) / np.sqrt(a.dim)
    base_path = os.path.join(a.out, "base.fvecs")
    with VecsWriter(base_path, np.float32) as w:
        for start in range(0, a.n, 50_000):
            w.write(sample(rng, min(50_000, a.n - start), centres, mixing, a.sigma, a.eps))
    queries = sample(rng, a.queries, centres, mixing, a.sigma, a.eps)
    with VecsWriter(os.path.join(a.out, "queries.fvecs"), np.float32) as w:
        w.write(queries)
    print(f"wrote {a.n} base and {a.queries} query vectors ({a.dim}-d) in {time.time() - t0:.1f} s", file=sys.stderr)
    if a.truth_k > 0:
        t1 = time.time()
        truth = exact_truth(base_path, queries, min(a.truth_k, a.n))
        with VecsWriter(os.path.join(a.out, "truth.ivecs"), np.int32) as w:
            w.write(truth)
        print(f"wrote exact top-{truth.shape[1]} truth in {time.time() - t1:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
