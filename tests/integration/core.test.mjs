// core.test.mjs - the portal core over real HTTP: start page, health,
// errors, limits, headers, Redis outage and worker restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStack, sleep, assertSecurityHeaders } from './lib/stack.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

test('start page says what the portal is for and links to each feature', async () => {
  const res = await stack.fetch('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = await res.text();
  assert.match(html, /London Anti-Slavery Partner Portal/);
  for (const href of ['/training/', '/beds/', '/directory/', '/cases/', '/monitoring/']) assert.ok(html.includes(`href="${href}"`), href);
  assert.match(html, /[Dd]emo/, 'demo banner on the demo stack');
  assertSecurityHeaders(assert, res);
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('health answers ok with Redis up', async () => {
  const res = await stack.fetch('/api/v1/health');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok', redis: 'ok' });
});

test('static assets are served by nginx with a long cache lifetime', async () => {
  const res = await stack.fetch('/static/portal.css');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('cache-control') || '', /max-age=31536000/);
  assertSecurityHeaders(assert, res);
});

test('unknown page is a 404 page with the security headers', async () => {
  const res = await stack.fetch('/no/such/page');
  assert.equal(res.status, 404);
  assert.match(await res.text(), /Page not found/);
  assertSecurityHeaders(assert, res);
});

test('unknown API path is a JSON 404 of the error shape', async () => {
  const res = await stack.fetch('/api/v1/nothing-here');
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.error.code, 'not_found');
  assert.ok(body.error.message.length > 10);
});

test('PUT to a GET-only route is 405 with Allow', async () => {
  const res = await stack.fetch('/api/v1/health', { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'GET, HEAD');
  assert.equal((await res.json()).error.code, 'method_not_allowed');
  assertSecurityHeaders(assert, res);
});

test('methods other than GET/HEAD/POST/PUT/DELETE are refused by nginx', async () => {
  const res = await stack.fetch('/api/v1/health', { method: 'PATCH' });
  assert.equal(res.status, 405);
  assertSecurityHeaders(assert, res);
});

test('invalid UTF-8 in the query is 400 invalid_encoding', async () => {
  const res = await stack.fetch('/api/v1/health?name=%FF%FE');
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, 'invalid_encoding');
  assertSecurityHeaders(assert, res);
});

test('a body over 1 MiB is refused by nginx with the headers', async () => {
  const res = await stack.fetch('/api/v1/health', { method: 'POST', body: 'x'.repeat(1100 * 1024) });
  assert.equal(res.status, 413);
  assertSecurityHeaders(assert, res);
});

test('a module that is not running gives the unavailable page, not a bare 502', async () => {
  const res = await stack.fetch('/training/');
  if (res.status === 502) {
    assert.match(await res.text(), /not available just now/);
    assertSecurityHeaders(assert, res);
  } else {
    assert.notEqual(res.status, 500);
  }
});

test('each request is one JSON log line with id, method, path, status, duration', async () => {
  const res = await stack.fetch('/api/v1/health?probe=log');
  const id = res.headers.get('x-request-id');
  assert.match(id, /^[0-9a-f]{32}$/);
  await sleep(100);
  const line = stack.log('auth').split('\n').find((l) => l.includes(id));
  assert.ok(line, 'a log line carries the request id');
  const entry = JSON.parse(line);
  assert.equal(entry.module, 'auth');
  assert.equal(entry.method, 'GET');
  assert.equal(entry.path, '/api/v1/health');
  assert.equal(entry.status, 200);
  assert.equal(typeof entry.duration_ms, 'number');
  assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('the module socket is 0660', async () => {
  const { statSync } = await import('node:fs');
  const mode = statSync(`${stack.dir}/sock/auth.sock`).mode & 0o777;
  assert.equal(mode, 0o660);
});

test('Redis down: 503 within 1 s; Redis back: 200 with no restart', async () => {
  const before = stack.pid('auth');
  await stack.stopService('redis');
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const res = await stack.fetch('/api/v1/health');
      const ms = Date.now() - t0;
      assert.equal(res.status, 503);
      const body = await res.json();
      assert.equal(body.redis, 'down');
      assert.ok(ms < 1000, `answered in ${ms} ms`);
    }
  } finally {
    await stack.startService('redis');
  }
  let ok = false;
  for (let i = 0; i < 20 && !ok; i++) {
    ok = (await stack.fetch('/api/v1/health')).status === 200;
    if (!ok) await sleep(100);
  }
  assert.ok(ok, 'health is 200 again');
  // every worker thread reconnects: many requests in a row all succeed
  const statuses = await Promise.all(Array.from({ length: 40 }, () => stack.fetch('/api/v1/health').then((r) => r.status)));
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.equal(stack.pid('auth'), before, 'the module was not restarted');
});

test('a worker killed with SIGKILL is replaced and requests go on', async () => {
  const workers = stack.workers('auth');
  assert.equal(workers.length, 2, 'two workers by default');
  process.kill(workers[0], 'SIGKILL');
  let replaced = false;
  for (let i = 0; i < 50 && !replaced; i++) {
    await sleep(100);
    const now = stack.workers('auth');
    replaced = now.length === 2 && !now.includes(workers[0]);
  }
  assert.ok(replaced, 'the master forked a new worker');
  const statuses = await Promise.all(Array.from({ length: 40 }, () => stack.fetch('/api/v1/health').then((r) => r.status)));
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.match(stack.log('auth'), /worker died/);
});

test('SIGTERM: the module drains, exits 0 and removes its socket', async () => {
  const { existsSync } = await import('node:fs');
  const master = stack.pid('auth');
  const workers = stack.workers('auth');
  await stack.stopService('auth');
  for (const pid of [master, ...workers]) {
    // gone, or a zombie waiting for a parent that does not reap (PID 1 here)
    let state = 'gone';
    try { state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) (.).*$/s, '$1'); } catch { /* gone */ }
    assert.ok(state === 'gone' || state === 'Z', `process ${pid} has exited (state ${state})`);
  }
  assert.equal(existsSync(`${stack.dir}/sock/auth.sock`), false);
  assert.match(stack.log('auth'), /"msg":"stopped"/);
  await stack.startService('auth');
  assert.equal((await stack.fetch('/api/v1/health')).status, 200);
});
