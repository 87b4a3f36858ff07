#!/usr/bin/env python3
"""Checks a soak.sh run and draws it: latency p50/p99 per slice, RSS and heap over time (SVG, by hand).

Reads OUT/slices.jsonl, OUT/samples.csv and OUT/jobs.json; writes OUT/summary.json and OUT/soak.svg.
Checks (exit 1 if any fails): no 5xx other than 503; every 429/503 has Retry-After; no socket errors
or timeouts in the mix slices; RSS growth after warm-up within the bound; descriptor growth within the
bound; the admin jobs succeeded; the server stopped within 120 s of SIGTERM.

Warm-up is the first 30 % of the samples (model loading, JIT, the first caches and the first ingest).
RSS growth is the median of the last 20 % of the samples minus the median of the 30-50 % window, over
the samples of the mixed load and those after the overload slice (which holds 64 connections open);
descriptors are counted without sockets (sockets are plotted).

When the samples carry the committed Java heap (soak.sh samples jvm.memory.committed), the bound applies
to the RSS outside it (RSS minus committed heap: ONNX Runtime's native memory, mapped index files,
metaspace, threads), where a native leak shows: the committed heap only grows up to -Xmx and G1 keeps
what it once committed, so a one-time peak (a reindex beside the traffic) steps the RSS up without any
leak. Both growths are reported.
"""
import argparse
import csv
import json
import statistics
import sys
from pathlib import Path


def load(out):
    slices = [json.loads(line) for line in (out / "slices.jsonl").read_text().splitlines() if line.strip()]
    with open(out / "samples.csv") as f:
        samples = [row for row in csv.DictReader(f) if row["rssKiB"]]
    jobs = []
    if (out / "jobs.json").exists():
        try:
            jobs = json.loads((out / "jobs.json").read_text() or "[]")
        except json.JSONDecodeError:
            jobs = []
    return slices, samples, jobs


def window(values, lo, hi):
    n = len(values)
    part = values[int(n * lo):max(int(n * hi), int(n * lo) + 1)]
    return statistics.median(part) if part else float("nan")


def memory_windows(samples, width):
    """Mean RSS, heap in use, committed heap and RSS outside it (MiB) and the most descriptors, per window."""
    windows = {}
    for r in samples:
        windows.setdefault(int(float(r["t"]) // width), []).append(r)

    def mean(rows, key, scale):
        values = [float(r[key]) / scale for r in rows if r.get(key)]
        return round(statistics.mean(values)) if values else None

    out = []
    for k in sorted(windows):
        rows = windows[k]
        w = {"fromS": k * width, "toS": (k + 1) * width, "rssMiB": mean(rows, "rssKiB", 1024),
             "heapUsedMiB": mean(rows, "heapBytes", 2**20), "heapCommittedMiB": mean(rows, "heapCommittedBytes", 2**20),
             "fdsMax": max(int(r["fds"]) for r in rows)}
        paired = [float(r["rssKiB"]) / 1024 - float(r["heapCommittedBytes"]) / 2**20
                  for r in rows if r.get("heapCommittedBytes")]
        w["outsideHeapMiB"] = round(statistics.mean(paired)) if paired else None
        out.append(w)
    return out


def polyline(points, x0, y0, w, h, xmax, ymax, colour, dash=""):
    if not points:
        return ""
    coords = " ".join(f"{x0 + w * x / xmax:.1f},{y0 + h - h * y / ymax:.1f}" for x, y in points)
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline fill="none" stroke="{colour}" stroke-width="2"{extra} points="{coords}"/>\n'


def panel(title, series, x0, y0, w, h, xmax, unit, events):
    ymax = max([y for _, pts, _, _ in series for _, y in pts] + [1e-9]) * 1.15
    svg = f'<text x="{x0}" y="{y0 - 8}" font-size="14" font-weight="bold">{title}</text>\n'
    svg += f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#999"/>\n'
    for i in range(5):
        v = ymax * i / 4
        y = y0 + h - h * i / 4
        svg += f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="#eee"/>'
        svg += f'<text x="{x0 - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{v:.0f}</text>\n'
    for i in range(6):
        x = x0 + w * i / 5
        svg += f'<text x="{x:.1f}" y="{y0 + h + 16}" font-size="11" text-anchor="middle">{xmax * i / 5:.0f}</text>\n'
    svg += f'<text x="{x0 + w / 2}" y="{y0 + h + 32}" font-size="11" text-anchor="middle">seconds</text>\n'
    svg += f'<text x="{x0 - 44}" y="{y0 + h / 2}" font-size="11" transform="rotate(-90 {x0 - 44} {y0 + h / 2})" text-anchor="middle">{unit}</text>\n'
    for t, name in events:
        x = x0 + w * t / xmax
        svg += f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + h}" stroke="#888" stroke-dasharray="4 3"/>'
        svg += f'<text x="{x + 3:.1f}" y="{y0 + 12}" font-size="10" fill="#555">{name}</text>\n'
    ly = y0 + 16
    for name, pts, colour, dash in series:
        svg += polyline(pts, x0, y0, w, h, xmax, ymax, colour, dash)
        svg += f'<line x1="{x0 + w - 150}" y1="{ly - 4}" x2="{x0 + w - 130}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>'
        svg += f'<text x="{x0 + w - 125}" y="{ly}" font-size="11">{name}</text>\n'
        ly += 15
    return svg


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--label", default="soak")
    p.add_argument("--rss-bound-mib", type=float, default=160)
    p.add_argument("--fd-bound", type=int, default=20)
    p.add_argument("--stop-seconds", type=int, default=0)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--window-seconds", type=float, default=300,
                   help="width of the per-window memory means in summary.json (default 300)")
    a = p.parse_args()
    slices, samples, jobs = load(a.out)
    problems = []
    statuses = {}
    retry_missing = 0
    for s in slices:
        retry_missing += s["retryAfterMissing"]
        for key, n in s["status"].items():
            code = key.split(":")[-1]
            statuses.setdefault(s["kind"], {}).setdefault(key if s["kind"] == "mix" else code, 0)
            statuses[s["kind"]][key if s["kind"] == "mix" else code] += n
            if code.startswith("5") and code != "503":
                problems.append(f"slice {s['slice']}: {n} answers {key}")
        if s["kind"] == "mix" and (s["socketErrors"] or s["timeouts"]):
            problems.append(f"slice {s['slice']}: {s['socketErrors']} socket errors, {s['timeouts']} timeouts")
    if retry_missing:
        problems.append(f"{retry_missing} answers 429/503 without Retry-After")
    # Growth is judged on the mixed load (up to mix-end) and on the samples after the overload ended;
    # the overload slice itself holds its 64 connections open and is left out.
    mix_end = float((a.out / "mix-end").read_text()) if (a.out / "mix-end").exists() else float("inf")
    overload_end = max((s["t"] for s in slices if s["kind"] == "overload"), default=float("inf"))
    judged = [r for r in samples if float(r["t"]) <= mix_end or float(r["t"]) >= overload_end + 1]
    j_rss = [int(r["rssKiB"]) / 1024 for r in judged]
    j_fds = [int(r["fds"]) for r in judged]
    t = [float(r["t"]) for r in samples]
    rss = [int(r["rssKiB"]) / 1024 for r in samples]
    fds = [int(r["fds"]) for r in samples]
    heap = [(float(r["t"]), float(r["heapBytes"]) / 2**20) for r in samples if r["heapBytes"]]
    rss_growth = window(j_rss, 0.8, 1.0) - window(j_rss, 0.3, 0.5)
    fd_growth = window(j_fds, 0.8, 1.0) - window(j_fds, 0.3, 0.5)
    # samples whose actuator call answered (a busy server may miss a few)
    committed = [r for r in judged if r.get("heapCommittedBytes")]
    outside_growth = committed_growth = None
    if judged and len(committed) >= 0.8 * len(judged):
        c_mib = [float(r["heapCommittedBytes"]) / 2**20 for r in committed]
        outside = [int(r["rssKiB"]) / 1024 - c for r, c in zip(committed, c_mib)]
        outside_growth = window(outside, 0.8, 1.0) - window(outside, 0.3, 0.5)
        committed_growth = window(c_mib, 0.8, 1.0) - window(c_mib, 0.3, 0.5)
        if outside_growth > a.rss_bound_mib:
            problems.append(f"RSS outside the Java heap grew {outside_growth:.0f} MiB after warm-up"
                            f" (bound {a.rss_bound_mib:.0f} MiB)")
    elif rss_growth > a.rss_bound_mib:
        problems.append(f"RSS grew {rss_growth:.0f} MiB after warm-up (bound {a.rss_bound_mib:.0f} MiB)")
    if fd_growth > a.fd_bound:
        problems.append(f"open descriptors grew by {fd_growth:.0f} after warm-up (bound {a.fd_bound})")
    if not isinstance(jobs, list):
        problems.append(f"the admin jobs could not be read: {json.dumps(jobs)[:200]}")
        jobs = []
    for job in jobs:
        if job.get("state") != "succeeded":
            problems.append(f"admin {job.get('type')} job ended {job.get('state')}: {job.get('error')}")
    if len(jobs) < 2 and a.duration >= 20:
        problems.append(f"expected an admin ingest and a reindex, found {len(jobs)} jobs")
    if a.stop_seconds < 0 or a.stop_seconds > 120:
        problems.append(f"the server did not stop within 120 s of SIGTERM ({a.stop_seconds})")
    mix = [s for s in slices if s["kind"] == "mix"]
    overload = [s for s in slices if s["kind"] == "overload"]
    summary = {
        "label": a.label,
        "p50MsByThird": [round(statistics.median(s["p50Ms"] for s in part), 2)
                         for part in (mix[i * len(mix) // 3:(i + 1) * len(mix) // 3] for i in range(3)) if part],
        "p99MsMedian": round(statistics.median(s["p99Ms"] for s in mix), 2) if mix else None,
        "slices": len(mix),
        "requests": sum(s["requests"] for s in mix),
        "rps": round(sum(s["requests"] for s in mix) / max(sum(s["seconds"] for s in mix), 1e-9), 1),
        "p50MsMedian": round(statistics.median(s["p50Ms"] for s in mix), 2) if mix else None,
        "p99MsMax": round(max(s["p99Ms"] for s in mix), 2) if mix else None,
        "statusMix": statuses.get("mix", {}),
        "overload": overload[0] if overload else None,
        "rssMiB": {"start": round(rss[0]), "afterWarmUp": round(window(j_rss, 0.3, 0.5)), "end": round(window(j_rss, 0.8, 1.0)),
                   "max": round(max(rss)), "growthAfterWarmUp": round(rss_growth, 1),
                   "outsideHeapGrowthAfterWarmUp": None if outside_growth is None else round(outside_growth, 1),
                   "committedHeapGrowthAfterWarmUp": None if committed_growth is None else round(committed_growth, 1),
                   "boundMiB": a.rss_bound_mib} if rss else None,
        "fds": {"afterWarmUp": window(j_fds, 0.3, 0.5), "end": window(j_fds, 0.8, 1.0), "max": max(fds), "bound": a.fd_bound,
                "socketsMax": max(int(r.get("sockets") or 0) for r in samples)} if fds else None,
        "heapMiBMax": round(max(h for _, h in heap)) if heap else None,
        "jobs": [{"type": j.get("type"), "state": j.get("state")} for j in jobs],
        "stopSeconds": a.stop_seconds,
        "loadAverage": {"min": min(float(r["load"]) for r in samples), "max": max(float(r["load"]) for r in samples)} if samples else None,
        "windows": memory_windows(samples, a.window_seconds),
        "problems": problems,
        "passed": not problems,
    }
    (a.out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")

    xmax = max(t + [s["t"] for s in slices] + [1])
    events = []
    for i, s in enumerate(mix):
        if i == len(mix) // 3:
            events.append((s["t"] - s["seconds"], "ingest"))
        if i == 2 * len(mix) // 3 and len(mix) >= 2:
            events.append((s["t"] - s["seconds"], "reindex"))
    if overload:
        events.append((overload[0]["t"] - overload[0]["seconds"], "overload"))
    lat = [("p50", [(s["t"] - s["seconds"] / 2, s["p50Ms"]) for s in mix], "#1f77b4", ""),
           ("p99", [(s["t"] - s["seconds"] / 2, s["p99Ms"]) for s in mix], "#d62728", "")]
    committed_pts = [(float(r["t"]), float(r["heapCommittedBytes"]) / 2**20) for r in samples if r.get("heapCommittedBytes")]
    mem = [("RSS", list(zip(t, rss)), "#2ca02c", ""), ("heap used", heap, "#9467bd", "5 3")]
    if committed_pts:
        mem.append(("heap committed", committed_pts, "#8c564b", "2 2"))
    fdl = [("fds (no sockets)", list(zip(t, fds)), "#ff7f0e", ""),
           ("sockets", [(float(r["t"]), int(r.get("sockets") or 0)) for r in samples], "#8c564b", "5 3")]
    w, h = 760, 170
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w + 120}" height="{3 * (h + 70) + 40}" '
           f'font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n')
    svg += (f'<text x="70" y="20" font-size="15">soak {a.label}: {summary["requests"]} mixed requests, '
            f'{summary["rps"]} req/s; load average {summary["loadAverage"]["min"]:.1f}-{summary["loadAverage"]["max"]:.1f} '
            f'on {len(mix)} slices{"" if summary["passed"] else " - FAILED"}</text>\n')
    svg += panel("latency per slice (mixed requests), ms", lat, 70, 50, w, h, xmax, "ms", events)
    svg += panel("server memory, MiB", mem, 70, 50 + h + 70, w, h, xmax, "MiB", events)
    svg += panel("open file descriptors", fdl, 70, 50 + 2 * (h + 70), w, h, xmax, "fds", events)
    svg += "</svg>\n"
    (a.out / "soak.svg").write_text(svg)
    print(json.dumps(summary, ensure_ascii=False))
    for problem in problems:
        print("soak: " + problem, file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
