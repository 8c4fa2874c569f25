-- apply.lua: write organisations and services (with every index entry)
-- and a change record, in one step.  Checks first, writes after: with
-- expect_pending "1", nothing is written unless the change is still pending.
-- Each service's public view (:pub, lib.lua's public_view) is written beside
-- it, and again for every service of an organisation written; writing any
-- service or organisation bumps :ver and drops the searches cached under
-- the old version (:qc:<old>, search.lua).  :fv keeps every facet value a
-- service was written with (search.lua's counts when nothing is filtered).
-- KEYS[1] base key.
-- ARGV change_id ("" for none), change (its JSON), change_status,
--   expect_pending ("1" or "0"), now (Unix time: the pending list's order),
--   organisations: JSON array of [id, json, name],
--   services: JSON array of [id, json, facets, index, name_score,
--     verified, modified] (index: the key suffixes the service is in, space
--     separated, "w:WORD=SCORE" for a word's sorted set; scores as text),
--   data_version ("" or the data version the stored data now has: the last
--     batch of a migration sets it, :dv), unverified_after (seconds after its
--     last verification that a service falls due for service_unverified:
--     lib.lua's unverified_due).
-- A change stored appends its event: change_proposed (pending),
--   change_approved or change_rejected (with reason), naming people by uid and
--   the service by its published name (a new service by its proposed one).
-- Answers {"ok", "organisations", N, "services", N}; {"no_change"} when the
--   pending change is not stored; {"not_pending", "status", <its status>}.
local cid, orgs, svcs = need('change_id'), json_list('organisations'), json_list('services')
local CHANGE_EVENTS = {pending = 'change_proposed', approved = 'change_approved', rejected = 'change_rejected'}
if cid ~= '' and need('expect_pending') == '1' then
  local st = redis.call('HGET', key('chgst'), cid)
  if not st then return {'no_change'} end
  if st ~= 'pending' then return {'not_pending', 'status', st} end
end
local function each_index(list, fn)
  for tok in string.gmatch(list, '%S+') do
    local k, score = string.match(tok, '^(.-)=(%d+)$')
    fn(k or tok, score)
  end
end
for _, o in ipairs(orgs) do
  local renamed = redis.call('HGET', key('orgname'), o[1]) ~= o[3]
  redis.call('HSET', key('org'), o[1], o[2])
  redis.call('HSET', key('orgname'), o[1], o[3])
  org_names[o[1]] = nil
  if renamed then
    for _, id in ipairs(redis.call('SMEMBERS', key('f:org:' .. o[1]))) do
      local p = public_view(redis.call('HGET', key('svc'), id))
      if p then redis.call('HSET', key('pub'), id, p) end
    end
  end
end
for _, s in ipairs(svcs) do
  local id = s[1]
  local old = redis.call('HGET', key('ix'), id)
  if old then
    each_index(old, function(k, score)
      if score then redis.call('ZREM', key(k), id) else redis.call('SREM', key(k), id) end
    end)
  end
  each_index(s[4], function(k, score)
    if score then redis.call('ZADD', key(k), score, id) else redis.call('SADD', key(k), id) end
  end)
  redis.call('HSET', key('svc'), id, s[2])
  redis.call('HSET', key('pub'), id, public_view(s[2]))
  redis.call('HSET', key('fac'), id, s[3])
  local pvs = {}
  for pv in string.gmatch(s[3], '%S+') do pvs[#pvs + 1] = pv end
  if #pvs > 0 then redis.call('SADD', key('fv'), unpack(pvs)) end
  redis.call('HSET', key('ix'), id, s[4])
  redis.call('ZADD', key('byname'), s[5], id)
  redis.call('ZADD', key('verified'), s[6], id)
  unverified_due(id, s[6], need_num('unverified_after'))
  redis.call('ZADD', key('modified'), s[7], id)
end
if #orgs + #svcs > 0 then
  local old = redis.call('GET', key('ver')) or '0'
  redis.call('DEL', key('qc', old))
  redis.call('INCR', key('ver'))
end
if need('data_version') ~= '' then redis.call('SET', key('dv'), need('data_version')) end
if cid ~= '' then
  local status = need('change_status')
  redis.call('HSET', key('chg'), cid, need('change'))
  redis.call('HSET', key('chgst'), cid, status)
  if status == 'pending' then
    redis.call('ZADD', key('chg:pending'), need('now'), cid)
  else
    redis.call('ZREM', key('chg:pending'), cid)
  end
  local c, kind = cjson.decode(need('change')), CHANGE_EVENTS[status]
  if kind then
    -- named as people know it: the published service's name; a proposed
    -- new name is the change's own and is told to nobody before approval
    local pub = present(c.service_id) and redis.call('HGET', key('svc'), c.service_id)
    local name = pub and cjson.decode(pub).name or (type(c.proposed) == 'table' and c.proposed.name)
    event(kind, {change = cid, service = present(c.service_id), service_name = text(name),
      agency = present(c.agency_id), proposer = present(c.proposed_by), by = present(status == 'pending' and c.proposed_by or c.decided_by),
      reason = status == 'rejected' and text(c.reason) or nil})
  end
end
return {'ok', 'organisations', tostring(#orgs), 'services', tostring(#svcs)}
