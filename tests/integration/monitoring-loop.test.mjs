// monitoring-loop.test.mjs - issue 18's loop over the real stack with the
// real events (no XADD here): a responder gives feedback through the
// training API on an ended session they attended, a partner sends an
// observation, the NGO accepts a hold and says what happened with a note;
// the monitoring intake reads the events into texts and the
// quarter's figures; the coordinator tags the texts and marks a quote; the
// figures of this quarter then count the themes, show the quote with its
// agency type only, and carry the training figures, the hold figures by
// borough and police unit, and the terms flagged.
// Figures are compared with those read before the loop, so the demo's own
// events (read by the same intake) do not matter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api } from './lib/beds.mjs';
import { createSession, fromNow, moveSession } from './lib/training.mjs';

let stack;
const as = {};
const BASE = 'portal:{monitoring}';
const STREAMS = [['portal:{training}:events', 'training'], ['portal:beds:{beds}:events', 'beds']];
const FEEDBACK = 'I will ask open questions before anything else';
const OBSERVED = 'she claims she was plugging';
const NOTE = 'She arrived the same evening; the referral went well';

// this quarter in London, written as 2026-Q4
function thisQuarter() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric' })
    .formatToParts(new Date());
  const y = parts.find((p) => p.type === 'year').value, m = Number(parts.find((p) => p.type === 'month').value);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}
const QUARTER = thisQuarter();

// the intake has read both streams to their ends
async function settled() {
  for (const [stream, name] of STREAMS) {
    const last = (await stack.redis('XREVRANGE', stream, '+', '-', 'COUNT', '1')).trim().split('\n')[0];
    for (let i = 0; i < 80 && (await stack.redis('GET', `${BASE}:cursor:${name}`)).trim() !== last; i++) await sleep(250);
    assert.equal((await stack.redis('GET', `${BASE}:cursor:${name}`)).trim(), last, `${name} read to its end`);
  }
}
const figures = async () => {
  const r = await api(stack, as.coordinator, 'GET', `/api/v1/monitoring?quarter=${QUARTER}`);
  assert.equal(r.status, 200, r.text);
  return r;
};
const row = (rows, code) => rows.find((r) => r.code === code) || {};
const count = (rows, code, field) => row(rows, code)[field] || 0;
const term = (f, type, t) => (f.language.terms.find((x) => x.agency_type === type && x.term === t) || { count: 0 }).count;

before(async () => {
  stack = await startStack({ PORTAL_MONITORING_INTAKE_SECONDS: '1' });
  for (const u of ['coordinator', 'responder.police', 'ngo.a'])
    as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

let start, texts, theme, quoted;

test('feedback, an observation and a hold outcome made through the APIs reach monitoring as texts with their kind and agency type only', async () => {
  await settled();
  start = (await figures()).body;
  const c = as.coordinator, police = as['responder.police'];
  // a course with two outcomes, a session later today, booked by the responder
  const course = await api(stack, c, 'POST', '/api/v1/training/courses', { title: 'Loop test course',
    summary: 'A course for the monitoring loop.', duration_minutes: 60, learning_outcomes: ['Spot the signs', 'Make the referral'] });
  assert.equal(course.status, 201, course.text);
  const session = await createSession(stack, c, { course_id: Number(course.body.course.id), capacity: 5,
    starts_at: fromNow(0, 2), ends_at: fromNow(0, 3) });
  const booked = await api(stack, police, 'POST', `/api/v1/training/sessions/${session.id}/bookings`);
  assert.equal(booked.status, 201, booked.text);
  // the session has ended; the coordinator marks the responder attended
  await moveSession(stack, session.id, new Date(Date.now() - 3 * 3600e3), new Date(Date.now() - 3600e3));
  const marked = await api(stack, c, 'PUT', `/api/v1/training/sessions/${session.id}/attendance/${booked.body.booking.id}`,
    { attendance: 'attended' });
  assert.equal(marked.status, 200, marked.text);
  const fb = await api(stack, police, 'POST', `/api/v1/training/bookings/${booked.body.booking.id}/feedback`,
    { confidence_before: [2, 3], confidence_after: [4, 4], usefulness: 5, text: FEEDBACK });
  assert.equal(fb.status, 201, fb.text);
  // a partner (the NGO) sends an observation
  const obs = await api(stack, as['ngo.a'], 'POST', '/api/v1/monitoring/observations', { text: OBSERVED, borough: 'newham' });
  assert.equal(obs.status, 201, obs.text);
  assert.deepEqual(obs.body.language_notes.map((n) => n.term).sort(), ['claims', 'plugging']);
  // a hold on a bed in Newham, placed by the responder and accepted by the NGO
  const house = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', { name: 'Loop House', area: 'newham',
    groups: { women: { beds: 2 } }, pre_nrm: true, languages: ['sq'], referral_phone: '020 7946 0999', referral_hours: '24 hours' });
  assert.equal(house.status, 201, house.text);
  const vacant = await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${house.body.safehouse.id}/vacancies`, { women: 1 });
  assert.equal(vacant.status, 200, vacant.text);
  const held = await api(stack, police, 'POST', `/api/v1/beds/safehouses/${house.body.safehouse.id}/holds`,
    { group: 'women', reference: 'MPS-REF-1', callback_phone: '07700 900123' });
  assert.equal(held.status, 201, held.text);
  const accepted = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${held.body.hold.id}/accept`, {});
  assert.equal(accepted.status, 200, accepted.text);
  // the hold closed: the NGO says what happened, with a note
  const told = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${held.body.hold.id}/outcome`, { outcome: 'arrived', note: NOTE });
  assert.equal(told.status, 201, told.text);
  assert.deepEqual(told.body.language_notes, []);
  await settled();

  const list = await api(stack, c, 'GET', '/api/v1/monitoring/texts');
  assert.equal(list.status, 200, list.text);
  texts = {
    feedback: list.body.texts.find((t) => t.text === FEEDBACK),
    observation: list.body.texts.find((t) => t.text === OBSERVED),
    outcome: list.body.texts.find((t) => t.text === NOTE),
  };
  assert.equal(texts.outcome?.kind, 'hold_outcome', 'the outcome note is a text');
  assert.equal(texts.outcome.agency_type, 'ngo');
  assert.equal(texts.feedback?.kind, 'feedback', 'the feedback is a text');
  assert.equal(texts.feedback.agency_type, 'police');
  assert.equal(texts.observation?.kind, 'observation', 'the observation is a text');
  assert.equal(texts.observation.agency_type, 'ngo');
  const words = JSON.stringify(list.body);
  for (const who of ['responder.police', 'ngo.a', 'Metropolitan Police', 'demo-charity-a', 'Demo Safehouse Charity', 'Priya Shah'])
    assert.ok(!words.includes(who), `no ${who} in the texts`);
});

test('the coordinator tags the three texts with a theme and marks the observation as a quote', async () => {
  const c = as.coordinator;
  const made = await api(stack, c, 'POST', '/api/v1/monitoring/themes', { name: 'Language of disbelief' });
  assert.equal(made.status, 201, made.text);
  theme = made.body.theme;
  for (const [t, quote] of [[texts.feedback, false], [texts.observation, true], [texts.outcome, false]]) {
    const r = await api(stack, c, 'PUT', `/api/v1/monitoring/texts/${t.id}/tags`, { themes: [String(theme.id)], quote });
    assert.equal(r.status, 200, r.text);
  }
  quoted = texts.observation;
});

test("this quarter's figures: the theme's count, the quote with agency type only, training and terms by agency type", async () => {
  const r = await figures();
  const f = r.body;
  // no username and no agency name anywhere in the answer
  for (const who of ['responder.police', 'ngo.a', 'demo-charity-a', 'Demo Safehouse Charity', 'Metropolitan Police', 'Priya Shah'])
    assert.ok(!r.text.includes(who), `no ${who} in the figures`);
  assert.equal(f.partners.themes.find((t) => t.name === theme.name)?.count, 3);
  assert.deepEqual(f.partners.quotes.filter((q) => q.text === quoted.text), [{ text: OBSERVED, agency_type_name: 'NGO' }]);
  // training: one more booked and attended for the police, and for the responder's unit (north-east)
  for (const field of ['booked', 'attended']) {
    assert.equal(count(f.training.by_agency_type, 'police', field) - count(start.training.by_agency_type, 'police', field), 1, field);
    assert.equal(count(f.training.by_unit, 'north-east', field) - count(start.training.by_unit, 'north-east', field), 1, field);
  }
  const course = f.training.courses.find((x) => x.title === 'Loop test course');
  assert.deepEqual([course?.feedback, course?.confidence_change, course?.usefulness], [1, 1.5, 5]);
  // holds: one more placed, answered and accepted in Newham and for the responder's unit
  for (const [rows, code] of [['by_borough', 'newham'], ['by_unit', 'north-east']])
    for (const field of ['placed', 'answered', 'accepted'])
      assert.equal(count(f.holds[rows], code, field) - count(start.holds[rows], code, field), 1, `${code} ${field}`);
  assert.equal(typeof row(f.holds.by_borough, 'newham').median_minutes, 'number');
  // terms flagged: "she claims she was plugging" gives two for NGOs
  assert.equal(term(f, 'ngo', 'claims') - term(start, 'ngo', 'claims'), 1);
  assert.equal(term(f, 'ngo', 'plugging') - term(start, 'ngo', 'plugging'), 1);
});
