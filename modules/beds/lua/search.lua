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
--   from (the page's first result, from 0), count (the page's length).
-- Answers {"ok", "total", N (every result), "in_area", N (the results in
--   the preferred area), "search", <piece>, "search", <piece>, ...}: the
--   pieces joined in order are the JSON {"results": [the page], "total",
--   "page", "per_page"} (search.json); each result's stored card and
--   fragment come back as they are (joining them here would copy each).
--   Results: not stale before stale, then nearest the preferred area (its
--   own first), then the latest update, then the house id and the group's
--   order.  Only the page's results read their card and fragment.
local group, person, language = need('group'), need('person'), need('language')
local fresh, stale = need_num('fresh_seconds'), need_num('stale_seconds')
local from, count = need_num('from'), need_num('count')
local labels = {}
for w in string.gmatch(need('freshness_labels'), '[^|]+') do labels[#labels + 1] = w end
local near, rank = list('near'), {}
for i, a in ipairs(near) do rank[a] = rank[a] or i end
local preferred = near[1]
local common = {}
if language ~= '' then common[#common + 1] = ix('lang', language) end
for _, n in ipairs(list('needs')) do common[#common + 1] = ix('need', n) end
local BANDS = {'fresh', 'ageing', 'stale'}
local found, in_area = {}, 0
for gi, g in ipairs(GROUPS) do
  if group == '' or group == g then
    local sets = {ix('free', g)}
    if person ~= '' then sets[#sets + 1] = ix('welcome', g, person) end
    for _, c in ipairs(common) do sets[#sets + 1] = c end
    -- the hot loop: keys by plain concatenation (key() makes a table a call)
    local sh, vacant_g, at_g, pending_g, after = key('sh') .. ':', 'vacant:' .. g, 'at:' .. g, ':pending:' .. g, '(' .. now
    for _, id in ipairs(redis.call('SINTER', unpack(sets))) do
      local f = redis.call('HMGET', sh .. id, vacant_g, at_g, 'area')
      local avail = (tonumber(f[1]) or 0) - redis.call('ZCOUNT', sh .. id .. pending_g, after, '+inf')
      if avail >= 1 then
        local at = tonumber(f[2]) or 0
        local age, band = now - at, 3
        if age < fresh then band = 1 elseif age <= stale then band = 2 end
        local match = preferred ~= nil and f[3] == preferred
        if match then in_area = in_area + 1 end
        found[#found + 1] = {stale = band == 3 and 1 or 0, rank = rank[f[3]] or #near + 1, at = at,
          id = tonumber(id), gi = gi, g = g, avail = avail, band = band, match = match}
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
local out = answer('ok', 'total', tostring(#found), 'in_area', tostring(in_area))
local function put(text) out[#out + 1] = 'search' out[#out + 1] = text end
put('{"results":[')
for i = from + 1, math.min(#found, from + count) do
  local r = found[i]
  local f = redis.call('HMGET', key('sh', r.id), 'card', 'frag:' .. r.g)
  put((i > from + 1 and ',' or '') .. '{"safehouse":')
  put(f[1] or '{}')
  put(',')
  put(f[2] or '"group":' .. cjson.encode(r.g))
  put(',"available":' .. r.avail .. ',"freshness":"' .. BANDS[r.band] .. '","freshness_label":' ..
    cjson.encode(labels[r.band] or BANDS[r.band]) .. ',"stale":' .. tostring(r.band == 3) .. ',"area_match":' ..
    tostring(r.match) .. '}')
end
put('],"total":' .. #found .. ',"page":' .. (math.floor(from / count) + 1) .. ',"per_page":' .. count .. '}')
return out
