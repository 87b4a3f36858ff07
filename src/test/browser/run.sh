#!/usr/bin/env bash
# Browser test: starts the real server (demo bundle, sample corpus in ingest/) on a free port with
# a fresh index, waits until /actuator/health is UP (the first ingest has finished), runs the
# Playwright test in Debian's Chromium, and stops the server. Needs target/koclip-search.jar (built
# here when missing), node and /usr/bin/chromium (apt-get install -y chromium).
# Writes target/screenshot.png (SCREENSHOT=docs/screenshot.png refreshes the one in the docs). Server log: $KOCLIP_BROWSER_LOG or a temporary file shown on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

[ -f target/koclip-search.jar ] || ./mvnw -q -B package -DskipTests
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "browser test: ${CHROMIUM:-/usr/bin/chromium} is missing (apt-get install -y chromium)" >&2; exit 1; }
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
[ -d ingest ] || { echo "browser test: the sample corpus ingest/ is missing" >&2; exit 1; }

work="$(mktemp -d)"
log="${KOCLIP_BROWSER_LOG:-$work/server.log}"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"

KOCLIP_JAVA_OPTS="${KOCLIP_JAVA_OPTS:--Xmx1g}" KOCLIP_ADMIN_TOKEN= \
  bin/koclip-search serve --index "$work/index" --source ingest --model demo --port "$port" \
  --server.address=127.0.0.1 >"$log" 2>&1 &
server=$!

stop() {
  local rc=$?
  if kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ]; then
    echo "--- server log (last 60 lines) ---" >&2
    tail -n 60 "$log" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap stop EXIT

# Up to 5 minutes for start-up plus the first ingest of the corpus.
for _ in $(seq 1 300); do
  if ! kill -0 "$server" 2>/dev/null; then echo "browser test: the server exited" >&2; exit 1; fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/actuator/health" || true)" = "200" ]; then break; fi
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/actuator/health" || true)" = "200" ] || { echo "browser test: the server never became healthy" >&2; exit 1; }

cd "$here"
BASE_URL="$base" CORPUS="$root/ingest" SCREENSHOT="${SCREENSHOT:-$root/target/screenshot.png}" node --test search.test.mjs
