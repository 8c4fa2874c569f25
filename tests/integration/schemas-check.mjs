#!/usr/bin/env node
// schemas-check.mjs - check recorded API answers against the answer schemas.
//
//   node tests/integration/schemas-check.mjs ANSWERS.jsonl [OPENAPI.json]
//   node tests/integration/schemas-check.mjs --sample OUT.jsonl ANSWERS.jsonl
//
// ANSWERS.jsonl: one answer a line, {method, path, status, body}, as
// PORTAL_ANSWERS_RECORD=FILE writes them (lib/answers.mjs).  Compiles every
// schema file, validates every answer against the schema of its route and
// status (lib/schemas.mjs), prints how many answers each route had, the
// routes with no success answer recorded, and each failure; exits 1 when any
// answer fails or a schema does not compile.  With --sample, writes the
// smallest answer of each route and status to OUT.jsonl instead (tokens
// replaced): how tests/integration/schemas-sample.jsonl was made.
import { writeFileSync } from 'node:fs';
import { API_DOC, checkAnswers, loadSchemas, readAnswers, readRoutes, sampleAnswers } from './lib/schemas.mjs';

if (process.argv[2] === '--sample') {
  const [, out, from] = process.argv.slice(2);
  const sample = sampleAnswers(readRoutes(), readAnswers(from));
  writeFileSync(out, sample.map((a) => `${JSON.stringify(a)}\n`).join(''));
  console.log(`${sample.length} answers written to ${out}`);
  process.exit(0);
}
const [answersFile, routesFile = API_DOC] = process.argv.slice(2);
if (!answersFile) {
  console.error('usage: schemas-check.mjs ANSWERS.jsonl [OPENAPI.json]');
  process.exit(2);
}
const schemas = await loadSchemas();
const nfiles = schemas.compileAll();
const routes = readRoutes(routesFile);
const answers = readAnswers(answersFile);
const { counts, failures } = checkAnswers(schemas, routes, answers);

console.log(`${nfiles} schema files compiled; ${answers.length} answers, ${answers.length - failures.length} valid, ${failures.length} failed`);
for (const [k, n] of [...counts].sort()) console.log(`${String(n).padStart(6)}  ${k}`);
const unseen = routes.filter((r) => r.schema.endsWith('.json') &&
  !r.statuses.some((s) => counts.has(`${r.method} ${r.pattern} ${s}`)));
for (const r of unseen) console.log(`no success answer recorded: ${r.method} ${r.pattern} (${r.schema})`);
const shown = new Map();
for (const f of failures) {
  const k = f.why;
  if (shown.has(k)) { shown.set(k, shown.get(k) + 1); continue; }
  shown.set(k, 1);
  console.log(`FAIL ${f.answer.method} ${f.answer.path} ${f.answer.status}: ${f.why}`);
}
process.exit(failures.length ? 1 : 0);
