// directory-due.test.mjs - the directory's events (issue 16): apply.lua's
// change_proposed / change_approved / change_rejected, put.lua's
// suggestion_made, and lua/due.lua's service_unverified (6 months after a
// service's verification, then monthly, never twice for one month; a
// verification moves it).  Time is the `now` argument: nothing sleeps.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { redisPerFile, scriptSource } from './lib/redis.mjs';

const BASE = 'p:dir:{dir}';
const NOW = 1_800_000_000;
const SIX = 15_811_200;  // DIRECTORY_VERIFY_DUE_SECONDS: 183 days
const MONTH = 30 * 86400;
const ORG = '11111111-1111-4111-8111-111111111111';
const src = {};

const redis = redisPerFile({ before, after, beforeEach });
const r = { call: (...a) => redis.r.call(...a) };

async function run(name, args) {
  src[name] ??= scriptSource('directory', name);
  const argv = Object.entries(args).flatMap(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  return r.call('EVAL', src[name], 1, BASE, ...argv);
}

function apply(args, now = NOW) {
  return run('apply', { change_id: '', change: '', change_status: '', expect_pending: '0', now: String(now),
    data_version: '', unverified_after: String(SIX), organisations: [], services: [], ...args });
}

const service = (id, verified) => [id, JSON.stringify({ id, name: `Service ${id}`, organisation: { id: ORG } }),
  '', '', '1', String(verified), String(verified)];
const org = () => [ORG, JSON.stringify({ id: ORG, name: 'Org', agency_id: 'ag-a' }), 'Org'];
const due = (now, limit = 100) => run('due', { now: String(now), limit: String(limit) });

async function events() {
  const raw = await r.call('XRANGE', `${BASE}:events`, '-', '+');
  return raw.map(([, f]) => Object.fromEntries(f.flatMap((v, i) => (i % 2 ? [] : [[v, f[i + 1]]]))));
}

function change(status, extra = {}) {
  return { id: 'c1', status, kind: 'service', proposed_by: 'ngo.a', proposed_by_name: 'Ana Lee', agency_id: 'ag-a',
    service_id: 's1', organisation_id: ORG, proposed: { name: 'Harbour Advice', phone: '020 7946 0000' },
    current: null, created_at: 'x', ...extra };
}

test('proposing_approving_and_rejecting_a_change_append_their_events', async () => {
  await apply({ change_id: 'c1', change: change('pending'), change_status: 'pending' });
  await apply({ change_id: 'c1', change: change('approved', { decided_by: 'coord.b' }), change_status: 'approved',
    expect_pending: '1' });
  await apply({ change_id: 'c2', change: change('pending', { id: 'c2' }), change_status: 'pending' });
  await apply({ change_id: 'c2', change: change('rejected', { id: 'c2', decided_by: 'coord.b', reason: 'Not ours' }),
    change_status: 'rejected', expect_pending: '1' });
  const es = await events();
  assert.deepEqual(es.map(({ kind, change: c, service: s, service_name, agency, proposer, by, reason }) =>
    [kind, c, s, service_name, agency, proposer, by, reason]), [
    ['change_proposed', 'c1', 's1', 'Harbour Advice', 'ag-a', 'ngo.a', 'ngo.a', undefined],
    ['change_approved', 'c1', 's1', 'Harbour Advice', 'ag-a', 'ngo.a', 'coord.b', undefined],
    ['change_proposed', 'c2', 's1', 'Harbour Advice', 'ag-a', 'ngo.a', 'ngo.a', undefined],
    ['change_rejected', 'c2', 's1', 'Harbour Advice', 'ag-a', 'ngo.a', 'coord.b', 'Not ours']]);
  for (const e of es) assert.ok(!/Ana Lee|7946/.test(JSON.stringify(e)), 'people by uid, no phone');
});

test('a_refused_decision_and_an_apply_without_a_change_append_nothing', async () => {
  await apply({ organisations: [org()], services: [service('s1', NOW)] });
  assert.deepEqual(await apply({ change_id: 'c9', change: change('approved', { id: 'c9' }), change_status: 'approved',
    expect_pending: '1' }), ['no_change']);
  assert.deepEqual(await events(), []);
});

test('a_new_suggestion_appends_suggestion_made_and_closing_it_nothing', async () => {
  const sug = { id: 'g1', service_id: 's1', service_name: 'Harbour Advice', agency_id: null, suggested_by: 'resp.c',
    suggested_by_name: 'Sam', status: 'open', text: 'Phone 020 7946 0000 is wrong' };
  await run('put', { hash: 'sug', list: 'sug:list', id: 'g1', value: sug, now: '1' });
  await run('put', { hash: 'sug', list: '', id: 'g1', value: { ...sug, status: 'closed' }, now: '2' });
  const es = await events();
  assert.deepEqual(es.map(({ at, ...e }) => e), [{ kind: 'suggestion_made', suggestion: 'g1', service: 's1',
    service_name: 'Harbour Advice', by: 'resp.c' }], 'no agency field where the service has none');
});

test('a_service_unverified_for_six_months_is_told_once_a_month', async () => {
  await apply({ organisations: [org()], services: [service('s1', NOW)] });
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, 'unverified:s1'), String(NOW + SIX));
  assert.deepEqual(await due(NOW + SIX - 1), ['ok', 'done', '0', 'left', '0']);
  assert.deepEqual(await due(NOW + SIX), ['ok', 'done', '1', 'left', '0']);
  await due(NOW + SIX + 86400);
  let es = await events();
  assert.deepEqual(es.map(({ at, ...e }) => e), [{ kind: 'service_unverified', service: 's1', service_name: 'Service s1',
    agency: 'ag-a', verified_at: String(NOW) }]);
  // saved again without a new verification: still not told twice this month
  await apply({ services: [service('s1', NOW)] }, NOW + SIX + 2 * 86400);
  await due(NOW + SIX + 3 * 86400);
  assert.equal((await events()).length, 1);
  await due(NOW + SIX + MONTH);
  es = await events();
  assert.equal(es.length, 2);
});

test('a_service_with_no_agency_of_its_own_is_told_to_nobody_and_falls_due_next_month', async () => {
  await apply({ services: [service('s9', NOW)] });   // its organisation is not stored: no agency
  assert.deepEqual(await due(NOW + SIX), ['ok', 'done', '1', 'left', '0']);
  assert.deepEqual(await events(), [], 'no event portal-notify could not address (it would dead-letter it)');
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, 'unverified:s9'), String(NOW + SIX + MONTH));
});

test('a_verification_moves_the_time_and_a_service_gone_falls_due_no_more', async () => {
  await apply({ organisations: [org()], services: [service('s1', NOW), service('s2', NOW)] });
  await apply({ services: [service('s1', NOW + 1000)] }, NOW + 1000);
  await r.call('HDEL', `${BASE}:svc`, 's2');
  await due(NOW + SIX);
  assert.deepEqual(await events(), []);
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, 'unverified:s2'), null, 'a service gone leaves the set');
  await due(NOW + SIX + 1000);
  assert.deepEqual((await events()).map((e) => e.service), ['s1']);
});

test('a_call_does_at_most_limit_items', async () => {
  await apply({ organisations: [org()], services: [service('s1', NOW), service('s2', NOW), service('s3', NOW)] });
  assert.deepEqual(await due(NOW + SIX, 2), ['ok', 'done', '2', 'left', '1']);
  assert.deepEqual(await due(NOW + SIX, 2), ['ok', 'done', '1', 'left', '0']);
  assert.equal((await events()).length, 3);
});
