// erasure.test.mjs - erased means erased on disk too (security review,
// issue 14, finding 7).  A bed hold's case reference and call-back phone are
// erased PORTAL_BEDS_ERASE_SECONDS after the hold closes; the beds module then
// has Redis rewrite its append-only file (at most once per
// PORTAL_BEDS_AOF_REWRITE_SECONDS), so that after the erasure period plus that
// interval no file under the stack's data folder holds either value: not the
// AOF, not an RDB, not a log.
//
// OWASP ASVS 4.0.3 (Level 2):
//   V8.3.8  sensitive personal information is deleted automatically, on a
//           schedule (here: from memory and from every file on disk)
//   V8.3.5  access to sensitive data is audited without the audit holding
//           the data (the audit stream never carries a reference or phone)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startStack, sleep } from '../integration/lib/stack.mjs';
import { api } from '../integration/lib/beds.mjs';

const run = promisify(execFile);
const ERASE = 3;     // seconds after a hold closes until its details are erased
const REWRITE = 12;  // at most one AOF rewrite per this many seconds
const TICK = Math.min(60, ERASE, REWRITE);  // how often each beds master does housekeeping
const ENV = {
  PORTAL_BEDS_MINUTE_SECONDS: '1',
  PORTAL_BEDS_ERASE_SECONDS: String(ERASE),
  PORTAL_BEDS_AOF_REWRITE_SECONDS: String(REWRITE),
};

let stack;
const as = {};
before(async () => {
  stack = await startStack(ENV);
  for (const u of ['responder.health', 'ngo.a', 'coordinator']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// A case reference and a phone no other test or demo datum can hold.
function distinctive(tag) {
  const digits = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  // the phone: a UK mobile number (07 and 9 digits, the PHONE rule) ending in them
  return { reference: `ERZ-${tag}-${digits}`, phone: `07700 ${digits}` };
}

// Every regular file under `dir`, recursively.
function filesUnder(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

// Lua that returns every key with every value in it (strings, hashes, lists,
// sets, sorted sets with members, streams with fields), one key a line.
const DUMP_ALL = `
local out, cursor = {}, '0'
repeat
  local r = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    local t, v = redis.call('TYPE', k).ok, {}
    if t == 'string' then v = {redis.call('GET', k)}
    elseif t == 'hash' then v = redis.call('HGETALL', k)
    elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1)
    elseif t == 'set' then v = redis.call('SMEMBERS', k)
    elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1)
    elseif t == 'stream' then
      for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do
        for _, f in ipairs(e[2]) do v[#v + 1] = f end
      end
    end
    out[#out + 1] = k .. '\\t' .. table.concat(v, '\\t')
  end
until cursor == '0'
return table.concat(out, '\\n')`;

// The values of an RDB file (an AOF base, a dump.rdb), decoded by loading it
// into a scratch redis-server of our own: strings in an RDB may be
// LZF-compressed, so a byte search of the file alone could miss them.
async function rdbText(file) {
  const tmp = mkdtempSync(join(tmpdir(), 'portal-rdb-'));
  copyFileSync(file, join(tmp, 'dump.rdb'));
  const sock = join(tmp, 'r.sock');
  const child = spawn('redis-server', ['--port', '0', '--unixsocket', sock, '--dir', tmp,
    '--dbfilename', 'dump.rdb', '--appendonly', 'no', '--save', '', '--loglevel', 'warning'],
  { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      const pong = await run('redis-cli', ['-s', sock, 'ping']).then((r) => r.stdout.trim(), () => '');
      if (pong === 'PONG') break;
      await sleep(50);
    }
    const { stdout } = await run('redis-cli', ['-s', sock, '--raw', 'EVAL', DUMP_ALL, '0'], { maxBuffer: 64 << 20 });
    return stdout;
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    rmSync(tmp, { recursive: true, force: true });
  }
}

// The files under the stack's folder holding any of `needles`:
// [{file, needle}], by a byte search of every file, and with `decode`
// also in the decoded values of every RDB file.
async function filesHolding(needles, { decode = false } = {}) {
  const found = [];
  for (const file of filesUnder(stack.dir)) {
    let bytes;
    try { bytes = readFileSync(file); } catch { continue; }  // a file removed meanwhile (an old AOF part)
    let text = null;
    if (decode && bytes.subarray(0, 5).toString('latin1') === 'REDIS') text = await rdbText(file);
    for (const n of needles)
      if (bytes.includes(Buffer.from(n)) || (text && text.includes(n))) found.push({ file, needle: n });
  }
  return found;
}

// The AOF manifest's base file sequence: it goes up by one per rewrite.
function aofBaseSeq() {
  const m = readFileSync(join(stack.dir, 'redis', 'appendonlydir', 'appendonly.aof.manifest'), 'utf8');
  return Number(/\.(\d+)\.base\.(?:rdb|aof) seq (\d+) type b/.exec(m)?.[2] ?? NaN);
}

async function newHouse() {
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name: `Erasure House ${Math.random().toString(36).slice(2, 8)}`, area: 'hackney', groups: { women: { beds: 4 } },
    referral_phone: '020 7946 0999', referral_hours: '24 hours',
  });
  assert.equal(c.status, 201, c.text);
  const id = c.body.safehouse.id;
  assert.equal((await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 4 })).status, 200);
  return id;
}

// Place a hold with `d`'s reference and phone and cancel it; returns the
// hold's id and when it closed (ms).
async function holdAndClose(house, d) {
  const h = await api(stack, as['responder.health'], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
    { group: 'women', reference: d.reference, callback_phone: d.phone });
  assert.equal(h.status, 201, h.text);
  const id = h.body.hold.id;
  const c = await api(stack, as['responder.health'], 'POST', `/api/v1/beds/holds/${id}/cancel`, {});
  assert.equal(c.status, 200, c.text);
  return { id, closedAt: Date.now() };
}

// Wait, with no request to the portal, until Redis no longer holds the
// hold's details (the beds masters' housekeeping erases them); returns when.
async function erasedAt(id, limitMs) {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const raw = await stack.redis('HGET', `portal:beds:{beds}:hold:${id}`, 'erased');
    if (raw.trim() === '1') return Date.now();
    await sleep(200);
  }
  assert.fail(`hold ${id} was not erased within ${limitMs} ms of closing, with no request`);
}

// Wait until no file under the folder holds `needles` (byte search); returns when.
async function cleanAt(needles, limitMs) {
  const end = Date.now() + limitMs;
  let found = [];
  while (Date.now() < end) {
    found = await filesHolding(needles);
    if (found.length === 0) return Date.now();
    await sleep(250);
  }
  assert.fail(`still on disk ${limitMs} ms later: ${found.map((f) => `${f.needle} in ${f.file.slice(stack.dir.length)}`).join(', ')}`);
}

test('erased case references and call-back phones leave every file under the data folder (V8.3.8, V8.3.5)', async (t) => {
  const house = await newHouse();
  const seq0 = aofBaseSeq();

  // Hold A: while it lives, its details are in Redis and in the AOF on disk
  // (what the test looks for is there to be found), and only in the hold.
  const a = distinctive('A');
  const holdA = await holdAndClose(house, a);
  const onDisk = await filesHolding([a.reference, a.phone]);
  assert.ok(onDisk.some((f) => f.file.includes('appendonlydir')), 'the AOF holds the reference before erasure');
  const everything = await stack.redis('EVAL', DUMP_ALL, '0');
  const keysHolding = everything.split('\n').filter((l) => l.includes(a.reference) || l.includes(a.phone))
    .map((l) => l.split('\t')[0]);
  assert.deepEqual(keysHolding, [`portal:beds:{beds}:hold:${holdA.id}`],
    'the reference and phone are in the hold only: not in the audit stream, an events stream or any other key');
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, new RegExp(`"hold":${holdA.id}\\b`), 'the hold is audited');
  assert.ok(!audit.includes(a.reference) && !audit.includes(a.phone), 'the audit stream holds neither');

  // A is erased on schedule: the responder sees it so at once (the read is
  // read-only and leaves out details past their time, issue 19), and a
  // beds master's housekeeping erases them from Redis within its next runs
  // (every TICK s); the first erasure is rewritten out of the AOF at once.
  await sleep(ERASE * 1000 + 500);
  const seen = await api(stack, as['responder.health'], 'GET', `/api/v1/beds/holds/${holdA.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.hold.erased, true);
  assert.equal(seen.body.hold.reference, undefined);
  const erasedA = await erasedAt(holdA.id, (2 * TICK + 5) * 1000);
  const cleanA = await cleanAt([a.reference, a.phone], (2 * TICK + 10) * 1000);
  const seqA = aofBaseSeq();
  assert.ok(seqA > seq0, 'Redis rewrote its AOF after the erasure');

  // Hold B, erased with no request at all (each beds master's housekeeping
  // erases on time), within the rewrite interval: the rewrite waits for the
  // interval to pass (at most one per interval), then happens by itself.
  const b = distinctive('B');
  const holdB = await holdAndClose(house, b);
  const erasedB = await erasedAt(holdB.id, (ERASE + 2 * TICK + 5) * 1000);
  assert.ok(erasedB < cleanA + (REWRITE - 2) * 1000, 'B was erased well inside the interval');
  assert.ok((await filesHolding([b.reference])).length > 0,
    'right after B\'s erasure, inside the interval, its reference is still on disk (no second rewrite yet)');
  const cleanB = await cleanAt([b.reference, b.phone], (REWRITE + 2 * TICK + 10) * 1000);
  assert.ok(cleanB - cleanA >= (REWRITE - 1) * 1000,
    `at most one rewrite per ${REWRITE} s: the second came ${cleanB - cleanA} ms after the first`);
  assert.equal(aofBaseSeq(), seqA + 1, 'one more rewrite for B');

  // Every file, RDB files decoded too, once the period has passed: neither
  // hold's reference nor phone anywhere (AOF parts, logs, LDAP data, ...).
  await sleep(TICK * 1000);
  const left = await filesHolding([a.reference, a.phone, b.reference, b.phone], { decode: true });
  assert.deepEqual(left, [], 'no file under the data folder holds an erased value');
  // and with nothing more erased, no more rewrites
  assert.equal(aofBaseSeq(), seqA + 1, 'no rewrite without an erasure');

  const files = filesUnder(join(stack.dir, 'redis'));
  t.diagnostic(`A: erased ${((erasedA - holdA.closedAt) / 1000).toFixed(1)} s after closing, off disk ` +
    `${((cleanA - erasedA) / 1000).toFixed(1)} s after erasure; B: erased ${((erasedB - holdB.closedAt) / 1000).toFixed(1)} s ` +
    `after closing, off disk ${((cleanB - erasedB) / 1000).toFixed(1)} s after erasure ` +
    `(${((cleanB - cleanA) / 1000).toFixed(1)} s after the first rewrite; interval ${REWRITE} s); redis files: ` +
    files.map((f) => `${f.slice(stack.dir.length + 1)} ${statSync(f).size} B`).join(', '));
});

test('the production and Sentinel ACLs let the portal rewrite the AOF, and nothing else dangerous', async () => {
  const lines = [
    readFileSync(join(ROOT, 'deploy', 'redis', 'users.acl'), 'utf8').split('\n').find((l) => l.startsWith('user portal ')),
    readFileSync(join(ROOT, 'tests', 'stack', 'sentinel.sh'), 'utf8').split('\n').find((l) => l.startsWith('user portal ')),
  ];
  for (const [i, line] of lines.entries()) {
    assert.ok(line, 'a portal user line');
    // the rules after the password, on a scratch user of the test stack's Redis
    const rules = line.replace(/>\$\([^)]*\)/, '').split(/\s+/).slice(2).filter((r) => r && !r.startsWith('>'));
    const user = `acl-check-${i}`;
    assert.match(await stack.redis('ACL', 'SETUSER', user, 'reset', ...rules), /OK/);
    try {
      assert.equal((await stack.redis('ACL', 'DRYRUN', user, 'BGREWRITEAOF')).trim(), 'OK', line);
      assert.equal((await stack.redis('ACL', 'DRYRUN', user, 'HSET', 'portal:x', 'f', 'v')).trim(), 'OK');
      for (const cmd of [['FLUSHALL'], ['CONFIG', 'SET', 'save', ''], ['BGSAVE'], ['DEBUG', 'SLEEP', '0'], ['SHUTDOWN']])
        assert.notEqual((await stack.redis('ACL', 'DRYRUN', user, ...cmd)).trim(), 'OK', `${cmd[0]} refused`);
    } finally {
      await stack.redis('ACL', 'DELUSER', user);
    }
  }
});

test('the test stack\'s Redis keeps no RDB snapshot that erasure would not reach', async () => {
  assert.equal((await stack.redis('CONFIG', 'GET', 'save')).split('\n')[1], '');
  assert.equal((await stack.redis('CONFIG', 'GET', 'appendonly')).split('\n')[1], 'yes');
});
