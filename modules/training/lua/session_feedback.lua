-- session_feedback.lua: a session (its hash) and the feedback given on it,
-- for its trainers and the coordinators.  Reads only.
-- KEYS[1] base key.  ARGV: session.
-- Answers {"ok", "session", <session JSON>, "feedback", <JSON list of the
--   feedback as kept, in booking order>}; error not_found.
use_session(need('session'))
local s = hgetall(S)
if not s.id then return {'not_found'} end
local list = {}
local all = redis.call('HGETALL', key('feedback', s.id))
for i = 1, #all, 2 do list[#list + 1] = {seq = booking_seq({id = all[i]}), text = all[i + 1]} end
table.sort(list, function(x, y) return x.seq < y.seq end)
local texts = {}
for i, f in ipairs(list) do texts[i] = f.text end
return {'ok', 'session', cjson.encode(s), 'feedback', '[' .. table.concat(texts, ',') .. ']'}
