// metrics.test.mjs - each module's counters in Prometheus text format,
// served by its master on DIR/sock/NAME.sock.metrics (never through nginx).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startStack, sleep } from './lib/stack.mjs';
import { scrape as scrapeSocket, value } from './lib/metrics.mjs';

const MODULES = ['auth', 'training', 'beds', 'directory'];
const HAVE_PROMTOOL = spawnSync('promtool', ['--version']).status === 0;

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

// GET (or another method) on a module's metrics socket: { status, headers, body }
const scrape = (module, opts) => scrapeSocket(join(stack.dir, 'sock', `${module}.sock.metrics`), opts);

const health = (suffix) => `{method="GET",route="/api/v1/health"${suffix}}`;

test('requests are counted by route and status class, with a latency histogram', async () => {
  const before0 = (await scrape('auth')).body;
  for (let i = 0; i < 3; i++) assert.equal((await stack.fetch('/api/v1/health')).status, 200);
  assert.equal((await stack.fetch('/no/such/page')).status, 404);
  assert.equal((await stack.fetch('/api/v1/health', { method: 'DELETE' })).status, 405);
  const res = await scrape('auth');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const after0 = res.body;
  const diff = (series) => value(after0, series) - value(before0, series);
  assert.equal(diff(`portal_http_requests_total${health(',status="2xx"')}`), 3);
  assert.equal(diff(`portal_http_requests_total${health(',status="5xx"')}`), 0);
  assert.equal(diff('portal_http_unmatched_requests_total{code="404"}'), 1);
  assert.equal(diff('portal_http_unmatched_requests_total{code="405"}'), 1);
  assert.equal(diff(`portal_http_request_duration_seconds_count${health('')}`), 3);
  assert.equal(diff(`portal_http_request_duration_seconds_bucket${health(',le="+Inf"')}`), 3);
  assert.ok(diff(`portal_http_request_duration_seconds_sum${health('')}`) > 0);
  assert.equal(value(after0, 'portal_redis_errors_total'), 0);
  assert.equal(value(after0, 'portal_ldap_errors_total'), 0);
});

test('the counts are the module totals across workers and survive a worker restart', async () => {
  for (let i = 0; i < 20; i++) await stack.fetch('/api/v1/health');
  const before0 = (await scrape('auth')).body;
  const workers = stack.workers('auth');
  assert.ok(workers.length >= 2, 'auth runs several workers');
  process.kill(workers[0], 'SIGKILL');
  for (let i = 0; i < 50 && stack.workers('auth').length < workers.length; i++) await sleep(100);
  await sleep(200);
  const after0 = (await scrape('auth')).body;
  const series = `portal_http_requests_total${health(',status="2xx"')}`;
  assert.ok(value(after0, series) >= value(before0, series), 'no count lost with the worker');
  assert.ok(value(before0, series) >= 20);
  assert.equal(value(after0, 'portal_worker_restarts_total') - value(before0, 'portal_worker_restarts_total'), 1);
  assert.equal((await stack.fetch('/api/v1/health')).status, 200);
});

test('the metrics socket answers only GET /metrics', async () => {
  assert.equal((await scrape('auth', { path: '/other' })).status, 404);
  assert.equal((await scrape('auth', { method: 'POST' })).status, 405);
  const head = await scrape('auth', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('nginx does not publish the metrics', async () => {
  for (const path of ['/metrics', '/auth.sock.metrics', '/api/v1/metrics', '/training/metrics']) {
    const res = await stack.fetch(path);
    assert.equal(res.status, 404, path);
    const text = await res.text();
    assert.ok(!text.includes('portal_http_requests_total'), `${path} shows no metrics`);
  }
});

test('promtool check metrics accepts every module\'s text', { skip: HAVE_PROMTOOL ? false : 'promtool is missing: install Debian\'s prometheus package' }, async () => {
  for (const m of MODULES) {
    const res = await scrape(m);
    assert.equal(res.status, 200, m);
    assert.match(res.body, /^# HELP portal_http_requests_total /m, m);
    const out = spawnSync('promtool', ['check', 'metrics'], { input: res.body, encoding: 'utf8' });
    assert.equal(out.status, 0, `${m}: promtool: ${out.stdout}${out.stderr}`);
    assert.equal((out.stdout + out.stderr).trim(), '', `${m}: promtool complained: ${out.stdout}${out.stderr}`);
  }
});

test('the features count their events: bookings, holds and searches with no result', async () => {
  const ev = async (module, name) => value((await scrape(module)).body, `portal_events_total{event="${name}"}`) ?? 0;
  const before0 = {
    booked: await ev('training', 'booking_confirmed'),
    placed: await ev('beds', 'hold_placed'),
    cancelled: await ev('beds', 'hold_cancelled'),
    nothing: await ev('directory', 'search_no_result'),
    searches: await ev('directory', 'search'),
  };
  const responder = await stack.signIn('responder.police');
  const send = (path, method, body) => stack.fetch(path, {
    method, headers: { cookie: responder.cookie, 'x-csrf-token': responder.csrf, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  // a demo training session with a free seat
  const sessions = (await (await send('/api/v1/training/sessions', 'GET')).json()).sessions;
  const open = sessions.find((s) => s.bookable && s.seats_left > 0);
  assert.ok(open, 'a bookable demo session');
  assert.equal((await send(`/api/v1/training/sessions/${open.id}/bookings`, 'POST', {})).status, 201);
  // a hold on a demo safehouse, then cancelled
  const found = (await (await send('/api/v1/beds/search?group=women', 'GET')).json()).results;
  assert.ok(found.length > 0, 'a demo safehouse with a bed for women');
  const hold = await send(`/api/v1/beds/safehouses/${found[0].safehouse.id}/holds`, 'POST',
    { group: 'women', reference: 'MET-TEST-1', callback_phone: '020 7946 0100', minutes: 30 });
  assert.equal(hold.status, 201);
  const holdId = (await hold.json()).hold.id;
  assert.equal((await send(`/api/v1/beds/holds/${holdId}/cancel`, 'POST', {})).status, 200);
  // a directory search that finds nothing
  const none = await (await send('/api/v1/directory/services?q=zzzznotaword', 'GET')).json();
  assert.equal(none.total, 0);
  assert.equal(await ev('training', 'booking_confirmed'), before0.booked + 1);
  assert.equal(await ev('beds', 'hold_placed'), before0.placed + 1);
  assert.equal(await ev('beds', 'hold_cancelled'), before0.cancelled + 1);
  assert.equal(await ev('directory', 'search_no_result'), before0.nothing + 1);
  assert.equal(await ev('directory', 'search'), before0.searches + 1);
});
