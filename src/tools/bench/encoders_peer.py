#!/usr/bin/python3
"""PyTorch peer of `koclip-search bench-encoders`: the same architecture in plain PyTorch, timed the
same way (image images/s at batch 1/8/32, text latency p50/p90 at 8/16/64 tokens, batch 1), one JSON
line per setting with the same keys.

    /usr/bin/python3 src/tools/bench/encoders_peer.py --arch koclip-base [--int8] [--threads N]

--arch koclip-base|koclip-large uses the KoCLIP modules of src/tools/koclip (architectures.py; pass
--tools DIR for the folder that holds the `koclip` package) with transformers-like random weights:
speed does not depend on the weight values, and the engine side is measured on the random-weights
bundle of the same architecture (`export.py --random-weights`). --int8 applies PyTorch's dynamic
int8 quantization to every nn.Linear (the counterpart of the bundle's int8 variant, which
quantizes MatMul/Gemm weights).

Debian's PyTorch calls the system BLAS; the reference BLAS is several times slower than OpenBLAS,
so the script re-executes itself with LD_LIBRARY_PATH pointing at libopenblas0-openmp's folder
(dpkg -L libopenblas0-openmp) unless --no-openblas is given. The BLAS in use is printed.
"""

import argparse
import json
import os
import sys
import time

OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def reexec_with_openblas(argv):
    if "--no-openblas" in argv or os.environ.get("KOCLIP_PEER_REEXEC") == "1":
        return
    if not os.path.isdir(OPENBLAS):
        print(f"warning: {OPENBLAS} missing (apt-get install libopenblas0-openmp); PyTorch may use the slow reference BLAS",
              file=sys.stderr)
        return
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = OPENBLAS + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env["KOCLIP_PEER_REEXEC"] = "1"
    os.execve(sys.executable, [sys.executable] + argv, env)


def percentile(values, p):
    s = sorted(values)
    rank = max(1, -(-len(s) * p // 100))
    return s[min(len(s), int(rank)) - 1]


def main():
    reexec_with_openblas(sys.argv)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="koclip-base", choices=["koclip-base", "koclip-large"])
    p.add_argument("--tools", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."),
                   help="folder holding the koclip package (default: src/tools)")
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads; 0 = one per core")
    p.add_argument("--int8", action="store_true", help="dynamic int8 quantization of nn.Linear")
    p.add_argument("--image-batches", default="1,8,32")
    p.add_argument("--images", type=int, default=64, help="images timed per batch size (at least 3 batches)")
    p.add_argument("--text-tokens", default="8,16,64")
    p.add_argument("--text-runs", type=int, default=20)
    p.add_argument("--skip-images", action="store_true")
    p.add_argument("--skip-text", action="store_true")
    p.add_argument("--no-openblas", action="store_true")
    a = p.parse_args()

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.abspath(a.tools))
    import torch
    from torch import nn

    from koclip import architectures as arch

    threads = a.threads or os.cpu_count()
    torch.set_num_threads(threads)
    blas = next((l.strip() for l in torch.__config__.show().splitlines() if "BLAS" in l), "?")
    print(f"torch {torch.__version__}, {threads} threads, {blas}, LD_LIBRARY_PATH={os.environ.get('LD_LIBRARY_PATH', '')}",
          file=sys.stderr)

    config = arch.VARIANTS[a.arch.split("-")[1]]
    t0 = time.perf_counter()
    torch.manual_seed(0)
    model = arch.DualEncoder(config).eval()
    with torch.no_grad():  # transformers-like init; the default init has larger weights (same speed)
        for name, param in model.named_parameters():
            if param.ndim > 1:
                param.normal_(0, 0.02)
    image_encoder = model.image_encoder().eval()
    text_encoder = model.text_encoder().eval()
    if a.int8:
        image_encoder = torch.ao.quantization.quantize_dynamic(image_encoder, {nn.Linear}, dtype=torch.qint8)
        text_encoder = torch.ao.quantization.quantize_dynamic(text_encoder, {nn.Linear}, dtype=torch.qint8)
    load = time.perf_counter() - t0

    def common(tower):
        return {"bench": tower, "engine": "pytorch", "model": a.arch, "variant": "int8" if a.int8 else "fp32",
                "intraOpThreads": a.threads, "loadSeconds": round(load, 2), "torch": torch.__version__,
                "blas": "openblas-openmp" if OPENBLAS in os.environ.get("LD_LIBRARY_PATH", "") else "system"}

    with torch.inference_mode():
        if not a.skip_images:
            size = config.vision.image_size
            for batch in [int(x) for x in a.image_batches.split(",")]:
                g = torch.Generator().manual_seed(batch)
                pixels = torch.randn((batch, 3, size, size), generator=g) * 0.8
                image_encoder(pixels)  # warm-up
                runs = max(3, -(-a.images // batch))
                times = []
                for _ in range(runs):
                    t = time.perf_counter()
                    image_encoder(pixels)
                    times.append((time.perf_counter() - t) * 1000)
                line = common("image")
                line.update({"batch": batch, "imagesPerSecond": round(batch / (sum(times) / len(times) / 1000), 2),
                             "p50Ms": round(percentile(times, 50), 2), "p90Ms": round(percentile(times, 90), 2),
                             "runs": runs, "load": round(os.getloadavg()[0], 2)})
                print(json.dumps(line), flush=True)
        if not a.skip_text:
            for tokens in [int(x) for x in a.text_tokens.split(",")]:
                g = torch.Generator().manual_seed(tokens)
                ids = torch.randint(5, config.text.vocab_size, (1, tokens), generator=g)
                ids[0, 0], ids[0, -1] = 0, 2  # [CLS] ... [SEP]
                mask = torch.ones((1, tokens), dtype=torch.long)
                positions = torch.arange(tokens).unsqueeze(0)
                text_encoder(ids, mask, positions)  # warm-up
                times = []
                for _ in range(a.text_runs):
                    t = time.perf_counter()
                    text_encoder(ids, mask, positions)
                    times.append((time.perf_counter() - t) * 1000)
                line = common("text")
                line.update({"tokens": tokens, "p50Ms": round(percentile(times, 50), 2),
                             "p90Ms": round(percentile(times, 90), 2), "runs": a.text_runs,
                             "load": round(os.getloadavg()[0], 2)})
                print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
