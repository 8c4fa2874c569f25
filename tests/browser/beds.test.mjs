// Safehouse beds in the browser: NGO A sets vacancies; a responder searches,
// holds a bed and sees when the hold runs out; NGO A accepts; the summary
// page shows the change.  NGO A changes a safehouse through the edit page (a
// bad value keeps what was typed); vacancies below the held beds show the
// holds-pending error on the form.  axe-core checks every page on the way.
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
// Tick each language's box in the language picker, opening "More
// languages" first when the box is folded under it.
async function tickLanguages (page, codes) {
  for (const code of codes) {
    const folded = page.locator(`details:has(#languages-${code})`)
    if (await folded.count() && !(await folded.evaluate((d) => d.open))) await folded.locator('summary').click()
    await page.check(`#languages-${code}`)
  }
}

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
    assert.match(ngoPage.url(), /\/beds\/safehouses\/\d+\?done=vacancies$/)
    assert.match(await ngoPage.locator('.govuk-notification-banner--success').innerText(), /Vacant beds saved/)
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
    assert.match(holdUrl, /\/beds\/holds\/\d+\?done=placed$/)
    const countdown = await respPage.locator('[data-beds="countdown"]').innerText()
    assert.match(countdown, /held until (?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \(in (89|90) minutes\)/)
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

// Sign in through the API (for set-up only); returns cookie and csrf.
async function apiSignIn (base, username) {
  const res = await fetch(new URL('/api/v1/auth/login', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo-Portal-1' })
  })
  assert.equal(res.status, 200)
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrf_token }
}

// A JSON API call as `who` (set-up only); returns { status, body }.
async function apiCall (base, who, method, path, body) {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
    body: body && JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}

describe('safehouse beds: NGO A changes a safehouse through the edit page', () => {
  let ngo, ngoPage, houseUrl
  const hours = `Weekdays 9am to 5pm (browser ${Date.now()})`

  before(async () => {
    ngo = await openBrowser()
    ngoPage = await signIn(ngo, 'ngo.a')
  })
  after(async () => { await ngo?.close() })

  test('ngo_a_opens_the_edit_page_from_the_safehouse_filled_in', async () => {
    await ngoPage.goto(new URL('/beds/safehouses', ngoPage.url()).href)
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('main a:has-text("Lantern House")')])
    houseUrl = ngoPage.url()
    await assertAccessible(ngoPage)
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('a:has-text("Change the safehouse details")')])
    assert.match(ngoPage.url(), /\/beds\/safehouses\/\d+\/edit$/)
    assert.equal(await ngoPage.inputValue('#name'), 'Lantern House')
    assert.equal(await ngoPage.inputValue('#area'), 'newham')
    assert.equal(await ngoPage.inputValue('#beds_men'), '4')
    assert.equal(await ngoPage.isChecked('#accessible'), true)
    assert.equal(await ngoPage.isChecked('#post_nrm'), false)
    for (const code of ['pl', 'ro']) assert.equal(await ngoPage.isChecked(`#languages-${code}`), true, code)
    assert.equal(await ngoPage.isChecked('#languages-vi'), false)
    assert.match(await ngoPage.locator('#name-hint').innerText(), /[Nn]ever an address/)
    assert.equal(await ngoPage.locator('input[name=address], input[name=postcode]').count(), 0)
    await assertAccessible(ngoPage)
  })

  test('a_bad_value_shows_the_error_summary_and_keeps_what_was_typed', async () => {
    await ngoPage.fill('#beds_men', 'four')
    await ngoPage.selectOption('#area', 'hackney')
    await ngoPage.check('#staffed_24h')
    await ngoPage.uncheck('#accessible')
    await tickLanguages(ngoPage, ['pl', 'ro', 'uk'])
    await ngoPage.fill('#referral_hours', hours)
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('button:has-text("Save changes")')])
    const summary = ngoPage.locator('.govuk-error-summary')
    assert.match(await summary.innerText(), /number of beds for men/i)
    assert.match(await ngoPage.locator('#beds_men-error').innerText(), /whole number/)
    assert.equal(await ngoPage.inputValue('#beds_men'), 'four')
    assert.equal(await ngoPage.inputValue('#area'), 'hackney')
    assert.equal(await ngoPage.isChecked('#staffed_24h'), true)
    assert.equal(await ngoPage.isChecked('#accessible'), false)
    assert.equal(await ngoPage.isChecked('#pre_nrm'), true)
    for (const code of ['pl', 'ro', 'uk']) assert.equal(await ngoPage.isChecked(`#languages-${code}`), true, code)
    assert.equal(await ngoPage.inputValue('#referral_hours'), hours)
    await assertAccessible(ngoPage)
    // the summary's link takes the person to the field to fix
    await summary.locator('a[href="#beds_men"]').click()
    assert.equal(await ngoPage.evaluate(() => document.activeElement.id), 'beds_men')
  })

  test('ngo_a_corrects_the_value_and_the_safehouse_shows_the_change', async () => {
    await ngoPage.fill('#beds_men', '4')
    await ngoPage.selectOption('#area', 'newham')
    await ngoPage.check('#accessible')
    await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('button:has-text("Save changes")')])
    assert.equal(ngoPage.url(), houseUrl + '?done=saved')
    assert.match(await ngoPage.locator('.govuk-notification-banner--success').innerText(), /Safehouse details saved/)
    const main = await ngoPage.locator('main').innerText()
    assert.match(main, /Lantern House/)
    assert.ok(main.includes(hours), 'the new referral hours are shown')
    assert.equal(await ngoPage.locator('text=/address/i').count(), 0, 'no address anywhere')
    await assertAccessible(ngoPage)
  })

  test('vacancies_below_the_held_beds_show_holds_pending_on_the_vacancies_form', async () => {
    const id = houseUrl.match(/(\d+)$/)[1]
    const resp = await apiSignIn(houseUrl, 'responder.health')
    const held = await apiCall(houseUrl, resp, 'POST', `/api/v1/beds/safehouses/${id}/holds`,
      { group: 'men', reference: 'BROWSER-HOLD-2', callback_phone: '07700 900789' })
    assert.equal(held.status, 201, JSON.stringify(held.body))
    try {
      await ngoPage.goto(houseUrl)
      await ngoPage.fill('#vacant-men', '0')
      const [res] = await Promise.all([ngoPage.waitForNavigation(), ngoPage.click('button:has-text("Save vacancies")')])
      assert.equal(res.status(), 409)
      assert.match(await ngoPage.locator('.govuk-error-summary').innerText(), /held for a referral\. Answer that hold first/)
      assert.match(await ngoPage.locator('h1').innerText(), /Lantern House/, 'with the safehouse details')
      assert.equal(await ngoPage.inputValue('#vacant-men'), '0')
      await assertAccessible(ngoPage)
    } finally {
      await apiCall(houseUrl, resp, 'POST', `/api/v1/beds/holds/${held.body.hold.id}/cancel`, {})
    }
  })
})
