-- wrk script for bench/callback.py: POST pre-encrypted WeCom events, each thread its own slice, throttled.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(args[2])
  delay_ms = tonumber(args[3])
  events = {}
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    local tab = string.find(line, "\t", 1, true)
    table.insert(events, {string.sub(line, 1, tab - 1), string.sub(line, tab + 1)})
  end
  f:close()
  idx = id
  non200 = 0
end

function request()
  local e = events[(idx % #events) + 1]
  idx = idx + nthreads
  return wrk.format("POST", "/wecom/callback?" .. e[1], {["Content-Type"] = "text/xml"}, e[2])
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non200") or 0) end
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "non200": %d, "errors": %d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
    summary.errors.timeout))
end
