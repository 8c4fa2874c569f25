-- theme_save.lua: add a theme, or remove one (and its tags on every text).
-- KEYS[1] base key.  ARGV: id ("" adds), name ("" removes theme id), max.
-- Answers {"ok", "themes", <{id: name}>, "id", <the theme's id>}; errors
-- theme_taken, themes_full, not_found.
local id, name = need('id'), need('name')
if name ~= '' then
  local all = hgetall(key('themes'))
  local n = 0
  for _, v in pairs(all) do
    n = n + 1
    if string.lower(v) == string.lower(name) then return answer('theme_taken') end
  end
  if n >= need_num('max') then return answer('themes_full') end
  id = tostring(redis.call('INCR', key('seq', 'theme')))
  redis.call('HSET', key('themes'), id, name)
else
  if redis.call('HDEL', key('themes'), id) == 0 then return answer('not_found') end
  for _, t in ipairs(redis.call('ZRANGE', key('texts'), 0, -1)) do
    local tags = redis.call('HGET', key('text', t), 'tags') or ''
    local kept = {}
    for tag in string.gmatch(tags, '[^,]+') do if tag ~= id then kept[#kept + 1] = tag end end
    redis.call('HSET', key('text', t), 'tags', table.concat(kept, ','))
  end
end
return answer('ok', 'themes', themes_json(), 'id', id)
