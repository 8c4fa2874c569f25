// due-old-data.test.mjs - data written before the due sets (beds and
// directory data version 2, the binaries of a1bce08: PORTAL_OLD_BEDS_V2,
// PORTAL_OLD_DIRECTORY_V2 from tests/lua/old-builds.sh) gets them at the new
// binary's start (version 3): a hold the old hold_place script placed (run
// from the old tree, as that build embedded it) gets its warning and expiry
// and the settings the clock's due.lua reads, every house its stale time,
// every service its service_unverified time; the new due.lua then expires
// the old hold (the bed free again) and tells of the unverified services.
// Skipped without the old binaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const OLD_BEDS = process.env.PORTAL_OLD_BEDS_V2;
const OLD_DIR = process.env.PORTAL_OLD_DIRECTORY_V2;
const BIN = process.env.PORTAL_BIN;

// The old tree's script `name` of `module`, as the old build embedded it.
function oldSource(oldBinary, module, name) {
  const tree = dirname(dirname(oldBinary));
  const lua = join(tree, 'modules', module, 'lua');
  return execFileSync(join(tree, 'build', 'portal-embed'),
    ['--lua-source', join(tree, 'common/lua/lib.lua'), join(lua, 'lib.lua'), join(lua, `${name}.lua`)]).toString();
}

const argv = (o) => Object.entries(o).flatMap(([k, v]) => [k, String(v)]);

async function withRedis(fn) {
  const server = await startRedis();
  const r = await connect(server.socket);
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: server.socket };
  try { await fn(r, env); } finally { r.close(); await server.stop(); }
}

test('a_hold_and_houses_of_data_version_2_get_the_due_set_and_the_clock_expires_the_hold', { skip: !OLD_BEDS || !BIN }, async () => {
  await withRedis(async (r, env) => {
    const BASE = 'portal:beds:{beds}';
    execFileSync(OLD_BEDS, ['--load-demo'], { env, stdio: 'ignore' });
    assert.equal(await r.call('GET', `${BASE}:data-version`), '2');
    const now = Math.floor(Date.now() / 1000);
    const placed = answer(await r.call('EVAL', oldSource(OLD_BEDS, 'beds', 'hold_place'), 1, BASE, ...argv({
      now, erase_after: 600, groups: 'women,men,trans_non_binary,', safehouse: '1', group: 'women',
      responder: 'responder.police', responder_agency: 'police', responder_name: 'Sam', responder_agency_name: 'Met',
      reference: 'R1', callback_phone: '020 7946 0000', minutes: 90, minute_seconds: 60, idempotency_key: '', max_pending: 3 })));
    assert.equal(placed.status, 'ok');
    const id = String(JSON.parse(placed.fields.hold).id);
    assert.equal(await r.call('EXISTS', `${BASE}:due`), 0, 'version 2 had no due set');
    const held = Number(await r.call('ZCARD', `${BASE}:sh:1:pending:women`));

    execFileSync(`${BIN}/portal-beds`, ['--load-demo'], { env, stdio: 'ignore' });
    assert.equal(await r.call('GET', `${BASE}:data-version`), '3');
    const exp = Number(await r.call('HGET', `${BASE}:hold:${id}`, 'expires_at'));
    assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_expire:${id}`), String(exp));
    assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_warn:${id}`), String(exp - 900));
    assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'erase_after'), String(30 * 86400), 'the module\'s setting');
    for (const h of await r.call('SMEMBERS', `${BASE}:safehouses`)) {
      assert.ok(Number(await r.call('ZSCORE', `${BASE}:due`, `stale:${h}`)) > 0, `house ${h}`);
    }
    // the clock's call: now and limit only
    const due = answer(await r.call('EVAL', scriptSource('beds', 'due'), 1, BASE, ...argv({ now: exp, limit: 100 })));
    assert.equal(due.status, 'ok');
    assert.equal(due.fields.expired, `["${id}"]`);
    assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'status'), 'expired');
    assert.equal(Number(await r.call('ZCARD', `${BASE}:sh:1:pending:women`)), held - 1, 'the bed is free again');
    const kinds = (await r.call('XRANGE', `${BASE}:events`, '-', '+')).map(([, f]) => f[1]);
    assert.ok(kinds.includes('hold_expired'), kinds.join(' '));
  });
});

test('services_of_data_version_2_get_their_unverified_time', { skip: !OLD_DIR || !BIN }, async () => {
  await withRedis(async (r, env) => {
    const BASE = 'portal:dir:{dir}';
    execFileSync(OLD_DIR, ['--load-demo'], { env, stdio: 'ignore' });
    assert.equal(await r.call('GET', `${BASE}:dv`), '2');
    assert.equal(await r.call('EXISTS', `${BASE}:due`), 0);
    execFileSync(`${BIN}/portal-directory`, ['--load-demo'], { env, stdio: 'ignore' });
    assert.equal(await r.call('GET', `${BASE}:dv`), '3');
    const ids = await r.call('ZRANGE', `${BASE}:verified`, 0, -1, 'WITHSCORES');
    assert.ok(ids.length > 10);
    for (let i = 0; i < ids.length; i += 2) {
      assert.equal(await r.call('ZSCORE', `${BASE}:due`, `unverified:${ids[i]}`), String(Number(ids[i + 1]) + 15811200));
    }
    // far in the future every service is due: the clock tells of each once
    const later = Number(ids[ids.length - 1]) + 15811200;
    const a = await r.call('EVAL', scriptSource('directory', 'due'), 1, BASE, ...argv({ now: later, limit: 1000 }));
    assert.deepEqual(a, ['ok', 'done', String(ids.length / 2), 'left', '0']);
    const told = (await r.call('XRANGE', `${BASE}:events`, '-', '+')).filter(([, f]) => f[1] === 'service_unverified');
    assert.equal(told.length, ids.length / 2);
  });
});
