-- intake.lua: count a batch of another module's events (read from its
-- stream by the housekeeping, in C: the stream is on that module's slot)
-- into the quarterly figures, keep monitoring's own copy of each text, and
-- move that stream's cursor past them.  Each event counts once: its id is
-- remembered in seen:<quarter>, so a batch read again (a cursor lost after
-- a crash) adds nothing; a cursor another instance moved first: "moved".
-- KEYS[1] base key.  ARGV: stream (training, beds, cases), cursor_was (""
--   at the start), cursor (the last entry read), events (JSON array of
--   {id, kind, at, quarter (of at), f {the entry's fields}, and as C adds
--   them: session_quarter (of starts_at), delta (mean confidence after
--   minus before), terms (the guide's terms in f.text, one a line)}).
-- Answers {"ok", "counted", n} or {"moved"}.
local stream = need('stream')
local was = redis.call('GET', key('cursor', stream)) or ''
if was ~= need('cursor_was') then return answer('moved') end
local function add(quarter, field, n)
  redis.call('HINCRBYFLOAT', key('fig', quarter), field, n)
end
local function s(v) if v == nil or v == cjson.null then return '' end return tostring(v) end

-- keep_text(source, e, fields): monitoring's copy of the event's text, one
-- per source ("feedback|<booking>"): a later event replaces the words and
-- keeps the tags; an empty text removes the copy.
local function keep_text(source, e, fields)
  local id = redis.call('HGET', key('source'), source)
  if s(e.f.text) == '' then
    if id then
      set_terms(id, e.quarter, fields.agency_type, '')
      redis.call('DEL', key('text', id))
      redis.call('ZREM', key('texts'), id)
      redis.call('HDEL', key('source'), source)
    end
    return
  end
  if not id then
    id = tostring(redis.call('INCR', key('seq', 'text')))
    redis.call('HSET', key('source'), source, id)
    redis.call('HSET', key('text', id), 'id', id, 'author', '', 'created_at', s(e.at), 'tags', '', 'quote', '0',
      'types', '[]')
    redis.call('ZADD', key('texts'), tonumber(e.at) or 0, id)
  end
  redis.call('HSET', key('text', id), 'kind', fields.kind, 'text', s(e.f.text), 'borough', fields.borough,
    'unit', fields.unit, 'agency_type', fields.agency_type, 'changed_at', s(e.at))
  set_terms(id, e.quarter, fields.agency_type, s(e.terms))
end

local function who(f) return (s(f.agency_type) ~= '' and s(f.agency_type) or 'unknown') .. '|' .. s(f.unit) end

local training = {}
function training.booking_confirmed(e)
  local b = key('booking', s(e.f.booking))
  if redis.call('HGET', b, 'state') == 'booked' then return end
  redis.call('HSET', b, 'state', 'booked', 'quarter', e.session_quarter, 'who', who(e.f))
  redis.call('HSET', key('booking-of'), s(e.f.session) .. '|' .. s(e.f.uid), s(e.f.booking))
  add(e.session_quarter, 'booked|' .. who(e.f), 1)
end
training.booking_promoted = training.booking_confirmed
function training.booking_waitlisted(e)
  local b = key('booking', s(e.f.booking))
  if not redis.call('HGET', b, 'state') then
    redis.call('HSET', b, 'state', 'waiting', 'quarter', e.session_quarter, 'who', who(e.f))
  end
  redis.call('HSET', key('booking-of'), s(e.f.session) .. '|' .. s(e.f.uid), s(e.f.booking))
end
function training.booking_cancelled(e)
  local b = key('booking', s(e.f.booking))
  if redis.call('HGET', b, 'state') ~= 'booked' then return end
  redis.call('HSET', b, 'state', 'cancelled')
  add(redis.call('HGET', b, 'quarter'), 'cancelled|' .. redis.call('HGET', b, 'who'), 1)
end
function training.attendance_recorded(e)
  for uid in string.gmatch(s(e.f.uids), '%S+') do
    local booking = redis.call('HGET', key('booking-of'), s(e.f.session) .. '|' .. uid)
    local b = key('booking', booking or ('s' .. s(e.f.session) .. '|' .. uid))
    if redis.call('HGET', b, 'attended') ~= '1' then
      local quarter = redis.call('HGET', b, 'quarter') or e.session_quarter
      redis.call('HSET', b, 'attended', '1', 'quarter', quarter)
      add(quarter, 'attended|' .. (redis.call('HGET', b, 'who') or 'unknown|'), 1)
    end
  end
end
function training.feedback_given(e)
  local fb = key('feedback', s(e.f.booking))
  local old = record(fb)
  if old then
    add(old.quarter, 'course|' .. old.title .. '|feedback', -1)
    add(old.quarter, 'course|' .. old.title .. '|delta', -tonumber(old.delta))
    add(old.quarter, 'course|' .. old.title .. '|useful', -tonumber(old.useful))
  end
  local q, title, useful = e.session_quarter, s(e.f.title), tonumber(e.f.usefulness) or 0
  redis.call('HSET', fb, 'quarter', q, 'title', title, 'delta', s(e.delta), 'useful', tostring(useful))
  add(q, 'course|' .. title .. '|feedback', 1)
  add(q, 'course|' .. title .. '|delta', tonumber(e.delta) or 0)
  add(q, 'course|' .. title .. '|useful', useful)
  keep_text('feedback|' .. s(e.f.booking), e, { kind = 'feedback', borough = '', unit = s(e.f.unit),
    agency_type = s(e.f.agency_type) ~= '' and s(e.f.agency_type) or 'other' })
end

local beds = {}
function beds.hold_placed(e)
  local h = key('hold', s(e.f.hold))
  if redis.call('EXISTS', h) == 1 then return end
  local borough, unit = s(e.f.borough), s(e.f.responder_unit)
  redis.call('HSET', h, 'quarter', e.quarter, 'at', s(e.at), 'borough', borough, 'unit', unit)
  add(e.quarter, 'placed|b|' .. borough, 1)
  add(e.quarter, 'placed|u|' .. unit, 1)
end
local function answered(e, accepted)
  local h = key('hold', s(e.f.hold))
  local hold = record(h) or { quarter = e.quarter, borough = s(e.f.borough), unit = s(e.f.responder_unit) }
  if hold.answered == '1' then return end
  redis.call('HSET', h, 'quarter', hold.quarter, 'borough', hold.borough, 'unit', hold.unit, 'answered', '1')
  for _, by in ipairs({ 'b|' .. hold.borough, 'u|' .. hold.unit }) do
    add(hold.quarter, 'answered|' .. by, 1)
    if accepted then add(hold.quarter, 'accepted|' .. by, 1) end
  end
  if hold.at then
    local minutes = math.max(0, math.floor((tonumber(e.at) - tonumber(hold.at)) / 60))
    redis.call('HSET', key('minutes', hold.quarter), s(e.f.hold), minutes .. '|' .. hold.borough .. '|' .. hold.unit)
  end
end
function beds.hold_accepted(e) answered(e, true) end
function beds.hold_declined(e) answered(e, false) end
function beds.search_unmet(e)
  add(e.quarter, 'unmet|' .. s(e.f.borough) .. '|' .. s(e.f.words), 1)
end
function beds.hold_outcome(e)
  local side = s(e.f.side) == 'responder' and 'responder' or 'ngo'
  keep_text('outcome|' .. s(e.f.hold) .. '|' .. side, e, { kind = 'hold_outcome', borough = s(e.f.borough),
    unit = s(e.f.by_unit), agency_type = s(e.f.by_agency_type) ~= '' and s(e.f.by_agency_type) or 'other' })
end

local handlers = { training = training, beds = beds, cases = {} }
local counted = 0
for _, e in ipairs(cjson.decode(need('events'))) do
  local handle = (handlers[stream] or {})[s(e.kind)]
  if handle and redis.call('SADD', key('seen', e.quarter), stream .. '/' .. s(e.id)) == 1 then
    handle(e)
    counted = counted + 1
  end
end
redis.call('SET', key('cursor', stream), need('cursor'))
return answer('ok', 'counted', tostring(counted))
