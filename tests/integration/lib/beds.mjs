// beds.mjs - helpers for the beds tests: many responders in the test
// stack's own directory, and small API calls.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiInit } from './stack.mjs';

const run = promisify(execFile);

// Add `n` responders (uid PREFIX1..PREFIXn, password Demo-Portal-1) to the
// stack's slapd with one ldapadd, and make them members of the responders group.
export async function addResponders(stack, n, prefix = 'bulk.responder') {
  const sock = join(stack.dir, 'sock', 'ldapi');
  const url = 'ldapi://' + sock.replaceAll('/', '%2F');
  const uids = Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  let ldif = '';
  for (const uid of uids) {
    ldif += `dn: uid=${uid},ou=people,dc=portal,dc=example\nobjectClass: inetOrgPerson\nuid: ${uid}\n` +
      `cn: ${uid}\nsn: Responder\ndisplayName: Test ${uid}\ndepartmentNumber: met-police\n` +
      `o: Metropolitan Police Service\nbusinessCategory: police\nuserPassword: Demo-Portal-1\n\n`;
  }
  ldif += 'dn: cn=responders,ou=groups,dc=portal,dc=example\nchangetype: modify\nadd: member\n' +
    uids.map((u) => `member: uid=${u},ou=people,dc=portal,dc=example`).join('\n') + '\n-\n';
  const child = execFile('ldapadd', ['-x', '-H', url, '-D', 'cn=admin,dc=portal,dc=example',
    '-y', join(stack.dir, 'ldap', 'admin.password')]);
  const done = new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ldapadd: ${code} ${err}`))));
  });
  child.stdin.end(ldif);
  await done;
  return uids;
}

// A JSON API call as `who` ({cookie, csrf}); returns {status, body, headers}.
export async function api(stack, who, method, path, body, headers = {}) {
  const res = await stack.fetch(path, apiInit(who, method, body, headers));
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text, headers: res.headers };
}

// A page form post as `who` ({cookie, csrf}), urlencoded as a browser sends
// it, with the hidden csrf_token field; `fields` is an object whose array
// values repeat the field.  Returns {status, text, location}.
export async function form(stack, who, path, fields) {
  const body = new URLSearchParams({ csrf_token: who.csrf });
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) body.append(k, String(x));
  }
  const res = await stack.fetch(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

// A page as `who`: {status, text}.
export async function page(stack, who, path) {
  const res = await stack.fetch(path, { headers: { cookie: who.cookie } });
  return { status: res.status, text: await res.text() };
}

// The value attribute of the input with id `id` in page `html`, or null.
export function inputValue(html, id) {
  const m = html.match(new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`));
  if (!m) return null;
  const v = m[0].match(/\bvalue="([^"]*)"/);
  return v ? v[1] : null;
}

// 1 when the checkbox with id `id` in `html` is ticked.
export function isChecked(html, id) {
  const m = html.match(new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`));
  return Boolean(m && /\schecked\b/.test(m[0]));
}

// The value of the selected option of <select id=`id`>, or null.
export function selectedOption(html, id) {
  const sel = html.match(new RegExp(`<select[^>]*\\bid="${id}"[\\s\\S]*?</select>`));
  const m = sel && sel[0].match(/<option value="([^"]*)" selected>/);
  return m ? m[1] : null;
}

// Every key anywhere in a JSON value (for "no address field" checks).
export function allKeys(v, out = []) {
  if (Array.isArray(v)) v.forEach((x) => allKeys(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); allKeys(x, out); }
  return out;
}

export const run_ = run;
