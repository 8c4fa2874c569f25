// The training sessions list read from the stored views: paged (page,
// per_page, total), bad paging refused with what to fix, the list's session
// the same as one session's, and the page's GOV.UK pagination keeping the
// query's other values.  The uptake report: the last 30 days by default,
// every course and agency type listed (0 where none), and its date inputs'
// errors on the part to fix.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/stack.mjs';
import { api, createSession, getPage, moveSession } from './lib/training.mjs';

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

  // A page's HTML with its character references read back
  const decoded = async (res) => (await res.text()).replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

  // GET `path` as `who`: status and body
  const get = async (who, path) => {
    const res = await api(stack, who, 'GET', path);
    return { status: res.status, body: await res.json() };
  };

  test('my_bookings_are_paged_newest_first_with_the_total', async () => {
    // police books all 23 of this file's sessions: the newest booking first
    for (const id of ids) assert.equal((await api(stack, police, 'POST', `/api/v1/training/sessions/${id}/bookings`)).status, 201);
    const first = await get(police, '/api/v1/training/bookings');
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.total >= 23, first.body.page, first.body.per_page, first.body.bookings.length], [true, 1, 20, 20]);
    const total = first.body.total;
    assert.deepEqual(first.body.bookings.slice(0, 3).map((b) => b.session_id), ids.slice(-3).reverse());
    const second = await get(police, '/api/v1/training/bookings?page=2&per_page=20');
    assert.equal(second.body.bookings.length, total - 20);
    const seen = new Set([...first.body.bookings, ...second.body.bookings].map((b) => b.id));
    assert.equal(seen.size, total, 'two pages hold every booking once');
    const small = await get(police, '/api/v1/training/bookings?page=2&per_page=2');
    assert.deepEqual(small.body.bookings.map((b) => b.id), first.body.bookings.slice(2, 4).map((b) => b.id));
    const beyond = await get(police, '/api/v1/training/bookings?page=50');
    assert.deepEqual([beyond.status, beyond.body.total, beyond.body.bookings], [200, total, []]);
    // the training record still has every completed course, whatever the page
    assert.equal((await api(stack, police, 'GET', '/api/v1/training/record')).status, 200);
    const html = await decoded(await getPage(stack, police, '/training/my?per_page=5&page=2'));
    assert.match(html, /<nav class="govuk-pagination" aria-label="Pages of your bookings">/);
    assert.match(html, /href="\/training\/my\?page=3&per_page=5" rel="next"/);
    assert.match(html, /aria-current="page">2</);
    assert.match(await (await getPage(stack, police, '/training/my?page=50')).text(), /This page is past the last one/);
  });

  test('my_bookings_made_by_the_script_are_each_booking_as_it_is_read_alone', async () => {
    // a cancelled place (with its reason) and a confirmed one, among police's bookings
    assert.equal((await api(stack, police, 'DELETE', `/api/v1/training/bookings/${ids[5]}-1`)).status, 204);
    const my = (await get(police, '/api/v1/training/bookings?per_page=100')).body;
    assert.ok(my.bookings.length >= 23);
    for (const b of my.bookings) {
      const one = await get(police, `/api/v1/training/bookings/${b.id}`);
      assert.equal(one.status, 200);
      assert.deepEqual(b, one.body.booking, `booking ${b.id}`);
    }
    assert.ok(my.bookings.some((b) => b.is_cancelled) && my.bookings.some((b) => b.is_confirmed));
    assert.ok(!my.upcoming.some((b) => b.is_cancelled && !b.notice), 'a cancelled place without a notice is not upcoming');
  });

  test('a_roster_and_the_courses_are_paged_with_the_total', async () => {
    assert.equal((await api(stack, coordinator, 'POST', `/api/v1/training/sessions/${ids[0]}/bookings`)).status, 201);
    const roster = (q) => get(coordinator, `/api/v1/training/sessions/${ids[0]}/roster?${q}`);
    const all = await roster('');
    assert.deepEqual([all.status, all.body.total, all.body.page, all.body.per_page, all.body.roster.length], [200, 2, 1, 20, 2]);
    const second = await roster('page=2&per_page=1');
    assert.deepEqual([second.body.total, second.body.roster.map((b) => b.id)], [2, [all.body.roster[1].id]]);
    const rosterPage = await decoded(await getPage(stack, coordinator, `/training/sessions/${ids[0]}/roster?per_page=1`));
    assert.match(rosterPage, /aria-label="Pages of the roster"/);
    assert.ok(rosterPage.includes(`href="/training/sessions/${ids[0]}/roster?page=2&per_page=1" rel="next"`));
    const courses = await get(police, '/api/v1/training/courses?per_page=2');
    assert.equal(courses.status, 200);
    assert.ok(courses.body.total >= 3, JSON.stringify(courses.body));
    assert.equal(courses.body.courses.length, 2);
    const next = await get(police, '/api/v1/training/courses?per_page=2&page=2');
    assert.notEqual(next.body.courses[0].id, courses.body.courses[0].id);
    assert.equal(next.body.total, courses.body.total);
    const coursesPage = await (await getPage(stack, police, '/training/courses?per_page=1')).text();
    assert.match(coursesPage, /aria-label="Pages of courses"/);
  });

  test('every_training_list_refuses_bad_paging_saying_what_to_fix', async () => {
    for (const path of ['/api/v1/training/bookings', '/api/v1/training/courses', `/api/v1/training/sessions/${ids[0]}/roster`]) {
      for (const q of ['per_page=101', 'page=0', 'per_page=abc']) {
        const res = await get(coordinator, `${path}?${q}`);
        assert.equal(res.status, 422, `${path}?${q}`);
        assert.ok(res.body.error.fields[q.split('=')[0]], `${path}?${q}: ${JSON.stringify(res.body)}`);
      }
    }
    assert.match(JSON.stringify((await get(coordinator, '/api/v1/training/courses?per_page=101')).body), /100/);
  });

  // London's date `days` from today, YYYY-MM-DD
  const london = (days) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
    .format(new Date(Date.now() + days * 86400e3));

  test('the_uptake_report_is_the_last_30_days_with_every_course_and_agency_type', async () => {
    const s = await createSession(stack, coordinator, { course_id: 2, capacity: 5 });
    assert.equal((await api(stack, police, 'POST', `/api/v1/training/sessions/${s.id}/bookings`)).status, 201);
    // a course of its own, with one session 30 days ahead (the demo has none of it)
    const made = await api(stack, coordinator, 'POST', '/api/v1/training/courses',
      { title: 'Report test course', summary: 'Only ahead.', duration_minutes: 60 });
    assert.equal(made.status, 201);
    const own = (await made.json()).course.id;
    const ahead = await createSession(stack, coordinator, { course_id: Number(own), capacity: 5 });
    assert.equal((await api(stack, police, 'POST', `/api/v1/training/sessions/${ahead.id}/bookings`)).status, 201);
    // the first (course 2: the demo has no past session of it) moved to 2
    // days ago; the other stays 30 days ahead
    const then = new Date(Date.now() - 2 * 86400e3);
    await moveSession(stack, s.id, then, new Date(then.getTime() + 3600e3));
    const res = await api(stack, coordinator, 'GET', '/api/v1/training/reports/uptake');
    assert.equal(res.status, 200);
    const report = await res.json();
    assert.deepEqual([report.from, report.to], [london(-30), london(0)]);
    assert.ok(report.sessions.some((x) => x.id === s.id));
    assert.ok(!report.sessions.some((x) => x.id === ahead.id), 'a session ahead is not in the last 30 days');
    assert.deepEqual(report.agency_types.map((r) => r.key).sort(), ['health', 'local_authority', 'ngo', 'other', 'police']);
    assert.equal(report.agency_types.find((r) => r.key === 'other').confirmed, 0);
    const courses = (await (await api(stack, coordinator, 'GET', '/api/v1/training/courses')).json()).courses;
    assert.deepEqual(report.courses.map((r) => r.key).sort(), courses.map((c) => c.id).sort());
    const row = (id) => report.courses.find((r) => r.key === String(id));
    assert.ok(row(2).confirmed >= 1);
    assert.deepEqual([row(own).label, row(own).confirmed, row(own).waitlisted], ['Report test course', 0, 0],
      'a course with no session in the range is listed with 0');
    // dates given still win
    const all = await (await api(stack, coordinator, 'GET', `/api/v1/training/reports/uptake?from=${london(-30)}&to=${london(40)}`)).json();
    assert.ok(all.sessions.some((x) => x.id === ahead.id));
  });

  test('the_uptake_date_inputs_say_which_part_to_fix', async () => {
    const page = async (q) => {
      const res = await getPage(stack, coordinator, `/training/reports/uptake?${q}`);
      return { status: res.status, html: await res.text() };
    };
    const marked = (html) => [...html.matchAll(/<input class="[^"]*govuk-input--error[^"]*" id="[^"]*" name="(\w+)"/g)].map((m) => m[1]);
    const noDay = await page('from_day=&from_month=3&from_year=2026&to_day=&to_month=&to_year=');
    assert.equal(noDay.status, 422);
    assert.match(noDay.html, /The start date must include a day/);
    assert.deepEqual(marked(noDay.html), ['from_day']);
    assert.match(noDay.html, /name="from_month" type="text" inputmode="numeric" value="3"/);
    const two = await page('from_day=&from_month=&from_year=2026');
    assert.match(two.html, /The start date must include a day and a month/);
    assert.deepEqual(marked(two.html), ['from_day', 'from_month']);
    const feb = await page('to_day=31&to_month=2&to_year=2026');
    assert.match(feb.html, /The end date must be a real date/);
    assert.deepEqual(marked(feb.html), ['to_day']);
    const year = await page('from_day=1&from_month=2&from_year=26');
    assert.match(year.html, /The start date&#39;s year must have 4 numbers|The start date's year must have 4 numbers/);
    assert.deepEqual(marked(year.html), ['from_year']);
    const month = await page('from_day=1&from_month=13&from_year=2026');
    assert.deepEqual(marked(month.html), ['from_month']);
    const order = await page('from_day=2&from_month=3&from_year=2026&to_day=1&to_month=3&to_year=2026');
    assert.match(order.html, /The end date must be on or after the start date/);
    assert.deepEqual(marked(order.html), ['to_day', 'to_month', 'to_year']);
    const ok = await page('from_day=1&from_month=3&from_year=2026&to_day=31&to_month=3&to_year=2026');
    assert.equal(ok.status, 200);
    assert.deepEqual(marked(ok.html), []);
    // the API takes dates, and says what to fix
    const bad = await api(stack, coordinator, 'GET', '/api/v1/training/reports/uptake?from=2026-02-30');
    assert.equal(bad.status, 422);
    assert.ok((await bad.json()).error.fields.from);
  });
});

