-- wrk script for soak.sh: a mix of the API's requests on every connection, round robin:
--   cached search (one fixed query), distinct search (a new query: the text encoder runs), image upload
--   search, classify, patches, thumbnail of an indexed image.
-- Counts status codes per kind and 429/503 answers without Retry-After; done() prints one JSON line.
--
--   wrk -t2 -c8 -d10s -s soak.lua http://127.0.0.1:8080 -- LABEL IMAGE_FILE ID[,ID...]

local threads = {}
local kinds = {"cached", "distinct", "upload", "classify", "patches", "thumbnail", "cached", "distinct"}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local boundary = "koclipSoakBoundary7d3f"
local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end
local function filepart(bytes)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"soak.jpg\"\r\n" ..
    "Content-Type: image/jpeg\r\n\r\n" .. bytes .. "\r\n"
end

function init(args)
  label = args[1] or "soak"
  local f = assert(io.open(args[2], "rb"))
  image = f:read("*a")
  f:close()
  ids = {}
  for id in string.gmatch(args[3] or "", "[^,]+") do table.insert(ids, id) end
  statuses = {}
  missingRetryAfter = 0
  counter = 0
  pending = {}
  uploadBody = filepart(image) .. "--" .. boundary .. "--\r\n"
  classifyBody = filepart(image) .. part("labels", "빨간 원") .. part("labels", "파란 네모") ..
    part("labels", "초록 세모") .. "--" .. boundary .. "--\r\n"
  patchBody = filepart(image) .. part("q", "빨간 원") .. part("rows", "3") .. part("cols", "3") ..
    "--" .. boundary .. "--\r\n"
  multipart = {["Content-Type"] = "multipart/form-data; boundary=" .. boundary}
end

function request()
  counter = counter + 1
  local kind = kinds[counter % #kinds + 1]
  table.insert(pending, kind)
  if kind == "cached" then
    return wrk.format("GET", "/api/v1/search?k=10&q=" .. urlencode("빨간 고양이"))
  elseif kind == "distinct" then
    return wrk.format("GET", "/api/v1/search?k=10&q=" .. urlencode(string.format("파란 바다 %d-%d", id, counter)))
  elseif kind == "upload" then
    return wrk.format("POST", "/api/v1/search/image?k=10", multipart, uploadBody)
  elseif kind == "classify" then
    return wrk.format("POST", "/api/v1/classify", multipart, classifyBody)
  elseif kind == "patches" then
    return wrk.format("POST", "/api/v1/patches", multipart, patchBody)
  else
    local n = #ids
    local target = n > 0 and ids[counter % n + 1] or "missing"
    return wrk.format("GET", "/api/v1/images/" .. target .. "/thumbnail")
  end
end

function response(status, headers, body)
  -- wrk answers in request order on a connection (no pipelining here) and soak.sh gives every wrk thread
  -- one connection, so the oldest pending kind of this thread is this answer's
  local kind = table.remove(pending, 1) or "unknown"
  local key = kind .. ":" .. status
  statuses[key] = (statuses[key] or 0) + 1
  if status == 429 or status == 503 then
    if headers["Retry-After"] == nil and headers["retry-after"] == nil then
      missingRetryAfter = missingRetryAfter + 1
    end
  end
end

function done(summary, latency, requests)
  local total, missing = {}, 0
  for _, t in ipairs(threads) do
    for key, n in pairs(t:get("statuses")) do
      total[key] = (total[key] or 0) + n
    end
    missing = missing + t:get("missingRetryAfter")
  end
  local parts = {}
  for key, n in pairs(total) do
    table.insert(parts, string.format('"%s":%d', key, n))
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"slice":"%s","requests":%d,"seconds":%.1f,"rps":%.1f,"p50Ms":%.2f,"p90Ms":%.2f,"p99Ms":%.2f,"maxMs":%.2f,' ..
    '"status":{%s},"retryAfterMissing":%d,"socketErrors":%d,"timeouts":%d}\n',
    threads[1]:get("label"), summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ","), missing,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
