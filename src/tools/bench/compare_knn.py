#!/usr/bin/python3
"""Compares bench-knn and knn_peers.py JSON lines: QPS of each engine at recall@k >= 0.95 and 0.99,
and the ratios Lucene / hnswlib and Lucene / faiss-HNSW. Prints a Markdown table.

    /usr/bin/python3 src/tools/bench/compare_knn.py lucene.jsonl peers.jsonl [--targets 0.95,0.99]

For each engine and target: "cheapest" is the fastest measured setting whose recall reaches the
target; "interpolated" is the QPS where the recall-vs-QPS curve (settings in numCandidates order)
crosses the target, linear between the two measured settings around it. Ratios use the
interpolated value when both engines have one, else the cheapest.
"""

import argparse
import json
import sys


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    rows.append(json.loads(line))
    return rows


def engine_name(r):
    if r.get("engine") == "lucene":
        return f"lucene-{r.get('vectors', 'float32')}"
    return r["engine"]


def at_target(curve, target):
    """(cheapest setting, interpolated qps) where recall reaches target, or (None, None)."""
    reaching = [r for r in curve if r["recall"] >= target]
    cheapest = max(reaching, key=lambda r: r["qps"]) if reaching else None
    interpolated = None
    curve = sorted(curve, key=lambda r: r["numCandidates"])
    for prev, cur in zip([None] + curve[:-1], curve):
        if cur["recall"] >= target:
            if prev is None or prev["recall"] >= target:
                interpolated = cur["qps"]
            else:
                f = (target - prev["recall"]) / (cur["recall"] - prev["recall"])
                interpolated = prev["qps"] + f * (cur["qps"] - prev["qps"])
            break
    return cheapest, interpolated


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+")
    p.add_argument("--targets", default="0.95,0.99")
    a = p.parse_args()
    targets = [float(t) for t in a.targets.split(",")]
    rows = [r for r in load(a.files) if r.get("engine") != "faiss-flat"]
    flat = [r for r in load(a.files) if r.get("engine") == "faiss-flat"]
    curves = {}
    for r in rows:
        curves.setdefault(engine_name(r), []).append(r)

    results = {}
    print("| engine | n | recall target | cheapest setting (numCandidates/ef) | its recall | its QPS | its p50 ms | its p99 ms | interpolated QPS | build s (+ merge s) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, curve in curves.items():
        for t in targets:
            cheapest, interp = at_target(curve, t)
            results[(name, t)] = interp if interp is not None else (cheapest["qps"] if cheapest else None)
            if cheapest is None:
                print(f"| {name} | {curve[0]['n']} | {t} | not reached (best recall {max(r['recall'] for r in curve)}) | | | | | | |")
                continue
            build = f"{cheapest['indexSeconds']}" + (f" + {cheapest['mergeSeconds']}" if cheapest.get("mergeSeconds") else "")
            print(
                f"| {name} | {cheapest['n']} | {t} | {cheapest['numCandidates']} | {cheapest['recall']} | {cheapest['qps']} "
                f"| {cheapest['p50Ms']} | {cheapest['p99Ms']} | {interp:.0f} | {build} |"
            )
    for r in flat:
        print(f"| faiss-flat (exact) | {r['n']} | 1.0 | - | {r['recall']} | {r['qps']} | {r['p50Ms']} | {r['p99Ms']} | | {r['indexSeconds']} |")
    print()
    print("| ratio (interpolated QPS) | " + " | ".join(f"recall ≥ {t}" for t in targets) + " |")
    print("|---|" + "---|" * len(targets))
    lucenes = [n for n in curves if n.startswith("lucene")]
    for lucene in lucenes:
        for peer in ("hnswlib", "faiss-hnsw"):
            if peer not in curves:
                continue
            cells = []
            for t in targets:
                lv, pv = results.get((lucene, t)), results.get((peer, t))
                cells.append(f"{lv / pv:.2f}" if lv and pv else "n/a")
            print(f"| {lucene} / {peer} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
