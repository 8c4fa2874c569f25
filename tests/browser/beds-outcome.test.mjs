// beds-outcome.test.mjs - bed hold outcomes in the browser (issue 18's
// "Done when": an NGO closes a hold with an outcome and a note).  The demo
// NGO opens the demo closed hold from its holds list (marked as waiting for
// what happened), chooses "The person arrived" and writes "she claims she
// was plugging": with JavaScript the language guide's notes show as they
// type; the page after saving shows both with their preferred wording and
// a link back to change the text, which saves again without notes.  The
// placing responder, without JavaScript, has a note with a date of birth
// refused (every value kept) and then adds theirs.  Every page passes
// pageTextProblems and axe-core at desktop width and at 320 CSS px.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser } from './browser.mjs'
import { signIn } from './census.mjs'
import { pageTextProblems } from './pagetext.mjs'
import { call, session } from './api.mjs'

let withJs, noJs

// A new page of `context` with `username` signed in.
async function pageAs (context, username) {
  await context.clearCookies()
  const page = await context.newPage()
  await signIn(page, username)
  return page
}

// Every text problem of the page at 320 and 1024 px (none wanted), and
// axe-core's check where JavaScript runs (it is a script).
async function checked (page) {
  const problems = []
  for (const width of [320, 1024]) {
    await page.setViewportSize({ width, height: 800 })
    problems.push(...(await pageTextProblems(page)).map((p) => `${width} px: ${p}`))
    if (page.context() === withJs) await assertAccessible(page)
  }
  assert.deepEqual(problems, [], page.url())
}

// Press the main button `words` and check the page it leads to.
async function press (page, words) {
  await Promise.all([page.waitForNavigation(), page.click(`main button:has-text("${words}")`)])
  await checked(page)
}

// Follow the link `words` of the main part and check the page.
async function follow (page, words) {
  await Promise.all([page.waitForNavigation(), page.locator('main').getByRole('link', { name: words }).click()])
  await checked(page)
}

// The demo closed hold (demo.c): the oldest hold responder.police placed at
// Harbour House that ngo.a accepted.
async function demoClosedHold () {
  const ngo = await session('ngo.a')
  const r = await call(ngo, 'GET', '/api/v1/beds/holds?per_page=100&page=1')
  const ours = r.body.holds.filter((h) => h.safehouse.name === 'Harbour House' && h.status === 'accepted' &&
    h.responder === 'responder.police').sort((a, b) => a.id - b.id)
  assert.ok(ours.length > 0, 'the demo closed hold is there')
  return ours[0].id
}

describe('bed hold outcomes: the NGO says what happened, the responder adds a note', () => {
  let holdId
  before(async () => {
    holdId = await demoClosedHold()
    withJs = await openBrowser()
    noJs = await openBrowser({ javaScriptEnabled: false })
  })
  after(async () => {
    await withJs?.close()
    await noJs?.close()
  })

  test('the demo NGO records an outcome and a note on the demo closed hold, and changes the words after the notes', async () => {
    const page = await pageAs(withJs, 'ngo.a')
    await page.goto(new URL('/beds/holds?per_page=100', page.url()).href)
    await checked(page)
    const row = page.locator('tr', { has: page.locator(`a[href="/beds/holds/${holdId}"]`) })
    assert.match(await row.innerText(), /Say what happened/, 'the list marks the closed hold waiting for an outcome')
    await Promise.all([page.waitForNavigation(), row.locator(`a[href="/beds/holds/${holdId}"]`).click()])
    await checked(page)
    assert.equal(await page.locator('#what-happened').innerText(), 'What happened?')
    await page.check('#outcome')
    await page.fill('#note', 'she claims she was plugging')
    await page.locator('#note-language-notes li').nth(1).waitFor()
    const typing = await page.locator('#note-language-notes').innerText()
    assert.match(typing, /You wrote “claims”: say “states”/)
    assert.match(typing, /say “coerced internal concealment”/)
    await press(page, 'Save what happened')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /What happened is saved/)
    const notes = page.locator('.portal-language-note')
    assert.equal(await notes.count(), 2)
    assert.match(await notes.nth(0).innerText(), /You wrote “claims”: say “states”/)
    assert.match(await notes.nth(1).innerText(), /You wrote “plugging”: say “coerced internal concealment”/)
    assert.match(await page.locator('main').innerText(), /The person arrived/)
    await follow(page, 'Change the text of your note')
    assert.equal(await page.inputValue('#note'), 'she claims she was plugging')
    assert.equal(await page.isChecked('#outcome'), true, 'the outcome said before is chosen')
    await page.fill('#note', 'She states she was subjected to coerced internal concealment; the referral went quickly.')
    await press(page, 'Save what happened')
    assert.equal(await page.locator('.portal-language-note').count(), 0)
    assert.match(await page.locator('main').innerText(), /found nothing to change/)
    await follow(page, 'Back to the hold')
    const said = await page.locator('[data-beds="outcomes"]').innerText()
    assert.match(said, /The safehouse said/)
    assert.match(said, /The person arrived\./)
    assert.match(said, /the referral went quickly/)
    await page.goto(new URL('/beds/holds?per_page=100', page.url()).href)
    assert.doesNotMatch(await page.locator('tr', { has: page.locator(`a[href="/beds/holds/${holdId}"]`) }).innerText(), /Say what happened/)
  })

  test('without JavaScript the responder has a date of birth refused, every value kept, then adds their note', async () => {
    const page = await pageAs(noJs, 'responder.police')
    await page.goto(new URL(`/beds/holds/${holdId}`, page.url()).href)
    await checked(page)
    await page.check('#outcome-placed_elsewhere')
    await page.fill('#note', 'She was born 12/03/2001 and arrived.')
    await press(page, 'Save what happened')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.locator('#what-happened').innerText(), 'What happened?')
    assert.match(await page.locator('h1').innerText(), /Harbour House/)
    assert.equal(await page.inputValue('#note'), 'She was born 12/03/2001 and arrived.')
    assert.equal(await page.isChecked('#outcome-placed_elsewhere'), true)
    await page.check('#outcome')
    await page.fill('#note', 'The safehouse called back within ten minutes.')
    await press(page, 'Save what happened')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /What happened is saved/)
    assert.match(await page.locator('main').innerText(), /found nothing to change/)
  })
})
