-- my_bookings.lua: a person's bookings, newest first, each with its session,
-- in one call.  Reads only.
-- KEYS[1] base key.  ARGV: username, limit.
-- Answers {"ok", "items", <JSON list of {booking, session}>}.
local items = {}
local ids = redis.call('ZREVRANGE', key('user', need('username'), 'bookings'), 0, need_num('limit') - 1)
for _, bid in ipairs(ids) do
  local sid = string.match(bid, '^(%d+)%-%d+$')
  if sid then
    use_session(sid)
    local s = hgetall(S)
    local b = s.id and get_booking(bid)
    if b then
      b.waitlist_position = position(b)
      items[#items + 1] = {booking = b, session = s}
    end
  end
end
return {'ok', 'items', list_json(items)}
