-- housekeeping.lua: erase the cases closed longer ago than the retention
-- period (the case, its timeline, its events in the stream and every list
-- entry), and hand out the AOF rewrite that erasure makes due, at most
-- once per period across every instance.
-- KEYS[1] base key.  ARGV: now, mode ("check": erase, then claim a due
--   rewrite; "retry": a claimed rewrite failed, make it due again),
--   retention (seconds), period (seconds between two rewrites).
-- Answers {"ok", "erased", n, "rewrite", 0|1}.
local erased = 0
if need('mode') == 'retry' then
  redis.call('SET', key('aof', 'due'), '1')
  redis.call('DEL', key('aof', 'guard'))
  return answer('ok', 'erased', '0', 'rewrite', '0')
end
local ids = redis.call('ZRANGEBYSCORE', key('closed'), '-inf', now - need_num('retention'), 'LIMIT', 0, 200)
for _, id in ipairs(ids) do
  local k = key('case', id)
  local h = hgetall(k)
  for _, ev in ipairs(redis.call('SMEMBERS', key('case', id, 'events'))) do redis.call('XDEL', key('events'), ev) end
  redis.call('DEL', k, key('case', id, 'timeline'), key('case', id, 'events'))
  if h.ngo_agency then redis.call('ZREM', key('ngo', h.ngo_agency), id) end
  if h.unit then redis.call('ZREM', key('unit', h.unit), id) end
  redis.call('ZREM', key('all'), id)
  redis.call('ZREM', key('closed'), id)
  erased = erased + 1
end
if erased > 0 then redis.call('SET', key('aof', 'due'), '1') end
local rewrite = '0'
if redis.call('EXISTS', key('aof', 'due')) == 1 and
   redis.call('SET', key('aof', 'guard'), now, 'NX', 'EX', need_num('period')) then
  redis.call('DEL', key('aof', 'due'))
  rewrite = '1'
end
return answer('ok', 'erased', tostring(erased), 'rewrite', rewrite)
