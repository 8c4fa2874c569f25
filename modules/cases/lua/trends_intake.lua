-- trends_intake.lua: add the bed holds and the bed searches with no result
-- read from the beds events stream
-- (by the housekeeping, in C: the stream is on the beds module's slot) to
-- the trends, and move the cursor past them, once: when another instance
-- moved the cursor first, nothing is added.
-- KEYS[1] base key.  ARGV: now, cursor_was ("" at the start), cursor (the
--   last entry read), counts (the holds) and unmet (the searches with no
--   result; JSON {"quarter|borough|group": n} each).
-- Answers {"ok", "added", n} or {"moved"}.
local was = redis.call('GET', key('trends', 'beds_cursor')) or ''
if was ~= need('cursor_was') then return answer('moved') end
local added = 0
local function add(k, counts)
  for field, n in pairs(cjson.decode(counts)) do
    redis.call('HINCRBY', key('trends', k), field, n)
    added = added + n
  end
end
add('holds', need('counts'))
add('unmet', A.unmet or '{}')
redis.call('SET', key('trends', 'beds_cursor'), need('cursor'))
return answer('ok', 'added', tostring(added))
