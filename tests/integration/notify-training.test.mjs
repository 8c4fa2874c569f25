// notify-training.test.mjs - portal-notify's training e-mails end to end
// (issue 16): a waitlisted person promoted when a place comes free gets an
// e-mail in the stack's Maildir with the session's calendar file attached,
// parsed by ical.js (METHOD:REQUEST, the same UID, times and SEQUENCE as the
// portal's calendar link), and the person who cancelled gets METHOD:CANCEL
// for their own booking; a session whose time changes sends one message to
// each person booked: those with a place get their booking's file, the
// waitlisted none.  No message holds a phone number.
import ICAL from 'ical.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startStack, sleep } from './lib/stack.mjs';
import { api, createSession, fromNow } from './lib/training.mjs';
import { readMaildir } from './lib/maildir.mjs';

let stack;
const as = {};

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_RETRY_SECONDS: '1', PORTAL_NOTIFY_RETRY_MAX_SECONDS: '2' });
  for (const u of ['coordinator', 'responder.police', 'responder.council', 'responder.health']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// The messages to `who` about session `id` whose subject matches `subject`,
// once there are `n` (waiting up to `seconds`; 0: look once).
async function messages(who, id, subject, n = 1, seconds = 30) {
  const link = `/training/sessions/${id}`;
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const found = readMaildir(join(stack.dir, 'mail')).filter((m) => m.headers.to === `${who}@example.org` &&
      subject.test(m.subject) && m.parts.some((p) => p.text.includes(`${link}\n`)));
    if (found.length >= n || Date.now() >= end) return found;
    await sleep(250);
  }
}

// The calendar part of a message, parsed: {method, event, text}.
function calendarOf(m) {
  const part = m.parts.find((p) => p.type === 'text/calendar');
  assert.ok(part, 'a text/calendar part');
  const cal = new ICAL.Component(ICAL.parse(part.text));
  ICAL.TimezoneService.register(cal.getFirstSubcomponent('vtimezone'));
  const vevent = cal.getFirstSubcomponent('vevent');
  return { method: cal.getFirstPropertyValue('method'), part, vevent, event: new ICAL.Event(vevent), text: part.text };
}

function assertNothingPrivate(m) {
  const all = m.raw + m.parts.map((p) => p.text).join('\n');
  assert.doesNotMatch(all, /\b0\d{3}\s?\d{3}\s?\d{4}\b|\+44/, 'nothing shaped like a phone number');
}

const book = async (who, id) => (await (await api(stack, as[who], 'POST', `/api/v1/training/sessions/${id}/bookings`)).json()).booking;

test('a waitlisted person promoted when a place comes free gets an e-mail with the session calendar file', async () => {
  const venue = `Room ${Math.random().toString(36).slice(2, 6)}`;
  const s = await createSession(stack, as.coordinator, { capacity: 1, venue, starts_at: fromNow(20), ends_at: fromNow(20, 3) });
  const first = await book('responder.police', s.id);
  const second = await book('responder.council', s.id);
  assert.deepEqual([first.status, second.status], ['confirmed', 'waitlisted']);
  const cancelled = await api(stack, as['responder.police'], 'DELETE', `/api/v1/training/bookings/${first.id}`);
  assert.equal(cancelled.status, 204);

  const [promoted] = await messages('responder.council', s.id, /^A place came free/);
  assert.ok(promoted, 'the promoted person has an e-mail');
  assert.match(promoted.headers['content-type'], /^multipart\/mixed; boundary=/);
  assert.deepEqual(promoted.parts.map((p) => p.type), ['text/plain', 'text/html', 'text/calendar']);
  assert.match(promoted.parts[2].headers['content-type'], /^text\/calendar; method=REQUEST; charset=UTF-8$/);
  assert.match(promoted.parts[2].headers['content-disposition'], /^attachment; filename="[^"]+\.ics"$/);
  assert.match(promoted.headers['message-id'], /^<\d+-\d+\.training\.[0-9a-f]{16}@localhost>$/);
  const [text] = promoted.parts.map((p) => p.text);
  assert.ok(text.includes(`${stack.url}/training/sessions/${s.id}\n`), text);
  assert.ok(text.includes(venue), text);
  assertNothingPrivate(promoted);

  const cal = calendarOf(promoted);
  assert.equal(cal.method, 'REQUEST');
  assert.equal(cal.event.uid, `training-booking-${second.id}@london-anti-slavery-portal`);
  assert.equal(cal.event.startDate.toJSDate().toISOString(), new Date(s.starts_at).toISOString());
  assert.equal(cal.event.endDate.toJSDate().toISOString(), new Date(s.ends_at).toISOString());
  assert.equal(cal.event.location, venue);
  assert.equal(cal.vevent.getFirstPropertyValue('attendee'), 'mailto:responder.council@example.org');
  // the same event as the portal's calendar link: UID, times, sequence
  const link = await api(stack, as['responder.council'], 'GET', `/api/v1/training/bookings/${second.id}/calendar.ics`);
  const served = new ICAL.Event(new ICAL.Component(ICAL.parse(await link.text())).getFirstSubcomponent('vevent'));
  assert.deepEqual([served.uid, served.sequence, served.summary, served.startDate.toString()],
    [cal.event.uid, cal.event.sequence, cal.event.summary, cal.event.startDate.toString()]);

  // the person who cancelled: METHOD:CANCEL for their own booking
  const [gone] = await messages('responder.police', s.id, /is cancelled$/);
  assert.ok(gone, 'the person who cancelled has an e-mail');
  const cancel = calendarOf(gone);
  assert.equal(cancel.method, 'CANCEL');
  assert.equal(cancel.event.uid, `training-booking-${first.id}@london-anti-slavery-portal`);
  assert.equal(cancel.vevent.getFirstPropertyValue('status'), 'CANCELLED');
  assertNothingPrivate(gone);
});

test('a session whose time changes sends one message to each person booked, the file to those with a place', async () => {
  const s = await createSession(stack, as.coordinator, { capacity: 1, starts_at: fromNow(25), ends_at: fromNow(25, 2) });
  const placed = await book('responder.police', s.id);
  const waiting = await book('responder.health', s.id);
  assert.deepEqual([placed.status, waiting.status], ['confirmed', 'waitlisted']);
  const moved = { starts_at: fromNow(26), ends_at: fromNow(26, 2) };
  const r = await api(stack, as.coordinator, 'PUT', `/api/v1/training/sessions/${s.id}`, moved);
  assert.equal(r.status, 200, await r.text());

  const [toPlaced] = await messages('responder.police', s.id, /has changed$/);
  const [toWaiting] = await messages('responder.health', s.id, /has changed$/);
  assert.ok(toPlaced && toWaiting, 'both people booked have a message');
  const cal = calendarOf(toPlaced);
  assert.equal(cal.method, 'REQUEST');
  assert.equal(cal.event.uid, `training-booking-${placed.id}@london-anti-slavery-portal`);
  assert.equal(cal.event.sequence, 1);
  assert.equal(cal.event.startDate.toJSDate().toISOString(), new Date(moved.starts_at).toISOString());
  assert.deepEqual(toWaiting.parts.map((p) => p.type), ['text/plain', 'text/html'], 'no place, no calendar file');
  for (const m of [toPlaced, toWaiting]) assertNothingPrivate(m);
  // one each, and nobody else was told of this session's change
  await sleep(1500);
  for (const who of ['responder.police', 'responder.health']) assert.equal((await messages(who, s.id, /has changed$/, 2, 0)).length, 1);
  assert.equal((await messages('responder.council', s.id, /has changed$/, 1, 0)).length, 0);
});
