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
local function booking_seq(b) return tonumber(string.match(b.id, '(%d+)$')) or 0 end
local function put_booking(b) redis.call('HSET', B, b.id, cjson.encode(b)) end
-- Events (common/lua/lib.lua's event(); the vocabulary of issue 16): what
-- every training event says of its session, s (its fields as they now are):
-- the title, the organisation delivering it, times, place ("Online" or the
-- venue) and calendar sequence, so portal-notify can write the session's
-- calendar file without reading the module's keys.  Never a booker's name:
-- people by uid.  A uid or agency with no value is left out (portal-notify
-- refuses an empty one); the lists uids and bookings may be empty.
local function session_fields(s, more)
  local f = {session = s.id, title = s.course_title or '', organisation = s.organisation or '',
    starts_at = n(s, 'starts_at'), ends_at = n(s, 'ends_at'),
    location = s.online == '1' and 'Online' or (s.venue or ''), sequence = n(s, 'sequence')}
  for k, v in pairs(more or {}) do f[k] = v end
  for _, k in ipairs({'agency', 'trainer_agency', 'trainer', 'by', 'uid'}) do if f[k] == '' then f[k] = nil end end
  return f
end
-- A booking event of b in session s: booking, uid, the booker's agency,
-- agency_type and unit (their police unit code, "" when none: issue 18),
-- trainer_agency and the session's fields.
local function booking_event(kind, b, s, more)
  local m = {booking = b.id, uid = b.username, trainer_agency = s.agency_id, agency = b.agency_id or '',
    agency_type = b.agency_type or '', unit = b.unit or ''}
  for k, v in pairs(more or {}) do m[k] = v end
  return event(kind, session_fields(s, m))
end
-- The current session's confirmed bookings, in booking order.
local function confirmed_bookings()
  local confirmed = {}
  for _, bid in ipairs(redis.call('HVALS', U)) do
    local b = get_booking(bid)
    if b and b.status == 'confirmed' then confirmed[#confirmed + 1] = b end
  end
  table.sort(confirmed, function(x, y) return booking_seq(x) < booking_seq(y) end)
  return confirmed
end
-- The people with a live booking of the current session (W, B, U set):
-- uids (confirmed first, in booking order, then the waitlist in its order)
-- and bookings (the confirmed ones' booking ids, in the same order as the
-- first uids), each a text of values separated by single spaces.
local function live_people()
  local uids, bids = {}, {}
  for i, b in ipairs(confirmed_bookings()) do uids[i], bids[i] = b.username, b.id end
  for _, bid in ipairs(redis.call('ZRANGE', W, 0, -1)) do
    local b = get_booking(bid)
    if b and b.status == 'waitlisted' then uids[#uids + 1] = b.username end
  end
  return table.concat(uids, ' '), table.concat(bids, ' ')
end
-- The due set B:due (score: Unix seconds; member: what falls due), read by
-- due.lua when portal-notify's clock runs it: "reminder:<session id>",
-- REMINDER_BEFORE a session's start, set when the session is made, moved
-- with its start, removed when it is cancelled or the reminder is sent.
local REMINDER_BEFORE = 2 * 86400
local function due_reminder(s)
  redis.call('ZADD', key('due'), n(s, 'starts_at') - REMINDER_BEFORE, 'reminder:' .. s.id)
end
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
      booking_event('booking_promoted', b, s)
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
-- Views (data version 3): beside its hash each session keeps the JSON text
-- of its public view (schemas/session.json), written by every script that
-- changes the session or its seats (store_view), so that a read assembles
-- its answer from stored text with table.concat and encodes nothing.  The
-- texts live in a few hashes keyed by session id, so a page of sessions is
-- read with one HMGET per hash, not one call per session:
--   views:static    '{' + the members a booking does not change (written
--                   when the session itself changes)
--   views:open      the members that change with the seats: confirmed,
--                   seats_left, waitlist_length, agency_seats_left,
--                   agency_mix, set_aside_released, while set-aside seats
--                   are kept for their agency type
--   views:released  the same once they are open to everyone
-- (a booking rewrites only the two short seat texts, not the whole view:
-- every write is appended to the AOF and fsynced before the answer)
--   views:words     ',"starts_at_human":...' (three times) without years
--   views:years     the same, each with its year
--   views:link      ',"join_link":...' when the session has one
--   views:meta      "<booking_closes_at> <status> <year> <agency_id>": what
--                   a read needs to decide (year: the London year of all
--                   three times, or "-" when they differ)
-- and the session hash keeps view_title (the course title as JSON).
-- The times' texts come from C with the change (text:<time> RFC 3339,
-- words:<time> in words without the year, year:<time> its London year), so
-- the read adds years only when they are not the reader's (ARGV "year").
-- ARGV "labels" is the agency types' labels, in the order of "types".
local LABELS = A.labels and list('labels') or {}
local TIMES = {'starts_at', 'ends_at', 'booking_closes_at'}
local function jstr(v) return cjson.encode(tostring(v or '')) end
local LABEL_JSON = {}
local function seat_views(s, cap, confirmed)
  local left = math.max(cap - confirmed, 0)
  local general_left = math.max(cap - setaside(s) - n(s, 'used:general'), 0)
  local free, all_free = {}, 0
  for i, t in ipairs(TYPES) do
    free[i] = math.max(n(s, 'seats:' .. t) - n(s, 'used:' .. t), 0)
    all_free = all_free + free[i]
    LABEL_JSON[i] = LABEL_JSON[i] or jstr(LABELS[i] or t)
  end
  local out = {}
  for k, released in ipairs({false, true}) do
    local l, m = {}, {}
    for i, t in ipairs(TYPES) do
      local c = math.min((released and all_free or free[i]) + general_left, left)
      l[i] = '"' .. t .. '":' .. c
      m[i] = '{"type":"' .. t .. '","label":' .. LABEL_JSON[i] .. ',"set_aside":' ..
        n(s, 'seats:' .. t) .. ',"seats_left":' .. c .. '}'
    end
    out[k] = ',"agency_seats_left":{' .. table.concat(l, ',') .. '},"agency_mix":[' .. table.concat(m, ',') ..
      '],"set_aside_released":' .. tostring(released)
    -- no set-aside seat free: released counts as open does (the common case)
    if all_free == 0 then return out[1], string.sub(out[1], 1, -6) .. 'true' end
  end
  return out[1], out[2]
end
-- The three times in words: without years, and each with its year.
local function words_of(s)
  local plain, dated = {}, {}
  for i, t in ipairs(TIMES) do
    local w = s['words:' .. t] or ''
    plain[i] = ',"' .. t .. '_human":"' .. w .. '"'
    dated[i] = ',"' .. t .. '_human":"' .. w .. ' ' .. (s['year:' .. t] or '') .. '"'
  end
  local y = s['year:starts_at'] or '-'
  if s['year:ends_at'] ~= y or s['year:booking_closes_at'] ~= y then y = '-' end
  return table.concat(plain), table.concat(dated), y
end
-- The view's members that change only when the session itself changes
-- (not its seats), from '{' on (views:static).
local function view_static(s)
  local seats = {}
  for i, t in ipairs(TYPES) do seats[i] = '"' .. t .. '":' .. n(s, 'seats:' .. t) end
  local p = {'{"id":', jstr(s.id), ',"course_id":', jstr(s.course_id), ',"course_title":', jstr(s.course_title),
    ',"organisation":', jstr(s.organisation), ',"agency_id":', jstr(s.agency_id)}
  for _, t in ipairs(TIMES) do p[#p + 1] = ',"' .. t .. '":' .. jstr(s['text:' .. t]) end
  p[#p + 1] = ',"venue":' .. jstr(s.venue) .. ',"online":' .. tostring(s.online == '1') ..
    ',"capacity":' .. n(s, 'capacity') .. ',"agency_seats":{' .. table.concat(seats, ',') ..
    '},"status":' .. jstr(s.status) .. ',"cancelled":' .. tostring(s.status == 'cancelled') ..
    ',"sequence":' .. n(s, 'sequence')
  return table.concat(p)
end
-- Write the two texts that change with the seats (views:open and
-- views:released) from s, the session's fields as they now are.
local function store_seats(s)
  local cap, confirmed = n(s, 'capacity'), n(s, 'confirmed')
  local head = ',"confirmed":' .. confirmed .. ',"seats_left":' ..
    math.max(cap - confirmed, 0) .. ',"waitlist_length":' .. n(s, 'waitlist_length')
  local open, released = seat_views(s, cap, confirmed)
  redis.call('HSET', key('views', 'open'), s.id, head .. open)
  redis.call('HSET', key('views', 'released'), s.id, head .. released)
end
-- Write every stored text of the session at skey (s: its fields as they
-- now are; read from skey when nil).
local function store_view(skey, s)
  s = s or hgetall(skey)
  if not s.id then return end
  redis.call('HSET', key('views', 'static'), s.id, view_static(s))
  store_seats(s)
  local plain, dated, year = words_of(s)
  redis.call('HSET', key('views', 'words'), s.id, plain)
  redis.call('HSET', key('views', 'years'), s.id, dated)
  redis.call('HSET', key('views', 'meta'), s.id,
    n(s, 'booking_closes_at') .. ' ' .. (s.status or '') .. ' ' .. year .. ' ' .. (s.agency_id or ''))
  if s.online == '1' and (s.join_link or '') ~= '' then
    redis.call('HSET', key('views', 'link'), s.id, ',"join_link":' .. jstr(s.join_link))
  else
    redis.call('HDEL', key('views', 'link'), s.id)
  end
  redis.call('HSET', skey, 'view_title', jstr(s.course_title))
end
-- The end of every change to the current session's seats: its waitlist
-- length and the texts that show the seats (s: its fields as they now
-- are, the seat counters bumped).
local function finish(s)
  local length = redis.call('ZCARD', W)
  redis.call('HSET', S, 'waitlist_length', length)
  s.waitlist_length = tostring(length)
  store_seats(s)
end
-- The reads.  reader(): the reader's clock and role from ARGV {now,
-- release, year (the reader's London year), manager ("coordinator",
-- "trainer" or ""), agency (the reader's)}.
local function reader()
  return {now = need_num('now'), release = need_num('release'), year = need('year'), manager = need('manager'),
    agency = need('agency')}
end
-- HMGET of `fields` of hash k as a table field -> value ({} when none).
local function hmget_by(k, fields)
  local out = {}
  if #fields == 0 then return out end
  local v = redis.call('HMGET', k, unpack(fields))
  for i, f in ipairs(fields) do out[f] = v[i] end
  return out
end
-- A session's words when its times' years differ (rare: a session over
-- New Year): each time's words, with its year unless it is the reader's.
local function words_mixed(id, year)
  local s = hgetall(key('session', id))
  local p = {}
  for i, t in ipairs(TIMES) do
    local w = s['words:' .. t] or ''
    if s['year:' .. t] ~= year then w = w .. ' ' .. (s['year:' .. t] or '') end
    p[i] = ',"' .. t .. '_human":"' .. w .. '"'
  end
  return table.concat(p)
end
-- The members after a view's words: "past" and "bookable" (by their
-- values), then "can_change" and the closing brace (by with_change and its
-- value).  Constants: a read builds no long string.
local TAIL = {[false] = {[false] = ',"past":false,"bookable":false', [true] = ',"past":false,"bookable":true'},
  [true] = {[false] = ',"past":true,"bookable":false', [true] = ',"past":true,"bookable":true'}}
local CLOSE = {[false] = ',"can_change":false}', [true] = ',"can_change":true}'}
-- Append to `out` the JSON list of the views of sessions ids[i] starting
-- at starts[i] for reader r, as pairs (name, piece) whose pieces, joined
-- in order, are the list's text: the stored texts are handed back as they
-- are (joining them here would copy every one; the caller joins them).
-- link(manage, i): whether the reader sees the joining link of ids[i];
-- with_change adds "can_change".  Returns how many views, whether the
-- reader may manage each session, and each view's index in ids.  A session
-- with no view is left out.
local function read_views(ids, starts, r, link, with_change, out, name)
  local meta = #ids > 0 and redis.call('HMGET', key('views', 'meta'), unpack(ids)) or {}
  local open, released, words, years, links = {}, {}, {}, {}, {}
  local rel, bookable, yearly, manage, shown, all = {}, {}, {}, {}, {}, {}
  local now = r.now
  for i, id in ipairs(ids) do
    local m = meta[i]
    if m then
      local closes, status, year, agency = string.match(m, '^(%-?%d+) (%S*) (%S+) ?(.*)$')
      manage[i] = r.manager == 'coordinator' or (r.manager == 'trainer' and r.agency ~= '' and r.agency == agency)
      rel[i] = now >= starts[i] - r.release
      bookable[i] = status == 'scheduled' and now < tonumber(closes) and now < starts[i]
      all[#all + 1] = id
      if rel[i] then released[#released + 1] = id else open[#open + 1] = id end
      yearly[i] = year
      if year == r.year then words[#words + 1] = id elseif year ~= '-' then years[#years + 1] = id end
      shown[i] = link(manage[i], i)
      if shown[i] then links[#links + 1] = id end
    end
  end
  local statics = hmget_by(key('views', 'static'), all)
  open, released = hmget_by(key('views', 'open'), open), hmget_by(key('views', 'released'), released)
  words, years, links = hmget_by(key('views', 'words'), words), hmget_by(key('views', 'years'), years),
    hmget_by(key('views', 'link'), links)
  local n_out, count, manages, listed = #out, 0, {}, {}
  out[n_out + 1], out[n_out + 2] = name, '['
  n_out = n_out + 2
  for i, id in ipairs(ids) do
    if meta[i] then
      if count > 0 then out[n_out + 1], out[n_out + 2] = name, ','; n_out = n_out + 2 end
      count = count + 1
      local w = yearly[i] == r.year and words[id] or years[id] or words_mixed(id, r.year)
      -- no static text before data version 6: views:open held the whole view
      out[n_out + 1], out[n_out + 2] = name, statics[id] or ''
      out[n_out + 3], out[n_out + 4] = name, rel[i] and released[id] or open[id]
      out[n_out + 5], out[n_out + 6] = name, w
      out[n_out + 7], out[n_out + 8] = name, TAIL[now >= starts[i]][bookable[i]]
      n_out = n_out + 8
      if shown[i] and links[id] then out[n_out + 1], out[n_out + 2] = name, links[id]; n_out = n_out + 2 end
      out[n_out + 1], out[n_out + 2] = name, with_change and CLOSE[manage[i]] or '}'
      n_out = n_out + 2
      manages[count], listed[count] = manage[i], i
    end
  end
  out[n_out + 1], out[n_out + 2] = name, ']'
  return count, manages, listed
end
