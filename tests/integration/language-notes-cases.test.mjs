// language-notes-cases.test.mjs - the language guide on every case note
// (issue 18 item 4): a unit's update, an NGO's reply, a close's outcome and
// a trends context note.  The API answer carries language_notes (two for
// "she claims she was plugging", [] when nothing is found) and the text is
// saved; the case page after saving (without JavaScript) shows each term
// with its preferred wording and reason and a way to write it again; the
// forms load the as-you-type script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { api, form } from './lib/beds.mjs';

let stack;
const as = {};
const SAID = 'she claims she was plugging';

before(async () => {
  stack = await startStack({});
  for (const u of ['ngo.a', 'police.northeast', 'trainer']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

async function acknowledged (reference) {
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/cases', {
    reference, shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
    exploitation_types: ['criminal'], contact_consent: true, wants: ['outcome'] });
  assert.equal(c.status, 201, c.text);
  const id = c.body.case.id;
  const ack = await api(stack, as['police.northeast'], 'POST', `/api/v1/cases/${id}/acknowledge`, { police_reference: `MET-${reference}` });
  assert.equal(ack.status, 200, ack.text);
  return id;
}

const page = async (who, path) => (await stack.fetch(path, { headers: { cookie: as[who].cookie } })).text();

function twoNotes (notes) {
  assert.deepEqual(notes.map((n) => [n.term, n.found, n.preferred]),
    [['claims', 'claims', 'states'], ['plugging', 'plugging', 'coerced internal concealment']]);
  for (const n of notes) assert.ok(n.reason.length > 20, n.reason);
}

test('a unit update with "she claims she was plugging": two language notes in the answer, and the note is saved', async () => {
  const id = await acknowledged('LN-1');
  const r = await api(stack, as['police.northeast'], 'POST', `/api/v1/cases/${id}/updates`, { status: 'allocated', note: SAID });
  assert.equal(r.status, 200, r.text);
  twoNotes(r.body.language_notes);
  const got = await api(stack, as['ngo.a'], 'GET', `/api/v1/cases/${id}`);
  assert.equal(got.body.case.timeline.at(-1).note, SAID);
  assert.equal(got.body.language_notes, undefined, 'a read carries no notes');
});

test('a reply and a close: the notes of what was written; [] when nothing is found', async () => {
  const id = await acknowledged('LN-2');
  const plain = await api(stack, as['ngo.a'], 'POST', `/api/v1/cases/${id}/updates`, { note: 'She states she was coerced' });
  assert.equal(plain.status, 200, plain.text);
  assert.deepEqual(plain.body.language_notes, []);
  const reply = await api(stack, as['ngo.a'], 'POST', `/api/v1/cases/${id}/updates`, { note: SAID });
  twoNotes(reply.body.language_notes);
  const close = await api(stack, as['ngo.a'], 'POST', `/api/v1/cases/${id}/close`, { outcome: 'He was treated as a money mule' });
  assert.equal(close.status, 200, close.text);
  assert.deepEqual(close.body.language_notes.map((n) => n.term), ['money mule']);
  assert.equal(close.body.case.outcome, 'He was treated as a money mule');
  // acknowledging carries no free text, and no notes
  const other = await acknowledged('LN-3');
  const again = await api(stack, as['ngo.a'], 'GET', `/api/v1/cases/${other}`);
  assert.equal(again.body.language_notes, undefined);
});

test('a trends context note: its language notes in the answer, and it is saved', async () => {
  const r = await api(stack, as['trainer'], 'POST', '/api/v1/cases/trends/notes', { about: 'borough:newham', note: `Police say ${SAID}` });
  assert.equal(r.status, 201, r.text);
  twoNotes(r.body.language_notes);
  const plain = await api(stack, as['trainer'], 'POST', '/api/v1/cases/trends/notes', { about: 'borough:newham', note: 'Rising since the summer' });
  assert.deepEqual(plain.body.language_notes, []);
  const trends = await api(stack, as['trainer'], 'GET', '/api/v1/cases/trends');
  assert.ok(trends.body.notes.some((n) => n.note === `Police say ${SAID}`));
});

test('without JavaScript: the case page after saving shows each term, its preferred wording and reason, and a way to write it again', async () => {
  const id = await acknowledged('LN-4');
  const f = await form(stack, as['police.northeast'], `/cases/${id}/updates`, { status: 'allocated', note: SAID });
  assert.equal(f.status, 303, f.text);
  assert.equal(f.location, `/cases/${id}?done=update`);
  const html = await page('police.northeast', f.location);
  assert.match(html, /The language guide found words to change/);
  assert.match(html, /You wrote &ldquo;claims&rdquo;: say &ldquo;states&rdquo;/);
  assert.match(html, /You wrote &ldquo;plugging&rdquo;: say &ldquo;coerced internal concealment&rdquo;/);
  assert.match(html, /shows disbelief/);
  assert.match(html, /<a class="govuk-link" href="#note">Write the note again with other words<\/a>/);
  assert.match(html, /<textarea[^>]*id="note"[^>]*>she claims she was plugging<\/textarea>/);
  assert.match(html, /data-language-notes="note-language-notes"/);
  assert.match(html, /src="\/static\/monitoring\/notes.js"/);
  // the other side reads the case without the writer's notes
  assert.doesNotMatch(await page('ngo.a', f.location), /The language guide found words to change/);
  // the page without ?done shows none either
  assert.doesNotMatch(await page('police.northeast', `/cases/${id}`), /The language guide found words to change/);
});

test('without JavaScript: a reply with no term shows no notes; a close shows them and says the outcome stays', async () => {
  const id = await acknowledged('LN-5');
  const ok = await form(stack, as['ngo.a'], `/cases/${id}/updates`, { note: 'Thank you for the update' });
  assert.equal(ok.location, `/cases/${id}?done=reply`);
  const html = await page('ngo.a', ok.location);
  assert.match(html, /Your reply is posted/);
  assert.doesNotMatch(html, /The language guide found words to change/);
  const closed = await form(stack, as['ngo.a'], `/cases/${id}/close`, { outcome: `Closed: ${SAID}` });
  assert.equal(closed.location, `/cases/${id}?done=close`);
  const after = await page('ngo.a', closed.location);
  assert.match(after, /You wrote &ldquo;claims&rdquo;: say &ldquo;states&rdquo;/);
  assert.match(after, /its outcome stays as written/);
  assert.doesNotMatch(after, /href="#note"/);
});
