-- house.lua: one safehouse.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, safehouse.
-- Answers {"ok", "house", <house view JSON>}; error not_found.
prune()
local id = need('safehouse')
local s = house_get(id)
if not s then return answer('not_found') end
return answer('ok', 'house', cjson.encode(house_view(id, s)))
