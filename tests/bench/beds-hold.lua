-- beds-hold.lua - wrk script for hold placement (see setup-beds.sh): each
-- thread alternates placing a hold (a fresh Idempotency-Key every time) and
-- cancelling the hold it just placed, so beds are never used up.
local csrf = os.getenv("BEDS_BENCH_CSRF") or ""
local house = os.getenv("BEDS_BENCH_HOUSE") or "1"
local counter = 0
local placed = {}
local thread_id = tostring(math.random(1, 1000000000))

request = function()
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-CSRF-Token"] = csrf,
  }
  local id = table.remove(placed)
  if id then
    return wrk.format("POST", "/api/v1/beds/holds/" .. id .. "/cancel", headers, "{}")
  end
  counter = counter + 1
  headers["Idempotency-Key"] = "bench-" .. thread_id .. "-" .. counter
  return wrk.format("POST", "/api/v1/beds/safehouses/" .. house .. "/holds", headers,
    '{"group":"women","reference":"BENCH","callback_phone":"020 7946 0000","minutes":5}')
end

response = function(status, headers, body)
  if status == 201 then
    local id = string.match(body, '"id"%s*:%s*(%d+)')
    if id then table.insert(placed, id) end
  end
end
