// training.test.mjs - each script of modules/training/lua/ on its own,
// against a redis-server started here: every error code and branch,
// including session_update's seats_below_confirmed, which changes nothing.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const BASE = 'p:{training}';
const TYPES = 'police,local_authority,health,ngo,other';
const LABELS = 'Police,Local authority,Health,NGO,Other';
const NOW = 1_900_000_000;
const DAY = 24 * 3600;
let server, r;
const src = {};

before(async () => {
  server = await startRedis();
  r = await connect(server.socket);
});
after(async () => { r.close(); await server.stop(); });
beforeEach(async () => { await r.call('FLUSHALL'); });

// Run script `name` with ARGV pairs from `args`; returns { status, fields }.
async function run(name, args) {
  src[name] ??= scriptSource('training', name);
  const argv = Object.entries(args).flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', src[name], 1, BASE, ...argv));
}

const key = (...parts) => `${BASE}:${parts.join(':')}`;

// The texts C sends with a session's times (the stored view's): here each
// time's words are "words <t>" and its year 2030.
function times(starts, ends, closes) {
  const out = {};
  for (const [name, t] of [['starts_at', starts], ['ends_at', ends], ['booking_closes_at', closes]]) {
    Object.assign(out, { [`text:${name}`]: `iso ${t}`, [`words:${name}`]: `words ${t}`, [`year:${name}`]: '2030' });
  }
  return out;
}

async function course(agency = 'agency-a') {
  const a = await run('course_save', { id: '', title: 'T', summary: 'S', description: '', audience: '',
    duration_minutes: 60, organisation: 'Org', agency_id: agency });
  assert.equal(a.status, 'ok');
  return JSON.parse(a.fields.course).id;
}

// A session starting `startsIn` seconds after NOW; seats per type.
async function session({ capacity = 2, seats = {}, startsIn = 30 * DAY, closesIn } = {}) {
  const cid = await course();
  const args = { course: cid, manager: 'coordinator', agency: '', starts_at: NOW + startsIn,
    ends_at: NOW + startsIn + 3600, booking_closes_at: NOW + (closesIn ?? startsIn), venue: 'Room', online: '0',
    join_link: '', capacity, created_by: 'coord', types: TYPES, labels: LABELS,
    ...times(NOW + startsIn, NOW + startsIn + 3600, NOW + (closesIn ?? startsIn)) };
  for (const t of TYPES.split(',')) args[`seats:${t}`] = seats[t] ?? 0;
  const a = await run('session_create', args);
  assert.equal(a.status, 'ok');
  return JSON.parse(a.fields.session).id;
}

function book(sid, user, type = 'police', extra = {}) {
  return run('book', { session: sid, now: NOW, username: user, name: user, agency_id: `ag-${user}`,
    agency_name: 'Ag', agency_type: type, release: 7 * DAY, cutoff: DAY, waitlist_max: 10, types: TYPES, labels: LABELS, ...extra });
}

function cancel(sid, booking, actor, extra = {}) {
  return run('cancel', { session: sid, booking, now: NOW, actor, may: 'own', actor_agency: '', reason: 'cancelled',
    release: 7 * DAY, cutoff: DAY, types: TYPES, labels: LABELS, ...extra });
}

function update(sid, fields, now = NOW) {
  return run('session_update', { session: sid, now, actor: 'trainer.a', release: 7 * DAY, cutoff: DAY, types: TYPES, labels: LABELS, ...fields });
}

// Every key and its DUMP, to prove a refused call changed nothing.
async function snapshot() {
  const out = {};
  for (const k of (await r.call('KEYS', '*')).sort()) out[k] = await r.call('DUMP', k);
  return out;
}

test('every_key_lives_under_the_training_hash_tag', async () => {
  const sid = await session();
  await book(sid, 'ann');
  for (const k of await r.call('KEYS', '*')) assert.ok(k.startsWith(`${BASE}:`), k);
});

test('a_missing_argument_is_a_script_error_naming_it', async () => {
  src.book ??= scriptSource('training', 'book');
  await assert.rejects(r.call('EVAL', src.book, 1, BASE, 'session', '1'), /argument now is missing/);
});

test('script_errors_report_the_lua_files_own_line_numbers', async () => {
  src.attend ??= scriptSource('training', 'attend');
  // attend.lua line 6 reads need_num('now'): its error names line 6
  await assert.rejects(r.call('EVAL', src.attend, 1, BASE, 'session', '1', 'now', 'x'), /:6:/);
});

test('book_refuses_unknown_cancelled_started_and_closed_sessions', async () => {
  assert.equal((await book(99, 'ann')).status, 'not_found');
  const started = await session({ startsIn: -60 });
  assert.equal((await book(started, 'ann')).status, 'session_started');
  const closed = await session({ startsIn: DAY * 3, closesIn: -60 });
  assert.equal((await book(closed, 'ann')).status, 'booking_closed');
  const gone = await session();
  assert.equal((await run('session_cancel', { session: gone, now: NOW, actor: 'c', types: TYPES, labels: LABELS })).status, 'ok');
  assert.equal((await book(gone, 'ann')).status, 'session_cancelled');
});

test('book_takes_own_set_aside_seat_then_general_then_waitlist_then_full', async () => {
  const sid = await session({ capacity: 2, seats: { police: 1 } });
  const a = await book(sid, 'ann', 'police');
  assert.equal(a.status, 'ok');
  assert.deepEqual([JSON.parse(a.fields.booking).status, JSON.parse(a.fields.booking).seat], ['confirmed', 'police']);
  const b = JSON.parse((await book(sid, 'bob', 'health')).fields.booking);
  assert.equal(b.seat, 'general');
  const c = JSON.parse((await book(sid, 'cat', 'health')).fields.booking);
  assert.deepEqual([c.status, c.waitlist_position], ['waitlisted', 1]);
  assert.equal(await r.call('HGET', key('session', sid), 'waitlist_length'), '1');
  assert.equal((await book(sid, 'dan', 'health', { waitlist_max: 1 })).status, 'waitlist_full');
  // the person's index ("My training") has the booking
  assert.deepEqual(await r.call('ZRANGE', key('user', 'ann', 'bookings'), 0, -1), [`${sid}-1`]);
});

test('book_twice_answers_already_booked_with_the_booking_and_repairs_the_index', async () => {
  const sid = await session();
  await book(sid, 'ann');
  await r.call('DEL', key('user', 'ann', 'bookings'));
  const again = await book(sid, 'ann');
  assert.equal(again.status, 'already_booked');
  assert.equal(JSON.parse(again.fields.booking).id, `${sid}-1`);
  assert.equal(await r.call('ZCARD', key('user', 'ann', 'bookings')), 1);
});

test('book_may_take_another_types_seat_only_inside_the_release_window', async () => {
  const far = await session({ capacity: 1, seats: { police: 1 }, startsIn: 30 * DAY });
  assert.equal(JSON.parse((await book(far, 'ann', 'health')).fields.booking).status, 'waitlisted');
  const near = await session({ capacity: 1, seats: { police: 1 }, startsIn: 3 * DAY });
  const b = JSON.parse((await book(near, 'ann', 'health')).fields.booking);
  assert.deepEqual([b.status, b.seat], ['confirmed', 'police']);
});

test('cancel_refuses_unknown_others_twice_and_after_the_start', async () => {
  const sid = await session();
  assert.equal((await cancel(sid, `${sid}-9`, 'ann')).status, 'not_found');
  await book(sid, 'ann');
  assert.equal((await cancel(sid, `${sid}-1`, 'bob')).status, 'forbidden');
  assert.equal((await cancel(sid, `${sid}-1`, 'bob', { may: 'agency', actor_agency: 'other' })).status, 'forbidden');
  assert.equal((await cancel(sid, `${sid}-1`, 'ann', { now: NOW + 31 * DAY })).status, 'session_started');
  assert.equal((await cancel(sid, `${sid}-1`, 'ann')).status, 'ok');
  assert.equal((await cancel(sid, `${sid}-1`, 'ann')).status, 'already_cancelled');
});

test('cancel_by_a_trainer_of_the_agency_or_a_coordinator_and_the_seat_goes_to_the_waitlist', async () => {
  const sid = await session({ capacity: 1 });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const a = await cancel(sid, `${sid}-1`, 'trainer', { may: 'agency', actor_agency: 'agency-a' });
  assert.equal(a.status, 'ok');
  const promoted = JSON.parse(a.fields.promoted);
  assert.deepEqual(promoted.map((b) => [b.id, b.status, b.notice]), [[`${sid}-2`, 'confirmed', 'promoted']]);
  assert.equal(await r.call('HGET', key('session', sid), 'confirmed'), '1');
  assert.equal(await r.call('HGET', key('people', sid), 'ann'), null);
  // leaving the waitlist gives back no seat
  await book(sid, 'cat');
  const left = await cancel(sid, `${sid}-3`, 'cat');
  assert.equal(JSON.parse(left.fields.booking).was, 'waitlisted');
  assert.equal(await r.call('ZCARD', key('waitlist', sid)), 0);
  assert.equal((await cancel(sid, `${sid}-2`, 'coord', { may: 'any' })).status, 'ok');
});

test('no_promotion_after_the_cut_off', async () => {
  const sid = await session({ capacity: 1, startsIn: DAY / 2 });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const a = await cancel(sid, `${sid}-1`, 'ann');
  assert.equal(a.fields.promoted, '[]');
  assert.equal(await r.call('ZCARD', key('waitlist', sid)), 1);
});

test('session_view_answers_the_session_mine_and_the_roster_in_booking_order', async () => {
  assert.equal((await run('session_view', { session: 5, username: '', roster: '0', from: 0, count: 0 })).status, 'not_found');
  const sid = await session({ capacity: 1 });
  for (const u of ['ann', 'bob', 'cat']) await book(sid, u);
  const v = await run('session_view', { session: sid, username: 'cat', roster: '1', from: 0, count: 0 });
  assert.equal(JSON.parse(v.fields.session).id, sid);
  assert.equal(JSON.parse(v.fields.mine).waitlist_position, 2);
  assert.deepEqual(JSON.parse(v.fields.roster).map((b) => b.username), ['ann', 'bob', 'cat']);
  // a page of the roster: the second and third, the total of every booking
  const part = await run('session_view', { session: sid, username: '', roster: '1', from: 1, count: 5 });
  assert.deepEqual([part.fields.roster_total, JSON.parse(part.fields.roster).map((b) => [b.username, b.waitlist_position])],
    ['3', [['bob', 1], ['cat', 2]]]);
  const none = await run('session_view', { session: sid, username: 'zed', roster: '0', from: 0, count: 0 });
  assert.deepEqual([none.fields.mine, none.fields.roster], ['', '']);
});

test('session_cancel_cancels_every_live_booking_with_a_notice_and_only_once', async () => {
  assert.equal((await run('session_cancel', { session: 4, now: NOW, actor: 'c', types: TYPES, labels: LABELS })).status, 'not_found');
  const sid = await session({ capacity: 1 });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const a = await run('session_cancel', { session: sid, now: NOW, actor: 'c', types: TYPES, labels: LABELS });
  assert.equal(a.status, 'ok');
  assert.equal(JSON.parse(a.fields.bookings).length, 2);
  const s = JSON.parse(a.fields.session);
  assert.deepEqual([s.status, s.confirmed, s['used:general'], s.sequence], ['cancelled', '0', '0', '1']);
  const b = JSON.parse(await r.call('HGET', key('bookings', sid), `${sid}-2`));
  assert.deepEqual([b.status, b.notice, b.was], ['cancelled', 'session_cancelled', 'waitlisted']);
  assert.equal((await run('session_cancel', { session: sid, now: NOW, actor: 'c', types: TYPES, labels: LABELS })).status, 'already_cancelled');
});

test('session_update_refuses_unknown_and_cancelled_sessions', async () => {
  assert.equal((await update(7, { capacity: 3 })).status, 'not_found');
  const sid = await session();
  await run('session_cancel', { session: sid, now: NOW, actor: 'c', types: TYPES, labels: LABELS });
  assert.equal((await update(sid, { capacity: 3 })).status, 'session_cancelled');
});

test('session_update_seats_below_confirmed_changes_nothing', async () => {
  // three confirmed: ann (police seat), bob and cat (general); the new
  // numbers would move ann to a general seat before finding none for cat
  const sid = await session({ capacity: 3, seats: { police: 1 } });
  for (const [u, t] of [['ann', 'police'], ['bob', 'health'], ['cat', 'health']]) await book(sid, u, t);
  const before = await snapshot();
  const a = await update(sid, { capacity: 2, 'seats:police': 0, 'seats:health': 0 });
  assert.deepEqual([a.status, a.fields.confirmed], ['seats_below_confirmed', '3']);
  assert.deepEqual(await snapshot(), before);
});

test('session_update_reseats_bumps_the_sequence_moves_the_index_and_promotes', async () => {
  const sid = await session({ capacity: 1, seats: { police: 1 } });
  await book(sid, 'ann', 'police');
  await book(sid, 'bob', 'health');
  const a = await update(sid, { capacity: 2, 'seats:police': 0, starts_at: NOW + 40 * DAY, online: '0' });
  assert.equal(a.status, 'ok');
  const s = JSON.parse(a.fields.session);
  assert.deepEqual([s.capacity, s.sequence, s.confirmed, s['used:general']], ['2', '1', '2', '2']);
  assert.equal(JSON.parse(await r.call('HGET', key('bookings', sid), `${sid}-1`)).seat, 'general');
  assert.deepEqual(JSON.parse(a.fields.promoted).map((b) => b.username), ['bob']);
  assert.equal(await r.call('ZSCORE', key('sessions'), sid), String(NOW + 40 * DAY));
});

test('session_update_to_in_person_drops_the_joining_link', async () => {
  const sid = await session();
  await update(sid, { online: '1', join_link: 'https://x.example' });
  assert.equal(await r.call('HGET', key('session', sid), 'join_link'), 'https://x.example');
  await update(sid, { online: '0' });
  assert.equal(await r.call('HEXISTS', key('session', sid), 'join_link'), 0);
});

test('attend_marks_confirmed_places_from_the_start_for_the_window', async () => {
  const sid = await session({ capacity: 1, startsIn: 3600 });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const mark = (booking, now) => run('attend', { session: sid, booking, now, attendance: 'attended', window: 14 * DAY, actor: 't' });
  assert.equal((await mark(`${sid}-9`, NOW + 7200)).status, 'not_found');
  assert.equal((await mark(`${sid}-2`, NOW + 7200)).status, 'not_confirmed');
  assert.equal((await mark(`${sid}-1`, NOW)).status, 'not_started');
  assert.equal((await mark(`${sid}-1`, NOW + 3600 + 15 * DAY)).status, 'attendance_closed');
  const a = await mark(`${sid}-1`, NOW + 7200);
  assert.deepEqual([a.status, JSON.parse(a.fields.booking).attendance], ['ok', 'attended']);
});

test('booking_view_clears_a_notice_only_when_asked', async () => {
  const sid = await session({ capacity: 1 });
  assert.equal((await run('booking_view', { session: sid, booking: `${sid}-1`, clear_notice: '0' })).status, 'not_found');
  await book(sid, 'ann');
  await book(sid, 'bob');
  await cancel(sid, `${sid}-1`, 'ann');
  const view = (clear) => run('booking_view', { session: sid, booking: `${sid}-2`, clear_notice: clear });
  assert.equal(JSON.parse((await view('0')).fields.booking).notice, 'promoted');
  assert.equal(JSON.parse((await view('1')).fields.booking).notice, 'promoted');
  assert.equal(JSON.parse((await view('0')).fields.booking).notice, '');
  assert.equal(JSON.parse((await view('0')).fields.session).id, sid);
});

test('session_create_refuses_a_missing_course_and_another_agencys_course', async () => {
  const cid = await course('agency-a');
  const args = { manager: 'trainer', agency: 'agency-b', starts_at: NOW + DAY, ends_at: NOW + DAY + 60,
    booking_closes_at: NOW + DAY, venue: 'R', online: '0', join_link: '', capacity: 3, created_by: 't', types: TYPES,
    labels: LABELS, ...times(NOW + DAY, NOW + DAY + 60, NOW + DAY) };
  for (const t of TYPES.split(',')) args[`seats:${t}`] = 0;
  assert.equal((await run('session_create', { ...args, course: 99 })).status, 'course_not_found');
  assert.equal((await run('session_create', { ...args, course: cid })).status, 'forbidden');
  assert.equal((await run('session_create', { ...args, course: cid, agency: '' })).status, 'forbidden');
  const a = await run('session_create', { ...args, course: cid, agency: 'agency-a' });
  const s = JSON.parse(a.fields.session);
  assert.deepEqual([s.id, s.course_id, s.status, s['seats:police']], ['1', cid, 'scheduled', '0']);
  assert.equal(await r.call('ZSCORE', key('sessions'), '1'), String(NOW + DAY));
});

test('course_save_adds_changes_and_refuses_an_unknown_course', async () => {
  const cid = await course();
  const fields = { title: 'New', summary: 'S', description: 'D', audience: 'A', duration_minutes: 90,
    organisation: 'O', agency_id: 'agency-a' };
  const a = await run('course_save', { id: cid, ...fields });
  assert.equal(JSON.parse(a.fields.course).title, 'New');
  assert.equal((await run('course_save', { id: '77', ...fields })).status, 'not_found');
  assert.deepEqual(await r.call('ZRANGE', key('courses'), 0, -1), [cid]);
});

test('courses_list_sessions_range_and_my_bookings_answer_in_one_call', async () => {
  await course();
  await course();
  const cl = await run('courses_list', { from: 1, count: 1 });
  assert.equal(JSON.parse(cl.fields.courses).length, 1);
  assert.equal(Number(cl.fields.total), (await r.call('ZCARD', key('courses'))));
  assert.deepEqual(JSON.parse(cl.fields.courses)[0].id, (await r.call('ZRANGE', key('courses'), 1, 1))[0]);
  const s1 = await session({ startsIn: DAY });
  const s2 = await session({ startsIn: 2 * DAY });
  await book(s1, 'ann');
  await book(s2, 'ann');
  const range = await run('sessions_range', { from: NOW, to: '+inf', limit: 10, courses_limit: 10 });
  assert.deepEqual(JSON.parse(range.fields.sessions).map((s) => s.id), [s1, s2]);
  assert.equal(JSON.parse(range.fields.sessions)[0].view_static, undefined);   // the hash, without its stored view
  assert.deepEqual(JSON.parse(range.fields.rosters).map((x) => x.map((b) => b.username)), [['ann'], ['ann']]);
  // every course, booked or not (the report lists each)
  assert.deepEqual(JSON.parse(range.fields.courses).map((c) => c.title), ['T', 'T', 'T', 'T']);
  const some = await run('sessions_range', { from: NOW + DAY + 1, to: NOW + 3 * DAY, limit: 10, courses_limit: 2 });
  assert.deepEqual([JSON.parse(some.fields.sessions).map((s) => s.id), JSON.parse(some.fields.courses).length], [[s2], 2]);
  const none = await run('sessions_range', { from: 0, to: 1, limit: 10, courses_limit: 10 });
  assert.deepEqual([none.fields.sessions, none.fields.rosters], ['[]', '[]']);
  const mine = JSON.parse((await run('my_bookings', { username: 'ann', limit: 10, from: 0, count: 10, view: '0' })).fields.items);
  assert.deepEqual(mine.map((i) => [i.booking.id, i.session.id]), [[`${s2}-1`, s2], [`${s1}-1`, s1]]);
  // page 2 of 1: the older booking; the total counts both
  const p2 = await run('my_bookings', { username: 'ann', limit: 10, from: 1, count: 1, view: '0' });
  assert.deepEqual([p2.fields.total, JSON.parse(p2.fields.items).map((i) => i.booking.id)], ['2', [`${s1}-1`]]);
  assert.equal((await run('my_bookings', { username: 'nobody', limit: 10, from: 0, count: 10, view: '0' })).fields.items, '[]');
  // ready-made: the page's bookings with their stored session views, the
  // notices and completed courses of every booking, the total
  const reader = { now: NOW, release: 7 * DAY, year: '2030', manager: '', agency: '', types: TYPES, labels: LABELS };
  // the "my" pieces joined in order are the answer's JSON text
  const myText = async (args) => {
    src.my_bookings ??= scriptSource('training', 'my_bookings');
    const reply = await r.call('EVAL', src.my_bookings, 1, BASE, ...Object.entries(args).flatMap(([k, v]) => [k, String(v)]));
    assert.equal(reply[0], 'ok');
    let text = '';
    for (let i = 1; i + 1 < reply.length; i += 2) if (reply[i] === 'my') text += reply[i + 1];
    return JSON.parse(text);
  };
  const ready = await myText({ username: 'ann', limit: 10, from: 1, count: 1, view: '1', ...reader });
  assert.deepEqual([ready.total, ready.page, ready.per_page, ready.bookings.map((b) => [b.id, b.session.id])],
    [2, 2, 1, [[`${s1}-1`, s1]]]);
  assert.deepEqual([ready.bookings[0].is_confirmed, ready.bookings[0].agency_type_label, ready.has_upcoming, ready.upcoming.length],
    [true, 'Police', true, 1]);
  const empty = await myText({ username: 'nobody', limit: 10, from: 0, count: 20, view: '1', ...reader });
  assert.deepEqual([empty.bookings, empty.notices, empty.total], [[], [], 0]);
});

test('migrate_moves_version_1_keys_once_and_stamps_the_version', async () => {
  const P = 'p:';
  await r.call('SET', `${P}training:courses:seq`, '1');
  await r.call('ZADD', `${P}training:courses`, 1, '1');
  await r.call('HSET', `${P}training:course:{c:1}`, 'id', '1', 'title', 'Old');
  await r.call('SET', `${P}training:sessions:seq`, '1');
  await r.call('ZADD', `${P}training:sessions`, NOW, '1');
  await r.call('HSET', `${P}training:{s:1}:session`, 'id', '1', 'status', 'scheduled');
  await r.call('HSET', `${P}training:{s:1}:bookings`, '1-1', '{"id":"1-1"}');
  await r.call('HSET', `${P}training:{s:1}:people`, 'ann', '1-1');
  await r.call('ZADD', `${P}training:{s:1}:waitlist`, 1, '1-2');
  await r.call('ZADD', `${P}training:user:{u:ann}:bookings`, NOW, '1-1');
  await r.call('SET', `${P}training:demo-loaded`, '1');
  await r.call('SET', `${P}training:{s:1}:strange`, 'x');
  const a = await run('migrate', { prefix: P, version: 2, now: NOW, types: TYPES, labels: LABELS });
  // the session of version 1 has no times' texts: pending (C makes them), so
  // the version is stamped by the next run, after session_refresh
  assert.deepEqual({ ...a.fields, pending: JSON.parse(a.fields.pending) }, { from: '1', version: '1', moved: '11',
    left: '1', views: '0', pending: [{ id: '1', starts_at: 0, ends_at: 0, booking_closes_at: 0 }] });
  assert.equal((await run('session_refresh', { session: 1, types: TYPES, labels: LABELS, ...times(NOW, 0, 0) })).status, 'ok');
  const b = await run('migrate', { prefix: P, version: 2, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual(b.fields, { from: '1', version: '2', moved: '0', left: '1', views: '1', pending: '[]' });
  assert.equal(await r.call('HGET', key('course', 1), 'title'), 'Old');
  assert.equal(await r.call('HGET', key('people', 1), 'ann'), '1-1');
  assert.equal(await r.call('ZSCORE', key('user', 'ann', 'bookings'), '1-1'), String(NOW));
  assert.equal(await r.call('GET', key('demo-loaded')), '1');
  assert.equal(await r.call('GET', key('data-version')), '2');
  const again = await run('migrate', { prefix: P, version: 2, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual(again.fields, { from: '2', version: '2', moved: '0', left: '0', views: '0', pending: '[]' });
});

test('migrate_on_an_empty_store_only_stamps_the_version', async () => {
  const a = await run('migrate', { prefix: 'p:', version: 3, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual(a.fields, { from: '1', version: '3', moved: '0', left: '0', views: '0', pending: '[]' });
  assert.deepEqual(await r.call('KEYS', '*'), [key('data-version')]);
});

// ---- stored views and the reads that assemble them (data version 3) ----------

const READER = { now: NOW, release: 7 * DAY, year: '2030', manager: '', agency: '' };

// sessions_page's answer: the total, and the list its "sessions" pieces
// make when joined in order (as C joins them).
async function page(args = {}) {
  src.sessions_page ??= scriptSource('training', 'sessions_page');
  const argv = Object.entries({ from: 0, to: '+inf', course: '', page: 1, per_page: 20, ...READER, ...args })
    .flatMap(([k, v]) => [k, String(v)]);
  const reply = await r.call('EVAL', src.sessions_page, 1, BASE, ...argv);
  assert.equal(reply[0], 'ok');
  let text = '';
  for (let i = 1; i + 1 < reply.length; i += 2) if (reply[i] === 'sessions') text += reply[i + 1];
  return { total: Number(answer(reply).fields.total), sessions: JSON.parse(text) };
}

async function get(sid, args = {}) {
  return run('session_get', { session: sid, username: '', ...READER, ...args });
}

test('a_session_view_is_stored_on_create_and_assembled_by_the_reads', async () => {
  const sid = await session({ capacity: 4, seats: { police: 1 } });
  const view = await r.call('HGET', key('views', 'static'), sid);
  assert.ok(view.startsWith(`{"id":"${sid}"`), view);
  // a booking rewrites only the short seat texts, never the static members
  assert.ok((await r.call('HGET', key('views', 'open'), sid)).startsWith(',"confirmed":0,'));
  assert.equal(await r.call('HGET', key('session', sid), 'view_static'), null);
  const [s] = (await page()).sessions;
  assert.equal(s.id, sid);
  assert.equal(s.starts_at, `iso ${NOW + 30 * DAY}`);
  assert.equal(s.starts_at_human, `words ${NOW + 30 * DAY}`);   // the reader's year: no year
  assert.deepEqual([s.capacity, s.confirmed, s.seats_left, s.waitlist_length], [4, 0, 4, 0]);
  assert.deepEqual(s.agency_seats, { police: 1, local_authority: 0, health: 0, ngo: 0, other: 0 });
  assert.deepEqual(s.agency_seats_left, { police: 4, local_authority: 3, health: 3, ngo: 3, other: 3 });
  assert.deepEqual(s.agency_mix[0], { type: 'police', label: 'Police', set_aside: 1, seats_left: 4 });
  assert.equal(s.agency_mix[1].label, 'Local authority');
  assert.deepEqual([s.set_aside_released, s.past, s.bookable, s.cancelled, s.can_change], [false, false, true, false, false]);
  assert.equal(s.join_link, undefined);
  // another year's reader sees the year; a later reader sees it past
  const [later] = (await page({ year: '2029', now: NOW + 31 * DAY })).sessions;
  assert.equal(later.ends_at_human, `words ${NOW + 30 * DAY + 3600} 2030`);
  assert.deepEqual([later.past, later.bookable, later.set_aside_released], [true, false, true]);
  assert.deepEqual(later.agency_seats_left, { police: 4, local_authority: 4, health: 4, ngo: 4, other: 4 });
});

test('with_no_set_aside_seat_free_the_released_view_counts_as_the_open_one', async () => {
  // seat_views writes the released text from the open one when no set-aside seat is free
  const sid = await session({ capacity: 3 });
  assert.equal((await book(sid, 'u1', 'ngo')).status, 'ok');
  const [open] = (await page()).sessions;
  const [released] = (await page({ now: NOW + 29 * DAY })).sessions;
  assert.deepEqual([open.set_aside_released, released.set_aside_released], [false, true]);
  assert.deepEqual(released.agency_seats_left, { police: 2, local_authority: 2, health: 2, ngo: 2, other: 2 });
  assert.deepEqual(released.agency_seats_left, open.agency_seats_left);
  assert.deepEqual(released.agency_mix, open.agency_mix);
  assert.deepEqual(open.agency_mix[3], { type: 'ngo', label: 'NGO', set_aside: 0, seats_left: 2 });
  // a set-aside seat free: the released text is built on its own
  const kept = await session({ capacity: 3, seats: { police: 1 } });
  const [k1] = (await page({ now: NOW + 29 * DAY })).sessions.filter((x) => x.id === kept);
  assert.deepEqual([k1.set_aside_released, k1.agency_seats_left.ngo], [true, 3]);
  const [k0] = (await page()).sessions.filter((x) => x.id === kept);
  assert.deepEqual([k0.set_aside_released, k0.agency_seats_left.ngo, k0.agency_seats_left.police], [false, 2, 3]);
});

test('the_reads_encode_nothing', async () => {
  // the read scripts assemble stored text: no cjson.encode on their path
  const lua = (name) => readFileSync(new URL(`../../modules/training/lua/${name}.lua`, import.meta.url), 'utf8');
  const lib = lua('lib');
  const reads = lib.slice(lib.indexOf('-- The reads.'));
  assert.match(reads, /local function read_views/);
  for (const [name, text] of [['sessions_page', lua('sessions_page')], ['session_get', lua('session_get')], ['lib.lua reads', reads]]) {
    assert.doesNotMatch(text, /cjson\.encode|list_json/, name);
  }
});

test('sessions_page_pages_counts_and_filters_by_course', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await session({ startsIn: (10 + i) * DAY }));
  const p2 = await page({ page: 2, per_page: 2 });
  assert.equal(p2.total, 3);
  assert.deepEqual(p2.sessions.map((s) => s.id), [ids[2]]);
  const past = await page({ page: 5, per_page: 2 });
  assert.deepEqual([past.total, past.sessions], [3, []]);
  const one = await page({ course: JSON.parse(`${await r.call('HGET', key('views', 'static'), ids[1])}}`).course_id });
  assert.deepEqual([one.total, one.sessions.map((s) => s.id)], [1, [ids[1]]]);
  const ranged = await page({ from: NOW + 10.5 * DAY, to: NOW + 11.5 * DAY });
  assert.deepEqual(ranged.sessions.map((s) => s.id), [ids[1]]);
  assert.deepEqual((await page({ course: '999' })).sessions, []);
});

test('a_session_over_new_year_says_each_times_year_unless_it_is_the_readers', async () => {
  const sid = await session();
  await update(sid, { 'year:ends_at': '2031' });
  const [s] = (await page()).sessions;
  assert.deepEqual([s.starts_at_human, s.ends_at_human], [`words ${NOW + 30 * DAY}`, `words ${NOW + 30 * DAY + 3600} 2031`]);
  const [next] = (await page({ year: '2031' })).sessions;
  assert.deepEqual([next.starts_at_human, next.ends_at_human], [`words ${NOW + 30 * DAY} 2030`, `words ${NOW + 30 * DAY + 3600}`]);
});

test('sessions_page_says_who_may_change_each_session', async () => {
  await session();
  assert.equal((await page({ manager: 'coordinator' })).sessions[0].can_change, true);
  assert.equal((await page({ manager: 'trainer', agency: 'agency-a' })).sessions[0].can_change, true);
  assert.equal((await page({ manager: 'trainer', agency: 'agency-b' })).sessions[0].can_change, false);
  assert.equal((await page({ manager: 'trainer', agency: '' })).sessions[0].can_change, false);
});

test('session_get_answers_the_view_the_readers_booking_and_not_found', async () => {
  assert.equal((await get(42)).status, 'not_found');
  const sid = await session({ capacity: 1 });
  await update(sid, { online: '1', join_link: 'https://x.example/j' });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const anon = await get(sid);
  assert.equal(anon.status, 'ok');
  assert.equal(JSON.parse(anon.fields.session).join_link, undefined);
  assert.deepEqual([anon.fields.may_manage, anon.fields.mine, JSON.parse(anon.fields.title)], ['0', '', 'T']);
  const ann = await get(sid, { username: 'ann' });
  assert.equal(JSON.parse(ann.fields.session).join_link, 'https://x.example/j');
  assert.equal(JSON.parse(ann.fields.mine).status, 'confirmed');
  const bob = await get(sid, { username: 'bob' });
  assert.equal(JSON.parse(bob.fields.session).join_link, undefined);
  assert.deepEqual([JSON.parse(bob.fields.mine).status, bob.fields.waitlist_position], ['waitlisted', '1']);
  const coord = await get(sid, { manager: 'coordinator' });
  assert.deepEqual([coord.fields.may_manage, JSON.parse(coord.fields.session).join_link], ['1', 'https://x.example/j']);
});

test('every_change_rewrites_the_stored_view', async () => {
  const sid = await session({ capacity: 2 });
  const view = async () => JSON.parse((await get(sid)).fields.session);
  await book(sid, 'ann');
  assert.deepEqual([(await view()).confirmed, (await view()).seats_left], [1, 1]);
  await book(sid, 'bob');
  await book(sid, 'cat');
  assert.deepEqual([(await view()).seats_left, (await view()).waitlist_length], [0, 1]);
  await cancel(sid, `${sid}-1`, 'ann');
  assert.deepEqual([(await view()).confirmed, (await view()).waitlist_length], [2, 0]);   // cat promoted
  await update(sid, { capacity: 5, venue: 'Hall', ...times(NOW + 40 * DAY, NOW + 40 * DAY + 60, NOW + 40 * DAY) });
  const changed = await view();
  assert.deepEqual([changed.capacity, changed.venue, changed.sequence, changed.starts_at],
    [5, 'Hall', 1, `iso ${NOW + 40 * DAY}`]);
  const cid = changed.course_id;
  assert.equal((await run('course_save', { id: cid, title: 'Renamed', summary: 'S', description: '', audience: '',
    duration_minutes: 60, organisation: 'Org', agency_id: 'agency-a', types: TYPES, labels: LABELS })).status, 'ok');
  assert.equal((await view()).course_title, 'Renamed');
  assert.equal(JSON.parse((await get(sid)).fields.title), 'Renamed');
  await run('session_cancel', { session: sid, now: NOW, actor: 'c', types: TYPES, labels: LABELS });
  const gone = await view();
  assert.deepEqual([gone.status, gone.cancelled, gone.confirmed, gone.bookable], ['cancelled', true, 0, false]);
});

test('session_refresh_gives_an_old_session_its_texts_and_view_or_not_found', async () => {
  assert.equal((await run('session_refresh', { session: 9, types: TYPES, labels: LABELS, ...times(1, 2, 3) })).status,
    'not_found');
  // a session as data version 2 stored it: no texts, no view
  await r.call('ZADD', key('sessions'), NOW + DAY, '5');
  await r.call('HSET', key('session', 5), 'id', '5', 'course_id', '2', 'course_title', 'Old', 'starts_at', NOW + DAY,
    'ends_at', NOW + DAY + 60, 'booking_closes_at', NOW + DAY, 'capacity', 3, 'confirmed', 1, 'status', 'scheduled',
    'used:general', 1, 'online', '0', 'venue', 'R');
  const m = await run('migrate', { prefix: 'p:', version: 3, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual([m.fields.version, JSON.parse(m.fields.pending).map((p) => p.id)], ['1', ['5']]);
  assert.equal(await r.call('ZSCORE', key('course-sessions', 2), '5'), String(NOW + DAY));
  assert.equal((await run('session_refresh', { session: 5, types: TYPES, labels: LABELS,
    ...times(NOW + DAY, NOW + DAY + 60, NOW + DAY) })).status, 'ok');
  const done = await run('migrate', { prefix: 'p:', version: 3, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual([done.fields.version, done.fields.pending], ['3', '[]']);
  const [s] = (await page({ course: '2' })).sessions;
  assert.deepEqual([s.id, s.course_title, s.confirmed, s.seats_left], ['5', 'Old', 1, 2]);
  // idempotent: a run at version 3 changes nothing
  const before = await snapshot();
  await run('migrate', { prefix: 'p:', version: 3, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual(await snapshot(), before);
});

// ---- events (issue 16) and the due set ---------------------------------------
// The training stream's entries as [{kind, at, ...fields}] (without ids).
async function events(kind) {
  const raw = await r.call('XRANGE', key('events'), '-', '+');
  return raw.map(([, f]) => {
    const o = {};
    for (let i = 0; i < f.length; i += 2) o[f[i]] = f[i + 1];
    return o;
  }).filter((e) => !kind || e.kind === kind);
}
const due = async () => r.call('ZRANGE', key('due'), 0, -1, 'WITHSCORES');

test('booking_events_carry_the_title_times_place_sequence_and_trainers_agency', async () => {
  const sid = await session({ capacity: 1 });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const [confirmed] = await events('booking_confirmed');
  assert.deepEqual(confirmed, { kind: 'booking_confirmed', at: String(NOW), booking: `${sid}-1`, session: sid,
    uid: 'ann', title: 'T', organisation: 'Org', starts_at: String(NOW + 30 * DAY), ends_at: String(NOW + 30 * DAY + 3600),
    location: 'Room', sequence: '0', trainer_agency: 'agency-a', agency: 'ag-ann', agency_type: 'police', unit: '' });
  const [waiting] = await events('booking_waitlisted');
  assert.deepEqual([waiting.booking, waiting.uid, waiting.title], [`${sid}-2`, 'bob', 'T']);
  assert.equal((await cancel(sid, `${sid}-1`, 'ann')).status, 'ok');
  const [gone] = await events('booking_cancelled');
  assert.deepEqual([gone.booking, gone.uid, gone.was, gone.by, gone.trainer_agency], [`${sid}-1`, 'ann', 'confirmed', 'ann', 'agency-a']);
  const [promoted] = await events('booking_promoted');
  assert.deepEqual([promoted.booking, promoted.uid, promoted.title, promoted.location], [`${sid}-2`, 'bob', 'T', 'Room']);
  for (const e of await events()) assert.ok(!('name' in e) && !('agency_name' in e), 'people by uid only');
});

test('an_event_leaves_out_an_agency_that_has_no_value', async () => {
  const cid = await course('');
  const args = { course: cid, manager: 'coordinator', agency: '', starts_at: NOW + DAY, ends_at: NOW + DAY + 60,
    booking_closes_at: NOW + DAY, venue: 'R', online: '0', join_link: '', capacity: 3, created_by: 'coord', types: TYPES,
    labels: LABELS, ...times(NOW + DAY, NOW + DAY + 60, NOW + DAY) };
  for (const t of TYPES.split(',')) args[`seats:${t}`] = 0;
  const sid = JSON.parse((await run('session_create', args)).fields.session).id;
  await book(sid, 'ann');
  const [made] = await events('session_created');
  const [booked] = await events('booking_confirmed');
  assert.ok(!('agency' in made) && made.uids === '' && made.trainer === 'coord', JSON.stringify(made));
  assert.ok(!('trainer_agency' in booked) && booked.uid === 'ann', JSON.stringify(booked));
});

test('creating_a_session_appends_session_created_and_its_reminder_two_days_before', async () => {
  const sid = await session();
  const [made] = await events('session_created');
  assert.deepEqual(made, { kind: 'session_created', at: made.at, session: sid, title: 'T', organisation: 'Org', starts_at: String(NOW + 30 * DAY),
    ends_at: String(NOW + 30 * DAY + 3600), location: 'Room', sequence: '0', agency: 'agency-a', trainer: 'coord', uids: '' });
  assert.deepEqual(await due(), [`reminder:${sid}`, String(NOW + 28 * DAY)]);
});

test('session_changed_only_for_time_place_or_format_naming_which_with_everyone_booked', async () => {
  const sid = await session({ capacity: 2 });
  for (const u of ['ann', 'bob', 'cat']) await book(sid, u);   // cat waits
  assert.equal((await update(sid, { capacity: 3 })).status, 'ok');   // cat promoted, nothing else changed
  assert.deepEqual(await events('session_changed'), []);
  assert.equal((await update(sid, { capacity: 2, starts_at: NOW + 31 * DAY, ends_at: NOW + 31 * DAY + 3600 })).status,
    'seats_below_confirmed');
  assert.deepEqual(await events('session_changed'), [], 'a refused change appends nothing');
  assert.equal((await book(sid, 'dan')).status, 'ok');   // dan waits
  assert.equal((await update(sid, { starts_at: NOW + 31 * DAY, ends_at: NOW + 31 * DAY + 3600 })).status, 'ok');
  assert.equal((await update(sid, { venue: 'Hall' })).status, 'ok');
  assert.equal((await update(sid, { venue: '', online: '1', join_link: 'https://meet.example/x' })).status, 'ok');
  const changed = await events('session_changed');
  assert.deepEqual(changed.map((e) => [e.changed, e.location, e.starts_at, e.sequence, e.trainer]), [
    ['time', 'Room', String(NOW + 31 * DAY), '2', 'trainer.a'],
    ['place', 'Hall', String(NOW + 31 * DAY), '3', 'trainer.a'],
    ['place format', 'Online', String(NOW + 31 * DAY), '4', 'trainer.a']]);
  for (const e of changed) {
    assert.equal(e.uids, 'ann bob cat dan');   // confirmed in booking order, then the waitlist
    assert.equal(e.bookings, `${sid}-1 ${sid}-2 ${sid}-3`);   // the confirmed ones' bookings, same order
    assert.equal(e.agency, 'agency-a');
  }
  // the new start moved the reminder
  assert.deepEqual(await due(), [`reminder:${sid}`, String(NOW + 29 * DAY)]);
});

test('session_cancelled_names_everyone_booked_before_the_cancellation_and_drops_the_reminder', async () => {
  const sid = await session({ capacity: 1 });
  await book(sid, 'ann');
  await book(sid, 'bob');
  const a = await run('session_cancel', { session: sid, now: NOW, actor: 'trainer.a', types: TYPES, labels: LABELS });
  assert.equal(a.status, 'ok');
  const [e] = await events('session_cancelled');
  assert.deepEqual([e.uids, e.bookings, e.trainer, e.sequence, e.title], ['ann bob', `${sid}-1`, 'trainer.a', '1', 'T']);
  assert.deepEqual(await due(), []);
  assert.deepEqual(await events('booking_cancelled'), [], 'one event for the session, not one per booking');
});

test('marking_attendance_appends_attendance_recorded_with_the_person', async () => {
  const sid = await session({ capacity: 1, startsIn: 3600 });
  await book(sid, 'ann');
  const a = await run('attend', { session: sid, booking: `${sid}-1`, now: NOW + 7200, attendance: 'attended',
    window: 14 * DAY, actor: 'trainer.a' });
  assert.equal(a.status, 'ok');
  const [e] = await events('attendance_recorded');
  assert.deepEqual(e, { kind: 'attendance_recorded', at: String(NOW + 7200), session: sid, title: 'T',
    starts_at: String(NOW + 3600), uids: 'ann', attendance: 'attended', booking: `${sid}-1`, by: 'trainer.a' });
});

test('due_sends_one_reminder_per_confirmed_booking_once_when_its_time_comes', async () => {
  const sid = await session({ capacity: 2 });
  for (const u of ['ann', 'bob', 'cat']) await book(sid, u);   // cat waits: no reminder
  const early = await run('due', { now: NOW + 28 * DAY - 1 });
  assert.deepEqual(early.fields, { done: '0', left: '0', events: '0' });
  const a = await run('due', { now: NOW + 28 * DAY });
  assert.deepEqual(a.fields, { done: '1', left: '0', events: '2' });
  const sent = await events('session_reminder');
  assert.deepEqual(sent.map((e) => [e.uid, e.booking, e.title, e.at]),
    [['ann', `${sid}-1`, 'T', String(NOW + 28 * DAY)], ['bob', `${sid}-2`, 'T', String(NOW + 28 * DAY)]]);
  assert.deepEqual(await due(), []);
  assert.deepEqual((await run('due', { now: NOW + 28 * DAY + 60 })).fields, { done: '0', left: '0', events: '0' });
  assert.equal((await events('session_reminder')).length, 2, 'a second run sends nothing again');
});

test('due_sends_nothing_for_a_started_or_unknown_session_and_leaves_the_rest_for_the_next_call', async () => {
  const soon = await session({ startsIn: DAY });   // its reminder time is already past
  await book(soon, 'ann');
  await r.call('ZADD', key('due'), NOW - 10, 'reminder:999', NOW - 5, 'junk');
  const a = await run('due', { now: NOW + 2 * DAY, limit: 2 });   // soon has started by then
  assert.deepEqual(a.fields, { done: '2', left: '1', events: '0' });
  const b = await run('due', { now: NOW + 2 * DAY, limit: 2 });
  assert.deepEqual(b.fields, { done: '1', left: '0', events: '0' });
  assert.deepEqual(await events('session_reminder'), []);
  assert.deepEqual(await due(), []);
});

test('migrate_to_version_4_gives_each_scheduled_session_not_started_its_reminder_once', async () => {
  const past = await session({ startsIn: -DAY });
  const later = await session({ startsIn: 10 * DAY });
  const gone = await session({ startsIn: 20 * DAY });
  await run('session_cancel', { session: gone, now: NOW, actor: 't', types: TYPES, labels: LABELS });
  await r.call('DEL', key('due'));
  await r.call('SET', key('data-version'), '3');
  const a = await run('migrate', { prefix: 'p:', version: 4, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual([a.fields.from, a.fields.version], ['3', '4']);
  assert.deepEqual(await due(), [`reminder:${later}`, String(NOW + 8 * DAY)]);
  assert.ok(past);
  const again = await run('migrate', { prefix: 'p:', version: 4, now: NOW, types: TYPES, labels: LABELS });
  assert.equal(again.fields.from, '4');
  assert.deepEqual(await due(), [`reminder:${later}`, String(NOW + 8 * DAY)]);
});

// ---- feedback (issue 18) ------------------------------------------------------
// A course with learning outcomes, a session of it that ended an hour
// before NOW, ann's booking marked attended.
async function attended(outcomes = ['Spot it', 'Refer it']) {
  const a = await run('course_save', { id: '', title: 'Course F', summary: 'S', description: '', audience: '',
    duration_minutes: 60, organisation: 'Org', agency_id: 'agency-a', outcomes: JSON.stringify(outcomes) });
  const cid = JSON.parse(a.fields.course).id;
  const args = { course: cid, manager: 'coordinator', agency: 'agency-a', starts_at: NOW + DAY, ends_at: NOW + DAY + 3600,
    booking_closes_at: NOW + DAY, venue: 'Room', online: '0', join_link: '', capacity: 3, created_by: 'coord', types: TYPES,
    labels: LABELS, ...times(NOW + DAY, NOW + DAY + 3600, NOW + DAY) };
  for (const t of TYPES.split(',')) args[`seats:${t}`] = 0;
  const sid = JSON.parse((await run('session_create', args)).fields.session).id;
  await book(sid, 'ann', 'police', { unit: 'north-east' });
  await book(sid, 'bob');
  return { sid, bid: `${sid}-1` };
}
const attendAt = (sid, bid, attendance, now) => run('attend', { session: sid, booking: bid, now, attendance,
  window: 14 * DAY, actor: 'trainer.a' });
const feedback = (sid, bid, extra = {}) => run('feedback', { session: sid, booking: bid, username: 'ann', unit: 'north-east',
  now: NOW + DAY + 7200, before: '2,3', after: '4,5', usefulness: 4, text: 'I will listen.', ...extra });

test('course_save_keeps_the_learning_outcomes_and_keeps_them_when_a_change_does_not_name_them', async () => {
  const { sid } = await attended();
  const cid = (await r.call('HGET', key('session', sid), 'course_id'));
  assert.equal(await r.call('HGET', key('course', cid), 'outcomes'), '["Spot it","Refer it"]');
  await run('course_save', { id: cid, title: 'Course F', summary: 'S2', description: '', audience: '', duration_minutes: 60,
    organisation: 'Org', agency_id: 'agency-a' });
  assert.equal(await r.call('HGET', key('course', cid), 'outcomes'), '["Spot it","Refer it"]');
  const got = await run('session_get', { session: sid, username: '', now: NOW, release: 7 * DAY, year: '2030', manager: '', agency: '' });
  assert.equal(got.fields.outcomes, '["Spot it","Refer it"]');
});

test('marking_attended_asks_for_feedback_once_and_another_mark_does_not', async () => {
  const { sid, bid } = await attended();
  assert.equal((await attendAt(sid, `${sid}-2`, 'no_show', NOW + DAY + 60)).status, 'ok');
  assert.equal((await attendAt(sid, bid, 'attended', NOW + DAY + 60)).status, 'ok');
  assert.equal((await attendAt(sid, bid, 'attended', NOW + DAY + 120)).status, 'ok');
  const asked = await events('feedback_asked');
  assert.equal(asked.length, 1, 'one ask, for the person marked attended the first time');
  assert.deepEqual([asked[0].booking, asked[0].uid, asked[0].title, asked[0].unit, asked[0].agency_type],
    [bid, 'ann', 'Course F', 'north-east', 'police']);
});

test('feedback_is_refused_for_another_person_before_attendance_and_before_the_end_and_changes_nothing', async () => {
  const { sid, bid } = await attended();
  assert.equal((await feedback(sid, `${sid}-9`)).status, 'not_found');
  assert.equal((await feedback(sid, bid)).status, 'not_attended');
  await attendAt(sid, bid, 'attended', NOW + DAY + 60);
  const before = await snapshot();
  assert.equal((await feedback(sid, bid, { username: 'bob' })).status, 'not_yours');
  assert.equal((await feedback(sid, bid, { now: NOW + DAY + 60 })).status, 'session_not_ended');
  assert.equal((await feedback(sid, bid, { before: '2' })).status, 'outcomes_changed');
  assert.equal((await feedback(sid, bid, { after: '4,6' })).status, 'outcomes_changed');
  assert.deepEqual(await snapshot(), before);
});

test('feedback_is_kept_replaced_on_a_second_give_and_appends_feedback_given_with_its_text', async () => {
  const { sid, bid } = await attended();
  await attendAt(sid, bid, 'attended', NOW + DAY + 60);
  const a = await feedback(sid, bid);
  assert.equal(a.status, 'ok');
  assert.equal(a.fields.replaced, '0');
  const kept = JSON.parse(a.fields.feedback);
  assert.deepEqual([kept.outcomes, kept.confidence_before, kept.confidence_after, kept.usefulness, kept.unit],
    [['Spot it', 'Refer it'], [2, 3], [4, 5], 4, 'north-east']);
  const b = await feedback(sid, bid, { before: '1,1', after: '5,5', usefulness: 5, text: '' });
  assert.equal(b.fields.replaced, '1');
  assert.equal(Object.keys(await r.call('HGETALL', key('feedback', sid)).then((x) => Object.fromEntries(
    x.reduce((p, v, i) => (i % 2 ? p : [...p, [v, x[i + 1]]]), [])))).length, 1, 'one feedback per booking');
  const booking = JSON.parse(await r.call('HGET', key('bookings', sid), bid));
  assert.equal(booking.feedback_at, NOW + DAY + 7200);
  const given = await events('feedback_given');
  assert.deepEqual(given[0], { kind: 'feedback_given', at: String(NOW + DAY + 7200), booking: bid, session: sid,
    title: 'Course F', starts_at: String(NOW + DAY), uid: 'ann', agency: 'ag-ann', agency_type: 'police', unit: 'north-east',
    outcomes: 'Spot it\nRefer it', confidence_before: '2,3', confidence_after: '4,5', usefulness: '4', text: 'I will listen.' });
  assert.deepEqual([given[1].confidence_before, given[1].text], ['1,1', '']);
  const all = await run('session_feedback', { session: sid });
  assert.deepEqual(JSON.parse(all.fields.feedback).map((f) => f.usefulness), [5]);
  assert.equal((await run('session_feedback', { session: '999' })).status, 'not_found');
});

test('a_course_without_outcomes_takes_feedback_with_empty_lists', async () => {
  const { sid, bid } = await attended([]);
  await attendAt(sid, bid, 'attended', NOW + DAY + 60);
  const a = await feedback(sid, bid, { before: '', after: '' });
  assert.equal(a.status, 'ok');
  const kept = JSON.parse(a.fields.feedback);
  assert.deepEqual([kept.outcomes, kept.confidence_before, kept.confidence_after], [[], [], []]);
});

test('migrate_to_version_5_gives_every_course_outcomes_once', async () => {
  await r.call('HSET', key('course', '7'), 'id', '7', 'title', 'Old');
  await r.call('ZADD', key('courses'), '7', '7');
  await r.call('HSET', key('course', '8'), 'id', '8', 'title', 'Kept', 'outcomes', '["Mine"]');
  await r.call('ZADD', key('courses'), '8', '8');
  await r.call('SET', key('data-version'), '4');
  const a = await run('migrate', { prefix: 'p:', version: 5, now: NOW, types: TYPES, labels: LABELS });
  assert.deepEqual([a.fields.from, a.fields.version], ['4', '5']);
  assert.equal(await r.call('HGET', key('course', '7'), 'outcomes'), '[]');
  assert.equal(await r.call('HGET', key('course', '8'), 'outcomes'), '["Mine"]');
});
