-- lib.lua: the helpers of the cases scripts, after the common prelude
-- (common/lua/lib.lua: A, key, need, need_num, answer, record, list_json,
-- event).  portal-embed --lua joins both onto each script's first line.
--
-- KEYS[1]  the module's base key "<prefix>cases:{cases}"; every key is
--          derived from it (the layout is cases.h's), one Cluster slot.
-- ARGV     every script takes now (Unix seconds).
-- Answers  every value after the status is JSON text.
local now = need_num('now')
-- case_json(h): the case hash as JSON text (an object).
local function case_json(h) return cjson.encode(h) end
-- timeline_json(id): the case's timeline entries as a JSON array text.
local function timeline_json(id)
  local t = redis.call('LRANGE', key('case', id, 'timeline'), 0, -1)
  if #t == 0 then return '[]' end
  return '[' .. table.concat(t, ',') .. ']'
end
-- timeline_add(id, entry): append entry (a table) with its time.
local function timeline_add(id, entry)
  entry.at = now
  redis.call('RPUSH', key('case', id, 'timeline'), cjson.encode(entry))
end
-- case_event(kind, h, by): append kind to the events stream with the
-- fields every case event carries (never a reference or a note), and keep
-- the entry's id with the case so that its erasure removes it too.  side:
-- the closing side ("unit" or "ngo"), for case_closed only (nil otherwise).
local function case_event(kind, h, by, side)
  local id = event(kind, {case = h.id, ngo_agency = h.ngo_agency, unit = h.unit, status = h.status,
    borough = h.borough, by = by, closed_by_side = side})
  redis.call('SADD', key('case', h.id, 'events'), id)
end
