// openapi.test.mjs - the API description the build makes (issue 13):
// an OpenAPI 3.1 validator accepts it; it holds every /api/v1/ route of
// every module with who may call it, its fields and its answers; nginx
// serves it at /api/v1/openapi.json and the page for people at /api/; and
// the check every integration test's answers go through (lib/answers.mjs)
// passes a real answer and fails one the description does not allow -
// including with a deliberately wrong response schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkAgainst, loadDescription } from './lib/answers.mjs';
import { API_DOC, readAnswers } from './lib/schemas.mjs';
import { ROOT, startStack } from './lib/stack.mjs';

const require = createRequire(import.meta.url);
const doc = JSON.parse(readFileSync(API_DOC, 'utf8'));
const sample = readAnswers(join(ROOT, 'tests', 'integration', 'schemas-sample.jsonl'));
let stack;

before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

test('an OpenAPI 3.1 validator accepts the document', async () => {
  const { Validator } = require('@seriousme/openapi-schema-validator');
  const v = new Validator();
  const res = await v.validate(structuredClone(doc));
  assert.equal(v.version, '3.1');
  assert.equal(res.valid, true, JSON.stringify(res.errors)?.slice(0, 1000));
});

test('every operation says who may call it, and how; a write takes the CSRF token with the cookie', () => {
  const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([m, op]) => ({ p, m, op })));
  assert.ok(ops.length >= 70, `${ops.length} operations`);
  for (const { p, m, op } of ops) {
    assert.ok(op.summary && !op.summary.startsWith('/'), `${m} ${p} has a summary in words`);
    assert.match(op.description, /^(Anyone|Signed-in)/, `${m} ${p} says who may call it`);
    assert.ok(op.responses['503'], `${m} ${p} lists 503`);
    if (op.security.length === 0) continue;  // public
    assert.ok(op.responses['401'] && op.responses['403'], `${m} ${p} lists 401 and 403`);
    const schemes = op.security.map((s) => Object.keys(s).sort().join('+'));
    assert.deepEqual(schemes, m === 'get' || m === 'delete' ? ['session', 'bearer'] : ['csrf+session', 'bearer'], `${m} ${p}`);
  }
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'csrf', 'session']);
});

test('request fields come from the field tables: types, limits, choices, required', () => {
  const hold = doc.paths['/api/v1/beds/safehouses/{id}/holds'].post;
  const body = hold.requestBody.content['application/json'].schema;
  assert.equal(body.properties.minutes.type, 'integer');
  assert.equal(body.properties.minutes.minimum, 1);
  assert.ok(body.required.includes('callback_phone'), 'the call-back phone is required');
  assert.deepEqual(body.properties.group.enum, ['women', 'men', 'trans_non_binary']);
  const search = doc.paths['/api/v1/directory/services'].get;
  assert.ok(search.parameters.some((p) => p.in === 'query' && p.name === 'per_page' && p.schema.maximum > 0));
  const course = doc.paths['/api/v1/training/courses'].post.requestBody.content['application/json'].schema;
  assert.equal(course.properties.title.maxLength > 0, true);
  // a path parameter for every {name}
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const op of Object.values(item)) {
      const names = [...p.matchAll(/\{([a-z_]+)\}/g)].map((x) => x[1]);
      assert.deepEqual((op.parameters || []).filter((x) => x.in === 'path').map((x) => x.name), names, p);
    }
  }
});

test('nginx serves the document at /api/v1/openapi.json, and the page for people at /api/', async () => {
  const res = await stack.fetch('/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.deepEqual(await res.json(), doc);
  const pageRes = await stack.fetch('/api/');
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.headers.get('content-type'), /text\/html/);
  assert.match(pageRes.headers.get('content-security-policy'), /default-src 'self'/);
  const html = await pageRes.text();
  assert.doesNotMatch(html, /<script/, 'no JavaScript needed');
  for (const p of Object.keys(doc.paths)) assert.ok(html.includes(p.replace(/&/g, '&amp;')), `the page shows ${p}`);
  assert.match(html, /Who may call it: Signed-in NGO staff/);
  assert.match(html, /curl -X POST -H 'Authorization: Bearer \$TOKEN' -H 'Content-Type: application\/json' -d '/);
});

test('the answer check passes real answers and fails what the description does not allow', () => {
  const desc = loadDescription(doc);
  for (const a of sample) assert.equal(checkAgainst(desc, a.method, a.path, a.status, a.body), null, `${a.method} ${a.path} ${a.status}`);
  const hold = sample.find((a) => a.method === 'GET' && /^\/api\/v1\/beds\/holds\/\d+$/.test(a.path) && a.status === 200);
  assert.ok(hold, 'a recorded hold');
  // an answer that changed: an extra field, a status word not in the list
  assert.match(checkAgainst(desc, 'GET', hold.path, 200, { ...hold.body, extra: 1 }), /does not fit/);
  assert.match(checkAgainst(desc, 'GET', hold.path, 200, { hold: { ...hold.body.hold, status: 'pendng' } }), /does not fit/);
  // a status the route does not list, an undescribed operation
  assert.match(checkAgainst(desc, 'GET', hold.path, 201, hold.body), /does not list/);
  assert.match(checkAgainst(desc, 'PATCH', hold.path, 200, hold.body), /no PATCH operation/);
  // a deliberately wrong response schema: the hold's must now have a field no answer has
  const wrong = structuredClone(doc);
  const name = doc.paths['/api/v1/beds/holds/{id}'].get.responses['200'].content['application/json'].schema.$ref.split('/').pop();
  wrong.components.schemas[name].required = [...(wrong.components.schemas[name].required || []), 'no_such_field'];
  assert.match(checkAgainst(loadDescription(wrong), 'GET', hold.path, 200, hold.body), /no_such_field/);
});
