#!/usr/bin/python3
"""Python peer of `koclip-search bench-ingest`: what a user would write instead. PIL decode, the CLIP
preprocessing (shortest edge 224 with PIL's antialiased bicubic, centre crop, /255, CLIP mean/std)
and the PyTorch image encoder of the same architecture, with a torch DataLoader decoding in worker
processes (--workers, default 2) and batches of --batch (default 16). Prints one JSON line with the
same keys as bench-ingest (imagesPerSecond and the per-image stage times; decode and preprocess are
summed over workers). The peer stores the embeddings in a numpy array, not in an index.

    /usr/bin/python3 src/tools/bench/ingest_peer.py --source target/bench/images --arch koclip-base

--draft decodes JPEGs with PIL's Image.draft("RGB", (2 * size, 2 * size)): libjpeg's DCT scaling,
the largest that keeps both sides at least twice the model's input (what `--decode fast` does in the
engine). HEIC/AVIF files are decoded when pillow_heif is installed, else counted as failed.

PyTorch runs with OpenBLAS (see encoders_peer.py), random weights of the architecture (speed does
not depend on them).
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encoders_peer import OPENBLAS, reexec_with_openblas  # noqa: E402

MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


class Folder:
    """torch Dataset over image files: (tensor [3, size, size], decode s, preprocess s, ok)."""

    def __init__(self, files, size, draft=False):
        self.files, self.size, self.draft = files, size, draft

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        import numpy as np
        import torch
        from PIL import Image, ImageOps

        # CPU time of this (single-threaded) worker process: comparable across machine loads.
        t0 = time.process_time()
        try:
            with Image.open(self.files[i]) as im:
                if self.draft:
                    im.draft("RGB", (2 * self.size, 2 * self.size))
                im = ImageOps.exif_transpose(im).convert("RGB")
                im.load()
        except Exception:  # a bad file is skipped, like a report line
            return torch.zeros(3, self.size, self.size), 0.0, 0.0, False
        t1 = time.process_time()
        w, h = im.size
        s = self.size
        if w < h:
            nw, nh = s, int(s * h / w)
        else:
            nw, nh = int(s * w / h), s
        im = im.resize((nw, nh), Image.BICUBIC)
        left, top = int(round((nw - s) / 2.0)), int(round((nh - s) / 2.0))
        im = im.crop((left, top, left + s, top + s))
        x = np.asarray(im, dtype=np.float32) / 255.0
        x = (x - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)
        tensor = torch.from_numpy(x.transpose(2, 0, 1).copy())
        return tensor, t1 - t0, time.process_time() - t1, True


def main():
    reexec_with_openblas(sys.argv)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", required=True)
    p.add_argument("--arch", default="koclip-base", choices=["koclip-base", "koclip-large"])
    p.add_argument("--tools", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads; 0 = one per core")
    p.add_argument("--int8", action="store_true")
    p.add_argument("--draft", action="store_true", help="JPEG shrink-on-load (PIL Image.draft)")
    p.add_argument("--no-openblas", action="store_true")
    a = p.parse_args()

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.abspath(a.tools))
    import numpy as np
    import torch
    from torch import nn

    from koclip import architectures as arch

    torch.set_num_threads(a.threads or os.cpu_count())
    config = arch.VARIANTS[a.arch.split("-")[1]]
    torch.manual_seed(0)
    model = arch.DualEncoder(config).eval()
    encoder = model.image_encoder().eval()
    if a.int8:
        encoder = torch.ao.quantization.quantize_dynamic(encoder, {nn.Linear}, dtype=torch.qint8)
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(a.source) for f in fs
        if f.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic", ".avif"))
    )
    try:
        import pillow_heif  # noqa: F401
        pillow_heif.register_heif_opener()
        heif = "pillow_heif"
    except ImportError:
        heif = "none"
    size = config.vision.image_size
    with torch.inference_mode():
        encoder(torch.zeros(1, 3, size, size))  # warm-up, like the engine's model load
        loader = torch.utils.data.DataLoader(Folder(files, size, a.draft), batch_size=a.batch, num_workers=a.workers)
        decode = preprocess = encode = 0.0
        encoded = failed = 0
        out = []
        start = time.perf_counter()
        cpu0 = sum(os.times()[:4])
        for tensors, dec, pre, ok in loader:
            decode += float(dec.sum())
            preprocess += float(pre.sum())
            tensors = tensors[ok]
            failed += int((~ok).sum())
            if len(tensors):
                t = time.perf_counter()
                e = encoder(tensors)
                e = e / e.norm(dim=1, keepdim=True)
                encode += time.perf_counter() - t
                out.append(e.numpy())
                encoded += len(tensors)
        seconds = time.perf_counter() - start
        # CPU of this process and its (finished) DataLoader workers.
        cpu = sum(os.times()[:4]) - cpu0
    np.concatenate(out) if out else None
    n = max(1, encoded)
    print(json.dumps({
        "bench": "ingest", "engine": "pytorch", "model": a.arch, "variant": "int8" if a.int8 else "fp32",
        "decode": "pil-draft" if a.draft else "pil", "heif": heif,
        "files": len(files), "encoded": encoded, "failed": failed, "seconds": round(seconds, 2),
        "imagesPerSecond": round(encoded / seconds, 2), "batch": a.batch, "workers": a.workers,
        "decodeMsPerImage": round(1000 * decode / n, 1), "decodeCpuMsPerImage": round(1000 * decode / n, 1), "preprocessMsPerImage": round(1000 * preprocess / n, 1),
        "encodeMsPerImage": round(1000 * encode / n, 1),
        "encoderIdleShare": round(max(0.0, seconds - encode) / seconds, 3),
        "decodeShareOfCpu": round(decode / max(1e-9, cpu), 3), "cpuSeconds": round(cpu, 2),
        "torch": torch.__version__,
        "blas": "openblas-openmp" if OPENBLAS in os.environ.get("LD_LIBRARY_PATH", "") else "system",
        "load": round(os.getloadavg()[0], 2),
    }), flush=True)


if __name__ == "__main__":
    main()
