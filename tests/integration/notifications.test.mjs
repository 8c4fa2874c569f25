// notifications.test.mjs - issue 16's in-portal notifications end to end: a
// responder places a hold and the owning NGO's staff have an unread
// notification naming the house and when the hold ends within 30 s (and
// the header of every page shows the count); read one, read all, paging;
// a stream entry handled again adds nothing; each person keeps the newest
// 200; e-mail preferences turned off stop the e-mail but not the
// notification, and hold_placed cannot be turned off (422 with a message);
// coordinators see the dead letters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startStack, sleep } from './lib/stack.mjs';
import { api, form, page } from './lib/beds.mjs';
import { readMaildir } from './lib/maildir.mjs';

let stack;
const as = {};
const TRAINING = 'portal:{training}:events';

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_RETRY_SECONDS: '1', PORTAL_NOTIFY_RETRY_MAX_SECONDS: '2' });
  for (const u of ['responder.police', 'responder.council', 'ngo.a', 'coordinator']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const list = async (who, q = '') => {
  const r = await api(stack, as[who], 'GET', `/api/v1/notifications${q}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
};

// The first notification of `who` whose link is `link`, waiting up to `seconds`.
async function noticeFor(who, link, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const found = (await list(who, '?per_page=100')).items.find((n) => n.link === link);
    if (found || Date.now() > end) return found;
    await sleep(250);
  }
}

async function newHouse(name) {
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name, area: 'hackney', groups: { women: { beds: 3 } }, pre_nrm: true, languages: ['sq'],
    referral_phone: '020 7946 0999', referral_hours: '24 hours' });
  assert.equal(c.status, 201, c.text);
  const id = c.body.safehouse.id;
  assert.equal((await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 3 })).status, 200);
  return id;
}

async function placeHold(house, who = 'responder.police') {
  const r = await api(stack, as[who], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
    { group: 'women', reference: 'MPS-REF-4471', callback_phone: '07700 900123' });
  assert.equal(r.status, 201, r.text);
  return r.body.hold;
}

// Training events for `uid`, made straight into the stream (n of them, one script),
// with the fields the training rows' words name (title, starts_at).
async function bookings(uid, n, first = 1) {
  await stack.redis('EVAL', `for i = 0, tonumber(ARGV[2]) - 1 do
    redis.call('XADD', KEYS[1], '*', 'kind', 'booking_confirmed', 'at', tostring(1796457600 + i),
      'uid', ARGV[1], 'session', tostring(tonumber(ARGV[3]) + i), 'booking', ARGV[3] .. '-' .. (i + 1),
      'title', 'Awareness', 'starts_at', tostring(1799136000 + i)) end return 1`,
  '1', TRAINING, uid, String(n), String(first));
}

test('a placed hold gives the NGO staff an unread notification with the house and when it ends, and the header counts it', async () => {
  const name = `Harbour House ${Math.random().toString(36).slice(2, 6)}`;
  const house = await newHouse(name);
  const started = Date.now();
  const hold = await placeHold(house);
  const n = await noticeFor('ngo.a', `/beds/holds/${hold.id}`);
  assert.ok(n, 'a notification within 30 s');
  assert.ok(Date.now() - started < 30000);
  assert.equal(n.kind, 'hold_placed');
  assert.equal(n.read, false);
  assert.ok(n.text.startsWith(`A bed hold is waiting for your answer at ${name}: it ends at `), n.text);
  assert.match(n.text, /it ends at (\d{1,2}(:\d\d)?(am|pm)|midday|midnight) on \w+day \d{1,2} \w+/, 'the time it ends, in words');
  assert.match(n.id, /^beds-\d+-\d+$/);
  assert.match(n.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assert.doesNotMatch(JSON.stringify(n), /MPS-REF|07700|900123/, 'no case reference or phone');
  const body = await list('ngo.a');
  assert.ok(body.unread >= 1 && body.total >= body.unread);
  // the responder who placed it is not told of their own hold being placed
  assert.equal((await list('responder.police', '?per_page=100')).items.some((x) => x.id === n.id), false);
  // every page's header shows the count; the page shows it unread, the time in words
  const home = await page(stack, as['ngo.a'], '/');
  assert.match(home.text, new RegExp(`data-unread-count>${body.unread}<span class="govuk-visually-hidden"> unread`));
  const p = await page(stack, as['ngo.a'], '/notifications');
  assert.equal(p.status, 200);
  assert.ok(p.text.includes(`href="/beds/holds/${hold.id}">A bed hold is waiting for your answer at ${name}`));
  assert.match(p.text, /data-unread>/);
  assert.match(p.text, /Mark all as read/);
  assert.doesNotMatch(p.text.split('<main')[1], /\d{4}-\d\d-\d\dT/, 'no ISO timestamp on the page');
  // the NGO accepts: the responder is told
  assert.equal((await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${hold.id}/accept`, {})).status, 200);
  const told = await noticeFor('responder.police', `/beds/holds/${hold.id}`);
  assert.equal(told?.text, `Your bed hold at ${name} was accepted`);
});

test('read one, then read all: the counts follow, and an unknown notification is 404', async () => {
  await bookings('responder.council', 3, 500);
  let b;
  for (let i = 0; i < 120 && (b = await list('responder.council')).unread < 3; i++) await sleep(250);
  assert.equal(b.unread, 3);
  const [first] = b.items;
  const r = await api(stack, as['responder.council'], 'POST', `/api/v1/notifications/${first.id}/read`, {});
  assert.equal(r.status, 204, r.text);
  b = await list('responder.council');
  assert.equal(b.unread, 2);
  assert.equal(b.items.find((x) => x.id === first.id).read, true);
  assert.equal((await api(stack, as['responder.council'], 'POST', '/api/v1/notifications/beds-1-0/read', {})).status, 404);
  assert.equal((await api(stack, as['responder.council'], 'POST', '/api/v1/notifications/not-an-id/read', {})).status, 404);
  // another person cannot mark it: it is not theirs
  assert.equal((await api(stack, as['ngo.a'], 'POST', `/api/v1/notifications/${b.items[1].id}/read`, {})).status, 404);
  // the page's form, without JavaScript: a post and a redirect
  const f = await form(stack, as['responder.council'], '/notifications/read-all', {});
  assert.equal(f.status, 303);
  assert.equal(f.location, '/notifications?done=read');
  b = await list('responder.council');
  assert.equal(b.unread, 0);
  assert.ok(b.items.every((x) => x.read));
  const p = await page(stack, as['responder.council'], '/notifications?done=read');
  assert.match(p.text, /Your notifications are marked as read/);
  assert.doesNotMatch(p.text, /data-unread-count/, 'no count in the header once all are read');
});

test('paging: newest first, per_page, the page links, and a per_page over 100 is refused', async () => {
  const who = 'trainer';
  as[who] = await stack.signIn(who);
  await bookings(who, 5, 700);
  let b;
  for (let i = 0; i < 120 && (b = await list(who)).total < 5; i++) await sleep(250);
  assert.equal(b.total, 5);
  const p1 = await list(who, '?per_page=2');
  const p3 = await list(who, '?per_page=2&page=3');
  assert.deepEqual(p1.items.map((x) => x.link), ['/training/sessions/704', '/training/sessions/703']);
  assert.deepEqual(p3.items.map((x) => x.link), ['/training/sessions/700']);
  assert.equal(p3.total, 5);
  assert.deepEqual((await list(who, '?per_page=2&page=4')).items, []);
  const bad = await api(stack, as[who], 'GET', '/api/v1/notifications?per_page=101');
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.fields.per_page, /100/);
  const html = (await page(stack, as[who], '/notifications?per_page=2&page=2')).text
    .replace(/&#61;/g, '=').replace(/&amp;/g, '&');
  assert.match(html, /Page 2 of 3/);
  assert.ok(html.includes('href="/notifications?page=1&per_page=2"'), 'previous');
  assert.ok(html.includes('href="/notifications?page=3&per_page=2"'), 'next');
});

test('an entry handled again adds nothing, and a person keeps the newest 200', async () => {
  const who = 'responder.health';
  as[who] = await stack.signIn(who);
  await bookings(who, 205, 1000);
  let b;
  for (let i = 0; i < 240 && !(b = await list(who)).items.some((x) => x.link === '/training/sessions/1204'); i++) await sleep(250);
  assert.equal(b.total, 200, 'the newest 200 kept');
  assert.equal(b.items[0].link, '/training/sessions/1204');
  assert.equal((await list(who, '?per_page=100&page=2')).items.at(-1).link, '/training/sessions/1005');
  // the in-portal sink reads every entry again: nobody gets a second one
  const before = (await list('ngo.a')).total;
  await stack.redis('XGROUP', 'SETID', 'portal:beds:{beds}:events', 'inbox', '0');
  await stack.redis('XGROUP', 'SETID', TRAINING, 'inbox', '0');
  await sleep(5000);  // every entry read again (a few hundred: well under a second each turn)
  assert.equal((await list('ngo.a')).total, before);
  assert.equal((await list(who)).total, 200);
});

test('e-mail turned off stops the e-mail but not the notification; hold_placed cannot be turned off', async () => {
  const who = as['responder.police'];
  const prefs = await api(stack, who, 'GET', '/api/v1/notifications/preferences');
  assert.equal(prefs.status, 200, prefs.text);
  const placed = prefs.body.preferences.find((p) => p.kind === 'hold_placed');
  assert.deepEqual(placed, { kind: 'hold_placed', label: placed.label, email: true, may_turn_off: false });
  assert.equal(prefs.body.preferences.find((p) => p.kind === 'hold_accepted').may_turn_off, true);
  const refused = await api(stack, who, 'PUT', '/api/v1/notifications/preferences', { email: { hold_placed: false } });
  assert.equal(refused.status, 422);
  assert.match(refused.body.error.fields.email, /cannot be turned off/);
  assert.equal((await api(stack, who, 'PUT', '/api/v1/notifications/preferences', { email: { no_such_kind: false } })).status, 422);
  const off = await api(stack, who, 'PUT', '/api/v1/notifications/preferences', { email: { hold_accepted: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.preferences.find((p) => p.kind === 'hold_accepted').email, false);
  assert.equal(off.body.preferences.find((p) => p.kind === 'hold_declined').email, true, 'the others unchanged');

  const name = `Quiet House ${Math.random().toString(36).slice(2, 6)}`;
  const hold = await placeHold(await newHouse(name));
  assert.equal((await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${hold.id}/accept`, {})).status, 200);
  assert.ok(await noticeFor('responder.police', `/beds/holds/${hold.id}`), 'the notification still comes');
  const mails = () => readMaildir(join(stack.dir, 'mail')).filter((m) => m.parts[0].text.includes(`/beds/holds/${hold.id}\n`));
  for (let i = 0; i < 120 && mails().length < 2; i++) await sleep(250);  // the NGO's two e-mails of hold_placed
  await sleep(3000);
  assert.deepEqual(mails().map((m) => m.headers.to).sort(), ['ngo.a@example.org', 'on-call@demo-charity-a.example.org'],
    'no e-mail to the responder who turned it off');

  // the settings page, without JavaScript: the boxes, the fixed kinds, and saving by the form
  const p = await page(stack, who, '/notifications/settings');
  assert.match(p.text, /name="email" type="checkbox" value="hold_declined" checked/);
  assert.match(p.text, /name="email" type="checkbox" value="hold_accepted">/);
  assert.match(p.text, new RegExp(`<li>${placed.label.replace(/'/g, '&#39;')}</li>`));
  const saved = await form(stack, who, '/notifications/settings',
    { email: prefs.body.preferences.filter((x) => x.may_turn_off).map((x) => x.kind) });   // every box ticked
  assert.equal(saved.status, 303);
  const again = await api(stack, who, 'GET', '/api/v1/notifications/preferences');
  assert.ok(again.body.preferences.every((x) => x.email), 'all on again');
});

test('coordinators see the dead letters; others may not', async () => {
  const bad = (await stack.redis('XADD', TRAINING, '*', 'kind', 'booking_confirmed', 'at', '1796457600', 'uid', 'x')).trim();
  let d;
  for (let i = 0; i < 120; i++) {
    d = await api(stack, as.coordinator, 'GET', '/api/v1/notifications/dead-letters');
    if (d.body?.items?.filter((x) => x.id === bad && ['inbox', 'notify'].includes(x.sink)).length === 2) break;
    await sleep(250);
  }
  assert.equal(d.status, 200, d.text);
  const dead = d.body.items.filter((x) => x.id === bad && x.sink !== 'dashboard');  // the dashboard's is its own
  assert.deepEqual(dead.map((x) => x.sink).sort(), ['inbox', 'notify'], 'each sink dead-letters it once');
  assert.equal(dead[0].reason, 'a booking_confirmed event needs the field session');
  assert.match((await page(stack, as.coordinator, '/notifications')).text, /href="\/notifications\/dead-letters"/);
  assert.doesNotMatch((await page(stack, as['ngo.a'], '/notifications')).text, /dead-letters/);
  const p = await page(stack, as.coordinator, '/notifications/dead-letters');
  assert.equal(p.status, 200);
  assert.match(p.text, /Your training place is booked/);
  assert.match(p.text, /In-portal notification/);
  assert.equal((await api(stack, as['ngo.a'], 'GET', '/api/v1/notifications/dead-letters')).status, 403);
});
