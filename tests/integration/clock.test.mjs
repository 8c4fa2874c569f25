// clock.test.mjs - portal-notify's clock (issue 16): with
// PORTAL_NOTIFY_CLOCK_SECONDS=1 and hold minutes of a second, a hold nobody
// answers gets hold_expiring, then is expired by the clock with no request
// at all (the bed free again, the due set empty of it); the owning NGO's
// staff and on-call address are e-mailed the warning, and both sides the
// expiry; saving vacancies appends vacancies_updated; the directory's
// events on propose, reject, approve and suggest, made through the API, and
// their e-mails (coordinators; the proposer); the demo services not verified
// for 6 months are told of once by the clock, their agencies' staff e-mailed; a
// wrong clock setting stops the worker at start, saying what to fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startStack, sleep, ROOT } from './lib/stack.mjs';
import { api } from './lib/beds.mjs';
import { client } from './lib/directory.mjs';
import { readMaildir } from './lib/maildir.mjs';

const BEDS = 'portal:beds:{beds}';
const DIR = 'portal:dir:{dir}';
let stack;
const as = {};

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_CLOCK_SECONDS: '1', PORTAL_BEDS_MINUTE_SECONDS: '1',
    PORTAL_BEDS_HOLD_WARNING_MINUTES: '3' });
  for (const u of ['responder.police', 'ngo.a']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// The entries of stream `key` as objects {id, kind, ...fields}.
async function events(key) {
  const out = (await stack.redis('XRANGE', `${key}:events`, '-', '+')).trim().split('\n');
  const list = [];
  // redis-cli --raw prints id, then name and value lines; an id starts each entry
  for (const line of out) {
    if (/^\d+-\d+$/.test(line)) list.push({ id: line, f: [] });
    else if (list.length) list[list.length - 1].f.push(line);
  }
  return list.map(({ id, f }) => {
    const o = { id };
    for (let i = 0; i + 1 < f.length; i += 2) o[f[i]] = f[i + 1];
    return o;
  });
}

async function until(what, fn, seconds) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`${what}: not within ${seconds} s` + stack.log('notify').slice(-3000));
    await sleep(200);
  }
}

test('a hold nobody answers is warned of, then expired by the clock with no request, and the responder is told', async () => {
  const name = `Clock House ${Math.random().toString(36).slice(2, 6)}`;
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name, area: 'hackney', groups: { women: { beds: 1 } }, pre_nrm: true, languages: ['sq'],
    referral_phone: '020 7946 0999', referral_hours: '24 hours' });
  assert.equal(c.status, 201, c.text);
  const house = c.body.safehouse.id;
  assert.equal((await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${house}/vacancies`, { women: 1 })).status, 200);
  const h = await api(stack, as['responder.police'], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
    { group: 'women', minutes: 5, reference: 'MPS-REF-4471', callback_phone: '07700 900123' });
  assert.equal(h.status, 201, h.text);
  const id = String(h.body.hold.id);
  const expiresAt = Number(await stack.redis('HGET', `${BEDS}:hold:${id}`, 'expires_at'));
  assert.equal((await stack.redis('ZSCORE', `${BEDS}:due`, `hold_expire:${id}`)).trim(), String(expiresAt));
  assert.equal((await stack.redis('ZSCORE', `${BEDS}:due`, `hold_warn:${id}`)).trim(), String(expiresAt - 3));

  // no request to beds from here on: only the clock can expire it
  const status = () => stack.redis('HGET', `${BEDS}:hold:${id}`, 'status').then((s) => s.trim());
  await until('the hold expired', async () => (await status()) === 'expired', 15);
  assert.ok(Date.now() / 1000 - expiresAt < 10, 'within seconds of its time');
  assert.equal((await stack.redis('ZCARD', `${BEDS}:sh:${house}:pending:women`)).trim(), '0', 'the bed is free again');
  assert.equal((await stack.redis('ZSCORE', `${BEDS}:due`, `hold_expire:${id}`)).trim(), '');
  const mine = (await events(BEDS)).filter((e) => e.hold === id);
  assert.deepEqual(mine.map((e) => e.kind), ['hold_placed', 'hold_expiring', 'hold_expired']);
  for (const e of mine) {
    assert.equal(e.group, 'women');
    assert.equal(e.borough, 'hackney');
    assert.doesNotMatch(JSON.stringify(e), /MPS-REF|07700/);
  }
  assert.ok(Number(mine[2].at) >= expiresAt);

  // the responder hears of it by e-mail
  // both sides hear of it by e-mail, and the owning NGO (its on-call too) was warned before
  const NGO = ['ngo.a@example.org', 'on-call@demo-charity-a.example.org'];
  const mails = async (subject, n) => until(subject, async () => {
    const ms = readMaildir(join(stack.dir, 'mail')).filter((m) => m.subject === subject);
    return ms.length >= n ? ms : null;
  }, 30);
  const warned = await mails(`A bed hold at ${name} expires unanswered`, 2);
  assert.deepEqual(warned.map((m) => m.headers.to).sort(), NGO);
  const ended = await mails(`A bed hold at ${name} ran out of time`, 3);
  assert.deepEqual(ended.map((m) => m.headers.to).sort(), [...NGO, 'responder.police@example.org']);
  for (const m of [...warned, ...ended]) {
    const [text, html] = m.parts.map((p) => p.text);
    assert.ok(text.includes(`${stack.url}/beds/holds/${id}`), text);
    assert.ok(html.includes(`<a href="${stack.url}/beds/holds/${id}">`), html);
    assert.doesNotMatch(m.raw + text, /MPS-REF|07700|7946/, 'no case reference or phone');
  }
  assert.match(warned[0].parts[0].text, new RegExp(`A bed hold at ${name} expires at .+ unanswered\\.\n\nSign in to answer: `));

  // and the bed can be held again
  const again = await api(stack, as['responder.police'], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
    { group: 'women', reference: 'MPS-REF-4472', callback_phone: '07700 900123' });
  assert.equal(again.status, 201, again.text);
  const e = (await events(BEDS)).filter((x) => x.kind === 'vacancies_updated' && x.safehouse === String(house));
  assert.equal(e.length, 1);
  assert.equal(e[0].safehouse_name, name);
  assert.equal(e[0].agency, 'demo-charity-a');

  // vacancies not updated for 48 hours: the house's times moved back, its item to now
  const long = Math.floor(Date.now() / 1000) - 49 * 3600;
  await stack.redis('HSET', `${BEDS}:sh:${house}`, 'at:women', String(long));
  await stack.redis('ZADD', `${BEDS}:due`, String(long + 48 * 3600), `stale:${house}`);
  const stale = await mails(`The vacancies of ${name} are out of date`, 1);
  assert.deepEqual(stale.map((m) => m.headers.to), ['ngo.a@example.org'], 'the staff, not the on-call address');
  assert.ok(stale[0].parts[0].text.includes(`Sign in to update or confirm them: ${stack.url}/beds/safehouses/${house}`));
  const st = (await events(BEDS)).filter((x) => x.kind === 'vacancies_stale' && x.safehouse === String(house));
  assert.deepEqual(st.map((x) => x.updated_at), [String(long)]);
});

test('proposing, rejecting and approving a change and suggesting an edit append the directory events', async () => {
  const SERVICE = '5e000000-0000-4000-8000-000000000002';  // Demo Advocacy Charity B's
  const ngoB = await client(stack, 'ngo.b');
  const coordinator = await client(stack, 'coordinator');
  const police = await client(stack, 'responder.police');
  const p1 = await ngoB.send('PUT', `/api/v1/directory/services/${SERVICE}`, { name: 'Clock-tested advocacy (demo)' });
  assert.equal(p1.status, 202);
  assert.equal((await coordinator.send('POST', `/api/v1/directory/changes/${p1.body.id}/reject`, { reason: 'Keep the name' })).status, 200);
  const p2 = await ngoB.send('PUT', `/api/v1/directory/services/${SERVICE}`, { name: 'Clock-tested advocacy (demo)' });
  assert.equal((await coordinator.send('POST', `/api/v1/directory/changes/${p2.body.id}/approve`, {})).status, 200);
  const s = await police.send('POST', `/api/v1/directory/services/${SERVICE}/suggestions`, { text: 'Call 020 7946 0000 instead.' });
  assert.equal(s.status, 201);
  const es = (await events(DIR)).filter((e) => e.kind !== 'service_unverified');
  const pick = ({ kind, change, service, service_name, agency, proposer, by, reason }) =>
    [kind, change, service, service_name, agency, proposer, by, reason];
  // the service by its published name: a proposed name is told to nobody before it is approved
  const OLD = 'Modern slavery advocacy (IMSA) (demo)';
  assert.deepEqual(es.filter((e) => e.kind.startsWith('change_')).map(pick), [
    ['change_proposed', p1.body.id, SERVICE, OLD, 'demo-charity-b', 'ngo.b', 'ngo.b', undefined],
    ['change_rejected', p1.body.id, SERVICE, OLD, 'demo-charity-b', 'ngo.b', 'coordinator', 'Keep the name'],
    ['change_proposed', p2.body.id, SERVICE, OLD, 'demo-charity-b', 'ngo.b', 'ngo.b', undefined],
    ['change_approved', p2.body.id, SERVICE, 'Clock-tested advocacy (demo)', 'demo-charity-b', 'ngo.b', 'coordinator', undefined]]);
  const sug = es.filter((e) => e.kind === 'suggestion_made');
  assert.deepEqual(sug.map((e) => [e.suggestion, e.service, e.agency, e.by]), [[s.body.id, SERVICE, 'demo-charity-b', 'responder.police']]);
  for (const e of es) assert.doesNotMatch(JSON.stringify(e), /7946|Call /, 'no note or phone in an event');

  // e-mail: proposals and suggestions to the coordinators, decisions to the proposer
  const NAME = 'Clock-tested advocacy (demo)';
  const mails = (subject, n, name = NAME) => until(subject, async () => {
    const ms = readMaildir(join(stack.dir, 'mail')).filter((m) => m.subject === subject && m.parts[0].text.includes(name));
    return ms.length >= n ? ms : null;
  }, 30);
  const proposed = await mails('A directory change is waiting for your decision', 2, OLD);
  for (const m of proposed) assert.ok(m.parts.every((p) => !p.text.includes(NAME)), 'a proposed name is not in an e-mail before approval');
  assert.deepEqual([...new Set(proposed.map((m) => m.headers.to))], ['coordinator@example.org']);
  assert.ok(proposed[0].parts[0].text.includes(`Sign in to review it: ${stack.url}/directory/changes`));
  assert.deepEqual((await mails('Your directory change was not approved', 1, OLD)).map((m) => m.headers.to), ['ngo.b@example.org']);
  assert.deepEqual((await mails('Your directory change was approved', 1)).map((m) => m.headers.to), ['ngo.b@example.org']);
  const suggested = await mails(`An edit is suggested for ${NAME}`, 1);
  assert.deepEqual(suggested.map((m) => m.headers.to), ['coordinator@example.org']);
  for (const m of [...proposed, ...suggested]) assert.doesNotMatch(m.raw, /7946|instead/, 'no note or phone in an e-mail');
});

test('the clock tells once of each service not verified for 6 months', async () => {
  const due = (await stack.redis('ZRANGEBYSCORE', `${DIR}:verified`, '-inf', String(Math.floor(Date.now() / 1000) - 15811200)))
    .trim().split('\n').filter(Boolean);
  assert.ok(due.length > 0, 'the demo data has services due for verification');
  const told = await until('service_unverified for each', async () => {
    const es = (await events(DIR)).filter((e) => e.kind === 'service_unverified');
    return es.length >= due.length ? es : null;
  }, 15);
  await sleep(2500);  // two more ticks: nothing told twice
  const again = (await events(DIR)).filter((e) => e.kind === 'service_unverified');
  assert.equal(again.length, told.length);
  assert.deepEqual(told.map((e) => e.service).sort(), due.sort());
  for (const e of told) assert.ok(e.service_name && Number(e.verified_at) > 0);
  // the owning agency's NGO staff are e-mailed: the demo's due services
  // belong to agencies with no staff in the demo directory, so demo-charity-a's
  // service is made due (its item moved to now)
  const A = '5e000000-0000-4000-8000-000000000001';
  await stack.redis('ZADD', `${DIR}:due`, String(Math.floor(Date.now() / 1000) - 1), `unverified:${A}`);
  const got = await until('the unverified e-mail', async () => {
    const ms = readMaildir(join(stack.dir, 'mail')).filter((m) => m.subject === "Women's safehouse referrals (demo) is due for verification");
    return ms.length ? ms : null;
  }, 30);
  assert.deepEqual(got.map((m) => m.headers.to), ['ngo.a@example.org']);
  assert.ok(got[0].parts[0].text.includes(`Sign in to check and verify it: ${stack.url}/directory/services/${A}`));
});

test('a clock setting that is not a number of seconds stops portal-notify with what to fix', () => {
  for (const bad of ['0', '3601', 'soon']) {
    const p = spawnSync(join(process.env.PORTAL_BIN || join(ROOT, 'build'), 'portal-notify'), ['--check'],
      { env: { ...process.env, PORTAL_ENV: 'development', PORTAL_NOTIFY_CLOCK_SECONDS: bad }, encoding: 'utf8' });
    assert.equal(p.status, 2, bad);
    assert.match(p.stderr, /PORTAL_NOTIFY_CLOCK_SECONDS must be a whole number from 1 to 3600/);
  }
});
