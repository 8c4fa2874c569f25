// beds-journeys.test.mjs - the journey suite of the safehouse beds forms
// (issue 15): each form submitted empty, then with each kind of invalid
// value, then corrected.  After a mistake the page keeps its context (the
// heading, the thing it is about, its action, the values typed, the error
// summary linking to each field); the corrected submit ends on the success
// banner.  Every page visited passes pageTextProblems and axe-core at
// desktop width and at 320 CSS px.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl, visit } from './browser.mjs'
import { pageTextProblems } from './pagetext.mjs'

async function signIn (context, username) {
  const { page } = await visit(context, '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return page
}

// The page's text problems and axe-core, at desktop width and at 320 px.
async function checkPage (page) {
  for (const width of [1024, 320]) {
    await page.setViewportSize({ width, height: 800 })
    const problems = await pageTextProblems(page)
    assert.deepEqual(problems, [], `${page.url()} at ${width} px`)
    await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1024, height: 800 })
}

// Submit the form whose button says `button`; returns the response.
async function submit (page, button) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`main button:has-text("${button}")`)])
  await checkPage(page)
  return res
}

// Every link of the error summary goes to a field of the page.
async function summaryLinks (page) {
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  assert.ok(hrefs.length > 0, 'an error summary')
  for (const h of hrefs) assert.equal(await page.locator(h).count(), 1, `the summary's ${h} is a field of the page`)
  return hrefs
}

// Sign in through the API and call it (set-up only).
async function api (who, method, path, body) {
  const res = await fetch(new URL(path, portalUrl()), {
    method,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
    body: body && JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}
async function apiSignIn (username) {
  const res = await fetch(new URL('/api/v1/auth/login', portalUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo-Portal-1' })
  })
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrf_token }
}

describe('beds journeys: every beds form after each kind of mistake', () => {
  let ngo, resp, coord, ngoPage, respPage, coordPage, houseId, houseName, holdUrl

  before(async () => {
    houseName = `Journey House ${Date.now() % 100000}`
    const a = await apiSignIn('ngo.a')
    const made = await api(a, 'POST', '/api/v1/beds/safehouses', {
      name: houseName, area: 'camden', referral_phone: '020 7946 0123', referral_hours: '24 hours',
      groups: { women: { beds: 3 }, trans_non_binary: { beds: 1 } }
    })
    assert.equal(made.status, 201, JSON.stringify(made.body))
    houseId = made.body.safehouse.id
    assert.equal((await api(a, 'PUT', `/api/v1/beds/safehouses/${houseId}/vacancies`, { women: 2, trans_non_binary: 0 })).status, 200)
    ngo = await openBrowser()
    resp = await openBrowser()
    coord = await openBrowser()
    ngoPage = await signIn(ngo, 'ngo.a')
    respPage = await signIn(resp, 'responder.council')
    coordPage = await signIn(coord, 'coordinator')
  })
  after(async () => { await ngo?.close(); await resp?.close(); await coord?.close() })

  test('search: neither who nor group, then by the person', async () => {
    await respPage.goto(new URL('/beds/search', portalUrl()).href)
    await checkPage(respPage)
    await respPage.selectOption('#area', 'camden')
    const res = await submit(respPage, 'Search')
    assert.equal(res.status(), 422)
    assert.deepEqual(await summaryLinks(respPage), ['#person'])
    assert.equal(await respPage.inputValue('#area'), 'camden', 'the area chosen is kept')
    await respPage.selectOption('#person', 'woman')
    await submit(respPage, 'Search')
    assert.match(await respPage.locator('main').innerText(), new RegExp(houseName))
  })

  test('hold form: the safehouse offers only groups with a bed; empty, bad values, then corrected', async () => {
    await respPage.goto(new URL(`/beds/safehouses/${houseId}`, portalUrl()).href)
    await checkPage(respPage)
    assert.equal(await respPage.locator('a:has-text("Hold a bed: Trans and non-binary people")').count(), 0,
      'no hold offered for a group with no bed free')
    await Promise.all([respPage.waitForNavigation(), respPage.click('a:has-text("Hold a bed: Women")')])
    await checkPage(respPage)
    const options = await respPage.locator('#group option').evaluateAll((os) => os.map((o) => o.value))
    assert.deepEqual(options, ['women'], 'only the house\'s groups with a bed free')
    await respPage.fill('#minutes', '')
    let res = await submit(respPage, 'Hold this bed')
    assert.equal(res.status(), 422)
    assert.deepEqual((await summaryLinks(respPage)).sort(), ['#callback_phone', '#reference'])
    assert.equal(await respPage.locator('h1').innerText(), `Hold a bed at ${houseName}`)
    assert.equal(await respPage.locator('main form').getAttribute('action'), `/beds/safehouses/${houseId}/holds`)
    await respPage.fill('#reference', 'LBC-J-1')
    await respPage.fill('#callback_phone', 'ring me')
    await respPage.fill('#minutes', '999')
    res = await submit(respPage, 'Hold this bed')
    assert.equal(res.status(), 422)
    assert.deepEqual((await summaryLinks(respPage)).sort(), ['#callback_phone', '#minutes'])
    assert.equal(await respPage.inputValue('#reference'), 'LBC-J-1')
    assert.equal(await respPage.inputValue('#callback_phone'), 'ring me')
    assert.equal(await respPage.inputValue('#minutes'), '999')
    assert.equal(await respPage.inputValue('#group'), 'women')
    await respPage.fill('#callback_phone', '07700 900321')
    await respPage.fill('#minutes', '60')
    res = await submit(respPage, 'Hold this bed')
    assert.equal(res.status(), 200, 'no 405 after a mistake: the form posts to the house')
    holdUrl = respPage.url()
    const main = await respPage.locator('main').innerText()
    assert.match(main, /The bed is held for you/)
    assert.match(main, /What happens next/)
    assert.match(main, /held until (?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day/)
    assert.equal(await respPage.locator('main a[href="tel:020 7946 0123"]').count() > 0, true)
    assert.ok(!main.includes('responder.council'), 'the responder by name, not uid')
  })

  test('decline: without a reason the hold comes back; with one it ends on the banner', async () => {
    await ngoPage.goto(holdUrl.replace(/\?.*$/, ''))
    await checkPage(ngoPage)
    let res = await submit(ngoPage, 'Decline')
    assert.equal(res.status(), 422)
    assert.deepEqual(await summaryLinks(ngoPage), ['#reason'])
    assert.equal(await ngoPage.locator('h1').innerText(), `${houseName}: Women`)
    await ngoPage.check('#reason')
    res = await submit(ngoPage, 'Decline')
    assert.equal(res.status(), 200)
    assert.match(await ngoPage.locator('.govuk-notification-banner--success').innerText(), /You declined the hold/)
  })

  test('vacancies: not a number, above the beds, then corrected', async () => {
    await ngoPage.goto(new URL(`/beds/safehouses/${houseId}`, portalUrl()).href)
    await ngoPage.fill('#vacant-women', 'two')
    let res = await submit(ngoPage, 'Save vacancies')
    assert.equal(res.status(), 422)
    assert.deepEqual(await summaryLinks(ngoPage), ['#vacant-women'])
    assert.equal(await ngoPage.locator('h1').innerText(), houseName)
    assert.equal(await ngoPage.inputValue('#vacant-women'), 'two')
    await ngoPage.fill('#vacant-women', '9')
    res = await submit(ngoPage, 'Save vacancies')
    assert.equal(res.status(), 422)
    assert.equal(await ngoPage.inputValue('#vacant-women'), '9')
    await ngoPage.fill('#vacant-women', '3')
    res = await submit(ngoPage, 'Save vacancies')
    assert.equal(res.status(), 200)
    assert.match(await ngoPage.locator('.govuk-notification-banner--success').innerText(), /Vacant beds saved/)
  })

  test('new safehouse: empty, then a bad phone and no beds, then corrected', async () => {
    await ngoPage.goto(new URL('/beds/safehouses/new', portalUrl()).href)
    await checkPage(ngoPage)
    let res = await submit(ngoPage, 'Add safehouse')
    assert.equal(res.status(), 422)
    await summaryLinks(ngoPage)
    const name = `Journey New ${Date.now() % 100000}`
    await ngoPage.fill('#name', name)
    await ngoPage.selectOption('#area', 'hackney')
    await ngoPage.fill('#referral_phone', 'none')
    res = await submit(ngoPage, 'Add safehouse')
    assert.equal(res.status(), 422)
    assert.equal(await ngoPage.inputValue('#name'), name)
    assert.equal(await ngoPage.inputValue('#referral_phone'), 'none')
    await ngoPage.fill('#referral_phone', '020 7946 0456')
    await ngoPage.fill('#beds_men', '2')
    res = await submit(ngoPage, 'Add safehouse')
    assert.equal(res.status(), 200)
    assert.match(await ngoPage.locator('.govuk-notification-banner--success').innerText(), /Safehouse details saved/)
  })

  test('holds report: the last 30 days at once; half a date, then corrected', async () => {
    await coordPage.goto(new URL('/beds/reports/holds', portalUrl()).href)
    await checkPage(coordPage)
    assert.match(await coordPage.locator('[data-beds="range"]').innerText(), /^Holds placed from \d{1,2} [A-Z][a-z]+ \d{4} to /)
    await coordPage.fill('#from', '1')
    await coordPage.fill('#from_month', '')
    await coordPage.fill('#from_year', '2026')
    let res = await submit(coordPage, 'Show report')
    assert.equal(res.status(), 422)
    assert.deepEqual(await summaryLinks(coordPage), ['#from'])
    assert.equal(await coordPage.inputValue('#from_year'), '2026')
    await coordPage.fill('#from_month', '1')
    res = await submit(coordPage, 'Show report')
    assert.equal(res.status(), 200)
    assert.match(await coordPage.locator('[data-beds="range"]').innerText(), /from 1 January 2026 to /)
    const csv = await coordPage.request.get(new URL('/beds/reports/holds.csv', portalUrl()).href)
    assert.equal(csv.status(), 200, 'the CSV without dates')
  })

  // Issue 15, point 10: whom a bed group welcomes, set with the checkboxes
  // of the edit page, decides whom the search finds its beds for.
  test('welcomes: the women\'s beds ticked for trans women are found for a trans woman, not for a man', async () => {
    // The names of the houses a search by `person` lists, from the page.
    const found = async (person) => {
      await respPage.goto(new URL(`/beds/search?person=${person}`, portalUrl()).href)
      await checkPage(respPage)
      return respPage.locator('[data-beds="result"] h3').allInnerTexts()
    }
    const ours = (names) => names.filter((n) => n.startsWith(`${houseName} (`))
    assert.deepEqual(ours(await found('trans_woman')), [], 'women\'s beds welcome women only until ticked')
    await ngoPage.goto(new URL(`/beds/safehouses/${houseId}/edit`, portalUrl()).href)
    await checkPage(ngoPage)
    assert.equal(await ngoPage.isChecked('#welcomes_women'), true, 'a group welcomes whom its name says by default')
    assert.equal(await ngoPage.isChecked('#welcomes_women-trans_woman'), false)
    await ngoPage.check('#welcomes_women-trans_woman')
    const res = await submit(ngoPage, 'Save changes')
    assert.equal(res.status(), 200)
    assert.match(await ngoPage.locator('.govuk-notification-banner--success').innerText(), /Safehouse details saved/)
    assert.equal(ours(await found('trans_woman')).length, 1, 'found for a trans woman once ticked')
    const card = respPage.locator('[data-beds="result"]', { hasText: houseName })
    assert.equal(await card.locator('[data-beds="group"]').innerText(), 'Women')
    assert.deepEqual(ours(await found('man')), [], 'not found for a man: no group of the house welcomes men')
    assert.equal(ours(await found('woman')).length, 1, 'still found for a woman')
  })
})
