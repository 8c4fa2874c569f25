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
import { ROOT, freePort, sleep, startStack } from './lib/stack.mjs';
import { addResponders, createSession, signInAll } from './lib/training.mjs';

const run = promisify(execFile);
const SENTINEL = join(ROOT, 'tests', 'stack', 'sentinel.sh');
const MODULES = ['auth', 'training', 'beds', 'directory'];
const GROUPS = ['women', 'men', 'trans_non_binary'];

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

  // A JSON API call as `who` (cookie and CSRF token), bounded in time:
  // {status, body}; status 0 when no answer came.
  async function call(who, method, path, body, headers = {}) {
    const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(10000) };
    if (who) {
      init.headers.cookie = who.cookie;
      if (method !== 'GET') init.headers['x-csrf-token'] = who.csrf;
    }
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      const res = await stack.fetch(path, init);
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: json };
    } catch {
      return { status: 0, body: null };
    }
  }

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
    sessions = [];
    for (let i = 0; i < 45; i += 15) {
      const made = await Promise.all(Array.from({ length: 15 }, (_, j) =>
        createSession(stack, coordinator, { venue: `Failover room ${i + j + 1}`, capacity: 2 })));
      sessions.push(...made.map((s) => s.id));
    }
    const groups = Object.fromEntries(GROUPS.map((g) => [g, { beds: 100 }]));
    const made = await call(ngo, 'POST', '/api/v1/beds/safehouses', {
      name: 'Failover House', area: 'hackney', groups, pre_nrm: true, languages: ['sq'],
      referral_phone: '020 7946 0999', referral_hours: '24 hours',
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    house = made.body.safehouse.id;
    const vac = await call(ngo, 'PUT', `/api/v1/beds/safehouses/${house}/vacancies`,
      Object.fromEntries(GROUPS.map((g) => [g, 100])));
    assert.equal(vac.status, 200, JSON.stringify(vac.body));
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
    let killedAt = null;
    let failoverAt = null;
    let rejoinedAt = null;
    let readBackAt = null;
    let writeBackAt = null;
    const calls = [];  // {kind, status, at}
    const acked = { bookings: [], holds: [] };

    const record = (kind, r) => {
      const at = Date.now();
      calls.push({ kind, status: r.status, at });
      if (killedAt && r.status >= 200 && r.status < 300) {
        if (kind === 'read' && !readBackAt && at > killedAt) readBackAt = at;
        if (kind === 'write' && !writeBackAt && at > killedAt) writeBackAt = at;
      }
    };
    // bounded: at most 25 s, and 1.5 s after writes came back
    const done = () => Date.now() - t0 > 25000 || (writeBackAt && Date.now() - writeBackAt > 1500);

    async function client(p, idx) {
      let s = 0;
      let h = 0;
      while (!done()) {
        if (s < sessions.length) {
          const sid = sessions[s++];
          const r = await call(p, 'POST', `/api/v1/training/sessions/${sid}/bookings`);
          record('write', r);
          if (r.status === 201) acked.bookings.push({ p, id: r.body.booking.id, at: Date.now() });
        }
        const group = GROUPS[(idx + h) % GROUPS.length];
        const key = `failover-${idx}-${h++}`;
        const r = await call(p, 'POST', `/api/v1/beds/safehouses/${house}/holds`,
          { group, reference: `HA-${idx}-${h}`, callback_phone: '07700 900123' }, { 'idempotency-key': key });
        record('write', r);
        if (r.status === 201) acked.holds.push({ p, id: r.body.hold.id, group, at: Date.now() });
        record('read', await call(p, 'GET', `/api/v1/training/sessions/${sessions[(s + idx) % sessions.length]}`));
        record('read', await call(p, 'GET', `/api/v1/beds/safehouses/${house}`));
        await sleep(150);
      }
    }

    // the operator's side: kill the primary after 2.5 s; once the
    // Sentinels name the new one, bring the old node back (as its replica)
    async function operator() {
      await sleep(2500);
      process.kill(Number(readFileSync(join(ha, 'pids', `${oldNode}.pid`), 'utf8')), 'SIGKILL');
      killedAt = Date.now();
      while (Date.now() - killedAt < 30000) {
        const now = await primaryPort().catch(() => oldPrimary);
        if (now !== oldPrimary) break;
        await sleep(200);
      }
      failoverAt = Date.now();
      await sh('start-node', oldNode);
      rejoinedAt = Date.now();
    }

    await Promise.all([operator(), ...people.map((p, i) => client(p, i))]);
    const rel = (t) => (t ? `${((t - killedAt) / 1000).toFixed(1)} s` : 'never');
    const count = (kind, pred) => calls.filter((c) => c.kind === kind && pred(c.status)).length;
    t.diagnostic(`failover: named ${rel(failoverAt)} after the kill, old primary back ${rel(rejoinedAt)}, ` +
      `first read 2xx ${rel(readBackAt)}, first write 2xx ${rel(writeBackAt)}; ` +
      `${calls.length} calls, writes 503: ${count('write', (s) => s === 503)}, reads 503: ${count('read', (s) => s === 503)}, ` +
      `acknowledged: ${acked.bookings.length} bookings, ${acked.holds.length} holds`);

    // (a) the portal answers 2xx again within 30 s of the kill, no module restarted
    assert.ok(killedAt, 'the primary was killed');
    assert.ok(readBackAt && readBackAt - killedAt < 30000, `reads 2xx again after the kill: ${rel(readBackAt)}`);
    assert.ok(writeBackAt && writeBackAt - killedAt < 30000, `writes 2xx again after the kill: ${rel(writeBackAt)}`);
    assert.notEqual(await primaryPort(), oldPrimary, 'the Sentinels name another primary');
    assert.deepEqual(pids(), before0, 'no module master or worker was restarted');
    // the window was real: writes were refused in it, and acknowledged on both sides of it
    assert.ok(count('write', (s) => s === 503) > 0, 'some writes answered 503 while there was no primary');
    assert.ok(acked.bookings.some((b) => b.at < killedAt) && acked.bookings.some((b) => b.at > writeBackAt),
      'bookings acknowledged before the kill and after the failover');
    assert.ok(acked.holds.some((b) => b.at < killedAt) && acked.holds.some((b) => b.at > writeBackAt),
      'holds acknowledged before the kill and after the failover');

    // (d) a read never answered a 5xx other than 503 (nor no answer at all);
    // a write answered 2xx, 409 (taken) or 503
    const odd = calls.filter((c) => (c.kind === 'read' ? ![200, 503].includes(c.status)
      : !(c.status === 201 || c.status === 409 || c.status === 503)));
    assert.deepEqual(odd, [], 'unexpected answers');

    // (b) every acknowledged booking and hold is there, read through the API
    for (const b of acked.bookings) {
      const r = await call(b.p, 'GET', `/api/v1/training/bookings/${b.id}`);
      assert.equal(r.status, 200, `booking ${b.id}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.booking.id, b.id);
      assert.ok(['confirmed', 'waitlisted'].includes(r.body.booking.status), r.body.booking.status);
    }
    for (const h of acked.holds) {
      const r = await call(h.p, 'GET', `/api/v1/beds/holds/${h.id}`);
      assert.equal(r.status, 200, `hold ${h.id}: ${JSON.stringify(r.body)}`);
      assert.equal(String(r.body.hold.id), String(h.id));
      assert.equal(r.body.hold.status, 'pending');
    }

    // (c) no invariant broke: confirmed bookings <= capacity, holds <= vacancies
    for (const sid of sessions) {
      const r = await call(coordinator, 'GET', `/api/v1/training/sessions/${sid}/roster`);
      assert.equal(r.status, 200);
      const confirmed = r.body.roster.filter((b) => b.status === 'confirmed').length;
      assert.equal(r.body.session.capacity, 2);
      assert.ok(confirmed <= 2, `session ${sid}: ${confirmed} confirmed of 2 seats`);
      assert.equal(r.body.session.confirmed, confirmed);
    }
    const view = await call(ngo, 'GET', `/api/v1/beds/safehouses/${house}`);
    assert.equal(view.status, 200);
    for (const g of GROUPS) {
      const grp = view.body.safehouse.groups[g];
      assert.ok(grp.held <= grp.vacant, `${g}: ${grp.held} held of ${grp.vacant} vacant`);
      assert.ok(grp.available >= 0);
      assert.ok(grp.held >= acked.holds.filter((h) => h.group === g).length, `${g}: every acknowledged hold is held`);
    }
  });

  test('with the replica stopped a write answers 503 (WAIT fails) and a read still answers 200', async () => {
    const [p] = people;
    const spare = [await createSession(stack, coordinator, { venue: 'Spare room', capacity: 2 })];
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
