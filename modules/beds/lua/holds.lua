-- holds.lua: the newest holds of everyone, of one responder or of one
-- agency's houses.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, kind (all, resp,
--   agency), who (the responder or agency), limit.
-- Answers {"ok", "holds", <JSON list of holds with safehouse_doc>}, newest first.
prune()
local kind, who = need('kind'), need('who')
local k = key('holds')
if kind == 'resp' then k = key('resp', who, 'holds')
elseif kind == 'agency' then k = key('agency', who, 'holds') end
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', k, 0, need_num('limit') - 1)) do
  local h = hold_get(id)
  if h then out[#out + 1] = with_house(h) end
end
return answer('ok', 'holds', list_json(out))
