// The training sessions list read from the stored views: paged (page,
// per_page, total), bad paging refused with what to fix, the list's session
// the same as one session's, and the page's GOV.UK pagination keeping the
// query's other values.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/stack.mjs';
import { api, createSession, getPage } from './lib/training.mjs';

// An RFC 3339 time `days` days after `base` (a Date), UTC.
const at = (base, days, hours = 0) => new Date(base.getTime() + days * 86400e3 + hours * 3600e3).toISOString().replace('.000Z', 'Z');
const day = (base, days) => at(base, days).slice(0, 10);

describe('training lists', () => {
  let stack, coordinator, police, base;
  const ids = [];

  before(async () => {
    stack = await startStack();
    [coordinator, police] = await Promise.all(['coordinator', 'responder.police'].map((u) => stack.signIn(u)));
    // 23 sessions of their own, 400 days on (no other session is there)
    base = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1) + 400 * 86400e3);
    for (let i = 0; i < 23; i++) {
      ids.push((await createSession(stack, coordinator, { starts_at: at(base, 0, i), ends_at: at(base, 0, i + 1) })).id);
    }
  });
  after(async () => { await stack?.stop(); });

  const range = () => `from=${day(base, 0)}&to=${day(base, 1)}`;
  const list = async (who, query) => {
    const res = await api(stack, who, 'GET', `/api/v1/training/sessions?${query}`);
    return { status: res.status, body: await res.json() };
  };

  test('the_list_is_paged_twenty_by_default_with_the_total', async () => {
    const first = await list(police, range());
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.total, first.body.page, first.body.per_page], [23, 1, 20]);
    assert.deepEqual(first.body.sessions.map((s) => s.id), ids.slice(0, 20));
    const second = await list(police, `${range()}&page=2`);
    assert.deepEqual(second.body.sessions.map((s) => s.id), ids.slice(20));
    const small = await list(police, `${range()}&page=3&per_page=5`);
    assert.deepEqual([small.body.per_page, small.body.sessions.map((s) => s.id)], [5, ids.slice(10, 15)]);
    const beyond = await list(police, `${range()}&page=9`);
    assert.deepEqual([beyond.status, beyond.body.total, beyond.body.sessions, beyond.body.has_sessions], [200, 23, [], false]);
    const course = await list(police, `${range()}&course=1&per_page=100`);
    assert.equal(course.body.sessions.length, 23);
  });

  test('bad_paging_is_refused_saying_what_to_fix', async () => {
    for (const q of ['page=0', 'page=abc', 'per_page=0', 'per_page=101', 'per_page=-3', 'page=1.5']) {
      const res = await list(police, q);
      assert.equal(res.status, 422, q);
      const field = q.split('=')[0];
      assert.ok(res.body.error.fields[field], `${q}: ${JSON.stringify(res.body)}`);
    }
  });

  test('a_listed_session_is_the_session_itself', async () => {
    const listed = (await list(coordinator, `${range()}&per_page=1`)).body.sessions[0];
    const one = (await (await api(stack, police, 'GET', `/api/v1/training/sessions/${ids[0]}`)).json()).session;
    assert.equal(listed.can_change, true);
    delete listed.can_change;
    assert.deepEqual(listed, one);
    assert.equal((await list(police, `${range()}&per_page=1`)).body.sessions[0].can_change, false);
  });

  test('the_page_shows_the_govuk_pagination_keeping_the_query', async () => {
    const res = await getPage(stack, police, `/training/?${range()}&per_page=5&page=2`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<nav class="govuk-pagination" aria-label="Pages of sessions">/);
    const hrefs = [...html.matchAll(/govuk-pagination__link" href="([^"]+)"/g)].map((m) => m[1]
      .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&'));
    const want = (p) => `/training/?page=${p}&from=${day(base, 0)}&to=${day(base, 1)}&per_page=5`;
    assert.deepEqual(hrefs, [want(1), want(1), want(2), want(3), want(5), want(3)]);  // prev, 1, 2, 3, ..., 5, next
    assert.match(html, /aria-current="page">2</);
    assert.match(html, /govuk-pagination__item--ellipses/);
    assert.doesNotMatch(html, /Page of/);
    assert.equal((html.match(/data-session="/g) || []).length, 5);
    const past = await (await getPage(stack, police, `/training/?${range()}&page=40`)).text();
    assert.match(past, /This page is past the last one/);
    const bad = await getPage(stack, police, '/training/?per_page=500');
    assert.equal(bad.status, 422);
  });
});
