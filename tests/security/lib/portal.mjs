// portal.mjs - helpers for the security regression suite (tests/security/):
// staff of any role and agency added to the test stack's own directory, the
// modules' route tables read from their C source, requests as anyone with
// or without a CSRF token, a snapshot of everything in Redis, forged JWTs,
// and the check that a value appears in a page only HTML-escaped.
// The stack itself comes from tests/integration/lib/stack.mjs.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../integration/lib/stack.mjs';

// The demo sign-ins (tests/stack/demo-directory.ldif): one role each.
export const DEMO_USERS = ['responder.police', 'responder.council', 'responder.health', 'ngo.a', 'ngo.b', 'trainer', 'coordinator'];

// The role groups of the demo directory, by role.
const GROUPS = { responder: 'responders', ngo: 'ngo', trainer: 'trainers', coordinator: 'coordinators' };

// Add people to the stack's slapd in one ldapadd: each
// { uid, role: 'responder'|'ngo'|'trainer'|'coordinator', agency, agencyName,
//   type: 'police'|'local_authority'|'health'|'ngo'|'other', name }.
// Password: Demo-Portal-1.
export async function addPeople(stack, people) {
  let ldif = '';
  for (const p of people) {
    ldif += `dn: uid=${p.uid},ou=people,dc=portal,dc=example\nobjectClass: inetOrgPerson\nuid: ${p.uid}\n` +
      `cn: ${p.name}\nsn: ${p.uid}\ndisplayName: ${p.name}\ndepartmentNumber: ${p.agency}\n` +
      `o: ${p.agencyName || p.agency}\nbusinessCategory: ${p.type || 'other'}\nuserPassword: Demo-Portal-1\n\n`;
  }
  for (const [role, group] of Object.entries(GROUPS)) {
    const members = people.filter((p) => p.role === role);
    if (!members.length) continue;
    ldif += `dn: cn=${group},ou=groups,dc=portal,dc=example\nchangetype: modify\nadd: member\n` +
      members.map((p) => `member: uid=${p.uid},ou=people,dc=portal,dc=example\n`).join('') + '-\n\n';
  }
  const sock = encodeURIComponent(join(stack.dir, 'sock', 'ldapi'));
  const child = execFile('ldapadd', ['-H', `ldapi://${sock}`, '-x', '-D', 'cn=admin,dc=portal,dc=example',
    '-y', join(stack.dir, 'ldap', 'admin.password')]);
  const done = new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ldapadd: ${code} ${err}`))));
  });
  child.stdin.end(ldif);
  await done;
}

// Every route of every module, read from the route tables in
// modules/*/main.c (and the module's other .c files): [{ module, method, path, roles }],
// one entry for each side (page, API) a route line has.  The suite checks
// its own tables against this list, so a route added to a module without
// a line in the security tables fails the suite.
export function moduleRoutes() {
  const out = [];
  const dir = join(ROOT, 'modules');
  for (const module of readdirSync(dir)) {
    let src;
    try {
      // main.c holds the table; the other .c files too, should it move
      src = readdirSync(join(dir, module)).filter((f) => f.endsWith('.c')).sort((a, b) => (a === 'main.c' ? -1 : b === 'main.c' ? 1 : 0))
        .map((f) => readFileSync(join(dir, module, f), 'utf8')).join('\n');
    } catch { continue; }
    // string macros (#define API "/api/v1/training"), for paths written as API "/courses"
    const macros = Object.fromEntries([...src.matchAll(/^#define\s+(\w+)\s+"([^"]*)"\s*$/gm)].map((m) => [m[1], m[2]]));
    // a route line: { page, api, handler, roles, ... } where each side is
    // { "METHOD", path } or PORTAL_NONE (or a macro naming it)
    const side = '(\\{\\s*"(?:GET|POST|PUT|DELETE|PATCH|HEAD)",\\s*(?:(?:"[^"]*"|\\w+)\\s*)+\\}|\\w+)';
    const re = new RegExp(`\\{\\s*${side},\\s*${side},\\s*(\\w+),\\s*([^,]+),`, 'g');
    const one = /^\{\s*"(\w+)",\s*((?:(?:"[^"]*"|\w+)\s*)+)\}$/;
    for (const m of src.matchAll(re)) {
      for (const s of [m[1], m[2]]) {
        const e = one.exec(s);
        if (!e) continue;   // PORTAL_NONE: the route has no such side
        const path = [...e[2].matchAll(/"([^"]*)"|(\w+)/g)].map((t) => (t[1] !== undefined ? t[1] : macros[t[2]] ?? `?${t[2]}?`)).join('');
        out.push({ module, method: e[1], path, handler: m[3], roles: m[4].trim() });
      }
    }
  }
  return out;
}

// A request as `who` ({cookie, csrf} from stack.signIn, a {bearer} token,
// or null for nobody).  `body`: an object, sent as JSON under /api/ and as
// a urlencoded form elsewhere (array values repeat the field), as a browser
// posts a page's form.  `csrf`: 'right' (default), 'none', or a string to
// send instead of the session's token.  Returns {status, text, body, headers}.
export async function send(stack, who, method, path, body, { csrf = 'right', headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  const isApi = path.startsWith('/api/');
  const token = csrf === 'right' ? who?.csrf : csrf === 'none' ? null : csrf;
  if (who?.cookie) init.headers.cookie = who.cookie;
  if (who?.bearer) init.headers.authorization = `Bearer ${who.bearer}`;
  if (method !== 'GET' && method !== 'HEAD') {
    if (isApi) {
      if (token != null) init.headers['x-csrf-token'] = token;
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body ?? {});
    } else {
      const form = new URLSearchParams();
      if (token != null) form.append('csrf_token', token);
      for (const [k, v] of Object.entries(body ?? {})) for (const x of Array.isArray(v) ? v : [v]) form.append(k, String(x));
      init.headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = form.toString();
    }
  }
  const res = await stack.fetch(path, init);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* a page or a file */ }
  return { status: res.status, text, body: json, headers: res.headers };
}

// Lua: every key but the ones matching the skip patterns, with its type and
// value, as one JSON text (sets and hashes sorted on the JS side).
const SNAPSHOT_LUA = `
local out = {}
for _, k in ipairs(redis.call('KEYS', '*')) do
  local skip = false
  for i = 1, #ARGV do if string.match(k, ARGV[i]) then skip = true end end
  if not skip then
    local t = redis.call('TYPE', k)['ok']
    local v
    if t == 'string' then v = redis.call('GET', k)
    elseif t == 'hash' then v = redis.call('HGETALL', k)
    elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1)
    elseif t == 'set' then v = redis.call('SMEMBERS', k)
    elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
    elseif t == 'stream' then v = redis.call('XRANGE', k, '-', '+')
    else v = t end
    table.insert(out, {k, t, v})
  end
end
return cjson.encode(out)`;

// Keys that change on every request and say nothing about the data: the
// sessions (last-seen time), the audit stream (refusals are audited).
export const VOLATILE_KEYS = ['^portal:session:', '^portal:audit$'];

// Everything in Redis but `skip` (Lua patterns) as a Map key -> canonical
// JSON of its value.
export async function redisSnapshot(stack, skip = VOLATILE_KEYS) {
  const raw = await stack.redis('EVAL', SNAPSHOT_LUA, '0', ...skip);
  const map = new Map();
  for (const [k, t, v] of JSON.parse(raw)) {
    let val = v;
    if (t === 'set') val = [...v].sort();
    else if (t === 'hash') {
      const pairs = [];
      for (let i = 0; i < v.length; i += 2) pairs.push([v[i], v[i + 1]]);
      val = pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    }
    map.set(k, `${t}:${JSON.stringify(val)}`);
  }
  return map;
}

// The keys whose value differs between two snapshots (added, removed, changed).
export function snapshotDiff(a, b) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

// Wait until nothing in Redis changes by itself: two snapshots `quietMs`
// apart are equal (the masters' housekeeping - erasure, the cases trends'
// and monitoring's reading of events - and the notify worker write with no
// request).  The stack should run with PORTAL_HOUSEKEEPING_MAX_SECONDS well
// under quietMs.  Returns the snapshot; fails naming the keys still moving
// after limitMs.
export async function settled(stack, { quietMs = 3000, limitMs = 45000 } = {}) {
  const end = Date.now() + limitMs;
  let a = await redisSnapshot(stack);
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const b = await redisSnapshot(stack);
    const moved = snapshotDiff(a, b);
    if (moved.length === 0) return b;
    if (Date.now() > end) throw new Error(`Redis did not settle within ${limitMs} ms: still changing ${moved.join(', ')}`);
    a = b;
  }
}

// Every value in Redis (all keys, volatile ones too) as one text, for
// "this must never be stored" checks.
export async function redisText(stack) {
  return [...(await redisSnapshot(stack, []))].map(([k, v]) => `${k} ${v}`).join('\n');
}

// A JWT from `header` and `payload`: signed with HMAC over `key` (`hash`:
// sha256, sha384, sha512), or with `signature` given as is.
export function jwt(header, payload, key, { hash = 'sha256', signature } = {}) {
  const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const head = `${b64(header)}.${b64(payload)}`;
  if (signature !== undefined) return `${head}.${signature}`;
  return `${head}.${createHmac(hash, key).update(head).digest('base64url')}`;
}

// The claims of a JWT (not verified).
export function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
}

// The stored-XSS probe: a marker (so a page can be searched for it), then a
// script element, a quote break out of an attribute, and an event handler.
export const XSS_TAIL = '<script>alert(1)</script>"\'><img src=x onerror=alert(1)>';
// For fields of 40 characters or less: the quote break and an event handler.
export const XSS_SHORT = '"\'><svg onload=alert(1)>';

const NAMED = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&', equals: '=', sol: '/', lpar: '(', rpar: ')' };
const MUST_ESCAPE = new Set(['<', '>', '"', "'", '&']);

// The character an entity at text[i] (starting with '&') stands for, and its
// length; or null.
function entityAt(text, i) {
  const m = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(text.slice(i, i + 12));
  if (!m) return null;
  const e = m[1];
  const ch = e[0] !== '#' ? NAMED[e.toLowerCase()]
    : String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  return ch === undefined ? null : { ch, len: m[0].length };
}

// How the occurrence of `payload` at html[i] is written: 'escaped' (HTML
// entities for every <, >, ", ', &; any other character as is or as an
// entity), 'url' (percent-encoded, as in a link's query), or 'raw' for
// anything else (the start of what follows is kept for the message).
function occurrence(html, i, payload) {
  let j = i;
  let ok = true;
  for (const c of payload) {
    if (html[j] === '\\') j += html[j + 1] === '\\' ? 2 : 1;  // a JSON text shown in the page escapes " as \"
    if (html[j] === '&') {
      const e = entityAt(html, j);
      if (e && e.ch === c) { j += e.len; continue; }
    }
    if (html[j] === c && !MUST_ESCAPE.has(c)) { j += 1; continue; }
    ok = false;
    break;
  }
  if (ok) return 'escaped';
  const rest = html.slice(i, i + payload.length * 3);
  const enc = encodeURIComponent(payload);
  if (rest.startsWith(enc) || rest.startsWith(enc.replaceAll('%20', '+'))) return 'url';
  return 'raw';
}

// Check that page `html` shows `payload` (which starts with a unique
// marker) only escaped: every occurrence of the marker is followed by the
// escaped payload (or its percent-encoding), and the raw script and event
// handler are nowhere in the page.  Returns how many escaped occurrences
// there were; throws with the surrounding text otherwise.
export function escapedOccurrences(html, payload, marker, where) {
  let n = 0;
  for (let i = html.indexOf(marker); i >= 0; i = html.indexOf(marker, i + 1)) {
    const how = occurrence(html, i, payload);
    if (how === 'raw') {
      throw new Error(`${where}: ${marker} is not escaped: ${JSON.stringify(html.slice(Math.max(0, i - 40), i + payload.length + 40))}`);
    }
    if (how === 'escaped') n++;
  }
  for (const bad of ['<script>alert(1)', '<img src=x', '<svg onload']) {
    if (html.includes(bad)) {
      const at = html.indexOf(bad);
      throw new Error(`${where}: raw ${bad} in the page: ${JSON.stringify(html.slice(Math.max(0, at - 60), at + 60))}`);
    }
  }
  return n;
}
