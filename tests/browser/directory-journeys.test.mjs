// directory-journeys.test.mjs - the journey suite of the directory's forms
// (issue 15): every form submitted empty, then with each kind of invalid
// value, then corrected.  After each mistake the page keeps its context
// (heading, the thing it is about, its action, every value typed) and the
// GOV.UK error summary links to each field; the corrected submit ends on the
// success banner saying what happened and what happens next.  Every page
// visited passes pageTextProblems and axe-core at desktop width and at 320
// CSS px.  Also the print check: a service page printed to PDF by Chromium
// is at most 2 A4 pages with nothing wider than the paper.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { pageTextProblems } from './pagetext.mjs'

const A_SERVICE = '5e000000-0000-4000-8000-000000000001' // Demo Safehouse Charity A's (ngo.a)
const A_ORG = 'd0000000-0000-4000-8000-000000000001'
const HELPLINE = '5e000000-0000-4000-8000-000000000015' // the longest demo service page

// A new page of `context`, signed in as `username` (once a context).
async function signIn (context, username) {
  const page = await context.newPage()
  await page.goto(portalUrl() + '/login')
  if (await page.locator('#username').count()) {
    await page.fill('#username', username)
    await page.fill('#password', 'Demo-Portal-1')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')])
  }
  return page
}

// The page's words and accessibility, at desktop width and at 320 CSS px,
// with every <details> open so what it holds is checked too.
async function checkPage (page) {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true }))
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

async function submit (page, button) {
  await Promise.all([page.waitForNavigation(), page.click(`button:has-text("${button}")`)])
}

// The error summary links to exactly these fields, and each is marked.
async function assertErrors (page, fields) {
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  assert.deepEqual([...hrefs].sort(), fields.map((f) => `#${f}`).sort(), `error summary of ${page.url()}`)
  for (const f of fields) {
    assert.equal(await page.locator(`#${f}-error`).count(), 1, `message by #${f}`)
    assert.equal(await page.locator(`#${f}`).count(), 1, `field #${f} the summary links to`)
  }
}

async function assertDone (page, heading) {
  const banner = page.locator('.govuk-notification-banner--success')
  assert.equal(await banner.count(), 1, `success banner on ${page.url()}`)
  assert.match(await banner.locator('.govuk-notification-banner__heading').innerText(), heading)
  assert.ok((await banner.locator('.govuk-body').innerText()).length > 20, 'the banner says what happens next')
}

describe('directory journeys', () => {
  let responder, ngo, coordinator

  before(async () => {
    responder = await openBrowser()
    ngo = await openBrowser()
    coordinator = await openBrowser()
  })
  after(async () => {
    await responder?.close()
    await ngo?.close()
    await coordinator?.close()
  })

  test('search: unknown filter values come back with the form and a summary; free text finds by language name; paging reads "Page 1 of N"', async () => {
    const page = await signIn(responder, 'responder.police')
    await page.goto(portalUrl() + '/directory/')
    assert.match(await page.locator('.govuk-pagination').innerText(), /Page 1 of \d+/)
    await checkPage(page)
    await page.goto(portalUrl() + '/directory/?q=kept+words&language=xyz&borough=atlantis')
    assert.equal(await page.locator('h1').innerText(), 'Find a specialist partner')
    await assertErrors(page, ['language', 'borough'])
    assert.equal(await page.inputValue('#q'), 'kept words')
    await checkPage(page)
    await page.fill('#q', 'albanian')
    await submit(page, 'Apply filters')
    const byWord = await page.locator('#results-count').innerText()
    await page.goto(portalUrl() + '/directory/?language=sq')
    assert.equal(byWord, await page.locator('#results-count').innerText(), 'q=albanian finds what the Albanian filter finds')
    await page.goto(portalUrl() + '/directory/?q=zzzunknownword')
    assert.equal(await page.locator('a[href="tel:08000121700"]').count(), 1, 'the helpline suggestion carries its number')
    await checkPage(page)
    await page.close()
  })

  test('suggest an edit: empty comes back on the service page with the summary; then sent, with the banner', async () => {
    const page = await signIn(responder, 'responder.police')
    await page.goto(portalUrl() + `/directory/services/${A_SERVICE}`)
    const title = await page.locator('h1').innerText()
    await checkPage(page)
    await submit(page, 'Send suggestion')
    assert.equal(await page.locator('h1').innerText(), title)
    await assertErrors(page, ['text'])
    assert.equal(await page.locator('form[action$="/suggestions"]').getAttribute('action'), `/directory/services/${A_SERVICE}/suggestions`)
    await checkPage(page)
    await page.fill('#text', 'The referral line has a new number (demo).')
    await submit(page, 'Send suggestion')
    await assertDone(page, /suggestion has been sent/)
    assert.equal(await page.locator('h1').innerText(), title)
    await checkPage(page)
    await page.close()
  })

  test('change a service: empty fields with languages ticked (one under More languages), then corrected: sent to the coordinators; the queue shows it in words', async () => {
    const page = await signIn(ngo, 'ngo.a')
    await page.goto(portalUrl() + `/directory/services/${A_SERVICE}/edit`)
    const title = await page.locator('h1').innerText()
    // the picker: checkboxes, the most-referred languages first, the rest
    // under "More languages", the English name with the language's own
    const more = page.locator('details', { hasText: 'More languages' })
    assert.equal(await more.getAttribute('open') !== null, await more.locator('input:checked').count() > 0,
      'the rest are folded away unless one of them is ticked')
    assert.equal(await page.locator('label[for="languages"]').innerText(), 'Albanian (shqip)')
    assert.equal((await more.locator('label[for="languages-cy"]').textContent()).trim(), 'Welsh (Cymraeg)')
    await checkPage(page)
    const ticked = page.locator('input[name=languages]:checked')
    while (await ticked.count()) await ticked.first().uncheck()
    for (const code of ['en', 'prs', 'cy']) await page.check(`#languages-${code}`)
    await page.check('#languages')
    await page.fill('#name', '')
    await page.fill('#description', '')
    await submit(page, 'Send change')
    assert.equal(await page.locator('h1').innerText(), title)
    await assertErrors(page, ['name', 'description'])
    assert.equal(await page.locator('main form[method=post]').first().getAttribute('action'), `/directory/services/${A_SERVICE}`)
    assert.deepEqual(await page.locator('input[name=languages]:checked').evaluateAll((bs) => bs.map((b) => b.value)),
      ['sq', 'prs', 'en', 'cy'], 'every ticked language is kept')
    assert.notEqual(await more.getAttribute('open'), null, 'More languages is open: one of them is ticked')
    await checkPage(page)
    await page.fill('#name', 'Women\'s safehouse referrals (demo)')
    await page.fill('#description', 'Emergency safe accommodation for women survivors, with key workers and interpreters (demo).')
    await page.uncheck('#languages-cy')
    await page.check('#languages-pcm')
    await submit(page, 'Send change')
    await assertDone(page, /sent to the coordinators/)
    await checkPage(page)
    await page.close()

    const queue = await signIn(coordinator, 'coordinator')
    await queue.goto(portalUrl() + '/directory/changes')
    const section = queue.locator('section', { hasText: 'Nigerian Pidgin' }).first()
    assert.match(await section.innerText(), /Proposed by .+ of .+ at (?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+/)
    assert.match(await section.innerText(), /Albanian, Dari, Nigerian Pidgin, English/)
    await checkPage(queue)
    await Promise.all([queue.waitForNavigation(), section.locator('button:has-text("Reject")').click()])
    await assertDone(queue, /rejected/)
    await checkPage(queue)
    await queue.close()
  })

  test('change an organisation: empty name, a bad e-mail address, then corrected: sent, with the banner', async () => {
    const page = await signIn(ngo, 'ngo.a')
    await page.goto(portalUrl() + `/directory/organisations/${A_ORG}`)
    assert.equal(await page.locator('a[href^="tel:"]').count(), 1, 'the phone number is a tel: link')
    await checkPage(page)
    await page.goto(portalUrl() + `/directory/organisations/${A_ORG}/edit`)
    const title = await page.locator('h1').innerText()
    await page.fill('#name', '')
    await submit(page, 'Send change')
    assert.equal(await page.locator('h1').innerText(), title)
    await assertErrors(page, ['name'])
    await checkPage(page)
    await page.fill('#name', 'Demo Safehouse Charity A (demo)')
    await page.fill('#email', 'not an address')
    await submit(page, 'Send change')
    await assertErrors(page, ['email'])
    assert.equal(await page.inputValue('#email'), 'not an address')
    assert.equal(await page.inputValue('#name'), 'Demo Safehouse Charity A (demo)')
    await checkPage(page)
    await page.fill('#email', 'referrals@example.org')
    await submit(page, 'Send change')
    await assertDone(page, /sent to the coordinators/)
    await checkPage(page)
    await page.close()
  })

  test('languages listed first: empty, a name that is not a language, then corrected: saved, and the search lists them first', async () => {
    const page = await signIn(coordinator, 'coordinator')
    await page.goto(portalUrl() + '/directory/')
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Languages listed first")')])
    assert.equal(await page.locator('h1').innerText(), 'Languages listed first')
    const before = await page.inputValue('#first')
    assert.match(before, /^Albanian\nVietnamese\nTigrinya\nArabic\nDari\nPashto\nRomanian\n/)
    await checkPage(page)
    await page.fill('#first', '')
    await submit(page, 'Save the order')
    await assertErrors(page, ['first'])
    assert.equal(await page.locator('h1').innerText(), 'Languages listed first')
    await checkPage(page)
    await page.fill('#first', 'Polish\nKlingon')
    await submit(page, 'Save the order')
    await assertErrors(page, ['first'])
    assert.match(await page.locator('#first-error').innerText(), /Klingon/)
    assert.equal(await page.inputValue('#first'), 'Polish\nKlingon')
    await checkPage(page)
    await page.fill('#first', 'Polish\nAlbanian')
    await submit(page, 'Save the order')
    await assertDone(page, /order of the languages has been saved/)
    await checkPage(page)
    await page.goto(portalUrl() + '/directory/')
    const langs = await page.locator('input[name=language]').evaluateAll((is) => is.map((i) => i.value))
    assert.deepEqual(langs.slice(0, 2), ['pl', 'sq'])
    // back to the NRM order for the other tests
    await page.goto(portalUrl() + '/directory/languages')
    await page.fill('#first', before)
    await submit(page, 'Save the order')
    await assertDone(page, /saved/)
    await page.close()
  })

  test('write a pathway: empty, then corrected: saved, with the banner', async () => {
    const page = await signIn(coordinator, 'coordinator')
    await page.goto(portalUrl() + '/directory/pathways/new')
    await checkPage(page)
    await submit(page, 'Save pathway')
    assert.equal(await page.locator('h1').innerText(), 'Write a referral pathway')
    const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    assert.ok(hrefs.includes('#title'), hrefs.join(' '))
    await checkPage(page)
    await page.fill('#title', 'Survivor who speaks Dari (journey)')
    await page.fill('#summary', 'For partners meeting a Dari-speaking survivor.')
    await page.fill('#step_text_1', 'Find Dari-speaking partners.')
    await submit(page, 'Save pathway')
    await assertDone(page, /pathway has been saved/)
    await checkPage(page)
    await page.close()
  })

  test('print: a service page is at most 2 A4 pages, nothing wider than the paper', async () => {
    const page = await signIn(responder, 'responder.police')
    for (const id of [A_SERVICE, HELPLINE]) {
      await page.goto(portalUrl() + `/directory/services/${id}`)
      assert.equal(await page.locator('a[href^="tel:"]').count() >= 1, true, 'the referral line is a tel: link')
      await page.emulateMedia({ media: 'print' })
      // A4 less Chromium's default 1 cm margins: 190 mm = 718 CSS px
      await page.setViewportSize({ width: 718, height: 1000 })
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(wide <= 718, `printed page is ${wide} CSS px wide`)
      const pdf = (await page.pdf({ format: 'A4' })).toString('latin1')
      const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length
      assert.ok(pages >= 1 && pages <= 2, `${id} prints on ${pages} A4 pages`)
      await page.emulateMedia({ media: 'screen' })
      await page.setViewportSize({ width: 1280, height: 900 })
    }
    await page.close()
  })
})
