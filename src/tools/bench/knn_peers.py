#!/usr/bin/python3
"""kNN peers for bench-knn: hnswlib and faiss HNSW with the same M / efConstruction, an ef sweep,
plus faiss IndexFlatIP as the exact reference, on the same fvecs files, single-threaded. Prints
the same JSON lines as `koclip-search bench-knn` (numCandidates = ef):

    {"numCandidates", "recall", "qps", "p50Ms", "p99Ms", "indexSeconds", "mergeSeconds", "indexBytes", "engine", ...}

    /usr/bin/python3 src/tools/bench/knn_peers.py --base target/bench/vectors/base.fvecs \
        --queries target/bench/vectors/queries.fvecs --truth target/bench/vectors/truth.ivecs > peers.jsonl

Queries run one at a time (a Python call per query, like a server handles one request) so that
p50/p99 are per-query latencies; the per-call Python overhead (~5-10 µs) is included and is small
next to the search itself. Builds use every core by default (faiss 1.7.3 builds 100k x 512 in about
10 minutes on one busy core); --build-threads 1 builds on one thread like Lucene's single indexing
thread, which is how docs/benchmarks.md compares build times (run_knn.sh passes it).
"""

import argparse
import json
import os
import sys
import tempfile
import time

# Single-threaded BLAS/OpenMP before numpy/faiss load.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecio import read_fvecs, read_ivecs  # noqa: E402


def recall(found, truth, k):
    hits = 0
    for f, t in zip(found, truth):
        hits += len(set(int(x) for x in f[:k]) & set(int(x) for x in t[:k]))
    return hits / (k * len(truth))


def timed_queries(search_one, queries):
    """Runs every query one at a time; returns (ids, seconds, latencies ms)."""
    ids = []
    lat = np.empty(len(queries))
    start = time.perf_counter()
    for i, q in enumerate(queries):
        t0 = time.perf_counter()
        ids.append(search_one(q))
        lat[i] = (time.perf_counter() - t0) * 1000
    return ids, time.perf_counter() - start, lat


def percentile(lat, p):
    # nearest rank, like the Java side
    s = np.sort(lat)
    rank = int(np.ceil(p / 100 * len(s)))
    return float(s[max(0, min(len(s) - 1, rank - 1))])


def line(engine, ef, found, truth, k, seconds, lat, index_seconds, index_bytes, extra):
    out = {
        "numCandidates": ef,
        "recall": round(recall(found, truth, k), 4),
        "qps": round(len(found) / seconds, 1),
        "p50Ms": round(percentile(lat, 50), 3),
        "p99Ms": round(percentile(lat, 99), 3),
        "indexSeconds": round(index_seconds, 2),
        "mergeSeconds": 0.0,
        "indexBytes": int(index_bytes),
        "engine": engine,
    }
    out.update(extra)
    out["load"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out), flush=True)


def exact_truth(base, queries, k):
    import faiss

    index = faiss.IndexFlatIP(base.shape[1])
    index.add(np.ascontiguousarray(base))
    _, ids = index.search(queries, k)
    return ids


def run_hnswlib(base, queries, truth, a, extra):
    import hnswlib

    n, d = base.shape
    index = hnswlib.Index(space="ip", dim=d)
    index.init_index(max_elements=n, M=a.m, ef_construction=a.ef_construction, random_seed=100)
    index.set_num_threads(a.build_threads)
    t0 = time.perf_counter()
    for start in range(0, n, 10_000):  # chunks: no full in-memory copy of a memory-mapped base
        index.add_items(np.ascontiguousarray(base[start : start + 10_000]), np.arange(start, min(n, start + 10_000)))
    index_seconds = time.perf_counter() - t0
    with tempfile.NamedTemporaryFile(suffix=".hnswlib") as f:
        index.save_index(f.name)
        index_bytes = os.path.getsize(f.name)
    index.set_num_threads(1)
    sweep(
        "hnswlib",
        lambda ef: index.set_ef(max(ef, a.k)),
        lambda q: index.knn_query(q, k=a.k)[0][0],
        queries,
        truth,
        a,
        index_seconds,
        index_bytes,
        extra,
    )
    del index


def run_faiss_hnsw(base, queries, truth, a, extra):
    import faiss

    faiss.omp_set_num_threads(a.build_threads)
    n, d = base.shape
    index = faiss.IndexHNSWFlat(d, a.m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = a.ef_construction
    t0 = time.perf_counter()
    for start in range(0, n, 10_000):
        index.add(np.ascontiguousarray(base[start : start + 10_000]))
    index_seconds = time.perf_counter() - t0
    index_bytes = faiss.serialize_index(index).nbytes
    faiss.omp_set_num_threads(1)

    def set_ef(ef):
        # faiss 1.7.3 ignores SearchParametersHNSW.efSearch passed to search(); the field works.
        index.hnsw.efSearch = max(ef, a.k)

    def search(q):
        return index.search(q.reshape(1, -1), a.k)[1][0]

    sweep("faiss-hnsw", set_ef, search, queries, truth, a, index_seconds, index_bytes, extra)
    del index


def run_faiss_flat(base, queries, truth, a, extra):
    import faiss

    faiss.omp_set_num_threads(1)
    n, d = base.shape
    index = faiss.IndexFlatIP(d)
    t0 = time.perf_counter()
    for start in range(0, n, 10_000):
        index.add(np.ascontiguousarray(base[start : start + 10_000]))
    index_seconds = time.perf_counter() - t0
    # Exact search is slow on a large base: time a subset of the queries.
    subset = queries[: a.flat_queries]
    search = lambda q: index.search(q.reshape(1, -1), a.k)[1][0]  # noqa: E731
    timed_queries(search, subset[: min(10, len(subset))])  # warm-up
    found, seconds, lat = timed_queries(search, subset)
    line("faiss-flat", n, found, truth[: len(subset)], a.k, seconds, lat, index_seconds, n * d * 4, extra)
    del index


def sweep(engine, set_ef, search, queries, truth, a, index_seconds, index_bytes, extra):
    set_ef(max(a.ef))
    timed_queries(search, queries)  # warm-up, not timed
    for ef in a.ef:
        set_ef(ef)
        found, seconds, lat = timed_queries(search, queries)
        line(engine, ef, found, truth, a.k, seconds, lat, index_seconds, index_bytes, extra)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--truth", help="ivecs; exact truth by faiss IndexFlatIP when absent")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16, help="HNSW M (Lucene's m)")
    p.add_argument("--ef-construction", type=int, default=100, help="HNSW efConstruction (Lucene's beam width)")
    p.add_argument("--ef", default="10,20,40,80,160,320", help="efSearch sweep (Lucene's numCandidates)")
    p.add_argument("--engines", default="hnswlib,faiss-hnsw,faiss-flat")
    p.add_argument("--build-threads", type=int, default=0, help="build threads; 0 = one per core (default)")
    p.add_argument("--flat-queries", type=int, default=200, help="queries timed on IndexFlatIP (default 200)")
    a = p.parse_args()
    a.ef = [int(x) for x in a.ef.split(",")]
    a.build_threads = a.build_threads or os.cpu_count()

    base = read_fvecs(a.base)
    queries = np.ascontiguousarray(read_fvecs(a.queries), dtype=np.float32)
    if a.truth:
        truth = read_ivecs(a.truth)
    else:
        t0 = time.perf_counter()
        truth = exact_truth(base, queries, a.k)
        print(f"exact truth in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    import faiss
    import hnswlib

    extra = {
        "k": a.k,
        "m": a.m,
        "beamWidth": a.ef_construction,
        "threads": 1,
        "n": int(base.shape[0]),
        "queries": int(queries.shape[0]),
        "dimension": int(base.shape[1]),
        "versions": f"hnswlib {getattr(hnswlib, '__version__', '?')}, faiss {faiss.__version__}",
    }
    runners = {"hnswlib": run_hnswlib, "faiss-hnsw": run_faiss_hnsw, "faiss-flat": run_faiss_flat}
    for engine in a.engines.split(","):
        print(f"{engine}: building ({base.shape[0]} x {base.shape[1]})", file=sys.stderr, flush=True)
        runners[engine](base, queries, truth, a, extra)


if __name__ == "__main__":
    main()
