#!/usr/bin/env bash
# The ingest side-by-side of docs/benchmarks.md: bench-ingest (the engine's ingest job) and
# ingest_peer.py (PIL + PyTorch) on the same generated photo folder and architecture.
#   src/tools/bench/run_ingest.sh BUNDLE [ARCH] [COUNT]     defaults: koclip-base, 300 images
# fp32 on both sides, then int8 when the bundle has an int8 image variant (engine: --variant int8
# --batch 8, where int8 peaks; peer: --int8, torch's quantize_dynamic).
# KOCLIP_BIN overrides the launcher; KOCLIP_TOOLS the folder holding the koclip package.
# Results: target/bench/ingest/*.jsonl
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
bundle="$1"
arch="${2:-koclip-base}"
count="${3:-300}"
bin="${KOCLIP_BIN:-$root/bin/koclip-search}"
images="$root/target/bench/images"
out="$root/target/bench/ingest"
mkdir -p "$out"
[ -d "$images" ] || /usr/bin/python3 "$root/src/tools/bench/make_images.py" --out "$images" --count "$count"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$bin" bench-ingest --source "$images" --model "$bundle" --subsample-drift 20 > "$out/engine-fp32.jsonl"
/usr/bin/python3 "$root/src/tools/bench/ingest_peer.py" --source "$images" --arch "$arch" ${KOCLIP_TOOLS:+--tools "$KOCLIP_TOOLS"} > "$out/torch-fp32.jsonl"
if grep -q '"int8"' "$bundle/model.json" 2>/dev/null; then
  "$bin" bench-ingest --source "$images" --model "$bundle" --variant int8 --batch 8 > "$out/engine-int8.jsonl"
  /usr/bin/python3 "$root/src/tools/bench/ingest_peer.py" --source "$images" --arch "$arch" --int8 ${KOCLIP_TOOLS:+--tools "$KOCLIP_TOOLS"} > "$out/torch-int8.jsonl"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$out"/*.jsonl
