-- lib.lua: the helpers of the monitoring scripts, after the common prelude
-- (common/lua/lib.lua: A, key, need, need_num, list, answer, record,
-- hgetall, list_json).  Comments here stay on lines of their own.
--
-- KEYS[1]  the module's base key "<prefix>{monitoring}"; every key is
--          derived from it (the layout is monitoring.h's).
-- Answers  every value is JSON text.
--
-- guide_list(): the guide's entries in order, as one JSON array text.
local function guide_list()
  local ids = redis.call('ZRANGE', key('guide', 'ids'), 0, -1)
  if #ids == 0 then return '[]' end
  local docs = redis.call('HMGET', key('guide'), unpack(ids))
  local parts = {}
  for _, d in ipairs(docs) do if d then parts[#parts + 1] = d end end
  return '[' .. table.concat(parts, ',') .. ']'
end
local function guide_version()
  return tostring(tonumber(redis.call('GET', key('guide', 'version'))) or 0)
end
-- themes_json(): the themes as a JSON object {id: name} ("{}" when none).
local function themes_json()
  local t = hgetall(key('themes'))
  if next(t) == nil then return '{}' end
  return cjson.encode(t)
end
-- text_json(id): the text's hash as JSON text, or nil.
local function text_json(id)
  local t = record(key('text', id))
  if not t then return nil end
  return cjson.encode(t)
end
-- set_terms(id, quarter, agency_type, terms): text id's terms from the
-- guide (terms one a line) counted in the figures of its quarter by the
-- giver's agency type ("terms|<agency type>|<term>" in fig:<quarter>), the
-- terms it had before taken off first, so a changed text counts once.
local function set_terms(id, quarter, agency_type, terms)
  local old = redis.call('HMGET', key('text', id), 'terms', 'quarter', 'agency_type')
  if old[1] and old[2] then
    for term in string.gmatch(old[1], '[^\n]+') do
      redis.call('HINCRBY', key('fig', old[2]), 'terms|' .. (old[3] or 'other') .. '|' .. term, -1)
    end
  end
  for term in string.gmatch(terms, '[^\n]+') do
    redis.call('HINCRBY', key('fig', quarter), 'terms|' .. agency_type .. '|' .. term, 1)
  end
  redis.call('HSET', key('text', id), 'terms', terms, 'quarter', quarter)
end
