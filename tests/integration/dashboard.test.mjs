// dashboard.test.mjs - the signed-in start page as a dashboard (issue 16):
// portal-notify's dashboard sink keeps it from the events, portal-auth
// serves it at / and GET /api/v1/dashboard.  A responder places a hold: the
// owning NGO's dashboard shows it within 30 s with the time left, the
// responder's shows their open hold; accepting it takes it off the NGO's.
// Trainers' and coordinators' sections from events XADDed here as the
// training and directory modules will append them; each section in words
// on the page, an empty one saying so; a malformed entry is a dead letter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api, page } from './lib/beds.mjs';

let stack;
const as = {};

before(async () => {
  stack = await startStack();
  for (const u of ['responder.police', 'ngo.a', 'trainer', 'coordinator']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

async function dashboard(who) {
  const r = await api(stack, as[who], 'GET', '/api/v1/dashboard');
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.body.sections.map((s) => [s.kind, s]));
}

// Wait up to `seconds` for `ok(dashboard)`; returns the last dashboard.
async function until(who, ok, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  let d;
  while (Date.now() < end) {
    d = await dashboard(who);
    if (ok(d)) return d;
    await sleep(250);
  }
  return d;
}

const has = (section, text) => section.items.some((i) => i.text.includes(text));

test('a placed hold shows on the NGO\'s dashboard within 30 s with the time left, and on the responder\'s; accepting takes it off the NGO\'s', async () => {
  const name = `Harbour House ${Math.random().toString(36).slice(2, 6)}`;
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name, area: 'hackney', groups: { women: { beds: 2 } }, pre_nrm: true, languages: ['sq'],
    referral_phone: '020 7946 0999', referral_hours: '24 hours' });
  assert.equal(c.status, 201, c.text);
  const house = c.body.safehouse.id;
  assert.equal((await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${house}/vacancies`, { women: 2 })).status, 200);
  const started = Date.now();
  const h = await api(stack, as['responder.police'], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
    { group: 'women', reference: 'MPS-REF-4471', callback_phone: '07700 900123' });
  assert.equal(h.status, 201, h.text);
  const id = h.body.hold.id;

  const ngo = await until('ngo.a', (d) => has(d.holds_waiting, name));
  assert.ok(Date.now() - started < 30000, 'within 30 s');
  const item = ngo.holds_waiting.items.find((i) => i.text.includes(name));
  assert.match(item.text, new RegExp(`^${name}: expires in (\\d+ hours?( \\d+ minutes?)?|\\d+ minutes?)$`));
  assert.equal(item.link, `/beds/holds/${id}`);
  assert.ok(ngo.holds_waiting.count >= 1);
  const html = await page(stack, as['ngo.a'], '/');
  assert.equal(html.status, 200);
  assert.ok(html.text.includes(`href="/beds/holds/${id}">${name}: expires in`), 'the page links the hold with the time left');
  assert.doesNotMatch(html.text, /MPS-REF|07700/, 'no reference or call-back phone on the dashboard');

  const mine = await dashboard('responder.police');
  assert.ok(has(mine.my_holds, `${name}: waiting for an answer, expires in`), JSON.stringify(mine.my_holds));
  assert.equal(ngo.my_holds, undefined, 'an NGO has no responder sections');

  assert.equal((await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${id}/accept`, {})).status, 200);
  const after = await until('ngo.a', (d) => !has(d.holds_waiting, name));
  assert.ok(!has(after.holds_waiting, name), 'accepted: no longer waiting');
  const mineAfter = await until('responder.police', (d) => !has(d.my_holds, name));
  assert.ok(!has(mineAfter.my_holds, name));
  const coord = await until('coordinator', (d) => d.week.count >= 1);
  assert.match(coord.week.items[0].text, /^[1-9]\d* bed holds? placed$/);
});

test('trainers see their agency\'s sessions of the week and the rosters to mark; marking attendance takes a roster off', async () => {
  const agency = as.trainer.body.user.agency.id;
  const now = Math.floor(Date.now() / 1000);
  const S = 'portal:{training}:events';
  await stack.redis('XADD', S, '*', 'kind', 'session_created', 'at', String(now), 'session', '9001', 'title', 'Spotting the signs',
    'starts_at', String(now + 2 * 86400), 'ends_at', String(now + 2 * 86400 + 7200), 'agency', agency, 'trainer', 'trainer', 'uids', '');
  await stack.redis('XADD', S, '*', 'kind', 'session_created', 'at', String(now), 'session', '9002', 'title', 'Duty to Notify',
    'starts_at', String(now - 4 * 3600), 'ends_at', String(now - 3600), 'agency', agency, 'trainer', 'trainer', 'uids', '');
  const d = await until('trainer', (x) => has(x.sessions_this_week, 'Spotting the signs') && has(x.rosters_to_mark, 'Duty to Notify'));
  const week = d.sessions_this_week.items.find((i) => i.text.startsWith('Spotting the signs'));
  assert.match(week.text, /^Spotting the signs, \d{1,2}(:\d\d)?(am|pm) on \w+day \d{1,2} \w+$|^Spotting the signs, (midday|midnight) on/);
  assert.equal(week.link, '/training/sessions/9001');
  assert.ok(!has(d.sessions_this_week, 'Duty to Notify'), 'a session that has started is not in the week ahead');
  assert.equal(d.rosters_to_mark.items.find((i) => i.text.startsWith('Duty to Notify')).link, '/training/sessions/9002/roster');
  await stack.redis('XADD', S, '*', 'kind', 'attendance_recorded', 'at', String(now), 'session', '9002', 'title', 'Duty to Notify',
    'starts_at', String(now - 4 * 3600), 'uids', 'responder.police', 'by', 'trainer');
  const marked = await until('trainer', (x) => !has(x.rosters_to_mark, 'Duty to Notify'));
  assert.ok(!has(marked.rosters_to_mark, 'Duty to Notify'));
  // the demo's own past sessions (their session_created events) may be there too: one fewer than before
  assert.equal(marked.rosters_to_mark.count, d.rosters_to_mark.count - 1);
  const html = await page(stack, as.trainer, '/');
  assert.ok(!html.text.includes('/training/sessions/9002/roster'), 'the marked roster is off the page');
  if (marked.rosters_to_mark.count === 0)
    assert.ok(html.text.includes('Every roster of a session that has ended is marked.'), 'an empty section says so');
});

test('a responder sees their next training; coordinators see what to review, dead letters and the week\'s figures', async () => {
  const now = Math.floor(Date.now() / 1000);
  await stack.redis('XADD', 'portal:{training}:events', '*', 'kind', 'booking_waitlisted', 'at', String(now), 'booking', '9003-1',
    'session', '9003', 'uid', 'responder.police', 'title', 'Safeguarding adults', 'starts_at', String(now + 3 * 86400),
    'ends_at', String(now + 3 * 86400 + 3600), 'trainer_agency', 'x');
  const r = await until('responder.police', (x) => x.next_training.items.length === 1);
  assert.match(r.next_training.items[0].text, /^Safeguarding adults, .+ \(you are on the waiting list\)$/);
  assert.equal(r.next_training.items[0].link, '/training/sessions/9003');

  const D = 'portal:dir:{dir}:events';
  await stack.redis('XADD', D, '*', 'kind', 'change_proposed', 'at', String(now), 'change', '77', 'service', 's1',
    'service_name', 'Hope Project', 'agency', 'demo-charity-a', 'proposer', 'ngo.a', 'by', 'ngo.a');
  await stack.redis('XADD', D, '*', 'kind', 'change_proposed', 'at', String(now), 'change', 'not an id');
  const c = await until('coordinator', (x) => has(x.to_review, 'Hope Project') && x.dead_letters.count >= 1);
  assert.deepEqual(c.to_review.items.find((i) => i.text.includes('Hope Project')),
    { text: 'A change proposed to Hope Project', link: '/directory/changes' });
  assert.ok(c.dead_letters.count >= 1, 'the malformed entry is a dead letter');
  const reasons = await stack.redis('LRANGE', 'portal:notify:{notify}:dead', '0', '-1');
  assert.match(reasons, /"sink":"dashboard".*no valid change/);
  // approving takes it off and counts a change made this week
  const approved = ['kind', 'change_approved', 'at', String(now), 'change', '77', 'service', 's1', 'service_name', 'Hope Project',
    'agency', 'demo-charity-a', 'proposer', 'ngo.a', 'by', 'coordinator'];
  await stack.redis('XADD', D, '*', ...approved);
  const done = await until('coordinator', (x) => !has(x.to_review, 'Hope Project'));
  assert.ok(!has(done.to_review, 'Hope Project'));
  assert.equal(done.week.items[2].text, '1 directory change made');

  const html = await page(stack, as.coordinator, '/');
  for (const t of ['Changes and suggestions to review', 'Notifications that could not be delivered', 'This week\'s figures', '1 directory change made'])
    assert.ok(html.text.includes(t.replace("'", '&#39;')) || html.text.includes(t), t);
});

test('a house whose vacancies went stale, however long ago, shows for its NGO until they are updated', async () => {
  const agency = as['ngo.a'].body.user.agency.id;
  const now = Math.floor(Date.now() / 1000);
  const fields = ['safehouse', '8801', 'safehouse_name', 'Quiet House', 'agency', agency, 'updated_at', String(now - 60 * 86400)];
  await stack.redis('XADD', 'portal:beds:{beds}:events', '*', 'kind', 'vacancies_stale', 'at', String(now), ...fields);
  const d = await until('ngo.a', (x) => has(x.vacancies_stale, 'Quiet House'));
  const item = d.vacancies_stale.items.find((i) => i.text.startsWith('Quiet House'));
  assert.match(item.text, /^Quiet House: vacancies last updated .+ on \w+day \d{1,2} \w+( \d{4})?$/);
  assert.equal(item.link, '/beds/safehouses/8801');
  await stack.redis('XADD', 'portal:beds:{beds}:events', '*', 'kind', 'vacancies_updated', 'at', String(now), ...fields);
  const after = await until('ngo.a', (x) => !has(x.vacancies_stale, 'Quiet House'));
  assert.ok(!has(after.vacancies_stale, 'Quiet House'));
});

test('the dashboard API needs a session; the signed-out start page stays as it was', async () => {
  assert.equal((await stack.fetch('/api/v1/dashboard')).status, 401);
  const res = await stack.fetch('/');
  const text = await res.text();
  assert.equal(res.status, 200);
  assert.match(text, /You need an account from your agency/);
  assert.doesNotMatch(text, /What needs doing/);
});
