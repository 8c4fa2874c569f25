-- holds.lua: a page of the newest holds of everyone, of one responder or
-- of one agency's houses.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, kind (all, resp,
--   agency), who (the responder or agency), from (the page's first, from
--   0), count (the page's length).
-- Answers {"ok", "total", N (holds in the list), "holds", <JSON list of the
--   page's holds with safehouse_doc>}, newest first.
prune()
local kind, who = need('kind'), need('who')
local k = key('holds')
if kind == 'resp' then k = key('resp', who, 'holds')
elseif kind == 'agency' then k = key('agency', who, 'holds') end
local from = need_num('from')
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', k, from, from + need_num('count') - 1)) do
  local h = hold_get(id)
  if h then out[#out + 1] = with_house(h) end
end
return answer('ok', 'total', tostring(redis.call('ZCARD', k)), 'holds', list_json(out))
