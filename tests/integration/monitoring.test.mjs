// monitoring.test.mjs - the monitoring module over the real stack (issue
// 18, first slice): the language guide (seeded, published for every module,
// kept by coordinators), partner observations with their language notes
// and the personal-data guard, themes, tags and quotes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { api, form, page, inputValue, isChecked } from './lib/beds.mjs';

let stack;
const as = {};

before(async () => {
  stack = await startStack();
  for (const u of ['responder.police', 'ngo.a', 'ngo.b', 'trainer', 'coordinator'])
    as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const observe = (who, body) => api(stack, as[who], 'POST', '/api/v1/monitoring/observations', body);

test('the guide starts with the three terms the partnership names, each with its source, and is published for every module', async () => {
  const r = await api(stack, as['responder.police'], 'GET', '/api/v1/language-guide');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.guide.map((e) => e.term), ['claims', 'plugging', 'money mule']);
  assert.equal(r.body.guide[0].preferred, 'states');
  assert.ok(r.body.guide.every((e) => e.source.includes('Anti-Slavery London')));
  assert.equal(r.body.may_change, false);
  const one = await api(stack, as['ngo.a'], 'GET', `/api/v1/language-guide/${r.body.guide[2].id}`);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.entry.variants, ['money mules']);
  const published = JSON.parse(await stack.redis('GET', 'portal:{portal}:language-guide'));
  assert.deepEqual(published.map((e) => e.term), ['claims', 'plugging', 'money mule']);
  assert.equal(Number(await stack.redis('GET', 'portal:{portal}:language-guide:version')), r.body.version);
});

test('"she claims she was plugging" gives two language notes and saves', async () => {
  const r = await observe('responder.police', { text: 'she claims she was plugging', borough: 'newham', exploitation_types: ['criminal'] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.language_notes.map((n) => [n.term, n.found, n.preferred]),
    [['claims', 'claims', 'states'], ['plugging', 'plugging', 'coerced internal concealment']]);
  assert.ok(r.body.language_notes.every((n) => n.reason.length > 20));
  const o = r.body.observation;
  assert.equal(o.text, 'she claims she was plugging');
  assert.equal(o.borough_name, 'Newham');
  assert.deepEqual(o.exploitation_types, ['criminal']);
  assert.equal(o.agency_type, 'police');
  const again = await api(stack, as['responder.police'], 'GET', `/api/v1/monitoring/observations/${o.id}`);
  assert.equal(again.status, 200);
  assert.equal(again.body.observation.text, 'she claims she was plugging');
});

test('text with nothing from the guide answers an empty language_notes', async () => {
  const r = await observe('ngo.a', { text: 'Joint visits with the council worked well this month.' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.language_notes, []);
  assert.equal(r.body.observation.agency_type, 'ngo');
});

test('a note with a date of birth is refused with 422 and nothing is kept', async () => {
  const before_ = Number(await stack.redis('GET', 'portal:{monitoring}:seq:text') || 0);
  const r = await observe('ngo.a', { text: 'The young man, born 12/03/2001, was moved twice.' });
  assert.equal(r.status, 422, r.text);
  assert.match(r.body.error.fields.text, /date of birth/);
  assert.equal(Number(await stack.redis('GET', 'portal:{monitoring}:seq:text') || 0), before_);
});

test('the form refuses a date of birth and keeps what was typed; after saving the page shows each note and a link to change the text', async () => {
  const typed = 'Seen 3rd March 1985 born, she claims it';
  const bad = await form(stack, as['ngo.b'], '/monitoring/observations', { text: typed, borough: 'hackney', exploitation_types: ['labour'] });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /date of birth/);
  assert.ok(bad.text.includes(`>${typed}</textarea>`), 'the text typed is shown again');
  assert.match(bad.text, /<option value="hackney" selected>/);
  assert.match(bad.text, /value="labour" checked/);
  const ok = await form(stack, as['ngo.b'], '/monitoring/observations', { text: 'she claims she was plugging' });
  assert.equal(ok.status, 303);
  const m = ok.location.match(/^\/monitoring\/observations\/(\d+)\?done=sent$/);
  assert.ok(m, ok.location);
  const shown = await page(stack, as['ngo.b'], ok.location);
  assert.equal(shown.status, 200);
  assert.match(shown.text, /You wrote &ldquo;claims&rdquo;: say &ldquo;states&rdquo;/);
  assert.match(shown.text, /say &ldquo;coerced internal concealment&rdquo;/);
  assert.ok(shown.text.includes(`href="/monitoring/observations/${m[1]}/edit"`));
  const edit = await page(stack, as['ngo.b'], `/monitoring/observations/${m[1]}/edit`);
  assert.ok(edit.text.includes('>she claims she was plugging</textarea>'));
  const changed = await form(stack, as['ngo.b'], `/monitoring/observations/${m[1]}/edit`, { text: 'she states she was coerced' });
  assert.equal(changed.status, 303);
  const after_ = await page(stack, as['ngo.b'], changed.location);
  assert.ok(after_.text.includes('she states she was coerced'));
  assert.doesNotMatch(after_.text, /You wrote/);
});

test('only the sender or a coordinator sees an observation; only the sender changes it', async () => {
  const r = await observe('ngo.a', { text: 'Referrals from the police went faster.' });
  const id = r.body.observation.id;
  assert.equal((await api(stack, as['ngo.b'], 'GET', `/api/v1/monitoring/observations/${id}`)).status, 404);
  assert.equal((await api(stack, as['coordinator'], 'GET', `/api/v1/monitoring/observations/${id}`)).status, 200);
  const other = await api(stack, as['ngo.b'], 'PUT', `/api/v1/monitoring/observations/${id}`, { text: 'changed' });
  assert.equal(other.status, 403, other.text);
  const own = await api(stack, as['ngo.a'], 'PUT', `/api/v1/monitoring/observations/${id}`, { text: 'Referrals from the police went faster, she claimed.' });
  assert.equal(own.status, 200, own.text);
  assert.deepEqual(own.body.language_notes.map((n) => n.found), ['claimed']);
});

test('only coordinators write the guide, the themes and the tags: 403 for everyone else', async () => {
  const entry = { term: 'illegal immigrant', preferred: 'person', reason: 'A person is never illegal.', source: 'Test source 2026' };
  for (const who of ['responder.police', 'ngo.a', 'trainer']) {
    assert.equal((await api(stack, as[who], 'POST', '/api/v1/language-guide', entry)).status, 403);
    assert.equal((await api(stack, as[who], 'PUT', '/api/v1/language-guide/1', entry)).status, 403);
    assert.equal((await api(stack, as[who], 'DELETE', '/api/v1/language-guide/1')).status, 403);
    assert.equal((await api(stack, as[who], 'POST', '/api/v1/monitoring/themes', { name: 'Nope' })).status, 403);
    assert.equal((await api(stack, as[who], 'PUT', '/api/v1/monitoring/texts/1/tags', { themes: [] })).status, 403);
    assert.equal((await api(stack, as[who], 'GET', '/api/v1/monitoring/texts')).status, 403);
  }
});

test('a coordinator adds, changes and removes an entry; the new term is noted at once, in every module\'s copy', async () => {
  const c = as['coordinator'];
  const noSource = await api(stack, c, 'POST', '/api/v1/language-guide', { term: 'prostitute', preferred: 'person who was sexually exploited', reason: 'It blames the victim for their exploitation.' });
  assert.equal(noSource.status, 422);
  assert.ok(noSource.body.error.fields.source);
  const add = await api(stack, c, 'POST', '/api/v1/language-guide', { term: 'prostitute', variants: ['prostitutes'], preferred: 'person who was sexually exploited', reason: 'It blames the victim for their exploitation.', source: 'Partnership guidance, 2026' });
  assert.equal(add.status, 201, add.text);
  const id = add.body.entry.id;
  const taken = await api(stack, c, 'POST', '/api/v1/language-guide', { term: 'Prostitutes', preferred: 'x y', reason: 'the same term again', source: 'Another source' });
  assert.equal(taken.status, 409);
  let notes = await api(stack, as['ngo.a'], 'POST', '/api/v1/language-guide/notes', { text: 'two prostitutes were found' });
  assert.equal(notes.status, 200);
  assert.deepEqual(notes.body.language_notes.map((n) => n.term), ['prostitute']);
  const published = JSON.parse(await stack.redis('GET', 'portal:{portal}:language-guide'));
  assert.ok(published.some((e) => e.term === 'prostitute'));
  const change = await api(stack, c, 'PUT', `/api/v1/language-guide/${id}`, { term: 'prostitute', preferred: 'sexually exploited person', reason: 'It blames the victim for their exploitation.', source: 'Partnership guidance, 2026' });
  assert.equal(change.status, 200, change.text);
  assert.equal(change.body.entry.preferred, 'sexually exploited person');
  assert.deepEqual(change.body.entry.variants, []);
  assert.equal((await api(stack, c, 'DELETE', `/api/v1/language-guide/${id}`)).status, 204);
  assert.equal((await api(stack, c, 'GET', `/api/v1/language-guide/${id}`)).status, 404);
  notes = await api(stack, as['ngo.a'], 'POST', '/api/v1/language-guide/notes', { text: 'two prostitutes were found' });
  assert.deepEqual(notes.body.language_notes, []);
});

test('the guide entry form: a form\'s comma-separated other forms become the list; a missing source is refused with the form kept', async () => {
  const c = as['coordinator'];
  const bad = await form(stack, c, '/monitoring/language-guide', { term: 'county lines runner', variants: 'runner, runners', preferred: 'criminally exploited child', reason: 'It hides the exploitation of the child.' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /value="runner, runners"/);
  const ok = await form(stack, c, '/monitoring/language-guide', { term: 'county lines runner', variants: 'runner, runners', preferred: 'criminally exploited child', reason: 'It hides the exploitation of the child.', source: 'Partnership guidance, 2026' });
  assert.equal(ok.status, 303);
  const g = await api(stack, c, 'GET', '/api/v1/language-guide');
  const e = g.body.guide.find((x) => x.term === 'county lines runner');
  assert.deepEqual(e.variants, ['runner', 'runners']);
  const edit = await page(stack, c, `/monitoring/language-guide/${e.id}/edit`);
  assert.match(edit.text, /value="runner, runners"/);
  assert.equal((await form(stack, c, `/monitoring/language-guide/${e.id}/remove`, {})).status, 303);
});

test('coordinators keep themes, tag texts and mark quotes; counts per theme; a shared quote shows its agency type only', async () => {
  const c = as['coordinator'];
  const t1 = await api(stack, c, 'POST', '/api/v1/monitoring/themes', { name: 'Multi-agency working' });
  assert.equal(t1.status, 201, t1.text);
  const t2 = await api(stack, c, 'POST', '/api/v1/monitoring/themes', { name: 'Believing victims' });
  assert.equal((await api(stack, c, 'POST', '/api/v1/monitoring/themes', { name: 'believing VICTIMS' })).status, 409);
  const o = (await observe('responder.police', { text: 'The NGO answered within the hour.' })).body.observation;
  const tag = await api(stack, c, 'PUT', `/api/v1/monitoring/texts/${o.id}/tags`, { themes: [String(t1.body.theme.id), String(t2.body.theme.id)], quote: true });
  assert.equal(tag.status, 200, tag.text);
  assert.deepEqual(tag.body.tags.map((t) => t.name).sort(), ['Believing victims', 'Multi-agency working']);
  assert.equal(tag.body.quote, true);
  assert.equal((await api(stack, c, 'PUT', `/api/v1/monitoring/texts/${o.id}/tags`, { themes: ['999999'] })).status, 422);
  const texts = await api(stack, c, 'GET', '/api/v1/monitoring/texts');
  assert.equal(texts.status, 200);
  assert.equal(texts.body.themes.find((t) => t.name === 'Multi-agency working').count, 1);
  assert.ok(!JSON.stringify(texts.body).includes('responder.police'), 'no username in the list');
  const home = await page(stack, as['ngo.b'], '/monitoring/');
  assert.match(home.text, /The NGO answered within the hour\./);
  assert.match(home.text, /Police partner/);
  assert.ok(!home.text.includes('Metropolitan') && !home.text.includes('responder.police'));
  assert.equal((await api(stack, c, 'DELETE', `/api/v1/monitoring/themes/${t2.body.theme.id}`)).status, 204);
  const after2 = await api(stack, c, 'GET', `/api/v1/monitoring/texts/${o.id}`);
  assert.deepEqual(after2.body.text.tags.map((t) => t.name), ['Multi-agency working']);
});

test('the pages work without JavaScript for a coordinator: tag form posts and redirects', async () => {
  const c = as['coordinator'];
  const o = (await observe('ngo.a', { text: 'Training on language helped our staff.' })).body.observation;
  const themes = await api(stack, c, 'GET', '/api/v1/monitoring/themes');
  const id = themes.body.themes[0].id;
  const r = await form(stack, c, `/monitoring/texts/${o.id}/tags`, { themes: [String(id)], quote: 'yes' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/monitoring/texts/${o.id}?done=tagged`);
  const p = await page(stack, c, r.location);
  assert.match(p.text, new RegExp(`name="themes" type="checkbox" value="${id}" checked`));
  assert.match(p.text, /id="quote"[^>]*checked/);
  for (const path of ['/monitoring/', '/monitoring/language-guide', '/monitoring/observations/new', '/monitoring/texts', '/monitoring/themes', '/monitoring/language-guide/new'])
    assert.equal((await page(stack, c, path)).status, 200, path);
});

test('empty forms sent by a coordinator say in words what to enter, on the field; texts headed by kind and agency type', async () => {
  const c = as['coordinator'];
  const theme = await form(stack, c, '/monitoring/themes', { name: '' });
  assert.equal(theme.status, 422);
  assert.match(theme.text, /<a href="#name">Enter a name for the theme<\/a>/);
  assert.match(theme.text, /id="name-error"[^>]*>.*Enter a name for the theme/);
  const guide = await form(stack, c, '/monitoring/language-guide', { term: '', preferred: '', reason: '', source: '', variants: 'claimed' });
  assert.equal(guide.status, 422);
  for (const [field, words] of [['term', 'Enter the term to avoid'], ['preferred', 'Enter what to say instead'],
    ['reason', 'Enter the reason to avoid the term'], ['source', 'Enter the source that names the term']])
    assert.ok(guide.text.includes(`<a href="#${field}">${words}</a>`), words);
  assert.match(guide.text, /value="claimed"/);
  // a text is headed by its kind and agency type, with no article to get wrong ("a NGO")
  const texts = await page(stack, c, '/monitoring/texts');
  assert.match(texts.text, /Observation, NGO partner, /);
  assert.doesNotMatch(texts.text, / from a (NGO|Other|Health|Police|Local authority) partner/);
  const api422 = await api(stack, c, 'POST', '/api/v1/monitoring/themes', {});
  assert.equal(api422.body.error.fields.name, 'Enter a name for the theme');
});

test('the theme and tag forms after a mistake: the themes still listed and the name kept; a taken name at its field; a theme removed meanwhile refused on the text\'s own form', async () => {
  const c = as['coordinator'];
  const name = `Kept theme ${Date.now()}`;
  assert.equal((await api(stack, c, 'POST', '/api/v1/monitoring/themes', { name })).status, 201);
  const short = await form(stack, c, '/monitoring/themes', { name: 'x' });
  assert.equal(short.status, 422);
  assert.ok(short.text.includes(`<td class="govuk-table__cell">${name}</td>`), 'the themes are still listed');
  assert.equal(inputValue(short.text, 'name'), 'x');
  const taken = await form(stack, c, '/monitoring/themes', { name: name.toUpperCase() });
  assert.equal(taken.status, 422);
  assert.ok(taken.text.includes('href="#name"') && taken.text.includes('already a theme with this name'));
  assert.equal(inputValue(taken.text, 'name'), name.toUpperCase());
  assert.equal((await api(stack, c, 'POST', '/api/v1/monitoring/themes', { name })).status, 409, 'the API keeps its 409');

  const o = (await observe('ngo.a', { text: 'The interpreter was there within the hour.' })).body.observation;
  const themes = (await api(stack, c, 'GET', '/api/v1/monitoring/themes')).body.themes;
  const id = themes.find((t) => t.name === name).id;
  assert.equal((await api(stack, c, 'DELETE', `/api/v1/monitoring/themes/${id}`)).status, 204);
  const gone = await form(stack, c, `/monitoring/texts/${o.id}/tags`, { themes: [String(id)], quote: 'yes' });
  assert.equal(gone.status, 422);
  assert.ok(gone.text.includes('The interpreter was there within the hour.'), 'the text is still shown');
  assert.ok(gone.text.includes(`action="/monitoring/texts/${o.id}/tags"`));
  assert.ok(gone.text.includes('href="#themes"') && gone.text.includes('id="themes-error"'));
  assert.ok(isChecked(gone.text, 'quote'), 'the quote box is kept');
  assert.equal((await api(stack, c, 'PUT', `/api/v1/monitoring/texts/${o.id}/tags`, { themes: [String(id)] })).status, 422);
});
