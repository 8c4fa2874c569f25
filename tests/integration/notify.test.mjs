// notify.test.mjs - portal-notify end to end (issue 16's first slice): a
// responder places a hold through the API and the owning NGO's staff (and
// the agency's on-call address) get the e-mail in the stack's Maildir
// within 30 s, parsed (headers, RFC 2047 subject, both parts), with no phone
// number or case reference in it; the NGO accepts and the responder gets
// one; with the SMTP server stopped while 20 events are made, every message
// arrives once it is started again, none twice; a malformed stream entry is
// dead-lettered and acknowledged, and the worker goes on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startStack, sleep } from './lib/stack.mjs';
import { api } from './lib/beds.mjs';
import { readMaildir } from './lib/maildir.mjs';

let stack;
const as = {};
const STREAM = 'portal:beds:{beds}:events';
const DEAD = 'portal:notify:{notify}:dead';

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_RETRY_SECONDS: '1', PORTAL_NOTIFY_RETRY_MAX_SECONDS: '2' });
  for (const u of ['responder.police', 'responder.council', 'ngo.a']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const mail = () => readMaildir(join(stack.dir, 'mail'));

// The messages whose text links to hold `id`, once `n` of them are there
// (waiting up to `seconds`).
async function messagesFor(id, n, seconds = 30) {
  const link = `/beds/holds/${id}`;
  const end = Date.now() + seconds * 1000;
  let found = [];
  while (Date.now() < end) {
    found = mail().filter((m) => m.parts.some((p) => p.text.includes(link + '\n') || p.text.includes(link + '"')));
    if (found.length >= n) return found;
    await sleep(250);
  }
  return found;
}

async function newHouse(name, beds = 2) {
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name, area: 'hackney', groups: { women: { beds } }, pre_nrm: true, languages: ['sq'],
    referral_phone: '020 7946 0999', referral_hours: '24 hours' });
  assert.equal(c.status, 201, c.text);
  const id = c.body.safehouse.id;
  assert.equal((await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: beds })).status, 200);
  return id;
}

async function placeHold(house, who = 'responder.police') {
  const r = await api(stack, as[who], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
    { group: 'women', reference: 'MPS-REF-4471', callback_phone: '07700 900123' });
  assert.equal(r.status, 201, r.text);
  return r.body.hold.id;
}

function assertNothingPrivate(m) {
  const all = m.raw + m.parts.map((p) => p.text).join('\n');
  assert.doesNotMatch(all, /07700\s?900123|7946|MPS-REF/, 'no phone number or case reference');
  assert.doesNotMatch(all, /\b0\d{3}\s?\d{3}\s?\d{4}\b/, 'nothing shaped like a phone number');
}

test('a placed hold e-mails the owning NGO staff and the agency on-call address; accepting it e-mails the responder', async () => {
  const name = `Maison Étoile ${Math.random().toString(36).slice(2, 6)}`;
  const house = await newHouse(name);
  const started = Date.now();
  const id = await placeHold(house);
  const placed = await messagesFor(id, 2);
  assert.ok(Date.now() - started < 30000);
  assert.deepEqual(placed.map((m) => m.headers.to).sort(), ['ngo.a@example.org', 'on-call@demo-charity-a.example.org']);
  for (const m of placed) {
    assert.equal(m.subject, `A bed hold is waiting for your answer at ${name}`);
    assert.match(m.headers.subject, /^=\?UTF-8\?Q\?/, 'a subject that is not ASCII is RFC 2047 encoded');
    assert.match(m.headers['message-id'], /^<\d+-\d+\.beds\.[0-9a-f]{16}@localhost>$/);
    assert.equal(m.headers.from, 'London Anti-Slavery Partner Portal <portal@localhost>');
    assert.ok(Math.abs(Date.parse(m.headers.date) - Date.now()) < 120000, m.headers.date);
    assert.match(m.headers['content-type'], /^multipart\/alternative; boundary=/);
    assert.deepEqual(m.parts.map((p) => p.type), ['text/plain', 'text/html']);
    const [text, html] = m.parts.map((p) => p.text);
    assert.match(text, new RegExp(`A bed hold is waiting for your answer at ${name}\\.`));
    assert.ok(text.includes(`Sign in to answer: ${stack.url}/beds/holds/${id}`), text);
    assert.ok(html.includes(`<a href="${stack.url}/beds/holds/${id}">Sign in to answer</a>`), html);
    assert.ok(html.includes(`<strong>${name}</strong>`));
    assertNothingPrivate(m);
  }
  // one message per recipient: the two Message-IDs differ, from the same entry
  const [a, b] = placed.map((m) => m.headers['message-id']);
  assert.notEqual(a, b);
  assert.equal(a.split('.')[0], b.split('.')[0]);

  const acc = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${id}/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  const all = await messagesFor(id, 3);
  const toResponder = all.filter((m) => m.headers.to === 'responder.police@example.org');
  assert.equal(toResponder.length, 1);
  assert.equal(toResponder[0].subject, `Your bed hold at ${name} was accepted`);
  assertNothingPrivate(toResponder[0]);
  assert.equal(await stack.redis('XPENDING', STREAM, 'notify').then((s) => s.split('\n')[0]), '0');
});

test('with the SMTP server stopped while 20 events are made, every message arrives once it is back, none twice', async () => {
  const house = await newHouse(`Harbour House ${Math.random().toString(36).slice(2, 6)}`, 3);
  await stack.stopService('smtp');
  const ids = [];
  for (let i = 0; i < 10; i++) {   // 10 holds placed and cancelled: 20 events, 30 messages
    const id = await placeHold(house);
    const c = await api(stack, as['responder.police'], 'POST', `/api/v1/beds/holds/${id}/cancel`, {});
    assert.equal(c.status, 200, c.text);
    ids.push(id);
  }
  await sleep(3000);  // the worker tries and fails, at least once
  for (const id of ids) assert.equal((await messagesFor(id, 1, 0)).length, 0);
  assert.match(stack.log('notify'), /did not accept a message/);
  await stack.startService('smtp');
  const got = [];
  for (const id of ids) got.push(...await messagesFor(id, 3, 60));
  assert.equal(got.length, 30, 'every message arrived');
  const mids = got.map((m) => m.headers['message-id']);
  assert.equal(new Set(mids).size, 30, 'none twice');
  for (const id of ids) {
    const ms = got.filter((m) => m.parts[0].text.includes(`/beds/holds/${id}\n`));
    assert.deepEqual(ms.map((m) => m.headers.to).sort(),
      ['ngo.a@example.org', 'on-call@demo-charity-a.example.org', 'responder.police@example.org']);
  }
  await sleep(1500);
  assert.equal(mail().filter((m) => ids.some((id) => m.parts.some((p) => p.text.includes(`/beds/holds/${id}\n`)))).length, 30,
    'no copy came later');
});

test('a malformed entry is dead-lettered and acknowledged, and the worker goes on', async () => {
  const pid = stack.pid('notify');
  const bad = (await stack.redis('XADD', STREAM, '*', 'kind', 'hold_placed', 'hold', 'not-a-number', 'at', '1')).trim();
  let dead = [];
  // each sink dead-letters it on its own (the dashboard's too): the e-mail sink's is the one here
  for (let i = 0; i < 40 && !dead.some((d) => d.id === bad && d.sink === 'notify'); i++) {
    await sleep(250);
    dead = (await stack.redis('LRANGE', DEAD, '0', '-1')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }
  const d = dead.find((x) => x.id === bad && x.sink === 'notify');
  assert.ok(d, 'dead-lettered');
  assert.equal(d.stream, 'beds');
  assert.match(d.reason, /the field hold is not valid/);
  assert.equal((await stack.redis('XPENDING', STREAM, 'notify')).split('\n')[0], '0');
  assert.equal(stack.pid('notify'), pid);
  process.kill(pid, 0);  // still running
  // and it still sends
  const house = await newHouse(`Harbour House ${Math.random().toString(36).slice(2, 6)}`);
  const id = await placeHold(house);
  assert.equal((await messagesFor(id, 2)).length, 2);
});

test('stopped with SIGTERM and started again, the worker sends what was made meanwhile; too old an event is dead-lettered unsent', async () => {
  await stack.stopService('notify');
  assert.match(stack.log('notify'), /"msg":"stopped"/, 'SIGTERM stops it cleanly');
  const house = await newHouse(`Harbour House ${Math.random().toString(36).slice(2, 6)}`, 3);
  const a = await placeHold(house);
  await stack.startService('notify');
  assert.equal((await messagesFor(a, 2)).length, 2, 'the event made while it was stopped is sent');

  await stack.stopService('notify');
  const b = await placeHold(house);
  await sleep(2500);
  await stack.startService('notify', { PORTAL_NOTIFY_DEAD_AFTER_SECONDS: '1' });
  const training = 'portal:{training}:events';
  const other = (await stack.redis('XADD', training, '*', 'kind', 'kind_nobody_hears_of', 'at', '1', 'uid', 'x')).trim();
  let dead = [];
  for (let i = 0; i < 40 && !dead.some((d) => d.kind === 'hold_placed' && /too late/.test(d.reason)); i++) {
    await sleep(250);
    dead = (await stack.redis('LRANGE', DEAD, '0', '-1')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }
  assert.ok(dead.some((d) => d.kind === 'hold_placed' && /too late to send/.test(d.reason)), JSON.stringify(dead));
  assert.equal((await messagesFor(b, 1, 1)).length, 0, 'nothing sent for it');
  for (let i = 0; i < 20 && (await stack.redis('XPENDING', training, 'notify')).split('\n')[0] !== '0'; i++) await sleep(250);
  assert.equal((await stack.redis('XPENDING', training, 'notify')).split('\n')[0], '0', 'a kind not sent is acknowledged');
  assert.ok(!dead.some((d) => d.id === other && d.sink === 'notify'), 'and not dead-lettered by the e-mail sink');
  await stack.stopService('notify');
  await stack.startService('notify');
});

test('with an SMTP password set, a server that offers no STARTTLS gets nothing: the password never crosses in the clear', async () => {
  const pw = join(stack.dir, 'secrets', 'smtp.password');
  writeFileSync(pw, 'smtp-secret-1\n', { mode: 0o600 });
  await stack.stopService('notify');
  await stack.startService('notify', { PORTAL_SMTP_USER: 'portal', PORTAL_SMTP_PASSWORD_FILE: pw });
  const house = await newHouse(`Harbour House ${Math.random().toString(36).slice(2, 6)}`);
  const id = await placeHold(house, 'responder.council');
  await sleep(3000);
  assert.equal((await messagesFor(id, 1, 0)).length, 0, 'nothing sent without TLS');
  assert.match(stack.log('notify'), /STARTTLS|SSL|TLS/i);
  assert.doesNotMatch(stack.log('notify') + stack.log('smtp'), /smtp-secret-1/);
  await stack.stopService('notify');
  await stack.startService('notify');
  assert.equal((await messagesFor(id, 2)).length, 2, 'sent once the setting is right: the event was kept');
});
