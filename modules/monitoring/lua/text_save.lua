-- text_save.lua: keep a new text, or change the words of one.
-- KEYS[1] base key.  ARGV: id ("" keeps a new one), now, author (username),
-- text, kind, borough, types (JSON array), agency_type, quarter (now's),
-- terms (the guide's terms found in the text, one a line: counted in the
-- quarter's figures).  A change takes text, borough, types and terms (and
-- now, author: only the author may change it); the text keeps its quarter.
-- Answers {"ok", "text", <hash JSON>}; errors not_found, forbidden.
local id, now, author = need('id'), need_num('now'), need('author')
if id ~= '' then
  local t = record(key('text', id))
  if not t then return answer('not_found') end
  if t.author ~= author then return answer('forbidden') end
  redis.call('HSET', key('text', id), 'text', need('text'), 'borough', need('borough'), 'types', need('types'),
    'changed_at', tostring(now))
  set_terms(id, t.quarter or need('quarter'), t.agency_type, need('terms'))
  return answer('ok', 'text', text_json(id))
end
id = tostring(redis.call('INCR', key('seq', 'text')))
redis.call('HSET', key('text', id), 'id', id, 'kind', need('kind'), 'text', need('text'),
  'borough', need('borough'), 'types', need('types'), 'agency_type', need('agency_type'),
  'author', author, 'created_at', tostring(now), 'tags', '', 'quote', '0')
redis.call('ZADD', key('texts'), now, id)
set_terms(id, need('quarter'), need('agency_type'), need('terms'))
return answer('ok', 'text', text_json(id))
