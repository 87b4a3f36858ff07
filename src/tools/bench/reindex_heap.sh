#!/usr/bin/env bash
# Does a reindex leave anything behind? Starts the server (demo bundle, sample corpus, a fresh index),
# then runs N admin reindexes one after the other; after each (and before the first) it searches 30
# distinct queries, forces a full GC (jcmd GC.run) and prints the heap in use after it and the RSS.
# A retained old index or searcher would add to the live heap at every round.
#
# Usage: src/tools/bench/reindex_heap.sh [--rounds 6] [--port 18095]      needs JAVA_HOME (a JDK: jcmd), curl
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
rounds=6 port=18095
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "reindex_heap.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
jcmd="${JAVA_HOME:?set JAVA_HOME to a JDK}/bin/jcmd"
work="$(mktemp -d)"
url="http://127.0.0.1:$port"
auth="Authorization: Bearer reindex-heap-$$"
KOCLIP_ADMIN_TOKEN="reindex-heap-$$" "$root/bin/koclip-search" serve --port "$port" --index "$work/index" \
  --source "$root/ingest" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
# shellcheck source=await_server.sh
. "$root/src/tools/bench/await_server.sh"
await_search "$url" "$server" reindex_heap.sh "$work/server.log" 180
jvm=$(pgrep -f -- "--port $port" | sed -n 1p)
for i in $(seq 0 "$rounds"); do
  if [ "$i" -gt 0 ]; then
    curl -s -X POST -H "$auth" "$url/api/v1/admin/reindex" >/dev/null
    for _ in $(seq 1 300); do
      jobs=$(curl -s -H "$auth" "$url/api/v1/admin/jobs")
      case "$jobs" in *'"state":"running"'* | *'"state":"queued"'*) sleep 1 ;; *) break ;; esac
    done
  fi
  for q in $(seq 1 30); do curl -s -o /dev/null "$url/api/v1/search?q=round-$i-$q&k=5"; done
  "$jcmd" "$jvm" GC.run >/dev/null
  used=$("$jcmd" "$jvm" GC.heap_info | grep -o 'used [0-9]*K' | sed -n 1p)
  echo "after $i reindexes: heap ${used#used } in use after a full GC, RSS $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$jvm/status") / 1024 )) MiB"
done
echo "reindexes that succeeded: $(grep -c 'reindex job .* succeeded' "$work/server.log")"
