#!/usr/bin/python3
"""Tables from bench-encoders and encoders_peer.py JSON lines: image images/s per batch and text
p50/p90 per token count, engine vs bare ONNX Runtime session vs PyTorch, fp32 and int8, with the
engine's overhead and the ONNX Runtime / PyTorch speed ratio.

    /usr/bin/python3 src/tools/bench/compare_encoders.py target/bench/encoders/*.jsonl
"""

import json
import sys


def main():
    rows = []
    for path in sys.argv[1:]:
        with open(path) as f:
            rows += [json.loads(l) for l in f if l.startswith("{")]
    ort = {(r["bench"], r["variant"], r.get("batch", r.get("tokens"))): r for r in rows if r["engine"] == "onnxruntime-java"}
    torch = {(r["bench"], r["variant"], r.get("batch", r.get("tokens"))): r for r in rows if r["engine"] == "pytorch"}
    print("| image tower | batch | engine img/s | bare ORT img/s | engine overhead | PyTorch img/s | engine / PyTorch |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(k for k in ort if k[0] == "image"):
        e, t = ort[key], torch.get(key)
        ratio = f"×{e['imagesPerSecond'] / t['imagesPerSecond']:.2f}" if t else "n/a"
        print(f"| {e['model']} {key[1]} | {key[2]} | {e['imagesPerSecond']} | {e['rawImagesPerSecond']} "
              f"| {e['overheadPercent']}% | {t['imagesPerSecond'] if t else 'n/a'} | {ratio} |")
    print()
    print("| text tower | tokens | engine p50 / p90 ms | bare ORT p50 / p90 ms | engine overhead (p50) | PyTorch p50 / p90 ms | PyTorch p50 / engine p50 |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(k for k in ort if k[0] == "text"):
        e = ort[key]
        t = torch.get(key) or next((v for k, v in torch.items() if k[0] == "text" and k[1] == key[1]
                                    and abs(k[2] - key[2]) <= 1), None)
        ratio = f"×{t['p50Ms'] / e['p50Ms']:.2f}" if t else "n/a"
        print(f"| {e['model']} {key[1]} | {key[2]} | {e['p50Ms']} / {e['p90Ms']} | {e['rawP50Ms']} / {e['rawP90Ms']} "
              f"| {e['overheadPercent']}% | {(str(t['p50Ms']) + ' / ' + str(t['p90Ms'])) if t else 'n/a'} | {ratio} |")


if __name__ == "__main__":
    main()
