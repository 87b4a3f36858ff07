#!/usr/bin/python3
"""kNN peers for bench-knn: hnswlib and faiss HNSW with the same M / efConstruction, an ef sweep,
plus faiss IndexFlatIP as the exact reference, on the same fvecs files, single-threaded. Prints
the same JSON lines as `koclip-search bench-knn` (numCandidates = ef):

    {"numCandidates", "recall", "qps", "p50Ms", "p99Ms", "indexSeconds", "mergeSeconds", "indexBytes", "engine", ...}

    /usr/bin/python3 src/tools/bench/knn_peers.py --base target/bench/vectors/base.fvecs \
        --queries target/bench/vectors/queries.fvecs --truth target/bench/vectors/truth.ivecs > peers.jsonl

Method, like bench-knn: an untimed warm-up pass over every ef of the sweep, then --repeat timed
rounds interleaved (round 1 of every setting, then round 2, ...); "qps" is the median over the rounds,
"qpsMin"/"qpsMax" the extremes, p50/p99 the medians of the rounds' percentiles, "loadAtStart" and
"load" the one-minute load average when the sweep started and when the line was printed.

Filters (--filters none,folder:0.1,date:0.01,...) select the same base ids as bench-knn's (the same
bucket hash of the ordinal, BenchFilters.java): faiss-hnsw searches with an IDSelector (faiss's
filtered HNSW search), faiss-flat is the exact search on the subset, and hnswlib uses its `filter`
callback when the installed hnswlib has one (0.7+; Debian 12 ships 0.6.2, which has none: its
filtered lines are then skipped with a note on stderr). Recall is against the exact top k of the subset.

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


BUCKETS = 100_000


def buckets(n):
    """bench-knn's bucket of every base ordinal 0..n-1 (BenchFilters.bucket: murmur3's finalizer, floorMod)."""
    h = np.arange(n, dtype=np.uint32) * np.uint32(0x9E3779B9)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return np.mod(h.view(np.int32).astype(np.int64), BUCKETS)


def parse_filter(spec):
    """(label, selectivity) of none or KIND:SELECTIVITY; every kind selects the ids whose bucket is below."""
    spec = spec.strip().lower()
    if spec == "none":
        return "none", 1.0
    kind, _, value = spec.partition(":")
    if kind not in ("folder", "format", "date") or not value:
        raise ValueError(f"--filters: {spec!r} is not none or folder|format|date:SELECTIVITY")
    s = float(value)
    if not 0 < s <= 1:
        raise ValueError(f"--filters: selectivity {s} in {spec!r} is not in (0, 1]")
    return f"{kind}:{s}", s


def subset_truth(base, queries, ids, k, chunk=65536):
    """Exact top-k among base rows `ids` (sorted), by dot product; rows of base ids, best first."""
    best = []
    scores_all = []
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        scores_all.append(queries @ np.asarray(base[part]).T)
    scores = np.concatenate(scores_all, axis=1)
    kk = min(k, len(ids))
    for row in scores:
        top = np.argpartition(-row, kk - 1)[:kk]
        top = top[np.lexsort((ids[top], -row[top]))]
        best.append(ids[top])
    return np.array(best)


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


def line(engine, ef, found, truth, k, rounds, index_seconds, index_bytes, extra, filt=("none", 1.0), matching=None):
    """rounds: [(seconds, latencies ms)] of the timed rounds of one setting."""
    qps = sorted(len(found) / seconds for seconds, _ in rounds)
    out = {
        "numCandidates": ef,
        "recall": round(recall(found, truth, k), 4),
        "qps": round(float(np.median(qps)), 1),
        "qpsMin": round(qps[0], 1),
        "qpsMax": round(qps[-1], 1),
        "rounds": len(rounds),
        "p50Ms": round(float(np.median([percentile(lat, 50) for _, lat in rounds])), 3),
        "p99Ms": round(float(np.median([percentile(lat, 99) for _, lat in rounds])), 3),
        "indexSeconds": round(index_seconds, 2),
        "mergeSeconds": 0.0,
        "indexBytes": int(index_bytes),
        "engine": engine,
    }
    out["filter"], out["selectivity"] = filt
    out["matching"] = int(matching if matching is not None else extra["n"])
    out.update(extra)
    out["load"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out), flush=True)


def exact_truth(base, queries, k):
    import faiss

    index = faiss.IndexFlatIP(base.shape[1])
    index.add(np.ascontiguousarray(base))
    _, ids = index.search(queries, k)
    return ids


def hnswlib_graph_shape(path):
    """Levels and level-0 out-degrees (mean, max) of an index hnswlib saved (hnswalg.h saveIndex: a
    96-byte header, then per element on level 0 a 4-byte link count, maxM0 links, the vector, the
    label) -- the figures bench-knn prints for Lucene's graph as graphLevels / graphDegree0."""
    header = np.fromfile(path, dtype=np.uint8, count=96)
    size_t = header.view(np.uint64)
    offset_level0, _, count, per_element = (int(v) for v in size_t[:4])
    max_level = int(header[48:52].view(np.int32)[0])
    max_m0 = int(size_t[8])  # header bytes 64-72
    if count == 0:
        return {"graphLevels": max_level + 1, "graphDegree0": 0.0, "graphMaxDegree0": 0}
    level0 = np.memmap(path, dtype=np.uint8, mode="r", offset=96, shape=(count, per_element))
    degrees = level0[:, offset_level0:offset_level0 + 2].copy().view(np.uint16).ravel()  # low 16 bits
    if degrees.max() > max_m0:
        raise ValueError(f"{path}: a level-0 link count above maxM0 {max_m0}: not an hnswlib 0.6 index file")
    return {"graphLevels": max_level + 1, "graphDegree0": round(float(degrees.mean()), 2),
            "graphMaxDegree0": int(degrees.max())}


def run_hnswlib(base, queries, truth, a, extra):
    import hnswlib

    n, d = base.shape
    index = hnswlib.Index(space="ip", dim=d)
    kept = a.hnswlib_index
    if kept and os.path.exists(kept):
        # an index an earlier run built from the same base: sweeps alternated with Lucene's share one graph
        index.load_index(kept, max_elements=n)
        if index.get_current_count() != n or index.dim != d or index.M != a.m or index.ef_construction != a.ef_construction:
            sys.exit(f"knn_peers.py: --hnswlib-index {kept} holds {index.get_current_count()} x {index.dim}"
                     f" (M {index.M}, efConstruction {index.ef_construction}), not the base's {n} x {d}"
                     f" (M {a.m}, efConstruction {a.ef_construction}): delete it to rebuild")
        index_seconds = 0.0
        print(f"hnswlib: reusing {kept}", file=sys.stderr, flush=True)
    else:
        index.init_index(max_elements=n, M=a.m, ef_construction=a.ef_construction, random_seed=100)
        index.set_num_threads(a.build_threads)
        t0 = time.perf_counter()
        for start in range(0, n, 10_000):  # chunks: no full in-memory copy of a memory-mapped base
            index.add_items(np.ascontiguousarray(base[start : start + 10_000]), np.arange(start, min(n, start + 10_000)))
        index_seconds = time.perf_counter() - t0
        if kept:
            index.save_index(kept)
    # size and graph shape from the saved file (a temporary one when the index is not kept)
    with tempfile.NamedTemporaryFile(suffix=".hnswlib") as f:
        saved = kept or f.name
        if not kept:
            index.save_index(saved)
        index_bytes = os.path.getsize(saved)
        shape = hnswlib_graph_shape(saved)
    index.set_num_threads(1)
    has_filter = "filter" in (index.knn_query.__doc__ or "")

    def search(q, allowed):
        if allowed is None:
            return index.knn_query(q, k=a.k)[0][0]
        return index.knn_query(q, k=min(a.k, allowed.count), filter=allowed.test)[0][0]

    def can_filter(label):
        if not has_filter:
            print(f"hnswlib {getattr(hnswlib, '__version__', '?')}: no filter callback (0.7+), {label} skipped",
                  file=sys.stderr)
        return has_filter

    print(f"hnswlib: graph of {n} nodes, {shape['graphLevels']} levels, level-0 out-degree mean"
          f" {shape['graphDegree0']}, max {shape['graphMaxDegree0']}", file=sys.stderr, flush=True)
    sweep("hnswlib", lambda ef: index.set_ef(max(ef, a.k)), search, queries, truth, a, index_seconds, index_bytes,
          dict(extra, **shape), can_filter)
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

    def search(q, allowed):
        if allowed is None:
            return index.search(q.reshape(1, -1), a.k)[1][0]
        params = faiss.SearchParametersHNSW()
        params.sel = allowed.selector
        params.efSearch = index.hnsw.efSearch
        return index.search(q.reshape(1, -1), a.k, params=params)[1][0]

    sweep("faiss-hnsw", set_ef, search, queries, truth, a, index_seconds, index_bytes, extra, lambda label: True)
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
    for filt, allowed, expected in filter_sets(base, queries, truth, a):
        if allowed is None:
            search = lambda q: index.search(q.reshape(1, -1), a.k)[1][0]  # noqa: E731
        else:
            params = faiss.SearchParameters()
            params.sel = allowed.selector
            search = lambda q, p=params: index.search(q.reshape(1, -1), a.k, params=p)[1][0]  # noqa: E731
        timed_queries(search, subset[: min(10, len(subset))])  # warm-up
        rounds, found = [], None
        for _ in range(a.repeat):
            found, seconds, lat = timed_queries(search, subset)
            rounds.append((seconds, lat))
        line("faiss-flat", n, found, expected[: len(subset)], a.k, rounds, index_seconds, n * d * 4, extra, filt,
             allowed.count if allowed else n)
    del index


class Allowed:
    """The base ids a filter selects: a sorted id array, a test for hnswlib and a faiss IDSelector."""

    def __init__(self, mask):
        import faiss

        self.mask = mask
        self.ids = np.flatnonzero(mask).astype(np.int64)
        self.count = len(self.ids)
        self.selector = faiss.IDSelectorBatch(self.count, faiss.swig_ptr(self.ids))
        self.test = lambda label: bool(mask[label])


def filter_sets(base, queries, truth, a):
    """(filter (label, selectivity), Allowed or None, truth) for each --filters entry; truths per selectivity."""
    out, truths, allowed = [], {1.0: truth}, {}
    b = buckets(base.shape[0]) if any(s < 1.0 for _, s in a.filters) else None
    for label, s in a.filters:
        if label == "none":
            out.append(((label, s), None, truth))
            continue
        if s not in allowed:
            allowed[s] = Allowed(b < round(s * BUCKETS))
            truths[s] = subset_truth(base, queries, allowed[s].ids, a.k)
        out.append(((label, s), allowed[s], truths[s]))
    return out


def sweep(engine, set_ef, search, queries, truth, a, index_seconds, index_bytes, extra, can_filter):
    """Warm-up over every setting, then --repeat interleaved timed rounds; one line per filter and ef."""
    sets = [f for f in filter_sets(extra["base"], queries, truth, a) if f[1] is None or can_filter(f[0][0])]
    for _, allowed, _ in sets:  # warm-up, not timed
        for ef in a.ef:
            set_ef(ef)
            timed_queries(lambda q: search(q, allowed), queries[: max(50, len(queries) // 4)])
    rounds, found = {}, {}
    for _ in range(a.repeat):
        for filt, allowed, _ in sets:
            for ef in a.ef:
                set_ef(ef)
                ids, seconds, lat = timed_queries(lambda q: search(q, allowed), queries)
                found[(filt, ef)] = ids
                rounds.setdefault((filt, ef), []).append((seconds, lat))
    base_extra = {key: v for key, v in extra.items() if key != "base"}
    for filt, allowed, expected in sets:
        for ef in a.ef:
            line(engine, ef, found[(filt, ef)], expected, a.k, rounds[(filt, ef)], index_seconds, index_bytes,
                 base_extra, filt, allowed.count if allowed else None)


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
    p.add_argument("--repeat", type=int, default=3, help="timed rounds per setting, interleaved (default 3)")
    p.add_argument("--hnswlib-index", metavar="FILE",
                   help="keep hnswlib's index in FILE: built and saved there when absent, loaded (indexSeconds 0)"
                        " when an earlier run saved it from the same base, so that repeated sweeps, alternated"
                        " with bench-knn --reuse, query one graph")
    p.add_argument("--filters", default="none", help="none,folder:0.1,format:0.01,date:0.5,... (default none)")
    a = p.parse_args()
    a.ef = [int(x) for x in a.ef.split(",")]
    if a.repeat < 1:
        p.error(f"--repeat: {a.repeat} must be >= 1")
    try:
        a.filters = [parse_filter(f) for f in a.filters.split(",")]
    except ValueError as e:
        p.error(str(e))
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
        "loadAtStart": round(os.getloadavg()[0], 2),
    }
    extra_with_base = dict(extra, base=base)
    runners = {"hnswlib": run_hnswlib, "faiss-hnsw": run_faiss_hnsw, "faiss-flat": run_faiss_flat}
    for engine in a.engines.split(","):
        print(f"{engine}: building ({base.shape[0]} x {base.shape[1]})", file=sys.stderr, flush=True)
        runners[engine](base, queries, truth, a, extra_with_base if engine != "faiss-flat" else extra)


if __name__ == "__main__":
    main()
