// Training in the browser: a responder books and sees it in "My training";
// a second fills the last seat; a third is waitlisted; the first cancels and
// the third sees their place confirmed; a trainer marks attendance; the
// coordinator sees the uptake report.  axe checks every page on the way.
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
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Book a place")')])
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
    assert.match(await bookInBrowser(third), /waitlist, number 1/)

    // the first cancels from My training
    await first.goto(portalUrl() + '/training/my')
    await Promise.all([first.waitForNavigation(), card.locator('button:has-text("Cancel my place")').click()])
    assert.equal(await first.locator(`[data-booking^="${sessionId}-"]`).count(), 0)

    await third.goto(portalUrl() + '/training/my')
    assert.match(await third.locator('[data-notice]').innerText(), /Your place is confirmed: Trauma-informed first contact/)
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
    await page.goto(portalUrl() + '/training/reports/uptake')
    assert.match(await page.locator('main h1').innerText(), /Training uptake/)
    const types = await page.locator('table[data-report="agency_types"]').innerText()
    assert.match(types, /Police/)
    assert.match(types, /Health/)
    assert.match(await page.locator('table[data-report="courses"]').innerText(), /Trauma-informed first contact/)
    await assertAccessible(page)
    assert.doesNotMatch(await page.locator('body').innerText(), /\bclaim/i)
  })
})
