-- session_view.lua: a session, the person's own booking in it and, when
-- asked, its roster.  Reads only.
-- KEYS[1] base key.  ARGV: session, username ("" for none), roster ("1"/"0").
-- Answers {"ok", "session", <session JSON>, "mine", <booking JSON or "">,
--   "roster", <JSON list in booking order, or "">}; error not_found.
use_session(need('session'))
local s = hgetall(S)
if not s.id then return {'not_found'} end
local mine, roster = '', ''
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
    local b = cjson.decode(j)
    b.waitlist_position = position(b)
    list[#list + 1] = b
  end
  table.sort(list, function(x, y) return booking_seq(x) < booking_seq(y) end)
  roster = list_json(list)
end
return {'ok', 'session', cjson.encode(s), 'mine', mine, 'roster', roster}
