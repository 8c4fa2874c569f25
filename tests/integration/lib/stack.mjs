// stack.mjs - boot the real portal stack (Redis, slapd, modules, nginx) on a
// free loopback port in a temporary folder, for the integration tests.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seeAnswer } from './answers.mjs';

const run = promisify(execFile);
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const STACK = join(ROOT, 'tests', 'stack', 'stack.sh');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Start a stack; `env` adds PORTAL_* settings for the modules.
export async function startStack(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'portal-it-'));
  const port = await freePort();
  const bin = process.env.PORTAL_BIN || join(ROOT, 'build');
  // sign-in limits per address (nginx's flood limit, the portal's failed
  // sign-ins): high, since every test signs in from 127.0.0.1
  const opts = { env: { PORTAL_SIGNIN_RATE: '10000r/s', PORTAL_SIGNIN_BURST: '1000',
    PORTAL_SIGNIN_ADDRESS_MAX_FAILURES: '100000', ...process.env, ...env }, timeout: 60000 };
  const args = ['--dir', dir, '--port', String(port), '--bin', bin];
  try {
    await run(STACK, ['start', ...args], opts);
  } catch (e) {
    await run(STACK, ['stop', '--dir', dir], opts).catch(() => {});
    throw new Error(`stack did not start: ${e.stderr || e.message}`);
  }
  const stack = {
    dir,
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await run(STACK, ['stop', '--dir', dir], opts);
      rmSync(dir, { recursive: true, force: true });
    },
    async stopService(name) { await run(STACK, ['stop-service', name, ...args], opts); },
    async startService(name, extraEnv = {}) {
      await run(STACK, ['start-service', name, ...args], { ...opts, env: { ...opts.env, ...extraEnv } });
    },
    pid(name) { return Number(readFileSync(join(dir, 'pids', `${name}.pid`), 'utf8')); },
    // the worker processes of a module's master
    workers(name) {
      const master = stack.pid(name);
      return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master;
        } catch { return false; }
      }).map(Number);
    },
    log(name) { return readFileSync(join(dir, 'logs', `${name}.log`), 'utf8'); },
    jwtKey() { return readFileSync(join(dir, 'secrets', 'jwt.key')); },
    async redis(...args) {
      const { stdout } = await run('redis-cli', ['-s', join(dir, 'sock', 'redis.sock'), '--raw', ...args]);
      return stdout;
    },
    // sign in through the API; returns { cookie, csrf, body }
    async signIn(username, password = 'Demo-Portal-1') {
      const res = await stack.fetch('/api/v1/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
      const setCookie = res.headers.get('set-cookie');
      const body = await res.json();
      return { cookie: setCookie.split(';')[0], csrf: body.csrf_token, body, setCookie };
    },
    // fetch relative to the stack, never following redirects
    async fetch(path, init = {}) {
      const res = await fetch(stack.url + path, { redirect: 'manual', ...init });
      await seeAnswer(init.method || 'GET', stack.url + path, res);
      return res;
    },
  };
  return stack;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The fetch options of a JSON API call as `who` ({cookie, csrf}, or null):
// the cookie, the CSRF header on anything but GET, and `body` as JSON.
export function apiInit(who, method, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (who) {
    init.headers.cookie = who.cookie;
    if (method !== 'GET') init.headers['x-csrf-token'] = who.csrf;
  }
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return init;
}

// The security headers every response must carry (nginx adds them).
export function assertSecurityHeaders(assert, res) {
  const csp = res.headers.get('content-security-policy') || '';
  assert.match(csp, /default-src 'self'/, 'CSP default-src self');
  assert.match(csp, /frame-ancestors 'none'/, 'CSP frame-ancestors none');
  assert.doesNotMatch(csp, /unsafe-inline/, 'no inline script allowed');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(res.headers.get('referrer-policy'), 'Referrer-Policy set');
  assert.equal(res.headers.get('server'), 'nginx', 'no nginx version');
}
