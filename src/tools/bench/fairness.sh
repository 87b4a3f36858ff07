#!/usr/bin/env bash
# Can one client starve the others? One "heavy" client (wrk, --connections connections of distinct text
# searches from 127.0.0.1, each one running the text encoder) and one "light" client (curl, one request at
# a time, also distinct searches, from 127.0.0.2: another address on the loopback) against the real server,
# run twice side by side: with the per-client bound off (koclip.http.clients.max-in-flight=0) and on (its
# default, or --max-in-flight). Before the heavy client starts, the light client runs alone: its latency
# uncontended. Prints one JSON line per phase and a Markdown table: the light client's p50/p99 and its
# answers by status, the heavy client's throughput and answers by status.
#
# Usage: src/tools/bench/fairness.sh [--seconds 20] [--connections 64] [--max-in-flight 8] [--port 18090]
#          [--serve-args "ARGS"]       default server: the demo bundle on the sample corpus, a fresh index
# Needs wrk, curl, /usr/bin/python3 and the jar (./mvnw package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
seconds=20 connections=64 max_in_flight=8 port=18090 serve_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --max-in-flight) max_in_flight="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --serve-args) serve_args="$2"; shift 2 ;;
    *) echo "fairness.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=await_server.sh
. "$here/await_server.sh"
command -v wrk >/dev/null || { echo "fairness.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
url="http://127.0.0.1:$port"

# light CLIENT_LABEL SECONDS: sequential distinct searches from 127.0.0.2; one "code seconds" line each
light() {
  local end=$((SECONDS + $2)) i=0
  while [ "$SECONDS" -lt "$end" ]; do
    i=$((i + 1))
    curl -s --interface 127.0.0.2 -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 \
      "$url/api/v1/search?k=10&q=light-$1-$i-%EA%B3%A0%EC%96%91%EC%9D%B4" || echo "000 30"
  done
}

summarize() { # summarize PHASE FILE: one JSON line of the light client's answers
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
rows = [l.split() for l in open(sys.argv[2]) if l.strip()]
lat = sorted(float(t) * 1000 for _, t in rows)
codes = {}
for c, _ in rows:
    codes[c] = codes.get(c, 0) + 1
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
print(json.dumps({"phase": sys.argv[1], "requests": len(rows), "p50Ms": round(pct(0.5), 1),
                  "p99Ms": round(pct(0.99), 1), "maxMs": round(lat[-1], 1) if lat else None, "status": codes}))
PY
}

for bound in 0 "$max_in_flight"; do
  rm -rf "$work/index"
  [ -n "$serve_args" ] || serve_args_now="--model demo --source $root/ingest --index $work/index"
  # shellcheck disable=SC2086 # serve_args is a list of words
  "${KOCLIP_BIN:-$root/bin/koclip-search}" serve --port "$port" ${serve_args:-$serve_args_now} \
    --koclip.ingest.on-start=if-empty --koclip.http.clients.max-in-flight="$bound" >"$work/server.log" 2>&1 &
  server_pid=$!
  await_search "$url" "$server_pid" fairness.sh "$work/server.log" 300
  # warm-up: both clients' paths, untimed
  wrk -t2 -c8 -d5s -s "$here/http_bench.lua" "$url" -- distinct warm >/dev/null
  light "warm$bound" 3 >/dev/null
  light "alone$bound" 5 >"$work/alone.txt"
  summarize "bound $bound: light client alone" "$work/alone.txt" | tee -a "$work/lines.jsonl"
  wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s -s "$here/http_bench.lua" "$url" -- distinct "bound $bound: heavy client" \
    | grep '^{' >"$work/heavy.json" &
  heavy_pid=$!
  sleep 2
  light "shared$bound" $((seconds - 4)) >"$work/shared.txt"
  wait "$heavy_pid" || true
  summarize "bound $bound: light client beside the heavy one" "$work/shared.txt" | tee -a "$work/lines.jsonl"
  tee -a "$work/lines.jsonl" <"$work/heavy.json"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done

echo "load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, heavy client $connections connections for ${seconds}s"
/usr/bin/python3 - "$work/lines.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
print("| bound | client | requests | p50 ms | p99 ms | answers by status |")
print("|---|---|---|---|---|---|")
for l in lines:
    bound, who = l["phase"].split(": ", 1)
    status = ", ".join(f"{k}: {v}" for k, v in sorted(l["status"].items()))
    rate = f' ({l["rps"]:.0f}/s)' if "rps" in l else ""
    print(f'| {bound.split()[1]} | {who} | {l["requests"]}{rate} | {l["p50Ms"]:.1f} | {l["p99Ms"]:.1f} | {status} |')
PY
