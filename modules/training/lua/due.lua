-- due.lua: what falls due in training, run by portal-notify's clock every
-- PORTAL_NOTIFY_CLOCK_SECONDS: each session whose reminder time has come
-- (B:due member "reminder:<session id>", score <= now; lib.lua's
-- due_reminder) gets one session_reminder event per confirmed booking,
-- when it is still scheduled and has not started; the member is then
-- removed, so a second run (another worker, the next tick) sends nothing
-- again.  Bounded work per call: at most `limit` members (default 20) and
-- no new member once EVENTS_MAX reminders were appended; the rest are left
-- for the next call ("left"), the clock's convention (modules/notify/clock.c).
-- KEYS[1] base key.  ARGV: now, limit (optional).
-- Answers {"ok", "done", <members handled>, "left", <members still due
--   now>, "events", <events appended>}.
local EVENTS_MAX = 500
local now = need_num('now')
local limit = math.max(1, math.min(tonumber(A.limit) or 20, 1000))
local due = key('due')
local done, events = 0, 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, limit)) do
  if events >= EVENTS_MAX then break end
  local sid = string.match(member, '^reminder:(%d+)$')
  if sid then
    use_session(sid)
    local s = hgetall(S)
    if s.id and s.status == 'scheduled' and now < n(s, 'starts_at') then
      local confirmed = confirmed_bookings()
      for _, b in ipairs(confirmed) do booking_event('session_reminder', b, s) end
      events = events + #confirmed
    end
  end
  redis.call('ZREM', due, member)
  done = done + 1
end
local left = redis.call('ZCOUNT', due, '-inf', now)
return {'ok', 'done', tostring(done), 'left', tostring(left), 'events', tostring(events)}
