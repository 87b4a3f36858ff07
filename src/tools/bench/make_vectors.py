#!/usr/bin/python3
"""Writes clustered unit vectors for the kNN benchmarks: base, queries and (optionally) exact truth.

On i.i.d. random vectors in 512-d every point is about equally far from every other, and HNSW
recall collapses for every engine; CLIP embeddings are nothing like that. Three distributions
(--distribution), so that no engine is judged on one shape of data only:

lowrank (the default, the data of the first benchmarks): a gaussian mixture with low intrinsic
dimension,

    x = normalize(centre[c] + sigma * W z + eps * g),   c ~ uniform(centres), z ~ N(0, I_r), g ~ N(0, I_d) / sqrt(d)

with `centres` unit centres, one shared random d×r map W (columns of norm 1/sqrt(r)), so each cluster
is spread along an r-dimensional subspace, plus a little isotropic noise.

isotropic: the same unit centres with full-dimensional isotropic noise,

    x = normalize(centre[c] + sigma * g),   g ~ N(0, I_d) / sqrt(d)   (sigma default 1: noise as long as the centre)

so each cluster is a 512-dimensional ball: the intrinsic dimension is high and neighbours are
harder to find for every graph index.

clip: closer to CLIP embeddings, which are neither isotropic nor centred. Trained contrastive
embeddings occupy a narrow cone (Liang et al., "Mind the Gap", NeurIPS 2022: the image embeddings of
CLIP share a common mean direction, random pairs have a cosine well above 0) and their covariance has
a decaying, power-law-like spectrum (a few directions carry most of the variance). So:

    x = normalize(cone * m + A n[c] + sigma * A z),   A = Q diag(lambda^(1/2)),  lambda_i ∝ 1 / i

with m one unit mean direction shared by all vectors, Q a random rotation, n[c], z ~ N(0, I_d), and
the centres A n[c] drawn from the same anisotropic law as the spread (semantic clusters live in the
dominant directions). The defaults (cone 1.0, sigma 0.6) give a mean cosine of random pairs of about
0.4-0.5 (printed), like CLIP ViT-B image embeddings.

Queries come from the same distribution and are not in the base. Truth (ivecs) is exact top-k by dot
product (= cosine).

    /usr/bin/python3 src/tools/bench/make_vectors.py --out target/bench/vectors --n 100000
    /usr/bin/python3 src/tools/bench/make_vectors.py --out target/bench/vectors-clip --n 100000 --distribution clip
    /usr/bin/python3 src/tools/bench/make_vectors.py --out target/bench/vectors-1m --n 1000000

writes base.fvecs, queries.fvecs, truth.ivecs (with --truth-k > 0).
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecio import VecsWriter, read_fvecs  # noqa: E402


DISTRIBUTIONS = ("lowrank", "isotropic", "clip")
# Per-distribution defaults of --sigma (spread of a cluster) where the flag is not given.
DEFAULT_SIGMA = {"lowrank": 0.8, "isotropic": 1.0, "clip": 0.6}


class Mixture:
    """One of DISTRIBUTIONS with its parameters drawn once from rng; sample() draws vectors."""

    def __init__(self, rng, distribution, dim, centres, rank, sigma, eps, cone):
        if distribution not in DISTRIBUTIONS:
            raise ValueError(f"--distribution: {distribution!r} is not one of {', '.join(DISTRIBUTIONS)}")
        self.distribution, self.sigma, self.eps, self.cone, self.dim = distribution, sigma, eps, cone, dim
        if distribution == "clip":
            q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
            lam = 1.0 / np.arange(1, dim + 1)
            lam /= lam.sum()  # E |A n|^2 = 1: centres and spread have unit expected length
            self.map = (q * np.sqrt(lam)).astype(np.float32)  # A = Q diag(sqrt(lambda)), [d, d]
            self.centres = rng.standard_normal((centres, dim), dtype=np.float32) @ self.map.T
            mean = rng.standard_normal(dim).astype(np.float32)
            self.mean = mean / np.linalg.norm(mean)
        else:
            # lowrank and isotropic: the draws of the first benchmarks, in the same order (same data for a seed)
            self.centres = rng.standard_normal((centres, dim), dtype=np.float32)
            self.centres /= np.linalg.norm(self.centres, axis=1, keepdims=True)
            self.map = rng.standard_normal((dim, rank), dtype=np.float32) / np.sqrt(dim)

    def sample(self, rng, n):
        d = self.dim
        labels = rng.integers(0, self.centres.shape[0], size=n)
        if self.distribution == "lowrank":
            z = rng.standard_normal((n, self.map.shape[1]), dtype=np.float32)
            x = self.centres[labels] + self.sigma * (z @ self.map.T)
            x += (self.eps / np.sqrt(d)) * rng.standard_normal((n, d), dtype=np.float32)
        elif self.distribution == "isotropic":
            x = self.centres[labels] + (self.sigma / np.sqrt(d)) * rng.standard_normal((n, d), dtype=np.float32)
        else:
            z = rng.standard_normal((n, d), dtype=np.float32)
            x = self.cone * self.mean + self.centres[labels] + self.sigma * (z @ self.map.T)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x.astype(np.float32)


def mean_pair_cosine(x, pairs=20000, seed=0):
    """Mean cosine of random pairs of rows (unit rows): about 0 for centred data, high in a cone."""
    r = np.random.default_rng(seed)
    i, j = r.integers(0, len(x), pairs), r.integers(0, len(x), pairs)
    keep = i != j
    return float(np.mean(np.sum(np.asarray(x)[i[keep]] * np.asarray(x)[j[keep]], axis=1)))


def exact_truth(base_path, queries, k, chunk=65536):
    """Top-k ids by dot product, streaming the base file in chunks."""
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
    p.add_argument("--distribution", default="lowrank", help="lowrank (default), isotropic or clip (see above)")
    p.add_argument("--sigma", type=float, help="spread of a cluster (default: lowrank 0.8, isotropic 1.0, clip 0.6)")
    p.add_argument("--eps", type=float, default=0.5, help="lowrank: isotropic noise (default 0.5)")
    p.add_argument("--cone", type=float, default=1.0, help="clip: weight of the common mean direction (default 1.0)")
    p.add_argument("--truth-k", type=int, default=100, help="truth neighbours per query; 0 = no truth file")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    sigma = a.sigma if a.sigma is not None else DEFAULT_SIGMA.get(a.distribution, 0.8)
    try:
        mixture = Mixture(rng, a.distribution, a.dim, a.centres, a.rank, sigma, a.eps, a.cone)
    except ValueError as e:
        p.error(str(e))
    base_path = os.path.join(a.out, "base.fvecs")
    with VecsWriter(base_path, np.float32) as w:
        for start in range(0, a.n, 50_000):
            w.write(mixture.sample(rng, min(50_000, a.n - start)))
    queries = mixture.sample(rng, a.queries)
    with VecsWriter(os.path.join(a.out, "queries.fvecs"), np.float32) as w:
        w.write(queries)
    print(
        f"wrote {a.n} base and {a.queries} query vectors ({a.dim}-d, {a.distribution}, sigma {sigma}) in"
        f" {time.time() - t0:.1f} s; mean cosine of random base pairs {mean_pair_cosine(read_fvecs(base_path)):.3f}",
        file=sys.stderr,
    )
    if a.truth_k > 0:
        t1 = time.time()
        truth = exact_truth(base_path, queries, min(a.truth_k, a.n))
        with VecsWriter(os.path.join(a.out, "truth.ivecs"), np.int32) as w:
            w.write(truth)
        print(f"wrote exact top-{truth.shape[1]} truth in {time.time() - t1:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
