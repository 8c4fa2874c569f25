-- sessions_page.lua: one page of the sessions starting between two times,
-- by start, optionally of one course, as the JSON text of their views
-- assembled from the stored fragments (lib.lua's read_views: one HMGET
-- per hash of texts, whatever the page's length).  Reads only.
-- KEYS[1] base key.  ARGV: from, to (Unix seconds, or "+inf"), course (""
--   for every course), page (from 1), per_page, now, release, year (the
--   reader's London year), manager ("coordinator", "trainer" or ""),
--   agency (the reader's agency id, or "").
-- Answers {"ok", "total", N (sessions in the range), "sessions", <piece>,
--   "sessions", <piece>, ...}: the pieces joined in order are the JSON
--   list of the page's session views, each with can_change (the stored
--   texts come back as they are: joining them in Lua would copy each); a
--   page past the last answers an empty list with the total.
local r = reader()
local course, page, per_page = need('course'), need_num('page'), need_num('per_page')
local index = course == '' and key('sessions') or key('course-sessions', course)
local from, to = need('from'), need('to')
local total = redis.call('ZCOUNT', index, from, to)
local got = redis.call('ZRANGEBYSCORE', index, from, to, 'WITHSCORES', 'LIMIT', (page - 1) * per_page, per_page)
local ids, starts = {}, {}
for i = 1, #got, 2 do
  ids[#ids + 1] = got[i]
  starts[#starts + 1] = tonumber(got[i + 1])
end
local out = {'ok', 'total', tostring(total)}
read_views(ids, starts, r, function() return false end, true, out, 'sessions')
return out
