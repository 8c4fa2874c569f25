-- check-beds.lua - the beds invariants after a bench run (read only;
-- tests/bench/setup-beds.sh runs it with redis-cli --eval).  For every
-- safehouse and bed group: vacant <= beds; the held beds (the house's
-- pending set) <= vacant; the pending set holds exactly the holds whose
-- record says pending for that house and group; the module's list of all
-- pending holds holds as many as the records say.  Answers {violations,
-- houses checked, pending holds, up to 10 lines saying what is wrong}.
local bad, lines, houses = 0, {}, 0
local function wrong(text)
  bad = bad + 1
  if #lines < 10 then lines[#lines + 1] = text end
end
local base
local pending_by = {}
local pending_all = 0
for _, k in ipairs(redis.call('KEYS', '*{beds}:hold:*')) do
  local b, id = string.match(k, '^(.*{beds}):hold:(%d+)$')
  if id then
    base = b
    local r = redis.call('HMGET', k, 'status', 'safehouse', 'group')
    if r[1] == 'pending' then
      local kk = tostring(r[2]) .. '|' .. tostring(r[3])
      pending_by[kk] = (pending_by[kk] or 0) + 1
      pending_all = pending_all + 1
    end
  end
end
for _, k in ipairs(redis.call('KEYS', '*{beds}:sh:*')) do
  local b, id = string.match(k, '^(.*{beds}):sh:(%d+)$')
  if id then
    base = b
    houses = houses + 1
    local s = {}
    local flat = redis.call('HGETALL', k)
    for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end
    for f, v in pairs(s) do
      local g = string.match(f, '^beds:(.+)$')
      if g then
        local beds, vacant = tonumber(v) or 0, tonumber(s['vacant:' .. g] or '0') or 0
        local held = redis.call('ZCARD', k .. ':pending:' .. g)
        local recs = pending_by[id .. '|' .. g] or 0
        if vacant > beds then wrong('house ' .. id .. ' ' .. g .. ': ' .. vacant .. ' vacant of ' .. beds .. ' beds') end
        if held > vacant then wrong('house ' .. id .. ' ' .. g .. ': ' .. held .. ' held, ' .. vacant .. ' vacant') end
        if held ~= recs then
          wrong('house ' .. id .. ' ' .. g .. ': ' .. held .. ' held, ' .. recs .. ' pending hold records')
        end
      end
    end
  end
end
if base then
  local listed = redis.call('ZCARD', base .. ':pending')
  if listed ~= pending_all then wrong('all pending holds: ' .. listed .. ' listed, ' .. pending_all .. ' records') end
end
local out = {bad, houses, pending_all}
for _, l in ipairs(lines) do out[#out + 1] = l end
return out
