-- session_refresh.lua: give a session stored before data version 3 the
-- texts of its times and its stored view (lib.lua's store_view); run by the
-- migration for each session migrate.lua lists as pending.
-- KEYS[1] base key.  ARGV: session, types, labels, and for each time
--   (starts_at, ends_at, booking_closes_at) text:<time>, words:<time>,
--   year:<time>.
-- Answers {"ok"}; error not_found.
use_session(need('session'))
if redis.call('EXISTS', S) == 0 then return {'not_found'} end
for _, t in ipairs(TIMES) do
  redis.call('HSET', S, 'text:' .. t, need('text:' .. t), 'words:' .. t, need('words:' .. t), 'year:' .. t, need('year:' .. t))
end
store_view(S)
return {'ok'}
