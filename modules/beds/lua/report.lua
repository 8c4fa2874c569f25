-- report.lua: what the holds report counts, for holds placed and searches
-- without a result between from and to (Unix seconds, inclusive).
-- KEYS[1] base key.  ARGV: now, erase_after, groups, from, to.
-- Answers {"ok", "report", <JSON {holds: [[group, status, reason]...],
--   unmet: [member...], nholds, nunmet}>}.
prune()
local from, to = need('from'), need('to')
local holds = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', key('holds'), from, to, 'LIMIT', 0, 100000)) do
  local r = redis.call('HMGET', key('hold', id), 'group', 'status', 'decline_reason')
  holds[#holds + 1] = {r[1] or '', r[2] or '', r[3] or ''}
end
local unmet = redis.call('ZRANGEBYSCORE', key('unmet'), from, to, 'LIMIT', 0, 100000)
return answer('ok', 'report', cjson.encode({holds = holds, unmet = unmet, nholds = #holds, nunmet = #unmet}))
