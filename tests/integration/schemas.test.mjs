// schemas.test.mjs - the API's answer schemas (issue 13) and their check
// (lib/schemas.mjs): every file compiles and is written the same way, every
// /api/v1/ route is in the API description the build makes, the code lists in the
// schemas are the C code's, a real answer of every route passes, and a
// changed answer fails.  Needs no stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO, ERROR_SCHEMA, schemaFiles, loadSchemas, readRoutes, readAnswers, checkAnswers, schemaFor,
} from './lib/schemas.mjs';

const files = schemaFiles();
const schemas = await loadSchemas();
const routes = readRoutes();
const sample = readAnswers(join(REPO, 'tests', 'integration', 'schemas-sample.jsonl'));
const json = (f) => JSON.parse(readFileSync(join(REPO, f), 'utf8'));
const ours = files.filter((f) => !f.includes('/openreferral/'));
const pointer = (f, p) => p.split('/').slice(1).reduce((v, k) => v[k], json(f));
const fails = (answer) => checkAnswers(schemas, routes, [answer]).failures;
const copy = (v) => JSON.parse(JSON.stringify(v));

test('every schema file compiles, and ours are draft 2020-12 with a title and a description', () => {
  assert.ok(files.length > 50, `${files.length} files`);
  assert.equal(schemas.compileAll(), files.length);
  for (const f of ours) {
    const s = json(f);
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema', f);
    assert.ok(typeof s.title === 'string' && s.title.length > 2, `${f}: title`);
    assert.ok(typeof s.description === 'string' && s.description.length > 20, `${f}: description`);
    assert.equal(s.$id, undefined, `${f}: no $id (refs are file paths)`);
  }
});

test('a $ref to a file that does not exist, or an unknown keyword, does not compile', async () => {
  const broken = { ...json('modules/beds/schemas/hold-answer.json') };
  broken.properties = { hold: { $ref: 'no-such-file.json' } };
  const s1 = await loadSchemas(REPO, files, { 'modules/beds/schemas/hold-answer.json': broken });
  assert.throws(() => s1.compileAll(), /no-such-file|resolve/);
  const typo = { ...json('common/schemas/health.json'), requierd: ['status'] };
  const s2 = await loadSchemas(REPO, files, { 'common/schemas/health.json': typo });
  assert.throws(() => s2.compileAll(), /requierd/);
});

// Every object schema in our files says what else may be in it: nothing.
test('every object the portal builds has additionalProperties false', () => {
  const walk = (f, v, at) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(f, x, `${at}/${i}`));
    if (!v || typeof v !== 'object') return;
    // open on purpose: if/then/else of change.json, the allOf extension of a page
    const part = /\/(if|then|else)$/.test(at) || (at === '' && v.allOf);
    if (v.properties && !part) assert.equal(v.additionalProperties, false, `${f}#${at}`);
    if (v.type === 'object' && !v.properties)
      assert.ok(v.additionalProperties !== undefined || v.propertyNames, `${f}#${at}: an open object`);
    for (const [k, x] of Object.entries(v)) walk(f, x, `${at}/${k}`);
  };
  for (const f of ours) walk(f, json(f), '');
});

// The /api/v1/ routes of every module's route table, as "METHOD pattern": each
// { "METHOD", path } of a line (a path may start with a macro, API "/x").
function codeRoutes() {
  const out = new Set();
  for (const m of readdirSync(join(REPO, 'modules'))) {
    const file = join(REPO, 'modules', m, 'main.c');
    if (!existsSync(file)) continue;
    const src = readFileSync(file, 'utf8');
    const macros = Object.fromEntries([...src.matchAll(/#define\s+(\w+)\s+"([^"]*)"/g)].map((x) => [x[1], x[2]]));
    for (const r of src.matchAll(/\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*((?:\w+\s*)?"[^"]*")\s*[,}]/g)) {
      const path = r[2].replace(/^(\w+)\s*"/, (_, name) => `"${macros[name] ?? `?${name}`}`).replace(/"/g, '');
      if (path.startsWith('/api/v1/')) out.add(`${r[1]} ${path}`);
    }
  }
  return out;
}

test('the API description has every /api/v1/ route of the route tables, and no other', () => {
  const code = codeRoutes();
  const tsv = new Set(routes.map((r) => `${r.method} ${r.pattern}`));
  assert.ok(code.size > 70, `${code.size} routes read from modules/*/main.c`);
  assert.deepEqual([...code].filter((r) => !tsv.has(r)), [], 'routes the description leaves out');
  assert.deepEqual([...tsv].filter((r) => !code.has(r)), [], 'described routes with no route line');
  for (const r of routes) {
    if (r.schema.endsWith('.json')) assert.ok(existsSync(join(REPO, r.schema)), r.schema);
    else assert.match(r.schema, /^(text\/csv|text\/calendar|-)$/, `${r.method} ${r.pattern}`);
    if (/\.(csv|ics)$/.test(r.pattern)) assert.ok(!r.schema.endsWith('.json'), `${r.pattern} is a file`);
  }
});

// A C list: the string literals of `name[] = { ... }` in file.
function cList(file, name) {
  const src = readFileSync(join(REPO, file), 'utf8');
  const m = src.match(new RegExp(`${name}\\[[^\\]]*\\]\\s*=\\s*\\{([^}]*)\\}`));
  assert.ok(m, `${name} in ${file}`);
  return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
}
// An X-macro list: argument `arg` (0 the code, 1 the label) of each X(...) of `#define name(X)`.
function xList(file, name, arg) {
  const src = readFileSync(join(REPO, file), 'utf8');
  const body = src.slice(src.indexOf(`#define ${name}(X)`)).split(/\n(?!\t)/)[0];
  return [...body.matchAll(/X\(([^)]*)\)/g)].map((x) => x[1].split(/,\s*/)[arg].replace(/"/g, '').trim());
}

test('the code lists in the schemas are the C code\'s lists', () => {
  const same = (schemaList, cl, what) => assert.deepEqual(schemaList, cl, what);
  same(pointer('modules/auth/schemas/user.json', '/properties/roles/items/enum'), cList('common/signin.c', 'role_names'), 'roles');
  same(pointer('modules/auth/schemas/user.json', '/properties/agency/properties/type/enum'), cList('common/signin.c', 'agency_types'), 'agency types');
  const types = xList('modules/training/training.h', 'TRAINING_AGENCY_TYPES', 0);
  same(pointer('modules/training/schemas/session.json', '/properties/agency_mix/items/properties/type/enum'), types, 'training agency types');
  same(pointer('modules/training/schemas/session.json', '/properties/agency_mix/items/properties/label/enum'),
    xList('modules/training/training.h', 'TRAINING_AGENCY_TYPES', 1), 'training agency labels');
  same(pointer('modules/training/schemas/session.json', '/properties/agency_seats/required'), types, 'seats per type');
  same(pointer('modules/training/schemas/booking.json', '/properties/agency_type/enum'), types, 'booking agency type');
  same(pointer('modules/training/schemas/booking.json', '/properties/attendance/enum'), ['', ...cList('modules/training/fields.c', 'training_marks')], 'attendance');
  const groups = xList('modules/beds/beds.h', 'BEDS_GROUPS', 0);
  for (const f of ['hold.json', 'search.json']) assert.ok(JSON.stringify(json(`modules/beds/schemas/${f}`)).includes(JSON.stringify(groups)), `bed groups in ${f}`);
  same(pointer('modules/beds/schemas/hold.json', '/properties/group/enum'), groups, 'bed groups');
  same(pointer('modules/beds/schemas/hold.json', '/properties/group_label/enum'), xList('modules/beds/beds.h', 'BEDS_GROUPS', 1), 'bed group labels');
  same(Object.keys(pointer('modules/beds/schemas/safehouse.json', '/properties/groups/properties')), groups, 'groups of a house');
  same(pointer('modules/beds/schemas/hold.json', '/properties/status/enum'), cList('modules/beds/fields.c', 'beds_statuses'), 'hold statuses');
  same(pointer('modules/beds/schemas/hold.json', '/properties/decline_reason/enum'), cList('modules/beds/fields.c', 'beds_decline_reasons'), 'decline reasons');
  same(pointer('modules/beds/schemas/hold.json', '/properties/decline_reason_label/enum'), cList('modules/beds/fields.c', 'beds_reason_labels'), 'decline labels');
  const svc = 'modules/directory/schemas/service.json';
  same(pointer(svc, '/properties/service_types/items/enum'), cList('modules/directory/fields.c', 'directory_choices_service_types'), 'service types');
  same(pointer(svc, '/properties/exploitation_types/items/enum'), cList('modules/directory/fields.c', 'directory_choices_exploitation'), 'exploitation types');
  same(pointer(svc, '/properties/client_groups/items/enum'), cList('modules/directory/fields.c', 'directory_choices_client_groups'), 'client groups');
  same(pointer(svc, '/properties/how_to_refer/properties/referrers/items/enum'), cList('modules/directory/fields.c', 'directory_choices_referrers'), 'referrers');
  const ref = readFileSync(join(REPO, 'common/reference.c'), 'utf8');
  const pairs = (name) => [...ref.slice(ref.indexOf(`${name}[]`)).split('};')[0].matchAll(/\{\s*"([^"]+)",\s*"([^"]+)"\s*[,}]/g)];
  same(json('common/schemas/london-area.json').enum, pairs('portal_london_areas').map((p) => p[1]), 'London areas');
  same(json('common/schemas/london-area-name.json').enum, pairs('portal_london_areas').map((p) => p[2]), 'London area names');
  same(json('common/schemas/language.json').enum, pairs('portal_languages').map((p) => p[1]), 'languages');
  same(json('common/schemas/language-name.json').enum, pairs('portal_languages').map((p) => p[2]), 'language names');
  assert.equal(json('common/schemas/london-area.json').enum.length, 33);
  assert.equal(json('common/schemas/language.json').enum.length, 179);
});

test('a real answer of every route that answers JSON passes (schemas-sample.jsonl)', () => {
  const { counts, failures } = checkAnswers(schemas, routes, sample);
  assert.deepEqual(failures.map((f) => `${f.answer.method} ${f.answer.path} ${f.answer.status}: ${f.why}`), []);
  const unseen = routes.filter((r) => r.schema.endsWith('.json') &&
    !r.statuses.some((st) => counts.has(`${r.method} ${r.pattern} ${st}`)));
  // the coordinators' direct PUTs (200) were not recorded; their 202 was
  assert.deepEqual(unseen.map((r) => `${r.method} ${r.pattern}`).sort(),
    ['PUT /api/v1/directory/organisations/{id}', 'PUT /api/v1/directory/services/{id}']);
  assert.ok(sample.filter((a) => a.status < 300).length >= 60);
});

// The sample's answer of `method pattern status` (a copy).
function answerOf(method, pattern, status) {
  const a = sample.find((x) => x.status === status && schemaFor(routes, x).route?.pattern === pattern && x.method === method);
  assert.ok(a, `${method} ${pattern} ${status} in the sample`);
  return copy(a);
}

test('every success schema fails an answer with an extra field, or without a required one', () => {
  let n = 0;
  for (const a of sample.filter((x) => x.status < 300)) {
    const { schema } = schemaFor(routes, a);
    if (schema.includes('/openreferral/')) continue;  // HSDS's own schemas: open objects
    const extra = copy(a);
    extra.body.not_described = 1;
    assert.equal(fails(extra).length, 1, `${a.method} ${a.path}: an extra field`);
    const top = json(schema).required || [];
    for (const key of top) {
      const less = copy(a);
      delete less.body[key];
      assert.equal(fails(less).length, 1, `${a.method} ${a.path}: without ${key}`);
      n++;
    }
  }
  assert.ok(n > 100, `${n} required fields taken out`);
});

test('a changed value deep in an answer fails: a status word, a type, a code, a timestamp, a bound', () => {
  const hold = answerOf('GET', '/api/v1/beds/holds/{id}', 200);
  assert.deepEqual(fails(hold), []);
  const wrong = (change, why) => {
    const a = copy(hold);
    change(a.body.hold);
    const f = fails(a);
    assert.equal(f.length, 1, why);
    return f[0].why;
  };
  assert.match(wrong((h) => { h.status = 'pendng'; }, 'status word'), /status.*allowed values/);
  assert.match(wrong((h) => { h.id = String(h.id); }, 'id as text'), /id must be integer/);
  assert.match(wrong((h) => { h.group = 'children'; }, 'bed group'), /group/);
  assert.match(wrong((h) => { h.created_at = '5 December 2026'; }, 'timestamp'), /created_at/);
  assert.match(wrong((h) => { h.safehouse.address = '1 High Street'; }, 'an address'), /additional properties/);
  assert.match(wrong((h) => { h.minutes_left = -1; }, 'below 0'), /minutes_left/);
  assert.match(wrong((h) => { delete h.can_cancel; }, 'missing'), /can_cancel/);
  const session = answerOf('GET', '/api/v1/training/sessions/{id}', 200);
  session.body.session.agency_seats.army = 1;
  assert.match(fails(session)[0].why, /agency_seats/);
  const login = answerOf('POST', '/api/v1/auth/login', 200);
  login.body.user.roles = ['admin'];
  assert.match(fails(login)[0].why, /roles/);
  const svc = answerOf('GET', '/api/v1/directory/services/{id}', 200);
  svc.body.service_types = ['witchcraft'];
  assert.equal(fails(svc).length, 1, 'a service type not in the list');
  const hsds = answerOf('GET', '/api/v1/directory/openreferral/services/{id}', 200);
  assert.deepEqual(fails(hsds), []);
  hsds.body.status = 'unknown';
  assert.match(fails(hsds)[0].why, /openreferral\/service\.json: body\/status/);
});

test('errors: every 4xx/5xx answer is the error shape, and a success status not described fails', () => {
  const err = sample.find((a) => a.status === 404);
  assert.deepEqual(fails(err), []);
  assert.equal(schemaFor(routes, err).schema, ERROR_SCHEMA);
  const e1 = copy(err);
  delete e1.body.error.message;
  assert.match(fails(e1)[0].why, /message/);
  const e2 = copy(err);
  e2.body.error.code = 'Not Found';
  assert.match(fails(e2)[0].why, /code/);
  const e3 = copy(err);
  e3.body = { message: 'not found' };
  assert.equal(fails(e3).length, 1, 'another error shape');
  // a status the route does not answer with
  const course = answerOf('GET', '/api/v1/training/courses/{id}', 200);
  assert.match(fails({ ...course, status: 201 })[0].why, /status 201 is not described/);
  // a success on a path no route has
  assert.match(fails({ method: 'GET', path: '/api/v1/nothing', status: 200, body: {} })[0].why, /no route/);
  // JSON where the route answers a file
  assert.match(fails({ method: 'GET', path: '/api/v1/beds/reports/holds.csv', status: 200, body: {} })[0].why, /text\/csv/);
  // health answers its own shape with 503, not the error shape
  const down = { method: 'GET', path: '/api/v1/health', status: 503, body: { status: 'unavailable', redis: 'down' } };
  assert.deepEqual(fails(down), []);
  assert.equal(fails({ ...down, body: { error: { code: 'store_unavailable', message: 'x' } } }).length, 1);
});

test('the second line of a route names its other status: a proposed change (202), a direct write (200)', () => {
  const change = answerOf('PUT', '/api/v1/directory/services/{id}', 202);
  assert.deepEqual(fails(change), []);
  assert.equal(schemaFor(routes, change).schema, 'modules/directory/schemas/change.json');
  assert.equal(fails({ ...change, status: 200 }).length, 1, 'a change is not a service');
  const svc = answerOf('GET', '/api/v1/directory/services/{id}', 200);
  delete svc.body.verification_due;
  assert.deepEqual(fails({ ...svc, method: 'PUT' }), []);
});
