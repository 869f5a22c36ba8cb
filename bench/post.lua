-- wrk script for bench/discord and bench/slack: POSTs one signed request over and over, checks every
-- answer, reports JSON.
-- Env: BENCH_BODY (file with the raw body), BENCH_CONTENT_TYPE, BENCH_TS and BENCH_SIG with the names of
-- the headers that carry them (BENCH_TS_HEADER, BENCH_SIG_HEADER), BENCH_EXPECT (text every answer must
-- contain), BENCH_DELAY_MS (optional: mean pause per connection between requests, for rate-limited runs).
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
wrk.headers[os.getenv("BENCH_TS_HEADER")] = os.getenv("BENCH_TS")
wrk.headers[os.getenv("BENCH_SIG_HEADER")] = os.getenv("BENCH_SIG")

local expect = os.getenv("BENCH_EXPECT")
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrong = 0
  sample = ""
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, expect, 1, true) then
    wrong = wrong + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 200) end
  end
end

if delay_ms then
  -- wrk takes whole milliseconds, so dither between floor and floor+1 to keep the mean exact.
  local whole = math.floor(delay_ms)
  local fraction = delay_ms - whole
  function delay()
    if math.random() < fraction then return whole + 1 end
    return whole
  end
end

function done(summary, latency, requests)
  local wrong_total, sample_text = 0, ""
  for _, thread in ipairs(threads) do
    wrong_total = wrong_total + thread:get("wrong")
    local s = thread:get("sample")
    if s ~= "" then sample_text = s end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"non2xx":%d,"socket_errors":%d,"wrong":%d,"sample":"%s"}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout, wrong_total,
    (sample_text:gsub('[%c"\\]', ' '))))
end
