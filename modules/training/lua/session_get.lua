-- session_get.lua: one session's view, assembled from its stored fragments
-- (lib.lua's read_view), and the reader's own booking of it.  Reads only.
-- KEYS[1] base key.  ARGV: session, username ("" for none), now, release,
--   year (the reader's London year), manager ("coordinator", "trainer" or
--   ""), agency (the reader's agency id, or "").
-- Answers {"ok", "session", <session view JSON: the joining link for its
--   staff and people with a confirmed place>, "may_manage", "1"/"0",
--   "title", <the course title as a JSON string>, "mine", <the reader's
--   booking JSON as stored, or "">, "waitlist_position", N}; error
--   not_found.
use_session(need('session'))
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
local view, manage, title = read_view(need('session'), reader(), confirmed, false)
if not view then return {'not_found'} end
return {'ok', 'session', view, 'may_manage', manage and '1' or '0', 'title', title, 'mine', mine,
  'waitlist_position', tostring(pos)}
