-- figures.lua: the kept figures of some quarters.  Read-only.
-- KEYS[1] base key.  ARGV: quarters (comma-separated, "2026-Q1,2026-Q2").
-- Answers {"ok", "quarters", <{quarter: {"fig": {field: n}, "minutes":
-- ["minutes|borough|unit", ...]}}>} (fields as intake.lua counts them).
local out = {}
for _, q in ipairs(list('quarters')) do
  local fig = hgetall(key('fig', q))
  local minutes = redis.call('HVALS', key('minutes', q))
  out[q] = { fig = fig, minutes = minutes }
  if next(fig) == nil then out[q].fig = nil end
  if #minutes == 0 then out[q].minutes = nil end
end
if next(out) == nil then return answer('ok', 'quarters', '{}') end
return answer('ok', 'quarters', cjson.encode(out))
