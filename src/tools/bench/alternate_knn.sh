#!/usr/bin/env bash
# Lucene and hnswlib queried in turn on kept graphs: A B A B ..., so that a drift of the machine's speed
# between runs (it moved QPS by about 20 % between two sessions here) hits both engines alike.
#   src/tools/bench/alternate_knn.sh N DISTRIBUTION [ROUNDS] [INDEX...]
#   e.g. src/tools/bench/alternate_knn.sh 1000000 clip 4 index-float32 index-float32-onepass
# Needs the vectors and kept Lucene indexes of `KEEP_INDEX=1 run_knn.sh N float32 DISTRIBUTION` (INDEX:
# folders under target/bench/knn-N[-DISTRIBUTION], default index-float32; any bench-knn --index build of
# the same base, e.g. with --ram-buffer-mb); hnswlib's index is built once into hnswlib.index there when
# absent. Each round runs every Lucene index, then hnswlib, each with its own warm-up and one timed pass
# of the sweep; compare_knn.py combines the rounds (median QPS, min-max over the rounds).
# SWEEP overrides the candidate counts / ef (default 10,20,40,60,80,120,160,320, run_knn.sh's), e.g. to
# follow a curve that has not reached recall 0.99 at 320.
# Results: target/bench/knn-N[-DISTRIBUTION]/alternate/{lucene-INDEX-R,peers-R}.jsonl and compare.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
n="${1:?N}"
dist="${2:?DISTRIBUTION}"
rounds="${3:-4}"
shift $(($# < 3 ? $# : 3))
indexes=("$@")
[ ${#indexes[@]} -gt 0 ] || indexes=(index-float32)
suffix=""; [ "$dist" = lowrank ] || suffix="-$dist"
data="$root/target/bench/vectors-$n$suffix"
out="$root/target/bench/knn-$n$suffix"
alt="$out/alternate"
sweep="${SWEEP:-10,20,40,60,80,120,160,320}"
for i in "${indexes[@]}"; do
  compgen -G "$out/$i/segments_*" > /dev/null || { echo "alternate_knn.sh: no index in $out/$i (KEEP_INDEX=1 run_knn.sh builds one)" >&2; exit 2; }
done
mkdir -p "$alt"
rm -f "$alt"/*.jsonl
if [ ! -f "$out/hnswlib.index" ]; then
  echo "building hnswlib's index into $out/hnswlib.index" >&2
  /usr/bin/python3 "$root/src/tools/bench/knn_peers.py" --base "$data/base.fvecs" --queries "$data/queries.fvecs" \
    --truth "$data/truth.ivecs" --hnswlib-index "$out/hnswlib.index" --ef 10 --engines hnswlib --repeat 1 > "$alt/build.jsonl"
fi
# every Lucene line is labelled with its index folder: compare_knn.py keeps each index its own curve
label() { /usr/bin/python3 -c 'import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        print(json.dumps(dict(json.loads(line), label=sys.argv[1])))' "$1"; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
  for i in "${indexes[@]}"; do
    echo "round $r/$rounds: lucene $i, load $(cut -d' ' -f1 /proc/loadavg)" >&2
    "$root/bin/koclip-search" bench-knn --base "$data/base.fvecs" --queries "$data/queries.fvecs" \
      --truth "$data/truth.ivecs" --num-candidates "$sweep" --repeat 1 --index "$out/$i" --reuse \
      2>> "$alt/lucene.err" | label "$i" > "$alt/lucene-$i-$r.jsonl"
  done
  echo "round $r/$rounds: hnswlib, load $(cut -d' ' -f1 /proc/loadavg)" >&2
  /usr/bin/python3 "$root/src/tools/bench/knn_peers.py" --base "$data/base.fvecs" --queries "$data/queries.fvecs" \
    --truth "$data/truth.ivecs" --hnswlib-index "$out/hnswlib.index" --ef "$sweep" --engines hnswlib --repeat 1 \
    > "$alt/peers-$r.jsonl" 2>> "$alt/peers.err"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 "$root/src/tools/bench/compare_knn.py" "$alt"/lucene-*-[0-9]*.jsonl "$alt"/peers-*.jsonl | tee "$alt/compare.md"
