-- course_save.lua: add a course (id "" : a new id, hash and index in one
-- call) or change one.
-- KEYS[1] base key.  ARGV: id ("" to add), title, summary, description,
--   audience, duration_minutes, organisation, agency_id, outcomes (the
--   learning outcomes, a JSON array of strings, kept as given; when absent
--   the course keeps its own, "[]" for a new one), types, labels.
-- A new title is written into the course's sessions and their views.
-- Answers {"ok", "course", <course JSON>}; error not_found (changing a
--   course that does not exist).
local FIELDS = {'title', 'summary', 'description', 'audience', 'duration_minutes', 'organisation', 'agency_id'}
local id = need('id')
if id == '' then
  id = tostring(redis.call('INCR', key('courses', 'seq')))
  redis.call('ZADD', key('courses'), tonumber(id), id)
elseif redis.call('EXISTS', key('course', id)) == 0 then
  return {'not_found'}
end
local c = key('course', id)
redis.call('HSET', c, 'id', id)
for _, f in ipairs(FIELDS) do redis.call('HSET', c, f, need(f)) end
redis.call('HSET', c, 'outcomes', A.outcomes or redis.call('HGET', c, 'outcomes') or '[]')
for _, sid in ipairs(redis.call('ZRANGE', key('course-sessions', id), 0, -1)) do
  local skey = key('session', sid)
  if redis.call('HGET', skey, 'course_title') ~= A.title then
    redis.call('HSET', skey, 'course_title', A.title)
    store_view(skey)
  end
end
return {'ok', 'course', cjson.encode(hgetall(c))}
