#!/usr/bin/python3
"""Compares bench-knn and knn_peers.py JSON lines: QPS of each engine at recall@k 0.90, 0.95 and 0.99,
and the ratios Lucene / hnswlib and Lucene / faiss-HNSW at equal recall. Prints Markdown tables.

    /usr/bin/python3 src/tools/bench/compare_knn.py lucene.jsonl peers.jsonl [--targets 0.9,0.95,0.99]

Curves are per engine, filter and thread count (lines of different filters or threads are never
mixed). For each curve and target: "cheapest" is the fastest measured setting whose recall reaches
the target; "interpolated" is the QPS where the recall-vs-QPS curve (settings in numCandidates order)
crosses the target, linear between the two measured settings around it: every engine is read at
the same recall, none at the recall its nearest setting happens to give. The interpolation is done
on the median QPS and on the min and max over the rounds (when the lines have qpsMin/qpsMax), and
the ratio's range is Lucene's min over the peer's max to Lucene's max over the peer's min. A target
below the curve's first setting is not extrapolated ("below sweep": the ratio is n/a), nor one
above its best recall ("not reached").

Lines of one engine at one setting from several runs (alternate_knn.sh queries the same kept graphs
in turn: Lucene, hnswlib, Lucene, ...) are combined into one: QPS the median of the runs' QPS,
qpsMin/qpsMax the extremes over every run's rounds, p50/p99 the medians, recall the mean (the same
graph gives the same recall on every run), "runs" how many were combined. A Lucene index built with
another RAM buffer than the product's (bench-knn --ram-buffer-mb) is its own engine, lucene-FORMAT-ramMB;
lines with a "label" (alternate_knn.sh: the index folder) are lucene-FORMAT-LABEL.
"""

import argparse
import json
import statistics
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


PRODUCT_RAM_BUFFER_MB = 64


def engine_name(r):
    if r.get("engine") == "lucene":
        name = f"lucene-{r.get('vectors', 'float32')}"
        if r.get("label"):  # alternate_knn.sh: the index folder
            return f"{name}-{r['label']}"
        ram = r.get("ramBufferMb", PRODUCT_RAM_BUFFER_MB)
        return name if ram == PRODUCT_RAM_BUFFER_MB else f"{name}-ram{ram:g}"
    return r["engine"]


def combine_runs(rows):
    """One line per engine, filter, threads and setting: lines repeated by several runs combined."""
    groups = {}
    for r in rows:
        groups.setdefault(curve_key(r) + (r["numCandidates"],), []).append(r)
    combined = []
    for same in groups.values():
        if len(same) == 1:
            combined.append(same[0])
            continue
        r = dict(same[0])
        r["qps"] = round(statistics.median(x["qps"] for x in same), 1)
        r["qpsMin"] = min(x.get("qpsMin", x["qps"]) for x in same)
        r["qpsMax"] = max(x.get("qpsMax", x["qps"]) for x in same)
        for key in ("p50Ms", "p99Ms"):
            r[key] = round(statistics.median(x[key] for x in same), 3)
        r["recall"] = round(sum(x["recall"] for x in same) / len(same), 4)
        loads = [x["load"] for x in same if "load" in x]
        if loads:
            r["load"] = max(loads)
            r["loadMin"] = min(loads)
        r["runs"] = len(same)
        combined.append(r)
    return combined


def interpolate(curve, target, key="qps"):
    """The value of `key` where the recall curve (numCandidates order) first reaches target, linear
    between the settings around it; None when not reached or when already reached at the first
    setting with recall above target (no extrapolation below the sweep)."""
    curve = sorted(curve, key=lambda r: r["numCandidates"])
    for prev, cur in zip([None] + curve[:-1], curve):
        if cur["recall"] >= target:
            if prev is None:
                return cur.get(key, cur["qps"]) if cur["recall"] == target else None
            if prev["recall"] >= target:  # recall fell back below on the way (noise): use this point
                return cur.get(key, cur["qps"])
            f = (target - prev["recall"]) / (cur["recall"] - prev["recall"])
            a, b = prev.get(key, prev["qps"]), cur.get(key, cur["qps"])
            return a + f * (b - a)
    return None


def at_target(curve, target):
    """(cheapest setting, interpolated qps) where recall reaches target (either may be None)."""
    reaching = [r for r in curve if r["recall"] >= target]
    cheapest = max(reaching, key=lambda r: r["qps"]) if reaching else None
    return cheapest, interpolate(curve, target)


def curve_key(r):
    return (engine_name(r), r.get("filter", "none"), r.get("threads", 1))


def fmt(v):
    return "" if v is None else f"{v:.0f}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+")
    p.add_argument("--targets", default="0.9,0.95,0.99")
    a = p.parse_args()
    targets = [float(t) for t in a.targets.split(",")]
    every = load(a.files)
    rows = combine_runs([r for r in every if r.get("engine") != "faiss-flat"])
    flat = [r for r in every if r.get("engine") == "faiss-flat"]
    curves = {}
    for r in rows:
        curves.setdefault(curve_key(r), []).append(r)

    results = {}
    print(
        "| engine | filter | threads | n | recall target | cheapest setting (numCandidates/ef) | its recall | its QPS"
        " | its p50 ms | its p99 ms | interpolated QPS (min-max) | load | build s (+ merge s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (name, filt, threads), curve in curves.items():
        loads = [r["load"] for r in curve if "load" in r] + [r["loadMin"] for r in curve if "loadMin" in r]
        load_range = f"{min(loads)}-{max(loads)}" if loads else ""
        for t in targets:
            cheapest, interp = at_target(curve, t)
            lo, hi = interpolate(curve, t, "qpsMin"), interpolate(curve, t, "qpsMax")
            results[(name, filt, threads, t)] = (interp, lo, hi)
            if cheapest is None:
                best = max(r["recall"] for r in curve)
                print(f"| {name} | {filt} | {threads} | {curve[0]['n']} | {t} | not reached (best recall {best}) "
                      f"| | | | | | {load_range} | |")
                continue
            build = f"{cheapest['indexSeconds']}" + (f" + {cheapest['mergeSeconds']}" if cheapest.get("mergeSeconds") else "")
            spread = f" ({fmt(lo)}-{fmt(hi)})" if lo is not None and hi is not None else ""
            print(
                f"| {name} | {filt} | {threads} | {cheapest['n']} | {t} | {cheapest['numCandidates']} | {cheapest['recall']} "
                f"| {cheapest['qps']} | {cheapest['p50Ms']} | {cheapest['p99Ms']} "
                f"| {fmt(interp) if interp is not None else 'below sweep'}{spread} | {load_range} | {build} |"
            )
    for r in flat:
        print(f"| faiss-flat (exact) | {r.get('filter', 'none')} | 1 | {r['n']} | 1.0 | - | {r['recall']} | {r['qps']} "
              f"| {r['p50Ms']} | {r['p99Ms']} | | {r.get('load', '')} | {r['indexSeconds']} |")
    print()
    print("| ratio at equal recall (interpolated QPS, range over rounds) | filter | threads | "
          + " | ".join(f"recall {t}" for t in targets) + " |")
    print("|---|---|---|" + "---|" * len(targets))
    for (lucene, filt, threads) in [key for key in curves if key[0].startswith("lucene")]:
        for peer in ("hnswlib", "faiss-hnsw"):
            if (peer, filt, threads) not in curves:
                continue
            cells = []
            for t in targets:
                lv, llo, lhi = results.get((lucene, filt, threads, t), (None, None, None))
                pv, plo, phi = results.get((peer, filt, threads, t), (None, None, None))
                if lv and pv:
                    cell = f"{lv / pv:.2f}"
                    if llo and lhi and plo and phi:
                        cell += f" ({llo / phi:.2f}-{lhi / plo:.2f})"
                    cells.append(cell)
                else:
                    cells.append("n/a")
            print(f"| {lucene} / {peer} | {filt} | {threads} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
