// prelude.test.mjs - common/lua/lib.lua, the prelude every module's scripts
// start with, on its own against a redis-server started here: name/value
// arguments (need, need_num, list), keys under the base key, the answer
// and its module tail, record/hgetall, list_json; and that the line numbers
// Redis reports are the script file's own (portal-embed joins the prelude
// onto the script's first line).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, connect, preludeSource } from './lib/redis.mjs';

const BASE = 'p:{t}';
let server, r, dir;

before(async () => {
  server = await startRedis();
  r = await connect(server.socket);
  dir = mkdtempSync(join(tmpdir(), 'prelude-test-'));
});
after(async () => { r.close(); await server.stop(); rmSync(dir, { recursive: true, force: true }); });
beforeEach(async () => { await r.call('FLUSHALL'); });

let n = 0;
// Run the Lua `body` (its lines after a first comment line) after the
// prelude with KEYS[1] = BASE and ARGV = the pairs of `args`.
function run(body, args = {}) {
  const file = join(dir, `s${++n}.lua`);
  writeFileSync(file, `-- test script\n${body}\n`);
  const argv = Object.entries(args).flatMap(([k, v]) => [k, String(v)]);
  return r.call('EVAL', preludeSource(file), 1, BASE, ...argv);
}

test('need_reads_a_named_argument_in_any_order', async () => {
  assert.deepEqual(await run("return {need('b'), need('a')}", { a: 'one', b: 'two' }), ['two', 'one']);
  assert.deepEqual(await run("return {need('a')}", { a: '' }), ['']);
});

test('a_missing_argument_names_itself_and_the_script_line_that_asked', async () => {
  await assert.rejects(run("local x = 1\nreturn {need('wanted')}", { a: '1' }),
    (e) => /script argument wanted is missing/.test(e.message) && /user_script:3:/.test(e.message));
});

test('need_num_takes_numbers_and_refuses_text_and_absence', async () => {
  assert.deepEqual(await run("return {need_num('n') + 1}", { n: '41' }), [42]);
  await assert.rejects(run("return {need_num('n')}", { n: 'x' }), /script argument n is not a number/);
  await assert.rejects(run("return {need_num('n')}"), /script argument n is missing/);
});

test('list_splits_a_comma_separated_domain_list', async () => {
  assert.deepEqual(await run("return list('g')", { g: 'women,men,trans_non_binary,' }), ['women', 'men', 'trans_non_binary']);
  assert.deepEqual(await run("return {#list('g')}", { g: '' }), [0]);
});

test('key_makes_every_key_under_the_base_key', async () => {
  assert.deepEqual(await run("return {key('sh', 4, 'pending'), key('one')}"), [`${BASE}:sh:4:pending`, `${BASE}:one`]);
});

test('answer_is_flat_and_carries_what_the_module_adds_to_every_answer', async () => {
  assert.deepEqual(await run("return answer('ok', 'a', '1')"), ['ok', 'a', '1']);
  assert.deepEqual(await run(
    "answer_tail[#answer_tail + 1] = function(r) r[#r + 1] = 'also' r[#r + 1] = 'x' end\nreturn answer('not_found')"),
  ['not_found', 'also', 'x']);
});

test('record_is_nil_for_no_hash_and_hgetall_an_empty_table', async () => {
  await r.call('HSET', `${BASE}:h`, 'a', '1', 'b', '2');
  assert.deepEqual(await run("local t = record(key('h'))\nreturn {t.a, t.b}"), ['1', '2']);
  assert.deepEqual(await run("return {tostring(record(key('none')))}"), ['nil']);
  assert.deepEqual(await run("return {tostring(next(hgetall(key('none'))))}"), ['nil']);
});

test('list_json_is_an_array_even_when_empty', async () => {
  assert.deepEqual(await run("return {list_json({}), list_json({'a', 2})}"), ['[]', '["a",2]']);
});

test('the_embedder_refuses_a_prelude_comment_after_code_and_a_script_without_its_header', () => {
  const embed = process.env.PORTAL_EMBED;
  const lib = join(dir, 'bad', 'lib.lua');
  execFileSync('mkdir', ['-p', join(dir, 'bad')]);
  writeFileSync(lib, 'local x = 1 -- a comment after code\n');
  writeFileSync(join(dir, 'ok.lua'), '-- header\nreturn {}\n');
  assert.throws(() => execFileSync(embed, ['--lua-source', lib, join(dir, 'ok.lua')], { stdio: 'pipe' }),
    (e) => /comments on lines of their own/.test(e.stderr.toString()));
  writeFileSync(lib, 'local x = 1\n');
  writeFileSync(join(dir, 'nohead.lua'), 'return {}\n');
  assert.throws(() => execFileSync(embed, ['--lua-source', lib, join(dir, 'nohead.lua')], { stdio: 'pipe' }),
    (e) => /KEYS\/ARGV comment/.test(e.stderr.toString()));
  assert.throws(() => execFileSync(embed, ['--lua-source', join(dir, 'ok.lua'), join(dir, 'ok.lua')], { stdio: 'pipe' }),
    (e) => /no prelude/.test(e.stderr.toString()));
  // two preludes, in order, both on the script's first line
  const second = join(dir, 'two', 'lib.lua');
  execFileSync('mkdir', ['-p', join(dir, 'two')]);
  writeFileSync(second, '-- second\nlocal y = x + 1\n');
  const text = execFileSync(embed, ['--lua-source', lib, second, join(dir, 'ok.lua')]).toString();
  assert.equal(text, 'local x = 1 local y = x + 1 -- header\nreturn {}\n');
});
