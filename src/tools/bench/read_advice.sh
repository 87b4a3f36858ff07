#!/usr/bin/env bash
# Read advice when the index outgrows memory (docs/benchmarks.md, "Read advice"): a kept index (e.g.
# big_index.sh's) queried from an evicted page cache inside a memory cgroup whose limit holds the hot set
# (graph + quantized vectors) but not the float32 vectors, once per read advice, then once each without a
# limit (the index fits: what the advice costs a restarted server).
#   src/tools/bench/read_advice.sh INDEX VECTORS LIMIT_GIB [QUERIES]
#   e.g. src/tools/bench/read_advice.sh target/bench/big-2000000-int8/index target/bench/vectors-2000000 3 100
# Needs root and a writable memory cgroup (v1 or v2; MEMCG=the parent folder, default this process's own).
# Limited runs time the first QUERIES queries (default 100) twice after no warm-up: round 1 starts
# cold, round 2 is the steady state (qpsMin / qpsMax); unlimited runs time the first pass of all queries
# at 40 candidates (a restarted server's first minute). Results: target/bench/read-advice/*.jsonl, summary.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
index="$1"; data="$2"; limit_gib="$3"; queries="${4:-100}"
out="$root/target/bench/read-advice"
mkdir -p "$out"
if [ -z "${MEMCG:-}" ]; then
  if v1="$(grep -E '^[0-9]+:memory:' /proc/self/cgroup | cut -d: -f3)" && [ -d "/sys/fs/cgroup/memory$v1" ]; then
    MEMCG="/sys/fs/cgroup/memory$v1"
  else
    MEMCG="/sys/fs/cgroup$(grep -E '^0::' /proc/self/cgroup | cut -d: -f3)"
  fi
fi
/usr/bin/python3 -c "
import sys; sys.path.insert(0, '$root/src/tools/bench')
import numpy as np
from vecio import read_fvecs, read_ivecs, VecsWriter
q = np.asarray(read_fvecs('$data/queries.fvecs'))[:$queries]; t = read_ivecs('$data/truth.ivecs')[:$queries]
with VecsWriter('$out/queries.fvecs', np.float32) as w: w.write(q)
with VecsWriter('$out/truth.ivecs', np.int32) as w: w.write(t)
"
run() { # LABEL ADVICE LIMIT_BYTES(0 = none) QUERIES_FILE TRUTH_FILE CANDIDATES REPEAT
  local label="$1" advice="$2" bytes="$3" cg="$MEMCG/koclip-read-advice-$1"
  mkdir -p "$cg"
  if [ -f "$cg/memory.limit_in_bytes" ]; then limit_file="$cg/memory.limit_in_bytes"; stat_key=total_pgmajfault; else limit_file="$cg/memory.max"; stat_key=pgmajfault; fi
  if [ "$bytes" = 0 ]; then echo -1 > "$limit_file" 2>/dev/null || echo max > "$limit_file"; else echo "$bytes" > "$limit_file"; fi
  /usr/bin/python3 "$root/src/tools/bench/evict_cache.py" "$index" 2>/dev/null
  bash -c "echo \$\$ > '$cg/cgroup.procs'; export KOCLIP_JAVA_OPTS='-Xmx1g -Dkoclip.index.read-advice=$advice'; exec '$root/bin/koclip-search' bench-knn \
    --base '$data/base.fvecs' --queries '$4' --truth '$5' --index '$index' --reuse --num-candidates $6 --repeat $7 --warmup-seconds 0" \
    2> "$out/$label.err" > "$out/$label.jsonl"
  local faults; faults="$(awk -v k="$stat_key" '$1 == k {print $2}' "$cg/memory.stat")"
  local peak; peak="$(cat "$cg/memory.max_usage_in_bytes" 2>/dev/null || cat "$cg/memory.peak" 2>/dev/null || echo '?')"
  /usr/bin/python3 -c "
import json; r = json.loads(open('$out/$label.jsonl').readline())
print(f\"$label: advice $advice, limit ${bytes} B, {r['queries']} queries x {r['rounds']}, {r['numCandidates']} candidates:\"
      f\" recall {r['recall']:.4f}, QPS median {r['qps']} (rounds {r['qpsMin']}-{r['qpsMax']}), p50 {r['p50Ms']} ms, p99 {r['p99Ms']} ms,\"
      f\" major faults $faults, peak memory $peak B, cached after: $(/usr/bin/python3 "$root/src/tools/bench/evict_cache.py" --count "$index")\")
" | tee -a "$out/summary.txt"
  rmdir "$cg" 2>/dev/null || true
}
echo "read_advice.sh $(date -u +%FT%TZ): $index, limit $limit_gib GiB, load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/summary.txt"
limit=$((limit_gib * 1024 * 1024 * 1024))
run limited-by-context by-context "$limit" "$out/queries.fvecs" "$out/truth.ivecs" 100 2
run limited-normal normal "$limit" "$out/queries.fvecs" "$out/truth.ivecs" 100 2
run fits-by-context by-context 0 "$data/queries.fvecs" "$data/truth.ivecs" 40 1
run fits-normal normal 0 "$data/queries.fvecs" "$data/truth.ivecs" 40 1
cat "$out/summary.txt" >&2
