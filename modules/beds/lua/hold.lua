-- hold.lua: one hold.  Read-only (it never waits for replicas): a pending
-- hold past its time is answered as expired, and details due for erasure
-- are left out, without writing either (the next write or housekeeping
-- does that for good).
-- KEYS[1] base key.  ARGV: now, erase_after, groups, hold.
-- Answers {"ok", "hold", <hold JSON with safehouse_doc>}; error not_found.
local h = hold_read(need('hold'))
if not h then return answer('not_found') end
return answer('ok', 'hold', cjson.encode(with_house(h)))
