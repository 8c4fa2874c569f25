-- migrate.lua: move data written before data version 2 (keys under
-- "<prefix>training:", each session under its own hash tag {s:ID}) to the
-- layout under the module's one hash tag, atomically and idempotently.
-- Run at start-up only; it reads keys it was not given (SCAN of the old
-- names), so it runs on a single Redis (or Sentinel primary), which is what
-- data version 1 ran on.
-- KEYS[1] base key.  ARGV: prefix (the portal's key prefix), version (the
--   version this code writes).
-- Answers {"ok", "from", <version found>, "version", <version now>,
--   "moved", N, "left", <keys under the old names it did not know>}.
local VERSION_KEY = key('data-version')
local want = need_num('version')
local found = tonumber(redis.call('GET', VERSION_KEY) or '1') or 1
if found >= want then
  return {'ok', 'from', tostring(found), 'version', tostring(found), 'moved', '0', 'left', '0'}
end
local old = need('prefix') .. 'training:'
local RULES = {
  {'^courses:seq$', function() return key('courses', 'seq') end},
  {'^courses$', function() return key('courses') end},
  {'^course:{c:(%d+)}$', function(id) return key('course', id) end},
  {'^sessions:seq$', function() return key('sessions', 'seq') end},
  {'^sessions$', function() return key('sessions') end},
  {'^{s:(%d+)}:(%a+)$', function(id, kind) return key(kind, id) end},
  {'^user:{u:(.*)}:bookings$', function(name) return key('user', name, 'bookings') end},
  {'^demo%-loaded$', function() return key('demo-loaded') end},
}
local KINDS = {session = true, bookings = true, people = true, waitlist = true}
local moved, left, cursor = 0, 0, '0'
repeat
  local r = redis.call('SCAN', cursor, 'MATCH', old .. '*', 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    local rest, target = string.sub(k, #old + 1), nil
    for _, rule in ipairs(RULES) do
      local a, b = string.match(rest, rule[1])
      if a or string.find(rest, rule[1]) then
        if rule[1] ~= '^{s:(%d+)}:(%a+)$' or KINDS[b] then target = rule[2](a, b) end
        break
      end
    end
    if target and redis.call('EXISTS', target) == 0 then
      redis.call('RENAME', k, target)
      moved = moved + 1
    else
      left = left + 1
    end
  end
until cursor == '0'
redis.call('SET', VERSION_KEY, want)
return {'ok', 'from', tostring(found), 'version', tostring(want), 'moved', tostring(moved), 'left', tostring(left)}
