#!/usr/bin/env bash
# HTTP benchmark of GET /api/v1/search with wrk, three phases, one JSON line each on stdout:
#   cached     one query over and over: the embedding comes from the cache, so this is kNN + JSON
#              (target: ≤ 2 ms end to end, docs/benchmarks.md)
#   distinct   a new query per request (never cached): text encoder + kNN, at moderate concurrency
#   overload   distinct queries at high concurrency: the server must refuse the excess with 429/503
#              and Retry-After (bounded inference limiter), not queue it; the status codes are counted
#   health-N, cached-N (with --compare-connections N, e.g. 16): GET /actuator/health and the cached
#              search, both with N connections, after an untimed run of each, alternated three times:
#              the share of the health endpoint's throughput that a cached search keeps (the cost of
#              the search itself over HTTP's)
#
# Usage:
#   src/tools/bench/http_bench.sh [--url http://127.0.0.1:8080] [--duration 20s] [--start PORT]
#     [--cached-connections N] [--distinct-connections N] [--overload-connections N]   (4, 4, 64)
#     [--serve-args "ARGS"] [--compare-connections N] [--phases "cached distinct overload"]
#     --start PORT   launch `bin/koclip-search serve --port PORT ARGS` (by default the demo model and the
#                    sample corpus ingest/) first, wait until it answers, stop it at the end;
#                    e.g. --serve-args "--model BUNDLE --index DIR" (run_http_index.sh does that)
# Needs wrk (apt-get install wrk).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
url="http://127.0.0.1:8080"
duration="20s"
start_port=""
serve_args=""
cached_connections=4
distinct_connections=4
overload_connections=64
compare_connections=""
phases="cached distinct overload"
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --start) start_port="$2"; url="http://127.0.0.1:$2"; shift 2 ;;
    --serve-args) serve_args="$2"; shift 2 ;;
    --cached-connections) cached_connections="$2"; shift 2 ;;
    --distinct-connections) distinct_connections="$2"; shift 2 ;;
    --overload-connections) overload_connections="$2"; shift 2 ;;
    --compare-connections) compare_connections="$2"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    *) echo "http_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "http_bench.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }

server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [ -n "$start_port" ]; then
  # shellcheck disable=SC2086 # serve_args is a list of words
  # wrk's connections all come from one address and stand for many clients: the per-client bound
  # (koclip.http.clients.max-in-flight, 429 past 8) is off here; against --url, start the server so.
  "${KOCLIP_BIN:-$root/bin/koclip-search}" serve --port "$start_port" $serve_args --koclip.http.clients.max-in-flight=0 >"${TMPDIR:-/tmp}/koclip-http-bench-server.log" 2>&1 &
  server_pid=$!
  echo "http_bench.sh: started server pid $server_pid on port $start_port (log ${TMPDIR:-/tmp}/koclip-http-bench-server.log)" >&2
fi
# shellcheck source=await_server.sh
. "$here/await_server.sh"
await_search "$url" "$server_pid" http_bench.sh "${TMPDIR:-/tmp}/koclip-http-bench-server.log" 180
# warm the cache for the cached phase and the JIT for all
for _ in $(seq 1 200); do curl -s -o /dev/null "$url/api/v1/search?k=10&q=%EB%B9%A8%EA%B0%84%20%EA%B3%A0%EC%96%91%EC%9D%B4"; done
echo "http_bench.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

run() { # label mode connections
  wrk -t"$(( $3 < 2 ? 1 : 2 ))" -c"$3" -d"$duration" --timeout 10s -s "$here/http_bench.lua" "$url" -- "$2" "$1" | grep '^{' || true
}
for phase in $phases; do
  case "$phase" in
    cached) run cached cached "$cached_connections" ;;
    distinct) run distinct distinct "$distinct_connections" ;;
    overload) run overload distinct "$overload_connections" ;;
  esac
done
if [ -n "$compare_connections" ]; then
  # untimed warm-up of both endpoints at the same concurrency (JIT, Tomcat's threads), then three
  # alternations so that a drift in the machine's load hits both alike
  run warmup health "$compare_connections" >/dev/null
  run warmup cached "$compare_connections" >/dev/null
  for round in 1 2 3; do
    run "health-$compare_connections" health "$compare_connections"
    run "cached-$compare_connections" cached "$compare_connections"
  done
  echo "http_bench.sh: load after $(cut -d' ' -f1-3 /proc/loadavg)" >&2
fi
