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
--          beds.h's BEDS_GROUPS: the one list).
-- Answers  every value is JSON text; every answer carries "expired": the
--          holds this call closed because their time was up (JSON list).
--
-- Every script first expires the pending holds that are due and erases the
-- details that are due (prune()), so expiry happens on the next read or
-- write, and at the latest at the next housekeeping run.  An erasure bumps
-- aof:rewrite_due: the values are gone from memory, but the AOF keeps the
-- writes that put them there until Redis rewrites it.
local now = need_num('now')
local erase_after = need_num('erase_after')
local GROUPS = list('groups')
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
  redis.call('HSET', key('hold', id), 'status', status, 'closed_at', now)
  redis.call('ZADD', key('erase'), now + erase_after, id)
end
local function prune()
  local due = redis.call('ZRANGEBYSCORE', key('pending'), '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do hold_close(id, 'expired') EXPIRED[#EXPIRED + 1] = id end
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
prune()
