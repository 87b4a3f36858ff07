#!/usr/bin/env bash
# HTTP over a large index: the §7 "cached query ≤ 2 ms end to end" target at a size the image corpus
# does not reach. Writes N clustered unit vectors in the bundle's embedding dimension, indexes them
# with bench-knn (the product's index code, kept with --index and stamped with the bundle as its
# model), then serves that index with the bundle and runs http_bench.sh against it.
#   src/tools/bench/run_http_index.sh [N] [BUNDLE] [PORT]     defaults: 100000, demo, 18090
# Extra http_bench.sh options go in HTTP_BENCH_ARGS (default: one connection for cached and
# distinct, 32 for overload, 15 s per phase). KOCLIP_BIN overrides the launcher.
# Results: target/bench/http-N/{knn,http}.jsonl; the index stays in target/bench/http-N/index.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
n="${1:-100000}"
bundle="${2:-demo}"
port="${3:-18090}"
bin="${KOCLIP_BIN:-$root/bin/koclip-search}"
out="$root/target/bench/http-$n"
mkdir -p "$out"
dim=$("$bin" embed --model "$bundle" --text "dimension probe" | /usr/bin/python3 -c 'import json, sys; print(len(json.loads(sys.stdin.readline())["vector"]))')
echo "run_http_index.sh: $n vectors of $dim dimensions for $bundle" >&2
if [ ! -f "$out/index.complete" ]; then
  rm -rf "$out/index" "$out/vectors" "$out/index.complete"
  /usr/bin/python3 "$here/make_vectors.py" --out "$out/vectors" --n "$n" --dim "$dim" --truth-k 0
  "$bin" bench-knn --base "$out/vectors/base.fvecs" --queries "$out/vectors/queries.fvecs" \
    --index "$out/index" --model "$bundle" --num-candidates 100 > "$out/knn.jsonl"
  touch "$out/index.complete"
fi
# shellcheck disable=SC2086 # HTTP_BENCH_ARGS is a list of words
"$here/http_bench.sh" --start "$port" --serve-args "--model $bundle --index $out/index" \
  ${HTTP_BENCH_ARGS:---duration 15s --cached-connections 1 --distinct-connections 1 --overload-connections 32} \
  | tee "$out/http.jsonl"
