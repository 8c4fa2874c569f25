// cases.test.mjs - two-way case updates (issue 17) over the real stack:
// sharing and routing, the unit's queue, acknowledgement, status updates,
// replies, asking for an update, closing, who may see a case (404 for
// anyone else), what coordinators see, the free-text guard (422 in the API
// and in the forms, which keep what was typed), the events, the audit, and
// retention (a closed case erased, every key and its events).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api, form, page, selectedOption } from './lib/beds.mjs';

let stack;
const as = {};
// closed cases are erased 3 s after they close here
const ENV = { PORTAL_CASES_RETENTION_SECONDS: '3', PORTAL_CASES_AOF_REWRITE_SECONDS: '1' };
const BASE = 'portal:cases:{cases}';

before(async () => {
  stack = await startStack(ENV);
  for (const u of ['ngo.a', 'ngo.b', 'police.northeast', 'police.east', 'police.central', 'responder.police',
    'responder.council', 'coordinator', 'trainer'])
    as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const share = (body, who = 'ngo.a') => api(stack, as[who], 'POST', '/api/v1/cases', {
  reference: 'NGO-A-17', shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
  exploitation_types: ['labour'], contact_consent: true, wants: ['nrm_referral_made', 'outcome'], ...body });
const act = (who, id, what, body = {}) => api(stack, as[who], 'POST', `/api/v1/cases/${id}/${what}`, body);
const get = (who, id) => api(stack, as[who], 'GET', `/api/v1/cases/${id}`);

async function events(id) {
  const out = await stack.redis('XRANGE', `${BASE}:events`, '-', '+');
  const lines = out.trim().split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === 'kind') {
      const e = {};
      for (let j = i; j < lines.length - 1 && !/^\d+-\d+$/.test(lines[j]); j += 2) e[lines[j]] = lines[j + 1];
      if (e.case === String(id)) found.push(e);
    }
  }
  return found;
}

test('the police users sign in with their unit; responder.police is in the North East BCU', async () => {
  assert.equal(as['police.northeast'].body.user.username, 'police.northeast');
  const c = await share({ reference: 'RP-1' });
  assert.equal(c.status, 201, c.text);
  assert.equal((await get('responder.police', c.body.case.id)).status, 200);
  assert.equal((await get('police.east', c.body.case.id)).status, 404);
});

test('an NGO shares a case; the unit sees it in its queue, acknowledges and posts NRM referral made; the NGO sees the timeline', async () => {
  const c = await share({});
  assert.equal(c.status, 201, c.text);
  const id = c.body.case.id;
  assert.equal(c.body.case.status, 'shared');
  assert.equal(c.body.case.unit, 'north-east');
  assert.equal(c.body.case.reference, 'NGO-A-17');
  const q = await api(stack, as['police.northeast'], 'GET', '/api/v1/cases?status=awaiting_acknowledgement');
  assert.equal(q.status, 200, q.text);
  assert.ok(q.body.cases.some((x) => x.id === id));
  const a = await act('police.northeast', id, 'acknowledge', { police_reference: 'MPS-NE-4411' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.case.status, 'received');
  assert.equal((await act('police.northeast', id, 'acknowledge', { police_reference: 'X' })).status, 409);
  const u = await act('police.northeast', id, 'updates', { status: 'nrm_referral_made', note: 'NRM referral made today' });
  assert.equal(u.status, 200, u.text);
  const seen = await get('ngo.a', id);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.case.status, 'nrm_referral_made');
  assert.equal(seen.body.case.police_reference, 'MPS-NE-4411');
  assert.deepEqual(seen.body.case.timeline.map((e) => e.kind), ['shared', 'acknowledged', 'update']);
  assert.equal(seen.body.case.timeline[2].note, 'NRM referral made today');
  const kinds = (await events(id)).map((e) => e.kind);
  assert.deepEqual(kinds, ['case_shared', 'case_acknowledged', 'case_updated']);
  const ev = (await events(id))[2];
  assert.equal(ev.status, 'nrm_referral_made');
  assert.equal(ev.ngo_agency, 'demo-charity-a');
  assert.equal(ev.by, 'police.northeast');
  assert.ok(!JSON.stringify(await events(id)).includes('NGO-A-17'), 'no reference in an event');
  assert.ok(!JSON.stringify(await events(id)).includes('NRM referral made today'), 'no note in an event');
});

test('only the two parties see a case: another NGO, another unit and a responder with no unit get 404; coordinators see timings, never notes', async () => {
  const c = await share({});
  const id = c.body.case.id;
  await act('police.northeast', id, 'acknowledge', { police_reference: 'MPS-NE-1' });
  await act('police.northeast', id, 'updates', { status: 'allocated', note: 'Officer allocated: a secret note' });
  for (const who of ['ngo.b', 'police.east', 'police.central', 'responder.council']) {
    const r = await get(who, id);
    assert.equal(r.status, 404, who);
    assert.ok(!r.text.includes('secret note'));
    assert.equal((await act(who, id, 'updates', { note: 'hello' })).status, 404, who);
  }
  const co = await get('coordinator', id);
  assert.equal(co.status, 200, co.text);
  assert.ok(!co.text.includes('secret note'));
  assert.ok(!co.text.includes('MPS-NE-1') && !co.text.includes('NGO-A-17'));
  assert.ok(co.body.case.acknowledged_at);
  const page = await stack.fetch(`/cases/${id}`, { headers: { cookie: as['coordinator'].cookie } });
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.ok(!html.includes('secret note'));
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.ok(audit.includes('case_viewed') && audit.includes('case_view_refused'));
});

test('with no unit and no borough the case goes to Central Specialist Crime; "don\'t know" with a borough routes by it', async () => {
  const a = await share({ unit: 'dont_know', borough: 'unknown' });
  assert.equal(a.body.case.unit, 'central-specialist-crime');
  const b = await share({ unit: undefined, borough: 'havering' });
  assert.equal(b.body.case.unit, 'east');
  assert.equal((await get('police.east', b.body.case.id)).status, 200);
  const c = await share({ unit: 'dont_know', borough: 'waltham-forest' });
  assert.equal(c.body.case.unit, 'north-east');
});

test('no further action needs a reason; an update before acknowledgement is refused; the NGO replies', async () => {
  const id = (await share({})).body.case.id;
  assert.equal((await act('police.northeast', id, 'updates', { status: 'crime_recorded' })).status, 409);
  await act('police.northeast', id, 'acknowledge', { police_reference: 'R' });
  const nfa = await act('police.northeast', id, 'updates', { status: 'no_further_action' });
  assert.equal(nfa.status, 422);
  assert.ok(nfa.body.error.fields.reason);
  const ok = await act('police.northeast', id, 'updates', { status: 'no_further_action', reason: 'insufficient_evidence' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.case.timeline.at(-1).reason, 'insufficient_evidence');
  // the same status again with no note says nothing new: refused, nothing posted, nobody told
  const same = await act('police.northeast', id, 'updates', { status: 'no_further_action', reason: 'insufficient_evidence' });
  assert.equal(same.status, 422, same.text);
  assert.match(same.body.error.fields.status, /new status, or write a note/);
  assert.equal((await act('police.northeast', id, 'updates', { status: 'no_further_action', reason: 'other', note: 'The witness moved abroad' })).status, 200);
  const bad = await act('police.northeast', id, 'updates', { status: 'deported' });
  assert.equal(bad.status, 422);
  const reply = await act('ngo.a', id, 'updates', { note: 'Thank you, we have told the person' });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.case.timeline.at(-1).kind, 'reply');
  assert.ok((await events(id)).some((e) => e.kind === 'case_replied'));
});

test('asking for an update: only after 28 days without one, and at most once a week (409 update_requested_recently)', async () => {
  const id = (await share({})).body.case.id;
  await act('police.northeast', id, 'acknowledge', { police_reference: 'R' });
  const early = await act('ngo.a', id, 'request-update');
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'update_not_due');
  assert.equal((await act('police.northeast', id, 'request-update')).status, 403);
  const old = Math.floor(Date.now() / 1000) - 29 * 86400;
  await stack.redis('HSET', `${BASE}:case:${id}`, 'last_unit_at', String(old));
  const asked = await act('ngo.a', id, 'request-update');
  assert.equal(asked.status, 200, asked.text);
  assert.equal(asked.body.case.timeline.at(-1).kind, 'update_requested');
  assert.equal(asked.body.case.awaiting_update, true);
  const again = await act('ngo.a', id, 'request-update');
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'update_requested_recently');
  const waiting = await api(stack, as['police.northeast'], 'GET', '/api/v1/cases?status=awaiting_update');
  assert.ok(waiting.body.cases.some((x) => x.id === id));
  assert.ok((await events(id)).some((e) => e.kind === 'case_update_requested'));
});

test('every guarded pattern is refused with 422 in the API and in the form, which keeps what was typed; plain notes pass', async () => {
  const id = (await share({})).body.case.id;
  await act('police.northeast', id, 'acknowledge', { police_reference: 'R' });
  const bad = {
    'date of birth': 'Born 12/03/1985 in the city',
    'National Insurance number': 'NI AB 12 34 56 C given',
    'passport number': 'passport AB1234567 held',
    'phone number': 'call 07700 900123 please',
    'email address': 'write to someone@example.org',
    'postcode': 'found at E15 4QZ yesterday',
  };
  for (const [what, note] of Object.entries(bad)) {
    const r = await act('police.northeast', id, 'updates', { status: 'allocated', note });
    assert.equal(r.status, 422, `${what}: ${r.text}`);
    assert.ok(r.body.error.fields.note.includes(what), r.body.error.fields.note);
    const reply = await act('ngo.a', id, 'updates', { note });
    assert.equal(reply.status, 422, what);
    const close = await act('ngo.a', id, 'close', { outcome: note });
    assert.equal(close.status, 422, what);
    const f = await form(stack, as['ngo.a'], `/cases/${id}/updates`, { note });
    assert.equal(f.status, 422, what);
    assert.ok(f.text.includes('govuk-error-summary'));
    assert.match(f.text, new RegExp(`<textarea[^>]*name="note"[^>]*>${note.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</textarea>`));
  }
  for (const note of ['seen on 3 March', 'on 12/03/2026', 'Newham']) {
    const r = await act('police.northeast', id, 'updates', { status: 'allocated', note });
    assert.equal(r.status, 200, `${note}: ${r.text}`);
  }
});

test('the share form: empty answers 422 naming each field and keeps what was typed; a good post redirects to the timeline', async () => {
  const empty = await form(stack, as['ngo.a'], '/cases', { reference: 'KEEP-ME' });
  assert.equal(empty.status, 422);
  assert.ok(empty.text.includes('value="KEEP-ME"'));
  assert.ok(empty.text.includes('href="#channel"'));
  const ok = await form(stack, as['ngo.a'], '/cases', { reference: 'FORM-1', shared_on: '2026-12-01', channel: 'email',
    unit: 'east', borough: 'redbridge', exploitation_types: ['sexual', 'criminal'], contact_consent: 'no', wants: ['outcome'] });
  assert.equal(ok.status, 303, ok.text);
  assert.match(ok.location, /^\/cases\/\d+\?done=shared$/);
  const page = await stack.fetch(ok.location, { headers: { cookie: as['ngo.a'].cookie } });
  const html = await page.text();
  assert.ok(html.includes('FORM-1') && html.includes('East Area BCU') && html.includes('Shared with the unit'));
  const police = await stack.fetch('/cases/new', { headers: { cookie: as['police.east'].cookie } });
  assert.equal(police.status, 403);
});

test('closing: either side, with an outcome; nothing more can be added after', async () => {
  const id = (await share({})).body.case.id;
  const c = await act('ngo.a', id, 'close', { outcome: 'Support ended; the person moved on' });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.case.status, 'closed');
  assert.equal((await act('police.northeast', id, 'acknowledge', { police_reference: 'R' })).status, 409);
  assert.equal((await act('ngo.a', id, 'close', { outcome: 'again' })).status, 409);
  // the close event says which side closed it (portal-notify tells the other), no other event does
  assert.deepEqual((await events(id)).map((e) => [e.kind, e.closed_by_side]), [['case_shared', undefined], ['case_closed', 'ngo']]);
  const byUnit = (await share({})).body.case.id;
  assert.equal((await act('police.northeast', byUnit, 'close', { outcome: 'The unit took no further action' })).status, 200);
  assert.equal((await events(byUnit)).at(-1).closed_by_side, 'unit');
});

test('the responsiveness report: per unit, counts and timings, as JSON, a page and CSV; coordinators only', async () => {
  const r = await api(stack, as['coordinator'], 'GET', '/api/v1/cases/reports/responsiveness');
  assert.equal(r.status, 200, r.text);
  const ne = r.body.units.find((u) => u.code === 'north-east');
  assert.ok(ne.shared >= 5, JSON.stringify(ne));
  assert.equal(typeof ne.median_days_to_ack, 'number');
  assert.equal((await api(stack, as['ngo.a'], 'GET', '/api/v1/cases/reports/responsiveness')).status, 403);
  const csv = await stack.fetch('/api/v1/cases/reports/responsiveness.csv', { headers: { cookie: as['coordinator'].cookie } });
  const text = await csv.text();
  assert.match(text, /^unit,unit_name,cases_shared,/);
  assert.match(text, /\r\nnorth-east,North East BCU,\d+,/);
  const page = await stack.fetch('/cases/reports/responsiveness', { headers: { cookie: as['coordinator'].cookie } });
  const html = await page.text();
  assert.ok(html.includes('<svg role="img"') && html.includes('North East BCU'));
  assert.ok(!html.includes('NGO-A-17'));
});

test('retention: a case closed longer ago than the setting is gone from Redis, every key and its events', async () => {
  const id = (await share({ reference: 'ERASE-ME-99' })).body.case.id;
  await act('police.northeast', id, 'acknowledge', { police_reference: 'ERASE-POLICE-98' });
  await act('police.northeast', id, 'close', { outcome: 'Charged' });
  assert.equal((await events(id)).length, 3);
  let gone = false;
  for (let i = 0; i < 40 && !gone; i++) {
    await sleep(500);
    gone = (await stack.redis('EXISTS', `${BASE}:case:${id}`)).trim() === '0';
  }
  assert.ok(gone, 'the case hash is erased');
  const keys = (await stack.redis('KEYS', `${BASE}:case:${id}*`)).trim();
  assert.equal(keys, '');
  assert.equal((await events(id)).length, 0, 'its events are gone');
  for (const z of ['all', 'closed', 'ngo:demo-charity-a', 'unit:north-east'])
    assert.equal((await stack.redis('ZSCORE', `${BASE}:${z}`, id)).trim(), '', z);
  const dump = await stack.redis('--scan');
  assert.ok(!dump.includes(`case:${id}:`));
  assert.equal((await get('ngo.a', id)).status, 404);
});

// ---- trends ------------------------------------------------------------------

// The quarter of a day, as the trends name it.
const quarterOf = (d) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
const cellsOf = (table) => [...table.rows.flatMap((r) => [...r.cells, r.total]), ...table.totals.cells, table.totals.total];

test('trends: cases shared by borough and type, never a count from 1 to 4, with complementary suppression of what the totals would reveal', async () => {
  // crafted: in 2025-Q2, Camden 2 labour + 9 sexual, Hackney 8 labour + 6 sexual
  const plan = [['camden', 'labour', 2], ['camden', 'sexual', 9], ['hackney', 'labour', 8], ['hackney', 'sexual', 6]];
  for (const [borough, type, n] of plan)
    for (let i = 0; i < n; i++) {
      const r = await share({ reference: `T-${borough}-${type}-${i}`, shared_on: '2025-05-10', borough, unit: 'dont_know', exploitation_types: [type] }, 'ngo.b');
      assert.equal(r.status, 201, r.text);
    }
  const t = await api(stack, as['responder.council'], 'GET', '/api/v1/cases/trends?quarter=2025-Q2');
  assert.equal(t.status, 200, t.text);
  const rows = Object.fromEntries(t.body.shared.rows.map((r) => [r.code, r]));
  const col = (code) => t.body.shared.columns.findIndex((c) => c.code === code);
  const camdenLabour = rows.camden.cells[col('labour')];
  assert.equal(camdenLabour.suppressed, true);
  assert.equal(camdenLabour.text, 'fewer than 5');
  assert.equal(camdenLabour.count, undefined);
  // Camden's total (11) is shown, so 9 would give the 2 away: it is not shown either, nor Hackney's 8
  assert.equal(rows.camden.total.count, 11);
  assert.equal(rows.camden.cells[col('sexual')].suppressed, true);
  assert.equal(rows.hackney.cells[col('labour')].suppressed, true);
  for (const c of cellsOf(t.body.shared))
    if (c.count !== undefined) assert.ok(c.count === 0 || c.count >= 5, JSON.stringify(c));
  assert.ok(!t.text.includes('"count":2,') && !t.text.includes('"count":9,'));
  const page = await stack.fetch('/cases/trends?quarter=2025-Q2', { headers: { cookie: as['responder.council'].cookie } });
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.ok(html.includes('fewer than 5') && html.includes('Camden'));
  const csv = await (await stack.fetch('/api/v1/cases/trends.csv?quarter=2025-Q2', { headers: { cookie: as['responder.council'].cookie } })).text();
  assert.match(csv, /cases_shared,2025-Q2,Camden,Labour exploitation,fewer than 5/);
  assert.equal((await api(stack, as['ngo.a'], 'GET', '/api/v1/cases/trends?quarter=2025-Q9')).status, 422);
});

test('trends: bed holds are kept from the beds events (borough and bed group), suppressed the same way', async () => {
  // a quarter of its own: the demo closed hold (modules/beds/demo.c) is placed in today's
  const now = Math.floor(Date.parse('2025-08-14T12:00:00Z') / 1000);
  const add = (borough, group, n) => Array.from({ length: n }, () =>
    stack.redis('XADD', 'portal:beds:{beds}:events', '*', 'kind', 'hold_placed', 'at', String(now), 'hold', '1',
      'group', group, 'borough', borough, 'safehouse', '1', 'agency', 'demo-charity-a', 'responder', 'responder.police'));
  await Promise.all([...add('newham', 'women', 7), ...add('newham', 'men', 1), ...add('hackney', 'women', 6)]);
  const lastId = (await stack.redis('XADD', 'portal:beds:{beds}:events', '*', 'kind', 'hold_cancelled', 'at', String(now),
    'group', 'women', 'borough', 'newham')).trim();
  const q = quarterOf(new Date(now * 1000));
  // the housekeeping (every second here) has read up to the last entry
  for (let i = 0; i < 40 && (await stack.redis('GET', `${BASE}:trends:beds_cursor`)).trim() !== lastId; i++) await sleep(250);
  const t = await api(stack, as['trainer'], 'GET', `/api/v1/cases/trends?quarter=${q}`);
  const rows = Object.fromEntries(t.body.holds.rows.map((r) => [r.code, r]));
  assert.ok(rows.newham && rows.hackney, JSON.stringify(t.body.holds));
  assert.equal(rows.newham.cells[1].text, 'fewer than 5');
  assert.equal(rows.hackney.cells[0].count, 6);
  for (const c of cellsOf(t.body.holds))
    if (c.count !== undefined) assert.ok(c.count === 0 || c.count >= 5, JSON.stringify(c));
  // counted once: another housekeeping run adds nothing
  await sleep(2500);
  const again = await api(stack, as['trainer'], 'GET', `/api/v1/cases/trends?quarter=${q}`);
  assert.deepEqual(again.body.holds, t.body.holds);
});

test('trends: bed searches with no result are kept from the beds events (searched area and bed group), suppressed the same way', async () => {
  const BEDS = 'portal:beds:{beds}:events';
  // a real search that finds nothing: its event names the group, the searched area and the needs (in
  // words too, issue 18), nothing else
  const none = await api(stack, as['responder.police'], 'GET', '/api/v1/beds/search?group=men&language=zu&dependants=true&area=barnet');
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.body.results, []);
  const tail = (await stack.redis('XREVRANGE', BEDS, '+', '-', 'COUNT', '1')).trim().split('\n');
  const fields = Object.fromEntries(tail.slice(1).flatMap((v, i, a) => (i % 2 ? [] : [[v, a[i + 1]]])));
  assert.deepEqual(Object.keys(fields).sort(), ['at', 'borough', 'group', 'kind', 'needs', 'words'], tail.join(' '));
  assert.deepEqual([fields.kind, fields.group, fields.borough], ['search_unmet', 'men', 'barnet']);
  assert.deepEqual([fields.needs, fields.words], ['dependants,language=zu,area=barnet', 'Men: Dependants accepted, Zulu, Barnet']);
  const now = Math.floor(Date.now() / 1000);
  const add = (borough, group, n) => Array.from({ length: n }, () =>
    stack.redis('XADD', BEDS, '*', 'kind', 'search_unmet', 'at', String(now), 'group', group, 'borough', borough));
  await Promise.all([...add('newham', 'men', 6), ...add('newham', 'women', 2), ...add('', '', 7)]);
  const lastId = (await stack.redis('XADD', BEDS, '*', 'kind', 'hold_cancelled', 'at', String(now), 'group', 'men', 'borough', 'newham')).trim();
  const q = quarterOf(new Date(now * 1000));
  for (let i = 0; i < 40 && (await stack.redis('GET', `${BASE}:trends:beds_cursor`)).trim() !== lastId; i++) await sleep(250);
  const t = await api(stack, as['trainer'], 'GET', `/api/v1/cases/trends?quarter=${q}`);
  assert.equal(t.status, 200, t.text);
  const col = (code) => t.body.unmet.columns.findIndex((c) => c.code === code);
  const rows = Object.fromEntries(t.body.unmet.rows.map((r) => [r.code, r]));
  assert.ok(rows.newham && rows.unknown && rows.barnet, JSON.stringify(t.body.unmet));
  assert.equal(rows.newham.cells[col('women')].text, 'fewer than 5');
  assert.equal(rows.barnet.cells[col('men')].text, 'fewer than 5');
  // a search naming no group or area counts as "any" in "unknown"; Barnet's 1 hides Newham's men (6), so
  // the totals row would give away "any": it and its one cell are not shown; every search counted once
  assert.equal(rows.unknown.cells[col('any')].text, 'not shown');
  assert.equal(rows.newham.total.count, 8);
  assert.equal(t.body.unmet.totals.total.count, 16);
  for (const c of cellsOf(t.body.unmet))
    if (c.count !== undefined) assert.ok(c.count === 0 || c.count >= 5, JSON.stringify(c));
  assert.equal(t.body.unmet.caption, 'Bed searches that found no bed');
  const html = await (await stack.fetch(`/cases/trends?quarter=${q}`, { headers: { cookie: as['trainer'].cookie } })).text();
  assert.ok(html.includes('Bed searches that found no bed') && html.includes('No group chosen'));
  const csv = await (await stack.fetch(`/api/v1/cases/trends.csv?quarter=${q}`, { headers: { cookie: as['trainer'].cookie } })).text();
  assert.match(csv, new RegExp(`bed_searches_unmet,${q},Newham,Women,fewer than 5`));
});

test('trends: partners add context notes, shown beside the figures and in the CSV; personal data refused with 422', async () => {
  const n = await api(stack, as['ngo.b'], 'POST', '/api/v1/cases/trends/notes', { about: 'borough:newham', note: 'Nail bar cases rising in Newham since the summer' });
  assert.equal(n.status, 201, n.text);
  assert.equal(n.body.note.about_label, 'Newham');
  const bad = await api(stack, as['ngo.b'], 'POST', '/api/v1/cases/trends/notes', { about: 'borough:newham', note: 'call 07700 900123' });
  assert.equal(bad.status, 422);
  assert.equal((await api(stack, as['ngo.b'], 'POST', '/api/v1/cases/trends/notes', { about: 'borough:atlantis', note: 'x' })).status, 422);
  const f = await form(stack, as['trainer'], '/cases/trends/notes', { about: 'exploitation_type:labour', note: 'write to someone@example.org' });
  assert.equal(f.status, 422);
  assert.ok(f.text.includes('someone@example.org</textarea>'), 'the form keeps what was typed');
  const t = await api(stack, as['responder.council'], 'GET', '/api/v1/cases/trends');
  assert.ok(t.body.notes.some((x) => x.note.includes('Nail bar') && x.agency_name === 'Demo Advocacy Charity B'));
  const csv = await (await stack.fetch('/api/v1/cases/trends.csv', { headers: { cookie: as['responder.council'].cookie } })).text();
  assert.match(csv, /borough,Newham,Nail bar cases rising in Newham since the summer,Demo Advocacy Charity B/);
});

test('trends page after a mistake: a quarter not understood shows this quarter with its chooser and the error; a refused note keeps its quarter and choice; an added one goes back to that quarter', async () => {
  const bad = await page(stack, as['ngo.b'], '/cases/trends?quarter=2025-Q9');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<h1 class="govuk-heading-l">Trends: [A-Z][a-z]+ to [A-Z][a-z]+ \d{4}<\/h1>/, 'this quarter, named');
  assert.ok(bad.text.includes('href="#quarter"'), 'the summary links to the chooser');
  assert.match(selectedOption(bad.text, 'quarter') ?? '', /^\d{4}-Q[1-4]$/, 'the chooser, this quarter chosen');
  const empty = await page(stack, as['ngo.b'], '/cases/trends?quarter=2019-Q3');
  assert.equal(selectedOption(empty.text, 'quarter'), '2019-Q3', 'the chooser names a quarter with nothing in it');
  const refused = await form(stack, as['ngo.b'], '/cases/trends/notes', { quarter: '2025-Q2', about: 'borough:hackney', note: '' });
  assert.equal(refused.status, 422);
  assert.ok(refused.text.includes('<h1 class="govuk-heading-l">Trends: April to June 2025</h1>'), 'the quarter the form was on');
  assert.equal(selectedOption(refused.text, 'about'), 'borough:hackney', 'the choice is kept');
  assert.ok(refused.text.includes('href="#note"'));
  const added = await form(stack, as['ngo.b'], '/cases/trends/notes', { quarter: '2025-Q2', about: 'borough:hackney', note: 'Car wash cases in Hackney' });
  assert.equal(added.status, 303);
  assert.equal(added.location, '/cases/trends?quarter=2025-Q2&done=note');
});

test('the close form after a mistake: the outcome kept, marked as wrong and tied to its error for screen readers', async () => {
  const c = (await share({ reference: 'NGO-A-CLOSE-FORM' })).body.case;
  const f = await form(stack, as['ngo.a'], `/cases/${c.id}/close`, { outcome: 'Born 12/03/1985, she is safe' });
  assert.equal(f.status, 422);
  assert.ok(f.text.includes('<h1 class="govuk-heading-l">Case NGO-A-CLOSE-FORM</h1>'));
  assert.match(f.text, /<textarea class="govuk-textarea govuk-textarea--error" id="outcome" name="outcome" rows="3" aria-describedby="outcome-hint outcome-error"[^>]*>Born 12\/03\/1985, she is safe<\/textarea>/);
  assert.ok(f.text.includes('id="outcome-error"'));
});
