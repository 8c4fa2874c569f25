-- feedback.lua: the person who attended a session tells how it went: their
-- confidence before and after in each of the course's learning outcomes
-- (1-5), how useful it was (1-5) and "What will you do differently?" (the
-- text C checked for personal data).  Giving it again replaces it.  The
-- feedback is kept in feedback:<session> (booking id -> JSON), the booking
-- notes when it was given, and feedback_given goes on the events stream
-- with the text (issue 18: the one event that carries free text), in the
-- same call.
-- KEYS[1] base key.  ARGV: session, booking, username (who gives it), unit
--   (their police unit code, "" when none), now, before and after (one
--   1-5 value per learning outcome, comma-separated, "" when the course
--   has none), usefulness (1-5), text.
-- Answers {"ok", "feedback", <feedback JSON>, "replaced", "1"/"0"}; errors
--   not_found, not_yours (another person's booking), not_attended (not
--   marked attended), session_not_ended, outcomes_changed (the number of
--   values is not the course's number of outcomes: it changed meanwhile).
local now = need_num('now')
use_session(need('session'))
local s = hgetall(S)
local b = s.id and get_booking(need('booking'))
if not b then return {'not_found'} end
if b.username ~= need('username') then return {'not_yours'} end
if b.status ~= 'confirmed' or b.attendance ~= 'attended' then return {'not_attended'} end
if now < n(s, 'ends_at') then return {'session_not_ended'} end
local outcomes_text = redis.call('HGET', key('course', s.course_id or ''), 'outcomes') or '[]'
local outcomes = cjson.decode(outcomes_text)
local before, after = list('before'), list('after')
if #before ~= #outcomes or #after ~= #outcomes then return {'outcomes_changed'} end
for _, v in ipairs(before) do if not string.match(v, '^[1-5]$') then return {'outcomes_changed'} end end
for _, v in ipairs(after) do if not string.match(v, '^[1-5]$') then return {'outcomes_changed'} end end
local usefulness = need_num('usefulness')
local fkey = key('feedback', s.id)
local replaced = redis.call('HEXISTS', fkey, b.id) == 1
local f = {booking = b.id, session = s.id, course_title = s.course_title or '', uid = b.username,
  agency_id = b.agency_id or '', agency_type = b.agency_type or '', unit = need('unit'),
  usefulness = usefulness, text = need('text'), given_at = now}
-- the lists spliced in as JSON arrays (cjson would write an empty one as {})
local text = string.sub(cjson.encode(f), 1, -2) .. ',"outcomes":' .. outcomes_text .. ',"confidence_before":[' ..
  need('before') .. '],"confidence_after":[' .. need('after') .. ']}'
redis.call('HSET', fkey, b.id, text)
b.feedback_at = now
put_booking(b)
event('feedback_given', {booking = b.id, session = s.id, title = s.course_title or '', starts_at = n(s, 'starts_at'),
  uid = b.username, agency = b.agency_id or '', agency_type = b.agency_type or '', unit = need('unit'),
  outcomes = table.concat(outcomes, '\n'), confidence_before = need('before'), confidence_after = need('after'),
  usefulness = usefulness, text = need('text')})
return {'ok', 'feedback', text, 'replaced', replaced and '1' or '0'}
