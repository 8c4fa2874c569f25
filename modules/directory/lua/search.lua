-- search.lua: one search: intersect the name order with the chosen facet
-- groups (a group of several values is their union), the words' sorted sets,
-- "open now" and "changed since"; count the facets over the whole result;
-- hand back one page of services as stored.  Its temporary keys (under
-- BASE:tmp:<tmp>) are deleted before it returns: a read.
-- KEYS[1] base key.
-- ARGV tmp (unique per request), sort ("name" or "relevance"), offset,
--   count, groups (JSON array of arrays of key suffixes, "f:PARAM:VALUE"),
--   words (JSON array), open ("" or the slot's suffix "o:DAY:SLOT"),
--   modified_after ("" or Unix time).
-- Answers {"ok", "total", N, then per service on the page "service", <its
--   JSON>, "organisation_name", <name or "">, then per facet value counted
--   "facet", "PARAM:VALUE", "count", N}.
local tmp, by_name = key('tmp:' .. need('tmp')), need('sort') == 'name'
local off, cnt = tonumber(need('offset')), tonumber(need('count'))
local keys, weights, temps = {key('byname')}, {by_name and 1 or 0}, {}
local function add(k, w) keys[#keys + 1] = k; weights[#weights + 1] = w end
for g, group in ipairs(json_list('groups')) do
  if #group == 1 then
    add(key(group[1]), 0)
  else
    local members = {}
    for m, suffix in ipairs(group) do members[m] = key(suffix) end
    local t = tmp .. ':g' .. g
    redis.call('SUNIONSTORE', t, unpack(members))
    temps[#temps + 1] = t
    add(t, 0)
  end
end
for _, w in ipairs(json_list('words')) do add(key('w:' .. w), by_name and 0 or 1) end
if need('open') ~= '' then add(key(need('open')), 0) end
if need('modified_after') ~= '' then
  local t = tmp .. ':m'
  redis.call('ZRANGESTORE', t, key('modified'), '(' .. need('modified_after'), '+inf', 'BYSCORE')
  temps[#temps + 1] = t
  add(t, 0)
end
local call = {'ZINTERSTORE', tmp, #keys}
for _, k in ipairs(keys) do call[#call + 1] = k end
call[#call + 1] = 'WEIGHTS'
for _, w in ipairs(weights) do call[#call + 1] = w end
local total = redis.call(unpack(call))
local ids
if by_name then ids = redis.call('ZRANGE', tmp, off, off + cnt - 1)
else ids = redis.call('ZREVRANGE', tmp, off, off + cnt - 1) end
local counts, order = {}, {}
for cursor = 0, total - 1, 500 do
  local batch = redis.call('ZRANGE', tmp, cursor, cursor + 499)
  if #batch == 0 then break end
  for _, f in ipairs(redis.call('HMGET', key('fac'), unpack(batch))) do
    for v in string.gmatch(f or '', '%S+') do
      if not counts[v] then counts[v] = 0; order[#order + 1] = v end
      counts[v] = counts[v] + 1
    end
  end
end
temps[#temps + 1] = tmp
redis.call('DEL', unpack(temps))
local out = {'ok', 'total', tostring(total)}
if #ids > 0 then
  for _, s in ipairs(redis.call('HMGET', key('svc'), unpack(ids))) do
    if s then
      local oid = string.match(s, '"organisation":{"id":"([%x%-]+)"')
      out[#out + 1] = 'service'; out[#out + 1] = s
      out[#out + 1] = 'organisation_name'
      out[#out + 1] = (oid and redis.call('HGET', key('orgname'), oid)) or ''
    end
  end
end
for _, v in ipairs(order) do
  out[#out + 1] = 'facet'; out[#out + 1] = v
  out[#out + 1] = 'count'; out[#out + 1] = tostring(counts[v])
end
return out
