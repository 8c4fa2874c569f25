// forms-journeys.test.mjs - issue 15's journey suite for the forms no other
// browser journey walks: a hold's "extend", the trends page's quarter
// chooser and context note, closing a case (and asking for an update),
// adding and removing a monitoring theme, and tagging a text with themes.
// Each form is sent empty, then with each kind of wrong value its fields
// can take (too short, too long, a date of birth that common/personal.c
// refuses, a choice that is not offered or no longer there), and the page
// that comes back must be a 422 with the GOV.UK error summary linking to
// the field, the heading and the thing it is about still there, the form's
// action unchanged and every value typed still in its field; then it is
// sent corrected and the success banner says what happened, with the
// change on the page.  A form with nothing to get wrong (extend, ask for
// an update) ends on a page that says what happened and is not offered
// where it cannot succeed.  Every page passes pageTextProblems and axe-core
// at 1280 and 320 CSS px.  Set-up (a safehouse, a case, an observation,
// themes) goes through the API.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { call, session } from './api.mjs'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { signIn } from './census.mjs'
import { pageTextProblems } from './pagetext.mjs'

const STAMP = Date.now() % 1000000
const BORN = 'One was born 12/03/1985, she said.'

// The page at each width a person may use: no code, JSON or timestamp on
// it, nothing axe-core finds.
async function checkPage (page) {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 800 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

// Send the form of button `button` (text); the response of the page shown.
async function submit (page, button) {
  const [res] = await Promise.all([page.waitForNavigation(), page.locator(`main button:has-text("${button}")`).click()])
  await checkPage(page)
  return res
}

// A refusal as issue 15 wants it: 422, the summary linking to each field
// (and the field there), the form with its action still on the page.
async function assertRefused (page, res, fields, action) {
  assert.equal(res.status(), 422, page.url())
  for (const field of fields) {
    assert.equal(await page.locator(`.govuk-error-summary a[href="#${field}"]`).count(), 1, `summary links to #${field}`)
    assert.equal(await page.locator(`main #${field}`).count(), 1, `#${field} is on the page`)
  }
  assert.equal(await page.locator(`main form[action="${action}"]`).count(), 1, `the form still posts to ${action}`)
}

async function success (page) {
  return page.locator('.govuk-notification-banner--success').innerText()
}

const heading = (page) => page.locator('main h1').innerText()

describe('forms journeys: every form survives a mistake', () => {
  const api = {}
  const ctx = {}
  const pages = {}
  let holdId

  before(async () => {
    for (const who of ['responder.police', 'ngo.a', 'coordinator']) {
      api[who] = await session(who)
      ctx[who] = await openBrowser()
      pages[who] = await ctx[who].newPage()
      await signIn(pages[who], who)
    }
  })
  after(async () => {
    if (holdId) await call(api['responder.police'], 'POST', `/api/v1/beds/holds/${holdId}/cancel`, {})
    for (const c of Object.values(ctx)) await c.close()
  })

  test('a responder extends a hold once: the page says so, the new time shows, and extend is not offered again', async () => {
    const ngo = api['ngo.a']
    const name = `Extend House ${STAMP}`
    const made = await call(ngo, 'POST', '/api/v1/beds/safehouses', {
      name, area: 'hackney', groups: { women: { beds: 2 } }, pre_nrm: true, languages: ['sq'],
      referral_phone: '020 7946 0998', referral_hours: '24 hours' })
    assert.equal(made.status, 201, JSON.stringify(made.body))
    const house = made.body.safehouse.id
    assert.equal((await call(ngo, 'PUT', `/api/v1/beds/safehouses/${house}/vacancies`, { women: 2 })).status, 200)
    const held = await call(api['responder.police'], 'POST', `/api/v1/beds/safehouses/${house}/holds`,
      { group: 'women', reference: 'FORMS-EXTEND-1', callback_phone: '07700 900123' })
    assert.equal(held.status, 201, JSON.stringify(held.body))
    holdId = held.body.hold.id

    const page = pages['responder.police']
    await page.goto(`${portalUrl()}/beds/holds/${holdId}`)
    await checkPage(page)
    const title = await heading(page)
    assert.ok(title.includes(name), title)
    const minutes = async () => Number((await page.locator('[data-beds=countdown]').innerText()).match(/in (\d+) minutes/)[1])
    const before = await minutes()
    assert.equal(await page.locator(`main form[action="/beds/holds/${holdId}/extend"]`).count(), 1)
    const res = await submit(page, 'Extend by 90 minutes (once)')
    assert.equal(res.status(), 200)
    assert.match(await success(page), /The hold is extended/)
    assert.equal(await heading(page), title, 'the hold is still the page\'s subject')
    assert.ok(await minutes() >= before + 85, `held ${before} then ${await minutes()} minutes`)
    assert.equal(await page.locator('main form[action$="/extend"]').count(), 0, 'a hold extends once: not offered again')

    // the safehouse's side answers the hold; extending is not theirs to offer
    const ngoPage = pages['ngo.a']
    await ngoPage.goto(`${portalUrl()}/beds/holds/${holdId}`)
    await checkPage(ngoPage)
    assert.equal(await ngoPage.locator('main form[action$="/extend"]').count(), 0)
  })

  test('the trends page answers a quarter it cannot read with its own chooser and the error at it', async () => {
    const page = pages.coordinator
    const res = await page.goto(`${portalUrl()}/cases/trends?quarter=2026-Q9`)
    await checkPage(page)
    await assertRefused(page, res, ['quarter'], '/cases/trends')
    assert.match(await heading(page), /^Trends: .+/, 'this quarter\'s trends, named')
    const now = await page.inputValue('#quarter')
    assert.match(now, /^\d{4}-Q[1-4]$/, 'the chooser, this quarter chosen')
    await page.selectOption('#quarter', now)
    const shown = await submit(page, 'Show this quarter')
    assert.equal(shown.status(), 200)
    assert.equal(new URL(page.url()).searchParams.get('quarter'), now)
    assert.equal(await page.locator('.govuk-error-summary').count(), 0)
  })

  test('a context note on the trends: empty, a date of birth, too long, a choice not offered, then added beside the quarter shown', async () => {
    const page = pages.coordinator
    // a past quarter, asked for by its address: the chooser names it
    await page.goto(`${portalUrl()}/cases/trends?quarter=2025-Q2`)
    await checkPage(page)
    const title = await heading(page)
    assert.equal(title, 'Trends: April to June 2025')
    assert.equal(await page.inputValue('#quarter'), '2025-Q2')
    const action = '/cases/trends/notes'
    const kept = async (note) => {
      assert.equal(await heading(page), title, 'the quarter shown is kept')
      assert.equal(await page.inputValue('#about'), 'borough:newham', 'the choice is kept')
      assert.equal(await page.inputValue('#note'), note, 'the note is kept')
    }

    await page.selectOption('#about', 'borough:newham')
    await assertRefused(page, await submit(page, 'Add the note'), ['note'], action)
    await kept('')
    for (const wrong of [`Nail bar cases rising. ${BORN}`, 'Nail bar cases are rising in Newham. '.repeat(15)]) {
      await page.fill('#note', wrong)
      await assertRefused(page, await submit(page, 'Add the note'), ['note'], action)
      await kept(wrong)
    }
    const note = `Nail bar cases rising in Newham since the summer (${STAMP})`
    await page.fill('#note', note)
    // a choice the list does not offer
    await page.$eval('#about option:checked', (o) => { o.value = 'borough:atlantis' })
    await assertRefused(page, await submit(page, 'Add the note'), ['about'], action)
    assert.equal(await heading(page), title)
    assert.equal(await page.inputValue('#note'), note, 'the note is kept')

    await page.selectOption('#about', 'borough:newham')
    const res = await submit(page, 'Add the note')
    assert.equal(res.status(), 200)
    assert.match(await success(page), /Your note is added beside the figures/)
    assert.equal(await heading(page), title, 'back beside the quarter it was written on')
    assert.ok((await page.locator('[data-cases=notes]').innerText()).includes(note), 'the note is listed')
  })

  test('closing a case: empty, a date of birth, too long, then closed; nothing is offered on a closed case', async () => {
    const reference = `FORMS-CLOSE-${STAMP}`
    const shared = await call(api['ngo.a'], 'POST', '/api/v1/cases', {
      reference, shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
      exploitation_types: ['labour'], contact_consent: true, wants: ['outcome'] })
    assert.equal(shared.status, 201, JSON.stringify(shared.body))
    const id = shared.body.case.id
    const page = pages['ngo.a']
    await page.goto(`${portalUrl()}/cases/${id}`)
    await checkPage(page)
    assert.equal(await heading(page), `Case ${reference}`)
    // shared today: the unit has had no 28 days yet, so no asking for an update
    assert.equal(await page.locator('main form[action$="/request-update"]').count(), 0)
    const action = `/cases/${id}/close`

    await assertRefused(page, await submit(page, 'Close the case'), ['outcome'], action)
    assert.equal(await heading(page), `Case ${reference}`)
    for (const wrong of [`Referred to the NRM. ${BORN}`, 'Referred to the NRM and support continues. '.repeat(13)]) {
      await page.fill('#outcome', wrong)
      await assertRefused(page, await submit(page, 'Close the case'), ['outcome'], action)
      assert.equal(await heading(page), `Case ${reference}`, 'the case is still the page\'s subject')
      assert.equal(await page.inputValue('#outcome'), wrong, 'the outcome is kept')
    }
    const outcome = 'Referred to the NRM; support continues with the safehouse'
    await page.fill('#outcome', outcome)
    const res = await submit(page, 'Close the case')
    assert.equal(res.status(), 200)
    assert.match(await success(page), /The case is closed/)
    assert.equal((await page.textContent('[data-cases=status]')).trim(), 'Closed')
    assert.ok((await page.textContent('main')).includes(outcome))
    for (const what of ['/close', '/updates', '/request-update', '/acknowledge'])
      assert.equal(await page.locator(`main form[action$="${what}"]`).count(), 0, `no ${what} on a closed case`)
  })

  test('adding a theme: empty, too short, too long, a name taken, then added; and removed', async () => {
    const coordinator = api.coordinator
    const existing = `Existing theme ${STAMP}`
    assert.equal((await call(coordinator, 'POST', '/api/v1/monitoring/themes', { name: existing })).status, 201)
    const page = pages.coordinator
    await page.goto(`${portalUrl()}/monitoring/themes`)
    await checkPage(page)
    const action = '/monitoring/themes'
    const listed = (name) => page.locator('main table tr', { hasText: name }).count()

    await assertRefused(page, await submit(page, 'Add the theme'), ['name'], action)
    for (const wrong of ['x', 'A theme with a name far longer than any person would read as one theme '.repeat(2), existing]) {
      await page.fill('#name', wrong)
      await assertRefused(page, await submit(page, 'Add the theme'), ['name'], action)
      assert.equal(await heading(page), 'Themes')
      assert.equal(await listed(existing), 1, 'the themes are still listed')
      assert.equal(await page.inputValue('#name'), wrong, 'the name is kept')
    }
    assert.match(await page.locator('#name-error').innerText(), /already a theme with this name/)
    const name = `Interpreters on time ${STAMP}`
    await page.fill('#name', name)
    let res = await submit(page, 'Add the theme')
    assert.equal(res.status(), 200)
    assert.match(await success(page), /The theme is added/)
    assert.equal(await listed(name), 1)

    res = await submit(page, `Remove the theme ${name}`)
    assert.equal(res.status(), 200)
    assert.match(await success(page), /The theme is removed/)
    assert.equal(await listed(name), 0)
    assert.equal(await listed(existing), 1)
    const all = (await call(coordinator, 'GET', '/api/v1/monitoring/themes')).body.themes
    await call(coordinator, 'DELETE', `/api/v1/monitoring/themes/${all.find((t) => t.name === existing).id}`)
  })

  test('tagging a text: a theme removed meanwhile, a theme not offered, then saved', async () => {
    const coordinator = api.coordinator
    const words = `The interpreter came within the hour (${STAMP})`
    const sent = await call(api['ngo.a'], 'POST', '/api/v1/monitoring/observations', { text: words, borough: 'newham' })
    assert.equal(sent.status, 201, JSON.stringify(sent.body))
    const id = sent.body.observation.id
    const gone = `Soon removed ${STAMP}`
    const kept = `Interpreting ${STAMP}`
    for (const name of [gone, kept])
      assert.equal((await call(coordinator, 'POST', '/api/v1/monitoring/themes', { name })).status, 201)
    const themes = (await call(coordinator, 'GET', '/api/v1/monitoring/themes')).body.themes
    const goneId = themes.find((t) => t.name === gone).id

    const page = pages.coordinator
    await page.goto(`${portalUrl()}/monitoring/texts/${id}`)
    await checkPage(page)
    const action = `/monitoring/texts/${id}/tags`
    const still = async () => {
      assert.equal(await heading(page), 'Tag this text')
      assert.ok((await page.locator('main .govuk-inset-text').innerText()).includes(words), 'the text is still shown')
      assert.ok(await page.isChecked('#quote'), 'the quote box is kept')
    }
    await page.getByLabel(gone).check()
    await page.check('#quote')
    // another coordinator removes the theme while this form is open
    assert.equal((await call(coordinator, 'DELETE', `/api/v1/monitoring/themes/${goneId}`)).status, 204)
    await assertRefused(page, await submit(page, 'Save'), ['themes'], action)
    await still()
    assert.match(await page.locator('#themes-error').innerText(), /removed/)
    assert.equal(await page.getByLabel(gone).count(), 0, 'the removed theme is no longer offered')

    // a theme the form does not offer
    await page.getByLabel(kept).check()
    await page.getByLabel(kept).evaluate((box) => { box.value = '987654' })
    await assertRefused(page, await submit(page, 'Save'), ['themes'], action)
    await still()

    await page.getByLabel(kept).check()
    const res = await submit(page, 'Save')
    assert.equal(res.status(), 200)
    assert.match(await success(page), /The themes are saved/)
    assert.ok(await page.getByLabel(kept).isChecked())
    assert.ok(await page.isChecked('#quote'))
    await call(coordinator, 'DELETE', `/api/v1/monitoring/themes/${themes.find((t) => t.name === kept).id}`)
  })
})
