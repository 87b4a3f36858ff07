# Sourced by the benchmark scripts that start the server (soak.sh, fairness.sh, http_bench.sh,
# reindex_heap.sh).
#
# await_search URL PID NAME LOG SECONDS: waits until URL/api/v1/search answers 200 (the index is ready);
# exits the script with 1 when the server PID (if given) dies or SECONDS pass first.
await_search() {
  local url="$1" pid="$2" name="$3" log="$4" seconds="$5" code=""
  for _ in $(seq 1 "$seconds"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/search?q=warm&k=10" || true)
    [ "$code" = "200" ] && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: the server died; see $log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "$name: $url does not answer 200 (last: $code)" >&2
  exit 1
}
