-- courses_list.lua: a page of the courses, in id order, in one call.
-- Reads only.
-- KEYS[1] base key.  ARGV: from (the page's first, from 0), count.
-- Answers {"ok", "total", N (every course), "courses", <JSON list of the
--   page's course hashes>}.
local list = {}
local from = need_num('from')
for _, id in ipairs(redis.call('ZRANGE', key('courses'), from, from + need_num('count') - 1)) do
  local c = hgetall(key('course', id))
  if c.id then list[#list + 1] = c end
end
return {'ok', 'total', tostring(redis.call('ZCARD', key('courses'))), 'courses', list_json(list)}
