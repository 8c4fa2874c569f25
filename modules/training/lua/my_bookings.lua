-- my_bookings.lua: one page of a person's bookings, newest first, each with
-- its session, in one call, and what "My training" shows whatever the
-- page: the notices and completed courses of every booking.  Reads only.
-- KEYS[1] base key.  ARGV: username, limit (bookings read at most), from
--   (the page's first, from 0), count (the page's length), view ("1": the
--   answer ready-made; "0": the records); with view "1" the reader (now,
--   release, year, manager, agency: lib.lua's reader()) and types, labels.
-- Answers, with view "0": {"ok", "total", N (the person's bookings),
--   "items", <JSON list of {booking, session} on the page>}.
-- With view "1": {"ok", "total", N, "my", <piece>, "my", <piece>, ...}:
--   the pieces joined in order are the JSON text of schemas/my.json; each
--   session is its stored view (lib.lua's read_views), with its joining
--   link when the place is confirmed.
local k = key('user', need('username'), 'bookings')
local from, count = need_num('from'), need_num('count')
local items, others = {}, {}
local ids = redis.call('ZREVRANGE', k, 0, need_num('limit') - 1)
local ready = need('view') == '1'
for i, bid in ipairs(ids) do
  local sid = string.match(bid, '^(%d+)%-%d+$')
  local on_page = i > from and i <= from + count
  if sid then
    use_session(sid)
    local b = get_booking(bid)
    if b and (on_page or (ready and ((b.notice or '') ~= '' or b.attendance == 'attended'))) then
      local s = ready and hmget_by(S, {'id', 'course_id', 'course_title', 'starts_at', 'ends_at'}) or hgetall(S)
      if s.id then
        b.waitlist_position = position(b)
        local t = on_page and items or others
        t[#t + 1] = {booking = b, session = s}
      end
    end
  end
end
local total = tostring(redis.call('ZCARD', k))
if not ready then return {'ok', 'total', total, 'items', list_json(items)} end

-- The ready-made answer: each booking's members (training_booking_json in
-- views.c), its session's stored view, notice and has_calendar.
local type_label = {}
for i, t in ipairs(TYPES) do type_label[t] = LABELS[i] or t end
local ATTENDED = {attended = 'Attended', partial = 'Partly attended'}
local function notice_of(b)
  if b.notice == 'promoted' and b.status == 'confirmed' then return 'Your place is confirmed' end
  if b.notice == 'session_cancelled' then return 'This session has been cancelled' end
end
-- feedback: can_give_feedback once the person was marked attended and
-- the session has ended; feedback_given once they gave it (issue 18).
local function booking_head(b, s, now)
  local v = {id = b.id, session_id = b.session_id or '', status = b.status or '', username = b.username or '',
    name = b.name or '', agency_name = b.agency_name or '', agency_type = b.agency_type or '',
    waitlist_position = b.waitlist_position or 0, attendance = b.attendance or '', agency_id = b.agency_id or '',
    agency_type_label = type_label[b.agency_type or ''] or (b.agency_type or ''),
    is_confirmed = b.status == 'confirmed', is_waitlisted = b.status == 'waitlisted',
    is_cancelled = b.status == 'cancelled', promoted = b.promoted == true,
    has_calendar = (tonumber(b.confirmed_at) or 0) > 0, notice = notice_of(b),
    can_give_feedback = b.status == 'confirmed' and b.attendance == 'attended' and now >= (tonumber(s.ends_at) or 0),
    feedback_given = (tonumber(b.feedback_at) or 0) > 0}
  if (b.cancel_reason or '') ~= '' then v.cancel_reason = b.cancel_reason end
  if (tonumber(b.booked_at) or 0) ~= 0 then v.booked_at = time_text(tonumber(b.booked_at)) end
  if (b.attendance or '') ~= '' then v.attendance_label = ATTENDED[b.attendance] or 'Did not attend' end
  local text = cjson.encode(v)
  return string.sub(text, 1, -2) .. ',"session":'
end
local sids, starts = {}, {}
for i, it in ipairs(items) do sids[i], starts[i] = it.session.id, tonumber(it.session.starts_at) or 0 end
local pieces = {}
local r = reader()
local _, _, listed = read_views(sids, starts, r, function(_, i) return items[i].booking.status == 'confirmed' end,
  false, pieces, '')
-- the views one by one: read_views' pieces between its ',' separators
-- (kept as pieces: joining them here would copy each, as would joining
-- the answer; the caller joins the pieces in order)
local views, cur = {}, {}
for j = 4, #pieces - 2, 2 do
  if pieces[j] == ',' then views[#views + 1] = cur cur = {} else cur[#cur + 1] = pieces[j] end
end
if #cur > 0 then views[#views + 1] = cur end
local all, upcoming, past, notices, completed = {}, {}, {}, {}, {}
local function mark(b, s)
  local text = notice_of(b)
  if text then notices[#notices + 1] = cjson.encode({text = text, course_title = s.course_title or '', booking_id = b.id}) end
  if b.attendance == 'attended' and b.status == 'confirmed' then
    completed[#completed + 1] = cjson.encode({course_id = s.course_id or '', course_title = s.course_title or '',
      completed_at = time_text(tonumber(s.ends_at) or 0)})
  end
end
for j, i in ipairs(listed) do
  local b = items[i].booking
  local one = {booking_head(b, items[i].session, r.now), views[j]}
  all[#all + 1] = one
  mark(b, items[i].session)
  if r.now >= starts[i] then past[#past + 1] = one
  elseif b.status ~= 'cancelled' or notice_of(b) then upcoming[#upcoming + 1] = one end
end
for _, it in ipairs(others) do mark(it.booking, it.session) end
local out = {'ok', 'total', total}
local function put(text) out[#out + 1] = 'my' out[#out + 1] = text end
local function put_bookings(name, list)
  put(',"' .. name .. '":[')
  for i, one in ipairs(list) do
    if i > 1 then put(',') end
    put(one[1])
    for _, piece in ipairs(one[2]) do put(piece) end
    put('}')
  end
  put(']')
end
put('{"has_upcoming":' .. tostring(#upcoming > 0) .. ',"has_past":' .. tostring(#past > 0) .. ',"has_completed":' ..
  tostring(#completed > 0) .. ',"has_notices":' .. tostring(#notices > 0))
put_bookings('bookings', all)
put_bookings('upcoming', upcoming)
put_bookings('past', past)
put(',"completed":[' .. table.concat(completed, ',') .. '],"notices":[' .. table.concat(notices, ',') .. '],"total":' ..
  total .. ',"page":' .. (math.floor(from / count) + 1) .. ',"per_page":' .. count .. '}')
return out
