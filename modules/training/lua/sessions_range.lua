-- sessions_range.lua: the sessions starting between two times, by start, in
-- one call; with roster "1" each session's bookings too.  Reads only.
-- KEYS[1] base key.  ARGV: from, to (Unix seconds, or "+inf"), limit,
--   roster ("1"/"0").
-- Answers {"ok", "sessions", <JSON list of session hashes>, "rosters",
--   <JSON list: for each session the list of its bookings, or "">}.
local list, rosters = {}, {}
local ids = redis.call('ZRANGEBYSCORE', key('sessions'), need('from'), need('to'), 'LIMIT', 0, need_num('limit'))
for _, id in ipairs(ids) do
  use_session(id)
  local s = hgetall(S)
  if s.id then
    list[#list + 1] = s
    if A.roster == '1' then
      local r = {}
      for _, j in ipairs(redis.call('HVALS', B)) do r[#r + 1] = cjson.decode(j) end
      table.sort(r, function(x, y) return booking_seq(x) < booking_seq(y) end)
      rosters[#rosters + 1] = r
    end
  end
end
local rj = ''
if need('roster') == '1' then
  rj = '['
  for i, r in ipairs(rosters) do
    if i > 1 then rj = rj .. ',' end
    rj = rj .. list_json(r)
  end
  rj = rj .. ']'
end
return {'ok', 'sessions', list_json(list), 'rosters', rj}
