// csrf.test.mjs - cross-site request forgery over the real stack (OWASP
// ASVS 4.0.3 V4.2.2, V3.5.x): every state-changing route of the modules'
// route tables (lib/routes.mjs), sent with the session cookie of someone
// allowed to use it but without the CSRF token, with a wrong one, with
// another session's, is 403 csrf_failed, and nothing in Redis changed (read
// back: every key but the sessions and the audit stream, which gains only
// the refusals).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startStack } from '../integration/lib/stack.mjs';
import { send, redisSnapshot, snapshotDiff, settled } from './lib/portal.mjs';
import { makeWorld } from './lib/world.mjs';
import { ID_ROUTES, CREATE_ROUTES, fill, fillBody } from './lib/routes.mjs';

let stack, world;
// Housekeeping every second at most, so that what the masters write by
// themselves (the cases trends reading the beds events the world's holds
// made, ...) is done before a test reads Redis, not during it.
before(async () => {
  stack = await startStack({ PORTAL_HOUSEKEEPING_MAX_SECONDS: '1' });
  world = await makeWorld(stack);
});
after(async () => { if (stack) await stack.stop(); });

const STATE_ROUTES = [...ID_ROUTES, ...CREATE_ROUTES].filter((r) => r.method !== 'GET');

// The CSRF variants: [name, token to send ('none': no token at all), extra headers].
function variants(who) {
  const other = world.as[who === 'coordinator' ? 'ngo.b' : 'coordinator'];
  return [
    ['no token', 'none', {}],
    ['empty token', '', {}],
    ['random token', randomBytes(32).toString('hex'), {}],
    ["another session's token", other.csrf, {}],
    ['token in upper case', world.as[who].csrf.toUpperCase(), {}],
    ['token cut short', world.as[who].csrf.slice(0, 32), {}],
    ['no token, Authorization: Basic', 'none', { authorization: 'Basic c2VjOnNlYw==' }],
  ];
}

// The answer to a refused state change must be 403 csrf_failed (a page:
// 403 saying the form did not come from the portal).
function refusal(r, path) {
  if (r.status !== 403) return `${r.status} ${r.text.slice(0, 160)}`;
  if (path.startsWith('/api/') && r.body?.error?.code !== 'csrf_failed') return `403 ${r.text.slice(0, 160)}`;
  if (!path.startsWith('/api/') && !/did not come from the portal/.test(r.text)) return `403 page without the CSRF message`;
  return null;
}

test('V4.2.2 every state-changing route with the cookie and no, a wrong or another session\'s CSRF token: 403 csrf_failed, nothing changed', async () => {
  const before = await settled(stack);
  const auditBefore = Number(await stack.redis('XLEN', 'portal:audit'));
  const failures = [];
  let sent = 0;
  for (const row of STATE_ROUTES) {
    const who = row.allow[0];
    const path = fill(row.path, row, world.ids);
    for (const [what, token, headers] of variants(who)) {
      const r = await send(stack, world.as[who], row.method, path, fillBody(row, world.ids), { csrf: token, headers });
      sent++;
      const bad = refusal(r, path);
      if (bad) failures.push(`${row.method} ${row.path} as ${who}, ${what}: ${bad}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(sent >= STATE_ROUTES.length * 7);
  // read back: nothing changed anywhere
  const after2 = await redisSnapshot(stack);
  assert.deepEqual(snapshotDiff(before, after2), [], 'keys changed by refused requests');
  // the audit stream gained only the refusals, one per request
  assert.equal(Number(await stack.redis('XLEN', 'portal:audit')) - auditBefore, sent, 'one audit entry per refused request');
  // everyone is still signed in (no sign-out went through)
  for (const who of new Set(STATE_ROUTES.map((r) => r.allow[0]))) {
    assert.equal((await send(stack, world.as[who], 'GET', '/api/v1/auth/me')).status, 200, `${who} still signed in`);
  }
});

test('V4.2.2 the refusals are audited as CSRF refusals, naming the route and not the token', async () => {
  const entries = await stack.redis('XREVRANGE', 'portal:audit', '+', '-', 'COUNT', '20');
  assert.match(entries, /csrf/);
  for (const who of Object.keys(world.as)) if (world.as[who]) assert.ok(!entries.includes(world.as[who].csrf), 'no CSRF token in the audit');
});

test('V4.2.2 a text/plain or urlencoded cross-site body to a JSON route with only the cookie changes nothing', async () => {
  const before = await settled(stack);
  const who = world.as['ngo.a'];
  const path = `/api/v1/beds/safehouses/${world.ids.house}/vacancies`;
  for (const [ct, body] of [['text/plain', '{"women":0}'], ['application/x-www-form-urlencoded', 'women=0'], ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="women"\r\n\r\n0\r\n--x--\r\n']]) {
    const res = await stack.fetch(path, { method: 'PUT', headers: { cookie: who.cookie, 'content-type': ct }, body });
    assert.ok(res.status >= 400 && res.status < 500, `${ct}: ${res.status}`);
  }
  assert.deepEqual(snapshotDiff(before, await redisSnapshot(stack)), []);
});

test('V4.2.2 control: the same request with the right token goes through and the read-back sees the change', async () => {
  const before = await redisSnapshot(stack);
  const r = await send(stack, world.as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${world.ids.house}/vacancies`, { women: 2 });
  assert.equal(r.status, 200, r.text);
  const changed = snapshotDiff(before, await redisSnapshot(stack));
  assert.ok(changed.some((k) => k.includes(`:sh:${world.ids.house}`)), `changed: ${changed.join(', ')}`);
  const form = await send(stack, world.as['ngo.a'], 'POST', `/beds/safehouses/${world.ids.house}/confirm`, {});
  assert.equal(form.status, 303, 'the page form with its hidden csrf_token field');
});
