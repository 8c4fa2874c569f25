-- list.lua: the cases of one side, newest first.
-- KEYS[1] base key.  ARGV: now, kind ("ngo", "unit", "all"), who (the
--   agency or unit; "" for all), limit.
-- Answers {"ok", "cases", <JSON array of case hashes>}.
local kind, who = need('kind'), need('who')
local z
if kind == 'ngo' then z = key('ngo', who) elseif kind == 'unit' then z = key('unit', who) else z = key('all') end
local ids = redis.call('ZREVRANGE', z, 0, need_num('limit') - 1)
local out = {}
for _, id in ipairs(ids) do
  local h = record(key('case', id))
  if h then out[#out + 1] = h end
end
return answer('ok', 'cases', list_json(out))
