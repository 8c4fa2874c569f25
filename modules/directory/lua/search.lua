-- search.lua: one search, answered in ready-made JSON fragments: each
-- service's public view (:pub, written by apply.lua) and the facet counts
-- as JSON text, which the module joins into the answer without parsing
-- them (views.c, directory_search_text: joining 20 views of 1 KB with Lua's
-- `..` cost 4x the whole script, returning them as they are 1x).
-- The result (total, the page's ids, the facet counts) is cached in the
-- hash :qc:<version> (field: the query's arguments), which apply.lua drops
-- by bumping :ver whenever a service or organisation is written; the hash
-- lives at most CACHE_SECONDS and holds at most CACHE_MAX searches (past
-- that a search is answered, not kept).  A cache hit reads the page's
-- fragments and "verified" scores afresh, so "verification_due" is always
-- of today.  Otherwise: intersect the name order with the chosen facet
-- groups (a group of several values is their union), the words' sorted
-- sets, "open now" and "changed since"; count the facets over the whole
-- result (with no filter at all, each value's index set's size).  Its
-- temporary keys (BASE:tmp:<tmp>...) are deleted before it returns; the
-- cache is its only write (no WAIT: a read).
-- KEYS[1] base key.
-- ARGV tmp (unique per request), sort ("name" or "relevance"), offset,
--   count, groups (JSON array of arrays of key suffixes, "f:PARAM:VALUE"),
--   words (JSON array), open ("" or the slot's suffix "o:DAY:SLOT"),
--   modified_after ("" or Unix time), communities (JSON array: the
--   community codes the search names, each must be on the kept list),
--   facets (the facet parameters in the answer's order, space separated),
--   now (Unix time), due (seconds since last verified after which a
--   service is flagged "verification_due").
-- Answers {"ok", "total", N, "facets", <{"param":{"value":N,...},...} in
--   the order of ARGV facets>, "cached", "1" or "0", then per service on
--   the page "service", <its public view>, "due", "1" or "0" (verification
--   due)}; {"unknown_community", "community", <the first code not kept>}.
local CACHE_SECONDS, CACHE_MAX = 600, 2000
local off, cnt = need_num('offset'), need_num('count')
local now, due = need_num('now'), need_num('due')
for _, c in ipairs(json_list('communities')) do
  if redis.call('HEXISTS', key('community'), c) == 0 then
    return {'unknown_community', 'community', c}
  end
end
local field = table.concat({need('sort'), off, cnt, need('groups'), need('words'), need('open'),
  need('modified_after')}, '|')
local cache = key('qc', redis.call('GET', key('ver')) or '0')

-- The result {total, ids, facets (JSON text)} of the query, computed.
local function compute()
  local tmp, by_name = key('tmp', need('tmp')), need('sort') == 'name'
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
  -- no filter: every service in name order, read where it is kept
  local all = #keys == 1 and by_name
  local total, src = 0, key('byname')
  if all then
    total = redis.call('ZCARD', src)
  else
    local call = {'ZINTERSTORE', tmp, #keys}
    for _, k in ipairs(keys) do call[#call + 1] = k end
    call[#call + 1] = 'WEIGHTS'
    for _, w in ipairs(weights) do call[#call + 1] = w end
    total, src = redis.call(unpack(call)), tmp
    temps[#temps + 1] = tmp
  end
  local ids
  if by_name then ids = redis.call('ZRANGE', src, off, off + cnt - 1)
  else ids = redis.call('ZREVRANGE', src, off, off + cnt - 1) end
  local counts, order = {}, {}
  for param in string.gmatch(need('facets'), '%S+') do counts[param] = {}; order[#order + 1] = param end
  if all then
    -- no filter: the result is every service, and each facet value's
    -- count is its index set's size (:fv lists the values apply.lua saw)
    for _, pv in ipairs(redis.call('SMEMBERS', key('fv'))) do
      local param, value = string.match(pv, '^(%S-):(%S+)$')
      local n = redis.call('SCARD', key('f:' .. pv))
      if counts[param] and n > 0 then counts[param][value] = n end
    end
  end
  for cursor = 0, (all and 0 or total) - 1, 500 do
    local batch = redis.call('ZRANGE', src, cursor, cursor + 499)
    if #batch == 0 then break end
    for _, f in ipairs(redis.call('HMGET', key('fac'), unpack(batch))) do
      for param, value in string.gmatch(f or '', '(%S-):(%S+)') do
        local c = counts[param]
        if c then c[value] = (c[value] or 0) + 1 end
      end
    end
  end
  if #temps > 0 then redis.call('DEL', unpack(temps)) end
  local parts = {}
  for _, param in ipairs(order) do
    local values = {}
    for value, n in pairs(counts[param]) do values[#values + 1] = cjson.encode(value) .. ':' .. n end
    table.sort(values)
    parts[#parts + 1] = cjson.encode(param) .. ':{' .. table.concat(values, ',') .. '}'
  end
  return total, ids, '{' .. table.concat(parts, ',') .. '}'
end

local total, ids, facets, cached
local hit = redis.call('HGET', cache, field)
if hit then
  local t, list, f = string.match(hit, '^(%d+)\n([^\n]*)\n(.*)$')
  total, facets, ids, cached = tonumber(t), f, {}, '1'
  for id in string.gmatch(list, '%S+') do ids[#ids + 1] = id end
else
  total, ids, facets = compute()
  cached = '0'
  if redis.call('HLEN', cache) < CACHE_MAX then
    redis.call('HSET', cache, field, total .. '\n' .. table.concat(ids, ' ') .. '\n' .. facets)
    if redis.call('TTL', cache) < 0 then redis.call('EXPIRE', cache, CACHE_SECONDS) end
  end
end
local out = {'ok', 'total', tostring(total), 'facets', facets, 'cached', cached}
if #ids > 0 then
  local pubs = redis.call('HMGET', key('pub'), unpack(ids))
  local verified = redis.call('ZMSCORE', key('verified'), unpack(ids))
  for i, p in ipairs(pubs) do
    -- a service stored before data version 2 and not yet migrated: its
    -- public view made here, as apply.lua makes it
    p = p or public_view(redis.call('HGET', key('svc'), ids[i]))
    if p then
      local v = tonumber(verified[i]) or 0
      out[#out + 1] = 'service'; out[#out + 1] = p
      out[#out + 1] = 'due'; out[#out + 1] = (v > 0 and now - v > due) and '1' or '0'
    end
  end
end
return out
