#!/usr/bin/env bash
# Soak and overload run against the real server: a mix of cached and distinct text searches, image
# upload searches, classify, patches and thumbnails (soak.lua) for --duration seconds, in slices of
# --slice seconds (one wrk run each, so latency is known over time), with an admin ingest at one third
# and a reindex at two thirds of the run; then an overload slice (distinct searches on many
# connections, http_bench.lua). Every 2 s it samples the server's RSS, heap in use (actuator) and open
# file descriptors (/proc/PID/fd). soak_report.py then checks the run and draws docs-ready SVG:
#   no 5xx other than 503; every 429/503 carries Retry-After; RSS after warm-up grows by at most
#   --rss-bound-mib; open descriptors by at most --fd-bound; the server exits within 120 s of SIGTERM.
# Exit 0 when every check passes, 1 otherwise. Output in --out: slices.jsonl, samples.csv, summary.json,
# soak.svg, server.log. The RSS bound applies to the RSS outside the committed Java heap (soak_report.py).
#
# Usage:
#   src/tools/bench/soak.sh [--duration 60] [--slice 10] [--connections 4] [--overload-connections 64]
#     [--overload-seconds 10] [--port 18080] [--out target/soak] [--serve-args "ARGS"] [--label NAME]
#   default server: the demo bundle on the sample corpus ingest/, a fresh index in OUT/index;
#   e.g. --serve-args "--model /work/bench-models/koclip-base-random --source ingest --index DIR"
# Needs wrk (apt-get install wrk), curl, /usr/bin/python3, and the jar (./mvnw package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
duration=60 slice=10 connections=4 overload_connections=64 overload_seconds=10 port=18080
out="$root/target/soak" serve_args="" label="demo" rss_bound_mib=160 fd_bound=20
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --slice) slice="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --overload-connections) overload_connections="$2"; shift 2 ;;
    --overload-seconds) overload_seconds="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --serve-args) serve_args="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --rss-bound-mib) rss_bound_mib="$2"; shift 2 ;;
    --fd-bound) fd_bound="$2"; shift 2 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "soak.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
mkdir -p "$out"
rm -rf "$out/index" "$out/index.next" "$out/slices.jsonl" "$out/samples.csv"
[ -n "$serve_args" ] || serve_args="--model demo --source $root/ingest --index $out/index"
url="http://127.0.0.1:$port"
token="soak-$$-$RANDOM"
auth="Authorization: Bearer $token"

# shellcheck disable=SC2086 # serve_args is a list of words
KOCLIP_ADMIN_TOKEN="$token" "${KOCLIP_BIN:-$root/bin/koclip-search}" serve --port "$port" $serve_args \
  --koclip.ingest.on-start=if-empty >"$out/server.log" 2>&1 &
server_pid=$!
sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  if kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
echo "soak.sh: server pid $server_pid on $url (log $out/server.log)" >&2
# shellcheck source=await_server.sh
. "$here/await_server.sh"
await_search "$url" "$server_pid" soak.sh "$out/server.log" 300
ids=$(curl -s "$url/api/v1/search?k=20&q=%EB%B9%A8%EA%B0%84" | /usr/bin/python3 -c 'import json,sys; print(",".join(h["id"] for h in json.load(sys.stdin)["hits"]))')
image="$(find "$root/ingest" -name '*.jpg' | sort | sed -n 1p)"
echo "soak.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); image $image; ${duration}s in ${slice}s slices" >&2

start=$(date +%s.%N)
elapsed() { awk -v now="$(date +%s.%N)" -v s="$start" 'BEGIN { printf "%.1f", now - s }'; }
# The sampler: seconds since start, RSS (KiB), heap in use and committed (bytes), open descriptors,
# load average.
metric() { # metric NAME: the heap's value of an actuator JVM memory metric
  curl -s -H "$auth" "$url/actuator/metrics/$1?tag=area:heap" \
    | sed -n 's/.*"measurements":\[{"statistic":"VALUE","value":\([0-9.E+]*\)}.*/\1/p'
}
(
  echo "t,rssKiB,heapBytes,heapCommittedBytes,fds,sockets,load"
  while kill -0 "$server_pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo "")
    # descriptors other than sockets (files, pipes, epoll): connections come and go with the load
    fds=$(find "/proc/$server_pid/fd" -mindepth 1 -printf '%l\n' 2>/dev/null | grep -vc '^socket:' || true)
    sockets=$(find "/proc/$server_pid/fd" -mindepth 1 -printf '%l\n' 2>/dev/null | grep -c '^socket:' || true)
    heap=$(metric jvm.memory.used)
    committed=$(metric jvm.memory.committed)
    echo "$(elapsed),${rss:-},${heap:-},${committed:-},$fds,$sockets,$(cut -d' ' -f1 /proc/loadavg)"
    sleep 2
  done
) >"$out/samples.csv" &
sampler_pid=$!

slices=$(( duration / slice )); [ "$slices" -ge 1 ] || slices=1
for i in $(seq 0 $(( slices - 1 ))); do
  if [ "$i" -eq $(( slices / 3 )) ]; then
    echo "soak.sh: t=$(elapsed) admin ingest: $(curl -s -X POST -H "$auth" "$url/api/v1/admin/ingest")" >&2
  fi
  if [ "$i" -eq $(( 2 * slices / 3 )) ] && [ "$slices" -ge 2 ]; then
    echo "soak.sh: t=$(elapsed) admin reindex: $(curl -s -X POST -H "$auth" "$url/api/v1/admin/reindex")" >&2
  fi
  # one connection per wrk thread: soak.lua pairs each answer with the oldest request of its thread
  line=$(wrk -t"$connections" -c"$connections" -d"${slice}s" --timeout 10s -s "$here/soak.lua" "$url" -- "mix-$i" "$image" "$ids" | grep '^{' || true)
  [ -n "$line" ] && echo "${line%\}},\"t\":$(elapsed),\"kind\":\"mix\"}" >>"$out/slices.jsonl"
done
echo "soak.sh: t=$(elapsed) mixed load done" >&2
echo "$(elapsed)" >"$out/mix-end"
line=$(wrk -t2 -c"$overload_connections" -d"${overload_seconds}s" --timeout 10s -s "$here/http_bench.lua" "$url" -- distinct overload | grep '^{' || true)
[ -n "$line" ] && echo "${line%\}},\"t\":$(elapsed),\"kind\":\"overload\"}" >>"$out/slices.jsonl"
sleep 6 # a few samples after the overload, with its connections closed
# The jobs, from the same address as the overload: wait out the per-client bound's 429 (the server may
# still be answering the overload's queued requests) and any 503.
for _ in $(seq 1 60); do
  code=$(curl -s -o "$out/jobs.json" -w '%{http_code}' -H "$auth" "$url/api/v1/admin/jobs" || true)
  [ "$code" = "429" ] || [ "$code" = "503" ] || break
  sleep 1
done

# SIGTERM: the graceful stop (docs/operations.md, "Stopping") must end the process within 120 s.
t0=$(date +%s)
kill -TERM "$server_pid"
for _ in $(seq 1 120); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
stop_seconds=$(( $(date +%s) - t0 ))
if kill -0 "$server_pid" 2>/dev/null; then stop_seconds=-1; fi
echo "$stop_seconds" >"$out/stop-seconds"
wait "$server_pid" 2>/dev/null || true
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=""

/usr/bin/python3 "$here/soak_report.py" --out "$out" --label "$label" --rss-bound-mib "$rss_bound_mib" \
  --fd-bound "$fd_bound" --stop-seconds "$stop_seconds" --duration "$duration"
