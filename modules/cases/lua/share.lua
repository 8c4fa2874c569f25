-- share.lua: an NGO shares a case with a police unit.
-- KEYS[1] base key.  ARGV: now, reference, shared_on (YYYY-MM-DD), channel,
--   unit (already routed), borough ("unknown" when not known),
--   exploitation_types and wants (comma-separated codes), contact_consent
--   ("1"/"0"), agency, agency_name, actor, actor_name, quarter (of
--   shared_on, "2026-Q4": the trends count it there).
-- Answers {"ok", "case", <case JSON>, "timeline", <JSON array>}.
local id = tostring(redis.call('INCR', key('seq', 'case')))
local h = {id = id, reference = need('reference'), shared_on = need('shared_on'), channel = need('channel'),
  unit = need('unit'), borough = need('borough'), exploitation_types = need('exploitation_types'),
  wants = need('wants'), contact_consent = need('contact_consent'), ngo_agency = need('agency'),
  ngo_agency_name = need('agency_name'), created_by = need('actor'), created_at = tostring(now),
  status = 'shared'}
local k = key('case', id)
for name, value in pairs(h) do redis.call('HSET', k, name, value) end
redis.call('ZADD', key('ngo', h.ngo_agency), now, id)
redis.call('ZADD', key('unit', h.unit), now, id)
redis.call('ZADD', key('all'), now, id)
timeline_add(id, {kind = 'shared', side = 'ngo', by = h.created_by, by_name = need('actor_name')})
-- the anonymised trends: counts by quarter, borough and exploitation type
for _, t in ipairs(h.exploitation_types == '' and {'none'} or list('exploitation_types')) do
  redis.call('HINCRBY', key('trends', 'shared'), need('quarter') .. '|' .. h.borough .. '|' .. t, 1)
end
case_event('case_shared', h, h.created_by)
return answer('ok', 'case', case_json(record(k)), 'timeline', timeline_json(id))
