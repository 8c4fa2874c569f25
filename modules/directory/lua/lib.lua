-- lib.lua: what every directory script starts with.  portal-embed --lua
-- joins it onto each script's first line (so Redis's line numbers are the
-- script file's); comments here stay on lines of their own.
--
-- KEYS[1]  the directory's base key "<prefix>dir:{dir}"; each key a script
--          touches is BASE:SUFFIX (at(suffix)), under the one hash tag {dir}:
--          the scripts run unchanged on a Redis Cluster.
-- ARGV     name/value pairs, read into P.  arg(name) is a pair's value (a
--          script error naming it when absent); batches (records, search
--          groups) travel as one JSON array in one pair.
-- Answers  {status, name, value, ...}: status "ok" or an error code.
local BASE, P = KEYS[1], {}
for i = 1, #ARGV - 1, 2 do P[ARGV[i]] = ARGV[i + 1] end
local function at(suffix) return BASE .. ':' .. suffix end
local function arg(name)
  if P[name] == nil then error('directory script: argument ' .. name .. ' is missing', 2) end
  return P[name]
end
local function json_list(name)
  local v = arg(name)
  if v == '' then return {} end
  return cjson.decode(v)
end
