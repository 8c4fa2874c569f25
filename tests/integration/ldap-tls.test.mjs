// ldap-tls.test.mjs - sign-in over StartTLS with the directory's certificate
// checked: the stack's slapd gets a certificate from a CA made for the run,
// and portal-auth reaches it on ldap://127.0.0.1 with StartTLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, freePort } from './lib/stack.mjs';

let stack, otherCa;
before(async () => {
  stack = await startStack({ PORTAL_STACK_LDAP_TLS_PORT: String(await freePort()) });
  otherCa = mkdtempSync(join(tmpdir(), 'portal-other-ca-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=Some other CA', '-keyout', join(otherCa, 'ca.key'), '-out', join(otherCa, 'ca.pem')],
  { stdio: 'ignore' });
});
after(async () => {
  if (stack) await stack.stop();
  if (otherCa) rmSync(otherCa, { recursive: true, force: true });
});

const login = () => stack.fetch('/api/v1/auth/login', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'responder.police', password: 'Demo-Portal-1' }),
});

test('sign-in works over StartTLS when the certificate checks out', async () => {
  const res = await login();
  assert.equal(res.status, 200);
  assert.equal((await res.json()).user.agency.id, 'met-police');
});

test('a directory certificate from an unknown CA is refused: 503, never a sign-in', async () => {
  await stack.stopService('auth');
  await stack.startService('auth', { PORTAL_LDAP_CA_FILE: join(otherCa, 'ca.pem') });
  try {
    const res = await login();
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.code, 'directory_unavailable');
  } finally {
    await stack.stopService('auth');
    await stack.startService('auth');
  }
  assert.equal((await login()).status, 200, 'with the right CA again, sign-in works');
});
