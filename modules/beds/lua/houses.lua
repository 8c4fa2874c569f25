-- houses.lua: the safehouses (at most 500, by id), or one agency's; all of
-- them or one page.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, agency ("" every
--   house), from (the page's first, from 0), count (the page's length; 0:
--   every house).
-- Answers {"ok", "total", N (the houses listed), "houses", <JSON list of
--   the page's house views>}.
prune()
local agency, from, count = need('agency'), need_num('from'), need_num('count')
local ids = {}
for _, id in ipairs(redis.call('SORT', key('safehouses'), 'LIMIT', 0, 500)) do
  if agency == '' or redis.call('HGET', key('sh', id), 'agency') == agency then ids[#ids + 1] = id end
end
local out = {}
for i = from + 1, count > 0 and math.min(#ids, from + count) or #ids do
  local s = house_get(ids[i])
  if s then out[#out + 1] = house_view(ids[i], s) end
end
return answer('ok', 'total', tostring(#ids), 'houses', list_json(out))
