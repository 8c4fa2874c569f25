// beds-old-data.test.mjs - data written by the beds module before data
// version 2 (issue 19: search cards, fragments and index sets) and 3 (issue
// 16: the due set) still works:
// every key keeps its name and meaning, and the new binary's start
// (--load-demo here; housekeeping's first run when serving) adds what the
// search reads (migrate.c, lua/migrate.lua), once.  The old binary (PORTAL_OLD_BEDS, built from the commit
// before the change) loads its demo data into a Redis of our own, a pending
// hold is written with the keys and fields the old hold_place script wrote;
// the new binary (PORTAL_BIN/portal-beds)
// starts on it (--load-demo: the demo is not loaded twice) and the new
// scripts find every house, the hold, its pending and erase entries, and
// close it.  Skipped without PORTAL_OLD_BEDS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const OLD = process.env.PORTAL_OLD_BEDS;
const NEW = process.env.PORTAL_BIN ? `${process.env.PORTAL_BIN}/portal-beds` : null;
const BASE = 'portal:beds:{beds}';

test('demo_data_and_a_hold_of_the_old_binary_are_served_by_the_new_scripts', { skip: !OLD || !NEW }, async () => {
  const server = await startRedis();
  const r = await connect(server.socket);
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: server.socket };
  const run = async (name, args) => {
    const all = { now: Math.floor(Date.now() / 1000), erase_after: 60, groups: 'women,men,trans_non_binary,',
      warn_before: 900, stale_after: 172800,
      group_labels: 'Women|Men|Trans and non-binary people|', now_iso: '2026-12-05T06:00:00+00:00', now_text: 'now', ...args };
    const a = answer(await r.call('EVAL', scriptSource('beds', name), 1, BASE,
      ...Object.entries(all).flatMap(([k, v]) => [k, String(v)])));
    for (const k of Object.keys(a.fields)) a.fields[k] = JSON.parse(a.fields[k]);
    return a;
  };
  try {
    execFileSync(OLD, ['--load-demo'], { env });
    assert.deepEqual((await r.call('SMEMBERS', `${BASE}:safehouses`)).sort(), ['1', '2', '3']);
    // a pending hold: the keys and fields the old hold_place script wrote
    const now = Math.floor(Date.now() / 1000);
    await r.call('HSET', `${BASE}:hold:1`, 'id', '1', 'safehouse', '1', 'agency', 'demo-charity-a', 'group', 'women',
      'status', 'pending', 'responder', 'responder.police', 'responder_agency', 'police', 'reference', 'R1',
      'callback_phone', '020 7946 0000', 'minutes', '90', 'created_at', now, 'expires_at', now + 5400, 'extended', '0');
    for (const k of ['sh:1:pending:women', 'resp:responder.police:pending', 'pending']) await r.call('ZADD', `${BASE}:${k}`, now + 5400, '1');
    for (const k of ['holds', 'resp:responder.police:holds', 'agency:demo-charity-a:holds']) await r.call('ZADD', `${BASE}:${k}`, now, '1');
    await r.call('SET', `${BASE}:seq:hold`, '1');
    const before = (await r.call('KEYS', '*')).sort();
    execFileSync(NEW, ['--load-demo'], { env, stdio: 'ignore' });
    const after = (await r.call('KEYS', '*')).sort();
    // nothing moved, the demo not loaded twice; the version, index sets and due set added
    assert.deepEqual(after.filter((k) => before.includes(k)), before);
    assert.deepEqual(after.filter((k) => !before.includes(k) && !k.startsWith(`${BASE}:ix:`)),
      [`${BASE}:data-version`, `${BASE}:due`]);
    assert.equal(await r.call('GET', `${BASE}:data-version`), '3');
    assert.equal(await r.call('ZSCORE', `${BASE}:due`, 'hold_expire:1'), String(now + 5400));
    assert.equal(await r.call('ZSCORE', `${BASE}:due`, 'hold_warn:1'), String(now + 5400 - 900));
    for (const id of ['1', '2', '3']) assert.ok(await r.call('ZSCORE', `${BASE}:due`, `stale:${id}`), `house ${id} can go stale`);
    const found = (await run('search', { group: 'women', person: '', language: '', needs: '', near: '',
      fresh_seconds: 43200, stale_seconds: 172800, freshness_labels: 'Up to date|Ageing|Out of date', from: 0, count: 100 })).fields.search.results;
    assert.ok(found.length >= 1, 'the old houses are found by the new search');
    assert.ok(found.every((x) => x.safehouse.name && x.updated_at_text && x.group_label === 'Women'));
    const held = found.find((x) => x.safehouse.id === 1);
    if (held) assert.equal(held.available, 2);  // 3 vacant, 1 held by the old hold
    const snap = [await r.call('HGETALL', `${BASE}:sh:1`), await r.call('ZRANGE', `${BASE}:due`, 0, -1, 'WITHSCORES')];
    execFileSync(NEW, ['--load-demo'], { env, stdio: 'ignore' });
    // the second start changes nothing
    assert.deepEqual([await r.call('HGETALL', `${BASE}:sh:1`), await r.call('ZRANGE', `${BASE}:due`, 0, -1, 'WITHSCORES')], snap);
    const houses = (await run('houses', { agency: '', from: 0, count: 0 })).fields.houses;
    assert.deepEqual(houses.map((h) => h.id), [1, 2, 3]);
    assert.equal(houses[0].groups.women.vacant, 3);
    assert.equal(houses[0].groups.women.held, 1);
    assert.equal(JSON.parse(houses[0].doc).name, 'Harbour House');
    const mine = (await run('holds', { kind: 'resp', who: 'responder.police', from: 0, count: 10 })).fields.holds;
    assert.deepEqual(mine.map((h) => h.id), ['1']);
    const a = await run('hold_act', { hold: '1', action: 'accept', actor: 'ngo.a', agency: 'demo-charity-a',
      reason: '', add_seconds: 0, max_seconds: 0 });
    assert.equal(a.status, 'ok');
    assert.equal(await r.call('HGET', `${BASE}:sh:1`, 'vacant:women'), '2');
    assert.equal(await r.call('ZCARD', `${BASE}:pending`), 0);
    assert.ok(await r.call('ZSCORE', `${BASE}:erase`, '1'));
    // the next id continues the old counter
    const h = await run('hold_place', { safehouse: '3', group: 'women', responder: 'x', responder_agency: 'p',
      responder_name: 'X Y', responder_agency_name: 'P', responder_agency_type: 'police', responder_unit: '', reference: 'R', callback_phone: '020 7946 0000', minutes: 1, minute_seconds: 60, idempotency_key: '', max_pending: 3 });
    assert.equal(h.fields.hold.id, '2');
  } finally {
    r.close();
    await server.stop();
  }
});
