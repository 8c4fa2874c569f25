// directory-old-data.test.mjs - data written by the directory module before
// its scripts moved to the one convention still works: the key layout did
// not change (data version 1), so there is nothing to migrate.  The old
// binary (PORTAL_OLD_DIRECTORY, built from the commit before the change)
// loads its demo data into a Redis of our own; the new binary
// (PORTAL_BIN/portal-directory --load-demo) starts on it, writes nothing
// (the demo is not loaded twice), and the new scripts find every stored
// service through the old index.  Skipped without PORTAL_OLD_DIRECTORY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startRedis, connect, scriptSource } from './lib/redis.mjs';

const OLD = process.env.PORTAL_OLD_DIRECTORY;
const NEW = process.env.PORTAL_BIN ? `${process.env.PORTAL_BIN}/portal-directory` : null;
const BASE = 'portal:dir:{dir}';

test('demo_data_of_the_old_binary_is_served_by_the_new_scripts_unchanged', { skip: !OLD || !NEW }, async () => {
  const server = await startRedis();
  const r = await connect(server.socket);
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: server.socket };
  const dump = async () => {
    const out = {};
    for (const k of (await r.call('KEYS', '*')).sort()) out[k] = await r.call('DUMP', k);
    return out;
  };
  try {
    execFileSync(OLD, ['--load-demo'], { env, stdio: 'ignore' });
    const services = Number(await r.call('HLEN', `${BASE}:svc`));
    assert.ok(services > 10);
    const before = await dump();
    execFileSync(NEW, ['--load-demo'], { env, stdio: 'ignore' });
    assert.deepEqual(await dump(), before);
    const a = await r.call('EVAL', scriptSource('directory', 'search'), 1, BASE, 'tmp', 't', 'sort', 'name',
      'offset', '0', 'count', '100', 'groups', '[]', 'words', '[]', 'open', '', 'modified_after', '');
    assert.equal(a[0], 'ok');
    assert.deepEqual(a.slice(1, 3), ['total', String(services)]);
    assert.equal(a.filter((v, i) => i % 2 === 1 && v === 'service').length, Math.min(services, 100));
    assert.ok(a.includes('facet'));
  } finally {
    r.close();
    await server.stop();
  }
});
