-- Reports a wrk run as one JSON line, and stops each thread after WRK_MAX_REQUESTS responses
-- (per thread) so a run is bounded in request count as well as in duration.
local max_requests = tonumber(os.getenv("WRK_MAX_REQUESTS") or "0")
local seen = 0

function response(status, headers, body)
  seen = seen + 1
  if max_requests > 0 and seen >= max_requests then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p99Us":%d,"errors":%d,"badStatus":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
