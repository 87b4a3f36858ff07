"""Prints how close and how fast a bundle's int8 variant is compared with its fp32 graphs.

    /usr/bin/python3 src/tools/koclip/int8_report.py BUNDLE [--repeat 10] [--threads 0] [--engine]

Graph level (ONNX Runtime Java through OrtRun.java, the same runtime and session options as the
engine): cosine of int8 vs fp32 embeddings on synthetic images and tokenized Korean/English texts,
and the median session.run time at batch 1 (a query, an image) and batch 8 (ingest).
With --engine, also through the engine itself: `embed` with and without `--variant int8` on the
same images and texts (cosines, load time from the "model ... loaded ... in N ms" log line, peak RSS).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

if __package__ in (None, ""):  # run as a script: make `koclip` importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from PIL import Image

from koclip import javarun
from koclip import tokenizer_files

TEXTS = ["바닷가에서 뛰는 강아지", "빨간 자동차", "이것은 고양이 사진이다.", "a photo of a red car.",
         "two dogs playing in the snow", "서울의 야경"]


def synthetic_images(size, count, seed=0):
    """Smooth colour fields with shapes and mild noise: closer to photos than white noise. [n, H, W, 3] uint8."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    images = []
    for _ in range(count):
        base = np.stack([np.clip(rng.uniform(0, 1) + rng.uniform(-1, 1) * x + rng.uniform(-1, 1) * y, 0, 1)
                         for _ in range(3)], axis=-1)
        cx, cy, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.1, 0.3)
        disk = ((x - cx) ** 2 + (y - cy) ** 2) < r * r
        base[disk] = rng.uniform(0, 1, 3)
        base = np.clip(base + rng.normal(0, 0.03, base.shape), 0, 1)
        images.append((base * 255).astype(np.uint8))
    return np.stack(images)


def _pixels(images, mean, std):
    x = images.astype(np.float32) / 255.0
    x = (x - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


def _text_batch(texts, vocab, max_length, pad_id):
    rows = [tokenizer_files.basic_wordpiece(t, vocab, max_length=max_length) for t in texts]
    seq = max(len(r) for r in rows)
    ids = np.full((len(rows), seq), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), seq), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    positions = np.broadcast_to(np.arange(seq, dtype=np.int64), ids.shape).copy()
    return {"input_ids": ids, "attention_mask": mask, "position_ids": positions}


def graph_report(bundle, spec, repeat, threads):
    size = spec["image"]["size"]
    images = synthetic_images(size, 8)
    pixels = _pixels(images, spec["image"]["mean"], spec["image"]["std"])
    with open(os.path.join(bundle, spec["text"]["tokenizer"]), encoding="utf-8") as f:
        vocab = json.load(f)["model"]["vocab"]
    pad = vocab.get("[PAD]", 0)
    texts = _text_batch(TEXTS, vocab, spec["text"]["maxLength"], pad)
    one_text = _text_batch(TEXTS[:1], vocab, spec["text"]["maxLength"], pad)
    towers = {
        "image": (spec["image"], "pixel_values", {"batch 8": {"pixel_values": pixels}, "batch 1": {"pixel_values": pixels[:1]}}),
        "text": (spec["text"], None, {"batch 6": texts, "batch 1": one_text}),
    }
    report = {}
    for tower, (tower_spec, _, cases) in towers.items():
        variants = tower_spec.get("variants", {})
        if "int8" not in variants:
            raise SystemExit(f"{bundle}: model.json lists no int8 variant for {tower}; run quantize_int8.py first")
        fp32_path = os.path.join(bundle, tower_spec["model"])
        int8_path = os.path.join(bundle, variants["int8"])
        output = tower_spec["output"]
        entry = {}
        for case, inputs in cases.items():
            (fp32, fp32_info), (int8, int8_info) = javarun.run_graphs(
                [fp32_path, int8_path], output, inputs, threads=threads, repeat=repeat)
            cosines = [javarun.cosine(a, b) for a, b in zip(fp32, int8)]
            fp32_ms, int8_ms = statistics.median(fp32_info["runMs"]), statistics.median(int8_info["runMs"])
            entry[case] = {"cosineMin": round(min(cosines), 6), "cosineMean": round(float(np.mean(cosines)), 6),
                           "fp32Ms": round(fp32_ms, 1), "int8Ms": round(int8_ms, 1), "speedup": round(fp32_ms / int8_ms, 2),
                           "fp32LoadMs": round(fp32_info["loadMs"]), "int8LoadMs": round(int8_info["loadMs"])}
            print(f"{tower} {case}: cosine int8 vs fp32 min {min(cosines):.6f} mean {np.mean(cosines):.6f}; "
                  f"median run fp32 {fp32_ms:.1f} ms, int8 {int8_ms:.1f} ms (x{fp32_ms / int8_ms:.2f}); "
                  f"session load fp32 {fp32_info['loadMs']:.0f} ms, int8 {int8_info['loadMs']:.0f} ms", flush=True)
        report[tower] = entry
    return report, images


def engine_run(bundle, image_paths, texts, variant=None):
    """embed through the jar under /usr/bin/time: (vectors, load ms, peak RSS MB)."""
    extra = ["--variant", variant] if variant else []
    command = ["/usr/bin/time", "-f", "RSS_KB=%M", javarun.find_java(), "--add-modules", "jdk.incubator.vector",
               "--enable-native-access=ALL-UNNAMED", "-Xmx4g"] + javarun._native_flags() + [
               "-jar", javarun.find_jar(), "embed", "--model", bundle]
    for p in image_paths:
        command += ["--image", p]
    for t in texts:
        command += ["--text", t]
    done = subprocess.run(command + extra, capture_output=True, text=True,
                          env=dict(os.environ, ORT_DISABLE_TELEMETRY="1"))
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    log = done.stdout + done.stderr
    if done.returncode != 0 or not lines:
        raise SystemExit(f"embed failed ({done.returncode}):\n{log[-3000:]}")
    loaded = re.search(r"model .* loaded .* in (\d+) ms", log)
    rss = re.search(r"RSS_KB=(\d+)", log)
    return ([line["vector"] for line in lines], int(loaded.group(1)) if loaded else None,
            round(int(rss.group(1)) / 1024) if rss else None)


def engine_report(bundle, images):
    with tempfile.TemporaryDirectory(prefix="koclip-int8-") as tmp:
        paths = []
        for i, image in enumerate(images):
            path = os.path.join(tmp, f"image-{i}.png")
            Image.fromarray(image).save(path)
            paths.append(path)
        fp32, fp32_load, fp32_rss = engine_run(bundle, paths, TEXTS)
        int8, int8_load, int8_rss = engine_run(bundle, paths, TEXTS, "int8")
    cosines = [javarun.cosine(a, b) for a, b in zip(fp32, int8)]
    image_cos, text_cos = cosines[: len(images)], cosines[len(images):]
    print(f"engine embed: image cosine min {min(image_cos):.6f}, text cosine min {min(text_cos):.6f}; "
          f"load fp32 {fp32_load} ms, int8 {int8_load} ms; peak RSS fp32 {fp32_rss} MB, int8 {int8_rss} MB", flush=True)
    return {"imageCosineMin": round(min(image_cos), 6), "textCosineMin": round(min(text_cos), 6),
            "fp32LoadMs": fp32_load, "int8LoadMs": int8_load, "fp32RssMb": fp32_rss, "int8RssMb": int8_rss}


def main(argv=None):
    parser = argparse.ArgumentParser(description="int8 vs fp32: cosine and speed of a bundle's variants.")
    parser.add_argument("bundle", metavar="BUNDLE")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs after one warm-up (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=0, help="ONNX Runtime intra-op threads, 0 = all cores")
    parser.add_argument("--engine", action="store_true", help="also compare through the engine's embed command")
    args = parser.parse_args(argv)
    reason = javarun.why_unavailable()
    if reason:
        raise SystemExit(reason)
    with open(os.path.join(args.bundle, "model.json"), encoding="utf-8") as f:
        spec = json.load(f)
    report, images = graph_report(args.bundle, spec, args.repeat, args.threads)
    if args.engine:
        report["engine"] = engine_report(args.bundle, images[:4])
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
