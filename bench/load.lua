-- wrk script for bench/load.py: a mixed read workload over the paths in SIKAP_LOAD_PATHS
-- (lines "cookie<TAB>path"), each request carrying its user's session cookie.
local requests = {}
local counter = 0

function init(args)
  local file = io.open(os.getenv("SIKAP_LOAD_PATHS"), "r")
  for line in file:lines() do
    local cookie, path = line:match("([^\t]*)\t(.*)")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
  file:close()
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, requests)
  io.write(string.format(
    "@@WRK@@{\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"p50_us\":%d,\"p95_us\":%d," ..
    "\"p99_us\":%d,\"max_us\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d," ..
    "\"timeout\":%d}\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
