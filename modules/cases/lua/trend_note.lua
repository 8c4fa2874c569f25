-- trend_note.lua: a partner's context note on a borough, an exploitation
-- type or a quarter, kept with the trends (the last 1,000, newest first).
-- KEYS[1] base key.  ARGV: now, note (JSON object: about_kind, about, note,
--   agency_name).
-- Answers {"ok", "note", <JSON>}.
local n = cjson.decode(need('note'))
n.at = now
local text = cjson.encode(n)
redis.call('LPUSH', key('trends', 'notes'), text)
redis.call('LTRIM', key('trends', 'notes'), 0, 999)
return answer('ok', 'note', text)
