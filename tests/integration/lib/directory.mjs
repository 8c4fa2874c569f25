// directory.mjs - helpers for the directory's integration tests: the npm
// dependencies (ajv) installed on first use, the HSDS 3.1 schemas, and JSON
// requests as a signed-in user.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';

const HERE = join(ROOT, 'tests', 'integration');

// Install tests/integration's package-lock when node_modules is missing.
export function ensureDeps() {
  if (existsSync(join(HERE, 'node_modules', 'ajv', 'package.json')) &&
      existsSync(join(HERE, 'node_modules', 'ajv-formats', 'package.json'))) return;
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, stdio: 'inherit', timeout: 180000 });
}

// The Open Referral HSDS 3.1 schemas kept in the repository
// (tests/integration/openreferral/, with their licence and source).
export function openReferralDir() {
  return join(HERE, 'openreferral');
}

// An ajv validator factory for the HSDS schemas: validator('compiled/service.json').
export async function hsdsValidators() {
  ensureDeps();
  const { default: Ajv } = await import(join(HERE, 'node_modules', 'ajv', 'dist', 'ajv.js'));
  const { default: addFormats } = await import(join(HERE, 'node_modules', 'ajv-formats', 'dist', 'index.js'));
  const AjvClass = Ajv.default || Ajv;
  const ajv = new AjvClass({ strict: false, allErrors: true });
  (addFormats.default || addFormats)(ajv);
  // every entity schema under its file name, so "$ref": "metadata.json" resolves
  const dir = join(openReferralDir(), 'schema');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'openapi.json')) {
    const schema = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    delete schema.$schema;
    schema.$id = f;
    ajv.addSchema(schema, f);
  }
  const cache = new Map();
  return (rel) => {
    if (!cache.has(rel)) {
      if (rel.startsWith('compiled/')) {
        const schema = JSON.parse(readFileSync(join(dir, rel), 'utf8'));
        delete schema.$schema;
        schema.$id = rel;
        cache.set(rel, ajv.compile(schema));
      } else cache.set(rel, ajv.getSchema(rel));
    }
    const validate = cache.get(rel);
    return (value) => (validate(value) ? null : ajv.errorsText(validate.errors));
  };
}

// A signed-in JSON client: get(path), send(method, path, body).
export async function client(stack, username) {
  const s = await stack.signIn(username);
  const headers = { cookie: s.cookie };
  return {
    ...s,
    async get(path) {
      const res = await stack.fetch(path, { headers });
      const text = await res.text();
      let body; try { body = JSON.parse(text); } catch { body = text; }
      return { status: res.status, body, headers: res.headers };
    },
    async send(method, path, body, contentType = 'application/json') {
      const res = await stack.fetch(path, {
        method,
        headers: { ...headers, 'x-csrf-token': s.csrf, 'content-type': contentType },
        body: contentType === 'application/json' ? JSON.stringify(body ?? {}) : body,
      });
      const text = await res.text();
      let parsed; try { parsed = JSON.parse(text); } catch { parsed = text; }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}
