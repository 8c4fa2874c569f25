// notify-settings.test.mjs - portal-notify's production configuration
// refuses the demo stacks' settings, as the modules refuse the demo
// (`portal-notify --check`, no stack needed): PORTAL_DEMO, the demo
// directory's service password, a From at localhost, a PORTAL_PUBLIC_URL
// that is not https:// or names this machine; a real configuration passes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/stack.mjs';

const BIN = join(process.env.PORTAL_BIN || join(ROOT, 'build'), 'portal-notify');
let dir;
let real;
let demo;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'portal-notify-settings-'));
  real = join(dir, 'real.password');
  demo = join(dir, 'demo.password');
  writeFileSync(real, 'a-real-service-password-7', { mode: 0o600 });
  writeFileSync(demo, readFileSync(join(ROOT, 'tests', 'stack', 'demo-service.password')), { mode: 0o600 });
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const GOOD = {
  PORTAL_ENV: 'production',
  PORTAL_MAIL_FROM: 'London Anti-Slavery Partnership <portal@partners.example.org>',
  PORTAL_PUBLIC_URL: 'https://portal.example.org',
};

function check(env) {
  const r = spawnSync(BIN, ['--check'], { env: { PORTAL_LDAP_BIND_PASSWORD_FILE: real, ...GOOD, ...env }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('a production configuration of its own passes --check', () => {
  const r = check({});
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /configuration and templates are valid/);
});

test('production refuses the demo stacks\' settings, saying what to set', () => {
  const cases = [
    [{ PORTAL_DEMO: '1' }, /PORTAL_DEMO=1 is refused/],
    [{ PORTAL_LDAP_BIND_PASSWORD_FILE: demo }, /demo directory's service password/],
    [{ PORTAL_MAIL_FROM: 'London Anti-Slavery Partner Portal <portal@localhost>' }, /PORTAL_MAIL_FROM is the demo's address/],
    [{ PORTAL_MAIL_FROM: 'portal@mail.localhost' }, /PORTAL_MAIL_FROM is the demo's address/],
    [{ PORTAL_MAIL_FROM: '' }, /PORTAL_MAIL_FROM is the demo's address/],   // empty: the default, the demo's
    [{ PORTAL_PUBLIC_URL: 'http://portal.example.org' }, /must start https:\/\/ in production/],
    [{ PORTAL_PUBLIC_URL: 'https://127.0.0.1:8080' }, /PORTAL_PUBLIC_URL names this machine \(127\.0\.0\.1\)/],
    [{ PORTAL_PUBLIC_URL: 'https://localhost/' }, /PORTAL_PUBLIC_URL names this machine \(localhost\)/],
  ];
  for (const [env, why] of cases) {
    const r = check(env);
    assert.equal(r.status, 2, `${JSON.stringify(env)}: ${r.out}`);
    assert.match(r.out, why);
  }
});

test('development takes the demo stacks\' settings', () => {
  const r = check({ PORTAL_ENV: 'development', PORTAL_DEMO: '1', PORTAL_LDAP_BIND_PASSWORD_FILE: demo,
    PORTAL_MAIL_FROM: 'London Anti-Slavery Partner Portal <portal@localhost>', PORTAL_PUBLIC_URL: 'http://127.0.0.1:8080' });
  assert.equal(r.status, 0, r.out);
});
