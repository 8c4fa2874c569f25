// xss.test.mjs - stored and reflected cross-site scripting over the real
// stack (OWASP ASVS 4.0.3 V5.3.3, V5.3.1, V5.1.x): a script element, a
// quote that breaks out of an attribute and an event handler go into every
// free-text field (training courses and sessions, safehouses, holds,
// directory services, organisations, pathways, communities, suggestions,
// proposed changes and their reasons, and a person's name and agency from
// the directory), then every page that shows them is fetched as the people
// who see them: each value appears only HTML-escaped, and each field is
// seen on at least one page.  Links only take https:// addresses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../integration/lib/stack.mjs';
import { fromNow } from '../integration/lib/training.mjs';
import { addPeople, send, XSS_TAIL, XSS_SHORT, escapedOccurrences } from './lib/portal.mjs';

let stack;
const as = {};
const ids = {};
// marker -> { field, payload }
const FIELDS = new Map();
let n = 0;
// The payload for `field`: a unique marker, then the probe (the short one
// for fields of 40 characters or less).
function P(field, short = false) {
  const marker = `zq${String(++n).padStart(2, '0')}`;
  const payload = `${marker}${short ? XSS_SHORT : XSS_TAIL}`;
  FIELDS.set(marker, { field, payload });
  return payload;
}
const XSS_PERSON = { uid: 'xss.person', role: 'responder', agency: 'xss-agency', type: 'police' };

const ok = (r, what, ...want) => {
  assert.ok(want.includes(r.status), `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
};

before(async () => {
  stack = await startStack();
  await addPeople(stack, [{ ...XSS_PERSON, name: P('person: display name (LDAP)'), agencyName: P('person: agency name (LDAP)') }]);
  for (const u of ['trainer', 'coordinator', 'ngo.a', 'responder.police', XSS_PERSON.uid]) as[u] = await stack.signIn(u);

  // training
  let b = ok(await send(stack, as.trainer, 'POST', '/api/v1/training/courses', {
    title: P('course title'), summary: P('course summary'), description: P('course description'),
    audience: P('course audience'), organisation: P('course organisation'), duration_minutes: 120,
  }), 'course', 201);
  ids.course = b.course.id;
  b = ok(await send(stack, as.trainer, 'POST', '/api/v1/training/sessions', {
    course_id: Number(ids.course), starts_at: fromNow(20), ends_at: fromNow(20, 2), venue: P('session venue'), capacity: 5,
  }), 'session', 201);
  ids.session = b.session.id;
  ok(await send(stack, as[XSS_PERSON.uid], 'POST', `/api/v1/training/sessions/${ids.session}/bookings`, {}), 'booking', 201);

  // beds
  b = ok(await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name: P('safehouse name'), area: 'camden', groups: { women: { beds: 3 } }, referral_phone: '020 7946 0998',
    referral_hours: P('safehouse referral hours'),
  }), 'safehouse', 201);
  ids.house = b.safehouse.id;
  ok(await send(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${ids.house}/vacancies`, { women: 3 }), 'vacancies', 200);
  b = ok(await send(stack, as[XSS_PERSON.uid], 'POST', `/api/v1/beds/safehouses/${ids.house}/holds`, {
    group: 'women', reference: P('hold case reference', true), callback_phone: '07700 900321',
  }), 'hold', 201);
  ids.hold = b.hold.id;

  // directory: a community, an organisation of ngo.a's agency, a service, a pathway
  ok(await send(stack, as.coordinator, 'POST', '/api/v1/directory/communities', { code: 'xss-community', name: P('community name') }), 'community', 201);
  b = ok(await send(stack, as.coordinator, 'POST', '/api/v1/directory/organisations', {
    name: P('organisation name'), description: P('organisation description'), email: 'xss@example.org',
    phone: '020 7946 0123', website: 'https://example.org/a', agency_id: 'demo-charity-a',
  }), 'organisation', 201);
  ids.org = b.id;
  b = ok(await send(stack, as.coordinator, 'POST', '/api/v1/directory/services', {
    organisation_id: ids.org, name: `Xsscheck ${P('service name')}`, description: P('service description'),
    service_types: ['outreach'], exploitation_types: ['labour'], client_groups: ['adults'], languages: ['sq'],
    communities: ['xss-community'], boroughs: ['camden'],
    hours: { always_open: false, opening: 'mon-fri 09:00-17:00', out_of_hours: P('service out of hours') },
    how_to_refer: { steps: [P('service step')], referrers: ['police'], consent_needed: true, nrm_needed: false,
      contact: P('service contact'), response_time: P('service response time') },
  }), 'service', 201);
  ids.service = b.id;
  b = ok(await send(stack, as.coordinator, 'POST', '/api/v1/directory/pathways', {
    title: P('pathway title'), summary: P('pathway summary'), steps: [{ text: P('pathway step'), search: 'language=sq' }],
  }), 'pathway', 201);
  ids.pathway = b.id;
  // a suggestion, a pending change and a rejected one with its reason
  ok(await send(stack, as['responder.police'], 'POST', `/api/v1/directory/services/${ids.service}/suggestions`, { text: P('suggestion text') }), 'suggestion', 201);
  ok(await send(stack, as['ngo.a'], 'PUT', `/api/v1/directory/services/${ids.service}`, { description: P('proposed change: description') }), 'change', 202);
  b = ok(await send(stack, as['ngo.a'], 'PUT', `/api/v1/directory/organisations/${ids.org}`, { description: P('proposed change: organisation') }), 'change', 202);
  ok(await send(stack, as.coordinator, 'POST', `/api/v1/directory/changes/${b.id}/reject`, { reason: P('change rejection reason') }), 'reject', 200);
});
after(async () => { if (stack) await stack.stop(); });

// Fields no page shows (the API answers them, as JSON).
const NOT_ON_PAGES = new Set(['change rejection reason']);

// Every page that shows a field above, and who looks at it.
const PAGES = () => [
  ['trainer', '/training/courses'],
  ['trainer', `/training/courses/${ids.course}/edit`],
  ['trainer', '/training/'],
  ['trainer', `/training/sessions/${ids.session}`],
  ['trainer', `/training/sessions/${ids.session}/edit`],
  ['trainer', `/training/sessions/${ids.session}/cancel`],
  ['trainer', `/training/sessions/${ids.session}/roster`],
  [XSS_PERSON.uid, '/training/my'],
  [XSS_PERSON.uid, `/training/sessions/${ids.session}`],
  ['coordinator', '/training/reports/uptake'],
  ['ngo.a', '/beds/'],
  ['ngo.a', '/beds/safehouses'],
  ['ngo.a', `/beds/safehouses/${ids.house}`],
  ['ngo.a', `/beds/safehouses/${ids.house}/edit`],
  ['ngo.a', '/beds/holds'],
  ['ngo.a', `/beds/holds/${ids.hold}`],
  [XSS_PERSON.uid, '/beds/'],
  [XSS_PERSON.uid, '/beds/search?group=women'],
  [XSS_PERSON.uid, `/beds/safehouses/${ids.house}`],
  [XSS_PERSON.uid, `/beds/safehouses/${ids.house}/hold`],
  [XSS_PERSON.uid, '/beds/holds'],
  [XSS_PERSON.uid, `/beds/holds/${ids.hold}`],
  ['coordinator', '/beds/reports/holds'],
  ['coordinator', '/beds/summary'],
  ['responder.police', '/directory/?q=xsscheck'],
  ['responder.police', '/directory/?community=xss-community'],
  ['responder.police', `/directory/services/${ids.service}`],
  ['responder.police', '/directory/organisations'],
  ['responder.police', `/directory/organisations/${ids.org}`],
  ['responder.police', '/directory/pathways'],
  ['responder.police', `/directory/pathways/${ids.pathway}`],
  ['coordinator', `/directory/services/${ids.service}/edit`],
  ['coordinator', `/directory/organisations/${ids.org}/edit`],
  ['coordinator', `/directory/pathways/${ids.pathway}/edit`],
  ['coordinator', '/directory/changes'],
  ['coordinator', '/directory/suggestions'],
  ['ngo.a', '/directory/changes'],
  ['ngo.a', '/directory/suggestions'],
  ['ngo.a', `/directory/organisations/${ids.org}/edit`],
  [XSS_PERSON.uid, '/'],
];

test('V5.3.3 V5.3.1 stored XSS: every free-text field appears only HTML-escaped on every page that shows it', async () => {
  const seen = new Map([...FIELDS.keys()].map((m) => [m, 0]));
  const failures = [];
  for (const [who, path] of PAGES()) {
    const r = await send(stack, as[who], 'GET', path);
    if (r.status !== 200) { failures.push(`${who} ${path}: ${r.status}`); continue; }
    assert.match(r.headers.get('content-type') || '', /^text\/html/, path);
    for (const [marker, { payload }] of FIELDS) {
      try {
        seen.set(marker, seen.get(marker) + escapedOccurrences(r.text, payload, marker, `${who} ${path}`));
      } catch (e) { failures.push(e.message); }
    }
  }
  assert.deepEqual(failures, []);
  // every field was shown somewhere: the check above was not vacuous
  const unseen = [...seen].filter(([, c]) => c === 0).map(([m]) => FIELDS.get(m).field).filter((f) => !NOT_ON_PAGES.has(f));
  assert.deepEqual(unseen, [], 'fields not shown on any page checked: add the page that shows them');
});

test('V5.3.3 V14.4.1 the API answers the stored values as JSON, CSV or calendar, never as HTML, with nosniff', async () => {
  const checks = [
    ['trainer', `/api/v1/training/courses/${ids.course}`, /^application\/json/],
    ['trainer', `/api/v1/training/sessions/${ids.session}/roster`, /^application\/json/],
    ['trainer', `/training/sessions/${ids.session}/roster.csv`, /^text\/csv/],
    ['coordinator', '/training/reports/uptake.csv', /^text\/csv/],
    ['ngo.a', `/api/v1/beds/holds/${ids.hold}`, /^application\/json/],
    ['responder.police', `/api/v1/directory/services/${ids.service}`, /^application\/json/],
    ['responder.police', `/api/v1/directory/openreferral/services/${ids.service}`, /^application\/json/],
    ['ngo.a', '/api/v1/directory/changes', /^application\/json/],
  ];
  const bookings = await send(stack, as[XSS_PERSON.uid], 'GET', '/api/v1/training/bookings');
  const bid = bookings.body.bookings?.[0]?.id;
  assert.ok(bid, bookings.text.slice(0, 200));
  checks.push([XSS_PERSON.uid, `/training/bookings/${bid}/calendar.ics`, /^text\/calendar/]);
  for (const [who, path, type] of checks) {
    const r = await send(stack, as[who], 'GET', path);
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    assert.match(r.headers.get('content-type') || '', type, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.ok([...FIELDS.keys()].some((m) => r.text.includes(m)), `${path} carries a stored value (the check is not vacuous)`);
  }
});

test('V5.1.3 V5.3.3 links take only https:// addresses: javascript: and quote-breaking links are refused', async () => {
  for (const link of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'https://x.example/"><script>alert(1)</script>', ' javascript:alert(1)']) {
    const s = await send(stack, as.trainer, 'POST', '/api/v1/training/sessions', {
      course_id: Number(ids.course), starts_at: fromNow(21), ends_at: fromNow(21, 2), online: true, join_link: link, capacity: 5,
    });
    assert.equal(s.status, 422, `join_link ${link}: ${s.status}`);
    assert.ok(s.body.error.fields.join_link);
    const o = await send(stack, as.coordinator, 'PUT', `/api/v1/directory/organisations/${ids.org}`, { website: link });
    assert.equal(o.status, 422, `website ${link}: ${o.status}`);
    assert.ok(o.body.error.fields.website);
  }
});

test('V5.3.3 reflected XSS: query values, paths and form input shown again are escaped', async () => {
  const failures = [];
  const tryPage = async (who, method, path, body, mustShow) => {
    const r = await send(stack, as[who], method, path, body);
    if (r.status >= 500) failures.push(`${path}: ${r.status}`);
    let shown = 0;
    for (const [marker, { payload }] of FIELDS) {
      try { shown += escapedOccurrences(r.text, payload, marker, `${method} ${path}`); } catch (e) { failures.push(e.message); }
    }
    if (mustShow && shown === 0) failures.push(`${method} ${path}: ${r.status}, the typed value is not shown again`);
  };
  const q = (f) => encodeURIComponent(P(f));
  await tryPage('responder.police', 'GET', `/directory/?q=${q('search q')}`, undefined, true);
  await tryPage('responder.police', 'GET', `/directory/?language=${q('search language')}`);
  await tryPage('responder.police', 'GET', `/beds/search?group=${q('beds search group')}`);
  await tryPage('trainer', 'GET', `/training/?course=${q('training course filter')}`);
  await tryPage('coordinator', 'GET', `/training/reports/uptake?from=${q('report from')}`);
  await tryPage('responder.police', 'GET', `/directory/nowhere/${q('unknown path')}`);
  await tryPage('responder.police', 'GET', `/login?next=${q('login next')}`);
  // a form with a mistake comes back with what was typed
  await tryPage('trainer', 'POST', '/training/courses', { title: P('course form title'), summary: '', duration_minutes: 60 }, true);
  await tryPage('ngo.a', 'POST', '/beds/safehouses', { name: P('safehouse form name'), area: 'camden', beds_women: 1, referral_phone: 'no phone' }, true);
  await tryPage('coordinator', 'POST', '/directory/pathways', { title: P('pathway form title'), summary: '' }, true);
  await tryPage('responder.police', 'POST', `/directory/services/${ids.service}/suggestions`, { text: `${P('suggestion form text')}${'x'.repeat(1000)}` }, true);
  assert.deepEqual(failures, []);
});

test('V5.3.3 control: the escaping check rejects a raw value and one escaped for text but not for attributes', () => {
  const p = `zq99${XSS_TAIL}`;
  const esc = (s, q) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
    .replaceAll('"', q ? '&quot;' : '"').replaceAll("'", q ? '&#39;' : "'");
  assert.equal(escapedOccurrences(`<p>${esc(p, true)}</p><input value="${esc(p, true)}">`, p, 'zq99', 'ok'), 2);
  assert.throws(() => escapedOccurrences(`<p>${p}</p>`, p, 'zq99', 'raw'), /not escaped/);
  assert.throws(() => escapedOccurrences(`<input value="${esc(p, false)}">`, p, 'zq99', 'half'), /not escaped/);
  assert.equal(escapedOccurrences(`<a href="/directory/?q=${encodeURIComponent(p)}">`, p, 'zq99', 'url'), 0);
});
