-- hold_act.lua: answer or change a pending hold.  Accept and decline belong
-- to the owning NGO (accepting makes the bed occupied: vacant - 1); cancel
-- and extend (once, to at most max_seconds from now) to the responder who
-- placed it.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, hold, action (accept,
--   decline, cancel, extend), actor, agency (the actor's), reason (decline),
--   add_seconds and max_seconds (extend); group_labels, now_iso and
--   now_text (accept: the search fragment of the group, lib.lua).
-- Answers {"ok", "hold", <hold JSON with safehouse_doc>}; errors not_found,
--   forbidden, {"hold_not_pending", "status", <JSON>}, already_extended,
--   bad_action.
prune()
local id, action, actor = need('hold'), need('action'), need('actor')
local h = hold_get(id)
if not h then return answer('not_found') end
if action == 'accept' or action == 'decline' then
  if h.agency ~= need('agency') then return answer('forbidden') end
elseif h.responder ~= actor then return answer('forbidden') end
if h.status ~= 'pending' then return answer('hold_not_pending', 'status', cjson.encode(h.status)) end
local k = key('hold', id)
if action == 'accept' then
  local sk = key('sh', h.safehouse)
  local v = tonumber(redis.call('HGET', sk, 'vacant:' .. h.group) or 0)
  if v > 0 then
    redis.call('HSET', sk, 'vacant:' .. h.group, v - 1, 'at:' .. h.group, now, 'by:' .. h.group, actor)
    set_frag(h.safehouse, h.group, need('now_iso'), need('now_text'))
    index_free(h.safehouse)
  end
  hold_close(id, 'accepted')
  redis.call('HSET', k, 'answered_by', actor, 'answered_at', now)
elseif action == 'decline' then
  hold_close(id, 'declined')
  redis.call('HSET', k, 'answered_by', actor, 'answered_at', now, 'decline_reason', need('reason'))
elseif action == 'cancel' then
  hold_close(id, 'cancelled')
elseif action == 'extend' then
  if h.extended == '1' then return answer('already_extended') end
  local most = need_num('max_seconds')
  local exp = tonumber(h.expires_at) + need_num('add_seconds')
  if exp - now > most then exp = now + most end
  redis.call('HSET', k, 'expires_at', exp, 'extended', '1')
  redis.call('ZADD', key('sh', h.safehouse, 'pending', h.group), exp, id)
  redis.call('ZADD', key('resp', h.responder, 'pending'), exp, id)
  redis.call('ZADD', key('pending'), exp, id)
  hold_due(id, exp, tonumber(h.warn_before) or need_num('warn_before'))
else return answer('bad_action') end
if action ~= 'extend' then hold_event('hold_' .. hold_get(id).status, id, {by = actor, reason = action == 'decline' and A.reason or nil}) end
return answer('ok', 'hold', cjson.encode(with_house(hold_get(id))))
