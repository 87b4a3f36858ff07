#!/usr/bin/env bash
# A/B of the product's kNN path between two builds (e.g. the previous main and this change), same
# vectors, same machine, runs alternated (A B A B) so drifting load hits both sides alike.
#   src/tools/bench/run_knn_ab.sh OLD_CHECKOUT [N] [FORMATS] [ROUNDS]
#   e.g. src/tools/bench/run_knn_ab.sh /tmp/old-main 50000 "float32 int8" 2
# OLD_CHECKOUT is a built checkout (its bin/koclip-search and target/koclip-search.jar); the new side
# is this checkout. Results: target/bench/knn-ab-N/{old,new}-FORMAT-ROUND.jsonl and a summary table
# (QPS and recall per candidate count, median over rounds) on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
old="${1:?usage: run_knn_ab.sh OLD_CHECKOUT [N] [FORMATS] [ROUNDS]}"
n="${2:-50000}"
formats="${3:-float32 int8}"
rounds="${4:-2}"
data="$root/target/bench/vectors-$n"
out="$root/target/bench/knn-ab-$n"
mkdir -p "$out"
[ -f "$data/truth.ivecs" ] || /usr/bin/python3 "$root/src/tools/bench/make_vectors.py" --out "$data" --n "$n"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$rounds"); do
  for f in $formats; do
    for side in old new; do
      dir="$root"; [ "$side" = old ] && dir="$old"
      "$dir/bin/koclip-search" bench-knn --base "$data/base.fvecs" --queries "$data/queries.fvecs" \
        --truth "$data/truth.ivecs" --vectors "$f" --num-candidates 20,40,80,160 > "$out/$side-$f-$r.jsonl"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 - "$out" <<'PY'
import json, sys, glob, statistics, collections
out = sys.argv[1]
rows = collections.defaultdict(list)
for path in glob.glob(out + "/*.jsonl"):
    side, fmt, _ = path.rsplit("/", 1)[1][:-6].split("-")
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
