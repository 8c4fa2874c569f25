// monitoring-figures.test.mjs - the quarterly monitoring figures (issue 18
// parts 1 to 3) over the real stack: the housekeeping reads the training
// and beds events streams (entries XADDed here in the shape of
// /work events.md's "Added for issue 18" contract, as the other modules
// will write them) into figures by agency type, police unit and borough,
// each event once (a cursor lost and the streams read again count
// nothing twice); feedback and hold outcome texts become monitoring texts
// to tag; the cases report is shown as published; 403 for anyone but
// coordinators, 400 for a quarter not written as 2026-Q4; the CSV's cells
// are escaped for spreadsheets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api, page } from './lib/beds.mjs';

let stack;
const as = {};
const TRAINING = 'portal:{training}:events';
const BEDS = 'portal:beds:{beds}:events';
const BASE = 'portal:{monitoring}';
const REPORT = 'portal:{portal}:report:cases-responsiveness';
// 2025: the quarters here are past ones, so the demo's events never meet them
const at = (iso) => String(Math.floor(Date.parse(iso) / 1000));
const T = at('2025-11-10T10:00:00Z');          // October to December 2025
const later = (minutes) => String(Number(T) + minutes * 60);
const WORDS = 'a trans or non-binary bed, pre-NRM, staff speaking Albanian';

before(async () => {
  stack = await startStack({ PORTAL_MONITORING_INTAKE_SECONDS: '1' });
  for (const u of ['responder.police', 'ngo.a', 'trainer', 'coordinator'])
    as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const xadd = async (stream, fields) =>
  (await stack.redis('XADD', stream, '*', ...Object.entries(fields).flat().map(String))).trim();
const booking = (kind, id, uid, type, unit, extra = {}) => xadd(TRAINING, { kind, at: T, booking: id, session: '900',
  uid, title: 'Spotting exploitation', starts_at: at('2025-11-20T09:00:00Z'), ends_at: at('2025-11-20T12:00:00Z'),
  trainer_agency: 'demo-trainers', agency: `agency-${uid}`, agency_type: type, unit, ...extra });
const hold = (kind, id, when, borough, unit, extra = {}) => xadd(BEDS, { kind, at: when, hold: id, safehouse: '1',
  safehouse_name: 'Demo House', agency: 'demo-charity-a', responder: 'responder.police', group: 'women',
  borough, expires_at: later(240), responder_agency_type: 'police', responder_unit: unit, ...extra });
const figures = (quarter, who = 'coordinator') => api(stack, as[who], 'GET', `/api/v1/monitoring?quarter=${quarter}`);
// the housekeeping (every second here) has read both streams to their ends
async function settled () {
  for (const [stream, name] of [[TRAINING, 'training'], [BEDS, 'beds']]) {
    const last = (await stack.redis('XREVRANGE', stream, '+', '-', 'COUNT', '1')).trim().split('\n')[0];
    for (let i = 0; i < 60 && (await stack.redis('GET', `${BASE}:cursor:${name}`)).trim() !== last; i++) await sleep(250);
    assert.equal((await stack.redis('GET', `${BASE}:cursor:${name}`)).trim(), last, `${name} read to its end`);
  }
}
const byCode = (rows) => Object.fromEntries(rows.map((r) => [r.code, r]));

test('every kind of event in the contract is counted by agency type, police unit and borough', async () => {
  await booking('booking_confirmed', 'b1', 'u1', 'police', 'north-east');
  await booking('booking_confirmed', 'b2', 'u2', 'ngo', '');
  await booking('booking_waitlisted', 'b3', 'u3', 'local_authority', '');
  await booking('booking_promoted', 'b3', 'u3', 'local_authority', '');
  await booking('booking_cancelled', 'b2', 'u2', 'ngo', '');
  await xadd(TRAINING, { kind: 'attendance_recorded', at: T, session: '900', title: 'Spotting exploitation',
    starts_at: at('2025-11-20T09:00:00Z'), uids: 'u1 u3', by: 'trainer' });
  const feedback = (id, uid, type, unit, before, after, useful, text) => booking('feedback_given', id, uid, type, unit,
    { outcomes: 'Know the signs\nKnow who to call', confidence_before: before, confidence_after: after, usefulness: useful, text });
  await feedback('b1', 'u1', 'police', 'north-east', '2,3', '4,4', '5', 'she claims she was plugging');
  // a second feedback on the same booking replaces the first
  await feedback('b1', 'u1', 'police', 'north-east', '2,2', '3,3', '4', 'I will look out for money mules');
  await feedback('b3', 'u3', 'local_authority', '', '1,1', '3,3', '3', '');
  await hold('hold_placed', 'h1', T, 'newham', 'north-east');
  await hold('hold_accepted', 'h1', later(30), 'newham', 'north-east', { by: 'ngo.a' });
  await hold('hold_placed', 'h2', T, 'newham', 'north-east');
  await hold('hold_declined', 'h2', later(10), 'newham', 'north-east', { by: 'ngo.a', reason: 'full' });
  await hold('hold_placed', 'h3', T, 'hackney', 'central-east');
  // London time: 00:30 on 1 October is the fourth quarter, though it is still 30 September in UTC
  await hold('hold_placed', 'h4', at('2025-09-30T23:30:00Z'), 'hackney', 'central-east');
  await hold('hold_placed', 'h5', at('2025-08-01T10:00:00Z'), 'camden', 'central-north');
  for (let i = 0; i < 6; i++)
    await xadd(BEDS, { kind: 'search_unmet', at: T, group: 'trans', borough: 'newham', needs: 'group=trans', words: WORDS });
  await hold('hold_outcome', 'h1', later(600), 'newham', 'north-east',
    { side: 'ngo', outcome: 'arrived', text: 'She arrived; the referral went well', by: 'ngo.a', by_agency_type: 'ngo', by_unit: '' });
  await settled();

  const r = await figures('2025-Q4');
  assert.equal(r.status, 200, r.text);
  const f = r.body;
  assert.equal(f.quarter_name, 'October to December 2025');
  const agency = byCode(f.training.by_agency_type);
  assert.deepEqual([agency.police.booked, agency.police.attended, agency.police.cancelled], [1, 1, 0]);
  assert.deepEqual([agency.ngo.booked, agency.ngo.attended, agency.ngo.cancelled], [1, 0, 1]);
  assert.deepEqual([agency.local_authority.booked, agency.local_authority.attended], [1, 1]);
  assert.equal(byCode(f.training.by_unit)['north-east'].attended, 1);
  assert.deepEqual(f.training.courses, [{ name: 'Spotting exploitation', title: 'Spotting exploitation', feedback: 2,
    confidence_change: 1.5, usefulness: 3.5 }]);
  const boroughs = byCode(f.holds.by_borough);
  assert.deepEqual([boroughs.newham.placed, boroughs.newham.answered, boroughs.newham.accepted, boroughs.newham.median_minutes],
    [2, 2, 1, 20]);
  assert.equal(boroughs.newham.median_text, '20 minutes');
  assert.deepEqual([boroughs.hackney.placed, boroughs.hackney.answered, boroughs.hackney.median_minutes], [2, 0, null]);
  assert.equal(byCode(f.holds.by_unit)['central-east'].placed, 2);
  assert.equal(f.unmet.needs[0].words, WORDS);
  assert.equal(f.unmet.needs[0].count, 6);
  assert.equal(f.unmet.needs[0].text, `${WORDS}, Newham – 6 times`);
  // terms: the replaced feedback's "claims" and "plugging" no longer count; "money mules" does
  assert.deepEqual(f.language.terms.map((t) => [t.agency_type, t.term, t.count]), [['police', 'money mule', 1]]);
  // the trend: this quarter and the three before
  assert.deepEqual(f.trend.map((q) => q.quarter), ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
  assert.deepEqual(f.trend.map((q) => q.placed), [0, 0, 1, 4]);
  assert.equal(f.trend[3].unmet, 6);
  assert.equal(f.trend[3].median_minutes, 20);
});

test('feedback and hold outcome texts are monitoring texts: tagged, a quote shows the agency type only', async () => {
  const theme = await api(stack, as.coordinator, 'POST', '/api/v1/monitoring/themes', { name: 'Referral went well' });
  assert.equal(theme.status, 201, theme.text);
  const texts = await api(stack, as.coordinator, 'GET', '/api/v1/monitoring/texts');
  const mine = texts.body.texts.filter((t) => ['feedback', 'hold_outcome'].includes(t.kind));
  assert.deepEqual(mine.map((t) => t.text).sort(), ['I will look out for money mules', 'She arrived; the referral went well']);
  const outcome = mine.find((t) => t.kind === 'hold_outcome');
  assert.equal(outcome.agency_type, 'ngo');
  const tagged = await api(stack, as.coordinator, 'PUT', `/api/v1/monitoring/texts/${outcome.id}/tags`,
    { themes: [String(theme.body.theme.id)], quote: true });
  assert.equal(tagged.status, 200, tagged.text);
  // a later note from the same side replaces the words and keeps the tags
  await hold('hold_outcome', 'h1', later(700), 'newham', 'north-east',
    { side: 'ngo', outcome: 'arrived', text: 'She arrived and settled; the referral went well', by: 'ngo.a', by_agency_type: 'ngo', by_unit: '' });
  await settled();
  const f = (await figures('2025-Q4')).body;
  assert.deepEqual(f.partners.quotes, [{ text: 'She arrived and settled; the referral went well', agency_type_name: 'NGO' }]);
  assert.equal(f.partners.themes.find((t) => t.name === 'Referral went well').count, 1);
  assert.ok(!JSON.stringify(f.partners).includes('ngo.a') && !JSON.stringify(f.partners).includes('demo-charity-a'));
});

test('the streams read again from the start (a lost cursor) count nothing twice', async () => {
  const before = (await figures('2025-Q4')).body;
  await stack.redis('DEL', `${BASE}:cursor:training`, `${BASE}:cursor:beds`);
  await settled();
  const again = (await figures('2025-Q4')).body;
  assert.deepEqual(again.trend, before.trend);
  assert.deepEqual(again.training, before.training);
  assert.deepEqual(again.holds, before.holds);
  assert.deepEqual(again.language, before.language);
});

test('cases responsiveness is the cases report as published, or said to be not yet available', async () => {
  assert.equal((await figures('2025-Q4')).body.responsiveness.available, false);
  const unit = { unit: 'north-east', name: 'North East BCU', shared: 4, acknowledged: 3, median_days_to_ack: 1.5,
    updated_within_28_days_percent: 75, closed_with_outcome: 1 };
  await stack.redis('SET', REPORT, JSON.stringify({ updated_at: Number(T), quarters: { '2025-Q4': { units: [unit] } } }));
  const f = (await figures('2025-Q4')).body;
  assert.deepEqual(f.responsiveness.units, [unit]);
  assert.equal(f.responsiveness.available, true);
  // the unit's name as the cases module gives it, in the other tables too
  assert.equal(byCode(f.holds.by_unit)['north-east'].name, 'North East BCU');
  const html = (await page(stack, as.coordinator, '/monitoring/report?quarter=2025-Q3')).text;
  assert.match(html, /not yet available/);
});

test('only coordinators see the figures; a bad quarter is 400 saying the form', async () => {
  for (const who of ['responder.police', 'ngo.a', 'trainer']) {
    assert.equal((await figures('2025-Q4', who)).status, 403, who);
    assert.equal((await page(stack, as[who], '/monitoring/report')).status, 403, who);
    assert.equal((await page(stack, as[who], '/monitoring/report.csv')).status, 403, who);
  }
  for (const bad of ['2025-Q5', '2025Q4', 'Q4-2025', '25-Q1', '2025-Q4x']) {
    const r = await figures(encodeURIComponent(bad));
    assert.equal(r.status, 400, bad);
    assert.match(r.body.error.message, /like 2026-Q4/);
  }
  // the page: its quarter chooser again with the error on it, this quarter chosen, no figures
  const bad = await page(stack, as.coordinator, '/monitoring/report?quarter=2025-Q9');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<a href="#quarter">Choose a quarter from the list<\/a>/);
  assert.match(bad.text, /<select class="govuk-select govuk-select--error" id="quarter" name="quarter" aria-describedby="quarter-error">/);
  assert.match(bad.text, /<option value="\d{4}-Q[1-4]" selected>/);
  assert.match(bad.text, /<h1 class="govuk-heading-l">Monitoring figures<\/h1>/);
  assert.ok(!bad.text.includes('2025-Q9') && !bad.text.includes('class="monitoring-section"'), 'nothing of the bad quarter, no sections');
  const csv = await stack.fetch('/monitoring/report.csv?quarter=2025-Q9', { headers: { cookie: as.coordinator.cookie } });
  assert.equal(csv.status, 400);
  const now = await api(stack, as.coordinator, 'GET', '/api/v1/monitoring');
  assert.equal(now.status, 200);
  assert.match(now.body.quarter, /^\d{4}-Q[1-4]$/);
});

test('the page shows every section with a chart and its table, in words; the CSV escapes formulas', async () => {
  await xadd(BEDS, { kind: 'search_unmet', at: T, group: 'men', borough: 'camden', needs: 'x', words: '=HYPERLINK("http://x","y")' });
  await settled();
  const html = (await page(stack, as.coordinator, '/monitoring/report?quarter=2025-Q4')).text;
  for (const h of ['Training', 'Bed holds', 'Unmet need', 'Cases responsiveness', 'Language', 'What partners say'])
    assert.ok(html.includes(`>${h}: October to December 2025</h2>`), h);
  assert.equal((html.match(/<svg role="img"/g) || []).length, 6);
  assert.ok(html.includes('<option value="2025-Q4" selected>October to December 2025</option>'));
  assert.ok(!/2025-\d\d-\d\dT/.test(html));
  const res = await stack.fetch('/monitoring/report.csv?quarter=2025-Q4', { headers: { cookie: as.coordinator.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  const csv = await res.text();
  assert.ok(csv.includes(`"'=HYPERLINK(""http://x"",""y"")",Camden,1`), csv);
  assert.ok(csv.includes(`"${WORDS}",Newham,6`));
  assert.ok(csv.includes('Bed holds by borough\r\nWhere,Holds placed,Answered,Accepted,Median time to an answer\r\n'));
});
