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

// London time as JavaScript's Intl says it (Europe/London): the RFC 3339
// text with the offset and the words common/clock.c writes.
function londonParts(t) {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'long',
    day: 'numeric', weekday: 'long', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23',
    timeZoneName: 'shortOffset' });
  return Object.fromEntries(f.formatToParts(new Date(t * 1000)).map((p) => [p.type, p.value]));
}
function londonText(t) {
  const p = londonParts(t);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const pad = (v) => String(v).padStart(2, '0');
  const off = p.timeZoneName === 'GMT' ? '+00:00' : `+${pad(p.timeZoneName.replace('GMT+', ''))}:00`;
  return `${p.year}-${pad(months.indexOf(p.month) + 1)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${off}`;
}
function londonWords(t, now) {
  const p = londonParts(t), h = Number(p.hour), m = Number(p.minute), h12 = h % 12 || 12, ampm = h < 12 ? 'am' : 'pm';
  let clock = `${h12}:${String(m).padStart(2, '0')}${ampm}`;
  if (m === 0) clock = h === 12 ? 'midday' : h === 0 ? 'midnight' : `${h12}${ampm}`;
  const year = p.year !== londonParts(now).year ? ` ${p.year}` : '';
  return `${clock} on ${p.weekday} ${p.day} ${p.month}${year}`;
}

test('time_text_and_time_words_say_london_time_across_summer_time_and_new_year', async () => {
  const NOW = 1_764_928_800;   // 2025-12-05 10:00 UTC
  const times = [946_684_799, 946_684_800, 1_711_846_799, 1_711_846_800, 1_729_990_799, 1_729_990_800,
    1_743_296_400, 1_761_440_399, 1_761_440_400, NOW, NOW + 43_200, 1_800_000_000, 1_900_000_000, 4_102_444_800];
  for (let t = 1_700_000_000; t < 1_830_000_000; t += 3_000_017) times.push(t);
  const got = await run("local out = {} for _, t in ipairs(list('times')) do t = tonumber(t) " +
    "out[#out + 1] = time_text(t) out[#out + 1] = time_words(t, need_num('now')) end return out",
    { times: times.join(','), now: NOW });
  times.forEach((t, i) => {
    assert.equal(got[2 * i], londonText(t), `time_text(${t})`);
    assert.equal(got[2 * i + 1], londonWords(t, NOW), `time_words(${t})`);
  });
});
