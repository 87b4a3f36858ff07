#!/usr/bin/env bash
# The encoder side-by-side of docs/benchmarks.md: bench-encoders (ONNX Runtime Java through the
# engine, and a bare session) and encoders_peer.py (PyTorch), fp32 and int8, on one bundle.
#   src/tools/bench/run_encoders.sh BUNDLE [ARCH]      ARCH: koclip-base (default) | koclip-large
# BUNDLE: e.g. a random-weights export:
#   /usr/bin/python3 src/tools/koclip/export.py --random-weights --variant base --out target/bench/koclip-base-random
#   /usr/bin/python3 src/tools/koclip/quantize_int8.py target/bench/koclip-base-random
# KOCLIP_TOOLS: folder holding the koclip package (default src/tools). KOCLIP_BIN overrides the launcher (default bin/koclip-search). Results: target/bench/encoders/*.jsonl
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
bundle="$1"
arch="${2:-koclip-base}"
bin="${KOCLIP_BIN:-$root/bin/koclip-search}"
out="$root/target/bench/encoders"
mkdir -p "$out"
common=(--image-batches 1,8,32 --images 32 --text-tokens 8,16,64 --text-runs 10)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$bin" bench-encoders --model "$bundle" "${common[@]}" > "$out/engine-fp32.jsonl"
"$bin" bench-encoders --model "$bundle" --variant int8 "${common[@]}" > "$out/engine-int8.jsonl"
/usr/bin/python3 "$root/src/tools/bench/encoders_peer.py" --arch "$arch" ${KOCLIP_TOOLS:+--tools "$KOCLIP_TOOLS"} "${common[@]}" > "$out/torch-fp32.jsonl"
/usr/bin/python3 "$root/src/tools/bench/encoders_peer.py" --arch "$arch" ${KOCLIP_TOOLS:+--tools "$KOCLIP_TOOLS"} --int8 "${common[@]}" > "$out/torch-int8.jsonl"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 "$root/src/tools/bench/compare_encoders.py" "$out"/*.jsonl | tee "$out/compare.md"
