-- hold.lua: one hold.  Read-only (it never waits for replicas): a pending
-- hold past its time is answered as expired, and details due for erasure
-- are left out, without writing either (the next write or housekeeping
-- does that for good).
-- KEYS[1] base key.  ARGV: now, erase_after, groups, hold.
-- Answers {"ok", "hold", <hold JSON with safehouse_doc>}; error not_found.
local h = hold_get(need('hold'))
if not h then return answer('not_found') end
if h.status == 'pending' and (tonumber(h.expires_at) or 0) <= now then
  h.status, h.closed_at = 'expired', h.expires_at
end
if h.closed_at and h.erased ~= '1' and tonumber(h.closed_at) + erase_after <= now then
  h.reference, h.callback_phone, h.erased = nil, nil, '1'
end
return answer('ok', 'hold', cjson.encode(with_house(h)))
