// training-reminder.test.mjs - training's reminders run by portal-notify's
// clock (issue 16): a session moved to start tomorrow (its reminder, 2 days
// before, falls due at once) gets one session_reminder per confirmed
// booking with no request after the move, the waitlisted person none, and
// only once however many ticks pass; the due set is then empty of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api, createSession, fromNow } from './lib/training.mjs';

let stack;
const as = {};

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_CLOCK_SECONDS: '1' });
  for (const u of ['coordinator', 'responder.police', 'responder.health']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// The session_reminder entries of training's stream, as {session, uid, booking}.
async function reminders() {
  const lines = (await stack.redis('XRANGE', 'portal:{training}:events', '-', '+')).trim().split('\n');
  const out = [];
  lines.forEach((line, i) => {
    if (line !== 'session_reminder' || lines[i - 1] !== 'kind') return;
    const f = {};
    for (let k = i + 1; k + 1 < lines.length && !/^\d+-\d+$/.test(lines[k]); k += 2) f[lines[k]] = lines[k + 1];
    out.push({ session: f.session, uid: f.uid, booking: f.booking });
  });
  return out;
}

test('the clock sends one reminder per confirmed booking when a session is two days away, once', async () => {
  const s = await createSession(stack, as.coordinator, { capacity: 1, starts_at: fromNow(30), ends_at: fromNow(30, 2) });
  const book = async (who) => (await (await api(stack, as[who], 'POST', `/api/v1/training/sessions/${s.id}/bookings`)).json()).booking;
  const placed = await book('responder.police');
  const waiting = await book('responder.health');
  assert.deepEqual([placed.status, waiting.status], ['confirmed', 'waitlisted']);
  const due = await stack.redis('ZSCORE', 'portal:{training}:due', `reminder:${s.id}`);
  assert.equal(Number(due), Date.parse(s.starts_at) / 1000 - 2 * 86400, 'the reminder waits 2 days before the start');
  assert.deepEqual((await reminders()).filter((r) => r.session === String(s.id)), []);

  const moved = await api(stack, as.coordinator, 'PUT', `/api/v1/training/sessions/${s.id}`,
    { starts_at: fromNow(1), ends_at: fromNow(1, 2), booking_closes_at: fromNow(0, 12) });
  assert.equal(moved.status, 200, await moved.text());
  let mine = [];
  for (let i = 0; i < 50 && mine.length === 0; i++) {
    await sleep(200);
    mine = (await reminders()).filter((r) => r.session === String(s.id));
  }
  assert.deepEqual(mine, [{ session: String(s.id), uid: 'responder.police', booking: placed.id }]);
  assert.equal((await stack.redis('ZSCORE', 'portal:{training}:due', `reminder:${s.id}`)).trim(), '');
  await sleep(2500);   // more ticks: nothing again
  assert.equal((await reminders()).filter((r) => r.session === String(s.id)).length, 1);
});
