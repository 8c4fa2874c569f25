-- session_get.lua: one session's view, assembled from its stored fragments
-- (lib.lua's read_views), and the reader's own booking of it.  Reads only.
-- KEYS[1] base key.  ARGV: session, username ("" for none), now, release,
--   year (the reader's London year), manager ("coordinator", "trainer" or
--   ""), agency (the reader's agency id, or "").
-- Answers {"ok", "session", <session view JSON: the joining link for its
--   staff and people with a confirmed place>, "may_manage", "1"/"0",
--   "title", <the course title as a JSON string>, "mine", <the reader's
--   booking JSON as stored, or "">, "waitlist_position", N, "outcomes",
--   <the course's learning outcomes, a JSON array>}; error not_found.
local sid = need('session')
use_session(sid)
local user, mine, pos = need('username'), '', 0
if user ~= '' then
  local bid = redis.call('HGET', U, user)
  mine = bid and redis.call('HGET', B, bid) or ''
end
local confirmed = false
if mine ~= '' then
  local b = cjson.decode(mine)
  confirmed = b.status == 'confirmed'
  pos = position(b)
end
local f = redis.call('HMGET', S, 'starts_at', 'view_title', 'course_id')
if not f[1] or not f[2] then return {'not_found'} end
local pieces = {}
local count, manages = read_views({sid}, {tonumber(f[1])}, reader(), function(manage) return confirmed or manage end,
  false, pieces, '')
if count == 0 then return {'not_found'} end
local text = {}
for i = 4, #pieces - 2, 2 do text[#text + 1] = pieces[i] end   -- the one view, without the list's brackets
return {'ok', 'session', table.concat(text), 'may_manage', manages[1] and '1' or '0', 'title', f[2], 'mine', mine,
  'waitlist_position', tostring(pos), 'outcomes', f[3] and redis.call('HGET', key('course', f[3]), 'outcomes') or '[]'}
