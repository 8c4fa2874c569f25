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
local function position(b)
  if b.status ~= 'waitlisted' then return 0 end
  local r = redis.call('ZRANK', W, b.id)
  if r then return r + 1 end
  return 0
end
-- Views (data version 3): each session keeps beside its hash the JSON text
-- of its public view (schemas/session.json), written by every script that
-- changes the session or its seats (store_view), so that a read assembles
-- its answer from stored text with table.concat and encodes nothing:
--   view           the members that depend on nothing but the data
--   view_open      agency_seats_left, agency_mix, set_aside_released
--                  while set-aside seats are kept for their agency type
--   view_released  the same once they are open to everyone
--   view_link      ',"join_link":...' for those who may see it, or ''
--   view_title     the course title as a JSON string
-- The times' texts come from C with the change (text:<time> RFC 3339,
-- words:<time> in words without the year, year:<time> its London year), so
-- the read adds the year only when it is not the reader's (ARGV "year").
-- ARGV "labels" is the agency types' labels, in the order of "types".
local LABELS = A.labels and list('labels') or {}
local TIMES = {'starts_at', 'ends_at', 'booking_closes_at'}
local function jstr(v) return cjson.encode(tostring(v or '')) end
local function seat_views(s, cap, confirmed)
  local left = math.max(cap - confirmed, 0)
  local general_left = math.max(cap - setaside(s) - n(s, 'used:general'), 0)
  local free, all_free = {}, 0
  for i, t in ipairs(TYPES) do
    free[i] = math.max(n(s, 'seats:' .. t) - n(s, 'used:' .. t), 0)
    all_free = all_free + free[i]
  end
  local out = {}
  for k, released in ipairs({false, true}) do
    local l, m = {}, {}
    for i, t in ipairs(TYPES) do
      local c = math.min((released and all_free or free[i]) + general_left, left)
      l[i] = '"' .. t .. '":' .. c
      m[i] = '{"type":"' .. t .. '","label":' .. jstr(LABELS[i] or t) .. ',"set_aside":' ..
        n(s, 'seats:' .. t) .. ',"seats_left":' .. c .. '}'
    end
    out[k] = '"agency_seats_left":{' .. table.concat(l, ',') .. '},"agency_mix":[' .. table.concat(m, ',') ..
      '],"set_aside_released":' .. tostring(released)
  end
  return out[1], out[2]
end
local function store_view(skey)
  local s = hgetall(skey)
  if not s.id then return end
  local cap, confirmed = n(s, 'capacity'), n(s, 'confirmed')
  local seats = {}
  for i, t in ipairs(TYPES) do seats[i] = '"' .. t .. '":' .. n(s, 'seats:' .. t) end
  local p = {'"id":', jstr(s.id), ',"course_id":', jstr(s.course_id), ',"course_title":', jstr(s.course_title),
    ',"organisation":', jstr(s.organisation), ',"agency_id":', jstr(s.agency_id)}
  for _, t in ipairs(TIMES) do p[#p + 1] = ',"' .. t .. '":' .. jstr(s['text:' .. t]) end
  p[#p + 1] = ',"venue":' .. jstr(s.venue) .. ',"online":' .. tostring(s.online == '1') ..
    ',"capacity":' .. cap .. ',"confirmed":' .. confirmed .. ',"seats_left":' .. math.max(cap - confirmed, 0) ..
    ',"waitlist_length":' .. n(s, 'waitlist_length') .. ',"agency_seats":{' .. table.concat(seats, ',') ..
    '},"status":' .. jstr(s.status) .. ',"cancelled":' .. tostring(s.status == 'cancelled') ..
    ',"sequence":' .. n(s, 'sequence')
  local open, released = seat_views(s, cap, confirmed)
  local link = ''
  if s.online == '1' and (s.join_link or '') ~= '' then link = ',"join_link":' .. jstr(s.join_link) end
  redis.call('HSET', skey, 'view', table.concat(p), 'view_open', open, 'view_released', released,
    'view_link', link, 'view_title', jstr(s.course_title))
end
-- The end of every change to the current session's seats: its waitlist
-- length and its view.
local function finish()
  redis.call('HSET', S, 'waitlist_length', redis.call('ZCARD', W))
  store_view(S)
end
-- The reads: a session's view at `now` (its JSON text), assembled.
-- `r` = {now, release, year (the reader's London year), manager
-- ("coordinator", "trainer" or ""), agency (the reader's)}; link: whether
-- the reader may see the joining link whatever their role (booked).
-- Returns text, may_manage (boolean), title (JSON string); nil when the
-- session has no view.
local VIEW_FIELDS = {'view', 'view_open', 'view_released', 'view_link', 'view_title', 'starts_at', 'booking_closes_at',
  'status', 'agency_id', 'words:starts_at', 'year:starts_at', 'words:ends_at', 'year:ends_at',
  'words:booking_closes_at', 'year:booking_closes_at'}
local function reader()
  return {now = need_num('now'), release = need_num('release'), year = need('year'), manager = need('manager'),
    agency = need('agency')}
end
local function words(w, y, year)
  if y == year then return w or '' end
  return (w or '') .. ' ' .. (y or '')
end
local function read_view(sid, r, link, with_change)
  local v = redis.call('HMGET', key('session', sid), unpack(VIEW_FIELDS))
  if not v[1] then return nil end
  local starts, closes = tonumber(v[6]) or 0, tonumber(v[7]) or 0
  local manage = r.manager == 'coordinator' or (r.manager == 'trainer' and r.agency ~= '' and r.agency == v[9])
  local p = {'{', v[1], ',"starts_at_human":"', words(v[10], v[11], r.year), '","ends_at_human":"',
    words(v[12], v[13], r.year), '","booking_closes_at_human":"', words(v[14], v[15], r.year), '",',
    r.now >= starts - r.release and v[3] or v[2], ',"past":', tostring(r.now >= starts),
    ',"bookable":', tostring(v[8] == 'scheduled' and r.now < closes and r.now < starts)}
  if link or manage then p[#p + 1] = v[4] end
  if with_change then p[#p + 1] = ',"can_change":' .. tostring(manage) end
  p[#p + 1] = '}'
  return table.concat(p), manage, v[5]
end
