-- due.lua: do what has fallen due (lib.lua's due set), run by portal-notify's
-- clock every PORTAL_NOTIFY_CLOCK_SECONDS: expire a pending hold past its time
-- (the bed is free again) with hold_expired; hold_expiring for a hold still
-- unanswered when its warning falls due; vacancies_stale for a house not
-- updated for its stale_after, again each stale_after while nobody updates
-- it.  Each item is taken off the set as it is done, so a second run (two
-- workers) finds nothing to do twice.
-- KEYS[1] base key.  ARGV: now, limit (at most this many items a call; the
--   rest wait for the next).
-- Answers {"ok", "done", N (items taken), "left", N (items due still
--   waiting)}.
local due = key('due')
local items = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, need_num('limit'))
local function stale(id)
  local s = house_get(id)
  if not s then return end
  local after = tonumber(s.stale_after) or 172800
  local next_at = house_updated(s) + after
  if next_at <= now then
    house_event('vacancies_stale', id)
    next_at = now + after
  end
  redis.call('ZADD', due, next_at, 'stale:' .. id)
end
for _, item in ipairs(items) do
  redis.call('ZREM', due, item)
  local what, id = string.match(item, '^([%a_]+):(.+)$')
  local h = id and hold_get(id)
  if what == 'stale' then stale(id)
  elseif h and h.status == 'pending' and what == 'hold_expire' then
    if tonumber(h.expires_at) <= now then
      hold_close(id, 'expired')
      EXPIRED[#EXPIRED + 1] = id
      hold_event('hold_expired', id)
    else redis.call('ZADD', due, h.expires_at, item) end
  elseif h and h.status == 'pending' and what == 'hold_warn' and tonumber(h.expires_at) > now then
    hold_event('hold_expiring', id)
  end
end
local left = redis.call('ZCOUNT', due, '-inf', now)
return answer('ok', 'done', tostring(#items), 'left', tostring(left))
