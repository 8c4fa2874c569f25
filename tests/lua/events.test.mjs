// events.test.mjs - the prelude's event() (common/lua/lib.lua) and the bed
// hold events the beds scripts append with it (issue 16's first slice):
// the entry's fields, the reserved names, the MAXLEN cap, and that placing,
// accepting, declining, cancelling and expiring a hold each append one event
// naming people by uid, with no reference and no call-back phone.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, connect, preludeSource, scriptSource, answer } from './lib/redis.mjs';

const BEDS = 'p:beds:{beds}';
const LABELS = 'Women|Men|Trans and non-binary people|';
const NOW = 1_900_000_000;
let server, r, dir;

before(async () => {
  server = await startRedis();
  r = await connect(server.socket);
  dir = mkdtempSync(join(tmpdir(), 'events-test-'));
});
after(async () => { r.close(); await server.stop(); rmSync(dir, { recursive: true, force: true }); });
beforeEach(async () => { await r.call('FLUSHALL'); });

let n = 0;
function prelude(body, args = {}) {
  const file = join(dir, `e${++n}.lua`);
  writeFileSync(file, `-- test script\n${body}\n`);
  const argv = Object.entries(args).flatMap(([k, v]) => [k, String(v)]);
  return r.call('EVAL', preludeSource(file), 1, 'p:{t}', ...argv);
}

// The stream's entries as [{id, kind, at, ...fields}].
async function entries(base) {
  const raw = await r.call('XRANGE', `${base}:events`, '-', '+');
  return raw.map(([id, f]) => {
    const o = { id };
    for (let i = 0; i < f.length; i += 2) o[f[i]] = f[i + 1];
    return o;
  });
}

test('event_appends_kind_at_and_sorted_fields_to_the_modules_stream', async () => {
  const id = await prelude("return event('thing_done', {zeta = 'z', alpha = 3})", { now: 1234 });
  assert.match(id, /^\d+-\d+$/);
  const raw = await r.call('XRANGE', 'p:{t}:events', '-', '+');
  assert.deepEqual(raw, [[id, ['kind', 'thing_done', 'at', '1234', 'alpha', '3', 'zeta', 'z']]]);
});

test('event_without_now_takes_the_time_from_redis', async () => {
  await prelude("return event('x', {})");
  const [e] = await entries('p:{t}');
  assert.ok(Math.abs(Number(e.at) - Date.now() / 1000) < 60, e.at);
});

test('event_refuses_a_field_named_kind_or_at', async () => {
  await assert.rejects(prelude("return event('x', {kind = 'y'})"), /event field kind is reserved/);
  await assert.rejects(prelude("return event('x', {at = 1})"), /event field at is reserved/);
  assert.equal(await r.call('EXISTS', 'p:{t}:events'), 0);
});

test('the_stream_is_capped_near_ten_thousand_entries', async () => {
  await prelude("for i = 1, 10500 do event('x', {i = i}) end return 1");
  const len = await r.call('XLEN', 'p:{t}:events');
  assert.ok(len >= 10000 && len < 10500, String(len));
});

// ---- the beds scripts ------------------------------------------------------
const src = {};
async function beds(name, args, now = NOW) {
  src[name] ??= scriptSource('beds', name);
  // every argument the beds scripts take, as beds.test.mjs passes them
  const all = { now, erase_after: 3600, groups: 'women,men,trans_non_binary,', warn_before: 900, stale_after: 172800,
    group_labels: LABELS,
    now_iso: new Date(now * 1000).toISOString().replace('.000', ''), now_text: `words ${now}`, card: '{"name":"H"}',
    index: '{"area":"","sets":[]}', ...args };
  const argv = Object.entries(all).flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', src[name], 1, BEDS, ...argv));
}

async function houseWithHold(extra = {}) {
  let a = await beds('safehouse_save', { safehouse: '', agency: 'ag-a', agency_name: 'A',
    doc: '{"name":"Harbour House"}', beds: '{"women":2}', actor: 'ngo.a' });
  const sid = String(JSON.parse(a.fields.house).id);
  a = await beds('vacancies_set', { safehouse: sid, agency: 'ag-a', actor: 'ngo.a', vacant: '{"women":2}' });
  a = await beds('hold_place', { safehouse: sid, group: 'women', responder: 'responder.police',
    responder_agency: 'police', responder_name: 'Sam Jones', responder_agency_name: 'Met',
    responder_agency_type: 'police', responder_unit: 'CE',
    reference: 'REF-SECRET-1', callback_phone: '020 7946 0000', minutes: 90, minute_seconds: 60,
    idempotency_key: '', max_pending: 3, ...extra });
  assert.equal(a.status, 'ok');
  return { sid, hold: String(JSON.parse(a.fields.hold).id) };
}

function act(hold, action, extra = {}, now = NOW) {
  return beds('hold_act', { hold, action, actor: 'responder.police', agency: 'ag-a', reason: '',
    add_seconds: 600, max_seconds: 14400, ...extra }, now);
}

function noPrivateDetails(e) {
  const text = JSON.stringify(e);
  assert.ok(!/REF-SECRET|7946|Sam Jones|callback|reference/.test(text), text);
}

test('placing_a_hold_appends_hold_placed_with_house_agency_responder_and_expiry', async () => {
  const { sid, hold } = await houseWithHold();
  const es = (await entries(BEDS)).filter((e) => e.kind !== 'vacancies_updated');
  assert.equal(es.length, 1);
  const { id, ...e } = es[0];
  assert.deepEqual(e, { kind: 'hold_placed', at: String(NOW), agency: 'ag-a', expires_at: String(NOW + 5400),
    hold, responder: 'responder.police', safehouse: sid, safehouse_name: 'Harbour House', group: 'women', borough: '',
    responder_agency_type: 'police', responder_unit: 'CE' });
  noPrivateDetails(es[0]);
});

test('accept_decline_cancel_each_append_their_event_and_extend_none', async () => {
  const one = await houseWithHold();
  assert.equal((await act(one.hold, 'extend')).status, 'ok');
  assert.equal((await act(one.hold, 'accept', { actor: 'ngo.a' })).status, 'ok');
  const two = await houseWithHold();
  assert.equal((await act(two.hold, 'decline', { actor: 'ngo.a', reason: 'risk_assessment' })).status, 'ok');
  const three = await houseWithHold();
  assert.equal((await act(three.hold, 'cancel')).status, 'ok');
  const es = (await entries(BEDS)).filter((e) => e.kind !== 'hold_placed' && e.kind !== 'vacancies_updated');
  assert.deepEqual(es.map((e) => [e.kind, e.hold, e.by, e.reason]), [
    ['hold_accepted', one.hold, 'ngo.a', undefined],
    ['hold_declined', two.hold, 'ngo.a', 'risk_assessment'],
    ['hold_cancelled', three.hold, 'responder.police', undefined]]);
  for (const e of es) { assert.equal(e.responder, 'responder.police'); noPrivateDetails(e); }
});

test('a_refused_action_appends_nothing', async () => {
  const { hold } = await houseWithHold();
  assert.equal((await act(hold, 'accept', { agency: 'ag-other' })).status, 'forbidden');
  assert.deepEqual((await entries(BEDS)).map((e) => e.kind), ['vacancies_updated', 'hold_placed']);
});

test('a_hold_expired_by_housekeeping_appends_hold_expired_once', async () => {
  const { hold } = await houseWithHold();
  const later = NOW + 5400 + 1;
  assert.equal((await beds('housekeeping', { mode: 'check', period: 60 }, later)).status, 'ok');
  assert.equal((await beds('housekeeping', { mode: 'check', period: 60 }, later + 5)).status, 'ok');
  const es = (await entries(BEDS)).filter((e) => e.kind === 'hold_expired');
  assert.equal(es.length, 1);
  assert.equal(es[0].hold, hold);
  assert.equal(es[0].at, String(later));
  assert.equal(es[0].safehouse_name, 'Harbour House');
});

// ---- the training scripts: booking confirmed, waitlisted, promoted ----------
const TRAINING = 'p:{training}';
const TYPES = 'police,local_authority,health,ngo,other';
const TYPE_LABELS = 'Police,Local authority,Health,NGO,Other';
async function training(name, args) {
  src[`t-${name}`] ??= scriptSource('training', name);
  const argv = Object.entries(args).flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', src[`t-${name}`], 1, TRAINING, ...argv));
}

test('booking_appends_confirmed_or_waitlisted_and_a_cancel_that_frees_a_seat_promoted', async () => {
  let a = await training('course_save', { id: '', title: 'T', summary: 'S', description: '', audience: '',
    duration_minutes: 60, organisation: 'Org', agency_id: 'ag' });
  const cid = JSON.parse(a.fields.course).id;
  const args = { course: cid, manager: 'coordinator', agency: '', starts_at: NOW + 30 * 86400,
    ends_at: NOW + 30 * 86400 + 3600, booking_closes_at: NOW + 30 * 86400, venue: 'Room', online: '0',
    join_link: '', capacity: 1, created_by: 'coord', types: TYPES, labels: TYPE_LABELS };
  // data version 3: the times' texts come with the call (C writes them from the clock)
  for (const name of ['starts_at', 'ends_at', 'booking_closes_at']) {
    Object.assign(args, { [`text:${name}`]: `iso ${name}`, [`words:${name}`]: `words ${name}`, [`year:${name}`]: '2030' });
  }
  for (const t of TYPES.split(',')) args[`seats:${t}`] = 0;
  a = await training('session_create', args);
  const sid = JSON.parse(a.fields.session).id;
  const book = (user) => training('book', { session: sid, now: NOW, username: user, name: `Name of ${user}`,
    agency_id: 'ag', agency_name: 'Ag', agency_type: 'police', release: 7 * 86400, cutoff: 86400,
    waitlist_max: 10, types: TYPES });
  const first = JSON.parse((await book('responder.police')).fields.booking);
  const second = JSON.parse((await book('responder.health')).fields.booking);
  assert.equal(second.status, 'waitlisted');
  a = await training('cancel', { session: sid, booking: first.id, now: NOW + 60, actor: 'responder.police', may: 'own',
    actor_agency: '', reason: 'cancelled', release: 7 * 86400, cutoff: 86400, types: TYPES });
  assert.equal(a.status, 'ok');
  const es = (await entries(TRAINING)).filter((e) => e.kind.startsWith('booking_'));
  assert.deepEqual(es.map((e) => [e.kind, e.at, e.booking, e.session, e.uid]), [
    ['booking_confirmed', String(NOW), first.id, String(sid), 'responder.police'],
    ['booking_waitlisted', String(NOW), second.id, String(sid), 'responder.health'],
    ['booking_cancelled', String(NOW + 60), first.id, String(sid), 'responder.police'],
    ['booking_promoted', String(NOW + 60), second.id, String(sid), 'responder.health']]);
  for (const e of es) assert.ok(!JSON.stringify(e).includes('Name of'), 'people by uid, not by name');
});
