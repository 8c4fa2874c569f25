-- dashboard.lua: the dashboard sink's bookkeeping for one stream entry
-- (modules/notify/dashboard.c; the key layout is in notify.h).
--   KEYS[1]  "<prefix>notify:{notify}:dash" (BASE)
--   ARGV     sink_stream (the module: "beds"), sink_entry (the entry id
--            "ms-seq"), then the entry's own fields as they are (kind, at, ...).
-- Each thing shown is a member of a sorted set BASE:z:<scope> (score: the
-- time it is sorted and filtered by; member: the item's JSON, ready for the
-- page) with BASE:m:<scope> mapping its id to that member, so it can be
-- replaced or removed.  An entry is applied once and in order per thing:
-- BASE:v:<stream>:<thing> keeps the id of the last entry applied to it, and
-- an entry no newer than that is skipped (a redelivery, or one overtaken).
-- Answers {"ok", "applied", "1"|"0"}, {"ignored"} for a kind the dashboard
-- does not show, or {"malformed", "why", text}.
local KEEP = 35 * 86400            -- how long a thing's last entry id is kept
local WEEKS_KEPT = 10 * 7 * 86400  -- how long a week's figures are kept
local MONTH = 30 * 86400
local stream, entry = need('sink_stream'), need('sink_entry')
local kind = A.kind or ''

local function bad(why) return {'malformed', 'why', why} end
local function id_ok(v) return v ~= nil and #v > 0 and #v <= 64 and not string.find(v, '[^%w%._@-]') end
local function num(v) local n = tonumber(v) if n and n >= 0 and n < 1e11 and n == math.floor(n) then return n end end

-- 1 when entry id a is newer than b ("ms-seq" each)
local function newer(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  if not bm then return true end
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end

local function put(scope, id, score, item)
  local old = redis.call('HGET', key('m', scope), id)
  if old then redis.call('ZREM', key('z', scope), old) end
  local member = cjson.encode(item)
  redis.call('ZADD', key('z', scope), score, member)
  redis.call('HSET', key('m', scope), id, member)
end
local function drop(scope, id)
  local old = redis.call('HGET', key('m', scope), id)
  if old then
    redis.call('ZREM', key('z', scope), old)
    redis.call('HDEL', key('m', scope), id)
  end
end
-- the members of scope scored below `below` go (past ones)
local function trim(scope, below)
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', key('z', scope), '-inf', '(' .. below)) do
    local ok, item = pcall(cjson.decode, m)
    if ok and item.id then redis.call('HDEL', key('m', scope), item.id) end
    redis.call('ZREM', key('z', scope), m)
  end
end
-- a week's figure: the ISO week (UTC) of `at`, keyed by the Unix day of its Monday
local function count(at, field)
  local day = math.floor(at / 86400)
  local monday = day - (day + 3) % 7
  local k = key('week', monday)
  redis.call('HINCRBY', k, field, 1)
  redis.call('EXPIREAT', k, (monday + 7) * 86400 + WEEKS_KEPT)
end
local function uids(v)
  local t = {}
  for u in string.gmatch(v or '', '%S+') do if id_ok(u) then t[#t + 1] = u end end
  return t
end

local at = num(A.at)
if not at then return bad('the entry has no time (at)') end

-- the thing each kind is about, and what it does
local THING = {
  hold_placed = 'hold', hold_accepted = 'hold', hold_declined = 'hold', hold_cancelled = 'hold',
  hold_expired = 'hold', hold_extended = 'hold',
  vacancies_stale = 'safehouse', vacancies_updated = 'safehouse',
  booking_confirmed = 'booking', booking_waitlisted = 'booking', booking_promoted = 'booking',
  booking_cancelled = 'booking',
  session_created = 'session', session_changed = 'session', session_cancelled = 'session',
  attendance_recorded = 'session',
  change_proposed = 'change', change_approved = 'change', change_rejected = 'change',
  suggestion_made = 'suggestion',
}
local field = THING[kind]
if not field then return {'ignored'} end
local thing = A[field]
if not id_ok(thing) then return bad('the ' .. kind .. ' entry has no valid ' .. field) end

local vkey = key('v', stream, field, thing)
local last = redis.call('GET', vkey)
if last and not newer(entry, last) then return {'ok', 'applied', '0'} end

local function hold()
  local agency, who = A.agency, A.responder
  if not id_ok(agency) or not id_ok(who) then return 'the hold entry needs agency and responder (uids)' end
  if kind == 'hold_placed' or kind == 'hold_extended' then
    local exp = num(A.expires_at)
    if not exp then return 'the hold entry needs expires_at (Unix seconds)' end
    local item = {id = thing, safehouse = A.safehouse or '', name = A.safehouse_name or '', expires_at = exp}
    trim('holds:' .. agency, at - 86400)
    trim('myholds:' .. who, at - 86400)
    put('holds:' .. agency, thing, exp, item)
    put('myholds:' .. who, thing, exp, item)
    if kind == 'hold_placed' then count(at, 'holds_placed') end
  else
    drop('holds:' .. agency, thing)
    drop('myholds:' .. who, thing)
  end
end

local function safehouse()
  if not id_ok(A.agency) then return 'the vacancies entry needs agency' end
  if kind == 'vacancies_stale' then
    put('stale:' .. A.agency, thing, num(A.updated_at) or 0, {id = thing, name = A.safehouse_name or '', updated_at = num(A.updated_at) or 0})
  else
    drop('stale:' .. A.agency, thing)
  end
end

local function booking()
  local who, session = A.uid, A.session
  if not id_ok(who) or not id_ok(session) then return 'the booking entry needs uid and session' end
  if kind == 'booking_cancelled' then drop('training:' .. who, session) return end
  -- a new booking counts once (a promotion is the same booking)
  if kind ~= 'booking_promoted' then count(at, 'bookings') end
  local starts = num(A.starts_at)
  -- an entry from before booking events carried the session's time: nothing to show
  if not starts then return end
  trim('training:' .. who, at - 86400)
  put('training:' .. who, session, starts, {id = session, title = A.title or '', starts_at = starts,
    ends_at = num(A.ends_at) or starts, waitlisted = kind == 'booking_waitlisted'})
end

local function session()
  -- attendance_recorded names no agency: the session's own, kept when it was made
  local agency = A.agency or redis.call('HGET', key('session-agency'), thing)
  local tkey = 'sessions:' .. (id_ok(agency) and agency or '')
  if kind == 'session_cancelled' then
    if id_ok(agency) then drop(tkey, thing) drop('rosters:' .. agency, thing) end
    for _, u in ipairs(uids(A.uids)) do drop('training:' .. u, thing) end
    redis.call('HDEL', key('session-agency'), thing)
    return
  end
  if kind == 'attendance_recorded' then
    if id_ok(agency) then drop('rosters:' .. agency, thing) end
    return
  end
  local starts, ends = num(A.starts_at), num(A.ends_at)
  if not id_ok(agency) or not starts or not ends then return 'the session entry needs agency, starts_at and ends_at' end
  local item = {id = thing, title = A.title or '', starts_at = starts, ends_at = ends}
  trim(tkey, at - 7 * 86400)
  trim('rosters:' .. agency, at - MONTH)
  redis.call('HSET', key('session-agency'), thing, agency)
  put(tkey, thing, starts, item)
  put('rosters:' .. agency, thing, ends, item)
  if kind == 'session_changed' then
    for _, u in ipairs(uids(A.uids)) do
      local had = redis.call('HGET', key('m', 'training:' .. u), thing)
      if had then
        local b = cjson.decode(had)
        put('training:' .. u, thing, starts, {id = thing, title = item.title, starts_at = starts, ends_at = ends, waitlisted = b.waitlisted})
      end
    end
  end
end

local function review()
  local id = field .. ':' .. thing
  if kind == 'change_proposed' or kind == 'suggestion_made' then
    trim('review', at - MONTH)
    put('review', id, at, {id = id, what = field, ref = thing, service = A.service or '', name = A.service_name or ''})
  else
    drop('review', id)
    if kind == 'change_approved' then count(at, 'changes_made') end
  end
end

local DO = {hold = hold, safehouse = safehouse, booking = booking, session = session, change = review, suggestion = review}
local why = DO[field]()
if why then return bad(why) end
redis.call('SET', vkey, entry, 'EX', KEEP)
return {'ok', 'applied', '1'}
