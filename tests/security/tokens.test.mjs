// tokens.test.mjs - forged session tokens over the real stack (OWASP ASVS
// 4.0.3 V3.5.x, V3.3.1, V3.4.x): every forged variant of the session
// cookie's JWT and of a bearer token (alg none, alg changed, bad signature,
// expired, no exp, a deleted session, a tampered payload, empty, garbage,
// very long, one kind used as the other) is refused on a read, a page and
// a change: never 2xx, and the change is not made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../integration/lib/stack.mjs';
import { jwt, claims, send } from './lib/portal.mjs';
import { A_SERVICE } from './lib/world.mjs';

let stack, key, cookieName;
const now = () => Math.floor(Date.now() / 1000);
const HS256 = { alg: 'HS256', typ: 'JWT' };

before(async () => {
  stack = await startStack();
  key = stack.jwtKey();
});
after(async () => { if (stack) await stack.stop(); });

// A fresh cookie session and a fresh bearer token of `username`.
async function sessions(username) {
  const s = await stack.signIn(username);
  cookieName = s.cookie.slice(0, s.cookie.indexOf('='));
  const res = await stack.fetch('/api/v1/auth/token', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo-Portal-1' }),
  });
  assert.equal(res.status, 200, 'a bearer token is issued');
  const bearer = (await res.json()).access_token;
  return { cookie: { ...s, token: s.cookie.slice(cookieName.length + 1) }, bearer };
}

// The forged variants of a genuine token `token` (its claims `c`), each a
// token text; `other` is a genuine token of another session and kind.
function variants(token, other) {
  const c = claims(token);
  const [h, p, sig] = token.split('.');
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const flip = (s) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
  const { exp, ...noExp } = c;
  return {
    'alg none, no signature': jwt({ alg: 'none', typ: 'JWT' }, c, null, { signature: '' }),
    'alg none, the genuine signature': jwt({ alg: 'none', typ: 'JWT' }, c, null, { signature: sig }),
    'alg None (case)': jwt({ alg: 'None', typ: 'JWT' }, c, null, { signature: '' }),
    'alg HS384 signed with the real key': jwt({ alg: 'HS384', typ: 'JWT' }, c, key, { hash: 'sha384' }),
    'alg HS512 signed with the real key': jwt({ alg: 'HS512', typ: 'JWT' }, c, key, { hash: 'sha512' }),
    'alg RS256, HMAC signature with the key': jwt({ alg: 'RS256', typ: 'JWT' }, c, key),
    'alg RS256, the genuine signature': `${b64({ alg: 'RS256', typ: 'JWT' })}.${p}.${sig}`,
    'alg ES256, the genuine signature': `${b64({ alg: 'ES256', typ: 'JWT' })}.${p}.${sig}`,
    'bad signature (one character changed)': `${h}.${p}.${flip(sig)}`,
    'signature from another key': jwt(HS256, c, Buffer.alloc(48, 7)),
    'empty signature': `${h}.${p}.`,
    'expired exp': jwt(HS256, { ...c, exp: now() - 5 }, key),
    'exp now': jwt(HS256, { ...c, exp: now() }, key),
    'missing exp': jwt(HS256, noExp, key),
    'exp as a string': jwt(HS256, { ...c, exp: String(now() + 3600) }, key),
    'iat in the future': jwt(HS256, { ...c, iat: now() + 3600 }, key),
    'another issuer': jwt(HS256, { ...c, iss: 'someone-else' }, key),
    'another audience': jwt(HS256, { ...c, aud: 'someone-else' }, key),
    'unknown session id': jwt(HS256, { ...c, sid: 'a'.repeat(64) }, key),
    'session id not hex': jwt(HS256, { ...c, sid: 'z'.repeat(64) }, key),
    'tampered payload: sub coordinator, genuine signature': `${h}.${b64({ ...c, sub: 'coordinator' })}.${sig}`,
    'tampered payload: another session id, genuine signature': `${h}.${b64({ ...c, sid: claims(other).sid })}.${sig}`,
    'tampered payload: exp a year on, genuine signature': `${h}.${b64({ ...c, exp: c.exp + 365 * 86400 })}.${sig}`,
    'the other kind of token (cookie vs bearer)': other,
    'empty': '',
    'garbage': 'not-a-token',
    'two parts': `${h}.${p}`,
    'four parts': `${token}.${sig}`,
    'three dots': '...',
    'base64 junk': Buffer.from('\x00\xff'.repeat(40), 'latin1').toString('base64url'),
    'very long (8 KiB)': `${h}.${b64({ ...c, pad: 'x'.repeat(8000) })}.${sig}`,
    'very long (100 KiB)': `${token}${'A'.repeat(100 * 1024)}`,
  };
}

// Try `forged` as a cookie (with the session's genuine CSRF token) or as a
// bearer; returns what failed.
async function tryForged(kind, forged, genuine) {
  const failures = [];
  const who = kind === 'cookie' ? { cookie: `${cookieName}=${forged}`, csrf: genuine.csrf } : { bearer: forged };
  const attempts = [
    ['GET', '/api/v1/auth/me', undefined],
    ['GET', '/api/v1/beds/holds', undefined],
    ['GET', '/beds/holds', undefined],
    ['POST', `/api/v1/directory/services/${A_SERVICE}/suggestions`, { text: `forged ${kind}` }],
  ];
  for (const [m, path, body] of attempts) {
    let r;
    try {
      r = await send(stack, who, m, path, body);
    } catch (e) {
      // only a header too big to carry may end the connection instead of an answer
      if (forged.length < 50000) failures.push(`${m} ${path}: ${e.message}`);
      continue;
    }
    if (r.status >= 200 && r.status < 300) failures.push(`${m} ${path}: ${r.status}`);
    else if (path.startsWith('/api/') && r.status === 401 && r.body?.error?.code !== 'not_signed_in') failures.push(`${m} ${path}: 401 ${r.text}`);
    else if (!path.startsWith('/api/') && r.status === 303 && !/^\/login/.test(r.headers.get('location'))) failures.push(`${m} ${path}: 303 to ${r.headers.get('location')}`);
    else if (![400, 401, 303, 413, 431, 494].includes(r.status)) failures.push(`${m} ${path}: ${r.status} ${r.text.slice(0, 100)}`);
  }
  return failures;
}

for (const kind of ['cookie', 'bearer']) {
  test(`V3.5.2 V3.5.3 forged ${kind} tokens: every variant refused on a read, a page and a change (never 2xx)`, async () => {
    const s = await sessions('responder.police');
    const genuine = kind === 'cookie' ? s.cookie.token : s.bearer;
    const other = kind === 'cookie' ? s.bearer : s.cookie.token;
    // control: the genuine token, and the same claims signed again with the real key, are accepted
    const asIs = kind === 'cookie' ? { cookie: s.cookie.cookie } : { bearer: genuine };
    assert.equal((await send(stack, asIs, 'GET', '/api/v1/auth/me')).status, 200, 'the genuine token works');
    const resigned = jwt(HS256, claims(genuine), key);
    const again = kind === 'cookie' ? { cookie: `${cookieName}=${resigned}` } : { bearer: resigned };
    assert.equal((await send(stack, again, 'GET', '/api/v1/auth/me')).status, 200, 'a token signed as the portal signs is accepted');
    const failures = [];
    const all = variants(genuine, other);
    for (const [what, forged] of Object.entries(all)) {
      for (const f of await tryForged(kind, forged, s.cookie)) failures.push(`${what}: ${f}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(Object.keys(all).length >= 30);
    // no forged request made a suggestion
    const sugg = await send(stack, await stack.signIn('coordinator'), 'GET', '/api/v1/directory/suggestions');
    assert.ok(!sugg.text.includes(`forged ${kind}`), 'a forged token changed something');
  });

  test(`V3.3.1 V3.5.x a ${kind} token of a session that was signed out is refused, even just after use`, async () => {
    const s = await sessions('responder.council');
    const who = kind === 'cookie' ? { cookie: s.cookie.cookie, csrf: s.cookie.csrf } : { bearer: s.bearer };
    assert.equal((await send(stack, who, 'GET', '/api/v1/auth/me')).status, 200);  // verified, and cached by the worker
    const out = await send(stack, who, 'POST', '/api/v1/auth/logout', {});
    assert.equal(out.status, 204);
    for (let i = 0; i < 8; i++) {  // every worker thread that may have cached it
      const r = await send(stack, who, 'GET', '/api/v1/auth/me');
      assert.equal(r.status, 401, `after sign-out: ${r.status}`);
    }
    const post = await send(stack, who, 'POST', `/api/v1/directory/services/${A_SERVICE}/suggestions`, { text: 'after logout' });
    assert.equal(post.status, 401);
    const page = await send(stack, who, 'GET', '/beds/holds');
    assert.equal(page.status, 303);
  });
}

test('V3.5.x a bearer token lives 15 minutes and a cookie session 12 hours at most; tokens are HS256 JWTs naming a random session', async () => {
  const s = await sessions('ngo.b');
  const b = claims(s.bearer);
  const c = claims(s.cookie.token);
  assert.equal(b.exp - b.iat, 900);
  assert.ok(c.exp - c.iat <= 43200);
  assert.match(c.sid, /^[0-9a-f]{64}$/);
  assert.notEqual(c.sid, b.sid);
  assert.equal(JSON.parse(Buffer.from(s.bearer.split('.')[0], 'base64url')).alg, 'HS256');
});

test('V3.4.1 V3.4.2 V3.4.3 V3.4.5 the session cookie is HttpOnly, Secure, SameSite and scoped to the site root', async () => {
  const s = await stack.signIn('ngo.b');
  const attrs = s.setCookie.split(';').map((x) => x.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'), s.setCookie);
  assert.ok(attrs.includes('secure'), s.setCookie);
  assert.ok(attrs.some((a) => a === 'samesite=lax' || a === 'samesite=strict'), s.setCookie);
  assert.ok(attrs.includes('path=/'), s.setCookie);
  assert.ok(!attrs.some((a) => a.startsWith('domain=')), 'no Domain: the cookie stays with this host');
});

test('V3.2.1 V3.3.1 sign-in makes a new session; sign-out ends it and clears the cookie', async () => {
  const a = await stack.signIn('trainer');
  const b = await stack.signIn('trainer');
  assert.notEqual(claims(a.cookie.split('=')[1]).sid, claims(b.cookie.split('=')[1]).sid);
  const out = await stack.fetch('/api/v1/auth/logout', { method: 'POST', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie') || '', /Max-Age=0/);
  assert.equal((await send(stack, a, 'GET', '/api/v1/auth/me')).status, 401);
  assert.equal((await send(stack, b, 'GET', '/api/v1/auth/me')).status, 200, 'the other session goes on');
});
