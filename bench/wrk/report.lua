-- Prints one machine-readable line at the end of a wrk run:
--   RESULT <requests/s> <p50 ms> <p95 ms> <p99 ms> <errors>
-- With URLS set (a file of paths, one per line), each request takes the next path,
-- so a run can defeat the server's read cache and measure the engine underneath.
local paths = {}
local file = os.getenv("URLS")
if file then
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

-- Pages are asked for as a browser navigates to them; server functions (/api/) as
-- the hydrated page calls them. Asked for as HTML, a server function answers a form
-- post's redirect instead of its data.
local function accept(path)
  if path:sub(1, 5) == "/api/" then return "application/json" end
  return "text/html"
end

-- With AUTHORIZATION set (`Bearer oa_…`), every request carries it: the public API.
local authorization = os.getenv("AUTHORIZATION")
local function headers(path)
  local h = { ["Accept"] = accept(path) }
  if authorization then h["Authorization"] = authorization end
  return h
end

local i = 0
request = function()
  if #paths == 0 then
    return wrk.format(nil, nil, headers(wrk.path))
  end
  i = i + 1
  local path = paths[((i + (offset or 0)) % #paths) + 1]
  return wrk.format("GET", path, headers(path))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors))
end
