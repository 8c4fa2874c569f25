-- housekeeping.lua: run by every module instance's master every few seconds
-- (beds_housekeeping), so that holds expire and details are erased on time
-- with no request (the prelude's prune()), and an AOF rewrite follows an
-- erasure at most once per period across every instance.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, mode and
--   check:     period: when aof:rewrite_due is set and no rewrite was asked
--              for within period seconds (SET NX EX of aof:rewrite_guard),
--              claim the rewrite;
--   rewritten: due: a rewrite started after the counter read due: remove the
--              counter if it is still due (a later erasure needs its own);
--   retry:     retry_in: the rewrite was refused: try again in retry_in s.
-- Answers {"ok", "due", N, "claimed", true|false} (N = 0: no erased value
--   waits for a rewrite); error bad_mode.
prune()
local due, guard = key('aof', 'rewrite_due'), key('aof', 'rewrite_guard')
local mode = need('mode')
local claimed = false
if mode == 'check' then
  if redis.call('EXISTS', due) == 1 then
    claimed = redis.call('SET', guard, '1', 'NX', 'EX', need_num('period')) ~= false
  end
elseif mode == 'rewritten' then
  if redis.call('GET', due) == need('due') then redis.call('DEL', due) end
elseif mode == 'retry' then
  redis.call('SET', guard, '1', 'EX', need_num('retry_in'))
else return answer('bad_mode') end
return answer('ok', 'due', tostring(tonumber(redis.call('GET', due) or '0')), 'claimed', tostring(claimed))
