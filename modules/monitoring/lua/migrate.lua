-- migrate.lua: the data version; on first start the guide seeded.
-- KEYS[1] base key.  ARGV: seed (JSON array of entries, or "" only to
-- learn the version), version (the one this code writes).
-- Answers {"ok", "from", <n>, "version", <n>[, "guide", <every entry>,
-- "guide_version", <n>]}.  Running it again changes nothing.
local from = tonumber(redis.call('GET', key('data-version'))) or 0
local seed, version = need('seed'), need_num('version')
if seed == '' then return answer('ok', 'from', tostring(from), 'version', tostring(from)) end
if from < 1 then
  for _, e in ipairs(cjson.decode(seed)) do
    local id = tostring(redis.call('INCR', key('seq', 'guide')))
    e.id = tonumber(id)
    if #e.variants == 0 then e.variants = nil end
    local doc = cjson.encode(e)
    if not e.variants then doc = string.sub(doc, 1, -2) .. ',"variants":[]}' end
    redis.call('HSET', key('guide'), id, doc)
    redis.call('ZADD', key('guide', 'ids'), tonumber(id), id)
  end
  redis.call('INCR', key('guide', 'version'))
end
if from < version then redis.call('SET', key('data-version'), tostring(version)) end
return answer('ok', 'from', tostring(from), 'version', tostring(math.max(from, version)),
  'guide', guide_list(), 'guide_version', guide_version())
