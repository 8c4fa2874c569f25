-- unmet.lua: a search with no result, counted for the unmet-need report
-- and told to the trends (issue 17) and monitoring (issue 18) as the event
-- search_unmet.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, member
--   ("time:random|group|needs"), group (the searched bed group, "" none),
--   borough (the searched area, "" none), needs (the search's other
--   criteria as the report keys them: "pre_nrm,language=sq" or "none"),
--   words (the same need in the plain words the report shows).
-- Answers {"ok"}.
redis.call('ZADD', key('unmet'), now, need('member'))
event('search_unmet', {group = A.group or '', borough = A.borough or '', needs = need('needs'), words = need('words')})
return answer('ok')
