// access.test.mjs - access control over the real stack (OWASP ASVS 4.0.3
// V4.1.x, V4.2.1): every route that names a record by id, tried as every
// other agency and every wrong role (and as nobody), is refused with 403 or
// 404, never 2xx, and the answer never holds another party's secret (a
// hold's case reference or call-back phone, who booked a place, a proposed
// change, a suggestion).  Lists and reports never show those secrets to
// anyone outside their party.  The matrix is built from lib/routes.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../integration/lib/stack.mjs';
import { moduleRoutes, send } from './lib/portal.mjs';
import { makeWorld, ACTORS, SECRET_OWNERS } from './lib/world.mjs';
import { ID_ROUTES, LIST_ROUTES, CREATE_ROUTES, PUBLIC_STATE_ROUTES, fill, fillBody } from './lib/routes.mjs';

let stack, world;
before(async () => {
  stack = await startStack();
  world = await makeWorld(stack);
});
after(async () => { if (stack) await stack.stop(); });

// The secrets of the world found in `text` (by name), but those of `actor`
// itself (a person sees their own name and their own hold).
function leaked(text, actor) {
  return Object.entries(world.secrets).filter(([k, v]) => SECRET_OWNERS[k] !== actor && text.includes(v)).map(([k]) => k);
}

const key = (row) => `${row.method} ${row.path.replace(/\?.*/, '')}`;

test('V4.1.1 the security route table names every route of the modules that has an id or changes state', () => {
  const ours = new Set([...ID_ROUTES, ...CREATE_ROUTES].map(key).concat(PUBLIC_STATE_ROUTES));
  const missing = moduleRoutes().filter((r) => r.path.includes('{') || r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`).filter((k) => !ours.has(k));
  assert.deepEqual(missing, [], 'add these routes to tests/security/lib/routes.mjs');
  const stale = [...ID_ROUTES, ...CREATE_ROUTES].map(key).filter((k) => !moduleRoutes().some((r) => `${r.method} ${r.path}` === k));
  assert.deepEqual(stale, [], 'routes in the security table that no module has');
});

for (const row of ID_ROUTES) {
  const denied = ACTORS.filter((a) => !row.allow.includes(a));
  test(`V4.2.1 V4.1.3 ${row.method} ${row.path}: refused (403/404, no secret) to ${denied.length} others`, async () => {
    const path = fill(row.path, row, world.ids);
    const failures = [];
    for (const actor of denied) {
      const r = await send(stack, world.as[actor], row.method, path, fillBody(row, world.ids));
      const want = actor === 'anonymous' ? [401, 303] : [403, 404];
      if (!want.includes(r.status)) failures.push(`${actor}: ${r.status} ${r.text.slice(0, 160)}`);
      if (actor === 'anonymous' && r.status === 303 && !/^\/login\?next=/.test(r.headers.get('location') || '')) {
        failures.push(`${actor}: 303 to ${r.headers.get('location')}`);
      }
      const l = leaked(r.text, actor);
      if (l.length) failures.push(`${actor}: the answer holds ${l.join(', ')}`);
    }
    assert.deepEqual(failures, []);
    // control: the record is there and the route answers its own party
    if (row.method === 'GET') {
      const r = await send(stack, world.as[row.allow[0]], 'GET', path);
      assert.equal(r.status, 200, `${row.allow[0]} (allowed) gets ${r.status}: ${r.text.slice(0, 200)}`);
    }
  });
}

for (const row of LIST_ROUTES) {
  const others = ACTORS.filter((a) => !row.allow.includes(a));
  test(`V4.2.1 V8.2.x ${row.method} ${row.path}: no other party's secret in the answer for ${others.length} others`, async () => {
    const path = fill(row.path, row, { ...world.ids, secret_change: world.secrets.change });
    const failures = [];
    for (const actor of others) {
      const r = await send(stack, world.as[actor], row.method, path);
      if (r.status >= 500) failures.push(`${actor}: ${r.status}`);
      const l = leaked(r.text, actor);
      if (l.length) failures.push(`${actor}: ${r.status} holds ${l.join(', ')}`);
    }
    assert.deepEqual(failures, []);
  });
}

test('V4.2.1 control: each secret is shown to its own party, so the checks above can see a leak', async () => {
  const { as, ids, secrets } = world;
  const hold = await send(stack, as['responder.police'], 'GET', `/api/v1/beds/holds/${ids.hold}`);
  assert.equal(hold.body.hold.reference, secrets.reference);
  assert.equal(hold.body.hold.callback_phone, secrets.phone);
  assert.ok((await send(stack, as['ngo.a'], 'GET', `/beds/holds/${ids.hold}`)).text.includes(secrets.reference));
  const roster = await send(stack, as.trainer, 'GET', `/training/sessions/${ids.session}/roster`);
  assert.ok(roster.text.includes(secrets.bookerName) || roster.text.includes(secrets.booker), 'the roster names the booker');
  const mine = await send(stack, as['sec.booker'], 'GET', `/api/v1/training/bookings/${ids.booking}`);
  assert.equal(mine.status, 200);
  const changes = await send(stack, as['ngo.a'], 'GET', '/api/v1/directory/changes');
  assert.ok(changes.text.includes(secrets.change));
  const sugg = await send(stack, as['ngo.a'], 'GET', '/api/v1/directory/suggestions');
  assert.ok(sugg.text.includes(secrets.suggestion));
  const shared = await send(stack, as['responder.police'], 'GET', `/api/v1/cases/${ids.case}`);
  assert.equal(shared.body.case.reference, secrets.caseReference);
});

test('V4.2.1 a record id that does not exist, or is not an id, is 404 for everyone, never 2xx or 5xx', async () => {
  const failures = [];
  const bogus = ['999999', '0', '-1', '1e3', '00000000-0000-4000-8000-000000000000', '..%2F..%2Fetc', '%00', 'x'.repeat(300)];
  for (const row of ID_ROUTES.filter((x) => x.method === 'GET')) {
    for (const id of bogus) {
      const path = row.path.replace(/\{id\}/, id).replace(/\{booking_id\}/, id);
      const r = await send(stack, world.as.coordinator, 'GET', path);
      if (r.status < 400 || r.status >= 500) failures.push(`${path}: ${r.status}`);
    }
  }
  assert.deepEqual(failures, []);
});

// Last, as it changes the world: each state-changing route answers its own
// party (2xx, a 303 after a form, or 409 when an earlier request of this
// test already changed the record), so the refusals above were not a
// wrong path, a wrong id or a body no one could send.
test('V4.1.3 control: every state-changing route with an id works for its own party', async () => {
  const failures = [];
  const rows = ID_ROUTES.filter((x) => x.method !== 'GET');
  // the ones that end a record go last
  const ending = /\/(cancel|accept|decline|approve|reject|close)$|^DELETE/;
  const ordered = [...rows.filter((x) => !ending.test(`${x.method} ${x.path}`) && !ending.test(x.path)),
    ...rows.filter((x) => ending.test(`${x.method} ${x.path}`) || ending.test(x.path))];
  for (const row of ordered) {
    const who = row.allow[0];
    const r = await send(stack, world.as[who], row.method, fill(row.path, row, world.ids), fillBody(row, world.ids));
    if (!((r.status >= 200 && r.status < 300) || r.status === 303 || r.status === 409)) {
      failures.push(`${row.method} ${row.path} as ${who}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('V7.4.1 V5.1.3 junk in the query of every GET route is a 4xx or an answer, never a 5xx', async () => {
  const junk = ['from=x&to=y&page=-1&per_page=abc&group=zz&course=x&language=x&area=x&open_now=maybe&sort=x&closed=x&dry_run=x',
    'from=2026-02-30&to=1900-01-01&page=99999999999999999999&per_page=0&q=' + 'x'.repeat(300),
    'q=%ff%fe'];
  const failures = [];
  const gets = [
    ...moduleRoutes().filter((r) => r.method === 'GET' && !r.path.includes('{'))
      .flatMap((r) => ['responder.police', 'ngo.a', 'trainer', 'coordinator'].map((who) => [who, r.path])),
    ...ID_ROUTES.filter((r) => r.method === 'GET').map((r) => [r.allow[0], fill(r.path, r, world.ids)]),
  ];
  for (const [who, path] of gets) {
    for (const q of junk) {
      const r = await send(stack, world.as[who], 'GET', `${path}?${q}`);
      if (r.status >= 500) failures.push(`${who} ${path}?${q.slice(0, 40)}…: ${r.status} ${r.text.slice(0, 80)}`);
    }
  }
  assert.deepEqual(failures, []);
});
