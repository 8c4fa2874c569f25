-- migrate.lua: bring data written before data version 2 up to it: every
-- house gets its search card, its groups' fragments and its places in the
-- index sets (lib.lua).  Idempotent: it replaces what a house had; a data
-- version at or above `version` changes nothing.  Run at start-up.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, version (the version
--   this code writes), group_labels, houses (JSON list of {id, card, index,
--   times: {group: [updated_at, in words]}}, made in C from houses.lua's
--   answer; "" only asks for the version: nothing is written).
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
for _, h in ipairs(cjson.decode(houses)) do
  local id = tostring(h.id)
  if redis.call('EXISTS', key('sh', id)) == 1 then
    index_house(id, h.card, h.index)
    for g, t in pairs(h.times or {}) do set_frag(id, g, t[1], t[2]) end
    n = n + 1
  end
end
redis.call('SET', VERSION_KEY, tostring(want))
return answer('ok', 'from', tostring(found), 'version', tostring(want), 'houses', tostring(n))
