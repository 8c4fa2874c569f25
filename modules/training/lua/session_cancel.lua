-- session_cancel.lua: cancel a session and every booking still live in it
-- (each booker gets a notice); bumps the calendar sequence.
-- KEYS[1] base key.  ARGV: session, now, actor, types, labels.
-- Answers {"ok", "session", <session JSON>, "bookings", <JSON list of
--   {id, username, was}>}; errors not_found, already_cancelled.
local now = need_num('now')
use_session(need('session'))
local s = hgetall(S)
if not s.id then return {'not_found'} end
if s.status ~= 'scheduled' then return {'already_cancelled'} end
local uids, bids = live_people()   -- before the bookings are cancelled
local touched = {}
for _, bid in ipairs(redis.call('HVALS', U)) do
  local b = get_booking(bid)
  if b and (b.status == 'confirmed' or b.status == 'waitlisted') then
    b.was = b.status; b.status = 'cancelled'; b.cancelled_at = now; b.cancelled_by = need('actor')
    b.cancel_reason = 'session_cancelled'; b.notice = 'session_cancelled'
    put_booking(b)
    touched[#touched + 1] = {id = b.id, username = b.username, was = b.was}
  end
end
redis.call('DEL', U, W)
redis.call('HSET', S, 'status', 'cancelled', 'cancelled_at', now, 'confirmed', 0, 'waitlist_length', 0,
  'used:general', 0)
for _, t in ipairs(TYPES) do redis.call('HSET', S, 'used:' .. t, 0) end
redis.call('HINCRBY', S, 'sequence', 1)
store_view(S)
local gone = hgetall(S)
event('session_cancelled', session_fields(gone, {agency = gone.agency_id, trainer = need('actor'), uids = uids,
  bookings = bids}))
redis.call('ZREM', key('due'), 'reminder:' .. s.id)
return {'ok', 'session', cjson.encode(hgetall(S)), 'bookings', list_json(touched)}
