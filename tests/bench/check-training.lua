-- check-training.lua - the training invariants after a bench run (read
-- only; tests/bench/setup-training.sh runs it with redis-cli --eval).  For
-- every session: confirmed <= capacity; confirmed = the bookings whose
-- record says confirmed = the sum of the used:<seat kind> counters; the
-- waitlist set holds exactly the bookings whose record says waitlisted (and
-- waitlist_length, where kept, says as many); the people index holds one
-- entry per booking still active.  Answers {violations, sessions checked,
-- confirmed bookings, up to 10 lines saying what is wrong}.
local bad, lines, sessions, confirmed_all = 0, {}, 0, 0
local function wrong(text)
  bad = bad + 1
  if #lines < 10 then lines[#lines + 1] = text end
end
for _, k in ipairs(redis.call('KEYS', '*{training}:session:*')) do
  local base, id = string.match(k, '^(.*{training}):session:(%d+)$')
  if id then
    sessions = sessions + 1
    local s = {}
    local flat = redis.call('HGETALL', k)
    for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end
    local cap, conf = tonumber(s.capacity or '0') or 0, tonumber(s.confirmed or '0') or 0
    local used = 0
    for f, v in pairs(s) do
      if string.sub(f, 1, 5) == 'used:' then used = used + (tonumber(v) or 0) end
    end
    local c, w = 0, 0
    for _, j in ipairs(redis.call('HVALS', base .. ':bookings:' .. id)) do
      local rec = cjson.decode(j)
      if rec.status == 'confirmed' then c = c + 1 elseif rec.status == 'waitlisted' then w = w + 1 end
    end
    confirmed_all = confirmed_all + c
    local zw = redis.call('ZCARD', base .. ':waitlist:' .. id)
    local people = redis.call('HLEN', base .. ':people:' .. id)
    if conf > cap then wrong('session ' .. id .. ': ' .. conf .. ' confirmed, capacity ' .. cap) end
    if conf ~= c then wrong('session ' .. id .. ': counter says ' .. conf .. ' confirmed, records ' .. c) end
    if used ~= conf then wrong('session ' .. id .. ': seats used ' .. used .. ', confirmed ' .. conf) end
    if zw ~= w then wrong('session ' .. id .. ': waitlist holds ' .. zw .. ', records ' .. w) end
    if s.waitlist_length and tonumber(s.waitlist_length) ~= w then
      wrong('session ' .. id .. ': waitlist_length ' .. s.waitlist_length .. ', records ' .. w)
    end
    if people ~= c + w then
      wrong('session ' .. id .. ': ' .. people .. ' people indexed, ' .. (c + w) .. ' active bookings')
    end
  end
end
local out = {bad, sessions, confirmed_all}
for _, l in ipairs(lines) do out[#out + 1] = l end
return out
