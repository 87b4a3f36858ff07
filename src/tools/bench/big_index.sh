#!/usr/bin/env bash
# The big-index run of docs/benchmarks.md: N vectors (default 2 000 000 x 512) in a quantized format,
# built once and kept, then queried with a cold page cache (a fresh JVM after evict_cache.py dropped the
# index's files from the cache: what a restarted server sees) and a warm one.
#   src/tools/bench/big_index.sh [N] [FORMAT] [DISTRIBUTION]     defaults 2000000 int8 lowrank
# Results in target/bench/big-N-FORMAT[-DISTRIBUTION]/: build.jsonl (build and merge seconds, index bytes,
# and the sweep right after the build), cold.jsonl (one pass at each setting, first query on an evicted
# cache), warm.jsonl (warmed-up, REPEAT rounds), and memory.txt (RSS, cached index bytes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
n="${1:-2000000}"
format="${2:-int8}"
dist="${3:-lowrank}"
suffix=""; [ "$dist" = lowrank ] || suffix="-$dist"
repeat="${REPEAT:-2}"
candidates="${CANDIDATES:-40,100,160,320}"
data="$root/target/bench/vectors-$n$suffix"
out="$root/target/bench/big-$n-$format$suffix"
bench=("$root/bin/koclip-search" bench-knn --base "$data/base.fvecs" --queries "$data/queries.fvecs" --truth "$data/truth.ivecs")
mkdir -p "$out"
[ -f "$data/truth.ivecs" ] || /usr/bin/python3 "$root/src/tools/bench/make_vectors.py" --out "$data" --n "$n" --distribution "$dist"
echo "big_index.sh: load before $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if ! compgen -G "$out/index/segments_*" > /dev/null; then
  rm -rf "$out/index"
  "${bench[@]}" --vectors "$format" --index "$out/index" --num-candidates "$candidates" --repeat 1 > "$out/build.jsonl"
fi
cached() { /usr/bin/python3 "$root/src/tools/bench/evict_cache.py" --count "$out/index"; }
{
  echo "index: $(du -sb "$out/index" | cut -f1) bytes, $(ls "$out/index" | wc -l) files"
  echo "cached before eviction: $(cached)"
} > "$out/memory.txt"
/usr/bin/python3 "$root/src/tools/bench/evict_cache.py" "$out/index"
echo "cached after eviction: $(cached)" >> "$out/memory.txt"
# cold: no warm-up, one round; the first setting's queries read the index from disk
"${bench[@]}" --index "$out/index" --reuse --num-candidates "$candidates" --repeat 1 --warmup-seconds 0 > "$out/cold.jsonl"
echo "cached after the cold pass: $(cached)" >> "$out/memory.txt"
"${bench[@]}" --index "$out/index" --reuse --num-candidates "$candidates" --repeat "$repeat" > "$out/warm.jsonl"
echo "cached after the warm pass: $(cached)" >> "$out/memory.txt"
echo "big_index.sh: load after $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$out/memory.txt" >&2
/usr/bin/python3 - "$out" <<'PY' >&2
import json, sys, os
out = sys.argv[1]
for name in ("build", "cold", "warm"):
    path = os.path.join(out, name + ".jsonl")
    if not os.path.exists(path):
        continue
    for line in open(path):
        r = json.loads(line)
        print(f"{name:5} {r['vectors']} n={r['n']} candidates={r['numCandidates']:4} recall={r['recall']:.4f}"
              f" qps={r['qps']:8.1f} p50={r['p50Ms']:.3f} p99={r['p99Ms']:.3f} ms index={r['indexSeconds']}s"
              f" merge={r['mergeSeconds']}s bytes/vector={r['indexBytes'] / r['n']:.0f}")
PY
