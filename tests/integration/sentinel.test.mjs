// sentinel.test.mjs - the portal on a replicated Redis watched by Sentinel
// (tests/stack/sentinel.sh: a primary, one replica, three Sentinels, AOF
// with appendfsync always, ACL users with the default user off), the
// modules set with PORTAL_REDIS_SENTINELS, PORTAL_REDIS_WAIT_REPLICAS=1 and
// an ACL user.  Under load the primary is killed (SIGKILL): the portal
// follows the failover with no module restarted, every write it
// acknowledged is still there, the invariants hold, and reads answer 200 or
// 503, never another 5xx.  With the replica stopped a write answers 503
// (WAIT fails) and a read 200.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { checkAcknowledged, checkInvariants, createHouse, createLoad, createSessions, figures, jsonCaller,
  oddAnswers } from './lib/failover.mjs';
import { ROOT, freePort, sleep, startStack } from './lib/stack.mjs';
import { addResponders, createSession, signInAll } from './lib/training.mjs';

const run = promisify(execFile);
const SENTINEL = join(ROOT, 'tests', 'stack', 'sentinel.sh');
const MODULES = ['auth', 'training', 'beds', 'directory'];

describe('Redis Sentinel, WAIT and ACL authentication', () => {
  let ha;        // the Redis folder (sentinel.sh)
  let stack;
  let coordinator;
  let ngo;
  let people;    // signed-in First Responders
  let sessions;  // session ids
  let house;     // safehouse id

  const sh = (cmd, ...rest) => run(SENTINEL, [cmd, ...rest, '--dir', ha], { timeout: 60000 });
  const primaryPort = async () => Number((await sh('primary')).stdout.trim().split(':')[1]);
  const ports = () => Object.fromEntries(readFileSync(join(ha, 'ports'), 'utf8').trim().split('\n')
    .map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
  const nodeOnPort = (port) => Object.entries(ports()).find(([, p]) => p === port)[0];

  // a JSON API call as `who`, bounded in time: {status, body}; status 0
  // when no answer came (lib/failover.mjs)
  const call = (...args) => jsonCaller((path, init) => stack.fetch(path, init))(...args);

  // a module master's metrics (Prometheus text) from its socket
  function metrics(module) {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: join(stack.dir, 'sock', `${module}.sock.metrics`), path: '/metrics' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.setTimeout(5000, () => req.destroy(new Error('metrics socket timed out')));
      req.end();
    });
  }
  const redisErrors = async (module) => Number((await metrics(module)).match(/^portal_redis_errors_total (\d+)$/m)[1]);

  const pids = () => Object.fromEntries(MODULES.map((m) => [m, [stack.pid(m), ...stack.workers(m).sort()]]));

  before(async () => {
    ha = mkdtempSync(join(tmpdir(), 'portal-ha-'));
    const free = new Set();
    while (free.size < 5) free.add(await freePort());
    try {
      await sh('start', '--ports', [...free].join(','));
    } catch (e) {
      await sh('stop').catch(() => {});
      throw new Error(`sentinel.sh did not start: ${e.stderr || e.message}`);
    }
    const env = Object.fromEntries(readFileSync(join(ha, 'portal.env'), 'utf8').trim().split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    stack = await startStack({
      ...env,
      PORTAL_REDIS_WAIT_REPLICAS: '1',
      PORTAL_BEDS_MAX_PENDING: '1000',
    });
    coordinator = await stack.signIn('coordinator');
    ngo = await stack.signIn('ngo.a');
    people = await signInAll(stack, await addResponders(stack, 'ha.responder', 4, ['police', 'health']));
    sessions = await createSessions(stack.fetch, coordinator, 45, { capacity: 2 });
    house = await createHouse(call, ngo, { beds: 100 });
  });

  after(async () => {
    await stack?.stop();
    if (ha) {
      await sh('stop').catch(() => {});
      rmSync(ha, { recursive: true, force: true });
    }
  });

  test('Redis answers only to AUTH, and the portal\'s ACL user may not run ROLE', async () => {
    const port = await primaryPort();
    const anon = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING']).catch((e) => e);
    assert.match(anon.stdout, /NOAUTH/, 'the default user is off');
    const pass = readFileSync(join(ha, 'secrets', 'portal.password'), 'utf8');
    const role = await run('redis-cli', ['--no-auth-warning', '-h', '127.0.0.1', '-p', String(port),
      '--user', 'portal', 'ROLE'], { env: { ...process.env, REDISCLI_AUTH: pass } });
    assert.match(role.stdout, /NOPERM/, 'so the portal checks the role with HELLO');
    const health = await call(null, 'GET', '/api/v1/health');
    assert.equal(health.status, 200);
    assert.match(stack.log('training'), /"redis primary found through sentinel"/);
  });

  test('the primary killed under load: the portal follows the failover, keeps every acknowledged write, and reads answer 200 or 503', async (t) => {
    const before0 = pids();
    const oldPrimary = await primaryPort();
    const oldNode = nodeOnPort(oldPrimary);
    const t0 = Date.now();
    let failoverAt = null;
    let rejoinedAt = null;
    // each responder books the sessions in turn, holds a bed (never
    // cancelled: PORTAL_BEDS_MAX_PENDING is high), reads a session and the house
    const load = createLoad({
      call, sessions, house, pauseMs: 150, keyPrefix: 'failover',
      reads: (p, idx, { s }) => [`/api/v1/training/sessions/${sessions[(s + idx) % sessions.length]}`,
        `/api/v1/beds/safehouses/${house}`],
    });
    // bounded: at most 25 s, and 1.5 s after writes came back
    const done = () => Date.now() - t0 > 25000 || (load.writeBackAt && Date.now() - load.writeBackAt > 1500);

    // the operator's side: kill the primary after 2.5 s; once the
    // Sentinels name the new one, bring the old node back (as its replica)
    async function operator() {
      await sleep(2500);
      process.kill(Number(readFileSync(join(ha, 'pids', `${oldNode}.pid`), 'utf8')), 'SIGKILL');
      load.kill();
      while (Date.now() - load.killedAt < 30000) {
        const now = await primaryPort().catch(() => oldPrimary);
        if (now !== oldPrimary) break;
        await sleep(200);
      }
      failoverAt = Date.now();
      await sh('start-node', oldNode);
      rejoinedAt = Date.now();
    }

    await Promise.all([operator(), ...people.map((p, i) => load.client(p, i, done))]);
    const { killedAt, readBackAt, writeBackAt, acked } = load;
    const rel = (t) => (t ? `${((t - killedAt) / 1000).toFixed(1)} s` : 'never');
    t.diagnostic(`failover: named ${rel(failoverAt)} after the kill, old primary back ${rel(rejoinedAt)}; ${figures(load)}`);

    // (a) the portal answers 2xx again within 30 s of the kill, no module restarted
    assert.ok(killedAt, 'the primary was killed');
    assert.ok(readBackAt && readBackAt - killedAt < 30000, `reads 2xx again after the kill: ${rel(readBackAt)}`);
    assert.ok(writeBackAt && writeBackAt - killedAt < 30000, `writes 2xx again after the kill: ${rel(writeBackAt)}`);
    assert.notEqual(await primaryPort(), oldPrimary, 'the Sentinels name another primary');
    // a restart names the module's last log lines (why the worker went)
    const after0 = pids();
    const why = MODULES.filter((m) => JSON.stringify(after0[m]) !== JSON.stringify(before0[m]))
      .map((m) => `${m}:\n${stack.log(m).trim().split('\n').slice(-15).join('\n')}`).join('\n');
    assert.deepEqual(after0, before0, `no module master or worker was restarted\n${why}`);
    // the window was real: writes were refused in it, and acknowledged on both sides of it
    assert.ok(load.count('write', (s) => s === 503) > 0, 'some writes answered 503 while there was no primary');
    assert.ok(acked.bookings.some((b) => b.at < killedAt) && acked.bookings.some((b) => b.at > writeBackAt),
      'bookings acknowledged before the kill and after the failover');
    assert.ok(acked.holds.some((b) => b.at < killedAt) && acked.holds.some((b) => b.at > writeBackAt),
      'holds acknowledged before the kill and after the failover');

    // (d) a read never answered a 5xx other than 503 (nor no answer at all);
    // a write answered 201, 409 (taken) or 503
    assert.deepEqual(oddAnswers(load, { write: (s) => s === 201 || s === 409 || s === 503 }), [], 'unexpected answers');

    // (b) every acknowledged booking and hold is there, read through the API
    const pending = await checkAcknowledged(assert, call, acked);
    // (c) no invariant broke: confirmed bookings <= capacity, holds <= vacancies
    await checkInvariants(assert, call, { coordinator, ngo, sessions, capacity: 2, house, pending });
  });

  test('with the replica stopped a write answers 503 (WAIT fails) and a read still answers 200', async () => {
    const [p] = people;
    // start from a settled pair: the failover above may still be bringing
    // the old primary's data in line, and until it is, WAIT fails every write
    let spare;
    for (const until = Date.now() + 20000; !spare;) {
      try {
        spare = [await createSession(stack, coordinator, { venue: 'Spare room', capacity: 2 })];
      } catch (e) {
        if (Date.now() > until || !/: 503 /.test(String(e.message))) throw e;
        await sleep(500);
      }
    }
    const primary = await primaryPort();
    const replica = Object.keys(ports()).find((n) => n.startsWith('redis-') && ports()[n] !== primary);
    const errorsBefore = await redisErrors('training');
    await sh('stop-node', replica);
    try {
      const book = await call(p, 'POST', `/api/v1/training/sessions/${spare[0].id}/bookings`);
      assert.equal(book.status, 503, JSON.stringify(book.body));
      assert.equal(book.body.error.code, 'store_unavailable');
      const hold = await call(p, 'POST', `/api/v1/beds/safehouses/${house}/holds`,
        { group: 'women', reference: 'HA-NO-REPLICA', callback_phone: '07700 900123' }, { 'idempotency-key': 'no-replica' });
      assert.equal(hold.status, 503, JSON.stringify(hold.body));
      const read = await call(p, 'GET', `/api/v1/training/sessions/${spare[0].id}`);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.equal(read.body.session.id, spare[0].id);
      assert.equal((await call(p, 'GET', `/api/v1/beds/safehouses/${house}`)).status, 200);
      assert.equal((await call(null, 'GET', '/api/v1/health')).status, 200);
      assert.match(stack.log('training'), /redis write not confirmed by enough replicas/);
      assert.ok(await redisErrors('training') > errorsBefore, 'counted as a Redis error');
    } finally {
      await sh('start-node', replica);
    }
    // the replica back in sync: writes are acknowledged again.  A write
    // answered 503 may still have been applied (only its confirmation
    // failed), so the retries carry one Idempotency-Key: one hold, 201.
    let again;
    for (let i = 0; i < 50; i++) {
      again = await call(p, 'POST', `/api/v1/beds/safehouses/${house}/holds`,
        { group: 'men', reference: 'HA-REPLICA-BACK', callback_phone: '07700 900123' }, { 'idempotency-key': 'replica-back' });
      if (again.status !== 503) break;
      await sleep(200);
    }
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal((await call(p, 'GET', `/api/v1/beds/holds/${again.body.hold.id}`)).body.hold.status, 'pending');
  });
});
