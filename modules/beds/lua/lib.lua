-- lib.lua: the helpers of the beds scripts, after the common prelude
-- (common/lua/lib.lua: A, key, need, need_num, list, answer, record,
-- list_json).  portal-embed --lua joins both onto each script's first line,
-- so Redis's line numbers are the script file's own.  Comments here stay on
-- lines of their own.
--
-- KEYS[1]  the module's base key "<prefix>beds:{beds}"; every key a script
--          touches is derived from it (key(...)), so all share the hash tag
--          {beds} and one Redis Cluster slot (the layout is beds.h's).
-- ARGV     every script takes now (Unix seconds), erase_after (seconds
--          after a hold closes when its reference and call-back phone are
--          erased) and groups (the bed groups, comma-separated, from
--          beds.h's BEDS_GROUPS: the one list), warn_before (seconds before
--          a hold's end that hold_expiring is due) and stale_after (seconds
--          without an update before a house's vacancies are stale) - all
--          but due.lua, which portal-notify's clock runs with now and limit
--          only: a hold keeps its own erase_after and warn_before, and a
--          house its stale_after (data version 3 gives them to older data).
-- Answers  every value is JSON text; every answer carries "expired": the
--          holds this call closed because their time was up (JSON list).
--
-- Every script that may write first expires the pending holds that are due
-- and erases the details that are due (prune(), its first line), so expiry
-- happens on the next write, and at the latest at the next housekeeping
-- run.  The reads people wait on (search.lua, hold.lua) write nothing: a
-- hold past its time counts as expired when read.
--
-- Search indexes and fragments (data version 2, kept by the scripts that
-- change a house; migrate.lua builds them for older data):
--   sh:ID fields card (JSON text of the house's public search view),
--     frag:G (the group's part of a result: group, group_label, updated_at,
--     updated_at_text, as JSON members), area, index (JSON {area, sets}: the
--     index sets the house is in, so a change can leave them)
--   ix:free:G            ids of the houses with vacant:G >= 1
--   ix:welcome:G:PERSON  ids of the houses whose group G welcomes PERSON
--   ix:lang:CODE, ix:need:NEED   ids of the houses offering them  An erasure bumps
-- aof:rewrite_due: the values are gone from memory, but the AOF keeps the
-- writes that put them there until Redis rewrites it.
-- due      sorted set of what falls due, score = when (Unix seconds):
--          hold_warn:ID (hold_expiring), hold_expire:ID, stale:HOUSE
--          (vacancies_stale); kept by the scripts that change a hold or a
--          house, done by due.lua.
local now = need_num('now')
local erase_after = A.erase_after and need_num('erase_after')
local GROUPS = A.groups and list('groups') or {}
local EXPIRED = {}
answer_tail[#answer_tail + 1] = function(r)
  r[#r + 1] = 'expired'
  r[#r + 1] = list_json(EXPIRED)
end
local function hold_get(id) return record(key('hold', id)) end
local function house_get(id) return record(key('sh', id)) end
local function hold_close(id, status)
  local h = hold_get(id)
  if not h then redis.call('ZREM', key('pending'), id) return end
  redis.call('ZREM', key('sh', h.safehouse, 'pending', h.group), id)
  redis.call('ZREM', key('resp', h.responder, 'pending'), id)
  redis.call('ZREM', key('pending'), id)
  redis.call('ZREM', key('due'), 'hold_warn:' .. id, 'hold_expire:' .. id)
  redis.call('HSET', key('hold', id), 'status', status, 'closed_at', now)
  redis.call('ZADD', key('erase'), now + (tonumber(h.erase_after) or erase_after), id)
end
-- hold_due(id, exp, warn): hold id's expiry at exp and its warning warn
-- seconds before (when that is still to come) in the due set
local function hold_due(id, exp, warn)
  redis.call('ZADD', key('due'), exp, 'hold_expire:' .. id)
  if exp - warn > now then redis.call('ZADD', key('due'), exp - warn, 'hold_warn:' .. id)
  else redis.call('ZREM', key('due'), 'hold_warn:' .. id) end
end
-- stale_due(id): house id's vacancies go stale stale_after seconds from now
local function stale_due(id)
  local after = need_num('stale_after')
  redis.call('HSET', key('sh', id), 'stale_after', after)
  redis.call('ZADD', key('due'), now + after, 'stale:' .. id)
end
-- house_name(s): the code name of house record s ("" none)
local function house_name(s)
  return s and s.doc and (cjson.decode(s.doc).name or '') or ''
end
-- hold_event(kind, id, more): the prelude's event() for hold id: hold,
-- safehouse and its name, owning agency, responder (uid), expires_at, group,
-- borough (the house's area, "" outside London), responder_agency_type and
-- responder_unit (kept at placement; "" on older holds), and more.
local function hold_event(kind, id, more)
  local h, f = hold_get(id), more or {}
  if not h then return end
  local s = house_get(h.safehouse)
  f.hold, f.safehouse, f.agency, f.responder, f.expires_at = id, h.safehouse, h.agency, h.responder, h.expires_at
  f.safehouse_name, f.group = house_name(s), h.group
  f.borough = s and s.area ~= 'outside-london' and s.area or ''
  f.responder_agency_type, f.responder_unit = h.responder_agency_type or '', h.responder_unit or ''
  event(kind, f)
end
-- house_updated(s): when house record s's vacancies were last updated (its
-- groups' latest at:G; 0 none).  house_event(kind, id): the prelude's
-- event() for house id: safehouse, its name, agency and updated_at.
local function house_updated(s)
  local at = 0
  for name, v in pairs(s) do
    if string.sub(name, 1, 3) == 'at:' and tonumber(v) > at then at = tonumber(v) end
  end
  return at
end
local function house_event(kind, id)
  local s = house_get(id)
  if not s then return end
  event(kind, {safehouse = id, safehouse_name = house_name(s), agency = s.agency, updated_at = house_updated(s)})
end
local function prune()
  local due = redis.call('ZRANGEBYSCORE', key('pending'), '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do hold_close(id, 'expired') EXPIRED[#EXPIRED + 1] = id hold_event('hold_expired', id) end
  local er = redis.call('ZRANGEBYSCORE', key('erase'), '-inf', now, 'LIMIT', 0, 1000)
  local erased = 0
  for _, id in ipairs(er) do
    local k = key('hold', id)
    if redis.call('EXISTS', k) == 1 then
      redis.call('HDEL', k, 'reference', 'callback_phone')
      redis.call('HSET', k, 'erased', '1')
      erased = erased + 1
    end
    redis.call('ZREM', key('erase'), id)
  end
  if erased > 0 then redis.call('INCR', key('aof', 'rewrite_due')) end
end
local function with_house(h)
  local s = house_get(h.safehouse)
  if s then h.safehouse_doc = s.doc h.agency_name = s.agency_name end
  return h
end
local function held(id, g)
  return redis.call('ZCARD', key('sh', id, 'pending', g))
end
local function house_view(id, s)
  local groups = {}
  for _, g in ipairs(GROUPS) do
    if s['beds:' .. g] then
      groups[g] = {beds = tonumber(s['beds:' .. g]), vacant = tonumber(s['vacant:' .. g]),
                   held = held(id, g), at = tonumber(s['at:' .. g]), by = s['by:' .. g]}
    end
  end
  return {id = tonumber(id), agency = s.agency, agency_name = s.agency_name, doc = s.doc, groups = groups}
end
local function holds_pending(g, h)
  return answer('holds_pending', 'group', cjson.encode(g), 'held', tostring(h))
end
local function ix(...) return key('ix', ...) end
-- keep ix:free:G true for house id after its vacant beds changed
local function index_free(id)
  local s = house_get(id) or {}
  for _, g in ipairs(GROUPS) do
    if tonumber(s['vacant:' .. g] or 0) >= 1 then redis.call('SADD', ix('free', g), id)
    else redis.call('SREM', ix('free', g), id) end
  end
end
-- put house id in the index sets of `index` (JSON {area, sets}, made in C
-- from its details) and its card (JSON object text without the id), after
-- leaving the sets it was in
local function index_house(id, card, index)
  local k = key('sh', id)
  local old = redis.call('HGET', k, 'index')
  if old then for _, s in ipairs(cjson.decode(old).sets or {}) do redis.call('SREM', ix(s), id) end end
  local new = cjson.decode(index)
  for _, s in ipairs(new.sets or {}) do redis.call('SADD', ix(s), id) end
  local body = string.sub(card, 2)
  if body ~= '}' then body = ',' .. body end
  redis.call('HSET', k, 'index', index, 'area', new.area or '', 'card', '{"id":' .. id .. body)
  index_free(id)
end
-- the bed groups' labels, from the argument group_labels ("Women|Men|...|",
-- in the order of groups)
local function group_label(g)
  local i = 0
  for label in string.gmatch(need('group_labels'), '[^|]+') do
    i = i + 1
    if GROUPS[i] == g then return label end
  end
  return g
end
-- the group part of house id's search results: the group and when its
-- numbers were last confirmed (iso, and in words)
local function set_frag(id, g, iso, words)
  redis.call('HSET', key('sh', id), 'frag:' .. g, '"group":' .. cjson.encode(g) .. ',"group_label":' ..
    cjson.encode(group_label(g)) .. ',"updated_at":' .. cjson.encode(iso) .. ',"updated_at_text":' .. cjson.encode(words))
end
-- hold_read(id): hold id as a read sees it now, without writing: a pending
-- hold past its time is expired (closed at its time), and the details due
-- for erasure are left out; nil when there is no such hold.
local function hold_read(id)
  local h = hold_get(id)
  if not h then return nil end
  if h.status == 'pending' and (tonumber(h.expires_at) or 0) <= now then
    h.status, h.closed_at = 'expired', h.expires_at
  end
  if h.closed_at and h.erased ~= '1' and tonumber(h.closed_at) + erase_after <= now then
    h.reference, h.callback_phone, h.erased = nil, nil, '1'
  end
  return h
end
