-- trends_intake.lua: add the bed holds read from the beds events stream
-- (by the housekeeping, in C: the stream is on the beds module's slot) to
-- the trends, and move the cursor past them, once: when another instance
-- moved the cursor first, nothing is added.
-- KEYS[1] base key.  ARGV: now, cursor_was ("" at the start), cursor (the
--   last entry read), counts (JSON {"quarter|borough|group": n}).
-- Answers {"ok", "added", n} or {"moved"}.
local was = redis.call('GET', key('trends', 'beds_cursor')) or ''
if was ~= need('cursor_was') then return answer('moved') end
local added = 0
for field, n in pairs(cjson.decode(need('counts'))) do
  redis.call('HINCRBY', key('trends', 'holds'), field, n)
  added = added + n
end
redis.call('SET', key('trends', 'beds_cursor'), need('cursor'))
return answer('ok', 'added', tostring(added))
