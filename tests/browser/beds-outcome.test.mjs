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
import { openBrowser, visit } from './browser.mjs'
import { pageTextProblems } from './pagetext.mjs'
import { call, session } from './api.mjs'

async function signIn (context, username) {
  await context.clearCookies()
  const { page } = await visit(context, '/login')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return page
}

const NO_AXE = new WeakSet()

async function checkPage (page) {
  for (const width of [1024, 320]) {
    await page.setViewportSize({ width, height: 800 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    if (!NO_AXE.has(page.context())) await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1024, height: 800 })
}

async function submit (page, button) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`main button:has-text("${button}")`)])
  await checkPage(page)
  return res
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
  let withJs, noJs, holdId
  before(async () => {
    holdId = await demoClosedHold()
    withJs = await openBrowser()
    noJs = await openBrowser({ javaScriptEnabled: false })
    NO_AXE.add(noJs)
  })
  after(async () => {
    await withJs?.close()
    await noJs?.close()
  })

  test('the demo NGO records an outcome and a note on the demo closed hold, and changes the words after the notes', async () => {
    const page = await signIn(withJs, 'ngo.a')
    await page.goto(new URL('/beds/holds?per_page=100', page.url()).href)
    await checkPage(page)
    const row = page.locator('tr', { has: page.locator(`a[href="/beds/holds/${holdId}"]`) })
    assert.match(await row.innerText(), /Say what happened/, 'the list marks the closed hold waiting for an outcome')
    await Promise.all([page.waitForNavigation(), row.locator(`a[href="/beds/holds/${holdId}"]`).click()])
    await checkPage(page)
    assert.equal(await page.locator('#what-happened').innerText(), 'What happened?')
    await page.check('#outcome')
    await page.fill('#note', 'she claims she was plugging')
    await page.locator('#note-language-notes li').nth(1).waitFor()
    const typing = await page.locator('#note-language-notes').innerText()
    assert.match(typing, /You wrote “claims”: say “states”/)
    assert.match(typing, /say “coerced internal concealment”/)
    await submit(page, 'Save what happened')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /What happened is saved/)
    const notes = page.locator('[data-beds="language-notes"] tbody tr')
    assert.equal(await notes.count(), 2)
    assert.match(await notes.nth(0).innerText(), /“claims”\s+“states”/)
    assert.match(await notes.nth(1).innerText(), /“plugging”\s+“coerced internal concealment”/)
    assert.match(await page.locator('main').innerText(), /The person arrived/)
    await Promise.all([page.waitForNavigation(), page.locator('main').getByRole('link', { name: 'Change the text of your note' }).click()])
    await checkPage(page)
    assert.equal(await page.inputValue('#note'), 'she claims she was plugging')
    assert.equal(await page.isChecked('#outcome'), true, 'the outcome said before is chosen')
    await page.fill('#note', 'She states she was subjected to coerced internal concealment; the referral went quickly.')
    await submit(page, 'Save what happened')
    assert.equal(await page.locator('[data-beds="language-notes"]').count(), 0)
    assert.match(await page.locator('main').innerText(), /found nothing to change/)
    await Promise.all([page.waitForNavigation(), page.locator('main').getByRole('link', { name: 'Back to the hold' }).click()])
    await checkPage(page)
    const said = await page.locator('[data-beds="outcomes"]').innerText()
    assert.match(said, /The safehouse said/)
    assert.match(said, /The person arrived\./)
    assert.match(said, /the referral went quickly/)
    await page.goto(new URL('/beds/holds?per_page=100', page.url()).href)
    assert.doesNotMatch(await page.locator('tr', { has: page.locator(`a[href="/beds/holds/${holdId}"]`) }).innerText(), /Say what happened/)
  })

  test('without JavaScript the responder has a date of birth refused, every value kept, then adds their note', async () => {
    const page = await signIn(noJs, 'responder.police')
    await page.goto(new URL(`/beds/holds/${holdId}`, page.url()).href)
    await checkPage(page)
    await page.check('#outcome-placed_elsewhere')
    await page.fill('#note', 'She was born 12/03/2001 and arrived.')
    await submit(page, 'Save what happened')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.locator('#what-happened').innerText(), 'What happened?')
    assert.match(await page.locator('h1').innerText(), /Harbour House/)
    assert.equal(await page.inputValue('#note'), 'She was born 12/03/2001 and arrived.')
    assert.equal(await page.isChecked('#outcome-placed_elsewhere'), true)
    await page.check('#outcome')
    await page.fill('#note', 'The safehouse called back within ten minutes.')
    await submit(page, 'Save what happened')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /What happened is saved/)
    assert.match(await page.locator('main').innerText(), /found nothing to change/)
  })
})
