-- attend.lua: mark attendance of a confirmed booking, from the session's
-- start until `window` seconds after it.
-- KEYS[1] base key.  ARGV: session, booking, now, attendance, window, actor.
-- Answers {"ok", "booking", <booking JSON>}; errors not_found,
--   not_confirmed, not_started, attendance_closed.
local now = need_num('now')
use_session(need('session'))
local s = hgetall(S)
local b = s.id and get_booking(need('booking'))
if not b then return {'not_found'} end
if b.status ~= 'confirmed' then return {'not_confirmed'} end
if now < n(s, 'starts_at') then return {'not_started'} end
if now > n(s, 'starts_at') + need_num('window') then return {'attendance_closed'} end
b.previous_attendance = b.attendance
b.attendance = need('attendance'); b.attendance_marked_at = now; b.attendance_marked_by = need('actor')
put_booking(b)
event('attendance_recorded', {session = s.id, title = s.course_title or '', starts_at = n(s, 'starts_at'),
  uids = b.username, attendance = b.attendance, booking = b.id, by = b.attendance_marked_by})
-- A person newly marked attended (who has not given feedback) is asked for
-- it: feedback_asked (the booking's fields), which portal-notify turns into
-- "Tell us how <course> went" with a link to the feedback form (issue 18).
if b.attendance == 'attended' and b.previous_attendance ~= 'attended' and not b.feedback_at then
  booking_event('feedback_asked', b, s)
end
return {'ok', 'booking', cjson.encode(b)}
