// directory.test.mjs - the referral-pathway directory over the real stack:
// faceted search, proposed changes and approvals, Open Referral answers
// validated against the HSDS 3.1 schemas, export/import, 422s and 403s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { client, hsdsValidators, ensureDeps } from './lib/directory.mjs';

const API = '/api/v1/directory';
const A_SERVICE = '5e000000-0000-4000-8000-000000000001';  // Demo Safehouse Charity A's (agency demo-charity-a)
const B_SERVICE = '5e000000-0000-4000-8000-000000000002';  // Demo Advocacy Charity B's

let stack, police, coordinator, ngoA, ngoB, validator;

before(async () => {
  ensureDeps();
  stack = await startStack();
  police = await client(stack, 'responder.police');
  coordinator = await client(stack, 'coordinator');
  ngoA = await client(stack, 'ngo.a');
  ngoB = await client(stack, 'ngo.b');
  validator = await hsdsValidators();
});
after(async () => { if (stack) await stack.stop(); });

// Every demo service, fetched a page at a time.
async function allServices(who = police) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await who.get(`${API}/services?per_page=100&page=${page}&sort=name`);
    assert.equal(r.status, 200);
    out.push(...r.body.items);
    if (out.length >= r.body.total) return out;
  }
}

const has = (list, code) => list.some((x) => (typeof x === 'string' ? x : x.code) === code);

test('language=sq&exploitation=criminal&borough=newham finds exactly the matching demo services, with facet counts over the result', async () => {
  const all = await allServices();
  assert.ok(all.length >= 25, 'about 30 demo services');
  const expected = all.filter((s) => has(s.languages, 'sq') && has(s.exploitation_types, 'criminal') &&
    (has(s.boroughs, 'newham') || has(s.boroughs, 'london-wide')));
  const r = await police.get(`${API}/services?language=sq&exploitation=criminal&borough=newham`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((s) => s.name).sort(), expected.map((s) => s.name).sort());
  assert.deepEqual(r.body.items.map((s) => s.name).sort(), [
    '24-hour survivor helpline (demo)', 'Albanian youth outreach (demo)',
    'Child trafficking guardians (demo)', 'County lines rescue and response (demo)']);
  assert.equal(r.body.total, 4);
  assert.equal(r.body.page, 1);
  assert.equal(r.body.per_page, 20);
  // each facet value counts the services in this result that have it
  for (const [param, field] of [['language', 'languages'], ['exploitation', 'exploitation_types'],
    ['client_group', 'client_groups'], ['borough', 'boroughs'], ['service_type', 'service_types']]) {
    const want = {};
    for (const s of expected) for (const v of s[field]) { const c = typeof v === 'string' ? v : v.code; want[c] = (want[c] || 0) + 1; }
    assert.deepEqual(r.body.facets[param], want, `facet ${param}`);
  }
  assert.equal(r.body.facets.language.sq, 4);
  assert.equal(r.body.facets.exploitation.criminal, 4);
  // a service's shape
  const s = r.body.items[0];
  for (const k of ['id', 'organisation', 'name', 'description', 'service_types', 'exploitation_types', 'client_groups',
    'languages', 'communities', 'boroughs', 'hours', 'how_to_refer', 'last_verified', 'updated_at']) assert.ok(k in s, k);
  assert.ok(s.organisation.id && s.organisation.name.endsWith('(demo)'));
  assert.ok(s.languages.every((l) => l.code && l.name));
  assert.ok(Array.isArray(s.how_to_refer.steps) && s.how_to_refer.steps.length > 0);
});

test('OR within a facet, AND across facets', async () => {
  const sq = (await police.get(`${API}/services?language=sq&per_page=100`)).body;
  const vi = (await police.get(`${API}/services?language=vi&per_page=100`)).body;
  const both = (await police.get(`${API}/services?language=sq&language=vi&per_page=100`)).body;
  const union = new Set([...sq.items, ...vi.items].map((s) => s.id));
  assert.equal(both.total, union.size);
  const and = (await police.get(`${API}/services?language=sq&language=vi&client_group=children&per_page=100`)).body;
  assert.ok(and.total < both.total && and.total > 0);
  assert.ok(and.items.every((s) => has(s.client_groups, 'children') && (has(s.languages, 'sq') || has(s.languages, 'vi'))));
});

test('free text finds a service by a word of its description', async () => {
  const r = await police.get(`${API}/services?q=cannabis`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((s) => s.name), ['Vietnamese casework (demo)']);
  const two = await police.get(`${API}/services?q=county+lines`);
  assert.ok(two.body.items.some((s) => s.name === 'County lines rescue and response (demo)'));
  // relevance: services with the words in their name rank first
  const named = two.body.items.filter((s) => /county lines/i.test(s.name)).length;
  assert.ok(named >= 2);
  for (let i = 0; i < named; i++) assert.match(two.body.items[i].name, /county lines/i);
  const none = await police.get(`${API}/services?q=zzzunknownword`);
  assert.equal(none.body.total, 0);
});

test('paging covers every result exactly once', async () => {
  const first = await police.get(`${API}/services?per_page=7&page=1`);
  const total = first.body.total;
  const seen = [];
  for (let page = 1; page <= Math.ceil(total / 7); page++) {
    const r = await police.get(`${API}/services?per_page=7&page=${page}`);
    assert.ok(r.body.items.length <= 7);
    seen.push(...r.body.items.map((s) => s.id));
  }
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
  const names = (await allServices()).map((s) => s.name);
  assert.deepEqual(names, [...names].sort((a, b) => a.replace(/[^a-z0-9]/gi, '').toLowerCase().localeCompare(b.replace(/[^a-z0-9]/gi, '').toLowerCase())));
});

test('open now: services open 24 hours are always in; every result is open', async () => {
  const r = await police.get(`${API}/services?open_now=true&per_page=100`);
  assert.equal(r.status, 200);
  assert.ok(r.body.items.some((s) => s.name === '24-hour survivor helpline (demo)'));
  const all = await allServices();
  const closedAlways = all.filter((s) => !s.hours.always_open && s.hours.opening === '');
  for (const s of closedAlways) assert.ok(!r.body.items.some((x) => x.id === s.id));
  assert.ok(r.body.total <= all.length);
});

test('invalid language, unknown borough or facet value, per_page above 100: 422 naming each field', async () => {
  const r = await police.get(`${API}/services?language=xx&borough=narnia&exploitation=magic&per_page=101`);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_input');
  for (const f of ['language', 'borough', 'exploitation', 'per_page']) assert.ok(r.body.error.fields[f], f);
  assert.match(r.body.error.fields.per_page, /100/);
  assert.match(r.body.error.fields.language, /xx/);
  const c = await police.get(`${API}/services?community=atlantis`);
  assert.equal(c.status, 422);
  assert.ok(c.body.error.fields.community);
  const page = await stack.fetch('/directory/?language=xx', { headers: { cookie: police.cookie } });
  assert.equal(page.status, 422);
  assert.match(await page.text(), /There is a problem/);
});

test('NGO staff cannot change another agency\'s entry; responders cannot change any', async () => {
  const r = await ngoB.send('PUT', `${API}/services/${A_SERVICE}`, { name: 'Taken over (demo)' });
  assert.equal(r.status, 403);
  const p = await police.send('PUT', `${API}/services/${A_SERVICE}`, { name: 'Taken over (demo)' });
  assert.equal(p.status, 403);
  const org = await ngoB.send('PUT', `${API}/organisations/d0000000-0000-4000-8000-000000000001`, { name: 'Taken over (demo)' });
  assert.equal(org.status, 403);
  const svc = (await police.get(`${API}/services/${A_SERVICE}`)).body;
  assert.equal(svc.name, "Women's safehouse referrals (demo)");
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, /refused/);
});

test('a proposed change is not in search until approved; a rejected one leaves the entry as it was', async () => {
  const before = (await police.get(`${API}/services/${B_SERVICE}`)).body;
  const proposed = await ngoB.send('PUT', `${API}/services/${B_SERVICE}`, { name: 'Advocacy with zebrawords (demo)' });
  assert.equal(proposed.status, 202);
  assert.equal(proposed.body.status, 'pending');
  const id = proposed.body.id;
  assert.equal((await police.get(`${API}/services?q=zebrawords`)).body.total, 0);
  assert.equal((await police.get(`${API}/services/${B_SERVICE}`)).body.name, before.name);
  const list = await coordinator.get(`${API}/changes`);
  assert.equal(list.status, 200);
  const change = list.body.changes.find((c) => c.id === id);
  assert.equal(change.proposed_by, 'ngo.b');
  assert.equal(change.service_id, B_SERVICE);
  assert.equal(change.proposed.name, 'Advocacy with zebrawords (demo)');
  // ngo.a does not see ngo.b's changes
  assert.ok(!(await ngoA.get(`${API}/changes`)).body.changes.some((c) => c.id === id));
  // NGO staff cannot approve
  assert.equal((await ngoB.send('POST', `${API}/changes/${id}/approve`, {})).status, 403);
  const rej = await coordinator.send('POST', `${API}/changes/${id}/reject`, { reason: 'Please keep the name' });
  assert.equal(rej.status, 200);
  assert.equal(rej.body.status, 'rejected');
  const after = (await police.get(`${API}/services/${B_SERVICE}`)).body;
  delete before.verification_due; delete after.verification_due;
  assert.deepEqual(after, before);
  assert.equal((await coordinator.send('POST', `${API}/changes/${id}/approve`, {})).status, 409);

  const again = await ngoB.send('PUT', `${API}/services/${B_SERVICE}`, { name: 'Advocacy with zebrawords (demo)' });
  const ok = await coordinator.send('POST', `${API}/changes/${again.body.id}/approve`, {});
  assert.equal(ok.status, 200);
  const found = (await police.get(`${API}/services?q=zebrawords`)).body;
  assert.deepEqual(found.items.map((s) => s.id), [B_SERVICE]);
  // the old name's words are gone from the index
  // ("imsa" is also in the service type's name, which the index holds now)
  assert.ok(!(await police.get(`${API}/services?q=modern`)).body.items.some((s) => s.id === B_SERVICE));
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  for (const e of ['directory_change_proposed', 'directory_change_rejected', 'directory_change_approved']) assert.match(audit, new RegExp(e));
});

test('coordinator creates a service at once (201); NGO staff propose a new one (202); invalid service is 422 with fields', async () => {
  const body = {
    organisation_id: 'd0000000-0000-4000-8000-000000000001', name: 'New quokka service (demo)', description: 'A new demo service.',
    service_types: ['outreach'], exploitation_types: ['labour'], client_groups: ['adults'], languages: ['sq', 'ro'],
    communities: ['albanian'], boroughs: ['camden'], hours: { always_open: false, opening: 'mon-fri 09:00-17:00', out_of_hours: '' },
    how_to_refer: { steps: ['Call us'], referrers: ['police'], consent_needed: true, nrm_needed: false, contact: '020 7946 0111', response_time: 'Same day' },
  };
  const c = await coordinator.send('POST', `${API}/services`, body);
  assert.equal(c.status, 201);
  assert.equal((await police.get(`${API}/services?q=quokka`)).body.items[0].id, c.body.id);
  const n = await ngoA.send('POST', `${API}/services`, { ...body, name: 'Proposed wombat service (demo)' });
  assert.equal(n.status, 202);
  assert.equal((await police.get(`${API}/services?q=wombat`)).body.total, 0);
  const bad = await coordinator.send('POST', `${API}/services`, { ...body, languages: ['xx'], boroughs: ['narnia'], hours: { opening: 'someday 9-5' }, service_types: ['magic'] });
  assert.equal(bad.status, 422);
  for (const f of ['service_types']) assert.ok(bad.body.error.fields[f], f);
  const bad2 = await coordinator.send('POST', `${API}/services`, { ...body, languages: ['xx'], boroughs: ['narnia'], hours: { opening: 'someday 9-5' } });
  assert.equal(bad2.status, 422);
  for (const f of ['languages', 'boroughs', 'opening']) assert.ok(bad2.body.error.fields[f], f);
});

test('anyone signed in can suggest an edit; it reaches the owner and the coordinators', async () => {
  const r = await police.send('POST', `${API}/services/${A_SERVICE}/suggestions`, { text: 'The referral line number has changed.' });
  assert.equal(r.status, 201);
  assert.ok((await coordinator.get(`${API}/changes`)).body.suggestions.some((s) => s.id === r.body.id));
  assert.ok((await ngoA.get(`${API}/changes`)).body.suggestions.some((s) => s.id === r.body.id));
  assert.ok(!(await ngoB.get(`${API}/changes`)).body.suggestions.some((s) => s.id === r.body.id));
  assert.equal((await police.send('POST', `${API}/services/${A_SERVICE}/suggestions`, { text: '' })).status, 422);
});

test('services not verified for 6 months are flagged to the coordinator', async () => {
  const r = await coordinator.get(`${API}/changes`);
  assert.ok(r.body.verification_due.length > 0);
  const svc = (await police.get(`${API}/services/${r.body.verification_due[0].id}`)).body;
  assert.equal(svc.verification_due, true);
});

test('Open Referral answers validate against the HSDS 3.1 schemas', async () => {
  const root = await police.get(`${API}/openreferral/`);
  assert.equal(root.status, 200);
  assert.match(root.body.version, /^3\./);
  assert.ok(root.body.profile);
  const page = await police.get(`${API}/openreferral/services?per_page=10`);
  assert.equal(page.status, 200);
  for (const k of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents']) assert.ok(k in page.body, k);
  assert.equal(page.body.size, 10);
  const vService = validator('compiled/service.json');
  for (const s of page.body.contents) assert.equal(vService(s), null, s.name);
  const one = await police.get(`${API}/openreferral/services/${A_SERVICE}`);
  assert.equal(vService(one.body), null);
  assert.ok(one.body.organization && one.body.languages.some((l) => l.code === 'sq'));
  const orgs = await police.get(`${API}/openreferral/organizations`);
  const vOrg = validator('compiled/organization.json');
  for (const o of orgs.body.contents) assert.equal(vOrg(o), null, o.name);
  const org = await police.get(`${API}/openreferral/organizations/d0000000-0000-4000-8000-000000000001`);
  assert.equal(vOrg(org.body), null);
  assert.ok(org.body.services.length >= 1);
  const tax = await police.get(`${API}/openreferral/taxonomies`);
  const vTax = validator('taxonomy.json');
  for (const t of tax.body.contents) assert.equal(vTax(t), null);
  const terms = await police.get(`${API}/openreferral/taxonomy_terms?per_page=100`);
  const vTerm = validator('taxonomy_term.json');
  for (const t of terms.body.contents) assert.equal(vTerm(t), null);
  const criminal = terms.body.contents.find((t) => t.taxonomy === 'exploitation' && t.code === 'criminal');
  const byTerm = await police.get(`${API}/openreferral/services?taxonomy_term_id=${criminal.id}&per_page=100`);
  const direct = await police.get(`${API}/services?exploitation=criminal&per_page=100`);
  assert.equal(byTerm.body.total_items, direct.body.total);
  const byOrg = await police.get(`${API}/openreferral/services?organization_id=d0000000-0000-4000-8000-000000000003`);
  assert.ok(byOrg.body.contents.every((s) => s.organization_id === 'd0000000-0000-4000-8000-000000000003'));
  assert.ok(byOrg.body.total_items >= 1);
  const future = await police.get(`${API}/openreferral/services?modified_after=2099-01-01T00:00:00Z`);
  assert.equal(future.body.total_items, 0);
  assert.equal(future.body.empty, true);
  const sal = await police.get(`${API}/openreferral/service_at_locations`);
  assert.equal(sal.body.total_items, 0);
  assert.equal((await police.get(`${API}/openreferral/services?per_page=500`)).status, 422);
});

test('export validates; import into an empty store and export again gives the same services; dry run first', async () => {
  assert.equal((await police.get(`${API}/export`)).status, 403);
  const exp = await coordinator.get(`${API}/export`);
  assert.equal(exp.status, 200);
  const vOrg = validator('compiled/organization.json');
  const vService = validator('compiled/service.json');
  for (const o of exp.body.organizations) {
    assert.equal(vOrg(o), null, o.name);
    for (const s of o.services) assert.equal(vService(s), null, s.name);
  }
  // empty the directory (keep the communities list and the pathways)
  const keys = (await stack.redis('--scan', '--pattern', 'portal:dir:*')).split('\n').filter((k) => k && !/:(community|pw|pw:list)$/.test(k));
  for (let i = 0; i < keys.length; i += 200) await stack.redis('DEL', ...keys.slice(i, i + 200));
  assert.equal((await police.get(`${API}/services`)).body.total, 0);
  const count = exp.body.organizations.reduce((n, o) => n + o.services.length, 0);
  const dry = await coordinator.send('POST', `${API}/import?dry_run=true`, exp.body);
  assert.equal(dry.status, 200, JSON.stringify(dry.body).slice(0, 300));
  assert.equal(dry.body.dry_run, true);
  assert.equal(dry.body.added.length, count);
  assert.equal(dry.body.rejected.length, 0);
  assert.equal((await police.get(`${API}/services`)).body.total, 0, 'a dry run writes nothing');
  const imp = await coordinator.send('POST', `${API}/import?dry_run=false`, exp.body);
  assert.equal(imp.status, 200);
  assert.equal(imp.body.applied, true);
  const again = await coordinator.get(`${API}/export`);
  const services = (e) => e.organizations.flatMap((o) => o.services).sort((a, b) => a.id.localeCompare(b.id));
  const orgsOf = (e) => e.organizations.map(({ services: _s, ...o }) => o).sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(services(again.body), services(exp.body));
  assert.deepEqual(orgsOf(again.body), orgsOf(exp.body));
  const search = await police.get(`${API}/services?language=sq&exploitation=criminal&borough=newham`);
  assert.equal(search.body.total, 4);
  const audit = await stack.redis('XRANGE', 'portal:audit', '-', '+');
  assert.match(audit, /directory_import/);
});

test('a malformed import is 422 with what to fix, and never half-applies', async () => {
  const exp = (await coordinator.get(`${API}/export`)).body;
  const before = (await police.get(`${API}/services`)).body.total;
  const notHsds = await coordinator.send('POST', `${API}/import?dry_run=false`, { services: 'nope' });
  assert.equal(notHsds.status, 422);
  assert.ok(notHsds.body.error.fields.organizations);
  // one good new service and one bad one: nothing is applied
  const org = structuredClone(exp.organizations[0]);
  const good = { ...structuredClone(org.services[0]), id: '11111111-1111-4111-8111-111111111111', name: 'Imported platypus service (demo)' };
  const bad = { ...structuredClone(org.services[0]), id: '22222222-2222-4222-8222-222222222222', name: '',
    languages: [{ id: '33333333-3333-4333-8333-333333333333', code: 'xx', name: 'Nope' }] };
  bad.attributes = bad.attributes.map((a) => (a.taxonomy_term.taxonomy === 'language' ? { ...a, taxonomy_term: { ...a.taxonomy_term, code: 'xx' } } : a));
  org.services = [good, bad];
  const r = await coordinator.send('POST', `${API}/import?dry_run=false`, { organizations: [org] });
  assert.equal(r.status, 422);
  const rejected = r.body.error.fields.report.rejected;
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].id, bad.id);
  assert.ok(rejected[0].reasons.name && rejected[0].reasons.languages);
  assert.equal((await police.get(`${API}/services?q=platypus`)).body.total, 0);
  assert.equal((await police.get(`${API}/services`)).body.total, before);
  const dry = await coordinator.send('POST', `${API}/import?dry_run=true`, { organizations: [org] });
  assert.equal(dry.status, 200);
  assert.equal(dry.body.rejected.length, 1);
  assert.equal(dry.body.added.length, 1);
});

test('pathways: demo ones are marked as examples; coordinators write new ones; a bad saved search is 422', async () => {
  const list = await police.get(`${API}/pathways`);
  assert.ok(list.body.pathways.length >= 3);
  assert.ok(list.body.pathways.every((p) => p.example === true && /example/i.test(p.title)));
  const body = { title: 'Survivor needing Romanian-language support', steps: [{ text: 'Ask which language the person prefers.' }, { text: 'Find Romanian-speaking partners.', search: 'language=ro' }] };
  assert.equal((await police.send('POST', `${API}/pathways`, body)).status, 403);
  const c = await coordinator.send('POST', `${API}/pathways`, body);
  assert.equal(c.status, 201);
  assert.equal(c.body.example, false);
  const got = await police.get(`${API}/pathways/${c.body.id}`);
  assert.equal(got.body.steps[1].search, 'language=ro');
  const bad = await coordinator.send('PUT', `${API}/pathways/${c.body.id}`, { ...body, steps: [{ text: 'x', search: 'language=xx' }] });
  assert.equal(bad.status, 422);
  const html = await (await stack.fetch(`/directory/pathways/${list.body.pathways[0].id}`, { headers: { cookie: police.cookie } })).text();
  assert.match(html, /example for the demo, not guidance/);
});

test('pages: search form works without JavaScript, service page shows how to refer', async () => {
  const res = await stack.fetch('/directory/?language=sq&exploitation=criminal&borough=newham', { headers: { cookie: police.cookie } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /4 services found/);
  assert.match(html, /<form method="get" action="\/directory\/"/);
  assert.match(html, /name="language" type="checkbox" value="sq" checked/);
  const svc = await (await stack.fetch(`/directory/services/${A_SERVICE}`, { headers: { cookie: police.cookie } })).text();
  assert.match(svc, /How to refer/);
  const anon = await stack.fetch('/directory/');
  assert.equal(anon.status, 303);
});

test('generator adds N services on the demo stack (coordinators only)', async () => {
  assert.equal((await police.send('POST', `${API}/generate`, { count: 10, tag: 't1' })).status, 403);
  const r = await coordinator.send('POST', `${API}/generate`, { count: 120, tag: 't1' });
  assert.equal(r.status, 201);
  const s = await police.get(`${API}/services?community=gen-t1&per_page=100`);
  assert.equal(s.body.total, 120);
  assert.equal((await coordinator.send('POST', `${API}/generate`, { count: 100000, tag: 't1' })).status, 422);
});

// ---- page forms: post/redirect/get, 422 keeping what was typed, 403s ----

const ORG_A = 'd0000000-0000-4000-8000-000000000001';

// POST an urlencoded page form as `who` (with the hidden csrf_token field);
// returns the status, the Location and the HTML.
async function postForm(who, path, fields) {
  const body = new URLSearchParams();
  body.append('csrf_token', who.csrf);
  for (const [k, v] of fields) body.append(k, v);
  const res = await stack.fetch(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

// The edit form's fields for a service (API shape), as a browser sends them.
function serviceFields(s, changes = {}) {
  const f = [['name', s.name], ['description', s.description],
    ...s.service_types.map((v) => ['service_types', v]), ...s.exploitation_types.map((v) => ['exploitation_types', v]),
    ...s.client_groups.map((v) => ['client_groups', v]), ...s.communities.map((c) => ['communities', c.code]),
    ...s.how_to_refer.referrers.map((v) => ['referrers', v]),
    ...s.languages.map((l) => ['languages', l.code]), ['boroughs', s.boroughs.join(', ')],
    ['opening', s.hours.opening], ['out_of_hours', s.hours.out_of_hours || ''],
    ['steps', s.how_to_refer.steps.join('\r\n')], ['contact', s.how_to_refer.contact],
    ['response_time', s.how_to_refer.response_time || '']];
  if (s.hours.always_open) f.push(['always_open', 'true']);
  if (s.how_to_refer.consent_needed) f.push(['consent_needed', 'true']);
  if (s.how_to_refer.nrm_needed) f.push(['nrm_needed', 'true']);
  return f.filter(([k]) => !(k in changes)).concat(Object.entries(changes).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])));
}

test('service form: NGO staff post is 303 to a proposed change; 422 keeps what was typed; another agency is 403', async () => {
  const s = (await police.get(`${API}/services/${A_SERVICE}`)).body;
  const ok = await postForm(ngoA, `/directory/services/${A_SERVICE}`, serviceFields(s, { name: 'Form-proposed narwhal (demo)' }));
  assert.equal(ok.status, 303);
  assert.match(ok.location, new RegExp(`^/directory/services/${A_SERVICE}\\?proposed=1&change=[0-9a-f-]{36}$`));
  assert.ok((await coordinator.get(`${API}/changes`)).body.changes.some((c) => c.proposed.name === 'Form-proposed narwhal (demo)' && c.status === 'pending'));
  assert.equal((await police.get(`${API}/services?q=narwhal`)).body.total, 0);

  const bad = await postForm(ngoA, `/directory/services/${A_SERVICE}`, serviceFields(s, {
    name: 'Typed walrus name', languages: ['sq', 'cy', 'xx'], service_types: ['helpline', 'interpreting'], client_groups: ['men'],
    nrm_needed: 'true', steps: 'First typed step\r\nSecond typed step', description: '' }));
  assert.equal(bad.status, 422);
  assert.match(bad.html, /There is a problem/);
  assert.doesNotMatch(bad.html, /back button/);
  assert.match(bad.html, /id="name" name="name" type="text" value="Typed walrus name"/);
  // the language picker keeps every ticked box, one under "More languages" opening it
  assert.match(bad.html, /id="languages" name="languages" type="checkbox" value="sq" checked/);
  assert.match(bad.html, /id="languages-cy" name="languages" type="checkbox" value="cy" checked/);
  assert.doesNotMatch(bad.html, /value="vi" checked/);
  assert.match(bad.html, /<details class="govuk-details[^"]*" open>/);
  assert.match(bad.html, /id="languages-error"[^>]*>.*&quot;xx&quot;/);
  assert.match(bad.html, /id="description-error"/);
  assert.match(bad.html, /name="service_types" type="checkbox" value="helpline" checked/);
  assert.match(bad.html, /name="service_types" type="checkbox" value="interpreting" checked/);
  assert.match(bad.html, /name="client_groups" type="checkbox" value="men" checked/);
  assert.doesNotMatch(bad.html, /name="client_groups" type="checkbox" value="women" checked/);
  assert.match(bad.html, /id="nrm_needed" name="nrm_needed" type="checkbox" value="true" checked/);
  assert.match(bad.html, /First typed step\r?\nSecond typed step<\/textarea>/);
  assert.match(bad.html, /name="csrf_token"/);

  const other = await postForm(ngoB, `/directory/services/${A_SERVICE}`, serviceFields(s, { name: 'Taken over (demo)' }));
  assert.equal(other.status, 403);
  const edit = await stack.fetch(`/directory/services/${A_SERVICE}/edit`, { headers: { cookie: ngoB.cookie } });
  assert.equal(edit.status, 403);
  assert.equal((await police.get(`${API}/services/${A_SERVICE}`)).body.name, s.name);
});

test('service form: languages are checkboxes, the most-referred first in order, the rest under "More languages", English name with own name', async () => {
  const s = (await police.get(`${API}/services/${A_SERVICE}`)).body;
  const page = await stack.fetch(`/directory/services/${A_SERVICE}/edit`, { headers: { cookie: ngoA.cookie } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.doesNotMatch(html, /type="text"[^>]*name="languages"|name="languages" type="text"/);
  for (const l of s.languages) assert.match(html, new RegExp(`name="languages" type="checkbox" value="${l.code}" checked`));
  const at = (re) => html.search(re);
  const order = [/value="sq"/, /value="vi"/, /value="ti"/, /value="en"/, /summary-text">More languages/, /value="de"/, /value="cy"/];
  for (let i = 1; i < order.length; i++) assert.ok(at(order[i - 1]) >= 0 && at(order[i - 1]) < at(order[i]), String(order[i]));
  assert.match(html, /for="languages">Albanian <span lang="sq">\(shqip\)<\/span><\/label>/);
  assert.match(html, /for="languages-cy">Welsh <span lang="cy">\(Cymraeg\)<\/span><\/label>/);
  assert.match(html, /<details class="govuk-details[^"]*">/, 'closed when none of the rest is ticked');
});

test('service form: a coordinator\'s post applies at once and redirects (303) to the service', async () => {
  const created = await coordinator.send('POST', `${API}/services`, {
    organisation_id: ORG_A, name: 'Form target pelican (demo)', description: 'A service the form test changes.',
    service_types: ['outreach'], exploitation_types: ['labour'], client_groups: ['adults'], languages: ['ro'],
    communities: ['romanian'], boroughs: ['camden'], hours: { always_open: true, opening: '', out_of_hours: '' },
    how_to_refer: { steps: ['Call us'], referrers: ['police'], consent_needed: false, nrm_needed: false, contact: '020 7946 0112', response_time: '' },
  });
  assert.equal(created.status, 201);
  const s = (await police.get(`${API}/services/${created.body.id}`)).body;
  const r = await postForm(coordinator, `/directory/services/${s.id}`, serviceFields(s, { name: 'Form target heron (demo)', languages: ['ro', 'pl'] }));
  assert.equal(r.status, 303);
  assert.equal(r.location, `/directory/services/${s.id}?updated=1`);
  const after = (await police.get(`${API}/services/${s.id}`)).body;
  assert.equal(after.name, 'Form target heron (demo)');
  assert.deepEqual(after.languages.map((l) => l.code), ['ro', 'pl']);
  assert.deepEqual(after.communities.map((c) => c.code), ['romanian'], 'communities ticked on the form are kept');
  assert.equal(after.hours.always_open, true);
});

test('suggest an edit from the service page: 303; 422 keeps the text; the owner\'s suggestions page lists it and can close it', async () => {
  const long = 'x'.repeat(1001);
  const bad = await postForm(police, `/directory/services/${A_SERVICE}/suggestions`, [['text', long]]);
  assert.equal(bad.status, 422);
  assert.match(bad.html, /How to refer/, 'the service page again');
  assert.match(bad.html, new RegExp(`id="text" name="text" rows="3" maxlength="1000"[^>]*>${long}</textarea>`));
  assert.match(bad.html, /id="text-error"/);
  const ok = await postForm(police, `/directory/services/${A_SERVICE}/suggestions`, [['text', 'Opening hours changed to weekdays only (unicorn)']]);
  assert.equal(ok.status, 303);
  assert.match(ok.location, new RegExp(`^/directory/services/${A_SERVICE}\\?suggested=1&suggestion=[0-9a-f-]{36}$`));
  const page = await (await stack.fetch('/directory/suggestions', { headers: { cookie: ngoA.cookie } })).text();
  assert.match(page, /Opening hours changed to weekdays only \(unicorn\)/);
  assert.doesNotMatch(await (await stack.fetch('/directory/suggestions', { headers: { cookie: ngoB.cookie } })).text(), /unicorn/);
  assert.equal((await stack.fetch('/directory/suggestions', { headers: { cookie: police.cookie } })).status, 403);
  const sug = (await ngoA.get(`${API}/suggestions`)).body.suggestions.find((x) => /unicorn/.test(x.text));
  assert.equal(sug.status, 'open');
  assert.equal((await postForm(ngoB, `/directory/suggestions/${sug.id}/close`, [])).status, 403);
  const closed = await postForm(ngoA, `/directory/suggestions/${sug.id}/close`, []);
  assert.equal(closed.status, 303);
  assert.equal(closed.location, '/directory/suggestions?closed=1');
  assert.doesNotMatch(await (await stack.fetch('/directory/suggestions', { headers: { cookie: ngoA.cookie } })).text(), /unicorn/);
  assert.equal((await coordinator.get(`${API}/suggestions`)).body.suggestions.find((x) => x.id === sug.id).status, 'closed');
});

test('pathway forms: a coordinator writes (303) and changes one; 422 keeps the rows typed; others are 403', async () => {
  const fields = [['title', 'Form pathway for labour exploitation'], ['summary', 'Written through the page.'],
    ['step_text_1', 'Make sure the person is safe.'], ['step_search_1', ''],
    ['step_text_2', 'Find labour exploitation advocacy.'], ['step_search_2', 'https://portal.example/directory/?exploitation=labour&service_type=advocacy']];
  assert.equal((await postForm(police, '/directory/pathways', fields)).status, 403);
  assert.equal((await stack.fetch('/directory/pathways/new', { headers: { cookie: ngoA.cookie } })).status, 403);
  const bad = await postForm(coordinator, '/directory/pathways', [...fields.filter(([k]) => k !== 'title'), ['title', 'x'], ['step_search_3', 'language=xx'], ['step_text_3', 'Find more.']]);
  assert.equal(bad.status, 422);
  assert.match(bad.html, /id="title-error"/);
  assert.match(bad.html, /id="step_search_3-error"/);
  assert.match(bad.html, /id="step_search_3" name="step_search_3" type="text" value="language&#61;xx"|value="language=xx"/);
  assert.match(bad.html, /Find labour exploitation advocacy\.<\/textarea>/);
  const ok = await postForm(coordinator, '/directory/pathways', fields);
  assert.equal(ok.status, 303);
  const id = ok.location.match(/^\/directory\/pathways\/([0-9a-f-]{36})\?saved=1$/)[1];
  const pw = (await police.get(`${API}/pathways/${id}`)).body;
  assert.equal(pw.example, false);
  assert.deepEqual(pw.steps, [{ text: 'Make sure the person is safe.', search: '' },
    { text: 'Find labour exploitation advocacy.', search: 'exploitation=labour&service_type=advocacy' }]);
  const edit = await (await stack.fetch(`/directory/pathways/${id}/edit`, { headers: { cookie: coordinator.cookie } })).text();
  assert.match(edit, /id="title" name="title" type="text" maxlength="160" value="Form pathway for labour exploitation"/);
  const changed = await postForm(coordinator, `/directory/pathways/${id}`, [...fields, ['step_text_3', 'A third step.']]);
  assert.equal(changed.status, 303);
  assert.equal((await police.get(`${API}/pathways/${id}`)).body.steps.length, 3);
  const list = await (await stack.fetch('/directory/pathways', { headers: { cookie: police.cookie } })).text();
  assert.match(list, /Form pathway for labour exploitation<\/a>\s*\n/, 'not marked as an example');
  assert.match(list, /\(example\)<\/a> <strong class="govuk-tag govuk-tag--grey">Example, not guidance/);
});

test('organisation pages: its services; NGO staff propose a change (303); 422 keeps values; another agency 403; coordinator applies', async () => {
  const page = await (await stack.fetch(`/directory/organisations/${ORG_A}`, { headers: { cookie: police.cookie } })).text();
  assert.match(page, /Women&#39;s safehouse referrals \(demo\)|Women's safehouse referrals \(demo\)/);
  assert.doesNotMatch(page, /Change this organisation/);
  const org = (await police.get(`${API}/organisations/${ORG_A}`)).body;
  const fields = [['name', org.name], ['description', org.description], ['website', org.website || ''], ['email', org.email || ''], ['phone', org.phone || '']];
  const other = await postForm(ngoB, `/directory/organisations/${ORG_A}`, fields);
  assert.equal(other.status, 403);
  assert.equal((await stack.fetch(`/directory/organisations/${ORG_A}/edit`, { headers: { cookie: ngoB.cookie } })).status, 403);
  const bad = await postForm(ngoA, `/directory/organisations/${ORG_A}`, [...fields.filter(([k]) => k !== 'email' && k !== 'name'), ['name', 'Typed otter org (demo)'], ['email', 'not-an-email']]);
  assert.equal(bad.status, 422);
  assert.match(bad.html, /id="name" name="name" type="text" value="Typed otter org \(demo\)"/);
  assert.match(bad.html, /value="not-an-email"/);
  assert.match(bad.html, /id="email-error"/);
  const proposed = await postForm(ngoA, `/directory/organisations/${ORG_A}`, [...fields.filter(([k]) => k !== 'phone'), ['phone', '020 7946 0999']]);
  assert.equal(proposed.status, 303);
  assert.match(proposed.location, new RegExp(`^/directory/organisations/${ORG_A}\\?proposed=1&change=[0-9a-f-]{36}$`));
  const change = (await coordinator.get(`${API}/changes`)).body.changes.find((c) => c.kind === 'organisation' && c.organisation_id === ORG_A && c.status === 'pending');
  assert.equal(change.proposed.phone, '020 7946 0999');
  assert.equal((await police.get(`${API}/organisations/${ORG_A}`)).body.phone, org.phone, 'not applied until approved');
  const applied = await postForm(coordinator, `/directory/organisations/${ORG_A}`, [...fields.filter(([k]) => k !== 'phone'), ['phone', '020 7946 0998'], ['agency_id', org.agency_id]]);
  assert.equal(applied.status, 303);
  assert.equal(applied.location, `/directory/organisations/${ORG_A}?updated=1`);
  assert.equal((await police.get(`${API}/organisations/${ORG_A}`)).body.phone, '020 7946 0998');
});

test('services not verified for 6 months show on the changes page and are tagged on their organisation\'s page', async () => {
  const due = (await coordinator.get(`${API}/changes`)).body.verification_due;
  assert.ok(due.length > 0);
  const html = await (await stack.fetch('/directory/changes', { headers: { cookie: coordinator.cookie } })).text();
  assert.match(html, /Not verified for 6 months/);
  assert.ok(html.includes(`/directory/services/${due[0].id}`));
  const svc = (await police.get(`${API}/services/${due[0].id}`)).body;
  const org = await (await stack.fetch(`/directory/organisations/${svc.organisation.id}`, { headers: { cookie: police.cookie } })).text();
  assert.match(org, /Not verified for 6 months/);
});

// ---- issue 15 -------------------------------------------------------------

test('free text matches language, community, exploitation type and borough names: "albanian" finds what the Albanian filter finds', async () => {
  const byFilter = (await police.get(`${API}/services?language=sq&per_page=100`)).body;
  const byWord = (await police.get(`${API}/services?q=Albanian&per_page=100`)).body;
  assert.ok(byFilter.total >= 10, `the Albanian filter finds ${byFilter.total}`);
  for (const s of byFilter.items) assert.ok(byWord.items.some((x) => x.id === s.id), `q=Albanian misses ${s.name}`);
  // both words: services matching both
  const both = (await police.get(`${API}/services?q=albanian+trans&per_page=100`)).body;
  assert.ok(both.total >= 1, 'albanian trans finds a service');
  for (const s of both.items) assert.ok(has(s.client_groups, 'trans_non_binary') && (has(s.languages, 'sq') || has(s.communities, 'albanian')), s.name);
  // the language's own name and a borough's name
  assert.equal((await police.get(`${API}/services?q=shqip&per_page=100`)).body.total, byFilter.total);
  const newham = (await police.get(`${API}/services?q=newham&per_page=100`)).body;
  assert.ok(newham.total > 0 && newham.items.every((s) => has(s.boroughs, 'newham')));
  const sexual = (await police.get(`${API}/services?q=sexual&per_page=100`)).body;
  assert.equal(sexual.total, (await police.get(`${API}/services?exploitation=sexual&per_page=100`)).body.total);
});

test('languages are BCP 47 tags: the ISO 639-3 ones are accepted, historic ones no longer offered, the NRM languages listed first', async () => {
  const r = await coordinator.get(`${API}/languages`);
  assert.equal(r.status, 200);
  const codes = r.body.languages.map((l) => l.code);
  assert.deepEqual(codes.slice(0, 7), ['sq', 'vi', 'ti', 'ar', 'prs', 'ps', 'ro']);
  for (const c of ['prs', 'bin', 'pcm', 'kri', 'syl', 'byn']) assert.ok(codes.includes(c), c);
  for (const c of ['ae', 'la', 'eo', 'vo']) assert.ok(!codes.includes(c), c);
  assert.equal(r.body.languages.find((l) => l.code === 'sq').own_name, 'shqip');
  // after the first block: by English name
  const rest = r.body.languages.slice(r.body.first.length).map((l) => l.name);
  assert.deepEqual(rest, [...rest].sort((a, b) => a.localeCompare(b, 'en')));
  // a search by an ISO 639-3 tag is valid; an unknown one is 422
  assert.equal((await police.get(`${API}/services?language=prs`)).status, 200);
  assert.equal((await police.get(`${API}/services?language=xyz`)).status, 422);
  // a service in Dari and Nigerian Pidgin
  const made = await coordinator.send('PUT', `${API}/services/${A_SERVICE}`, { languages: ['en', 'prs', 'pcm'] });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  assert.deepEqual(made.body.languages.map((l) => l.name), ['English', 'Dari', 'Nigerian Pidgin']);
  assert.ok((await police.get(`${API}/services?q=dari`)).body.items.some((s) => s.id === A_SERVICE));
});

test('coordinators change which languages come first; others cannot; a name that is not a language is 422', async () => {
  assert.equal((await ngoA.send('PUT', `${API}/languages`, { first: ['pl'] })).status, 403);
  const bad = await coordinator.send('PUT', `${API}/languages`, { first: ['pl', 'Klingon'] });
  assert.equal(bad.status, 422);
  assert.match(JSON.stringify(bad.body), /Klingon/);
  assert.equal((await coordinator.send('PUT', `${API}/languages`, { first: ['pl', 'pl'] })).status, 422);
  const ok = await coordinator.send('PUT', `${API}/languages`, { first: ['pl', 'Tigrinya', 'sq'] });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.first, ['pl', 'ti', 'sq']);
  assert.deepEqual(ok.body.languages.slice(0, 4).map((l) => l.code), ['pl', 'ti', 'sq', 'ab']);
  // the search page lists the language filter in that order
  const html = await (await stack.fetch('/directory/', { headers: { cookie: police.cookie } })).text();
  const at = (code) => html.indexOf(`id="language-${code}"`);
  assert.ok(at('pl') > 0 && at('pl') < at('sq') && at('sq') < at('en'), 'Polish, then Albanian, then the rest');
  // back to the NRM order
  const back = await coordinator.send('PUT', `${API}/languages`, { first: ['sq', 'vi', 'ti', 'ar', 'prs', 'ps', 'ro'] });
  assert.equal(back.status, 200);
});

test('the change queue shows words: names for lists, who proposed it and when, and no "changed" for a reordered list', async () => {
  const svc = (await police.get(`${API}/services/${B_SERVICE}`)).body;
  const reordered = [...svc.service_types].reverse();
  const langs = svc.languages.map((l) => l.code).reverse();
  const p = await ngoB.send('PUT', `${API}/services/${B_SERVICE}`, { service_types: reordered, languages: langs, description: 'Changed words for the queue (demo).' });
  assert.equal(p.status, 202);
  const html = await (await stack.fetch('/directory/changes', { headers: { cookie: coordinator.cookie } })).text();
  const section = html.slice(html.indexOf(`id="c-${p.body.id}"`));
  const part = section.slice(0, section.indexOf('</section>'));
  const text = part.replace(/<[^>]+>/g, ' ');
  assert.doesNotMatch(text, /\[|\]|"code"|_|\d{4}-\d{2}-\d{2}T/);
  assert.match(part, /Proposed by [^<]+ of [^<]+ at (?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+/);
  assert.doesNotMatch(part, /ngo\.b/);
  assert.match(part, /Polish/);
  const row = (label) => part.slice(part.indexOf(`>${label}`), part.indexOf('</tr>', part.indexOf(`>${label}`)));
  assert.doesNotMatch(row('Service types'), /changed/);
  assert.doesNotMatch(row('Languages'), /changed/);
  assert.match(row('Description'), /changed/);
  assert.equal((await coordinator.send('POST', `${API}/changes/${p.body.id}/reject`, {})).status, 200);
});

test('search paging reads "Page 1 of 2"; service pages link the referral line as tel:', async () => {
  const html = await (await stack.fetch('/directory/', { headers: { cookie: police.cookie } })).text();
  assert.match(html, /Page 1 of \d+/);
  const svc = await (await stack.fetch(`/directory/services/${A_SERVICE}`, { headers: { cookie: police.cookie } })).text();
  assert.match(svc, /<a class="govuk-link" href="tel:0\d{9,10}">0[\d ]+<\/a>/);
  const none = await (await stack.fetch('/directory/?q=zzzunknownword', { headers: { cookie: police.cookie } })).text();
  assert.match(none, /href="tel:08000121700"/);
});

test('the suggested edits page says who sent each note and when in words, never a username', async () => {
  const sent = await police.send('POST', `${API}/services/${A_SERVICE}/suggestions`, { text: 'A new referral number (words test).' });
  assert.equal(sent.status, 201);
  const html = await (await stack.fetch('/directory/suggestions', { headers: { cookie: ngoA.cookie } })).text();
  const row = html.slice(html.indexOf('A new referral number (words test).'));
  const cells = row.slice(0, row.indexOf('</tr>')).replace(/<[^>]+>/g, ' ');
  assert.match(cells, / of [^<]+ at (?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+/);
  assert.doesNotMatch(cells, /responder\.police|\d{4}-\d{2}-\d{2}/);
  assert.match(html, /class="govuk-table portal-table--stack"/);
});

test('lists that grow are paged: organisations, pathways and suggestions take page and per_page and answer total; pages show the GOV.UK pagination', async () => {
  const all = (await police.get(`${API}/organisations?per_page=100`)).body;
  assert.ok(all.total > 20, String(all.total));
  assert.equal(all.organisations.length, all.total);
  const first = (await police.get(`${API}/organisations`)).body;
  assert.deepEqual([first.page, first.per_page, first.total, first.organisations.length], [1, 20, all.total, 20]);
  const second = (await police.get(`${API}/organisations?page=2&per_page=20`)).body;
  assert.deepEqual(second.organisations.map((o) => o.id), all.organisations.slice(20, 40).map((o) => o.id));
  const beyond = (await police.get(`${API}/organisations?page=99`)).body;
  assert.deepEqual([beyond.organisations.length, beyond.total], [0, all.total]);
  for (const [q, field] of [['per_page=101', 'per_page'], ['page=0', 'page'], ['page=x', 'page']]) {
    const r = await police.get(`${API}/organisations?${q}`);
    assert.equal(r.status, 422, q);
    assert.ok(JSON.stringify(r.body).includes(field), q);
  }
  const pw = (await police.get(`${API}/pathways?per_page=2`)).body;
  assert.equal(pw.pathways.length, Math.min(2, pw.total));
  assert.equal(pw.per_page, 2);
  const sug = (await coordinator.get(`${API}/suggestions?per_page=1`)).body;
  assert.ok(sug.suggestions.length <= 1 && sug.total >= sug.suggestions.length);
  const chg = (await coordinator.get(`${API}/changes?per_page=100`)).body;
  assert.ok(chg.total >= 2, 'earlier tests proposed changes');
  const one = (await coordinator.get(`${API}/changes?per_page=1&page=2`)).body;
  assert.deepEqual([one.changes.length, one.total, one.page], [1, chg.total, 2]);
  assert.equal(one.changes[0].id, chg.changes[1].id, 'newest first, the second on page 2');
  assert.equal((await coordinator.get(`${API}/changes?per_page=0`)).status, 422);
  const queue = await (await stack.fetch('/directory/changes?per_page=1', { headers: { cookie: coordinator.cookie } })).text();
  assert.match(queue, new RegExp(`Page 1 of ${chg.total}`));
  assert.equal((queue.match(/<section class="govuk-!-margin-bottom-8"/g) || []).length, 1);

  const page1 = await (await stack.fetch('/directory/organisations', { headers: { cookie: police.cookie } })).text();
  assert.match(page1, /<nav class="govuk-pagination"/);
  assert.match(page1, /Page 1 of 2/);
  assert.match(page1, /href="\/directory\/organisations\?page&#61;2&amp;per_page&#61;20" rel="next"/);
  assert.doesNotMatch(page1, /rel="prev"/);
  const page2 = await (await stack.fetch('/directory/organisations?page=2', { headers: { cookie: police.cookie } })).text();
  assert.match(page2, /href="\/directory\/organisations\?page&#61;1&amp;per_page&#61;20" rel="prev"/);
  assert.ok(page2.includes(`/directory/organisations/${all.organisations[20].id}`));
  assert.ok(!page2.includes(`/directory/organisations/${all.organisations[0].id}"`));
});
