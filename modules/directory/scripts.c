/* scripts.c - the directory's Lua scripts (run atomically in Redis).
 *
 * Every key shares the hash tag {dir}, so the scripts also run on a Redis
 * Cluster.  ARGV[1] is always the key base "<prefix>dir:{dir}:"; the keys
 * under it (see dirstore.h) are derived in the script because an apply
 * touches index keys that only the stored entries name.
 *
 * The arguments travel as ONE string, joined with the unit separator 0x1f
 * (which compact JSON, validated text and index words never hold), because
 * portal_store_eval() takes at most 61 arguments and an import or a
 * generated batch needs thousands.  DIRECTORY_UNPACK splits it again.
 */
#include "store.h"
#include "dirstore.h"

#define DIRECTORY_UNPACK \
	"local function directory_unpack(s)\n" \
	"  local t = {}\n" \
	"  for part in string.gmatch(s .. '\\31', '(.-)\\31') do t[#t+1] = part end\n" \
	"  return t\n" \
	"end\n" \
	"local ARGV = directory_unpack(ARGV[1])\n"

const portal_script directory_scripts[DIRECTORY_SCRIPT_COUNT] = {
	[DIRECTORY_SCRIPT_APPLY] = { "directory_apply",
	/* ARGV: base, change_id, change_json, change_status, expect_pending,
	 *       norgs, nsvcs, then norgs x (id, json, name),
	 *       then nsvcs x (id, json, facets, index, namescore, verified time, updated time).
	 * Checks first, writes after: returns {err} without writing anything
	 * when the change is not pending. */
	DIRECTORY_UNPACK
	"local b = ARGV[1]\n"
	"local cid, cjson, cstatus = ARGV[2], ARGV[3], ARGV[4]\n"
	"local norgs, nsvcs = tonumber(ARGV[6]), tonumber(ARGV[7])\n"
	"if cid ~= '' and ARGV[5] == '1' then\n"
	"  local st = redis.call('HGET', b .. 'chgst', cid)\n"
	"  if not st then return redis.error_reply('no_change') end\n"
	"  if st ~= 'pending' then return redis.error_reply('not_pending ' .. st) end\n"
	"end\n"
	"local i = 8\n"
	"for n = 1, norgs do\n"
	"  redis.call('HSET', b .. 'org', ARGV[i], ARGV[i+1])\n"
	"  redis.call('HSET', b .. 'orgname', ARGV[i], ARGV[i+2])\n"
	"  i = i + 3\n"
	"end\n"
	"for n = 1, nsvcs do\n"
	"  local id = ARGV[i]\n"
	"  local old = redis.call('HGET', b .. 'ix', id)\n"
	"  if old then\n"
	"    for tok in string.gmatch(old, '%S+') do\n"
	"      local k, s = string.match(tok, '^(.-)=(%d+)$')\n"
	"      if k then redis.call('ZREM', b .. k, id) else redis.call('SREM', b .. tok, id) end\n"
	"    end\n"
	"  end\n"
	"  for tok in string.gmatch(ARGV[i+3], '%S+') do\n"
	"    local k, s = string.match(tok, '^(.-)=(%d+)$')\n"
	"    if k then redis.call('ZADD', b .. k, s, id) else redis.call('SADD', b .. tok, id) end\n"
	"  end\n"
	"  redis.call('HSET', b .. 'svc', id, ARGV[i+1])\n"
	"  redis.call('HSET', b .. 'fac', id, ARGV[i+2])\n"
	"  redis.call('HSET', b .. 'ix', id, ARGV[i+3])\n"
	"  redis.call('ZADD', b .. 'byname', ARGV[i+4], id)\n"
	"  redis.call('ZADD', b .. 'verified', ARGV[i+5], id)\n"
	"  redis.call('ZADD', b .. 'modified', ARGV[i+6], id)\n"
	"  i = i + 7\n"
	"end\n"
	"if cid ~= '' then\n"
	"  redis.call('HSET', b .. 'chg', cid, cjson)\n"
	"  redis.call('HSET', b .. 'chgst', cid, cstatus)\n"
	"  if cstatus == 'pending' then\n"
	"    redis.call('ZADD', b .. 'chg:pending', redis.call('TIME')[1], cid)\n"
	"  else\n"
	"    redis.call('ZREM', b .. 'chg:pending', cid)\n"
	"  end\n"
	"end\n"
	"return norgs + nsvcs\n", PORTAL_SCRIPT_WRITES },

	[DIRECTORY_SCRIPT_SEARCH] = { "directory_search",
	/* ARGV: base, tmp (unique per request), sort ("name"|"relevance"),
	 *       offset, count, ngroups, nwords, open_slot ("" or "o:d:s"),
	 *       modified_after (Unix time or ""),
	 *       then per group: n followed by n key suffixes, then the words.
	 * Intersects in Redis (ZINTERSTORE of byname, OR-groups unioned into
	 * temporary sets, word sorted sets), counts facets over the result,
	 * and returns {total, {ids}, {service json}, {org names}, {facet, count, ...}}.
	 * The temporary keys are deleted before it returns. */
	DIRECTORY_UNPACK
	"local b, tmp = ARGV[1], ARGV[1] .. 'tmp:' .. ARGV[2]\n"
	"local sort, off, cnt = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])\n"
	"local ng, nw = tonumber(ARGV[6]), tonumber(ARGV[7])\n"
	"local keys, weights, temps = {b .. 'byname'}, {sort == 'name' and 1 or 0}, {}\n"
	"local i = 10\n"
	"for g = 1, ng do\n"
	"  local n = tonumber(ARGV[i]); i = i + 1\n"
	"  if n == 1 then\n"
	"    keys[#keys+1] = b .. ARGV[i]\n"
	"  else\n"
	"    local members = {}\n"
	"    for m = 1, n do members[m] = b .. ARGV[i+m-1] end\n"
	"    local t = tmp .. ':g' .. g\n"
	"    redis.call('SUNIONSTORE', t, unpack(members))\n"
	"    temps[#temps+1] = t\n"
	"    keys[#keys+1] = t\n"
	"  end\n"
	"  weights[#weights+1] = 0\n"
	"  i = i + n\n"
	"end\n"
	"for w = 1, nw do\n"
	"  keys[#keys+1] = b .. 'w:' .. ARGV[i]; i = i + 1\n"
	"  weights[#weights+1] = sort == 'name' and 0 or 1\n"
	"end\n"
	"if ARGV[8] ~= '' then keys[#keys+1] = b .. ARGV[8]; weights[#weights+1] = 0 end\n"
	"if ARGV[9] ~= '' then\n"
	"  local t = tmp .. ':m'\n"
	"  redis.call('ZRANGESTORE', t, b .. 'modified', '(' .. ARGV[9], '+inf', 'BYSCORE')\n"
	"  temps[#temps+1] = t; keys[#keys+1] = t; weights[#weights+1] = 0\n"
	"end\n"
	"local args = {'ZINTERSTORE', tmp, #keys}\n"
	"for k = 1, #keys do args[#args+1] = keys[k] end\n"
	"args[#args+1] = 'WEIGHTS'\n"
	"for k = 1, #weights do args[#args+1] = weights[k] end\n"
	"local total = redis.call(unpack(args))\n"
	"local ids\n"
	"if sort == 'name' then ids = redis.call('ZRANGE', tmp, off, off + cnt - 1)\n"
	"else ids = redis.call('ZREVRANGE', tmp, off, off + cnt - 1) end\n"
	"local counts, order = {}, {}\n"
	"local cursor = 0\n"
	"while cursor < total do\n"
	"  local batch = redis.call('ZRANGE', tmp, cursor, cursor + 499)\n"
	"  if #batch == 0 then break end\n"
	"  local facs = redis.call('HMGET', b .. 'fac', unpack(batch))\n"
	"  for _, f in ipairs(facs) do\n"
	"    if f then\n"
	"      for v in string.gmatch(f, '%S+') do\n"
	"        if counts[v] then counts[v] = counts[v] + 1 else counts[v] = 1; order[#order+1] = v end\n"
	"      end\n"
	"    end\n"
	"  end\n"
	"  cursor = cursor + 500\n"
	"end\n"
	"temps[#temps+1] = tmp\n"
	"redis.call('DEL', unpack(temps))\n"
	"local flat = {}\n"
	"for _, v in ipairs(order) do flat[#flat+1] = v; flat[#flat+1] = counts[v] end\n"
	"local svcs, names = {}, {}\n"
	"if #ids > 0 then\n"
	"  svcs = redis.call('HMGET', b .. 'svc', unpack(ids))\n"
	"  for k, s in ipairs(svcs) do\n"
	"    local oid = s and string.match(s, '\"organisation\":{\"id\":\"([%x%-]+)\"')\n"
	"    names[k] = (oid and redis.call('HGET', b .. 'orgname', oid)) or ''\n"
	"    if not s then svcs[k] = '' end\n"
	"  end\n"
	"end\n"
	"return {total, ids, svcs, names, flat}\n",
	/* its temporary keys are gone when it returns: a read, no WAIT */
	PORTAL_SCRIPT_READ_ONLY },

	[DIRECTORY_SCRIPT_PUT] = { "directory_put",
	/* ARGV: base, hash, zset ("" for none), id, json: one record, listed
	 * by time in zset. */
	DIRECTORY_UNPACK
	"redis.call('HSET', ARGV[1] .. ARGV[2], ARGV[4], ARGV[5])\n"
	"if ARGV[3] ~= '' then redis.call('ZADD', ARGV[1] .. ARGV[3], redis.call('TIME')[1], ARGV[4]) end\n"
	"return 1\n", PORTAL_SCRIPT_WRITES },
};
