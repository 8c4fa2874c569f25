// monitoring.test.mjs - partner voice and its coding in the browser (issue
// 18, first slice).  A partner finds the language guide from the training
// catalogue, sends an observation: with JavaScript the guide's notes show
// as they type, and without it the page after saving shows each note with
// its preferred wording and a link to change the text.  A coordinator adds
// a theme, tags the observation and marks it a quote; the monitoring start
// page then shows the quote with the agency type only.  Every page passes
// pageTextProblems and axe-core at desktop width and at 320 CSS px.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'
import { pageTextProblems } from './pagetext.mjs'

async function signIn (context, username) {
  await context.clearCookies()
  const { page } = await visit(context, '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return page
}

// The contexts without JavaScript: axe-core runs as a script, so their
// pages get the text check only (the same pages are checked with it on).
const NO_AXE = new WeakSet()

async function checkPage (page) {
  for (const width of [1024, 320]) {
    await page.setViewportSize({ width, height: 800 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    if (!NO_AXE.has(page.context())) await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1024, height: 800 })
}

async function follow (page, link) {
  await Promise.all([page.waitForNavigation(), page.locator('main').getByRole('link', { name: link, exact: true }).click()])
  await checkPage(page)
}

async function submit (page, button) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`main button:has-text("${button}")`)])
  await checkPage(page)
  return res
}

const WORDS = `she claims she was plugging (${Date.now()})`

describe('partner voice: an observation sent, tagged and shared as a quote', () => {
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

  test('a partner with JavaScript sees the notes as they type, and sends the observation anyway', async () => {
    const page = await signIn(withJs, 'ngo.a')
    await page.goto(new URL('/training/courses', page.url()).href)
    await follow(page, 'Language guide: words to avoid and what to say instead')
    assert.match(await page.locator('main').innerText(), /Instead of “claims”, say “states”/)
    await follow(page, 'Monitoring and partner voice')
    await follow(page, 'Tell the coordinators what you see')
    await page.fill('#text', WORDS)
    await page.locator('#language-notes li').nth(1).waitFor()
    const notes = await page.locator('#language-notes').innerText()
    assert.match(notes, /You wrote “claims”: say “states”/)
    assert.match(notes, /say “coerced internal concealment”/)
    await page.selectOption('#borough', 'newham')
    await page.check('#exploitation_types-criminal')
    const res = await submit(page, 'Send to the coordinators')
    assert.equal(res.status(), 200)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /your observation is with the coordinators/)
    assert.match(await page.locator('main').innerText(), /Newham/)
  })

  test('without JavaScript, the page after saving shows each note, and the link changes the text', async () => {
    const page = await signIn(noJs, 'ngo.b')
    await page.goto(new URL('/monitoring/observations/new', page.url()).href)
    await checkPage(page)
    await page.fill('#text', 'Seen with him, born 12/03/2001, she claims')
    await submit(page, 'Send to the coordinators')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.inputValue('#text'), 'Seen with him, born 12/03/2001, she claims')
    await page.fill('#text', `In the referral, ${WORDS}`)
    await submit(page, 'Send to the coordinators')
    const text = await page.locator('main').innerText()
    assert.match(text, /You wrote “claims”: say “states”/)
    assert.match(text, /You wrote “plugging”: say “coerced internal concealment”/)
    await follow(page, 'Change the text')
    await page.fill('#text', 'In the referral, she states she was coerced.')
    await submit(page, 'Send to the coordinators')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your observation is changed/)
    assert.equal(await page.locator('.portal-language-note').count(), 0)
  })

  test('the coordinator adds a theme, tags the observation and marks it a quote; partners see it with the agency type only', async () => {
    const page = await signIn(withJs, 'coordinator')
    await page.goto(new URL('/monitoring/', page.url()).href)
    await checkPage(page)
    await follow(page, 'Themes')
    const theme = `Believing victims ${Date.now()}`
    await page.fill('#name', theme)
    await submit(page, 'Add the theme')
    assert.match(await page.locator('main').innerText(), /The theme is added/)
    await follow(page, 'What partners wrote')
    const card = page.locator('.govuk-summary-card', { hasText: WORDS })
    assert.match(await card.innerText(), /NGO partner/)
    await Promise.all([page.waitForNavigation(), card.locator('a:has-text("Tag this text")').click()])
    await checkPage(page)
    await page.getByLabel(theme).check()
    await page.check('#quote')
    await submit(page, 'Save')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The themes are saved/)
    await page.goto(new URL('/monitoring/texts', page.url()).href)
    const row = page.locator('table tr', { hasText: theme })
    assert.equal((await row.locator('td').nth(1).innerText()).trim(), '1')
    const partner = await signIn(noJs, 'responder.police')
    await partner.goto(new URL('/monitoring/', partner.url()).href)
    await checkPage(partner)
    const quote = partner.locator('figure', { hasText: WORDS })
    assert.match(await quote.innerText(), /NGO partner/)
    assert.doesNotMatch(await quote.innerText(), /Demo|ngo\.a|charity/i)
  })
})
