// ha.test.mjs - docker/compose.ha.yaml end to end (make docker-test,
// through tests/docker/run.sh): two instances of every module behind nginx,
// a Redis primary and replica watched by three Sentinels, the modules
// waiting for the replica before they acknowledge a write.
//
// a. One instance of each module killed (docker kill) under load: nginx
//    sends every request to the other instance; no GET answers a 5xx or
//    fails, and a write fails (502 or 503) only if it was in flight on an
//    instance at the moment it was killed.
// b. The Redis primary killed under 60 s of booking and hold traffic (and
//    reads): the Sentinels promote the replica, the old primary is started
//    again and rejoins as its replica, and the portal follows without a
//    module restarted: it answers 2xx again within 30 s of the failover,
//    every write it acknowledged is there, no invariant broke, reads answer
//    200 or 503 and writes 2xx, 409 or 503.
//
// The users are the seven demo users (LDAP in the images is the demo
// directory): all book training; only the three First Responders hold beds,
// and at most 3 pending each, so each cancels every hold it places.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  GROUPS, baseFetch, checkAcknowledged, checkInvariants, createHouse, createLoad, createSessions, figures,
  jsonCaller, oddAnswers, signIn,
} from '../integration/lib/failover.mjs';
import { freePort } from '../integration/lib/stack.mjs';
import { ENV, SKIP, docker, isRootUser, keepJSON, project, sleep, statusOf, waitFor } from './lib/compose.mjs';

const MODULES = ['auth', 'training', 'beds', 'directory'];
const INSTANCES = MODULES.flatMap((m) => [`${m}-1`, `${m}-2`]);
const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];
const LONG = [...INSTANCES, 'notify', 'mail', 'nginx', 'redis-1', 'redis-2', ...SENTINELS, 'slapd'];
const USERS = ['responder.police', 'responder.council', 'responder.health', 'ngo.a', 'ngo.b', 'trainer', 'coordinator'];
const RESPONDERS = USERS.slice(0, 3);
const SEEKERS = [...RESPONDERS, 'ngo.a', 'ngo.b', 'coordinator'];   // may read beds
const LANGUAGES = ['sq', 'ro', 'vi', 'pl'];
const CAPACITY = 2;
const PHASE_A_MS = 15000;
const KILL_A_AT = 4000;
const PHASE_B_MS = 60000;
const KILL_B_AT = 10000;

const s1 = (ms) => `${(ms / 1000).toFixed(1)} s`;

// an IPv4 /24 for the backend network that no Docker network of this engine
// overlaps (another project may use compose.ha.yaml's default 10.251.0)
async function freeHaNet() {
  const ids = (await docker(['network', 'ls', '-q'])).split('\n').filter(Boolean);
  const subnets = ids.length ? (await docker(['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', ...ids]))
    .split(/\s+/).filter((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s)) : [];
  const num = (ip) => ip.split('.').reduce((n, x) => n * 256 + Number(x), 0);
  const range = (cidr) => {
    const [ip, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const lo = Math.floor(num(ip) / size) * size;
    return [lo, lo + size - 1];
  };
  for (let b = 0; b < 256; b++) {
    const [lo, hi] = range(`10.251.${b}.0/24`);
    if (!subnets.some((s) => { const [l, h] = range(s); return l <= hi && lo <= h; })) return `10.251.${b}`;
  }
  throw new Error('no free 10.251.x.0/24 for the backend network');
}

// redis-cli's answer as lines; "k:v" INFO lines as an object
const lines = (out) => out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
const info = (out) => Object.fromEntries(lines(out).filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
// SENTINEL MASTER / REPLICAS: flat key, value lines; REPLICAS: one object per "name"
function pairs(out) {
  const ls = lines(out);
  const objs = [];
  for (let i = 0; i + 1 < ls.length; i += 2) {
    if (ls[i] === 'name' || objs.length === 0) objs.push({});
    objs[objs.length - 1][ls[i]] = ls[i + 1];
  }
  return objs;
}

describe('the scaled compose (docker/compose.ha.yaml): failovers under load', { skip: SKIP, timeout: 420000 }, () => {
  let p;
  let net;
  let base;
  let fetchPath;
  let call;
  const as = {};          // username -> signed-in user
  let people;             // the seven, signed in
  let sessionsA;
  let sessionsB;
  let house;
  const phaseA = { load: null };
  const phaseB = { load: null };

  const sentinel = (name, ...args) => docker(['exec', p.container(name), 'redis-cli', '-p', '26379', ...args], { timeout: 10000 });
  const redisInfo = async (name) => info(await docker(['exec', p.container(name), 'redis-cli', 'info', 'replication'], { timeout: 10000 }));
  // the primary the Sentinels name (asks each in turn until one answers)
  async function primaryAddr() {
    for (const s of SENTINELS) {
      try {
        const [ip] = lines(await sentinel(s, 'sentinel', 'get-master-addr-by-name', 'portal'));
        if (ip) return ip;
      } catch { /* ask the next */ }
    }
    return null;
  }
  // `replica` is a replica of `primary` in sync, as Redis and every Sentinel see it
  async function inSync(replica, primary) {
    const r = await redisInfo(replica);
    if (r.role !== 'slave' || r.master_host !== primary || r.master_link_status !== 'up' || r.master_sync_in_progress !== '0') {
      throw new Error(`${replica}: role ${r.role}, master ${r.master_host}, link ${r.master_link_status}`);
    }
    const ip = `${net}.${replica === 'redis-1' ? 11 : 12}`;
    for (const s of SENTINELS) {
      const [m] = pairs(await sentinel(s, 'sentinel', 'master', 'portal'));
      if (m.ip !== primary || !/^master$/.test(m.flags) || m['num-other-sentinels'] !== '2') {
        throw new Error(`${s}: master ${m.ip} flags ${m.flags}, other sentinels ${m['num-other-sentinels']}`);
      }
      const reps = pairs(await sentinel(s, 'sentinel', 'replicas', 'portal'));
      const rep = reps.find((x) => x.ip === ip);
      if (!rep || rep.flags !== 'slave' || rep['master-link-status'] !== 'ok' || rep['master-host'] !== primary) {
        throw new Error(`${s}: replica ${ip}: ${rep ? `flags ${rep.flags}, link ${rep['master-link-status']}, master ${rep['master-host']}` : 'not seen'}`);
      }
    }
    return true;
  }
  const startedAt = async () => Object.fromEntries(await Promise.all([...INSTANCES, 'nginx'].map(async (s) =>
    [s, await p.inspect(p.container(s), '{{.State.StartedAt}} {{.RestartCount}}')])));

  // the GET paths of one round of client p
  function readsFor(sessions) {
    return (who, idx, { s, round }) => {
      const paths = [
        round % 2 ? '/api/v1/training/sessions?course=2' : `/api/v1/training/sessions/${sessions[(s + idx) % sessions.length]}`,
        `/api/v1/directory/services?language=${LANGUAGES[(idx + round) % LANGUAGES.length]}`,
        '/api/v1/health',
      ];
      if (SEEKERS.includes(who.username)) paths.push(`/api/v1/beds/search?group=${GROUPS[(idx + round) % GROUPS.length]}`);
      // the house is ngo.a's: ngo.b does not see it
      if (SEEKERS.includes(who.username) && who.username !== 'ngo.b') paths.push(`/api/v1/beds/safehouses/${house}`);
      return paths;
    };
  }

  before(async () => {
    net = process.env.PORTAL_HA_NET || await freeHaNet();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    fetchPath = baseFetch(base);
    call = jsonCaller(fetchPath);
    p = project(`${ENV.prefix}ha`, 'compose.ha.yaml', { PORT: String(port), PORTAL_HA_NET: net });
    await p.down(true).catch(() => {});   // nothing left from an interrupted run
    await p.up();
    await waitFor(`GET ${base}/api/v1/health answers 200`, async () => (await statusOf(`${base}/api/v1/health`)) === 200,
      { timeout: 120000, every: 1000 });
  });

  after(async () => {
    if (!p) return;
    if (phaseA.load) keepJSON(`${p.name}-phase-a-calls.json`, phaseA.load.calls);
    if (phaseB.load) keepJSON(`${p.name}-phase-b-calls.json`, phaseB.load.calls);
    await p.saveLogs();
    await p.down(true);
    assert.deepEqual(await p.containers(), [], 'down -v leaves no container of the project');
    assert.deepEqual(await p.volumes(), [], 'down -v leaves no volume of the project');
  });

  test('it comes up: every container healthy and not root, the Sentinels watch the primary, the replica is in sync', { timeout: 150000 }, async (t) => {
    const t0 = Date.now();
    await p.waitHealthy(LONG.map((s) => p.container(s)), 90000);
    await waitFor('the Sentinels see the replica, and it is in sync', () => inSync('redis-2', `${net}.11`), { timeout: 60000, every: 1000 });
    assert.equal(await primaryAddr(), `${net}.11`, 'redis-1 is the primary');
    t.diagnostic(`healthy and in sync ${s1(Date.now() - t0)} after health 200 (backend ${net}.0/24)`);
    for (const c of await p.containers()) {
      const user = await p.inspect(c, '{{.Config.User}}');
      assert.ok(!isRootUser(user), `${c} runs as '${user}'`);
    }
    const ports = (await docker(['port', p.container('nginx')])).split('\n').filter(Boolean);
    assert.ok(ports.length > 0);
    for (const l of ports) assert.match(l, /^8080\/tcp -> 127\.0\.0\.1:\d+$/);

    // the people and what they book and hold
    for (const u of USERS) as[u] = await signIn(fetchPath, u);
    people = USERS.map((u) => as[u]);
    sessionsA = await createSessions(fetchPath, as.coordinator, 40, { capacity: CAPACITY, venue: 'Instance room' });
    sessionsB = await createSessions(fetchPath, as.coordinator, 90, { capacity: CAPACITY, venue: 'Failover room' });
    house = await createHouse(call, as['ngo.a'], { name: 'Failover House', beds: 100 });
  });

  test('a: one instance of each module killed under load: no GET fails, a write only if it was in flight', { timeout: 120000 }, async (t) => {
    assert.ok(house && sessionsA, 'the stack is up with its sessions and house');
    const killed = MODULES.map((m) => p.container(`${m}-1`));
    const restarts = Object.fromEntries(await Promise.all(killed.map(async (c) => [c, await p.inspect(c, '{{.RestartCount}}')])));
    const load = createLoad({
      call, sessions: sessionsA, house, canHold: (who) => RESPONDERS.includes(who.username),
      cancelHolds: true, sameKey: true, reads: readsFor(sessionsA), pauseMs: 50, minRoundMs: 500, keyPrefix: 'phase-a',
    });
    phaseA.load = load;
    const t0 = Date.now();
    let killStart = null;
    let killEnd = null;
    const done = () => Date.now() - t0 > PHASE_A_MS;
    async function operator() {
      await sleep(KILL_A_AT);
      killStart = Date.now();
      load.kill(killStart);
      await Promise.all(killed.map((c) => docker(['kill', c])));
      killEnd = Date.now();
    }
    await Promise.all([operator(), ...people.map((who, i) => load.client(who, i, done))]);
    try {
      // the instances were killed, and stayed down (a kill is not restarted)
      for (const c of killed) {
        assert.equal(await p.inspect(c, '{{.State.Running}} {{.RestartCount}}'), `false ${restarts[c]}`, `${c} is down`);
      }
      // in flight on an instance at the moment it was killed
      const atKill = (c) => c.start >= killStart - 2000 && c.start <= killEnd + 1000 && c.at >= killStart;
      // an answer cut short: its head came (nginx had begun to pass it on, so
      // it cannot repeat it elsewhere), then the instance died mid-body
      const cut = (c) => c.status === 0 && c.headStatus >= 200 && c.headStatus < 300;
      const readFail = load.calls.filter((c) => c.kind === 'read' && c.status !== 200);
      const getFiveXX = readFail.filter((c) => c.status >= 500).length;
      const getCut = readFail.filter(cut);
      const getNoAnswer = readFail.filter((c) => c.status === 0 && !cut(c)).length;
      const writeFail = load.calls.filter((c) => c.kind === 'write' && !((c.status >= 200 && c.status < 300) || c.status === 409));
      const afterKill = load.calls.filter((c) => c.start > killEnd);
      t.diagnostic(`phase a: killed ${killed.length} instances at ${s1(killStart - t0)} (in ${s1(killEnd - killStart)}); ` +
        `GET 5xx: ${getFiveXX}, GET no answer: ${getNoAnswer}, GET cut mid-body by the kill: ${getCut.length}` +
        `${getCut.length ? ` (${getCut.map((c) => `${c.what} after ${s1(c.at - c.start)}: ${c.error}`).join('; ')})` : ''}; ` +
        `writes refused at the kill: ${writeFail.map((c) => `${c.what} ${c.status || `cut ${c.headStatus}`}`).join(', ') || 'none'}; ` +
        `${afterKill.length} calls after the kill; ${figures(load)}`);

      // every GET answered 200: no 5xx, no connection failure, before and
      // after the kill.  The one exception, which nginx cannot repeat on the
      // other instance: an answer the killed instance had begun to send.
      assert.deepEqual(readFail.filter((c) => !(cut(c) && atKill(c))), [], 'every GET answered 200');
      // and each module's other instance answered after the kill
      for (const prefix of ['/api/v1/health', '/api/v1/training/', '/api/v1/beds/', '/api/v1/directory/']) {
        assert.ok(afterKill.filter((c) => c.kind === 'read' && c.what.startsWith(prefix)).length >= 5,
          `GETs of ${prefix} answered after the kill`);
      }
      // a write answered 2xx or 409, or failed (502, 503, cut) only when in flight at the kill
      assert.deepEqual(writeFail.filter((c) => !((c.status === 502 || c.status === 503 || cut(c)) && atKill(c))), [],
        'writes answered 2xx or 409, or failed at the kill');
      assert.ok(load.acked.bookings.some((b) => b.at > killEnd + 1000), 'bookings acknowledged after the kill');
      assert.ok(load.acked.holds.some((h) => h.at > killEnd + 1000), 'holds acknowledged after the kill');
      await checkAcknowledged(assert, call, load.acked);
    } finally {
      // back: the killed instances started again, and healthy (also when a check failed)
      const t1 = Date.now();
      await Promise.all(killed.map((c) => docker(['start', c])));
      await p.waitHealthy(INSTANCES.map((x) => p.container(x)), 60000);
      t.diagnostic(`phase a: the killed instances healthy again ${s1(Date.now() - t1)} after docker start`);
    }
  });

  test('b: the Redis primary killed under 60 s of bookings and holds: the portal follows the failover', { timeout: 200000 }, async (t) => {
    assert.ok(house && sessionsB, 'the stack is up with its sessions and house');
    const oldPrimary = `${net}.11`;
    const newPrimary = `${net}.12`;
    await waitFor('the replica in sync before the kill', () => inSync('redis-2', oldPrimary), { timeout: 30000, every: 1000 });
    const baseline = await startedAt();
    const load = createLoad({
      call, sessions: sessionsB, house, canHold: (who) => RESPONDERS.includes(who.username),
      cancelHolds: true, sameKey: true, reads: readsFor(sessionsB), pauseMs: 50, minRoundMs: 700, keyPrefix: 'phase-b',
    });
    phaseB.load = load;
    const t0 = Date.now();
    const at = {};
    const done = () => Date.now() - t0 > PHASE_B_MS;
    // kill the primary at 10 s; once a Sentinel names the new one, start the
    // old one again: it comes back as the new primary's replica
    async function operator() {
      await sleep(KILL_B_AT);
      await docker(['kill', p.container('redis-1')]);
      at.killed = Date.now();
      load.kill(at.killed);
      await waitFor('a Sentinel names a new primary', async () => {
        const ip = await primaryAddr();
        return ip && ip !== oldPrimary ? ip : null;
      }, { timeout: 45000, every: 250 });
      at.failover = Date.now();
      await docker(['start', p.container('redis-1')]);
      at.started = Date.now();
      await waitFor('the old primary back as the replica, in sync', () => inSync('redis-1', newPrimary), { timeout: 60000, every: 500 });
      at.rejoined = Date.now();
    }
    await Promise.all([operator(), ...people.map((who, i) => load.client(who, i, done))]);
    const { readBackAt, writeBackAt, acked } = load;
    const rel = (x) => (x ? s1(x - at.killed) : 'never');
    const sinceFailover = (x) => (x ? s1(x - at.failover) : 'never');
    t.diagnostic(`phase b: primary killed at ${s1(at.killed - t0)}; new primary named ${rel(at.failover)} after the kill; ` +
      `old primary started ${rel(at.started)}, its replica in sync ${rel(at.rejoined)}; ` +
      `first 2xx after the failover: read ${sinceFailover(readBackAt)}, write ${sinceFailover(writeBackAt)}; ${figures(load)}`);

    assert.ok(at.killed && at.failover, 'the primary was killed and the Sentinels failed over');
    assert.equal(await primaryAddr(), newPrimary, 'the Sentinels name redis-2');
    assert.ok(at.rejoined, 'redis-1 rejoined as the replica');
    // the portal answers 2xx again within 30 s of the failover
    assert.ok(readBackAt && readBackAt - at.failover < 30000, `reads 2xx again ${sinceFailover(readBackAt)} after the failover`);
    assert.ok(writeBackAt && writeBackAt - at.failover < 30000, `writes 2xx again ${sinceFailover(writeBackAt)} after the failover`);
    // no module (nor nginx) was restarted
    assert.deepEqual(await startedAt(), baseline, 'no container restarted');
    // reads answered 200 or 503, writes 2xx, 409 or 503
    assert.deepEqual(oddAnswers(load), [], 'unexpected answers');
    // the window was real: writes were refused in it, and acknowledged on both sides
    assert.ok(load.count('write', (s) => s === 503) > 0, 'some writes answered 503 while there was no primary or no replica');
    assert.ok(acked.bookings.some((b) => b.at < at.killed) && acked.bookings.some((b) => b.at > writeBackAt),
      'bookings acknowledged before the kill and after the failover');
    assert.ok(acked.holds.some((h) => h.at < at.killed) && acked.holds.some((h) => h.at > writeBackAt),
      'holds acknowledged before the kill and after the failover');
    assert.ok(acked.holds.filter((h) => h.cancel === 'acked').length > 0, 'cancels acknowledged');

    // every acknowledged booking and hold (of both phases) is there, and no invariant broke
    const a = phaseA.load?.acked ?? { bookings: [], holds: [] };
    const all = { bookings: [...a.bookings, ...acked.bookings], holds: [...a.holds, ...acked.holds] };
    const pending = await checkAcknowledged(assert, call, all);
    await checkInvariants(assert, call, {
      coordinator: as.coordinator, ngo: as['ngo.a'], sessions: [...sessionsA, ...sessionsB], capacity: CAPACITY, house, pending,
    });
    // and the portal is whole again: health 200 through nginx
    assert.equal(await statusOf(`${base}/api/v1/health`), 200);
  });
});
