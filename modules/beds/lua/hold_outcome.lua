-- hold_outcome.lua: what happened after a hold closed (issue 18), from one
-- side: the owning NGO's staff (side "ngo": the outcome is required) or
-- the responder who placed it (side "responder": an outcome, a note or
-- both).  A later one from the same side replaces it.  The note was
-- guarded against personal data before it came here; it and the outcome
-- are not personal data, so the erasure of the hold's details (lib.lua
-- prune) leaves them.  Appends hold_outcome (the one event that carries
-- a note: briefs' events.md, "Added for issue 18").
-- KEYS[1] base key.  ARGV: now, erase_after, groups, hold, actor, agency
--   (the actor's agency when NGO staff, else ""), responder ("1" when the
--   actor has the responder role), outcome and note ("" not given),
--   agency_type and unit (the actor's, for the event).
-- Answers {"ok", "hold", <hold JSON with safehouse_doc>, "side", <JSON>,
--   "replaced", true|false}; errors not_found, forbidden (not theirs),
--   hold_open (still pending), outcome_required, nothing_given.
prune()
local id, actor, agency = need('hold'), need('actor'), need('agency')
local outcome, note = need('outcome'), need('note')
local h = hold_get(id)
if not h then return answer('not_found') end
local side
if agency ~= '' and agency == h.agency then side = 'ngo'
elseif need('responder') == '1' and h.responder == actor then side = 'responder'
else return answer('forbidden') end
if h.status == 'pending' then return answer('hold_open') end
if side == 'ngo' and outcome == '' then return answer('outcome_required') end
if outcome == '' and note == '' then return answer('nothing_given') end
local replaced = h['outcome_at_' .. side] ~= nil
redis.call('HSET', key('hold', id), 'outcome_' .. side, outcome, 'note_' .. side, note,
  'outcome_by_' .. side, actor, 'outcome_at_' .. side, now)
hold_event('hold_outcome', id, {side = side, outcome = outcome, text = note, by = actor,
  by_agency_type = need('agency_type'), by_unit = need('unit')})
return answer('ok', 'hold', cjson.encode(with_house(hold_get(id))), 'side', cjson.encode(side),
  'replaced', replaced and 'true' or 'false')
