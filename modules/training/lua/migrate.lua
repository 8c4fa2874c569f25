-- migrate.lua: bring data written by older code to the layout of
-- training.h, atomically and idempotently:
--   before version 2 the keys lived under "<prefix>training:", each session
--   under its own hash tag {s:ID}: they move under the one hash tag;
--   before version 3 sessions had no stored view: each course gets its
--   index of sessions (course-sessions:ID), and each session whose times
--   have their texts gets its view here; those without texts are answered
--   as "pending" (C makes the texts and runs session_refresh.lua for each),
--   and the version is set only once none is pending (the next run);
--   before version 4 there was no due set: each scheduled session not yet
--   started gets its reminder there (lib.lua's due_reminder);
--   before version 5 courses had no learning outcomes: each gets
--   outcomes "[]" (an empty JSON array), which its trainers fill in.
--   before version 6 views:open and views:released held each session's
--   whole view, and its hash a copy of the static members (view_static):
--   every session's texts are written again (views:static and the two
--   short seat texts) and the copy is dropped.
-- Run at start-up only; it reads keys it was not given (SCAN of the old
-- names), so it runs on a single Redis (or Sentinel primary), which is what
-- data version 1 ran on.
-- KEYS[1] base key.  ARGV: prefix (the portal's key prefix), version (the
--   version this code writes), now, types, labels.
-- Answers {"ok", "from", <version found>, "version", <version now>,
--   "moved", N, "left", <keys under the old names it did not know>,
--   "views", <views built>, "pending", <JSON list of {id, starts_at,
--   ends_at, booking_closes_at} of sessions needing their times' texts>}.
local VERSION_KEY = key('data-version')
local want, clock = need_num('version'), need_num('now')
local found = tonumber(redis.call('GET', VERSION_KEY) or '1') or 1
if found >= want then
  return {'ok', 'from', tostring(found), 'version', tostring(found), 'moved', '0', 'left', '0', 'views', '0',
    'pending', '[]'}
end
local moved, left = 0, 0
local function move_version_1()
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
  local cursor = '0'
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
end
if found < 2 then move_version_1() end
for _, id in ipairs(redis.call('ZRANGE', key('courses'), 0, -1)) do
  redis.call('HSETNX', key('course', id), 'outcomes', '[]')
end
local views, pending = 0, {}
for _, id in ipairs(redis.call('ZRANGE', key('sessions'), 0, -1)) do
  local s = key('session', id)
  local f = redis.call('HMGET', s, 'course_id', 'starts_at', 'ends_at', 'booking_closes_at', 'text:starts_at', 'status')
  if f[1] then redis.call('ZADD', key('course-sessions', f[1]), tonumber(f[2]) or 0, id) end
  if f[6] == 'scheduled' and (tonumber(f[2]) or 0) > clock then
    redis.call('ZADD', key('due'), 'NX', (tonumber(f[2]) or 0) - REMINDER_BEFORE, 'reminder:' .. id)
  end
  if not f[5] then
    pending[#pending + 1] = {id = id, starts_at = tonumber(f[2]) or 0, ends_at = tonumber(f[3]) or 0,
      booking_closes_at = tonumber(f[4]) or 0}
  else
    redis.call('HDEL', s, 'view_static')
    store_view(s)
    views = views + 1
  end
end
local now = found
if #pending == 0 then
  redis.call('SET', VERSION_KEY, want)
  now = want
end
return {'ok', 'from', tostring(found), 'version', tostring(now), 'moved', tostring(moved), 'left', tostring(left),
  'views', tostring(views), 'pending', list_json(pending)}
