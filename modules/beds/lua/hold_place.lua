-- hold_place.lua: hold one bed of a group in a safehouse while the referral
-- is made.
-- KEYS[1] base key.  ARGV: now, erase_after, groups, safehouse, group,
--   responder, responder_agency, responder_name, responder_agency_name (the
--   words pages show; holds placed before they were stored have neither),
--   responder_agency_type and responder_unit (the session's, for the
--   events; "" when none),
--   reference, callback_phone, minutes,
--   minute_seconds, idempotency_key ("" none), max_pending, warn_before
--   (kept on the hold with erase_after: due.lua has no settings).
-- Answers {"ok", "hold", <hold JSON with safehouse_doc>, "replay", true|false}
--   (an idempotency key this responder used in the last 24 h answers the
--   hold it made, replay true); errors not_found, {"invalid_input", "fields",
--   <JSON>} (the house has no beds of the group), {"too_many_holds",
--   "retry_after", N} (max_pending holds pending), no_bed_available.
prune()
local sid, g, who = need('safehouse'), need('group'), need('responder')
local minutes, unit, ikey = need_num('minutes'), need_num('minute_seconds'), need('idempotency_key')
local ik = key('idem', who, ikey)
if ikey ~= '' then
  local prev = redis.call('GET', ik)
  local h = prev and hold_get(prev)
  if h then return answer('ok', 'hold', cjson.encode(with_house(h)), 'replay', 'true') end
end
local s = house_get(sid)
if not s then return answer('not_found') end
if not s['beds:' .. g] then
  return answer('invalid_input', 'fields',
    cjson.encode({group = 'This safehouse has no beds for this group: choose another'}))
end
local rp = key('resp', who, 'pending')
if redis.call('ZCARD', rp) >= need_num('max_pending') then
  local first = redis.call('ZRANGE', rp, 0, 0, 'WITHSCORES')
  return answer('too_many_holds', 'retry_after', tostring(math.max(1, tonumber(first[2]) - now)))
end
if tonumber(s['vacant:' .. g]) - held(sid, g) < 1 then return answer('no_bed_available') end
local id = tostring(redis.call('INCR', key('seq', 'hold')))
local exp = now + minutes * unit
redis.call('HSET', key('hold', id), 'id', id, 'safehouse', sid, 'agency', s.agency,
  'group', g, 'status', 'pending', 'responder', who, 'responder_agency', need('responder_agency'),
  'responder_name', need('responder_name'), 'responder_agency_name', need('responder_agency_name'),
  'responder_agency_type', need('responder_agency_type'), 'responder_unit', need('responder_unit'),
  'reference', need('reference'), 'callback_phone', need('callback_phone'), 'minutes', minutes,
  'created_at', now, 'expires_at', exp, 'extended', '0', 'erase_after', erase_after,
  'warn_before', need_num('warn_before'))
hold_due(id, exp, need_num('warn_before'))
redis.call('ZADD', key('sh', sid, 'pending', g), exp, id)
redis.call('ZADD', rp, exp, id)
redis.call('ZADD', key('pending'), exp, id)
redis.call('ZADD', key('holds'), now, id)
redis.call('ZADD', key('resp', who, 'holds'), now, id)
redis.call('ZADD', key('agency', s.agency, 'holds'), now, id)
if ikey ~= '' then redis.call('SET', ik, id, 'EX', 86400) end
hold_event('hold_placed', id)
return answer('ok', 'hold', cjson.encode(with_house(hold_get(id))), 'replay', 'false')
