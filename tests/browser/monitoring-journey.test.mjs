// monitoring-journey.test.mjs - issue 18's "Done when" journey in the
// browser, on the demo stack, with the real events: the demo responder
// (responder.police) gives feedback on the past demo session they
// attended; the demo NGO (ngo.a) says what happened on the demo closed
// hold, with a note; a partner sends the observation "she claims she was plugging"
// without JavaScript and sees the two language notes; in both forms a date
// of birth is refused with what was typed kept.  The monitoring intake
// (every 5 s in run.sh) brings the texts to the coordinator, who adds a
// theme, tags the three and marks the observation as a quote; the monitoring
// figures page then shows the theme's count, the quote with the agency
// type only, and the figures by police unit and by borough.  Every page
// passes pageTextProblems (and axe-core, with JavaScript) at 1024 and 320 px.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { call, session } from './api.mjs'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'
import { answerFeedback, openFeedbackForm } from './feedback.mjs'
import { pageTextProblems } from './pagetext.mjs'

const STAMP = Date.now()
const FEEDBACK = `I will write what she states, not what she claims (${STAMP})`
const OBSERVED = `she claims she was plugging (${STAMP})`
const NOTE = `She arrived that evening; the referral went well (${STAMP})`
const THEME = `Words on referrals ${STAMP}`
const BORN = 'Born 12/03/1985, she said.'

// The contexts without JavaScript: axe-core runs as a script, so their
// pages get the text check only.
const NO_AXE = new WeakSet()

async function checked (page) {
  for (const width of [1024, 320]) {
    await page.setViewportSize({ width, height: 800 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    if (!NO_AXE.has(page.context())) await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1024, height: 800 })
  return page
}

async function signIn (context, username, path) {
  await context.clearCookies()
  const { page } = await visit(context, '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  await page.goto(new URL(path, page.url()).href)
  return checked(page)
}

async function click (page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()])
  return checked(page)
}

describe('monitoring that counts and listens: the journey end to end', () => {
  let withJs, noJs
  before(async () => {
    withJs = await openBrowser()
    noJs = await openBrowser({ javaScriptEnabled: false })
    NO_AXE.add(noJs)
  })
  after(async () => {
    await withJs?.close()
    await noJs?.close()
  })

  test('the demo responder gives feedback on the past session: a date of birth refused, the answers kept', async () => {
    let page = await signIn(withJs, 'responder.police', '/training/my')
    page = await openFeedbackForm(page, 'Language matters: talking with victims', (l) => click(page, l))
    assert.match(await page.locator('h1').innerText(), /Tell us how the session went/)
    const answer = (text) => answerFeedback(page, text, (l) => click(page, l))
    await answer(BORN)
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.inputValue('#text'), BORN)
    assert.equal(await page.locator('input[name=usefulness][value="5"]').isChecked(), true)
    assert.equal(await page.locator('input[name=confidence_after_1][value="4"]').isChecked(), true)
    await answer(FEEDBACK)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /your feedback is saved/)
    assert.match(await page.locator('.portal-language-note').first().innerText(), /“claims”: say “states”/)
  })

  test('the demo NGO says what happened on the demo closed hold, with a note: a date of birth refused, all kept', async () => {
    // the demo closed hold (beds demo.c): the oldest hold responder.police placed at Harbour House that ngo.a accepted
    const holds = (await call(await session('ngo.a'), 'GET', '/api/v1/beds/holds?per_page=100&page=1')).body.holds
    const hold = holds.filter((h) => h.safehouse.name === 'Harbour House' && h.status === 'accepted' &&
      h.responder === 'responder.police').sort((a, b) => a.id - b.id)[0]
    assert.ok(hold, 'the demo closed hold is there')
    let page = await signIn(withJs, 'ngo.a', `/beds/holds/${hold.id}`)
    assert.equal(await page.locator('#what-happened').innerText(), 'What happened?')
    await page.check('#outcome')
    await page.fill('#note', `${BORN} ${NOTE}`)
    page = await click(page, page.locator('main button:has-text("Save what happened")'))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.inputValue('#note'), `${BORN} ${NOTE}`)
    assert.equal(await page.isChecked('#outcome'), true)
    await page.fill('#note', NOTE)
    page = await click(page, page.locator('main button:has-text("Save what happened")'))
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /What happened is saved/)
  })

  test('a partner without JavaScript sends the observation: a date of birth refused, then two language notes', async () => {
    const page = await signIn(noJs, 'ngo.a', '/monitoring/observations/new')
    await page.fill('#text', `${BORN} ${OBSERVED}`)
    await page.selectOption('#borough', 'newham')
    await click(page, page.locator('main button:has-text("Send to the coordinators")'))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.inputValue('#text'), `${BORN} ${OBSERVED}`)
    assert.equal(await page.inputValue('#borough'), 'newham')
    await page.fill('#text', OBSERVED)
    await click(page, page.locator('main button:has-text("Send to the coordinators")'))
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /your observation is with the coordinators/)
    const notes = await page.locator('.portal-language-note').allInnerTexts()
    assert.equal(notes.length, 2, notes.join(' | '))
    assert.match(notes.join(' '), /“claims”: say “states”/)
    assert.match(notes.join(' '), /“plugging”: say “coerced internal concealment”/)
  })

  test('the coordinator tags the three texts and quotes one; the figures page shows them beside the figures by unit and borough', async () => {
    let page = await signIn(withJs, 'coordinator', '/monitoring/')
    page = await click(page, page.locator('main').getByRole('link', { name: 'Themes', exact: true }))
    await page.fill('#name', THEME)
    page = await click(page, page.locator('main button:has-text("Add the theme")'))
    assert.match(await page.locator('main').innerText(), /The theme is added/)
    // the feedback reaches monitoring through the training events (read every 5 s)
    const card = (text) => page.locator('.govuk-summary-card', { hasText: text })
    for (let i = 0; i < 40; i++) {
      await page.goto(new URL('/monitoring/texts', page.url()).href)
      if (await card(FEEDBACK).count() && await card(OBSERVED).count() && await card(NOTE).count()) break
      await page.waitForTimeout(500)
    }
    await checked(page)
    // at 320 px the count column's heading stays one word on one line
    await page.setViewportSize({ width: 320, height: 800 })
    assert.equal(await page.locator('th', { hasText: 'Texts' }).evaluate((th) => {
      const range = document.createRange()
      range.selectNodeContents(th)
      return range.getClientRects().length
    }), 1)
    await page.setViewportSize({ width: 1024, height: 800 })
    assert.match(await card(FEEDBACK).innerText(), /Police/)
    assert.match(await card(OBSERVED).innerText(), /NGO/)
    assert.match(await card(NOTE).innerText(), /NGO/)
    for (const [text, quote] of [[FEEDBACK, false], [OBSERVED, true], [NOTE, false]]) {
      page = await click(page, card(text).locator('a:has-text("Tag this text")'))
      await page.getByLabel(THEME).check()
      if (quote) await page.check('#quote')
      page = await click(page, page.locator('main button:has-text("Save")'))
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /The themes are saved/)
      await page.goto(new URL('/monitoring/texts', page.url()).href)
    }

    await page.goto(new URL('/monitoring/', page.url()).href)
    page = await click(page, page.locator('main').getByRole('link', { name: /^Monitoring figures/ }))
    const partners = page.locator('section[aria-labelledby="partners-heading"]')
    const themeRow = partners.locator('tr', { hasText: THEME })
    assert.equal((await themeRow.locator('td').first().innerText()).trim(), '3')
    const quote = await partners.locator('tr', { hasText: OBSERVED }).innerText()
    assert.match(quote, /NGO/)
    assert.doesNotMatch(quote, /Demo|ngo\.a|charity|Amira/i)
    assert.equal(await partners.getByText(FEEDBACK).count(), 0, 'the feedback is not a quote')
    assert.doesNotMatch(await page.locator('main').innerText(), /Priya Shah|responder\.police|ngo\.a/)
    const training = page.locator('section[aria-labelledby="training-heading"]')
    const byUnit = training.locator('table', { hasText: 'Training by police unit' })
    assert.ok(await byUnit.locator('tbody tr th').count() >= 1, 'a row for a police unit')
    // the demo closed hold: placed by responder.police (North East) at Harbour House (Tower Hamlets)
    const holds = page.locator('section[aria-labelledby="beds-heading"]')
    for (const [caption, where] of [['Bed holds by borough', /^Tower Hamlets$/], ["Bed holds by the responder's police unit", /North East/]]) {
      const row = holds.locator('table', { hasText: caption }).locator('tbody tr', { has: page.locator('th', { hasText: where }) })
      assert.equal(await row.count(), 1, `a row in ${caption}`)
      assert.ok(Number(await row.locator('td').first().innerText()) >= 1, `holds placed in ${caption}`)
    }
  })
})
