-- session_view.lua: a session, the person's own booking in it and, when
-- asked, its roster.  Reads only.
-- KEYS[1] base key.  ARGV: session, username ("" for none), roster ("1"/"0")
--   and with it from (the first booking, from 0) and count (0: every one).
-- Answers {"ok", "session", <session JSON>, "mine", <booking JSON or "">,
--   "roster", <JSON list of that part of the roster in booking order, or
--   "">, "roster_total", N (every booking of the session)}; error
--   not_found.
use_session(need('session'))
local s = hgetall(S)
if not s.id then return {'not_found'} end
local mine, roster, total = '', '', 0
local user = need('username')
if user ~= '' then
  local bid = redis.call('HGET', U, user)
  local b = bid and get_booking(bid)
  if b then
    b.waitlist_position = position(b)
    mine = cjson.encode(b)
  end
end
if need('roster') == '1' then
  local list = {}
  for _, j in ipairs(redis.call('HVALS', B)) do
    list[#list + 1] = cjson.decode(j)
  end
  table.sort(list, function(x, y) return booking_seq(x) < booking_seq(y) end)
  total = #list
  local from, count = need_num('from'), need_num('count')
  if from > 0 or count > 0 then
    local part = {}
    for i = from + 1, math.min(total, count > 0 and from + count or total) do part[#part + 1] = list[i] end
    list = part
  end
  for _, b in ipairs(list) do b.waitlist_position = position(b) end
  roster = list_json(list)
end
return {'ok', 'session', cjson.encode(s), 'mine', mine, 'roster', roster, 'roster_total', tostring(total)}
