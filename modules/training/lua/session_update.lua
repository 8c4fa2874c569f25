-- session_update.lua: change a session's times, place, capacity or seats
-- set aside.  The confirmed bookings are seated again under the new numbers
-- (in the order they were confirmed); when they no longer fit, the answer is
-- seats_below_confirmed and NOTHING is changed.  Bumps the calendar sequence;
-- freed seats go to the waitlist.
-- KEYS[1] base key.  ARGV: session, now, release, cutoff, types, and the
--   changed fields as pairs of their own: starts_at, ends_at,
--   booking_closes_at, venue, online ("1"/"0"), join_link, capacity,
--   seats:<type>, and with each time text:<time>, words:<time>,
--   year:<time> (each optional: absent ones keep their value); labels;
--   actor (uid).
-- When its time (start or end), place (venue or joining link) or format
--   (online or not) changes, appends session_changed naming which in
--   "changed" ("time place format", those that changed), with everyone
--   booked or waitlisted; a new start moves the reminder in the due set.
-- Answers {"ok", "session", <session JSON>, "promoted", <JSON list>}; errors
--   not_found, session_cancelled, {"seats_below_confirmed", "confirmed", N}.
local FIELDS = {'starts_at', 'ends_at', 'booking_closes_at', 'venue', 'online', 'join_link', 'capacity'}
local now, release, cutoff = need_num('now'), need_num('release'), need_num('cutoff')
local sid, actor = need('session'), need('actor')
-- Which of time, place and format differ between session fields a and b.
local function what_changed(a, b)
  local out = {}
  if n(a, 'starts_at') ~= n(b, 'starts_at') or n(a, 'ends_at') ~= n(b, 'ends_at') then out[#out + 1] = 'time' end
  if (a.venue or '') ~= (b.venue or '') or (b.online == '1' and (a.join_link or '') ~= (b.join_link or '')) then
    out[#out + 1] = 'place'
  end
  if (a.online or '0') ~= (b.online or '0') then out[#out + 1] = 'format' end
  return table.concat(out, ' ')
end
use_session(sid)
local s = hgetall(S)
if not s.id then return {'not_found'} end
if s.status ~= 'scheduled' then return {'session_cancelled'} end
local t = {}
for k, v in pairs(s) do t[k] = v end
for _, f in ipairs(FIELDS) do if A[f] then t[f] = A[f] end end
for _, ty in ipairs(TYPES) do if A['seats:' .. ty] then t['seats:' .. ty] = A['seats:' .. ty] end end
for _, f in ipairs(TIMES) do
  for _, part in ipairs({'text:', 'words:', 'year:'}) do if A[part .. f] then t[part .. f] = A[part .. f] end end
end
t.confirmed = '0'; t['used:general'] = '0'
for _, ty in ipairs(TYPES) do t['used:' .. ty] = '0' end
local confirmed = {}
for _, j in ipairs(redis.call('HVALS', B)) do
  local b = cjson.decode(j)
  if b.status == 'confirmed' then confirmed[#confirmed + 1] = b end
end
table.sort(confirmed, function(x, y)
  if (x.confirmed_at or 0) ~= (y.confirmed_at or 0) then return (x.confirmed_at or 0) < (y.confirmed_at or 0) end
  return booking_seq(x) < booking_seq(y)
end)
-- first every seat in memory; nothing is written until all fit
local moved = {}
for _, b in ipairs(confirmed) do
  local kind = seat_for(t, b.agency_type, now, release)
  if not kind and n(t, 'confirmed') < n(t, 'capacity') and n(t, 'capacity') - setaside(t) > n(t, 'used:general') then
    kind = 'general'
  end
  if not kind then return {'seats_below_confirmed', 'confirmed', tostring(#confirmed)} end
  t['used:' .. kind] = tostring(n(t, 'used:' .. kind) + 1); t.confirmed = tostring(n(t, 'confirmed') + 1)
  if b.seat ~= kind then b.seat = kind; moved[#moved + 1] = b end
end
for _, b in ipairs(moved) do put_booking(b) end
t.sequence = tostring(n(s, 'sequence') + 1)
for k, v in pairs(t) do redis.call('HSET', S, k, v) end
if A.online == '0' then redis.call('HDEL', S, 'join_link') end
redis.call('ZADD', key('sessions'), n(t, 'starts_at'), sid)
redis.call('ZADD', key('course-sessions', t.course_id or ''), n(t, 'starts_at'), sid)
local promoted = sweep(t, now, release, cutoff)
finish(t)
store_view(S, t)
local changed = what_changed(s, t)
if changed ~= '' then
  local uids, bids = live_people()
  event('session_changed', session_fields(t, {agency = t.agency_id, trainer = actor, uids = uids, bookings = bids,
    changed = changed}))
  if n(s, 'starts_at') ~= n(t, 'starts_at') then due_reminder(t) end
end
return {'ok', 'session', cjson.encode(hgetall(S)), 'promoted', list_json(promoted)}
