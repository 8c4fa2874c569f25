// onehost.test.mjs - docker/compose.yaml end to end (make docker-test,
// through tests/docker/run.sh): the portal on one host, reached only
// through nginx on a loopback port.  It comes up healthy with every
// container running as a user that is not root and only nginx published
// (on 127.0.0.1); a First Responder signs in, books a training place, holds
// a bed and searches the directory, and the pages work without JavaScript;
// portal-notify e-mails the owning NGO of the held bed into the mail
// container's Maildir; after `down` and `up` the booking and the hold are
// still there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { baseFetch, jsonCaller, signIn } from '../integration/lib/failover.mjs';
import { assertSecurityHeaders, freePort } from '../integration/lib/stack.mjs';
import { ENV, SKIP, docker, isRootUser, project, statusOf, waitFor } from './lib/compose.mjs';

const SERVICES = ['auth', 'training', 'beds', 'directory', 'cases', 'monitoring', 'notify', 'mail', 'nginx', 'redis', 'slapd'];  // long-running
const STARTUP_MS = 120000;

describe('the one-host compose (docker/compose.yaml)', { skip: SKIP, timeout: 240000 }, () => {
  let p;
  let port;
  let base;
  let call;
  let police;          // responder.police, signed in
  const made = {};     // what the first life of the stack made: booking, hold, session, house

  const healthy = (timeout = STARTUP_MS) => waitFor(`GET ${base}/api/v1/health answers 200`,
    async () => (await statusOf(`${base}/api/v1/health`)) === 200, { timeout, every: 1000 });

  before(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = project(`${ENV.prefix}one`, 'compose.yaml', { PORT: String(port) });
    call = jsonCaller(baseFetch(base));
    const t0 = Date.now();
    await p.down(true).catch(() => {});   // nothing left from an interrupted run
    await p.up();
    await healthy();
    made.upSeconds = (Date.now() - t0) / 1000;
  });

  after(async () => {
    if (!p) return;
    await p.saveLogs();
    await p.down(true);
    assert.deepEqual(await p.containers(), [], 'down -v leaves no container of the project');
    assert.deepEqual(await p.volumes(), [], 'down -v leaves no volume of the project');
  });

  test('it comes up healthy, nginx is published on 127.0.0.1 only, and no container runs as root', async (t) => {
    const all = await p.containers();
    const expected = [...SERVICES, 'init'].map((s) => p.container(s)).sort();
    assert.deepEqual(all, expected, 'one container per service');
    // the one-shot init finished, and succeeded
    assert.equal(await p.inspect(p.container('init'), '{{.State.Status}} {{.State.ExitCode}}'), 'exited 0');

    // every long-running container has a HEALTHCHECK and becomes healthy
    const t0 = Date.now();
    const long = SERVICES.map((s) => p.container(s));
    await p.waitHealthy(long, 90000);
    t.diagnostic(`up: health 200 after ${made.upSeconds.toFixed(1)} s; every container healthy ${((Date.now() - t0) / 1000).toFixed(1)} s later`);

    // only nginx's port is published, and only on the loopback address
    const ports = await docker(['port', p.container('nginx')]);
    const lines = ports.split('\n').filter(Boolean);
    assert.ok(lines.length > 0, 'nginx publishes its port');
    for (const l of lines) assert.match(l, new RegExp(`^8080/tcp -> 127\\.0\\.0\\.1:${port}$`), `published: ${l}`);
    for (const c of all.filter((c) => c !== p.container('nginx'))) {
      assert.equal(await docker(['port', c]), '', `${c} publishes no port`);
    }

    // no container is configured to run as root, and none does
    for (const c of all) {
      const user = await p.inspect(c, '{{.Config.User}}');
      assert.ok(!isRootUser(user), `${c} runs as '${user}'`);
    }
    for (const c of long) {
      const uid = await docker(['exec', c, 'id', '-u']);
      assert.match(uid, /^\d+$/);
      assert.notEqual(uid, '0', `${c} runs as uid ${uid}`);
    }
  });

  test('through nginx: sign in, book a training place, hold a bed, search the directory, pages without JavaScript', async () => {
    police = await signIn(baseFetch(base), 'responder.police');
    assert.deepEqual(police.user.roles, ['responder']);

    // a training place on a demo session with a seat left
    const list = await call(police, 'GET', '/api/v1/training/sessions');
    assert.equal(list.status, 200);
    const session = list.body.sessions.find((s) => s.bookable && s.seats_left > 0);
    assert.ok(session, 'a demo session has a seat to book');
    const book = await call(police, 'POST', `/api/v1/training/sessions/${session.id}/bookings`);
    assert.equal(book.status, 201, JSON.stringify(book.body));
    assert.equal(book.body.booking.status, 'confirmed');
    made.booking = book.body.booking.id;
    made.session = session.id;
    const again = await call(police, 'POST', `/api/v1/training/sessions/${session.id}/bookings`);
    assert.equal(again.status, 409, 'a second booking of the same session is refused');
    const seats = await call(police, 'GET', `/api/v1/training/sessions/${session.id}`);
    assert.equal(seats.body.session.seats_left, session.seats_left - 1, 'the seat is taken');

    // a bed held in a house with one free
    const search = await call(police, 'GET', '/api/v1/beds/search?group=women');
    assert.equal(search.status, 200);
    const found = search.body.results.find((r) => r.group === 'women' && r.available > 0);
    assert.ok(found, 'a demo safehouse has a free bed for women');
    // each search result is one bed group of one house; the house's own page has every group's numbers
    const before = await call(police, 'GET', `/api/v1/beds/safehouses/${found.safehouse.id}`);
    assert.equal(before.status, 200);
    const house = before.body.safehouse;
    const hold = await call(police, 'POST', `/api/v1/beds/safehouses/${house.id}/holds`,
      { group: 'women', reference: 'DOCKER-ONEHOST-1', callback_phone: '07700 900123' },
      { 'idempotency-key': 'docker-onehost-1' });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    assert.equal(hold.body.hold.status, 'pending');
    made.hold = hold.body.hold.id;
    made.house = house.id;
    made.held = house.groups.women.held + 1;
    const view = await call(police, 'GET', `/api/v1/beds/safehouses/${house.id}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.safehouse.groups.women.held, made.held, 'the bed is held');
    assert.equal(view.body.safehouse.groups.women.available, house.groups.women.available - 1);

    // the directory: services with staff who speak Albanian
    const dir = await call(police, 'GET', '/api/v1/directory/services?language=sq');
    assert.equal(dir.status, 200, JSON.stringify(dir.body));
    assert.ok(dir.body.items.length > 0, 'the demo directory has services in Albanian');
    for (const s of dir.body.items) assert.ok(s.languages.some((l) => l.code === 'sq'), `${s.name} speaks Albanian`);
    const none = await call(police, 'GET', '/api/v1/directory/services?q=zzzznotaword');
    assert.equal(none.status, 200);
    assert.equal(none.body.items.length, 0, 'a search for nothing finds nothing');

    // pages: server-rendered HTML, served through nginx with its headers
    const home = await fetch(`${base}/`, { redirect: 'manual' });
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type'), /^text\/html/);
    assertSecurityHeaders(assert, home);
    const html = await home.text();
    assert.match(html, /^<!DOCTYPE html>/i);
    for (const href of ['/training/', '/beds/', '/directory/']) assert.ok(html.includes(`href="${href}"`), `the start page links to ${href}`);
    const css = html.match(/<link[^>]*href="(\/static\/[^"]+\.css)"/);
    assert.ok(css, 'the page has its stylesheet');
    const sheet = await fetch(base + css[1]);
    assert.equal(sheet.status, 200, `${css[1]} from the nginx image`);
    assert.match(sheet.headers.get('content-type'), /text\/css/);
    await sheet.arrayBuffer();
    const named = dir.body.items.find((s) => !/[&<>"']/.test(s.name));
    const page = await fetch(`${base}/directory/?language=sq`, { headers: { cookie: police.cookie }, redirect: 'manual' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    const dirHtml = await page.text();
    assert.ok(named && dirHtml.includes(named.name), 'the search page lists what the API found');
    const mine = await fetch(`${base}/training/my`, { headers: { cookie: police.cookie }, redirect: 'manual' });
    assert.equal(mine.status, 200);
    const mineHtml = await mine.text();
    assert.ok(mineHtml.includes(`href="/training/bookings/${made.booking}/calendar.ics"`), 'the My training page lists the booking');
  });

  test('portal-notify e-mails the owning NGO of the hold into the mail container\'s Maildir, with no reference or phone; its metrics count it', async (t) => {
    assert.ok(made.hold, 'the previous test placed a hold');
    const link = `/beds/holds/${made.hold}`;
    const t0 = Date.now();
    const files = await waitFor(`an e-mail linking to ${link} in the mail container`, async () => {
      const out = await docker(['exec', p.container('mail'), 'grep', '-rlE', `${link}([^0-9]|$)`, '/var/mail/portal/new'])
        .catch(() => '');
      const found = out.split('\n').filter(Boolean);
      return found.length > 0 && found;
    }, { timeout: 30000, every: 1000 });
    t.diagnostic(`${files.length} message(s) for the hold, found ${((Date.now() - t0) / 1000).toFixed(1)} s after the test began`);
    const text = await docker(['exec', p.container('mail'), 'cat', ...files]);
    assert.match(text, /^Message-ID: <\d+-\d+\.beds\.[0-9a-f]{16}@localhost>/m);
    assert.match(text, /^To: (ngo\.[ab]@example\.org|on-call@demo-charity-a\.example\.org)/m, 'to the owning NGO');
    assert.match(text, /^Subject: A bed hold is waiting for your answer at /m);
    assert.doesNotMatch(text, /DOCKER-ONEHOST-1|07700/, 'no case reference, no call-back phone');
    // the worker's metrics socket is in the sockets volume, as the modules' are
    const metrics = await docker(['exec', p.container('nginx'), 'curl', '-fsS', '--unix-socket',
      '/run/portal/notify.sock.metrics', 'http://portal/metrics']);
    assert.match(metrics, /^portal_notify_store_up 1$/m);
    assert.ok(Number(/^portal_notify_messages_sent_total (\d+)$/m.exec(metrics)?.[1]) >= files.length, 'the messages are counted');
  });

  test('down and up again: the booking, the hold and the session are still there', async (t) => {
    assert.ok(made.booking && made.hold, 'the previous test made a booking and a hold');
    const t0 = Date.now();
    await p.down(false);
    assert.deepEqual(await p.running(), [], 'down stops every container');
    assert.equal(await statusOf(`${base}/api/v1/health`, 2000), 0, 'nothing answers on the port');
    await p.up();
    await healthy();
    t.diagnostic(`down and up again: health 200 after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // the sign-in survived (sessions are in Redis, the JWT key in its volume)
    const me = await call(police, 'GET', '/api/v1/auth/me');
    assert.equal(me.status, 200, `the session cookie still works: ${JSON.stringify(me.body)}`);
    const booking = await call(police, 'GET', `/api/v1/training/bookings/${made.booking}`);
    assert.equal(booking.status, 200, JSON.stringify(booking.body));
    assert.equal(booking.body.booking.status, 'confirmed');
    assert.equal(booking.body.booking.session_id, made.session);
    const hold = await call(police, 'GET', `/api/v1/beds/holds/${made.hold}`);
    assert.equal(hold.status, 200, JSON.stringify(hold.body));
    assert.equal(hold.body.hold.status, 'pending');
    assert.equal(hold.body.hold.reference, 'DOCKER-ONEHOST-1');
    const view = await call(police, 'GET', `/api/v1/beds/safehouses/${made.house}`);
    assert.equal(view.body.safehouse.groups.women.held, made.held, 'the bed is still held');
    // the demo data was not loaded a second time over it
    const again = await call(police, 'POST', `/api/v1/beds/safehouses/${made.house}/holds`,
      { group: 'women', reference: 'DOCKER-ONEHOST-1', callback_phone: '07700 900123' },
      { 'idempotency-key': 'docker-onehost-1' });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(String(again.body.hold.id), String(made.hold), 'the Idempotency-Key answers the same hold');
  });
});
