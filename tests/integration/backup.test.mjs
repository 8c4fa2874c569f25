// Backup and restore (tests/stack/backup.sh) over the real stack: data made
// through the API and in the directory, a backup, changes, a restore; the
// changes are gone, everything before them is back, and the modules answer
// again without being restarted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT, sleep, startStack } from './lib/stack.mjs';
import { addResponders, api, createSession } from './lib/training.mjs';

const run = promisify(execFile);
const BACKUP = join(ROOT, 'tests', 'stack', 'backup.sh');
const MODULES = ['auth', 'training', 'beds', 'directory'];

describe('backup and restore', () => {
  let stack;

  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  const backup = (...args) => run(BACKUP, args, { timeout: 30000 });
  const session = async (who, id) => {
    const res = await api(stack, who, 'GET', `/api/v1/training/sessions/${id}`);
    return { status: res.status, body: res.status === 200 ? (await res.json()).session : null };
  };
  const signInStatus = async (username) => (await stack.fetch('/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo-Portal-1' }),
  })).status;
  // LDAP entries under ou=people, as the portal's service account sees them
  const people = async () => {
    const sock = encodeURIComponent(join(stack.dir, 'sock', 'ldapi'));
    const { stdout } = await run('ldapsearch', ['-LLL', '-x', '-H', `ldapi://${sock}`,
      '-D', 'cn=portal-service,ou=services,dc=portal,dc=example', '-y', join(stack.dir, 'secrets', 'ldap-service.password'),
      '-b', 'ou=people,dc=portal,dc=example', '(objectClass=inetOrgPerson)', 'uid']);
    return stdout.split('\n').filter((l) => l.startsWith('uid: ')).map((l) => l.slice(5)).sort();
  };

  test('restore_brings_back_what_was_backed_up_and_drops_later_changes', async () => {
    const file = join(stack.dir, 'portal-backup.tar.gz');
    const coordinator = await stack.signIn('coordinator');

    // before the backup: a session with a booking, a new member of staff
    const kept = await createSession(stack, coordinator, { venue: 'Kept room', capacity: 4 });
    const [keptPerson] = await addResponders(stack, 'bk.before', 1);
    const booker = await stack.signIn(keptPerson.username);
    const booked = await api(stack, booker, 'POST', `/api/v1/training/sessions/${kept.id}/bookings`);
    assert.equal(booked.status, 201);
    const keptSession = (await session(coordinator, kept.id)).body;
    assert.equal(keptSession.status, 'scheduled');
    assert.equal(keptSession.confirmed, 1);
    const peopleBefore = await people();
    assert.ok(peopleBefore.includes('bk.before1'));
    const pids = Object.fromEntries(MODULES.map((m) => [m, stack.pid(m)]));

    const out = await backup('backup', '--dir', stack.dir, '--out', file);
    assert.match(out.stdout, /backup written/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the backup is readable by its owner only');
    const { stdout: listing } = await run('tar', ['-tzf', file]);
    assert.deepEqual(listing.trim().split('\n').sort(), ['ldap/directory.ldif', 'manifest.txt', 'redis/dump.rdb']);

    // changes after the backup: another session, the first one cancelled,
    // another member of staff
    const added = await createSession(stack, coordinator, { venue: 'Added later', capacity: 6 });
    assert.equal((await api(stack, coordinator, 'POST', `/api/v1/training/sessions/${kept.id}/cancel`)).status, 200);
    assert.equal((await session(coordinator, kept.id)).body.status, 'cancelled');
    await addResponders(stack, 'bk.after', 1);
    assert.equal(await signInStatus('bk.after1'), 200);

    const restored = await backup('restore', '--dir', stack.dir, '--from', file);
    assert.match(restored.stdout, /restore done/);

    // the modules were not restarted; they reconnect to Redis and slapd.
    // The coordinator's session cookie predates the backup, so it still works.
    for (const m of MODULES) assert.equal(stack.pid(m), pids[m], `portal-${m} kept running`);
    let after;
    for (let i = 0; i < 50; i++) {
      after = await session(coordinator, kept.id);
      if (after.status === 200) break;
      await sleep(100);
    }
    assert.equal(after.status, 200);
    assert.equal(after.body.status, 'scheduled', 'the cancellation is gone');
    assert.equal(after.body.confirmed, 1, 'the booking is back');
    assert.equal(after.body.venue, 'Kept room');
    assert.equal((await session(coordinator, added.id)).status, 404, 'the session made after the backup is gone');
    const list = await (await api(stack, coordinator, 'GET', '/api/v1/training/sessions')).text();
    assert.ok(!list.includes('Added later'));

    // the directory: as it was at the backup
    assert.deepEqual(await people(), peopleBefore);
    assert.equal(await signInStatus('bk.before1'), 200);
    assert.equal(await signInStatus('bk.after1'), 401, 'the person added after the backup is gone');
    const health = await (await stack.fetch('/api/v1/health')).json();
    assert.equal(health.status, 'ok');

    // the data replaced is kept aside
    assert.ok(existsSync(join(stack.dir, 'replaced')));
  });

  test('refuses_a_folder_that_is_not_a_stack_and_a_file_that_is_not_a_backup', async () => {
    await assert.rejects(backup('backup', '--dir', join(stack.dir, 'logs'), '--out', join(stack.dir, 'x.tar.gz')),
      (e) => /not a stack run folder/.test(e.stderr));
    await assert.rejects(backup('restore', '--dir', stack.dir, '--from', join(stack.dir, 'redis', 'redis.conf')),
      (e) => /not a tar\.gz/.test(e.stderr));
    await assert.rejects(backup('restore', '--dir', stack.dir, '--from', join(stack.dir, 'missing.tar.gz')),
      (e) => /does not exist/.test(e.stderr));
    // nothing was stopped by a refusal
    assert.equal((await stack.fetch('/api/v1/health')).status, 200);
  });

  // A backup keeps case references the portal erases PORTAL_BEDS_ERASE_DAYS
  // after a hold closes, so backups must not outlive that period (OWASP ASVS
  // 4.0.3 V8.3.8: old data deleted on a schedule).
  test('backup_deletes_portal_backups_older_than_the_erasure_period', async () => {
    const folder = join(stack.dir, 'backups');
    mkdirSync(folder);
    const first = join(folder, 'portal-first.tar.gz');
    await backup('backup', '--dir', stack.dir, '--out', first);
    const daysAgo = (file, days) => { const t = Date.now() / 1000 - days * 86400; utimesSync(file, t, t); };
    const copy = (name, days) => { const f = join(folder, name); copyFileSync(first, f); daysAgo(f, days); return f; };
    const old = copy('portal-20240101T000000Z.tar.gz', 31);
    const recent = copy('portal-20240201T000000Z.tar.gz', 29);
    const notOurs = join(folder, 'portal-notes.tar.gz');  // a tar.gz that is no portal backup
    writeFileSync(notOurs, 'not a backup');
    daysAgo(notOurs, 40);
    const otherName = copy('kept-by-hand.tar.gz', 40);  // another name: left alone

    const env = { ...process.env };
    delete env.PORTAL_BEDS_ERASE_DAYS;
    const out = await run(BACKUP, ['backup', '--dir', stack.dir, '--out', join(folder, 'portal-second.tar.gz')],
      { timeout: 30000, env });
    assert.match(out.stdout, /deleted backup older than 30 days/);
    assert.ok(!existsSync(old), 'a backup 31 days old is deleted (default: 30 days)');
    for (const f of [recent, notOurs, otherName, first, join(folder, 'portal-second.tar.gz')])
      assert.ok(existsSync(f), `${f} is kept`);

    // the period follows PORTAL_BEDS_ERASE_DAYS, and --keep-days overrides it
    await run(BACKUP, ['backup', '--dir', stack.dir, '--out', join(folder, 'portal-third.tar.gz')],
      { timeout: 30000, env: { ...env, PORTAL_BEDS_ERASE_DAYS: '28' } });
    assert.ok(!existsSync(recent), 'PORTAL_BEDS_ERASE_DAYS=28: a backup 29 days old is deleted');
    daysAgo(first, 3);
    await backup('backup', '--dir', stack.dir, '--out', join(folder, 'portal-fourth.tar.gz'), '--keep-days', '2');
    assert.ok(!existsSync(first), '--keep-days 2: a backup 3 days old is deleted');
    assert.ok(existsSync(notOurs) && existsSync(otherName), 'files that are not portal backups stay');
    assert.deepEqual(readdirSync(folder).filter((f) => f.startsWith('portal-')).sort(),
      ['portal-fourth.tar.gz', 'portal-notes.tar.gz', 'portal-second.tar.gz', 'portal-third.tar.gz']);
    await assert.rejects(backup('backup', '--dir', stack.dir, '--out', join(folder, 'portal-x.tar.gz'), '--keep-days', '0'),
      (e) => /--keep-days/.test(e.stderr));
  });
});
