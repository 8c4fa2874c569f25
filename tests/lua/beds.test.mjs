// beds.test.mjs - each script of modules/beds/lua/ on its own, against a
// redis-server started here: every error code and branch (a hold with no
// bed, too many holds, an Idempotency-Key replay, expiry, accept, decline,
// cancel, extend, erasure and the AOF rewrite claim of housekeeping).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const BASE = 'p:beds:{beds}';
const GROUPS = 'women,men,trans_non_binary,';
const LABELS = 'Women|Men|Trans and non-binary people|';
const NOW = 1_900_000_000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');
const ERASE = 3600;
let server, r;
const src = {};

before(async () => {
  server = await startRedis();
  r = await connect(server.socket);
});
after(async () => { r.close(); await server.stop(); });
beforeEach(async () => { await r.call('FLUSHALL'); });

// Run script `name` with ARGV pairs from `args` (now, erase_after, groups,
// warn_before and stale_after added); returns { status, fields } with every value parsed as JSON.
async function run(name, args, now = NOW) {
  src[name] ??= scriptSource('beds', name);
  const all = { now, erase_after: ERASE, groups: GROUPS, warn_before: 900, stale_after: 172800, group_labels: LABELS, now_iso: iso(now), now_text: `words ${now}`,
    card: '{"name":"H"}', index: '{"area":"","sets":[]}', ...args };
  const argv = Object.entries(all).flatMap(([k, v]) => [k, String(v)]);
  const a = answer(await r.call('EVAL', src[name], 1, BASE, ...argv));
  for (const k of Object.keys(a.fields)) a.fields[k] = JSON.parse(a.fields[k]);
  return a;
}

const key = (...parts) => `${BASE}:${parts.join(':')}`;

async function house({ agency = 'ag-a', beds = { women: 2 }, vacant = { women: 2 }, id = '' } = {}) {
  const a = await run('safehouse_save', { safehouse: id, agency, agency_name: 'A', doc: '{"name":"H"}',
    beds: JSON.stringify(beds), actor: 'ngo' });
  assert.equal(a.status, 'ok');
  const sid = String(a.fields.house.id);
  if (vacant) assert.equal((await vacancies(sid, vacant, agency)).status, 'ok');
  return sid;
}

function vacancies(sid, vacant, agency = 'ag-a', now = NOW) {
  return run('vacancies_set', { safehouse: sid, agency, actor: 'ngo', vacant: vacant === '' ? '' : JSON.stringify(vacant) }, now);
}

function hold(sid, extra = {}, now = NOW) {
  return run('hold_place', { safehouse: sid, group: 'women', responder: 'resp', responder_agency: 'police',
    responder_name: 'Sam Jones', responder_agency_name: 'Metropolitan Police',
    responder_agency_type: 'police', responder_unit: 'CE', reference: 'REF-1', callback_phone: '020 7946 0000', minutes: 90, minute_seconds: 60,
    idempotency_key: '', max_pending: 3, ...extra }, now);
}

function act(id, action, extra = {}, now = NOW) {
  return run('hold_act', { hold: id, action, actor: 'resp', agency: 'ag-a', reason: '', add_seconds: 600,
    max_seconds: 240 * 60, ...extra }, now);
}

async function snapshot() {
  const out = {};
  for (const k of (await r.call('KEYS', '*')).sort()) out[k] = await r.call('DUMP', k);
  return out;
}

test('every_key_lives_under_the_beds_hash_tag', async () => {
  const sid = await house();
  await hold(sid, { idempotency_key: 'k1' });
  for (const k of await r.call('KEYS', '*')) assert.ok(k.startsWith(`${BASE}:`), k);
});

test('a_missing_argument_is_a_script_error_naming_it', async () => {
  src.house ??= scriptSource('beds', 'house');
  await assert.rejects(r.call('EVAL', src.house, 1, BASE, 'now', '1', 'erase_after', '1', 'groups', GROUPS), /argument safehouse is missing/);
  await assert.rejects(r.call('EVAL', src.house, 1, BASE, 'now', 'x', 'erase_after', '1', 'groups', GROUPS, 'safehouse', '1'), /now is not a number/);
});

test('safehouse_save_creates_updates_and_refuses', async () => {
  const sid = await house({ beds: { women: 3, men: 1 } });
  let a = await run('house', { safehouse: sid });
  assert.deepEqual(Object.keys(a.fields.house.groups).sort(), ['men', 'women']);
  assert.equal(a.fields.house.groups.women.vacant, 2);
  // another agency: forbidden; an unknown id: not_found; nothing changed
  const before = await snapshot();
  a = await run('safehouse_save', { safehouse: sid, agency: 'ag-b', agency_name: 'B', doc: '{}', beds: '{"women":1}', actor: 'x' });
  assert.equal(a.status, 'forbidden');
  a = await run('safehouse_save', { safehouse: '99', agency: 'ag-a', agency_name: 'A', doc: '{}', beds: '{"women":1}', actor: 'x' });
  assert.equal(a.status, 'not_found');
  assert.deepEqual(await snapshot(), before);
  // fewer beds: vacant capped; a group set to 0 is removed
  a = await run('safehouse_save', { safehouse: sid, agency: 'ag-a', agency_name: 'A', doc: '{}', beds: '{"women":1}', actor: 'x' });
  assert.equal(a.status, 'ok');
  assert.equal(a.fields.house.groups.women.vacant, 1);
  assert.equal(a.fields.house.groups.men, undefined);
});

test('safehouse_save_refuses_beds_below_held_and_too_many_houses', async () => {
  const sid = await house();
  assert.equal((await hold(sid)).status, 'ok');
  const before = await snapshot();
  const a = await run('safehouse_save', { safehouse: sid, agency: 'ag-a', agency_name: 'A', doc: '{}', beds: '{"women":0}', actor: 'x' });
  assert.equal(a.status, 'holds_pending');
  assert.equal(a.fields.group, 'women');
  assert.equal(a.fields.held, 1);
  assert.deepEqual(await snapshot(), before);
  for (let i = 0; i < 500; i++) await r.call('SADD', key('safehouses'), `x${i}`);
  const b = await run('safehouse_save', { safehouse: '', agency: 'ag-a', agency_name: 'A', doc: '{}', beds: '{"women":1}', actor: 'x' });
  assert.equal(b.status, 'too_many_safehouses');
});

test('vacancies_set_sets_confirms_and_refuses', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: null });
  let a = await vacancies(sid, { women: 1 });
  assert.equal(a.status, 'ok');
  assert.deepEqual(a.fields.changes, { women: { from: 0, to: 1 } });
  a = await vacancies(sid, '', 'ag-a', NOW + 50);
  assert.equal(a.status, 'ok');
  assert.equal(a.fields.house.groups.women.at, NOW + 50);
  assert.deepEqual(a.fields.changes, {});
  const before = await snapshot();
  assert.equal((await vacancies('99', { women: 1 })).status, 'not_found');
  assert.equal((await vacancies(sid, { women: 1 }, 'ag-b')).status, 'forbidden');
  a = await vacancies(sid, { women: 3, men: 1 });
  assert.equal(a.status, 'invalid_input');
  assert.match(a.fields.fields.women, /between 0 and 2/);
  assert.match(a.fields.fields.men, /no beds for this group/);
  assert.deepEqual(await snapshot(), before);
});

test('vacancies_below_the_held_beds_are_holds_pending', async () => {
  const sid = await house();
  assert.equal((await hold(sid)).status, 'ok');
  const a = await vacancies(sid, { women: 0 });
  assert.equal(a.status, 'holds_pending');
  assert.equal(a.fields.held, 1);
});

test('hold_place_holds_a_bed_and_refuses_when_none_is_left', async () => {
  const sid = await house({ beds: { women: 2, men: 1 }, vacant: { women: 1 } });
  let a = await hold(sid);
  assert.equal(a.status, 'ok');
  assert.equal(a.fields.replay, false);
  assert.equal(a.fields.hold.status, 'pending');
  assert.equal(a.fields.hold.expires_at, String(NOW + 90 * 60));
  assert.equal(a.fields.hold.safehouse_doc, '{"name":"H"}');
  assert.equal(a.fields.hold.responder_name, 'Sam Jones', 'the name is kept beside the uid');
  assert.equal(a.fields.hold.responder_agency_name, 'Metropolitan Police');
  assert.equal(a.fields.hold.responder, 'resp');
  const before = await snapshot();
  assert.equal((await hold(sid, { responder: 'other' })).status, 'no_bed_available');
  assert.equal((await hold(sid, { group: 'men', responder: 'other' })).status, 'no_bed_available');
  a = await hold(sid, { group: 'trans_non_binary' });
  assert.equal(a.status, 'invalid_input');
  assert.match(a.fields.fields.group, /no beds for this group/);
  assert.equal((await hold('99')).status, 'not_found');
  assert.deepEqual(await snapshot(), before);
});

test('hold_place_refuses_a_fourth_pending_hold_with_retry_after', async () => {
  const sid = await house({ beds: { women: 9 }, vacant: { women: 9 } });
  for (let i = 0; i < 3; i++) assert.equal((await hold(sid, {}, NOW + i)).status, 'ok');
  const a = await hold(sid, {}, NOW + 10);
  assert.equal(a.status, 'too_many_holds');
  assert.equal(a.fields.retry_after, 90 * 60 - 10);
});

test('an_idempotency_key_replays_the_hold_it_made', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: { women: 2 } });
  const a = await hold(sid, { idempotency_key: 'key-1' });
  const b = await hold(sid, { idempotency_key: 'key-1' });
  assert.equal(b.status, 'ok');
  assert.equal(b.fields.replay, true);
  assert.equal(b.fields.hold.id, a.fields.hold.id);
  assert.equal(await r.call('ZCARD', key('pending')), 1);
  assert.ok(Number(await r.call('TTL', key('idem', 'resp', 'key-1'))) > 86000);
  // another responder's same key is a key of their own
  const c = await hold(sid, { idempotency_key: 'key-1', responder: 'other' });
  assert.equal(c.fields.replay, false);
  assert.notEqual(c.fields.hold.id, a.fields.hold.id);
});

test('a_hold_expires_at_its_time_and_the_bed_is_free_again', async () => {
  const sid = await house({ beds: { women: 1 }, vacant: { women: 1 } });
  const id = (await hold(sid)).fields.hold.id;
  let a = await run('house', { safehouse: sid }, NOW + 90 * 60 - 1);
  assert.equal(a.fields.house.groups.women.held, 1);
  assert.deepEqual(a.fields.expired, []);
  a = await run('house', { safehouse: sid }, NOW + 90 * 60);
  assert.deepEqual(a.fields.expired, [id]);
  assert.equal(a.fields.house.groups.women.held, 0);
  assert.equal((await run('hold', { hold: id }, NOW + 90 * 60)).fields.hold.status, 'expired');
  assert.equal(await r.call('ZSCORE', key('erase'), id), String(NOW + 90 * 60 + ERASE));
});

test('accept_takes_the_bed_and_decline_keeps_it_with_a_reason', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: { women: 2 } });
  const h1 = (await hold(sid)).fields.hold.id, h2 = (await hold(sid)).fields.hold.id;
  assert.equal((await act(h1, 'accept', { agency: 'ag-b' })).status, 'forbidden');
  let a = await act(h1, 'accept', { actor: 'ngo' });
  assert.equal(a.status, 'ok');
  assert.equal(a.fields.hold.status, 'accepted');
  assert.equal(a.fields.hold.answered_by, 'ngo');
  assert.equal(await r.call('HGET', key('sh', sid), 'vacant:women'), '1');
  a = await act(h2, 'decline', { actor: 'ngo', reason: 'needs_not_met' });
  assert.equal(a.fields.hold.status, 'declined');
  assert.equal(a.fields.hold.decline_reason, 'needs_not_met');
  assert.equal(await r.call('HGET', key('sh', sid), 'vacant:women'), '1');
  a = await act(h2, 'accept', { actor: 'ngo' });
  assert.equal(a.status, 'hold_not_pending');
  assert.equal(a.fields.status, 'declined');
  assert.equal(await r.call('ZCARD', key('pending')), 0);
});

test('the_responder_cancels_and_extends_once_within_the_limit', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: { women: 2 } });
  const h1 = (await hold(sid)).fields.hold.id, h2 = (await hold(sid)).fields.hold.id;
  assert.equal((await act(h1, 'cancel', { actor: 'someone' })).status, 'forbidden');
  assert.equal((await act(h1, 'cancel')).fields.hold.status, 'cancelled');
  assert.equal(await r.call('ZCARD', key('resp', 'resp', 'pending')), 1);
  let a = await act(h2, 'extend', { add_seconds: 10 * 60 });
  assert.equal(a.fields.hold.expires_at, String(NOW + 100 * 60));
  assert.equal(a.fields.hold.extended, '1');
  assert.equal(await r.call('ZSCORE', key('pending'), h2), String(NOW + 100 * 60));
  assert.equal((await act(h2, 'extend')).status, 'already_extended');
  // an extension is capped at max_seconds from now
  const h3 = (await hold(sid, { responder: 'r3' })).fields.hold.id;
  a = await act(h3, 'extend', { actor: 'r3', add_seconds: 999999 });
  assert.equal(a.fields.hold.expires_at, String(NOW + 240 * 60));
  assert.equal((await act(h3, 'jump', { actor: 'r3' })).status, 'bad_action');
  assert.equal((await act('99', 'cancel')).status, 'not_found');
});

test('erasure_removes_reference_and_phone_and_marks_an_aof_rewrite_due', async () => {
  const sid = await house();
  const id = (await hold(sid)).fields.hold.id;
  await act(id, 'cancel');
  let a = await run('hold', { hold: id }, NOW + ERASE - 1);
  assert.equal(a.fields.hold.reference, 'REF-1');
  // the read leaves the details out once due, writing nothing
  const before = await snapshot();
  a = await run('hold', { hold: id }, NOW + ERASE);
  assert.equal(a.fields.hold.reference, undefined);
  assert.equal(a.fields.hold.callback_phone, undefined);
  assert.equal(a.fields.hold.erased, '1');
  assert.equal(a.fields.hold.status, 'cancelled');
  assert.deepEqual(await snapshot(), before);
  // the next write erases them for good
  assert.equal((await run('housekeeping', { mode: 'check', period: 60 }, NOW + ERASE)).status, 'ok');
  assert.equal(await r.call('HGET', key('hold', id), 'reference'), null);
  assert.equal(await r.call('GET', key('aof', 'rewrite_due')), '1');
  assert.equal(await r.call('ZCARD', key('erase')), 0);
});

test('housekeeping_claims_one_rewrite_per_period_and_clears_what_it_covered', async () => {
  let a = await run('housekeeping', { mode: 'check', period: 60 });
  assert.deepEqual([a.status, a.fields.due, a.fields.claimed], ['ok', 0, false]);
  await r.call('SET', key('aof', 'rewrite_due'), '2');
  a = await run('housekeeping', { mode: 'check', period: 60 });
  assert.deepEqual([a.fields.due, a.fields.claimed], [2, true]);
  assert.equal((await run('housekeeping', { mode: 'check', period: 60 })).fields.claimed, false);
  // an erasure during the rewrite (counter 3) keeps it due
  await r.call('SET', key('aof', 'rewrite_due'), '3');
  a = await run('housekeeping', { mode: 'rewritten', due: 2 });
  assert.equal(a.fields.due, 3);
  a = await run('housekeeping', { mode: 'rewritten', due: 3 });
  assert.equal(a.fields.due, 0);
  assert.equal(await r.call('EXISTS', key('aof', 'rewrite_due')), 0);
  a = await run('housekeeping', { mode: 'retry', retry_in: 30 });
  assert.ok(Number(await r.call('TTL', key('aof', 'rewrite_guard'))) <= 30);
  assert.equal((await run('housekeeping', { mode: 'nope' })).status, 'bad_mode');
});

test('housekeeping_expires_due_holds_with_no_request', async () => {
  const sid = await house();
  const id = (await hold(sid)).fields.hold.id;
  const a = await run('housekeeping', { mode: 'check', period: 60 }, NOW + 90 * 60);
  assert.deepEqual(a.fields.expired, [id]);
});

test('reads_list_houses_holds_and_the_report', async () => {
  const a1 = await house({ agency: 'ag-a' }), b1 = await house({ agency: 'ag-b' });
  const houses = (q) => run('houses', { from: 0, count: 0, ...q });
  assert.deepEqual((await houses({ agency: '' })).fields.houses.map((h) => String(h.id)), [a1, b1]);
  assert.deepEqual((await houses({ agency: 'ag-b' })).fields.houses.map((h) => String(h.id)), [b1]);
  assert.deepEqual((await houses({ agency: 'none' })).fields.houses, []);
  // a page: from the second, one; the total counts every house listed
  const second = await houses({ agency: '', from: 1, count: 1 });
  assert.deepEqual([second.fields.total, second.fields.houses.map((h) => String(h.id))], [2, [b1]]);
  assert.deepEqual([(await houses({ agency: 'ag-b', from: 1, count: 1 })).fields.total,
    (await houses({ agency: 'ag-b', from: 1, count: 1 })).fields.houses], [1, []]);
  assert.equal((await run('house', { safehouse: '99' })).status, 'not_found');
  const h1 = (await hold(a1)).fields.hold.id, h2 = (await hold(b1, { responder: 'r2' }, NOW + 1)).fields.hold.id;
  const holds = (q) => run('holds', { from: 0, count: 200, ...q });
  assert.deepEqual((await holds({ kind: 'all', who: '' })).fields.holds.map((h) => h.id), [h2, h1]);
  assert.deepEqual((await holds({ kind: 'resp', who: 'r2' })).fields.holds.map((h) => h.id), [h2]);
  assert.deepEqual((await holds({ kind: 'agency', who: 'ag-a' })).fields.holds.map((h) => h.id), [h1]);
  assert.deepEqual((await holds({ kind: 'resp', who: 'nobody' })).fields.holds, []);
  const page2 = await holds({ kind: 'all', who: '', from: 1, count: 1 });
  assert.deepEqual([page2.fields.total, page2.fields.holds.map((h) => h.id)], [2, [h1]]);
  assert.equal((await run('hold', { hold: '99' })).status, 'not_found');
  await act(h1, 'decline', { actor: 'ngo', reason: 'other' });
  await r.call('ZADD', key('unmet'), NOW, `${NOW}:ab|men|none`);
  const rep = (await run('report', { from: NOW - 10, to: NOW + 10 })).fields.report;
  assert.deepEqual(rep.holds, [['women', 'declined', 'other'], ['women', 'pending', '']]);
  assert.deepEqual(rep.unmet, [`${NOW}:ab|men|none`]);
  assert.equal((await run('report', { from: NOW + 100, to: NOW + 200 })).fields.report.nholds, 0);
});

test('unmet_counts_the_search_for_the_report_and_appends_search_unmet_with_group_borough_needs_and_words', async () => {
  assert.equal((await run('unmet', { member: `${NOW}:cd|men|pre_nrm,language=sq`, group: 'men', borough: 'newham',
    needs: 'pre_nrm,language=sq', words: 'Men: Emergency pre-NRM stay, Albanian' })).status, 'ok');
  assert.equal((await run('unmet', { member: `${NOW}:ef|any|none`, group: '', borough: '', needs: 'none',
    words: 'Any bed group' })).status, 'ok');
  assert.deepEqual((await run('report', { from: NOW - 10, to: NOW + 10 })).fields.report.unmet,
    [`${NOW}:cd|men|pre_nrm,language=sq`, `${NOW}:ef|any|none`]);
  const entries = (await r.call('XRANGE', key('events'), '-', '+')).map(([, f]) => Object.fromEntries(
    f.flatMap((v, i) => (i % 2 ? [] : [[v, f[i + 1]]]))));
  assert.deepEqual(entries, [
    { kind: 'search_unmet', at: String(NOW), borough: 'newham', group: 'men', needs: 'pre_nrm,language=sq',
      words: 'Men: Emergency pre-NRM stay, Albanian' },
    { kind: 'search_unmet', at: String(NOW), borough: '', group: '', needs: 'none', words: 'Any bed group' },
  ]);
});

// ---- search.lua: indexes and fragments kept by the writes, read-only -----

const SEARCH = { group: '', person: '', language: '', needs: '', near: '', fresh_seconds: 12 * 3600,
  stale_seconds: 48 * 3600, freshness_labels: 'Up to date|Ageing|Out of date', from: 0, count: 100 };

// A house saved as C saves it: its card and index sets (beds_house_card,
// beds_house_index) beside the doc.
async function indexed({ name = 'H', area = 'camden', beds = { women: 2 }, vacant = beds, sets = [], agency = 'ag-a', now = NOW } = {}) {
  const a = await run('safehouse_save', { safehouse: '', agency, agency_name: 'A', doc: JSON.stringify({ name, area }),
    beds: JSON.stringify(beds), actor: 'ngo', card: JSON.stringify({ name, area }), index: JSON.stringify({ area, sets }) }, now);
  assert.equal(a.status, 'ok');
  const sid = String(a.fields.house.id);
  if (vacant) assert.equal((await vacancies(sid, vacant, agency, now)).status, 'ok');
  return sid;
}

async function search(args = {}, now = NOW) {
  const a = await run('search', { ...SEARCH, ...args }, now);
  assert.equal(a.status, 'ok');
  assert.deepEqual([a.fields.total, a.fields.search.total], [a.fields.search.results.length, a.fields.search.results.length]);
  return a.fields.search.results;
}
const ids = (results) => results.map((x) => [String(x.safehouse.id), x.group]);

test('search_answers_the_results_json_from_the_fragments', async () => {
  const sid = await indexed({ name: 'Harbour', beds: { women: 3 }, vacant: { women: 2 } });
  const [res] = await search({ group: 'women' });
  assert.deepEqual(res, { safehouse: { id: Number(sid), name: 'Harbour', area: 'camden' }, group: 'women',
    group_label: 'Women', updated_at: iso(NOW), updated_at_text: `words ${NOW}`, available: 2,
    freshness: 'fresh', freshness_label: 'Up to date', stale: false, area_match: false });
  assert.deepEqual(await search({ group: 'men' }), []);
});

test('search_filters_by_group_person_language_and_needs_from_the_index_sets', async () => {
  const a = await indexed({ beds: { women: 1, trans_non_binary: 1 },
    sets: ['lang:sq', 'need:pre_nrm', 'welcome:women:woman', 'welcome:women:trans_woman', 'welcome:trans_non_binary:non_binary'] });
  const b = await indexed({ beds: { men: 1 }, sets: ['lang:vi', 'welcome:men:man'] });
  assert.deepEqual(ids(await search({ person: 'trans_woman' })), [[a, 'women']]);
  assert.deepEqual(ids(await search({ person: 'non_binary' })), [[a, 'trans_non_binary']]);
  assert.deepEqual(ids(await search({ person: 'man' })), [[b, 'men']]);
  assert.deepEqual(ids(await search({ group: 'women', language: 'sq', needs: 'pre_nrm' })), [[a, 'women']]);
  assert.deepEqual(await search({ group: 'women', needs: 'pre_nrm,accessible' }), []);
  assert.deepEqual(await search({ group: 'men', language: 'sq' }), []);
  // a change of details leaves the old sets: b no longer offers Vietnamese
  await run('safehouse_save', { safehouse: b, agency: 'ag-a', agency_name: 'A', doc: '{}', beds: '{"men":1}', actor: 'ngo',
    index: JSON.stringify({ area: 'camden', sets: ['welcome:men:man'] }) });
  assert.deepEqual(await search({ group: 'men', language: 'vi' }), []);
  assert.equal(await r.call('SISMEMBER', key('ix', 'lang', 'vi'), b), 0);
});

test('search_counts_a_hold_past_its_time_as_expired_and_writes_nothing', async () => {
  const sid = await indexed({ beds: { women: 1 } });
  const id = (await hold(sid)).fields.hold.id;
  assert.deepEqual(await search({ group: 'women' }, NOW + 90 * 60 - 1), []);
  const before = await snapshot();
  assert.deepEqual(ids(await search({ group: 'women' }, NOW + 90 * 60)), [[sid, 'women']]);
  assert.deepEqual(await snapshot(), before);
  assert.equal(await r.call('HGET', key('hold', id), 'status'), 'pending');
  const h = (await run('hold', { hold: id }, NOW + 90 * 60)).fields.hold;
  assert.equal(h.status, 'expired');
  assert.equal(h.closed_at, String(NOW + 90 * 60));
  assert.deepEqual(await snapshot(), before);
});

test('search_orders_fresh_then_nearest_then_latest_and_marks_stale', async () => {
  const old = await indexed({ area: 'camden', now: NOW - 49 * 3600 });
  const far = await indexed({ area: 'bromley', now: NOW - 3600 });
  const near = await indexed({ area: 'islington', now: NOW - 7200 });
  const home = await indexed({ area: 'camden', now: NOW - 13 * 3600 });
  const r1 = await search({ group: 'women', near: 'camden,islington,bromley' });
  assert.deepEqual(ids(r1).map((x) => x[0]), [home, near, far, old]);
  assert.deepEqual(r1.map((x) => [x.freshness, x.stale, x.area_match]),
    [['ageing', false, true], ['fresh', false, false], ['fresh', false, false], ['stale', true, true]]);
  assert.equal(r1[3].freshness_label, 'Out of date');
  // no preference: the latest update first
  assert.deepEqual(ids(await search({ group: 'women' })).map((x) => x[0]), [far, near, home, old]);
});

test('search_answers_one_page_in_order_with_the_total_and_those_in_the_area', async () => {
  const a = await indexed({ area: 'camden', now: NOW - 60 });
  const b = await indexed({ area: 'islington', now: NOW - 120 });
  const c = await indexed({ area: 'camden', now: NOW - 180 });
  const page = await run('search', { ...SEARCH, group: 'women', near: 'camden,islington', from: 1, count: 1 });
  assert.deepEqual([page.fields.total, page.fields.in_area, page.fields.search.total, page.fields.search.page,
    page.fields.search.per_page, ids(page.fields.search.results)], [3, 2, 3, 2, 1, [[c, 'women']]]);
  const all = await search({ group: 'women', near: 'camden,islington' });
  assert.deepEqual(ids(all).map((x) => x[0]), [a, c, b]);
  const past = await run('search', { ...SEARCH, group: 'women', from: 20, count: 20 });
  assert.deepEqual([past.fields.total, past.fields.search.results, past.fields.search.page], [3, [], 2]);
  const none = await run('search', { ...SEARCH, group: 'women', near: 'bromley', from: 0, count: 20 });
  assert.equal(none.fields.in_area, 0);
});

test('the_free_index_follows_vacancies_accept_and_fewer_beds', async () => {
  const sid = await indexed({ beds: { women: 2 }, vacant: { women: 1 } });
  assert.equal(await r.call('SISMEMBER', key('ix', 'free', 'women'), sid), 1);
  const id = (await hold(sid)).fields.hold.id;
  assert.equal((await act(id, 'accept', { actor: 'ngo' })).status, 'ok');
  assert.equal(await r.call('SISMEMBER', key('ix', 'free', 'women'), sid), 0);
  assert.match(await r.call('HGET', key('sh', sid), 'frag:women'), /"updated_at_text":"words 1900000000"/);
  await vacancies(sid, { women: 2 });
  assert.equal(await r.call('SISMEMBER', key('ix', 'free', 'women'), sid), 1);
  await run('safehouse_save', { safehouse: sid, agency: 'ag-a', agency_name: 'A', doc: '{}', beds: '{"men":1}', actor: 'ngo' });
  assert.equal(await r.call('SISMEMBER', key('ix', 'free', 'women'), sid), 0);
  assert.equal(await r.call('HEXISTS', key('sh', sid), 'frag:women'), 0);
});

test('a_search_argument_missing_is_a_script_error_naming_it', async () => {
  src.search ??= scriptSource('beds', 'search');
  const { freshness_labels: _, ...args } = { now: NOW, erase_after: ERASE, groups: GROUPS, ...SEARCH };
  await assert.rejects(r.call('EVAL', src.search, 1, BASE, ...Object.entries(args).flatMap(([k, v]) => [k, String(v)])),
    /argument freshness_labels is missing/);
});

test('migrate_builds_cards_fragments_and_indexes_for_older_houses_once', async () => {
  // a house as data version 1 kept it: no card, fragment or index
  await r.call('HSET', key('sh', '7'), 'agency', 'ag-a', 'agency_name', 'A', 'doc', '{"name":"Old"}',
    'beds:women', '2', 'vacant:women', '1', 'at:women', String(NOW - 60), 'by:women', 'ngo');
  await r.call('SADD', key('safehouses'), '7');
  let a = await run('migrate', { version: 2, houses: '' });
  assert.deepEqual([a.status, a.fields.from, a.fields.version], ['ok', 1, 1]);
  assert.deepEqual(await search({ group: 'women' }), []);
  const houses = JSON.stringify([{ id: 7, card: '{"name":"Old"}', index: '{"area":"camden","sets":["welcome:women:woman"]}',
    times: { women: ['2030-03-17T17:45:00+00:00', 'in words'] } }, { id: 8, card: '{}', index: '{}', times: {} }]);
  a = await run('migrate', { version: 2, houses });
  assert.deepEqual([a.fields.from, a.fields.version, a.fields.houses], [1, 2, 1]);
  const [res] = await search({ person: 'woman' });
  assert.deepEqual([res.safehouse, res.updated_at_text, res.available], [{ id: 7, name: 'Old' }, 'in words', 1]);
  assert.equal(await r.call('EXISTS', key('sh', '8')), 0);  // no house made for an id that has none
  const before = await snapshot();
  a = await run('migrate', { version: 2, houses });
  assert.deepEqual([a.fields.from, a.fields.version, a.fields.houses], [2, 2, 0]);
  assert.deepEqual(await snapshot(), before);
});

// ---- hold_outcome.lua: what happened after a hold closed (issue 18) ------

function said(id, extra = {}, now = NOW) {
  return run('hold_outcome', { hold: id, actor: 'ngo', agency: 'ag-a', responder: '0', outcome: 'arrived',
    note: '', agency_type: 'ngo', unit: '', ...extra }, now);
}
const outcomeEvents = async () => (await r.call('XRANGE', key('events'), '-', '+')).map(([, f]) =>
  Object.fromEntries(f.flatMap((v, i) => (i % 2 ? [] : [[v, f[i + 1]]])))).filter((e) => e.kind === 'hold_outcome');

test('hold_outcome_refuses_without_a_change_whom_it_is_not_for_an_open_hold_and_what_is_missing', async () => {
  const sid = await house({ beds: { women: 3 }, vacant: { women: 3 } });
  const open = (await hold(sid)).fields.hold.id;
  const closed = (await hold(sid)).fields.hold.id;
  assert.equal((await act(closed, 'decline', { actor: 'ngo', reason: 'other' })).status, 'ok');
  const before = await snapshot();
  assert.equal((await said('99')).status, 'not_found');
  assert.equal((await said(closed, { agency: 'ag-b' })).status, 'forbidden', "another agency's staff");
  assert.equal((await said(closed, { agency: '', actor: 'other', responder: '1' })).status, 'forbidden', 'another responder');
  assert.equal((await said(closed, { agency: '', actor: 'resp', responder: '0' })).status, 'forbidden', 'the uid without the role');
  assert.equal((await said(open)).status, 'hold_open');
  assert.equal((await said(closed, { outcome: '', note: 'a note' })).status, 'outcome_required');
  assert.equal((await said(closed, { agency: '', actor: 'resp', responder: '1', outcome: '' })).status, 'nothing_given');
  assert.deepEqual(await snapshot(), before);
});

test('hold_outcome_keeps_each_side_replaces_it_when_said_again_and_appends_hold_outcome', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: { women: 2 } });
  const id = (await hold(sid)).fields.hold.id;
  assert.equal((await act(id, 'accept', { actor: 'ngo' })).status, 'ok');
  let a = await said(id, { note: 'she claims it' });
  assert.equal(a.status, 'ok');
  assert.deepEqual([a.fields.side, a.fields.replaced], ['ngo', false]);
  assert.deepEqual([a.fields.hold.outcome_ngo, a.fields.hold.note_ngo, a.fields.hold.outcome_by_ngo, a.fields.hold.outcome_at_ngo],
    ['arrived', 'she claims it', 'ngo', String(NOW)]);
  a = await said(id, { outcome: 'unknown', note: '' }, NOW + 5);
  assert.deepEqual([a.fields.replaced, a.fields.hold.outcome_ngo, a.fields.hold.note_ngo, a.fields.hold.outcome_at_ngo],
    [true, 'unknown', '', String(NOW + 5)]);
  a = await said(id, { agency: '', actor: 'resp', responder: '1', outcome: '', note: 'quick answer', agency_type: 'police', unit: 'CE' });
  assert.deepEqual([a.fields.side, a.fields.hold.outcome_responder, a.fields.hold.note_responder], ['responder', '', 'quick answer']);
  const es = await outcomeEvents();
  assert.equal(es.length, 3);
  assert.deepEqual(es.map((e) => [e.side, e.outcome, e.text, e.by, e.by_agency_type, e.by_unit]), [
    ['ngo', 'arrived', 'she claims it', 'ngo', 'ngo', ''],
    ['ngo', 'unknown', '', 'ngo', 'ngo', ''],
    ['responder', '', 'quick answer', 'resp', 'police', 'CE']]);
  for (const e of es) {
    assert.deepEqual([e.hold, e.safehouse, e.safehouse_name, e.agency, e.responder, e.group, e.borough],
      [id, sid, 'H', 'ag-a', 'resp', 'women', '']);
    assert.deepEqual([e.responder_agency_type, e.responder_unit], ['police', 'CE']);
    assert.ok(!JSON.stringify(e).includes('REF-1'), 'never the reference');
  }
});

test('hold_outcome_closes_a_hold_past_its_time_first_and_the_outcome_outlives_the_erasure', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: { women: 2 } });
  const id = (await hold(sid)).fields.hold.id;
  const late = NOW + 90 * 60 + 1;
  const a = await said(id, { outcome: 'did_not_arrive', note: 'no call' }, late);
  assert.equal(a.status, 'ok', 'expired on the way: closed, so it may be said');
  assert.equal(a.fields.hold.status, 'expired');
  assert.deepEqual(a.fields.expired, [id]);
  await run('holds', { kind: 'all', who: '', from: 0, count: 10 }, late + ERASE + 1);  // a write that erases
  const h = await r.call('HGETALL', key('hold', id));
  const got = Object.fromEntries(h.flatMap((v, i) => (i % 2 ? [] : [[v, h[i + 1]]])));
  assert.equal(got.erased, '1');
  assert.equal(got.reference, undefined);
  assert.deepEqual([got.outcome_ngo, got.note_ngo], ['did_not_arrive', 'no call']);
});

test('hold_view_answers_the_outcomes_as_a_list_and_who_may_say_what', async () => {
  const sid = await house({ beds: { women: 2 }, vacant: { women: 2 } });
  const id = (await hold(sid)).fields.hold.id;
  const view = async (extra) => (await run('hold_view', { hold: id, username: 'ngo', agency: 'ag-a', roles: 'n',
    statuses: 'pending=Waiting|declined=Declined', reasons: 'other=Other reason',
    outcomes: 'arrived=The person arrived|unknown=Not known', ...extra })).fields.hold.hold;
  let v = await view();
  assert.deepEqual([v.outcomes, v.has_outcomes, v.can_record_outcome, v.outcome_needed, v.outcome_side],
    [[], false, false, false, 'ngo'], 'open: nothing to say yet');
  await act(id, 'decline', { actor: 'ngo', reason: 'other' });
  v = await view();
  assert.deepEqual([v.can_record_outcome, v.outcome_needed], [true, true]);
  await said(id, { note: 'went well' });
  v = await view();
  assert.deepEqual(v.outcomes, [{ side: 'ngo', side_label: 'The safehouse', outcome: 'arrived',
    outcome_label: 'The person arrived', note: 'went well', recorded_at: v.outcomes[0].recorded_at,
    recorded_at_text: v.outcomes[0].recorded_at_text }]);
  assert.match(v.outcomes[0].recorded_at, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual([v.has_outcomes, v.outcome_needed], [true, false]);
  const resp = await view({ username: 'resp', agency: 'police', roles: 'r' });
  assert.deepEqual([resp.outcome_side, resp.can_record_outcome, resp.outcome_needed], ['responder', true, false]);
  const coord = await view({ username: 'c', agency: '', roles: 'c' });
  assert.deepEqual([coord.outcome_side, coord.can_record_outcome, coord.outcomes.length], [undefined, false, 1]);
});
