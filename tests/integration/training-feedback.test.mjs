// Training feedback over the real stack (issue 18): learning outcomes on
// courses, feedback on a booking (only its person, only once marked
// attended at a session that has ended; given again it replaces the
// first), the personal-data guard and the language notes, what trainers
// and coordinators see, and the events that carry it to monitoring.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { readMaildir } from './lib/maildir.mjs';
import { sleep, startStack } from './lib/stack.mjs';
import { api, createSession, getPage, moveSession, postForm } from './lib/training.mjs';

const EVENTS = 'portal:{training}:events';

describe('training feedback', () => {
  let stack, coordinator, trainer, police, health, course, session, booking;

  // Every entry of the training stream as {kind, ...fields} (through EVAL:
  // a field may hold a newline, which redis-cli's raw lines would split).
  async function events(kind) {
    const out = await stack.redis('EVAL', "return cjson.encode(redis.call('XRANGE', KEYS[1], '-', '+'))", '1', EVENTS);
    return JSON.parse(out).map(([, f]) => {
      const e = {};
      for (let i = 0; i < f.length; i += 2) e[f[i]] = f[i + 1];
      return e;
    }).filter((e) => e.kind === kind);
  }
  const give = (who, id, body) => api(stack, who, 'POST', `/api/v1/training/bookings/${id}/feedback`, body);
  const mark = (id, b) => api(stack, coordinator, 'PUT', `/api/v1/training/sessions/${id}/attendance/${b}`, { attendance: 'attended' });
  const good = { confidence_before: [2, 3], confidence_after: [4, 5], usefulness: 4, text: 'I will ask open questions.' };

  before(async () => {
    stack = await startStack();
    [coordinator, trainer, police, health] = await Promise.all(
      ['coordinator', 'trainer', 'responder.police', 'responder.health'].map((u) => stack.signIn(u)));
    const res = await api(stack, coordinator, 'POST', '/api/v1/training/courses', {
      title: 'Feedback test course', summary: 'A course to test feedback.', duration_minutes: 60,
      learning_outcomes: ['Spot the indicators', '  Make the referral  ', ''],
    });
    assert.equal(res.status, 201);
    course = (await res.json()).course;
    session = await createSession(stack, coordinator, { course_id: Number(course.id), capacity: 5 });
    booking = (await (await api(stack, police, 'POST', `/api/v1/training/sessions/${session.id}/bookings`)).json()).booking;
  });
  after(async () => { await stack?.stop(); });

  test('a_course_keeps_up_to_five_learning_outcomes_guarded_against_personal_data', async () => {
    assert.deepEqual(course.learning_outcomes, ['Spot the indicators', 'Make the referral']);
    const one = await (await api(stack, police, 'GET', `/api/v1/training/courses/${course.id}`)).json();
    assert.deepEqual(one.course.learning_outcomes, course.learning_outcomes);
    const list = await (await api(stack, police, 'GET', '/api/v1/training/courses?per_page=1')).json();
    assert.equal(list.courses[0].learning_outcomes.length, 3, 'the demo courses have outcomes');
    const courses = await (await getPage(stack, police, '/training/courses')).text();
    assert.match(courses, /<li>Make the referral<\/li>/);
    const page = await (await api(stack, police, 'GET', `/api/v1/training/sessions/${session.id}`)).json();
    assert.deepEqual(page.learning_outcomes, ['Spot the indicators', 'Make the referral']);
    const html = await (await getPage(stack, police, `/training/sessions/${session.id}`)).text();
    assert.match(html, /<li>Make the referral<\/li>/);
    const bad = await api(stack, coordinator, 'POST', '/api/v1/training/courses', {
      title: 'Bad outcomes', summary: 'x', duration_minutes: 60, learning_outcomes: ['Call 07700 900123 for help'],
    });
    assert.equal(bad.status, 422);
    assert.match((await bad.json()).error.fields.learning_outcomes, /Learning outcome 1: .*phone number/);
    const six = await api(stack, coordinator, 'POST', '/api/v1/training/courses', {
      title: 'Six outcomes', summary: 'x', duration_minutes: 60, learning_outcomes: ['aaa', 'bbb', 'ccc', 'ddd', 'eee', 'fff'],
    });
    assert.equal(six.status, 422);
    // the page form: five inputs, blanks skipped, what was typed kept after an error
    const form = await postForm(stack, coordinator, '/training/courses', { title: 'x', summary: 's', duration_minutes: '60',
      learning_outcomes: 'Keep this outcome' });
    assert.equal(form.status, 422);
    assert.match(await form.text(), /value="Keep this outcome"/);
  });

  test('feedback_is_refused_with_409_before_attendance_and_before_the_session_ended', async () => {
    let res = await give(police, booking.id, good);
    assert.equal(res.status, 409);
    assert.match((await res.json()).error.message, /marked you as attended/);
    await moveSession(stack, session.id, new Date(Date.now() - 3600e3), new Date(Date.now() + 3600e3));
    assert.equal((await mark(session.id, booking.id)).status, 200);
    res = await give(police, booking.id, good);
    assert.equal(res.status, 409);
    assert.match((await res.json()).error.message, /once the session has ended/);
    // marking attended asked the person for feedback, with a link to the form
    const [asked] = (await events('feedback_asked')).filter((e) => e.booking === booking.id);
    assert.equal(asked.uid, 'responder.police');
    assert.equal(asked.title, 'Feedback test course');
    // portal-notify tells them, in the portal and by e-mail, with the form's link
    const link = `/training/bookings/${booking.id}/feedback`;
    let notice, mail;
    for (let i = 0; i < 120 && !(notice && mail); i++) {
      const items = (await (await api(stack, police, 'GET', '/api/v1/notifications?per_page=100')).json()).items ?? [];
      notice = items.find((n) => n.link === link);
      mail = readMaildir(join(stack.dir, 'mail')).find((m) => m.headers.to === 'responder.police@example.org' &&
        /Tell us how Feedback test course went/.test(m.subject) && m.parts.some((p) => p.text.includes(link)));
      if (!(notice && mail)) await sleep(250);
    }
    assert.ok(notice, 'an in-portal notification linking to the feedback form');
    assert.match(notice.text, /^Tell us how Feedback test course went/);
    assert.ok(mail, 'an e-mail linking to the feedback form');
  });

  test('another_persons_booking_is_403_and_an_unknown_one_404', async () => {
    await moveSession(stack, session.id, new Date(Date.now() - 7200e3), new Date(Date.now() - 600e3));
    assert.equal((await give(health, booking.id, good)).status, 403);
    assert.equal((await give(police, `${session.id}-999`, good)).status, 404);
    assert.equal((await give(police, 'nonsense', good)).status, 404);
    assert.equal((await getPage(stack, health, `/training/bookings/${booking.id}/feedback`)).status, 403);
  });

  test('a_date_of_birth_is_refused_with_422_and_the_form_keeps_every_value', async () => {
    const res = await give(police, booking.id, { ...good, text: 'Born 12/03/1985, she told me.' });
    assert.equal(res.status, 422);
    assert.match((await res.json()).error.fields.text, /date of birth/);
    const wrong = await give(police, booking.id, { ...good, confidence_after: [4] });
    assert.equal(wrong.status, 422);
    assert.ok((await wrong.json()).error.fields.confidence_after);
    const page = await postForm(stack, police, `/training/bookings/${booking.id}/feedback`, {
      confidence_before_1: '2', confidence_before_2: '3', confidence_after_1: '4', usefulness: '5',
      text: 'Born 12/03/1985, she told me.' });
    assert.equal(page.status, 422);
    const html = await page.text();
    assert.match(html, /govuk-error-summary/);
    assert.match(html, /date of birth/);
    assert.match(html, /Born 12\/03\/1985, she told me\./);
    assert.match(html, /id="confidence_before_1-2" name="confidence_before_1" type="radio" value="2" checked/);
    assert.match(html, /id="confidence_before_2-3" name="confidence_before_2" type="radio" value="3" checked/);
    assert.match(html, /id="usefulness-5" name="usefulness" type="radio" value="5" checked/);
    assert.match(html, /href="#confidence_after_2"/, 'the missing answer is named in the summary');
    assert.equal((await events('feedback_given')).filter((e) => e.booking === booking.id).length, 0, 'nothing was kept');
  });

  test('feedback_saves_with_two_language_notes_replaces_on_a_second_give_and_goes_on_the_stream', async () => {
    let res = await give(police, booking.id, { ...good, text: 'she claims she was plugging' });
    assert.equal(res.status, 201);
    let body = await res.json();
    assert.deepEqual(body.language_notes.map((n) => n.found), ['claims', 'plugging']);
    assert.equal(body.language_notes[0].preferred, 'states');
    assert.deepEqual(body.feedback.outcomes.map((o) => [o.before, o.after]), [[2, 4], [3, 5]]);
    res = await give(police, booking.id, { confidence_before: [1, 1], confidence_after: [5, 3], usefulness: 2, text: '' });
    assert.equal(res.status, 200, 'given again: it replaces the first');
    body = await res.json();
    assert.deepEqual(body.language_notes, []);
    const mine = await (await api(stack, police, 'GET', `/api/v1/training/bookings/${booking.id}/feedback`)).json();
    assert.equal(mine.feedback.usefulness, 2);
    const given = (await events('feedback_given')).filter((e) => e.booking === booking.id);
    assert.equal(given.length, 2);
    assert.deepEqual(given[0], { kind: 'feedback_given', at: given[0].at, booking: booking.id, session: session.id,
      title: 'Feedback test course', starts_at: given[0].starts_at, uid: 'responder.police', agency: 'met-police',
      agency_type: 'police', unit: 'north-east', outcomes: 'Spot the indicators\nMake the referral',
      confidence_before: '2,3', confidence_after: '4,5', usefulness: '4', text: 'she claims she was plugging' });
    assert.equal(given[1].confidence_after, '5,3');
    // booking events carry the booker's agency, agency type and unit
    const [confirmed] = (await events('booking_confirmed')).filter((e) => e.booking === booking.id);
    assert.deepEqual([confirmed.agency, confirmed.agency_type, confirmed.unit], ['met-police', 'police', 'north-east']);
    // My training offers the feedback, then says it was given
    const my = await (await api(stack, police, 'GET', '/api/v1/training/bookings')).json();
    const row = my.past.find((b) => b.id === booking.id);
    assert.deepEqual([row.can_give_feedback, row.feedback_given], [true, true]);
  });

  test('the_page_saves_and_confirms_with_each_note_and_a_link_to_change_the_text', async () => {
    const res = await postForm(stack, police, `/training/bookings/${booking.id}/feedback`, {
      confidence_before_1: '2', confidence_before_2: '3', confidence_after_1: '4', confidence_after_2: '4',
      usefulness: '5', text: 'She claims she was plugging.' });
    assert.equal(res.status, 303);
    const where = res.headers.get('location');
    assert.match(where, new RegExp(`/training/bookings/${booking.id}/feedback/given`));
    const html = await (await getPage(stack, police, where)).text();
    assert.match(html, /&ldquo;claims&rdquo;: say &ldquo;states&rdquo;/);
    assert.match(html, /&ldquo;plugging&rdquo;: say &ldquo;coerced internal concealment&rdquo;/);
    assert.match(html, new RegExp(`href="/training/bookings/${booking.id}/feedback">Change the text`));
    const form = await (await getPage(stack, police, `/training/bookings/${booking.id}/feedback`)).text();
    assert.match(form, /id="usefulness-5" name="usefulness" type="radio" value="5" checked/, 'the form shows what was given');
  });

  test('trainers_and_coordinators_see_averages_and_texts_without_names', async () => {
    const res = await api(stack, coordinator, 'GET', `/api/v1/training/sessions/${session.id}/feedback`);
    assert.equal(res.status, 200);
    const f = await res.json();
    assert.equal(f.count, 1);
    assert.equal(f.usefulness_average, 5);
    assert.deepEqual(f.outcomes.map((o) => [o.outcome, o.before_average, o.after_average]),
      [['Spot the indicators', 2, 4], ['Make the referral', 3, 4]]);
    assert.deepEqual(f.texts, ['She claims she was plugging.']);
    assert.doesNotMatch(JSON.stringify(f), /responder\.police|Priya/);
    assert.equal((await api(stack, police, 'GET', `/api/v1/training/sessions/${session.id}/feedback`)).status, 403);
    // the trainer of another agency (the course is the coordinator's: no agency) may not
    assert.equal((await api(stack, trainer, 'GET', `/api/v1/training/sessions/${session.id}/feedback`)).status, 403);
    const html = await (await getPage(stack, coordinator, `/training/sessions/${session.id}/feedback`)).text();
    assert.match(html, /Spot the indicators<\/th><td class="govuk-table__cell govuk-table__cell--numeric">2<\/td>/);
  });
});
