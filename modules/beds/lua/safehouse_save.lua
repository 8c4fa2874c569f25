-- safehouse_save.lua: create or update a safehouse.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, safehouse ("" new),
--   agency, agency_name, doc (JSON of the fixed fields), beds (JSON
--   {group: n}), actor, card (JSON of the public search view, without the
--   id), index (JSON {area, sets}: lib.lua's index sets), group_labels,
--   now_iso and now_text (now as updated_at and in words).
-- Answers {"ok", "house", <house JSON>}; errors too_many_safehouses (500
--   houses), not_found, forbidden (another agency's house),
--   {"holds_pending", "group", <JSON>, "held", N} (beds below the held
--   beds of a group).  Vacant is capped at beds; a group set to 0 is removed.
prune()
local id, agency, actor = need('safehouse'), need('agency'), need('actor')
local beds = cjson.decode(need('beds'))
local s
if id == '' then
  if redis.call('SCARD', key('safehouses')) >= 500 then return answer('too_many_safehouses') end
  id = tostring(redis.call('INCR', key('seq', 'safehouse')))
  s = {}
  stale_due(id)
else
  s = house_get(id)
  if not s then return answer('not_found') end
  if s.agency ~= agency then return answer('forbidden') end
end
for _, g in ipairs(GROUPS) do
  local n, h = tonumber(beds[g] or 0), held(id, g)
  if n < h then return holds_pending(g, h) end
end
local k = key('sh', id)
redis.call('HSET', k, 'agency', agency, 'agency_name', need('agency_name'), 'doc', need('doc'))
for _, g in ipairs(GROUPS) do
  local n = tonumber(beds[g] or 0)
  if n > 0 then
    local v = tonumber(s['vacant:' .. g] or 0)
    if v > n then v = n end
    if not s['beds:' .. g] then
      redis.call('HSET', k, 'at:' .. g, now, 'by:' .. g, actor)
      set_frag(id, g, need('now_iso'), need('now_text'))
    end
    redis.call('HSET', k, 'beds:' .. g, n, 'vacant:' .. g, v)
  else
    redis.call('HDEL', k, 'beds:' .. g, 'vacant:' .. g, 'at:' .. g, 'by:' .. g, 'frag:' .. g)
  end
end
index_house(id, need('card'), need('index'))
redis.call('SADD', key('safehouses'), id)
return answer('ok', 'house', cjson.encode(house_view(id, house_get(id))))
