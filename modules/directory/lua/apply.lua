-- apply.lua: write organisations and services (with every index entry)
-- and a change record, in one step.  Checks first, writes after: with
-- expect_pending "1", nothing is written unless the change is still pending.
-- KEYS[1] base key.
-- ARGV change_id ("" for none), change (its JSON), change_status,
--   expect_pending ("1" or "0"), now (Unix time: the pending list's order),
--   organisations: JSON array of [id, json, name],
--   services: JSON array of [id, json, facets, index, name_score,
--     verified, modified] (index: the key suffixes the service is in, space
--     separated, "w:WORD=SCORE" for a word's sorted set; scores as text).
-- Answers {"ok", "organisations", N, "services", N}; {"no_change"} when the
--   pending change is not stored; {"not_pending", "status", <its status>}.
local cid, orgs, svcs = need('change_id'), json_list('organisations'), json_list('services')
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
  redis.call('HSET', key('org'), o[1], o[2])
  redis.call('HSET', key('orgname'), o[1], o[3])
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
  redis.call('HSET', key('fac'), id, s[3])
  redis.call('HSET', key('ix'), id, s[4])
  redis.call('ZADD', key('byname'), s[5], id)
  redis.call('ZADD', key('verified'), s[6], id)
  redis.call('ZADD', key('modified'), s[7], id)
end
if cid ~= '' then
  local status = need('change_status')
  redis.call('HSET', key('chg'), cid, need('change'))
  redis.call('HSET', key('chgst'), cid, status)
  if status == 'pending' then
    redis.call('ZADD', key('chg:pending'), need('now'), cid)
  else
    redis.call('ZREM', key('chg:pending'), cid)
  end
end
return {'ok', 'organisations', tostring(#orgs), 'services', tostring(#svcs)}
