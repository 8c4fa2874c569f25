// language-notes-directory.test.mjs - the language guide on every free-text
// field of the directory (issue 18 item 4): services (description, referral
// steps and the other text), change proposals, suggestions, pathways,
// organisations and a decision's reason.  Each write's API answer carries
// language_notes over all its free-text fields (two for "she claims she
// was plugging", [] when nothing is found) and the write is saved as it
// was; the page after saving (without JavaScript) shows each term with its
// preferred wording and reason and a link to change the text, to the writer
// only; the forms load the as-you-type script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { api, form } from './lib/beds.mjs';

const API = '/api/v1/directory';
const A_SERVICE = '5e000000-0000-4000-8000-000000000001';  // Demo Safehouse Charity A's
const ORG_A = 'd0000000-0000-4000-8000-000000000001';
const SAID = 'she claims she was plugging';
const FOUND = /The language guide found words to change/;

let stack;
const as = {};

before(async () => {
  stack = await startStack({});
  for (const u of ['ngo.a', 'ngo.b', 'coordinator', 'responder.police']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const page = async (who, path) => (await stack.fetch(path, { headers: { cookie: as[who].cookie } })).text();

function twoNotes (notes) {
  assert.deepEqual(notes.map((n) => [n.term, n.found, n.preferred]),
    [['claims', 'claims', 'states'], ['plugging', 'plugging', 'coerced internal concealment']]);
  for (const n of notes) assert.ok(n.reason.length > 20, n.reason);
}

function shownOn (html) {
  assert.match(html, FOUND);
  assert.match(html, /You wrote &ldquo;claims&rdquo;: say &ldquo;states&rdquo;/);
  assert.match(html, /You wrote &ldquo;plugging&rdquo;: say &ldquo;coerced internal concealment&rdquo;/);
  assert.match(html, /shows disbelief/);
}

const service = (over = {}) => ({
  organisation_id: ORG_A, name: 'Language notes test service (demo)', description: 'Advocacy for adults.',
  service_types: ['advocacy'], exploitation_types: ['labour'], client_groups: ['adults'], languages: ['ro'],
  communities: [], boroughs: ['camden'], hours: { always_open: true, opening: '', out_of_hours: '' },
  how_to_refer: { steps: ['Call us'], referrers: ['police'], consent_needed: false, nrm_needed: false, contact: '020 7946 0112', response_time: '' },
  ...over });

// The edit form's fields of service `s` (API shape) as a browser sends them.
function formOf (s, over = {}) {
  return {
    name: s.name, description: s.description, service_types: s.service_types, exploitation_types: s.exploitation_types,
    client_groups: s.client_groups, communities: s.communities.map((c) => c.code), referrers: s.how_to_refer.referrers,
    languages: s.languages.map((l) => l.code), boroughs: s.boroughs.join(', '), opening: s.hours.opening,
    out_of_hours: s.hours.out_of_hours || '', steps: s.how_to_refer.steps.join('\r\n'), contact: s.how_to_refer.contact,
    response_time: s.how_to_refer.response_time || '', ...(s.hours.always_open ? { always_open: 'true' } : {}), ...over };
}

test('a service: notes over every free-text field (the description and the referral steps together); [] when none; saved as written', async () => {
  const both = await api(stack, as.coordinator, 'POST', `${API}/services`, service({
    description: 'Where she claims to have been exploited', how_to_refer: { ...service().how_to_refer, steps: ['Ask if she was plugging'] } }));
  assert.equal(both.status, 201, both.text);
  twoNotes(both.body.language_notes);
  const one = await api(stack, as.coordinator, 'POST', `${API}/services`, service({ description: `Where ${SAID}` }));
  twoNotes(one.body.language_notes);
  const got = await api(stack, as['responder.police'], 'GET', `${API}/services/${one.body.id}`);
  assert.equal(got.body.description, `Where ${SAID}`);
  assert.equal(got.body.language_notes, undefined, 'a read carries no notes');
  const plain = await api(stack, as.coordinator, 'PUT', `${API}/services/${one.body.id}`, service({ description: 'Where she states she was coerced' }));
  assert.equal(plain.status, 200, plain.text);
  assert.deepEqual(plain.body.language_notes, []);
  // the other fields count too: opening times, out-of-hours cover, contact, response time, the name
  const hours = await api(stack, as.coordinator, 'PUT', `${API}/services/${one.body.id}`, service({
    hours: { always_open: false, opening: 'mon-fri 09:00-17:00', out_of_hours: 'No money mule cases out of hours' } }));
  assert.equal(hours.status, 200, hours.text);
  assert.deepEqual(hours.body.language_notes.map((n) => n.term), ['money mule']);
});

test('a proposed change (202): the notes of the proposed text; the change holds it as written', async () => {
  const s = (await api(stack, as['ngo.a'], 'GET', `${API}/services/${A_SERVICE}`)).body;
  const r = await api(stack, as['ngo.a'], 'PUT', `${API}/services/${A_SERVICE}`, service({
    organisation_id: ORG_A, name: s.name, how_to_refer: { ...service().how_to_refer, steps: [`Tell us if ${SAID}`] } }));
  assert.equal(r.status, 202, r.text);
  twoNotes(r.body.language_notes);
  assert.equal(r.body.status, 'pending');
  const changes = (await api(stack, as.coordinator, 'GET', `${API}/changes`)).body.changes;
  const stored = changes.find((c) => c.id === r.body.id);
  assert.deepEqual(stored.proposed.how_to_refer.steps, [`Tell us if ${SAID}`]);
  assert.equal(stored.language_notes, undefined, 'the notes are not stored');
});

test('a decision\'s reason: its notes in the answer ([] without a reason)', async () => {
  const make = async (name) => (await api(stack, as['ngo.a'], 'PUT', `${API}/services/${A_SERVICE}`, service({ name }))).body.id;
  const rej = await api(stack, as.coordinator, 'POST', `${API}/changes/${await make('Rejected name (demo)')}/reject`, { reason: `The referral said ${SAID}` });
  assert.equal(rej.status, 200, rej.text);
  twoNotes(rej.body.language_notes);
  assert.equal(rej.body.reason, `The referral said ${SAID}`);
  const other = await api(stack, as.coordinator, 'POST', `${API}/changes/${await make('Other rejected name (demo)')}/reject`, {});
  assert.deepEqual(other.body.language_notes, []);
});

test('a suggestion, a pathway and an organisation: their notes in the answer, and each saved', async () => {
  const sug = await api(stack, as['responder.police'], 'POST', `${API}/services/${A_SERVICE}/suggestions`, { text: SAID });
  assert.equal(sug.status, 201, sug.text);
  twoNotes(sug.body.language_notes);
  assert.equal(sug.body.text, SAID);
  const plainSug = await api(stack, as['responder.police'], 'POST', `${API}/services/${A_SERVICE}/suggestions`, { text: 'New phone number' });
  assert.deepEqual(plainSug.body.language_notes, []);

  const pw = await api(stack, as.coordinator, 'POST', `${API}/pathways`, {
    title: 'Notes pathway', summary: 'When she claims it', steps: [{ text: 'Ask whether she was plugging', search: '' }] });
  assert.equal(pw.status, 201, pw.text);
  twoNotes(pw.body.language_notes);
  const pw2 = await api(stack, as.coordinator, 'PUT', `${API}/pathways/${pw.body.id}`, {
    title: 'Notes pathway', summary: 'Plain words', steps: [{ text: 'Make sure the person is safe', search: '' }] });
  assert.deepEqual(pw2.body.language_notes, []);

  const org = (await api(stack, as.coordinator, 'GET', `${API}/organisations/${ORG_A}`)).body;
  const fields = { name: org.name, description: `We help when ${SAID}`, website: org.website || '', email: org.email || '', phone: org.phone || '' };
  const applied = await api(stack, as.coordinator, 'PUT', `${API}/organisations/${ORG_A}`, { ...fields, agency_id: org.agency_id });
  assert.equal(applied.status, 200, applied.text);
  twoNotes(applied.body.language_notes);
  assert.equal((await api(stack, as['responder.police'], 'GET', `${API}/organisations/${ORG_A}`)).body.description, `We help when ${SAID}`);
  const proposed = await api(stack, as['ngo.a'], 'PUT', `${API}/organisations/${ORG_A}`, { ...fields, description: 'Money mules are helped here' });
  assert.equal(proposed.status, 202, proposed.text);
  assert.deepEqual(proposed.body.language_notes.map((n) => n.term), ['money mule']);
  const restored = await api(stack, as.coordinator, 'PUT', `${API}/organisations/${ORG_A}`, { ...fields, description: org.description, agency_id: org.agency_id });
  assert.deepEqual(restored.body.language_notes, []);
});

test('without JavaScript: a coordinator\'s service edit, then the page shows the notes and the link to change the text', async () => {
  const created = await api(stack, as.coordinator, 'POST', `${API}/services`, service({ name: 'Page notes service (demo)' }));
  const s = (await api(stack, as.coordinator, 'GET', `${API}/services/${created.body.id}`)).body;
  const r = await form(stack, as.coordinator, `/directory/services/${s.id}`, formOf(s, { description: `Used when ${SAID}` }));
  assert.equal(r.status, 303, r.text);
  assert.equal(r.location, `/directory/services/${s.id}?updated=1`);
  const html = await page('coordinator', r.location);
  shownOn(html);
  assert.match(html, new RegExp(`<a class="govuk-link" href="/directory/services/${s.id}/edit">Change the service&#39;s text</a>|href="/directory/services/${s.id}/edit">Change the service's text</a>`));
  // a reader who did not write it sees the page without them
  assert.doesNotMatch(await page('responder.police', r.location), FOUND);
  // no term: no notes
  const plain = await form(stack, as.coordinator, `/directory/services/${s.id}`, formOf(s, { description: 'Plain words' }));
  assert.doesNotMatch(await page('coordinator', plain.location), FOUND);
});

test('without JavaScript: an NGO\'s proposal, then the service page shows the notes of what they proposed, to them only', async () => {
  const s = (await api(stack, as['ngo.a'], 'GET', `${API}/services/${A_SERVICE}`)).body;
  const r = await form(stack, as['ngo.a'], `/directory/services/${A_SERVICE}`, formOf(s, { steps: `Call us\r\nSay if ${SAID}` }));
  assert.equal(r.status, 303, r.text);
  assert.match(r.location, /\?proposed=1&change=[0-9a-f-]{36}$/);
  const html = await page('ngo.a', r.location);
  assert.match(html, /Your change has been sent to the coordinators/);
  shownOn(html);
  assert.match(html, new RegExp(`href="/directory/services/${A_SERVICE}/edit">Change the text and send the change again</a>`));
  assert.doesNotMatch(await page('ngo.b', r.location), FOUND);
  assert.doesNotMatch(await page('coordinator', r.location), FOUND);
  // another service's page does not show this change's notes
  assert.doesNotMatch(await page('ngo.a', r.location.replace(A_SERVICE, '5e000000-0000-4000-8000-000000000002')), FOUND);
  // a change id that is not one is ignored
  assert.doesNotMatch(await page('ngo.a', `/directory/services/${A_SERVICE}?proposed=1&change=../x`), FOUND);
});

test('without JavaScript: a suggestion, then the notes, a link to the form and the form holding the words sent', async () => {
  const r = await form(stack, as['responder.police'], `/directory/services/${A_SERVICE}/suggestions`, { text: SAID });
  assert.equal(r.status, 303, r.text);
  const html = await page('responder.police', r.location);
  assert.match(html, /Thank you: your suggestion has been sent/);
  shownOn(html);
  assert.match(html, /href="#suggest">Send the suggestion again with other words<\/a>/);
  assert.match(html, /<textarea[^>]*id="text" name="text"[^>]*data-language-notes="text-language-notes">she claims she was plugging<\/textarea>/);
  assert.doesNotMatch(await page('ngo.a', r.location), FOUND);
});

test('without JavaScript: a pathway and an organisation, then their pages show the notes and the link to change the text', async () => {
  const pw = await form(stack, as.coordinator, '/directory/pathways', { title: 'Page notes pathway', summary: SAID, step_text_1: 'Make sure the person is safe.', step_search_1: '' });
  assert.equal(pw.status, 303, pw.text);
  const id = pw.location.match(/^\/directory\/pathways\/([0-9a-f-]{36})\?saved=1$/)[1];
  const pwHtml = await page('coordinator', pw.location);
  shownOn(pwHtml);
  assert.match(pwHtml, new RegExp(`href="/directory/pathways/${id}/edit">Change the pathway&#39;s text</a>|href="/directory/pathways/${id}/edit">Change the pathway's text</a>`));
  assert.doesNotMatch(await page('responder.police', pw.location), FOUND);

  const org = (await api(stack, as.coordinator, 'GET', `${API}/organisations/${ORG_A}`)).body;
  const fields = { name: org.name, description: `Help when ${SAID}`, website: org.website || '', email: org.email || '', phone: org.phone || '' };
  const proposed = await form(stack, as['ngo.a'], `/directory/organisations/${ORG_A}`, fields);
  assert.equal(proposed.status, 303, proposed.text);
  const orgHtml = await page('ngo.a', proposed.location);
  shownOn(orgHtml);
  assert.match(orgHtml, new RegExp(`href="/directory/organisations/${ORG_A}/edit">Change the text and send the change again</a>`));
  const applied = await form(stack, as.coordinator, `/directory/organisations/${ORG_A}`, { ...fields, agency_id: org.agency_id });
  assert.equal(applied.location, `/directory/organisations/${ORG_A}?updated=1`);
  shownOn(await page('coordinator', applied.location));
  await api(stack, as.coordinator, 'PUT', `${API}/organisations/${ORG_A}`, { ...fields, description: org.description, agency_id: org.agency_id });
});

test('the forms check as you type: their text boxes name a notes region and load notes.js', async () => {
  const forms = [[`/directory/services/${A_SERVICE}/edit`, ['description', 'steps']], [`/directory/organisations/${ORG_A}/edit`, ['description']],
    ['/directory/pathways/new', ['summary', 'step_text_1']], [`/directory/services/${A_SERVICE}`, ['text']]];
  for (const [path, boxes] of forms) {
    const html = await page('coordinator', path);
    for (const b of boxes) {
      assert.match(html, new RegExp(`id="${b}"[^>]*data-language-notes="${b}-language-notes"`), `${path} ${b}`);
      assert.match(html, new RegExp(`<div id="${b}-language-notes" aria-live="polite"></div>`), `${path} ${b}`);
    }
    assert.match(html, /<script type="module" src="\/static\/monitoring\/notes.js"><\/script>/, path);
  }
});
