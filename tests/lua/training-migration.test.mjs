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
import { execFileSync, spawnSync } from 'node:child_process';
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
    assert.equal(await r.call('GET', 'portal:{training}:data-version'), '6');
    assert.deepEqual(await r.call('ZRANGE', 'portal:{training}:courses', 0, -1), ['1', '2', '3', '4']);
    assert.deepEqual((await r.call('ZRANGE', 'portal:{training}:sessions', 0, -1)).sort(), ['1', '2', '3', '4']);
    // data version 5: a course stored before has no learning outcomes
    assert.equal(await r.call('HGET', 'portal:{training}:course:1', 'outcomes'), '[]');
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

// Data version 2 (PORTAL_OLD_TRAINING_V2: the binary before the stored
// views) loads its demo data; the new binary starts on it, gives every
// session its times' texts and its view, stamps version 3, and the read
// scripts answer each session; a second start changes nothing.
const OLD2 = process.env.PORTAL_OLD_TRAINING_V2;

test('demo_data_of_version_2_gets_its_views_once_and_is_served', { skip: !OLD2 || !NEW }, async () => {
  const server = await startRedis();
  const r = await connect(server.socket);
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: server.socket };
  try {
    execFileSync(OLD2, ['--load-demo'], { env });
    assert.equal(await r.call('GET', 'portal:{training}:data-version'), '2');
    const ids = await r.call('ZRANGE', 'portal:{training}:sessions', 0, -1);
    assert.ok(ids.length >= 8);
    assert.equal(await r.call('HGET', 'portal:{training}:views:open', ids[0]), null);
    const run = spawnSync(NEW, ['--load-demo'], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const logged = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('training data migrated')).map(JSON.parse);
    assert.deepEqual(logged.map((l) => [l.from_version, l.to_version, l.sessions_given_times]), [['2', '6', ids.length]]);
    assert.equal(await r.call('GET', 'portal:{training}:data-version'), '6');
    for (const id of ids) {
      const s = `portal:{training}:session:${id}`;
      const view = JSON.parse(`${await r.call('HGET', 'portal:{training}:views:static', id)}${await r.call('HGET', 'portal:{training}:views:open', id)}}`);
      assert.equal(view.id, id);
      assert.equal(view.confirmed, Number(await r.call('HGET', s, 'confirmed')));
      assert.match(await r.call('HGET', s, 'words:starts_at'), /^(\d{1,2}(:\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+$/);
      assert.match(await r.call('HGET', s, 'text:starts_at'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
    // each course's index of sessions
    const course = await r.call('HGET', `portal:{training}:session:${ids[0]}`, 'course_id');
    assert.ok((await r.call('ZRANGE', `portal:{training}:course-sessions:${course}`, 0, -1)).includes(ids[0]));
    const before = {};
    for (const k of (await r.call('KEYS', '*')).sort()) before[k] = await r.call('DUMP', k);
    execFileSync(NEW, ['--load-demo'], { env, stdio: 'ignore' });
    const after = {};
    for (const k of (await r.call('KEYS', '*')).sort()) after[k] = await r.call('DUMP', k);
    assert.deepEqual(after, before);
  } finally {
    r.close();
    await server.stop();
  }
});

