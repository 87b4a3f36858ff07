#!/usr/bin/env bash
# The kNN side-by-side of docs/benchmarks.md: vectors, Lucene (bench-knn) for each vector format,
# hnswlib + faiss (knn_peers.py), and the comparison table.
#   src/tools/bench/run_knn.sh [N] [FORMATS] [DISTRIBUTION]     N default 100000; FORMATS default "float32";
#   DISTRIBUTION lowrank (default), isotropic or clip (make_vectors.py --distribution)
#   e.g. src/tools/bench/run_knn.sh 100000 "float32 int8 bbq" clip
# Results: target/bench/knn-N[-DISTRIBUTION]/{lucene-FORMAT,peers}.jsonl and compare.md (lowrank: no suffix)
# KEEP_INDEX=1 keeps each format's index in target/bench/knn-N[-DISTRIBUTION]/index-FORMAT and hnswlib's in
# hnswlib.index there (and reuses those found there: a later sweep, e.g. with --filters, or an A/B/A/B
# alternation of the two engines, queries the same graphs without rebuilding them).
# Both sides warm up untimed and time REPEAT (default 3) interleaved rounds of every setting.
# Peers build on every core, as Lucene does (its indexing thread plus background merges); queries
# are single-threaded everywhere. KNN_PEERS picks the peers (default hnswlib,faiss-hnsw,faiss-flat;
# above 200k vectors hnswlib,faiss-flat: faiss 1.7.3's HNSW build took 596 s at 100k on one thread,
# docs/benchmarks.md section 3; it was not run at 1M).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
n="${1:-100000}"
formats="${2:-float32}"
if [ "$n" -gt 200000 ]; then peers="${KNN_PEERS:-hnswlib,faiss-flat}"; else peers="${KNN_PEERS:-hnswlib,faiss-hnsw,faiss-flat}"; fi
dist="${3:-lowrank}"
suffix=""; [ "$dist" = lowrank ] || suffix="-$dist"
repeat="${REPEAT:-3}"
data="$root/target/bench/vectors-$n$suffix"
out="$root/target/bench/knn-$n$suffix"
mkdir -p "$out"
[ -f "$data/truth.ivecs" ] || /usr/bin/python3 "$root/src/tools/bench/make_vectors.py" --out "$data" --n "$n" --distribution "$dist"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for f in $formats; do
  keep=()
  if [ "${KEEP_INDEX:-0}" = 1 ]; then
    keep=(--index "$out/index-$f")
    if compgen -G "$out/index-$f/segments_*" > /dev/null; then keep+=(--reuse); fi
  fi
  "$root/bin/koclip-search" bench-knn --base "$data/base.fvecs" --queries "$data/queries.fvecs" \
    --truth "$data/truth.ivecs" --vectors "$f" --num-candidates 10,20,40,60,80,120,160,320 --repeat "$repeat" \
    "${keep[@]}" > "$out/lucene-$f.jsonl"
done
keep_peer=()
if [ "${KEEP_INDEX:-0}" = 1 ] && [[ ",$peers," == *,hnswlib,* ]]; then keep_peer=(--hnswlib-index "$out/hnswlib.index"); fi
/usr/bin/python3 "$root/src/tools/bench/knn_peers.py" --base "$data/base.fvecs" --queries "$data/queries.fvecs" \
  --truth "$data/truth.ivecs" "${keep_peer[@]}" --ef 10,20,40,60,80,120,160,320 --engines "$peers" --repeat "$repeat" > "$out/peers.jsonl"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 "$root/src/tools/bench/compare_knn.py" "$out"/lucene-*.jsonl "$out/peers.jsonl" | tee "$out/compare.md"
