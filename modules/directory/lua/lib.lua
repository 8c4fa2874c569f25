-- lib.lua: the directory scripts' own helper, after the common prelude
-- (common/lua/lib.lua: A, key, need, answer...).  portal-embed --lua joins
-- both onto each script's first line (so Redis's line numbers are the
-- script file's); comments here stay on lines of their own.
--
-- KEYS[1]  the directory's base key "<prefix>dir:{dir}"; each key a script
--          touches is key(suffix), under the one hash tag {dir}: the scripts
--          run unchanged on a Redis Cluster.
-- ARGV     batches (records, search groups) travel as one JSON array in one
--          pair: json_list(name) is it decoded ({} when "").
local function json_list(name)
  local v = need(name)
  if v == '' then return {} end
  return cjson.decode(v)
end
--
-- public_view(svc): a service's public view, the JSON text a search answers
-- for it: its stored JSON (svc) with its organisation's name (:orgname)
-- beside the organisation's id; svc itself when it names no organisation;
-- nil when svc is nil or false (a record that is gone).
-- The organisations' names as JSON text are read once a script.
local org_names = {}
local function public_view(svc)
  if not svc then return nil end
  local _, e, oid = string.find(svc, '"organisation":{"id":"([%x%-]+)"}')
  if not e then return svc end
  if not org_names[oid] then
    org_names[oid] = cjson.encode(redis.call('HGET', key('orgname'), oid) or '')
  end
  return string.sub(svc, 1, e - 1) .. ',"name":' .. org_names[oid] .. string.sub(svc, e)
end
--
-- text(v): v when it is a string, else "" (a JSON null decodes to cjson.null);
-- present(v): v when it is a string other than "", else nil (an event
-- leaves out a field it has no value for: an agency where there is none)
local function text(v)
  if type(v) == 'string' then return v end
  return ''
end
local function present(v)
  if type(v) == 'string' and v ~= '' then return v end
  return nil
end
-- unverified_due(id, verified, after): service id falls due for
-- service_unverified `after` seconds after it was verified (the due set,
-- due.lua), unless it was told of already and waits for its next month
local function unverified_due(id, verified, after)
  local at, item = tonumber(verified) + after, 'unverified:' .. id
  local cur = tonumber(redis.call('ZSCORE', key('due'), item))
  if at <= need_num('now') and cur and cur > need_num('now') then return end
  redis.call('ZADD', key('due'), at, item)
end
