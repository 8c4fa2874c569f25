// auth.test.mjs - staff sign-in over the real stack: LDAP, sessions, tokens,
// CSRF, throttling, outages, audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startStack, sleep } from './lib/stack.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
function sign(header, payload, key, alg = 'sha256') {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac(alg, key).update(head).digest('base64url')}`;
}
function claims(token) { return JSON.parse(Buffer.from(token.split('.')[1], 'base64url')); }
const me = (headers) => stack.fetch('/api/v1/auth/me', { headers });

const DEMO = {
  'responder.police': [['responder'], 'met-police', 'Metropolitan Police Service', 'police'],
  'responder.council': [['responder'], 'example-council', 'Example Borough Council', 'local_authority'],
  'responder.health': [['responder'], 'example-nhs', 'Example NHS Trust', 'health'],
  'ngo.a': [['ngo'], 'demo-charity-a', 'Demo Safehouse Charity A', 'ngo'],
  'ngo.b': [['ngo'], 'demo-charity-b', 'Demo Advocacy Charity B', 'ngo'],
  trainer: [['trainer'], 'demo-charity-b', 'Demo Advocacy Charity B', 'ngo'],
  coordinator: [['coordinator'], 'coordination', 'Partnership Coordination', 'other'],
};

test('each demo user signs in and "me" shows their roles and agency', async () => {
  for (const [username, [roles, id, name, type]] of Object.entries(DEMO)) {
    const s = await stack.signIn(username);
    assert.match(s.setCookie, /HttpOnly/);
    assert.match(s.setCookie, /Secure/);
    assert.match(s.setCookie, /SameSite=Lax/);
    assert.match(s.setCookie, /Path=\//);
    const res = await me({ cookie: s.cookie });
    assert.equal(res.status, 200, username);
    const body = await res.json();
    assert.equal(body.user.username, username);
    assert.deepEqual(body.user.roles, roles);
    assert.deepEqual(body.user.agency, { id, name, type });
    assert.match(body.csrf_token, /^[0-9a-f]{64}$/);
  }
});

test('the session cookie is a JWT naming a session: HS256, sub, iat, exp, iss, aud', async () => {
  const s = await stack.signIn('responder.council');
  const token = s.cookie.split('=')[1];
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url'));
  assert.equal(header.alg, 'HS256');
  const c = claims(token);
  assert.equal(c.sub, 'responder.council');
  assert.equal(c.aud, 'portal-web');
  assert.ok(c.iss && c.iat && c.exp > c.iat);
  assert.match(c.sid, /^[0-9a-f]{64}$/, 'a 256-bit session id');
});

test('bad credentials get 400 or 401 and exactly one log line each', async () => {
  const cases = [
    [{ username: 'responder.police', password: 'wrong' }, 401, 'invalid_credentials'],
    [{ username: 'nobody.here', password: 'Demo-Portal-1' }, 401, 'invalid_credentials'],
    [{ username: 'responder.police', password: '' }, 400, 'missing_credentials'],
    [{ username: '', password: 'x' }, 400, 'missing_credentials'],
    [{ username: '*', password: 'Demo-Portal-1' }, 401, 'invalid_credentials'],
    [{ username: '*)(uid=*', password: 'Demo-Portal-1' }, 401, 'invalid_credentials'],
    [{ username: 'responder.police\n', password: 'Demo-Portal-1' }, 401, 'invalid_credentials'],
    [{ username: 'responder.police\u0000', password: 'Demo-Portal-1' }, 400, 'invalid_encoding'],
  ];
  const wrongUser = (await (await stack.fetch('/api/v1/auth/login', json(cases[0][0]))).json()).error.message;
  for (const [body, status, code] of cases) {
    const before = stack.log('auth').split('\n').length;
    const res = await stack.fetch('/api/v1/auth/login', json(body));
    assert.equal(res.status, status, JSON.stringify(body));
    const err = (await res.json()).error;
    assert.equal(err.code, code, JSON.stringify(body));
    if (code === 'invalid_credentials') assert.equal(err.message, wrongUser, 'unknown user and wrong password read the same');
    await sleep(50);
    assert.equal(stack.log('auth').split('\n').length - before, 1, `one log line for ${JSON.stringify(body)}`);
    assert.equal(res.headers.get('set-cookie'), null);
  }
  assert.doesNotMatch(stack.log('auth'), /Demo-Portal-1|wrong"/, 'no password in the log');
});

// The sign-in page's form token: { cookie, token } (a browser sends both).
async function signInForm() {
  const page = await stack.fetch('/login');
  const token = (await page.text()).match(/name="csrf_token" value="([0-9a-f]{64})"/)[1];
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('portal_signin=')).split(';')[0];
  return { cookie, token };
}

test('an empty password in the form shows the GOV.UK error summary', async () => {
  const f = await signInForm();
  const res = await stack.fetch('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie }, body: `csrf_token=${f.token}&username=ngo.a&password=` });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /Enter your password/);
  assert.match(html, /value="ngo.a"/, 'the username is kept');
});

test('the sign-in form signs in and redirects within the portal only', async () => {
  const f = await signInForm();
  const form = (next) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie },
    body: `csrf_token=${f.token}&username=ngo.a&password=Demo-Portal-1&next=${encodeURIComponent(next)}` });
  let res = await stack.fetch('/login', form('/beds/'));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/beds/');
  assert.match(res.headers.get('set-cookie'), /^portal_session=/);
  for (const evil of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
    res = await stack.fetch('/login', form(evil));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/', evil);
  }
});

test('a page that needs sign-in sends the person to the sign-in page and back', async () => {
  const res = await stack.fetch('/logout', { method: 'POST' });
  assert.equal(res.status, 401);
  const s = await stack.signIn('responder.health');
  const page = await stack.fetch('/', { headers: { cookie: s.cookie } });
  const html = await page.text();
  assert.match(html, /Grace Mensah/);
  assert.match(html, /Example NHS Trust/);
});

test('forged, foreign and expired tokens are refused', async () => {
  const s = await stack.signIn('responder.police');
  const token = s.cookie.split('=')[1];
  const c = claims(token);
  const key = stack.jwtKey();
  const now = Math.floor(Date.now() / 1000);
  const cookieOf = (t) => ({ cookie: `portal_session=${t}` });
  assert.equal((await me(cookieOf(sign({ alg: 'HS256', typ: 'JWT' }, c, key)))).status, 200, 'a token we sign ourselves is accepted');
  const refused = {
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(c)}.`,
    HS512: sign({ alg: 'HS512', typ: 'JWT' }, c, key, 'sha512'),
    'changed payload': `${token.split('.')[0]}.${b64({ ...c, sub: 'coordinator' })}.${token.split('.')[2]}`,
    'another key': sign({ alg: 'HS256', typ: 'JWT' }, c, Buffer.alloc(48, 7)),
    'past exp': sign({ alg: 'HS256', typ: 'JWT' }, { ...c, exp: now - 10 }, key),
    'missing exp': sign({ alg: 'HS256', typ: 'JWT' }, (({ exp, ...rest }) => rest)(c), key),
    'another aud': sign({ alg: 'HS256', typ: 'JWT' }, { ...c, aud: 'someone-else' }, key),
    'api aud as cookie': sign({ alg: 'HS256', typ: 'JWT' }, { ...c, aud: 'portal-api', typ: 'api' }, key),
    garbage: 'not.a.token',
  };
  for (const [what, t] of Object.entries(refused)) {
    const res = await me(cookieOf(t));
    assert.equal(res.status, 401, what);
    assert.equal((await res.json()).error.code, 'not_signed_in', what);
  }
});

test('a bearer token works as a bearer only; a cookie token is no bearer', async () => {
  const res = await stack.fetch('/api/v1/auth/token', json({ username: 'coordinator', password: 'Demo-Portal-1' }));
  assert.equal(res.status, 200);
  const t = await res.json();
  assert.equal(t.token_type, 'Bearer');
  assert.equal(t.expires_in, 900);
  assert.equal(claims(t.access_token).aud, 'portal-api');
  assert.equal((await me({ authorization: `Bearer ${t.access_token}` })).status, 200);
  assert.equal((await me({ cookie: `portal_session=${t.access_token}` })).status, 401, 'bearer as cookie');
  const s = await stack.signIn('coordinator');
  assert.equal((await me({ authorization: `Bearer ${s.cookie.split('=')[1]}` })).status, 401, 'cookie as bearer');
  // a bearer request needs no CSRF token; revoking the session ends the token
  const out = await stack.fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(out.status, 204);
  assert.equal((await me({ authorization: `Bearer ${t.access_token}` })).status, 401);
});

test('a POST with the cookie and no CSRF token is 403 csrf_failed', async () => {
  const s = await stack.signIn('trainer');
  let res = await stack.fetch('/api/v1/auth/logout', { method: 'POST', headers: { cookie: s.cookie } });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'csrf_failed');
  res = await stack.fetch('/api/v1/auth/logout', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': '0'.repeat(64) } });
  assert.equal(res.status, 403, 'a wrong token');
  assert.equal((await me({ cookie: s.cookie })).status, 200, 'still signed in');
});

test('after sign-out the old cookie gets 401 and the cookie is cleared', async () => {
  const s = await stack.signIn('responder.council');
  const res = await stack.fetch('/api/v1/auth/logout', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  assert.equal(res.status, 204);
  assert.match(res.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await me({ cookie: s.cookie })).status, 401);
});

test('the page sign-out form signs out with the hidden CSRF field', async () => {
  const s = await stack.signIn('responder.council');
  const res = await stack.fetch('/logout', { method: 'POST', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf_token=${s.csrf}` });
  assert.equal(res.status, 303);
  assert.equal((await me({ cookie: s.cookie })).status, 401);
});

test('a session id planted before sign-in is not the one after it', async () => {
  const planted = await stack.signIn('ngo.a');
  const res = await stack.fetch('/api/v1/auth/login', { ...json({ username: 'ngo.a', password: 'Demo-Portal-1' }), headers: { 'content-type': 'application/json', cookie: planted.cookie } });
  assert.equal(res.status, 200);
  const fresh = res.headers.get('set-cookie').split(';')[0];
  assert.notEqual(claims(fresh.split('=')[1]).sid, claims(planted.cookie.split('=')[1]).sid);
  assert.equal((await me({ cookie: planted.cookie })).status, 401, 'the planted session is ended');
  assert.equal((await me({ cookie: fresh })).status, 200);
});

test('a 100 KiB body to the sign-in route is 413', async () => {
  const res = await stack.fetch('/api/v1/auth/login', json({ username: 'x', password: 'y'.repeat(100 * 1024) }));
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'too_large');
});

test('sign-ins, failures and refusals reach the audit stream without secrets', async () => {
  await stack.signIn('responder.police');
  await stack.fetch('/api/v1/auth/login', json({ username: 'responder.police', password: 'nope' }));
  const out = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(out, /signin_success/);
  assert.match(out, /signin_failure/);
  assert.match(out, /refused/);
  assert.match(out, /met-police/);
  assert.match(out, /127\.0\.0\.1/);
  assert.doesNotMatch(out, /Demo-Portal-1|nope|eyJ/);
});

test('the 11th wrong password within the window is 429, even with the right one', async () => {
  for (let i = 0; i < 10; i++) {
    const res = await stack.fetch('/api/v1/auth/login', json({ username: 'ngo.b', password: `wrong-${i}` }));
    assert.equal(res.status, 401, `attempt ${i + 1}`);
  }
  const res = await stack.fetch('/api/v1/auth/login', json({ username: 'ngo.b', password: 'Demo-Portal-1' }));
  assert.equal(res.status, 429);
  assert.equal((await res.json()).error.code, 'too_many_attempts');
  const retry = Number(res.headers.get('retry-after'));
  assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
  // another account is not affected
  await stack.signIn('trainer');
});

test('a success resets the account count', async () => {
  for (let i = 0; i < 9; i++) await stack.fetch('/api/v1/auth/login', json({ username: 'responder.health', password: 'x' }));
  await stack.signIn('responder.health');
  for (let i = 0; i < 9; i++) await stack.fetch('/api/v1/auth/login', json({ username: 'responder.health', password: 'x' }));
  await stack.signIn('responder.health');
});

test('slapd stopped: sign-in is 503 within 4 s and signed-in users carry on', async () => {
  const s = await stack.signIn('coordinator');
  await stack.stopService('slapd');
  try {
    const t0 = Date.now();
    const res = await stack.fetch('/api/v1/auth/login', json({ username: 'coordinator', password: 'Demo-Portal-1' }));
    const ms = Date.now() - t0;
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.code, 'directory_unavailable');
    assert.ok(ms < 4000, `answered in ${ms} ms`);
    assert.equal((await me({ cookie: s.cookie })).status, 200);
  } finally {
    await stack.startService('slapd');
  }
  await stack.signIn('coordinator');
});

test('Redis down: "me" is 503, never 200', async () => {
  const s = await stack.signIn('coordinator');
  await stack.stopService('redis');
  try {
    const res = await me({ cookie: s.cookie });
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.code, 'store_unavailable');
    const login = await stack.fetch('/api/v1/auth/login', json({ username: 'coordinator', password: 'Demo-Portal-1' }));
    assert.equal(login.status, 503);
  } finally {
    await stack.startService('redis');
  }
  assert.equal((await me({ cookie: s.cookie })).status, 200, 'the session survived (AOF)');
});

test('sessions end after the idle timeout', async () => {
  const short = await startStack({ PORTAL_SESSION_IDLE_SECONDS: '2' });
  try {
    const s = await short.signIn('responder.police');
    assert.equal((await short.fetch('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status, 200);
    await sleep(1200);
    assert.equal((await short.fetch('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status, 200, 'use slides the timeout');
    await sleep(1200);
    assert.equal((await short.fetch('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status, 200, 'still within 2 s of the last use');
    await sleep(3000);
    assert.equal((await short.fetch('/api/v1/auth/me', { headers: { cookie: s.cookie } })).status, 401);
  } finally {
    await short.stop();
  }
});

test('nginx rate-limits sign-in per client address', async () => {
  const limited = await startStack({ PORTAL_SIGNIN_RATE: '1r/m', PORTAL_SIGNIN_BURST: '5' });
  try {
    const statuses = [];
    for (let i = 0; i < 15; i++) {
      statuses.push((await limited.fetch('/api/v1/auth/login', json({ username: 'x', password: 'y' }))).status);
    }
    assert.ok(statuses.includes(429), `some refused by nginx: ${statuses}`);
  } finally {
    await limited.stop();
  }
});
