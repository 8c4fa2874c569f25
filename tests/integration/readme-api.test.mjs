// readme-api.test.mjs - the README's curl examples (between the
// api-examples markers) run exactly as written against a stack, with
// PORTAL pointed at it: each call answers 2xx (curl -f) with JSON.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT, startStack } from './lib/stack.mjs';

const run = promisify(execFile);
let stack;

before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

// The lines of the README's example block.
export function readmeExamples(text) {
  const m = text.match(/<!-- api-examples: start -->\n```sh\n([\s\S]*?)\n```\n<!-- api-examples: end -->/);
  assert.ok(m, 'the README has the api-examples block');
  return m[1];
}

test('the README\'s curl examples run as written, and each call answers JSON', async () => {
  const script = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const calls = script.split('\n').filter((l) => /^curl /.test(l));
  assert.ok(calls.length >= 4, 'a call for each module and the sign-in');
  assert.match(script, /\/api\/v1\/auth\/token/);
  for (const m of ['training', 'beds', 'directory']) assert.match(script, new RegExp(`/api/v1/${m}/`), `a call to ${m}`);
  // the block as written, but PORTAL is the test stack; each curl's
  // output on a line of its own
  const body = script.replace(/^PORTAL=.*$/m, `PORTAL=${stack.url}`).replace(/^curl (.*)$/gm, 'curl $1; echo');
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', body], { timeout: 30000 });
  const outs = stdout.trim().split('\n');
  assert.equal(outs.length, calls.length, 'one answer a call');
  for (const [i, out] of outs.entries()) {
    const json = JSON.parse(out);
    assert.equal(json.error, undefined, `${calls[i]}: ${out.slice(0, 200)}`);
  }
  assert.equal(JSON.parse(outs[0]).user.username, 'coordinator', 'the token is the coordinator\'s');
});
