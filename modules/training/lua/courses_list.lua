-- courses_list.lua: every course, in id order, in one call.  Reads only.
-- KEYS[1] base key.  ARGV: limit.
-- Answers {"ok", "courses", <JSON list of course hashes>}.
local list = {}
for _, id in ipairs(redis.call('ZRANGE', key('courses'), 0, need_num('limit') - 1)) do
  local c = hgetall(key('course', id))
  if c.id then list[#list + 1] = c end
end
return {'ok', 'courses', list_json(list)}
