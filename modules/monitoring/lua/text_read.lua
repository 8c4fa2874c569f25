-- text_read.lua: one text and the themes.  Read-only.
-- KEYS[1] base key.  ARGV: id.
-- Answers {"ok", "text", <hash JSON>, "themes", <{id: name}>}; error not_found.
local t = text_json(need('id'))
if not t then return answer('not_found') end
return answer('ok', 'text', t, 'themes', themes_json())
