"""soak_report.py on synthetic runs: the RSS bound, with and without the committed heap in the samples.

    /usr/bin/python3 -m unittest discover -s src/tools/bench -p 'test_soak_report.py' -v
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))


def soak_run(folder, rss_mib, committed_mib=None, *extra):
    """A passing run but for memory: 100 samples of the given RSS (and committed heap) in MiB."""
    out = Path(folder)
    statuses = {"cached:200": 50, "distinct:503": 2}
    with open(out / "slices.jsonl", "w") as f:
        for i in range(6):
            f.write(json.dumps({"slice": f"mix-{i}", "requests": 52, "seconds": 10, "rps": 5.2, "p50Ms": 20,
                                "p99Ms": 90, "status": statuses, "retryAfterMissing": 0, "socketErrors": 0,
                                "timeouts": 0, "t": 10.0 * (i + 1), "kind": "mix"}) + "\n")
    (out / "mix-end").write_text("60.0")
    with open(out / "samples.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t", "rssKiB", "heapBytes", "heapCommittedBytes", "fds", "sockets", "load"])
        for i, rss in enumerate(rss_mib):
            committed = "" if committed_mib is None else int(committed_mib[i] * 2**20)
            w.writerow([0.6 * i, int(rss * 1024), 100 * 2**20, committed, 13, 6, 1.0])
    (out / "jobs.json").write_text(json.dumps([{"type": "ingest", "state": "succeeded"},
                                               {"type": "reindex", "state": "succeeded"}]))
    proc = subprocess.run([sys.executable, os.path.join(HERE, "soak_report.py"), "--out", str(out),
                           "--rss-bound-mib", "160", "--stop-seconds", "2", "--duration", "60", *extra],
                          capture_output=True, text=True)
    return proc.returncode, json.loads((out / "summary.json").read_text()), proc.stdout + proc.stderr


# RSS 1000 MiB until 60 % of the run, then 1500: a step of 500 MiB
STEP = [1000.0] * 60 + [1500.0] * 40


class SoakReportTest(unittest.TestCase):
    def test_memory_per_window_and_latency_per_third(self):
        with tempfile.TemporaryDirectory() as d:
            _, summary, _ = soak_run(d, STEP, [500.0] * 100, "--window-seconds", "30")
            # samples every 0.6 s: the first 50 in [0, 30) at 1000 MiB; then 10 more at 1000 and the 40 of the step
            self.assertEqual([(w["fromS"], w["rssMiB"], w["heapCommittedMiB"], w["outsideHeapMiB"], w["heapUsedMiB"])
                              for w in summary["windows"]],
                             [(0, 1000, 500, 500, 100), (30, 1400, 500, 900, 100)])
            self.assertEqual(summary["p50MsByThird"], [20, 20, 20])
            self.assertEqual(summary["p99MsMedian"], 90)

    def test_a_step_of_committed_heap_passes_and_both_growths_are_reported(self):
        with tempfile.TemporaryDirectory() as d:
            code, summary, text = soak_run(d, STEP, committed_mib=[300.0] * 60 + [800.0] * 40)
            self.assertEqual(code, 0, text)
            self.assertEqual(summary["rssMiB"]["growthAfterWarmUp"], 500.0)
            self.assertEqual(summary["rssMiB"]["committedHeapGrowthAfterWarmUp"], 500.0)
            self.assertEqual(summary["rssMiB"]["outsideHeapGrowthAfterWarmUp"], 0.0)

    def test_growth_outside_the_heap_fails(self):
        with tempfile.TemporaryDirectory() as d:
            code, summary, text = soak_run(d, STEP, committed_mib=[300.0] * 100)
            self.assertEqual(code, 1)
            self.assertEqual(summary["rssMiB"]["outsideHeapGrowthAfterWarmUp"], 500.0)
            self.assertIn("RSS outside the Java heap grew 500 MiB", text)

    def test_without_the_committed_heap_the_bound_is_on_the_whole_rss(self):
        with tempfile.TemporaryDirectory() as d:
            code, summary, text = soak_run(d, STEP)
            self.assertEqual(code, 1)
            self.assertIsNone(summary["rssMiB"]["outsideHeapGrowthAfterWarmUp"])
            self.assertIn("RSS grew 500 MiB after warm-up", text)
        with tempfile.TemporaryDirectory() as d:
            code, _, text = soak_run(d, [1000.0] * 100)
            self.assertEqual(code, 0, text)


if __name__ == "__main__":
    unittest.main()
