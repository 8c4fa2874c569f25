-- my_bookings.lua: one page of a person's bookings, newest first, each with
-- its session, in one call; and the person's other bookings that carry a
-- notice or an attended place (what "My training" shows whatever the
-- page).  Reads only.
-- KEYS[1] base key.  ARGV: username, limit (bookings read at most), from
--   (the page's first, from 0), count (the page's length).
-- Answers {"ok", "total", N (the person's bookings), "items", <JSON list of
--   {booking, session} on the page>, "others", <JSON list of the same for
--   the bookings off the page with a notice or attended>}.
local k = key('user', need('username'), 'bookings')
local from, count = need_num('from'), need_num('count')
local items, others = {}, {}
local ids = redis.call('ZREVRANGE', k, 0, need_num('limit') - 1)
for i, bid in ipairs(ids) do
  local sid = string.match(bid, '^(%d+)%-%d+$')
  local on_page = i > from and i <= from + count
  if sid then
    use_session(sid)
    local b = get_booking(bid)
    if b and (on_page or (b.notice or '') ~= '' or b.attendance == 'attended') then
      local s = hgetall(S)
      if s.id then
        b.waitlist_position = position(b)
        local t = on_page and items or others
        t[#t + 1] = {booking = b, session = s}
      end
    end
  end
end
return {'ok', 'total', tostring(redis.call('ZCARD', k)), 'items', list_json(items), 'others', list_json(others)}
