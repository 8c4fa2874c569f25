-- texts.lua: the newest texts and the themes.  Read-only.
-- KEYS[1] base key.  ARGV: limit (most texts).
-- Answers {"ok", "texts", <[hash JSON, ...] newest first>, "themes", <{id: name}>}.
local ids = redis.call('ZREVRANGE', key('texts'), 0, need_num('limit') - 1)
local parts = {}
for _, id in ipairs(ids) do
  local t = text_json(id)
  if t then parts[#parts + 1] = t end
end
return answer('ok', 'texts', '[' .. table.concat(parts, ',') .. ']', 'themes', themes_json())
