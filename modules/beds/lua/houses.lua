-- houses.lua: every safehouse (at most 500, by id), or one agency's.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, agency ("" every house).
-- Answers {"ok", "houses", <JSON list of house views>}.
prune()
local agency = need('agency')
local out = {}
for _, id in ipairs(redis.call('SORT', key('safehouses'), 'LIMIT', 0, 500)) do
  local s = house_get(id)
  if s and (agency == '' or s.agency == agency) then out[#out + 1] = house_view(id, s) end
end
return answer('ok', 'houses', list_json(out))
