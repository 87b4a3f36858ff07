#!/usr/bin/env bash
# A/B of the product's kNN path between two builds (e.g. the previous main and this change), same
# vectors, same machine, runs alternated (A B A B) so drifting load hits both sides alike.
#   src/tools/bench/run_knn_ab.sh OLD_CHECKOUT [N] [FORMATS] [ROUNDS]
#   e.g. src/tools/bench/run_knn_ab.sh /tmp/old-main 50000 "float32 int8" 2
# OLD_CHECKOUT is a built checkout (its bin/koclip-search and target/koclip-search.jar); the new side
# is this checkout. Results: target/bench/knn-ab-N[-DIST]/{old,new}-FORMAT-ROUND.jsonl and a summary table
# (QPS and recall per candidate count, median over rounds) on stdout.
# With REUSE=1 (both builds must have bench-knn --reuse) the new side builds each format's index once
# (target/bench/knn-ab-N/index-FORMAT) and both sides query that same graph: the A/B then compares
# the query paths alone, not two graph builds, and takes one build instead of 2 x ROUNDS. Every run
# warms up and times REPEAT (default 3) interleaved rounds itself. DIST picks the distribution.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
old="${1:?usage: run_knn_ab.sh OLD_CHECKOUT [N] [FORMATS] [ROUNDS]}"
n="${2:-50000}"
formats="${3:-float32 int8}"
rounds="${4:-2}"
dist="${DIST:-lowrank}"
suffix=""; [ "$dist" = lowrank ] || suffix="-$dist"
data="$root/target/bench/vectors-$n$suffix"
out="$root/target/bench/knn-ab-$n$suffix"
mkdir -p "$out"
[ -f "$data/truth.ivecs" ] || /usr/bin/python3 "$root/src/tools/bench/make_vectors.py" --out "$data" --n "$n" --distribution "$dist"
common=(--base "$data/base.fvecs" --queries "$data/queries.fvecs" --truth "$data/truth.ivecs" --num-candidates "${CANDIDATES:-20,40,80,160}")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ "${REUSE:-0}" = 1 ]; then
  for f in $formats; do
    [ -d "$out/index-$f" ] || "$root/bin/koclip-search" bench-knn "${common[@]}" --vectors "$f" --repeat 1 \
      --warmup-seconds 0 --index "$out/index-$f" > "$out/build-$f.jsonl"
  done
fi
for r in $(seq 1 "$rounds"); do
  for f in $formats; do
    for side in old new; do
      dir="$root"; [ "$side" = old ] && dir="$old"
      if [ "${REUSE:-0}" = 1 ]; then
        "$dir/bin/koclip-search" bench-knn "${common[@]}" --vectors "$f" --index "$out/index-$f" --reuse \
          --repeat "${REPEAT:-3}" > "$out/$side-$f-$r.jsonl"
      else
        "$dir/bin/koclip-search" bench-knn "${common[@]}" --vectors "$f" > "$out/$side-$f-$r.jsonl"
      fi
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 - "$out" <<'PY'
import json, sys, glob, statistics, collections
out = sys.argv[1]
rows = collections.defaultdict(list)
for path in glob.glob(out + "/*.jsonl"):
    name = path.rsplit("/", 1)[1][:-6]
    if not name.startswith(("old-", "new-")):
        continue  # build-FORMAT.jsonl
    side, fmt, _ = name.split("-")
    for line in open(path):
        r = json.loads(line)
        rows[(fmt, r["numCandidates"], side)].append(r)
print("| vectors | candidates | recall old | recall new | QPS old | QPS new | new/old |")
print("|---|---|---|---|---|---|---|")
for fmt, nc in sorted({(f, c) for f, c, _ in rows}):
    o, n = rows[(fmt, nc, "old")], rows[(fmt, nc, "new")]
    if not o or not n:
        continue
    qo = statistics.median(r["qps"] for r in o); qn = statistics.median(r["qps"] for r in n)
    print(f"| {fmt} | {nc} | {o[0]['recall']:.4f} | {n[0]['recall']:.4f} | {qo:.0f} | {qn:.0f} | x{qn/qo:.2f} |")
PY
