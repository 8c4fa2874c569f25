// redis.mjs - what the Lua tests need of Redis: a redis-server of their own
// in a temporary folder (unix socket only, no persistence), a minimal RESP
// client, and each script's text exactly as the build embeds it
// (portal-embed --lua-source).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Parse one RESP value from buf at offset i: [value, next offset] or null
// when more bytes are needed.  An error reply becomes an Error object.
function parse(buf, i) {
  const eol = buf.indexOf('\r\n', i);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[i]);
  const line = buf.toString('utf8', i + 1, eol);
  const next = eol + 2;
  if (type === '+') return [line, next];
  if (type === '-') return [new Error(line), next];
  if (type === ':') return [Number(line), next];
  if (type === '$') {
    const len = Number(line);
    if (len < 0) return [null, next];
    if (buf.length < next + len + 2) return null;
    return [buf.toString('utf8', next, next + len), next + len + 2];
  }
  if (type === '*') {
    const n = Number(line);
    if (n < 0) return [null, next];
    const out = [];
    let at = next;
    for (let k = 0; k < n; k++) {
      const r = parse(buf, at);
      if (!r) return null;
      out.push(r[0]);
      at = r[1];
    }
    return [out, at];
  }
  throw new Error(`unexpected RESP type ${type}`);
}

// A connection: call(...args) resolves to the reply (rejects on an error reply).
export async function connect(socket) {
  const conn = createConnection(socket);
  await new Promise((ok, fail) => { conn.once('connect', ok); conn.once('error', fail); });
  let buf = Buffer.alloc(0);
  const waiting = [];
  conn.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const r = parse(buf, 0);
      if (!r) break;
      buf = buf.subarray(r[1]);
      const w = waiting.shift();
      if (r[0] instanceof Error) w.fail(r[0]); else w.ok(r[0]);
    }
  });
  return {
    call(...args) {
      const parts = [`*${args.length}\r\n`];
      for (const a of args) {
        const s = Buffer.from(String(a));
        parts.push(`$${s.length}\r\n`, s, '\r\n');
      }
      conn.write(Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)))));
      return new Promise((ok, fail) => waiting.push({ ok, fail }));
    },
    close() { conn.end(); },
  };
}

// Start redis-server on a unix socket in a new temporary folder.  Returns
// { socket, stop() }; stop() ends only the process started here.
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-lua-'));
  const socket = join(dir, 'r.sock');
  const proc = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '',
    '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50);
  if (!existsSync(socket)) throw new Error('redis-server did not start');
  return {
    socket,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((ok) => (proc.exitCode !== null ? ok() : proc.once('exit', ok)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const COMMON_PRELUDE = new URL('../../../common/lua/lib.lua', import.meta.url).pathname;

// The text of modules/MODULE/lua/NAME.lua as the build embeds it (the
// common prelude, the module's lua/lib.lua, the script).
export function scriptSource(module, name) {
  const embed = process.env.PORTAL_EMBED;
  if (!embed) throw new Error('set PORTAL_EMBED to the build\'s portal-embed (make lua does)');
  const dir = new URL(`../../../modules/${module}/lua/`, import.meta.url).pathname;
  const preludes = [COMMON_PRELUDE, join(dir, 'lib.lua')].filter((f) => existsSync(f));
  return execFileSync(embed, ['--lua-source', ...preludes, join(dir, `${name}.lua`)]).toString();
}

// The text of the Lua file at `path` as the build would embed it after the
// common prelude alone (the prelude's own tests).
export function preludeSource(path) {
  const embed = process.env.PORTAL_EMBED;
  if (!embed) throw new Error('set PORTAL_EMBED to the build\'s portal-embed (make lua does)');
  return execFileSync(embed, ['--lua-source', COMMON_PRELUDE, path]).toString();
}

// A flat answer {status, name, value, ...} as { status, fields }; the
// values of a name that comes more than once are joined in order (the
// pieces of one text, as C joins them: portal_run_join).
export function answer(reply) {
  const fields = {};
  for (let i = 1; i + 1 < reply.length; i += 2) fields[reply[i]] = (fields[reply[i]] ?? '') + reply[i + 1];
  return { status: reply[0], fields };
}

// A redis-server of the test file's own, through node:test's hooks
// ({ before, after, beforeEach }): started before the first test, emptied
// before each, stopped after the last.  Returns { r }: r is the connection
// once the tests run.
export function redisPerFile({ before, after, beforeEach }) {
  const out = {};
  let server;
  before(async () => { server = await startRedis(); out.r = await connect(server.socket); });
  after(async () => { out.r.close(); await server.stop(); });
  beforeEach(async () => { await out.r.call('FLUSHALL'); });
  return out;
}
