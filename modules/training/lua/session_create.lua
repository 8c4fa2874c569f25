-- session_create.lua: add a session to a course, in one atomic call (id,
-- hash and index).
-- KEYS[1] base key.  ARGV: course, manager ("coordinator": any course;
--   else only a course of `agency`), agency, starts_at, ends_at,
--   booking_closes_at, venue, online ("1"/"0"), join_link, capacity,
--   created_by, types, labels, seats:<type> for each type, and for each
--   time (starts_at, ends_at, booking_closes_at) text:<time>, words:<time>,
--   year:<time> (its RFC 3339 text, words and London year, for the view).
-- Answers {"ok", "session", <session JSON>}; errors course_not_found,
--   forbidden.
local c = hgetall(key('course', need('course')))
if not c.id then return {'course_not_found'} end
if need('manager') ~= 'coordinator' and (need('agency') == '' or c.agency_id ~= A.agency) then
  return {'forbidden'}
end
local id = tostring(redis.call('INCR', key('sessions', 'seq')))
use_session(id)
redis.call('HSET', S, 'id', id, 'course_id', c.id, 'course_title', c.title or '',
  'organisation', c.organisation or '', 'agency_id', c.agency_id or '',
  'starts_at', need_num('starts_at'), 'ends_at', need_num('ends_at'),
  'booking_closes_at', need_num('booking_closes_at'), 'venue', need('venue'), 'online', need('online'),
  'join_link', need('join_link'), 'capacity', need_num('capacity'), 'status', 'scheduled', 'sequence', 0,
  'confirmed', 0, 'waitlist_length', 0, 'created_by', need('created_by'))
for _, t in ipairs(TYPES) do redis.call('HSET', S, 'seats:' .. t, need_num('seats:' .. t)) end
for _, t in ipairs(TIMES) do
  redis.call('HSET', S, 'text:' .. t, need('text:' .. t), 'words:' .. t, need('words:' .. t), 'year:' .. t, need('year:' .. t))
end
redis.call('ZADD', key('sessions'), need_num('starts_at'), id)
redis.call('ZADD', key('course-sessions', c.id), need_num('starts_at'), id)
store_view(S)
local made = hgetall(S)
event('session_created', session_fields(made, {agency = made.agency_id, trainer = need('created_by'), uids = ''}))
due_reminder(made)
return {'ok', 'session', cjson.encode(hgetall(S))}
