-- trends.lua: the anonymised trends of one quarter: the counts of cases
-- shared (quarter|borough|type), of bed holds and of bed searches with no
-- result (quarter|borough|group, kept from the beds events by
-- trends_intake.lua), every quarter that has
-- counts, and the partners' context notes (newest first).
-- KEYS[1] base key.  ARGV: now, quarter ("2026-Q4").
-- Answers {"ok", "shared", <JSON {"borough|type": n}>, "holds", <JSON
--   {"borough|group": n}>, "unmet", <JSON as holds>, "quarters", <JSON
--   array>, "notes", <JSON array>}.
local q = need('quarter')
local quarters, seen = {}, {}
local function counts(k)
  local out = {}
  local f = redis.call('HGETALL', k)
  for i = 1, #f, 2 do
    local fq, rest = string.match(f[i], '^([^|]+)|(.*)$')
    if fq and not seen[fq] then seen[fq] = true quarters[#quarters + 1] = fq end
    if fq == q then out[rest] = tonumber(f[i + 1]) end
  end
  if next(out) == nil then return '{}' end
  return cjson.encode(out)
end
local shared, holds = counts(key('trends', 'shared')), counts(key('trends', 'holds'))
local unmet = counts(key('trends', 'unmet'))
table.sort(quarters)
local notes = redis.call('LRANGE', key('trends', 'notes'), 0, 199)
return answer('ok', 'shared', shared, 'holds', holds, 'unmet', unmet, 'quarters', list_json(quarters),
  'notes', '[' .. table.concat(notes, ',') .. ']')
