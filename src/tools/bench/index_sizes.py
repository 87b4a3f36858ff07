#!/usr/bin/python3
"""Bytes per vector of a Lucene index by what the bytes are for, and what N vectors would need.

    /usr/bin/python3 src/tools/bench/index_sizes.py --index DIR --vectors N [--project 50000000]
        [--build FILE.jsonl ...]

Groups the index's files by Lucene file extension: raw float32 vectors (.vec), quantized vectors
(.veq scalar int8/int4, .veb binary), the HNSW graph (.vex), vector metadata, stored fields, doc
values, terms and postings, points, the rest. The hot set is what a warm query walks: the graph plus
the vectors the walk scores (the quantized copy when there is one, else the float32 vectors); a
quantized query then reads only its candidates' float32 vectors to rescore them.

--project M scales every group linearly to M vectors (the per-vector sizes do not depend on N but
for the graph's compressed neighbour lists, which change a little). --build takes bench-knn JSON lines
(indexSeconds + mergeSeconds, n, of the first line of each file) and extrapolates the build time to M
two ways, both printed as extrapolations: N log N from the largest build (HNSW inserts cost about
log N each), and a power law fitted through the builds when there are two or more.
"""
import argparse
import json
import math
import os
import sys

GROUPS = [
    ("float32 vectors", (".vec",)),
    ("quantized vectors", (".veq", ".veb")),
    ("HNSW graph", (".vex",)),
    ("vector metadata", (".vem", ".vemf", ".vemq", ".vemb")),
    ("stored fields", (".fdt", ".fdx", ".fdm")),
    ("doc values", (".dvd", ".dvm", ".dvs")),
    ("terms and postings", (".tim", ".tip", ".tmd", ".doc", ".pos", ".pay", ".psm")),
    ("points", (".kdd", ".kdi", ".kdm")),
    ("norms", (".nvd", ".nvm")),
    ("compound files", (".cfs", ".cfe")),
]
OTHER = "other (segment info, field infos, commit)"


def group_of(name: str) -> str:
    for label, extensions in GROUPS:
        if any(name.endswith(e) for e in extensions):
            return label
    return OTHER


def sizes(folder: str) -> dict:
    if not os.path.isdir(folder):
        raise SystemExit(f"index_sizes.py: {folder} is not a folder")
    out = {label: 0 for label, _ in GROUPS}
    out[OTHER] = 0
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            out[group_of(name)] += os.path.getsize(path)
    return out


def hot_set(by_group: dict) -> int:
    """Bytes a warm query walks: graph, vector metadata and the vectors the walk scores."""
    scored = by_group["quantized vectors"] or by_group["float32 vectors"]
    return scored + by_group["HNSW graph"] + by_group["vector metadata"]


def builds(paths):
    points = []
    for path in paths:
        with open(path) as f:
            first = json.loads(f.readline())
        seconds = first["indexSeconds"] + first["mergeSeconds"]
        if seconds <= 0:
            raise SystemExit(f"index_sizes.py: {path} reused an index (no build time in it)")
        points.append((first["n"], seconds, first.get("vectors", "?"), path))
    return sorted(points)


def power_fit(points):
    """Exponent b of seconds = a * n^b, least squares in log-log; None with fewer than two sizes."""
    xs = [math.log(n) for n, *_ in points]
    ys = [math.log(s) for _, s, *_ in points]
    if len(set(xs)) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return b


def gib(b: float) -> str:
    return f"{b / 2**30:.1f} GiB"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", required=True, help="a Lucene index folder")
    p.add_argument("--vectors", type=int, required=True, help="vectors in it")
    p.add_argument("--project", type=int, default=50_000_000, help="project to this many vectors (default 50M)")
    p.add_argument("--build", nargs="*", default=[], help="bench-knn JSON lines files that built an index")
    a = p.parse_args(argv)
    if a.vectors <= 0 or a.project <= 0:
        p.error("--vectors and --project must be positive")
    by_group = sizes(a.index)
    total = sum(by_group.values())
    scale = a.project / a.vectors
    print(f"{a.index}: {total} bytes for {a.vectors} vectors, {total / a.vectors:.0f} bytes per vector")
    print(f"| what | bytes per vector | at {a.project:,} vectors |")
    print("|---|---|---|")
    for label, b in by_group.items():
        if b:
            print(f"| {label} | {b / a.vectors:.1f} | {gib(b * scale)} |")
    hot = hot_set(by_group)
    print(f"| **total on disk** | {total / a.vectors:.0f} | {gib(total * scale)} |")
    print(f"| **hot set** (graph + scored vectors + vector metadata) | {hot / a.vectors:.0f} | {gib(hot * scale)} |")
    if by_group["compound files"]:
        print("note: compound files hide their parts; the hot set above leaves them out", file=sys.stderr)
    points = builds(a.build)
    if points:
        n, seconds, fmt, _ = points[-1]
        nlogn = seconds * (a.project * math.log(a.project)) / (n * math.log(n))
        print(f"build: {', '.join(f'{q:,} {f} {s:.0f} s' for q, s, f, _ in points)}")
        print(f"build of {a.project:,} extrapolated by N log N from {n:,}: {nlogn / 3600:.1f} h")
        b = power_fit(points)
        if b is not None:
            print(f"build of {a.project:,} extrapolated by the fitted power n^{b:.2f}: "
                  f"{seconds * (a.project / n) ** b / 3600:.1f} h")


if __name__ == "__main__":
    main()
