/* scripts.c - the beds module's Lua scripts: every invariant of a bed lives
 * here, run atomically by EVALSHA (see beds.h for the key layout).
 *
 * Every script takes KEYS[1] = the module's key base ("portal:beds:{beds}:"),
 * ARGV[1] = now (Unix seconds), ARGV[2] = seconds after a hold closes when
 * its case reference and call-back phone are erased.  All keys a script
 * touches derive from KEYS[1] and so share its hash tag.  Each script first
 * expires the pending holds that are due and erases what is due, so expiry
 * happens on the next read or write, and at the latest at the next run of
 * the housekeeping script (every module master, every few seconds).  Scripts
 * answer one JSON text: {"ok":...} or {"err":"code",...}.
 */
#include "beds.h"

/* Shared functions: key base, clock, hold closing, lazy expiry and erasure.
 * erase_due() bumps aof:rewrite_due when it erased anything: the values are
 * gone from memory, but the AOF still holds the writes that put them there
 * until Redis rewrites it (beds_housekeeping asks for that). */
#define BEDS_LUA_FUNCTIONS \
"local B = KEYS[1]\n" \
"local now = tonumber(ARGV[1])\n" \
"local erase_after = tonumber(ARGV[2])\n" \
"local GROUPS = {'women', 'men', 'trans_non_binary'}\n" \
"local EXPIRED = {}\n" \
"local function done(t)\n" \
"  if #EXPIRED > 0 then t.expired = EXPIRED end\n" \
"  return cjson.encode(t)\n" \
"end\n" \
"local function hold_get(id)\n" \
"  local f = redis.call('HGETALL', B .. 'hold:' .. id)\n" \
"  if #f == 0 then return nil end\n" \
"  local h = {}\n" \
"  for i = 1, #f, 2 do h[f[i]] = f[i + 1] end\n" \
"  return h\n" \
"end\n" \
"local function hold_close(id, status)\n" \
"  local k = B .. 'hold:' .. id\n" \
"  local h = hold_get(id)\n" \
"  if not h then redis.call('ZREM', B .. 'pending', id) return end\n" \
"  redis.call('ZREM', B .. 'sh:' .. h.safehouse .. ':pending:' .. h.group, id)\n" \
"  redis.call('ZREM', B .. 'resp:' .. h.responder .. ':pending', id)\n" \
"  redis.call('ZREM', B .. 'pending', id)\n" \
"  redis.call('HSET', k, 'status', status, 'closed_at', now)\n" \
"  redis.call('ZADD', B .. 'erase', now + erase_after, id)\n" \
"end\n" \
"local function prune()\n" \
"  local due = redis.call('ZRANGEBYSCORE', B .. 'pending', '-inf', now, 'LIMIT', 0, 1000)\n" \
"  for _, id in ipairs(due) do hold_close(id, 'expired') EXPIRED[#EXPIRED + 1] = id end\n" \
"  local er = redis.call('ZRANGEBYSCORE', B .. 'erase', '-inf', now, 'LIMIT', 0, 1000)\n" \
"  local erased = 0\n" \
"  for _, id in ipairs(er) do\n" \
"    local k = B .. 'hold:' .. id\n" \
"    if redis.call('EXISTS', k) == 1 then\n" \
"      redis.call('HDEL', k, 'reference', 'callback_phone')\n" \
"      redis.call('HSET', k, 'erased', '1')\n" \
"      erased = erased + 1\n" \
"    end\n" \
"    redis.call('ZREM', B .. 'erase', id)\n" \
"  end\n" \
"  if erased > 0 then redis.call('INCR', B .. 'aof:rewrite_due') end\n" \
"end\n" \
"local function house_get(id)\n" \
"  local f = redis.call('HGETALL', B .. 'sh:' .. id)\n" \
"  if #f == 0 then return nil end\n" \
"  local s = {}\n" \
"  for i = 1, #f, 2 do s[f[i]] = f[i + 1] end\n" \
"  return s\n" \
"end\n" \
"local function with_house(h)\n" \
"  local s = house_get(h.safehouse)\n" \
"  if s then h.safehouse_doc = s.doc h.agency_name = s.agency_name end\n" \
"  return h\n" \
"end\n" \
"local function held(id, g)\n" \
"  return redis.call('ZCARD', B .. 'sh:' .. id .. ':pending:' .. g)\n" \
"end\n" \
"local function house_view(id, s)\n" \
"  local groups = {}\n" \
"  for _, g in ipairs(GROUPS) do\n" \
"    if s['beds:' .. g] then\n" \
"      groups[g] = {beds = tonumber(s['beds:' .. g]), vacant = tonumber(s['vacant:' .. g]),\n" \
"                   held = held(id, g), at = tonumber(s['at:' .. g]), by = s['by:' .. g]}\n" \
"    end\n" \
"  end\n" \
"  return {id = tonumber(id), agency = s.agency, agency_name = s.agency_name, doc = s.doc, groups = groups}\n" \
"end\n" \
"local function fail(code, extra)\n" \
"  local r = extra or {}\n" \
"  r.err = code\n" \
"  return done(r)\n" \
"end\n" \
""

/* Every script (housekeeping too) starts by expiring and erasing what is due. */
#define BEDS_LUA_PRELUDE BEDS_LUA_FUNCTIONS "prune()\n"

/* Create or update a safehouse.  ARGV: 3 id ("" new), 4 agency id, 5 agency
 * name, 6 doc (JSON of the fixed fields), 7 beds per group (JSON object),
 * 8 actor.  An update by another agency is refused; beds below the held
 * count of a group are refused (holds_pending); vacant is capped at beds. */
static const char beds_lua_safehouse_save[] = BEDS_LUA_PRELUDE
"local id, agency, aname, doc, actor = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[8]\n"
"local beds = cjson.decode(ARGV[7])\n"
"local s\n"
"if id == '' then\n"
"  if redis.call('SCARD', B .. 'safehouses') >= 500 then return fail('too_many_safehouses') end\n"
"  id = tostring(redis.call('INCR', B .. 'seq:safehouse'))\n"
"  s = {}\n"
"else\n"
"  s = house_get(id)\n"
"  if not s then return fail('not_found') end\n"
"  if s.agency ~= agency then return fail('forbidden') end\n"
"end\n"
"for _, g in ipairs(GROUPS) do\n"
"  local n = tonumber(beds[g] or 0)\n"
"  local h = held(id, g)\n"
"  if n < h then return fail('holds_pending', {group = g, held = h}) end\n"
"end\n"
"local k = B .. 'sh:' .. id\n"
"redis.call('HSET', k, 'agency', agency, 'agency_name', aname, 'doc', doc)\n"
"for _, g in ipairs(GROUPS) do\n"
"  local n = tonumber(beds[g] or 0)\n"
"  if n > 0 then\n"
"    local v = tonumber(s['vacant:' .. g] or 0)\n"
"    if v > n then v = n end\n"
"    if not s['beds:' .. g] then\n"
"      redis.call('HSET', k, 'at:' .. g, now, 'by:' .. g, actor)\n"
"    end\n"
"    redis.call('HSET', k, 'beds:' .. g, n, 'vacant:' .. g, v)\n"
"  else\n"
"    redis.call('HDEL', k, 'beds:' .. g, 'vacant:' .. g, 'at:' .. g, 'by:' .. g)\n"
"  end\n"
"end\n"
"redis.call('SADD', B .. 'safehouses', id)\n"
"return done({ok = house_view(id, house_get(id))})\n";

/* Set vacancies, or confirm them ("still accurate").  ARGV: 3 id, 4 agency
 * id of the actor, 5 actor, 6 JSON {group: vacant} ("" confirms every
 * group).  Vacant must be within 0..beds and not below the held beds. */
static const char beds_lua_vacancies_set[] = BEDS_LUA_PRELUDE
"local id, agency, actor = ARGV[3], ARGV[4], ARGV[5]\n"
"local s = house_get(id)\n"
"if not s then return fail('not_found') end\n"
"if s.agency ~= agency then return fail('forbidden') end\n"
"local k = B .. 'sh:' .. id\n"
"local changes = {}\n"
"if ARGV[6] == '' then\n"
"  for _, g in ipairs(GROUPS) do\n"
"    if s['beds:' .. g] then redis.call('HSET', k, 'at:' .. g, now, 'by:' .. g, actor) end\n"
"  end\n"
"else\n"
"  local want = cjson.decode(ARGV[6])\n"
"  local fields = {}\n"
"  local bad = false\n"
"  for _, g in ipairs(GROUPS) do\n"
"    if want[g] ~= nil then\n"
"      local n = tonumber(want[g])\n"
"      if not s['beds:' .. g] then\n"
"        fields[g] = 'This safehouse has no beds for this group'\n"
"        bad = true\n"
"      elseif n > tonumber(s['beds:' .. g]) then\n"
"        fields[g] = 'Enter a number of vacant beds between 0 and ' .. s['beds:' .. g]\n"
"        bad = true\n"
"      end\n"
"    end\n"
"  end\n"
"  if bad then return fail('invalid_input', {fields = fields}) end\n"
"  for _, g in ipairs(GROUPS) do\n"
"    if want[g] ~= nil then\n"
"      local h = held(id, g)\n"
"      if tonumber(want[g]) < h then return fail('holds_pending', {group = g, held = h}) end\n"
"    end\n"
"  end\n"
"  for _, g in ipairs(GROUPS) do\n"
"    if want[g] ~= nil then\n"
"      changes[g] = {from = tonumber(s['vacant:' .. g]), to = tonumber(want[g])}\n"
"      redis.call('HSET', k, 'vacant:' .. g, tonumber(want[g]), 'at:' .. g, now, 'by:' .. g, actor)\n"
"    end\n"
"  end\n"
"end\n"
"return done({ok = house_view(id, house_get(id)), changes = changes})\n";

/* Place a hold.  ARGV: 3 safehouse id, 4 group, 5 responder, 6 responder's
 * agency, 7 reference, 8 call-back phone, 9 minutes, 10 seconds per minute,
 * 11 idempotency key ("" none), 12 most pending holds per responder.
 * A key seen before for this responder answers the hold it made. */
static const char beds_lua_hold_place[] = BEDS_LUA_PRELUDE
"local sid, g, who = ARGV[3], ARGV[4], ARGV[5]\n"
"local minutes, unit, ikey, maxp = tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11], tonumber(ARGV[12])\n"
"local ik = B .. 'idem:' .. who .. ':' .. ikey\n"
"if ikey ~= '' then\n"
"  local prev = redis.call('GET', ik)\n"
"  if prev then\n"
"    local h = hold_get(prev)\n"
"    if h then return done({ok = with_house(h), replay = true}) end\n"
"  end\n"
"end\n"
"local s = house_get(sid)\n"
"if not s then return fail('not_found') end\n"
"if not s['beds:' .. g] then\n"
"  return fail('invalid_input', {fields = {group = 'This safehouse has no beds for this group: choose another'}})\n"
"end\n"
"local rp = B .. 'resp:' .. who .. ':pending'\n"
"if redis.call('ZCARD', rp) >= maxp then\n"
"  local first = redis.call('ZRANGE', rp, 0, 0, 'WITHSCORES')\n"
"  return fail('too_many_holds', {retry_after = math.max(1, tonumber(first[2]) - now)})\n"
"end\n"
"local h = held(sid, g)\n"
"if tonumber(s['vacant:' .. g]) - h < 1 then return fail('no_bed_available') end\n"
"local id = tostring(redis.call('INCR', B .. 'seq:hold'))\n"
"local exp = now + minutes * unit\n"
"redis.call('HSET', B .. 'hold:' .. id, 'id', id, 'safehouse', sid, 'agency', s.agency,\n"
"  'group', g, 'status', 'pending', 'responder', who, 'responder_agency', ARGV[6],\n"
"  'reference', ARGV[7], 'callback_phone', ARGV[8], 'minutes', minutes,\n"
"  'created_at', now, 'expires_at', exp, 'extended', '0')\n"
"redis.call('ZADD', B .. 'sh:' .. sid .. ':pending:' .. g, exp, id)\n"
"redis.call('ZADD', rp, exp, id)\n"
"redis.call('ZADD', B .. 'pending', exp, id)\n"
"redis.call('ZADD', B .. 'holds', now, id)\n"
"redis.call('ZADD', B .. 'resp:' .. who .. ':holds', now, id)\n"
"redis.call('ZADD', B .. 'agency:' .. s.agency .. ':holds', now, id)\n"
"if ikey ~= '' then redis.call('SET', ik, id, 'EX', 86400) end\n"
"return done({ok = with_house(hold_get(id)), replay = false})\n";

/* Answer or change a hold.  ARGV: 3 hold id, 4 action (accept, decline,
 * cancel, extend), 5 actor, 6 actor's agency id, 7 reason (decline),
 * 8 seconds to add (extend), 9 most seconds a hold may still run (extend).
 * Accept and decline belong to the owning NGO; cancel and extend (once) to
 * the responder who placed it.  Accepting makes the bed occupied. */
static const char beds_lua_hold_act[] = BEDS_LUA_PRELUDE
"local id, action, actor, agency = ARGV[3], ARGV[4], ARGV[5], ARGV[6]\n"
"local h = hold_get(id)\n"
"if not h then return fail('not_found') end\n"
"if action == 'accept' or action == 'decline' then\n"
"  if h.agency ~= agency then return fail('forbidden') end\n"
"elseif h.responder ~= actor then return fail('forbidden') end\n"
"if h.status ~= 'pending' then return fail('hold_not_pending', {status = h.status}) end\n"
"local k = B .. 'hold:' .. id\n"
"if action == 'accept' then\n"
"  local sk = B .. 'sh:' .. h.safehouse\n"
"  local v = tonumber(redis.call('HGET', sk, 'vacant:' .. h.group) or 0)\n"
"  if v > 0 then redis.call('HSET', sk, 'vacant:' .. h.group, v - 1, 'at:' .. h.group, now, 'by:' .. h.group, actor) end\n"
"  hold_close(id, 'accepted')\n"
"  redis.call('HSET', k, 'answered_by', actor, 'answered_at', now)\n"
"elseif action == 'decline' then\n"
"  hold_close(id, 'declined')\n"
"  redis.call('HSET', k, 'answered_by', actor, 'answered_at', now, 'decline_reason', ARGV[7])\n"
"elseif action == 'cancel' then\n"
"  hold_close(id, 'cancelled')\n"
"elseif action == 'extend' then\n"
"  if h.extended == '1' then return fail('already_extended') end\n"
"  local exp = tonumber(h.expires_at) + tonumber(ARGV[8])\n"
"  if exp - now > tonumber(ARGV[9]) then exp = now + tonumber(ARGV[9]) end\n"
"  redis.call('HSET', k, 'expires_at', exp, 'extended', '1')\n"
"  redis.call('ZADD', B .. 'sh:' .. h.safehouse .. ':pending:' .. h.group, exp, id)\n"
"  redis.call('ZADD', B .. 'resp:' .. h.responder .. ':pending', exp, id)\n"
"  redis.call('ZADD', B .. 'pending', exp, id)\n"
"else return fail('bad_action') end\n"
"return done({ok = with_house(hold_get(id))})\n";

/* Read, after expiring what is due.  ARGV[3] is the mode:
 *   houses AGENCY ("" every house)  -> {ok:[house...]}
 *   house ID                        -> {ok:house} or not_found
 *   holds KIND WHO LIMIT            -> {ok:[hold...]} newest first; KIND all|resp|agency
 *   hold ID                         -> {ok:hold} (with safehouse name doc) or not_found
 *   report FROM TO                  -> {ok:{holds:[[group,status,reason]...], unmet:[member...]}} */
static const char beds_lua_read[] = BEDS_LUA_PRELUDE
"local mode = ARGV[3]\n"
"if mode == 'houses' then\n"
"  local ids = redis.call('SORT', B .. 'safehouses', 'LIMIT', 0, 500)\n"
"  local out = {}\n"
"  for _, id in ipairs(ids) do\n"
"    local s = house_get(id)\n"
"    if s and (ARGV[4] == '' or s.agency == ARGV[4]) then out[#out + 1] = house_view(id, s) end\n"
"  end\n"
"  if #out == 0 then return done({ok = {}, empty = true}) end\n"
"  return done({ok = out})\n"
"elseif mode == 'house' then\n"
"  local s = house_get(ARGV[4])\n"
"  if not s then return fail('not_found') end\n"
"  return done({ok = house_view(ARGV[4], s)})\n"
"elseif mode == 'holds' then\n"
"  local key = B .. 'holds'\n"
"  if ARGV[4] == 'resp' then key = B .. 'resp:' .. ARGV[5] .. ':holds'\n"
"  elseif ARGV[4] == 'agency' then key = B .. 'agency:' .. ARGV[5] .. ':holds' end\n"
"  local ids = redis.call('ZREVRANGE', key, 0, tonumber(ARGV[6]) - 1)\n"
"  local out = {}\n"
"  for _, id in ipairs(ids) do\n"
"    local h = hold_get(id)\n"
"    if h then out[#out + 1] = with_house(h) end\n"
"  end\n"
"  if #out == 0 then return done({ok = {}, empty = true}) end\n"
"  return done({ok = out})\n"
"elseif mode == 'hold' then\n"
"  local h = hold_get(ARGV[4])\n"
"  if not h then return fail('not_found') end\n"
"  return done({ok = with_house(h)})\n"
"elseif mode == 'report' then\n"
"  local ids = redis.call('ZRANGEBYSCORE', B .. 'holds', ARGV[4], ARGV[5], 'LIMIT', 0, 100000)\n"
"  local holds = {}\n"
"  for _, id in ipairs(ids) do\n"
"    local r = redis.call('HMGET', B .. 'hold:' .. id, 'group', 'status', 'decline_reason')\n"
"    holds[#holds + 1] = {r[1] or '', r[2] or '', r[3] or ''}\n"
"  end\n"
"  local unmet = redis.call('ZRANGEBYSCORE', B .. 'unmet', ARGV[4], ARGV[5], 'LIMIT', 0, 100000)\n"
"  return done({ok = {holds = holds, unmet = unmet, nholds = #holds, nunmet = #unmet}})\n"
"end\n"
"return fail('bad_mode')\n";

/* Housekeeping, run by every module instance's master every few seconds
 * (beds_housekeeping), so that holds expire and details are erased on time
 * with no request.  ARGV[3] is the mode:
 *   check P     -> expire and erase what is due; when the aof:rewrite_due
 *                  counter is set and no rewrite was asked for within P
 *                  seconds (SET NX EX of aof:rewrite_guard), claim the
 *                  rewrite: {ok:{due:N, claimed:true|false}} (N = 0: no
 *                  erased value waits for a rewrite)
 *   rewritten N -> an AOF rewrite started after the counter read N: remove
 *                  the counter if it is still N (an erasure since then
 *                  bumped it and needs a rewrite of its own); {ok:{due:M}}
 *   retry S     -> the rewrite was refused: try again in S seconds */
static const char beds_lua_housekeeping[] = BEDS_LUA_PRELUDE
"local due, guard = B .. 'aof:rewrite_due', B .. 'aof:rewrite_guard'\n"
"local mode, arg = ARGV[3], ARGV[4]\n"
"local claimed = false\n"
"if mode == 'check' then\n"
"  if redis.call('EXISTS', due) == 1 then\n"
"    claimed = redis.call('SET', guard, '1', 'NX', 'EX', tonumber(arg)) ~= false\n"
"  end\n"
"elseif mode == 'rewritten' then\n"
"  if redis.call('GET', due) == arg then redis.call('DEL', due) end\n"
"elseif mode == 'retry' then\n"
"  redis.call('SET', guard, '1', 'EX', tonumber(arg))\n"
"else return fail('bad_mode') end\n"
"return done({ok = {due = tonumber(redis.call('GET', due) or '0'), claimed = claimed}})\n";

/* beds_read answers reads; what its prelude writes (holds past their time
 * closed, details due for erasure erased) the next script does again if a
 * failover loses it, so no WAIT follows it (PORTAL_SCRIPT_READ_ONLY).  The
 * same holds for housekeeping: a lost guard or counter change costs at most
 * one more rewrite, and a replica that is down must not stop erasure from
 * reaching the primary's disk. */
const portal_script beds_scripts[BEDS_SCRIPT_COUNT] = {
	[BEDS_SCRIPT_SAFEHOUSE_SAVE] = { "beds_safehouse_save", beds_lua_safehouse_save, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_VACANCIES_SET]  = { "beds_vacancies_set", beds_lua_vacancies_set, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_HOLD_PLACE]     = { "beds_hold_place", beds_lua_hold_place, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_HOLD_ACT]       = { "beds_hold_act", beds_lua_hold_act, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_READ]           = { "beds_read", beds_lua_read, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_HOUSEKEEPING]   = { "beds_housekeeping", beds_lua_housekeeping, PORTAL_SCRIPT_READ_ONLY },
};
