-- wrk script for http_bench.sh: GET /api/v1/search with a fixed query (mode "cached") or a new
-- query on every request (mode "distinct": never in the embedding cache, so each one runs the text
-- encoder), or GET /actuator/health (mode "health": the same server's trivial endpoint, the
-- ceiling that HTTP, Spring MVC and the filters leave to any endpoint). Counts status codes in the response hook and checks that every 429/503 carries
-- Retry-After; done() prints one JSON line with throughput, latency percentiles and the counts.
--
--   wrk -t2 -c8 -d20s -s http_bench.lua http://127.0.0.1:8080 -- distinct [label]

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local subjects = {"고양이", "강아지", "자동차", "바다", "산", "꽃", "자전거", "비행기", "케이크", "아이"}
local colours = {"빨간", "파란", "노란", "하얀", "검은", "초록", "분홍", "회색"}
local places = {"해변에서", "소파 위의", "눈 속의", "도시의", "숲 속의", "밤의", "비 오는 날의"}

function init(args)
  mode = args[1] or "cached"
  label = args[2] or mode
  statuses = {}
  missingRetryAfter = 0
end

function request()
  if mode == "health" then
    return wrk.format("GET", "/actuator/health")
  end
  local q
  if mode == "distinct" then
    counter = counter + 1
    -- thread id and counter make every query unique across threads and runs of this process
    q = string.format("%s %s %s %d-%d", places[counter % #places + 1], colours[counter % #colours + 1],
      subjects[counter % #subjects + 1], id, counter)
  else
    q = "빨간 고양이"
  end
  return wrk.format("GET", "/api/v1/search?k=10&q=" .. urlencode(q))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 429 or status == 503 then
    if headers["Retry-After"] == nil and headers["retry-after"] == nil then
      missingRetryAfter = missingRetryAfter + 1
    end
  end
end

function done(summary, latency, requests)
  local total, missing = {}, 0
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
    missing = missing + t:get("missingRetryAfter")
  end
  local parts = {}
  for code, n in pairs(total) do
    table.insert(parts, string.format('"%d":%d', code, n))
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"phase":"%s","requests":%d,"seconds":%.1f,"rps":%.1f,"p50Ms":%.2f,"p90Ms":%.2f,"p99Ms":%.2f,"maxMs":%.2f,' ..
    '"status":{%s},"retryAfterMissing":%d,"socketErrors":%d,"timeouts":%d}\n',
    threads[1]:get("label"), summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ","), missing,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
