-- training-book.lua - wrk script for the booking benchmark
-- (tests/bench/setup-training.sh).  Every request books a fresh
-- (user, session) pair: pair k is user k mod U (cookie and CSRF token from
-- BENCH_TRAINING_USERS_FILE, "cookie token" lines) and session floor(k / U)
-- mod S (ids from BENCH_TRAINING_SESSIONS_FILE), so each session takes the
-- users' bookings one after another and each person books it once.
--
-- Between wrk runs (probe, warm-up, rounds) the walk goes on where the last
-- run stopped: the next k is kept in BENCH_STATE_DIR/training-book.next.
-- Thread t of T (BENCH_THREADS) takes k = start + t, start + t + T, ...;
-- done() (in wrk's main state, after the threads) writes start + T x (the
-- most requests any thread made), so no pair is used twice.
local function lines(path)
  local out = {}
  local f = path and io.open(path, "r")
  if not f then return out end
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end

local users = {}
for _, line in ipairs(lines(os.getenv("BENCH_TRAINING_USERS_FILE"))) do
  local cookie, csrf = string.match(line, "^(%S+)%s+(%S+)$")
  if cookie then users[#users + 1] = { cookie = cookie, csrf = csrf } end
end
local sessions = lines(os.getenv("BENCH_TRAINING_SESSIONS_FILE"))
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "") or 1
local state_dir = os.getenv("BENCH_STATE_DIR")
local state_file = state_dir and (state_dir .. "/training-book.next")

local function read_start()
  local f = state_file and io.open(state_file, "r")
  if not f then return 0 end
  local n = tonumber(f:read("*l") or "") or 0
  f:close()
  return n
end

-- main state: hand each thread its first pair; keep the threads for done()
local threads = {}
local start = read_start()
function setup(thread)
  thread:set("first", start + #threads)
  thread:set("stride", nthreads)
  threads[#threads + 1] = thread
end

-- thread state
first, stride, made = 0, 1, 0

function request()
  if #users == 0 or #sessions == 0 then
    return wrk.format("POST", "/api/v1/training/sessions/0/bookings", nil, "{}")
  end
  local k = first + stride * made
  made = made + 1
  local u = users[(k % #users) + 1]
  local s = sessions[(math.floor(k / #users) % #sessions) + 1]
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Cookie"] = u.cookie
  headers["X-CSRF-Token"] = u.csrf
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/training/sessions/" .. s .. "/bookings", headers, "{}")
end

function done(summary, latency, requests)
  local most = 0
  for _, t in ipairs(threads) do
    local m = tonumber(t:get("made")) or 0
    if m > most then most = m end
  end
  local next_k = start + nthreads * most
  if state_file then
    local f = io.open(state_file, "w")
    if f then f:write(next_k, "\n"); f:close() end
  end
  local pairs_n = #users * #sessions
  io.write(string.format("BENCH training_pairs_used %d of %d\n", next_k, pairs_n))
end
