-- booking_view.lua: a booking (with its waitlist position) and its session;
-- with clear_notice "1" the booking's notice is cleared (its owner read it),
-- so this script writes.
-- KEYS[1] base key.  ARGV: session, booking, clear_notice ("1"/"0").
-- Answers {"ok", "booking", <booking JSON, notice as it was>, "session",
--   <session JSON>, "outcomes", <the course's learning outcomes, a JSON
--   array>, "feedback", <the feedback given on the booking, JSON, or "">};
--   error not_found.
use_session(need('session'))
local s = hgetall(S)
local b = s.id and get_booking(need('booking'))
if not b then return {'not_found'} end
local notice = b.notice or ''
if need('clear_notice') == '1' and notice ~= '' then b.notice = ''; put_booking(b) end
b.notice = notice
b.waitlist_position = position(b)
return {'ok', 'booking', cjson.encode(b), 'session', cjson.encode(s),
  'outcomes', redis.call('HGET', key('course', s.course_id or ''), 'outcomes') or '[]',
  'feedback', redis.call('HGET', key('feedback', s.id), b.id) or ''}
