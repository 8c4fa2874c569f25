-- beds-hold.lua - wrk script for hold placement (see setup-beds.sh).  Each
-- request either cancels a hold this thread placed and has not cancelled
-- yet, or, when there is none, places a new one (a fresh Idempotency-Key
-- every time).  As wrk asks for a connection's next request right after
-- its answer, a connection whose placement was answered 201 cancels next,
-- so the requests alternate place/cancel, at most about one pending hold
-- per connection, and the beds come back.  Holds go round-robin to the
-- houses and groups in BEDS_BENCH_PLACES (comma-separated "id:group"), for
-- 1 minute (the shortest), so the few a run's end leaves pending expire soon.
--
-- The session cookie comes from the endpoint line's header (wrk.headers,
-- merged in here: wrk.format() does not add them to a given header table).
local csrf = os.getenv("BEDS_BENCH_CSRF") or ""
local places = {}
for id, group in string.gmatch(os.getenv("BEDS_BENCH_PLACES") or "", "(%d+):([%w_]+)") do
  places[#places + 1] = { id = id,
    body = '{"group":"' .. group .. '","reference":"BENCH","callback_phone":"020 7946 0000","minutes":1}' }
end
if #places == 0 then places[1] = { id = "1", body = '{"group":"women","reference":"BENCH","minutes":1}' } end
local run = os.getenv("BENCH_RUN_ID") or tostring(os.time())

-- main state: number the threads (for unique Idempotency-Keys)
local nthreads = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("thread_no", nthreads)
end

-- thread state
thread_no = 0
local counter = 0
local placed = {}

local function headers()
  local h = {}
  for name, value in pairs(wrk.headers) do h[name] = value end
  h["Content-Type"] = "application/json"
  h["X-CSRF-Token"] = csrf
  return h
end

function request()
  local h = headers()
  local id = table.remove(placed)
  if id then
    return wrk.format("POST", "/api/v1/beds/holds/" .. id .. "/cancel", h, "{}")
  end
  counter = counter + 1
  h["Idempotency-Key"] = "bench-" .. run .. "-" .. thread_no .. "-" .. counter
  local place = places[((counter * 7 + thread_no) % #places) + 1]
  return wrk.format("POST", "/api/v1/beds/safehouses/" .. place.id .. "/holds", h, place.body)
end

function response(status, headers, body)
  if status == 201 then
    local id = string.match(body, '"id"%s*:%s*"?(%d+)')
    if id then table.insert(placed, id) end
  end
end
