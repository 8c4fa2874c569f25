// directory-old-data.test.mjs - data written by the directory before data
// version 2 still works: the new binary (PORTAL_BIN/portal-directory
// --load-demo, which migrates before it loads anything) finds data made the
// old way - no public views (:pub), no :dv, the free-text index without the
// words of language, community, exploitation type and borough names - and
// re-applies every stored service: each gets its public view and those
// words, :dv becomes 3 (version 3 fills the due set the same way), the
// log says so, and a second start changes nothing.  The second test starts the old binary itself
// (PORTAL_OLD_DIRECTORY, built from the commit before data version 2), and
// is skipped without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startRedis, connect, scriptSource } from './lib/redis.mjs';

const OLD = process.env.PORTAL_OLD_DIRECTORY;
const NEW = process.env.PORTAL_BIN ? `${process.env.PORTAL_BIN}/portal-directory` : null;
const BASE = 'portal:dir:{dir}';
const ORG = '11111111-1111-4111-8111-111111111111';
const SVC = '22222222-2222-4222-8222-222222222222';
const FACETS = 'service_type exploitation client_group language community borough referrer';

const dump = async (r) => {
  const out = {};
  for (const k of (await r.call('KEYS', '*')).sort()) out[k] = await r.call('DUMP', k);
  return out;
};

// Start the new binary on the Redis at `socket`; answers its log (stdout
// and stderr).
function startNew(socket) {
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: socket };
  const p = spawnSync(NEW, ['--load-demo'], { env, encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  return p.stdout + p.stderr;
}

// Run search.lua with the defaults, `pairs` (name, value, ...) replacing them.
function search(r, pairs) {
  const args = { tmp: 't', sort: 'name', offset: '0', count: '100', groups: '[]', words: '[]', open: '', modified_after: '',
    communities: '[]', facets: FACETS, now: '1700000000', due: '15811200' };
  for (let i = 0; i + 1 < pairs.length; i += 2) args[pairs[i]] = pairs[i + 1];
  return r.call('EVAL', scriptSource('directory', 'search'), 1, BASE, ...Object.entries(args).flat());
}

test('a_service_stored_the_old_way_gets_its_public_view_and_facet_name_words_at_start', { skip: !NEW }, async () => {
  const server = await startRedis();
  const r = await connect(server.socket);
  try {
    // as the old apply.lua left a service: record, facets, index entries, orders
    const svc = {
      id: SVC, organisation: { id: ORG }, name: 'Old Safe House', description: 'Help after exploitation',
      service_types: ['advocacy'], exploitation_types: ['criminal'], client_groups: ['adults'],
      languages: [{ code: 'sq', name: 'Albanian' }], communities: [], boroughs: ['newham'],
      hours: { opening: 'mon-fri 09:00-17:00', always_open: false },
      how_to_refer: { referrers: ['police'], steps: ['Call us'] },
      updated_at: '2025-01-02T10:00:00Z', last_verified: '2025-01-02',
    };
    await r.call('HSET', `${BASE}:org`, ORG, JSON.stringify({ id: ORG, name: 'Old Org' }));
    await r.call('HSET', `${BASE}:orgname`, ORG, 'Old Org');
    await r.call('HSET', `${BASE}:svc`, SVC, JSON.stringify(svc));
    await r.call('HSET', `${BASE}:fac`, SVC, 'language:sq borough:newham exploitation:criminal');
    await r.call('HSET', `${BASE}:ix`, SVC, 'f:language:sq f:borough:newham f:exploitation:criminal w:old=3 w:safe=3');
    for (const k of ['f:language:sq', 'f:borough:newham', 'f:exploitation:criminal']) await r.call('SADD', `${BASE}:${k}`, SVC);
    await r.call('ZADD', `${BASE}:w:old`, '3', SVC);
    await r.call('ZADD', `${BASE}:byname`, '1', SVC);
    await r.call('ZADD', `${BASE}:verified`, '1735776000', SVC);
    await r.call('ZADD', `${BASE}:modified`, '1735812000', SVC);
    assert.equal(await r.call('ZSCORE', `${BASE}:w:albanian`, SVC), null);

    const log = startNew(server.socket);
    assert.match(log, /directory data migrated/);
    assert.match(log, /"services_reindexed":\s*1/);
    assert.equal(await r.call('GET', `${BASE}:dv`), '3');
    assert.deepEqual(JSON.parse(await r.call('HGET', `${BASE}:pub`, SVC)).organisation, { id: ORG, name: 'Old Org' });
    // verified 1735776000 (2 January 2025): due for service_unverified 183 days later
    assert.equal(await r.call('ZSCORE', `${BASE}:due`, `unverified:${SVC}`), String(1735776000 + 15811200));
    for (const word of ['albanian', 'shqip', 'criminal', 'newham']) {
      assert.notEqual(await r.call('ZSCORE', `${BASE}:w:${word}`, SVC), null, word);
    }
    // the old index entries are kept where the new code makes them too
    assert.notEqual(await r.call('ZSCORE', `${BASE}:w:old`, SVC), null);
    // free text "albanian" finds it: ['ok', 'total', '1', 'facets', F, 'cached', c, 'service', S, 'due', d]
    const a = await search(r, ['sort', 'relevance', 'words', '["albanian"]']);
    assert.deepEqual([a[0], a[2], a[7]], ['ok', '1', 'service']);
    assert.equal(JSON.parse(a[8]).id, SVC);
    // a second start migrates nothing and writes nothing
    const before = await dump(r);
    const again = startNew(server.socket);
    assert.doesNotMatch(again, /directory data migrated/);
    assert.deepEqual(await dump(r), before);
  } finally {
    r.close();
    await server.stop();
  }
});

test('demo_data_of_the_old_binary_is_migrated_and_served_by_the_new_scripts', { skip: !OLD || !NEW }, async () => {
  const server = await startRedis();
  const r = await connect(server.socket);
  const env = { ...process.env, PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_REDIS_SOCKET: server.socket };
  try {
    execFileSync(OLD, ['--load-demo'], { env, stdio: 'ignore' });
    const services = Number(await r.call('HLEN', `${BASE}:svc`));
    assert.ok(services > 10);
    startNew(server.socket);
    assert.equal(await r.call('GET', `${BASE}:dv`), '3');
    assert.equal(Number(await r.call('HLEN', `${BASE}:pub`)), services);
    const a = await search(r, []);
    assert.equal(a[0], 'ok');
    assert.equal(a[2], String(services));
  } finally {
    r.close();
    await server.stop();
  }
});
