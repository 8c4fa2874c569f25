// training-journeys.test.mjs - the journey suite of the training pages
// (issue 15): every form submitted empty, then with each kind of wrong
// value, then corrected.  After each error the page keeps its context (the
// heading, what it is about, its action, every value typed) and its error
// summary links to each field; the corrected submit ends on the done
// banner.  Every page visited is checked with pageTextProblems and axe, at
// desktop width and at 320 CSS px.  Also: the demo data's sessions (past
// with attendance marked, today, full with a waiting list), roster statuses
// in words, "Join the waiting list" on a full session, places kept shown
// only where there are some.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { pageTextProblems } from './pagetext.mjs'

const contexts = []

async function as (username) {
  const context = await openBrowser({ viewport: { width: 1200, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(portalUrl() + '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return page
}

// The page as a person meets it: no raw codes, JSON, ISO times or empty
// labels, no axe violation, at desktop width and at 320 CSS px.
async function check (page) {
  for (const width of [1200, 320]) {
    await page.setViewportSize({ width, height: 900 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1200, height: 900 })
}

async function submit (page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
  await check(page)
}

// The error summary lists `fields` (ids), each link going to a field on the page.
async function summaryLinks (page, fields) {
  const summary = page.locator('.govuk-error-summary')
  assert.match(await summary.innerText(), /There is a problem/)
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  for (const f of fields) {
    assert.ok(hrefs.includes(`#${f}`), `summary links to #${f}: ${hrefs.join(' ')}`)
  }
  for (const h of hrefs) assert.equal(await page.locator(h).count(), 1, `${h} is a field on the page`)
}

async function doneBanner (page, heading) {
  const banner = page.locator('.govuk-notification-banner--success')
  assert.match(await banner.innerText(), heading)
  assert.ok((await banner.locator('p.govuk-body').innerText()).length > 10, 'the banner says what happens next')
}

// An API answer for `username` (signed in through the API).
async function api (username, path) {
  const login = await fetch(portalUrl() + '/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo-Portal-1' })
  })
  assert.equal(login.status, 200)
  const res = await fetch(portalUrl() + path, { headers: { cookie: login.headers.get('set-cookie').split(';')[0] } })
  assert.equal(res.status, 200, path)
  return res.json()
}

const year = new Date().getUTCFullYear() + 1

async function fillTimes (page, day, time, endTime) {
  for (const [name, t] of [['starts_at', time], ['ends_at', endTime]]) {
    await page.fill(`#${name}`, day)
    await page.fill(`#${name}-month`, '7')
    await page.fill(`#${name}-year`, String(year))
    await page.fill(`#${name}-time`, t)
  }
}

describe('training journeys', () => {
  let trainer, courseTitle, sessionPath
  before(async () => { trainer = await as('trainer') })
  after(async () => { for (const c of contexts) await c.close() })

  test('course_form_empty_then_wrong_then_right', async () => {
    await trainer.goto(portalUrl() + '/training/courses/new')
    await check(trainer)
    await submit(trainer, 'button:has-text("Add the course")')
    assert.equal(await trainer.locator('main h1').innerText(), 'Add a course')
    await summaryLinks(trainer, ['title', 'summary', 'duration_minutes'])

    courseTitle = `Journey course ${Date.now()}`
    await trainer.fill('#title', courseTitle)
    await trainer.fill('#summary', 'Spotting exploitation at the front line.')
    for (const wrong of ['ninety', '0', '100000']) {
      await trainer.fill('#duration_minutes', wrong)
      await submit(trainer, 'button:has-text("Add the course")')
      await summaryLinks(trainer, ['duration_minutes'])
      assert.equal(await trainer.locator('main h1').innerText(), 'Add a course')
      assert.equal(await trainer.inputValue('#title'), courseTitle)
      assert.equal(await trainer.inputValue('#duration_minutes'), wrong)
      assert.equal(await trainer.getAttribute('main form[method=post]', 'action'), '/training/courses')
    }
    await trainer.fill('#duration_minutes', '90')
    await submit(trainer, 'button:has-text("Add the course")')
    assert.equal(new URL(trainer.url()).pathname, '/training/courses')
    await doneBanner(trainer, /The course is added/)
  })

  test('session_form_empty_then_wrong_then_right_then_changed', async () => {
    await trainer.goto(portalUrl() + '/training/sessions/new')
    await check(trainer)
    await submit(trainer, 'button:has-text("Add the session")')
    assert.equal(await trainer.locator('main h1').innerText(), 'Add a session')
    await summaryLinks(trainer, ['course_id', 'starts_at', 'ends_at', 'capacity'])

    await trainer.selectOption('#course_id', { label: courseTitle })
    await trainer.fill('#venue', 'Journey room')
    const wrongs = [
      ['31', '09:30', '12:00', '10', 'starts_at'],   // no 31 July... is there: 31 is fine; the time below is wrong
      ['32', '09:30', '12:00', '10', 'starts_at'],   // no such day
      ['10', '25:00', '12:00', '10', 'starts_at'],   // no such time
      ['10', '09:30', '08:00', '10', 'ends_at'],     // ends before it starts
      ['10', '09:30', '12:00', '0', 'capacity'],     // no places
      ['10', '09:30', '12:00', 'ten', 'capacity']    // not a number
    ].slice(1)
    for (const [day, time, endTime, capacity, field] of wrongs) {
      await fillTimes(trainer, day, time, endTime)
      await trainer.fill('#capacity', capacity)
      await submit(trainer, 'button:has-text("Add the session")')
      await summaryLinks(trainer, [field])
      assert.equal(await trainer.locator('main h1').innerText(), 'Add a session')
      assert.equal(await trainer.locator('#course_id option:checked').innerText(), courseTitle)
      assert.equal(await trainer.inputValue('#starts_at'), day)
      assert.equal(await trainer.inputValue('#starts_at-time'), time)
      assert.equal(await trainer.inputValue('#ends_at-time'), endTime)
      assert.equal(await trainer.inputValue('#capacity'), capacity)
      assert.equal(await trainer.inputValue('#venue'), 'Journey room')
      assert.equal(await trainer.getAttribute('main form[method=post]', 'action'), '/training/sessions')
    }
    // more places kept than there are
    await fillTimes(trainer, '10', '09:30', '12:00')
    await trainer.fill('#capacity', '4')
    await trainer.fill('#agency_seats', '5')
    await submit(trainer, 'button:has-text("Add the session")')
    assert.match(await trainer.locator('.govuk-error-summary').innerText(), /There is a problem/)
    assert.equal(await trainer.inputValue('#agency_seats'), '5')

    await trainer.fill('#agency_seats', '0')
    await submit(trainer, 'button:has-text("Add the session")')
    sessionPath = new URL(trainer.url()).pathname
    assert.match(sessionPath, /^\/training\/sessions\/\d+$/)
    await doneBanner(trainer, /The session is added/)
    assert.match(await trainer.locator('main').innerText(), new RegExp(`9:30am on \\w+ 10 July ${year}`))
    assert.equal(await trainer.locator('[data-kept]').count(), 0, 'no places kept: nothing said about them')

    // change it: wrong, then right
    await trainer.goto(portalUrl() + sessionPath + '/edit')
    await check(trainer)
    await trainer.fill('#capacity', '')
    await trainer.fill('#ends_at-time', '7:00')
    await submit(trainer, 'button:has-text("Save changes")')
    await summaryLinks(trainer, ['capacity', 'ends_at'])
    assert.equal(await trainer.locator('main h1').innerText(), 'Change this session')
    assert.equal(await trainer.locator('.govuk-caption-l').innerText(), courseTitle)
    assert.equal(await trainer.getAttribute('main form[method=post]', 'action'), sessionPath)
    assert.equal(await trainer.inputValue('#ends_at-time'), '7:00')
    await trainer.fill('#capacity', '1')
    await trainer.fill('#ends_at-time', '12:30')
    await submit(trainer, 'button:has-text("Save changes")')
    assert.equal(new URL(trainer.url()).pathname, sessionPath)
    await doneBanner(trainer, /The session is changed/)
    assert.match(await trainer.locator('main').innerText(), new RegExp(`12:30pm on \\w+ 10 July ${year}`))
  })

  test('booking_a_place_then_the_waiting_list_then_leaving_it', async () => {
    const council = await as('responder.council')
    await council.goto(portalUrl() + sessionPath)
    await check(council)
    await submit(council, 'button:has-text("Book a place")')
    await doneBanner(council, /Your place is booked/)

    // the only place is taken: the next person is told it is the waiting list
    const police = await as('responder.police')
    await police.goto(portalUrl() + sessionPath)
    await check(police)
    assert.equal(await police.locator('button:has-text("Book a place")').count(), 0)
    assert.match(await police.locator('main').innerText(), /This session is full\. Booking puts you on the waiting list, number 1/)
    await submit(police, 'button:has-text("Join the waiting list")')
    await doneBanner(police, /You are on the waiting list/)
    await police.goto(portalUrl() + '/training/my')
    await check(police)
    const card = police.locator('[data-booking]', { hasText: courseTitle })
    await Promise.all([police.waitForNavigation(), card.locator('button:has-text("Leave the waiting list")').click()])
    await check(police)
    await doneBanner(police, /You have left the waiting list/)

    await council.goto(portalUrl() + '/training/my')
    const mine = council.locator('[data-booking]', { hasText: courseTitle })
    await Promise.all([council.waitForNavigation(), mine.locator('button:has-text("Cancel my place")').click()])
    await check(council)
    await doneBanner(council, /Your place is cancelled/)
  })

  test('the_session_is_cancelled_after_the_confirm_step', async () => {
    await trainer.goto(portalUrl() + sessionPath + '/cancel')
    await check(trainer)
    await submit(trainer, 'button:has-text("Yes, cancel this session")')
    await doneBanner(trainer, /The session is cancelled/)
  })

  test('demo_data_a_full_session_with_a_waiting_list_and_places_kept_in_words', async () => {
    const { sessions } = await api('trainer', '/api/v1/training/sessions')
    const full = sessions.find((s) => s.seats_left === 0 && s.waitlist_length > 0 && s.bookable)
    assert.ok(full, 'the demo has a full session with a waiting list')
    const kept = sessions.find((s) => !s.past && s.agency_mix.some((m) => m.set_aside > 0) && !s.set_aside_released)
    assert.ok(kept, 'a demo session keeps places for agency types')
    const page = await as('responder.health')
    await page.goto(portalUrl() + `/training/sessions/${kept.id}`)
    await check(page)
    const words = await page.locator('[data-kept]').innerText()
    for (const m of kept.agency_mix) {
      if (m.set_aside > 0) assert.match(words, new RegExp(`${m.label}: ${m.set_aside} place`))
      else assert.doesNotMatch(words, new RegExp(m.label))
    }
  })

  test('demo_data_roster_in_words_and_attendance_marked_today', async () => {
    const { sessions } = await api('trainer', '/api/v1/training/sessions')
    const today = sessions.find((s) => s.past && !s.cancelled && s.confirmed > 0 && s.course_title.startsWith('Language matters'))
    assert.ok(today, 'a demo session under way today')
    await trainer.goto(portalUrl() + `/training/sessions/${today.id}/roster`)
    await check(trainer)
    const statuses = await trainer.locator('td[data-label="Status"]').allInnerTexts()
    assert.ok(statuses.length > 0)
    for (const s of statuses) assert.match(s, /^(Place confirmed|On the waiting list, number \d+|Cancelled)$/)
    const row = trainer.locator('tr[data-booking]').first()
    await row.locator('select').selectOption('partial')
    await Promise.all([trainer.waitForNavigation(), row.locator('button').click()])
    await check(trainer)
    await doneBanner(trainer, /Attendance is saved/)
    assert.equal(await trainer.locator('tr[data-booking]').first().locator('[data-attendance]').innerText(), 'Partly attended')
  })

  test('demo_data_a_past_session_with_attendance_marked_reached_from_the_list', async () => {
    await trainer.goto(portalUrl() + '/training/')
    await Promise.all([trainer.waitForNavigation(), trainer.click('a[data-recent]')])
    await check(trainer)
    const { sessions } = await api('trainer', '/api/v1/training/sessions?from=' + new Date(Date.now() - 13 * 86400e3).toISOString().slice(0, 10))
    const past = sessions.find((s) => s.past && Date.parse(s.starts_at) < Date.now() - 86400e3 && s.course_title.startsWith('First Responder'))
    assert.ok(past, 'a demo session a few days ago')
    assert.equal(await trainer.locator(`tr[data-session="${past.id}"]`).count(), 1, 'listed with the last 14 days')
    await trainer.goto(portalUrl() + `/training/sessions/${past.id}`)
    await check(trainer)
    assert.equal(await trainer.locator('a:has-text("Change this session"), a:has-text("Cancel this session")').count(), 0,
      'a session that has started cannot be changed or cancelled: not offered')
    await trainer.goto(portalUrl() + '/training/?from=' + new Date(Date.now() - 13 * 86400e3).toISOString().slice(0, 10))
    await Promise.all([trainer.waitForNavigation(), trainer.locator(`tr[data-session="${past.id}"] a:has-text("Roster and attendance")`).click()])
    assert.equal(new URL(trainer.url()).pathname, `/training/sessions/${past.id}/roster`)
    await check(trainer)
    const marks = await trainer.locator('[data-attendance]').allInnerTexts()
    assert.ok(marks.includes('Attended') && marks.includes('Did not attend'), marks.join(', '))
    assert.ok(await trainer.locator('tr[data-booking] select').count() > 0, 'attendance can still be marked')
  })

  test('uptake_report_has_the_demo_attendance_and_keeps_a_wrong_date', async () => {
    const page = await as('coordinator')
    await page.goto(portalUrl() + '/training/reports/uptake')
    await check(page)
    const attended = await page.locator('table[data-report="courses"] td[data-label="Attended"]').allInnerTexts()
    assert.ok(attended.some((n) => Number(n) > 0), `attendance from the demo's past sessions: ${attended}`)
    // the date inputs show the dates the report covers
    assert.match(await page.inputValue('#from-year'), /^\d{4}$/)
    for (const [day, month, year] of [['31', '2', '2026'], ['1', 'March', '2026']]) {
      await page.fill('#from', day)
      await page.fill('#from-month', month)
      await page.fill('#from-year', year)
      await submit(page, 'button:has-text("Show the report")')
      assert.equal(await page.locator('main h1').innerText(), 'Training uptake')
      await summaryLinks(page, ['from'])
      assert.match(await page.locator('#from-error').innerText(), /The start date must be a real date/)
      assert.equal(await page.inputValue('#from'), day)
      assert.equal(await page.inputValue('#from-month'), month)
      assert.equal(await page.inputValue('#from-year'), year)
    }
    await page.fill('#from', '1')
    await page.fill('#from-month', '11')
    await page.fill('#from-year', String(new Date().getUTCFullYear() - 1))
    await page.fill('#to', '31')
    await page.fill('#to-month', '12')
    await page.fill('#to-year', String(new Date().getUTCFullYear() + 1))
    await submit(page, 'button:has-text("Show the report")')
    assert.equal(await page.locator('.govuk-error-summary').count(), 0)
    assert.equal(await page.inputValue('#from-month'), '11')
  })

  test('sign_in_empty_then_wrong_then_right', async () => {
    const context = await openBrowser({ viewport: { width: 1200, height: 900 } })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(portalUrl() + '/login')
    await check(page)
    await submit(page, 'button[type=submit]')
    await summaryLinks(page, ['username'])
    await page.fill('#username', 'responder.police')
    await page.fill('#password', 'not the password')
    await submit(page, 'button[type=submit]')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /There is a problem/)
    assert.equal(await page.inputValue('#username'), 'responder.police')
    await page.fill('#password', 'Demo-Portal-1')
    await submit(page, 'button[type=submit]')
    assert.equal(new URL(page.url()).pathname, '/')
  })
})
