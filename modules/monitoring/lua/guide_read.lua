-- guide_read.lua: the language guide, or one entry of it.  Read-only.
-- KEYS[1] base key.  ARGV: id ("" for none).
-- Answers {"ok", "guide", <every entry>, "version", <n>[, "entry", <entry>]};
-- error not_found (the entry).
local id = need('id')
if id ~= '' then
  local e = redis.call('HGET', key('guide'), id)
  if not e then return answer('not_found') end
  return answer('ok', 'guide', guide_list(), 'version', guide_version(), 'entry', e)
end
return answer('ok', 'guide', guide_list(), 'version', guide_version())
