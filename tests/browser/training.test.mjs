// Training in the browser: a responder books and sees it in "My training";
// a second fills the last seat; a third is waitlisted; the first cancels and
// the third sees their place confirmed; a trainer marks attendance; the
// coordinator sees the uptake report; a trainer adds a course and a session
// through the forms (with an error summary on the way) and changes it; the
// coordinator cancels a session after a confirm step.  axe checks every page
// on the way.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'

// Sign in through the API (for set-up only); returns cookie and csrf.
async function apiSignIn (username) {
  const res = await fetch(portalUrl() + '/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo-Portal-1' })
  })
  assert.equal(res.status, 200)
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrf_token }
}

async function apiCall (who, method, path, body) {
  const res = await fetch(portalUrl() + path, {
    method,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
    body: body && JSON.stringify(body)
  })
  return { status: res.status, body: res.status === 204 ? null : await res.json() }
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')

// A browser context signed in as `username` through the sign-in form.
async function signedIn (username) {
  const context = await openBrowser()
  const page = await context.newPage()
  await page.goto(portalUrl() + '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return { context, page }
}

describe('training pages', () => {
  let coordinator, sessionId, soonId, soonStarts
  const contexts = []

  before(async () => {
    coordinator = await apiSignIn('coordinator')
    const made = await apiCall(coordinator, 'POST', '/api/v1/training/sessions', {
      course_id: 2, starts_at: iso(Date.now() + 40 * 86400e3), ends_at: iso(Date.now() + 40 * 86400e3 + 3 * 3600e3),
      venue: 'Browser test room', capacity: 2
    })
    assert.equal(made.status, 201, JSON.stringify(made.body))
    sessionId = made.body.session.id
    // a session starting in a few seconds, for the attendance step (course 1 is the trainer's agency's)
    soonStarts = Date.now() + 12000
    const soon = await apiCall(coordinator, 'POST', '/api/v1/training/sessions', {
      course_id: 1, starts_at: iso(soonStarts), ends_at: iso(soonStarts + 3600e3), venue: 'Browser test room', capacity: 5
    })
    assert.equal(soon.status, 201, JSON.stringify(soon.body))
    soonId = soon.body.session.id
    const police = await apiSignIn('responder.police')
    assert.equal((await apiCall(police, 'POST', `/api/v1/training/sessions/${soonId}/bookings`)).status, 201)
  })
  after(async () => { for (const c of contexts) await c.close() })

  async function as (username) {
    const s = await signedIn(username)
    contexts.push(s.context)
    return s.page
  }

  async function bookInBrowser (page) {
    await page.goto(portalUrl() + `/training/sessions/${sessionId}`)
    await assertAccessible(page)
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/book"] button')])
    return page.locator('[data-booking-status]').innerText()
  }

  test('booking_waitlist_cancel_and_promotion_through_the_pages', async () => {
    const first = await as('responder.police')
    await first.goto(portalUrl() + '/training/')
    assert.match(await first.locator('main h1').innerText(), /Training sessions/)
    await assertAccessible(first)
    assert.match(await bookInBrowser(first), /Your place is confirmed/)
    await first.goto(portalUrl() + '/training/my')
    const card = first.locator(`[data-booking^="${sessionId}-"]`)
    assert.match(await card.innerText(), /Trauma-informed first contact/)
    assert.match(await card.innerText(), /Confirmed/)
    await assertAccessible(first)

    const second = await as('responder.council')
    assert.match(await bookInBrowser(second), /Your place is confirmed/)

    const third = await as('responder.health')
    assert.match(await bookInBrowser(third), /waiting list, number 1/)

    // the first cancels from My training
    await first.goto(portalUrl() + '/training/my')
    await Promise.all([first.waitForNavigation(), card.locator('button:has-text("Cancel my place")').click()])
    assert.equal(await first.locator(`[data-booking^="${sessionId}-"]`).count(), 0)

    await third.goto(portalUrl() + '/training/my')
    assert.match(await third.locator(`[data-notice-for^="${sessionId}-"] [data-notice]`).innerText(), /Your place is confirmed: Trauma-informed first contact/)
    assert.match(await third.locator(`[data-booking^="${sessionId}-"]`).innerText(), /Confirmed/)
    await assertAccessible(third)
  })

  test('a_trainer_marks_attendance_on_the_roster', async () => {
    const wait = soonStarts - Date.now() + 1500
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const trainer = await as('trainer')
    await trainer.goto(portalUrl() + `/training/sessions/${soonId}/roster`)
    await assertAccessible(trainer)
    const row = trainer.locator('tr[data-booking]', { hasText: 'Priya Shah' })
    await row.locator('select').selectOption('attended')
    await Promise.all([trainer.waitForNavigation(), row.locator('button').click()])
    assert.equal(await trainer.locator('tr[data-booking]', { hasText: 'Priya Shah' }).locator('[data-attendance]').innerText(), 'Attended')
  })

  test('the_coordinator_sees_the_uptake_report', async () => {
    const page = await as('coordinator')
    // no dates: the last 30 days, which hold the demo's past sessions with
    // attendance marked (last week's: three attended, one did not attend)
    await page.goto(portalUrl() + '/training/reports/uptake')
    assert.match(await page.locator('main h1').innerText(), /Training uptake/)
    const monthAgo = new Date(Date.now() - 30 * 86400e3)
    assert.equal(await page.inputValue('[name="from_day"]'), String(Number(monthAgo.toLocaleDateString('en-GB', { timeZone: 'Europe/London', day: 'numeric' }))))
    const cells = async (table, label) => (await page.locator(`table[data-report="${table}"] tr`, { hasText: label }).first().locator('td').allInnerTexts()).map(Number)
    const [, , policeAttended, policeNoShow] = await cells('agency_types', 'Police')
    assert.ok(policeAttended >= 1 && policeNoShow >= 1, `police row: ${policeAttended} attended, ${policeNoShow} no-show`)
    const [nrmConfirmed, , nrmAttended] = await cells('courses', 'First Responder duties and the NRM')
    assert.ok(nrmConfirmed >= 4 && nrmAttended >= 3, `NRM course row: ${nrmConfirmed} confirmed, ${nrmAttended} attended`)
    // every agency type is listed, 0 where none
    assert.deepEqual(await cells('agency_types', 'Other'), [0, 0, 0, 0])
    await assertAccessible(page)
    // a date part typed wrong: the error names it and only that part is marked
    await page.fill('[name="from_day"]', '')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Show the report")')])
    assert.match(await page.locator('.govuk-error-summary').innerText(), /The start date must include a day/)
    assert.equal(await page.locator('input.govuk-input--error').count(), 1)
    await assertAccessible(page)
    assert.doesNotMatch(await page.locator('body').innerText(), /\bclaim/i)
  })

  test('a_trainer_adds_a_course_and_a_session_through_the_forms_and_changes_it', async () => {
    const trainer = await as('trainer')
    const year = new Date().getUTCFullYear() + 1
    const title = `Browser test course ${Date.now()}: spotting exploitation`
    await trainer.goto(portalUrl() + '/training/')
    await assertAccessible(trainer)
    await Promise.all([trainer.waitForNavigation(), trainer.click('[data-staff-links] a:has-text("Add a course")')])
    assert.match(await trainer.locator('main h1').innerText(), /Add a course/)
    await assertAccessible(trainer)
    await trainer.fill('#title', title)
    await trainer.fill('#summary', 'Indicators of exploitation for front-line staff.')
    await trainer.fill('#duration_minutes', '120')
    await Promise.all([trainer.waitForNavigation(), trainer.click('button:has-text("Add the course")')])
    assert.equal(new URL(trainer.url()).pathname, '/training/courses')
    const card = trainer.locator('[data-course]', { hasText: title })
    assert.match(await card.innerText(), /120 minutes/)
    await assertAccessible(trainer)

    // a session of the new course, with a capacity that is not a number
    await Promise.all([trainer.waitForNavigation(), card.locator('a:has-text("Add a session of this course")').click()])
    assert.match(await trainer.locator('main h1').innerText(), /Add a session/)
    await assertAccessible(trainer)
    await trainer.fill('#starts_at', '10')
    await trainer.fill('#starts_at-month', '6')
    await trainer.fill('#starts_at-year', String(year))
    await trainer.fill('#starts_at-time', '09:30')
    await trainer.fill('#ends_at', '10')
    await trainer.fill('#ends_at-month', '6')
    await trainer.fill('#ends_at-year', String(year))
    await trainer.fill('#ends_at-time', '12:00')
    await trainer.fill('#venue', 'Browser test training room')
    await trainer.fill('#capacity', 'twelve')
    await trainer.fill('#agency_seats', '3')
    await Promise.all([trainer.waitForNavigation(), trainer.click('button:has-text("Add the session")')])
    const summary = trainer.locator('.govuk-error-summary')
    assert.match(await summary.innerText(), /There is a problem/)
    assert.match(await summary.innerText(), /Enter a capacity/)
    assert.match(await trainer.locator('#capacity-error').innerText(), /Enter a capacity/)
    assert.equal(await trainer.locator('#capacity').inputValue(), 'twelve')
    assert.equal(await trainer.locator('#venue').inputValue(), 'Browser test training room')
    assert.equal(await trainer.locator('#starts_at-time').inputValue(), '09:30')
    assert.equal(await trainer.locator('#agency_seats').inputValue(), '3')
    assert.equal(await trainer.locator('#course_id option:checked').innerText(), title)
    await assertAccessible(trainer)
    await summary.locator('a[href="#capacity"]').click()
    await trainer.fill('#capacity', '12')
    await Promise.all([trainer.waitForNavigation(), trainer.click('button:has-text("Add the session")')])
    assert.match(new URL(trainer.url()).pathname, /^\/training\/sessions\/\d+$/)
    assert.equal(await trainer.locator('main h1').innerText(), title)
    assert.match(await trainer.locator('main').innerText(), new RegExp(`9:30am on \\w+ 10 June ${year}`))
    assert.match(await trainer.locator('[data-seats-left]').innerText(), /12 of 12/)
    await assertAccessible(trainer)

    // change it
    await Promise.all([trainer.waitForNavigation(), trainer.click('[data-staff-links] a:has-text("Change this session")')])
    assert.match(await trainer.locator('main h1').innerText(), /Change this session/)
    assert.equal(await trainer.locator('#starts_at-time').inputValue(), '09:30')
    await assertAccessible(trainer)
    await trainer.fill('#starts_at-time', '10:00')
    await trainer.fill('#capacity', '15')
    await Promise.all([trainer.waitForNavigation(), trainer.click('button:has-text("Save changes")')])
    assert.match(await trainer.locator('main').innerText(), new RegExp(`10am on \\w+ 10 June ${year}`))
    assert.match(await trainer.locator('[data-seats-left]').innerText(), /15 of 15/)
  })

  test('the_coordinator_cancels_a_session_after_a_confirm_step', async () => {
    const made = await apiCall(coordinator, 'POST', '/api/v1/training/sessions', {
      course_id: 3, starts_at: iso(Date.now() + 50 * 86400e3), ends_at: iso(Date.now() + 50 * 86400e3 + 2 * 3600e3),
      venue: 'Browser cancel room', capacity: 4
    })
    assert.equal(made.status, 201, JSON.stringify(made.body))
    const id = made.body.session.id
    const police = await apiSignIn('responder.police')
    assert.equal((await apiCall(police, 'POST', `/api/v1/training/sessions/${id}/bookings`)).status, 201)

    const page = await as('coordinator')
    await page.goto(portalUrl() + `/training/sessions/${id}`)
    await Promise.all([page.waitForNavigation(), page.click('[data-staff-links] a:has-text("Cancel this session")')])
    assert.match(await page.locator('main h1').innerText(), /Are you sure you want to cancel this session\?/)
    assert.match(await page.locator('[data-affected]').innerText(), /confirmed places: 1/)
    await assertAccessible(page)
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Yes, cancel this session")')])
    assert.equal(new URL(page.url()).pathname, `/training/sessions/${id}`)
    assert.match(await page.locator('.govuk-warning-text').innerText(), /This session has been cancelled/)

    // the person who had booked sees a notice until they dismiss it
    const booker = await as('responder.police')
    await booker.goto(portalUrl() + '/training/my')
    const notice = booker.locator(`[data-notice-for^="${id}-"]`)
    assert.match(await notice.innerText(), /This session has been cancelled/)
    await assertAccessible(booker)
    await booker.goto(portalUrl() + '/training/my')
    assert.equal(await notice.count(), 1, 'the notice is still there on the next visit')
    await Promise.all([booker.waitForNavigation(), notice.locator('button:has-text("Dismiss")').click()])
    assert.equal(await booker.locator(`[data-notice-for^="${id}-"]`).count(), 0)
  })
})
