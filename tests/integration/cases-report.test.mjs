// cases-report.test.mjs - the cases module's responsiveness report
// published for monitoring (issue 18, docs: README's cases paragraph): the
// housekeeping run keeps <prefix>{portal}:report:cases-responsiveness with
// the current quarter and the three before, each the same figures as
// GET /api/v1/cases/reports/responsiveness?quarter=...
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sleep } from './lib/stack.mjs';
import { api } from './lib/beds.mjs';

let stack;
const as = {};
// housekeeping runs every second here
const ENV = { PORTAL_CASES_RETENTION_SECONDS: '3600', PORTAL_CASES_AOF_REWRITE_SECONDS: '1' };
const KEY = 'portal:{portal}:report:cases-responsiveness';

before(async () => {
  stack = await startStack(ENV);
  for (const u of ['ngo.a', 'police.northeast', 'coordinator']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const share = (reference) => api(stack, as['ngo.a'], 'POST', '/api/v1/cases', {
  reference, shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
  exploitation_types: ['labour'], contact_consent: true, wants: ['outcome'] });

// The quarter ("2026-Q4") of the instant `t` in London.
function quarterOf (t) {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' })
    .format(t).split('-').map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

function quarterBefore (q) {
  const [y, n] = q.split('-Q').map(Number);
  return n === 1 ? `${y - 1}-Q4` : `${y}-Q${n - 1}`;
}

// The published value once a housekeeping run wrote one that `ready` accepts.
async function published (ready = () => true) {
  for (let i = 0; i < 50; i++) {
    const raw = await stack.redis('GET', KEY);
    if (raw.trim()) {
      const v = JSON.parse(raw);
      if (ready(v)) return v;
    }
    await sleep(200);
  }
  assert.fail('the report was not published within 10 s');
}

test('housekeeping publishes the report per quarter with the shape monitoring reads, equal to the API report of each quarter', async () => {
  const now = quarterOf(new Date());
  const neOf = (units, key) => units.find((u) => u[key] === 'north-east');
  const base = neOf((await api(stack, as['coordinator'], 'GET', `/api/v1/cases/reports/responsiveness?quarter=${now}`)).body.units, 'code');
  const ids = [];
  for (const ref of ['PUB-1', 'PUB-2', 'PUB-3']) {
    const c = await share(ref);
    assert.equal(c.status, 201, c.text);
    ids.push(c.body.case.id);
  }
  assert.equal((await api(stack, as['police.northeast'], 'POST', `/api/v1/cases/${ids[0]}/acknowledge`,
    { police_reference: 'MET-PUB-1' })).status, 200);
  assert.equal((await api(stack, as['police.northeast'], 'POST', `/api/v1/cases/${ids[1]}/close`,
    { outcome: 'Charged' })).status, 200);
  const report = await published((v) => neOf(v.quarters[now]?.units ?? [], 'unit')?.closed_with_outcome === base.closed_with_outcome + 1);

  const quarters = [now, quarterBefore(now), quarterBefore(quarterBefore(now)), quarterBefore(quarterBefore(quarterBefore(now)))];
  assert.deepEqual(Object.keys(report).sort(), ['quarters', 'updated_at']);
  assert.equal(Number.isInteger(report.updated_at), true);
  assert.deepEqual(Object.keys(report.quarters).sort(), [...quarters].sort());
  for (const q of quarters) {
    const api1 = await api(stack, as['coordinator'], 'GET', `/api/v1/cases/reports/responsiveness?quarter=${q}`);
    assert.equal(api1.status, 200, api1.text);
    assert.equal(api1.body.quarter, q);
    const expected = api1.body.units.map(({ code, ...rest }) => ({ unit: code, ...rest }));
    assert.deepEqual(Object.keys(report.quarters[q]), ['units']);
    assert.deepEqual(report.quarters[q].units, expected, q);
    for (const u of report.quarters[q].units) {
      assert.deepEqual(Object.keys(u).sort(), ['acknowledged', 'closed_with_outcome', 'median_days_to_ack', 'name',
        'shared', 'unit', 'updated_within_28_days_percent']);
      assert.ok(u.median_days_to_ack === null || typeof u.median_days_to_ack === 'number');
      assert.ok(u.updated_within_28_days_percent === null || Number.isInteger(u.updated_within_28_days_percent));
    }
  }
  const ne = neOf(report.quarters[now].units, 'unit');
  assert.equal(ne.name, 'North East BCU');
  assert.equal(ne.shared, base.shared + 3);
  assert.equal(ne.acknowledged, base.acknowledged + 1);
  assert.equal(ne.closed_with_outcome, base.closed_with_outcome + 1);
  assert.equal(typeof ne.median_days_to_ack, 'number');
  // counts and timings only: no reference or note
  const raw = await stack.redis('GET', KEY);
  assert.ok(!raw.includes('PUB-') && !raw.includes('MET-PUB') && !raw.includes('Charged'));
});

test('a new case reaches the published report at the next housekeeping run', async () => {
  const shared = (v) => v.quarters[quarterOf(new Date())].units.find((u) => u.unit === 'north-east').shared;
  const before = await published();
  assert.equal((await share('PUB-4')).status, 201);
  const report = await published((v) => shared(v) === shared(before) + 1);
  assert.ok(report.updated_at >= before.updated_at);
});

test('an idle portal\'s report stays as it is: written again only when its figures change', async () => {
  const first = await stack.redis('GET', KEY);
  assert.ok(first.trim());
  await sleep(2500);  // two housekeeping runs and more
  assert.equal(await stack.redis('GET', KEY), first);
});

test('the API report of a quarter: a quarter not written as one is refused with what to write', async () => {
  const r = await api(stack, as['coordinator'], 'GET', '/api/v1/cases/reports/responsiveness?quarter=2026-13');
  assert.equal(r.status, 422, r.text);
  assert.match(r.text, /like 2026-Q4/);
  const page = await stack.fetch(`/cases/reports/responsiveness?quarter=${quarterOf(new Date())}`,
    { headers: { cookie: as['coordinator'].cookie } });
  assert.match(await page.text(), /Cases shared from (January|April|July|October) to/);
});
