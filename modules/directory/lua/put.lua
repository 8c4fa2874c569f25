-- put.lua: store one record (JSON) in a hash and, when a list is named,
-- list it by time.
-- KEYS[1] base key.
-- ARGV hash ("community", "pw", "sug", "setting"), list ("" or "pw:list", "sug:list"),
--   id, value (JSON text), now (Unix time: the list's order).  A new
--   suggestion (listed in sug:list) appends suggestion_made.
-- Answers {"ok", "id", <id>}; {"unknown_hash"} for a hash the directory
--   does not keep records in.
local HASHES = {community = true, pw = true, sug = true, setting = true}
local LISTS = {[''] = true, ['pw:list'] = true, ['sug:list'] = true}
local hash, list, id = need('hash'), need('list'), need('id')
if not HASHES[hash] or not LISTS[list] then return {'unknown_hash'} end
redis.call('HSET', key(hash), id, need('value'))
if list ~= '' then redis.call('ZADD', key(list), need('now'), id) end
if hash == 'sug' and list ~= '' then
  local v = cjson.decode(need('value'))
  event('suggestion_made', {suggestion = id, service = text(v.service_id), service_name = text(v.service_name),
    agency = present(v.agency_id), by = present(v.suggested_by)})
end
return {'ok', 'id', id}
