#!/usr/bin/env bash
# The decoder side-by-side of docs/benchmarks.md §14: bench-ingest with ImageIO, libvips exact and
# libvips fast, and ingest_peer.py with PIL full decodes and PIL draft, on one photo folder, fp32 and
# int8 (the second bundle, when given; run first), in one run.
#   src/tools/bench/run_ingest_decoders.sh FP32_BUNDLE [INT8_BUNDLE] [FOLDER]
# FOLDER defaults to target/bench/photos, made when missing by
#   src/tools/decode/make_photos.py FOLDER --folder 32 4 4   (32 12 MP JPEGs, 4 HEIC, 4 PNG)
# KOCLIP_BIN overrides the launcher. Results: target/bench/decoders/*.jsonl
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
fp32="$1"
int8="${2:-}"
photos="${3:-$root/target/bench/photos}"
bin="${KOCLIP_BIN:-$root/bin/koclip-search}"
out="$root/target/bench/decoders"
mkdir -p "$out"
[ -d "$photos" ] || /usr/bin/python3 "$root/src/tools/decode/make_photos.py" "$photos" --folder 32 4 4
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run() { # name, then the command
  local name="$1"; shift
  echo "$(date +%T) $name (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$@" > "$out/$name.jsonl"
}
for bundle in ${int8:+"$int8"} "$fp32"; do
  if [ "$bundle" = "$fp32" ]; then v=fp32; engine=(--decode-timeout 120); peer=(); else v=int8; engine=(--variant int8 --batch 8 --decode-timeout 120); peer=(--int8); fi
  run "engine-$v-imageio" "$bin" bench-ingest --source "$photos" --model "$bundle" "${engine[@]}" --decoder imageio
  run "engine-$v-libvips-exact" "$bin" bench-ingest --source "$photos" --model "$bundle" "${engine[@]}" --decoder libvips --decode exact
  run "engine-$v-libvips-fast" "$bin" bench-ingest --source "$photos" --model "$bundle" "${engine[@]}" --decoder libvips --decode fast
  run "torch-$v-pil" /usr/bin/python3 "$root/src/tools/bench/ingest_peer.py" --source "$photos" "${peer[@]}"
  run "torch-$v-pil-draft" /usr/bin/python3 "$root/src/tools/bench/ingest_peer.py" --source "$photos" "${peer[@]}" --draft
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$out"/*.jsonl
