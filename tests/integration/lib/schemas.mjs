// schemas.mjs - the JSON Schemas of the API's answers (issue 13), loaded
// into ajv, and each recorded answer checked against the schema of its
// route and status.
//
// Schema files: common/schemas/*.json and modules/*/schemas/**/*.json, JSON
// Schema draft 2020-12.  A "$ref" is a file path relative to the file that
// holds it ("booking.json", "../../../common/schemas/error.json"); no file
// carries an $id: each is registered here as file:///<path from the repo
// root>, so a relative $ref resolves as a path would.
//
// Which route answers which: the API description the build makes from the
// route lines (BUILD/api/openapi.json; each route line names its answers,
// common/openapi.c).  Any 4xx or 5xx of a route is an error answer
// (common/schemas/error.json); so is an answer to a path no route matches.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = join(HERE, '..', '..', '..');
// The API description the build made (PORTAL_BIN, else build/).
export const API_DOC = join(process.env.PORTAL_BIN || join(REPO, 'build'), 'api', 'openapi.json');
export const ERROR_SCHEMA = 'common/schemas/error.json';

// Every schema file under the repo's schema folders, as paths from the repo root.
export function schemaFiles(repo = REPO) {
  const out = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.json')) out.push(relative(repo, p));
    }
  };
  walk(join(repo, 'common', 'schemas'));
  for (const m of readdirSync(join(repo, 'modules')).sort()) {
    const d = join(repo, 'modules', m, 'schemas');
    try { if (statSync(d).isDirectory()) walk(d); } catch { /* a module without schemas */ }
  }
  return out;
}

const uri = (path) => `file:///${path}`;

// An ajv (draft 2020-12, formats) with every schema file registered; the
// Open Referral files keep their own words (name, constraints, ...), which
// ajv is told about so that any other unknown word in a schema is an error.
export async function loadSchemas(repo = REPO, files = schemaFiles(repo), override = {}) {
  if (!existsSync(join(HERE, '..', 'node_modules', 'ajv', 'dist', '2020.js')))
    execFileSync(join(HERE, '..', 'npm-install.sh'), { stdio: 'inherit', timeout: 180000 });
  const { default: Ajv2020 } = await import(join(HERE, '..', 'node_modules', 'ajv', 'dist', '2020.js'));
  const { default: addFormats } = await import(join(HERE, '..', 'node_modules', 'ajv-formats', 'dist', 'index.js'));
  const AjvClass = Ajv2020.default || Ajv2020;
  const ajv = new AjvClass({ strict: true, strictRequired: false, strictTypes: false, allErrors: true });
  (addFormats.default || addFormats)(ajv);
  ajv.addVocabulary(['name', 'path', 'datapackage_metadata', 'constraints', 'example', 'core',
    'tabular_required', 'datapackage_type']);
  for (const f of files) {
    const schema = override[f] || JSON.parse(readFileSync(join(repo, f), 'utf8'));
    const copy = { ...schema, $id: uri(f) };
    delete copy.$schema;
    ajv.addSchema(copy);
  }
  return {
    ajv,
    // compile every file: a bad keyword or a $ref to nowhere throws
    compileAll() { for (const f of files) ajv.getSchema(uri(f)); return files.length; },
    validate(path, value) {
      const v = ajv.getSchema(uri(path));
      if (!v) throw new Error(`no schema ${path}`);
      return v(value) ? null : ajv.errorsText(v.errors, { dataVar: 'body' });
    },
  };
}

// The route table from the API description: [{method, pattern, statuses:[..],
// schema, re}], one line per path, method and success body; schema is the
// file the answer's schema came from (its component's x-source), a media
// type (text/csv, text/calendar), or "-" for no body (204).
export function readRoutes(file = API_DOC) {
  if (!existsSync(file)) throw new Error(`no API description at ${file}: the build makes it (make all)`);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const routes = [];
  const esc = (t) => t.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  for (const [pattern, item] of Object.entries(doc.paths)) {
    const re = new RegExp(`^${pattern.split(/\{[a-z_]+\}/).map(esc).join('[^/]+')}$`);
    for (const [m, op] of Object.entries(item)) {
      const bySchema = new Map();
      for (const [status, res] of Object.entries(op.responses || {})) {
        const [type, media] = Object.entries(res.content || {})[0] || [];
        const ref = media?.schema?.$ref;
        const schema = !type ? '-' : type !== 'application/json' ? type
          : doc.components.schemas[ref.replace('#/components/schemas/', '')]['x-source'];
        if (schema === ERROR_SCHEMA) continue;  // the error answers: every route's 4xx and 5xx
        bySchema.set(schema, [...(bySchema.get(schema) || []), Number(status)]);
      }
      for (const [schema, statuses] of bySchema) routes.push({ method: m.toUpperCase(), pattern, statuses, schema, re });
    }
  }
  return routes;
}

// The route lines an answer's method and path match (HEAD as GET).
export function routesOf(routes, method, path) {
  const m = method === 'HEAD' ? 'GET' : method;
  return routes.filter((r) => r.method === m && r.re.test(path));
}

// The schema an answer must match: { route, schema } or { route, problem }.
// Routes are matched as the router does, first pattern in table order: a
// later line of the same pattern may name another status.
export function schemaFor(routes, answer) {
  const lines = routesOf(routes, answer.method, answer.path);
  const same = lines.filter((r) => lines.length && r.pattern === lines[0].pattern);
  const r = same.find((x) => x.statuses.includes(answer.status));
  if (r) {
    if (!r.schema.endsWith('.json')) return { route: r, problem: `answers ${r.schema}, not JSON, with ${answer.status}` };
    return { route: r, schema: r.schema };
  }
  const route = same[0] || null;
  if (answer.status >= 400) return { route, schema: ERROR_SCHEMA };
  return { route, problem: route ? `status ${answer.status} is not described for ${route.method} ${route.pattern}`
    : `no route for ${answer.method} ${answer.path}` };
}

// Check answers [{method, path, status, body}]: the count per route and
// status, and every failure {answer, why}.
export function checkAnswers(schemas, routes, answers) {
  const counts = new Map();
  const failures = [];
  for (const a of answers) {
    const s = schemaFor(routes, a);
    const key = `${s.route ? `${s.route.method} ${s.route.pattern}` : `(no route) ${a.method}`} ${a.status}`;
    counts.set(key, (counts.get(key) || 0) + 1);
    const why = s.problem || schemas.validate(s.schema, a.body);
    if (why) failures.push({ answer: a, why: s.schema ? `${s.schema}: ${why}` : why });
  }
  return { counts, failures };
}

export function readAnswers(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

// The smallest recorded answer of each route and success status, and of
// each error status and code, with the session tokens replaced by fixed
// ones: the sample the schemas' own test keeps.
export function sampleAnswers(routes, answers) {
  const best = new Map();
  for (const a of answers) {
    const s = schemaFor(routes, a);
    const code = a.body && a.body.error && a.body.error.code;
    const key = code ? `error ${a.status} ${code}`
      : `${s.route ? `${s.route.method} ${s.route.pattern}` : `(no route) ${a.method}`} ${a.status}`;
    const size = JSON.stringify(a).length;
    if (!best.has(key) || size < best.get(key).size) best.set(key, { a, size });
  }
  // a long answer (the export) keeps the first 5 items of each list
  const cut = (v) => (Array.isArray(v) && v.length > 5 ? v.slice(0, 5) : v);
  return [...best.keys()].sort().map((k) => JSON.parse(JSON.stringify(best.get(k).a, (name, v) => {
    if (best.get(k).size > 20000) v = cut(v);
    if (name === 'csrf_token' && typeof v === 'string') return '0'.repeat(64);
    if (name === 'access_token' && typeof v === 'string') return 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzYW1wbGUifQ.c2FtcGxl';
    return v;
  })));
}
