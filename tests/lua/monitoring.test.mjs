// monitoring.test.mjs - the monitoring intake and figures scripts
// (modules/monitoring/lua/intake.lua, figures.lua, text_save.lua) on their
// own against a redis-server: each event counts once by its id (a batch
// read again adds nothing), a cursor another instance moved first counts
// nothing, a replaced feedback or outcome note replaces its counts and its
// text (keeping the tags; an empty one removes the copy), attendance goes
// to the booking's agency type and unit, a hold's answer to the quarter it
// was placed in with its minutes, and a text's terms count in its quarter
// by agency type, a changed text's old terms taken off.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, connect, scriptSource, answer } from './lib/redis.mjs';

const BASE = 'p:{monitoring}';
let server, r;

before(async () => { server = await startRedis(); r = await connect(server.socket); });
after(async () => { r.close(); await server.stop(); });
beforeEach(async () => { await r.call('FLUSHALL'); });

async function run(name, args) {
  const argv = Object.entries(args).flatMap(([k, v]) => [k, String(v)]);
  return answer(await r.call('EVAL', scriptSource('monitoring', name), 1, BASE, ...argv));
}
let seq = 0;
const ev = (kind, f, extra = {}) => ({ id: `1-${++seq}`, kind, at: 1_760_000_000, quarter: '2025-Q4',
  session_quarter: '2025-Q4', delta: 0, terms: '', f: { kind, ...f }, ...extra });
async function intake(stream, events, cursorWas) {
  const was = cursorWas ?? ((await r.call('GET', `${BASE}:cursor:${stream}`)) || '');
  return run('intake', { stream, cursor_was: was, cursor: events.at(-1).id, events: JSON.stringify(events) });
}
const fig = async (q = '2025-Q4') => {
  const a = await run('figures', { quarters: q });
  return JSON.parse(a.fields.quarters)[q] || {};
};
const n = (f, field) => Number(f.fig?.[field] ?? 0);

test('each event counts once by its id, even when the batch is read again', async () => {
  const events = [ev('booking_confirmed', { booking: 'b1', session: 's1', uid: 'u1', agency_type: 'police', unit: 'ne' }),
    ev('hold_placed', { hold: 'h1', borough: 'newham', responder_unit: 'ne' })];
  assert.equal((await intake('training', [events[0]])).fields.counted, '1');
  assert.equal((await intake('beds', [events[1]])).fields.counted, '1');
  await r.call('DEL', `${BASE}:cursor:training`, `${BASE}:cursor:beds`);
  assert.equal((await intake('training', [events[0]])).fields.counted, '0');
  assert.equal((await intake('beds', [events[1]])).fields.counted, '0');
  const f = await fig();
  assert.equal(n(f, 'booked|police|ne'), 1);
  assert.equal(n(f, 'placed|b|newham'), 1);
});

test('a cursor another instance moved first counts nothing', async () => {
  const e = ev('hold_placed', { hold: 'h9', borough: 'camden', responder_unit: '' });
  const a = await intake('beds', [e], 'not-the-cursor');
  assert.equal(a.status, 'moved');
  assert.equal(n(await fig(), 'placed|b|camden'), 0);
});

test('attendance counts for the booking\'s agency type and unit, once a person', async () => {
  await intake('training', [ev('booking_confirmed', { booking: 'b1', session: 's1', uid: 'u1', agency_type: 'health', unit: '' }),
    ev('attendance_recorded', { session: 's1', uids: 'u1 u2' }),
    ev('attendance_recorded', { session: 's1', uids: 'u1' })]);
  // a place still on the waiting list when the session ran counts for its booker too, not as booked
  await intake('training', [ev('booking_waitlisted', { booking: 'b3', session: 's1', uid: 'u3', agency_type: 'ngo', unit: '' }),
    ev('attendance_recorded', { session: 's1', uids: 'u3' })]);
  const f = await fig();
  assert.equal(n(f, 'attended|health|'), 1);
  assert.equal(n(f, 'attended|unknown|'), 1);
  assert.equal(n(f, 'attended|ngo|'), 1);
  assert.equal(n(f, 'booked|ngo|'), 0);
});

test('a hold\'s answer counts in the quarter it was placed, with its minutes', async () => {
  await intake('beds', [ev('hold_placed', { hold: 'h1', borough: 'newham', responder_unit: 'ne' }, { quarter: '2025-Q3', at: 1_759_000_000 }),
    ev('hold_accepted', { hold: 'h1', borough: 'newham', responder_unit: 'ne' }, { at: 1_759_000_000 + 45 * 60 }),
    ev('hold_declined', { hold: 'h1', borough: 'newham', responder_unit: 'ne' }, { at: 1_759_000_000 + 90 * 60 })]);
  const q3 = await fig('2025-Q3');
  assert.equal(n(q3, 'answered|b|newham'), 1);
  assert.equal(n(q3, 'accepted|u|ne'), 1);
  assert.deepEqual(q3.minutes, ['45|newham|ne']);
  assert.equal(n(await fig(), 'answered|b|newham'), 0);
});

test('a second feedback replaces the first: its figures and its text, keeping the tags; an empty text removes the copy', async () => {
  const fb = (id, text, delta, usefulness, terms = '') => ev('feedback_given', { booking: 'b1', title: 'Course', usefulness,
    agency_type: 'police', unit: 'ne', text }, { delta, terms });
  await intake('training', [fb('a', 'she claims it', 1.5, 5, 'claims')]);
  const id = await r.call('HGET', `${BASE}:source`, 'feedback|b1');
  await r.call('HSET', `${BASE}:text:${id}`, 'tags', '3');
  await intake('training', [fb('b', 'it helped', 0.5, 3)]);
  let f = await fig();
  assert.equal(n(f, 'course|Course|feedback'), 1);
  assert.equal(n(f, 'course|Course|delta'), 0.5);
  assert.equal(n(f, 'course|Course|useful'), 3);
  assert.equal(n(f, 'terms|police|claims'), 0);
  const text = await r.call('HGETALL', `${BASE}:text:${id}`);
  const t = Object.fromEntries(text.reduce((a, v, i) => (i % 2 ? a[a.length - 1].push(v) : a.push([v]), a), []));
  assert.deepEqual([t.text, t.kind, t.agency_type, t.tags, t.author], ['it helped', 'feedback', 'police', '3', '']);
  await intake('training', [fb('c', '', 1, 4)]);
  f = await fig();
  assert.equal(await r.call('EXISTS', `${BASE}:text:${id}`), 0);
  assert.equal(await r.call('ZSCORE', `${BASE}:texts`, id), null);
  assert.equal(n(f, 'course|Course|feedback'), 1);
});

test('an observation\'s terms count in its quarter by agency type; a change takes the old ones off', async () => {
  const save = (id, text, terms) => run('text_save', { id, now: 1_760_000_000, author: 'ngo.a', text, kind: 'observation',
    borough: '', types: '[]', agency_type: 'ngo', quarter: '2025-Q4', terms });
  const a = await save('', 'she claims she was plugging', 'claims\nplugging');
  const id = JSON.parse(a.fields.text).id;
  let f = await fig();
  assert.deepEqual([n(f, 'terms|ngo|claims'), n(f, 'terms|ngo|plugging')], [1, 1]);
  await save(id, 'she states it', '');
  f = await fig();
  assert.deepEqual([n(f, 'terms|ngo|claims'), n(f, 'terms|ngo|plugging')], [0, 0]);
});

test('search_unmet counts by borough and the plain words', async () => {
  const words = 'a bed for a man with a child';
  await intake('beds', [ev('search_unmet', { borough: 'newham', words }), ev('search_unmet', { borough: 'newham', words })]);
  assert.equal(n(await fig(), `unmet|newham|${words}`), 2);
});
