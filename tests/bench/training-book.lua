-- training-book.lua - wrk script for the booking benchmark
-- (tests/bench/setup-training.sh).  Each request books the next of the
-- fresh sessions created for this run (ids in BENCH_TRAINING_SESSION_IDS,
-- walked round-robin, each wrk thread from its own offset), as the signed-in
-- coordinator, with the session cookie and the CSRF token.  First pass: real
-- confirmed bookings; later passes: 409 already_booked from the same script.
local ids = {}
for id in string.gmatch(os.getenv("BENCH_TRAINING_SESSION_IDS") or "", "%d+") do
  ids[#ids + 1] = id
end
local cookie = os.getenv("BENCH_TRAINING_COOKIE") or ""
local csrf = os.getenv("BENCH_TRAINING_CSRF") or ""
local counter = 0
local offset = 0

function setup(thread)
  thread:set("offset", offset)
  offset = offset + math.floor(#ids / 8)
end

function init(args)
  counter = offset or 0
end

function request()
  if #ids == 0 then
    return wrk.format("POST", "/api/v1/training/sessions/0/bookings")
  end
  local id = ids[(counter % #ids) + 1]
  counter = counter + 1
  return wrk.format("POST", "/api/v1/training/sessions/" .. id .. "/bookings", {
    ["Cookie"] = cookie,
    ["X-CSRF-Token"] = csrf,
    ["Content-Type"] = "application/json",
  }, "{}")
end
