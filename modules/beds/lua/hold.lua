-- hold.lua: one hold.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, hold.
-- Answers {"ok", "hold", <hold JSON with safehouse_doc>}; error not_found.
local h = hold_get(need('hold'))
if not h then return answer('not_found') end
return answer('ok', 'hold', cjson.encode(with_house(h)))
