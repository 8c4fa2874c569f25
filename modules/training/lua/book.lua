-- book.lua: book a seat in a session, else a place on its waitlist.
-- KEYS[1] base key.  ARGV: session, now, username, name, agency_id,
--   agency_name, agency_type, unit (the booker's police unit code, "" when
--   none), release, cutoff, waitlist_max, types, labels.
-- Answers {"ok", "booking", <booking JSON>, "promoted", <JSON list>}; errors
--   not_found, session_cancelled, session_started, booking_closed,
--   {"already_booked", "booking", <JSON>},
--   {"waitlist_full", "promoted", <JSON list>} (promotions made first stay).
-- The booking is indexed under the person ("My training") in the same call.
local sid, now = need('session'), need_num('now')
local release, cutoff = need_num('release'), need_num('cutoff')
local user = need('username')
local mine = key('user', user, 'bookings')
use_session(sid)
local s = hgetall(S)
if not s.id then return {'not_found'} end
if s.status ~= 'scheduled' then return {'session_cancelled'} end
if now >= n(s, 'starts_at') then return {'session_started'} end
if now >= n(s, 'booking_closes_at') then return {'booking_closed'} end
local existing = redis.call('HGET', U, user)
if existing then
  local e = get_booking(existing)
  e.waitlist_position = position(e)
  redis.call('ZADD', mine, 'NX', e.booked_at or now, e.id)
  return {'already_booked', 'booking', cjson.encode(e)}
end
local promoted = sweep(s, now, release, cutoff)
local seq = redis.call('HINCRBY', S, 'booking_seq', 1)
local b = {id = s.id .. '-' .. seq, session_id = s.id, username = user, name = need('name'),
  agency_id = need('agency_id'), agency_name = need('agency_name'), agency_type = need('agency_type'),
  unit = A.unit or '', booked_at = now, attendance = '', notice = ''}
local kind = seat_for(s, b.agency_type, now, release)
if kind then
  take(s, kind); b.status = 'confirmed'; b.seat = kind; b.confirmed_at = now
else
  if redis.call('ZCARD', W) >= need_num('waitlist_max') then
    finish(s)
    return {'waitlist_full', 'promoted', list_json(promoted)}
  end
  b.status = 'waitlisted'; b.seat = ''
  redis.call('ZADD', W, redis.call('HINCRBY', S, 'wait_seq', 1), b.id)
end
put_booking(b)
booking_event('booking_' .. b.status, b, s)
redis.call('HSET', U, user, b.id)
redis.call('ZADD', mine, 'NX', now, b.id)
finish(s)
b.waitlist_position = position(b)
return {'ok', 'booking', cjson.encode(b), 'promoted', list_json(promoted)}
