-- common/lua/lib.lua: the prelude every module's scripts start with, before
-- the module's own lua/lib.lua (if it has one).  portal-embed --lua joins
-- both onto each script's first line, so the line numbers Redis reports are
-- the script file's own; comments here stay on lines of their own.
--
-- KEYS[1]  the module's base key ("<prefix>{training}", "<prefix>beds:{beds}",
--          "<prefix>dir:{dir}"): BASE.  key(part, ...) is BASE:part:...; every
--          key a script touches is made so, under the one hash tag, and the
--          scripts run unchanged on Redis Cluster (script.h).
-- ARGV     name/value pairs {"name", value, ...}, read into A.
-- need(name), need_num(name): an argument (a number), or a script error
--          naming it, at the line of the script that asked.
-- list(name): an argument holding a comma-separated list (a domain list C
--          passes in: agency types, bed groups) as a Lua array.
-- Answers  a flat array {status, name, value, ...}: status "ok" or an error
--          code, then name/value pairs of text.  answer(status, ...) makes
--          one; a module's prelude may add pairs every answer carries with
--          answer_tail (a list of functions, each given the answer table).
-- record(k): the hash at k as a table, or nil when there is none;
-- hgetall(k): the same, an empty table when there is none.
-- list_json(t): the JSON text of array t ("[]" when empty: cjson would
--          make an empty table an object).
local BASE = KEYS[1]
local A = {}
for i = 1, #ARGV - 1, 2 do A[ARGV[i]] = ARGV[i + 1] end
local function key(...) return BASE .. ':' .. table.concat({...}, ':') end
local function need(name)
  local v = A[name]
  if v == nil then error('script argument ' .. name .. ' is missing', 2) end
  return v
end
local function need_num(name)
  local v = tonumber(A[name])
  if A[name] == nil then error('script argument ' .. name .. ' is missing', 2) end
  if v == nil then error('script argument ' .. name .. ' is not a number', 2) end
  return v
end
local function list(name)
  local t = {}
  for item in string.gmatch(need(name), '[^,]+') do t[#t + 1] = item end
  return t
end
local answer_tail = {}
local function answer(status, ...)
  local r = {status, ...}
  for _, add in ipairs(answer_tail) do add(r) end
  return r
end
local function hgetall(k)
  local f = redis.call('HGETALL', k)
  local t = {}
  for i = 1, #f, 2 do t[f[i]] = f[i + 1] end
  return t
end
local function record(k)
  local t = hgetall(k)
  if next(t) == nil then return nil end
  return t
end
local function list_json(t)
  if #t == 0 then return '[]' end
  return cjson.encode(t)
end
-- event(kind, fields): append what happened to the module's own Redis
--          Stream BASE:events (on the module's slot, so the change and its
--          event are one atomic step), capped with MAXLEN ~ EVENTS_MAX
--          (about the last 10,000 events; portal-notify reads them within
--          seconds, so the cap only bounds a stream nobody reads).  An entry
--          is kind, at (Unix seconds: the script's now, else Redis's clock)
--          and the fields, sorted by name, as text.  Events name people by
--          their directory uid (the one sessions carry), never by what they
--          typed, and carry nothing about a victim and no call-back phone.
--          Returns the entry id.
local EVENTS_MAX = 10000
local function event(kind, fields)
  local at = tonumber(A.now) or tonumber(redis.call('TIME')[1])
  local c = {'XADD', BASE .. ':events', 'MAXLEN', '~', tostring(EVENTS_MAX), '*', 'kind', kind, 'at', tostring(at)}
  local names = {}
  for name in pairs(fields or {}) do
    if name == 'kind' or name == 'at' then error('event field ' .. name .. ' is reserved', 2) end
    names[#names + 1] = name
  end
  table.sort(names)
  for _, name in ipairs(names) do c[#c + 1] = name c[#c + 1] = tostring(fields[name]) end
  return redis.call(unpack(c))
end
-- London time, as common/clock.c says it (the portal runs in
-- Europe/London), for the reads that answer ready-made JSON:
-- time_text(t): RFC 3339 with London's offset, "2026-12-05T09:30:00+00:00"
--          (portal_time_format); time_words(t, now): "9:30am on Saturday 5
--          December", the year added when it is not now's (portal_time_words).
-- London keeps summer time from 01:00 UTC on the last Sunday of March to
-- 01:00 UTC on the last Sunday of October (the rule since 1996).
local function civil_of(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (m <= 2 and 1 or 0), m, doy - math.floor((153 * mp + 2) / 5) + 1
end
local function days_of(y, m, d)
  y = y - (m <= 2 and 1 or 0)
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end
-- 01:00 UTC on the last Sunday of month m (March or October) of year y
local function last_sunday_at_1(y, m)
  local last = days_of(y, m + 1, 1) - 1
  return (last - (last + 4) % 7) * 86400 + 3600
end
local function london(t)
  local y = civil_of(math.floor(t / 86400))
  local off = (t >= last_sunday_at_1(y, 3) and t < last_sunday_at_1(y, 10)) and 3600 or 0
  local days = math.floor((t + off) / 86400)
  local secs = t + off - days * 86400
  local yy, mm, dd = civil_of(days)
  return {year = yy, month = mm, day = dd, hour = math.floor(secs / 3600), min = math.floor(secs % 3600 / 60),
    sec = secs % 60, wday = (days + 4) % 7, off = off}
end
local function time_text(t)
  local l = london(t)
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d+%02d:00', l.year, l.month, l.day, l.hour, l.min, l.sec,
    l.off / 3600)
end
local WEEKDAYS = {'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'}
local MONTHS = {'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'}
local function time_words(t, now)
  local l = london(t)
  local h, ampm = l.hour % 12, l.hour < 12 and 'am' or 'pm'
  if h == 0 then h = 12 end
  local clock = string.format('%d:%02d%s', h, l.min, ampm)
  if l.min == 0 and l.hour == 12 then clock = 'midday'
  elseif l.min == 0 and l.hour == 0 then clock = 'midnight'
  elseif l.min == 0 then clock = h .. ampm end
  local w = clock .. ' on ' .. WEEKDAYS[l.wday + 1] .. ' ' .. l.day .. ' ' .. MONTHS[l.month]
  if l.year ~= london(now).year then w = w .. ' ' .. l.year end
  return w
end
