// training-migration.test.mjs - data written by the training module before
// data version 2 still works: the old binary (PORTAL_OLD_TRAINING, built
// from the commit before the change) loads its demo data into a Redis of
// our own, then the new binary (PORTAL_BIN/portal-training) starts on it
// (--load-demo: the migration runs at start, then the demo marker, moved
// with the data, keeps the demo from loading twice) and the scripts find
// every course and session where version 2 keeps them.  Skipped without
// PORTAL_OLD_TRAINING.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startRedis, connect } from './lib/redis.mjs';

const OLD = process.env.PORTAL_OLD_TRAINING;
const NEW = process.env.PORTAL_BIN ? `${process.env.PORTAL_BIN}/portal-training` : null;

test('demo_data_of_the_old_layout_is_migrated_once_and_served', { skip: !OLD || !NEW }, async () => {
  const server = await startRedis();
  const r = await connect(server.socket);
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: server.socket };
  try {
    execFileSync(OLD, ['--load-demo'], { env });
    assert.ok((await r.call('KEYS', 'portal:training:*')).length > 10);
    const log = execFileSync(NEW, ['--load-demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    void log;
    assert.deepEqual(await r.call('KEYS', 'portal:training:*'), []);
    assert.equal(await r.call('GET', 'portal:{training}:data-version'), '2');
    assert.deepEqual(await r.call('ZRANGE', 'portal:{training}:courses', 0, -1), ['1', '2', '3', '4']);
    assert.deepEqual((await r.call('ZRANGE', 'portal:{training}:sessions', 0, -1)).sort(), ['1', '2', '3', '4']);
    assert.equal(await r.call('HGET', 'portal:{training}:session:2', 'capacity'), '2');
    assert.equal(await r.call('GET', 'portal:{training}:courses:seq'), '4');
    // the demo is not loaded again, and a second start changes nothing
    const before = (await r.call('KEYS', '*')).sort();
    execFileSync(NEW, ['--load-demo'], { env, stdio: 'ignore' });
    assert.deepEqual((await r.call('KEYS', '*')).sort(), before);
    assert.deepEqual(await r.call('ZRANGE', 'portal:{training}:courses', 0, -1), ['1', '2', '3', '4']);
  } finally {
    r.close();
    await server.stop();
  }
});
