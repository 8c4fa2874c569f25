// answers.mjs - every answer the integration tests receive passes through
// here (stack.fetch), and each JSON answer under /api/ is checked against
// the API description the build makes (BUILD/api/openapi.json, issue 13):
// its path and method must be described, its status must be one the
// operation lists, and its body must fit that status's schema.  An answer
// that does not fails the test that received it.  An address that matches
// no described path must answer 404 or 405 with the error shape.
//
// PORTAL_ANSWERS_TALLY=FILE: each test process adds a line "checked N" to
// FILE when it exits (the Makefile sums them).  PORTAL_ANSWERS_RECORD=FILE:
// each JSON answer is also kept as a line {method, path, status, body}.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const RECORD = process.env.PORTAL_ANSWERS_RECORD;
const TALLY = process.env.PORTAL_ANSWERS_TALLY;

let checker = null;  // made on first use
let checked = 0;

if (TALLY) process.on('exit', () => { if (checked) appendFileSync(TALLY, `checked ${checked}\n`); });

// The described operations, each with a regular expression of its path.
// `from`: the document's file, or the document itself.
export function loadDescription(from) {
  const Ajv2020 = require('ajv/dist/2020').default;
  const addFormats = require('ajv-formats');
  const doc = typeof from === 'string' ? JSON.parse(readFileSync(from, 'utf8')) : from;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  const compiled = new Map();
  const validator = (schema) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) {
      const s = JSON.parse(key.replaceAll('"#/components/', '"openapi.json#/components/'));
      compiled.set(key, ajv.compile(s));
    }
    return compiled.get(key);
  };
  const paths = Object.entries(doc.paths).map(([path, item]) => ({
    path, item,
    re: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const errorSchema = { $ref: '#/components/schemas/common.error' };
  return { doc, paths, validator, errorSchema };
}

// What is wrong with one answer, or null when the description covers it.
export function checkAgainst(desc, method, pathname, status, body) {
  const found = desc.paths.filter((p) => p.re.test(pathname));
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  const fits = (schema) => {
    const v = desc.validator(schema);
    return v(body) ? null : `${method} ${pathname} ${status}: the body does not fit the description: ${
      desc.validator(schema).errors.slice(0, 3).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ')}\n${
      JSON.stringify(body).slice(0, 400)}`;
  };
  const ops = found.map((p) => [p.path, p.item[m]]).filter(([, op]) => op);
  if (ops.length === 0) {
    if (status === 404 || status === 405) return fits(desc.errorSchema);
    return `${method} ${pathname} answered ${status}, but the API description has no ${m.toUpperCase()} operation for it`;
  }
  // the most specific path: fewest parameters
  ops.sort((a, b) => (a[0].match(/\{/g) || []).length - (b[0].match(/\{/g) || []).length);
  const [path, op] = ops[0];
  const res = op.responses?.[String(status)];
  if (!res) {
    return `${method} ${pathname} answered ${status}, which the description of ${m.toUpperCase()} ${path} does not list (it lists ${
      Object.keys(op.responses || {}).join(', ')})`;
  }
  const schema = res.content?.['application/json']?.schema;
  if (!schema) return `${method} ${pathname} answered ${status} with JSON, but the description says no JSON body`;
  return fits(schema);
}

export async function seeAnswer(method, url, res) {
  const u = new URL(url);
  if (!u.pathname.startsWith('/api/') || u.pathname === '/api/v1/openapi.json') return;
  if (!(res.headers.get('content-type') || '').includes('json')) return;
  let body;
  try { body = await res.clone().json(); } catch { body = '(not JSON)'; }
  if (RECORD) appendFileSync(RECORD, `${JSON.stringify({ method, path: u.pathname, status: res.status, body })}\n`);
  if (!checker) {
    const file = join(process.env.PORTAL_BIN || join(import.meta.dirname, '..', '..', '..', 'build'), 'api', 'openapi.json');
    if (!existsSync(file)) throw new Error(`no API description at ${file}: the build makes it (make all)`);
    checker = loadDescription(file);
  }
  const wrong = checkAgainst(checker, method, u.pathname, res.status, body);
  if (wrong) throw new Error(`answer not described by the API description: ${wrong}`);
  checked++;
}
