-- tags_set.lua: the themes a text is tagged with, and whether it is a quote
-- fit to share.
-- KEYS[1] base key.  ARGV: id, tags (theme ids, comma-separated), quote
-- ("1" or "0").
-- Answers {"ok", "text", <hash JSON>, "themes", <{id: name}>}; errors
-- not_found, unknown_theme.
local id = need('id')
if redis.call('EXISTS', key('text', id)) == 0 then return answer('not_found') end
local tags = list('tags')
for _, tag in ipairs(tags) do
  if redis.call('HEXISTS', key('themes'), tag) == 0 then return answer('unknown_theme') end
end
redis.call('HSET', key('text', id), 'tags', table.concat(tags, ','), 'quote', need('quote'))
return answer('ok', 'text', text_json(id), 'themes', themes_json())
