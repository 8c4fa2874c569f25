/* training_lua.c - the Lua scripts that keep seats, quotas and the waitlist
 * right whatever the concurrency: each runs atomically in Redis.
 *
 * Every script takes the session's keys, all under one hash tag {s:ID}:
 *   KEYS[1] session hash, KEYS[2] bookings hash, KEYS[3] people hash,
 *   KEYS[4] waitlist zset
 * and answers one JSON string: {"err":"code",...} or the result.
 *
 * Seats: capacity = set-aside seats per agency type + general seats.  A
 * person takes a set-aside seat of their own type first, then a general
 * seat; once the session is within the release window (7 days by default)
 * any set-aside seat still free may be taken by anyone.  used:<kind>
 * counts the confirmed bookings holding each kind of seat, so that a
 * cancellation gives back the kind it held.
 *
 * Promotion ("sweep"): while promotion is open (until the cut-off, 24 hours
 * before the start by default), the waitlist is walked in arrival order and
 * everyone who can now be seated is confirmed.  Every script that can free
 * or add a seat (booking, cancellation, edit) sweeps first, so a later
 * booker never takes a seat an earlier waitlisted person could have had.
 */
#include "training.h"

#define TRAINING_LUA_COMMON \
"local S, B, U, W = KEYS[1], KEYS[2], KEYS[3], KEYS[4]\n" \
"local TYPES = {'police','local_authority','health','ngo','other'}\n" \
"local function hgetall(k)\n" \
"  local r = redis.call('HGETALL', k); local t = {}\n" \
"  for i = 1, #r, 2 do t[r[i]] = r[i+1] end\n" \
"  return t\n" \
"end\n" \
"local function n(t, k) return tonumber(t[k] or '0') or 0 end\n" \
"local function setaside(s)\n" \
"  local sum = 0\n" \
"  for _, t in ipairs(TYPES) do sum = sum + n(s, 'seats:' .. t) end\n" \
"  return sum\n" \
"end\n" \
"local function seat_for(s, atype, now, release)\n" \
"  if n(s, 'confirmed') >= n(s, 'capacity') then return nil end\n" \
"  if n(s, 'seats:' .. atype) > n(s, 'used:' .. atype) then return atype end\n" \
"  if n(s, 'capacity') - setaside(s) > n(s, 'used:general') then return 'general' end\n" \
"  if now >= n(s, 'starts_at') - release then\n" \
"    for _, t in ipairs(TYPES) do\n" \
"      if n(s, 'seats:' .. t) > n(s, 'used:' .. t) then return t end\n" \
"    end\n" \
"  end\n" \
"  return nil\n" \
"end\n" \
"local function bump(s, k, d)\n" \
"  s[k] = tostring(n(s, k) + d)\n" \
"  redis.call('HINCRBY', S, k, d)\n" \
"end\n" \
"local function take(s, kind) bump(s, 'used:' .. kind, 1); bump(s, 'confirmed', 1) end\n" \
"local function give_back(s, kind) bump(s, 'used:' .. kind, -1); bump(s, 'confirmed', -1) end\n" \
"local function get_booking(bid)\n" \
"  local j = redis.call('HGET', B, bid)\n" \
"  if not j then return nil end\n" \
"  return cjson.decode(j)\n" \
"end\n" \
"local function put_booking(b) redis.call('HSET', B, b.id, cjson.encode(b)) end\n" \
"local function sweep(s, now, release, cutoff)\n" \
"  local out = {}\n" \
"  if s.status ~= 'scheduled' or now >= n(s, 'starts_at') - cutoff then return out end\n" \
"  if n(s, 'confirmed') >= n(s, 'capacity') then return out end\n" \
"  for _, bid in ipairs(redis.call('ZRANGE', W, 0, -1)) do\n" \
"    if n(s, 'confirmed') >= n(s, 'capacity') then break end\n" \
"    local b = get_booking(bid)\n" \
"    local kind = b and seat_for(s, b.agency_type, now, release)\n" \
"    if kind then\n" \
"      take(s, kind)\n" \
"      b.status = 'confirmed'; b.seat = kind; b.promoted = true; b.notice = 'promoted'\n" \
"      b.confirmed_at = now\n" \
"      put_booking(b)\n" \
"      redis.call('ZREM', W, bid)\n" \
"      out[#out + 1] = b\n" \
"    end\n" \
"  end\n" \
"  return out\n" \
"end\n" \
"local function finish(s)\n" \
"  redis.call('HSET', S, 'waitlist_length', redis.call('ZCARD', W))\n" \
"end\n" \
"local function position(b)\n" \
"  if b.status ~= 'waitlisted' then return 0 end\n" \
"  local r = redis.call('ZRANK', W, b.id)\n" \
"  if r then return r + 1 end\n" \
"  return 0\n" \
"end\n"

/* KEYS: session keys.  ARGV: now, username, name, agency_id, agency_name,
 * agency_type, release_seconds, cutoff_seconds, waitlist_max. */
static const char training_lua_book[] = TRAINING_LUA_COMMON
"local now, release, cutoff = tonumber(ARGV[1]), tonumber(ARGV[7]), tonumber(ARGV[8])\n"
"local s = hgetall(S)\n"
"if not s.id then return cjson.encode({err = 'not_found'}) end\n"
"if s.status ~= 'scheduled' then return cjson.encode({err = 'session_cancelled'}) end\n"
"if now >= n(s, 'starts_at') then return cjson.encode({err = 'session_started'}) end\n"
"if now >= n(s, 'booking_closes_at') then return cjson.encode({err = 'booking_closed'}) end\n"
"local existing = redis.call('HGET', U, ARGV[2])\n"
"if existing then\n"
"  local e = get_booking(existing)\n"
"  e.waitlist_position = position(e)\n"
"  return cjson.encode({err = 'already_booked', booking = e})\n"
"end\n"
"local promoted = sweep(s, now, release, cutoff)\n"
"local seq = redis.call('HINCRBY', S, 'booking_seq', 1)\n"
"local b = {id = s.id .. '-' .. seq, session_id = s.id, username = ARGV[2], name = ARGV[3],\n"
"  agency_id = ARGV[4], agency_name = ARGV[5], agency_type = ARGV[6], booked_at = now,\n"
"  attendance = '', notice = ''}\n"
"local kind = seat_for(s, b.agency_type, now, release)\n"
"if kind then\n"
"  take(s, kind); b.status = 'confirmed'; b.seat = kind; b.confirmed_at = now\n"
"else\n"
"  if redis.call('ZCARD', W) >= tonumber(ARGV[9]) then\n"
"    finish(s)\n"
"    return cjson.encode({err = 'waitlist_full', promoted = promoted})\n"
"  end\n"
"  b.status = 'waitlisted'; b.seat = ''\n"
"  redis.call('ZADD', W, redis.call('HINCRBY', S, 'wait_seq', 1), b.id)\n"
"end\n"
"put_booking(b)\n"
"redis.call('HSET', U, b.username, b.id)\n"
"finish(s)\n"
"b.waitlist_position = position(b)\n"
"return cjson.encode({booking = b, promoted = promoted})\n";

/* KEYS: session keys.  ARGV: now, booking id, actor username, actor may
 * cancel anyone's ('1': coordinator; '2': a trainer, when the session's
 * agency is ARGV[8]; '0': only their own), release, cutoff, reason, actor
 * agency. */
static const char training_lua_cancel[] = TRAINING_LUA_COMMON
"local now, release, cutoff = tonumber(ARGV[1]), tonumber(ARGV[5]), tonumber(ARGV[6])\n"
"local s = hgetall(S)\n"
"local b = s.id and get_booking(ARGV[2])\n"
"if not b then return cjson.encode({err = 'not_found'}) end\n"
"local any = ARGV[4] == '1' or (ARGV[4] == '2' and s.agency_id == ARGV[8])\n"
"if not any and b.username ~= ARGV[3] then return cjson.encode({err = 'forbidden'}) end\n"
"if b.status ~= 'confirmed' and b.status ~= 'waitlisted' then return cjson.encode({err = 'already_cancelled'}) end\n"
"if not any and now >= n(s, 'starts_at') then return cjson.encode({err = 'session_started'}) end\n"
"local was = b.status\n"
"if was == 'confirmed' then give_back(s, b.seat) else redis.call('ZREM', W, b.id) end\n"
"b.status = 'cancelled'; b.cancelled_at = now; b.cancelled_by = ARGV[3]; b.cancel_reason = ARGV[7]\n"
"b.was = was; b.notice = ''\n"
"put_booking(b)\n"
"if redis.call('HGET', U, b.username) == b.id then redis.call('HDEL', U, b.username) end\n"
"local promoted = sweep(s, now, release, cutoff)\n"
"finish(s)\n"
"return cjson.encode({booking = b, promoted = promoted})\n";

/* KEYS: session keys.  ARGV: username ('' for none), with roster (1/0),
 * clear my notice (1/0).  Returns the session, my booking (with position)
 * and, when asked, every booking in booking order. */
static const char training_lua_session_view[] = TRAINING_LUA_COMMON
"local s = hgetall(S)\n"
"if not s.id then return cjson.encode({err = 'not_found'}) end\n"
"local out = {session = s}\n"
"if ARGV[1] ~= '' then\n"
"  local bid = redis.call('HGET', U, ARGV[1])\n"
"  if bid then\n"
"    local b = get_booking(bid)\n"
"    b.waitlist_position = position(b)\n"
"    out.mine = b\n"
"  end\n"
"end\n"
"if ARGV[2] == '1' then\n"
"  local list = {}\n"
"  local all = redis.call('HVALS', B)\n"
"  for i = 1, #all do\n"
"    local b = cjson.decode(all[i])\n"
"    b.waitlist_position = position(b)\n"
"    list[#list + 1] = b\n"
"  end\n"
"  table.sort(list, function(a, c)\n"
"    local x = tonumber(string.match(a.id, '-(%d+)$')); local y = tonumber(string.match(c.id, '-(%d+)$'))\n"
"    return x < y end)\n"
"  out.roster = list\n"
"  out.has_roster = true\n"
"end\n"
"return cjson.encode(out)\n";

/* KEYS: session keys.  ARGV: now, actor.  Cancels the session and every
 * booking still live in it; bumps the calendar sequence. */
static const char training_lua_session_cancel[] = TRAINING_LUA_COMMON
"local now = tonumber(ARGV[1])\n"
"local s = hgetall(S)\n"
"if not s.id then return cjson.encode({err = 'not_found'}) end\n"
"if s.status ~= 'scheduled' then return cjson.encode({err = 'already_cancelled'}) end\n"
"local touched = {}\n"
"for _, bid in ipairs(redis.call('HVALS', U)) do\n"
"  local b = get_booking(bid)\n"
"  if b and (b.status == 'confirmed' or b.status == 'waitlisted') then\n"
"    b.was = b.status; b.status = 'cancelled'; b.cancelled_at = now; b.cancelled_by = ARGV[2]\n"
"    b.cancel_reason = 'session_cancelled'; b.notice = 'session_cancelled'\n"
"    put_booking(b)\n"
"    touched[#touched + 1] = {id = b.id, username = b.username, was = b.was}\n"
"  end\n"
"end\n"
"redis.call('DEL', U, W)\n"
"redis.call('HSET', S, 'status', 'cancelled', 'cancelled_at', now, 'confirmed', 0, 'waitlist_length', 0)\n"
"for _, t in ipairs(TYPES) do redis.call('HSET', S, 'used:' .. t, 0) end\n"
"redis.call('HSET', S, 'used:general', 0)\n"
"redis.call('HINCRBY', S, 'sequence', 1)\n"
"return cjson.encode({bookings = touched, session = hgetall(S)})\n";

/* KEYS: session keys.  ARGV: now, changes (JSON object of session fields
 * as strings: starts_at, ends_at, booking_closes_at, venue, online,
 * join_link, capacity, seats:<type>), release, cutoff.  Re-seats the
 * confirmed bookings under the new numbers (in booking order); refuses
 * when they no longer fit.  Bumps the calendar sequence. */
static const char training_lua_session_update[] = TRAINING_LUA_COMMON
"local now, release, cutoff = tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
"local s = hgetall(S)\n"
"if not s.id then return cjson.encode({err = 'not_found'}) end\n"
"if s.status ~= 'scheduled' then return cjson.encode({err = 'session_cancelled'}) end\n"
"local changes = cjson.decode(ARGV[2])\n"
"local t = {}\n"
"for k, v in pairs(s) do t[k] = v end\n"
"for k, v in pairs(changes) do t[k] = tostring(v) end\n"
"t.confirmed = '0'; t['used:general'] = '0'\n"
"for _, ty in ipairs(TYPES) do t['used:' .. ty] = '0' end\n"
"local confirmed = {}\n"
"for _, j in ipairs(redis.call('HVALS', B)) do\n"
"  local b = cjson.decode(j)\n"
"  if b.status == 'confirmed' then confirmed[#confirmed + 1] = b end\n"
"end\n"
"table.sort(confirmed, function(a, c) return (a.confirmed_at or 0) < (c.confirmed_at or 0) end)\n"
"for _, b in ipairs(confirmed) do\n"
"  local kind = seat_for(t, b.agency_type, now, release)\n"
"  if not kind and n(t, 'confirmed') < n(t, 'capacity') and n(t, 'capacity') - setaside(t) > n(t, 'used:general') then kind = 'general' end\n"
"  if not kind then return cjson.encode({err = 'seats_below_confirmed', confirmed = #confirmed}) end\n"
"  t['used:' .. kind] = tostring(n(t, 'used:' .. kind) + 1); t.confirmed = tostring(n(t, 'confirmed') + 1)\n"
"  if b.seat ~= kind then b.seat = kind; put_booking(b) end\n"
"end\n"
"t.sequence = tostring(n(s, 'sequence') + 1)\n"
"for k, v in pairs(t) do redis.call('HSET', S, k, v) end\n"
"if changes.online == '0' then redis.call('HDEL', S, 'join_link') end\n"
"local promoted = sweep(t, now, release, cutoff)\n"
"finish(t)\n"
"return cjson.encode({session = hgetall(S), promoted = promoted})\n";

/* KEYS: session keys.  ARGV: now, booking id, attendance, window seconds,
 * actor.  Marks attendance of a confirmed booking from the start of the
 * session until `window` after it. */
static const char training_lua_attend[] = TRAINING_LUA_COMMON
"local now = tonumber(ARGV[1])\n"
"local s = hgetall(S)\n"
"local b = s.id and get_booking(ARGV[2])\n"
"if not b then return cjson.encode({err = 'not_found'}) end\n"
"if b.status ~= 'confirmed' then return cjson.encode({err = 'not_confirmed'}) end\n"
"if now < n(s, 'starts_at') then return cjson.encode({err = 'not_started'}) end\n"
"if now > n(s, 'starts_at') + tonumber(ARGV[4]) then return cjson.encode({err = 'attendance_closed'}) end\n"
"b.previous_attendance = b.attendance\n"
"b.attendance = ARGV[3]; b.attendance_marked_at = now; b.attendance_marked_by = ARGV[5]\n"
"put_booking(b)\n"
"return cjson.encode({booking = b})\n";

/* KEYS: session keys.  ARGV: booking id, clear the notice (1/0).  The
 * booking (with its waitlist position) and its session. */
static const char training_lua_booking_view[] = TRAINING_LUA_COMMON
"local s = hgetall(S)\n"
"local b = s.id and get_booking(ARGV[1])\n"
"if not b then return cjson.encode({err = 'not_found'}) end\n"
"local notice = b.notice or ''\n"
"if ARGV[2] == '1' and notice ~= '' then b.notice = ''; put_booking(b) end\n"
"b.notice = notice\n"
"b.waitlist_position = position(b)\n"
"return cjson.encode({booking = b, session = s})\n";

/* session_view only reads (no WAIT after it); booking_view may clear a
 * notice, which the person asked for: a write. */
const portal_script training_scripts[] = {
	[TRAINING_SCRIPT_BOOK]           = { "training_book", training_lua_book, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_CANCEL]         = { "training_cancel", training_lua_cancel, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSION_VIEW]   = { "training_session_view", training_lua_session_view, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_SESSION_CANCEL] = { "training_session_cancel", training_lua_session_cancel, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSION_UPDATE] = { "training_session_update", training_lua_session_update, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_ATTEND]         = { "training_attend", training_lua_attend, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_BOOKING_VIEW]   = { "training_booking_view", training_lua_booking_view, PORTAL_SCRIPT_WRITES },
};
