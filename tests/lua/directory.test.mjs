// directory.test.mjs - each script of modules/directory/lua/ on its own,
// against a redis-server started here: every error code and branch.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, connect, scriptSource } from './lib/redis.mjs';

const BASE = 'p:dir:{dir}';
let server, r;
const src = {};

before(async () => {
  server = await startRedis();
  r = await connect(server.socket);
});
after(async () => { r.close(); await server.stop(); });
beforeEach(async () => { await r.call('FLUSHALL'); });

// Run script `name` with ARGV pairs from `args`; returns the raw answer.
async function run(name, args) {
  src[name] ??= scriptSource('directory', name);
  const argv = Object.entries(args).flatMap(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  return r.call('EVAL', src[name], 1, BASE, ...argv);
}

// The pairs of an answer after its status, in order.
const pairs = (a) => { const out = []; for (let i = 1; i + 1 < a.length; i += 2) out.push([a[i], a[i + 1]]); return out; };
const key = (suffix) => `${BASE}:${suffix}`;
const ORG = '11111111-1111-4111-8111-111111111111';

// A service row as store.c sends it.
function service(id, { name = 'Safe House', facets = 'language:sq borough:newham', index = 'f:language:sq f:borough:newham w:safe=3',
  score = 100, verified = 1_700_000_000, modified = 1_700_000_000 } = {}) {
  const json = JSON.stringify({ id, name, organisation: { id: ORG } });
  return [id, json, facets, index, String(score), String(verified), String(modified)];
}

function apply(args) {
  return run('apply', { change_id: '', change: '', change_status: '', expect_pending: '0', now: '1700000000', data_version: '',
    unverified_after: '15811200', organisations: [], services: [], ...args });
}

const FACETS = 'service_type exploitation client_group language community borough referrer';
function search(args) {
  return run('search', { tmp: 't1', sort: 'name', offset: '0', count: '10', groups: [], words: [], open: '',
    modified_after: '', communities: [], facets: FACETS, now: '1700000000', due: '1000', ...args });
}

// A search's answer read: total, the facets (JSON text), cached, and each
// "service" (JSON text) followed by its "due" flag.
async function found(args) {
  const a = await search(args);
  assert.equal(a[0], 'ok', String(a));
  const p = pairs(a);
  assert.deepEqual(p.slice(0, 3).map(([n]) => n), ['total', 'facets', 'cached']);
  const items = [];
  for (let i = 3; i < p.length; i += 2) {
    assert.deepEqual([p[i][0], p[i + 1][0]], ['service', 'due']);
    assert.ok(['0', '1'].includes(p[i + 1][1]));
    items.push({ ...JSON.parse(p[i][1]), verification_due: p[i + 1][1] === '1' });
  }
  return { total: Number(p[0][1]), facets: JSON.parse(p[1][1]), cached: p[2][1], items };
}
const ids = (f) => f.items.map((s) => s.id);

async function snapshot() {
  const out = {};
  for (const k of (await r.call('KEYS', '*')).sort()) out[k] = await r.call('DUMP', k);
  return out;
}

test('every_key_lives_under_the_dir_hash_tag', async () => {
  await apply({ organisations: [[ORG, '{"id":"x"}', 'Org']], services: [service('s1')],
    change_id: 'c1', change: '{}', change_status: 'pending' });
  await run('put', { hash: 'pw', list: 'pw:list', id: 'p1', value: '{}', now: '1' });
  await search({ groups: [['f:language:sq', 'f:borough:newham']], words: ['safe'], modified_after: '1' });
  for (const k of await r.call('KEYS', '*')) assert.ok(k.startsWith(`${BASE}:`), k);
});

test('a_missing_argument_is_a_script_error_naming_it', async () => {
  src.put ??= scriptSource('directory', 'put');
  await assert.rejects(r.call('EVAL', src.put, 1, BASE, 'hash', 'pw'), /argument list is missing/);
});

test('apply_writes_organisations_services_and_every_index_entry', async () => {
  const a = await apply({ organisations: [[ORG, '{"id":"o"}', 'Org']], services: [service('s1'), service('s2')] });
  assert.deepEqual(a, ['ok', 'organisations', '1', 'services', '2']);
  assert.equal(await r.call('HGET', key('orgname'), ORG), 'Org');
  assert.deepEqual((await r.call('SMEMBERS', key('f:language:sq'))).sort(), ['s1', 's2']);
  assert.equal(await r.call('ZSCORE', key('w:safe'), 's1'), '3');
  assert.equal(await r.call('ZSCORE', key('byname'), 's1'), '100');
  assert.equal(await r.call('HGET', key('fac'), 's1'), 'language:sq borough:newham');
});

test('apply_again_removes_the_index_entries_a_service_left', async () => {
  await apply({ services: [service('s1')] });
  await apply({ services: [service('s1', { facets: 'language:pl', index: 'f:language:pl w:help=1' })] });
  assert.deepEqual(await r.call('SMEMBERS', key('f:language:sq')), []);
  assert.equal(await r.call('ZSCORE', key('w:safe'), 's1'), null);
  assert.deepEqual(await r.call('SMEMBERS', key('f:language:pl')), ['s1']);
  assert.equal(await r.call('ZSCORE', key('w:help'), 's1'), '1');
});

test('apply_keeps_a_pending_change_listed_and_a_decided_one_off_the_list', async () => {
  await apply({ change_id: 'c1', change: '{"id":"c1"}', change_status: 'pending', now: '42' });
  assert.equal(await r.call('ZSCORE', key('chg:pending'), 'c1'), '42');
  assert.equal(await r.call('HGET', key('chgst'), 'c1'), 'pending');
  const a = await apply({ change_id: 'c1', change: '{"id":"c1","status":"approved"}', change_status: 'approved',
    expect_pending: '1', services: [service('s1')] });
  assert.equal(a[0], 'ok');
  assert.equal(await r.call('ZSCORE', key('chg:pending'), 'c1'), null);
  assert.equal(await r.call('HGET', key('chg'), 'c1'), '{"id":"c1","status":"approved"}');
});

test('apply_refuses_a_decided_change_and_changes_nothing', async () => {
  await apply({ change_id: 'c1', change: '{}', change_status: 'rejected' });
  const before = await snapshot();
  const a = await apply({ change_id: 'c1', change: '{}', change_status: 'approved', expect_pending: '1',
    services: [service('s1')] });
  assert.deepEqual(a, ['not_pending', 'status', 'rejected']);
  assert.deepEqual(await snapshot(), before);
});

test('apply_refuses_a_change_it_does_not_hold_and_changes_nothing', async () => {
  const a = await apply({ change_id: 'c9', change: '{}', change_status: 'approved', expect_pending: '1',
    organisations: [[ORG, '{}', 'Org']] });
  assert.deepEqual(a, ['no_change']);
  assert.deepEqual(await r.call('KEYS', '*'), []);
});

test('put_stores_a_record_and_lists_it_by_time', async () => {
  assert.deepEqual(await run('put', { hash: 'sug', list: 'sug:list', id: 'x', value: '{"a":1}', now: '7' }), ['ok', 'id', 'x']);
  assert.equal(await r.call('HGET', key('sug'), 'x'), '{"a":1}');
  assert.equal(await r.call('ZSCORE', key('sug:list'), 'x'), '7');
});

test('put_without_a_list_writes_only_the_hash', async () => {
  assert.equal((await run('put', { hash: 'community', list: '', id: 'roma', value: '"Roma"', now: '7' }))[0], 'ok');
  assert.deepEqual(await r.call('KEYS', '*'), [key('community')]);
});

test('put_refuses_a_hash_or_list_it_does_not_keep', async () => {
  assert.deepEqual(await run('put', { hash: 'svc', list: '', id: 'x', value: '{}', now: '1' }), ['unknown_hash']);
  assert.deepEqual(await run('put', { hash: 'pw', list: 'byname', id: 'x', value: '{}', now: '1' }), ['unknown_hash']);
  assert.deepEqual(await r.call('KEYS', '*'), []);
});

async function three() {
  await apply({ organisations: [[ORG, '{}', 'Org One']], services: [
    service('a', { name: 'A', score: 1, facets: 'language:sq', index: 'f:language:sq o:0:20 w:safe=1', modified: 100 }),
    service('b', { name: 'B', score: 2, facets: 'language:pl', index: 'f:language:pl w:safe=3', modified: 200 }),
    service('c', { name: 'C', score: 3, facets: 'language:sq borough:newham', index: 'f:language:sq f:borough:newham', modified: 300 }),
  ] });
}

test('search_by_name_pages_and_counts_facets_over_the_whole_result', async () => {
  await three();
  const f = await found({ count: '2' });
  assert.equal(f.total, 3);
  assert.deepEqual(ids(f), ['a', 'b']);
  assert.deepEqual(f.items.map((s) => s.organisation), [{ id: ORG, name: 'Org One' }, { id: ORG, name: 'Org One' }]);
  assert.deepEqual(f.facets, { service_type: {}, exploitation: {}, client_group: {}, language: { sq: 2, pl: 1 },
    community: {}, borough: { newham: 1 }, referrer: {} });
  assert.deepEqual(ids(await found({ count: '2', offset: '2' })), ['c']);
  assert.deepEqual(await r.call('KEYS', `${BASE}:tmp:*`), []);
});

test('search_a_group_of_one_value_and_a_group_unioned', async () => {
  await three();
  assert.equal((await found({ groups: [['f:language:sq']] })).total, 2);
  const f = await found({ groups: [['f:language:pl', 'f:borough:newham'], ['f:language:sq']] });
  assert.deepEqual(ids(f), ['c']);
  assert.deepEqual(await r.call('KEYS', `${BASE}:tmp:*`), []);
});

test('search_by_relevance_orders_by_the_words_scores', async () => {
  await three();
  assert.deepEqual(ids(await found({ sort: 'relevance', words: ['safe'] })), ['b', 'a']);
});

test('search_open_now_and_changed_since', async () => {
  await three();
  assert.deepEqual(ids(await found({ open: 'o:0:20' })), ['a']);
  assert.deepEqual(ids(await found({ modified_after: '200' })), ['c']);
  assert.deepEqual(await r.call('KEYS', `${BASE}:tmp:*`), []);
});

test('search_with_no_result_answers_total_zero_and_no_services', async () => {
  await three();
  const f = await found({ groups: [['f:language:xx']] });
  assert.equal(f.total, 0);
  assert.deepEqual(f.items, []);
  assert.deepEqual(f.facets.language, {});
});

test('search_leaves_out_a_service_whose_record_is_gone', async () => {
  await three();
  await r.call('HDEL', key('svc'), 'a');
  await r.call('HDEL', key('pub'), 'a');
  assert.deepEqual(ids(await found({})), ['b', 'c']);
});

test('search_flags_verification_due_from_the_verified_score_and_now', async () => {
  await apply({ services: [service('old', { verified: 1000 }), service('new', { score: 200, verified: 1_699_999_500 }),
    service('none', { score: 300, verified: 0 })] });
  const f = await found({ now: '1700000000', due: '1000' });
  assert.deepEqual(f.items.map((s) => [s.id, s.verification_due]), [['old', true], ['new', false], ['none', false]]);
});

test('search_refuses_a_community_not_on_the_list_and_accepts_one_on_it', async () => {
  await three();
  await r.call('HSET', key('community'), 'roma', '"Roma"');
  assert.deepEqual(await search({ communities: ['roma', 'nope'] }), ['unknown_community', 'community', 'nope']);
  assert.equal((await search({ communities: ['roma'] }))[0], 'ok');
});

test('apply_writes_each_services_public_view_with_its_organisations_name', async () => {
  await apply({ organisations: [[ORG, '{}', 'Org "One"']], services: [service('s1')] });
  assert.deepEqual(JSON.parse(await r.call('HGET', key('pub'), 's1')),
    { id: 's1', name: 'Safe House', organisation: { id: ORG, name: 'Org "One"' } });
});

test('renaming_an_organisation_rewrites_its_services_public_views', async () => {
  await apply({ organisations: [[ORG, '{}', 'Old name']], services: [service('s1', { index: `f:org:${ORG}` })] });
  await apply({ organisations: [[ORG, '{}', 'New name']] });
  assert.equal(JSON.parse(await r.call('HGET', key('pub'), 's1')).organisation.name, 'New name');
});

test('a_service_without_a_public_view_is_answered_from_its_record', async () => {
  await three();
  await r.call('HDEL', key('pub'), 'a');
  const f = await found({ count: '1' });
  assert.deepEqual(f.items[0].organisation, { id: ORG, name: 'Org One' });
});

test('a_search_is_cached_until_a_write_bumps_the_version', async () => {
  await three();
  assert.equal((await found({})).cached, '0');
  const again = await found({});
  assert.equal(again.cached, '1');
  assert.deepEqual(ids(again), ['a', 'b', 'c']);
  assert.equal(again.facets.language.sq, 2);
  const ttl = Number(await r.call('TTL', key(`qc:${await r.call('GET', key('ver'))}`)));
  assert.ok(ttl > 0 && ttl <= 600, String(ttl));
  const ver = await r.call('GET', key('ver'));
  await apply({ services: [service('d', { score: 0, facets: 'language:sq' })] });
  assert.equal(await r.call('EXISTS', key(`qc:${ver}`)), 0);
  const after = await found({});
  assert.equal(after.cached, '0');
  assert.deepEqual(ids(after), ['d', 'a', 'b', 'c']);
  assert.equal(after.facets.language.sq, 3);
});

test('a_cached_search_reads_the_verified_scores_afresh', async () => {
  await apply({ services: [service('s1', { verified: 1_699_999_900 })] });
  assert.equal((await found({ now: '1700000000' })).items[0].verification_due, false);
  const later = await found({ now: '1800000000' });
  assert.equal(later.cached, '1');
  assert.equal(later.items[0].verification_due, true);
});

test('the_cache_keeps_at_most_2000_searches', async () => {
  await three();
  await r.call('EVAL', "for i = 1, 2000 do redis.call('HSET', KEYS[1], 'q' .. i, '0\\n\\n{}') end", 1, key('qc:1'));
  const f = await found({ words: ['safe'] });
  assert.equal(f.total, 2);
  assert.equal(Number(await r.call('HLEN', key('qc:1'))), 2000);
  assert.equal((await found({ words: ['safe'] })).cached, '0');
});

test('apply_with_a_data_version_sets_it', async () => {
  await apply({ data_version: '2' });
  assert.equal(await r.call('GET', key('dv')), '2');
  await apply({});
  assert.equal(await r.call('GET', key('dv')), '2');
});

test('an_unfiltered_search_counts_each_facet_value_by_its_index_set', async () => {
  await three();
  assert.deepEqual((await r.call('SMEMBERS', key('fv'))).sort(), ['borough:newham', 'language:pl', 'language:sq']);
  // the per-service facet list is not read without a filter: the sets are
  await r.call('HDEL', key('fac'), 'a');
  assert.deepEqual((await found({})).facets.language, { sq: 2, pl: 1 });
  assert.deepEqual((await found({ groups: [['f:language:sq']] })).facets.language, { sq: 1 });
  // a value no service has any more is left out
  await apply({ services: [service('b', { name: 'B', score: 2, facets: 'language:ro', index: 'f:language:ro' })] });
  assert.deepEqual((await found({})).facets.language, { sq: 2, ro: 1 });
});
