// training.mjs - helpers for the training integration tests: many staff
// users in the test stack's own directory, signed in through the API, and
// sessions created as the coordinator.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Add `count` First Responders named `${prefix}1..N` to the stack's slapd,
// with agency types taken in turn from `types` (one ldapadd call: the
// entries, then one modify of cn=responders).  Returns their usernames and
// types.  Password: Demo-Portal-1.
export async function addResponders(stack, prefix, count, types = ['police']) {
  const people = [];
  let ldif = '';
  for (let i = 1; i <= count; i++) {
    const uid = `${prefix}${i}`;
    const type = types[(i - 1) % types.length];
    people.push({ username: uid, type });
    ldif += `dn: uid=${uid},ou=people,dc=portal,dc=example\nobjectClass: inetOrgPerson\nuid: ${uid}\n` +
      `cn: Test Person ${uid}\nsn: ${uid}\ndisplayName: Test Person ${uid}\ndepartmentNumber: agency-${type}\n` +
      `o: Test agency ${type}\nbusinessCategory: ${type}\nuserPassword: Demo-Portal-1\n\n`;
  }
  ldif += 'dn: cn=responders,ou=groups,dc=portal,dc=example\nchangetype: modify\nadd: member\n';
  for (const p of people) ldif += `member: uid=${p.username},ou=people,dc=portal,dc=example\n`;
  const sock = encodeURIComponent(join(stack.dir, 'sock', 'ldapi'));
  const child = execFile('ldapadd', ['-H', `ldapi://${sock}`, '-x', '-D', 'cn=admin,dc=portal,dc=example',
    '-y', join(stack.dir, 'ldap', 'admin.password')]);
  const done = new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ldapadd: ${code} ${err}`))));
  });
  child.stdin.end(ldif);
  await done;
  return people;
}

// Sign one person in, waiting and trying again when nginx's sign-in limit
// (burst 10) answers 429.
async function signInPatiently(stack, username) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await stack.signIn(username);
    } catch (e) {
      if (!/: 429 /.test(e.message) || attempt > 50) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

// Sign each person in (a few at a time); returns them with cookie and csrf.
export async function signInAll(stack, people, parallel = 8) {
  const out = [];
  for (let i = 0; i < people.length; i += parallel) {
    const batch = await Promise.all(people.slice(i, i + parallel).map(async (p) => ({ ...p, ...(await signInPatiently(stack, p.username)) })));
    out.push(...batch);
  }
  return out;
}

// JSON request with a signed-in person's cookie and CSRF token.
export function api(stack, who, method, path, body) {
  const headers = { cookie: who.cookie, 'x-csrf-token': who.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return stack.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

// An RFC 3339 time `days` days (and `hours` hours) from now, in UTC.
export function fromNow(days, hours = 0) {
  const t = new Date(Date.now() + days * 86400e3 + hours * 3600e3);
  t.setUTCMilliseconds(0);
  return t.toISOString().replace('.000Z', 'Z');
}

// Create a session of course `courseId` as `who`; returns the session.
export async function createSession(stack, who, fields) {
  const res = await api(stack, who, 'POST', '/api/v1/training/sessions', {
    course_id: 1, starts_at: fromNow(30), ends_at: fromNow(30, 3), venue: 'Test room', capacity: 10, ...fields,
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${JSON.stringify(body)}`);
  return body.session;
}

// Move a session's times (for tests of what happens near and after the
// start): sets starts_at / ends_at / booking_closes_at in Redis directly,
// with the indexes by start (every session, the course's) and the closing
// time its stored view reads (views:meta), so lists, reports and "can it be
// booked" follow.  The view's time texts (RFC 3339, in words) keep the
// times it was created with: tests that move a session do not read them.
export async function moveSession(stack, id, startsAt, endsAt, closesAt = startsAt) {
  const s = (d) => String(Math.floor(d.getTime() / 1000));
  const key = `portal:{training}:session:${id}`;
  await stack.redis('HSET', key, 'starts_at', s(startsAt), 'ends_at', s(endsAt), 'booking_closes_at', s(closesAt));
  await stack.redis('ZADD', 'portal:{training}:sessions', s(startsAt), String(id));
  const course = (await stack.redis('HGET', key, 'course_id')).trim();
  if (course) await stack.redis('ZADD', `portal:{training}:course-sessions:${course}`, s(startsAt), String(id));
  const meta = (await stack.redis('HGET', 'portal:{training}:views:meta', String(id))).replace(/\n$/, '');
  if (meta) await stack.redis('HSET', 'portal:{training}:views:meta', String(id), meta.replace(/^-?\d+/, s(closesAt)));
}

// POST a page's form as `who`: urlencoded, the CSRF token as a hidden field
// the way a browser sends it, redirects not followed.
export function postForm(stack, who, path, fields) {
  const body = new URLSearchParams({ csrf_token: who.csrf, ...fields });
  return stack.fetch(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

// GET a page as `who`.
export function getPage(stack, who, path) {
  return stack.fetch(path, { headers: { cookie: who.cookie } });
}

// The date and time fields of a session form (`${name}_day`, _month, _year,
// _time) for the London wall-clock time given as numbers.
export function timeFields(name, year, month, day, time) {
  return { [`${name}_day`]: String(day), [`${name}_month`]: String(month), [`${name}_year`]: String(year), [`${name}_time`]: time };
}
