-- sessions_page.lua: one page of the sessions starting between two times,
-- by start, optionally of one course, as the JSON text of their views
-- assembled from the stored fragments (lib.lua's read_view).  Reads only.
-- KEYS[1] base key.  ARGV: from, to (Unix seconds, or "+inf"), course (""
--   for every course), page (from 1), per_page, now, release, year (the
--   reader's London year), manager ("coordinator", "trainer" or ""),
--   agency (the reader's agency id, or "").
-- Answers {"ok", "total", N (sessions in the range), "sessions", <JSON
--   list of session views, each with can_change>}; a page past the last
--   answers an empty list with the total.
local r = reader()
local course, page, per_page = need('course'), need_num('page'), need_num('per_page')
local index = course == '' and key('sessions') or key('course-sessions', course)
local from, to = need('from'), need('to')
local total = redis.call('ZCOUNT', index, from, to)
local ids = redis.call('ZRANGEBYSCORE', index, from, to, 'LIMIT', (page - 1) * per_page, per_page)
local out = {}
for _, id in ipairs(ids) do
  local v = read_view(id, r, false, true)
  if v then out[#out + 1] = v end
end
return {'ok', 'total', tostring(total), 'sessions', '[' .. table.concat(out, ',') .. ']'}
