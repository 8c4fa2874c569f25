-- migrate.lua: bring data written before data version 3 up to it.
-- Version 2: every house gets its search card, its groups' fragments and
-- its places in the index sets (lib.lua).  Version 3: the due set gets
-- every open hold's warning and expiry and every house's stale time, and
-- they keep the settings due.lua reads.  Idempotent: it replaces what a
-- house had; a data version at or above `version` changes nothing.  Run at
-- start-up.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, warn_before,
--   stale_after, version (the version this code writes), group_labels,
--   houses (JSON list of {id, card, index, times: {group: [updated_at, in
--   words]}}, made in C from houses.lua's answer; "" only asks for the
--   version: nothing is written).
-- Answers {"ok", "from", <version found>, "version", <version now>,
--   "houses", N (houses migrated)}.
local VERSION_KEY = key('data-version')
local want = need_num('version')
local found = tonumber(redis.call('GET', VERSION_KEY) or '1') or 1
if found >= want then
  return answer('ok', 'from', tostring(found), 'version', tostring(found), 'houses', '0')
end
local houses = need('houses')
if houses == '' then
  return answer('ok', 'from', tostring(found), 'version', tostring(found), 'houses', '0')
end
local n = 0
for _, h in ipairs(found < 2 and cjson.decode(houses) or {}) do
  local id = tostring(h.id)
  if redis.call('EXISTS', key('sh', id)) == 1 then
    index_house(id, h.card, h.index)
    for g, t in pairs(h.times or {}) do set_frag(id, g, t[1], t[2]) end
    n = n + 1
  end
end
-- version 3: the due set (lib.lua) for the open holds and every house, and
-- the settings due.lua reads from them
for _, id in ipairs(found < 3 and redis.call('ZRANGE', key('pending'), 0, -1) or {}) do
  local h = hold_get(id)
  if h and h.status == 'pending' then
    local warn = tonumber(h.warn_before) or need_num('warn_before')
    redis.call('HSET', key('hold', id), 'erase_after', tonumber(h.erase_after) or erase_after, 'warn_before', warn)
    hold_due(id, tonumber(h.expires_at), warn)
  end
end
for _, id in ipairs(found < 3 and redis.call('SMEMBERS', key('safehouses')) or {}) do
  local s = house_get(id)
  if s then
    local after = tonumber(s.stale_after) or need_num('stale_after')
    redis.call('HSET', key('sh', id), 'stale_after', after)
    redis.call('ZADD', key('due'), 'NX', house_updated(s) + after, 'stale:' .. id)
    if found >= 2 then n = n + 1 end
  end
end
redis.call('SET', VERSION_KEY, tostring(want))
return answer('ok', 'from', tostring(found), 'version', tostring(want), 'houses', tostring(n))
