// Safehouse beds in the browser: NGO A sets vacancies; a responder searches,
// holds a bed and sees when the hold runs out; NGO A accepts; the summary
// page shows the change.  axe-core checks every page on the way.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'

// Sign in through the page as `username`; returns the page, signed in.
async function signIn (context, username) {
  const { page } = await visit(context, '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return page
}

// The number in the summary table for women's beds.
async function womenAvailable (page) {
  await page.goto(new URL('/beds/summary', page.url()).href)
  return Number((await page.locator('[data-beds="summary-women"]').innerText()).trim())
}

describe('safehouse beds: set vacancies, search, hold, accept, summary', () => {
  let ngo, responder, ngoPage, respPage, holdUrl, before0

  before(async () => {
    ngo = await openBrowser()
    responder = await openBrowser()
    ngoPage = await signIn(ngo, 'ngo.a')
    respPage = await signIn(responder, 'responder.police')
  })
  after(async () => { await ngo?.close(); await responder?.close() })

  test('ngo_a_sets_vacant_beds_from_the_safehouse_page', async () => {
    await ngoPage.goto(new URL('/beds/safehouses', ngoPage.url()).href)
    await assertAccessible(ngoPage)
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('main a:has-text("Harbour House")')])
    await assertAccessible(ngoPage)
    assert.equal(await ngoPage.locator('text=/address/i').count(), 0, 'no address anywhere')
    await ngoPage.fill('#vacant-women', '5')
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('button:has-text("Save vacancies")')])
    assert.match(ngoPage.url(), /\/beds\/safehouses\/\d+$/)
    const avail = Number((await ngoPage.locator('[data-beds="available-women"]').innerText()).trim())
    assert.equal(avail, 5)
    before0 = await womenAvailable(ngoPage)
    await assertAccessible(ngoPage)
  })

  test('vacancies_above_the_bed_count_show_the_error_summary', async () => {
    await ngoPage.goto(new URL('/beds/safehouses', ngoPage.url()).href)
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('main a:has-text("Harbour House")')])
    await ngoPage.fill('#vacant-women', '99')
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('button:has-text("Save vacancies")')])
    assert.match(await ngoPage.locator('.govuk-error-summary').innerText(), /between 0 and 6/)
    await assertAccessible(ngoPage)
  })

  test('responder_searches_and_holds_a_bed_and_sees_the_countdown', async () => {
    await respPage.goto(new URL('/beds/search', respPage.url()).href)
    await assertAccessible(respPage)
    await respPage.selectOption('#group', 'women')
    await respPage.selectOption('#area', 'tower-hamlets')
    await Promise.all([respPage.waitForNavigation(), respPage.click('button:has-text("Search")')])
    const first = respPage.locator('[data-beds="result"]').first()
    assert.match(await first.innerText(), /Harbour House/)
    assert.match(await first.innerText(), /Demo Safehouse Charity A/)
    await assertAccessible(respPage)
    await Promise.all([respPage.waitForNavigation(), first.locator('a:has-text("Hold a bed")').click()])
    const warning = await respPage.locator('.govuk-warning-text').innerText()
    assert.match(warning, /name, date of birth, nationality or immigration status/)
    await assertAccessible(respPage)
    await respPage.fill('#reference', 'MPS-BROWSER-1')
    await respPage.fill('#callback_phone', '07700 900456')
    await Promise.all([respPage.waitForNavigation(), respPage.click('button:has-text("Hold this bed")')])
    holdUrl = respPage.url()
    assert.match(holdUrl, /\/beds\/holds\/\d+$/)
    const countdown = await respPage.locator('[data-beds="countdown"]').innerText()
    assert.match(countdown, /held until \d\d:\d\d \(in (89|90) minutes\)/)
    assert.match(await respPage.locator('[data-beds="status"]').innerText(), /Waiting/)
    await assertAccessible(respPage)
  })

  test('ngo_a_accepts_the_hold_and_the_summary_updates', async () => {
    await ngoPage.goto(new URL('/beds/holds', ngoPage.url()).href)
    await assertAccessible(ngoPage)
    await ngoPage.goto(holdUrl)
    assert.match(await ngoPage.locator('main').innerText(), /MPS-BROWSER-1/)
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('button:has-text("Accept")')])
    assert.match(await ngoPage.locator('[data-beds="status"]').innerText(), /Accepted/)
    await assertAccessible(ngoPage)
    const now = await womenAvailable(respPage)
    assert.equal(now, before0 - 1, 'one bed fewer available for women')
    assert.equal(await respPage.locator('svg[role=img] rect').count(), 3, 'a bar per bed group')
    await assertAccessible(respPage)
    await respPage.goto(holdUrl)
    assert.match(await respPage.locator('[data-beds="status"]').innerText(), /Accepted/)
  })
})
