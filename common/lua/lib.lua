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
