// cases.test.mjs - the cases scripts (modules/cases/lua/) on their own
// against a redis-server: a share and each action append one event with
// the case's codes and never its references or notes, and keep the event's
// id with the case; only the two sides act; retention erases every key of a
// closed case and its events, and makes an AOF rewrite due once; the trends
// intake counts the beds holds once, even when two instances race.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const BASE = 'p:cases:{cases}';
const NOW = 1_900_000_000;
let server, r;

before(async () => { server = await startRedis(); r = await connect(server.socket); });
after(async () => { r.close(); await server.stop(); });
beforeEach(async () => { await r.call('FLUSHALL'); });

async function run(name, args) {
  const argv = Object.entries({ now: NOW, ...args }).flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', scriptSource('cases', name), 1, BASE, ...argv));
}
const share = (extra = {}) => run('share', {
  reference: 'SECRET-REF', shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
  exploitation_types: 'labour,sexual', wants: 'outcome', contact_consent: '1', agency: 'charity-a',
  agency_name: 'Charity A', actor: 'ngo.a', actor_name: 'Amira', quarter: '2026-Q4', ...extra });
const act = (id, action, extra = {}) => run('act', {
  case: id, action, actor: 'police.ne', actor_name: 'Kwame', agency: '', unit: 'north-east', police_reference: '',
  status: '', reason: '', note: '', outcome: '', due_seconds: 28 * 86400, gap_seconds: 7 * 86400, ...extra });

async function events() {
  return (await r.call('XRANGE', `${BASE}:events`, '-', '+')).map(([id, f]) => {
    const o = { id };
    for (let i = 0; i < f.length; i += 2) o[f[i]] = f[i + 1];
    return o;
  });
}

test('share_and_each_action_append_one_event_without_references_or_notes', async () => {
  const s = await share();
  assert.equal(s.status, 'ok');
  const id = JSON.parse(s.fields.case).id;
  assert.equal((await act(id, 'acknowledge', { police_reference: 'POLICE-SECRET' })).status, 'ok');
  assert.equal((await act(id, 'update', { status: 'nrm_referral_made', note: 'A NOTE' })).status, 'ok');
  assert.equal((await act(id, 'update', { unit: '', agency: 'charity-a', note: 'A REPLY' })).status, 'ok');
  const ev = await events();
  assert.deepEqual(ev.map((e) => e.kind), ['case_shared', 'case_acknowledged', 'case_updated', 'case_replied']);
  assert.deepEqual(Object.keys(ev[2]).sort(), ['at', 'borough', 'by', 'case', 'id', 'kind', 'ngo_agency', 'status', 'unit']);
  assert.equal(ev[2].status, 'nrm_referral_made');
  assert.ok(!JSON.stringify(ev).match(/SECRET|A NOTE|A REPLY/));
  assert.deepEqual((await r.call('SMEMBERS', `${BASE}:case:${id}:events`)).sort(), ev.map((e) => e.id).sort());
  assert.equal(await r.call('HGET', `${BASE}:trends:shared`, '2026-Q4|newham|labour'), '1');
});

test('only_the_two_sides_act_and_a_closed_case_takes_nothing_more', async () => {
  const id = JSON.parse((await share()).fields.case).id;
  assert.equal((await act(id, 'acknowledge', { unit: 'east', police_reference: 'X' })).status, 'not_found');
  assert.equal((await act(id, 'acknowledge', { unit: '', agency: 'charity-a', police_reference: 'X' })).status, 'forbidden');
  assert.equal((await act(id, 'update', { status: 'charge' })).status, 'not_acknowledged');
  assert.equal((await act(id, 'close', { outcome: 'done' })).status, 'ok');
  assert.equal((await act(id, 'update', { unit: '', agency: 'charity-a', note: 'x' })).status, 'case_closed');
});

test('retention_erases_every_key_of_a_closed_case_and_its_events_and_makes_a_rewrite_due_once', async () => {
  const keep = JSON.parse((await share()).fields.case).id;
  const id = JSON.parse((await share()).fields.case).id;
  await act(id, 'close', { outcome: 'done' });
  const hk = (now, mode = 'check') => run('housekeeping', { now, mode, retention: 100, period: 3600 });
  let a = await hk(NOW + 50);
  assert.equal(a.fields.erased, '0');
  a = await hk(NOW + 101);
  assert.equal(a.fields.erased, '1');
  assert.equal(a.fields.rewrite, '1');
  assert.deepEqual(await r.call('KEYS', `${BASE}:case:${id}*`), []);
  assert.ok((await events()).every((e) => e.case === keep));
  for (const z of ['all', 'closed', 'ngo:charity-a', 'unit:north-east'])
    assert.equal(await r.call('ZSCORE', `${BASE}:${z}`, id), null);
  assert.ok(await r.call('EXISTS', `${BASE}:case:${keep}`));
  // a second erasure within the period waits for it; a failed rewrite is due again
  a = await hk(NOW + 102);
  assert.equal(a.fields.rewrite, '0');
  await hk(NOW + 103, 'retry');
  assert.equal((await hk(NOW + 104)).fields.rewrite, '1');
});

test('trends_intake_counts_once_and_refuses_a_cursor_another_instance_moved', async () => {
  const counts = JSON.stringify({ '2026-Q4|newham|women': 3 });
  let a = await run('trends_intake', { cursor_was: '', cursor: '5-0', counts });
  assert.equal(a.status, 'ok');
  a = await run('trends_intake', { cursor_was: '', cursor: '5-0', counts });
  assert.equal(a.status, 'moved');
  assert.equal(await r.call('HGET', `${BASE}:trends:holds`, '2026-Q4|newham|women'), '3');
  const t = await run('trends', { quarter: '2026-Q4' });
  assert.deepEqual(JSON.parse(t.fields.holds), { 'newham|women': 3 });
  assert.deepEqual(JSON.parse(t.fields.quarters), ['2026-Q4']);
  // the bed searches with no result, in their own counts
  const unmet = JSON.stringify({ '2026-Q4|newham|men': 2, '2026-Q4|unknown|any': 5 });
  a = await run('trends_intake', { cursor_was: '5-0', cursor: '9-0', counts: '{}', unmet });
  assert.deepEqual([a.status, a.fields.added], ['ok', '7']);
  const u = await run('trends', { quarter: '2026-Q4' });
  assert.deepEqual(JSON.parse(u.fields.unmet), { 'newham|men': 2, 'unknown|any': 5 });
  assert.deepEqual(JSON.parse(u.fields.holds), { 'newham|women': 3 }, 'the holds are as they were');
});
