-- migrate.lua: the data version.  Version 1 is the first layout (cases.h),
-- so there is nothing older to move: the version is set when missing.
-- KEYS[1] base key.  ARGV: now, version.
-- Answers {"ok", "from", <the version found, 0 when none>}.
local found = tonumber(redis.call('GET', key('data-version')) or '0')
if found < need_num('version') then redis.call('SET', key('data-version'), need('version')) end
return answer('ok', 'from', tostring(found))
