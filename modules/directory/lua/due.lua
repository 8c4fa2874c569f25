-- due.lua: do what has fallen due (lib.lua's :due set), run by portal-notify's
-- clock: service_unverified for a service not verified for 6 months (its
-- item's time, set by apply.lua), then again each month (30 days) while
-- nobody verifies it.  A verification moves the item (apply.lua).  Each item
-- is moved as it is done, so a second run (two workers) does nothing twice.
-- KEYS[1] base key.  ARGV: now, limit (at most this many items a call; the
--   rest wait for the next).
-- Answers {"ok", "done", N (items taken), "left", N (items due still waiting)}.
local MONTH = 30 * 86400
local now, due = need_num('now'), key('due')
local items = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, need_num('limit'))
for _, item in ipairs(items) do
  local id = string.match(item, '^unverified:(.+)$')
  local svc = id and redis.call('HGET', key('svc'), id)
  if svc then
    local s = cjson.decode(svc)
    local org_id = type(s.organisation) == 'table' and text(s.organisation.id) or ''
    local org = org_id ~= '' and redis.call('HGET', key('org'), org_id)
    local agency = org and present(cjson.decode(org).agency_id) or nil
    local verified = redis.call('ZSCORE', key('verified'), id)
    -- told to the agency's NGO staff: a service with no agency of its own (or
    -- never verified) has nobody to tell, and stays on the coordinators' changes page
    if agency and verified then
      event('service_unverified', {service = id, service_name = text(s.name), agency = agency, verified_at = verified})
    end
    redis.call('ZADD', due, now + MONTH, item)
  else redis.call('ZREM', due, item) end
end
return {'ok', 'done', tostring(#items), 'left', tostring(redis.call('ZCOUNT', due, '-inf', now))}
