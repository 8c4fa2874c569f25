// beds-due.test.mjs - the beds due set (lua/lib.lua) and lua/due.lua, the
// script portal-notify's clock runs (issue 16): what placing, answering and
// extending a hold and saving vacancies put in the set; the warning, the
// expiry (the bed free again) and the stale house, each once; bounded work;
// data version 3 filling the set for older data.  Time is the `now`
// argument: nothing sleeps.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { redisPerFile, scriptSource, answer } from './lib/redis.mjs';

const BASE = 'p:beds:{beds}';
const NOW = 1_900_000_000;
const EXP = NOW + 90 * 60;
const src = {};

const redis = redisPerFile({ before, after, beforeEach });
const r = { call: (...a) => redis.r.call(...a) };

async function evalScript(name, argsObj) {
  src[name] ??= scriptSource('beds', name);
  const argv = Object.entries(argsObj).flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', src[name], 1, BASE, ...argv));
}

// A script as the module calls it: every setting passed.
function beds(name, args, now = NOW) {
  return evalScript(name, { now, erase_after: 3600, groups: 'women,men,trans_non_binary,', warn_before: 900,
    stale_after: 172800, group_labels: 'Women|Men|Trans and non-binary people|', now_iso: 'iso', now_text: 'words',
    card: '{"name":"H"}', index: '{"area":"camden","sets":[]}', ...args });
}

// due.lua as the clock calls it: now and limit only.
function due(now, limit = 100) {
  return evalScript('due', { now, limit });
}

async function house(beds_n = 3) {
  const a = await beds('safehouse_save', { safehouse: '', agency: 'ag-a', agency_name: 'A',
    doc: '{"name":"Harbour House"}', beds: JSON.stringify({ women: beds_n }), actor: 'ngo.a' });
  const sid = String(JSON.parse(a.fields.house).id);
  await beds('vacancies_set', { safehouse: sid, agency: 'ag-a', actor: 'ngo.a', vacant: JSON.stringify({ women: beds_n }) });
  return sid;
}

async function hold(sid, now = NOW) {
  const a = await beds('hold_place', { safehouse: sid, group: 'women', responder: 'responder.police',
    responder_agency: 'police', responder_name: 'Sam', responder_agency_name: 'Met', reference: 'REF-1',
    responder_agency_type: 'police', responder_unit: '',
    callback_phone: '020 7946 0000', minutes: 90, minute_seconds: 60, idempotency_key: '', max_pending: 3 }, now);
  assert.equal(a.status, 'ok');
  return String(JSON.parse(a.fields.hold).id);
}

async function kinds() {
  const raw = await r.call('XRANGE', `${BASE}:events`, '-', '+');
  return raw.map(([, f]) => Object.fromEntries(f.flatMap((v, i) => (i % 2 ? [] : [[v, f[i + 1]]]))));
}
const timed = async () => (await kinds()).filter((e) => ['hold_expiring', 'hold_expired', 'vacancies_stale'].includes(e.kind));
const dueSet = async () => r.call('ZRANGE', `${BASE}:due`, 0, -1, 'WITHSCORES');

test('placing_a_hold_puts_its_warning_and_expiry_in_the_due_set', async () => {
  const sid = await house();
  const id = await hold(sid);
  const set = await dueSet();
  assert.deepEqual(set.filter((_, i) => i % 2 === 0 && !set[i].startsWith('stale')).sort(),
    [`hold_expire:${id}`, `hold_warn:${id}`]);
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_warn:${id}`), String(EXP - 900));
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_expire:${id}`), String(EXP));
});

test('the_warning_is_one_hold_expiring_event_and_the_hold_stays_pending', async () => {
  const sid = await house();
  const id = await hold(sid);
  assert.deepEqual((await due(EXP - 901)).fields, { done: '0', left: '0', expired: '[]' });
  assert.equal((await due(EXP - 900)).fields.done, '1');
  await due(EXP - 800);
  const es = await timed();
  assert.deepEqual(es.map((e) => [e.kind, e.hold, e.at, e.safehouse_name, e.group, e.borough, e.agency]),
    [['hold_expiring', id, String(EXP - 900), 'Harbour House', 'women', 'camden', 'ag-a']]);
  assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'status'), 'pending');
});

test('the_expiry_closes_the_hold_frees_the_bed_and_appends_hold_expired_once', async () => {
  const sid = await house(1);
  const id = await hold(sid);
  assert.equal(await r.call('ZCARD', `${BASE}:sh:${sid}:pending:women`), 1);
  const a = await due(EXP);
  assert.equal(a.fields.expired, `["${id}"]`);
  await due(EXP + 30);
  assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'status'), 'expired');
  assert.equal(await r.call('ZCARD', `${BASE}:sh:${sid}:pending:women`), 0);
  assert.equal(await r.call('ZSCORE', `${BASE}:erase`, id), String(EXP + 3600), 'the hold keeps its erase_after');
  // a warning found due only at the expiry is not sent: the hold has ended
  assert.deepEqual((await timed()).map((e) => [e.kind, e.hold, e.at]), [['hold_expired', id, String(EXP)]]);
  // the bed can be held again
  await hold(sid, EXP + 31);
});

test('an_answered_hold_leaves_the_due_set_and_falls_due_no_more', async () => {
  const sid = await house();
  const id = await hold(sid);
  const a = await beds('hold_act', { hold: id, action: 'accept', actor: 'ngo.a', agency: 'ag-a', reason: '' });
  assert.equal(a.status, 'ok');
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_warn:${id}`), null);
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_expire:${id}`), null);
  await due(EXP + 10);
  assert.deepEqual(await timed(), []);
});

test('extending_a_hold_moves_its_warning_and_expiry', async () => {
  const sid = await house();
  const id = await hold(sid);
  const a = await beds('hold_act', { hold: id, action: 'extend', actor: 'responder.police', agency: 'police',
    reason: '', add_seconds: 600, max_seconds: 14400 });
  assert.equal(a.status, 'ok');
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_expire:${id}`), String(EXP + 600));
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `hold_warn:${id}`), String(EXP + 600 - 900));
  await due(EXP);
  assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'status'), 'pending');
  await due(EXP + 600);
  assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'status'), 'expired');
});

test('a_house_not_updated_for_48_hours_is_stale_once_per_48_hours', async () => {
  const sid = await house();
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `stale:${sid}`), String(NOW + 172800));
  await due(NOW + 172799);
  assert.deepEqual(await timed(), []);
  await due(NOW + 172800);
  await due(NOW + 172800 + 3600);
  let es = await timed();
  assert.deepEqual(es.map((e) => [e.kind, e.safehouse, e.safehouse_name, e.agency, e.updated_at]),
    [['vacancies_stale', sid, 'Harbour House', 'ag-a', String(NOW)]]);
  await due(NOW + 2 * 172800);
  es = await timed();
  assert.equal(es.length, 2);
});

test('saving_vacancies_appends_vacancies_updated_and_moves_the_stale_time', async () => {
  const sid = await house();
  const later = NOW + 100000;
  const a = await beds('vacancies_set', { safehouse: sid, agency: 'ag-a', actor: 'ngo.a', vacant: '' }, later);
  assert.equal(a.status, 'ok');
  assert.equal(await r.call('ZSCORE', `${BASE}:due`, `stale:${sid}`), String(later + 172800));
  await due(NOW + 172800);
  assert.deepEqual(await timed(), []);
  const ups = (await kinds()).filter((e) => e.kind === 'vacancies_updated');
  assert.deepEqual(ups.map((e) => [e.safehouse, e.agency, e.updated_at, e.safehouse_name]),
    [[sid, 'ag-a', String(NOW), 'Harbour House'], [sid, 'ag-a', String(later), 'Harbour House']]);
});

test('a_call_does_at_most_limit_items_and_says_how_many_are_left', async () => {
  const sid = await house();
  const ids = [await hold(sid), await hold(sid), await hold(sid)];
  const a = await due(EXP, 4);
  assert.deepEqual([a.fields.done, a.fields.left], ['4', '2']);
  const b = await due(EXP, 4);
  assert.deepEqual([b.fields.done, b.fields.left], ['2', '0']);
  for (const id of ids) assert.equal(await r.call('HGET', `${BASE}:hold:${id}`, 'status'), 'expired');
  assert.equal((await timed()).filter((e) => e.kind === 'hold_expired').length, 3);
});

test('data_version_3_fills_the_due_set_for_open_holds_and_houses_stored_before', async () => {
  const sid = await house();
  const open = await hold(sid);
  const answered = await hold(sid);
  await beds('hold_act', { hold: answered, action: 'cancel', actor: 'responder.police', agency: 'police', reason: '' });
  // as version 2 left them: no due set, no settings on the hold or the house
  await r.call('DEL', `${BASE}:due`);
  await r.call('HDEL', `${BASE}:hold:${open}`, 'erase_after', 'warn_before');
  await r.call('HDEL', `${BASE}:sh:${sid}`, 'stale_after');
  await r.call('SET', `${BASE}:data-version`, '2');
  const m = await beds('migrate', { version: 3, houses: '[]' }, NOW + 60);
  assert.deepEqual([m.status, m.fields.from, m.fields.version, m.fields.houses], ['ok', '2', '3', '1']);
  assert.deepEqual(await dueSet(), [`hold_warn:${open}`, String(EXP - 900), `hold_expire:${open}`, String(EXP),
    `stale:${sid}`, String(NOW + 172800)]);
  assert.equal(await r.call('HGET', `${BASE}:hold:${open}`, 'erase_after'), '3600');
  // and the clock, with no settings of its own, expires it
  await due(EXP);
  assert.equal(await r.call('HGET', `${BASE}:hold:${open}`, 'status'), 'expired');
  assert.equal(await r.call('ZSCORE', `${BASE}:erase`, open), String(EXP + 3600));
  // a second run changes nothing
  const again = await beds('migrate', { version: 3, houses: '[]' });
  assert.deepEqual([again.fields.from, again.fields.houses], ['3', '0']);
});
