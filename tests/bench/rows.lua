-- rows.lua - wrk script for a row whose requests rotate over a list of
-- request lines (tests/bench/setup.sh's bench_row writes the row's stub,
-- which sets these globals and then loads this file):
--   ROW_FILES   files of request lines "METHOD<TAB>PATH<TAB>USER<TAB>BODY"
--               (BODY may be empty), read in order into one list
--   ROW_USERS   a file of "cookie csrf" lines: a line's USER n > 0 sends the
--               cookie and CSRF token of line n; 0 keeps the endpoint line's
--               own headers (wrk.headers)
--   ROW_ONCE    nil: the lines rotate (a read: every thread starts at its
--               own place and wraps round).  A file name: each line is used
--               once over all the row's runs (a write); the next unused line
--               is kept in that file between runs (probe, warm-up, rounds).
--               Past the last line the walk wraps round, and the answers
--               (409, 404) show in the table's 4xx column.
--   ROW_RECORD_PATTERN, ROW_RECORD_FORMAT, ROW_RECORD_OUT: when set, a 2xx
--               answer's captures of the patterns (Lua patterns separated
--               by ";;", each matched on its own, so the body's field order
--               does not matter) go through string.format(FORMAT,
--               captures...) into the file
--               ROW_RECORD_OUT .. "." .. thread number (appended 50 at a
--               time): request lines for another row (e.g. the bookings a
--               booking row made, for the cancellation row).
-- Thread t of T takes lines first + t, first + t + T, ...; so no two
-- threads send the same write.
local function read_lines(path, out)
  local f = path and io.open(path, "r")
  if not f then return out end
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end

local reqs = {}
for _, path in ipairs(ROW_FILES or {}) do
  for _, line in ipairs(read_lines(path, {})) do
    local method, p, user, body = string.match(line, "^(%u+)\t([^\t]+)\t(%d+)\t?(.*)$")
    if method then reqs[#reqs + 1] = { method = method, path = p, user = tonumber(user), body = body } end
  end
end
local users = {}
for _, line in ipairs(read_lines(ROW_USERS, {})) do
  local cookie, csrf = string.match(line, "^(%S+)%s+(%S+)$")
  if cookie then users[#users + 1] = { cookie = cookie, csrf = csrf } end
end

local nthreads = tonumber(os.getenv("BENCH_THREADS") or "") or 1

local function read_start()
  local f = ROW_ONCE and io.open(ROW_ONCE, "r")
  if not f then return 0 end
  local n = tonumber(f:read("*l") or "") or 0
  f:close()
  return n
end

-- main state: hand each thread its first line; keep the threads for done()
local threads = {}
local start = read_start()
function setup(thread)
  local no = #threads
  if ROW_ONCE then
    thread:set("first", start + no)
  else
    -- reads: spread the threads over the list, a different place each run
    thread:set("first", math.floor(#reqs * no / nthreads) + (os.time() % 997))
  end
  thread:set("stride", nthreads)
  thread:set("thread_no", no + 1)
  threads[#threads + 1] = thread
end

-- thread state
first, stride, made, thread_no = 0, 1, 0, 1
local recorded = {}

local function flush()
  if #recorded == 0 or not ROW_RECORD_OUT then return end
  local f = io.open(ROW_RECORD_OUT .. "." .. thread_no, "a")
  if f then
    f:write(table.concat(recorded, "\n"), "\n")
    f:close()
  end
  recorded = {}
end

function request()
  if #reqs == 0 then return wrk.format("GET", "/api/v1/no-request-lines") end
  local k = ROW_ONCE and (first + stride * made) or (first + made)
  made = made + 1
  local r = reqs[(k % #reqs) + 1]
  local h = {}
  for name, value in pairs(wrk.headers) do h[name] = value end
  local u = r.user > 0 and users[((r.user - 1) % math.max(#users, 1)) + 1]
  if u then
    h["Cookie"] = u.cookie
    h["X-CSRF-Token"] = u.csrf
  end
  local body = nil
  if r.method ~= "GET" then
    h["Content-Type"] = "application/json"
    body = r.body ~= "" and r.body or "{}"
  end
  return wrk.format(r.method, r.path, h, body)
end

local record_want = 0
if ROW_RECORD_PATTERN then
  -- every pattern must match: as many captures as the patterns have
  for pat in string.gmatch(ROW_RECORD_PATTERN .. ";;", "(.-);;") do
    local _, all = string.gsub(pat, "%(", "")
    local _, escaped = string.gsub(pat, "%%%(", "")
    record_want = record_want + all - escaped
  end
  function response(status, headers, body)
    if status >= 200 and status < 300 and body then
      local caps = {}
      for pat in string.gmatch(ROW_RECORD_PATTERN .. ";;", "(.-);;") do
        for _, c in ipairs({ string.match(body, pat) }) do caps[#caps + 1] = c end
      end
      if caps[1] and #caps == record_want then
        recorded[#recorded + 1] = string.format(ROW_RECORD_FORMAT, unpack(caps))
        if #recorded >= 50 then flush() end
      end
    end
  end
end

function done(summary, latency, requests)
  if not ROW_ONCE then return end
  local most = 0
  for _, t in ipairs(threads) do
    local m = tonumber(t:get("made")) or 0
    if m > most then most = m end
  end
  local next_k = start + nthreads * most
  local f = io.open(ROW_ONCE, "w")
  if f then f:write(next_k, "\n"); f:close() end
  io.write(string.format("BENCH lines_used %d of %d\n", next_k, #reqs))
end
