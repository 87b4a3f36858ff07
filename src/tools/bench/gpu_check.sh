#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU (driver >= 525.60.13, CUDA 12.x, cuDNN 9): builds the
# GPU jar, exports the full-size random-weights koclip-base, and prints the provider in use, image
# encoder images/s at batch 1/32/128, text encoder latency at 16/64 tokens, ingest images/s on
# photo-like JPEGs with the decode and encode shares, and the same on the CPU for the ratio.
# Without a usable GPU it says so and prints the CPU figures only (so it can be tried anywhere).
#
#   src/tools/bench/gpu_check.sh [--model DIR|demo] [--images N] [--photos N] [--text-runs N] [--no-build]
#
#   --model      bundle to measure (default: target/gpu-check/koclip-base-random, exported once with
#                src/tools/koclip/export.py --random-weights --variant base: ~90 s, ~7 GB RAM, 1.7 GB disk)
#   --images     images timed per image batch size, at least 3 batches (default 128: batch 128 runs 3 times)
#   --photos     photo-like JPEGs for the ingest figure (default 200, 0.3-12 MP, make_images.py)
#   --text-runs  timed runs per text length (default 20)
#   --no-build   reuse target-cuda/koclip-search.jar
# MAVEN_OFFLINE=1 adds -o to the build; GPU_CHECK_OUT moves the output folder (default target/gpu-check).
# Results: $GPU_CHECK_OUT/{cuda,cpu}-{encoders,ingest}.jsonl and summary.md. Needs /usr/bin/python3 with
# torch, onnx and msgpack for the export, PIL and numpy for the photos (Debian: python3-torch python3-onnx
# python3-msgpack python3-pil python3-numpy, as .ci/run installs them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
out="${GPU_CHECK_OUT:-$root/target/gpu-check}"
model=""
images=128
photos=200
text_runs=20
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --photos) photos="$2"; shift 2 ;;
    --text-runs) text_runs="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "gpu_check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
start=$(date +%s)
step() { echo "== [$(($(date +%s) - start)) s] $*" >&2; }

step "machine"
if command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$out/gpu.txt" 2>/dev/null; then
  paste -sd';' "$out/gpu.txt" >"$out/gpu.one" && mv "$out/gpu.one" "$out/gpu.txt"
else
  echo "none found (no nvidia-smi, or it sees no device): CPU-only mode" >"$out/gpu.txt"
fi
echo "GPU: $(cat "$out/gpu.txt")" >&2
echo "CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

jar="$root/target-cuda/koclip-search.jar"
if [ "$build" -eq 1 ] || [ ! -f "$jar" ]; then
  step "building the GPU jar (./mvnw -Pcuda package, into target-cuda/)"
  ./mvnw -q ${MAVEN_OFFLINE:+-o} -Pcuda package -DskipTests -Dspotless.check.skip=true
fi
run() { KOCLIP_JAR="$jar" bin/koclip-search "$@"; }

if [ -z "$model" ]; then
  model="$out/koclip-base-random"
  if [ ! -f "$model/model.json" ]; then
    step "exporting the full-size random-weights koclip-base to $model"
    /usr/bin/python3 src/tools/koclip/export.py --random-weights --variant base --out "$model" >&2
  fi
fi

step "provider probe: embed --provider auto"
run embed --model "$model" --provider auto --text "빨간 원" >"$out/probe.json" 2>"$out/probe.err"
provider="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["provider"])' "$out/probe.json")"
if [ "$provider" = cuda ]; then
  echo "provider in use: cuda" >&2
  providers=(cuda cpu)
else
  echo "provider in use: cpu; $(grep -o 'execution provider auto: .*' "$out/probe.err" || echo 'no reason logged')" >&2
  providers=(cpu)
fi

photo_dir="$out/photos-$photos"
if [ ! -d "$photo_dir" ]; then
  step "writing $photos photo-like JPEGs to $photo_dir"
  /usr/bin/python3 src/tools/bench/make_images.py --out "$photo_dir" --count "$photos" >&2
fi

fp16=0
if grep -q '"fp16"' "$model/model.json" 2>/dev/null; then fp16=1; fi
for p in "${providers[@]}"; do
  step "$p: bench-encoders (image batches 1,32,128; text 16,64 tokens)"
  run bench-encoders --model "$model" --provider "$p" --image-batches 1,32,128 --images "$images" \
    --text-tokens 16,64 --text-runs "$text_runs" >"$out/$p-encoders.jsonl"
  if [ "$fp16" -eq 1 ] && [ "$p" = cuda ]; then
    step "$p: bench-encoders --variant fp16"
    run bench-encoders --model "$model" --provider "$p" --variant fp16 --image-batches 1,32,128 --images "$images" \
      --text-tokens 16,64 --text-runs "$text_runs" >"$out/$p-fp16-encoders.jsonl"
  fi
  step "$p: bench-ingest on $photo_dir"
  run bench-ingest --model "$model" --provider "$p" --source "$photo_dir" >"$out/$p-ingest.jsonl"
done
[ "$fp16" -eq 1 ] || echo "fp16: the bundle lists no fp16 variant (export.py writes fp32 and int8 graphs), so fp32 only" >&2

step "summary"
/usr/bin/python3 - "$out" "$model" <<'EOF' | tee "$out/summary.md"
import json, os, sys
out, model = sys.argv[1], sys.argv[2]
def lines(name):
    path = os.path.join(out, name)
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.startswith("{")] if os.path.exists(path) else []
runs = [(label, lines(f"{label}-encoders.jsonl"), lines(f"{label}-ingest.jsonl")) for label in ("cuda", "cuda-fp16", "cpu")]
runs = [(label, e, i) for label, e, i in runs if e]
print(f"model: {model}; GPU: {open(os.path.join(out, 'gpu.txt')).read().strip()}")
print()
print("| figure | " + " | ".join(label for label, _, _ in runs) + (" | cuda / cpu |" if len(runs) > 1 else " |"))
print("|---|" + "---|" * (len(runs) + (1 if len(runs) > 1 else 0)))
def row(name, values, higher_is_better):
    cells = ["" if v is None else f"{v:g}" for v in values]
    ratio = ""
    if len(values) > 1 and values[0] and values[-1]:
        ratio = f"{(values[0] / values[-1] if higher_is_better else values[-1] / values[0]):.1f}x"
    print(f"| {name} | " + " | ".join(cells) + (f" | {ratio} |" if len(values) > 1 else " |"))
def pick(lines, bench, key, value, field):
    for l in lines:
        if l.get("bench") == bench and l.get(key) == value:
            return l.get(field)
    return None
for batch in (1, 32, 128):
    row(f"image encoder, batch {batch}: images/s", [pick(e, "image", "batch", batch, "imagesPerSecond") for _, e, _ in runs], True)
texts = [[l for l in e if l.get("bench") == "text"] for _, e, _ in runs]
for n in range(len(texts[0])):
    # A bundle with a shorter maximum length (the demo's is 32) truncates the 64-token text.
    tokens = texts[0][n].get("tokens")
    row(f"text encoder, {tokens} tokens: p50 ms", [t[n].get("p50Ms") if n < len(t) else None for t in texts], False)
ingest = [next((l for l in i if l.get("bench") == "ingest"), {}) for _, _, i in runs]
row("ingest: images/s", [l.get("imagesPerSecond") for l in ingest], True)
for part in ("read", "decode", "preprocess", "encode"):
    row(f"ingest: {part} ms/image", [l.get(f"{part}MsPerImage") for l in ingest], False)
for label, l in zip([r[0] for r in runs], ingest):
    stages = {p: l.get(f"{p}MsPerImage") or 0 for p in ("read", "decode", "preprocess", "encode")}
    total = sum(stages.values()) or 1
    print(f"\n{label} ingest ({l.get('encoded')} images, batch {l.get('batch')}, workers {l.get('workers')}): decode "
          f"{100 * stages['decode'] / total:.0f}% / encode {100 * stages['encode'] / total:.0f}% of per-image work; "
          f"encoder idle {l.get('encoderIdleSeconds')} s of {l.get('seconds')} s")
providers = sorted({l.get("provider") for _, e, _ in runs for l in e})
print(f"\nproviders reported by the benchmarks: {', '.join(str(p) for p in providers)}")
EOF
step "done; results in $out"
