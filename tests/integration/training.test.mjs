// Training sign-up over the real stack: booking races, promotion order,
// refusals, validation, the calendar file, roster, attendance, report.
import ICAL from 'ical.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/stack.mjs';
import { addResponders, api, createSession, fromNow, getPage, moveSession, postForm, signInAll, timeFields } from './lib/training.mjs';

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
    // the roster's two pages (150 bookings, at most 100 a page)
    const rosterPage = async (n) => (await (await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${s.id}/roster?per_page=100&page=${n}`)).json());
    const [one, two] = [await rosterPage(1), await rosterPage(2)];
    assert.deepEqual([one.total, one.roster.length, two.roster.length], [150, 100, 50]);
    const roster = [...one.roster, ...two.roster];
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

  test('course_forms_answer_303_on_success_422_with_what_was_typed_and_403_for_another_agency', async () => {
    const typed = { title: 'Modern slavery <basics>', summary: 'A first look', duration_minutes: 'long', audience: 'Everyone' };
    const bad = await postForm(stack, trainer, '/training/courses', typed);
    assert.equal(bad.status, 422);
    assert.match(bad.headers.get('content-type'), /text\/html/);
    const badHtml = await bad.text();
    assert.match(badHtml, /govuk-error-summary/);
    assert.match(badHtml, /<a href="#duration_minutes">Enter/);
    assert.match(badHtml, /id="duration_minutes-error"/);
    assert.match(badHtml, /id="title" name="title" type="text" value="Modern slavery &lt;basics&gt;"/);
    assert.match(badHtml, /value="long"/);
    assert.match(badHtml, /name="csrf_token"/);

    const ok = await postForm(stack, trainer, '/training/courses', { ...typed, duration_minutes: '120' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/training/courses?done=course-added');
    const courses = (await (await api(stack, trainer, 'GET', '/api/v1/training/courses')).json()).courses;
    const made = courses.find((c) => c.title === 'Modern slavery <basics>');
    assert.ok(made, 'the course is listed');
    assert.equal(made.duration_minutes, 120);
    assert.equal(made.agency_id, 'demo-charity-b');

    const edit = await getPage(stack, trainer, `/training/courses/${made.id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(await edit.text(), /value="120"/);
    const changed = await postForm(stack, trainer, `/training/courses/${made.id}`, { ...typed, duration_minutes: '90', title: 'Modern slavery basics' });
    assert.equal(changed.status, 303);
    const after = (await (await api(stack, trainer, 'GET', `/api/v1/training/courses/${made.id}`)).json()).course;
    assert.equal(after.title, 'Modern slavery basics');
    assert.equal(after.duration_minutes, 90);
    const badEdit = await postForm(stack, trainer, `/training/courses/${made.id}`, { ...typed, title: '' });
    assert.equal(badEdit.status, 422);
    assert.match(await badEdit.text(), /<a href="#title">/);

    // course 3 belongs to demo-charity-a
    assert.equal((await getPage(stack, trainer, '/training/courses/3/edit')).status, 403);
    assert.equal((await postForm(stack, trainer, '/training/courses/3', { ...typed, duration_minutes: '60' })).status, 403);
    assert.equal((await getPage(stack, police, '/training/courses/new')).status, 403);
    assert.equal((await postForm(stack, police, '/training/courses', { ...typed, duration_minutes: '60' })).status, 403);
    assert.equal((await getPage(stack, trainer, '/training/courses/new')).status, 200);
    // a form without its CSRF token is refused
    const noToken = await stack.fetch('/training/courses', { method: 'POST', headers: { cookie: trainer.cookie,
      'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x&summary=y&duration_minutes=60' });
    assert.equal(noToken.status, 403);
  });

  test('session_forms_take_london_date_and_time_and_answer_303_422_403', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const form = {
      course_id: '1', ...timeFields('starts_at', year, 7, 15, '09:30'), ...timeFields('ends_at', year, 7, 15, '12:30'),
      venue: 'Partnership room', capacity: '0', seats_police: '2', seats_health: '1',
      ...timeFields('booking_closes_at', year, 7, 14, '17:00'),
    };
    const bad = await postForm(stack, trainer, '/training/sessions', form);
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    assert.match(badHtml, /<a href="#capacity">Enter a capacity/);
    assert.doesNotMatch(badHtml, /<a href="#(starts_at|ends_at|venue)">/, 'only the wrong field is named');
    assert.match(badHtml, /id="capacity" name="capacity" type="text" inputmode="numeric" value="0"/);
    assert.match(badHtml, /name="venue" type="text" value="Partnership room"/);
    assert.match(badHtml, /name="starts_at_time" type="text" value="09:30"/);
    assert.match(badHtml, /name="seats_police" type="text" inputmode="numeric" value="2"/);
    assert.match(badHtml, /<option value="1" selected>/);

    const made = await postForm(stack, trainer, '/training/sessions', { ...form, capacity: '10' });
    assert.equal(made.status, 303);
    const id = made.headers.get('location').match(/^\/training\/sessions\/(\d+)\?done=session-added$/)[1];
    const s = (await (await api(stack, trainer, 'GET', `/api/v1/training/sessions/${id}`)).json()).session;
    assert.equal(s.starts_at, `${year}-07-15T09:30:00+01:00`);
    assert.equal(s.ends_at, `${year}-07-15T12:30:00+01:00`);
    assert.equal(s.booking_closes_at, `${year}-07-14T17:00:00+01:00`);
    assert.equal(s.capacity, 10);
    assert.deepEqual(s.agency_seats, { police: 2, local_authority: 0, health: 1, ngo: 0, other: 0 });

    // winter is GMT; an online session with its link; 01:30 on the spring change does not exist
    const winter = await postForm(stack, trainer, '/training/sessions', {
      course_id: '1', ...timeFields('starts_at', year, 1, 20, '14:00'), ...timeFields('ends_at', year, 1, 20, '15:30'),
      online: 'yes', join_link: 'https://meet.example.org/winter', capacity: '20' });
    assert.equal(winter.status, 303);
    const wid = winter.headers.get('location').split('/').pop().split('?')[0];
    const ws = (await (await api(stack, trainer, 'GET', `/api/v1/training/sessions/${wid}`)).json()).session;
    assert.equal(ws.starts_at, `${year}-01-20T14:00:00+00:00`);
    assert.equal(ws.online, true);
    assert.equal(ws.join_link, 'https://meet.example.org/winter');
    const lastSundayOfMarch = 31 - new Date(Date.UTC(year, 2, 31)).getUTCDay();
    const gap = await postForm(stack, trainer, '/training/sessions', { ...form, capacity: '10',
      ...timeFields('starts_at', year, 3, lastSundayOfMarch, '01:30'), ...timeFields('ends_at', year, 3, lastSundayOfMarch, '05:00'),
      ...timeFields('booking_closes_at', '', '', '', '') });
    assert.equal(gap.status, 422);
    assert.match(await gap.text(), /<a href="#starts_at">[^<]*clocks go forward/);
    const badDate = await postForm(stack, trainer, '/training/sessions', { ...form, capacity: '10', ...timeFields('starts_at', year, 2, 30, '9:30') });
    assert.equal(badDate.status, 422);
    assert.match(await badDate.text(), /<a href="#starts_at">Enter the date the session starts as a real date/);

    // the edit form is filled in with London time; a change answers 303
    const edit = await getPage(stack, trainer, `/training/sessions/${id}/edit`);
    assert.equal(edit.status, 200);
    const editHtml = await edit.text();
    assert.match(editHtml, /name="starts_at_time" type="text" value="09:30"/);
    assert.match(editHtml, /name="booking_closes_at_day" type="text" inputmode="numeric" value="14"/);
    const changed = await postForm(stack, trainer, `/training/sessions/${id}`, { ...form, capacity: '12', ...timeFields('starts_at', year, 7, 15, '10:00') });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), `/training/sessions/${id}?done=session-changed`);
    const after = (await (await api(stack, trainer, 'GET', `/api/v1/training/sessions/${id}`)).json()).session;
    assert.equal(after.capacity, 12);
    assert.equal(after.starts_at, `${year}-07-15T10:00:00+01:00`);
    assert.equal(after.sequence, 1);
    const badChange = await postForm(stack, trainer, `/training/sessions/${id}`, { ...form, capacity: '12', seats_police: '20' });
    assert.equal(badChange.status, 422);
    const badChangeHtml = await badChange.text();
    assert.match(badChangeHtml, /<a href="#agency_seats">/);
    assert.match(badChangeHtml, /name="seats_police" type="text" inputmode="numeric" value="20"/);
    // unticking "online" on a page makes the session in person
    assert.equal((await postForm(stack, trainer, `/training/sessions/${wid}`, {
      ...timeFields('starts_at', year, 1, 20, '14:00'), ...timeFields('ends_at', year, 1, 20, '15:30'), capacity: '20', venue: 'Room 4' })).status, 303);
    assert.equal((await (await api(stack, trainer, 'GET', `/api/v1/training/sessions/${wid}`)).json()).session.online, false);

    // another agency's course and sessions: 403; a responder: 403
    assert.equal((await postForm(stack, trainer, '/training/sessions', { ...form, course_id: '3', capacity: '10' })).status, 403);
    const theirs = await createSession(stack, coordinator, { course_id: 3 });
    assert.equal((await getPage(stack, trainer, `/training/sessions/${theirs.id}/edit`)).status, 403);
    assert.equal((await postForm(stack, trainer, `/training/sessions/${theirs.id}`, { ...form, capacity: '10' })).status, 403);
    assert.equal((await getPage(stack, trainer, `/training/sessions/${theirs.id}/cancel`)).status, 403);
    assert.equal((await postForm(stack, trainer, `/training/sessions/${theirs.id}/cancel`, {})).status, 403);
    assert.equal((await postForm(stack, police, '/training/sessions', { ...form, capacity: '10' })).status, 403);
    const newPage = await (await getPage(stack, trainer, '/training/sessions/new?course=1')).text();
    assert.match(newPage, /<option value="1" selected>/);
    assert.doesNotMatch(newPage, /<option value="3"/, 'only courses the trainer may add sessions to');

    // the coordinator cancels after a confirm step
    const confirm = await getPage(stack, coordinator, `/training/sessions/${theirs.id}/cancel`);
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /Are you sure you want to cancel this session\?/);
    const cancelled = await postForm(stack, coordinator, `/training/sessions/${theirs.id}/cancel`, {});
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.headers.get('location'), `/training/sessions/${theirs.id}?done=session-cancelled`);
    assert.equal((await (await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${theirs.id}`)).json()).session.status, 'cancelled');
    const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
    assert.match(audit, /training_session_updated/);
    assert.match(audit, /training_session_cancelled/);
  });

  test('my_training_notice_stays_until_its_owner_dismisses_it_with_a_post', async () => {
    const [first, second] = await signInAll(stack, await addResponders(stack, 'notice', 2));
    const s = await createSession(stack, coordinator, { capacity: 1 });
    const b1 = (await (await book(first, s.id)).json()).booking;
    const b2 = (await (await book(second, s.id)).json()).booking;
    assert.equal(b2.status, 'waitlisted');
    assert.equal((await api(stack, first, 'DELETE', `/api/v1/training/bookings/${b1.id}`)).status, 204);
    const notice = new RegExp(`data-notice-for="${b2.id}"[\\s\\S]*?Your place is confirmed`);
    for (let visit = 0; visit < 2; visit++) {
      const my = await getPage(stack, second, '/training/my');
      assert.equal(my.status, 200);
      assert.match(await my.text(), notice, `visit ${visit + 1} still shows the notice`);
    }
    assert.equal((await postForm(stack, first, `/training/bookings/${b2.id}/notice/dismiss`, {})).status, 403);
    assert.equal((await getPage(stack, second, `/training/bookings/${b2.id}/notice/dismiss`)).status, 405);
    const dismissed = await postForm(stack, second, `/training/bookings/${b2.id}/notice/dismiss`, {});
    assert.equal(dismissed.status, 303);
    assert.equal(dismissed.headers.get('location'), '/training/my?done=dismissed');
    const my = await (await getPage(stack, second, '/training/my')).text();
    assert.doesNotMatch(my, new RegExp(`data-notice-for="${b2.id}"`));
    assert.match(my, new RegExp(`data-booking="${b2.id}" data-status="confirmed"`));
    const view = (await (await api(stack, second, 'GET', `/api/v1/training/bookings/${b2.id}`)).json()).booking;
    assert.equal(view.notice, undefined);
    // the API's dismissal answers 204
    assert.equal((await api(stack, second, 'POST', `/api/v1/training/bookings/${b2.id}/notice/dismiss`)).status, 204);
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
