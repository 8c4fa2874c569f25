// beds.test.mjs - safehouse beds over the real stack: holds under
// concurrency, idempotency, lazy expiry, agency isolation, privacy,
// validation, durability across kill -9 of Redis, search, summary, report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, sleep } from './lib/stack.mjs';
import { addResponders, api, allKeys, form, inputValue, isChecked, page, selectedOption } from './lib/beds.mjs';

let stack;
const as = {};
// a "minute" of a hold is one second here; details erased 3 s after a hold closes
const ENV = { PORTAL_BEDS_MINUTE_SECONDS: '1', PORTAL_BEDS_ERASE_SECONDS: '3' };

before(async () => {
  stack = await startStack(ENV);
  for (const u of ['responder.police', 'responder.council', 'responder.health', 'ngo.a', 'ngo.b', 'coordinator', 'trainer'])
    as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// A new safehouse of ngo.a (or `who`) with `beds` and `vacant` per group.
async function newHouse(beds, vacant, who = 'ngo.a', extra = {}) {
  const groups = Object.fromEntries(Object.entries(beds).map(([g, n]) => [g, { beds: n }]));
  const c = await api(stack, as[who], 'POST', '/api/v1/beds/safehouses', {
    name: `Test House ${Math.random().toString(36).slice(2, 8)}`, area: 'hackney', groups,
    pre_nrm: true, languages: ['sq'], referral_phone: '020 7946 0999', referral_hours: '24 hours', ...extra,
  });
  assert.equal(c.status, 201, c.text);
  const id = c.body.safehouse.id;
  if (vacant) {
    const v = await api(stack, as[who], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, vacant);
    assert.equal(v.status, 200, v.text);
  }
  return id;
}

// The codes ticked in a page's language picker (common/templates/language_box.mustache), sorted.
const tickedLanguages = (html) => [...html.matchAll(/<input[^>]*name="languages" type="checkbox" value="([^"]+)" checked>/g)]
  .map((m) => m[1]).sort();

const hold = (who, id, body, headers) => api(stack, as[who] || who, 'POST', `/api/v1/beds/safehouses/${id}/holds`,
  { group: 'women', reference: 'MPS-REF-1', callback_phone: '07700 900123', ...body }, headers);
const house = async (who, id) => (await api(stack, as[who], 'GET', `/api/v1/beds/safehouses/${id}`)).body.safehouse;

test('demo safehouses are there, with code names, areas and no address', async () => {
  const r = await api(stack, as['coordinator'], 'GET', '/api/v1/beds/safehouses');
  assert.equal(r.status, 200);
  const names = r.body.safehouses.map((s) => s.name);
  assert.ok(names.includes('Harbour House') && names.includes('Willow House'), names.join());
  const willow = r.body.safehouses.find((s) => s.name === 'Willow House');
  assert.equal(willow.area, 'outside-london');
  assert.equal(willow.agency, 'demo-charity-b');
  assert.equal(willow.groups.women.available, 1);
  assert.ok(['fresh', 'ageing', 'stale'].includes(willow.groups.women.freshness));
  assert.ok(!allKeys(r.body).some((k) => /address|postcode/i.test(k)));
});

test('50 responders hold the last 3 beds at once: exactly 3 holds and 47 refusals', async () => {
  const id = await newHouse({ women: 10 }, { women: 3 });
  const uids = await addResponders(stack, 50);
  const people = await Promise.all(uids.map((u) => stack.signIn(u)));
  const results = await Promise.all(people.map((p, i) =>
    hold(p, id, { reference: `R${i}` }, { 'idempotency-key': `k-${i}` })));
  const codes = results.map((r) => r.status);
  assert.equal(codes.filter((c) => c === 201).length, 3, codes.join());
  assert.equal(codes.filter((c) => c === 409).length, 47, codes.join());
  for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'no_bed_available');
  const h = await house('ngo.a', id);
  assert.equal(h.groups.women.held, 3);
  assert.equal(h.groups.women.available, 0);
  // a retried request with the same Idempotency-Key gives the same hold, no second bed
  const winner = results.findIndex((r) => r.status === 201);
  const again = await hold(people[winner], id, { reference: `R${winner}` }, { 'idempotency-key': `k-${winner}` });
  assert.equal(again.status, 201);
  assert.equal(again.body.hold.id, results[winner].body.hold.id);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const after2 = await house('ngo.a', id);
  assert.equal(after2.groups.women.held, 3);
  assert.equal(after2.groups.women.available, 0, 'never below zero');
  // the NGO frees a bed; the retry of a refused request now gets it, once
  const loser = results.findIndex((r) => r.status === 409);
  const r1 = await hold(people[loser], id, {}, { 'idempotency-key': 'retry-1' });
  assert.equal(r1.status, 409);
});

test('a retried hold with the same Idempotency-Key holds one bed', async () => {
  const id = await newHouse({ women: 5 }, { women: 5 });
  const key = 'same-key-' + id;
  const rs = await Promise.all([1, 2, 3].map(() => hold('responder.health', id, {}, { 'idempotency-key': key })));
  assert.deepEqual(rs.map((r) => r.status), [201, 201, 201]);
  assert.equal(new Set(rs.map((r) => r.body.hold.id)).size, 1);
  const name = (await house('ngo.a', id)).name;
  for (const r of rs) assert.equal(r.body.hold.safehouse.name, name, 'the hold names its safehouse, replayed or not');
  assert.equal((await house('ngo.a', id)).groups.women.held, 1);
  await api(stack, as['responder.health'], 'POST', `/api/v1/beds/holds/${rs[0].body.hold.id}/cancel`);
});

test('an unanswered hold expires at its time and the bed is available again on the next read', async () => {
  const id = await newHouse({ men: 2 }, { men: 1 });
  const r = await hold('responder.council', id, { group: 'men', minutes: 2 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.hold.status, 'pending');
  assert.equal((await house('ngo.a', id)).groups.men.available, 0);
  await sleep(3000);
  const h = await house('responder.council', id);
  assert.equal(h.groups.men.available, 1);
  assert.equal(h.groups.men.held, 0);
  const mine = await api(stack, as['responder.council'], 'GET', `/api/v1/beds/holds/${r.body.hold.id}`);
  assert.equal(mine.body.hold.status, 'expired');
  const ngo = await api(stack, as['ngo.a'], 'GET', '/api/v1/beds/holds');
  assert.equal(ngo.body.holds.find((x) => x.id === r.body.hold.id).status, 'expired');
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, /hold_expired/);
});

test('NGO staff accept (the bed becomes occupied) and decline with a reason', async () => {
  const id = await newHouse({ women: 3 }, { women: 2 });
  const a = await hold('responder.police', id);
  const acc = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${a.body.hold.id}/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.hold.status, 'accepted');
  let h = await house('ngo.a', id);
  assert.equal(h.groups.women.vacant, 1);
  assert.equal(h.groups.women.available, 1);
  const b = await hold('responder.police', id);
  const bad = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${b.body.hold.id}/decline`, { reason: 'because' });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.reason);
  const dec = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${b.body.hold.id}/decline`, { reason: 'needs_not_met' });
  assert.equal(dec.body.hold.status, 'declined');
  assert.equal(dec.body.hold.decline_reason, 'needs_not_met');
  h = await house('ngo.a', id);
  assert.equal(h.groups.women.available, 1);
  const twice = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${b.body.hold.id}/accept`, {});
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, 'hold_not_pending');
});

test('the responder may cancel, and extend once', async () => {
  const id = await newHouse({ women: 2 }, { women: 2 });
  const a = await hold('responder.health', id, { minutes: 10 });
  const ext = await api(stack, as['responder.health'], 'POST', `/api/v1/beds/holds/${a.body.hold.id}/extend`, { minutes: 30 });
  assert.equal(ext.status, 200, ext.text);
  assert.ok(new Date(ext.body.hold.expires_at) > new Date(a.body.hold.expires_at));
  const ext2 = await api(stack, as['responder.health'], 'POST', `/api/v1/beds/holds/${a.body.hold.id}/extend`, {});
  assert.equal(ext2.status, 409);
  assert.equal(ext2.body.error.code, 'already_extended');
  const c = await api(stack, as['responder.health'], 'POST', `/api/v1/beds/holds/${a.body.hold.id}/cancel`, {});
  assert.equal(c.body.hold.status, 'cancelled');
  assert.equal((await house('ngo.a', id)).groups.women.available, 2);
});

test('a responder may have at most 3 pending holds', async () => {
  const id = await newHouse({ women: 8 }, { women: 8 });
  const [u] = await addResponders(stack, 1, 'limit.responder');
  const p = await stack.signIn(u);
  for (let i = 0; i < 3; i++) assert.equal((await hold(p, id)).status, 201);
  const fourth = await hold(p, id);
  assert.equal(fourth.status, 429);
  assert.equal(fourth.body.error.code, 'too_many_holds');
  assert.ok(Number(fourth.headers.get('retry-after')) > 0);
});

test('NGO staff of agency B cannot read or change agency A\'s safehouses or holds', async () => {
  const id = await newHouse({ women: 2 }, { women: 2 });
  assert.equal((await api(stack, as['ngo.b'], 'GET', `/api/v1/beds/safehouses/${id}`)).status, 404);
  const put = await api(stack, as['ngo.b'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 0 });
  assert.ok([403, 404].includes(put.status), String(put.status));
  const edit = await api(stack, as['ngo.b'], 'PUT', `/api/v1/beds/safehouses/${id}`, {
    name: 'Taken', area: 'hackney', groups: { women: { beds: 1 } }, referral_phone: '020 7946 0000' });
  assert.ok([403, 404].includes(edit.status), String(edit.status));
  const conf = await api(stack, as['ngo.b'], 'POST', `/api/v1/beds/safehouses/${id}/confirm`, {});
  assert.ok([403, 404].includes(conf.status));
  const list = await api(stack, as['ngo.b'], 'GET', '/api/v1/beds/safehouses');
  assert.ok(list.body.safehouses.every((s) => s.agency === 'demo-charity-b'));
  const a = await hold('responder.police', id);
  for (const [who, path] of [['ngo.b', ''], ['ngo.b', '/accept'], ['ngo.b', '/decline'], ['responder.council', ''], ['responder.council', '/cancel']]) {
    const r = await api(stack, as[who], path ? 'POST' : 'GET', `/api/v1/beds/holds/${a.body.hold.id}${path}`, path ? { reason: 'other' } : undefined);
    assert.ok([403, 404].includes(r.status), `${who} ${path}: ${r.status}`);
    assert.ok(!r.text.includes('MPS-REF-1'));
  }
  const others = await api(stack, as['responder.council'], 'GET', '/api/v1/beds/holds');
  assert.ok(others.body.holds.every((h) => h.responder === 'responder.council'));
  const bList = await api(stack, as['ngo.b'], 'GET', '/api/v1/beds/holds');
  assert.ok(!bList.text.includes('MPS-REF-1'));
  // a trainer is not a bed user
  assert.equal((await api(stack, as['trainer'], 'GET', '/api/v1/beds/holds')).status, 403);
  // what the placing responder, the owning NGO and a coordinator see
  for (const who of ['responder.police', 'ngo.a', 'coordinator']) {
    const r = await api(stack, as[who], 'GET', `/api/v1/beds/holds/${a.body.hold.id}`);
    assert.equal(r.status, 200, who);
    assert.equal(r.body.hold.reference, 'MPS-REF-1');
    assert.equal(r.body.hold.callback_phone, '07700 900123');
  }
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, /hold_viewed/);
  assert.match(audit, /vacancies_set/);
  assert.match(audit, /safehouse_created/);
  assert.match(audit, /hold_placed/);
});

test('no response to any role contains an address field or value', async () => {
  const id = await newHouse({ women: 2 }, { women: 2 });
  const a = await hold('responder.police', id);
  const paths = ['/api/v1/beds/safehouses', `/api/v1/beds/safehouses/${id}`, '/api/v1/beds/search?group=women',
    '/api/v1/beds/holds', `/api/v1/beds/holds/${a.body.hold.id}`, '/api/v1/beds/summary',
    '/api/v1/beds/reports/holds?from=2020-01-01&to=2030-12-31'];
  for (const who of Object.keys(as)) {
    for (const p of paths) {
      const r = await api(stack, as[who], 'GET', p);
      if (r.status !== 200) continue;
      assert.ok(!allKeys(r.body).some((k) => /address|postcode|street/i.test(k)), `${who} ${p}`);
      assert.doesNotMatch(r.text, /\baddress\b/i, `${who} ${p}`);
    }
  }
  // an address sent in is refused, never stored
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name: 'Addr', area: 'hackney', groups: { women: { beds: 1 } }, referral_phone: '020 7946 0000', address: '1 High St' });
  assert.equal(c.status, 422);
  assert.ok(c.body.error.fields.address);
});

test('bad input is 422 with fields saying what to fix', async () => {
  const id = await newHouse({ women: 2, men: 1 }, { women: 2 });
  const cases = [
    ['PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 3 }, 'women'],
    ['PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { dormitory: 1 }, 'group'],
    ['PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: -1 }, 'women'],
    ['PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { trans_non_binary: 1 }, 'trans_non_binary'],
    ['POST', '/api/v1/beds/safehouses', { name: 'X', area: 'atlantis', groups: { women: { beds: 1 } }, referral_phone: '020 7946 0000' }, 'area'],
    ['POST', `/api/v1/beds/safehouses/${id}/holds`, { group: 'women', reference: 'R', callback_phone: '07700 900123', minutes: 0 }, 'minutes'],
    ['POST', `/api/v1/beds/safehouses/${id}/holds`, { group: 'women', reference: 'R', callback_phone: '07700 900123', minutes: 300 }, 'minutes'],
    ['POST', `/api/v1/beds/safehouses/${id}/holds`, { group: 'women', reference: 'x'.repeat(41), callback_phone: '07700 900123' }, 'reference'],
    ['POST', `/api/v1/beds/safehouses/${id}/holds`, { group: 'children', reference: 'R', callback_phone: '07700 900123' }, 'group'],
    ['GET', '/api/v1/beds/search?group=elders', undefined, 'group'],
    ['GET', '/api/v1/beds/search?group=women&area=mars', undefined, 'area'],
  ];
  for (const [method, path, body, field] of cases) {
    const who = path.includes('/holds') ? 'responder.police' : 'ngo.a';
    const r = await api(stack, as[who], method, path, body);
    assert.equal(r.status, 422, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.code, 'invalid_input');
    assert.ok(r.body.error.fields[field], `${field} in ${JSON.stringify(r.body.error.fields)}`);
  }
  // an unknown group is answered with the groups of the one list (beds.h)
  const unknown = await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { dormitory: 1 });
  assert.equal(unknown.body.error.fields.group, 'Use only these bed groups: women, men, trans_non_binary');
  // below the held count: refused with the message to answer holds first
  await hold('responder.police', id);
  const below = await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 0 });
  assert.equal(below.status, 409);
  assert.equal(below.body.error.code, 'holds_pending');
  assert.ok(below.body.error.fields.women);
  assert.match(below.body.error.message, /[Aa]nswer/);
});

test('search: area matches first, stale houses last and marked; no result is counted as unmet need', async () => {
  const near = await newHouse({ trans_non_binary: 2 }, { trans_non_binary: 2 }, 'ngo.a', { area: 'newham', languages: ['ur'] });
  const far = await newHouse({ trans_non_binary: 2 }, { trans_non_binary: 1 }, 'ngo.a', { area: 'ealing', languages: ['ur'] });
  const stale = await newHouse({ trans_non_binary: 2 }, { trans_non_binary: 1 }, 'ngo.a', { area: 'newham', languages: ['ur'] });
  await stack.redis('HSET', `portal:beds:{beds}:sh:${stale}`, 'at:trans_non_binary', String(Math.floor(Date.now() / 1000) - 72 * 3600));
  const r = await api(stack, as['responder.police'], 'GET', '/api/v1/beds/search?group=trans_non_binary&language=ur&area=newham');
  assert.equal(r.status, 200, r.text);
  const ids = r.body.results.map((x) => x.safehouse.id);
  assert.deepEqual(ids.filter((i) => [near, far, stale].includes(i)), [near, far, stale]);
  const last = r.body.results.find((x) => x.safehouse.id === stale);
  assert.equal(last.freshness, 'stale');
  assert.equal(r.body.results[0].safehouse.referral_phone, '020 7946 0999');
  const none = await api(stack, as['responder.police'], 'GET', '/api/v1/beds/search?group=men&language=zu&dependants=true');
  assert.equal(none.status, 200);
  assert.deepEqual(none.body.results, []);
  const today = new Date().toISOString().slice(0, 10);
  const rep = await api(stack, as['coordinator'], 'GET', `/api/v1/beds/reports/holds?from=${today}&to=${today}`);
  assert.equal(rep.status, 200, rep.text);
  assert.ok(rep.body.unmet.some((u) => u.group === 'men' && /language=zu/.test(u.needs) && u.count >= 1));
  assert.ok(rep.body.totals.placed >= 3);
  assert.ok(rep.body.groups.find((g) => g.group === 'women').accepted >= 1);
  const csv = await stack.fetch(`/api/v1/beds/reports/holds.csv?from=${today}&to=${today}`, { headers: { cookie: as['coordinator'].cookie } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const text = await csv.text();
  assert.match(text, /^section,from,to,bed_group,measure,count/);
  assert.match(text, /unmet_need,.*men,.*language=zu/);
  assert.equal((await api(stack, as['responder.police'], 'GET', `/api/v1/beds/reports/holds?from=${today}&to=${today}`)).status, 403);
  const badRange = await api(stack, as['coordinator'], 'GET', '/api/v1/beds/reports/holds?from=2026-02-30&to=2026-01-01');
  assert.equal(badRange.status, 422);
});

test('summary: available beds per group and fresh/ageing/stale houses, for every role', async () => {
  for (const who of ['trainer', 'responder.health', 'ngo.b', 'coordinator']) {
    const r = await api(stack, as[who], 'GET', '/api/v1/beds/summary');
    assert.equal(r.status, 200, who);
    assert.equal(r.body.groups.length, 3);
    assert.ok(r.body.houses.fresh + r.body.houses.ageing + r.body.houses.stale === r.body.house_count);
  }
});

test('a hold\'s case reference and call-back phone are erased after it closes; the counts stay', async () => {
  const id = await newHouse({ women: 1 }, { women: 1 });
  const a = await hold('responder.health', id, { reference: 'ERASE-ME' });
  await api(stack, as['responder.health'], 'POST', `/api/v1/beds/holds/${a.body.hold.id}/cancel`, {});
  await sleep(4000);
  const r = await api(stack, as['responder.health'], 'GET', `/api/v1/beds/holds/${a.body.hold.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.hold.erased, true);
  assert.equal(r.body.hold.reference, undefined);
  assert.equal(r.body.hold.status, 'cancelled');
  // the read leaves them out once due without writing (it never waits for
  // replicas); housekeeping (every 3 s here) erases them from Redis
  let raw = '';
  for (let i = 0; i < 40; i++) {
    raw = await stack.redis('HGETALL', `portal:beds:{beds}:hold:${a.body.hold.id}`);
    if (!/ERASE-ME|07700/.test(raw)) break;
    await sleep(200);
  }
  assert.doesNotMatch(raw, /ERASE-ME|07700/);
});

// The edit form as a browser posts it (urlencoded): every field of the house.
const editFields = (over = {}) => ({
  name: 'Edited House', area: 'lambeth', beds_women: '3', beds_men: '2', beds_trans_non_binary: '0',
  pre_nrm: 'true', dependants: 'true', languages: 'sq, ro', referral_phone: '020 7946 0777',
  referral_hours: 'Monday to Friday, 9am to 6pm', ...over,
});

test('the edit page is filled in from the safehouse and linked from the NGO\'s view of it', async () => {
  const id = await newHouse({ women: 4, men: 1 }, { women: 2 }, 'ngo.a', { area: 'newham', accessible: true, languages: ['ur', 'pl'] });
  const view = await page(stack, as['ngo.a'], `/beds/safehouses/${id}`);
  assert.equal(view.status, 200);
  assert.match(view.text, new RegExp(`href="/beds/safehouses/${id}/edit"`));
  const r = await page(stack, as['ngo.a'], `/beds/safehouses/${id}/edit`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, new RegExp(`action="/beds/safehouses/${id}/edit"`));
  assert.match(inputValue(r.text, 'name'), /^Test House /);
  assert.equal(selectedOption(r.text, 'area'), 'newham');
  assert.equal(inputValue(r.text, 'beds_women'), '4');
  assert.equal(inputValue(r.text, 'beds_men'), '1');
  assert.equal(inputValue(r.text, 'beds_trans_non_binary'), '0');
  assert.deepEqual(tickedLanguages(r.text), ['pl', 'ur'], 'the house\'s languages ticked in the language picker');
  assert.equal(inputValue(r.text, 'referral_phone'), '020 7946 0999');
  assert.ok(isChecked(r.text, 'pre_nrm') && isChecked(r.text, 'accessible'));
  assert.ok(!isChecked(r.text, 'post_nrm') && !isChecked(r.text, 'staffed_24h'));
  assert.doesNotMatch(r.text, /name="(address|postcode)"/, 'no address field, ever');
  // a responder sees the house but no way to change it
  const resp = await page(stack, as['responder.police'], `/beds/safehouses/${id}`);
  assert.equal(resp.status, 200);
  assert.doesNotMatch(resp.text, /\/edit"/);
  assert.equal((await page(stack, as['responder.police'], `/beds/safehouses/${id}/edit`)).status, 403);
});

test('the urlencoded edit form saves with 303 and the house changes', async () => {
  const id = await newHouse({ women: 4 }, { women: 3 });
  const r = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/edit`, editFields());
  assert.equal(r.status, 303, r.text);
  assert.equal(r.location, `/beds/safehouses/${id}?done=saved`);
  const done = await page(stack, as['ngo.a'], r.location);
  assert.match(done.text, /govuk-notification-banner--success/, 'the page after saving says so');
  assert.match(done.text, /Safehouse details saved/);
  const h = await house('ngo.a', id);
  assert.equal(h.name, 'Edited House');
  assert.equal(h.area, 'lambeth');
  assert.equal(h.groups.women.beds, 3);
  assert.equal(h.groups.women.vacant, 3, 'vacant kept, within the new bed count');
  assert.equal(h.groups.men.beds, 2);
  assert.equal(h.groups.trans_non_binary, undefined);
  assert.deepEqual(h.languages, ['sq', 'ro']);
  assert.equal(h.pre_nrm, true);
  assert.equal(h.dependants, true);
  assert.equal(h.accessible, false, 'an unticked box clears the offer');
  assert.equal(h.referral_hours, 'Monday to Friday, 9am to 6pm');
  assert.equal(h.agency, 'demo-charity-a');
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, /safehouse_updated/);
});

test('a bad value on the edit form is 422 with the error summary and every typed value kept', async () => {
  const id = await newHouse({ women: 2 }, { women: 1 });
  const typed = editFields({ beds_men: 'lots', area: 'southwark', accessible: 'true', dependants: undefined,
    languages: 'sq, vi', referral_hours: 'Evenings <b>only</b>' });
  delete typed.dependants;
  const r = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/edit`, typed);
  assert.equal(r.status, 422, r.text);
  assert.match(r.text, /class="govuk-error-summary"/);
  assert.match(r.text, /<a href="#beds_men">[^<]*number of beds for men[^<]*<\/a>/i);
  assert.match(r.text, /id="beds_men-error"/);
  assert.equal(inputValue(r.text, 'beds_men'), 'lots');
  assert.equal(inputValue(r.text, 'name'), 'Edited House');
  assert.equal(inputValue(r.text, 'beds_women'), '3');
  assert.equal(selectedOption(r.text, 'area'), 'southwark');
  assert.ok(isChecked(r.text, 'pre_nrm') && isChecked(r.text, 'accessible'));
  assert.ok(!isChecked(r.text, 'dependants') && !isChecked(r.text, 'post_nrm'));
  assert.deepEqual(tickedLanguages(r.text), ['sq', 'vi'], 'the languages sent stay ticked');
  assert.equal(inputValue(r.text, 'referral_hours'), 'Evenings &lt;b&gt;only&lt;/b&gt;', 'kept, and escaped');
  assert.match(r.text, new RegExp(`action="/beds/safehouses/${id}/edit"`), 'still the edit form');
  // nothing was changed
  const h = await house('ngo.a', id);
  assert.match(h.name, /^Test House /);
  assert.equal(h.area, 'hackney');
  // an unknown language and an area not on the list: both named, both kept
  const r2 = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/edit`, editFields({ area: 'atlantis', languages: 'sq, xx' }));
  assert.equal(r2.status, 422);
  assert.match(r2.text, /href="#area"/);
  assert.match(r2.text, /href="#languages"/);
  assert.deepEqual(tickedLanguages(r2.text), ['sq'], 'the offered language sent stays ticked');
  assert.match(r2.text, /id="languages-error"/);
  assert.equal(selectedOption(r2.text, 'area'), null, 'no listed area chosen');
  // the new-safehouse form keeps what was typed the same way
  const n = await form(stack, as['ngo.a'], '/beds/safehouses', editFields({ referral_phone: 'call us' }));
  assert.equal(n.status, 422);
  assert.match(n.text, /href="#referral_phone"/);
  assert.equal(inputValue(n.text, 'referral_phone'), 'call us');
  assert.equal(selectedOption(n.text, 'area'), 'lambeth');
  assert.ok(isChecked(n.text, 'pre_nrm') && isChecked(n.text, 'dependants'));
  assert.match(n.text, /action="\/beds\/safehouses"/);
});

test('NGO staff of agency B get 403 or 404 on agency A\'s edit page and cannot post to it', async () => {
  const id = await newHouse({ women: 2 }, { women: 1 });
  const get = await page(stack, as['ngo.b'], `/beds/safehouses/${id}/edit`);
  assert.ok([403, 404].includes(get.status), String(get.status));
  assert.ok(!get.text.includes('Test House'), 'nothing of the house shown');
  const post = await form(stack, as['ngo.b'], `/beds/safehouses/${id}/edit`, editFields({ name: 'Taken Over' }));
  assert.ok([403, 404].includes(post.status), String(post.status));
  const bad = await form(stack, as['ngo.b'], `/beds/safehouses/${id}/edit`, editFields({ beds_women: 'x' }));
  assert.ok(!bad.text.includes('Test House'), 'a 422 to B shows only what B typed');
  const h = await house('ngo.a', id);
  assert.match(h.name, /^Test House /);
  assert.equal(h.agency, 'demo-charity-a');
});

test('a coordinator sees a safehouse but only its NGO changes it', async () => {
  const id = await newHouse({ women: 2 }, { women: 1 });
  const view = await page(stack, as['coordinator'], `/beds/safehouses/${id}`);
  assert.equal(view.status, 200);
  assert.doesNotMatch(view.text, new RegExp(`href="/beds/safehouses/${id}/edit"`));
  assert.equal((await page(stack, as['coordinator'], `/beds/safehouses/${id}/edit`)).status, 403);
  const r = await form(stack, as['coordinator'], `/beds/safehouses/${id}/edit`, editFields({ name: 'Renamed By Coordinator' }));
  assert.equal(r.status, 403);
  const h = await house('ngo.a', id);
  assert.notEqual(h.name, 'Renamed By Coordinator');
});

test('vacancy errors on the page show the safehouse with the typed numbers; holds pending is a 409 error summary', async () => {
  const id = await newHouse({ women: 3, men: 2 }, { women: 2, men: 1 });
  const v = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/vacancies`, { women: 'two', men: '1' });
  assert.equal(v.status, 422);
  assert.match(v.text, /class="govuk-error-summary"/);
  assert.match(v.text, /<a href="#vacant-women">/);
  assert.match(v.text, /<h1 class="govuk-heading-l">Test House /, 'the safehouse details are there');
  assert.match(v.text, /Referral line: <a class="govuk-link" href="tel:020 7946 0999">020 7946 0999<\/a>/);
  assert.equal(inputValue(v.text, 'vacant-women'), 'two');
  assert.equal(inputValue(v.text, 'vacant-men'), '1');
  const over = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/vacancies`, { women: '9' });
  assert.equal(over.status, 422);
  assert.match(over.text, /between 0 and 3/);
  assert.equal(inputValue(over.text, 'vacant-women'), '9');
  assert.match(over.text, /<h1 class="govuk-heading-l">Test House /);
  const unknown = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/vacancies`, { dormitory: '1' });
  assert.equal(unknown.status, 422);
  assert.match(unknown.text, /<h1 class="govuk-heading-l">Test House /);
  // B posting to A's vacancies sees nothing of A's house
  const b = await form(stack, as['ngo.b'], `/beds/safehouses/${id}/vacancies`, { women: 'x' });
  assert.ok([403, 404].includes(b.status), String(b.status));
  assert.ok(!b.text.includes('Test House'));
  // below the held count: 409 holds_pending, shown as an error summary on the vacancies form
  const [uid] = await addResponders(stack, 1, 'vacancy.responder');
  const who = await stack.signIn(uid);
  const a = await hold(who, id);
  assert.equal(a.status, 201, a.text);
  const below = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/vacancies`, { women: '0', men: '1' });
  assert.equal(below.status, 409);
  assert.match(below.text, /class="govuk-error-summary"/);
  assert.match(below.text, /<a href="#vacant-women">Women: 1 bed is held for a referral\. Answer that hold first/);
  assert.match(below.text, /id="vacant-women-error"/);
  assert.equal(inputValue(below.text, 'vacant-women'), '0');
  assert.match(below.text, /Save vacancies/);
  assert.equal((await house('ngo.a', id)).groups.women.vacant, 2, 'nothing changed');
  // and the edit form refuses fewer beds than are held, the same way
  const fewer = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/edit`, editFields({ beds_women: '0', beds_men: '2' }));
  assert.equal(fewer.status, 409);
  assert.match(fewer.text, /<a href="#beds_women">Women: 1 bed is held/);
  assert.equal(inputValue(fewer.text, 'beds_women'), '0');
  await api(stack, who, 'POST', `/api/v1/beds/holds/${a.body.hold.id}/cancel`, {});
});

test('after kill -9 of Redis and a restart, every acknowledged hold and vacancy change is there', async () => {
  const id = await newHouse({ women: 4, men: 3 }, { women: 4 });
  const v = await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { men: 2 });
  assert.equal(v.status, 200);
  const a = await hold('responder.council', id, { reference: 'DURABLE-1' });
  assert.equal(a.status, 201);
  const pid = stack.pid('redis');
  process.kill(pid, 'SIGKILL');
  // wait until it is dead; where PID 1 does not reap orphans it stays a
  // zombie, which stack.sh's kill -0 check takes for alive: forget its pid
  for (let i = 0; i < 50; i++) {
    let state = 'gone';
    try { state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0]; } catch { /* gone */ }
    if (state === 'gone' || state === 'Z') break;
    await sleep(100);
  }
  rmSync(join(stack.dir, 'pids', 'redis.pid'), { force: true });
  await stack.startService('redis');
  let h;
  for (let i = 0; i < 20; i++) {
    const r = await api(stack, as['ngo.a'], 'GET', `/api/v1/beds/safehouses/${id}`);
    if (r.status === 200) { h = r.body.safehouse; break; }
    await sleep(250);
  }
  assert.ok(h, 'safehouse readable after restart');
  assert.equal(h.groups.men.vacant, 2);
  assert.equal(h.groups.women.held, 1);
  const r = await api(stack, as['responder.council'], 'GET', `/api/v1/beds/holds/${a.body.hold.id}`);
  assert.equal(r.body.hold.reference, 'DURABLE-1');
  assert.equal(r.body.hold.status, 'pending');
});

test('Redis down: a clear 503, not a hang', async () => {
  await stack.stopService('redis');
  try {
    const t0 = Date.now();
    const r = await api(stack, as['ngo.a'], 'GET', '/api/v1/beds/safehouses');
    assert.equal(r.status, 503);
    assert.ok(Date.now() - t0 < 3000);
  } finally {
    await stack.startService('redis');
  }
});

// Issue 15, point 1 and 4: the hold form after any mistake keeps its house,
// its action, the chosen group and what was typed; it lists only the
// house's groups with a bed free; a group the house has no bed for is an
// error at the group field with a way on.
test('the hold form after a mistake keeps the house, action, group and values; only free groups are offered', async () => {
  const id = await newHouse({ women: 2, trans_non_binary: 1 }, { women: 1, trans_non_binary: 1 });
  const name = (await house('ngo.a', id)).name;
  const [uid] = await addResponders(stack, 1, 'form.responder');
  const me = await stack.signIn(uid);
  const empty = await page(stack, me, `/beds/safehouses/${id}/hold?group=trans_non_binary`);
  assert.equal(empty.status, 200);
  assert.equal(selectedOption(empty.text, 'group'), 'trans_non_binary');
  assert.ok(!/<option value="men"/.test(empty.text), 'a group the house does not have is not offered');
  const bad = await form(stack, me, `/beds/safehouses/${id}/holds`,
    { group: 'trans_non_binary', reference: 'MPS-9', callback_phone: '', minutes: '999' });
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.text, new RegExp(`<h1 class="govuk-heading-l">Hold a bed at ${name}</h1>`));
  assert.match(bad.text, new RegExp(`action="/beds/safehouses/${id}/holds"`));
  assert.equal(selectedOption(bad.text, 'group'), 'trans_non_binary');
  assert.equal(inputValue(bad.text, 'reference'), 'MPS-9');
  assert.equal(inputValue(bad.text, 'minutes'), '999');
  assert.match(bad.text, /<a href="#callback_phone">/);
  assert.match(bad.text, /<a href="#minutes">Enter a number of minutes to hold the bed between 1 and 240/);
  const phone = await form(stack, me, `/beds/safehouses/${id}/holds`,
    { group: 'women', reference: 'MPS-9', callback_phone: 'call me', minutes: '60' });
  assert.equal(phone.status, 422);
  assert.match(phone.text, /<a href="#callback_phone">Enter a call-back phone number/);
  assert.equal(inputValue(phone.text, 'callback_phone'), 'call me');
  assert.match(phone.text, new RegExp(`action="/beds/safehouses/${id}/holds"`));
  const men = await form(stack, me, `/beds/safehouses/${id}/holds`,
    { group: 'men', reference: 'MPS-9', callback_phone: '07700 900123' });
  assert.equal(men.status, 422);
  assert.match(men.text, /<a href="#group">[^<]* has no beds for Men/);
  assert.match(men.text, /id="group-error"/);
  assert.match(men.text, /govuk-select--error/);
  assert.match(men.text, /href="\/beds\/search\?group(=|&#61;)men"[^>]*>Find another safehouse with a free bed for Men/);
  assert.equal(inputValue(men.text, 'reference'), 'MPS-9');
  const ok = await form(stack, me, `/beds/safehouses/${id}/holds`,
    { group: 'trans_non_binary', reference: 'MPS-9', callback_phone: '07700 900123', minutes: '60' });
  assert.equal(ok.status, 303, ok.text);
  assert.match(ok.location, /^\/beds\/holds\/\d+\?done=placed$/);
  const held = await page(stack, me, ok.location);
  assert.match(held.text, /govuk-notification-banner--success/);
  assert.match(held.text, /The bed is held for you/);
  assert.match(held.text, /What happens next/);
  assert.match(held.text, /href="tel:020 7946 0999"/, 'the referral line is a tel: link');
  assert.match(held.text, /held until <strong>(?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+<\/strong>/);
  assert.ok(!held.text.includes(`>${uid}<`), 'no username on the hold page');
  assert.ok(!held.text.includes('met-police'), 'no agency id on the hold page');
  // no bed free now: the safehouse page offers no hold, the form says so
  const sh = await page(stack, me, `/beds/safehouses/${id}`);
  assert.ok(!sh.text.includes(`hold?group=trans_non_binary`), 'no hold offered where no bed is free');
  assert.ok(sh.text.includes(`hold?group=women`));
  const none = await form(stack, me, `/beds/safehouses/${id}/holds`,
    { group: 'trans_non_binary', reference: 'MPS-10', callback_phone: '07700 900123' });
  assert.equal(none.status, 409);
  assert.match(none.text, /<a href="#group">Trans and non-binary people: no bed is free at/);
  const holdId = ok.location.match(/holds\/(\d+)/)[1];
  await api(stack, me, 'POST', `/api/v1/beds/holds/${holdId}/cancel`, {});
});

// Issue 15, points 2, 6 and 8: declining without a reason shows the hold
// again with the error at the reasons; the hold names who placed it in
// words; accepting ends on a banner.
test('declining without a reason shows the hold again; the hold names the responder; accept ends on a banner', async () => {
  const id = await newHouse({ women: 3 }, { women: 3 });
  const [uid] = await addResponders(stack, 1, 'decline.responder');
  const h = await hold(await stack.signIn(uid), id);
  assert.equal(h.status, 201, h.text);
  assert.ok(h.body.hold.responder_name.length > 0, 'the name is kept beside the uid');
  assert.equal(h.body.hold.responder, uid, 'the uid stays the identity');
  const hid = h.body.hold.id;
  const bad = await form(stack, as['ngo.a'], `/beds/holds/${hid}/decline`, {});
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.text, /<a href="#reason">/);
  assert.match(bad.text, /id="reason-error"/);
  assert.match(bad.text, /<h1 class="govuk-heading-l">Test House [a-z0-9]+: Women<\/h1>/);
  assert.match(bad.text, new RegExp(`action="/beds/holds/${hid}/decline"`));
  assert.match(bad.text, new RegExp(`data-beds="placed-by">${h.body.hold.responder_name}, `));
  assert.ok(!bad.text.includes('()'));
  // a hold placed before the names were kept: no uid, no empty row, it says so
  await stack.redis('HDEL', `portal:beds:{beds}:hold:${hid}`, 'responder_name', 'responder_agency_name');
  const older = await page(stack, as['ngo.a'], `/beds/holds/${hid}`);
  assert.match(older.text, /data-beds="placed-by">A first responder \(the portal did not yet keep names when this hold was placed\)</);
  assert.ok(!older.text.includes(uid), 'no username');
  const ok = await form(stack, as['ngo.a'], `/beds/holds/${hid}/accept`, {});
  assert.equal(ok.status, 303);
  assert.equal(ok.location, `/beds/holds/${hid}?done=accept`);
  const done = await page(stack, as['ngo.a'], ok.location);
  assert.match(done.text, /You accepted the hold: the bed is taken/);
  const v = await form(stack, as['ngo.a'], `/beds/safehouses/${id}/vacancies`, { women: '2' });
  assert.equal(v.status, 303);
  assert.match((await page(stack, as['ngo.a'], v.location)).text, /Vacant beds saved/);
});

// Issue 15, point 3: the holds report without dates is the last 30 days
// (page, JSON and CSV); the page takes GOV.UK date inputs and keeps what
// was typed after a mistake; unmet need is in words.
test('the holds report defaults to the last 30 days, takes date inputs, and says unmet need in words', async () => {
  await api(stack, as['responder.police'], 'GET', '/api/v1/beds/search?group=men&language=sq&pre_nrm=true&area=camden&dependants=true');
  const d = (n) => { const t = new Date(Date.now() - n * 86400000); return t; };
  const iso = (t) => t.toISOString().slice(0, 10);
  const json = await api(stack, as['coordinator'], 'GET', '/api/v1/beds/reports/holds');
  assert.equal(json.status, 200, json.text);
  assert.ok([iso(d(29)), iso(d(30)), iso(d(28))].includes(json.body.form.from), json.body.form.from);
  assert.ok(json.body.unmet.some((u) => u.needs_text === 'Emergency pre-NRM stay, Dependants accepted, Albanian, Camden'),
    JSON.stringify(json.body.unmet));
  const csv = await stack.fetch('/beds/reports/holds.csv', { headers: { cookie: as['coordinator'].cookie } });
  assert.equal(csv.status, 200, 'no dates: the last 30 days, not a 500');
  assert.match(await csv.text(), /^section,from,to,bed_group,measure,count/);
  const pg = await page(stack, as['coordinator'], '/beds/reports/holds');
  assert.equal(pg.status, 200);
  assert.match(pg.text, /data-beds="range">Holds placed from \d{1,2} [A-Z][a-z]+ \d{4} to \d{1,2} [A-Z][a-z]+ \d{4}</);
  assert.match(pg.text, /Emergency pre-NRM stay, Dependants accepted, Albanian, Camden/);
  assert.ok(!/language=sq/.test(pg.text), 'no raw needs on the page');
  const t = d(0);
  const typed = await page(stack, as['coordinator'],
    `/beds/reports/holds?from_day=1&from_month=1&from_year=2026&to_day=${t.getUTCDate()}&to_month=${t.getUTCMonth() + 1}&to_year=${t.getUTCFullYear()}`);
  assert.equal(typed.status, 200);
  assert.match(typed.text, /Holds placed from 1 January 2026 to /);
  assert.equal(inputValue(typed.text, 'from'), '1');
  assert.equal(inputValue(typed.text, 'from_month'), '1');
  const half = await page(stack, as['coordinator'], '/beds/reports/holds?from_day=1&from_month=&from_year=2026&to_day=x&to_month=2&to_year=2026');
  assert.equal(half.status, 422);
  assert.match(half.text, /<a href="#from">Enter a real date with a day, month and year/);
  assert.match(half.text, /<a href="#to">/);
  assert.equal(inputValue(half.text, 'from_year'), '2026');
  assert.equal(inputValue(half.text, 'to'), 'x');
  const halfCsv = await stack.fetch('/beds/reports/holds.csv?from_day=1', { headers: { cookie: as['coordinator'].cookie } });
  assert.equal(halfCsv.status, 422);
});

// Issue 15, point 10: each bed group says whom it welcomes (default: what
// its name says); person= finds every bed that welcomes them across
// groups; group= keeps working; a house saved before welcomes existed
// keeps its defaults.
test('welcomes per bed group; person= searches across groups; group= and older houses keep working', async () => {
  const lang = 'yo';
  const inWomen = await newHouse({ women: 2 }, { women: 2 }, 'ngo.a', { languages: [lang] });
  const c = await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${inWomen}`, {
    name: 'Welcoming House', area: 'hackney', languages: [lang], referral_phone: '020 7946 0999',
    groups: { women: { beds: 2, welcomes: ['woman', 'trans_woman'] } },
  });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.body.safehouse.groups.women.welcomes, ['woman', 'trans_woman']);
  assert.equal(c.body.safehouse.groups.women.welcomes_text, 'Women, Trans women');
  const tnb = await newHouse({ trans_non_binary: 1 }, { trans_non_binary: 1 }, 'ngo.a', { languages: [lang] });
  assert.deepEqual((await house('ngo.a', tnb)).groups.trans_non_binary.welcomes, ['trans_woman', 'trans_man', 'non_binary']);
  // a house written before: its doc has no welcomes
  const old = await newHouse({ men: 1 }, { men: 1 }, 'ngo.a', { languages: [lang] });
  const key = `portal:beds:{beds}:sh:${old}`;
  const doc = JSON.parse(await stack.redis('HGET', key, 'doc'));
  delete doc.welcomes;
  await stack.redis('HSET', key, 'doc', JSON.stringify(doc));
  const search = async (q) => (await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?language=${lang}&${q}`)).body.results
    .map((r) => [r.safehouse.id, r.group]).filter(([id]) => [inWomen, tnb, old].includes(id));
  assert.deepEqual((await search('person=trans_woman')).sort(), [[inWomen, 'women'], [tnb, 'trans_non_binary']].sort());
  assert.deepEqual(await search('person=trans_man'), [[tnb, 'trans_non_binary']]);
  assert.deepEqual(await search('person=man'), [[old, 'men']]);
  assert.deepEqual(await search('group=women'), [[inWomen, 'women']]);
  const neither = await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?language=${lang}`);
  assert.equal(neither.status, 422);
  assert.ok(neither.body.error.fields.person);
  const pg = await page(stack, as['responder.police'], `/beds/search?person=trans_woman&language=${lang}`);
  assert.match(pg.text, /Results: Trans women/);
  assert.match(pg.text, /data-beds="group">Women</);
  const edit = await page(stack, as['ngo.a'], `/beds/safehouses/${inWomen}/edit`);
  assert.ok(isChecked(edit.text, 'welcomes_women-trans_woman'));
  assert.ok(!isChecked(edit.text, 'welcomes_women-trans_man'));
});

// Issue 15, point 13: a preferred area with nothing in it says so, and the
// results come nearest first.
test('preferred area: nearest borough first, and the page says when nothing was in the chosen one', async () => {
  const lang = 'ha';
  const far = await newHouse({ men: 1 }, { men: 1 }, 'ngo.a', { area: 'havering', languages: [lang] });
  const near = await newHouse({ men: 1 }, { men: 1 }, 'ngo.a', { area: 'islington', languages: [lang] });
  const r = await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?group=men&language=${lang}&area=camden`);
  assert.deepEqual(r.body.results.map((x) => x.safehouse.id).filter((i) => [far, near].includes(i)), [near, far]);
  const pg = await page(stack, as['responder.police'], `/beds/search?group=men&language=${lang}&area=camden`);
  assert.match(pg.text, /data-beds="none-in-area">No safehouse in Camden has a bed that fits now\. These are the nearest to Camden, closest first\./);
  const inArea = await page(stack, as['responder.police'], `/beds/search?group=men&language=${lang}&area=islington`);
  assert.ok(!inArea.text.includes('data-beds="none-in-area"'));
});

test('the beds forms offer languages in the order coordinators keep on the directory\'s languages page, and the safehouse form ticks them in a picker', async () => {
  const kept = await api(stack, as.coordinator, 'GET', '/api/v1/directory/languages');
  assert.equal(kept.status, 200, kept.text);
  const offered = (html) => [...html.matchAll(/name="languages" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]);
  const options = (html) => {
    const sel = html.match(/<select[^>]*\bid="language"[\s\S]*?<\/select>/);
    return [...sel[0].matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
  };
  try {
    const put = await api(stack, as.coordinator, 'PUT', '/api/v1/directory/languages', { first: ['cy', 'pl'] });
    assert.equal(put.status, 200, put.text);
    const form = await page(stack, as['ngo.a'], '/beds/safehouses/new');
    assert.equal(form.status, 200);
    assert.deepEqual(offered(form.text).slice(0, 2), ['cy', 'pl'], 'the safehouse form starts with the coordinators\' first languages');
    assert.ok(offered(form.text).length > 100, 'every other language is offered too');
    assert.doesNotMatch(form.text, /ISO 639|codes separated by commas/, 'no one is asked to type codes');
    const search = await page(stack, as['responder.police'], '/beds/search');
    assert.deepEqual(options(search.text).slice(0, 2), ['cy', 'pl'], 'the search\'s language list follows the same order');
  } finally {
    const back = await api(stack, as.coordinator, 'PUT', '/api/v1/directory/languages', { first: kept.body.first });
    assert.equal(back.status, 200, back.text);
  }
});

test('the holds and safehouses lists are paged: page, per_page (at most 100), total, and the GOV.UK pagination', async () => {
  const co = as['coordinator'];
  const list = async (who, path) => (await api(stack, who, 'GET', path)).body;
  await newHouse({ women: 3 }, { women: 3 });
  await newHouse({ women: 3 }, { women: 3 }, 'ngo.b');
  const all = await list(co, '/api/v1/beds/holds?per_page=100');
  assert.ok(all.total >= 3 && all.holds.length === Math.min(all.total, 100), JSON.stringify(all).slice(0, 200));
  const first = await list(co, '/api/v1/beds/holds');
  assert.deepEqual([first.page, first.per_page, first.total], [1, 20, all.total]);
  const second = await list(co, '/api/v1/beds/holds?page=2&per_page=1');
  assert.deepEqual([second.total, second.holds.map((h) => h.id)], [all.total, [all.holds[1].id]], 'page 2 of 1 is the second newest');
  const beyond = await list(co, '/api/v1/beds/holds?page=999');
  assert.deepEqual([beyond.total, beyond.holds, beyond.has_holds], [all.total, [], false]);

  const houses = await list(co, '/api/v1/beds/safehouses?per_page=100');
  assert.equal(houses.safehouses.length, Math.min(houses.total, 100));
  const two = await list(co, '/api/v1/beds/safehouses?page=2&per_page=2');
  assert.deepEqual(two.safehouses.map((s) => s.id), houses.safehouses.slice(2, 4).map((s) => s.id));
  const bOnly = await list(as['ngo.b'], '/api/v1/beds/safehouses?per_page=1');
  assert.equal(bOnly.total, houses.safehouses.filter((s) => s.agency === 'demo-charity-b').length, 'an NGO counts only its own houses');
  assert.equal(bOnly.safehouses.length, 1);

  for (const path of ['/api/v1/beds/holds', '/api/v1/beds/safehouses']) {
    for (const q of ['per_page=101', 'page=0', 'per_page=x']) {
      const r = await api(stack, co, 'GET', `${path}?${q}`);
      assert.equal(r.status, 422, `${path}?${q}`);
      assert.ok(r.body.error.fields[q.split('=')[0]], `${path}?${q}: ${r.text}`);
    }
  }
  const html = (await page(stack, co, '/beds/safehouses?per_page=2&page=2')).text
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
  assert.match(html, /<nav class="govuk-pagination" aria-label="Pages of safehouses">/);
  assert.ok(html.includes('href="/beds/safehouses?page=3&per_page=2" rel="next"'));
  assert.ok(html.includes('href="/beds/safehouses?page=1&per_page=2" rel="prev"'));
  const holdsPage = await page(stack, co, '/beds/holds?per_page=1');
  assert.match(holdsPage.text, /aria-label="Pages of holds"/);
  assert.match((await page(stack, co, '/beds/holds?page=999')).text, /This page is past the last one/);
  assert.equal((await page(stack, co, '/beds/holds?per_page=500')).status, 422);
});

test('one hold is answered by its script as the list shows it, to each reader who may see it', async () => {
  const id = await newHouse({ women: 3, men: 1 }, { women: 3, men: 1 });
  const placed = [];
  const [r1, r2] = await addResponders(stack, 2, 'view.responder');
  as[r1] = await stack.signIn(r1);
  as[r2] = await stack.signIn(r2);
  for (const [who, body] of [[r1, {}], [r2, { group: 'men', minutes: 5 }]]) {
    const r = await hold(who, id, body);
    assert.equal(r.status, 201, r.text);
    placed.push([who, r.body.hold.id]);
  }
  const declined = await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${placed[1][1]}/decline`, { reason: 'risk_assessment' });
  assert.equal(declined.status, 200, declined.text);
  // the same hold, the same reader: the one-hold answer and the list's view agree
  const same = (a, b) => {
    const x = { ...a }, y = { ...b };
    if (Math.abs((x.minutes_left ?? 0) - (y.minutes_left ?? 0)) <= 1) { delete x.minutes_left; delete y.minutes_left; }
    assert.deepEqual(x, y);
  };
  for (const [responder, hid] of placed) {
    for (const reader of [responder, 'ngo.a', 'coordinator']) {
      const one = await api(stack, as[reader], 'GET', `/api/v1/beds/holds/${hid}`);
      assert.equal(one.status, 200, `${reader} ${hid}: ${one.text}`);
      const listed = (await api(stack, as[reader], 'GET', '/api/v1/beds/holds?per_page=100')).body.holds.find((h) => h.id === hid);
      same(one.body.hold, listed);
    }
  }
  const d = (await api(stack, as['ngo.a'], 'GET', `/api/v1/beds/holds/${placed[1][1]}`)).body.hold;
  assert.deepEqual([d.status, d.decline_reason, d.is_pending, d.can_answer], ['declined', 'risk_assessment', false, false]);
  assert.match(d.closed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  const p = (await api(stack, as[r1], 'GET', `/api/v1/beds/holds/${placed[0][1]}`)).body.hold;
  assert.deepEqual([p.is_pending, p.can_cancel, p.can_extend, p.can_answer, p.reference], [true, true, true, false, 'MPS-REF-1']);
  assert.match(p.expires_at_text, /^\d{1,2}(:\d\d)?(am|pm) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+( \d{4})?$|^(midday|midnight) on /);
  // not theirs: 404, as an absent hold
  assert.equal((await api(stack, as['ngo.b'], 'GET', `/api/v1/beds/holds/${placed[0][1]}`)).status, 404);
  assert.equal((await api(stack, as['responder.council'], 'GET', `/api/v1/beds/holds/${placed[0][1]}`)).status, 404);
  assert.equal((await api(stack, as['coordinator'], 'GET', '/api/v1/beds/holds/999999')).status, 404);
});

test('the bed search is paged: total, page 2, per_page at most 100, and links that keep the search', async () => {
  for (let i = 0; i < 3; i++) await newHouse({ women: 2 }, { women: 2 }, 'ngo.a', { area: 'camden', accessible: true });
  const q = 'group=women&accessible=1&area=camden';
  const all = (await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?${q}&per_page=100`)).body;
  assert.ok(all.total >= 3 && all.results.length === all.total, JSON.stringify(all).slice(0, 300));
  assert.deepEqual([all.page, all.per_page], [1, 100]);
  const two = (await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?${q}&per_page=1&page=2`)).body;
  assert.deepEqual([two.total, two.page, two.per_page, two.results.map((x) => [x.safehouse.id, x.group])],
    [all.total, 2, 1, [[all.results[1].safehouse.id, all.results[1].group]]]);
  const past = await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?${q}&page=999`);
  assert.deepEqual([past.status, past.body.total, past.body.results], [200, all.total, []]);
  const over = await api(stack, as['responder.police'], 'GET', `/api/v1/beds/search?${q}&per_page=101`);
  assert.equal(over.status, 422);
  assert.ok(over.body.error.fields.per_page, over.text);
  const html = (await page(stack, as['responder.police'], `/beds/search?${q}&per_page=1`)).text
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
  assert.match(html, /aria-label="Pages of results"/);
  assert.ok(html.includes('href="/beds/search?page=2&group=women&accessible=1&area=camden&per_page=1" rel="next"'), html.match(/rel="next"[^>]*/)?.[0]);
  const beyond = await page(stack, as['responder.police'], `/beds/search?${q}&page=999`);
  assert.match(beyond.text, /This page is past the last one/);
  assert.doesNotMatch(beyond.text, /This search has been counted/);
});
