-- act.lua: one side acts on a case.  Only the sharing NGO's staff (agency)
-- and the unit's staff (unit) see a case: anyone else gets not_found.
-- KEYS[1] base key.  ARGV: now, case, action (acknowledge, update,
--   request_update, close), actor, actor_name, agency and unit (the actor's
--   side; "" where not), police_reference (acknowledge), status, reason,
--   note (update: from the unit a status, from the NGO a reply), outcome
--   (close), due_seconds (an update is due after this long without one),
--   gap_seconds (the least time between two requests).
-- Answers {"ok", "case", <JSON>, "timeline", <JSON>}; errors not_found,
--   forbidden, case_closed, already_acknowledged, not_acknowledged,
--   {"update_not_due", "due_at", n}, {"update_requested_recently", "again_at", n},
--   bad_action.
local id, action, actor = need('case'), need('action'), need('actor')
local k = key('case', id)
local h = record(k)
if not h then return answer('not_found') end
local side
if A.unit ~= '' and h.unit == A.unit then side = 'unit'
elseif A.agency ~= '' and h.ngo_agency == A.agency then side = 'ngo'
else return answer('not_found') end
if h.status == 'closed' then return answer('case_closed') end
local entry = {side = side, by = actor, by_name = need('actor_name')}
local kind

local function close(outcome)
  redis.call('HSET', k, 'status', 'closed', 'closed_at', now, 'closed_by', actor, 'outcome', outcome)
  redis.call('ZADD', key('closed'), now, id)
  entry.kind, entry.status, entry.note = 'closed', 'closed', outcome
  kind = 'case_closed'
end

if action == 'acknowledge' then
  if side ~= 'unit' then return answer('forbidden') end
  if h.acknowledged_at then return answer('already_acknowledged') end
  redis.call('HSET', k, 'police_reference', need('police_reference'), 'acknowledged_at', now,
    'acknowledged_by', actor, 'status', 'received', 'last_unit_at', now)
  entry.kind, entry.status, kind = 'acknowledged', 'received', 'case_acknowledged'
elseif action == 'update' and side == 'unit' then
  if not h.acknowledged_at then return answer('not_acknowledged') end
  local status = need('status')
  if status == 'closed' then close(A.note or '')
  else
    redis.call('HSET', k, 'status', status, 'last_unit_at', now)
    if not h.first_update_at then redis.call('HSET', k, 'first_update_at', now) end
    if status == 'no_further_action' then redis.call('HSET', k, 'reason', need('reason')) end
    entry.kind, entry.status, entry.note, kind = 'update', status, A.note or '', 'case_updated'
    if status == 'no_further_action' then entry.reason = A.reason end
  end
elseif action == 'update' then
  redis.call('HSET', k, 'last_ngo_at', now)
  entry.kind, entry.note, kind = 'reply', need('note'), 'case_replied'
elseif action == 'request_update' then
  if side ~= 'ngo' then return answer('forbidden') end
  local last = tonumber(h.last_unit_at or h.created_at)
  if now - last < need_num('due_seconds') then return answer('update_not_due', 'due_at', tostring(last + need_num('due_seconds'))) end
  local asked = tonumber(h.update_requested_at or '0')
  if asked > 0 and now - asked < need_num('gap_seconds') then
    return answer('update_requested_recently', 'again_at', tostring(asked + need_num('gap_seconds')))
  end
  redis.call('HSET', k, 'update_requested_at', now)
  entry.kind, kind = 'update_requested', 'case_update_requested'
elseif action == 'close' then
  close(need('outcome'))
else return answer('bad_action') end
timeline_add(id, entry)
h = record(k)
case_event(kind, h, actor, kind == 'case_closed' and side or nil)
return answer('ok', 'case', case_json(h), 'timeline', timeline_json(id))
