-- sessions_range.lua: what the uptake report counts, in one call: the
-- sessions starting between two times, by start, each with its bookings,
-- and every course (the report lists each, 0 where none).  Reads only.
-- KEYS[1] base key.  ARGV: from, to (Unix seconds, or "+inf"), limit,
--   courses_limit.
-- Answers {"ok", "sessions", <JSON list of session hashes>, "rosters",
--   <JSON list: for each session the list of its bookings in booking
--   order>, "courses", <JSON list of {id, title} in id order>}.
local list, rosters = {}, {}
local ids = redis.call('ZRANGEBYSCORE', key('sessions'), need('from'), need('to'), 'LIMIT', 0, need_num('limit'))
for _, id in ipairs(ids) do
  use_session(id)
  local s = hgetall(S)
  if s.id then
    s.view_title, s.view_static = nil, nil
    list[#list + 1] = s
    local r = {}
    for _, j in ipairs(redis.call('HVALS', B)) do r[#r + 1] = cjson.decode(j) end
    table.sort(r, function(x, y) return booking_seq(x) < booking_seq(y) end)
    rosters[#rosters + 1] = list_json(r)
  end
end
local courses = {}
for _, id in ipairs(redis.call('ZRANGE', key('courses'), 0, need_num('courses_limit') - 1)) do
  local c = redis.call('HMGET', key('course', id), 'id', 'title')
  if c[1] then courses[#courses + 1] = {id = c[1], title = c[2] or ''} end
end
return {'ok', 'sessions', list_json(list), 'rosters', '[' .. table.concat(rosters, ',') .. ']',
  'courses', list_json(courses)}
