-- guide_save.lua: add, change or remove an entry of the language guide.
-- KEYS[1] base key.  ARGV: id ("" adds), entry (JSON object without id, or
-- "" to remove entry id), max (most entries).
-- Answers {"ok", "entry", <entry JSON>, "guide", <every entry>, "version",
-- <n>}; errors not_found, term_taken (another entry has the term or a
-- variant: "fields"), guide_full.
local id, doc, max = need('id'), need('entry'), need_num('max')
if id ~= '' and redis.call('HEXISTS', key('guide'), id) == 0 then return answer('not_found') end
local entry = '{}'
if doc == '' then
  if id == '' then return answer('not_found') end
  redis.call('HDEL', key('guide'), id)
  redis.call('ZREM', key('guide', 'ids'), id)
else
  local e = cjson.decode(doc)
  local words = {}
  words[string.lower(e.term)] = true
  for _, v in ipairs(e.variants or {}) do words[string.lower(v)] = true end
  local all = redis.call('HGETALL', key('guide'))
  for i = 1, #all, 2 do
    if all[i] ~= id then
      local o = cjson.decode(all[i + 1])
      local theirs = {o.term}
      for _, v in ipairs(o.variants or {}) do theirs[#theirs + 1] = v end
      for _, w in ipairs(theirs) do
        if words[string.lower(w)] then return answer('term_taken', 'term', cjson.encode(o.term)) end
      end
    end
  end
  if id == '' then
    if redis.call('HLEN', key('guide')) >= max then return answer('guide_full') end
    id = tostring(redis.call('INCR', key('seq', 'guide')))
    redis.call('ZADD', key('guide', 'ids'), tonumber(id), id)
  end
  entry = string.sub(doc, 1, -2)
  if entry == '{' then entry = '{"id":' .. id .. '}' else entry = '{"id":' .. id .. ',' .. string.sub(entry, 2) .. '}' end
  redis.call('HSET', key('guide'), id, entry)
end
redis.call('INCR', key('guide', 'version'))
return answer('ok', 'entry', entry, 'guide', guide_list(), 'version', guide_version())
