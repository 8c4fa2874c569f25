-- unmet.lua: a search with no result, counted for the unmet-need report
-- and told to the trends (issue 17) as the event search_unmet.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, member
--   ("time:random|group|needs"), group (the searched bed group, "" none),
--   borough (the searched area, "" none).
-- Answers {"ok"}.
redis.call('ZADD', key('unmet'), now, need('member'))
event('search_unmet', {group = A.group or '', borough = A.borough or ''})
return answer('ok')
