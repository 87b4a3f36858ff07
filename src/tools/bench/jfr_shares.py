#!/usr/bin/env python3
"""Shares of a JFR recording's execution samples that pass through given frames.

    /usr/bin/python3 src/tools/bench/jfr_shares.py RECORDING.jfr [--within FRAME] FRAME [FRAME ...]

Prints, for each FRAME (a substring of a frame's class.method, e.g. DataBinder.construct), the share of
the samples whose stack contains it, among the samples whose stack contains --within (default
Http11Processor: Tomcat's request threads). Needs the JDK's `jfr` (JAVA_HOME/bin/jfr or on PATH); stacks
are read 300 frames deep (`jfr print` shows 5 by default, which hides the request's outer frames).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("recording")
    p.add_argument("frames", nargs="+")
    p.add_argument("--within", default="Http11Processor")
    a = p.parse_args()
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ else shutil.which("jfr")
    text = subprocess.run([jfr, "print", "--stack-depth", "300", "--events", "jdk.ExecutionSample", a.recording],
                          check=True, capture_output=True, text=True).stdout
    stacks = [set(re.findall(r"^\s+([\w.$<>/]+)\(", e, re.M)) for e in text.split("jdk.ExecutionSample")[1:]]
    within = [s for s in stacks if any(a.within in f for f in s)]
    print(f"{len(within)} of {len(stacks)} samples pass through {a.within}")
    for frame in a.frames:
        n = sum(1 for s in within if any(frame in f for f in s))
        print(f"{100 * n / max(len(within), 1):5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
