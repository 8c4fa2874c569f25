// dashboard.test.mjs - the dashboard sink's bookkeeping (modules/notify/
// lua/dashboard.lua, run by modules/notify/dashboard.c for each stream
// entry): what each event puts on or takes off the start page's lists, the
// week's figures, and that an entry applied twice, or one overtaken by a
// newer entry about the same thing, changes nothing.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const BASE = 'p:notify:{notify}:dash';
const AT = 1_796_450_000;  // Saturday 5 December 2026, 12:33 UTC
let server, r, src, seq = 0;

before(async () => {
  server = await startRedis();
  r = await connect(server.socket);
  src = scriptSource('notify', 'dashboard');
});
after(async () => { r.close(); await server.stop(); });
beforeEach(async () => { await r.call('FLUSHALL'); seq = 0; });

// Apply one entry of `stream` (a new id after the last unless `id` is given).
async function apply(stream, kind, fields = {}, id = `${AT}000-${++seq}`) {
  const argv = Object.entries({ sink_stream: stream, sink_entry: id, kind, at: AT, ...fields })
    .flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', src, 1, BASE, ...argv));
}

// The items of a scope, in score order, as [score, item].
async function items(scope) {
  const raw = await r.call('ZRANGE', `${BASE}:z:${scope}`, 0, -1, 'WITHSCORES');
  const out = [];
  for (let i = 0; i < raw.length; i += 2) out.push([Number(raw[i + 1]), JSON.parse(raw[i])]);
  return out;
}

const HOLD = { hold: '7', safehouse: '3', safehouse_name: 'Harbour House', agency: 'demo-charity-a',
  responder: 'responder.police', expires_at: AT + 7200, group: 'women', borough: 'hackney' };

test('a placed hold shows for the owning agency and the responder, and its answer takes it off both', async () => {
  assert.equal((await apply('beds', 'hold_placed', HOLD)).fields.applied, '1');
  const want = [[AT + 7200, { id: '7', safehouse: '3', name: 'Harbour House', expires_at: AT + 7200 }]];
  assert.deepEqual(await items('holds:demo-charity-a'), want);
  assert.deepEqual(await items('myholds:responder.police'), want);
  await apply('beds', 'hold_accepted', { ...HOLD, by: 'ngo.a' });
  assert.deepEqual(await items('holds:demo-charity-a'), []);
  assert.deepEqual(await items('myholds:responder.police'), []);
  assert.equal(await r.call('HLEN', `${BASE}:m:holds:demo-charity-a`), 0);
});

for (const kind of ['hold_declined', 'hold_cancelled', 'hold_expired']) {
  test(`${kind} takes the hold off the lists`, async () => {
    await apply('beds', 'hold_placed', HOLD);
    await apply('beds', kind, { ...HOLD, reason: 'no_bed' });
    assert.deepEqual(await items('holds:demo-charity-a'), []);
    assert.deepEqual(await items('myholds:responder.police'), []);
  });
}

test('an extended hold moves to its new expiry, one item still', async () => {
  await apply('beds', 'hold_placed', HOLD);
  await apply('beds', 'hold_extended', { ...HOLD, expires_at: AT + 9000 });
  const got = await items('holds:demo-charity-a');
  assert.equal(got.length, 1);
  assert.equal(got[0][0], AT + 9000);
  assert.equal(got[0][1].expires_at, AT + 9000);
});

test('an entry applied again changes nothing: the week counts a hold once', async () => {
  const id = `${AT}000-5`;
  assert.equal((await apply('beds', 'hold_placed', HOLD, id)).fields.applied, '1');
  assert.equal((await apply('beds', 'hold_placed', HOLD, id)).fields.applied, '0');
  const monday = Math.floor(AT / 86400) - ((Math.floor(AT / 86400) + 3) % 7);
  assert.equal(new Date(monday * 86400000).getUTCDay(), 1, 'the key names a Monday');
  assert.deepEqual(await r.call('HGETALL', `${BASE}:week:${monday}`), ['holds_placed', '1']);
});

test('an older entry about the same hold, delivered late, does not bring it back', async () => {
  await apply('beds', 'hold_cancelled', HOLD, `${AT}000-9`);
  assert.equal((await apply('beds', 'hold_placed', HOLD, `${AT}000-8`)).fields.applied, '0');
  assert.deepEqual(await items('holds:demo-charity-a'), []);
});

test('vacancies going stale list the house for its agency until they are updated', async () => {
  const f = { safehouse: '3', safehouse_name: 'Harbour House', agency: 'demo-charity-a', updated_at: AT - 50 * 3600 };
  await apply('beds', 'vacancies_stale', f);
  assert.deepEqual(await items('stale:demo-charity-a'), [[AT - 50 * 3600, { id: '3', name: 'Harbour House', updated_at: AT - 50 * 3600 }]]);
  await apply('beds', 'vacancies_updated', { ...f, updated_at: AT });
  assert.deepEqual(await items('stale:demo-charity-a'), []);
});

const BOOK = { booking: '40', session: '12', uid: 'responder.council', title: 'First Responder training',
  starts_at: AT + 3 * 86400, ends_at: AT + 3 * 86400 + 10800, trainer_agency: 'met-training' };

test('bookings put the session on the person\'s training; a promotion confirms it; cancelling takes it off', async () => {
  await apply('training', 'booking_waitlisted', BOOK);
  let got = await items('training:responder.council');
  assert.deepEqual(got.map(([s, i]) => [s, i.id, i.title, i.waitlisted]), [[AT + 3 * 86400, '12', 'First Responder training', true]]);
  await apply('training', 'booking_promoted', BOOK);
  got = await items('training:responder.council');
  assert.deepEqual(got.map(([, i]) => i.waitlisted), [false]);
  await apply('training', 'booking_cancelled', BOOK);
  assert.deepEqual(await items('training:responder.council'), []);
  const monday = Math.floor(AT / 86400) - ((Math.floor(AT / 86400) + 3) % 7);
  assert.deepEqual(await r.call('HGETALL', `${BASE}:week:${monday}`), ['bookings', '1'], 'a waitlisted booking counts once; promotion and cancelling do not');
});

test('a booking entry without the session\'s time is counted but not shown', async () => {
  const { title, starts_at, ends_at, ...old } = BOOK;
  assert.equal((await apply('training', 'booking_confirmed', old)).status, 'ok');
  assert.deepEqual(await items('training:responder.council'), []);
});

const SESSION = { session: '12', title: 'First Responder training', starts_at: AT + 86400, ends_at: AT + 86400 + 10800,
  agency: 'met-training', trainer: 'trainer.a', uids: '' };

test('a created session is on its agency\'s week and roster lists; attendance takes it off the rosters', async () => {
  await apply('training', 'session_created', SESSION);
  assert.deepEqual((await items('sessions:met-training')).map(([s, i]) => [s, i.id]), [[AT + 86400, '12']]);
  assert.deepEqual((await items('rosters:met-training')).map(([s, i]) => [s, i.id]), [[AT + 86400 + 10800, '12']]);
  await apply('training', 'attendance_recorded', { session: '12', title: 'x', starts_at: AT, uids: 'responder.council', by: 'trainer.a' });
  assert.deepEqual(await items('rosters:met-training'), []);
  assert.equal((await items('sessions:met-training')).length, 1);
});

test('a changed session moves for the trainers and for the people booked on it; a cancelled one goes from all', async () => {
  await apply('training', 'session_created', SESSION);
  await apply('training', 'booking_confirmed', BOOK);
  await apply('training', 'session_changed', { ...SESSION, starts_at: AT + 5 * 86400, ends_at: AT + 5 * 86400 + 3600, uids: 'responder.council someone.else' });
  assert.deepEqual((await items('training:responder.council')).map(([s]) => s), [AT + 5 * 86400]);
  assert.deepEqual(await items('training:someone.else'), [], 'nobody gains a booking from a change');
  assert.deepEqual((await items('sessions:met-training')).map(([s]) => s), [AT + 5 * 86400]);
  await apply('training', 'session_cancelled', { ...SESSION, uids: 'responder.council' });
  assert.deepEqual(await items('training:responder.council'), []);
  assert.deepEqual(await items('sessions:met-training'), []);
  assert.deepEqual(await items('rosters:met-training'), []);
});

test('changes and suggestions wait for review; approving counts a change made', async () => {
  const c = { change: '5', service: 'abc', service_name: 'Hope Project', agency: 'demo-charity-a', proposer: 'ngo.a', by: 'ngo.a' };
  await apply('directory', 'change_proposed', c);
  await apply('directory', 'suggestion_made', { suggestion: '9', service: 'abc', service_name: 'Hope Project', agency: '', by: 'responder.police' });
  assert.deepEqual((await items('review')).map(([, i]) => [i.what, i.ref, i.name]).sort(),
    [['change', '5', 'Hope Project'], ['suggestion', '9', 'Hope Project']]);
  await apply('directory', 'change_approved', { ...c, by: 'coordinator' });
  assert.deepEqual((await items('review')).map(([, i]) => i.what), ['suggestion']);
  const monday = Math.floor(AT / 86400) - ((Math.floor(AT / 86400) + 3) % 7);
  assert.deepEqual(await r.call('HGETALL', `${BASE}:week:${monday}`), ['changes_made', '1']);
});

test('a kind the dashboard does not show is ignored; an entry missing what it needs is malformed, saying what', async () => {
  assert.equal((await apply('beds', 'hold_expiring', HOLD)).status, 'ignored');
  const { agency, ...noAgency } = HOLD;
  const bad = await apply('beds', 'hold_placed', noAgency);
  assert.equal(bad.status, 'malformed');
  assert.match(bad.fields.why, /agency/);
  const noId = await apply('beds', 'hold_placed', { ...HOLD, hold: 'a b' });
  assert.match(noId.fields.why, /no valid hold/);
  assert.match((await apply('beds', 'hold_placed', { ...HOLD, at: 'soon' })).fields.why, /no time/);
  assert.deepEqual(await r.call('KEYS', '*'), [], 'nothing written for them');
});
