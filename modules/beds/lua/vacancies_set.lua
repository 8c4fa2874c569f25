-- vacancies_set.lua: set a safehouse's vacant beds, or confirm them ("still
-- accurate": every group's time refreshed).
-- KEYS[1] base key.  ARGV: now, erase_after, groups, safehouse, agency (the
--   actor's), actor, vacant (JSON {group: n}, or "" to confirm),
--   group_labels, now_iso and now_text (now as updated_at and in words, for
--   the search fragments: lib.lua), stale_after.  Moves the house's stale
--   time (due) to stale_after from now and appends vacancies_updated.
-- Answers {"ok", "house", <house JSON>, "changes", <JSON {group: {from, to}}>};
--   errors not_found, forbidden, {"invalid_input", "fields", <JSON>} (a group
--   the house lacks, more than its beds), {"holds_pending", "group", <JSON>,
--   "held", N} (fewer than the held beds).  A refusal changes nothing.
prune()
local id, actor, vacant = need('safehouse'), need('actor'), need('vacant')
local s = house_get(id)
if not s then return answer('not_found') end
if s.agency ~= need('agency') then return answer('forbidden') end
local k = key('sh', id)
local changes = {}
if vacant == '' then
  for _, g in ipairs(GROUPS) do
    if s['beds:' .. g] then
      redis.call('HSET', k, 'at:' .. g, now, 'by:' .. g, actor)
      set_frag(id, g, need('now_iso'), need('now_text'))
    end
  end
  stale_due(id)
  house_event('vacancies_updated', id)
  return answer('ok', 'house', cjson.encode(house_view(id, house_get(id))), 'changes', '{}')
end
local want = cjson.decode(vacant)
local fields, bad = {}, false
for _, g in ipairs(GROUPS) do
  if want[g] ~= nil then
    if not s['beds:' .. g] then
      fields[g], bad = 'This safehouse has no beds for this group', true
    elseif tonumber(want[g]) > tonumber(s['beds:' .. g]) then
      fields[g], bad = 'Enter a number of vacant beds between 0 and ' .. s['beds:' .. g], true
    end
  end
end
if bad then return answer('invalid_input', 'fields', cjson.encode(fields)) end
for _, g in ipairs(GROUPS) do
  local h = held(id, g)
  if want[g] ~= nil and tonumber(want[g]) < h then return holds_pending(g, h) end
end
for _, g in ipairs(GROUPS) do
  if want[g] ~= nil then
    changes[g] = {from = tonumber(s['vacant:' .. g]), to = tonumber(want[g])}
    redis.call('HSET', k, 'vacant:' .. g, tonumber(want[g]), 'at:' .. g, now, 'by:' .. g, actor)
    set_frag(id, g, need('now_iso'), need('now_text'))
  end
end
index_free(id)
stale_due(id)
house_event('vacancies_updated', id)
return answer('ok', 'house', cjson.encode(house_view(id, house_get(id))), 'changes', cjson.encode(changes))
