-- cancel.lua: cancel a booking (or leave the waitlist); the freed seat goes
-- to the waitlist in the same call.
-- KEYS[1] base key.  ARGV: session, booking, now, actor, may ("any": a
--   coordinator; "agency": a trainer, when the session's agency is
--   actor_agency; "own": only their own), actor_agency, reason, release,
--   cutoff, types, labels.
-- Answers {"ok", "booking", <booking JSON>, "promoted", <JSON list>}; errors
--   not_found, forbidden, already_cancelled, session_started.
local now, release, cutoff = need_num('now'), need_num('release'), need_num('cutoff')
local may = need('may')
use_session(need('session'))
local s = hgetall(S)
local b = s.id and get_booking(need('booking'))
if not b then return {'not_found'} end
local any = may == 'any' or (may == 'agency' and s.agency_id == need('actor_agency'))
if not any and b.username ~= need('actor') then return {'forbidden'} end
if b.status ~= 'confirmed' and b.status ~= 'waitlisted' then return {'already_cancelled'} end
if not any and now >= n(s, 'starts_at') then return {'session_started'} end
local was = b.status
if was == 'confirmed' then give_back(s, b.seat) else redis.call('ZREM', W, b.id) end
b.status = 'cancelled'; b.cancelled_at = now; b.cancelled_by = need('actor'); b.cancel_reason = need('reason')
b.was = was; b.notice = ''
put_booking(b)
booking_event('booking_cancelled', b, s, {was = was, by = b.cancelled_by})
if redis.call('HGET', U, b.username) == b.id then redis.call('HDEL', U, b.username) end
local promoted = sweep(s, now, release, cutoff)
finish(s)
return {'ok', 'booking', cjson.encode(b), 'promoted', list_json(promoted)}
