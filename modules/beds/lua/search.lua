-- search.lua: the houses with a bed available now that fit a search, as the
-- API answers them.  Read-only (it never waits for replicas): a hold past
-- its time counts as expired here without being written; the indexes and
-- fragments it reads are kept by the scripts that change a house (lib.lua).
-- KEYS[1] base key.  ARGV: now, erase_after, groups, group ("" any group),
--   person ("" anyone: woman, man, trans_woman, trans_man, non_binary),
--   language ("" any), needs (comma-separated: pre_nrm, post_nrm,
--   dependants, accessible), near (comma-separated areas, the preferred
--   first, then the boroughs nearest it in order; "" no preference),
--   fresh_seconds, stale_seconds, freshness_labels ("Up to date|Ageing|
--   Out of date").
-- Answers {"ok", "search", <JSON {"results": [...]}: search.json>, "count", N}:
--   not stale before stale, then nearest the preferred area (its own
--   first), then the latest update, then the house id and the group's order.
local group, person, language = need('group'), need('person'), need('language')
local fresh, stale = need_num('fresh_seconds'), need_num('stale_seconds')
local labels = {}
for w in string.gmatch(need('freshness_labels'), '[^|]+') do labels[#labels + 1] = w end
local near, rank = list('near'), {}
for i, a in ipairs(near) do rank[a] = rank[a] or i end
local preferred = near[1]
local common = {}
if language ~= '' then common[#common + 1] = ix('lang', language) end
for _, n in ipairs(list('needs')) do common[#common + 1] = ix('need', n) end
local BANDS = {'fresh', 'ageing', 'stale'}
local found = {}
for gi, g in ipairs(GROUPS) do
  if group == '' or group == g then
    local sets = {ix('free', g)}
    if person ~= '' then sets[#sets + 1] = ix('welcome', g, person) end
    for _, c in ipairs(common) do sets[#sets + 1] = c end
    for _, id in ipairs(redis.call('SINTER', unpack(sets))) do
      local f = redis.call('HMGET', key('sh', id), 'card', 'frag:' .. g, 'vacant:' .. g, 'at:' .. g, 'area')
      local held = redis.call('ZCOUNT', key('sh', id, 'pending', g), '(' .. now, '+inf')
      local avail = (tonumber(f[3]) or 0) - held
      if f[1] and f[2] and avail >= 1 then
        local at = tonumber(f[4]) or 0
        local age, band = now - at, 3
        if age < fresh then band = 1 elseif age <= stale then band = 2 end
        local match = preferred ~= nil and f[5] == preferred
        found[#found + 1] = {stale = band == 3 and 1 or 0, rank = rank[f[5]] or #near + 1, at = at,
          id = tonumber(id), gi = gi,
          text = '{"safehouse":' .. f[1] .. ',' .. f[2] .. ',"available":' .. avail .. ',"freshness":"' ..
            BANDS[band] .. '","freshness_label":' .. cjson.encode(labels[band] or BANDS[band]) ..
            ',"stale":' .. tostring(band == 3) .. ',"area_match":' .. tostring(match) .. '}'}
      end
    end
  end
end
table.sort(found, function(x, y)
  if x.stale ~= y.stale then return x.stale < y.stale end
  if x.rank ~= y.rank then return x.rank < y.rank end
  if x.at ~= y.at then return x.at > y.at end
  if x.id ~= y.id then return x.id < y.id end
  return x.gi < y.gi
end)
local texts = {}
for i, r in ipairs(found) do texts[i] = r.text end
return answer('ok', 'search', '{"results":[' .. table.concat(texts, ',') .. ']}', 'count', tostring(#found))
