#!/usr/bin/python3
"""PIL's side of the decode benchmark: CPU ms per decode (median after warm-up) of every JPEG and
PNG in DIR, full decode (Image.open + convert("RGB")) and, for JPEG, Image.draft at the scale the
Java decoder's fast policy picks (shortest side kept >= FLOOR, default 448 = 2 x 224).
Usage: /usr/bin/python3 src/tools/decode/pil_decode_bench.py [DIR] [FLOOR] [RUNS]
"""
import os
import statistics
import sys
import time

from PIL import Image

d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/koclip-decode-bench"
floor = int(sys.argv[2]) if len(sys.argv) > 2 else 448
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7


def cpu_ms(fn):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.thread_time()
        fn()
        times.append((time.thread_time() - t) * 1000)
    return statistics.median(times)


def full(path):
    with Image.open(path) as im:
        im.convert("RGB").load()


def draft(path):
    with Image.open(path) as im:
        w, h = im.size
        scale = next((n for n in (8, 4, 2) if -(-min(w, h) // n) >= floor), 1)
        im.draft("RGB", (-(-w // scale), -(-h // scale)))
        im.convert("RGB").load()


print(f"{'file':28} {'PIL full ms':>12} {'PIL draft ms':>13}")
for f in sorted(os.listdir(d)):
    p = os.path.join(d, f)
    if f.endswith(".jpg"):
        print(f"{f:28} {cpu_ms(lambda: full(p)):12.1f} {cpu_ms(lambda: draft(p)):13.1f}")
    elif f.endswith(".png"):
        print(f"{f:28} {cpu_ms(lambda: full(p)):12.1f} {'-':>13}")
