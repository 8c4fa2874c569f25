// privacy.test.mjs - data minimisation and what the logs keep, over the
// real stack (OWASP ASVS 4.0.3 V8.3.x, V8.2.1, V7.1.1, V7.1.2): no address
// is ever stored or shown for a safehouse; victim fields (name, date of
// birth, nationality, immigration status) sent to any route are refused or
// dropped and never reach Redis or its files; the audit stream and the
// module and nginx logs hold no password, JWT, cookie, CSRF token, case
// reference or call-back phone; erased holds leave nothing in Redis.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, sleep } from '../integration/lib/stack.mjs';
import { allKeys } from '../integration/lib/beds.mjs';
import { send, redisText } from './lib/portal.mjs';
import { A_SERVICE } from './lib/world.mjs';

let stack;
const as = {};
const tag = randomBytes(4).toString('hex');
const ADDRESS = `12 Secret Street ${tag}`;
const POSTCODE = `E8 ${tag.slice(0, 1)}QX`;
// distinctive victim details: none may be stored anywhere
const VICTIM = {
  name: `Victimname ${tag}`, full_name: `Victimfull ${tag}`, date_of_birth: '1990-01-01', dob: `dob-${tag}`,
  nationality: `Nationality-${tag}`, immigration_status: `Immigration-${tag}`,
};
// keys no answer may have ('name' is also a safehouse's or service's own)
const VICTIM_KEYS = new Set(['full_name', 'date_of_birth', 'dob', 'nationality', 'immigration_status']);
const VICTIM_VALUES = [VICTIM.name, VICTIM.full_name, VICTIM.dob, VICTIM.nationality, VICTIM.immigration_status];
const WRONG_PASSWORD = `Wrong-Pass-${tag}`;

before(async () => {
  // holds closed are erased after 2 s
  stack = await startStack({ PORTAL_BEDS_MINUTE_SECONDS: '1', PORTAL_BEDS_ERASE_SECONDS: '2' });
  for (const u of ['responder.police', 'ngo.a', 'coordinator', 'trainer']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// Every file under the stack's Redis data folder, as text.
function redisFiles() {
  const out = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push([p, readFileSync(p).toString('latin1')]);
    }
  };
  walk(join(stack.dir, 'redis'));
  return out;
}

// Every log of the stack (modules, nginx), as one text per file.
function logs() {
  const dir = join(stack.dir, 'logs');
  return readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
}

const house = { name: `Privacy House ${tag}`, area: 'hackney', groups: { women: { beds: 2 } }, referral_phone: '020 7946 0997' };

test('V8.3.x no address: a safehouse sent with an address or postcode is refused, and the address is stored and shown nowhere', async () => {
  for (const extra of [{ address: ADDRESS }, { postcode: POSTCODE }, { address: ADDRESS, postcode: POSTCODE }]) {
    const r = await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', { ...house, ...extra });
    assert.equal(r.status, 422, JSON.stringify(extra));
    assert.ok(r.body.error.fields.address, 'the answer says why');
    assert.ok(!r.text.includes(ADDRESS) && !r.text.includes(POSTCODE), 'not shown back');
  }
  const form = await send(stack, as['ngo.a'], 'POST', '/beds/safehouses', { name: house.name, area: 'hackney', beds_women: 2, referral_phone: '020 7946 0997', address: ADDRESS });
  assert.equal(form.status, 422);
  assert.ok(!form.text.includes(ADDRESS), 'the form page does not show the address back');
  // a safehouse that exists: changing it with an address is refused too
  const c = await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', house);
  assert.equal(c.status, 201);
  const id = c.body.safehouse.id;
  const put = await send(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}`, { ...house, address: ADDRESS });
  assert.equal(put.status, 422);
  const edit = await send(stack, as['ngo.a'], 'POST', `/beds/safehouses/${id}/edit`, { name: house.name, area: 'hackney', beds_women: 2, referral_phone: '020 7946 0997', postcode: POSTCODE });
  assert.equal(edit.status, 422);
  // nothing anywhere: Redis, its files, the API, the pages
  const text = await redisText(stack);
  assert.ok(!text.includes(ADDRESS) && !text.includes(POSTCODE), 'an address reached Redis');
  for (const [f, t] of redisFiles()) assert.ok(!t.includes(ADDRESS) && !t.includes(POSTCODE), `an address in ${f}`);
  for (const [who, path] of [['responder.police', `/api/v1/beds/safehouses/${id}`], ['ngo.a', `/api/v1/beds/safehouses/${id}`], ['coordinator', '/api/v1/beds/safehouses'], ['responder.police', '/api/v1/beds/search?group=women']]) {
    const r = await send(stack, as[who], 'GET', path);
    assert.equal(r.status, 200);
    assert.deepEqual(allKeys(r.body).filter((k) => /address|postcode|street|location|lat|lon/i.test(k)), [], path);
  }
  for (const path of [`/beds/safehouses/${id}`, `/beds/safehouses/${id}/edit`, '/beds/safehouses/new']) {
    const r = await send(stack, as['ngo.a'], 'GET', path);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /name="(address|postcode)"/, `${path} has no address field`);
  }
});

test('V8.3.x victim fields (name, date of birth, nationality, immigration status) are refused or dropped by every route that takes a body, and never stored', async () => {
  const sess = await send(stack, as.trainer, 'POST', '/api/v1/training/sessions', {
    ...VICTIM, course_id: 1, starts_at: new Date(Date.now() + 30 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z'),
    ends_at: new Date(Date.now() + 30 * 86400e3 + 7200e3).toISOString().replace(/\.\d+Z$/, 'Z'), venue: 'Room', capacity: 5,
  });
  assert.ok(sess.status === 201 || sess.status === 422, `session: ${sess.status}`);
  const h = await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', { ...VICTIM, ...house, name: `Victim test ${tag}` });
  assert.equal(h.status, 201, h.text);
  const hid = h.body.safehouse.id;
  assert.equal((await send(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${hid}/vacancies`, { women: 2 })).status, 200);
  const attempts = [
    ['responder.police', 'POST', `/api/v1/beds/safehouses/${hid}/holds`, { group: 'women', reference: `VREF-${tag}`, callback_phone: '07700900111', ...VICTIM }],
    ['responder.police', 'POST', `/beds/safehouses/${hid}/holds`, { group: 'women', reference: `VREF2-${tag}`, callback_phone: '07700900112', ...VICTIM }],
    ['responder.police', 'POST', `/api/v1/training/sessions/${sess.body?.session?.id || 1}/bookings`, { ...VICTIM }],
    ['responder.police', 'POST', `/api/v1/directory/services/${A_SERVICE}/suggestions`, { ...VICTIM, text: 'Please update the phone line' }],
    ['trainer', 'POST', '/api/v1/training/courses', { ...VICTIM, title: `Privacy course ${tag}`, summary: 'S', duration_minutes: 60 }],
    ['ngo.a', 'PUT', `/api/v1/directory/services/${A_SERVICE}`, { ...VICTIM, name: `Privacy name ${tag}` }],
    ['coordinator', 'POST', '/api/v1/directory/organisations', { ...VICTIM, name: `Privacy org ${tag}`, description: 'D' }],
  ];
  for (const [who, m, path, body] of attempts) {
    const r = await send(stack, as[who], m, path, body);
    assert.ok(r.status < 500, `${m} ${path}: ${r.status}`);
    for (const v of VICTIM_VALUES) assert.ok(!r.text.includes(v), `${m} ${path} answers a victim field back`);
    if (r.body) assert.deepEqual(allKeys(r.body).filter((k) => VICTIM_KEYS.has(k)), [], `${m} ${path} answers victim keys`);
  }
  const holds = await send(stack, as['responder.police'], 'GET', '/api/v1/beds/holds');
  assert.ok(holds.body.holds.length >= 1, 'the holds were placed, the extra fields dropped');
  assert.deepEqual(allKeys(holds.body).filter((k) => VICTIM_KEYS.has(k)), []);
  const text = await redisText(stack);
  for (const v of VICTIM_VALUES) assert.ok(!text.includes(v), `${v} reached Redis`);
  for (const [f, t] of redisFiles()) for (const v of VICTIM_VALUES) assert.ok(!t.includes(v), `${v} in ${f}`);
});

test('V7.1.1 V7.1.2 V8.3.x the audit stream and every log hold no password, JWT, cookie, CSRF or bearer token, case reference or phone', async () => {
  // sign-ins right and wrong, a bearer token, a hold with its reference and phone, a page form
  const s = await stack.signIn('responder.police');
  const wrong = await stack.fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'responder.police', password: WRONG_PASSWORD }) });
  assert.equal(wrong.status, 401);
  const wrongForm = await stack.fetch('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=ngo.a&password=${WRONG_PASSWORD}` });
  assert.ok(wrongForm.status < 500);
  const tok = await stack.fetch('/api/v1/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'coordinator', password: 'Demo-Portal-1' }) });
  const bearer = (await tok.json()).access_token;
  assert.ok(bearer);
  assert.equal((await send(stack, { bearer }, 'GET', '/api/v1/beds/holds')).status, 200);
  const c = await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', { ...house, name: `Log test ${tag}` });
  await send(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${c.body.safehouse.id}/vacancies`, { women: 2 });
  const ref = `LOGREF-${tag}`;
  const phone = `07700900${String(parseInt(tag, 16) % 900 + 100)}`;
  const hold = await send(stack, s, 'POST', `/api/v1/beds/safehouses/${c.body.safehouse.id}/holds`, { group: 'women', reference: ref, callback_phone: phone });
  assert.equal(hold.status, 201);
  await send(stack, as['ngo.a'], 'GET', `/beds/holds/${hold.body.hold.id}`);
  await send(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${hold.body.hold.id}/decline`, { reason: 'other' });
  await sleep(300);  // log lines are written after the answer
  const secrets = {
    'the demo password': 'Demo-Portal-1', 'a wrong password': WRONG_PASSWORD,
    'a cookie JWT': s.cookie.split('=')[1], 'a bearer token': bearer, 'a CSRF token': s.csrf,
    'a case reference': ref, 'a call-back phone': phone,
  };
  const jwtShape = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, /hold_placed|hold/, 'the audit has the hold (the check is not vacuous)');
  const places = [['portal:audit', audit], ...logs()];
  const failures = [];
  for (const [where, text] of places) {
    for (const [what, v] of Object.entries(secrets)) if (text.includes(v)) failures.push(`${what} in ${where}`);
    if (jwtShape.test(text)) failures.push(`a JWT in ${where}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(logs().some(([f, t]) => f.startsWith('beds') && t.includes('/holds')), 'the beds log has the requests (the check is not vacuous)');
});

test('V8.3.8 V8.3.x a closed hold\'s case reference and phone are erased from every Redis key after the erasure period', async () => {
  const c = await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', { ...house, name: `Erase test ${tag}` });
  await send(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${c.body.safehouse.id}/vacancies`, { women: 2 });
  const ref = `ERASEREF-${tag}`;
  const phone = '07700900777';
  const h = await send(stack, as['responder.police'], 'POST', `/api/v1/beds/safehouses/${c.body.safehouse.id}/holds`, { group: 'women', reference: ref, callback_phone: phone });
  assert.equal(h.status, 201);
  assert.ok((await redisText(stack)).includes(ref), 'stored while the hold is open (the check is not vacuous)');
  assert.equal((await send(stack, as['responder.police'], 'POST', `/api/v1/beds/holds/${h.body.hold.id}/cancel`, {})).status, 200);
  let text = '';
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    await send(stack, as['responder.police'], 'GET', '/api/v1/beds/holds');
    text = await redisText(stack);
    if (!text.includes(ref) && !text.includes(phone)) break;
  }
  assert.ok(!text.includes(ref), 'the case reference is still in Redis');
  assert.ok(!text.includes(phone), 'the call-back phone is still in Redis');
  const r = await send(stack, as['responder.police'], 'GET', `/api/v1/beds/holds/${h.body.hold.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.hold.erased, true);
  assert.ok(!r.text.includes(ref) && !r.text.includes(phone));
});

test('V8.2.1 answers with private data are not cached: Cache-Control no-store on the API and the pages', async () => {
  for (const [who, path] of [['responder.police', '/api/v1/beds/holds'], ['responder.police', '/beds/holds'], ['coordinator', '/api/v1/auth/me'], ['trainer', '/training/my']]) {
    const r = await send(stack, as[who], 'GET', path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('cache-control') || '', /no-store/, path);
  }
});
