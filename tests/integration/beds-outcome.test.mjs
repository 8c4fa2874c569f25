// beds-outcome.test.mjs - issue 18's bed hold outcomes over the real stack:
// once a hold has closed the owning NGO says what happened (required) and
// may add a note, the responder who placed it may add theirs; the note is
// guarded against personal data and answered with its language notes; the
// event hold_outcome; the responder's agency type and unit on hold events;
// search_unmet's needs and words; the outcome outlives the erasure of the
// hold's details.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api, form, page } from './lib/beds.mjs';

let stack;
const as = {};
const EVENTS = 'portal:beds:{beds}:events';
// details erased 3 s after a hold closes
const ENV = { PORTAL_BEDS_MINUTE_SECONDS: '1', PORTAL_BEDS_ERASE_SECONDS: '3' };

before(async () => {
  stack = await startStack(ENV);
  for (const u of ['responder.police', 'responder.council', 'ngo.a', 'ngo.b', 'coordinator'])
    as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

// A new house of ngo.a with two vacant women's beds; a hold on it placed by
// `who`, closed by `close` (decline, cancel, accept; '' leaves it open).
async function closedHold(close = 'decline', who = 'responder.police') {
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name: `Outcome House ${Math.random().toString(36).slice(2, 8)}`, area: 'hackney', groups: { women: { beds: 2 } },
    referral_phone: '020 7946 0999' });
  assert.equal(c.status, 201, c.text);
  const sid = c.body.safehouse.id;
  assert.equal((await api(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${sid}/vacancies`, { women: 2 })).status, 200);
  const h = await api(stack, as[who], 'POST', `/api/v1/beds/safehouses/${sid}/holds`,
    { group: 'women', reference: 'OUT-REF-1', callback_phone: '07700 900123' });
  assert.equal(h.status, 201, h.text);
  const id = h.body.hold.id;
  if (close === 'decline') assert.equal((await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${id}/decline`, { reason: 'other' })).status, 200);
  if (close === 'accept') assert.equal((await api(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${id}/accept`)).status, 200);
  if (close === 'cancel') assert.equal((await api(stack, as[who], 'POST', `/api/v1/beds/holds/${id}/cancel`)).status, 200);
  return id;
}

const outcome = (who, id, body) => api(stack, as[who], 'POST', `/api/v1/beds/holds/${id}/outcome`, body);

// The beds events of `kind` (for hold `hold` when given), as objects; an
// empty value is kept (redis-cli prints it as an empty line).
async function events(kind, hold) {
  const lines = (await stack.redis('XRANGE', EVENTS, '-', '+')).replace(/\n$/, '').split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\d+-\d+$/.test(lines[i])) {
      const e = {};
      let j = i + 1;
      for (; j < lines.length - 1 && !/^\d+-\d+$/.test(lines[j]); j += 2) e[lines[j]] = lines[j + 1];
      i = j - 1;
      if (e.kind === kind && (hold === undefined || e.hold === String(hold))) found.push(e);
    }
  }
  return found;
}

test('the NGO records "arrived" with "she claims she was plugging": 201 with two language notes; again replaces it (200)', async () => {
  const id = await closedHold('accept');
  const r = await outcome('ngo.a', id, { outcome: 'arrived', note: 'she claims she was plugging' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.language_notes.map((n) => [n.term, n.found, n.preferred]),
    [['claims', 'claims', 'states'], ['plugging', 'plugging', 'coerced internal concealment']]);
  assert.ok(r.body.language_notes.every((n) => n.reason.length > 0));
  assert.equal(r.body.has_notes, true);
  assert.deepEqual([r.body.outcome.side, r.body.outcome.outcome, r.body.outcome.outcome_label, r.body.outcome.note],
    ['ngo', 'arrived', 'The person arrived', 'she claims she was plugging']);
  const got = await api(stack, as['ngo.a'], 'GET', `/api/v1/beds/holds/${id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body.hold.outcomes.map((o) => [o.side, o.outcome, o.note]), [['ngo', 'arrived', 'she claims she was plugging']]);
  assert.equal(got.body.hold.outcome_needed, false);
  const again = await outcome('ngo.a', id, { outcome: 'placed_elsewhere', note: 'She states she was moved on.' });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.body.language_notes, [], 'no notes: an empty list');
  const now = await api(stack, as['coordinator'], 'GET', `/api/v1/beds/holds/${id}`);
  assert.deepEqual(now.body.hold.outcomes.map((o) => [o.side, o.outcome, o.note]),
    [['ngo', 'placed_elsewhere', 'She states she was moved on.']], 'replaced, not added');
});

test('a date of birth in the note is refused (422 saying what was found) and nothing is kept', async () => {
  const id = await closedHold();
  const r = await outcome('ngo.a', id, { outcome: 'arrived', note: 'The young woman, born 12/03/2001, arrived late.' });
  assert.equal(r.status, 422, r.text);
  assert.match(r.body.error.fields.note, /date of birth/);
  const got = await api(stack, as['ngo.a'], 'GET', `/api/v1/beds/holds/${id}`);
  assert.deepEqual(got.body.hold.outcomes, []);
  assert.equal(got.body.hold.outcome_needed, true);
  assert.equal((await events('hold_outcome', id)).length, 0);
});

test('the form after an error keeps its heading, the hold, its action and every value typed', async () => {
  const id = await closedHold();
  const typed = 'Arrived 3rd March 1985 born, she claims';
  const bad = await form(stack, as['ngo.a'], `/beds/holds/${id}/outcome`, { outcome: 'did_not_arrive', note: typed });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /date of birth/);
  assert.match(bad.text, /<h2 class="govuk-heading-m" id="what-happened">What happened\?<\/h2>/);
  assert.match(bad.text, /Outcome House [a-z0-9]+: Women/, 'the hold it is about');
  assert.ok(bad.text.includes(`action="/beds/holds/${id}/outcome"`));
  assert.ok(bad.text.includes(`>${typed}</textarea>`), 'the note typed is shown again');
  assert.match(bad.text, /value="did_not_arrive" checked/);
  // the NGO must say what happened: a note alone is refused at the field
  const none = await form(stack, as['ngo.a'], `/beds/holds/${id}/outcome`, { note: 'Went well.' });
  assert.equal(none.status, 422);
  assert.match(none.text, /Choose what happened to the person/);
  assert.ok(none.text.includes('>Went well.</textarea>'));
  const api422 = await outcome('ngo.a', id, { note: 'Went well.' });
  assert.equal(api422.status, 422);
  assert.match(api422.body.error.fields.outcome, /Choose what happened/);
  const odd = await outcome('ngo.a', id, { outcome: 'vanished' });
  assert.equal(odd.status, 422);
  assert.ok(odd.body.error.fields.outcome);
});

test('after saving on a page, the page shows each language note with its preferred wording and a link to change the text', async () => {
  const id = await closedHold();
  const ok = await form(stack, as['ngo.a'], `/beds/holds/${id}/outcome`, { outcome: 'arrived', note: 'she claims she was plugging' });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, `/beds/holds/${id}/outcome?done=outcome`);
  const shown = await page(stack, as['ngo.a'], ok.location);
  assert.equal(shown.status, 200);
  assert.match(shown.text, /What happened is saved/);
  assert.match(shown.text, /You wrote &ldquo;claims&rdquo;: say &ldquo;states&rdquo;/);
  assert.match(shown.text, /You wrote &ldquo;plugging&rdquo;: say &ldquo;coerced internal concealment&rdquo;/);
  assert.ok(shown.text.includes(`href="/beds/holds/${id}#note"`), 'a link back to change the text');
  const hold = await page(stack, as['ngo.a'], `/beds/holds/${id}`);
  assert.ok(hold.text.includes('>she claims she was plugging</textarea>'), 'the form starts from what was said');
  assert.match(hold.text, /The safehouse said/);
  assert.match(hold.text, /The person arrived\./);
  // the responder sees what the NGO said, and no note of their own on the page after saving
  const theirs = await page(stack, as['responder.police'], `/beds/holds/${id}/outcome`);
  assert.equal(theirs.status, 200);
  assert.match(theirs.text, /You have not said what happened after this hold yet/);
  assert.equal((await page(stack, as['ngo.b'], `/beds/holds/${id}/outcome`)).status, 404);
});

test('an open hold answers 409 with words; another NGO and another responder 404', async () => {
  const open = await closedHold('');
  const r = await outcome('ngo.a', open, { outcome: 'arrived' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'hold_open');
  assert.match(r.body.error.message, /still open/);
  const id = await closedHold();
  assert.equal((await outcome('ngo.b', id, { outcome: 'arrived' })).status, 404);
  assert.equal((await outcome('responder.council', id, { note: 'Fine.' })).status, 404);
  assert.equal((await outcome('ngo.a', 999999, { outcome: 'arrived' })).status, 404);
  assert.equal((await outcome('coordinator', id, { outcome: 'arrived' })).status, 403, 'coordinators read, they do not say');
  const refused = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(refused, /hold_outcome_refused/);
});

test("the responder adds their note (no outcome needed); the NGO's holds list marks closed holds waiting for an outcome", async () => {
  const id = await closedHold('cancel');
  const list = await api(stack, as['ngo.a'], 'GET', '/api/v1/beds/holds?per_page=100');
  assert.equal(list.body.holds.find((h) => h.id === id).outcome_needed, true);
  const listPage = await page(stack, as['ngo.a'], '/beds/holds?per_page=100');
  assert.ok(new RegExp(`href="/beds/holds/${id}">Hold ${id}</a>[\\s\\S]*?Say what happened`).test(listPage.text));
  const nothing = await outcome('responder.police', id, {});
  assert.equal(nothing.status, 422);
  const r = await outcome('responder.police', id, { note: 'The safehouse called back within ten minutes.' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.outcome.side, r.body.outcome.outcome, r.body.outcome.side_label], ['responder', '', 'The first responder']);
  assert.equal(r.body.hold.can_record_outcome, true);
  const ngo = await outcome('ngo.a', id, { outcome: 'unknown' });
  assert.equal(ngo.status, 201, 'each side has its own');
  const got = await api(stack, as['responder.police'], 'GET', `/api/v1/beds/holds/${id}`);
  assert.deepEqual(got.body.hold.outcomes.map((o) => [o.side, o.outcome]), [['ngo', 'unknown'], ['responder', '']]);
  assert.equal(got.body.hold.outcome_side, 'responder');
  const after_ = await api(stack, as['ngo.a'], 'GET', '/api/v1/beds/holds?per_page=100');
  assert.equal(after_.body.holds.find((h) => h.id === id).outcome_needed, false);
});

test('hold_outcome is on the stream with its fields; hold events carry the responder agency type and unit', async () => {
  const id = await closedHold('decline');
  await outcome('ngo.a', id, { outcome: 'did_not_arrive', note: 'No answer from the number given.' });
  await outcome('responder.police', id, { outcome: 'placed_elsewhere', note: 'Placed with another charity.' });
  const es = await events('hold_outcome', id);
  assert.equal(es.length, 2);
  const [ngo, resp] = es;
  assert.deepEqual([ngo.side, ngo.outcome, ngo.text, ngo.by, ngo.by_agency_type, ngo.by_unit],
    ['ngo', 'did_not_arrive', 'No answer from the number given.', 'ngo.a', 'ngo', '']);
  assert.deepEqual([resp.side, resp.outcome, resp.text, resp.by, resp.by_agency_type, resp.by_unit],
    ['responder', 'placed_elsewhere', 'Placed with another charity.', 'responder.police', 'police', 'north-east']);
  for (const e of es) {
    assert.equal(e.hold, String(id));
    assert.equal(e.agency, 'demo-charity-a');
    assert.equal(e.responder, 'responder.police');
    assert.equal(e.group, 'women');
    assert.equal(e.borough, 'hackney');
    assert.match(e.safehouse_name, /^Outcome House/);
    assert.ok(Number(e.safehouse) > 0);
    assert.deepEqual([e.responder_agency_type, e.responder_unit], ['police', 'north-east']);
    assert.ok(!JSON.stringify(e).includes('OUT-REF-1') && !JSON.stringify(e).includes('07700'), 'no reference or phone');
  }
  for (const kind of ['hold_placed', 'hold_declined']) {
    const [e] = await events(kind, id);
    assert.deepEqual([e.responder_agency_type, e.responder_unit], ['police', 'north-east'], kind);
  }
});

test('the outcome and note stay when the hold details are erased', async () => {
  const id = await closedHold('decline');
  assert.equal((await outcome('ngo.a', id, { outcome: 'unknown', note: 'We lost contact.' })).status, 201);
  await sleep(4000);
  await closedHold('');  // a write runs the erasure
  const got = await api(stack, as['ngo.a'], 'GET', `/api/v1/beds/holds/${id}`);
  assert.equal(got.body.hold.erased, true);
  assert.equal(got.body.hold.reference, undefined);
  assert.deepEqual(got.body.hold.outcomes.map((o) => [o.outcome, o.note]), [['unknown', 'We lost contact.']]);
  const fields = await stack.redis('HGETALL', `portal:beds:{beds}:hold:${id}`);
  assert.ok(!fields.includes('OUT-REF-1'));
  assert.match(fields, /We lost contact\./);
});

test('search_unmet carries the needs and the plain words of the unmet-need report', async () => {
  const none = await api(stack, as['responder.police'], 'GET', '/api/v1/beds/search?group=men&language=zu&dependants=true');
  assert.equal(none.status, 200);
  assert.equal(none.body.total, 0);
  const e = (await events('search_unmet')).at(-1);
  assert.equal(e.group, 'men');
  assert.equal(e.needs, 'dependants,language=zu');
  assert.equal(e.words, 'Men: Dependants accepted, Zulu');
  const rep = await api(stack, as['coordinator'], 'GET', '/api/v1/beds/reports/holds');
  const row = rep.body.unmet.find((u) => u.needs === e.needs && u.group === 'men');
  assert.ok(row && e.words === `${row.label}: ${row.needs_text}`, 'the same words as the report');
});
