-- hold_view.lua: one hold as the API answers it to one reader, made here
-- in one call: {"hold": <hold-answer.json's hold>}, which the module copies
-- into its answer without parsing it.  Read-only, as hold.lua (a pending
-- hold past its time is answered as expired, details due for erasure are
-- left out, nothing is written).
-- KEYS[1] base key.  ARGV: now, erase_after, groups, group_labels, hold;
--   the reader: username, agency (their agency id, or ""), roles ("c" a
--   coordinator, "n" NGO staff, "r" a responder, any of them); the words:
--   statuses ("code=label|..."), reasons (the decline reasons, the same),
--   outcomes (what happened after a hold closed, the same: issue 18).
-- Answers {"ok", "hold", <JSON text>}; errors not_found, not_theirs (the
--   reader may not see it: the module answers 404 and audits it).
local function labels(name)
  local t = {}
  for code, label in string.gmatch(need(name), '([^=|]+)=([^|]*)') do t[code] = label end
  return t
end
local h = hold_read(need('hold'))
if not h then return answer('not_found') end
local user, agency, roles = need('username'), need('agency'), need('roles')
local owner = string.find(roles, 'n', 1, true) ~= nil and agency ~= '' and agency == h.agency
local responder = string.find(roles, 'r', 1, true) ~= nil
local mine = user == h.responder
if not (string.find(roles, 'c', 1, true) or owner or (responder and mine)) then return answer('not_theirs') end
local s = house_get(h.safehouse) or {}
local doc = s.doc and cjson.decode(s.doc) or {}
local pending, extended = h.status == 'pending', h.extended == '1'
local exp = tonumber(h.expires_at) or 0
local v = {id = tonumber(h.id), status = h.status, group = h.group, group_label = group_label(h.group),
  safehouse = {id = tonumber(h.safehouse), name = doc.name or '', agency = h.agency or '', agency_name = s.agency_name or ''},
  created_at = time_text(tonumber(h.created_at) or 0), expires_at = time_text(exp),
  expires_at_text = time_words(exp, now), extended = extended, responder = h.responder or '',
  responder_agency = h.responder_agency or '', responder_name = h.responder_name or '',
  responder_agency_name = h.responder_agency_name or '', is_pending = pending,
  status_label = labels('statuses')[h.status] or h.status,
  can_answer = pending and owner, can_cancel = pending and mine and responder,
  can_extend = pending and mine and responder and not extended}
if pending then v.minutes_left = exp > now and math.floor((exp - now + 59) / 60) or 0 end
if (tonumber(h.closed_at) or 0) > 0 then v.closed_at = time_text(tonumber(h.closed_at)) end
if (h.decline_reason or '') ~= '' then
  v.decline_reason = h.decline_reason
  v.decline_reason_label = labels('reasons')[h.decline_reason] or h.decline_reason
end
if h.erased == '1' then v.erased = true
else v.reference, v.callback_phone = h.reference or cjson.null, h.callback_phone or cjson.null end
-- what each side said after it closed (views.c's beds_hold_view_outcomes)
local said, ngo_said, said_labels = {}, false, labels('outcomes')
for i, side in ipairs({{'ngo', 'The safehouse'}, {'responder', 'The first responder'}}) do
  local at = tonumber(h['outcome_at_' .. side[1]])
  if at then
    local o = h['outcome_' .. side[1]] or ''
    said[#said + 1] = {side = side[1], side_label = side[2], outcome = o,
      outcome_label = o ~= '' and (said_labels[o] or o) or '', note = h['note_' .. side[1]] or '',
      recorded_at = time_text(at), recorded_at_text = time_words(at, now)}
    ngo_said = ngo_said or i == 1
  end
end
local side = (owner and 'ngo') or (responder and mine and 'responder') or nil
v.outcome_side, v.has_outcomes = side, #said > 0
v.can_record_outcome = not pending and side ~= nil
v.outcome_needed = (not pending and owner and not ngo_said) == true
-- cjson makes an empty table an object: the list goes in as list_json's text
local text = cjson.encode({hold = v})
return answer('ok', 'hold', string.sub(text, 1, -3) .. ',"outcomes":' .. list_json(said) .. '}}')
