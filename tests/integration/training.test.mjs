// Training sign-up over the real stack: booking races, promotion order,
// refusals, validation, the calendar file, roster, attendance, report.
import ICAL from 'ical.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/stack.mjs';
import { addResponders, api, createSession, fromNow, moveSession, signInAll } from './lib/training.mjs';

describe('training', () => {
  let stack, coordinator, trainer, police, council, health, ngoA;

  before(async () => {
    stack = await startStack();
    [coordinator, trainer, police, council, health, ngoA] = await Promise.all(
      ['coordinator', 'trainer', 'responder.police', 'responder.council', 'responder.health', 'ngo.a'].map((u) => stack.signIn(u)));
  });
  after(async () => { await stack?.stop(); });

  const book = (who, id) => api(stack, who, 'POST', `/api/v1/training/sessions/${id}/bookings`);

  test('two_hundred_concurrent_bookings_give_ten_confirmed_and_waitlist_1_to_190', async () => {
    const people = await signInAll(stack, await addResponders(stack, 'race', 200));
    const s = await createSession(stack, coordinator, { capacity: 10 });
    const answers = await Promise.all(people.map((p) => book(p, s.id).then(async (r) => ({ status: r.status, body: await r.json() }))));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [201]);
    const confirmed = answers.filter((a) => a.body.booking.status === 'confirmed');
    const waitlisted = answers.filter((a) => a.body.booking.status === 'waitlisted');
    assert.equal(confirmed.length, 10);
    assert.equal(waitlisted.length, 190);
    assert.deepEqual(waitlisted.map((a) => a.body.booking.waitlist_position).sort((a, b) => a - b),
      Array.from({ length: 190 }, (_, i) => i + 1));
    const view = await (await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${s.id}`)).json();
    assert.equal(view.session.seats_left, 0);
    assert.equal(view.session.waitlist_length, 190);
  });

  test('set_aside_seats_hold_under_a_race_of_mixed_agency_types', async () => {
    const people = await signInAll(stack, await addResponders(stack, 'mix', 120, ['police', 'health', 'local_authority']));
    const s = await createSession(stack, coordinator, { capacity: 12, agency_seats: { health: 4, local_authority: 4 } });
    const answers = await Promise.all(people.map((p) => book(p, s.id).then((r) => r.json())));
    const confirmedBy = {};
    answers.forEach((a, i) => {
      if (a.booking.status === 'confirmed') confirmedBy[people[i].type] = (confirmedBy[people[i].type] || 0) + 1;
    });
    // 4 general seats: police can hold at most those; health and LA keep their 4 each
    assert.ok((confirmedBy.police || 0) <= 4, `police confirmed ${confirmedBy.police}`);
    assert.ok(confirmedBy.health >= 4 && confirmedBy.local_authority >= 4, JSON.stringify(confirmedBy));
    assert.equal(Object.values(confirmedBy).reduce((a, b) => a + b, 0), 12);
    const roster = await (await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${s.id}/roster`)).json();
    assert.equal(roster.roster.filter((b) => b.status === 'confirmed').length, 12);
  });

  test('cancelling_promotes_exactly_the_earliest_eligible_waitlisted_person', async () => {
    const [p1, h1, p2, h2] = await signInAll(stack, await addResponders(stack, 'promo', 4, ['police', 'health']));
    // one seat set aside for health, one general
    const s = await createSession(stack, coordinator, { capacity: 2, agency_seats: { health: 1 } });
    const b1 = (await (await book(p1, s.id)).json()).booking;   // general seat
    const b2 = (await (await book(h1, s.id)).json()).booking;   // health seat
    const w1 = (await (await book(p2, s.id)).json()).booking;   // police: waitlist 1
    const w2 = (await (await book(h2, s.id)).json()).booking;   // health: waitlist 2
    assert.deepEqual([b1.status, b2.status, w1.waitlist_position, w2.waitlist_position], ['confirmed', 'confirmed', 1, 2]);
    // the health seat frees: only the health person may take it, though the police person is first
    assert.equal((await api(stack, h1, 'DELETE', `/api/v1/training/bookings/${b2.id}`)).status, 204);
    let mine = (await (await api(stack, h2, 'GET', `/api/v1/training/bookings/${w2.id}`)).json()).booking;
    assert.equal(mine.status, 'confirmed');
    assert.equal(mine.notice, 'Your place is confirmed');
    let first = (await (await api(stack, p2, 'GET', `/api/v1/training/bookings/${w1.id}`)).json()).booking;
    assert.equal(first.status, 'waitlisted');
    assert.equal(first.waitlist_position, 1);
    // the general seat frees: the police person, first in the queue, gets it
    assert.equal((await api(stack, p1, 'DELETE', `/api/v1/training/bookings/${b1.id}`)).status, 204);
    first = (await (await api(stack, p2, 'GET', `/api/v1/training/bookings/${w1.id}`)).json()).booking;
    assert.equal(first.status, 'confirmed');
    const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
    assert.match(audit, /training_booking_promoted/);
    assert.match(audit, new RegExp(w1.id));
  });

  test('a_hundred_concurrent_cancellations_and_bookings_keep_capacity_and_waitlist_order', async () => {
    const people = await signInAll(stack, await addResponders(stack, 'churn', 150));
    const s = await createSession(stack, coordinator, { capacity: 20 });
    const first = [];
    for (const p of people.slice(0, 100)) first.push((await (await book(p, s.id)).json()).booking); // in order
    const cancellers = first.slice(0, 50).map((b, i) => ({ b, who: people[i] }));
    const newcomers = people.slice(100, 150);
    const ops = [
      ...cancellers.map(({ b, who }) => api(stack, who, 'DELETE', `/api/v1/training/bookings/${b.id}`).then((r) => r.status)),
      ...newcomers.map((p) => book(p, s.id).then((r) => r.status)),
    ];
    const statuses = await Promise.all(ops);
    assert.ok(statuses.every((x) => x === 204 || x === 201), JSON.stringify(statuses));
    const roster = (await (await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${s.id}/roster`)).json()).roster;
    const confirmed = roster.filter((b) => b.status === 'confirmed');
    const waiting = roster.filter((b) => b.status === 'waitlisted').sort((a, b) => a.waitlist_position - b.waitlist_position);
    assert.equal(confirmed.length, 20, 'every free seat taken');
    assert.deepEqual(waiting.map((b) => b.waitlist_position), waiting.map((_, i) => i + 1));
    // people still waiting from the first hundred are ahead of every newcomer, in their booking order
    const seq = (b) => Number(b.id.split('-')[1]);
    for (let i = 1; i < waiting.length; i++) {
      const a = waiting[i - 1], b = waiting[i];
      const aOld = seq(a) <= 100, bOld = seq(b) <= 100;
      assert.ok(!(bOld && !aOld), 'an earlier booker never waits behind a later one');
      if (aOld && bOld) assert.ok(seq(a) < seq(b));
    }
    // the 50 still-waiting first-hundred people were promoted in their order: those confirmed from 21..100 are the earliest
    const promotedOld = confirmed.filter((b) => seq(b) > 20 && seq(b) <= 100).map(seq);
    const waitingOld = waiting.filter((b) => seq(b) <= 100).map(seq);
    if (promotedOld.length && waitingOld.length) assert.ok(Math.max(...promotedOld) < Math.min(...waitingOld));
  });

  test('one_booking_per_person_and_closed_or_past_sessions_refuse_with_a_reason', async () => {
    const s = await createSession(stack, coordinator, { capacity: 5 });
    assert.equal((await book(council, s.id)).status, 201);
    const again = await book(council, s.id);
    assert.equal(again.status, 409);
    assert.equal((await again.json()).error.code, 'already_booked');
    const closed = await createSession(stack, coordinator, { capacity: 5 });
    await moveSession(stack, closed.id, new Date(Date.now() + 86400e3), new Date(Date.now() + 90000e3), new Date(Date.now() - 1000));
    const r = await book(council, closed.id);
    assert.equal(r.status, 409);
    const e = (await r.json()).error;
    assert.equal(e.code, 'booking_closed');
    assert.match(e.message, /closed/);
    const past = await createSession(stack, coordinator, { capacity: 5 });
    await moveSession(stack, past.id, new Date(Date.now() - 7200e3), new Date(Date.now() - 3600e3));
    assert.equal((await (await book(council, past.id)).json()).error.code, 'session_started');
    assert.equal((await book(council, 999999)).status, 404);
  });

  test('a_responder_cannot_read_another_persons_booking_or_a_roster', async () => {
    const s = await createSession(stack, coordinator, { capacity: 5 });
    const b = (await (await book(police, s.id)).json()).booking;
    assert.equal((await api(stack, health, 'GET', `/api/v1/training/bookings/${b.id}`)).status, 403);
    assert.equal((await api(stack, health, 'GET', `/api/v1/training/bookings/${b.id}/calendar.ics`)).status, 403);
    assert.equal((await api(stack, health, 'DELETE', `/api/v1/training/bookings/${b.id}`)).status, 403);
    assert.equal((await api(stack, police, 'GET', `/api/v1/training/sessions/${s.id}/roster`)).status, 403);
    assert.equal((await api(stack, police, 'GET', `/api/v1/training/sessions/${s.id}/roster.csv`)).status, 403);
    assert.equal((await api(stack, police, 'GET', `/api/v1/training/bookings/${b.id}`)).status, 200);
  });

  test('a_trainer_of_agency_b_cannot_edit_agency_a_course', async () => {
    // course 3 belongs to demo-charity-a; the trainer is in demo-charity-b
    const body = { title: 'Changed', summary: 'x', duration_minutes: 60 };
    const r = await api(stack, trainer, 'PUT', '/api/v1/training/courses/3', body);
    assert.equal(r.status, 403);
    assert.equal((await api(stack, trainer, 'POST', '/api/v1/training/sessions', {
      course_id: 3, starts_at: fromNow(20), ends_at: fromNow(20, 2), venue: 'Room', capacity: 5 })).status, 403);
    assert.equal((await api(stack, trainer, 'PUT', '/api/v1/training/courses/1', { ...body, title: 'First Responder duties and the NRM' })).status, 200);
    assert.equal((await api(stack, police, 'POST', '/api/v1/training/courses', body)).status, 403);
    const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
    assert.match(audit, /training_course_updated/);
  });

  test('bad_session_input_answers_422_with_fields', async () => {
    const post = (b) => api(stack, coordinator, 'POST', '/api/v1/training/sessions',
      { course_id: 1, starts_at: fromNow(10), ends_at: fromNow(10, 2), venue: 'Room', capacity: 5, ...b });
    const cases = [
      [{ starts_at: '2026-02-30T09:00:00Z' }, 'starts_at'],
      [{ starts_at: 'next tuesday' }, 'starts_at'],
      [{ capacity: 0 }, 'capacity'],
      [{ capacity: -3 }, 'capacity'],
      [{ ends_at: fromNow(9) }, 'ends_at'],
      [{ agency_seats: { probation: 2 } }, 'agency_seats'],
      [{ agency_seats: { police: 9 } }, 'agency_seats'],
      [{ starts_at: fromNow(-1), ends_at: fromNow(-1, 2) }, 'starts_at'],
      [{ venue: '', online: false }, 'venue'],
    ];
    for (const [b, field] of cases) {
      const r = await post(b);
      assert.equal(r.status, 422, JSON.stringify(b));
      const e = (await r.json()).error;
      assert.equal(e.code, 'invalid_input');
      assert.ok(e.fields[field], `${JSON.stringify(b)} names ${field}: ${JSON.stringify(e.fields)}`);
    }
    const c = await api(stack, coordinator, 'POST', '/api/v1/training/courses', { title: '', duration_minutes: 'long' });
    assert.equal(c.status, 422);
    assert.ok((await c.json()).error.fields.duration_minutes);
  });

  test('the_calendar_file_is_rfc5545_with_london_times_either_side_of_a_clock_change', async () => {
    // 2027-03-28 is the last Sunday of March: 09:30 GMT on the 27th, 09:30 BST on the 29th
    const before = await createSession(stack, coordinator, { starts_at: '2027-03-27T09:30:00Z', ends_at: '2027-03-27T12:00:00Z', capacity: 5 });
    const afterChange = await createSession(stack, coordinator, { starts_at: '2027-03-29T08:30:00Z', ends_at: '2027-03-29T11:00:00Z', capacity: 5, online: true, venue: '', join_link: 'https://meet.example.org/a-very-long-joining-link-that-goes-on-and-on-and-on-to-make-folding-happen' });
    const ics = async (s) => {
      const b = (await (await book(ngoA, s.id)).json()).booking;
      const r = await api(stack, ngoA, 'GET', `/api/v1/training/bookings/${b.id}/calendar.ics`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /text\/calendar/);
      return { b, text: await r.text() };
    };
    const one = await ics(before), two = await ics(afterChange);
    for (const { text } of [one, two]) {
      assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'));
      assert.ok(text.endsWith('END:VCALENDAR\r\n'));
      const lines = text.split('\r\n').slice(0, -1);
      for (const l of lines) assert.ok(Buffer.byteLength(l) <= 75, `line longer than 75 octets: ${l}`);
      assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
      assert.match(text, /BEGIN:VTIMEZONE\r\nTZID:Europe\/London\r\n/);
      assert.match(text, /VERSION:2.0/);
    }
    // a real iCalendar parser reads both, with the file's own VTIMEZONE
    for (const [{ text }, utc] of [[one, '2027-03-27T09:30:00.000Z'], [two, '2027-03-29T08:30:00.000Z']]) {
      const cal = new ICAL.Component(ICAL.parse(text));
      const tz = cal.getFirstSubcomponent('vtimezone');
      ICAL.TimezoneService.register(tz);
      const event = new ICAL.Event(cal.getFirstSubcomponent('vevent'));
      assert.equal(event.startDate.zone.tzid, 'Europe/London');
      assert.equal(`${event.startDate.hour}:${event.startDate.minute}`, '9:30', 'half past nine London time');
      assert.equal(event.startDate.toJSDate().toISOString(), utc, 'the right instant on each side of the clock change');
      assert.ok(event.uid.length > 0);
    }
    assert.match(one.text, /DTSTART;TZID=Europe\/London:20270327T093000/);
    assert.match(two.text, /DTSTART;TZID=Europe\/London:20270329T093000/);
    const unfolded = two.text.replace(/\r\n /g, '');
    assert.match(unfolded, /URL:https:\/\/meet.example.org\/a-very-long-joining-link-that-goes-on-and-on-and-on-to-make-folding-happen\r\n/);
    const uid = (t) => t.replace(/\r\n /g, '').match(/UID:(.*)\r\n/)[1];
    assert.match(uid(two.text), new RegExp(two.b.id));
    // the session changes: same UID, higher SEQUENCE; cancelled: STATUS:CANCELLED
    assert.equal((await api(stack, coordinator, 'PUT', `/api/v1/training/sessions/${afterChange.id}`, { ends_at: '2027-03-29T12:00:00Z' })).status, 200);
    const changed = await (await api(stack, ngoA, 'GET', `/api/v1/training/bookings/${two.b.id}/calendar.ics`)).text();
    assert.equal(uid(changed), uid(two.text));
    assert.match(changed, /SEQUENCE:1\r\n/);
    assert.equal((await api(stack, coordinator, 'POST', `/api/v1/training/sessions/${afterChange.id}/cancel`)).status, 200);
    const cancelled = await (await api(stack, ngoA, 'GET', `/api/v1/training/bookings/${two.b.id}/calendar.ics`)).text();
    assert.match(cancelled, /SEQUENCE:2\r\n/);
    assert.match(cancelled, /STATUS:CANCELLED\r\n/);
    const mine = await (await api(stack, ngoA, 'GET', '/api/v1/training/bookings')).json();
    const b = mine.bookings.find((x) => x.id === two.b.id);
    assert.equal(b.status, 'cancelled');
    assert.equal(b.notice, 'This session has been cancelled');
  });

  test('roster_csv_attendance_record_and_uptake_report', async () => {
    const s = await createSession(stack, coordinator, { capacity: 5 });
    const bp = (await (await book(police, s.id)).json()).booking;
    const bh = (await (await book(health, s.id)).json()).booking;
    const mark = (who, b, attendance) => api(stack, who, 'PUT', `/api/v1/training/sessions/${s.id}/attendance/${b.id}`, { attendance });
    // before the start: refused
    assert.equal((await mark(coordinator, bp, 'attended')).status, 409);
    await moveSession(stack, s.id, new Date(Date.now() - 3600e3), new Date(Date.now() - 600e3));
    assert.equal((await mark(coordinator, bp, 'present')).status, 422);
    assert.equal((await mark(police, bp, 'attended')).status, 403);
    assert.equal((await mark(coordinator, bp, 'attended')).status, 200);
    assert.equal((await mark(coordinator, bh, 'no_show')).status, 200);
    const csv = await (await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${s.id}/roster.csv`)).text();
    const rows = csv.split('\r\n');
    assert.equal(rows[0], 'name,agency,agency_type,status,waitlist_position,attendance');
    assert.ok(rows.includes('Priya Shah,Metropolitan Police Service,police,confirmed,,attended'), csv);
    const record = await (await api(stack, police, 'GET', '/api/v1/training/record')).json();
    assert.ok(record.completed.some((c) => c.session_id === s.id));
    const healthRecord = await (await api(stack, health, 'GET', '/api/v1/training/record')).json();
    assert.ok(!healthRecord.completed.some((c) => c.session_id === s.id), 'a no-show is not a completion');
    const report = await (await api(stack, coordinator, 'GET', '/api/v1/training/reports/uptake')).json();
    const police_row = report.agency_types.find((r) => r.key === 'police');
    assert.ok(police_row.attended >= 1);
    assert.ok(report.agency_types.find((r) => r.key === 'health').no_show >= 1);
    const rcsv = await api(stack, coordinator, 'GET', '/api/v1/training/reports/uptake.csv');
    assert.match(rcsv.headers.get('content-type'), /text\/csv/);
    assert.match(await rcsv.text(), /^dimension,key,label,confirmed,waitlisted,attended,partial,no_show\r\n/);
    assert.equal((await api(stack, police, 'GET', '/api/v1/training/reports/uptake')).status, 403);
    assert.equal((await api(stack, coordinator, 'GET', '/api/v1/training/reports/uptake?from=2026-13-01')).status, 422);
    const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
    assert.match(audit, /training_attendance_marked/);
    assert.match(audit, /training_booking_confirmed/);
    assert.match(audit, /training_session_created/);
  });

  test('redis_down_answers_503_and_recovers', async () => {
    await stack.stopService('redis');
    try {
      const r = await api(stack, police, 'GET', '/api/v1/training/sessions');
      assert.equal(r.status, 503);
    } finally {
      await stack.startService('redis');
    }
  });
});
