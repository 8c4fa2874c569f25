-- lib.lua: the helpers of the training scripts, after the common prelude
-- (common/lua/lib.lua: A, key, need, need_num, list, answer, hgetall,
-- list_json).  portal-embed --lua joins both onto each script's first line,
-- so Redis's line numbers are the script file's own.  Comments here stay on
-- lines of their own.
--
-- KEYS[1]  the module's base key "<prefix>{training}"; every key a script
--          touches is derived from it (key(...)), so all share the hash tag
--          {training} and one Redis Cluster slot.
-- ARGV     "types" is the agency types, comma-separated, from training.h
--          (one list), for the scripts that seat people.
-- Answers  records travel as JSON text under their names.
--
-- Seats: capacity = seats set aside per agency type + general seats.  A
-- person takes a set-aside seat of their own type first, then a general
-- seat; within the release window before the start any set-aside seat still
-- free may be taken by anyone.  used:<kind> counts the confirmed bookings
-- holding each kind of seat, so a cancellation gives back the kind it held.
-- Promotion (sweep): until the cut-off before the start, the waitlist is
-- walked in arrival order and everyone who can now be seated is confirmed.
local TYPES = A.types and list('types') or {}
local S, B, U, W
local function use_session(id)
  S, B, U, W = key('session', id), key('bookings', id), key('people', id), key('waitlist', id)
end
local function n(t, k) return tonumber(t[k] or '0') or 0 end
local function setaside(s)
  local sum = 0
  for _, t in ipairs(TYPES) do sum = sum + n(s, 'seats:' .. t) end
  return sum
end
local function seat_for(s, atype, now, release)
  if n(s, 'confirmed') >= n(s, 'capacity') then return nil end
  if n(s, 'seats:' .. atype) > n(s, 'used:' .. atype) then return atype end
  if n(s, 'capacity') - setaside(s) > n(s, 'used:general') then return 'general' end
  if now >= n(s, 'starts_at') - release then
    for _, t in ipairs(TYPES) do
      if n(s, 'seats:' .. t) > n(s, 'used:' .. t) then return t end
    end
  end
  return nil
end
local function bump(s, k, d)
  s[k] = tostring(n(s, k) + d)
  redis.call('HINCRBY', S, k, d)
end
local function take(s, kind) bump(s, 'used:' .. kind, 1); bump(s, 'confirmed', 1) end
local function give_back(s, kind) bump(s, 'used:' .. kind, -1); bump(s, 'confirmed', -1) end
local function get_booking(bid)
  local j = redis.call('HGET', B, bid)
  if not j then return nil end
  return cjson.decode(j)
end
local function put_booking(b) redis.call('HSET', B, b.id, cjson.encode(b)) end
local function booking_seq(b) return tonumber(string.match(b.id, '(%d+)$')) or 0 end
local function sweep(s, now, release, cutoff)
  local out = {}
  if s.status ~= 'scheduled' or now >= n(s, 'starts_at') - cutoff then return out end
  if n(s, 'confirmed') >= n(s, 'capacity') then return out end
  for _, bid in ipairs(redis.call('ZRANGE', W, 0, -1)) do
    if n(s, 'confirmed') >= n(s, 'capacity') then break end
    local b = get_booking(bid)
    local kind = b and seat_for(s, b.agency_type, now, release)
    if kind then
      take(s, kind)
      b.status = 'confirmed'; b.seat = kind; b.promoted = true; b.notice = 'promoted'
      b.confirmed_at = now
      put_booking(b)
      event('booking_promoted', {booking = b.id, session = s.id, uid = b.username})
      redis.call('ZREM', W, bid)
      out[#out + 1] = b
    end
  end
  return out
end
local function finish()
  redis.call('HSET', S, 'waitlist_length', redis.call('ZCARD', W))
end
local function position(b)
  if b.status ~= 'waitlisted' then return 0 end
  local r = redis.call('ZRANK', W, b.id)
  if r then return r + 1 end
  return 0
end
