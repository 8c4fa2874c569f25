// notify-faults.test.mjs - issue 16's delivery guarantees, under faults,
// and portal-notify's metrics (DIR/sock/notify.sock.metrics):
//  (a) the SMTP server stopped for 60 s while 200 events are made, then
//      started: every message arrives, none twice; meanwhile the metrics
//      show the events pending, the oldest one's age and the retries;
//  (b) `kill -9` of portal-notify in the middle of a batch of 1,000 events,
//      then started again: every message arrives at least once, and a
//      message that arrives twice carries the same Message-ID both times;
//  (c) the metrics text passes promtool, and a malformed entry counts as
//      dead-lettered.
// The events are XADDed straight into the beds stream (hold_accepted, which
// goes to the responder who placed the hold: one message an event, to a
// person of the demo directory).  Short back-off settings; the whole file
// takes about 1.5 to 2 minutes.  Only the processes the stack started are
// stopped, by their PIDs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { startStack, sleep } from './lib/stack.mjs';
import { parseMessage } from './lib/maildir.mjs';
import { scrape as scrapeSocket, value } from './lib/metrics.mjs';

const STREAM = 'portal:beds:{beds}:events';
const HAVE_PROMTOOL = spawnSync('promtool', ['--version']).status === 0;
let stack;

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_RETRY_SECONDS: '1', PORTAL_NOTIFY_RETRY_MAX_SECONDS: '3' });
});
after(async () => { if (stack) await stack.stop(); });

// The delivered messages, read once each: [{ hold, mid }] (hold: the hold
// id its link names).
const seen = new Map();
function delivered() {
  for (const sub of ['new', 'cur']) {
    const d = join(stack.dir, 'mail', sub);
    for (const f of readdirSync(d)) {
      if (seen.has(f)) continue;
      const m = parseMessage(readFileSync(join(d, f), 'utf8'));
      const link = /\/beds\/holds\/(\d+)\n/.exec(m.parts[0]?.text || '');
      seen.set(f, { hold: link ? Number(link[1]) : null, mid: m.headers['message-id'], to: m.headers.to });
    }
  }
  return [...seen.values()];
}

// The messages of holds [from, from + n), grouped by hold id.
function byHold(from, n) {
  const out = new Map();
  for (const m of delivered()) {
    if (m.hold === null || m.hold < from || m.hold >= from + n) continue;
    if (!out.has(m.hold)) out.set(m.hold, []);
    out.get(m.hold).push(m);
  }
  return out;
}

// Wait up to `seconds` until `cond()` is true; returns its last value.
async function until(cond, seconds) {
  const end = Date.now() + seconds * 1000;
  let v = cond();
  while (!v && Date.now() < end) { await sleep(250); v = cond(); }
  return v;
}

// XADD `n` hold_accepted events for holds [from, from + n), in one pipe.
async function makeEvents(from, n) {
  const now = Math.floor(Date.now() / 1000);
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(['XADD', STREAM, '*', 'kind', 'hold_accepted', 'hold', String(from + i), 'safehouse', '1',
      'safehouse_name', '"Harbour House"', 'agency', 'demo-charity-a', 'responder', 'responder.police',
      'expires_at', String(now + 3600), 'at', String(now), 'by', 'ngo.a'].join(' '));
  }
  const r = spawnSync('redis-cli', ['-s', join(stack.dir, 'sock', 'redis.sock')], { input: lines.join('\n') + '\n' });
  assert.equal(r.status, 0, String(r.stderr));
  assert.equal(String(r.stdout).trim().split('\n').length, n, 'every event was added');
}

const scrape = () => scrapeSocket(join(stack.dir, 'sock', 'notify.sock.metrics'));

// The events the e-mail sink has not acknowledged yet, on every stream.
const notifyPending = (text) => text.split('\n').filter((l) => l.startsWith('portal_notify_events_pending{sink="notify",'))
  .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

const S = '{sink="notify"}';
const BEDS = '{sink="notify",stream="beds"}';

test('(a) the SMTP server stopped for 60 s while 200 events are made: once it is back every message arrives, none twice', { timeout: 150000 }, async (t) => {
  const FROM = 100000, N = 200;
  // the demo data's events are handled first, on every stream: the training and directory ones it
  // dead-letters (no e-mail address) must not count as this test's
  for (let i = 0; i < 80 && notifyPending((await scrape()).body) !== 0; i++) await sleep(250);
  const m0 = (await scrape()).body;
  assert.equal(value(m0, `portal_notify_events_pending${BEDS}`), 0);
  await stack.stopService('smtp');
  const t0 = Date.now();
  for (let b = 0; b < 20; b++) {   // 10 events every 2.5 s: the 200 over the first 50 s
    await makeEvents(FROM + b * 10, 10);
    await sleep(2500);
  }
  await sleep(Math.max(0, 60000 - (Date.now() - t0)));
  const m1 = (await scrape()).body;
  assert.equal(byHold(FROM, N).size, 0, 'nothing was delivered while the server was stopped');
  assert.equal(value(m1, `portal_notify_events_pending${BEDS}`), N, 'the 200 events are pending');
  assert.ok(value(m1, `portal_notify_oldest_pending_seconds${BEDS}`) >= 55, 'the oldest is about 60 s old');
  assert.ok(value(m1, `portal_notify_retries_total${S}`) - value(m0, `portal_notify_retries_total${S}`) >= N,
    'each was tried and left to retry');
  assert.equal(value(m1, 'portal_notify_messages_sent_total'), value(m0, 'portal_notify_messages_sent_total'));
  assert.match(stack.log('notify'), /did not accept a message/);

  await stack.startService('smtp');
  const t1 = Date.now();
  assert.ok(await until(() => byHold(FROM, N).size === N, 60), `every message arrived (${byHold(FROM, N).size} of ${N})`);
  t.diagnostic(`all ${N} delivered ${((Date.now() - t1) / 1000).toFixed(1)} s after the SMTP server was started again`);
  await sleep(4000);   // a copy sent late would be here by now (back-off at most 3 s)
  const got = byHold(FROM, N);
  for (const [hold, ms] of got) assert.equal(ms.length, 1, `hold ${hold}: one message, not ${ms.length}`);
  const mids = [...got.values()].flat().map((m) => m.mid);
  assert.equal(new Set(mids).size, N, 'every Message-ID differs');
  for (const m of [...got.values()].flat()) assert.equal(m.to, 'responder.police@example.org');

  const m2 = (await scrape()).body;
  assert.equal(value(m2, `portal_notify_events_pending${BEDS}`), 0, 'nothing pending');
  assert.equal(value(m2, `portal_notify_oldest_pending_seconds${BEDS}`), 0);
  // the counters are the worker's, not the test's: the clock's own events for the demo data (a house's
  // vacancies going stale, a service due for verification) may add to them; the Maildir above counts
  // the 200 exactly
  assert.ok(value(m2, 'portal_notify_messages_sent_total') - value(m0, 'portal_notify_messages_sent_total') >= N,
    'the metrics count the 200 messages accepted');
  assert.ok(value(m2, `portal_notify_events_done_total${S}`) - value(m0, `portal_notify_events_done_total${S}`) >= N);
  assert.equal(value(m2, `portal_notify_dead_letters_total${S}`), value(m0, `portal_notify_dead_letters_total${S}`));
});

test('(b) kill -9 of portal-notify in the middle of 1,000 events: after a restart every message arrives, a copy carries the same Message-ID', { timeout: 120000 }, async (t) => {
  const FROM = 200000, N = 1000;
  const pid = stack.pid('notify');
  await makeEvents(FROM, N);
  // in the middle: once a quarter of them are delivered
  assert.ok(await until(() => byHold(FROM, N).size >= N / 4, 60), 'the worker sends');
  process.kill(pid, 'SIGKILL');
  const atKill = byHold(FROM, N).size;
  assert.ok(atKill < N, `killed before the end (${atKill} delivered)`);
  for (let i = 0; i < 50; i++) {   // gone (a zombie until its parent reaps it counts as gone)
    let state = '';
    try { state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0]; } catch { break; }
    if (state === 'Z') break;
    await sleep(100);
  }
  await stack.startService('notify');
  assert.notEqual(stack.pid('notify'), pid, 'a new worker');
  const t1 = Date.now();
  assert.ok(await until(() => byHold(FROM, N).size === N, 90), `every message arrived (${byHold(FROM, N).size} of ${N})`);
  await sleep(4000);
  const got = byHold(FROM, N);
  let twice = 0;
  for (const [hold, ms] of got) {
    assert.equal(new Set(ms.map((m) => m.mid)).size, 1, `hold ${hold}: every copy has the same Message-ID`);
    if (ms.length > 1) twice++;
  }
  const all = [...got.values()].flat();
  assert.equal(new Set(all.map((m) => m.mid)).size, N, 'one Message-ID per event');
  t.diagnostic(`killed with ${atKill} of ${N} delivered; all there ${((Date.now() - t1) / 1000).toFixed(1)} s after the restart; ` +
    `${twice} sent twice (same Message-ID)`);
  const pending = (await stack.redis('XPENDING', STREAM, 'notify')).split('\n')[0];
  assert.equal(pending, '0', 'every event acknowledged');
});

test('(c) the metrics text is valid Prometheus text, a malformed entry counts as dead-lettered, and --health asks the socket', async () => {
  const m0 = (await scrape()).body;
  await stack.redis('XADD', STREAM, '*', 'kind', 'hold_accepted', 'hold', 'not-a-number', 'at', '1');
  let m1 = m0;
  for (let i = 0; i < 40 && value(m1, `portal_notify_dead_letters_total${S}`) === value(m0, `portal_notify_dead_letters_total${S}`); i++) {
    await sleep(250);
    m1 = (await scrape()).body;
  }
  assert.equal(value(m1, `portal_notify_dead_letters_total${S}`) - value(m0, `portal_notify_dead_letters_total${S}`), 1);
  const res = await scrape();
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(value(res.body, 'portal_notify_store_up'), 1);
  assert.equal(value(res.body, 'portal_notify_events_pending{sink="notify",stream="training"}'), 0);
  if (HAVE_PROMTOOL) {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: res.body });
    assert.equal(r.status, 0, String(r.stdout) + String(r.stderr));
  }
  const bin = join(process.env.PORTAL_BIN || join(import.meta.dirname, '..', '..', 'build'), 'portal-notify');
  const sock = join(stack.dir, 'sock', 'notify.sock.metrics');
  assert.equal(spawnSync(bin, ['--health'], { env: { PORTAL_METRICS_SOCKET: sock } }).status, 0, 'healthy');
  const none = spawnSync(bin, ['--health'], { env: { PORTAL_METRICS_SOCKET: join(stack.dir, 'sock', 'nothing') } });
  assert.equal(none.status, 1, 'no worker there: unhealthy');
  assert.match(String(none.stderr), /does not answer/);
});
