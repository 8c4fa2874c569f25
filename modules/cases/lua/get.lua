-- get.lua: one case and its timeline (the caller decides who may see it).
-- KEYS[1] base key.  ARGV: now, case.
-- Answers {"ok", "case", <JSON>, "timeline", <JSON array>}; not_found.
local id = need('case')
local h = record(key('case', id))
if not h then return answer('not_found') end
return answer('ok', 'case', case_json(h), 'timeline', timeline_json(id))
