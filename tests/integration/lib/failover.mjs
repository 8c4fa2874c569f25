// failover.mjs - what the failover tests share: sentinel.test.mjs (a local
// stack on Redis with Sentinel) and tests/docker/ha.test.mjs (the scaled
// compose).  A JSON call bounded in time, load clients that book training
// places, hold beds (and, where a responder may keep only a few holds
// pending, cancel them again) and read, the bookkeeping of every write the
// portal acknowledged, and the checks made afterwards: every acknowledged
// write is there and no invariant broke.
import { setTimeout as sleep } from 'node:timers/promises';
import { createSession } from './training.mjs';
import { apiInit } from './stack.mjs';

export const GROUPS = ['women', 'men', 'trans_non_binary'];

const is2xx = (s) => s >= 200 && s < 300;

// A JSON API caller over `fetchPath(path, init)` (a stack's fetch, or one
// made by baseFetch): call(who, method, path, body, headers) answers
// {status, body}, with status 0 when no whole answer came within
// `timeoutMs` (the connection failed, or the body was cut short: then
// headStatus is the status its head had).  `who` is {cookie, csrf} or null.
export function jsonCaller(fetchPath, { timeoutMs = 10000 } = {}) {
  return async function call(who, method, path, body, headers = {}) {
    const init = { ...apiInit(who, method, body, headers), signal: AbortSignal.timeout(timeoutMs) };
    const why = (e) => String(e?.cause?.code || e?.name || e);
    let res;
    try {
      res = await fetchPath(path, init);
    } catch (e) {
      return { status: 0, body: null, error: why(e) };
    }
    let text;
    try {
      text = await res.text();
    } catch (e) {
      // the head came, the body did not (all of it): no answer either, but
      // headStatus tells it apart from a connection that failed
      return { status: 0, headStatus: res.status, body: null, error: `body: ${why(e)}` };
    }
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: json };
  };
}

// fetch relative to a base URL, never following redirects.
export function baseFetch(base) {
  return (path, init = {}) => fetch(base + path, { redirect: 'manual', ...init });
}

// Sign in through the API: {username, cookie, csrf, user}.  Waits and
// tries again when nginx's sign-in limit answers 429 (bounded).
export async function signIn(fetchPath, username, password = 'Demo-Portal-1') {
  for (let attempt = 0; ; attempt++) {
    const res = await fetchPath('/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(10000),
    });
    const text = await res.text();
    if (res.status === 429 && attempt < 30) { await sleep(1000); continue; }
    if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    return { username, cookie: res.headers.get('set-cookie').split(';')[0], csrf: body.csrf_token, user: body.user };
  }
}

// One run of load against the portal.  Options:
//   call       a jsonCaller
//   sessions   training session ids to book, in order (one booking each per client)
//   house      safehouse id to hold beds in; groups: its bed groups
//   canHold(p) whether client p places holds (First Responders)
//   cancelHolds  cancel each acknowledged hold again (a responder may keep
//              only a few pending); a cancel answered 503 or not at all is
//              tried again until it answers 2xx or 409
//   sameKey    a hold answered 5xx (or not at all) is tried again with the
//              same Idempotency-Key before any new one: such a hold may
//              still have been made, and then the retry answers it
//   reads(p, idx, state)  the GET paths client p reads each round
//              (state: {s: sessions booked so far, round})
//   pauseMs    pause at the end of each round; minRoundMs: a round's least length
//   keyPrefix  Idempotency-Key prefix (unique per run)
// Times are recorded for every call; load.kill() marks the moment the
// fault was made, and the first 2xx read and write after it are kept.
export function createLoad(opts) {
  const {
    call, sessions = [], house = null, groups = GROUPS, canHold = () => true, canBook = () => true,
    cancelHolds = false, sameKey = false, reads = () => [], pauseMs = 150, minRoundMs = 0,
    keyPrefix = 'failover', maxQueuedCancels = 2,
  } = opts;
  const load = {
    calls: [],                   // {kind: read|write, what, status, start, at, error, headStatus}
    acked: { bookings: [], holds: [], cancels: 0 },
    killedAt: null,
    readBackAt: null,
    writeBackAt: null,
    kill(at = Date.now()) { load.killedAt = at; },
    record(kind, what, r, start) {
      const at = Date.now();
      load.calls.push({ kind, what, status: r.status, start, at, error: r.error, headStatus: r.headStatus });
      if (load.killedAt && is2xx(r.status) && start > load.killedAt) {
        if (kind === 'read' && !load.readBackAt) load.readBackAt = at;
        if (kind === 'write' && !load.writeBackAt) load.writeBackAt = at;
      }
      return r;
    },
    async timed(kind, what, who, method, path, body, headers) {
      const start = Date.now();
      return load.record(kind, what, await call(who, method, path, body, headers), start);
    },
    count(kind, pred) { return load.calls.filter((c) => c.kind === kind && pred(c.status, c)).length; },
    // a client: until done(), one booking, one hold (and its cancel), reads
    async client(p, idx, done) {
      let s = 0;
      let h = 0;
      let retryHold = null;      // {key, group, body} of a hold that answered 5xx or nothing
      const toCancel = [];       // acknowledged holds whose cancel is not settled
      const hold = canHold(p);
      const book = canBook(p);
      // place a hold (a new one, or the one to try again with its key)
      async function placeHold() {
        let req = retryHold;
        if (!req) {
          const group = groups[(idx + h) % groups.length];
          const key = `${keyPrefix}-${idx}-${h++}`;
          req = { key, group, body: { group, reference: `HA-${idx}-${h}`, callback_phone: '07700 900123' } };
        }
        const r = await load.timed('write', 'hold', p, 'POST', `/api/v1/beds/safehouses/${house}/holds`,
          req.body, { 'idempotency-key': req.key });
        retryHold = sameKey && (r.status === 0 || r.status >= 500) ? req : null;
        // (a replayed key answers the hold made before: count it once)
        if (r.status === 201 && !load.acked.holds.some((x) => String(x.id) === String(r.body.hold.id))) {
          const entry = { p, id: r.body.hold.id, group: req.group, key: req.key, at: Date.now(), cancel: null };
          load.acked.holds.push(entry);
          if (cancelHolds) {
            toCancel.push(entry);
            await settleCancels(p, toCancel);
          }
        }
      }
      for (let round = 0; !done(); round++) {
        const roundStart = Date.now();
        if (book && s < sessions.length) {
          const sid = sessions[s++];
          const r = await load.timed('write', 'book', p, 'POST', `/api/v1/training/sessions/${sid}/bookings`);
          if (r.status === 201) load.acked.bookings.push({ p, id: r.body.booking.id, session: sid, at: Date.now() });
        }
        if (hold && house !== null) {
          if (cancelHolds) await settleCancels(p, toCancel);
          // at most maxQueuedCancels + 1 holds of ours may be pending
          if (!cancelHolds || toCancel.length <= maxQueuedCancels) await placeHold();
        }
        for (const path of reads(p, idx, { s, round })) await load.timed('read', path.split('?')[0], p, 'GET', path);
        const rest = Math.max(pauseMs, minRoundMs - (Date.now() - roundStart));
        if (!done()) await sleep(rest);
      }
      // the run is over: settle what is left (bounded): the hold to try
      // again (it may have been made), and the cancels
      if (cancelHolds) {
        const until = Date.now() + 20000;
        while ((toCancel.length || retryHold) && Date.now() < until) {
          if (retryHold) await placeHold();
          await settleCancels(p, toCancel);
          if (toCancel.length || retryHold) await sleep(250);
        }
      }
    },
  };

  // one try at each hold waiting for its cancel: 2xx settles it
  // (cancelled, acknowledged), 409 settles it (no longer pending: the
  // cancel answered 503 before was made after all, or it was lost), 503 and
  // no answer leave it for the next try
  async function settleCancels(p, toCancel) {
    for (const entry of [...toCancel]) {
      const r = await load.timed('write', 'cancel', p, 'POST', `/api/v1/beds/holds/${entry.id}/cancel`, {});
      if (is2xx(r.status)) {
        entry.cancel = 'acked';
        load.acked.cancels++;
      } else if (r.status === 409) {
        entry.cancel = 'conflict';
      } else {
        entry.cancel = 'tried';   // it may have been made: the hold is pending or cancelled
        continue;
      }
      toCancel.splice(toCancel.indexOf(entry), 1);
    }
  }
  return load;
}

// The calls whose answers are not among those allowed: read(status) and
// write(status) say what is allowed.
export function oddAnswers(load, { read = (s) => s === 200 || s === 503, write = (s) => is2xx(s) || s === 409 || s === 503 } = {}) {
  return load.calls.filter((c) => !(c.kind === 'read' ? read(c.status, c) : write(c.status, c)));
}

// A line of figures for t.diagnostic.
export function figures(load) {
  const rel = (t) => (t && load.killedAt ? `${((t - load.killedAt) / 1000).toFixed(1)} s` : 'never');
  const count = (kind, s) => load.count(kind, (x) => x === s);
  return `first read 2xx ${rel(load.readBackAt)}, first write 2xx ${rel(load.writeBackAt)} after the fault; ` +
    `${load.calls.length} calls (${load.count('read', () => true)} reads, ${load.count('write', () => true)} writes), ` +
    `writes 503: ${count('write', 503)}, 502: ${count('write', 502)}, no answer: ${count('write', 0)}; ` +
    `reads 503: ${count('read', 503)}, other 5xx: ${load.count('read', (x) => x >= 500 && x !== 503)}, no answer: ${count('read', 0)}; ` +
    `acknowledged: ${load.acked.bookings.length} bookings, ${load.acked.holds.length} holds, ${load.acked.cancels} cancels`;
}

// Every acknowledged booking and hold is there, read back through the API
// by the one who made it.  A booking is confirmed or waitlisted.  A hold is
// pending, unless its cancel was acknowledged (then cancelled); a hold whose
// cancel was tried but not acknowledged may be either.
export async function checkAcknowledged(assert, call, acked) {
  for (const b of acked.bookings) {
    const r = await call(b.p, 'GET', `/api/v1/training/bookings/${b.id}`);
    assert.equal(r.status, 200, `booking ${b.id}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.booking.id, b.id);
    assert.ok(['confirmed', 'waitlisted'].includes(r.body.booking.status), `booking ${b.id}: ${r.body.booking.status}`);
  }
  const pending = {};
  for (const h of acked.holds) {
    const r = await call(h.p, 'GET', `/api/v1/beds/holds/${h.id}`);
    assert.equal(r.status, 200, `hold ${h.id}: ${JSON.stringify(r.body)}`);
    assert.equal(String(r.body.hold.id), String(h.id));
    const status = r.body.hold.status;
    if (h.cancel === 'acked') assert.equal(status, 'cancelled', `hold ${h.id}: its cancel was acknowledged`);
    else if (h.cancel) assert.ok(['pending', 'cancelled'].includes(status), `hold ${h.id}: ${status}`);
    else assert.equal(status, 'pending', `hold ${h.id}`);
    if (status === 'pending') pending[h.group] = (pending[h.group] || 0) + 1;
  }
  return pending;   // pending holds by group, for checkInvariants
}

// No invariant broke: in each session no more confirmed bookings than
// seats (counted on the roster, which agrees with the session's count);
// in the house no more beds held than vacant, none available below 0, and
// at least the acknowledged holds still pending are held.
export async function checkInvariants(assert, call, { coordinator, ngo, sessions, capacity, house, groups = GROUPS, pending = {} }) {
  for (const sid of sessions) {
    const r = await call(coordinator, 'GET', `/api/v1/training/sessions/${sid}/roster?per_page=100`);
    assert.equal(r.status, 200, `roster of session ${sid}: ${JSON.stringify(r.body)}`);
    assert.ok(r.body.total <= 100, `session ${sid}: the whole roster on one page (${r.body.total} bookings)`);
    const confirmed = r.body.roster.filter((b) => b.status === 'confirmed').length;
    assert.equal(r.body.session.capacity, capacity);
    assert.ok(confirmed <= capacity, `session ${sid}: ${confirmed} confirmed of ${capacity} seats`);
    assert.equal(r.body.session.confirmed, confirmed, `session ${sid}: its count agrees with its roster`);
  }
  if (house === null || house === undefined) return;
  const view = await call(ngo, 'GET', `/api/v1/beds/safehouses/${house}`);
  assert.equal(view.status, 200, JSON.stringify(view.body));
  for (const g of groups) {
    const grp = view.body.safehouse.groups[g];
    assert.ok(grp.held <= grp.vacant, `${g}: ${grp.held} held of ${grp.vacant} vacant`);
    assert.ok(grp.available >= 0, `${g}: ${grp.available} available`);
    assert.ok(grp.held >= (pending[g] || 0), `${g}: every acknowledged hold still pending is held (${grp.held} < ${pending[g]})`);
  }
}

// Sessions of capacity `capacity` made by the coordinator, `parallel` at a
// time (training.mjs's createSession over `fetchPath`); their ids.
export async function createSessions(fetchPath, coordinator, count, { capacity = 2, venue = 'Failover room', parallel = 15 } = {}) {
  const ids = [];
  for (let i = 0; i < count; i += parallel) {
    const made = await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, (_, j) =>
      createSession({ fetch: fetchPath }, coordinator, { venue: `${venue} ${i + j + 1}`, capacity })));
    ids.push(...made.map((s) => s.id));
  }
  return ids;
}

// A safehouse with `beds` beds, all vacant, in every group, made by NGO staff.
export async function createHouse(call, ngo, { name = 'Failover House', beds = 100, groups = GROUPS } = {}) {
  const made = await call(ngo, 'POST', '/api/v1/beds/safehouses', {
    name, area: 'hackney', groups: Object.fromEntries(groups.map((g) => [g, { beds }])), pre_nrm: true,
    languages: ['sq'], referral_phone: '020 7946 0999', referral_hours: '24 hours',
  });
  if (made.status !== 201) throw new Error(`create safehouse: ${made.status} ${JSON.stringify(made.body)}`);
  const id = made.body.safehouse.id;
  const vac = await call(ngo, 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, Object.fromEntries(groups.map((g) => [g, beds])));
  if (vac.status !== 200) throw new Error(`vacancies: ${vac.status} ${JSON.stringify(vac.body)}`);
  return id;
}
